"""Rows of the store as values, and the conversions between rows and `Article`s."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from dataclasses import dataclass, field, fields
from typing import Any

from briefing.article import Article, Parallel

# After this many content changes an article is frozen (reader's HASH_CHANGED_LIMIT).
HASH_CHANGED_LIMIT = 24

_TS_FORMAT = "%Y-%m-%dT%H:%M:%S.%f+00:00"


def to_ts(value: dt.datetime) -> str:
    """A fixed-width UTC string; refuses naive datetimes, which would be ambiguous."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"naive datetime {value!r}: pass a time-zone aware datetime")
    return value.astimezone(dt.UTC).strftime(_TS_FORMAT)


def from_ts(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value)


def _opt_ts(value: dt.datetime | None) -> str | None:
    return to_ts(value) if value is not None else None


def _opt_from(value: str | None) -> dt.datetime | None:
    return from_ts(value) if value else None


@dataclass(frozen=True)
class SourceState:
    """What the store remembers about one source between runs."""

    id: str
    kind: str
    location: str
    name: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    last_checked: dt.datetime | None = None
    last_success: dt.datetime | None = None
    next_fetch_after: dt.datetime | None = None
    last_error_type: str | None = None
    last_error_message: str | None = None
    last_error_at: dt.datetime | None = None
    consecutive_failures: int = 0
    gone_count: int = 0
    entries: int = 0  # entries in the last successful fetch
    newest_published: dt.datetime | None = None  # newest stated entry time ever seen
    stale: bool = False  # the newest stated entry is older than settings.stale_after_days
    warnings: tuple[str, ...] = ()  # of the last fetch, aggregated one per kind

    @property
    def flagged_for_disabling(self) -> bool:
        """Three 410 Gone answers in a row: the feed is dead, disable it in feeds.yaml."""
        return self.gone_count >= 3

    def to_row(self) -> dict[str, Any]:
        row = {f.name: getattr(self, f.name) for f in fields(self)}  # flat: no deep copies
        for key in _STATE_TIMES:
            row[key] = _opt_ts(row[key])
        row["stale"] = int(self.stale)
        row["warnings"] = json.dumps(list(self.warnings), ensure_ascii=False)
        return row

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> SourceState:
        data = dict(row)
        for key in _STATE_TIMES:
            data[key] = _opt_from(data[key])
        data["stale"] = bool(data.get("stale"))
        data["warnings"] = tuple(json.loads(data.get("warnings") or "[]"))
        return cls(**data)


_STATE_TIMES = (
    "last_checked",
    "last_success",
    "next_fetch_after",
    "last_error_at",
    "newest_published",
)


@dataclass(frozen=True)
class RunRecord:
    """One recorded run, for the nightly manifest and `briefing doctor`."""

    id: int
    kind: str
    started: dt.datetime
    finished: dt.datetime
    status: str
    details: dict[str, Any] = field(default_factory=dict)


def article_to_row(article: Article) -> dict[str, Any]:
    parallel = article.parallel
    return {
        "id": article.id,
        "source_id": article.source_id,
        "source_name": article.source_name,
        "url": article.url,
        "title": article.title,
        "title_norm": article.title_norm,
        "published": _opt_ts(article.stated_published),
        "date_inferred": int(article.date_inferred),
        "lang": article.lang,
        "text": article.text,
        "text_norm": article.text_norm,
        "html": article.html,
        "content_hash": article.content_hash,
        "first_seen": to_ts(article.first_seen),
        "last_seen": to_ts(article.last_seen),
        "source_weight": article.source_weight,
        "section_hint": article.section_hint,
        "parallel_lang": parallel.lang if parallel else None,
        "parallel_title": parallel.title if parallel else None,
        "parallel_text": parallel.text if parallel else None,
        "parallel_text_norm": parallel.text_norm if parallel else None,
        "rejected": article.rejected,
    }


def article_from_row(row: sqlite3.Row) -> Article:
    parallel = None
    if row["parallel_lang"]:
        parallel = Parallel(
            lang=row["parallel_lang"],
            title=row["parallel_title"] or "",
            text=row["parallel_text"] or "",
            text_norm=row["parallel_text_norm"] or "",
        )
    stated = row["published"]
    return Article(
        id=row["id"],
        source_id=row["source_id"],
        source_name=row["source_name"],
        url=row["url"],
        title=row["title"],
        title_norm=row["title_norm"],
        published=from_ts(stated or row["first_seen"]),
        lang=row["lang"],
        text=row["text"],
        text_norm=row["text_norm"],
        content_hash=row["content_hash"],
        first_seen=from_ts(row["first_seen"]),
        last_seen=from_ts(row["last_seen"]),
        html=row["html"],
        date_inferred=stated is None,
        source_weight=row["source_weight"],
        section_hint=row["section_hint"],
        parallel=parallel,
        rejected=row["rejected"],
    )
