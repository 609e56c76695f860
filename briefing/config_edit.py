"""Add sources to feeds.yaml in place, keeping every comment, blank line and quote.

ruamel.yaml's round-trip mode edits the file's own document tree: the new sources are
appended to `sources:` under a comment saying where they came from, and nothing else in
the file changes. The result is validated as a whole before it replaces the file
(atomically), so a failed import leaves feeds.yaml as it was.
"""

from __future__ import annotations

import io
import os
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from briefing.errors import ConfigError
from briefing.opml import OpmlFeed, same_feed_key


@dataclass
class MergeReport:
    added: list[tuple[str, str]] = field(default_factory=list)  # (id, url)
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (url, existing id)


def _round_trip() -> object:
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap long lines
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def section_for(folders: Iterable[str], sections: dict[str, set[str]]) -> str | None:
    """The section whose key or name matches a folder of the reader ("Markets", "科技")."""
    for folder in reversed(list(folders)):
        word = folder.strip().lower()
        for key, names in sections.items():
            if word in names:
                return key
    return None


def section_names() -> dict[str, set[str]]:
    """Section key → the lower-case words that name it (key, zh, en and the en's parts)."""
    from briefing.knowledge import default_taxonomy

    names: dict[str, set[str]] = {}
    for spec in default_taxonomy().sections:
        if spec.brief:
            continue
        words = {spec.key, spec.zh.lower(), spec.en.lower()}
        words |= {w.strip() for w in re.split(r"[&,/]| and ", spec.en.lower()) if w.strip()}
        names[spec.key] = words
    return names


def new_id(feed: OpmlFeed, taken: set[str]) -> str:
    """A short unique id: from an ASCII name, else from the feed's host."""
    name = unicodedata.normalize("NFKD", feed.name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:40].strip("-")
    if len(slug) < 3:
        host = (urlsplit(feed.url).hostname or "feed").lower().removeprefix("www.")
        slug = re.sub(r"[^a-z0-9]+", "-", host).strip("-")[:40] or "feed"
    candidate, n = slug, 2
    while candidate in taken:
        candidate, n = f"{slug}-{n}", n + 1
    taken.add(candidate)
    return candidate


def merge_sources(config_path: Path, feeds: list[OpmlFeed], note: str, *, write: bool = True) -> MergeReport:
    """Append the feeds not yet in feeds.yaml (same URL = same feed); keep the rest of the file."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.error import YAMLError

    yaml = _round_trip()
    original = config_path.read_text(encoding="utf-8")
    try:
        data = yaml.load(original)  # type: ignore[attr-defined]
    except YAMLError as exc:
        raise ConfigError(f"cannot edit {config_path}: {exc}".splitlines()[0]) from exc
    if data is None:
        data = CommentedMap()
    sources = data.get("sources")
    if sources is None:
        sources = data["sources"] = CommentedSeq()
    known = {same_feed_key(str(s.get("url"))): str(s.get("id")) for s in sources if s.get("url")}
    taken = {str(s.get("id")) for s in sources}
    names = section_names()
    report = MergeReport()
    first = len(sources)
    for feed in feeds:
        key = same_feed_key(feed.url)
        if key in known:
            report.duplicates.append((feed.url, known[key]))
            continue
        entry = CommentedMap()
        entry["id"] = new_id(feed, taken)
        entry["name"] = feed.name
        entry["url"] = feed.url
        if feed.lang:
            entry["lang"] = feed.lang
        section = section_for(feed.folders, names)
        if section:
            entry["section"] = section
        sources.append(entry)
        known[key] = entry["id"]
        report.added.append((entry["id"], feed.url))
    if not report.added or not write:
        return report
    sources.yaml_set_comment_before_after_key(first, before=note, indent=2)
    buffer = io.StringIO()
    yaml.dump(data, buffer)  # type: ignore[attr-defined]
    _replace_checked(config_path, buffer.getvalue())
    return report


def _replace_checked(path: Path, text: str) -> None:
    """Write beside the file, validate it as feeds.yaml, then swap it in."""
    from briefing.config import load_config

    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        load_config(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
