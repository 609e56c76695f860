"""The first N entries of a huge feed document, before feedparser sees the rest.

A feed with 100,000 items would be parsed whole (tens of seconds) only for all but
`max_entries` of them to be dropped. `first_entries` finds, with expat and without building
anything, where the N-th item or entry ends, cuts the document there and closes the
elements still open, so feedparser parses a well-formed feed of N entries. A document expat
cannot read that far (not well-formed) is returned whole: feedparser's lenient parser
takes it, and the worker's time budget still bounds it.
"""

from __future__ import annotations

import re
from xml.parsers import expat

_ENTRY_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(?:item|entry)[\s>/]")
_ENTRY_NAMES = frozenset({"item", "entry"})


class _Enough(Exception):
    """Raised from the handler to stop expat at the N-th entry's end."""


def first_entries(xml: bytes, limit: int) -> tuple[bytes, bool]:
    """(`xml` cut after its `limit`-th entry and closed, True), or (`xml`, False)."""
    if len(_ENTRY_TAG.findall(xml)) <= limit:
        return xml, False
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    open_names: list[str] = []
    seen = 0
    end_at = 0  # where the N-th entry's end tag starts

    def start(name: str, _attrs: object) -> None:
        open_names.append(name)

    def end(name: str) -> None:
        nonlocal seen, end_at
        open_names.pop()
        # an entry of the feed: a child of the channel, the feed or the RDF root
        if name.rsplit(":", 1)[-1] in _ENTRY_NAMES and len(open_names) <= 2:
            seen += 1
            if seen == limit:
                end_at = parser.CurrentByteIndex
                raise _Enough

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    try:
        parser.Parse(xml, True)
    except _Enough:
        cut = xml.index(b">", end_at) + 1
        closing = "".join(f"</{name}>" for name in reversed(open_names))
        return xml[:cut] + closing.encode(), True
    except expat.ExpatError:
        return xml, False
    return xml, False
