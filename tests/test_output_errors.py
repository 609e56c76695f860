"""Full disks, read-only folders and damaged stores give one line, exit 1, and no debris.

RELIABILITY #44 (disk full, read-only output) and #42 (a store that is not sound). The
disk-full and read-only cases use a real tmpfs when this machine lets the tests mount
one (root in a container usually can), and skip otherwise; the all-or-nothing writer is
also tested by making its third write fail, which runs everywhere.
"""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from briefing.errors import OutputError, StorageError
from briefing.render import write
from briefing.store import Store

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
DATE = "2026-02-05"


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "briefing", *args], capture_output=True, text=True, timeout=300,
        cwd=cwd,
    )


@pytest.fixture(scope="module")
def fetched(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A config whose store holds the sample articles (fetched once for the module)."""
    root = tmp_path_factory.mktemp("store")
    config = root / "feeds.yaml"
    config.write_text(
        f"settings:\n  store: {root / 'store.sqlite'}\n  local_root: {SAMPLES}\n"
        "sources:\n  - id: samples\n    name: Sample articles\n    path: articles\n"
        "site:\n  base_url: https://briefing.test.invalid/daily/\n",
        encoding="utf-8",
    )
    assert _run("fetch", "-q", "--config", str(config), cwd=root).returncode == 0
    return config


def _mount(path: Path, options: str) -> Iterator[Path]:
    path.mkdir()
    if shutil.which("mount") is None or os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root and mount(8)")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(path)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 64 KiB file system: the sample day's files do not fit."""
    yield from _mount(tmp_path / "small", "size=64k")


@pytest.fixture
def read_only_disk(tmp_path: Path) -> Iterator[Path]:
    yield from _mount(tmp_path / "ro", "size=1m,ro")


def test_44_disk_full_under_build_out_is_one_line_and_leaves_nothing(
    fetched: Path, small_disk: Path
) -> None:
    run = _run("build", "--config", str(fetched), "--date", DATE, "--format", "md,html,json",
               "--out", str(small_disk / "out"), cwd=small_disk.parent)
    assert run.returncode == 1
    assert run.stderr.count("\n") == 1 and "Traceback" not in run.stderr, run.stderr
    assert run.stderr.startswith(f"error: cannot write: {small_disk}/out/")
    assert "No space left on device (ENOSPC): the disk is full: free some space" in run.stderr
    assert "nothing was written" in run.stderr and run.stdout == ""
    assert list(small_disk.iterdir()) == []  # no partial file, no temporary, no empty folder


def test_44_a_read_only_output_folder_is_one_line(fetched: Path, read_only_disk: Path) -> None:
    run = _run("build", "--config", str(fetched), "--date", DATE, "--format", "md",
               "--out", str(read_only_disk / "out"), cwd=read_only_disk.parent)
    assert run.returncode == 1
    assert run.stderr == (
        f"error: cannot write: {read_only_disk}/out: Read-only file system (EROFS): the file "
        "system is read-only: choose a writable folder (--out DIR); nothing was written\n"
    )


def test_44_site_on_a_full_disk_is_one_line_and_keeps_no_staging(
    fetched: Path, small_disk: Path
) -> None:
    assert _run("build", "--config", str(fetched), "--date", DATE, "--format", "json",
                "--out", str(small_disk.parent / "day"), cwd=small_disk.parent).returncode == 0
    run = _run("site", "--config", str(fetched), "--out", str(small_disk / "site"),
               cwd=small_disk.parent)
    assert run.returncode == 1 and run.stderr.count("\n") == 1, run.stderr
    assert "No space left on device (ENOSPC)" in run.stderr and "Traceback" not in run.stderr
    # Only the lock file that `site` shares with `nightly` remains: no release, no staging
    # (compiled templates may stay in the releases' cache: they are not part of the site).
    left = [p for p in small_disk.rglob("*") if p.is_file() and ".cache" not in p.relative_to(small_disk).parts]
    assert [p.name for p in left] == ["site.lock"]


def test_the_writer_is_all_or_nothing_when_a_later_write_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where no tmpfs can be mounted: the third of four files hits a full disk."""
    real = write._write_temporary
    calls: list[Path] = []

    def fill_up(path: Path, data: bytes) -> Path:
        calls.append(path)
        if len(calls) == 3:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(path, data)

    monkeypatch.setattr(write, "_write_temporary", fill_up)
    (tmp_path / "out" / "zh").mkdir(parents=True)
    old = tmp_path / "out" / "zh" / "briefing.md"
    old.write_bytes(b"yesterday's file")
    files = {
        old: b"new",
        tmp_path / "out" / "zh" / "briefing.json": b"{}",
        tmp_path / "out" / "en" / "2026" / "briefing.md": b"new",
        tmp_path / "out" / "en" / "2026" / "briefing.json": b"{}",
    }
    with pytest.raises(OutputError, match=r"en/2026/briefing.md: No space left on device \(ENOSPC\)"):
        write.write_all(files)
    assert old.read_bytes() == b"yesterday's file"
    assert sorted(p.name for p in (tmp_path / "out").rglob("*")) == ["briefing.md", "zh"]


def _damage_text(store_path: Path, needle: bytes) -> None:
    """Overwrite bytes inside a stored text value with bytes that are not UTF-8."""
    data = bytearray(store_path.read_bytes())
    at = data.find(needle)
    assert at > 0, needle
    data[at : at + len(needle)] = b"\xff\xfe" * (len(needle) // 2) + b"\xff" * (len(needle) % 2)
    store_path.write_bytes(bytes(data))


def _copy_store(fetched: Path, tmp_path: Path) -> tuple[Path, Path]:
    store = tmp_path / "store.sqlite"
    with sqlite3.connect(fetched.parent / "store.sqlite") as source, sqlite3.connect(store) as copy:
        source.backup(copy)
    config = tmp_path / "feeds.yaml"
    config.write_text(
        fetched.read_text(encoding="utf-8").replace(str(fetched.parent / "store.sqlite"), str(store)),
        encoding="utf-8",
    )
    return config, store


def test_42_a_store_holding_garbage_text_is_refused_in_one_line(fetched: Path, tmp_path: Path) -> None:
    config, store = _copy_store(fetched, tmp_path)
    with sqlite3.connect(store) as db:
        title = db.execute("SELECT title FROM articles ORDER BY id LIMIT 1").fetchone()[0]
    _damage_text(store, title.encode("utf-8")[:12])
    run = _run("articles", "--config", str(config), cwd=tmp_path)
    assert run.returncode == 1 and run.stdout == ""
    assert run.stderr.count("\n") == 1 and "\ufffd" not in run.stderr, run.stderr
    assert run.stderr.startswith(f"error: store is damaged: {store}: column '")
    assert "' holds bytes that are not text" in run.stderr
    assert "restore it from a backup" in run.stderr


def test_42_a_store_with_broken_pages_fails_quick_check_and_is_refused(
    fetched: Path, tmp_path: Path
) -> None:
    config, store = _copy_store(fetched, tmp_path)
    with sqlite3.connect(store) as db:
        page_size = db.execute("PRAGMA page_size").fetchone()[0]
        root = db.execute("SELECT rootpage FROM sqlite_master WHERE name = 'articles'").fetchone()[0]
    data = bytearray(store.read_bytes())
    # Scramble the cell pointers of the articles table's root page: the b-tree is broken.
    start = (root - 1) * page_size + (100 if root == 1 else 0)
    data[start + 8 : start + 40] = bytes(range(200, 232))
    store.write_bytes(bytes(data))
    before = store.read_bytes()
    with Store.open(store) as opened, pytest.raises(StorageError) as info:
        opened.articles_between(*_window())
    message = str(info.value)
    assert message.startswith(f"store is damaged: {store}: PRAGMA quick_check: ")
    assert "\n" not in message
    assert store.read_bytes() == before  # refused, never repaired or rewritten
    run = _run("articles", "--config", str(config), cwd=tmp_path)
    assert run.returncode == 1 and run.stderr.startswith("error: store is damaged:"), run.stderr


def _window() -> tuple[object, object]:
    import datetime as dt

    return dt.datetime(2000, 1, 1, tzinfo=dt.UTC), dt.datetime(2100, 1, 1, tzinfo=dt.UTC)
