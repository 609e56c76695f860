"""HTML rendering: structure (asserted with an HTML parser), editions, safety, determinism."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import lxml.html
import pytest
import tinycss2
from jinja2 import UndefinedError

from briefing.model import Briefing, Text
from briefing.render.html import environment, render_html, safe_relative_href, write_assets
from briefing.render.inline import render_inline, safe_href
from tests.render_fixtures import hostile_day, make_day

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "briefing-2026-02-05.json"


def parse(html: str) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(html)


@pytest.fixture(scope="module")
def day() -> Briefing:
    return make_day(20)


def test_zh_page_structure(day: Briefing) -> None:
    doc = parse(render_html(day, "zh", other_edition_href="../../en/2026-02-05/"))
    assert doc.get("lang") == "zh-CN"
    assert doc.findtext(".//title").startswith("中美通话缓和情绪")
    assert doc.xpath("//link[@rel='stylesheet']/@href") == ["assets/briefing.css"]
    summary = doc.xpath("//section[@class='summary']//li")
    assert len(summary) == len(day.summary)
    # The table of contents points at the impact map, then at every section, in order.
    toc = doc.xpath("//nav[@class='toc']//a/@href")
    sections = doc.xpath("//section[contains(@class,'section')]/@id")
    assert toc == ["#impact-map"] + ["#" + s for s in sections]
    assert len(sections) == len([s for s in day.sections if s.items])
    # Items: every non-brief item is an <article>; 更多动态 is a flat list.
    articles = doc.xpath("//article[@class='item']")
    brief = doc.xpath("//ul[@class='brief-list']/li")
    assert len(articles) + len(brief) == len(day.items())
    assert doc.xpath("//section[contains(@class,'section-brief')]//article") == []
    first = articles[0]
    assert first.xpath(".//span[@class='label']/text()")[0] == "时间："
    assert first.xpath(".//time/@datetime")[0] == "2026-02-04T08:00:00+08:00"
    assert first.xpath(".//div[contains(@class,'key-points')]/h4/text()") == ["核心要点"]
    assert "经贸磋商" in first.xpath(".//div[contains(@class,'key-points')]//strong/text()")
    # Impact badges carry the stance as a class and as visible words.
    badges = {(b.get("data-stance"), b.text) for b in doc.xpath("//span[contains(@class,'badge')]")}
    assert ("bullish", "利多") in badges and ("bearish", "利空") in badges
    assert ("dovish", "中性偏鸽") in badges
    assert first.xpath(".//li[contains(@class,'impact')]/span[@class='target']/text()")[0] == "对股市"
    # The other edition, with hreflang.
    switch = doc.xpath("//nav[@class='edition-switch']/a")[0]
    assert switch.get("href") == "../../en/2026-02-05/" and switch.get("hreflang") == "en"
    assert doc.xpath("//link[@rel='alternate']/@hreflang") == ["en"]


def test_editions_are_aligned(day: Briefing) -> None:
    inline = day.model_copy(update={"single_language": "inline"})
    zh, en = parse(render_html(inline, "zh")), parse(render_html(inline, "en"))
    ids = "//section/@id | //article/@id | //ul[@class='brief-list']/li/@id"
    assert zh.xpath(ids) == en.xpath(ids)
    # By default a story told in both languages stands in both editions, in the same order.
    zh_ids, en_ids = (parse(render_html(day, e)).xpath("//article/@id") for e in ("zh", "en"))
    assert en_ids and [i for i in zh_ids if i in set(en_ids)] == en_ids
    assert en.get("lang") == "en"
    assert en.xpath("//article[1]//span[@class='label']/text()")[0] == "Time:"
    assert en.xpath("//article[1]//span[@class='target']/text()")[0] == "Equities"
    assert ("bullish", "Bullish") in {
        (b.get("data-stance"), b.text) for b in en.xpath("//span[contains(@class,'badge')]")
    }


def test_other_language_stories_are_a_compact_list_without_marks(day: Briefing) -> None:
    doc = parse(render_html(day, "en"))
    assert doc.xpath("//*[@class='untranslated']") == []
    entries = doc.xpath("//ul[contains(@class,'compact-list')]/li")
    assert entries, "the fixture has items without English"
    for li in entries:
        assert li.xpath(".//span[@lang='zh-CN']") and len(li.xpath(".//small[@class='lang-tag']")) == 1
        assert li.xpath(".//small[@class='lang-tag']/text()") == ["Chinese"]
    assert not any(re.search(r"[\u4e00-\u9fff]", t) for t in doc.xpath("//article//h3//text()"))


def test_untranslated_text_is_marked(day: Briefing) -> None:
    day = day.model_copy(update={"single_language": "inline"})
    doc = parse(render_html(day, "en"))
    fallbacks = doc.xpath("//span[@class='fallback']")
    assert fallbacks, "the fixture has items without English"
    for span in fallbacks:
        assert span.get("lang") == "zh-CN"
        assert re.search(r"[\u4e00-\u9fff]", span.text_content())
        marker = span.getnext()
        assert marker is not None and marker.get("class") == "untranslated"
        assert marker.text == "Original"
    # The zh edition has Chinese everywhere: no marker at all.
    assert parse(render_html(day, "zh")).xpath("//*[@class='untranslated']") == []


def test_zh_hant_edition(day: Briefing) -> None:
    doc = parse(render_html(day, "zh-Hant"))
    assert doc.get("lang") == "zh-Hant"
    text = doc.text_content()
    assert "經濟日報" in text and "核心要點" in text
    assert "经济日报" not in text


def test_empty_briefing_says_so() -> None:
    empty = Briefing(date=make_day(1).date, title=Text(zh="无", en="None"))
    doc = parse(render_html(empty, "en"))
    assert doc.xpath("//p[@class='no-items']/text()") == ["No items to publish today"]


def test_deterministic(day: Briefing) -> None:
    for edition in ("zh", "en", "zh-Hant"):
        assert render_html(day, edition) == render_html(day, edition)
    assert "2026-02-05" in render_html(day, "zh")


# ---------------------------------------------------------------- hostile content


HOSTILE_PAGES = [("zh", False), ("en", False), ("zh", True)]


@pytest.mark.parametrize(("edition", "for_pdf"), HOSTILE_PAGES)
def test_hostile_fields_are_inert(edition: str, for_pdf: bool) -> None:
    html = render_html(
        hostile_day(["http://127.0.0.1:9/pixel.png", "file:///etc/passwd"]),
        edition,
        other_edition_href="javascript:alert(1)",
        for_pdf=for_pdf,
    )
    doc = parse(html)
    for tag in ("script", "img", "iframe", "object", "embed", "form", "input", "base", "meta[@http-equiv]"):
        assert doc.xpath(f"//{tag}") == [], tag
    for element in doc.iter():
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), (element.tag, name)
            assert "javascript:" not in value.lower() and "file:" not in value.lower(), (name, value)
    for href in doc.xpath("//@href"):
        assert href.startswith(("https://", "http://", "mailto:", "#", "assets/")), href
    # Templates are never compiled from content: the braces come out as text.
    text = doc.text_content()
    assert "{{ 7*7 }}" in text and "49" not in text
    assert "<script>" in text  # shown as text, escaped
    # Ids are safe slugs.
    for anchor in doc.xpath("//@id"):
        assert re.fullmatch(r"[a-z0-9-]+", anchor), anchor
    # The <style> element stays one stylesheet: the category cannot close its string.
    style = doc.xpath("//style")[0].text
    rules = tinycss2.parse_stylesheet(style, skip_whitespace=True, skip_comments=True)
    assert [r.type for r in rules] == ["at-rule"]
    assert "</style" not in style.lower()


def test_footer_is_allowlisted() -> None:
    doc = parse(render_html(hostile_day(), "zh"))
    footer = doc.xpath("//footer[@class='site-footer']")[0]
    assert footer.xpath(".//a/@href") == ["https://t.me/example"]
    assert footer.xpath(".//script|.//iframe|.//img") == []


def test_inline_markdown_rules() -> None:
    assert render_inline("**粗** [a](https://x.com/?a=1&b=2)") == (
        '<strong>粗</strong> <a href="https://x.com/?a=1&amp;b=2" '
        'rel="noopener noreferrer nofollow">a</a>'
    )
    assert "<a" not in render_inline("[x](javascript:alert(1))")
    assert "<a" not in render_inline("[x](file:///etc/passwd)")
    assert "<a" not in render_inline("[x](relative/path.html)")
    assert "<a" in render_inline("[x](mailto:desk@example.com)")
    assert render_inline("![图](https://example.com/a.png)") == "图"
    assert render_inline("<b>raw</b>") == "&lt;b&gt;raw&lt;/b&gt;"
    assert render_inline("a\x00b\x1fc") == "abc"
    assert safe_href("https://example.com/a b") is None
    assert safe_href("http:///nohost") is None
    assert safe_relative_href("../../en/2026-02-05/") == "../../en/2026-02-05/"
    assert safe_relative_href("javascript:alert(1)") is None


def test_strict_undefined() -> None:
    with pytest.raises(UndefinedError):
        environment().from_string("{{ missing }}").render()
    assert environment().autoescape is True


def test_write_assets(tmp_path: Path) -> None:
    write_assets(tmp_path / "assets")
    css = (tmp_path / "assets" / "briefing.css").read_text(encoding="utf-8")
    assert ".stance-bullish" in css and "@page" in css


def test_every_weasyprint_call_has_a_fetcher() -> None:
    """RELIABILITY C #32: no HTML(...) / CSS(...) in briefing/ without url_fetcher=."""
    offenders = []
    for path in sorted((ROOT / "briefing").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            if name in ("HTML", "CSS") and "url_fetcher" not in {k.arg for k in node.keywords}:
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []


@pytest.mark.skipif(not SAMPLE.exists(), reason="samples/briefing-2026-02-05.json not written yet")
def test_sample_day_renders_in_both_editions() -> None:
    sample = Briefing.from_json(SAMPLE.read_text(encoding="utf-8"))
    zh, en = parse(render_html(sample, "zh")), parse(render_html(sample, "en"))
    assert len(zh.xpath("//article")) == len(en.xpath("//article")) > 0
    assert zh.xpath("//section/@id") == en.xpath("//section/@id")
