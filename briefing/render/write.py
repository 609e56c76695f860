"""Writing a briefing's editions to disk: OUT/{lang}/{date}/briefing.{md,html,pdf,json}.

Every file is written to a temporary name and renamed into place, so a reader never sees
a half-written file. Everything is rendered before anything is written, so a render
failure writes nothing; and every file is written before any is renamed, so a full disk
or a read-only folder writes nothing either.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from briefing.errors import OutputError, os_error_message
from briefing.model import Briefing

FORMATS: tuple[str, ...] = ("md", "html", "pdf", "json")


def render_edition(
    briefing: Briefing,
    edition: str,
    formats: Sequence[str],
    *,
    footer_md: str | None = None,
    footer_html: str | None = None,
    other_edition_href: str | None = None,
) -> dict[str, bytes]:
    """File name → bytes for one edition."""
    files: dict[str, bytes] = {}
    if "md" in formats:
        from briefing.render.markdown import render_markdown

        files["briefing.md"] = render_markdown(briefing, edition, footer=footer_md).encode("utf-8")
    if "html" in formats:
        from briefing.render.html import render_html

        page = render_html(
            briefing, edition, other_edition_href=other_edition_href, footer_html=footer_html,
            inline_assets=True,
        ).encode("utf-8")
        files["briefing.html"] = page
        files["index.html"] = page
    if "pdf" in formats:
        from briefing.render.pdf import render_pdf

        files["briefing.pdf"] = render_pdf(briefing, edition, footer_html=footer_html)
    if "json" in formats:
        files["briefing.json"] = briefing.to_json().encode("utf-8")
    return files


def write_atomically(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file in the same folder.

    An `OSError` (disk full, read-only folder, ...) becomes an `OutputError` with one
    line that says the fix; the temporary file is removed, `path` is untouched.
    """
    write_all({path: data})


def write_all(files: Mapping[Path, bytes]) -> list[Path]:
    """Write every file or none: all are written to temporary files first, then renamed.

    Should any write fail (the disk fills up halfway, a folder is read-only), every
    temporary file and every folder this call created is removed and an `OutputError`
    is raised, so no partial set of files is left behind (RELIABILITY #44).
    """
    created: list[Path] = []
    staged: list[tuple[Path, Path]] = []
    current: Path | None = None
    try:
        for current, data in files.items():
            _make_folder(current.parent, created)
            staged.append((_write_temporary(current, data), current))
        for tmp, current in staged:
            os.replace(tmp, current)
    except OSError as exc:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        for folder in reversed(created):
            with contextlib.suppress(OSError):
                folder.rmdir()
        message = os_error_message(exc, path=current)
        raise OutputError(f"{message}; nothing was written") from exc
    return [path for _, path in staged]


def _make_folder(folder: Path, created: list[Path]) -> None:
    """`mkdir -p`, remembering each folder it made (to remove them on failure)."""
    missing = []
    for parent in (folder, *folder.parents):
        if parent.is_dir():
            break
        missing.append(parent)
    for path in reversed(missing):
        path.mkdir()
        created.append(path)


def _write_temporary(path: Path, data: bytes) -> Path:
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())  # a full disk can surface only here (delayed allocation)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; published files are readable
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def write_files(folder: Path, files: dict[str, bytes]) -> list[Path]:
    """Write `files` (name → bytes) into `folder`, all or none."""
    return write_all({folder / name: data for name, data in sorted(files.items())})
