"""`briefing sources import/export`: OPML into feeds.yaml (comments kept) and back out."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.config import load_config
from briefing.opml import OpmlError, parse_opml, same_feed_key
from tests.helpers.cli import nowhere_fixture, run  # noqa: F401

OPML = Path(__file__).resolve().parent / "data" / "opml" / "reader-export.opml"


@pytest.fixture
def project(nowhere: Path) -> Path:
    assert run("init").exit_code == 0
    return nowhere / "feeds.yaml"


def test_parse_reader_export() -> None:
    parsed = parse_opml(OPML.read_bytes())
    assert parsed.title == "My subscriptions"
    names = [f.name for f in parsed.feeds]
    assert "Financial Times: Markets" in names and "iThome 新聞" in names
    ft = next(f for f in parsed.feeds if f.name.startswith("Financial Times"))
    assert ft.url == "https://www.ft.com/markets?format=rss&edition=international"
    assert ft.folders == ("Markets",)
    blog = next(f for f in parsed.feeds if f.name == "Calculated Risk")
    assert blog.folders == ("Markets", "Macro blogs")
    assert next(f for f in parsed.feeds if f.name.startswith("iThome")).lang == "zh-Hant"
    assert len(parsed.feeds) == 10
    assert len(parsed.skipped) == 2  # the link outline and the javascript: "feed"
    assert any("javascript" in s for s in parsed.skipped)


def test_import_merges_and_keeps_every_comment(project: Path) -> None:
    before = project.read_text(encoding="utf-8")
    result = run("sources", "import", str(OPML))
    assert result.exit_code == 0, result.output
    after = project.read_text(encoding="utf-8")
    # The original text is still there, byte for byte; the new sources follow it.
    assert after.startswith(before.rstrip("\n"))
    assert "# --- imported from reader-export.opml on " in after
    assert "8 added, 2 already listed, 2 skipped" in result.stdout
    assert "already listed as bbc-business: http://feeds.bbci.co.uk/news/business/rss.xml/" in result.stdout
    assert "already listed as dw-chinese" in result.stdout
    config = load_config(project)
    by_id = {s.id: s for s in config.sources}
    assert by_id["financial-times-markets"].section == "markets"
    assert by_id["calculated-risk"].section == "markets"  # the outer folder names a section
    assert by_id["ithome"].lang == "zh-Hant"
    assert by_id["36kr-com"].name == "36氪"  # a Chinese name: the id comes from the host
    assert by_id["bbc-business"].url == "https://feeds.bbci.co.uk/news/business/rss.xml"

    again = run("sources", "import", str(OPML))
    assert again.exit_code == 0
    assert "0 added, 10 already listed" in again.stdout
    assert project.read_text(encoding="utf-8") == after


def test_export_then_import_round_trip(project: Path, tmp_path: Path) -> None:
    assert run("sources", "import", str(OPML)).exit_code == 0
    exported = tmp_path / "out.opml"
    result = run("sources", "export", "-o", str(exported))
    assert result.exit_code == 0, result.output
    config = load_config(project)
    listed = {same_feed_key(s.url) for s in config.sources if s.url and s.enabled}
    parsed = parse_opml(exported.read_bytes())
    assert {same_feed_key(f.url) for f in parsed.feeds} == listed
    assert {f.folders for f in parsed.feeds} >= {("English",), ("中文（简体）",)}
    # A fresh project takes the export whole: every feed of the first project, nothing lost.
    other = tmp_path / "other"
    assert run("init", str(other)).exit_code == 0
    merged = run("sources", "import", str(exported), "--config", str(other / "feeds.yaml"))
    assert merged.exit_code == 0, merged.output
    second = load_config(other / "feeds.yaml")
    assert {same_feed_key(s.url) for s in second.sources if s.url} == listed


def test_dry_run_changes_nothing(project: Path) -> None:
    before = project.read_text(encoding="utf-8")
    result = run("sources", "import", "--dry-run", str(OPML))
    assert result.exit_code == 0 and "would add financial-times-markets" in result.stdout
    assert project.read_text(encoding="utf-8") == before


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"<html><body>not opml</body></html>", "not <opml>"),
        (b"<opml><body><outline", "not well-formed"),
        (b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;'
         b'&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;'
         b'&c;&c;&c;&c;&c;"><!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;'
         b'&e;&e;&e;&e;&e;&e;"><!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">]>'
         b'<opml><body><outline text="&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;" xmlUrl="https://x.net/"/></body></opml>',
         "not well-formed"),
    ],
)
def test_bad_opml_is_refused_and_loses_nothing(project: Path, tmp_path: Path, content: bytes,
                                               reason: str) -> None:
    bad = tmp_path / "bad.opml"
    bad.write_bytes(content)
    before = project.read_text(encoding="utf-8")
    result = run("sources", "import", str(bad))
    assert result.exit_code == 1
    assert f"cannot import {bad}" in str(result.exception)
    assert project.read_text(encoding="utf-8") == before
    with pytest.raises(OpmlError, match=reason.split()[0]):
        parse_opml(content)
