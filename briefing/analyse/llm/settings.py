"""Settings of the LLM analyst (`llm:` in feeds.yaml).

Every limit the LLM client obeys is declared here once, with its default and help text,
so feeds.yaml and the code show the same numbers. The analyst is used only when
`enabled` is true and both `base_url` and `model` are set (see `configured`).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator

# A path segment shaped like a secret key (sk-…, or 32+ characters of key alphabet).
_KEY_IN_PATH = re.compile(r"(?:^|/)(?:(?:sk|rk|pk)-[A-Za-z0-9_-]{8,}|[A-Za-z0-9_-]{32,})(?:/|$)")


class LLMSettings(BaseModel):
    """`llm:` in feeds.yaml: an OpenAI-compatible chat-completions endpoint."""

    model_config = ConfigDict(extra="forbid")

    enabled: bool = Field(True, description="false keeps the rules analyst even when configured")
    base_url: str | None = Field(
        None,
        description="endpoint root, e.g. https://api.openai.com/v1 (…/chat/completions is added)",
    )
    model: str | None = Field(None, description="model name sent with every request")
    api_key_env: str = Field(
        "BRIEFING_LLM_API_KEY",
        description="environment variable holding the API key; unset means no Authorization header",
    )
    connect_timeout: float = Field(10.0, gt=0, description="seconds to open a connection")
    read_timeout: float = Field(90.0, gt=0, description="seconds between two received chunks")
    total_timeout: float = Field(
        180.0, gt=0, description="seconds for one story's call, retries and back-off included"
    )
    run_timeout: float = Field(
        1800.0, gt=0, description="seconds for all LLM calls of a run; later stories fall back"
    )
    retries: int = Field(2, ge=0, le=10, description="extra attempts on time-outs, 429 and 5xx")
    backoff: float = Field(1.0, ge=0, description="first retry delay in seconds, doubled each time")
    max_backoff: float = Field(
        30.0, ge=0, description="longest wait between attempts; a longer Retry-After gives up"
    )
    concurrency: int = Field(4, ge=1, le=64, description="requests in flight at once")
    max_tokens_per_run: int = Field(
        300_000, ge=0, description="token budget of a run (usage.total_tokens); then fall back"
    )
    max_tokens_per_call: int = Field(2_000, ge=64, description="max_tokens asked for in one answer")
    temperature: float = Field(0.0, ge=0, le=2)
    json_mode: bool = Field(
        True,
        description='send response_format {"type": "json_object"}; turn off for servers without it',
    )
    max_articles_per_story: int = Field(5, ge=1, le=20, description="articles sent per story")
    max_article_chars: int = Field(
        4_000, ge=200, description="characters of each article's text sent in a prompt"
    )
    prompts_dir: str | None = Field(
        None, description="folder of prompt templates; default: the project's templates/prompts"
    )

    @field_validator("base_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(
                f"base_url must be an http(s) URL such as https://api.openai.com/v1, not {value!r}"
            )
        # A key in the URL would be written wherever the URL is (logs, errors, the manifest);
        # the value is not echoed back here for the same reason.
        if parts.username is not None or parts.password is not None or parts.query or parts.fragment:
            raise ValueError(
                "base_url must not carry credentials, a query string or a fragment: put the key "
                "in the environment variable named by llm.api_key_env (BRIEFING_LLM_API_KEY)"
            )
        if _KEY_IN_PATH.search(parts.path):
            raise ValueError(
                "base_url looks like it contains an API key: keep the key in the environment "
                "variable named by llm.api_key_env (BRIEFING_LLM_API_KEY)"
            )
        return value.rstrip("/")

    @property
    def configured(self) -> bool:
        """True when the LLM analyst should be used."""
        return bool(self.enabled and self.base_url and self.model)
