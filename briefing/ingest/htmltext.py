"""HTML to plain text, and the sanitised HTML we keep.

`html_to_text` builds a small tree with the standard library's parser (tolerant of broken
markup, depth-capped so 10k nested tags cannot blow the stack) and renders paragraphs.
Navigation, asides, footers, forms, scripts, figures and *link lists* (a list or block
whose text is mostly links, the "related stories" pattern) are dropped.

`sanitize_html` is the allowlist for the HTML we store: nh3 with http(s) and mailto only,
so `javascript:`, `file:` and `data:` never survive, and images pointing at private
addresses are removed (feedparser's own sanitizer lets both through).
"""

from __future__ import annotations

import functools
import html as html_lib
import ipaddress
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import nh3

_VOID = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    ]
)
_DROP = frozenset(
    [
        "script",
        "style",
        "noscript",
        "template",
        "iframe",
        "object",
        "embed",
        "form",
        "nav",
        "aside",
        "footer",
        "header",
        "figure",
        "figcaption",
        "svg",
        "canvas",
        "video",
        "audio",
        "select",
        "button",
        "textarea",
        "head",
        "title",
    ]
)
_BLOCK = frozenset(
    [
        "p",
        "div",
        "section",
        "article",
        "main",
        "li",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "pre",
        "table",
        "tr",
        "td",
        "th",
        "tbody",
        "thead",
        "br",
        "hr",
    ]
)
_MAX_DEPTH = 200


@dataclass
class _Node:
    tag: str
    children: list[_Node | str] = field(default_factory=list)


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Node("#root")
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = _Node(tag)
        if len(self.stack) >= _MAX_DEPTH:
            # flatten pathological nesting instead of recursing into it
            if tag in _BLOCK:
                self.stack[-1].children.append("\n")
            return
        self.stack[-1].children.append(node)
        if tag not in _VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if len(self.stack) < _MAX_DEPTH:
            self.stack[-1].children.append(_Node(tag))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def _text_of(node: _Node) -> str:
    out: list[str] = []
    todo: list[_Node | str] = [node]
    while todo:
        item = todo.pop()
        if isinstance(item, str):
            out.append(item)
        elif item.tag not in _DROP:
            todo.extend(reversed(item.children))
    return "".join(out)


def _link_text_len(node: _Node) -> int:
    total = 0
    todo: list[_Node | str] = [node]
    while todo:
        item = todo.pop()
        if isinstance(item, _Node):
            if item.tag == "a":
                total += len(_text_of(item).strip())
            else:
                todo.extend(item.children)
    return total


def _is_link_list(node: _Node) -> bool:
    """A block of three or more links whose text is mostly link text."""
    if node.tag not in ("ul", "ol", "div", "section", "dl", "table"):
        return False
    links = 0
    todo: list[_Node | str] = list(node.children)
    while todo:
        item = todo.pop()
        if isinstance(item, _Node):
            links += item.tag == "a"
            todo.extend(item.children)
    if links < 3:
        return False
    text = len(re.sub(r"\s+", "", _text_of(node)))
    return text > 0 and _link_text_len(node) / text >= 0.7


def _render(node: _Node, out: list[str], depth: int = 0) -> None:
    for child in node.children:
        if isinstance(child, str):
            out.append(child)
            continue
        tag = child.tag
        if tag in _DROP or _is_link_list(child):
            continue
        if tag == "br":
            out.append("\n")
            continue
        block = tag in _BLOCK
        if block:
            out.append("\n\n")
        if tag == "li":
            out.append("- ")
        _render(child, out, depth + 1)
        if block:
            out.append("\n\n")


# Markup made only of attribute-less paragraph, line-break and emphasis tags (most feed
# summaries: `<p>…</p>`, `<br>`, `<b>`) renders the same without building a tree: each
# paragraph tag becomes a blank line, `<br>` a line break, emphasis nothing.
_SIMPLE_NAMES = r"(p|br|b|i|em|strong|span|u|sub|sup|small)"
_SIMPLE_TAG = re.compile(rf"<(/?){_SIMPLE_NAMES}\s*/?>", re.I)
_OTHER_MARKUP = re.compile(rf"<(?!/?{_SIMPLE_NAMES}\s*/?>)", re.I)  # any other '<'


_OTHER_SPACE = str.maketrans("\t\r\f\v", "    ")


def tidy_whitespace(text: str) -> str:
    """Runs of spaces and tabs as one space, no space at a line's ends, at most one blank
    line: what `[ \\t\\r\\f\\v]+` -> " ", then ` *\\n *` -> "\\n", then `\\n{3,}` -> "\\n\\n"
    make of it, done with string methods, which skip a text in one pass where `re` tries a
    match at every character (the three patterns cost about a third of `html_to_text` on
    the real feeds' bodies)."""
    if "\t" in text or "\r" in text or "\f" in text or "\v" in text:
        text = text.translate(_OTHER_SPACE)  # per character beyond ASCII: only when needed
    while "  " in text:
        text = text.replace("  ", " ")
    # single spaces now: one on either side of a line break at most
    text = text.replace(" \n", "\n").replace("\n ", "\n")
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text


def _simple(match: re.Match[str]) -> str:
    tag = match.group(2).lower()
    if tag == "br":
        return "\n"
    return "\n\n" if tag == "p" else ""


def html_to_text(markup: str) -> str:
    """Readable text of an HTML fragment or page: paragraphs separated by blank lines."""
    if "<" not in markup and "&" not in markup:
        return markup
    if _OTHER_MARKUP.search(markup) is not None:
        out: list[str] = []
        builder = _TreeBuilder()
        try:
            builder.feed(markup)
            builder.close()
        except Exception:  # the stdlib parser is lenient, but never let markup sink an entry
            return re.sub(r"<[^>]*>", " ", html_lib.unescape(markup))
        _render(builder.root, out)
        text = "".join(out)
    else:
        text = html_lib.unescape(_SIMPLE_TAG.sub(_simple, markup))
    return tidy_whitespace(text).strip()


# -- sanitised HTML --------------------------------------------------------------------

_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "caption",
    "code",
    "dd",
    "del",
    "dl",
    "dt",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "li",
    "ol",
    "p",
    "pre",
    "q",
    "s",
    "small",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "u",
    "ul",
}
_ATTRS = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
}


_SCHEME = re.compile(r"^\s*[A-Za-z][A-Za-z0-9+.-]*:")


def _public_host(url: str) -> bool:
    return _public_name(urlsplit(url).hostname or "")


@functools.lru_cache(maxsize=4096)
def _public_name(host: str) -> bool:
    """Per host, once: a feed's images mostly come from one or two hosts."""
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return host not in ("localhost", "") and not host.endswith((".local", ".localhost"))
    return ip.is_global


_LINKS = frozenset([("a", "href"), ("img", "src")])


def _attribute_filter(base: str | None) -> Callable[[str, str, str], str | None]:
    def keep(tag: str, attr: str, value: str) -> str | None:
        if attr != "href" and attr != "src":  # title, alt, colspan: nothing to do
            return value
        if (tag, attr) in _LINKS and base and not _SCHEME.match(value):
            value = urljoin(base, value)  # relative: against the entry's own address
        if tag == "img" and attr == "src" and not _public_host(value):
            return None
        return value

    return keep


def sanitize_html(markup: str, base: str | None = None) -> str:
    """The stored HTML: an allowlist of tags and attributes, http(s)/mailto links only.

    Relative links and image sources are resolved against `base` (the entry's address).
    """
    return nh3.clean(
        markup,
        tags=_TAGS,
        attributes=_ATTRS,
        url_schemes={"http", "https", "mailto"},
        attribute_filter=_attribute_filter(base),
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    ).strip()
