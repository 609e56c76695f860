"""Inline Markdown in content fields → safe HTML fragments.

Content fields (titles, key points, insights, reasons) may carry inline Markdown such as
``**强调**`` or ``[路透](https://…)``. They are rendered with markdown-it-py's
``js-default`` preset, which has raw HTML off, so ``<script>`` comes out as text. On top
of that (RELIABILITY.md C #28-#35):

- links are created only for ``http``, ``https`` and ``mailto`` URLs; anything else
  (``javascript:``, ``file:``, ``data:``, relative paths) stays literal text;
- images are never emitted: ``![alt](src)`` renders as its alt text, so neither a browser
  nor WeasyPrint ever fetches a remote or local image named by content;
- C0 control characters (NUL …, feedparser keeps them) are removed so that the HTML and
  the PDF stay valid.

Only the *inline* rules run: a field is one paragraph of text, never a block.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from markupsafe import Markup, escape

if TYPE_CHECKING:  # markdown-it loads when text needs parsing, not with the module
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

SAFE_SCHEMES: frozenset[str] = frozenset({"http", "https", "mailto"})

# C0 controls except \t and \n, plus DEL: invalid in XML/PDF text, useless in HTML.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


# What a URL from a feed may not hold: whitespace (re's \s is str.isspace) and quotes.
_NOT_IN_URL = re.compile(r"[\s\"'<>`]")


def strip_controls(text: str) -> str:
    """`text` without C0 control characters (tab and newline are kept)."""
    return _CONTROL.sub("", text)


def safe_href(url: str | None) -> str | None:
    """`url` when it is an absolute http(s)/mailto URL a reader may follow, else None."""
    if not url:
        return None
    url = strip_controls(url).strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in SAFE_SCHEMES:
        return None
    if parts.scheme.lower() in ("http", "https") and not parts.netloc:
        return None
    # Whitespace or quotes inside a URL are not a link a feed would give us honestly.
    if _NOT_IN_URL.search(url):
        return None
    return url


def _validate_link(url: str) -> bool:
    return safe_href(url) is not None


def _render_image(
    renderer: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any
) -> str:
    """Images in content are dropped; the alt text stays so nothing is lost to the reader."""
    token = tokens[idx]
    alt = renderer.renderInlineAsText(token.children or [], options, env)
    return str(escape(alt))


def _render_link_open(
    renderer: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any
) -> str:
    token = tokens[idx]
    token.attrSet("rel", "noopener noreferrer nofollow")
    return str(renderer.renderToken(tokens, idx, options, env))


@functools.cache
def _markdown() -> MarkdownIt:
    from markdown_it import MarkdownIt

    md = MarkdownIt("js-default", {"html": False, "linkify": False, "typographer": False})
    md.validateLink = _validate_link  # type: ignore[method-assign]
    md.add_render_rule("image", _render_image)
    md.add_render_rule("link_open", _render_link_open)
    return md


# Characters at which a markdown-it inline rule may produce something other than text
# (breaks, links, images, entities, emphasis, code, autolinks, escapes, strikethrough).
# An `&` is text unless an entity starts there (markdown-it's entity rule, same pattern and
# flags): "Markets & Macro", "S&P 500" are plain prose.
_MARKUP_CHARS = re.compile(r"[\n\r!*_`<\[\]\\~]")
_ENTITY = re.compile(r"&(?:#(?:x[a-f0-9]{1,6}|[0-9]{1,7})|[a-z][a-z0-9]{1,31});", re.IGNORECASE)


def render_inline(text: str) -> Markup:
    """One content field as an HTML fragment, safe to place in a template unescaped.

    Most fields are plain prose: without any character an inline rule reacts to, the
    parser's output is the text with `&`, `>` and `"` escaped (`<` cannot occur), so that is
    written directly (tests compare both paths on every sample field and on random text).
    """
    if not text:
        return Markup("")
    clean = strip_controls(text)
    if not _MARKUP_CHARS.search(clean) and ("&" not in clean or not _ENTITY.search(clean)):
        return Markup(clean.replace("&", "&amp;").replace(">", "&gt;").replace('"', "&quot;").strip())
    html = _markdown().renderInline(clean)
    return Markup(html.strip())
