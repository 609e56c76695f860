"""Settings of the render stage (`render:` in feeds.yaml)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class RenderSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    footer_zh: str | None = None
    footer_en: str | None = None
