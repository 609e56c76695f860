"""Publication times as feeds and pages write them, to aware datetimes, or None.

    parse_date(value, zone, china=False) -> (datetime | None, impossible)

Dates are facts or absent: a value we cannot read gives None, never a guess and never the
fetch time. The standard forms (RFC 822, ISO 8601) are read by the standard library, as
feedparser reads them; everything else (`Seg, 24 Set 2018`, `2026年2月5日 05:02`,
`2026/02/05 05:02:00`, `星期四, 05 二月 2026`) goes to dateparser, restricted to the
languages news feeds use. feedparser's own fallback is not used for those: it reads
`2026年2月5日 05:02` as 1 November 2026.

A time without a zone is in `zone` (the source's `timezone:`, else settings.timezone).
`china` says the source writes Chinese: its `CST` is China Standard Time (+08:00), not
US Central (-06:00), which is what every parser assumes.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import functools
import re
from typing import Any
from zoneinfo import ZoneInfo

_ISO_DAY = re.compile(r"^\s*\d{4}-\d{1,2}-\d{1,2}")
_CST = re.compile(r"\bCST\b")
_DIGIT = re.compile(r"\d")
# languages dateparser may try: month and weekday names of the news languages
DATE_LANGUAGES = ("en", "zh", "pt", "es", "fr", "de", "it", "ru", "ja", "ko", "nl", "id")
_MAX_CHARS = 80  # a date is short; a long string is a sentence, not a date


def parse_date(
    value: str | None, zone: ZoneInfo, *, china: bool = False
) -> tuple[dt.datetime | None, bool]:
    """(aware datetime or None, impossible).

    `impossible` is True for well-formed but non-existent dates (30 February), which
    feedparser would silently roll over to 1 March: the entry is then undated.
    """
    if not value or not value.strip():
        return None, False
    text = " ".join(value.split())
    if china:
        text = _CST.sub("+0800", text)
    parsed, impossible, standard = _standard(text)
    if impossible:
        return None, True
    if parsed is None and not standard and _DIGIT.search(text) and len(text) <= _MAX_CHARS:
        parsed = _dateparser(text, zone.key)
    if parsed is None:
        return None, False
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=zone)
    return parsed, False


def _standard(text: str) -> tuple[dt.datetime | None, bool, bool]:
    """(parsed, impossible, recognised): RFC 822 and ISO 8601 by the standard library."""
    if email.utils.parsedate_tz(text) is not None:
        try:
            return email.utils.parsedate_to_datetime(text), False, True
        except (ValueError, TypeError, OverflowError):
            return None, True, True
    if _ISO_DAY.match(text):
        try:
            return dt.datetime.fromisoformat(text.replace("Z", "+00:00").replace(" ", "T", 1)), (
                False
            ), True
        except ValueError:
            try:  # date-only or odd separators: check the day exists at least
                day = dt.date.fromisoformat(text[:10])
            except ValueError:
                return None, True, True
            if len(text.strip()) == 10:
                return dt.datetime(day.year, day.month, day.day), False, True
            return None, False, False  # "2026-02-05 5:02 PM": let dateparser read it
    return None, False, False


@functools.cache
def _parser(zone_key: str) -> Any:
    from dateparser.date import DateDataParser

    settings = {
        "TIMEZONE": zone_key,  # for zone-less values
        "RETURN_AS_TIMEZONE_AWARE": True,
        "REQUIRE_PARTS": ["day", "month", "year"],  # "Tuesday" alone is not a date
        "PREFER_DATES_FROM": "past",
    }
    return DateDataParser(
        languages=list(DATE_LANGUAGES), settings=settings, try_previous_locales=True
    )


def _dateparser(text: str, zone_key: str) -> dt.datetime | None:
    try:
        found = _parser(zone_key).get_date_data(text)
    except (ValueError, TypeError, OverflowError, KeyError, AttributeError):
        return None
    when = found.date_obj if found is not None else None
    return when if isinstance(when, dt.datetime) else None
