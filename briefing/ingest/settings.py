"""Settings of the ingest stage and the sources, as they appear in feeds.yaml.

Every limit the fetcher obeys is declared here, once, with its default, so that a reader
of feeds.yaml and a reader of the code see the same numbers (the httpx habit of keeping
time-outs and limits in one place).
"""

from __future__ import annotations

import re
from typing import Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

LANGS = ("zh-Hans", "zh-Hant", "en")
_SOURCE_ID = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}$")


def _check_zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(
            f"unknown time zone {value!r}: use an IANA name such as Asia/Shanghai or UTC"
        ) from exc
    return value


class _Settings(BaseModel):
    model_config = ConfigDict(extra="forbid")


class IngestSettings(_Settings):
    """Top-level `settings:` of feeds.yaml that concern fetching and storing."""

    timezone: str = Field("Asia/Shanghai", description="IANA zone the briefing day is cut in")
    store: str = Field("state/briefing.sqlite", description="SQLite file, relative to feeds.yaml")
    concurrency: int = Field(16, ge=1, le=256, description="sources fetched at once")
    connect_timeout: float = Field(10.0, gt=0, description="seconds to open a connection")
    read_timeout: float = Field(30.0, gt=0, description="seconds between two received chunks")
    total_timeout: float = Field(
        60.0, gt=0, description="seconds for a whole source, retries included"
    )
    max_feed_bytes: int = Field(16 * 1024 * 1024, ge=1024, description="cap after decompression")
    max_redirects: int = Field(5, ge=0, le=20)
    retries: int = Field(2, ge=0, le=10, description="extra attempts on 429 and 5xx")
    backoff: float = Field(1.0, ge=0, description="first retry delay in seconds, doubled each time")
    max_retry_wait: float = Field(
        30.0, ge=0, description="a longer Retry-After defers the source to a later run"
    )
    user_agent: str = "briefing/0.1 (+https://github.com/briefing)"
    local_root: str = Field(".", description="local sources must live under this folder")
    allow_hosts: list[str] = Field(
        default_factory=list,
        description="hosts, IPs or CIDRs on private networks that feeds may use",
    )
    max_entries: int = Field(500, ge=1, description="entries kept per source and fetch")
    max_title_chars: int = Field(500, ge=20)
    max_text_chars: int = Field(200_000, ge=1000)
    parse_workers: int = Field(
        -1, ge=-1, le=64, description="processes parsing feeds; 0 parses inline, -1 picks"
    )
    parse_memory_mb: int = Field(
        1024, ge=64, description="address space a parse worker may add; over it, the source fails"
    )
    busy_timeout: float = Field(5.0, ge=0, description="seconds to wait for a locked store")
    languages: list[str] = Field(
        default_factory=lambda: ["zh", "en"],
        min_length=1,
        description="languages that may enter a briefing (ISO 639-1: zh, en, ...)",
    )
    stale_after_days: int = Field(
        14, ge=1, description="a source whose newest dated entry is older is stale"
    )

    @field_validator("languages")
    @classmethod
    def _language_codes(cls, value: list[str]) -> list[str]:
        out = []
        for code in value:
            family = code.split("-")[0].strip().lower()
            if not re.fullmatch(r"[a-z]{2,3}", family):
                raise ValueError(f"language {code!r} is not an ISO 639 code such as zh or en")
            out.append(family)
        return out

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        return _check_zone(value)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


class SourceConfig(_Settings):
    """One entry of `sources:`: a feed (`url`) or a local file or folder (`path`)."""

    id: str
    name: str | None = None
    url: str | None = None
    path: str | None = None
    lang: Literal["zh-Hans", "zh-Hant", "en"] | None = None
    weight: float = Field(1.0, ge=0, le=10)
    section: str | None = None
    enabled: bool = True
    timezone: str | None = Field(
        None, description="IANA zone of this source's times that carry no zone of their own"
    )

    @field_validator("timezone")
    @classmethod
    def _source_zone(cls, value: str | None) -> str | None:
        return None if value is None else _check_zone(value)

    def zone(self, default: ZoneInfo) -> ZoneInfo:
        """The zone for this source's zone-less times: its own `timezone:`, else `default`."""
        return ZoneInfo(self.timezone) if self.timezone else default

    @property
    def writes_chinese(self) -> bool | None:
        """True when configured as Chinese (its `CST` is +08:00); None: ask the feed."""
        return True if self.lang and self.lang.startswith("zh") else None

    @field_validator("id")
    @classmethod
    def _id_shape(cls, value: str) -> str:
        if not _SOURCE_ID.match(value):
            raise ValueError(
                f"source id {value!r} must be lower-case letters, digits, '-', '_' or '.', "
                "starting with a letter or digit (e.g. reuters-business)"
            )
        return value

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is None:
            return value
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"url {value!r} must start with http:// or https://")
        return value

    @model_validator(mode="after")
    def _url_or_path(self) -> SourceConfig:
        if (self.url is None) == (self.path is None):
            raise ValueError("give exactly one of `url` (a feed) or `path` (local files)")
        return self

    @property
    def display_name(self) -> str:
        return self.name or self.id

    @property
    def kind(self) -> str:
        return "feed" if self.url else "local"
