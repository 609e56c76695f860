"""`briefing site --hugo DIR`: the posts as Hugo (or Hexo) content files.

Each day becomes ``DIR/content/posts/{date}.md`` in the default edition, and its twins
``{date}.{lang}.md`` (e.g. ``2026-02-05.en.md``): Hugo's translation-by-filename
convention, so a multilingual Hugo site pairs them by itself. The files hold exactly the
output of `render_markdown`, the 经济日报 front matter included.

Files are rewritten only when their bytes change (so a blog's own build stays
incremental) and each write is atomic (temp file + rename).
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from briefing.model import Briefing
from briefing.publish.atomic import check_segment
from briefing.publish.pages import edition_slug


def post_name(day: dt.date, edition: str, default_lang: str) -> str:
    """``2026-02-05.md`` for the default edition, ``2026-02-05.en.md`` for the others."""
    if edition == default_lang:
        return f"{day.isoformat()}.md"
    return f"{day.isoformat()}.{edition_slug(edition)}.md"


def export_hugo(
    texts: dict[dt.date, str],
    dest: Path,
    *,
    languages: Sequence[str],
    default_lang: str,
    render: Callable[[Briefing], dict[str, str]],
) -> list[Path]:
    """Write the posts; return the files that changed."""
    posts = dest / "content" / "posts"
    posts.mkdir(parents=True, exist_ok=True)
    changed: list[Path] = []
    for day in sorted(texts):
        markdown = render(Briefing.from_json(texts[day]))
        for edition in languages:
            target = posts / check_segment(post_name(day, edition, default_lang))
            data = markdown[edition].encode("utf-8")
            if target.is_file() and target.read_bytes() == data:
                continue
            _write_atomically(target, data)
            changed.append(target)
    return changed


def _write_atomically(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
