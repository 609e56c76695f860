"""The SQLite store: a real file in tmp_path (RELIABILITY section D)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from briefing.article import Article
from briefing.errors import DatabaseLockedError, StorageError
from briefing.store import HASH_CHANGED_LIMIT, SCHEMA_VERSION, SourceState, Store, schema

UTC = dt.UTC
T0 = dt.datetime(2026, 2, 4, 12, 0, tzinfo=UTC)


def make(
    aid: str = "a1",
    *,
    published: dt.datetime = T0,
    text: str = "body",
    inferred: bool = False,
    seen: dt.datetime = T0,
    source: str = "src",
) -> Article:
    return Article(
        id=aid,
        source_id=source,
        source_name="Source",
        url=f"https://example.com/{aid}",
        title=f"title {aid}",
        title_norm=f"title {aid}",
        published=published,
        lang="en",
        text=text,
        text_norm=text,
        content_hash=f"hash-{text}",
        first_seen=seen,
        last_seen=seen,
        date_inferred=inferred,
    )


@pytest.fixture
def store(tmp_path: Path) -> Store:
    with Store.open(tmp_path / "s.sqlite") as s:
        yield s


def test_new_store_is_wal_versioned_and_marked(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "s.sqlite"
    Store.open(path).close()
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert db.execute("PRAGMA application_id").fetchone()[0] == schema.APPLICATION_ID
    db.close()
    Store.open(path).close()  # reopening an up-to-date store is a no-op


def test_not_sqlite_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite"
    path.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(StorageError, match="not a briefing store"):
        Store.open(path)
    assert path.read_bytes().startswith(b"this is not")


def test_foreign_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE theirs (x)")
    db.commit()
    db.close()
    with pytest.raises(StorageError, match="another application"):
        Store.open(path)
    db = sqlite3.connect(path)
    db.execute("PRAGMA application_id = 1234")
    db.commit()
    db.close()
    with pytest.raises(StorageError, match="another application"):
        Store.open(path)


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite"
    Store.open(path).close()
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.commit()
    db.close()
    with pytest.raises(StorageError, match="newer briefing"):
        Store.open(path)


def test_failing_migration_rolls_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def half(db: sqlite3.Connection) -> None:
        db.execute("CREATE TABLE half_done (x)")
        raise RuntimeError("boom in the middle")

    monkeypatch.setattr(schema, "MIGRATIONS", [schema.MIGRATIONS[0], half])
    monkeypatch.setattr(schema, "SCHEMA_VERSION", 2)
    path = tmp_path / "s.sqlite"
    with pytest.raises(RuntimeError):
        Store.open(path)
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == 1
    assert not db.execute("SELECT 1 FROM sqlite_master WHERE name = 'half_done'").fetchone()


def test_upsert_is_idempotent(store: Store) -> None:
    arts = [make("a1"), make("a2")]
    assert store.upsert_articles("src", arts) == (2, 0)
    assert store.upsert_articles("src", arts) == (0, 0)
    later = T0 + dt.timedelta(hours=1)
    assert store.upsert_articles("src", [make("a1", text="changed", seen=later)]) == (0, 1)
    got = store.article("a1")
    assert got.text == "changed" and got.first_seen == T0 and got.last_seen == later


def test_inferred_date_does_not_move_a_stored_date(store: Store) -> None:
    store.upsert_articles("src", [make("a1")])
    store.upsert_articles(
        "src", [make("a1", text="new", published=T0 + dt.timedelta(days=1), inferred=True)]
    )
    got = store.article("a1")
    assert got.published == T0 and not got.date_inferred and got.text == "new"


def test_content_churn_is_capped(store: Store) -> None:
    store.upsert_articles("src", [make("a1")])
    updates = sum(
        store.upsert_articles("src", [make("a1", text=f"v{i}")])[1]
        for i in range(HASH_CHANGED_LIMIT + 5)
    )
    assert updates == HASH_CHANGED_LIMIT


def test_articles_between_is_half_open_and_ordered(store: Store) -> None:
    shanghai = dt.timezone(dt.timedelta(hours=8))
    arts = [make(f"a{i}", published=T0 + dt.timedelta(hours=i)) for i in (3, 1, 2, 0)]
    arts.append(make("b1", published=T0 + dt.timedelta(hours=1)))
    store.upsert_articles("src", arts)
    start = (T0 + dt.timedelta(hours=1)).astimezone(shanghai)
    got = store.articles_between(start, T0 + dt.timedelta(hours=3))
    assert [a.id for a in got] == ["a1", "b1", "a2"]
    assert all(a.published.tzinfo is not None for a in got)
    assert [a.id for a in store.articles(source_id="nope")] == []
    with pytest.raises(ValueError, match="naive"):
        store.articles_between(dt.datetime(2026, 2, 4), dt.datetime(2026, 2, 5))


def test_article_of_another_source_is_refused(store: Store) -> None:
    with pytest.raises(StorageError):
        store.upsert_articles("src", [make("a1", source="other")])
    assert store.article_count() == 0


def test_cache_briefings_runs(store: Store) -> None:
    assert store.cache_get("k") is None
    store.cache_put("k", "model-x", '{"a": 1}')
    store.cache_put("k", "model-x", '{"a": 2}')
    assert store.cache_get("k") == '{"a": 2}'
    store.save_briefing(dt.date(2026, 2, 5), '{"d": 5}', "h5")
    store.save_briefing(dt.date(2026, 2, 4), '{"d": 4}', "h4")
    assert store.load_briefing(dt.date(2026, 2, 5)) == '{"d": 5}'
    assert store.briefing_hashes() == {dt.date(2026, 2, 4): "h4", dt.date(2026, 2, 5): "h5"}
    assert store.load_briefing(dt.date(2026, 2, 6)) is None
    assert store.briefing_dates() == [dt.date(2026, 2, 4), dt.date(2026, 2, 5)]
    assert store.briefing_hash(dt.date(2026, 2, 4)) == "h4"
    rid = store.record_run("nightly", started=T0, finished=T0, status="ok", details={"n": 1})
    assert store.runs()[0].id == rid and store.runs()[0].details == {"n": 1}


def test_source_state_round_trip(store: Store) -> None:
    state = SourceState(id="s", kind="feed", location="https://x/", etag='"1"', last_checked=T0)
    store.save_source_state(state)
    store.save_source_state(replace(state, etag='"2"'))
    assert store.source_state("s") == replace(state, etag='"2"')
    assert [s.id for s in store.sources()] == ["s"]


WRITES = {
    "upsert_articles": lambda s: s.upsert_articles("src", [make("zz")]),
    "save_source_state": lambda s: s.save_source_state(
        SourceState(id="s", kind="feed", location="u")
    ),
    "cache_put": lambda s: s.cache_put("k", "m", "v"),
    "save_briefing": lambda s: s.save_briefing(dt.date(2026, 2, 5), "{}", "h"),
    "record_run": lambda s: s.record_run("fetch", started=T0, finished=T0, status="ok"),
}
READS = {
    "articles": lambda s: s.articles(),
    "articles_between": lambda s: s.articles_between(T0, T0 + dt.timedelta(days=1)),
    "article": lambda s: s.article("a"),
    "source_state": lambda s: s.source_state("s"),
    "sources": lambda s: s.sources(),
    "cache_get": lambda s: s.cache_get("k"),
    "load_briefing": lambda s: s.load_briefing(dt.date(2026, 2, 5)),
    "briefing_dates": lambda s: s.briefing_dates(),
    "runs": lambda s: s.runs(),
}


@pytest.fixture
def writer_holds_lock(tmp_path: Path):
    """An open store, and another connection holding the write lock (case 39)."""
    path = tmp_path / "s.sqlite"
    store = Store.open(path, busy_timeout=0.05)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("INSERT INTO llm_cache VALUES ('held', 'm', 'v', 'now')")
    yield store
    holder.execute("ROLLBACK")
    holder.close()
    store.close()


@pytest.mark.parametrize("name", sorted(WRITES))
def test_every_write_reports_a_locked_store(writer_holds_lock: Store, name: str) -> None:
    with pytest.raises(DatabaseLockedError, match="locked by another process"):
        WRITES[name](writer_holds_lock)
    assert writer_holds_lock.article_count() == 0  # no partial write


@pytest.mark.parametrize("name", sorted(READS))
def test_reads_go_on_while_a_writer_holds_the_lock(writer_holds_lock: Store, name: str) -> None:
    READS[name](writer_holds_lock)  # WAL: readers see the last commit, never block
    assert writer_holds_lock.cache_get("held") is None


def test_open_reports_a_locked_store(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("CREATE TABLE x (y)")
    try:
        with pytest.raises(DatabaseLockedError, match="locked"):
            Store.open(path, busy_timeout=0.05)
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_closed_store_raises_storage_error(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "s.sqlite")
    store.close()
    with pytest.raises(StorageError, match="closed"):
        store.articles()


def test_undated_articles_keep_no_publication_time(store: Store) -> None:
    later = T0 + dt.timedelta(hours=3)
    store.upsert_articles("src", [make("u1", published=later, inferred=True, seen=later)])
    row = store.db.execute("SELECT published, first_seen FROM articles").fetchone()
    assert row["published"] is None and row["first_seen"].startswith("2026-02-04T15:00")
    got = store.article("u1")
    assert got.date_inferred and got.stated_published is None and got.published == later
    # the window reads it at its first-seen time
    assert [a.id for a in store.articles_between(later, later + dt.timedelta(minutes=1))] == ["u1"]
    # a later fetch that can read its date fills it in, without a content change
    store.upsert_articles("src", [make("u1", published=T0, seen=later)])
    assert store.article("u1").stated_published == T0


def test_rejected_articles_are_stored_but_outside_the_window(store: Store) -> None:
    store.upsert_articles("src", [make("a1"), replace(make("a2"), rejected="podcast: x")])
    assert {a.id for a in store.articles()} == {"a1", "a2"}
    assert [a.id for a in store.articles_between(T0, T0 + dt.timedelta(hours=1))] == ["a1"]
    assert store.article("a2").rejected == "podcast: x"
    # a renewed verdict is stored even when the text did not change
    store.upsert_articles("src", [make("a2")])
    assert store.article("a2").rejected is None


def test_parallel_text_round_trips(store: Store) -> None:
    from briefing.article import Parallel

    both = replace(
        make("b1", text="央行维持利率不变。"),
        lang="zh-Hans",
        parallel=Parallel("en", "Central bank holds rates", "The bank held rates.", "The bank…"),
    )
    store.upsert_articles("src", [both])
    got = store.article("b1")
    assert got.parallel == both.parallel
    assert got.in_language("en") == ("Central bank holds rates", "The bank held rates.")
    assert got.in_language("zh") == (got.title, "央行维持利率不变。")
    assert got.in_language("pt") is None


def test_version_1_store_migrates_undated_rows_to_null(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    db = sqlite3.connect(path, isolation_level=None)
    schema.MIGRATIONS[0](db)
    db.execute(f"PRAGMA application_id = {schema.APPLICATION_ID}")
    db.execute("PRAGMA user_version = 1")
    for aid, inferred in (("dated", 0), ("undated", 1)):
        db.execute(
            "INSERT INTO articles (id, source_id, source_name, title, title_norm, published,"
            " date_inferred, lang, text, text_norm, content_hash, first_seen, last_seen)"
            " VALUES (?, 's', 'S', 't', 't', ?, ?, 'en', 'x', 'x', 'h', ?, ?)",
            (aid, "2026-02-04T12:00:00.000000+00:00", inferred,
             "2026-02-04T12:00:00.000000+00:00", "2026-02-04T12:00:00.000000+00:00"),
        )
    db.execute("INSERT INTO sources (id, kind, location) VALUES ('s', 'feed', 'https://x/')")
    db.close()
    with Store.open(path) as store:
        assert store.article("dated").stated_published == T0
        undated = store.article("undated")
        assert undated.stated_published is None and undated.published == T0
        state = store.source_state("s")
        assert state is not None and state.warnings == () and not state.stale
