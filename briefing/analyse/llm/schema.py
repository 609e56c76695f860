"""What the LLM must answer, and the checks an answer must pass before it is used.

The model answers one JSON object per story (`StoryAnswer`) and one for the day's
headline (`HeadlineAnswer`). Every text field carries the Chinese AND the English wording
(`BiText`), so the two editions cannot drift apart. On top of the types:

- lengths and list sizes are bounded;
- each language field must be in its language (a zh field needs Han characters, an en
  field may hold almost none);
- text may not carry URLs: links come only from the story's articles;
- impact targets must be in the allowlist (`Targets`, from ``briefing/data/assets.yaml``)
  and stances in the stance vocabulary (``briefing/data/stances.yaml``).

`parse_story_answer` and `parse_headline_answer` raise `AnswerError` (with a short
`reason` for the run report) on anything else; the caller then falls back.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Annotated, Any

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
)

from briefing.errors import AnalysisError
from briefing.knowledge import StanceWord, stance_vocabulary
from briefing.model import STANCES, Horizon, Stance

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[A-Za-z]+")
_URL = re.compile(r"(?i)\b(?:https?://|www\.)\S")
_FENCE = re.compile(r"^\s*```(?:json)?\s*\n?(.*?)\n?```\s*$", re.DOTALL)


class AnswerError(AnalysisError):
    """An LLM answer cannot be used; `reason` is a short text for the run report."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


# --- the allowlist of impact targets -----------------------------------------------------


@dataclass(frozen=True)
class Target:
    """An asset or group an impact may name, with its names in both languages."""

    key: str
    zh: str
    en: str
    aliases: tuple[str, ...] = ()


class Targets:
    """The allowlist of impact targets; looks a name up by key, name or alias."""

    def __init__(self, targets: Iterable[Target]) -> None:
        self.targets = tuple(targets)
        self._index: dict[str, Target] = {}
        for target in self.targets:
            for name in (target.key, target.zh, target.en, *target.aliases):
                if name:
                    self._index.setdefault(name.strip().casefold(), target)

    def resolve(self, name: str) -> Target | None:
        return self._index.get(name.strip().casefold())

    def __len__(self) -> int:
        return len(self.targets)

    def describe(self) -> list[dict[str, str]]:
        """The allowlist as the prompt shows it."""
        return [{"key": t.key, "zh": t.zh, "en": t.en} for t in self.targets]


# A small built-in list, used when briefing/data/assets.yaml is missing or unreadable.
BUILTIN_TARGETS = Targets(
    Target(key, zh, en)
    for key, zh, en in (
        ("equities", "股市", "Equities"),
        ("a_shares", "A股", "A-shares"),
        ("hk_stocks", "港股", "Hong Kong stocks"),
        ("us_stocks", "美股", "US stocks"),
        ("tech_stocks", "科技股", "Tech stocks"),
        ("chip_stocks", "芯片股", "Chip stocks"),
        ("crude_oil", "原油", "Crude oil"),
        ("gold", "黄金", "Gold"),
        ("silver", "白银", "Silver"),
        ("usd", "美元", "US dollar"),
        ("cny", "人民币", "Renminbi"),
        ("rates", "利率", "Interest rates"),
        ("inflation", "通胀", "Inflation"),
        ("crypto", "加密货币", "Crypto"),
        ("commodities", "大宗商品", "Commodities"),
        ("rare_earths", "稀土", "Rare earths"),
    )
)


def load_targets(text: str | None = None) -> Targets:
    """The target allowlist from ``briefing/data/assets.yaml`` (or `text`), else the built-in.

    The file is read tolerantly: a top-level list, or a mapping ``key: {zh, en, aliases}``,
    optionally under an ``assets:`` key; entries need a key and both names.
    """
    if text is None:
        path = resources.files("briefing.data").joinpath("assets.yaml")
        if not path.is_file():
            return BUILTIN_TARGETS
        text = path.read_text(encoding="utf-8")
    try:
        data: Any = yaml.safe_load(text)
    except yaml.YAMLError:
        return BUILTIN_TARGETS
    if isinstance(data, dict) and "assets" in data:
        data = data["assets"]
    entries: list[tuple[str, Any]] = []
    if isinstance(data, dict):
        entries = [(str(k), v) for k, v in data.items()]
    elif isinstance(data, list):
        entries = [(str(v.get("key", "")), v) for v in data if isinstance(v, dict)]
    targets = []
    for key, value in entries:
        if not key or not isinstance(value, dict):
            continue
        zh, en = _name(value.get("zh")), _name(value.get("en"))
        if not zh or not en:
            continue
        aliases = [
            str(a)
            for field in ("aliases", "zh_aliases", "en_aliases")
            for a in _names(value.get(field))
        ]
        for lang in ("zh", "en"):
            aliases += [str(a) for a in _names(value.get(lang))[1:]]
        targets.append(Target(key, zh, en, tuple(aliases)))
    return Targets(targets) if targets else BUILTIN_TARGETS


def _names(value: Any) -> list[Any]:
    if isinstance(value, list):
        return value
    if isinstance(value, dict):  # e.g. aliases: {zh: [...], en: [...]}
        return [a for v in value.values() for a in _names(v)]
    return [value] if value else []


def _name(value: Any) -> str:
    names = _names(value)
    return str(names[0]) if names else ""


# --- the answer schema ---------------------------------------------------------------------


def _check_zh(value: str) -> str:
    han = len(_HAN.findall(value))
    words = len(_LATIN_WORD.findall(value))
    if han == 0 or han < 0.5 * words:
        raise ValueError("the zh text must be written in Chinese")
    return value


def _check_en(value: str) -> str:
    han = len(_HAN.findall(value))
    words = len(_LATIN_WORD.findall(value))
    if words == 0 or han > 0.2 * words:
        raise ValueError("the en text must be written in English")
    return value


def _check_no_url(value: str) -> str:
    if _URL.search(value):
        raise ValueError("text may not contain a URL (links come from the sources only)")
    return value


class _Answer(BaseModel):
    # Unknown keys are ignored, never read: the item is built field by field from what
    # the schema declares, so a model cannot smuggle in links or sources.
    model_config = ConfigDict(extra="ignore", frozen=True, str_strip_whitespace=True)


def _text(max_length: int) -> Any:
    return Annotated[str, StringConstraints(min_length=1, max_length=max_length)]


class _BiText(_Answer):
    """A text in Chinese and in English; subclasses set the length limits."""

    zh: str
    en: str

    @field_validator("zh")
    @classmethod
    def _zh(cls, value: str) -> str:
        return _check_no_url(_check_zh(value))

    @field_validator("en")
    @classmethod
    def _en(cls, value: str) -> str:
        return _check_no_url(_check_en(value))


class Title(_BiText):
    zh: _text(80)  # type: ignore[valid-type]
    en: _text(200)  # type: ignore[valid-type]


class Point(_BiText):
    zh: _text(300)  # type: ignore[valid-type]
    en: _text(600)  # type: ignore[valid-type]


class Reason(_BiText):
    zh: _text(200)  # type: ignore[valid-type]
    en: _text(400)  # type: ignore[valid-type]


class ImpactAnswer(_Answer):
    target: Annotated[str, StringConstraints(min_length=1, max_length=40)]
    stance: Annotated[str, StringConstraints(min_length=1, max_length=40)]
    reason: Reason


class StoryAnswer(_Answer):
    title: Title
    key_points: list[Point] = Field(max_length=6)
    insights: list[Point] = Field(default_factory=list, max_length=4)
    impacts: list[ImpactAnswer] = Field(default_factory=list, max_length=6)


class HeadlineAnswer(_Answer):
    title: Title
    summary: list[Point] = Field(min_length=1, max_length=10)


# --- checked answers, ready for the model ----------------------------------------------------


@dataclass(frozen=True)
class CheckedImpact:
    target: Target
    stance: Stance
    horizon: Horizon | None
    stance_zh: str
    stance_en: str
    reason_zh: str
    reason_en: str


@dataclass(frozen=True)
class CheckedStory:
    title: tuple[str, str]
    key_points: tuple[tuple[str, str], ...]
    insights: tuple[tuple[str, str], ...]
    impacts: tuple[CheckedImpact, ...]


@dataclass(frozen=True)
class CheckedHeadline:
    title: tuple[str, str]
    summary: tuple[tuple[str, str], ...]


def resolve_stance(wording: str) -> StanceWord | None:
    """A stance wording (利多, Short-term bearish …) or a normalised key (lean_bullish)."""
    vocabulary = stance_vocabulary()
    word = vocabulary.lookup(wording)
    if word is not None:
        return word
    key = wording.strip().casefold().replace("-", "_").replace(" ", "_")
    if key in STANCES and key != "none":
        stance: Stance = key  # type: ignore[assignment,unused-ignore]
        return StanceWord(
            zh=vocabulary.wording(stance, "zh"), en=vocabulary.wording(stance, "en"), stance=stance
        )
    return None


def parse_story_answer(content: str, targets: Targets, *, brief: bool = False) -> CheckedStory:
    """The checked answer for one story; raises `AnswerError`."""
    answer = _validate(StoryAnswer, content)
    assert isinstance(answer, StoryAnswer)
    if not brief and len(answer.key_points) < 2:
        raise AnswerError("LLM answer has fewer than 2 key points", "schema: key_points")
    impacts = []
    seen: set[str] = set()
    for n, impact in enumerate(answer.impacts):
        target = targets.resolve(impact.target)
        if target is None:
            raise AnswerError(
                f"LLM answer names a target outside the allowlist: impacts.{n}.target: "
                f"{impact.target!r}",
                f"unknown target {impact.target!r}",
            )
        word = resolve_stance(impact.stance)
        if word is None:
            raise AnswerError(
                f"LLM answer uses a stance outside the vocabulary: impacts.{n}.stance: "
                f"{impact.stance!r}",
                f"unknown stance {impact.stance!r}",
            )
        if target.key in seen:  # one line per target
            continue
        seen.add(target.key)
        impacts.append(
            CheckedImpact(
                target=target,
                stance=word.stance,
                horizon=word.horizon,
                stance_zh=word.zh,
                stance_en=word.en,
                reason_zh=impact.reason.zh,
                reason_en=impact.reason.en,
            )
        )
    return CheckedStory(
        title=(answer.title.zh, answer.title.en),
        key_points=_pairs(answer.key_points),
        insights=_pairs(answer.insights),
        impacts=tuple(impacts),
    )


def parse_headline_answer(content: str) -> CheckedHeadline:
    """The checked headline answer; raises `AnswerError`."""
    answer = _validate(HeadlineAnswer, content)
    assert isinstance(answer, HeadlineAnswer)
    return CheckedHeadline(title=(answer.title.zh, answer.title.en), summary=_pairs(answer.summary))


def _pairs(texts: Iterable[Any]) -> tuple[tuple[str, str], ...]:
    return tuple((t.zh, t.en) for t in texts)


def _validate(model: type[_Answer], content: str) -> _Answer:
    fenced = _FENCE.match(content)
    if fenced:  # some servers wrap the object in a Markdown fence despite json_object mode
        content = fenced.group(1)
    try:
        data = json.loads(content)
    except ValueError as exc:
        raise AnswerError(f"LLM answer is not valid JSON: {exc}", "invalid JSON") from exc
    if not isinstance(data, Mapping):
        raise AnswerError("LLM answer is not a JSON object", "invalid JSON")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "answer"
        reason = "wrong language" if "written in" in first["msg"] else f"schema: {where}"
        raise AnswerError(
            f"LLM answer does not fit the schema: {where}: {first['msg']}", reason
        ) from exc
