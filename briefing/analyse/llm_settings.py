"""Settings of the LLM analyst (`llm:` in feeds.yaml)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class LLMSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    base_url: str | None = None
    model: str | None = None
    api_key_env: str = "BRIEFING_LLM_API_KEY"
