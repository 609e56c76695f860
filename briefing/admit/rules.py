"""The not-news rules of `briefing/data/admission.yaml`, loaded and compiled once.

Each rule's patterns are joined into one regular expression per field, so a title is
searched once per rule, not once per pattern; a whole rule set over 1,000 entries costs
milliseconds (bench/fetch.py measures it with the rest of ingest).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator

from briefing.errors import ConfigError


class _RuleSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    reason: str
    title: list[str] = Field(default_factory=list)
    categories: list[str] = Field(default_factory=list)
    lead: list[str] = Field(default_factory=list)
    text: list[str] = Field(default_factory=list)
    max_chars: int | None = Field(None, ge=1)

    @field_validator("title", "lead", "text")
    @classmethod
    def _compiles(cls, patterns: list[str], info: ValidationInfo) -> list[str]:
        try:  # the field's union as `_compile_rule` builds it (it then comes from re's cache
            # whenever the rule's other fields agree on lowercase_only, as they nearly all do)
            _rule_union(patterns, _FLAGS[info.field_name or ""], lowercase_only(patterns))
            return patterns
        except re.error:
            pass
        for pattern in patterns:  # name the pattern at fault
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"not a regular expression: {pattern!r}: {exc}") from exc
        return patterns


class _FileSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    lead_chars: int = Field(300, ge=1)
    rules: list[_RuleSpec]
    strip_lines: list[str] = Field(default_factory=list)
    inline_prompts: list[str] = Field(default_factory=list)
    publisher_not: list[str] = Field(default_factory=list)


_FLAGS = {"title": 0, "lead": re.M, "text": re.M}  # per field, beside re.I


def _union(patterns: list[str], flags: int = 0) -> re.Pattern[str] | None:
    if not patterns:
        return None
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.I | flags)


_ESCAPED = re.compile(r"\\.")


def lowercase_only(patterns: list[str]) -> bool:
    """True when no pattern names an uppercase letter (escapes such as `\\S` aside).

    Such patterns match lowercased text without `re.I` exactly as they match the text with
    it, and 2-3x faster: Python's `re` tries every case of every letter at every position.
    """
    return not any(ch.isupper() for p in patterns for ch in _ESCAPED.sub("", p))


def _rule_union(patterns: list[str], flags: int, lowered: bool) -> re.Pattern[str] | None:
    if not lowered:
        return _union(patterns, flags)
    if not patterns:
        return None
    return re.compile("|".join(f"(?:{p})" for p in patterns), flags)


@dataclass(frozen=True)
class Rule:
    """One kind of not-news, with its patterns compiled per field."""

    id: str
    reason: str
    title: re.Pattern[str] | None
    categories: frozenset[str]
    lead: re.Pattern[str] | None
    text: re.Pattern[str] | None
    max_chars: int | None
    lowered: bool = False  # compiled without re.I: searched in lowercased title and text


@dataclass(frozen=True)
class Rules:
    """The whole rule set: rejection rules, boilerplate lines, non-publisher names."""

    rules: tuple[Rule, ...]
    lead_chars: int
    strip_line: re.Pattern[str] | None
    inline_prompt: re.Pattern[str] | None
    publisher_not: re.Pattern[str] | None


def _compile(spec: _FileSpec) -> Rules:
    rules = tuple(_compile_rule(r) for r in spec.rules)
    return Rules(
        rules=rules,
        lead_chars=spec.lead_chars,
        strip_line=_union(spec.strip_lines),
        inline_prompt=_union(spec.inline_prompts),
        publisher_not=_union(spec.publisher_not),
    )


def _compile_rule(r: _RuleSpec) -> Rule:
    lowered = lowercase_only([*r.title, *r.lead, *r.text])
    return Rule(
        id=r.id,
        reason=r.reason,
        title=_rule_union(r.title, _FLAGS["title"], lowered),
        categories=frozenset(c.casefold() for c in r.categories),
        lead=_rule_union(r.lead, _FLAGS["lead"], lowered),
        text=_rule_union(r.text, _FLAGS["text"], lowered),
        max_chars=r.max_chars,
        lowered=lowered,
    )


def load_rules(path: Path | None = None) -> Rules:
    """Rules from `path`, or the bundled admission.yaml; ConfigError naming the problem."""
    where = str(path) if path else "briefing/data/admission.yaml"
    try:
        if path is None:
            raw = resources.files("briefing.data").joinpath("admission.yaml").read_text("utf-8")
        else:
            raw = path.read_text("utf-8")
        # libyaml's loader when present: the gate reads these rules on every `briefing check`
        data: Any = yaml.load(raw, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"cannot read admission rules: {where}: {exc}") from exc
    try:
        return _compile(_FileSpec.model_validate(data))
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(str(p) for p in first["loc"])
        raise ConfigError(f"admission rules are invalid: {where}: {loc}: {first['msg']}") from exc


@functools.cache
def default_rules() -> Rules:
    """The bundled rules, loaded once per process."""
    return load_rules()
