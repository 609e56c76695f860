"""The CPU-bound half of ingest, as picklable functions run in worker processes.

Each job turns bytes (or a local path) into finished `Article`s, so the event loop that
drives the network only receives values to store.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from briefing.ingest.entries import ParsedSource, build_articles
from briefing.ingest.feeds import parse_feed
from briefing.ingest.local import read_source
from briefing.ingest.settings import IngestSettings, SourceConfig


def parse_feed_job(
    source: SourceConfig,
    settings: IngestSettings,
    body: bytes,
    content_type: str | None,
    url: str,
    now: dt.datetime,
) -> ParsedSource:
    raws, warnings = parse_feed(
        body,
        content_type=content_type,
        url=url,
        zone=source.zone(settings.zone),
        china=source.writes_chinese,
        max_entries=settings.max_entries,
    )
    parsed = build_articles(raws, source, settings, now)
    parsed.warnings[:0] = warnings
    return parsed


def read_local_job(
    source: SourceConfig, settings: IngestSettings, root: Path, now: dt.datetime
) -> ParsedSource:
    raws, warnings = read_source(root, source.path or "", source.zone(settings.zone))
    parsed = build_articles(raws, source, settings, now)
    parsed.warnings[:0] = warnings
    return parsed
