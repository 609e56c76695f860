"""feeds.yaml: the one configuration file, validated as a whole.

Each stage declares its own settings model next to its code; this module composes them
and turns YAML and validation problems into `ConfigError`s that name the file, the key
and the fix.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from briefing.analyse.llm_settings import LLMSettings
from briefing.analyse.settings import AnalysisSettings
from briefing.errors import ConfigError
from briefing.ingest.settings import IngestSettings, SourceConfig
from briefing.publish.settings import SiteSettings
from briefing.render.settings import RenderSettings

DEFAULT_CONFIG = "feeds.yaml"
CONFIG_ENV = "BRIEFING_CONFIG"


class Config(BaseModel):
    """The whole of feeds.yaml. `path` is where it was read from (relative paths hang off it)."""

    model_config = ConfigDict(extra="forbid")

    settings: IngestSettings = Field(default_factory=IngestSettings)
    sources: list[SourceConfig] = Field(default_factory=list)
    analysis: AnalysisSettings = Field(default_factory=AnalysisSettings)
    llm: LLMSettings = Field(default_factory=LLMSettings)
    render: RenderSettings = Field(default_factory=RenderSettings)
    site: SiteSettings = Field(default_factory=SiteSettings)
    path: Path | None = Field(default=None, exclude=True)

    @property
    def root(self) -> Path:
        """The folder relative paths in the config are resolved against."""
        return self.path.parent if self.path else Path.cwd()

    def resolve(self, value: str | Path) -> Path:
        p = Path(value).expanduser()
        return p if p.is_absolute() else self.root / p

    @property
    def store_path(self) -> Path:
        return self.resolve(self.settings.store)


def default_config_path() -> Path:
    return Path(os.environ.get(CONFIG_ENV) or DEFAULT_CONFIG)


def load_config(path: str | Path | None = None) -> Config:
    """Read and validate a feeds.yaml; a missing default file gives the built-in defaults."""
    explicit = path is not None or CONFIG_ENV in os.environ
    cfg_path = Path(path) if path is not None else default_config_path()
    if not cfg_path.exists():
        if explicit:
            raise ConfigError(f"config file not found: {cfg_path}: pass --config FILE")
        return Config()
    try:
        data: Any = yaml.safe_load(cfg_path.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ConfigError(f"config file is not valid YAML: {cfg_path}: {exc}") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"config file must hold a mapping at the top: {cfg_path}")
    try:
        config = Config.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
        )
        raise ConfigError(f"config file is invalid: {cfg_path}: {problems}") from exc
    config.path = cfg_path.resolve()
    return config
