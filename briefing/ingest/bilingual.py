"""Bilingual items: a translation that carries its original, split into two texts.

Machine-translated feeds publish each item in the reader's language with the original
quoted inside it: `央行维持利率不变【原文：The central bank held rates】`, a closing
paragraph `原文：…`, or `… (Original: …)`. Stored as one blob, neither edition gets clean
text; split, the article carries the translation as its text and the original as its
`Parallel` (see `briefing.article`), each in one language.

    split_bilingual(text) -> (translation, original) | None

Pure string work; which half is Chinese and which English is decided by the caller.
"""

from __future__ import annotations

import re

_LABEL = r"(?:原文|英文原文|中文原文|原標題|原标题|原文标题|Original(?:\s+text|\s+title)?|Source\s+text)"
_OPENERS = {"【": "】", "(": ")", "（": "）", "[": "]", "〔": "〕"}
_BRACKETED = re.compile(r"([【(（\[〔])\s*" + _LABEL + r"\s*[:：]\s*", re.I)
_LINE = re.compile(r"^[ \t]*" + _LABEL + r"\s*[:：][ \t]*", re.I | re.M)


def _closing(text: str, start: int, opener: str) -> int | None:
    """Index of the bracket closing `opener` from `start` on (nesting counted), or None."""
    closer = _OPENERS[opener]
    depth = 1
    for i in range(start, len(text)):
        ch = text[i]
        if ch == opener:
            depth += 1
        elif ch == closer:
            depth -= 1
            if depth == 0:
                return i
    return None


def split_bilingual(text: str) -> tuple[str, str] | None:
    """(translation, original) when `text` quotes its original, else None.

    Every bracketed `【原文：…】` / `(Original: …)` is taken out in order; a line opening
    with `原文：` or `Original:` takes the rest of the text with it.
    """
    if not text or ("原" not in text and "riginal" not in text and "ource" not in text):
        return None  # the cheap test: most entries are not bilingual
    kept: list[str] = []
    originals: list[str] = []
    pos = 0
    for match in _BRACKETED.finditer(text):
        if match.start() < pos:
            continue
        end = _closing(text, match.end(), match.group(1))
        if end is None:
            continue
        kept.append(text[pos : match.start()])
        originals.append(text[match.end() : end].strip())
        pos = end + 1
    kept.append(text[pos:])
    translation = "".join(kept)
    line = _LINE.search(translation)
    if line is not None and line.start() > 0:
        originals.append(translation[line.end() :].strip())
        translation = translation[: line.start()]
    originals = [o for o in originals if o]
    translation = translation.strip()
    if not originals or not translation:
        return None
    return translation, "\n\n".join(originals)
