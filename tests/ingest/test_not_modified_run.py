"""A run where every feed answers 304: no parsing stack in the parent, states in one write;
a first run (nothing to send If-None-Match with) forks its workers with the stack loaded."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from briefing.store import Store
from tests.helpers.loopback import LoopbackServer, loopback_server_fixture  # noqa: F401
from tests.ingest.support import write_config

FEED = (Path(__file__).resolve().parents[1] / "data" / "feeds" / "basic.xml").read_bytes()
ROOT = Path(__file__).resolve().parents[2]
PARSING = {"feedparser", "nh3", "opencc", "py3langid", "charset_normalizer", "dateparser"}
# runs `briefing fetch` and prints which of the parsing libraries the process imported
FETCH = (
    "import atexit, sys\n"
    f"atexit.register(lambda: print('LOADED', sorted(set(sys.modules) & {PARSING!r})))\n"
    "from briefing.cli import main\n"
    "main()\n"
)


def _fetch(config: Path) -> str:
    done = subprocess.run(
        [sys.executable, "-c", FETCH, "fetch", "--config", str(config)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_all_304_run_imports_no_parser_and_records_every_source(
    tmp_path: Path, loopback_server: LoopbackServer
) -> None:
    sources = []
    for i in range(3):
        loopback_server.conditional(
            f"/f{i}", FEED, etag=f'"v{i}"', headers={"Content-Type": "application/rss+xml"}
        )
        sources.append({"id": f"f{i}", "url": loopback_server.url(f"/f{i}")})
    config = write_config(tmp_path, sources, parse_workers=2)  # worker processes, as in use
    first = _fetch(config.path)
    # new sources will surely be parsed: the workers are forked with the stack imported
    assert "3 ok" in first and "'feedparser'" in first
    with Store.open(config.store_path) as store:
        before = {s.id: s.last_checked for s in store.sources()}
    second = _fetch(config.path)
    assert "3 not modified" in second and "LOADED []" in second
    with Store.open(config.store_path) as store:
        after = {s.id: s for s in store.sources()}
    assert set(after) == {"f0", "f1", "f2"}
    for sid, state in after.items():
        assert state.last_checked is not None and state.last_checked > before[sid]
        assert state.etag == f'"v{sid[1]}"' and state.entries == 2  # the 200's count stays
