"""经济日报 Markdown → Briefing, tolerant of how real posts vary.

The reader walks the post line by line and models what it says: sections (or items
written as `## title` with no section at all), items with their time (or time range), key
points (bullets, numbers or a prose paragraph, under any of the labels real posts use, or
none), interpretation, impacts (target, stance as written and normalised, reason) and
investment notes (in the impact block, a blockquote or a bold label). How each is written
— label wording, bullets or numbers, sub-labels, block order — becomes a layout hint, and
the blank lines are recorded by comparing the post with the model's own rendering, line
by line (`briefing.render.markdown.body_lines`). So `render_markdown(import_markdown(md))
== md`, and an edit to any field shows in the output.

Lines that fit no field (a table, an image, a `---` rule) are kept verbatim where they
stood ("unplaced"). Only if the post still does not come back byte for byte is the whole
source kept, with a fingerprint of the content, and reused while the content is unedited;
`strict=True` turns that case into an error instead. `layout["import"]` says how much of
the post was modelled and which lines were kept verbatim.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

import yaml

from briefing import safe_yaml
from briefing.errors import ImportFormatError
from briefing.knowledge import asset_names, default_taxonomy, stance_vocabulary
from briefing.model import Briefing, Impact, Item, Section, Source, Text
from briefing.render.editions import COMPACT_KEY
from briefing.render.i18n import labels
from briefing.render.markdown import (
    BLOCKS,
    IMPACT_PREFIX,
    IMPACT_SEP,
    KEY_POINT_INDENT,
    RANGE_SEP,
    TIME_FORMAT,
    body_lines,
    canonical_front_matter,
    front_matter_fingerprint,
    front_matter_values,
    owner_layout,
    render_markdown,
    source_fingerprint,
)
from briefing.render.post_labels import Label, read_label

_DATE = r"\d{4}(?:-\d{1,2}-\d{1,2}|/\d{1,2}/\d{1,2}|年\d{1,2}月\d{1,2}日)"
_CLOCK = r"\d{1,2}[:：]\d{2}(?:[:：]\d{2})?"
_WHEN = rf"(?:{_DATE}(?:[ T]?{_CLOCK})?|{_CLOCK})"
_TIME = re.compile(
    r"^(?P<prefix>(?:- )?(?:\*\*)?[^\s*：:]{0,6}(?:时间|時間|Time)(?:\*\*)?\s*[：:]\s*(?:\*\*)?\s*)"
    rf"(?P<value>{_DATE}(?:[ T]?{_CLOCK})?)"
    rf"(?:(?P<range>\s*(?:至|到|~|～|—|–|-)\s*)(?P<end>{_WHEN}))?(?P<suffix>.*)$"
)
_PARTS = re.compile(r"\d+")
_BULLET = re.compile(r"^(?P<indent> *)(?P<marker>[-*+]) (?P<text>.*)$")
_NUMBERED = re.compile(r"^(?P<indent> *)(?P<number>\d{1,2})(?P<sep>[.、)）]\s?|\.\s)(?P<text>\S.*)$")
_LINK_TITLE = re.compile(r"^\[(?P<title>[^\]]+)\]\((?P<url>[^)\s]+)\)$")
_NOTE = re.compile(
    r"^(?P<before>\*\*)?(?P<label>投资启示|投资建议|操作建议|投资提示|Takeaway)(?P<after>(?:\*\*)?[：:](?:\*\*)?\s*)(?P<reason>.*)$"
)
_PAREN = re.compile(r"^(?P<target>[^（(：:*]{1,24})（(?P<stance>[^）]{1,12})）(?P<reason>.*)$")
_BOLD = re.compile(r"^\*\*(?P<prefix>对)?(?P<target>[^*：:]{1,24})\*\*(?P<colon>[：:])(?P<after>\s*)(?P<rest>.*)$")
_BOLD_COLON = re.compile(r"^\*\*(?P<prefix>对)?(?P<target>[^*：:]{1,24})(?P<colon>[：:])\*\*(?P<after>\s*)(?P<rest>.*)$")
_COLON = re.compile(r"^(?P<prefix>对)?(?P<target>[^：:*]{1,24})(?P<colon>[：:])(?P<after>\s*)(?P<rest>.*)$")
_NOTE_LABELS = {"投资启示": "Takeaway", "投资建议": "Investment advice", "操作建议": "Trading advice"}
_SEPS = ("。", "，", "；", "、", ". ", ",")
_PHRASE_END = re.compile(r"[。，；,;.（(]")
_RULE = re.compile(r"^ {0,3}(?:-{3,}|\*{3,}|_{3,})\s*$")
_SHORT = {"key_points": "kp", "insights": "ins", "impacts": "imp"}
_DEFAULT_LABEL = {"key_points": "- **核心要点：**", "insights": "**深度解读 & 洞察：**", "impacts": "**影响：**"}


def import_markdown(text: str, *, strict: bool = False, timezone: str = "Asia/Shanghai") -> Briefing:
    """Read a 经济日报 post into the model."""
    front, rest = _split_front_matter(text)
    meta = _parse_front_matter(front)
    body, tail, footer = _split_tail(rest)
    reader = _BodyReader(timezone=timezone, first_line=text[: len(text) - len(rest)].count("\n") + 1)
    reader.read(body)
    briefing = _assemble(meta, reader, footer, timezone)
    if front is not None:
        values = front_matter_values(briefing, "zh")
        if canonical_front_matter(values) != front:
            briefing.layout["front_matter"] = {
                "text": front,
                "fingerprint": front_matter_fingerprint(values),
            }
    if footer is None:
        if tail != "\n":
            briefing.layout["tail"] = tail
    elif tail != "\n\n---\n\n":
        briefing.layout["footer_sep"] = tail
    aligned = _record_gaps(briefing, body)
    rendered = render_markdown(briefing, "zh")
    report = reader.report(len(briefing.items()))
    if rendered != text:
        difference = aligned or _first_difference(text, rendered)
        if strict:
            raise ImportFormatError(f"post does not round-trip: {difference}")
        report["source_kept"] = True
        report["difference"] = difference
        briefing.layout["import"] = report
        briefing.layout["source"] = {"text": text, "fingerprint": source_fingerprint(briefing)}
    else:
        briefing.layout["import"] = report
    return briefing


def import_summary(briefing: Briefing) -> str:
    """One line on how much of an imported post is modelled (for `briefing import`)."""
    report = briefing.layout.get("import") or {}
    lines, kept = int(report.get("lines", 0)), list(report.get("kept_lines", []))
    share = 100.0 * (lines - len(kept)) / lines if lines else 100.0
    parts = [
        f"{report.get('items', 0)} items",
        f"{lines - len(kept)} of {lines} content lines modelled ({share:.1f}%)",
    ]
    if kept:
        shown = ", ".join(str(n) for n in kept[:8]) + (" …" if len(kept) > 8 else "")
        parts.append(f"{len(kept)} kept verbatim (lines {shown})")
    if report.get("source_kept"):
        parts.append(f"layout kept from the source until edited ({report.get('difference')})")
    return "; ".join(parts)


def _first_difference(original: str, rendered: str) -> str:
    a, b = original.split("\n"), rendered.split("\n")
    for number, (left, right) in enumerate(zip(a, b, strict=False), start=1):
        if left != right:
            return f"line {number}: {left!r} came back as {right!r}"
    return f"length differs: {len(a)} lines in, {len(b)} lines out"


# -- front matter, footer and blank lines -----------------------------------------------


def _split_front_matter(text: str) -> tuple[str | None, str]:
    if not text.startswith("---\n"):
        return None, text
    end = text.find("\n---\n", 3)
    if end < 0:
        raise ImportFormatError("front matter is not closed: add a line `---` after it")
    return text[: end + 5], text[end + 5 :]


def _parse_front_matter(front: str | None) -> dict[str, Any]:
    if front is None:
        return {}
    try:
        data = safe_yaml.load(front[4:-4])[0]  # bounded: a post may come from anywhere
    except yaml.YAMLError as exc:
        raise ImportFormatError(f"front matter is not valid YAML: {exc}") from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ImportFormatError("front matter must be a mapping of keys to values")
    return data


@dataclass(frozen=True)
class _SourceLine:
    number: int  # 1-based, in the whole post
    text: str
    blanks: list[str]  # the blank (or whitespace-only) lines before it


def _split_tail(rest: str) -> tuple[list[str], str, str | None]:
    """The body's lines, what follows the last of them, and the site footer if any.

    The footer is whatever follows the last `---` line, when no heading comes after it.
    """
    lines = rest.split("\n")
    marker = next((i for i in range(len(lines) - 1, -1, -1) if lines[i].strip() == "---"), None)
    if marker is not None:
        after = lines[marker + 1 :]
        if any(line.strip() for line in after) and not any(re.match(r"#{1,3} ", line) for line in after):
            first = marker + 1 + next(i for i, line in enumerate(after) if line.strip())
            end = _last_content(lines[:marker])
            sep = "\n".join(lines[max(end, 0) : first]) + "\n"
            sep = sep[len(lines[end]) :] if end >= 0 else sep
            return lines[: end + 1], sep, "\n".join(lines[first:])
    end = _last_content(lines)
    if end < 0:
        return [], rest, None
    return lines[: end + 1], "\n".join(lines[end:])[len(lines[end]) :], None


def _last_content(lines: list[str]) -> int:
    return next((i for i in range(len(lines) - 1, -1, -1) if lines[i].strip()), -1)


def _source_lines(body: list[str], first: int) -> list[_SourceLine]:
    out: list[_SourceLine] = []
    blanks: list[str] = []
    for offset, line in enumerate(body):
        if not line.strip():
            blanks.append(line)
            continue
        out.append(_SourceLine(first + offset, line, blanks))
        blanks = []
    return out


def _record_gaps(briefing: Briefing, body: list[str]) -> str | None:
    """Give each line that stands after other than its canonical blank lines a `gaps` hint.

    Returns why the post could not be aligned with the model's rendering, or None.
    """
    source = _source_lines(body, 1)
    rendered = body_lines(briefing, "zh")
    for index, (have, made) in enumerate(zip(source, rendered, strict=False)):
        if have.text != made.text:
            return f"body line {index + 1}: {have.text!r} came back as {made.text!r}"
    if len(source) != len(rendered):
        return f"{len(source)} body lines in, {len(rendered)} out"
    for have, made in zip(source, rendered, strict=True):
        gap: int | list[str] = len(have.blanks)
        if any(have.blanks):
            gap = list(have.blanks)
        if gap != made.gap:
            owner_layout(briefing, made.owner).setdefault("gaps", {})[made.role] = gap
    return None


# -- body -------------------------------------------------------------------------


@dataclass
class _SectionDraft:
    title: str
    items: list[Any] = field(default_factory=list)
    layout: dict[str, Any] = field(default_factory=dict)
    implicit: bool = False


@dataclass
class _ItemDraft:
    title: str
    level: int = 3
    time: dt.datetime | None = None
    time_end: dt.datetime | None = None
    key_points: list[str] = field(default_factory=list)
    insights: list[str] = field(default_factory=list)
    impacts: list[Impact] = field(default_factory=list)
    layout: dict[str, Any] = field(default_factory=dict)
    block: str = "time"
    opened: list[str] = field(default_factory=list)  # blocks in the order the post opens them
    base_indent: str = ""  # key points under a `- **核心要点：**` label are indented
    numbers: dict[str, dict[int, str]] = field(default_factory=dict)

    def entries(self, block: str) -> list[Any]:
        if block == "key_points":
            return self.key_points
        if block == "insights":
            return self.insights
        return [i for i in self.impacts if not i.layout.get("standalone")]

    def has_content(self) -> bool:
        return bool(self.key_points or self.insights or self.impacts)


class _BodyReader:
    def __init__(self, timezone: str, first_line: int) -> None:
        self.zone = ZoneInfo(timezone)
        self.first_line = first_line
        self.h1: str | None = None
        self.preamble: list[list[str]] = []
        self.sections: list[_SectionDraft] = []
        self.item: _ItemDraft | None = None
        self.blanks = 0
        self.lines = 0
        self.kept: list[int] = []
        self.number = 0

    def read(self, lines: list[str]) -> None:
        for offset, line in enumerate(lines):
            self.number = self.first_line + offset
            if not line.strip():
                self.blanks += 1
                continue
            self.lines += 1
            self.line(line, lines, offset)
            self.blanks = 0

    def report(self, items: int) -> dict[str, Any]:
        return {"lines": self.lines, "items": items, "kept_lines": list(self.kept), "source_kept": False}

    # -- where a line goes ------------------------------------------------------------
    def line(self, line: str, lines: list[str], offset: int) -> None:
        level = len(line) - len(line.lstrip("#")) if line.startswith("#") else 0
        heading = level and line[level : level + 1] == " "
        if heading and level == 1 and self.h1 is None and not self.sections:
            self.h1 = line
        elif heading and level == 2 and self._item_at(lines, offset):
            self.new_item(line[3:], 2)
        elif heading and level == 2:
            self.item = None
            self.sections.append(_SectionDraft(title=line[3:].strip(), layout={"heading": line}))
        elif heading and level == 3 and (self.item is None or self.item.level >= 3) and read_label(line) is None:
            self.new_item(line[4:], 3)
        elif self.item is not None:
            self.item_line(self.item, line)
        elif self.sections and (bullet := _BULLET.match(line)) and not bullet["indent"] and bullet["marker"] == "-":
            self.sections[-1].items.append(bullet["text"])
        else:
            self.keep(line, rule=bool(_RULE.match(line)))

    def _item_at(self, lines: list[str], offset: int) -> bool:
        """Whether a `## ` heading is an item (its own time, labels or prose) or a section."""
        prose = False
        for line in lines[offset + 1 :]:
            if line.startswith("## ") or line.startswith("# "):
                break
            if line.startswith("### ") and read_label(line) is None:
                return False
            label = read_label(line)
            if _TIME.match(line) or (label is not None and label.kind != "sub"):
                return True
            if line.strip() and not _BULLET.match(line) and not _RULE.match(line) and not line.startswith("#"):
                prose = True
        return prose

    def new_item(self, title: str, level: int) -> None:
        if (level == 2 or not self.sections) and (not self.sections or not self.sections[-1].implicit):
            self.sections.append(_SectionDraft(title="", layout={"heading": ""}, implicit=True))
        self.item = _ItemDraft(title=title, level=level)
        if level != 3:
            self.item.layout["level"] = level
        self.sections[-1].items.append(self.item)

    def keep(self, line: str, *, rule: bool = False) -> None:
        """A line outside any item: kept verbatim after what precedes it."""
        if not rule:
            self.kept.append(self.number)
        if self.sections:
            slot = "end" if self.sections[-1].items else "start"
            extra = self.sections[-1].layout.setdefault("unplaced", {}).setdefault(slot, [])
        else:
            extra = self.preamble
        if extra and self.blanks == 0:
            extra[-1].append(line)
        else:
            extra.append([line])

    def unplaced(self, item: _ItemDraft, line: str) -> None:
        """A line inside an item that fits no field: kept verbatim after the current block."""
        if not _RULE.match(line):
            self.kept.append(self.number)
        blocks = item.layout.setdefault("unplaced", {}).setdefault(item.block, [])
        if blocks and self.blanks == 0:
            blocks[-1].append(line)
        else:
            blocks.append([line])

    # -- inside an item ---------------------------------------------------------------
    def item_line(self, item: _ItemDraft, line: str) -> None:
        time = _TIME.match(line) if item.time is None and not item.has_content() else None
        if time is not None and self.read_time(item, time):
            return
        if _RULE.match(line):
            self.unplaced(item, line)
            return
        label = read_label(line)
        in_impacts = item.block == "impacts" and _BULLET.match(line) is not None
        if label is not None and not (in_impacts and label.kind in ("notes", "sub")):
            self.label(item, label, line)
            return
        heading = len(line) - len(line.lstrip("#")) if line.startswith("#") else 0
        if heading and line[heading : heading + 1] == " " and heading > item.level:
            self.sublabel(item, line)
            return
        if line.startswith("> ") or line.startswith("|") or line.startswith("<") or line.startswith("!["):
            self.unplaced(item, line)
            return
        if item.block not in _SHORT:
            self.open_block(item, "key_points", None)
        bullet = _BULLET.match(line)
        numbered = _NUMBERED.match(line) if bullet is None else None
        if bullet is not None:
            self.entry(item, bullet["text"], "bullet", bullet["indent"], marker=bullet["marker"])
        elif numbered is not None:
            self.entry(item, numbered["text"], "numbered", numbered["indent"], number=numbered["number"],
                       numsep=numbered["sep"])
        else:
            self.entry(item, line, "prose", "")

    def read_time(self, item: _ItemDraft, time: re.Match[str]) -> bool:
        start = _parse_when(time["value"], None, self.zone)
        if start is None:
            return False
        end = _parse_when(time["end"], start[0], self.zone) if time["end"] else None
        if time["end"] and end is None:
            return False
        item.time = start[0]
        self.hint(item, "time_prefix", time["prefix"], "- **时间：** ")
        self.hint(item, "time_format", start[1], TIME_FORMAT)
        if end is not None:
            item.time_end = end[0]
            self.hint(item, "time_range_sep", time["range"], RANGE_SEP)
            self.hint(item, "time_end_format", end[1], start[1])
        self.hint(item, "time_suffix", time["suffix"], "")
        return True

    def label(self, item: _ItemDraft, label: Label, line: str) -> None:
        if label.kind == "sub":
            if label.rest:
                self.plain_entry(item, line)
            else:
                self.sublabel(item, line)
            return
        if label.kind == "notes":
            self.note(item, label)
            return
        if label.kind in item.opened:
            self.sublabel(item, line)  # a block written twice: keep the second label in place
            return
        if label.rest:
            self.open_block(item, label.kind, label.label)
            item.layout[f"{_SHORT[label.kind]}_inline"] = label.space
            self.plain_entry(item, label.rest, inline=True)
        else:
            self.open_block(item, label.kind, line)

    def note(self, item: _ItemDraft, label: Label) -> None:
        """An investment note standing alone: `> 投资启示：…`, `**投资启示：** …`."""
        target = Text(zh=label.word, en=_NOTE_LABELS.get(label.word, ""))
        head = label.head.replace("{word}", "{target}", 1) + label.space
        impact = Impact(kind="note", target=target, reason=Text(zh=label.rest),
                        layout={"standalone": True, "head": head})
        item.impacts.append(impact)
        if "notes" not in item.opened:
            item.opened.append("notes")
        item.block = "notes"

    def open_block(self, item: _ItemDraft, name: str, line: str | None) -> None:
        short = _SHORT[name]
        self.hint(item, f"{short}_label", "" if line is None else line, _DEFAULT_LABEL[name])
        if name == "key_points":
            item.base_indent = KEY_POINT_INDENT if line is not None and line.startswith("- ") else ""
        item.opened.append(name)
        item.block = name
        item.layout[f"{short}_empty"] = True

    def sublabel(self, item: _ItemDraft, line: str) -> None:
        """A label of no known block (`**市场表现：**`, `#### 背景`): kept before the next entry."""
        if item.block not in _SHORT:
            self.open_block(item, "key_points", None)
        short = _SHORT[item.block]
        index = str(len(item.entries(item.block)))
        subs = item.layout.setdefault(f"{short}_sublabels", {})
        if index in subs:
            self.unplaced(item, line)
            return
        subs[index] = line

    def plain_entry(self, item: _ItemDraft, text: str, *, inline: bool = False) -> None:
        if item.block not in _SHORT:
            self.open_block(item, "key_points", None)
        self.entry(item, text, "prose", "", inline=inline)

    def entry(self, item: _ItemDraft, text: str, form: str, indent: str, *, marker: str = "-",
              number: str | None = None, numsep: str = "", inline: bool = False) -> None:
        """One key point, insight or impact line, and how it is written."""
        name, short, layout = item.block, _SHORT[item.block], item.layout
        layout.pop(f"{short}_empty", None)
        index = len(item.entries(name))
        block_form = layout.setdefault(f"{short}_form", form) if not inline else form
        if not inline and form != "prose" and f"{short}_shape" not in layout:
            layout[f"{short}_shape"] = True  # the first bullet sets the block's indent and marker
            base = item.base_indent if name == "key_points" else ""
            if indent != base:
                layout[f"{short}_indent"] = indent
            if form == "bullet" and marker != "-":
                layout[f"{short}_marker"] = marker
            if form == "numbered":
                layout[f"{short}_numsep"] = numsep
        odd = form == "bullet" and marker != layout.get(f"{short}_marker", "-")
        odd = odd or (form == "numbered" and numsep != layout.get(f"{short}_numsep", ". "))
        if odd and name != "impacts":
            text, form = f"{indent}{marker} {text}" if form == "bullet" else f"{indent}{number}{numsep}{text}", "prose"
            indent = ""
        if name == "impacts":
            impact = parse_impact(text)
            if form == "prose" and not inline:
                impact.layout["para"] = True
            item.impacts.append(impact)
        elif name == "key_points":
            item.key_points.append(text)
        else:
            item.insights.append(text)
        if inline:
            return
        if form != block_form and not (name == "impacts" and form == "prose"):
            layout.setdefault(f"{short}_forms", {})[str(index)] = form
        if form == "numbered" and number is not None:
            item.numbers.setdefault(short, {})[index] = number
        block_indent = layout.get(f"{short}_indent", item.base_indent if name == "key_points" else "")
        if indent != (block_indent if form != "prose" else ""):
            layout.setdefault(f"{short}_indents", {})[str(index)] = indent

    @staticmethod
    def hint(item: _ItemDraft, key: str, value: object, canonical: object) -> None:
        if value != canonical:
            item.layout[key] = value
        else:
            item.layout.pop(key, None)


def _parse_when(value: str, start: dt.datetime | None, zone: ZoneInfo) -> tuple[dt.datetime, str] | None:
    """A time as written, and a template that writes it again the same way."""
    numbers = [m for m in _PARTS.finditer(value)]
    names = ["Y", "m", "d", "H", "M", "S"]
    if len(numbers) <= 3 and start is not None and (":" in value or "：" in value):
        names = ["H", "M", "S"]  # an end written as a time only: the start's day
    fields: dict[str, int] = {}
    template = ""
    pos = 0
    for name, match in zip(names, numbers, strict=False):
        template += value[pos : match.start()].replace("{", "{{").replace("}", "}}")
        digits = match.group(0)
        padded = len(digits) == 2 and name != "Y"
        template += f"{{{name}:02d}}" if padded else f"{{{name}}}"
        fields[name] = int(digits)
        pos = match.end()
    template += value[pos:].replace("{", "{{").replace("}", "}}")
    if start is not None:
        for name, current in (("Y", start.year), ("m", start.month), ("d", start.day)):
            fields.setdefault(name, current)
    try:
        moment = dt.datetime(fields["Y"], fields["m"], fields["d"], fields.get("H", 0), fields.get("M", 0),
                             fields.get("S", 0), tzinfo=zone)
    except (KeyError, ValueError):
        return None
    if template.format(Y=moment.year, m=moment.month, d=moment.day, H=moment.hour, M=moment.minute,
                       S=moment.second) != value:
        return None
    return moment, template


# -- impact lines -------------------------------------------------------------------


def _target(name: str) -> tuple[Text, str | None]:
    """A target's text and key; a known asset also gets its English name."""
    asset = asset_names().get(name)
    if asset is None:
        return Text(zh=name), None
    return Text(zh=name, en=asset.en), asset.key


def parse_impact(text: str) -> Impact:
    """One line of an impact block, in any of the ways posts write it."""
    if note := _NOTE.match(text):
        label = Text(zh=note["label"], en=_NOTE_LABELS.get(note["label"], ""))
        layout: dict[str, Any] = {}
        if (note["before"] or "") or note["after"] not in ("：",):
            layout["head"] = f"{note['before'] or ''}{{target}}{note['after']}"
        return Impact(kind="note", target=label, reason=Text(zh=note["reason"]), layout=layout)
    vocabulary = stance_vocabulary()
    paren = _PAREN.match(text)
    if paren and (word := vocabulary.lookup(paren["stance"])) and word.zh == paren["stance"]:
        target, key = _target(paren["target"])
        return Impact(
            target=target,
            target_key=key,
            stance=word.stance,
            horizon=word.horizon,
            stance_text=Text(zh=paren["stance"]),
            reason=Text(zh=paren["reason"]),
            layout={"form": "paren"},
        )
    layout = {}
    match = _BOLD.match(text)
    if match:
        layout["form"] = "bold"
    elif match := _BOLD_COLON.match(text):
        layout["form"] = "bold_colon"
    else:
        match = _COLON.match(text)
    if match is None:
        # Not an impact line we can read: a note without a label keeps it verbatim.
        return Impact(kind="note", target=Text(), reason=Text(zh=text))
    if match["colon"] != "：":
        layout["colon"] = match["colon"]
    if match["after"]:
        layout["after_colon"] = match["after"]
    if (match["prefix"] or "") != IMPACT_PREFIX:
        layout["prefix"] = match["prefix"] or ""
    rest = match["rest"]
    target, key = _target(match["target"])
    stance = _stance(rest)
    if stance is None:
        return Impact(target=target, target_key=key, reason=Text(zh=rest), layout=layout)
    word, stance_text = stance
    remainder = rest[len(stance_text) :]
    sep = next((s for s in _SEPS if remainder.startswith(s)), "")
    reason = remainder[len(sep) :]
    if sep != (IMPACT_SEP if reason else ""):
        layout["sep"] = sep
    return Impact(
        target=target,
        target_key=key,
        stance=word.stance,
        horizon=word.horizon,
        stance_text=Text(zh=stance_text),
        reason=Text(zh=reason),
        layout=layout,
    )


def _stance(rest: str) -> tuple[Any, str] | None:
    """The stance a line states, and its words as written.

    A known wording at the start is the stance (`利多。…`, `短期利空，但…`); otherwise a
    short phrase before the first stop that holds a known wording is (`明显利多`,
    `整体偏空`), so its normalised stance is known and its words are kept.
    """
    vocabulary = stance_vocabulary()
    end = _PHRASE_END.search(rest)
    phrase = rest[: end.start()] if end else rest
    word = vocabulary.match_prefix(rest)
    if word is not None and word.zh == rest[: len(word.zh)]:
        # 利多结构性机会。… : the stance is the whole short phrase before the stop.
        return word, phrase if end and len(phrase) <= 8 else word.zh
    if not phrase or len(phrase) > 8:
        return None
    found = [w for w in vocabulary.stances if len(w.zh) >= 2 and w.zh in phrase]
    if not found:
        return None
    return max(found, key=lambda w: len(w.zh)), phrase


# -- assembling the model -----------------------------------------------------------


def _texts(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]


def _summary(value: Any) -> list[Text]:
    if isinstance(value, list):
        return [Text(zh=str(v)) for v in value]
    lines = str(value or "").split("\n")
    return [Text(zh=line[2:] if line.startswith("- ") else line) for line in lines if line]


def _parse_date(meta: dict[str, Any]) -> dt.date:
    value = meta.get("date")
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError as exc:
        raise ImportFormatError(
            f"front matter date {value!r} is missing or not YYYY-MM-DD: add `date: 2026-02-05`"
        ) from exc


# The edition's list of stories told only in the other language (render/editions.py):
# `- [title](url)（source · 英文）`, or `- title (source · Chinese)` in an English post.
_COMPACT_TITLES = {labels("zh")["other_language"], labels("en")["other_language"]}
_COMPACT_ENTRY = re.compile(
    r"^(?P<body>.+?)\s?[（(](?:(?P<source>[^（）()]+?) · )?(?P<tag>英文|中文|English|Chinese)[）)]$")
_TAG_LANG = {"英文": "en", "English": "en", "中文": "zh", "Chinese": "zh"}


def _section(draft: _SectionDraft, index: int) -> Section:
    if draft.implicit:
        return Section(key=f"section-{index + 1}", title=Text(), layout={})
    if draft.title in _COMPACT_TITLES and all(isinstance(i, str) for i in draft.items):
        return Section(key=COMPACT_KEY, brief=True, compact=True,
                       title=Text(zh=labels("zh")["other_language"], en=labels("en")["other_language"]))
    spec = default_taxonomy().by_title(draft.title)
    title = Text(zh=spec.zh, en=spec.en) if spec else Text(zh=draft.title)
    key = spec.key if spec else f"section-{index + 1}"
    brief = all(isinstance(i, str) for i in draft.items) and bool(draft.items or (spec and spec.brief))
    layout = {k: v for k, v in draft.layout.items() if k != "heading" or v != f"## {title.zh}"}
    if not draft.items:
        layout["empty"] = True  # a heading with nothing under it: kept, and the gate says so
    return Section(key=key, title=title, brief=brief, layout=layout)


def _assemble(meta: dict[str, Any], reader: _BodyReader, footer: str | None, timezone: str) -> Briefing:
    day = _parse_date(meta)
    title = str(meta.get("title") or (reader.h1 or "# ")[2:])
    layout: dict[str, Any] = {}
    if reader.h1 != f"# {title}":
        layout["h1"] = reader.h1 if reader.h1 is not None else ""
    if reader.preamble:
        layout["unplaced"] = {"preamble": reader.preamble}
    briefing = Briefing(
        date=day,
        timezone=timezone,
        title=Text(zh=title),
        category=Text(zh=str(meta.get("category", "经济日报"))),
        tags=[Text(zh=t) for t in _texts(meta.get("tags"))],
        seo=_texts(meta.get("seo")),
        cover_image=meta.get("coverImage"),
        summary=_summary(meta.get("summary")),
        footer=footer,
        layout=layout,
    )
    number = 0
    for index, draft in enumerate(reader.sections):
        section = _section(draft, index)
        for entry in draft.items:
            number += 1
            item_id = f"{day.isoformat()}-{number:02d}"
            compact = section.compact and isinstance(entry, str) and _compact_item(entry, item_id)
            section.items.append(compact or _item(entry, item_id))
        briefing.sections.append(section)
    return briefing


def _compact_item(entry: str, item_id: str) -> Item | None:
    """An entry of the other-language list: its title in the language its tag names."""
    found = _COMPACT_ENTRY.match(entry)
    if found is None:
        return None
    title, url = found["body"], None
    if link := _LINK_TITLE.match(title):
        title, url = link["title"], link["url"]
    lang = _TAG_LANG[found["tag"]]
    sources = [Source(name=found["source"], url=url, lang=lang)] if found["source"] else []
    return Item(id=item_id, title=Text(**{lang: title}), url=url, sources=sources)


def _item(entry: str | _ItemDraft, item_id: str) -> Item:
    title = entry if isinstance(entry, str) else entry.title
    url = None
    if link := _LINK_TITLE.match(title):
        title, url = link["title"], link["url"]
    if isinstance(entry, str):
        return Item(id=item_id, title=Text(zh=title), url=url)
    layout = _finish_layout(entry)
    return Item(
        id=item_id,
        title=Text(zh=title),
        url=url,
        time=entry.time,
        time_end=entry.time_end,
        key_points=[Text(zh=p) for p in entry.key_points],
        insights=[Text(zh=p) for p in entry.insights],
        impacts=entry.impacts,
        layout=layout,
    )


def _finish_layout(entry: _ItemDraft) -> dict[str, Any]:
    """Drop hints that say what the canonical layout says anyway."""
    layout = entry.layout
    order = [*entry.opened, *(b for b in BLOCKS if b not in entry.opened)]
    if order != list(BLOCKS):
        layout["order"] = order
    for short, numbers in entry.numbers.items():
        if any(number != str(index + 1) for index, number in numbers.items()):
            count = len(entry.key_points if short == "kp" else entry.insights if short == "ins" else entry.impacts)
            layout[f"{short}_numbers"] = [numbers.get(i, str(i + 1)) for i in range(count)]
    inside = [i for i in entry.impacts if not i.layout.get("standalone")]
    for short, texts in (("kp", entry.key_points), ("ins", entry.insights), ("imp", inside)):
        if forms := layout.get(f"{short}_forms"):
            block_form = layout.get(f"{short}_form", "bullet")
            layout[f"{short}_forms"] = [forms.get(str(i), block_form) for i in range(len(texts))]
    for short in _SHORT.values():
        layout.pop(f"{short}_shape", None)
        if layout.get(f"{short}_form") == "bullet":
            layout.pop(f"{short}_form")
    return layout
