"""Every feed fixture in tests/data/feeds, served over a real loopback server and fetched
with `run_fetch` in one run; each result is checked against its `.expect.json` sibling."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from briefing.ingest import run_fetch
from briefing.store import Store
from tests.helpers.loopback import LoopbackServer
from tests.ingest.support import NOW, clock, write_config

FEEDS = Path(__file__).resolve().parents[1] / "data" / "feeds"
FIXTURES = sorted(
    p for p in FEEDS.iterdir() if p.suffix in (".xml", ".json", ".html") and ".expect" not in p.name
)


def _sid(path: Path) -> str:
    return path.stem.replace("_", "-")


@pytest.fixture(scope="module")
def fetched(tmp_path_factory: pytest.TempPathFactory) -> Any:
    tmp = tmp_path_factory.mktemp("fixtures")
    with LoopbackServer() as server:
        sources = []
        for path in FIXTURES:
            expect = json.loads(path.with_name(f"{path.stem}.expect.json").read_text("utf-8"))
            server.respond(
                f"/{path.name}", path.read_bytes(), headers={"Content-Type": expect["content_type"]}
            )
            sources.append({"id": _sid(path), "url": server.url(f"/{path.name}")})
        config = write_config(tmp, sources)
        with Store.open(config.store_path) as store:
            report = run_fetch(config, store=store, clock=clock)
            articles = {s["id"]: store.articles(source_id=s["id"]) for s in sources}
            states = {s.id: s for s in store.sources()}
        yield report, articles, states, server


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs.extend((k, v or "") for k, v in attrs)


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_fixture(path: Path, fetched: Any) -> None:
    report, articles, states, _ = fetched
    expect = json.loads(path.with_name(f"{path.stem}.expect.json").read_text("utf-8"))
    result = report.result(_sid(path))
    stored = articles[_sid(path)]
    if "error" in expect:
        assert result.status == "error"
        assert result.error_type == expect["error"]
        assert expect["message"] in result.error
        assert stored == []  # nothing stored, not even entries parsed before the damage
        state = states[_sid(path)]
        assert state.last_error_type == expect["error"] and state.last_error_at == NOW
        return
    assert result.status == "ok", result.error
    if "titles" in expect:
        assert sorted(a.title for a in stored) == sorted(expect["titles"])
    by_title = {a.title: a for a in stored}
    ordered = [by_title[t] for t in expect.get("titles", [])]
    if "urls" in expect:
        assert [a.url for a in ordered] == expect["urls"]
    if "langs" in expect:
        assert [a.lang for a in ordered] == expect["langs"]
    if "title_norm" in expect:
        assert [a.title_norm for a in ordered] == expect["title_norm"]
    if "rejected" in expect:
        assert [a.rejected.split(":")[0] if a.rejected else None for a in ordered] == expect[
            "rejected"
        ]
    for article, parallel in zip(ordered, expect.get("parallel", []), strict=False):
        got = article.parallel
        assert got is not None, article.title
        assert (got.lang, got.title, got.text) == (
            parallel["lang"], parallel["title"], parallel["text"]
        )
    if "source_name" in expect:
        assert {a.source_name for a in stored} == {expect["source_name"]}
    if "source_stale" in expect:
        assert states[_sid(path)].stale == expect["source_stale"]
    if "date_inferred" in expect:
        assert [a.date_inferred for a in ordered] == expect["date_inferred"]
    for article, utc in zip(ordered, expect.get("published_utc", []), strict=False):
        if utc is None:
            assert article.published == NOW  # first seen (or clamped), never the future
        else:
            assert article.published.isoformat() == utc
    for article in stored:
        assert article.published.tzinfo is not None
        assert "\ufffd" not in article.title + article.text
        assert len(article.title) <= expect.get("max_title_chars", 500)
        for word in expect.get("not_in_text", []):
            assert word not in article.text and word not in article.title
        if expect.get("no_controls"):
            assert not any(ord(c) < 32 and c not in "\t\n" for c in article.title + article.text)
        if article.html:
            tags = _Tags()
            tags.feed(article.html)
            assert not {"script", "iframe", "form", "input", "object", "style"} & set(tags.tags)
            for name, value in tags.attrs:
                assert not name.startswith("on") and name != "style"
                assert not value.strip().lower().startswith(("javascript:", "file:", "data:"))
                assert "169.254.169.254" not in value
    for fragment in expect.get("warnings_contain", []):
        assert any(fragment in w for w in result.warnings)


def test_entity_bomb_and_xxe_make_no_requests(fetched: Any) -> None:
    """Entity bombs are not expanded and external entities never fetched (cases 15, 16)."""
    _, articles, _, server = fetched
    assert all(p.lstrip("/") in {f.name for f in FIXTURES} for p in server.paths())
    for article in articles["entity-bomb"]:
        assert "lollollol" not in article.title
