"""OPML, the feed readers' exchange format: read a subscription list, write one.

Readers nest outlines in folders (`<outline text="Markets"><outline xmlUrl=…/></outline>`),
spell the name as `text` and/or `title`, and mix in outlines that are not feeds (folders,
links, notes). Only outlines with an http(s) `xmlUrl` become feeds; the rest are counted and
reported. The file is parsed with the standard library's expat, which resolves no external
entities and refuses entity expansion bombs; its size is capped before parsing.
"""

from __future__ import annotations

import re
import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from urllib.parse import urlsplit

MAX_OPML_BYTES = 5 * 1024 * 1024
_LANGS = {"en": "en", "zh-hans": "zh-Hans", "zh-cn": "zh-Hans", "zh-sg": "zh-Hans",
          "zh-hant": "zh-Hant", "zh-tw": "zh-Hant", "zh-hk": "zh-Hant", "zh-mo": "zh-Hant",
          "zh": "zh-Hans"}


class OpmlError(ValueError):
    """The file is not OPML we can read; the message says why."""


@dataclass(frozen=True)
class OpmlFeed:
    """One subscription: the feed URL, its name, its folder path and a language if given."""

    url: str
    name: str
    folders: tuple[str, ...] = ()
    lang: str | None = None
    html_url: str | None = None


@dataclass
class OpmlList:
    title: str | None
    feeds: list[OpmlFeed] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # outlines that are not usable feeds


def parse_opml(data: bytes) -> OpmlList:
    if len(data) > MAX_OPML_BYTES:
        raise OpmlError(f"file is {len(data):,} bytes; an OPML list over {MAX_OPML_BYTES:,} is refused")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise OpmlError(f"not well-formed XML: {exc}") from exc
    if _local(root.tag) != "opml":
        raise OpmlError(f"the root element is <{_local(root.tag)}>, not <opml>")
    body = next((c for c in root if _local(c.tag) == "body"), None)
    if body is None:
        raise OpmlError("no <body>: an OPML file lists its feeds inside <body>")
    head = next((c for c in root if _local(c.tag) == "head"), None)
    title_el = next((c for c in head if _local(c.tag) == "title"), None) if head is not None else None
    result = OpmlList(title=(title_el.text or "").strip() or None if title_el is not None else None)
    _walk(body, (), result)
    return result


def _walk(node: ET.Element, folders: tuple[str, ...], result: OpmlList) -> None:
    for outline in node:
        if _local(outline.tag) != "outline":
            continue
        name = _clean(outline.get("title") or outline.get("text") or "")
        url = (outline.get("xmlUrl") or outline.get("xmlurl") or "").strip()
        if url:
            if urlsplit(url).scheme.lower() not in ("http", "https"):
                result.skipped.append(f"{name or url}: not an http(s) feed URL ({url[:80]})")
            else:
                result.feeds.append(OpmlFeed(
                    url=url,
                    name=name or urlsplit(url).hostname or url,
                    folders=folders,
                    lang=_LANGS.get((outline.get("language") or "").strip().lower()),
                    html_url=(outline.get("htmlUrl") or "").strip() or None,
                ))
        elif len(outline):
            _walk(outline, (*folders, name) if name else folders, result)
        elif name:
            result.skipped.append(f"{name}: no xmlUrl (not a feed)")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].lower()


def _clean(text: str) -> str:
    """One line of printable text (names end up in YAML and in the terminal)."""
    text = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in text)
    return re.sub(r"\s+", " ", text).strip()[:200]


# ------------------------------------------------------------------ writing

_GROUP_NAMES = {"en": "English", "zh-Hans": "中文（简体）", "zh-Hant": "中文（繁體）"}


def write_opml(title: str, feeds: list[OpmlFeed]) -> bytes:
    """OPML 2.0 with one folder per folder path (or per language when there is none)."""
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = title
    body = ET.SubElement(root, "body")
    folders: dict[str, ET.Element] = {}
    for feed in feeds:
        group = feed.folders[-1] if feed.folders else _GROUP_NAMES.get(feed.lang or "", "")
        parent = body
        if group:
            if group not in folders:
                folders[group] = ET.SubElement(body, "outline", text=group, title=group)
            parent = folders[group]
        attrs = {"type": "rss", "text": feed.name, "title": feed.name, "xmlUrl": feed.url}
        if feed.html_url:
            attrs["htmlUrl"] = feed.html_url
        if feed.lang:
            attrs["language"] = feed.lang
        ET.SubElement(parent, "outline", attrs)
    ET.indent(root, space="  ")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def same_feed_key(url: str) -> str:
    """A URL's identity for duplicate checks: scheme-less, lower-case host, no trailing slash."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().removeprefix("www.")
    port = f":{parts.port}" if parts.port and parts.port not in (80, 443) else ""
    path = parts.path.rstrip("/") or "/"
    return f"{host}{port}{path}?{parts.query}" if parts.query else f"{host}{port}{path}"
