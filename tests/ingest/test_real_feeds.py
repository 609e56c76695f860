"""The 20 real feed snapshots of ../shared/corpus/real-feeds, served on loopback and fetched
with the clock just after they were taken: every one parses, and admission keeps out what
an editor would (skipped when the corpus is absent)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from briefing.ingest import run_fetch
from briefing.store import Store
from tests.helpers.loopback import LoopbackServer
from tests.ingest.support import write_config

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "real-feeds"
NOW = dt.datetime(2026, 2, 18, 6, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def fetched(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    files = sorted(CORPUS.glob("*.xml")) if CORPUS.is_dir() else []
    if not files:
        pytest.skip("../shared/corpus/real-feeds is absent")
    tmp = tmp_path_factory.mktemp("real")
    with LoopbackServer() as server:
        for f in files:
            server.respond(f"/{f.name}", f.read_bytes(),
                           headers={"Content-Type": "application/rss+xml"})
        sources = [{"id": f.stem[:60], "url": server.url(f"/{f.name}")} for f in files]
        config = write_config(tmp, sources, total_timeout=60)
        with Store.open(config.store_path) as store:
            report = run_fetch(config, store=store, clock=lambda: NOW)
            yield report, store.articles()


def test_every_real_feed_parses(fetched) -> None:  # type: ignore[no-untyped-def]
    report, articles = fetched
    assert report.failed == 0, [r.describe() for r in report.results if r.failed]
    assert len(articles) > 600
    assert all(a.lang == "en" or a.rejected for a in articles)


def test_admission_keeps_out_podcasts_and_old_items(fetched) -> None:  # type: ignore[no-untyped-def]
    _, articles = fetched
    rejected = {a.title: a.rejected for a in articles if a.rejected}
    podcast = next(t for t in rejected if t.startswith("Podcast:"))
    assert rejected[podcast].startswith("podcast:")
    admitted = [a for a in articles if not a.rejected]
    assert len(admitted) > 0.8 * len(articles)  # news feeds are mostly news
    # nothing is dated after the clock, and nothing undated passes for dated
    assert all(a.published <= NOW for a in articles)
