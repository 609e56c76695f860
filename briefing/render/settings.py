"""Settings of the render stage (`render:` in feeds.yaml)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class RenderSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    out: str = Field("out", description="where `briefing build` writes {lang}/{date}/ (not the site)")
    footer_zh: str | None = Field(None, description="raw HTML/Markdown after the zh post's `---`")
    footer_en: str | None = Field(None, description="the same for the English edition")
