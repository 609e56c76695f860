"""`Article`: one stored news article, the boundary between ingest/store and analyse."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


def lang_family(lang: str) -> str:
    """`zh` for zh-Hans/zh-Hant/zh, else the primary subtag (`en`, `pt`, ...)."""
    return lang.split("-")[0].lower()


@dataclass(frozen=True)
class Parallel:
    """The same article in a second language, as a bilingual item carried it.

    A machine-translated item that quotes its original (`【原文：…】`, `(Original: …)`)
    is one article in two languages: `Article.title/text` hold the main language (the
    article's `lang`), `Parallel` the other one, cleaned the same way.
    """

    lang: str  # "en", "zh-Hans" or "zh-Hant"
    title: str
    text: str
    text_norm: str


@dataclass(frozen=True)
class Article:
    """A cleaned article as the store holds it.

    `text` is the cleaned original (in its own script); `text_norm` is the text used for
    analysis: NFC, Traditional Chinese converted to Simplified. Times are time-zone aware.

    `published` is when the article counts as published: the time its source stated, or,
    when the source stated none (`date_inferred`), the time it was first seen. The store
    keeps the stated time apart (NULL when absent); `stated_published` gives it back.

    `rejected` is the admission verdict: None for news, else the reason a person reads in
    `briefing articles` (`promotion: "sponsored"`). Rejected articles stay in the store
    but never enter a briefing.
    """

    id: str
    source_id: str
    source_name: str
    url: str | None
    title: str
    title_norm: str
    published: dt.datetime
    lang: str  # BCP 47-ish: "zh-Hans", "zh-Hant", "en", "pt", "ru", ...
    text: str
    text_norm: str
    content_hash: str
    first_seen: dt.datetime
    last_seen: dt.datetime
    html: str | None = None
    date_inferred: bool = False
    source_weight: float = 1.0
    section_hint: str | None = None
    parallel: Parallel | None = None
    rejected: str | None = None

    @property
    def stated_published(self) -> dt.datetime | None:
        """The publication time the source gave, or None when it gave none."""
        return None if self.date_inferred else self.published

    @property
    def admitted(self) -> bool:
        return self.rejected is None

    def in_language(self, family: str) -> tuple[str, str] | None:
        """(title, text) in `family` (`zh` or `en`): the main text or the parallel one."""
        if lang_family(self.lang) == family:
            return self.title, self.text
        if self.parallel is not None and lang_family(self.parallel.lang) == family:
            return self.parallel.title, self.parallel.text
        return None
