"""Reading feeds.yaml: the file, its YAML, and problems described as `file:line: key: fix`.

Kept apart from `briefing.config` (which composes every stage's settings into one model)
so that a command needing one block of the file, such as `briefing check` and the `site:`
block, does not import every stage's settings. Importing it costs nothing beyond the
standard library: YAML and pydantic are imported when a file is read, so a command's
`--help` and its missing-config message stay fast.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from briefing.errors import ConfigError

if TYPE_CHECKING:
    import yaml
    from pydantic import BaseModel

DEFAULT_CONFIG = "feeds.yaml"
CONFIG_ENV = "BRIEFING_CONFIG"

M = TypeVar("M", bound="BaseModel")


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


def node_lines(
    node: yaml.Node, loc: Loc = (), out: dict[Loc, int] | None = None
) -> dict[Loc, int]:
    """Every key path of the YAML document mapped to its 1-based line."""
    import yaml

    out = {} if out is None else out
    out.setdefault(loc, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            sub = (*loc, str(key.value))
            out[sub] = key.start_mark.line + 1
            node_lines(value, sub, out)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            node_lines(item, (*loc, i), out)
    return out


def line_of(lines: dict[Loc, int], loc: Loc) -> int | None:
    for end in range(len(loc), -1, -1):
        if loc[:end] in lines:
            return lines[loc[:end]]
    return None


def _model_at(loc: Loc, root: type[BaseModel]) -> type[BaseModel] | None:
    """The pydantic model that owns the key at `loc` (for "did you mean")."""
    from pydantic import BaseModel

    model: Any = root
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


def describe(err: Any, lines: dict[Loc, int], path: Path, root: type[BaseModel]) -> str:
    """One validation error as `file:line: key: what is wrong; the fix`."""
    loc: Loc = tuple(
        p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-"))
    )
    line = line_of(lines, loc)
    place = f"{path}:{line}" if line else str(path)
    key = _where(loc)
    if err["type"] == "extra_forbidden":
        import difflib

        owner = _model_at(loc, root)
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


def read_document(cfg_path: Path) -> tuple[dict[str, Any], dict[Loc, int]]:
    """The top-level mapping of a config file and the line of every key path in it."""
    import yaml

    from briefing import safe_yaml

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
    return data, node_lines(node) if node is not None else {}


def invalid(cfg_path: Path, problems: list[str]) -> ConfigError:
    count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
    return ConfigError(f"config file is invalid: {cfg_path}: {count}:\n  " + "\n  ".join(problems))


def config_file(path: str | Path | None) -> Path | None:
    """The config file to read: `path`, $BRIEFING_CONFIG or ./feeds.yaml; None when the
    default is absent (the defaults apply); an explicit file that is missing is an error."""
    explicit = path is not None or bool(os.environ.get(CONFIG_ENV))
    cfg_path = Path(path) if path is not None else default_config_path()
    if cfg_path.exists():
        return cfg_path
    if explicit:
        raise ConfigError(
            f"config file not found: {cfg_path}: pass the right --config FILE, "
            "or create one with `briefing init`"
        )
    return None


def load_section(path: str | Path | None, key: str, model: type[M]) -> M:
    """One top-level block of the config (say `site:`) validated alone, for commands that
    need nothing else; the rest of the file is not validated here."""
    from pydantic import ValidationError

    cfg_path = config_file(path)
    if cfg_path is None:
        return model()
    data, lines = read_document(cfg_path)
    try:
        return model.model_validate(data.get(key) or {})
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            moved_err = dict(err)
            moved_err["loc"] = (key, *err["loc"])
            problems.append(describe(moved_err, lines, cfg_path, _document(key, model)))
        raise invalid(cfg_path, problems) from exc


def _document(key: str, model: type[BaseModel]) -> type[BaseModel]:
    """A one-field model standing for the file, so "did you mean" looks inside the block."""
    from pydantic import create_model

    document: type[BaseModel] = create_model("Document", **{key: (model, ...)})  # type: ignore[call-overload]
    return document
