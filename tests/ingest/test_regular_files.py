"""Local sources read regular files only: a FIFO in the folder never blocks `fetch`."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from briefing.ingest import run_fetch
from briefing.ingest.regular import read_regular
from briefing.store import Store
from tests.ingest.support import clock, write_config


def test_a_fifo_among_the_articles_is_skipped_with_a_warning(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir(parents=True)
    (folder / "a.md").write_text("---\ntitle: Harbour reopens\n---\nShips move again.\n")
    os.mkfifo(folder / "b.md")  # nobody ever writes to it: reading it would block forever
    config = write_config(tmp_path, [{"id": "local", "path": "articles"}])
    with Store.open(config.store_path) as store:
        result = run_fetch(config, store=store, clock=clock).result("local")
        assert result.status == "ok" and result.new == 1
        assert any("b.md" in w and "not a regular file" in w for w in result.warnings)
        assert [a.title for a in store.articles()] == ["Harbour reopens"]


def test_read_regular_refuses_devices_and_oversized_files(tmp_path: Path) -> None:
    with pytest.raises(OSError, match="not a regular file"):
        read_regular(Path("/dev/zero"), 1024)
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * 2048)
    with pytest.raises(OSError, match="larger than 1024 bytes"):
        read_regular(big, 1024)
    assert read_regular(big, 4096) == b"x" * 2048
