"""Editorial overrides: ``edits/YYYY-MM-DD.yaml`` applied to a day's `Briefing`.

An editor pins, drops, reorders or moves items, rewrites any text field in Chinese and/or
English, and adds insights or impacts. The file is applied to the model after analysis on
every build, so the edits survive rebuilds; the rendered files are never edited. Items
are addressed by their id (``briefing build`` writes it into the JSON output)::

    title: {zh: 中美通话与科技股重挫}      # the day's title (a plain string: its language is detected)
    summary: [...]                        # replaces the summary bullets
    items:
      3f2a9c01:
        pin: true                         # first in its section (pins keep file order)
        section: markets                  # move to another section (a key of the taxonomy)
        position: 2                       # place in its section, from 1
        title: {en: Fed cuts rates by 25 bp}   # rewrite one language, keep the other
        key_points: [..., ...]            # a list replaces them all ...
        insights: {2: {zh: …}}            # ... a mapping {n: text} rewrites the n-th (from 1)
        impacts: {1: {stance: 中性偏多}}   # impacts too: target, stance, reason
        add_insights: [降息周期或将延长。]
        add_impacts: [{target: 黄金, stance: 利多, reason: 避险需求上升。}]
      9b77e0d4: {drop: true}

Errors name the file, the line, the key and the fix; an unknown key gets a "did you mean".
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo

import yaml
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    ValidationError,
    field_validator,
)

from briefing import safe_yaml
from briefing.analyse.llm.schema import load_targets, resolve_stance
from briefing.errors import ConfigError
from briefing.knowledge import default_taxonomy, stance_vocabulary
from briefing.model import Briefing, Impact, Item, Section, Text

_HAN = re.compile(r"[\u3400-\u9fff]")
_LIST, _BY_INDEX = "[list]", "[by index]"


def _text_in(value: Any) -> Any:
    """A plain string stands for the language it is written in."""
    if isinstance(value, str):
        return {"zh": value} if _HAN.search(value) else {"en": value}
    return value


class _Edit(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TextEdit(_Edit):
    """New wording in one or both languages; a language left out keeps its old text."""

    zh: str | None = None
    en: str | None = None

    def merge(self, old: Text) -> Text:
        return Text(
            zh=self.zh if self.zh is not None else old.zh,
            en=self.en if self.en is not None else old.en,
        )

    def new(self) -> Text:
        return self.merge(Text())


TextIn = Annotated[TextEdit, BeforeValidator(_text_in)]


def _check_stance(value: str | None) -> str | None:
    if value is not None and resolve_stance(value) is None:
        words = [w for s in stance_vocabulary().stances for w in (s.zh, s.en)]
        raise ValueError(f"unknown stance {value!r}{_did_you_mean(value, words, 0.5)}")
    return value


class ImpactPatch(_Edit):
    """Changes to one impact line: 对{target}：{stance}。{reason}."""

    target: TextIn | None = None
    stance: str | None = Field(None, description="a word of briefing/data/stances.yaml")
    reason: TextIn | None = None

    _stance = field_validator("stance")(_check_stance)


class NewImpact(ImpactPatch):
    """A whole impact line; the target is required."""

    target: TextIn


def _shape(value: Any) -> str:
    return _LIST if isinstance(value, list) else _BY_INDEX


def _list_or_patch(new: Any, patch: Any) -> Any:
    """A list replaces all entries; a mapping {n: …} rewrites the n-th (from 1)."""
    return Annotated[
        Annotated[list[new], Tag(_LIST)] | Annotated[dict[int, patch], Tag(_BY_INDEX)],
        Discriminator(_shape),
    ]


def _str_keys(value: Any) -> Any:
    # YAML reads an id such as 20260205 as a number; ids are strings.
    return {str(k): v for k, v in value.items()} if isinstance(value, dict) else value


class ItemEdit(_Edit):
    """What to do with one item."""

    drop: bool = False
    pin: bool = False
    section: str | None = Field(None, description="move to this section key")
    position: int | None = Field(None, ge=1, description="place in its section, from 1")
    title: TextIn | None = None
    time: dt.datetime | None = None
    key_points: _list_or_patch(TextIn, TextIn) | None = None  # type: ignore[valid-type]
    insights: _list_or_patch(TextIn, TextIn) | None = None  # type: ignore[valid-type]
    impacts: _list_or_patch(NewImpact, ImpactPatch) | None = None  # type: ignore[valid-type]
    add_key_points: list[TextIn] = Field(default_factory=list)
    add_insights: list[TextIn] = Field(default_factory=list)
    add_impacts: list[NewImpact] = Field(default_factory=list)


class Edits(_Edit):
    """The whole of an edits file."""

    title: TextIn | None = None
    summary: list[TextIn] | None = None
    tags: list[TextIn] | None = None
    items: Annotated[dict[str, ItemEdit], BeforeValidator(_str_keys)] = Field(default_factory=dict)


_KNOWN_KEYS = sorted(
    {name for model in (Edits, ItemEdit, NewImpact, TextEdit) for name in model.model_fields}
)


# --- loading ---------------------------------------------------------------------------------


def load_edits(path: Path) -> Edits:
    """Read and validate an edits file; every problem is reported in one `ConfigError`."""
    try:
        text = path.read_text(encoding="utf-8")
        data, node = safe_yaml.load(text)
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"edits file unreadable: {path}: {exc}") from exc
    except safe_yaml.YAMLLimitError as exc:
        raise ConfigError(f"edits file refused: {path}: {exc}") from exc
    except yaml.YAMLError as exc:
        raise ConfigError(f"edits file is not valid YAML: {path}: {exc}") from exc
    if data is None:
        return Edits()
    if not isinstance(data, dict):
        raise ConfigError(f"edits file must hold a mapping (title, summary, items): {path}")
    try:
        return Edits.model_validate(data)
    except ValidationError as exc:
        problems = [_describe(err, node) for err in exc.errors()]
        raise ConfigError(f"edits file is invalid: {path}: " + "; ".join(problems)) from exc


def _describe(error: Any, node: yaml.Node | None) -> str:
    loc = [p for p in error["loc"] if p not in (_LIST, _BY_INDEX)]
    where = ".".join(str(p) for p in loc) or "(top)"
    line = _line_of(node, loc)
    prefix = f"line {line}: {where}" if line else where
    if error["type"] == "extra_forbidden":
        return (
            f"{prefix}: unknown key{_did_you_mean(str(loc[-1]), _KNOWN_KEYS)}; remove or rename it"
        )
    message = str(error["msg"]).removeprefix("Value error, ")
    return f"{prefix}: {message}"


def _line_of(node: yaml.Node | None, loc: Sequence[Any]) -> int | None:
    """The 1-based line of the YAML node at `loc` (or of its closest existing parent)."""
    line = node.start_mark.line + 1 if node is not None else None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            node = next((v for k, v in node.value if str(k.value) == str(part)), None)
            if node is None:  # the key itself is missing or unknown: point at the key if any
                return line
        elif (
            isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value)
        ):
            node = node.value[part]
        else:
            return line
        line = node.start_mark.line + 1
    return line


def _did_you_mean(word: str, choices: Iterable[str], cutoff: float = 0.6) -> str:
    # Short words (two-character stances, ids) need a lower cutoff to find anything.
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=cutoff)
    return f"; did you mean {close[0]!r}?" if close else ""


# --- applying --------------------------------------------------------------------------------


def edits_path(root: Path, date: dt.date) -> Path:
    """Where the edits of a date live: ``edits/YYYY-MM-DD.yaml`` under the project root."""
    return root / "edits" / f"{date.isoformat()}.yaml"


def apply_edits(briefing: Briefing, path: Path) -> Briefing:
    """The briefing with the edits of `path` applied (a new object; a missing file: as is)."""
    if not path.exists():
        return briefing
    try:
        file_date = dt.date.fromisoformat(path.stem)
    except ValueError:
        file_date = None
    if file_date is not None and file_date != briefing.date:
        raise ConfigError(
            f"edits file is for another day: {path}: the briefing is {briefing.date}; "
            f"rename it to {briefing.date}.yaml or build --date {file_date}"
        )
    return apply(briefing, load_edits(path), source=str(path))


def apply(briefing: Briefing, edits: Edits, *, source: str = "edits") -> Briefing:
    """The briefing with `edits` applied; unknown ids or sections raise `ConfigError`."""
    out = briefing.model_copy(deep=True)
    where: dict[str, Section] = {i.id: s for s in out.sections for i in s.items}
    taxonomy = default_taxonomy()
    section_keys = [s.key for s in out.sections] + [s.key for s in taxonomy.sections]
    problems = []
    for item_id, edit in edits.items.items():
        if item_id not in where:
            problems.append(
                f"items.{item_id}: no item with this id on {briefing.date}"
                f"{_did_you_mean(item_id, where, 0.5)}; fix the id or remove the entry"
            )
        if edit.section is not None and edit.section not in section_keys:
            problems.append(
                f"items.{item_id}.section: unknown section {edit.section!r}"
                f"{_did_you_mean(edit.section, section_keys)}; use one of {', '.join(dict.fromkeys(section_keys))}"
            )
    if problems:
        raise ConfigError(f"edits cannot be applied: {source}: " + "; ".join(problems))

    zone = ZoneInfo(out.timezone)
    for item_id, edit in edits.items.items():
        section = where[item_id]
        index = next(n for n, i in enumerate(section.items) if i.id == item_id)
        section.items[index] = _rewrite(section.items[index], edit, zone)

    # Drops and moves first; then, in each section, pinned items on top (in file order) and
    # items with a position placed at it, counted in the final list but never above a pin.
    placed: list[tuple[str, int]] = []
    for item_id, edit in edits.items.items():
        if edit.drop:
            _take(where[item_id], item_id)
        elif edit.section is not None and edit.section != where[item_id].key:
            item = _take(where[item_id], item_id)
            where[item_id] = _section(out, edit.section)
            where[item_id].items.append(item)
        if not edit.drop and not edit.pin and edit.position is not None:
            placed.append((item_id, edit.position))
    pins = [i for i, e in edits.items.items() if e.pin and not e.drop]
    for item_id in reversed(pins):
        section = where[item_id]
        section.items.insert(0, _take(section, item_id))
    for item_id, position in placed:
        section = where[item_id]
        item = _take(section, item_id)
        floor = sum(1 for p in pins if where[p] is section)
        section.items.insert(min(max(position - 1, floor), len(section.items)), item)
    out.sections = [s for s in out.sections if s.items]

    if edits.title is not None:
        out.title = edits.title.merge(out.title)
    if edits.summary is not None:
        out.summary = [t.new() for t in edits.summary]
    if edits.tags is not None:
        out.tags = [t.new() for t in edits.tags]
    return out


def _take(section: Section, item_id: str) -> Item:
    index = next(n for n, i in enumerate(section.items) if i.id == item_id)
    return section.items.pop(index)


def _section(briefing: Briefing, key: str) -> Section:
    """The briefing's section `key`, created from the taxonomy (in taxonomy order) if absent."""
    existing = next((s for s in briefing.sections if s.key == key), None)
    if existing is not None:
        return existing
    taxonomy = default_taxonomy()
    spec = taxonomy.by_key(key)
    assert spec is not None  # checked before applying
    rank = {s.key: n for n, s in enumerate(taxonomy.sections)}
    new = spec.empty_section()
    after = [n for n, s in enumerate(briefing.sections) if rank.get(s.key, -1) < rank[key]]
    briefing.sections.insert(after[-1] + 1 if after else 0, new)
    return new


def _rewrite(item: Item, edit: ItemEdit, zone: ZoneInfo) -> Item:
    update: dict[str, Any] = {}
    if edit.title is not None:
        update["title"] = edit.title.merge(item.title)
    if edit.time is not None:
        update["time"] = edit.time if edit.time.tzinfo else edit.time.replace(tzinfo=zone)
    key_points = _texts(item.key_points, edit.key_points) + [t.new() for t in edit.add_key_points]
    insights = _texts(item.insights, edit.insights) + [t.new() for t in edit.add_insights]
    impacts = _impacts(item.impacts, edit.impacts) + [_impact(i, None) for i in edit.add_impacts]
    update.update(key_points=key_points, insights=insights, impacts=impacts,
                  insight_basis=_basis(item, edit, len(insights)))
    return item.model_copy(update=update)


def _basis(item: Item, edit: ItemEdit, count: int) -> list[str]:
    """The insights' basis after an edit: what an editor wrote rests on the edit."""
    if not item.insight_basis:
        return []
    if isinstance(edit.insights, list):
        return ["edit"] * count
    basis = list(item.insight_basis)
    for n in edit.insights or {}:
        if 1 <= n <= len(basis):
            basis[n - 1] = "edit"
    return (basis + ["edit"] * count)[:count]


def _texts(old: list[Text], edit: list[TextEdit] | dict[int, TextEdit] | None) -> list[Text]:
    if edit is None:
        return list(old)
    if isinstance(edit, list):
        return [t.new() for t in edit]
    texts = list(old)
    for n, patch in edit.items():
        if 1 <= n <= len(texts):
            texts[n - 1] = patch.merge(texts[n - 1])
        else:
            texts.append(patch.new())
    return texts


def _impacts(
    old: list[Impact], edit: list[NewImpact] | dict[int, ImpactPatch] | None
) -> list[Impact]:
    if edit is None:
        return list(old)
    if isinstance(edit, list):
        return [_impact(i, None) for i in edit]
    impacts = list(old)
    for n, patch in edit.items():
        if 1 <= n <= len(impacts):
            impacts[n - 1] = _impact(patch, impacts[n - 1])
        elif isinstance(patch, NewImpact) or patch.target is not None:
            impacts.append(_impact(patch, None))
    return impacts


def _impact(patch: ImpactPatch, old: Impact | None) -> Impact:
    impact = old or Impact(target=Text())
    update: dict[str, Any] = {}
    if patch.target is not None:
        target = patch.target.merge(impact.target if old else Text())
        known = load_targets().resolve(target.zh or target.en)
        if known is not None:
            target = Text(zh=target.zh or known.zh, en=target.en or known.en)
        update.update(target=target, target_key=known.key if known else None)
    if patch.stance is not None:
        word = resolve_stance(patch.stance)
        assert word is not None  # validated on load
        update.update(
            stance=word.stance, horizon=word.horizon, stance_text=Text(zh=word.zh, en=word.en)
        )
    if patch.reason is not None:
        update["reason"] = patch.reason.merge(impact.reason)
    return impact.model_copy(update=update)
