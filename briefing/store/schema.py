"""The store's schema and its migrations; opening a file that may not be ours.

The file is marked with an `application_id` and versioned with `user_version`. Each
migration runs in one transaction together with the bump of `user_version`, so a step that
raises halfway leaves the database exactly as it was (SQLite DDL is transactional). A file
that is not SQLite, carries someone else's `application_id`, or comes from a newer
briefing is refused and never touched.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from briefing.errors import DatabaseLockedError, StorageError

APPLICATION_ID = 0x42524946  # "BRIF"


def _run_script(db: sqlite3.Connection, script: str) -> None:
    # not executescript(): on Python 3.11 it commits first, which would break the
    # one-transaction-per-migration promise.
    for statement in script.split(";"):
        lines = [ln.split("--")[0] for ln in statement.splitlines()]
        if "".join(lines).strip():
            db.execute("\n".join(lines))


def _v1(db: sqlite3.Connection) -> None:
    _run_script(
        db,
        """
        CREATE TABLE sources (
            id TEXT PRIMARY KEY,
            kind TEXT NOT NULL,               -- 'feed' or 'local'
            location TEXT NOT NULL,           -- URL or path as configured
            name TEXT,
            etag TEXT,
            last_modified TEXT,
            last_checked TEXT,
            last_success TEXT,
            next_fetch_after TEXT,            -- set from a long Retry-After
            last_error_type TEXT,
            last_error_message TEXT,
            last_error_at TEXT,
            consecutive_failures INTEGER NOT NULL DEFAULT 0,
            gone_count INTEGER NOT NULL DEFAULT 0  -- consecutive 410s: flag for disabling
        );
        CREATE TABLE articles (
            id TEXT PRIMARY KEY,
            source_id TEXT NOT NULL,
            source_name TEXT NOT NULL,
            url TEXT,
            title TEXT NOT NULL,
            title_norm TEXT NOT NULL,
            published TEXT NOT NULL,          -- UTC, fixed-width ISO: sorts as time
            date_inferred INTEGER NOT NULL DEFAULT 0,
            lang TEXT NOT NULL,
            text TEXT NOT NULL,
            text_norm TEXT NOT NULL,
            html TEXT,
            content_hash TEXT NOT NULL,
            first_seen TEXT NOT NULL,
            last_seen TEXT NOT NULL,
            update_count INTEGER NOT NULL DEFAULT 0,
            source_weight REAL NOT NULL DEFAULT 1.0,
            section_hint TEXT
        );
        CREATE INDEX articles_by_published ON articles (published, id);
        CREATE INDEX articles_by_source ON articles (source_id, published);
        CREATE INDEX articles_by_url ON articles (url);
        CREATE TABLE llm_cache (
            key TEXT PRIMARY KEY,
            model TEXT NOT NULL,
            value TEXT NOT NULL,
            created TEXT NOT NULL
        );
        CREATE TABLE briefings (
            date TEXT PRIMARY KEY,            -- YYYY-MM-DD
            json TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            saved_at TEXT NOT NULL
        );
        CREATE TABLE runs (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            kind TEXT NOT NULL,               -- 'fetch', 'build', 'nightly', ...
            started TEXT NOT NULL,
            finished TEXT NOT NULL,
            status TEXT NOT NULL,             -- 'ok', 'partial', 'failed'
            details TEXT NOT NULL DEFAULT '{}'  -- JSON: counts, per-source results, ...
        );
        """,
    )


_ARTICLE_COLUMNS_V1 = (
    "id, source_id, source_name, url, title, title_norm, published, date_inferred, lang, text,"
    " text_norm, html, content_hash, first_seen, last_seen, update_count, source_weight,"
    " section_hint"
)


def _v2(db: sqlite3.Connection) -> None:
    """Dates are facts or absent; admission verdicts; parallel text; source health.

    `articles.published` becomes NULL-able: an article whose source stated no time keeps
    NULL there (it was `first_seen` before, flagged `date_inferred`), and the day window
    reads `coalesce(published, first_seen)`. The table is rebuilt because SQLite cannot
    drop a NOT NULL constraint in place.
    """
    _stated = _ARTICLE_COLUMNS_V1.replace(
        "published,", "CASE WHEN date_inferred THEN NULL ELSE published END,", 1
    )
    _run_script(
        db,
        f"""
        CREATE TABLE articles_v2 (
            id TEXT PRIMARY KEY,
            source_id TEXT NOT NULL,
            source_name TEXT NOT NULL,
            url TEXT,
            title TEXT NOT NULL,
            title_norm TEXT NOT NULL,
            published TEXT,                   -- UTC as stated by the source, NULL when none was
            date_inferred INTEGER NOT NULL DEFAULT 0,  -- 1 exactly when published IS NULL
            lang TEXT NOT NULL,
            text TEXT NOT NULL,
            text_norm TEXT NOT NULL,
            html TEXT,
            content_hash TEXT NOT NULL,
            first_seen TEXT NOT NULL,
            last_seen TEXT NOT NULL,
            update_count INTEGER NOT NULL DEFAULT 0,
            source_weight REAL NOT NULL DEFAULT 1.0,
            section_hint TEXT,
            parallel_lang TEXT,               -- a bilingual item's second language
            parallel_title TEXT,
            parallel_text TEXT,
            parallel_text_norm TEXT,
            rejected TEXT                     -- admission: NULL is news, else the reason
        );
        INSERT INTO articles_v2 ({_ARTICLE_COLUMNS_V1})
            SELECT {_stated}
            FROM articles;
        DROP TABLE articles;
        ALTER TABLE articles_v2 RENAME TO articles;
        CREATE INDEX articles_by_time ON articles (coalesce(published, first_seen), id);
        CREATE INDEX articles_by_source ON articles (source_id, published);
        CREATE INDEX articles_by_url ON articles (url);
        ALTER TABLE sources ADD COLUMN entries INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE sources ADD COLUMN newest_published TEXT;  -- newest stated entry time
        ALTER TABLE sources ADD COLUMN stale INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE sources ADD COLUMN warnings TEXT NOT NULL DEFAULT '[]'  -- JSON list
        """,
    )


Migration = Callable[[sqlite3.Connection], None]

# index i holds the step from user_version i to i + 1; append, never edit.
MIGRATIONS: list[Migration] = [_v1, _v2]
SCHEMA_VERSION = len(MIGRATIONS)


def is_locked(exc: sqlite3.Error) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text


def connect(path: Path, busy_timeout: float) -> sqlite3.Connection:
    """Open `path`, check it is ours, migrate it to `SCHEMA_VERSION`; raise StorageError."""
    if path.exists() and path.is_dir():
        raise StorageError(f"store is a folder, not a file: {path}: set settings.store to a file")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StorageError(f"cannot create the store's folder: {path.parent}: {exc}") from exc
    try:
        db = sqlite3.connect(path, timeout=busy_timeout, isolation_level=None)
    except sqlite3.Error as exc:
        raise StorageError(f"cannot open store: {path}: {exc}") from exc
    db.row_factory = sqlite3.Row
    try:
        _check_and_migrate(db, path)
    except BaseException:
        db.close()
        raise
    return db


def _check_and_migrate(db: sqlite3.Connection, path: Path) -> None:
    try:
        app_id = db.execute("PRAGMA application_id").fetchone()[0]
        version = db.execute("PRAGMA user_version").fetchone()[0]
        tables = db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        if is_locked(exc):
            raise DatabaseLockedError(f"store is locked by another process: {path}") from exc
        raise StorageError(
            f"not a briefing store: {path}: {exc}: point settings.store at another file"
        ) from exc
    if app_id not in (0, APPLICATION_ID) or (app_id == 0 and (version or tables)):
        raise StorageError(
            f"not a briefing store: {path}: the file belongs to another application; "
            "point settings.store at another file"
        )
    if version > SCHEMA_VERSION:
        raise StorageError(
            f"store was written by a newer briefing: {path}: schema {version} > {SCHEMA_VERSION}; "
            "upgrade briefing"
        )
    try:
        if db.execute("PRAGMA journal_mode=WAL").fetchone()[0].lower() != "wal":
            raise StorageError(f"cannot switch the store to WAL mode: {path}")
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute("PRAGMA foreign_keys=ON")
        for step in range(version, SCHEMA_VERSION):
            migrate_step(db, step)
    except sqlite3.Error as exc:
        if is_locked(exc):
            raise DatabaseLockedError(f"store is locked by another process: {path}") from exc
        raise StorageError(f"cannot prepare store: {path}: {exc}") from exc


def migrate_step(db: sqlite3.Connection, step: int) -> None:
    """Run MIGRATIONS[step] and the version bump in one transaction."""
    db.execute("BEGIN IMMEDIATE")
    try:
        if db.execute("PRAGMA user_version").fetchone()[0] != step:
            db.execute("ROLLBACK")  # another process migrated meanwhile
            return
        MIGRATIONS[step](db)
        db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        db.execute(f"PRAGMA user_version = {step + 1}")
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise
