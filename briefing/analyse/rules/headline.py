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
    """A title fit for a headline: the first phrase, without exclamations and ellipses."""
    title = title.strip()
    if zh:
        head = _ZH_CUT.split(title, maxsplit=1)[0].strip()
        head = head if len(head) >= 6 else title
        if len(head) > _ZH_MAX:
            comma = max(head.rfind(c, 0, _ZH_MAX) for c in "，,、 ")
            head = head[:comma] if comma >= 6 else head[:_ZH_MAX]
        return head.strip(" ，,、")
    head = re.split(r"[:;!?]\s", title, maxsplit=1)[0].strip() or title
    if len(head) > _EN_MAX:
        head = head[: head.rfind(" ", 0, _EN_MAX)]
    return head.strip(" ,")


def day_title(items: list[Item]) -> Text:
    """'A与B' (zh) and 'A; B' (en) from the top one or two items; empty day: a plain title."""
    if not items:
        return Text(zh="今日无重要资讯", en="No major news today")
    zh = [short_title(i.title.zh, True) for i in items[:2] if i.title.zh]
    en = [short_title(i.title.en, False) for i in items[:2] if i.title.en]
    return Text(zh="与".join(zh[:2]), en="; ".join(en[:2]))


def summary(items: list[Item], count: int) -> list[Text]:
    """One bullet per top item: its title, in each language it has."""
    return [Text(zh=i.title.zh, en=i.title.en) for i in items[:count]]


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
