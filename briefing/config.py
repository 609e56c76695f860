"""feeds.yaml: the one configuration file, validated as a whole.

Each stage declares its own settings model next to its code; this module composes them
and turns YAML and validation problems into `ConfigError`s that name the file, the key
and the fix.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from briefing import safe_yaml
from briefing.analyse.llm.settings import LLMSettings
from briefing.analyse.settings import AnalysisSettings
from briefing.errors import ConfigError
from briefing.ingest.settings import IngestSettings, SourceConfig
from briefing.publish.notify import NotifySettings
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


def default_config_path() -> Path:
    return Path(os.environ.get(CONFIG_ENV) or DEFAULT_CONFIG)


def missing_config_message(path: Path) -> str:
    """What to do when there is no feeds.yaml: make one, or say where it is."""
    where = path if path.is_absolute() else f"{path} (in {Path.cwd()})"
    return (
        f"no configuration: {where} does not exist. Create one with `briefing init` "
        "(then set site.base_url and choose the feeds), or pass --config FILE "
        f"(or set ${CONFIG_ENV})"
    )


Loc = tuple[str | int, ...]


def _node_lines(
    node: yaml.Node, loc: Loc = (), out: dict[Loc, int] | None = None
) -> dict[Loc, int]:
    """Every key path of the YAML document mapped to its 1-based line."""
    out = {} if out is None else out
    out.setdefault(loc, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            sub = (*loc, str(key.value))
            out[sub] = key.start_mark.line + 1
            _node_lines(value, sub, out)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _node_lines(item, (*loc, i), out)
    return out


def _line_of(lines: dict[Loc, int], loc: Loc) -> int | None:
    for end in range(len(loc), -1, -1):
        if loc[:end] in lines:
            return lines[loc[:end]]
    return None


def _model_at(loc: Loc) -> type[BaseModel] | None:
    """The pydantic model that owns the key at `loc` (for "did you mean")."""
    model: Any = Config
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        field = (
            model.model_fields.get(part)
            if isinstance(model, type) and issubclass(model, BaseModel)
            else None
        )
        if field is None:
            return None
        annotation = field.annotation
        args = getattr(annotation, "__args__", ())
        model = next(
            (a for a in (annotation, *args) if isinstance(a, type) and issubclass(a, BaseModel)),
            None,
        )
        if model is None:
            return None
    return model if isinstance(model, type) and issubclass(model, BaseModel) else None


def _where(loc: Loc) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(top level)"


def _describe(err: Any, lines: dict[Loc, int], path: Path) -> str:
    loc: Loc = tuple(
        p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-"))
    )
    line = _line_of(lines, loc)
    place = f"{path}:{line}" if line else str(path)
    key = _where(loc)
    if err["type"] == "extra_forbidden":
        owner = _model_at(loc)
        known = sorted(owner.model_fields) if owner else []
        close = difflib.get_close_matches(str(loc[-1]), known, n=1, cutoff=0.6)
        fix = f"did you mean {close[0]!r}?" if close else f"known keys: {', '.join(known)}"
        return f"{place}: {key}: unknown key; {fix}"
    if err["type"] == "missing":
        return f"{place}: {key}: required key is missing; add it"
    msg = str(err["msg"]).removeprefix("Value error, ")
    return (
        f"{place}: {key}: {msg} (got {err.get('input')!r})"
        if err["type"].endswith(("_parsing", "_type", "literal_error"))
        else f"{place}: {key}: {msg}"
    )


def _duplicate_ids(data: dict[str, Any], lines: dict[Loc, int], path: Path) -> list[str]:
    problems = []
    seen: dict[str, int] = {}
    sources = data.get("sources")
    for i, source in enumerate(sources if isinstance(sources, list) else []):
        sid = source.get("id") if isinstance(source, dict) else None
        if not isinstance(sid, str):
            continue
        if sid in seen:
            line = _line_of(lines, ("sources", i, "id"))
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
    explicit = path is not None or bool(os.environ.get(CONFIG_ENV))
    cfg_path = Path(path) if path is not None else default_config_path()
    if not cfg_path.exists():
        if explicit:
            raise ConfigError(
                f"config file not found: {cfg_path}: pass the right --config FILE, "
                "or create one with `briefing init`"
            )
        return Config()
    try:
        text = cfg_path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"config file is not UTF-8: {cfg_path}: save it as UTF-8") from exc
    except OSError as exc:
        raise ConfigError(f"cannot read config file: {cfg_path}: {exc.strerror}") from exc
    try:
        data, node = safe_yaml.load(text)
    except safe_yaml.YAMLLimitError as exc:
        raise ConfigError(f"config file refused: {cfg_path}: {exc}") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{cfg_path}:{mark.line + 1}" if mark is not None else str(cfg_path)
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError(
            f"config file is not valid YAML: {where}: {problem}: check indentation and quoting"
        ) from exc
    data = {} if data is None else data
    if not isinstance(data, dict):
        raise ConfigError(
            f"config file must hold a mapping at the top: {cfg_path}: "
            "start with `settings:` and `sources:`"
        )
    lines = _node_lines(node) if node is not None else {}
    problems: list[str] = []
    config: Config | None = None
    try:
        config = Config.model_validate(data)
    except ValidationError as exc:
        problems = [_describe(err, lines, cfg_path) for err in exc.errors()]
    problems += _duplicate_ids(data, lines, cfg_path)
    if problems or config is None:
        count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
        raise ConfigError(
            f"config file is invalid: {cfg_path}: {count}:\n  " + "\n  ".join(problems)
        )
    config.path = cfg_path.resolve()
    return config
