"""A source's articles into the `articles` table with a handful of statements.

One SELECT per 500 ids finds what is stored already; then one `executemany` each for the
new rows, the unchanged ones (only `last_seen` moves) and the changed ones, where the
old code ran a SELECT and an INSERT or UPDATE per article. The rules are those of
`Store.upsert_articles`; the caller holds the transaction.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import Any

from briefing.article import Article
from briefing.errors import StorageError
from briefing.store.records import HASH_CHANGED_LIMIT, article_to_row

_CHUNK = 500  # ids per SELECT, well under SQLite's limit on bound parameters
_Stored = tuple[str, int, str | None, int, str]  # hash, update_count, published, inferred, first


def _stored(db: sqlite3.Connection, ids: list[str]) -> dict[str, _Stored]:
    found: dict[str, _Stored] = {}
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        marks = ", ".join("?" for _ in chunk)
        for row in db.execute(
            "SELECT id, content_hash, update_count, published, date_inferred, first_seen"
            f" FROM articles WHERE id IN ({marks})",
            chunk,
        ):
            found[row[0]] = (row[1], row[2], row[3], row[4], row[5])
    return found


def _rows(source_id: str, articles: Iterable[Article]) -> list[dict[str, Any]]:
    rows = []
    for article in articles:
        if article.source_id != source_id:
            raise StorageError(
                f"article {article.id} belongs to {article.source_id}, not {source_id}"
            )
        rows.append(article_to_row(article))
    return rows


def upsert_batch(
    db: sqlite3.Connection, source_id: str, articles: Iterable[Article]
) -> tuple[int, int]:
    """Write `articles` of `source_id` inside the caller's transaction; (new, updated)."""
    rows = _rows(source_id, articles)
    if not rows:
        return 0, 0
    stored = _stored(db, [r["id"] for r in rows])
    inserts: list[dict[str, Any]] = []
    touches: list[tuple[Any, ...]] = []
    rewrites: list[dict[str, Any]] = []
    for row in rows:
        old = stored.get(row["id"])
        if old is None:
            inserts.append(row)
            # a repeated id later in the same batch meets this row, as it would row by row
            stored[row["id"]] = (
                row["content_hash"],
                0,
                row["published"],
                row["date_inferred"],
                row["first_seen"],
            )
            continue
        old_hash, count, old_published, old_inferred, old_first = old
        last_seen = max(row["last_seen"], old_first)
        if old_hash == row["content_hash"] or count >= HASH_CHANGED_LIMIT:
            # the text is the same, but today's verdict and a newly readable date count
            touches.append(
                (last_seen, row["rejected"], row["published"], row["published"], row["id"])
            )
            continue
        row["first_seen"] = old_first
        row["last_seen"] = last_seen
        row["update_count"] = count + 1
        if row["date_inferred"] and old_published is not None:
            row["published"], row["date_inferred"] = old_published, old_inferred
        rewrites.append(row)
        stored[row["id"]] = (
            row["content_hash"],
            count + 1,
            row["published"],
            row["date_inferred"],
            old_first,
        )
    # statements run in list order, so a repeated id ends as it would row by row
    if inserts:
        cols = list(inserts[0])
        db.executemany(
            f"INSERT INTO articles ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})",
            [tuple(r[c] for c in cols) for r in inserts],
        )
    if touches:
        db.executemany(
            "UPDATE articles SET last_seen = max(last_seen, ?), rejected = ?,"
            " published = coalesce(?, published),"
            " date_inferred = (coalesce(?, published) IS NULL) WHERE id = ?",
            touches,
        )
    if rewrites:
        cols = [c for c in rewrites[0] if c != "id"]
        db.executemany(
            f"UPDATE articles SET {', '.join(f'{c} = ?' for c in cols)} WHERE id = ?",
            [(*(r[c] for c in cols), r["id"]) for r in rewrites],
        )
    return len(inserts), len(rewrites)
