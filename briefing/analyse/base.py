"""What the analysis stage passes between its parts: `Story` and the `Analyst` interface.

The pipeline (pure, deterministic) selects the day's articles, merges them into stories,
ranks and classifies them; an analyst then writes each story up as an `Item`. Two
analysts sit behind one interface: `rules` (offline, the default) and `llm`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from briefing.article import Article
from briefing.model import Item, Text

if TYPE_CHECKING:
    from briefing.analyse.stories.signature import Signature


@dataclass(frozen=True)
class Story:
    """One event, told by one or more articles (lead article first)."""

    id: str
    articles: tuple[Article, ...]
    section: str
    score: float
    follow_up: bool = False
    # the earlier item a follow-up continues: its title and the date of its briefing
    prior: tuple[Text, dt.date] | None = None
    entities: frozenset[str] = field(default_factory=frozenset)
    signature: Signature | None = field(default=None, compare=False, repr=False)

    @property
    def lead(self) -> Article:
        return self.articles[0]

    @property
    def time(self) -> dt.datetime:
        return min(a.published for a in self.articles)


@dataclass(frozen=True)
class Headline:
    """The day's title, summary bullets and tags."""

    title: Text
    summary: tuple[Text, ...]
    tags: tuple[Text, ...] = ()


class Analyst(Protocol):
    """Writes stories up. Implementations never raise for one bad story: they fall back."""

    name: str

    def write_item(self, story: Story, brief: bool) -> Item:
        """The item for a story; `brief` items (更多动态) need only a title."""
        ...

    def write_headline(self, items: list[Item]) -> Headline:
        """Title, summary and tags from the day's ranked items."""
        ...

    @property
    def degraded(self) -> list[str]:
        """Reasons this analyst fell back during the run (empty when it did not)."""
        ...
