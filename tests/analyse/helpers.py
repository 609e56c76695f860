"""Building `Article`s for analysis tests: directly, or from files via the ingest reader."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from zoneinfo import ZoneInfo

from briefing.article import Article

SHANGHAI = ZoneInfo("Asia/Shanghai")
SEEDS = Path("/work/shared/seeds")
SAMPLES = Path(__file__).resolve().parents[2] / "samples" / "articles"


def make_article(
    title: str,
    text: str,
    *,
    lang: str = "zh-Hans",
    source: str = "src",
    published: dt.datetime | str = "2026-02-04T20:00:00+08:00",
    url: str | None = None,
    weight: float = 1.0,
    ident: str | None = None,
) -> Article:
    """An article as the store would hold it (the text is taken as already normalised)."""
    when = dt.datetime.fromisoformat(published) if isinstance(published, str) else published
    key = ident or hashlib.sha1(f"{source}\0{title}".encode()).hexdigest()[:16]
    return Article(
        id=key,
        source_id=source,
        source_name=source.upper(),
        url=url or f"https://{source}.example/{key}",
        title=title,
        title_norm=title,
        published=when,
        lang=lang,
        text=text,
        text_norm=text,
        content_hash=hashlib.sha256(f"{title}\n{text}".encode()).hexdigest(),
        first_seen=when,
        last_seen=when,
        source_weight=weight,
    )


def read_local(path: Path, source_id: str, now: dt.datetime) -> Article:
    """An article read from a local file by the ingest stage's own reader and cleaner."""
    from briefing.ingest.entries import build_article
    from briefing.ingest.local import read_file
    from briefing.ingest.settings import IngestSettings, SourceConfig

    raw = read_file(path, path.name, SHANGHAI)
    article, _ = build_article(raw, SourceConfig(id=source_id, name=source_id, path=str(path.parent)), IngestSettings(), now)
    assert article is not None, path
    return article


def sample_articles() -> list[Article]:
    now = dt.datetime(2026, 2, 5, 7, 59, tzinfo=SHANGHAI)
    files = sorted(p for p in (SAMPLES / "2026-02-05").iterdir() if p.is_file())
    return [read_local(p, p.stem.split("-")[-1], now) for p in files]
