"""The gate on a 经济日报 post (ours, or one handed to `briefing check`).

The post is read into the model by the importer — the same reader that round-trips real
posts — and judged as a model; the post's own lines give each finding its ``file:line``.
What only a file can get wrong is checked here: front matter, the date in the file name,
the `# title` heading, a post cut off at its end, the footer.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

import yaml

from briefing import safe_yaml
from briefing.errors import BriefingError
from briefing.publish.gate import text as rules
from briefing.publish.gate.places import Places
from briefing.publish.gate.problems import GateResult, Problem
from briefing.publish.gate.review import review

_DATE_IN_NAME = re.compile(r"(\d{4}-\d{2}-\d{2})")
_TERMINAL = "。！？.!?）)”」》】\"'*|>…"


def check_markdown(
    text: str,
    *,
    name: str = "<post>",
    expected_date: dt.date | None = None,
    min_items: int = 0,
    languages: Iterable[str] | None = None,
) -> list[Problem]:
    """Every finding on a post; places are ``name:line``. Never raises."""
    return check_post(text, name=name, expected_date=expected_date, min_items=min_items,
                      languages=languages).problems


def check_post(
    text: str,
    *,
    name: str = "<post>",
    expected_date: dt.date | None = None,
    min_items: int = 0,
    languages: Iterable[str] | None = None,
    strict: bool = False,
) -> GateResult:
    """The gate's verdict on a post: what it found, and the post's model as it would publish."""
    from briefing.model import Briefing, Text
    from briefing.render.markdown_import import import_markdown

    early = _front_matter(text, name)
    if any(p.level == "error" for p in early):
        return GateResult(Briefing(date=dt.date(1970, 1, 1), title=Text()), early, strict)
    try:
        briefing = import_markdown(text)
    except BriefingError as exc:
        problem = Problem(f"{name}:1", "format", f"cannot be read as a post: {exc}".splitlines()[0])
        return GateResult(Briefing(date=dt.date(1970, 1, 1), title=Text()), [*early, problem], strict)
    places = Places(briefing, text, name)
    day = expected_date or _date_in_name(name)
    langs = list(languages) if languages is not None else [_post_language(name, briefing.title.zh)]
    result = review(briefing, day=day, min_items=min_items, languages=langs, strict=strict,
                    locate=places.locate, where=places.where)
    result.problems[:0] = early
    result.problems += _surface(text, name, briefing, places)
    _cut_at_the_end(result, text, places)
    return result


def _post_language(name: str, title: str) -> str:
    if "/en/" in name.replace("\\", "/") or name.endswith(".en.md"):
        return "en"
    return "en" if rules.language_of(title) == "en" else "zh"


def _date_in_name(name: str) -> dt.date | None:
    found = _DATE_IN_NAME.search(name.replace("\\", "/").rsplit("/", 1)[-1])
    if not found:
        return None
    try:
        return dt.date.fromisoformat(found.group(1))
    except ValueError:
        return None


def _front_matter(text: str, name: str) -> list[Problem]:
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return []
    for i in range(1, len(lines)):
        if lines[i].strip() == "---":
            try:
                data = safe_yaml.load("\n".join(lines[1:i]))[0] or {}  # bounded
            except yaml.YAMLError as exc:
                reason = str(exc).splitlines()[0]
                return [Problem(f"{name}:1", "front-matter", f"front matter is not valid YAML: {reason}")]
            if not isinstance(data, dict):
                return [Problem(f"{name}:1", "front-matter", "front matter is not a mapping of keys to values")]
            return _front_values(data, lines, name)
    return [Problem(f"{name}:1", "front-matter", "front matter is never closed with '---'")]


def _front_values(data: dict[object, object], lines: list[str], name: str) -> list[Problem]:
    def line_of(key: str) -> int:
        return next((n for n, line in enumerate(lines, 1) if line.startswith(f"{key}:")), 1)

    raw = data.get("date")
    if isinstance(raw, dt.datetime):
        raw = raw.date()
    if isinstance(raw, str):
        try:
            raw = dt.date.fromisoformat(raw.strip()[:10])
        except ValueError:
            return [Problem(f"{name}:{line_of('date')}", "date", f"front matter date {raw!r} is not YYYY-MM-DD")]
    if not isinstance(raw, dt.date):
        return [Problem(f"{name}:1", "date", "front matter has no date")]
    problems = []
    in_name = _date_in_name(name)
    if in_name is not None and in_name != raw:
        problems.append(Problem(f"{name}:{line_of('date')}", "date",
                                f"front matter date {raw.isoformat()} does not match the file name ({in_name})"))
    if not str(data.get("title") or "").strip():
        problems.append(Problem(f"{name}:{line_of('title')}", "empty", "front matter has no title"))
    cover = data.get("coverImage")
    if isinstance(cover, str) and rules.is_placeholder_host(cover):
        problems.append(Problem(f"{name}:{line_of('coverImage')}", "placeholder-link",
                                f"coverImage points to a placeholder address: {cover}", "warning"))
    return problems


def _surface(text: str, name: str, briefing: object, places: Places) -> list[Problem]:
    """What only the file shows: the heading, the footer."""
    problems: list[Problem] = []
    if places.h1 is None and text.strip():
        problems.append(Problem(f"{name}:{places.first_body}", "title", "the post has no '# title' heading", "warning"))
    footer = getattr(briefing, "footer", None) or ""
    if footer and (what := rules.placeholder(footer)):
        problems.append(Problem(f"{name}:{places.last_line}", "placeholder", f"footer: {what}", "warning"))
    return problems


def _cut_at_the_end(result: GateResult, text: str, places: Places) -> None:
    """A post that stops mid-sentence lost its end: that is the issue's fault, not an item's."""
    last = f"{places.name}:{places.last_line}"
    cut = [p for p in result.problems if p.place == last and p.rule in ("truncated", "empty-block")]
    lines = text.rstrip("\n").split("\n")
    final = lines[-1].strip() if lines else ""
    unterminated = bool(text) and not text.endswith("\n") and final and final[-1] not in _TERMINAL
    if cut or unterminated or (final and rules.cut_off(final.lstrip("-*> ").strip())):
        result.problems[:] = [p for p in result.problems if p not in cut]
        result.problems.append(Problem(last, "truncated", "the post ends mid-sentence: it looks cut off"))
