"""The publish gate: refuse a briefing that must not reach readers.

The workflow this product replaces published placeholder posts ("Report Title",
"详细 report 内容"), posts cut off mid-item and links to example.com. The gate looks for
exactly those faults, in two forms of the same day:

- `check_briefing(briefing)`: the model, before anything is saved or rendered. Links are
  checked against the item's own sources: a URL in an item's text that none of its
  sources carry is refused.
- `check_markdown(text)`: a 经济日报 post (ours, or one handed to `briefing check`).
  Read line by line, so every problem has a line number and a truncated post still gets
  a report instead of an import error. Links to placeholder domains are refused.

Both are pure: they return `Problem`s and never raise; `enforce` turns a non-empty list
into a `GateError`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

import yaml

from briefing.errors import GateError
from briefing.model import Briefing, Item, Text


@dataclass(frozen=True)
class Problem:
    """One reason to refuse: where (``file.md:12``, ``金融市场 › item 3``), which rule, what."""

    place: str
    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.place}: {self.message} [{self.rule}]"


# ------------------------------------------------------------------ text rules (pure)

PLACEHOLDERS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\{\{|\}\}"), "template leftover {{ }}"),
    (re.compile(r"\{%|%\}"), "template leftover {% %}"),
    (re.compile(r"report\s+title", re.I), 'placeholder "Report Title"'),
    (re.compile(r"详细\s*report\s*内容", re.I), 'placeholder "详细 report 内容"'),
    (re.compile(r"\bTODO\b|\bFIXME\b|\bTBD\b"), "placeholder TODO"),
    (re.compile(r"lorem\s+ipsum", re.I), "placeholder lorem ipsum"),
    (re.compile(r"(?<![A-Za-z])[xX]{3,}(?![A-Za-z])"), 'placeholder "xxx"'),
    (re.compile(r"(此处|这里)(填写|插入|替换)|占位(符|文本)"), "placeholder 此处填写"),
)

# A sentence or block that stops on these was cut off.
_DANGLING_END = ("，", ",", "、", "；", ";", "：", ":", "——", "-", "（", "(", "【", "[", "“", "「", "《", "‘")
_PAIRS = {"（": "）", "(": ")", "【": "】", "[": "]", "“": "”", "「": "」", "《": "》", "『": "』"}

PLACEHOLDER_HOSTS = re.compile(
    r"(^|\.)(example\.(com|org|net|edu)|localhost|localdomain|invalid|test|example|"
    r"your-?(domain|site|website)\.[a-z]+|domain\.com|placeholder\.[a-z]+|foo\.(com|bar)|"
    r"127\.0\.0\.1|0\.0\.0\.0)$",
    re.I,
)
_URL = re.compile(r"https?://[^\s<>()\[\]{}\"'，。、；）】]+", re.I)
_MD_LINK = re.compile(r"\]\((\S+?)\)")


def placeholder_problems(text: str) -> list[str]:
    """The placeholder and template-leftover findings in one text."""
    return [what for pattern, what in PLACEHOLDERS if pattern.search(text)]


def truncation_problem(text: str) -> str | None:
    """Why `text` looks cut off mid-sentence, or None."""
    stripped = text.rstrip()
    if not stripped:
        return None
    # Links and inline code carry brackets of their own; judge the prose around them.
    prose = _MD_LINK.sub("]", re.sub(r"`[^`]*`", "", stripped))
    for ending in _DANGLING_END:
        if prose.endswith(ending):
            return f"ends mid-sentence with {ending!r}"
    for opener, closer in _PAIRS.items():
        if prose.count(opener) > prose.count(closer):
            return f"an open {opener!r} is never closed"
    if prose.count('"') % 2:
        return 'an open " is never closed'
    return None


def urls_in(text: str) -> list[str]:
    """http(s) URLs in a text, Markdown link targets included."""
    found = [m.group(0).rstrip(".,;:!?") for m in _URL.finditer(text)]
    return list(dict.fromkeys(found))


def is_placeholder_host(url: str) -> bool:
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return True
    return not host or bool(PLACEHOLDER_HOSTS.search(host))


def _normal_url(url: str) -> str:
    return url.rstrip("/").lower()


# ------------------------------------------------------------------ the model


def check_briefing(
    briefing: Briefing,
    *,
    expected_date: dt.date | None = None,
    min_items: int = 0,
    languages: Iterable[str] = ("zh", "en"),
) -> list[Problem]:
    """Every reason to refuse this briefing (empty: it may be published)."""
    langs = [("en" if lang == "en" else "zh") for lang in languages]
    langs = list(dict.fromkeys(langs))
    problems: list[Problem] = []
    day = briefing.date.isoformat()

    def texts(text: Text) -> Iterator[tuple[str, str]]:
        for lang in langs:
            value, real = text.get(lang)
            if real == lang or lang == langs[0]:
                yield lang, value

    def field(place: str, text: Text, *, required: bool = False, whole: bool = True) -> None:
        seen = False
        for lang, value in texts(text):
            if not value.strip():
                continue
            seen = True
            for what in placeholder_problems(value):
                problems.append(Problem(f"{place} [{lang}]", "placeholder", f"{what}: {value[:60]!r}"))
            cut = truncation_problem(value) if whole else None
            if cut:
                problems.append(Problem(f"{place} [{lang}]", "truncated", f"{cut}: {value[-60:]!r}"))
        if required and not seen:
            problems.append(Problem(place, "empty", "is empty"))

    if expected_date is not None and briefing.date != expected_date:
        problems.append(
            Problem("briefing", "date", f"is dated {day}, expected {expected_date.isoformat()}")
        )
    field("title", briefing.title, required=True)
    for i, line in enumerate(briefing.summary, 1):
        field(f"summary line {i}", line)
    for section in briefing.sections:
        where = section.title.get(langs[0])[0] or section.key
        if not section.items:
            problems.append(Problem(f"section {where}", "empty-section", "has no items"))
        for n, item in enumerate(section.items, 1):
            place = f"{where} › item {n}"
            field(f"{place} title", item.title, required=True)
            if not section.brief and not item.key_points:
                problems.append(Problem(place, "no-key-points", "has no key points"))
            for k, point in enumerate(item.key_points, 1):
                field(f"{place} key point {k}", point, required=True)
            for k, insight in enumerate(item.insights, 1):
                field(f"{place} insight {k}", insight)
            for k, impact in enumerate(item.impacts, 1):
                field(f"{place} impact {k} target", impact.target, required=True)
                field(f"{place} impact {k}", impact.reason)
            problems.extend(_foreign_links(item, place, langs))
    count = len(briefing.items())
    if count < min_items:
        problems.append(
            Problem("briefing", "too-few-items", f"has {count} items, fewer than the {min_items} configured (site.min_items)")
        )
    return problems


def _foreign_links(item: Item, place: str, langs: list[str]) -> list[Problem]:
    allowed = {_normal_url(s.url) for s in item.sources if s.url}
    if item.url:
        allowed.add(_normal_url(item.url))
    problems = []
    for source in item.sources:
        if source.url and is_placeholder_host(source.url):
            problems.append(Problem(place, "foreign-link", f"source {source.name!r} has a placeholder URL {source.url}"))
    texts = [item.title, *item.key_points, *item.insights]
    texts += [impact.reason for impact in item.impacts]
    for text in texts:
        for lang in langs:
            for url in urls_in(getattr(text, lang)):
                if _normal_url(url) not in allowed:
                    problems.append(
                        Problem(place, "foreign-link", f"links to {url}, which is not one of the item's sources")
                    )
    return problems


# ------------------------------------------------------------------ Markdown posts

Report = Callable[[int, str, str], None]
_DATE_IN_NAME = re.compile(r"(\d{4}-\d{2}-\d{2})")
_LABEL = re.compile(r"^(?:- )?\*\*(?P<label>[^*]+?)[：:]\*\*\s*(?P<rest>.*)$")
_KEY_POINT_LABELS = {"核心要点", "核心要點", "key points"}


@dataclass
class _Block:
    kind: str  # "section" | "item"
    title: str
    line: int
    content: int = 0
    key_points: int = 0
    has_key_label: bool = False
    brief: bool = False
    open_label: tuple[str, int] | None = None


def check_markdown(
    text: str,
    *,
    name: str = "<post>",
    expected_date: dt.date | None = None,
    min_items: int = 0,
) -> list[Problem]:
    """Every reason to refuse a 经济日报 post; places are ``name:line``."""
    problems: list[Problem] = []

    def add(line: int, rule: str, message: str) -> None:
        problems.append(Problem(f"{name}:{line}", rule, message))

    lines = text.split("\n")
    body_start, meta = _front_matter(lines, add)
    _check_date(meta, name, expected_date, add)
    title = str(meta.get("title") or "").strip()
    if meta and not title:
        add(2, "empty", "front matter has no title")
    for what in placeholder_problems(title):
        add(2, "placeholder", f"title: {what}")
    cover = meta.get("coverImage")
    if isinstance(cover, str) and is_placeholder_host(cover):
        add(2, "foreign-link", f"coverImage points to a placeholder address: {cover}")

    # The footer (after the last "---") is site configuration, not content.
    body_end = len(lines)
    for i in range(len(lines) - 1, body_start - 1, -1):
        if lines[i].strip() == "---":
            body_end = i
            break
    for i in range(body_end, len(lines)):
        for what in placeholder_problems(lines[i]):
            if what.startswith("template"):
                add(i + 1, "placeholder", f"footer: {what}")

    sections: list[_Block] = []
    items: list[_Block] = []
    current: _Block | None = None
    section: _Block | None = None
    heading_title: str | None = None

    def close_item(block: _Block | None) -> None:
        if block is None or block.kind != "item":
            return
        if block.open_label:
            label, at = block.open_label
            add(at, "truncated", f"the {label} block of «{block.title}» is empty: the post may be cut off")
        if not block.brief and not block.key_points:
            add(block.line, "no-key-points", f"item «{block.title}» has no key points")

    last_content = body_start
    for idx in range(body_start, body_end):
        raw = lines[idx]
        number = idx + 1
        stripped = raw.strip()
        if not stripped:
            continue
        last_content = idx
        for what in placeholder_problems(stripped):
            add(number, "placeholder", what)
        for url in urls_in(stripped):
            if is_placeholder_host(url):
                add(number, "foreign-link", f"links to a placeholder address: {url}")
        if stripped.startswith("# ") and not stripped.startswith("## "):
            heading_title = stripped[2:].strip()
            if title and heading_title != title:
                add(number, "title", f"the heading «{heading_title}» differs from the front matter title «{title}»")
            continue
        if stripped.startswith("## "):
            close_item(current)
            current = None
            section = _Block("section", stripped[3:].strip(), number)
            section.brief = section.title in ("更多动态", "更多動態", "More Headlines")
            sections.append(section)
            continue
        if stripped.startswith("### "):
            close_item(current)
            current = _Block("item", stripped[4:].strip(), number, brief=False)
            items.append(current)
            if section:
                section.content += 1
            cut = truncation_problem(current.title)
            if cut:
                add(number, "truncated", f"item title {cut}")
            continue
        label = _LABEL.match(stripped)
        if label:
            if current is None:
                continue
            name_ = label.group("label").strip()
            rest = label.group("rest").strip()
            if current.open_label and current.open_label[0] != name_:
                prev, at = current.open_label
                add(at, "truncated", f"the {prev} block of «{current.title}» is empty")
            if name_.lower() in _KEY_POINT_LABELS:
                current.has_key_label = True
            current.open_label = None if rest else (name_, number)
            continue
        if stripped.startswith("- ") or stripped.startswith("* "):
            content = stripped[2:].strip()
            if current is not None:
                if current.open_label:
                    current.open_label = None
                if current.has_key_label and current.key_points >= 0:
                    current.key_points += 1 if _in_key_points(lines, idx, body_start) else 0
            elif section is not None:
                section.content += 1
                items.append(_Block("item", content, number, brief=True))
            cut = truncation_problem(content)
            if cut:
                add(number, "truncated", cut)
            continue
        cut = truncation_problem(stripped)
        if cut:
            add(number, "truncated", cut)

    close_item(current)
    if body_start < len(lines) and heading_title is None and body_start < body_end:
        add(body_start + 1, "title", "the post has no '# title' heading")
    for block in sections:
        if block.content == 0:
            add(block.line, "empty-section", f"section «{block.title}» has no items")
    if body_end == len(lines) and text and not text.endswith("\n"):
        last = lines[last_content].strip()
        if last and last[-1] not in "。！？.!?）)”」》】\"'*|>":
            add(last_content + 1, "truncated", "the post ends mid-line: it looks cut off")
    if len(items) < min_items:
        add(body_start + 1, "too-few-items", f"has {len(items)} items, fewer than the {min_items} configured (site.min_items)")
    return problems


def _in_key_points(lines: list[str], idx: int, floor: int) -> bool:
    """Whether bullet line `idx` belongs to the nearest label above it, the key points."""
    for j in range(idx - 1, floor - 1, -1):
        match = _LABEL.match(lines[j].strip())
        if match:
            return match.group("label").strip().lower() in _KEY_POINT_LABELS
        if lines[j].startswith("#"):
            return False
    return False


def _front_matter(lines: list[str], report: Report) -> tuple[int, dict[str, object]]:
    if not lines or lines[0].strip() != "---":
        return 0, {}
    for i in range(1, len(lines)):
        if lines[i].strip() == "---":
            try:
                data = yaml.safe_load("\n".join(lines[1:i])) or {}
            except yaml.YAMLError as exc:
                report(1, "front-matter", f"front matter is not valid YAML: {exc}")
                return i + 1, {}
            if not isinstance(data, dict):
                report(1, "front-matter", "front matter is not a mapping")
                return i + 1, {}
            return i + 1, data
    report(1, "front-matter", "front matter is never closed with '---'")
    return len(lines), {}


def _check_date(meta: dict[str, object], name: str, expected: dt.date | None, report: Report) -> None:
    if not meta:
        return
    raw = meta.get("date")
    if isinstance(raw, dt.datetime):
        raw = raw.date()
    if isinstance(raw, str):
        try:
            raw = dt.date.fromisoformat(raw.strip()[:10])
        except ValueError:
            report(1, "date", f"front matter date {raw!r} is not YYYY-MM-DD")
            return
    if not isinstance(raw, dt.date):
        report(1, "date", "front matter has no date")
        return
    in_name = _DATE_IN_NAME.search(name.rsplit("/", 1)[-1])
    if in_name and in_name.group(1) != raw.isoformat():
        report(1, "date", f"front matter date {raw.isoformat()} does not match the file name ({in_name.group(1)})")
    if expected is not None and raw != expected:
        report(1, "date", f"front matter date {raw.isoformat()} is not the expected {expected.isoformat()}")


def enforce(problems: list[Problem], subject: str) -> None:
    """Raise `GateError` naming the first problems if there are any."""
    if not problems:
        return
    shown = "; ".join(str(p) for p in problems[:3])
    more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
    raise GateError(
        f"publish gate refused {subject}: {shown}{more}: fix the briefing and run again"
        " (`briefing check` lists every problem)"
    )
