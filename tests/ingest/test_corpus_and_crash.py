"""The feedparser test corpus goes through without crash or mojibake; a SIGKILL mid-fetch
leaves a sound store that a rerun brings to the clean-run state (cases 41, 40)."""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from briefing.errors import ParseError, StorageError
from briefing.ingest import run_fetch
from briefing.ingest.encoding import plausibility
from briefing.ingest.feeds import parse_feed
from briefing.store import Store
from tests.helpers.loopback import LoopbackServer, loopback_server_fixture  # noqa: F401
from tests.ingest.support import clock, write_config

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "feedparser-tests"
CORPUS_FILES = (
    sorted([*(CORPUS / "encoding").glob("*.xml"), *(CORPUS / "illformed").rglob("*.xml")])
    if CORPUS.is_dir()
    else []
)


@pytest.mark.skipif(not CORPUS_FILES, reason="../shared/corpus/feedparser-tests is absent")
@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_feedparser_corpus(path: Path) -> None:
    data = path.read_bytes()
    header = re.search(rb"Header:\s*Content-type:\s*(.*)", data)
    ctype = header.group(1).decode().strip() if header else None
    try:
        raws, _ = parse_feed(data, content_type=ctype, url=None, zone=ZoneInfo("UTC"))
    except ParseError:
        return  # refusing a broken document is fine; crashing or garbling is not
    for raw in raws:
        for text in (raw.title, raw.html or ""):
            assert plausibility(text) > 0.5, text


def test_parse_feed_gets_bytes_only(monkeypatch: pytest.MonkeyPatch) -> None:
    import feedparser

    seen = []
    real = feedparser.parse
    monkeypatch.setattr(feedparser, "parse", lambda src, **kw: seen.append(src) or real(src, **kw))
    parse_feed(
        b'<rss version="2.0"><channel><title>t</title></channel></rss>',
        content_type=None,
        url="http://x/",
        zone=ZoneInfo("UTC"),
    )
    assert seen and all(not isinstance(s, str) for s in seen)


def _snapshot(path: Path) -> list[tuple]:
    db = sqlite3.connect(path)
    try:
        return db.execute(
            "SELECT id, source_id, url, title, published, text, content_hash FROM articles ORDER BY id"
        ).fetchall()
    finally:
        db.close()


def _feed(n: int, source: int) -> bytes:
    items = "".join(
        f"<item><title>Story {source}-{i}</title><guid>s{source}-{i}</guid>"
        f"<pubDate>Wed, 04 Feb 2026 10:{i % 60:02d}:00 +0000</pubDate>"
        f"<description>Body of story {i} from source {source}. {'Words. ' * 30}</description></item>"
        for i in range(n)
    )
    return f'<rss version="2.0"><channel><title>S{source}</title>{items}</channel></rss>'.encode()


SCRIPT = """
import sys
from briefing.config import load_config
from briefing.ingest import run_fetch
from briefing.store import Store
config = load_config(sys.argv[1])
with Store.open(config.store_path) as store:
    run_fetch(config, store=store, progress=lambda r: print(r.source_id, flush=True))
"""


def test_kill_mid_fetch_then_rerun_matches_a_clean_run(
    tmp_path: Path, loopback_server: LoopbackServer
) -> None:
    for s in range(12):
        loopback_server.respond(
            f"/f{s}", _feed(40, s), headers={"Content-Type": "application/rss+xml"}, delay=0.05 * s
        )
    sources = [{"id": f"s{s}", "url": loopback_server.url(f"/f{s}")} for s in range(12)]
    crashed = write_config(tmp_path / "crashed", sources, concurrency=2)
    clean = write_config(tmp_path / "clean", sources, concurrency=2)
    root = Path(__file__).resolve().parents[2]
    proc = subprocess.Popen(
        [sys.executable, "-c", SCRIPT, str(crashed.path)],
        cwd=root,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(root)},
    )
    try:
        assert proc.stdout is not None
        proc.stdout.readline()  # one source is done: the run is in the middle
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(timeout=10)
    assert proc.returncode == -signal.SIGKILL
    db = sqlite3.connect(crashed.store_path)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    partial = db.execute("SELECT count(*) FROM articles").fetchone()[0]
    db.close()
    assert 0 < partial < 12 * 40
    with Store.open(crashed.store_path) as store:
        report = run_fetch(crashed, store=store, clock=clock)
        assert report.failed == 0
        assert store.integrity_check() == "ok"
    with Store.open(clean.store_path) as store:
        run_fetch(clean, store=store, clock=clock)
    assert _snapshot(crashed.store_path) == _snapshot(clean.store_path)
    assert len(_snapshot(clean.store_path)) == 12 * 40


def test_failure_between_articles_and_watermark_costs_a_refetch(
    tmp_path: Path, loopback_server: LoopbackServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    loopback_server.conditional(
        "/f", _feed(5, 1), etag='"e1"', headers={"Content-Type": "application/rss+xml"}
    )
    config = write_config(tmp_path, [{"id": "one", "url": loopback_server.url("/f")}])
    real = Store.save_source_state

    def broken(self: Store, state) -> None:  # noqa: ANN001
        raise StorageError("disk went away")

    with Store.open(config.store_path) as store:
        monkeypatch.setattr(Store, "save_source_state", broken)
        with pytest.raises(StorageError):
            run_fetch(config, store=store, clock=clock)
        monkeypatch.setattr(Store, "save_source_state", real)
        assert store.source_state("one") is None  # the watermark did not move
        assert store.articles() == []  # ... and took its articles back with it: nothing half-done
        report = run_fetch(config, store=store, clock=clock)
        assert report.result("one").status == "ok"  # refetched in full, not a 304
        assert (report.new, report.updated) == (5, 0) and len(store.articles()) == 5
        assert store.source_state("one").etag == '"e1"'
    assert "if-none-match" not in loopback_server.requests[1].headers
