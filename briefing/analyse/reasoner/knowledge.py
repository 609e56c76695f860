"""The reasoner's knowledge: `events.yaml` validated and compiled into matchers.

    EventBook
      events       Event(id, group, context, subject/inverse, outcomes → ImpactRule…)
      directions   ranked words and patterns that say which way a figure moved
      sectors      company names → the asset their news moves (@sector in a rule)

Every alias list becomes one `TermMatcher` (a trie-shaped regex), so a sentence is
scanned once per list however large the knowledge grows.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Literal

from pydantic import Field, model_validator

from briefing.analyse.lexicon import Bilingual, TermMatcher, lexicon
from briefing.errors import ConfigError
from briefing.knowledge import Entry, load_knowledge
from briefing.model import Horizon, Stance

Direction = Literal["up", "down"]
SECTOR = "@sector"


class Wording(Entry):
    zh: str
    en: str


class ImpactRule(Entry):
    """One asset an outcome moves, which way, and why (in both languages)."""

    asset: str
    stance: Stance
    horizon: Horizon | None = None
    minor: bool = False  # named only when the story gives fewer than two tags otherwise
    zh: str
    en: str


class Outcome(Entry):
    triggers: Bilingual = Field(default_factory=Bilingual)
    insight: Wording
    impacts: tuple[ImpactRule, ...]


class Event(Entry):
    id: str
    group: str
    name: Wording
    context: Bilingual = Field(default_factory=Bilingual)
    subject: Bilingual = Field(default_factory=Bilingual)
    inverse: Bilingual = Field(default_factory=Bilingual)
    # a negated trigger fires the opposite outcome (不急于降息 → tighten), weakened
    opposites: dict[str, str] = Field(default_factory=dict)
    outcomes: dict[str, Outcome]

    @property
    def by_subject(self) -> bool:
        return bool(self.subject.zh or self.subject.en or self.inverse.zh or self.inverse.en)

    @model_validator(mode="after")
    def _shape(self) -> Event:
        if self.by_subject and not set(self.outcomes) <= {"up", "down"}:
            raise ValueError(f"event {self.id}: a subject event's outcomes are up and down")
        if not self.by_subject:
            empty = [k for k, o in self.outcomes.items() if not (o.triggers.zh or o.triggers.en)]
            if empty:
                raise ValueError(f"event {self.id}: outcome {empty[0]} has no triggers")
        return self


class DirectionWords(Entry):
    direction: Direction
    rank: int
    zh: tuple[str, ...] = ()
    en: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()


class Reactions(Entry):
    """Templates for the market's reported moves: {up}, {down}, {both} are asset names."""

    up: Wording
    down: Wording
    mixed: Wording
    both: Wording


class _EventsFile(Entry):
    directions: tuple[DirectionWords, ...]
    reactions: Reactions
    sectors: dict[str, Bilingual]
    events: tuple[Event, ...]


@dataclass(frozen=True)
class Trigger:
    """What a trigger word stands for: an outcome of an event."""

    event: str
    outcome: str


@dataclass(frozen=True)
class EventBook:
    """events.yaml compiled (see module docstring)."""

    events: dict[str, Event]
    order: tuple[str, ...]  # file order: the first of a group whose context is present fires
    trigger_matcher: TermMatcher  # key: index into `triggers`
    triggers: tuple[tuple[Trigger, ...], ...]
    subject_matcher: TermMatcher  # key: index into `subjects`
    subjects: tuple[tuple[tuple[str, bool], ...], ...]  # (event id, inverse)
    context: dict[str, TermMatcher]
    direction_matcher: TermMatcher  # key: "<direction>:<rank>"
    direction_patterns: tuple[tuple[re.Pattern[str], Direction, int], ...]
    sector_matcher: TermMatcher  # key: asset key
    reactions: Reactions

    def rule(self, event: str, outcome: str) -> Outcome:
        return self.events[event].outcomes[outcome]


_ACRONYM = re.compile(r"^[A-Za-z0-9.&+-]*[A-Z][A-Za-z0-9.&+-]*$")


def matcher(terms: dict[str, str]) -> TermMatcher:
    """A matcher where single Latin words with a capital match only as written.

    "US", "Fed", "Arm", "Shell" are names; "us", "fed", "arm", "shell" are not.
    """
    exact = {w: k for w, k in terms.items() if _ACRONYM.match(w)}
    return TermMatcher({w: k for w, k in terms.items() if w not in exact}, exact)


def _words(b: Bilingual) -> tuple[str, ...]:
    return (*b.zh, *b.en)


def _grouped(entries: dict[str, list[object]]) -> tuple[dict[str, str], list[tuple[object, ...]]]:
    """Words → index of their (deduplicated) meanings, for a matcher whose key is the index."""
    index: dict[str, str] = {}
    meanings: list[tuple[object, ...]] = []
    for word, values in entries.items():
        index[word] = str(len(meanings))
        meanings.append(tuple(dict.fromkeys(values)))
    return index, meanings


def compile_book(data: _EventsFile) -> EventBook:
    assets = lexicon().assets
    for event in data.events:
        for name, outcome in event.outcomes.items():
            for rule in outcome.impacts:
                if rule.asset != SECTOR and rule.asset not in assets:
                    raise ConfigError(
                        f"knowledge file is invalid: briefing/data/events.yaml: {event.id}.{name}: "
                        f"unknown asset {rule.asset!r} (add it to assets.yaml)"
                    )
    triggers: dict[str, list[object]] = {}
    subjects: dict[str, list[object]] = {}
    for event in data.events:
        for name, outcome in event.outcomes.items():
            for word in _words(outcome.triggers):
                triggers.setdefault(word, []).append(Trigger(event.id, name))
        for word in _words(event.subject):
            subjects.setdefault(word, []).append((event.id, False))
        for word in _words(event.inverse):
            subjects.setdefault(word, []).append((event.id, True))
    trigger_index, trigger_meanings = _grouped(triggers)
    subject_index, subject_meanings = _grouped(subjects)
    direction_terms = {
        word: f"{d.direction}:{d.rank}" for d in data.directions for word in (*d.zh, *d.en)
    }
    patterns = tuple(
        (re.compile(p, re.I), d.direction, d.rank) for d in data.directions for p in d.patterns
    )
    sector_terms = {w: key for key, words in data.sectors.items() for w in _words(words)}
    return EventBook(
        events={e.id: e for e in data.events},
        order=tuple(e.id for e in data.events),
        trigger_matcher=matcher(trigger_index),
        triggers=tuple(trigger_meanings),  # type: ignore[arg-type]
        subject_matcher=matcher(subject_index),
        subjects=tuple(subject_meanings),  # type: ignore[arg-type]
        context={e.id: matcher({w: e.id for w in _words(e.context)})
                 for e in data.events if _words(e.context)},
        direction_matcher=matcher(direction_terms),
        direction_patterns=patterns,
        sector_matcher=matcher(sector_terms),
        reactions=data.reactions,
    )


@functools.cache
def event_book() -> EventBook:
    """events.yaml, validated and compiled (cached for the process)."""
    data: _EventsFile = load_knowledge(_EventsFile, "events.yaml")
    return compile_book(data)
