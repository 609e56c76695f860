"""The faults of one item, and what the gate does about each: drop the item or repair it.

    review_item(item, context) -> the item's problems; the item is repaired in place, and
                                  a problem with action "dropped" means it must go

One bad item never costs the day: a template leftover, a placeholder or foreign link, a
cut-off title or an unbalanced quote is that item's fault, not the issue's.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from briefing.model import Item, Text
from briefing.publish.gate import text as rules
from briefing.publish.gate.problems import Action, Level, Problem

Locate = Callable[[str, str], str]  # (item id, role) -> "file:line" or a readable place
_NORMAL = re.compile(r"[\W_]+", re.UNICODE)


@dataclass
class ItemContext:
    """What an item is judged against: the issue's window and what came before it."""

    start: dt.datetime | None  # items before this are stale
    end: dt.datetime | None  # items after this are from the future
    locate: Locate
    not_news: Callable[[str, str], str | None] | None = None
    seen: dict[str, str] = field(default_factory=dict)  # normalised title -> first item id
    near: dict[str, tuple[str, str]] = field(default_factory=dict)  # title -> (id, first key point)
    stale: int = 0
    dated: int = 0


@dataclass
class _Field:
    role: str  # the renderer's role: title, kp.0, ins.1, imp.2
    name: str  # how a message names it
    text: Text


def _fields(item: Item) -> Iterator[_Field]:
    yield _Field("title", "title", item.title)
    for i, point in enumerate(item.key_points):
        yield _Field(f"kp.{i}", f"key point {i + 1}", point)
    for i, insight in enumerate(item.insights):
        yield _Field(f"ins.{i}", f"insight {i + 1}", insight)
    counts = {"imp": 0, "note": 0}
    for impact in item.impacts:
        role = "note" if impact.layout.get("standalone") else "imp"
        number = counts[role]
        counts[role] += 1
        yield _Field(f"{role}.{number}", f"impact {impact.target.zh or impact.target.en or ''}".strip(), impact.reason)
        if impact.target:
            yield _Field(f"{role}.{number}", "impact target", impact.target)


def _near(a: str, b: str, cutoff: float = 0.9) -> bool:
    if re.findall(r"\d+", a) != re.findall(r"\d+", b):
        return False
    return a == b or difflib.SequenceMatcher(None, a, b).ratio() >= cutoff


def _sides(text: Text) -> Iterator[tuple[str, str]]:
    for lang in ("zh", "en"):
        value = getattr(text, lang)
        if value.strip():
            yield lang, value


def _short(value: str, width: int = 40) -> str:
    value = " ".join(value.split())
    return value if len(value) <= width else value[: width - 1] + "…"


class _Review:
    def __init__(self, item: Item, context: ItemContext) -> None:
        self.item = item
        self.context = context
        self.problems: list[Problem] = []
        self.title = _short(item.title.zh or item.title.en, 30)

    def add(self, role: str, rule: str, message: str, level: Level = "warning", action: Action | None = None) -> None:
        place = self.context.locate(self.item.id, role)
        self.problems.append(Problem(place, rule, f"«{self.title}»: {message}", level, action, self.item.id))

    def drop(self, role: str, rule: str, message: str) -> None:
        self.add(role, rule, message, action="dropped")

    @property
    def dropped(self) -> bool:
        return any(p.action == "dropped" for p in self.problems)

    # -- the checks ---------------------------------------------------------------
    def run(self, brief: bool) -> list[Problem]:
        self.window()
        for check in (self.text_faults, self.kept_lines, self.links, self.language, self.not_news, self.duplicate):
            if self.dropped:
                break
            check()
        if not self.dropped:
            self.empty_blocks(brief)
        return self.problems

    def window(self) -> None:
        item, context = self.item, self.context
        if item.time is None:
            return
        context.dated += 1
        last = item.time_end or item.time
        if context.start is not None and last < context.start:
            context.stale += 1
            self.drop("time", "stale", f"dated {item.time:%Y-%m-%d %H:%M}, before the issue's window")
        elif context.end is not None and item.time > context.end:
            self.drop("time", "future", f"dated {item.time:%Y-%m-%d %H:%M}, after the issue's date")

    def text_faults(self) -> None:
        cut: list[_Field] = []
        for fld in list(_fields(self.item)):
            for _lang, value in _sides(fld.text):
                if what := rules.placeholder(value):
                    self.drop(fld.role, "placeholder", f"{fld.name} holds a {what}: {_short(value)!r}")
                    return
                if what := rules.mojibake(value):
                    self.drop(fld.role, "mojibake", f"{fld.name} has {what}")
                    return
                if (why := rules.cut_off(value)) and fld.role == "title":
                    self.drop(fld.role, "truncated", f"the title is cut off: {why}")
                    return
                if why and fld.name != "impact target":
                    cut.append(fld)
                    self.add(fld.role, "truncated", f"{fld.name} is cut off ({why}): removed", action="repaired")
                    break
                if why := rules.unbalanced_quote(value):
                    self.add(fld.role, "quote", f"{fld.name}: {why}")
        if cut:
            self.remove([f.text for f in cut])

    def kept_lines(self) -> None:
        """Lines an imported post had that fit no field are still published: judge them too."""
        for slot, blocks in (self.item.layout.get("unplaced") or {}).items():
            for block in blocks:
                for line in block:
                    if what := rules.placeholder(str(line)) or rules.mojibake(str(line)):
                        self.drop(f"un.{slot}", "placeholder", f"a line kept verbatim holds {what}: {_short(str(line))!r}")
                        return
                    for url in rules.urls_in(str(line)):
                        if rules.is_placeholder_host(url):
                            host = urlsplit(url).hostname or "?"
                            self.add(f"un.{slot}", "placeholder-link",
                                     f"a line kept verbatim links to a placeholder address (host {host})")

    def remove(self, texts: list[Text]) -> None:
        """Take cut-off entries out; an item left with nothing to say is dropped."""
        item = self.item
        had = bool(item.key_points or item.insights or item.impacts)
        item.key_points = [t for t in item.key_points if all(t is not x for x in texts)]
        item.insights = [t for t in item.insights if all(t is not x for x in texts)]
        item.impacts = [i for i in item.impacts if all(i.reason is not x for x in texts)]
        if had and not (item.key_points or item.insights or item.impacts):
            self.drop("title", "truncated", "every entry was cut off")

    def links(self) -> None:
        item = self.item
        allowed = {rules.normal_url(s.url) for s in item.sources if s.url}
        if item.url:
            if rules.is_placeholder_host(item.url):
                self.add("title", "placeholder-link",
                         f"links to a placeholder address (host {urlsplit(item.url).hostname}): link removed",
                         action="repaired")
                item.url = None
            else:
                allowed.add(rules.normal_url(item.url))
        for source in item.sources:
            if source.url and rules.is_placeholder_host(source.url):
                self.add("title", "placeholder-link", f"source {source.name!r} has a placeholder URL: removed",
                         action="repaired")
                source.url = None
        judged = bool(item.sources)  # a post's items carry no sources: only placeholders are known bad
        for fld in list(_fields(self.item)):
            for lang, value in _sides(fld.text):
                for url in rules.urls_in(value):
                    if rules.is_placeholder_host(url):
                        rule, why = "placeholder-link", "a placeholder address"
                    elif judged and rules.normal_url(url) not in allowed:
                        rule, why = "foreign-link", "an address that is none of the item's sources"
                    else:
                        continue
                    setattr(fld.text, lang, rules.unlink(getattr(fld.text, lang), url))
                    # The host only: the message is kept with the day, never a fetchable link.
                    host = urlsplit(url).hostname or "?"
                    self.add(fld.role, rule, f"{fld.name} links to {why} (host {host}): link removed",
                             action="repaired")

    def language(self) -> None:
        """Text in a third language (Portuguese presented as English) is not published."""
        item = self.item
        for lang in ("zh", "en"):
            title = getattr(item.title, lang)
            found = rules.language_of(title) if title else None
            if found is None and title:  # a short title: judge it with the first key points
                sample = " ".join(getattr(t, lang) for t in (item.title, *item.key_points[:2]))
                found = rules.language_of(sample)
            if found is None or found in ("zh", "en"):
                continue
            other = "en" if lang == "zh" else "zh"
            if not getattr(item.title, other):
                self.drop("title", "language", f"written in {found!r}, not in Chinese or English")
                return
            for fld in _fields(item):
                setattr(fld.text, lang, "")
            self.add("title", "language", f"the {lang} text is in {found!r}: removed", action="repaired")

    def not_news(self) -> None:
        if self.context.not_news is None:
            return
        item = self.item
        for lang in ("zh", "en"):
            title = getattr(item.title, lang)
            if not title:
                continue
            body = "\n".join(getattr(p, lang) for p in item.key_points)
            if reason := self.context.not_news(title, body):
                self.drop("title", "not-news", reason)
                return

    def duplicate(self) -> None:
        """The same title again; or all but a character or two of it, with the same figures
        and the same first key point (a story told twice, not CPI next to PPI)."""
        keys = [_NORMAL.sub("", v).casefold() for v in (self.item.title.zh, self.item.title.en) if v.strip()]
        lead = _NORMAL.sub("", (self.item.key_points[0].zh or self.item.key_points[0].en) if self.item.key_points else "")
        for key in keys:
            first = self.context.seen.get(key)
            if first is None and len(key) >= 12:
                first = next((item for seen, (item, their_lead) in self.context.near.items()
                              if _near(key, seen) and _near(lead, their_lead, 0.8)), None)
            if key and first:
                self.drop("title", "duplicate", f"repeats item {first}")
                return
        for key in keys:
            if key:
                self.context.seen[key] = self.item.id
                self.context.near[key] = (self.item.id, lead)

    def empty_blocks(self, brief: bool) -> None:
        item = self.item
        item.key_points = [p for p in item.key_points if p]
        item.insights = [p for p in item.insights if p]
        item.impacts = [i for i in item.impacts if i.target or i.reason]
        for short, name in (("kp", "key points"), ("ins", "interpretation"), ("imp", "impact")):
            if item.layout.pop(f"{short}_empty", None):
                self.add(f"{short}_label", "empty-block", f"the {name} label has nothing under it: removed",
                         action="repaired")
        if not brief and not (item.key_points or item.insights or item.impacts):
            self.add("title", "no-key-points", "has no key points, interpretation or impacts")


def review_item(item: Item, context: ItemContext, *, brief: bool = False) -> list[Problem]:
    """The item's problems; repairs are made to `item` in place."""
    return _Review(item, context).run(brief)
