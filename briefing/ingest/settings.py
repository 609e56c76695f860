"""Settings of the ingest stage and the sources, as they appear in feeds.yaml."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class _Settings(BaseModel):
    model_config = ConfigDict(extra="forbid")


class IngestSettings(_Settings):
    """Top-level `settings:` of feeds.yaml that concern fetching and storing."""

    timezone: str = "Asia/Shanghai"
    store: str = "state/briefing.sqlite"
    concurrency: int = Field(16, ge=1, le=256)
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    total_timeout: float = 60.0
    max_feed_bytes: int = 16 * 1024 * 1024
    user_agent: str = "briefing/0.1 (+https://github.com/briefing)"
    local_root: str = "."


class SourceConfig(_Settings):
    """One entry of `sources:`."""

    id: str
    name: str | None = None
    url: str | None = None
    path: str | None = None
    lang: str | None = None
    weight: float = 1.0
    section: str | None = None
    enabled: bool = True
