"""Per-edition words and formats: labels, stance words, dates and times.

An edition is ``zh``, ``en`` or ``zh-Hant``. Labels come from `briefing/data/labels.yaml`;
zh-Hant labels are the zh ones converted with OpenCC. Dates go through Babel.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Literal
from zoneinfo import ZoneInfo

from briefing.knowledge import load_yaml, stance_vocabulary
from briefing.model import Impact, Lang, Stance

Edition = Literal["zh", "en", "zh-Hant"]
EDITIONS: tuple[Edition, ...] = ("zh", "en", "zh-Hant")

_HTML_LANG: dict[str, str] = {"zh": "zh-CN", "en": "en", "zh-Hant": "zh-Hant"}
_BABEL_LOCALE: dict[str, str] = {"zh": "zh_Hans_CN", "en": "en", "zh-Hant": "zh_Hant_HK"}


def content_lang(edition: str) -> Lang:
    """The model language an edition reads its content from (zh-Hant reads zh)."""
    return "en" if edition == "en" else "zh"


def html_lang(edition: str) -> str:
    """The value of `<html lang>`: without it Pango may pick Japanese glyphs for CJK."""
    return _HTML_LANG[edition]


@functools.cache
def _all_labels() -> dict[str, dict[str, str]]:
    data: dict[str, dict[str, str]] = load_yaml("labels.yaml")  # libyaml's loader when present
    return data


@functools.cache
def labels(edition: str) -> dict[str, str]:
    """Interface words for an edition."""
    if edition == "zh-Hant":
        return {key: to_traditional(value) for key, value in _all_labels()["zh"].items()}
    return dict(_all_labels()[content_lang(edition)])


def colon(edition: str) -> str:
    """The label colon: full-width in Chinese, ASCII in English (`**Time:**`)."""
    return ":" if edition == "en" else "："


@functools.cache
def _converter() -> object:
    import opencc  # imported lazily: only the zh-Hant edition needs it

    return opencc.OpenCC("s2hk")


def to_traditional(text: str) -> str:
    """Simplified → Traditional (Hong Kong standard) with OpenCC."""
    if not text:
        return text
    converted: str = _converter().convert(text)  # type: ignore[attr-defined]
    return converted


def stance_word(impact: Impact, edition: str) -> str:
    """The stance as written for an edition: the recorded wording, else the default word."""
    return _stance_word(impact.stance_text.zh, impact.stance_text.en, impact.stance, content_lang(edition))


@functools.lru_cache(maxsize=4096)
def _stance_word(zh: str, en: str, stance: Stance, lang: Lang) -> str:
    """`stance_word` on plain values: a day repeats a few wordings across its tags and
    renderers, and each answer costs scans of the vocabulary."""
    vocabulary = stance_vocabulary()
    own = en if lang == "en" else zh
    if own and _written_stance(own) in (None, stance):
        return own
    other = zh if lang == "en" else en
    if own or _written_stance(other) not in (None, stance):
        return vocabulary.wording(stance, lang)  # the stance was edited: its words follow
    if other and (vocabulary.lookup(other) is not None or stance == "none"):
        return vocabulary.translate(other, lang)
    # Wording the vocabulary does not know (明显利多) is written by its normalised stance.
    return vocabulary.wording(stance, lang)


def _written_stance(wording: str) -> str | None:
    """The normalised stance a wording states (利多 → bullish, 明显利空 → bearish), if known."""
    if not wording:
        return None
    vocabulary = stance_vocabulary()
    word = vocabulary.lookup(wording)
    if word is None:
        inside = [w for w in vocabulary.stances if len(w.zh) >= 2 and w.zh in wording]
        word = max(inside, key=lambda w: len(w.zh)) if inside else None
    return word.stance if word is not None else None


@functools.lru_cache(maxsize=1024)
def format_time(moment: dt.datetime, edition: str, timezone: str) -> str:
    """An item's time in the briefing's zone: 2026-02-04 23:47 / Feb 4, 2026, 23:47."""
    local = moment.astimezone(ZoneInfo(timezone))
    if edition == "en":
        from babel.dates import format_datetime  # Babel loads only for English dates

        return format_datetime(local, "MMM d, y, HH:mm", tzinfo=ZoneInfo(timezone), locale="en")
    return local.strftime("%Y-%m-%d %H:%M")


def format_day(day: dt.date, edition: str) -> str:
    """A day without a clock time, as an item's time: 2025-12-09 / Dec 9, 2025."""
    if edition == "en":
        from babel.dates import format_date

        return format_date(day, "MMM d, y", locale="en")
    return day.isoformat()


def format_long_date(day: dt.date, edition: str) -> str:
    """A briefing date for titles: 2026年2月5日 / February 5, 2026."""
    from babel.dates import format_date

    return format_date(day, "long", locale=_BABEL_LOCALE[edition])
