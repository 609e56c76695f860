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


# The title of an edition whose language no story of the day is told in: what the day
# holds, in the edition's own words, since a title in the other language may not head it.
_OTHER_ONLY = {"zh": "今日外文要闻：{names}", "en": "Reported in Chinese today: {names}"}
_OTHER_ONLY_BARE = {"zh": "今日外文要闻", "en": "Reported in Chinese today"}


def day_title(items: list[Item], lex: Lexicon) -> Text:
    """The top story's title in each language: the first item that has one (never two glued).

    A language no item is told in gets a title that names, in that language, who or
    where the top stories are about (the first name in each of the first three titles)."""
    if not items:
        return Text(zh="今日无重要资讯", en="No major news today")
    zh, en = _in(items, "zh"), _in(items, "en")
    return Text(
        zh=short_title(zh[0].title.zh, True) if zh else _other_only(items, "zh", lex),
        en=short_title(en[0].title.en, False) if en else _other_only(items, "en", lex),
    )


def _other_only(items: list[Item], lang: str, lex: Lexicon) -> str:
    names = _lead_names(items[:3], lex, lang)
    if not names:
        return _OTHER_ONLY_BARE[lang]
    return _OTHER_ONLY[lang].format(names=("、" if lang == "zh" else ", ").join(names))


def _lead_names(items: list[Item], lex: Lexicon, lang: str) -> list[str]:
    """The first known name in each item's title (its subject, as titles go), in `lang`."""
    names: list[str] = []
    for item in items:
        title = item.title.zh or item.title.en
        for key in lex.entity_matcher.keys(title):
            name = getattr(lex.entities[key], lang)
            if name and name not in names:
                names.append(name)
                break
    return names


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
    seen = {t.zh for t in out}
    for name in _most_named(items, lex, settings.max_content_tags):
        if name.zh not in seen:
            seen.add(name.zh)
            out.append(name)
    return out


def _most_named(items: list[Item], lex: Lexicon, count: int) -> list[Text]:
    """The `count` entities (not places) and impact targets the items name most, in both
    languages; an entity in a title counts twice an impact target."""
    counts: Counter[str] = Counter()
    for item in items:
        text = item.title.zh + " " + item.title.en
        for key in lex.entity_matcher.keys(text):
            if lex.entities[key].kind != "place":
                counts[f"e:{key}"] += 2
        for impact in item.impacts:
            if impact.target_key:
                counts[f"a:{impact.target_key}"] += 1
    out: list[Text] = []
    for key, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:count]:
        entry = lex.entities[key[2:]] if key.startswith("e:") else lex.assets[key[2:]]
        out.append(Text(zh=entry.zh, en=entry.en[:1].upper() + entry.en[1:]))  # a tag: "Tariffs"
    return out


def write_headline(items: list[Item], settings: AnalysisSettings, lex: Lexicon) -> Headline:
    return Headline(
        title=day_title(items, lex),
        summary=tuple(summary(items, settings.summary_items)),
        tags=tuple(tags(items[: settings.summary_items], settings, lex)),
    )
