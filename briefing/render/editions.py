"""Editions of one bilingual `Briefing`: zh and en read the model as is; zh-Hant is zh
converted to Traditional Chinese with OpenCC (a view for rendering, never stored).

Each edition speaks its own language. A story told in both languages stands in both
editions in the same place, each in its own words; its key points, interpretation and
impact reasons that exist only in the other language are left out of this edition. A
story told in one language only stands in full in that edition; in the other it goes,
by the briefing's `single_language` policy, to a compact list at the end (`list`: title
as written, source, link, one language tag), stays in place marked (`inline`), or is
left out (`omit`). A day whose stories are all in the other language keeps its own
title (the analyst writes one for it) over the compact list. Only an edition with no text
at all in its language, not even a title (an imported zh-only post read in English), shows
everything inline rather than nothing.
"""

from __future__ import annotations

from typing import Any

from briefing.model import Briefing, Impact, Item, Lang, Section, Text
from briefing.render.i18n import EDITIONS, content_lang, labels, to_traditional
from briefing.render.untrusted import neutralise


def for_edition(briefing: Briefing, edition: str) -> Briefing:
    """The briefing as an edition renders it, its content of feed origin made inert.

    Every renderer reads the briefing through here (see `briefing.render.untrusted`);
    the result is `briefing` itself when it is a zh or en edition with nothing to disarm.
    """
    if edition not in EDITIONS:
        raise ValueError(f"unknown edition {edition!r}: choose from {', '.join(EDITIONS)}")
    briefing = own_language(neutralise(briefing), content_lang(edition))
    if edition != "zh-Hant":
        return briefing
    data = _convert_texts(briefing.model_dump())
    return Briefing.model_validate(data)


def _convert_texts(node: Any) -> Any:
    """Convert the `zh` side of every `Text` ({"zh": …, "en": …}) in a dumped model."""
    if isinstance(node, dict):
        if set(node) == {"zh", "en"} and isinstance(node["zh"], str):
            return {"zh": to_traditional(node["zh"]), "en": node["en"]}
        return {key: _convert_texts(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_convert_texts(value) for value in node]
    return node


COMPACT_KEY = "other-language"


def own_language(briefing: Briefing, lang: Lang) -> Briefing:
    """The briefing with every item in `lang` (see the module docstring); unchanged when
    every item already has text in `lang`, or nothing in it has."""
    if briefing.single_language == "inline":
        return briefing
    items = briefing.items()
    if all(getattr(i.title, lang) for i in items):
        return briefing
    if not getattr(briefing.title, lang) and not any(getattr(i.title, lang) for i in items):
        return briefing
    sections: list[Section] = []
    elsewhere: list[Item] = []
    for section in briefing.sections:
        kept = [_in_language(i, lang) for i in section.items if getattr(i.title, lang)]
        elsewhere.extend(compact_item(i) for i in section.items if not getattr(i.title, lang))
        if kept or not section.items:
            sections.append(section.model_copy(update={"items": kept}))
    if elsewhere and briefing.single_language == "list":
        sections.append(Section(
            key=COMPACT_KEY,
            title=Text(zh=labels("zh")["other_language"], en=labels("en")["other_language"]),
            brief=True,
            compact=True,
            items=elsewhere,
        ))
    summary = [line for line in briefing.summary if getattr(line, lang)]
    return briefing.model_copy(update={"sections": sections, "summary": summary})


def _in_language(item: Item, lang: Lang) -> Item:
    """The item's text in `lang` only: lines told only in the other language are left out."""
    points = [p for p in item.key_points if getattr(p, lang)]
    insights = [p for p in item.insights if getattr(p, lang)]
    impacts = [_impact_in(i, lang) for i in item.impacts]
    if points == item.key_points and insights == item.insights and impacts == item.impacts:
        return item
    return item.model_copy(update={"key_points": points, "insights": insights, "impacts": impacts})


def _impact_in(impact: Impact, lang: Lang) -> Impact:
    if not impact.reason or getattr(impact.reason, lang):
        return impact
    return impact.model_copy(update={"reason": Text()})  # the tag stays; its reason is elsewhere


def compact_item(item: Item) -> Item:
    """An item for the compact list: its title as written, link and sources only."""
    return item.model_copy(update={"key_points": [], "insights": [], "impacts": []})


def item_language(item: Item) -> Lang:
    """The language an item's title is written in (for the compact list's tag)."""
    return "zh" if item.title.zh and not item.title.en else "en"
