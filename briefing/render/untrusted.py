"""Content of feed origin made inert before it reaches any output.

Every renderer reads a briefing through `briefing.render.editions.for_edition`, which
passes it through `neutralise`; this is the one place where item text enters the
Markdown (and so the Hugo export and the Atom feed), the HTML and the PDF. The HTML
renderer adds its own allowlist on top (`briefing.render.inline`), but the published
Markdown is read by other renderers (Hugo, Hexo) with their own rules, so the text itself
must be safe:

- no image: ``![alt](src)`` becomes its alt text (a protocol-relative ``//host/pixel.png``
  would otherwise be fetched by every reader of the Atom feed or the Hugo site);
- no link unless to an absolute http(s)/mailto URL: ``[x](javascript:…)``, ``[x](//host)``
  and ``<file:…>`` keep their text only;
- no raw HTML and no reference definition: both are escaped to read as text;
- no unbalanced bracket, which could close the link a title is rendered into;
- no bidirectional embedding, override or isolate control (RLO and friends reorder the
  text around them and can disguise a link or a figure); C0 controls go too.

Text without any of these is returned unchanged, so ordinary posts stay byte-identical.
An item's own link and its sources' links are kept when they are absolute http(s) URLs,
and dropped otherwise.
"""

from __future__ import annotations

import functools
import re
import weakref
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from briefing.model import Briefing, Impact, Item, Section, Source, Text
from briefing.render.inline import safe_href, strip_controls

if TYPE_CHECKING:  # markdown-it loads when text needs parsing, not with the module
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

_M = TypeVar("_M", Briefing, Section, Item, Impact, Source)

# LRE RLE PDF LRO RLO (U+202A-E) and LRI RLI FSI PDI (U+2066-9). The marks LRM, RLM and
# ALM do not reorder anything and right-to-left text needs them, so they stay.
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
# A line that CommonMark could read as a link reference definition: `[label]: dest`.
_REFERENCE = re.compile(r"^ {0,3}\[[^\]]*\]:", re.MULTILINE)
# Anything `neutralise_text` may act on; most text has none and costs one scan.
_SUSPECT = re.compile("[\\[\\]<\u202a-\u202e\u2066-\u2069\x00-\x08\x0b-\x1f\x7f]")
# Characters a rebuilt text escapes so that they read as themselves.
_ESCAPE = re.compile(r"([\\`*_\[\]<>!&~|])")


def strip_bidi(text: str) -> str:
    """`text` without bidirectional embedding, override and isolate controls."""
    return _BIDI.sub("", text)


@functools.cache
def _reader() -> MarkdownIt:
    """A parser that sees what a permissive consumer (Hugo's goldmark, Hexo) would see."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": True, "linkify": False})
    md.enable("strikethrough")
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    return md


def neutralise_text(text: str) -> str:
    """One content field with every construct that could fetch or run something disarmed."""
    if not _SUSPECT.search(text):
        return text
    return _disarm(text)


@functools.lru_cache(maxsize=1 << 12)
def _disarm(text: str) -> str:
    text = strip_bidi(strip_controls(text))
    if not any(ch in text for ch in "[]<"):
        return text  # nothing that could form an image, a link, a tag or a definition
    children = _reader().parseInline(text)[0].children or []
    if not _needs_rebuild(text, children):
        return text
    return _rebuild(children)


def _needs_rebuild(text: str, tokens: Sequence[Token]) -> bool:
    if _REFERENCE.search(text):
        return True
    brackets = 0
    for token in tokens:
        if token.type in ("image", "html_inline"):
            return True
        if token.type == "link_open" and safe_href(str(token.attrGet("href") or "")) is None:
            return True
        if token.type == "text":
            brackets += token.content.count("[") - token.content.count("]")
    return brackets != 0


def _escape(text: str) -> str:
    return _ESCAPE.sub(r"\\\1", text)


def _rebuild(tokens: Sequence[Token]) -> str:
    """Markdown for `tokens` with only text, emphasis, code and safe links left live."""
    out: list[str] = []
    link_depth = 0
    kept: list[bool] = []  # for each open link: was it kept?
    for token in tokens:
        kind = token.type
        if kind in ("text", "text_special"):
            out.append(_escape(token.content))
        elif kind in ("softbreak", "hardbreak"):
            out.append("\n")
        elif kind in ("strong_open", "strong_close", "em_open", "em_close", "s_open", "s_close"):
            out.append(token.markup)
        elif kind == "code_inline":
            out.append(f"{token.markup}{token.content}{token.markup}")
        elif kind == "image":
            out.append(_escape(token.content))
        elif kind == "link_open":
            href = safe_href(str(token.attrGet("href") or ""))
            keep = href is not None and link_depth == 0
            kept.append(keep)
            link_depth += 1
            if keep:
                out.append("<" if token.markup == "autolink" else "[")
        elif kind == "link_close":
            link_depth -= 1
            if kept.pop():
                open_token = _matching_open(tokens, token)
                href = str(open_token.attrGet("href") or "") if open_token else ""
                if token.markup == "autolink":
                    out.append(">")
                else:
                    out.append("](" + href.replace("(", "\\(").replace(")", "\\)") + ")")
        else:  # html_inline and anything unforeseen: literal text
            out.append(_escape(token.content))
    return "".join(out)


def _matching_open(tokens: Sequence[Token], close: Token) -> Token | None:
    depth = 0
    for token in reversed(tokens[: tokens.index(close)]):
        if token.type == "link_close":
            depth += 1
        elif token.type == "link_open":
            if depth == 0:
                return token
            depth -= 1
    return None


# --- the model -------------------------------------------------------------------------------
# Each helper returns its argument itself when nothing changed, so a clean briefing costs
# one scan of its strings and no copy.


def _text(value: Text) -> Text:
    zh, en = neutralise_text(value.zh), neutralise_text(value.en)
    if zh == value.zh and en == value.en:
        return value
    return value.model_copy(update={"zh": zh, "en": en})


def _same(new: list[Any], old: list[Any]) -> bool:
    return all(a is b for a, b in zip(new, old, strict=True))


def _copy(model: _M, update: dict[str, Any]) -> _M:
    """`model` with `update` applied, or `model` itself when every value is unchanged."""
    for key, value in update.items():
        old = getattr(model, key)
        if not (value is old or (isinstance(value, list) and _same(value, old)) or value == old):
            return model.model_copy(update=update)
    return model


def _plain(value: str | None) -> str | None:
    return None if value is None else strip_bidi(strip_controls(value))


@functools.lru_cache(maxsize=1 << 14)
def _web_url(url: str | None) -> str | None:
    """An item's or a source's own link: kept only as an absolute http(s) URL."""
    href = safe_href(url)
    return href if href and href.lower().startswith(("http://", "https://")) else None


def _source(source: Source) -> Source:
    return _copy(
        source,
        {"name": _plain(source.name) or "", "title": _plain(source.title), "url": _web_url(source.url)},
    )


def _impact(impact: Impact) -> Impact:
    return _copy(
        impact,
        {
            "target": _text(impact.target),
            "stance_text": _text(impact.stance_text),
            "reason": _text(impact.reason),
        },
    )


def _item(item: Item) -> Item:
    return _copy(
        item,
        {
            "title": _text(item.title),
            "url": _web_url(item.url),
            "key_points": [_text(t) for t in item.key_points],
            "insights": [_text(t) for t in item.insights],
            "impacts": [_impact(i) for i in item.impacts],
            "sources": [_source(s) for s in item.sources],
        },
    )


def _section(section: Section) -> Section:
    return _copy(
        section, {"title": _text(section.title), "items": [_item(i) for i in section.items]}
    )


def _texts_of(briefing: Briefing) -> tuple[list[str], list[str]]:
    """Every content string and every link of the briefing, gathered without copying."""
    texts: list[str] = []
    urls: list[str] = []

    def add(value: Text) -> None:
        texts.append(value.zh)
        texts.append(value.en)

    for value in (briefing.title, briefing.category, *briefing.tags, *briefing.summary):
        add(value)
    for section in briefing.sections:
        add(section.title)
        for item in section.items:
            add(item.title)
            for value in (*item.key_points, *item.insights):
                add(value)
            for impact in item.impacts:
                add(impact.target)
                add(impact.stance_text)
                add(impact.reason)
            if item.url is not None:
                urls.append(item.url)
            for source in item.sources:
                texts.append(source.name)
                texts.append(source.title or "")
                if source.url is not None:
                    urls.append(source.url)
    return texts, urls


def is_inert(briefing: Briefing) -> bool:
    """True when `neutralise` would change nothing, checked without copying anything.

    `str.isprintable` is false for C0 controls and for every bidi control (format
    characters), so ordinary text passes with one C loop per check; text that is not
    printable for an innocent reason (a newline, a joiner) takes the exact regex.
    """
    texts, urls = _texts_of(briefing)
    joined = " ".join(texts)
    if "[" in joined or "]" in joined or "<" in joined:
        return False
    if not joined.isprintable() and _SUSPECT.search(joined):
        return False
    return all(_web_url(url) == url for url in urls)


# The last briefing seen and its inert view: a day's renderers (Markdown, HTML, PDF, the
# index entry, for each edition) ask for the same object several times in a row.
_last: tuple[weakref.ref[Briefing], Briefing] | None = None


def neutralise(briefing: Briefing) -> Briefing:
    """The briefing with every content field made inert; the same object when already so."""
    global _last
    if _last is not None and _last[0]() is briefing:
        return _last[1]
    safe = briefing if is_inert(briefing) else _neutralise(briefing)
    _last = (weakref.ref(briefing), safe)
    return safe


def _neutralise(briefing: Briefing) -> Briefing:
    return _copy(
        briefing,
        {
            "title": _text(briefing.title),
            "category": _text(briefing.category),
            "tags": [_text(t) for t in briefing.tags],
            "summary": [_text(t) for t in briefing.summary],
            "sections": [_section(s) for s in briefing.sections],
        },
    )
