"""Settings of the publish stage (`site:` in feeds.yaml)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class SiteSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    base_url: str = "https://example.org/briefing/"
    default_lang: str = "zh"
    out: str = "out"
    min_items: int = 5
