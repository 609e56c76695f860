"""The SQLite store: sources and their fetch state, articles, LLM cache, briefings, runs.

    store = Store.open(path)            # creates or migrates; refuses foreign/newer files
    with store:                         # closes on exit
        store.save_fetch(state, articles)            # articles, then the watermark: (new, updated)
        store.upsert_articles(source_id, articles)   # idempotent: (new, updated)
        store.save_source_state(state)               # only after the articles are in
        store.articles_between(start, end)           # half-open [start, end)

Every public method turns SQLite failures into `StorageError`, and a lock held by another
process into `DatabaseLockedError` after `busy_timeout`. Writes run in explicit
`BEGIN IMMEDIATE` transactions, so a method either writes everything or nothing.
Times are stored as fixed-width UTC strings, so text order is time order.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from briefing.article import Article
from briefing.errors import DatabaseLockedError, StorageError
from briefing.store.batch import upsert_batch
from briefing.store.damage import quick_check, storage_error
from briefing.store.records import (
    HASH_CHANGED_LIMIT,
    RunRecord,
    SourceState,
    article_from_row,
    from_ts,
    to_ts,
)
from briefing.store.schema import SCHEMA_VERSION, connect, is_locked

__all__ = ["HASH_CHANGED_LIMIT", "SCHEMA_VERSION", "RunRecord", "SourceState", "Store"]

# an article's time: as stated, else first seen (the expression of the articles_by_time index)
_TIME = "coalesce(published, first_seen)"

P = ParamSpec("P")
R = TypeVar("R")


def _guarded(method: Callable[P, R]) -> Callable[P, R]:
    """Turn sqlite3 errors into StorageError / DatabaseLockedError naming the store.

    A failure other than a lock runs `PRAGMA quick_check` (`briefing.store.damage`): a
    damaged store is refused with one line instead of answering with garbage rows.
    """

    @functools.wraps(method)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        store: Store = args[0]  # type: ignore[assignment]
        if store._db is None:
            raise StorageError(f"store is closed: {store.path}")
        try:
            return method(*args, **kwargs)
        except sqlite3.Error as exc:
            if is_locked(exc):
                raise DatabaseLockedError(
                    f"store is locked by another process: {store.path}: "
                    "wait for the other briefing run to finish"
                ) from exc
            raise storage_error(store._db, store.path, exc) from exc
        except ValueError as exc:
            # A row that decodes to nonsense, or a caller's bad argument: the check tells.
            if store._db is not None and quick_check(store._db) != "ok":
                raise storage_error(store._db, store.path, exc) from exc
            raise

    return wrapper


class Store:
    """One open briefing database. Not thread-safe: use it from one thread."""

    def __init__(self, db: sqlite3.Connection, path: Path) -> None:
        self._db: sqlite3.Connection | None = db
        self.path = path

    @classmethod
    def open(cls, path: Path | str, *, busy_timeout: float = 5.0) -> Store:
        """Open (creating or migrating) the store at `path`."""
        path = Path(path)
        return cls(connect(path, busy_timeout), path)

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def db(self) -> sqlite3.Connection:
        if self._db is None:
            raise StorageError(f"store is closed: {self.path}")
        return self._db

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One transaction; a write inside another one joins it (and its fate)."""
        db = self.db
        if db.in_transaction:
            yield db
            return
        db.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    # -- sources ------------------------------------------------------------------------

    @_guarded
    def source_state(self, source_id: str) -> SourceState | None:
        row = self.db.execute("SELECT * FROM sources WHERE id = ?", (source_id,)).fetchone()
        return SourceState.from_row(row) if row else None

    @_guarded
    def sources(self) -> list[SourceState]:
        rows = self.db.execute("SELECT * FROM sources ORDER BY id").fetchall()
        return [SourceState.from_row(r) for r in rows]

    @_guarded
    def save_source_state(self, state: SourceState) -> None:
        """Write a source's fetch state; call it only after its articles are stored."""
        self.save_source_states([state])

    @_guarded
    def save_source_states(self, states: Iterable[SourceState]) -> None:
        """Write several sources' fetch states in one transaction (a run's 304s)."""
        rows = [state.to_row() for state in states]
        if not rows:
            return
        cols = ", ".join(rows[0])
        marks = ", ".join("?" for _ in rows[0])
        updates = ", ".join(f"{c} = excluded.{c}" for c in rows[0] if c != "id")
        with self._write() as db:
            db.executemany(
                f"INSERT INTO sources ({cols}) VALUES ({marks}) "
                f"ON CONFLICT (id) DO UPDATE SET {updates}",
                [tuple(row.values()) for row in rows],
            )

    # -- articles -----------------------------------------------------------------------

    @_guarded
    def upsert_articles(self, source_id: str, articles: Iterable[Article]) -> tuple[int, int]:
        """Insert or update a source's articles in one transaction; return (new, updated).

        An unchanged article (same content hash) has `last_seen` moved, its admission
        verdict renewed and a stated time filled in where it had none. A changed one
        is rewritten, keeping `first_seen`, and keeping the stored `published` when the new
        one was inferred; after HASH_CHANGED_LIMIT rewrites an article is frozen, so a feed
        with an ad slot or a clock in its body cannot churn the store.
        """
        with self._write() as db:
            return upsert_batch(db, source_id, articles)

    @_guarded
    def save_fetch(self, state: SourceState, articles: Iterable[Article]) -> tuple[int, int]:
        """A source's articles and then its watermark, in one transaction: (new, updated).

        Either both are written or neither: a failure writing the watermark takes the
        articles back with it, so the next run refetches and ends where a clean run would.
        """
        with self._write() as db:
            counts = upsert_batch(db, state.id, articles)
            self.save_source_state(state)
        return counts

    @_guarded
    def article(self, article_id: str) -> Article | None:
        row = self.db.execute("SELECT * FROM articles WHERE id = ?", (article_id,)).fetchone()
        return article_from_row(row) if row else None

    @_guarded
    def articles(
        self,
        source_id: str | None = None,
        start: dt.datetime | None = None,
        end: dt.datetime | None = None,
        *,
        admitted_only: bool = False,
    ) -> list[Article]:
        """Articles, optionally of one source and within [start, end), by time then id.

        An article's time is its stated publication time, or first seen when it has none.
        `admitted_only` leaves out what admission rejected (kept for `briefing articles`).
        """
        where, params = [], []
        if source_id is not None:
            where.append("source_id = ?")
            params.append(source_id)
        if start is not None:
            where.append(f"{_TIME} >= ?")
            params.append(to_ts(start))
        if end is not None:
            where.append(f"{_TIME} < ?")
            params.append(to_ts(end))
        if admitted_only:
            where.append("rejected IS NULL")
        sql = "SELECT * FROM articles"
        if where:
            sql += " WHERE " + " AND ".join(where)
        rows = self.db.execute(sql + f" ORDER BY {_TIME}, id", params).fetchall()
        return [article_from_row(r) for r in rows]

    def articles_between(self, start: dt.datetime, end: dt.datetime) -> list[Article]:
        """Admitted articles whose time is in [start, end) (aware datetimes), by time then id."""
        return self.articles(start=start, end=end, admitted_only=True)

    @_guarded
    def article_count(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM articles").fetchone()[0])

    # -- LLM cache ----------------------------------------------------------------------

    @_guarded
    def cache_get(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM llm_cache WHERE key = ?", (key,)).fetchone()
        return str(row[0]) if row else None

    @_guarded
    def cache_put(
        self, key: str, model: str, value: str, *, now: dt.datetime | None = None
    ) -> None:
        created = to_ts(now or dt.datetime.now(dt.UTC))
        with self._write() as db:
            db.execute(
                "INSERT INTO llm_cache (key, model, value, created) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (key) DO UPDATE SET model = excluded.model, value = excluded.value,"
                " created = excluded.created",
                (key, model, value, created),
            )

    # -- briefings archive --------------------------------------------------------------

    @_guarded
    def save_briefing(
        self, date: dt.date, json_text: str, content_hash: str, *, now: dt.datetime | None = None
    ) -> None:
        """Store a day's briefing; `content_hash` is the sha256 (hex) of `json_text` as UTF-8,
        which the site takes as the day's identity (`briefing_hashes`)."""
        saved = to_ts(now or dt.datetime.now(dt.UTC))
        with self._write() as db:
            db.execute(
                "INSERT INTO briefings (date, json, content_hash, saved_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (date) DO UPDATE SET json = excluded.json,"
                " content_hash = excluded.content_hash, saved_at = excluded.saved_at",
                (date.isoformat(), json_text, content_hash, saved),
            )

    @_guarded
    def load_briefing(self, date: dt.date) -> str | None:
        row = self.db.execute(
            "SELECT json FROM briefings WHERE date = ?", (date.isoformat(),)
        ).fetchone()
        return str(row[0]) if row else None

    @_guarded
    def briefing_hash(self, date: dt.date) -> str | None:
        row = self.db.execute(
            "SELECT content_hash FROM briefings WHERE date = ?", (date.isoformat(),)
        ).fetchone()
        return str(row[0]) if row else None

    @_guarded
    def briefing_hashes(self) -> dict[dt.date, str]:
        """Every stored briefing's content hash by date, without the JSON (the site tells
        what changed from these and reads only the days it renders)."""
        rows = self.db.execute("SELECT date, content_hash FROM briefings ORDER BY date").fetchall()
        return {dt.date.fromisoformat(r[0]): str(r[1]) for r in rows}

    @_guarded
    def briefing_saved_at(self, date: dt.date) -> dt.datetime | None:
        """When the day's briefing was last saved (a rebuild or a correction moves it)."""
        row = self.db.execute(
            "SELECT saved_at FROM briefings WHERE date = ?", (date.isoformat(),)
        ).fetchone()
        return from_ts(str(row[0])) if row else None

    @_guarded
    def briefing_texts(self) -> dict[dt.date, str]:
        """Every stored briefing's JSON by date, in one query (the site reads them all)."""
        rows = self.db.execute("SELECT date, json FROM briefings ORDER BY date").fetchall()
        return {dt.date.fromisoformat(r[0]): str(r[1]) for r in rows}

    @_guarded
    def briefing_dates(self) -> list[dt.date]:
        rows = self.db.execute("SELECT date FROM briefings ORDER BY date").fetchall()
        return [dt.date.fromisoformat(r[0]) for r in rows]

    # -- runs ---------------------------------------------------------------------------

    @_guarded
    def record_run(
        self,
        kind: str,
        *,
        started: dt.datetime,
        finished: dt.datetime,
        status: str,
        details: Mapping[str, Any] | None = None,
    ) -> int:
        """Append one run (`fetch`, `build`, `nightly`...) with JSON details; return its id."""
        payload = json.dumps(dict(details or {}), ensure_ascii=False, sort_keys=True, default=str)
        with self._write() as db:
            cur = db.execute(
                "INSERT INTO runs (kind, started, finished, status, details) VALUES (?, ?, ?, ?, ?)",
                (kind, to_ts(started), to_ts(finished), status, payload),
            )
            return int(cur.lastrowid or 0)

    @_guarded
    def runs(self, kind: str | None = None, limit: int = 20) -> list[RunRecord]:
        """The most recent runs first."""
        sql, params = "SELECT * FROM runs", []
        if kind is not None:
            sql += " WHERE kind = ?"
            params.append(kind)
        rows = self.db.execute(sql + " ORDER BY id DESC LIMIT ?", (*params, limit)).fetchall()
        return [
            RunRecord(
                id=r["id"],
                kind=r["kind"],
                started=from_ts(r["started"]),
                finished=from_ts(r["finished"]),
                status=r["status"],
                details=json.loads(r["details"]),
            )
            for r in rows
        ]

    # -- maintenance --------------------------------------------------------------------

    @_guarded
    def integrity_check(self) -> str:
        return str(self.db.execute("PRAGMA integrity_check").fetchone()[0])
