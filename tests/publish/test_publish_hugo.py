"""The Hugo export: front matter Hugo understands, one H1, words in the post's language, and
a real `hugo` build of a stock multilingual site over the exported posts (when installed)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from briefing.cli import cli
from tests.publish.conftest import days_back

HUGO_SITE = Path(__file__).resolve().parents[1] / "data" / "hugo_site"


def _split(post: str) -> tuple[dict[str, object], str]:
    assert post.startswith("---\n")
    head, _, body = post[4:].partition("\n---\n")
    return yaml.safe_load(head), body


def _export(make_site, tmp_path: Path) -> Path:
    config, _ = make_site(days_back(2))
    blog = tmp_path / "blog"
    result = CliRunner().invoke(cli, ["site", "--config", str(config.path), "--hugo", str(blog)])
    assert result.exit_code == 0, result.output
    return blog


def test_front_matter_is_hugo_and_localised(make_site, tmp_path: Path) -> None:
    posts = _export(make_site, tmp_path) / "content" / "posts"
    zh, zh_body = _split((posts / "2026-02-05.md").read_text(encoding="utf-8"))
    en, en_body = _split((posts / "2026-02-05.en.md").read_text(encoding="utf-8"))
    assert zh["categories"] == ["经济日报"] and en["categories"] == ["Daily Economic Briefing"]
    assert "category" not in zh and isinstance(en["tags"], list) and en["tags"]
    assert zh["translationKey"] == en["translationKey"] == "briefing-2026-02-05"
    assert "经济日报" in zh["keywords"]  # type: ignore[operator]
    # nothing Chinese in the English front matter: no seo words, no untranslated markers
    assert "keywords" not in en and "seo" not in en
    assert not re.search(r"[\u4e00-\u9fff]", yaml.safe_dump(en, allow_unicode=True))
    for body in (zh_body, en_body):
        assert not re.search(r"^# ", body, re.M), "the theme prints the title: no second H1"
        assert body.lstrip().startswith("## ")


@pytest.mark.skipif(shutil.which("hugo") is None, reason="hugo is absent (apt-get install hugo)")
def test_a_stock_hugo_site_builds_the_export(make_site, tmp_path: Path) -> None:
    blog = tmp_path / "blog"
    shutil.copytree(HUGO_SITE, blog)
    _export(make_site, tmp_path)
    done = subprocess.run(
        ["hugo", "--source", str(blog), "--destination", str(blog / "public"), "--quiet"],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert done.returncode == 0, done.stderr
    public = blog / "public"
    zh = (public / "posts" / "2026-02-05" / "index.html").read_text(encoding="utf-8")
    en = (public / "en" / "posts" / "2026-02-05" / "index.html").read_text(encoding="utf-8")
    for page in (zh, en):
        assert page.count("<h1") == 1
        assert "<h2" in page and "translation" in page  # the twin is paired by Hugo
    assert 'hreflang="en"' in zh and 'hreflang="zh"' in en
    # the taxonomies are populated, in each language
    categories_zh = (public / "categories" / "index.html").read_text(encoding="utf-8")
    categories_en = (public / "en" / "categories" / "index.html").read_text(encoding="utf-8")
    assert "经济日报" in categories_zh and "Daily Economic Briefing" in categories_en
    assert (public / "en" / "tags" / "index.html").read_text(encoding="utf-8").count("<li>") >= 2
