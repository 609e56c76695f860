"""经济日报 Markdown → Briefing, tolerant of how real posts vary.

The reader walks the post line by line. What it recognises becomes model fields; how it
was written, where that differs from the canonical layout, becomes a layout hint (see
`briefing.render.markdown`), so `render_markdown(import_markdown(md)) == md`. Lines it
cannot place are kept verbatim where they stood ("unplaced"), never dropped. If a post
still does not come back byte for byte (odd blank lines, say), the source is kept with a
fingerprint of the content, and reused while the content is unedited; `strict=True`
turns that case into an error instead, which is how the tests hold the reader to account.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

import yaml

from briefing.errors import ImportFormatError
from briefing.knowledge import asset_names, default_taxonomy, stance_vocabulary
from briefing.model import Briefing, Impact, Item, Section, Text
from briefing.render.markdown import (
    IMPACT_PREFIX,
    IMPACT_SEP,
    KEY_POINT_INDENT,
    canonical_front_matter,
    front_matter_fingerprint,
    front_matter_values,
    render_markdown,
    source_fingerprint,
)

_LABEL_TAIL = r"\s*(?:\*\*)?\s*[：:]?\s*(?:\*\*)?\s*[：:]?\s*"
_TIME = re.compile(
    r"^(?P<prefix>(?:- )?(?:\*\*)?[^\s*]{0,6}(?:时间|Time)\s*[：:]\s*(?:\*\*)?\s*)"
    r"(?P<value>\d{4}-\d{2}-\d{2} \d{2}:\d{2})(?P<suffix>.*)$"
)
_LABELS: dict[str, tuple[str, ...]] = {
    "key_points": ("核心要点", "要点", "Key points"),
    "insights": ("深度解读 & 洞察", "深度解读&洞察", "深度解读", "洞察", "Analysis & insight"),
    "impacts": ("影响", "市场影响", "Impact"),
}
_LABEL_RES = {
    name: re.compile(
        r"^(?:#{3,6} |- )?(?:\*\*)?(?:" + "|".join(re.escape(w) for w in words) + r")" + _LABEL_TAIL + "$"
    )
    for name, words in _LABELS.items()
}
_BULLET = re.compile(r"^(?P<indent> *)- (?P<text>.*)$")
_LINK_TITLE = re.compile(r"^\[(?P<title>[^\]]+)\]\((?P<url>[^)\s]+)\)$")
_NOTE = re.compile(r"^(?P<label>投资启示|投资建议|操作建议|Takeaway)(?P<colon>[：:])(?P<reason>.*)$")
_PAREN = re.compile(r"^(?P<target>[^（(：:*]{1,24})（(?P<stance>[^）]{1,12})）(?P<reason>.*)$")
_BOLD = re.compile(r"^\*\*(?P<prefix>对)?(?P<target>[^*：:]{1,24})\*\*(?P<colon>[：:])(?P<rest>.*)$")
_COLON = re.compile(r"^(?P<prefix>对)?(?P<target>[^：:*]{1,24})(?P<colon>[：:])(?P<rest>.*)$")
_NOTE_LABELS = {"投资启示": "Takeaway", "投资建议": "Investment advice", "操作建议": "Trading advice"}
_SEPS = ("。", "，", "；", "、", ". ", ",")


def import_markdown(text: str, *, strict: bool = False, timezone: str = "Asia/Shanghai") -> Briefing:
    """Read a 经济日报 post into the model."""
    front, body = _split_front_matter(text)
    meta = _parse_front_matter(front)
    body, footer = _split_footer(body)
    reader = _BodyReader(timezone=timezone)
    reader.read(body.split("\n"))
    briefing = _assemble(meta, reader, footer, timezone)
    if front is not None:
        values = front_matter_values(briefing, "zh")
        if canonical_front_matter(values) != front:
            briefing.layout["front_matter"] = {
                "text": front,
                "fingerprint": front_matter_fingerprint(values),
            }
    rendered = render_markdown(briefing, "zh")
    if rendered != text:
        if strict:
            raise ImportFormatError(f"post does not round-trip: {_first_difference(text, rendered)}")
        briefing.layout["source"] = {"text": text, "fingerprint": source_fingerprint(briefing)}
    return briefing


def _first_difference(original: str, rendered: str) -> str:
    a, b = original.split("\n"), rendered.split("\n")
    for number, (left, right) in enumerate(zip(a, b, strict=False), start=1):
        if left != right:
            return f"line {number}: {left!r} came back as {right!r}"
    return f"length differs: {len(a)} lines in, {len(b)} lines out"


# -- front matter and footer ------------------------------------------------------


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
        data = yaml.safe_load(front[4:-4])
    except yaml.YAMLError as exc:
        raise ImportFormatError(f"front matter is not valid YAML: {exc}") from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ImportFormatError("front matter must be a mapping of keys to values")
    return data


def _split_footer(body: str) -> tuple[str, str | None]:
    """The site footer: whatever follows the last `---` line after the last heading."""
    marker = body.rfind("\n---\n")
    if marker < 0:
        return body, None
    tail = body[marker + 5 :]
    if re.search(r"^#{1,3} ", tail, flags=re.M):
        return body, None
    head = body[:marker]
    if head.endswith("\n") and tail.startswith("\n"):
        return head[:-1], tail[1:]
    return body, None


# -- body -------------------------------------------------------------------------


@dataclass
class _Draft:
    """An item or section being read, with the layout hints seen so far."""

    title: str
    items: list[Any] = field(default_factory=list)
    layout: dict[str, Any] = field(default_factory=dict)


@dataclass
class _ItemDraft:
    title: str
    time: dt.datetime | None = None
    key_points: list[str] = field(default_factory=list)
    insights: list[str] = field(default_factory=list)
    impacts: list[Impact] = field(default_factory=list)
    layout: dict[str, Any] = field(default_factory=dict)
    block: str = "title"
    fresh_label: bool = False


class _BodyReader:
    def __init__(self, timezone: str) -> None:
        self.zone = ZoneInfo(timezone)
        self.h1: str | None = None
        self.preamble: list[list[str]] = []
        self.sections: list[_Draft] = []
        self.item: _ItemDraft | None = None
        self.blanks = 0

    def read(self, lines: list[str]) -> None:
        for line in lines:
            if not line.strip():
                self.blanks += 1
                continue
            self.line(line)
            self.blanks = 0

    def line(self, line: str) -> None:
        if line.startswith("# ") and self.h1 is None and not self.sections:
            self.h1 = line
        elif line.startswith("## "):
            self.item = None
            self.sections.append(_Draft(title=line[3:].strip(), layout={"heading": line}))
        elif line.startswith("### ") and not self._label(line) and self.sections:
            self.item = _ItemDraft(title=line[4:].strip())
            self.sections[-1].items.append(self.item)
        elif self.item is not None:
            self.item_line(self.item, line)
        elif self.sections and (bullet := _BULLET.match(line)) and not bullet["indent"]:
            self.sections[-1].items.append(bullet["text"])
        else:
            self.keep(line)

    def keep(self, line: str) -> None:
        """A line outside any item: kept verbatim after what precedes it."""
        if self.sections:
            extra = self.sections[-1].layout.setdefault("unplaced", {}).setdefault("end", [])
        else:
            extra = self.preamble
        if extra and self.blanks == 0:
            extra[-1].append(line)
        else:
            extra.append([line])

    def _label(self, line: str) -> str | None:
        for name, pattern in _LABEL_RES.items():
            if pattern.match(line):
                return name
        return None

    def item_line(self, item: _ItemDraft, line: str) -> None:
        if (time := _TIME.match(line)) and item.time is None and not item.key_points:
            item.time = dt.datetime.strptime(time["value"], "%Y-%m-%d %H:%M").replace(tzinfo=self.zone)
            self.hint(item, "time_prefix", time["prefix"], "- **时间：** ")
            self.hint(item, "time_suffix", time["suffix"], "")
            item.block = "time"
            return
        if label := self._label(line):
            self.open_block(item, label, line)
            return
        bullet = _BULLET.match(line)
        if bullet is None:
            self.unplaced(item, line)
            return
        indent, text = bullet["indent"], bullet["text"]
        if item.block in ("title", "time") and not indent:
            # Bullets straight after the title or time: key points without a label.
            self.open_block(item, "key_points", None)
        self.label_gap(item)
        if item.block == "key_points":
            self.key_point(item, indent, text)
        elif item.block == "insights" and not indent:
            item.insights.append(text)
        elif item.block == "impacts" and not indent:
            item.impacts.append(parse_impact(text))
        else:
            self.unplaced(item, line)

    def open_block(self, item: _ItemDraft, name: str, line: str | None) -> None:
        canonical = {
            "key_points": "- **核心要点：**",
            "insights": "**深度解读 & 洞察：**",
            "impacts": "**影响：**",
        }[name]
        self.hint(item, f"{name}_label", "" if line is None else line, canonical)
        if name == "key_points":
            joined = item.block == "time" and self.blanks == 0
            self.hint(item, "key_points_joined", joined or item.time is None, True)
            default_indent = KEY_POINT_INDENT if line is not None and line.startswith("- ") else ""
            self.hint(item, "key_point_indent", default_indent, KEY_POINT_INDENT)
        item.block = name
        item.fresh_label = line is not None

    def label_gap(self, item: _ItemDraft) -> None:
        """A blank line between a label and its first bullet is a layout hint."""
        if item.fresh_label:
            self.hint(item, f"{item.block}_gap", self.blanks > 0, False)
            item.fresh_label = False

    def key_point(self, item: _ItemDraft, indent: str, text: str) -> None:
        expected = item.layout.get("key_point_indent", KEY_POINT_INDENT)
        if indent != expected:
            item.layout.setdefault("key_point_indents", {})[str(len(item.key_points))] = indent
        item.key_points.append(text)

    def unplaced(self, item: _ItemDraft, line: str) -> None:
        after = item.block if item.block in ("key_points", "insights", "impacts") else "time"
        blocks = item.layout.setdefault("unplaced", {}).setdefault(after, [])
        if blocks and self.blanks == 0:
            blocks[-1].append(line)
        else:
            blocks.append([line])

    @staticmethod
    def hint(item: _ItemDraft, key: str, value: object, canonical: object) -> None:
        if value != canonical:
            item.layout[key] = value
        else:
            item.layout.pop(key, None)


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
        hints = {} if note["colon"] == "：" else {"colon": note["colon"]}
        return Impact(kind="note", target=label, reason=Text(zh=note["reason"]), layout=hints)
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
    layout: dict[str, Any] = {}
    match = _BOLD.match(text)
    if match:
        layout["form"] = "bold"
    else:
        match = _COLON.match(text)
    if match is None or match["colon"] != "：":
        # Not an impact line we can read: a note without a label keeps it verbatim.
        return Impact(kind="note", target=Text(), reason=Text(zh=text))
    if (match["prefix"] or "") != IMPACT_PREFIX:
        layout["prefix"] = match["prefix"] or ""
    rest = match["rest"]
    word = vocabulary.match_prefix(rest)
    target, key = _target(match["target"])
    if word is None or word.zh != rest[: len(word.zh)]:
        return Impact(target=target, target_key=key, reason=Text(zh=rest), layout=layout)
    stance_text, remainder = rest[: len(word.zh)], rest[len(word.zh) :]
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


def _section(draft: _Draft, index: int) -> Section:
    spec = default_taxonomy().by_title(draft.title)
    title = Text(zh=spec.zh, en=spec.en) if spec else Text(zh=draft.title)
    key = spec.key if spec else f"section-{index + 1}"
    brief = all(isinstance(i, str) for i in draft.items) and bool(draft.items or (spec and spec.brief))
    layout = {k: v for k, v in draft.layout.items() if k != "heading" or v != f"## {title.zh}"}
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
            section.items.append(_item(entry, f"{day.isoformat()}-{number:02d}"))
        briefing.sections.append(section)
    return briefing


def _item(entry: str | _ItemDraft, item_id: str) -> Item:
    title = entry if isinstance(entry, str) else entry.title
    url = None
    if link := _LINK_TITLE.match(title):
        title, url = link["title"], link["url"]
    if isinstance(entry, str):
        return Item(id=item_id, title=Text(zh=title), url=url)
    return Item(
        id=item_id,
        title=Text(zh=title),
        url=url,
        time=entry.time,
        key_points=[Text(zh=p) for p in entry.key_points],
        insights=[Text(zh=p) for p in entry.insights],
        impacts=entry.impacts,
        layout=entry.layout,
    )
