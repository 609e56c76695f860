"""The day's title, summary bullets and tags, from the top items."""

from __future__ import annotations

import re
from collections import Counter

from briefing.analyse.base import Headline
from briefing.analyse.lexicon import Lexicon
from briefing.analyse.settings import AnalysisSettings
from briefing.model import Item, Text

_ZH_CUT = re.compile(r"[！!？?。；;：:　]|\s{2,}|…|\.\.\.")
_ZH_MAX = 22
_EN_MAX = 80


def short_title(title: str, zh: bool) -> str:
    """A title fit for a headline: its first phrase when that says enough, never cut mid-phrase.

    A title too long for a headline is shortened only at a phrase boundary (a space or
    comma in Chinese, a colon or semicolon in English); when no boundary gives a phrase of
    some length the whole title stands — a long headline reads better than a cut one.
    """
    title = title.strip()
    if zh:
        head = _ZH_CUT.split(title, maxsplit=1)[0].strip()
        head = head if len(head) >= 6 else title
        if len(head) > _ZH_MAX:
            cuts = [i for i, ch in enumerate(head[:_ZH_MAX + 1]) if ch in "，, " and i >= 6]
            head = head[: cuts[-1]] if cuts else head
        return head.strip(" ，,、")
    head = re.split(r"[:;!?]\s", title, maxsplit=1)[0].strip()
    head = head if len(head.split()) >= 3 else title
    return head.strip(" ,")


def _in(items: list[Item], lang: str) -> list[Item]:
    return [i for i in items if getattr(i.title, lang)]


def day_title(items: list[Item]) -> Text:
    """The top story's title in each language: the first item that has one (never two glued)."""
    if not items:
        return Text(zh="今日无重要资讯", en="No major news today")
    zh, en = _in(items, "zh"), _in(items, "en")
    return Text(zh=short_title(zh[0].title.zh, True) if zh else "",
                en=short_title(en[0].title.en, False) if en else "")


def summary(items: list[Item], count: int) -> list[Text]:
    """One bullet per top item in each language, from the items told in that language.

    The Chinese and English lists are paired by position: each edition reads its own
    list, so a story told only in English never heads the Chinese summary.
    """
    zh = [i.title.zh for i in _in(items, "zh")[:count]]
    en = [i.title.en for i in _in(items, "en")[:count]]
    return [Text(zh=zh[n] if n < len(zh) else "", en=en[n] if n < len(en) else "")
            for n in range(max(len(zh), len(en)))]


def tags(items: list[Item], settings: AnalysisSettings, lex: Lexicon) -> list[Text]:
    """Configured tags, then the entities and targets most named by the top items."""
    out = [
        Text(zh=zh, en=settings.tags_en[n] if n < len(settings.tags_en) else zh)
        for n, zh in enumerate(settings.tags)
    ]
    counts: Counter[str] = Counter()
    for item in items:
        text = item.title.zh + " " + item.title.en
        for key in lex.entity_matcher.keys(text):
            if lex.entities[key].kind != "place":
                counts[f"e:{key}"] += 2
        for impact in item.impacts:
            if impact.target_key:
                counts[f"a:{impact.target_key}"] += 1
    seen = {t.zh for t in out}
    for key, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[: settings.max_content_tags]:
        entry = lex.entities[key[2:]] if key.startswith("e:") else lex.assets[key[2:]]
        if entry.zh not in seen:
            seen.add(entry.zh)
            out.append(Text(zh=entry.zh, en=entry.en))
    return out


def write_headline(items: list[Item], settings: AnalysisSettings, lex: Lexicon) -> Headline:
    return Headline(
        title=day_title(items),
        summary=tuple(summary(items, settings.summary_items)),
        tags=tuple(tags(items[: settings.summary_items], settings, lex)),
    )
