"""feeds.yaml: the one configuration file, validated as a whole.

Each stage declares its own settings model next to its code; this module composes them
and turns YAML and validation problems into `ConfigError`s that name the file, the key
and the fix.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from briefing.analyse.llm.settings import LLMSettings
from briefing.analyse.settings import AnalysisSettings
from briefing.config_file import (
    CONFIG_ENV,
    DEFAULT_CONFIG,
    Loc,
    config_file,
    default_config_path,
    describe,
    invalid,
    line_of,
    missing_config_message,
    read_document,
)
from briefing.ingest.settings import IngestSettings, SourceConfig
from briefing.publish.notify import NotifySettings
from briefing.publish.settings import SiteSettings
from briefing.render.settings import RenderSettings

__all__ = [
    "CONFIG_ENV",
    "DEFAULT_CONFIG",
    "Config",
    "default_config_path",
    "load_config",
    "missing_config_message",
]


class Config(BaseModel):
    """The whole of feeds.yaml. `path` is where it was read from (relative paths hang off it)."""

    model_config = ConfigDict(extra="forbid")

    settings: IngestSettings = Field(default_factory=IngestSettings)
    sources: list[SourceConfig] = Field(default_factory=list)
    analysis: AnalysisSettings = Field(default_factory=AnalysisSettings)
    llm: LLMSettings = Field(default_factory=LLMSettings)
    render: RenderSettings = Field(default_factory=RenderSettings)
    site: SiteSettings = Field(default_factory=SiteSettings)
    notify: NotifySettings = Field(default_factory=NotifySettings)
    path: Path | None = Field(default=None, exclude=True)

    @property
    def root(self) -> Path:
        """The folder relative paths in the config are resolved against."""
        return self.path.parent if self.path else Path.cwd()

    def resolve(self, value: str | Path) -> Path:
        """A path from the config: absolute as written, else relative to the config's folder."""
        p = Path(value).expanduser()
        return Path(os.path.normpath(p if p.is_absolute() else self.root / p))

    @property
    def store_path(self) -> Path:
        return self.resolve(self.settings.store)

    def source(self, source_id: str) -> SourceConfig | None:
        return next((s for s in self.sources if s.id == source_id), None)


def _duplicate_ids(data: dict[str, Any], lines: dict[Loc, int], path: Path) -> list[str]:
    problems = []
    seen: dict[str, int] = {}
    sources = data.get("sources")
    for i, source in enumerate(sources if isinstance(sources, list) else []):
        sid = source.get("id") if isinstance(source, dict) else None
        if not isinstance(sid, str):
            continue
        if sid in seen:
            line = line_of(lines, ("sources", i, "id"))
            problems.append(
                f"{path}:{line}: sources[{i}].id: duplicate id {sid!r} "
                f"(also sources[{seen[sid]}]); give each source its own id"
            )
        seen.setdefault(sid, i)
    return problems


def load_config(path: str | Path | None = None) -> Config:
    """Read and validate a feeds.yaml as a whole; a missing default file gives the defaults.

    Every problem is collected before aborting: the `ConfigError` lists them one per line,
    each as `file:line: key: what is wrong; the fix`.
    """
    cfg_path = config_file(path)
    if cfg_path is None:
        return Config()
    data, lines = read_document(cfg_path)
    problems: list[str] = []
    config: Config | None = None
    try:
        config = Config.model_validate(data)
    except ValidationError as exc:
        problems = [describe(err, lines, cfg_path, Config) for err in exc.errors()]
    problems += _duplicate_ids(data, lines, cfg_path)
    if problems or config is None:
        raise invalid(cfg_path, problems)
    config.path = cfg_path.resolve()
    return config
