"""Saved portal pages read as local files: the article kept, menus/disclaimers/footers not."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

from briefing.ingest.entries import build_article
from briefing.ingest.local import page_body, read_file
from briefing.ingest.settings import IngestSettings, SourceConfig

PAGES = Path(__file__).resolve().parents[1] / "data" / "pages"
ZONE = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 2, 4, 12, 0, tzinfo=dt.UTC)


def test_precise_pass_keeping_only_a_disclaimer_falls_back_to_recall() -> None:
    raw = read_file(PAGES / "portal_disclaimer_only.html", "p1", ZONE)
    assert raw.title == "示例港口一月吞吐量创新高"  # the portal's name is not in the title
    assert raw.text is not None
    assert raw.text.startswith("示例港口集团2月4日公布")
    assert "全年有望再创纪录" in raw.text
    for noise in ("免责声明", "首页", "版权所有"):
        assert noise not in raw.text


def test_copyright_line_is_never_the_publisher() -> None:
    raw = read_file(PAGES / "portal_link_heavy.html", "p2", ZONE)
    assert raw.publisher == "示例门户版权所有"  # what the page says ...
    source = SourceConfig(id="pages", name="示例门户", path="pages")
    article, _ = build_article(raw, source, IngestSettings(), NOW)
    assert article is not None
    assert article.source_name == "示例门户"  # ... is not what we print
    assert "热门跟贴" not in article.text and "特别声明" not in article.text
    assert "人工智能服务器业务收入翻倍" in article.text


def test_page_body_cuts_comments_and_menus() -> None:
    text = "首页\n财经\n标题\n正文第一句写在这里，足够长。\n第二句也在这里。\n网友评论\n网友：好。"
    assert page_body(text, "标题") == "正文第一句写在这里，足够长。\n第二句也在这里。"
