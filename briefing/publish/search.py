"""Search across the archive: Pagefind indexes built into each release, one per month and
edition, so a day's change re-indexes one month of one language's pages, not the archive.

Pagefind (PyPI ``pagefind[extended]``, which ships the binary; the extended build
segments Chinese) reads the day pages of the staging folder and writes
``pagefind/{edition}/{YYYY-MM}/``: a bundle holding one month of one edition. The search
page loads the newest month as its primary bundle and merges the others with Pagefind's
``mergeIndex`` (its multisite search), so a reader on the English index searches every
English day and one on the Chinese index every Chinese day. A bundle whose days are all
unchanged (same day keys, same Pagefind) is hard-linked from the live release instead of
being indexed again. The day template marks what is indexed (``data-pagefind-body`` on
the briefing, the table of contents and the impact map ignored) and the date to sort by.

The search page loads the index with ``fetch``, which browsers refuse on ``file://``:
search needs the site served over HTTP (any static server, ``briefing serve``); the page
says so instead of failing.
"""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import hashlib
import json
import os
import shutil
import subprocess
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path

from briefing.errors import PublishError

OUTPUT = "pagefind"


def edition_slug(edition: str) -> str:
    """The folder of an edition (pages.edition_slug, without importing the page code)."""
    return edition.lower()


def month(day: dt.date) -> str:
    return day.isoformat()[:7]


def bundle(edition: str, month_: str) -> str:
    """The bundle's folder relative to the site root: ``pagefind/en/2026-02``."""
    return f"{OUTPUT}/{edition_slug(edition)}/{month_}"


def months(days: Iterable[dt.date]) -> list[str]:
    """The months that have days, newest first (the search page's bundle order)."""
    return sorted({month(d) for d in days}, reverse=True)


def pagefind_binary() -> Path:
    """The Pagefind executable of the installed pip package."""
    try:
        from pagefind.service import get_executable
    except ImportError as exc:
        raise PublishError(
            "site.search is on but Pagefind is not installed: pip install 'pagefind[extended]'"
            " (or set site.search: false)"
        ) from exc
    path = get_executable()
    if path is None or not Path(path).is_file():
        raise PublishError("Pagefind's binary is missing: pip install --force-reinstall 'pagefind[extended]'")
    return Path(path)


def bundle_keys(
    languages: Sequence[str], day_keys: Mapping[dt.date, str], binary: Path
) -> dict[str, str]:
    """Each bundle's input: the keys of its days (which cover the pages' bytes) and the
    Pagefind binary; an equal key means the live release's bundle can be reused."""
    tool = hashlib.sha256(f"{binary.name}:{binary.stat().st_size}:{binary.stat().st_mtime_ns}".encode())
    grouped: dict[str, list[str]] = {}
    for day in sorted(day_keys):
        for edition in languages:
            grouped.setdefault(bundle(edition, month(day)), []).append(f"{day.isoformat()}:{day_keys[day]}")
    return {
        rel: hashlib.sha256(tool.digest() + "\n".join(keys).encode()).hexdigest()
        for rel, keys in grouped.items()
    }


class Indexing:
    """Pagefind runs in progress; `wait()` returns the bundles they indexed or raises the
    first failure. Each run is a subprocess watched by a thread, so the build goes on
    writing the rest of the release meanwhile."""

    def __init__(self, todo: list[str], pool: concurrent.futures.ThreadPoolExecutor | None,
                 futures: list[concurrent.futures.Future[None]]) -> None:
        self.todo = todo
        self._pool = pool
        self._futures = futures

    def wait(self) -> list[str]:
        try:
            for future in self._futures:
                future.result()
        finally:
            self.close()
        return self.todo

    def close(self) -> None:
        """Stop starting runs and wait for those started (a failed build discards the
        staging folder only after Pagefind has stopped writing into it)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


def start_index(
    site: Path,
    keys: Mapping[str, str],
    *,
    live: Path | None = None,
    previous: Mapping[str, str] | None = None,
    link: Callable[[Path, str], object] | None = None,
    timeout: float = 300,
    workers: int | None = None,
) -> Indexing:
    """Start writing every bundle of `keys` under `site`: linked from `live` when its key
    matches `previous` (via `link(source_dir, rel_dir)`, done before this returns), else
    indexed by Pagefind, one run per CPU at a time, in the background."""
    binary = pagefind_binary()
    todo: list[str] = []
    for rel, key in sorted(keys.items()):
        source = live / rel if live is not None else None
        if (
            previous is not None and previous.get(rel) == key and source is not None and link is not None
            and (source / "pagefind-entry.json").is_file()
        ):
            link(source, rel)
        else:
            todo.append(rel)
    if not todo:
        return Indexing(todo, None, [])
    count = max(1, min(workers or os.cpu_count() or 1, len(todo)))
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=count)
    futures = [pool.submit(_index_bundle, binary, site, rel, timeout) for rel in todo]
    return Indexing(todo, pool, futures)


def _index_bundle(binary: Path, site: Path, rel: str, timeout: float) -> None:
    _, slug, month_ = rel.split("/")
    # A recycled release may hold this bundle's last version, hard links the live release
    # may share: unlinked, never written over.
    shutil.rmtree(site / rel, ignore_errors=True)
    command = [
        str(binary),
        "--site", str(site),
        "--glob", f"{slug}/{month_}-[0-9][0-9]/index.html",
        "--output-subdir", rel,
        "--silent",
    ]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired as exc:
        raise PublishError(f"search index {rel}: Pagefind took over {timeout:g} s: nothing was published") from exc
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
        raise PublishError(f"search index {rel}: Pagefind failed ({done.returncode}): {' / '.join(tail)}")
    if not (site / rel / "pagefind-ui.js").is_file():
        raise PublishError(f"search index {rel}: Pagefind wrote no index (no day pages?)")
    _stable_entry(site / rel / "pagefind-entry.json")


def _stable_entry(path: Path) -> None:
    """Pagefind lists the languages in hash-map order; sort them so rebuilds are byte-identical."""
    data = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")), encoding="utf-8")
