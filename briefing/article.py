"""`Article`: one stored news article, the boundary between ingest/store and analyse."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Article:
    """A cleaned article as the store holds it.

    `text` is the cleaned original (in its own script); `text_norm` is the text used for
    analysis: NFC, Traditional Chinese converted to Simplified. Times are time-zone aware.
    """

    id: str
    source_id: str
    source_name: str
    url: str | None
    title: str
    title_norm: str
    published: dt.datetime
    lang: str  # "zh-Hans", "zh-Hant" or "en"
    text: str
    text_norm: str
    content_hash: str
    first_seen: dt.datetime
    last_seen: dt.datetime
    html: str | None = None
    date_inferred: bool = False
    source_weight: float = 1.0
    section_hint: str | None = None
