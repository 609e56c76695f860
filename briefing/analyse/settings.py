"""Settings of the analysis stage (`analysis:` and `llm:` in feeds.yaml)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class _Settings(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AnalysisSettings(_Settings):
    cutoff: str = "08:00"
    analyst: str = "rules"
    dedupe_days: int = 3
    max_items_per_section: int = 6
    tags: list[str] = ["经济日报", "宏观经济"]
    seo: list[str] = ["经济日报", "金融日报"]
