"""What is not news: pure functions over text and the rules of admission.yaml.

    not_news(title, text, categories=())  -> Rejection | None
    strip_boilerplate(lines)              -> the lines that are not boilerplate
    usable_publisher(name)                -> the name, or None for a copyright line

These read no clock and no store, so ingest (on every entry) and the publish gate (on a
briefing's items) ask the same questions and get the same answers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from briefing.admit.rules import Rule, Rules, default_rules

_EVIDENCE_CHARS = 60


@dataclass(frozen=True)
class Rejection:
    """Why something is not news: the rule's id, its reason, and what matched."""

    rule: str
    reason: str
    evidence: str = ""

    def __str__(self) -> str:
        said = f": {self.evidence}" if self.evidence else ""
        return f"{self.rule}: {self.reason}{said}"


def _evidence(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _EVIDENCE_CHARS else text[: _EVIDENCE_CHARS - 1] + "…"


class _Entry:
    """A title and body as the rules read them: as written, and lowercased (made once)."""

    def __init__(self, title: str, text: str) -> None:
        self.title = title
        self.text = text
        self._lower: tuple[str, str] | None = None

    def lower(self) -> tuple[str, str]:
        if self._lower is None:
            self._lower = (self.title.lower(), self.text.lower())
        return self._lower


def _found(m: re.Match[str], original: str, searched: str) -> str:
    """The matched words as written (lowercasing kept the length: the usual case)."""
    if len(original) == len(searched):
        return _evidence(original[m.start() : m.end()])
    return _evidence(m.group(0))


def _match(rule: Rule, entry: _Entry, cats: frozenset[str], lead_chars: int) -> str | None:
    if rule.max_chars is not None and len(entry.text) > rule.max_chars:
        return None
    title, text = entry.lower() if rule.lowered else (entry.title, entry.text)
    if rule.title is not None and (m := rule.title.search(title)):
        return f"title {_found(m, entry.title, title)!r}"
    if rule.categories and (hit := rule.categories & cats):
        return f"category {sorted(hit)[0]!r}"
    if rule.lead is not None and (m := rule.lead.search(text[:lead_chars])):
        return f"text {_found(m, entry.text, text)!r}"
    if rule.text is not None and (m := rule.text.search(text)):
        return f"text {_found(m, entry.text, text)!r}"
    return None


def not_news(
    title: str,
    text: str = "",
    categories: Iterable[str] = (),
    *,
    rules: Rules | None = None,
) -> Rejection | None:
    """The first rule `title`/`text`/`categories` match, or None when they read as news.

    `text` is the cleaned body (for the gate: an item's key points joined by newlines).
    """
    rules = rules or default_rules()
    cats = frozenset(c.strip().casefold() for c in categories if c and c.strip())
    entry = _Entry(title, text)
    for rule in rules.rules:
        where = _match(rule, entry, cats, rules.lead_chars)
        if where is not None:
            return Rejection(rule.id, rule.reason, where)
    return None


def is_boilerplate_line(line: str, *, rules: Rules | None = None) -> bool:
    """True for an editor's source note, a reprint notice, a tweet signature and the like."""
    pattern = (rules or default_rules()).strip_line
    return pattern is not None and pattern.match(line) is not None


def not_a_point(sentence: str, *, rules: Rules | None = None) -> bool:
    """A sentence no key point may be: a boilerplate line, or one holding a link prompt."""
    rules = rules or default_rules()
    if rules.strip_line is not None and rules.strip_line.match(sentence):
        return True
    return rules.inline_prompt is not None and rules.inline_prompt.search(sentence) is not None


def strip_boilerplate(lines: list[str], *, rules: Rules | None = None) -> list[str]:
    """`lines` without the boilerplate lines of admission.yaml's `strip_lines`."""
    pattern = (rules or default_rules()).strip_line
    if pattern is None:
        return lines
    return [ln for ln in lines if not pattern.match(ln)]


def usable_publisher(name: str | None, *, rules: Rules | None = None) -> str | None:
    """`name` stripped, or None when it is empty or a copyright line (`网易版权所有`)."""
    name = (name or "").strip()
    if not name:
        return None
    pattern = (rules or default_rules()).publisher_not
    return None if pattern is not None and pattern.search(name) else name
