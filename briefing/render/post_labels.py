"""Reading the label lines of a 经济日报 post (`**核心要点：**`, `### 影响`, `> 投资启示：…`).

The vocabulary is data (`briefing/data/post_labels.yaml`); this module only says whether a
line is a label, which block it opens, and how it is written around its word, so the
importer can keep the wording as a layout hint and read what follows it.
"""

from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass

from briefing.knowledge import load_yaml

KINDS = ("key_points", "insights", "impacts", "notes")

# `- **word：** rest`, `**word**：rest`, `#### word`, `> word：rest`, `word：rest`
_BOLD = re.compile(
    r"^(?P<lead>(?:> |- |\* )?\*\*)(?P<word>[^*]{1,16}?)(?P<close>[：:]?\*\*[：:]?)(?P<space>\s*)(?P<rest>.*)$"
)
_HEADING = re.compile(r"^(?P<lead>#{2,6} )(?P<word>.{1,16}?)(?P<close>[：:]?)(?P<space>\s*)$")
_PLAIN = re.compile(r"^(?P<lead>(?:> |- )?)(?P<word>[^：:*#>\-\s][^：:*]{0,11}?)(?P<close>[：:])(?P<space>\s*)(?P<rest>.*)$")


@dataclass(frozen=True)
class Label:
    """A label line: which block (or ``sub`` for an unknown bold label), and its parts."""

    kind: str  # key_points | insights | impacts | notes | sub
    word: str
    head: str  # the line up to the content, with the word replaced by {word}
    space: str  # between the label and content on the same line
    rest: str  # content on the same line, if any
    shape: str  # bold | heading | plain

    @property
    def label(self) -> str:
        """The label as written, without the content that follows it."""
        return self.head.replace("{word}", self.word, 1)


@functools.cache
def _vocabulary() -> tuple[dict[str, str], float]:
    data = load_yaml("post_labels.yaml") or {}
    words: dict[str, str] = {}
    for kind in KINDS:
        for word in data.get(kind, []):
            words[_fold(str(word))] = kind
    return words, float(data.get("typo_cutoff", 0.75))


def _fold(word: str) -> str:
    return re.sub(r"[\s&＆与和]+", "", word).casefold()


def label_kind(word: str) -> str | None:
    """The block a label word opens (typos of longer words tolerated), or None."""
    words, cutoff = _vocabulary()
    folded = _fold(word)
    if folded in words:
        return words[folded]
    if len(folded) < 4:
        return None
    close = difflib.get_close_matches(folded, [w for w in words if len(w) >= 4], n=1, cutoff=cutoff)
    return words[close[0]] if close else None


def read_label(line: str) -> Label | None:
    """The label a line is, or None. Unknown words count only as bold labels with a colon."""
    if match := _HEADING.match(line):
        kind = label_kind(match["word"])
        if kind is None:
            return None
        return _label(match, kind, "heading", "")
    if match := _BOLD.match(line):
        kind = label_kind(match["word"])
        if kind is None:
            if "：" not in match["close"] and ":" not in match["close"]:
                return None
            if match["lead"].startswith(("- ", "* ")) or match["lead"].startswith("> "):
                return None  # a bullet or quote that opens with a bold phrase is content
            kind = "sub"
        elif not match["close"].strip("*") and match["rest"]:
            return None  # **影响** 很大: a bold word in a sentence
        return _label(match, kind, "bold", match["rest"])
    if match := _PLAIN.match(line):
        kind = label_kind(match["word"])
        if kind is None:
            return None
        return _label(match, kind, "plain", match["rest"])
    return None


def _label(match: re.Match[str], kind: str, shape: str, rest: str) -> Label:
    head = f"{match['lead']}{{word}}{match['close']}"
    return Label(kind=kind, word=match["word"], head=head, space=match["space"], rest=rest, shape=shape)
