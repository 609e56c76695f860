"""Feed bytes to `RawEntry`s: RSS, Atom and RDF through feedparser, JSON Feed by hand.

feedparser only ever receives bytes wrapped in `BytesIO` (a string would be opened as a
path or URL), re-encoded as UTF-8 after we decoded them ourselves (see `encoding`).
It does not expand entity bombs or resolve external entities.

A body feedparser cannot identify (an HTML login page, an empty 200) is a `ParseError`, and
so is a truncated document: its few parsed entries are not stored, so the next run
refetches the whole feed.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import sys
import xml.sax
from typing import Any
from zoneinfo import ZoneInfo

import feedparser

from briefing.errors import ParseError
from briefing.ingest.dates import parse_date
from briefing.ingest.encoding import decode_bytes, header_charset, string_dump
from briefing.ingest.entries import RawEntry
from briefing.ingest.firstn import first_entries
from briefing.ingest.urls import canonical_url

_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
# an item or entry element, prefixed or not: evidence that a feed with no entries has some
_MARKUP = re.compile(r"</?(?:p|br|div|span|a|img|strong|em|b|i|ul|li|h[1-6]|figure|table)\b", re.I)
_ITEM_TAG = re.compile(r"<(?:[A-Za-z][\w.-]*:)?(?:item|entry)(?=[\s>/])")
_TRUNCATED = ("no element found", "unclosed token", "unclosed cdata")
# the document ends with its root's end tag (perhaps missing its '>'): complete after all
_ROOT_CLOSED = re.compile(r"</(?:rss|feed|rdf:RDF|channel)\s*>?\s*$", re.I)


def _parse_bytes(data: bytes) -> feedparser.FeedParserDict:
    """The only call into feedparser: bytes in, never a str (which it would open)."""
    if not isinstance(data, bytes):
        raise TypeError("feedparser gets bytes only")
    headers = {"content-type": "application/xml; charset=utf-8"}
    # No sanitizing here: every HTML field goes through our allowlist (htmltext.sanitize_html,
    # nh3) or becomes text (html_to_text), and feedparser's own pass cost a third of the
    # parse on real feeds (bench/fetch.py) without making the stored HTML any safer. Nor
    # relative links in bodies: `sanitize_html` resolves them against the entry's link as
    # it walks the attributes anyway, where feedparser's extra HTML pass over every body
    # cost another quarter of its parse (and, with no document address, knew only xml:base).
    # Entry links are still resolved by feedparser (xml:base) and then `canonical_url`.
    return feedparser.parse(
        io.BytesIO(data),
        response_headers=headers,
        sanitize_html=False,
        resolve_relative_uris=False,
    )


def _entry_time(entry: Any, zone: ZoneInfo, china: bool) -> dt.datetime | None:
    """The entry's stated time, from its published, updated or created text.

    feedparser's own `*_parsed` values are not used: for forms it does not know it
    guesses (see `dates`); an impossible date leaves the entry undated.
    """
    for field in ("published", "updated", "created"):
        raw = dict.get(entry, field)  # plain dict access: no feedparser fallback warnings
        if not raw:
            continue
        parsed, impossible = parse_date(raw, zone, china=china)
        if impossible:
            return None
        if parsed is not None:
            return parsed
    return None


def _feed_title(value: object) -> str | None:
    """The feed's name, as a publisher name: one line, at most 80 characters."""
    if not isinstance(value, str):
        return None
    title = " ".join(value.split())
    return title[:80] or None


def _categories(entry: Any) -> tuple[str, ...]:
    terms = (t.get("term") or t.get("label") or "" for t in entry.get("tags") or [])
    return tuple(t.strip() for t in terms if isinstance(t, str) and t.strip())[:20]


def _entry_html(entry: Any) -> str | None:
    contents = entry.get("content") or []
    best = max((c.get("value") or "" for c in contents), key=len, default="")
    summary = entry.get("summary") or ""
    value = best if len(best) >= len(summary) else summary
    return value or None


def _to_utf8_xml(text: str) -> bytes:
    text = text.lstrip("\ufeff")
    match = _XML_DECL.match(text)
    if match:
        decl = re.sub(r"""encoding\s*=\s*["'][^"']*["']""", 'encoding="utf-8"', match.group(0))
        text = decl + text[match.end() :]
    return text.encode("utf-8", errors="surrogatepass")


def parse_feed(
    data: bytes,
    *,
    content_type: str | None,
    url: str | None,
    zone: ZoneInfo,
    max_entries: int | None = None,
    china: bool | None = None,
) -> tuple[list[RawEntry], list[str]]:
    """RawEntries of a feed body, in document order, and warnings; ParseError if not a feed.

    `zone` is for times without a zone; `china` (the source writes Chinese, so `CST` is
    +08:00) is taken from the feed's declared language when not given.
    """
    decoded = decode_bytes(data, header_charset(content_type))
    warnings = list(decoded.warnings)
    ctype = (content_type or "").split(";")[0].strip().lower()
    if ctype in ("text/plain", "application/octet-stream"):
        warnings.append(f"served as {ctype}; parsed as a feed anyway")
    if (dump := string_dump(decoded.text)) is not None:
        raise ParseError(f"not a feed: {dump}")
    stripped = decoded.text.lstrip("\ufeff \t\r\n")
    if "json" in ctype or stripped.startswith("{"):
        return _parse_json_feed(stripped, url, zone, china), warnings
    document, cut = first_entries(_to_utf8_xml(decoded.text), max_entries or sys.maxsize)
    if cut:
        warnings.append(f"more than {max_entries} entries; only the first {max_entries} read")
    parsed = _parse_bytes(document)
    exc = parsed.get("bozo_exception")
    if (
        isinstance(exc, xml.sax.SAXParseException)
        and any(t in str(exc.getMessage()).lower() for t in _TRUNCATED)
        and not _ROOT_CLOSED.search(decoded.text[-200:])
    ):
        raise ParseError(f"feed is truncated: {exc.getMessage()}")
    if not parsed.get("entries"):
        _no_entries_but_items(decoded.text)
    if not parsed.get("version"):
        raise ParseError("unknown feed type: the body is not RSS, Atom, RDF or JSON Feed")
    if exc is not None:
        warnings.append(f"feed is not well-formed ({type(exc).__name__}); parsed leniently")
    base = parsed.get("feed", {}).get("link") or url
    feed_title = _feed_title(parsed.get("feed", {}).get("title"))
    if china is None:
        china = _chinese(parsed.get("feed", {}).get("language"))
    raws: list[RawEntry] = []
    skipped = 0
    for entry in parsed.get("entries", []):
        link = canonical_url(entry.get("link"), base)
        key = (entry.get("id") or "").strip() or link
        if not key:
            skipped += 1
            warnings.append(f"entry {entry.get('title', '')[:40]!r} has no id and no link; skipped")
            continue
        title = entry.get("title") or ""
        title_detail = entry.get("title_detail") or {}
        raws.append(
            RawEntry(
                key=key,
                title=title,
                url=link,
                html=_entry_html(entry),
                published=_entry_time(entry, zone, china),
                title_is_html="html" in (title_detail.get("type") or "") or "<" in title,
                categories=_categories(entry),
                feed_title=feed_title,
            )
        )
    if skipped and not raws:
        raise ParseError(f"no usable entries: all {skipped} lack both an id and a link")
    return raws, warnings


def _no_entries_but_items(text: str) -> None:
    """ParseError when a document that parsed to no entries plainly holds items."""
    held = _ITEM_TAG.findall(text)
    if held:
        tag = held[0].strip("<")
        raise ParseError(
            f"the feed holds {len(held)} <{tag}> elements but none parsed as an entry "
            "(an undeclared namespace prefix?): the publisher's feed is malformed"
        )


def _chinese(language: object) -> bool:
    return isinstance(language, str) and language.strip().lower().startswith("zh")


def _parse_json_feed(
    text: str, url: str | None, zone: ZoneInfo, china: bool | None
) -> list[RawEntry]:
    try:
        doc = json.loads(text)
    except ValueError as exc:
        raise ParseError(f"JSON Feed is not valid JSON: {exc}") from exc
    version = doc.get("version") if isinstance(doc, dict) else None
    if not isinstance(version, str) or not version.startswith("https://jsonfeed.org/version/"):
        raise ParseError("unknown feed type: JSON without a JSON Feed version")
    items = doc.get("items")
    if not isinstance(items, list):
        raise ParseError("JSON Feed has no items list")
    base = doc.get("home_page_url") or url
    feed_title = _feed_title(doc.get("title"))
    if china is None:
        china = _chinese(doc.get("language"))
    raws: list[RawEntry] = []
    for item in items:
        if not isinstance(item, dict):
            continue
        link = canonical_url(_str(item.get("url")), base)
        key = _str(item.get("id")) or link
        if not key:
            continue
        published, impossible = parse_date(
            _str(item.get("date_published")) or _str(item.get("date_modified")),
            zone,
            china=china,
        )
        html = _str(item.get("content_html")) or None
        plain = None if html else (_str(item.get("content_text")) or _str(item.get("summary")))
        if plain and _MARKUP.search(plain):
            html, plain = plain, None  # HTML in a text field: cleaned as HTML, like RSS bodies
        title = _str(item.get("title"))
        raws.append(
            RawEntry(
                key=key,
                title=title,
                url=link,
                html=html,
                text=plain,
                published=None if impossible else published,
                lang=None,
                title_is_html="<" in title or "&" in title,
                categories=_json_tags(item.get("tags")),
                feed_title=feed_title,
            )
        )
    return raws


def _str(value: object) -> str:
    return value if isinstance(value, str) else ("" if value is None else str(value))


def _json_tags(value: object) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(t.strip() for t in value if isinstance(t, str) and t.strip())[:20]


__all__ = ["parse_date", "parse_feed"]
