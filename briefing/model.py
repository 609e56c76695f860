"""The hub: one model of a day's briefing, shared by every stage.

    Briefing ─▶ Section ─▶ Item ─▶ Impact
                              └──▶ Source (provenance)

A `Briefing` is bilingual: every content field is a `Text` holding the Chinese
(Simplified) and the English wording where known. An *edition* (zh, en, zh-Hant) is
chosen at render time, so the editions cannot drift apart: they are the same items
in the same order by construction.

The model round-trips through JSON losslessly (`Briefing.to_json` / `from_json`).
`layout` fields hold Markdown layout hints recorded by the importer (see
`briefing.render.markdown_import`); they exist only so that an imported post
renders back byte for byte and are ignored by every other renderer.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from briefing.vocabulary import LANGS, STANCES, Horizon, Lang, SingleLanguage, Stance

__all__ = [
    "LANGS",
    "SCHEMA_VERSION",
    "STANCES",
    "Briefing",
    "Horizon",
    "Impact",
    "Item",
    "Lang",
    "Section",
    "SingleLanguage",
    "Source",
    "Stance",
    "Text",
]

SCHEMA_VERSION = 1


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class Text(_Model):
    """A piece of content in Chinese and/or English; an empty string means "not known"."""

    zh: str = ""
    en: str = ""

    def get(self, lang: str) -> tuple[str, Lang]:
        """The text for an edition and the language it is really in.

        Falls back to the other language when this one is missing, so a caller can mark
        untranslated text (the second element differs from the edition's language).
        """
        want: Lang = "en" if lang == "en" else "zh"
        other: Lang = "zh" if want == "en" else "en"
        own = getattr(self, want)
        if own:
            return own, want
        return getattr(self, other), other

    def __bool__(self) -> bool:
        return bool(self.zh or self.en)

    @classmethod
    def of(cls, zh: str = "", en: str = "") -> Text:
        return cls(zh=zh, en=en)


class Source(_Model):
    """Where an item's facts come from: one article of one source."""

    name: str
    url: str | None = None
    title: str | None = None
    published: dt.datetime | None = None
    article_id: str | None = None
    lang: str | None = None


class Impact(_Model):
    """An asset-impact tag: 对{target}：{stance}。{reason}.

    `stance` is the normalised stance; `stance_text` keeps the words as written
    (短期利空, 中性偏鸽, Neutral-to-bullish …) so nothing is lost. A line without any
    stance word has stance ``none`` and empty `stance_text`. A ``note`` is a line such
    as ``投资启示：…`` standing in the impact block: `target` holds its label.

    `rule` and `evidence` say why the tag exists: the id of the knowledge rule that fired
    (``events.yaml`` ``fed_policy.ease``, or ``move.down`` for a move the text reports)
    and the sentence of the sources that triggered it. Both are empty for tags written
    by hand or by the LLM analyst.
    """

    kind: Literal["impact", "note"] = "impact"
    target: Text
    target_key: str | None = None
    stance: Stance = "none"
    horizon: Horizon | None = None
    stance_text: Text = Field(default_factory=Text)
    reason: Text = Field(default_factory=Text)
    rule: str | None = None
    evidence: Text = Field(default_factory=Text)
    layout: dict[str, Any] = Field(default_factory=dict)


class Item(_Model):
    """One story of the day."""

    id: str
    title: Text
    url: str | None = None
    time: dt.datetime | None = None
    time_end: dt.datetime | None = None  # the end of a time range (事件时间：A 至 B)
    key_points: list[Text] = Field(default_factory=list)
    insights: list[Text] = Field(default_factory=list)
    # What each insight rests on, in step with `insights`: ``rule:<event.outcome>`` (a
    # template of events.yaml), ``source:<article id>`` (a fact of that article), ``story``
    # (the story's sources and history), ``llm`` or ``edit``. Empty when nobody recorded it.
    insight_basis: list[str] = Field(default_factory=list)
    impacts: list[Impact] = Field(default_factory=list)
    sources: list[Source] = Field(default_factory=list)
    follow_up: bool = False
    layout: dict[str, Any] = Field(default_factory=dict)


class Section(_Model):
    """A section of the taxonomy; `brief` sections (更多动态) are flat one-line lists.

    A `compact` section is made by an edition (never stored): the stories that have no
    text in the edition's language, listed at the end as title, source, link and one
    language tag (see `briefing.render.editions`).
    """

    key: str
    title: Text
    brief: bool = False
    compact: bool = Field(False, exclude=True)  # an edition's view only: never stored
    items: list[Item] = Field(default_factory=list)
    layout: dict[str, Any] = Field(default_factory=dict)


class Briefing(_Model):
    """A day's briefing in both languages."""

    schema_version: int = SCHEMA_VERSION
    date: dt.date
    timezone: str = "Asia/Shanghai"
    title: Text
    category: Text = Field(default_factory=lambda: Text(zh="经济日报", en="Daily Economic Briefing"))
    tags: list[Text] = Field(default_factory=list)
    seo: list[str] = Field(default_factory=list)
    cover_image: str | None = None
    summary: list[Text] = Field(default_factory=list)
    sections: list[Section] = Field(default_factory=list)
    footer: str | None = None
    degraded: list[str] = Field(default_factory=list)
    # Findings for an editor that do not degrade the day (an LLM tag that contradicts a
    # rule of the offline reasoner), shown in the build report.
    review: list[str] = Field(default_factory=list)
    # How an edition shows an item with no text in its language: "list" (a compact list
    # at the end), "inline" (in place, in the other language, marked), "omit".
    single_language: SingleLanguage = "list"
    layout: dict[str, Any] = Field(default_factory=dict)

    def items(self) -> list[Item]:
        """Every item in reading order."""
        return [item for section in self.sections for item in section.items]

    def to_json(self) -> str:
        """Deterministic JSON (stable key order, UTF-8, trailing newline)."""
        return self.model_dump_json(indent=2) + "\n"

    @classmethod
    def from_json(cls, text: str | bytes) -> Briefing:
        return cls.model_validate_json(text)
