"""`briefing site --hugo DIR`: the posts as content files a stock Hugo site takes as they are.

Each day becomes ``DIR/content/posts/{date}.md`` in the default edition, and its twins
``{date}.{lang}.md`` (e.g. ``2026-02-05.en.md``): Hugo's translation-by-filename
convention, so a multilingual Hugo site pairs them by itself (`translationKey` says so
explicitly as well).

What differs from the 经济日报 Markdown the site publishes (`briefing.md`):

- the front matter speaks Hugo: `categories` and `tags` (the two taxonomies every Hugo
  site has), `description`, `keywords` (the SEO words, in the Chinese editions only: they
  are Chinese), `images` for the cover; every value in the post's own language, without
  the "[中文] " marker the body uses for untranslated text;
- the body starts at the first section: the theme prints the title as the page's H1, so
  a `# title` line would make a second one.

Files are rewritten only when their bytes change (so a blog's own build stays
incremental) and each write is atomic (temp file + rename). Hexo is not a target: it
reads `source/_posts/` and has no translation-by-filename convention.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path

from briefing.model import Briefing, Text
from briefing.publish.atomic import check_segment
from briefing.publish.pages import edition_slug


def post_name(day: dt.date, edition: str, default_lang: str) -> str:
    """``2026-02-05.md`` for the default edition, ``2026-02-05.en.md`` for the others."""
    if edition == default_lang:
        return f"{day.isoformat()}.md"
    return f"{day.isoformat()}.{edition_slug(edition)}.md"


def front_matter(briefing: Briefing, edition: str) -> str:
    """Hugo front matter (YAML) for one edition, every value in that edition's language."""
    from briefing.render.editions import for_edition
    from briefing.render.i18n import content_lang

    view = for_edition(briefing, edition)
    lang = content_lang(edition)

    def own(value: Text) -> str:
        return value.get(lang)[0].strip()

    summary = [own(line) for line in view.summary if own(line)]
    values: dict[str, object] = {
        "title": own(view.title) or view.date.isoformat(),
        "date": view.date.isoformat(),
        "categories": [own(view.category)] if own(view.category) else [],
        "tags": _unique(own(tag) for tag in view.tags),
        "description": ("；" if lang == "zh" else "; ").join(summary[:3]),
        "summary": "\n".join(f"- {line}" for line in summary),
        "translationKey": f"briefing-{view.date.isoformat()}",
    }
    if lang == "zh" and briefing.seo:
        values["keywords"] = _unique(briefing.seo)
    if briefing.cover_image:
        values["images"] = [briefing.cover_image]
    lines = ["---"]
    for key, value in values.items():
        # JSON strings and lists are valid YAML; `date` stays a bare date.
        text = value if key == "date" else json.dumps(value, ensure_ascii=False)
        lines.append(f"{key}: {text}")
    lines.append("---")
    return "\n".join(lines) + "\n"


def _unique(values: Iterable[str]) -> list[str]:
    seen: list[str] = []
    for value in values:
        if value and value not in seen:
            seen.append(value)
    return seen


def post_body(markdown: str) -> str:
    """The 经济日报 post without its front matter and its `# title` line."""
    text = markdown
    if text.startswith("---\n"):
        end = text.find("\n---\n", 4)
        if end != -1:
            text = text[end + 5 :]
    lines = text.lstrip("\n").split("\n")
    if lines and lines[0].startswith("# "):
        lines = lines[1:]
    return "\n".join(lines).lstrip("\n")


def hugo_post(briefing: Briefing, edition: str, markdown: str) -> str:
    """One Hugo content file: Hugo front matter, then the body without the H1."""
    return front_matter(briefing, edition) + "\n" + post_body(markdown)


def export_hugo(
    texts: Mapping[dt.date, str],
    dest: Path,
    *,
    languages: Sequence[str],
    default_lang: str,
    render: Callable[[Briefing], dict[str, str]],
    keys: dict[dt.date, str] | None = None,
) -> list[Path]:
    """Write the posts; return the files that changed.

    With `keys` (each day's input key), a day whose key and files are as the last export
    left them is skipped without rendering (the stamp is ``DIR/.briefing-export.json``).
    """
    posts = dest / "content" / "posts"
    posts.mkdir(parents=True, exist_ok=True)
    stamp_path = dest / ".briefing-export.json"
    stamp = _read_stamp(stamp_path) if keys is not None else {}
    changed: list[Path] = []
    for day in sorted(texts):
        targets = {e: posts / check_segment(post_name(day, e, default_lang)) for e in languages}
        key = _export_key(keys.get(day)) if keys is not None else None
        if key and stamp.get(day.isoformat()) == key and all(t.is_file() for t in targets.values()):
            continue
        briefing = Briefing.from_json(texts[day])
        markdown = render(briefing)
        for edition, target in targets.items():
            data = hugo_post(briefing, edition, markdown[edition]).encode("utf-8")
            if target.is_file() and target.read_bytes() == data:
                continue
            _write_atomically(target, data)
            changed.append(target)
    if keys is not None:
        fresh = {d.isoformat(): _export_key(k) for d, k in sorted(keys.items()) if d in texts}
        if fresh != stamp:
            _write_atomically(stamp_path, (json.dumps(fresh, indent=0, sort_keys=True) + "\n").encode())
    return changed


def _export_key(key: str | None) -> str | None:
    """A day's key bound to this exporter's code, so a change here re-exports every day."""
    if not key:
        return None
    return hashlib.sha256(_CODE_DIGEST + key.encode()).hexdigest()


_CODE_DIGEST = hashlib.sha256(Path(__file__).read_bytes()).digest()


def _read_stamp(path: Path) -> dict[str, str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def _write_atomically(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
