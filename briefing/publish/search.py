"""Search across the archive: a Pagefind index built into each release.

Pagefind (PyPI ``pagefind[extended]``, which ships the binary; the extended build
segments Chinese) reads the day pages of the staging folder and writes
``pagefind/``: a static index split per language (by ``<html lang>``), so a reader on
the English index searches English days and one on the Chinese index Chinese days. The
day template marks what is indexed (``data-pagefind-body`` on the briefing, the table of
contents and the impact map ignored) and the date to sort by.

The search page loads the index with ``fetch``, which browsers refuse on ``file://``:
search needs the site served over HTTP (any static server, ``briefing serve``); the page
says so instead of failing.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Sequence
from pathlib import Path

from briefing.errors import PublishError
from briefing.publish.pages import edition_slug

OUTPUT = "pagefind"


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


def build_index(site: Path, languages: Sequence[str], *, timeout: float = 300) -> None:
    """Index the day pages of `site` into `site/pagefind/`."""
    slugs = ",".join(edition_slug(e) for e in languages)
    glob = f"{{{slugs}}}/[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]/index.html"
    command = [
        str(pagefind_binary()),
        "--site", str(site),
        "--glob", glob,
        "--output-subdir", OUTPUT,
        "--silent",
    ]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired as exc:
        raise PublishError(f"search index: Pagefind took over {timeout:g} s: nothing was published") from exc
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
        raise PublishError(f"search index: Pagefind failed ({done.returncode}): {' / '.join(tail)}")
    if not (site / OUTPUT / "pagefind-ui.js").is_file():
        raise PublishError("search index: Pagefind wrote no index (no day pages?)")
    _stable_entry(site / OUTPUT / "pagefind-entry.json")


def _stable_entry(path: Path) -> None:
    """Pagefind lists the languages in hash-map order; sort them so rebuilds are byte-identical."""
    data = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")), encoding="utf-8")
