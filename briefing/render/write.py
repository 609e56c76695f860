"""Writing a briefing's editions to disk: OUT/{lang}/{date}/briefing.{md,html,pdf,json}.

Every file is written to a temporary name and renamed into place, so a reader never sees
a half-written file. Everything is rendered before anything is written, so a render
failure writes nothing.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

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
            briefing, edition, other_edition_href=other_edition_href, footer_html=footer_html
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
    """Write `data` to `path` through a temporary file in the same folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; published files are readable
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def write_files(folder: Path, files: dict[str, bytes]) -> list[Path]:
    written = []
    for name, data in sorted(files.items()):
        write_atomically(folder / name, data)
        written.append(folder / name)
    return written
