"""What a failed store query means, as one line that says what to do.

A query that fails may be a full disk, a read-only file, or a damaged file. A damaged
file is the one to refuse outright: its pages can decode to garbage rows, so the store is
checked with ``PRAGMA quick_check`` as soon as anything fails, and a store that fails
the check, or holds text that is not UTF-8, is refused (RELIABILITY #42, #44).
SQLite's own message is never echoed whole: for a damaged row it quotes the garbage.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from briefing.errors import StorageError

_NOT_TEXT = re.compile(r"Could not decode to UTF-8 column '([^']*)'")
_FIXES = (
    ("database or disk is full", "the disk is full: free some space and run again"),
    ("readonly database", "the store is read-only: make the file and its folder writable"),
    ("disk i/o error", "the disk reported an I/O error: check the disk, then run again"),
    ("unable to open", "the store cannot be opened: check the path and its permissions"),
)
_RESTORE = "restore it from a backup, or move it aside and run `briefing fetch` to start afresh"


def quick_check(db: sqlite3.Connection) -> str:
    """The first problem `PRAGMA quick_check` reports, or "ok"."""
    try:
        row = db.execute("PRAGMA quick_check(1)").fetchone()
    except sqlite3.Error as exc:  # the check itself cannot read the file
        return _one_line(str(exc))
    return _one_line(str(row[0])) if row else "no answer"


def storage_error(db: sqlite3.Connection | None, path: Path, exc: BaseException) -> StorageError:
    """The `StorageError` for a failed query: damaged, full, read-only, or else as SQLite says."""
    text = str(exc)
    lowered = text.lower()
    for needle, fix in _FIXES:
        if needle in lowered:
            return StorageError(f"store failed: {path}: {fix}")
    verdict = quick_check(db) if db is not None else "ok"
    if verdict != "ok":
        return StorageError(f"store is damaged: {path}: PRAGMA quick_check: {verdict}: {_RESTORE}")
    column = _NOT_TEXT.search(text)
    if column:
        return StorageError(
            f"store is damaged: {path}: column {column.group(1)!r} holds bytes that are not "
            f"text: {_RESTORE}"
        )
    return StorageError(f"store failed: {path}: {type(exc).__name__}: {_one_line(text)}")


def _one_line(text: str, limit: int = 160) -> str:
    """`text` on one line, printable, and short: never a page of garbage."""
    line = " ".join(text.split())
    line = "".join(ch if ch.isprintable() and ch != "\ufffd" else "?" for ch in line)
    return line if len(line) <= limit else line[: limit - 1] + "…"
