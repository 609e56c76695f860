"""The publishing lock and what `briefing nightly`, `site` and `serve` share about it.

Kept apart from the nightly pipeline so that `briefing site`, which only needs the lock,
imports neither the gate nor the model to take it.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path
from typing import Any

from briefing.errors import LockHeldError


class ExitCode(IntEnum):
    """What `briefing nightly` tells the scheduler."""

    OK = 0  # published (or nothing changed)
    FAILED = 1  # nothing new published; the live site is the last good one
    USAGE = 2  # bad command line (click's usage errors)
    DEGRADED = 3  # published, but degraded (e.g. LLM fell back), and --strict was given
    LOCKED = 75  # EX_TEMPFAIL: another nightly holds the lock; try again later


@dataclass(frozen=True)
class NightlyPaths:
    out: Path
    lock: Path
    log: Path
    manifest: Path

    @classmethod
    def from_config(cls, config: Any, out: Path | None = None) -> NightlyPaths:
        site = config.site
        out = Path(os.path.abspath(out if out is not None else config.resolve(site.out)))

        def beside(value: str | None, suffix: str) -> Path:
            return config.resolve(value) if value else out.parent / f"{out.name}{suffix}"

        return cls(
            out=out,
            lock=beside(site.lock_file, ".lock"),
            log=beside(site.log_file, ".log"),
            manifest=beside(site.manifest_file, ".manifest.json"),
        )



@contextlib.contextmanager
def nightly_lock(path: Path, wait: float | None = None) -> Iterator[None]:
    """Hold an exclusive flock on `path`; the kernel drops it if the process dies."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + (wait or 0)
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                    raise
                if time.monotonic() >= deadline:
                    holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "?"
                    waited = f" after waiting {wait:g}s" if wait else ""
                    raise LockHeldError(
                        f"lock held by pid {holder}{waited}: {path}: another run (nightly, site"
                        " or serve) is publishing; try again later or pass --wait SECONDS"
                    ) from exc
                time.sleep(0.1)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(fd)
