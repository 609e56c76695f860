"""Settings of the analysis stage (`analysis:` in feeds.yaml), declared once with their help."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from briefing.knowledge import SectionSpec


class _Settings(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RankingWeights(_Settings):
    """How much each signal adds to a story's score (see briefing/analyse/rank.py)."""

    sources: float = Field(1.0, description="per independent source (log-scaled)")
    source_weight: float = Field(0.5, description="the best source's configured weight")
    recency: float = Field(0.3, description="0 at the window's start, full at its end")
    market: float = Field(0.4, description="price moves, percentages, market targets")
    policy: float = Field(0.4, description="decisions: rate moves, sanctions, approvals")
    entities: float = Field(0.15, description="per known entity named in the title")


class ClusterSettings(_Settings):
    """Thresholds of story building (see briefing/analyse/stories.py)."""

    near_duplicate: float = Field(0.5, ge=0, le=1, description="shingle Jaccard of near duplicates")
    same_story: float = Field(0.55, ge=0, le=1, description="article–story similarity to join")
    max_hours_apart: float = Field(30.0, gt=0, description="reports further apart are other events")


class AnalysisSettings(_Settings):
    cutoff: str = Field("08:00", description="the day's window ends at this local time (HH:MM)")
    analyst: str = Field("rules", description="rules (offline) or llm")
    dedupe_days: int = Field(3, ge=0, description="drop stories already published this many days")
    max_items_per_section: int = Field(6, ge=1, description="full items per section")
    max_brief_items: int = Field(12, ge=0, description="one-liners in the brief section (更多动态)")
    min_item_score: float = Field(1.2, description="stories below this score go to 更多动态")
    max_key_points: int = Field(5, ge=2, le=6, description="key points per item (2–6)")
    summary_items: int = Field(8, ge=1, description="summary bullets, one per top item")
    max_content_tags: int = Field(4, ge=0, description="tags added from the day's content")
    tags: list[str] = ["经济日报", "宏观经济"]
    tags_en: list[str] = Field(
        ["Daily Economic Briefing", "Macro"], description="English wording of `tags`, same order"
    )
    seo: list[str] = ["经济日报", "金融日报"]
    single_language: Literal["list", "inline", "omit"] = Field(
        "list",
        description="a story told in one language only, in the other edition: a compact list "
        "at the end (title, source, link, language), inline in its language (marked), or omit",
    )
    sections: list[SectionSpec] | None = Field(
        None, description="replace the section taxonomy (briefing/data/sections.yaml)"
    )
    ranking: RankingWeights = Field(default_factory=RankingWeights)
    clustering: ClusterSettings = Field(default_factory=ClusterSettings)

    @field_validator("cutoff")
    @classmethod
    def _cutoff_is_a_time(cls, value: str) -> str:
        from briefing.analyse.window import parse_cutoff
        from briefing.errors import ConfigError

        try:
            parse_cutoff(value)
        except ConfigError as exc:  # a ValueError, so load_config names the file and key
            raise ValueError(str(exc)) from exc
        return value
