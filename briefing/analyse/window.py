"""The day's window: which articles belong to the briefing of a date.

The briefing of day D covers `[D-1 cut-off, D cut-off)` in the configured time zone
(default Asia/Shanghai, 08:00). Everything is computed with `zoneinfo` on aware
datetimes, so the host's `TZ` never matters (RELIABILITY #23).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from briefing.article import Article
from briefing.errors import ConfigError

_CUTOFF = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


def parse_cutoff(cutoff: str) -> dt.time:
    """'08:00' → time(8, 0); anything else is a `ConfigError` that says the format."""
    m = _CUTOFF.match(cutoff.strip())
    if not m:
        raise ConfigError(f"analysis.cutoff is not a time: {cutoff!r}: write it as HH:MM, e.g. 08:00")
    return dt.time(int(m.group(1)), int(m.group(2)))


def zone(timezone: str) -> ZoneInfo:
    try:
        return ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError(
            f"unknown time zone: {timezone!r}: use an IANA name such as Asia/Shanghai"
        ) from exc


def day_window(date: dt.date, timezone: str, cutoff: str) -> tuple[dt.datetime, dt.datetime]:
    """`[D-1 cutoff, D cutoff)` of `date` in `timezone`, as aware datetimes.

    Wall-clock times are resolved in the zone, so on a DST change day the window is 23 or
    25 hours long, as the reader's day is.
    """
    tz = zone(timezone)
    at = parse_cutoff(cutoff)
    end = dt.datetime.combine(date, at, tzinfo=tz)
    start = dt.datetime.combine(date - dt.timedelta(days=1), at, tzinfo=tz)
    return start, end


def effective_time(article: Article, clock: dt.datetime) -> dt.datetime:
    """When an article counts as published: a date in the future is clamped to first seen.

    Ingest clamps future dates too (RELIABILITY #22); this guards articles from elsewhere.
    """
    if article.published > clock:
        return min(article.first_seen, clock)
    return article.published


def in_window(
    articles: Iterable[Article], start: dt.datetime, end: dt.datetime, clock: dt.datetime
) -> list[Article]:
    """The articles whose effective time falls in `[start, end)`, in (time, id) order."""
    chosen = [a for a in articles if start <= effective_time(a, clock) < end]
    return sorted(chosen, key=lambda a: (effective_time(a, clock), a.id))
