"""Briefing → 经济日报 Markdown (FORMAT.md), per edition.

The body is rendered as a list of `Line`s, each owned by a part of the model (the
briefing, a section, an item) with a *role* within it (``title``, ``kp.2``,
``imp_label`` …) and a canonical number of blank lines before it. Layout hints recorded
by the importer (`layout` fields) change the wording of labels, the form of entries
(bullets, numbers, paragraphs), the order of blocks and, keyed by role, the blank lines;
so an imported post comes back byte for byte, and an edit to any field still lands in
the right place. Without hints (a built briefing, or the en edition) the canonical
layout applies.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import yaml

from briefing.model import Briefing, Impact, Item, Section, Text
from briefing.render.editions import for_edition, item_language
from briefing.render.i18n import colon, content_lang, format_day, format_time, labels, stance_word

# Canonical label lines for the zh edition; the importer compares against these.
KEY_POINT_INDENT = "  "
IMPACT_PREFIX = "对"
IMPACT_SEP = "。"
TIME_FORMAT = "{Y}-{m:02d}-{d:02d} {H:02d}:{M:02d}"
RANGE_SEP = " 至 "
BLOCKS = ("key_points", "insights", "impacts", "notes")
_SHORT = {"key_points": "kp", "insights": "ins", "impacts": "imp"}  # a block's role prefix
_FRONT_MATTER_KEYS = ("title", "date", "category", "tags", "seo", "coverImage", "summary")
Owner = tuple[int, ...]  # () the briefing, (s,) a section, (s, i) an item


@dataclass(frozen=True)
class Line:
    """One non-blank line of the body and where it comes from."""

    text: str
    owner: Owner
    role: str
    gap: int  # blank lines before it in the canonical layout


def render_markdown(briefing: Briefing, edition: str = "zh", *, footer: str | None = None) -> str:
    """The post for an edition. `footer` (raw HTML/Markdown) overrides the briefing's own."""
    view = for_edition(briefing, edition)
    source = briefing.layout.get("source")
    # The kept source of an imported post is reused only while nothing had to be disarmed.
    if (
        edition == "zh"
        and view is briefing
        and isinstance(source, dict)
        and source.get("fingerprint") == source_fingerprint(briefing)
    ):
        return str(source["text"])
    renderer = _Renderer(view, edition)
    body = join_lines(view, renderer.body_lines(), hinted=renderer.hinted)
    footer_text = footer if footer is not None else view.footer
    if footer_text is not None:
        sep = renderer.hint(view.layout, "footer_sep", "\n\n---\n\n")
        return renderer.front_matter() + body + str(sep) + footer_text
    return renderer.front_matter() + body + str(renderer.hint(view.layout, "tail", "\n"))


def body_lines(briefing: Briefing, edition: str = "zh") -> list[Line]:
    """The body's lines with their owners and roles (the importer aligns a post with them)."""
    return _Renderer(for_edition(briefing, edition), edition).body_lines()


def owner_layout(briefing: Briefing, owner: Owner) -> dict[str, Any]:
    """The layout dict of the model part a line belongs to."""
    if not owner:
        return briefing.layout
    section = briefing.sections[owner[0]]
    if len(owner) == 1:
        return section.layout
    return section.items[owner[1]].layout


def join_lines(briefing: Briefing, lines: list[Line], *, hinted: bool) -> str:
    """Lines joined with their blank lines: the canonical count or the recorded one."""
    out: list[str] = []
    for line in lines:
        gap: Any = line.gap
        if hinted:
            gap = owner_layout(briefing, line.owner).get("gaps", {}).get(line.role, line.gap)
        if not out and line.gap == 0 and gap == 0:
            out.append(line.text)
            continue
        blanks = [""] * gap if isinstance(gap, int) else [str(b) for b in gap]
        out.extend(blanks)
        out.append(line.text)
    return "\n".join(out)


def source_fingerprint(briefing: Briefing) -> str:
    """A digest of the content, without the kept source: the source is reused while it matches."""
    data = briefing.model_dump(mode="json")
    data["layout"] = {k: v for k, v in data["layout"].items() if k not in ("source", "import")}
    blob = json.dumps(data, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]


def front_matter_fingerprint(values: dict[str, object]) -> str:
    """A digest of front matter values: a raw block is reused only while they match."""
    blob = json.dumps(values, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]


def front_matter_values(briefing: Briefing, edition: str) -> dict[str, object]:
    """The front matter as data, in FORMAT.md's key order."""
    lang = content_lang(edition)
    marker = labels(edition)["untranslated_md"]

    def text(value: Text) -> str:
        """Like the body: text that falls back to the other language is marked."""
        own, used = value.get(lang)
        return f"{marker}{own}" if own and used != lang else own

    values: dict[str, object] = {
        "title": text(briefing.title),
        "date": briefing.date.isoformat(),
        "category": briefing.category.get(lang)[0],
        "tags": [tag.get(lang)[0] for tag in briefing.tags],  # tags are names, never marked
        "seo": list(briefing.seo),
    }
    if briefing.cover_image:
        values["coverImage"] = briefing.cover_image
    values["summary"] = "\n".join(f"- {text(line)}" for line in briefing.summary)
    return values


# YAML 1.1 words that a plain scalar starting with a letter could still resolve to
# (booleans, null): PyYAML's resolver reads them as other types.
_YAML_WORDS = frozenset(["yes", "no", "true", "false", "on", "off", "null"])
_YAML_REFUSED = re.compile("[\x7f-\x9f\u2028\u2029\ufffe\uffff]")


def plainly_a_string(value: str) -> bool:
    """`value` reads back as itself when written plain: it starts with a letter (not an
    indicator, a number or a date), has no ':' or '#' (no key, no comment) and no
    character YAML or the reader could treat specially, and is not a boolean or null word.
    Anything else is decided by parsing it (`yaml_scalar`)."""
    return (
        value[:1].isalpha() and value.isprintable() and value[-1:] != " "
        and ":" not in value and "#" not in value and value.lower() not in _YAML_WORDS
    )


def yaml_scalar(value: str, *, prefer_plain: bool) -> str:
    """A YAML scalar: plain when that reads back to the same string, else double-quoted."""
    if prefer_plain and value and value == value.strip() and "\n" not in value:
        if plainly_a_string(value):  # most titles: spares a YAML parse per field
            return value
        try:
            if yaml.safe_load(f"k: {value}") == {"k": value}:
                return value
        except yaml.YAMLError:
            pass
    # JSON strings are valid YAML double-quoted scalars once the characters JSON leaves
    # raw and YAML refuses (C1 controls, U+FFFE/FFFF) or folds (NEL, U+2028/9) are escaped.
    return _YAML_REFUSED.sub(lambda m: f"\\u{ord(m[0]):04x}", json.dumps(value, ensure_ascii=False))


def yaml_flow_list(values: Iterable[str]) -> str:
    """An inline list written like the example: ["a","b"]."""
    return json.dumps(list(values), ensure_ascii=False, separators=(",", ":"))


def canonical_front_matter(values: dict[str, object]) -> str:
    lines = ["---"]
    for key in _FRONT_MATTER_KEYS:
        if key not in values:
            continue
        value = values[key]
        if isinstance(value, list):
            lines.append(f"{key}: {yaml_flow_list(value)}")
        else:
            if key == "date":
                lines.append(f"date: {value}")  # YYYY-MM-DD, read as a date by Hugo and Hexo
                continue
            plain = key in ("title", "category")
            lines.append(f"{key}: {yaml_scalar(str(value), prefer_plain=plain)}")
    lines.append("---")
    return "\n".join(lines) + "\n"


def format_time_as(moment: dt.datetime, template: str, timezone: str) -> str:
    """A time in the briefing's zone written with a template recorded by the importer."""
    local = moment.astimezone(ZoneInfo(timezone))
    return template.format(Y=local.year, m=local.month, d=local.day, H=local.hour, M=local.minute, S=local.second)


class _Renderer:
    def __init__(self, briefing: Briefing, edition: str) -> None:
        self.briefing = briefing
        self.edition = edition
        self.lang = content_lang(edition)
        self.words = labels(edition)
        self.colon = colon(edition)
        # Layout hints describe a zh post; other editions use the canonical layout.
        self.hinted = edition == "zh"

    # -- text ---------------------------------------------------------------
    def text(self, value: Text) -> str:
        """A field in the edition's language, marked when it falls back to the other one."""
        text, used = value.get(self.lang)
        if used != self.lang and text:
            return f"{self.words['untranslated_md']}{text}"
        return text

    def hint(self, layout: dict[str, Any], key: str, default: Any) -> Any:
        return layout.get(key, default) if self.hinted else default

    # -- document -----------------------------------------------------------
    def front_matter(self) -> str:
        values = front_matter_values(self.briefing, self.edition)
        raw = self.briefing.layout.get("front_matter") if self.hinted else None
        if isinstance(raw, dict) and raw.get("fingerprint") == front_matter_fingerprint(values):
            return str(raw["text"])
        return canonical_front_matter(values)

    def body_lines(self) -> list[Line]:
        lines: list[Line] = []
        layout = self.briefing.layout
        title_line = self.hint(layout, "h1", None)
        if title_line is None:
            title_line = f"# {self.text(self.briefing.title)}"
        if title_line != "":
            lines.append(Line(str(title_line), (), "h1", 0))
        lines += self.unplaced(layout, "preamble", ())
        for s, section in enumerate(self.briefing.sections):
            # An empty section is left out, unless the imported post had its heading.
            if section.items or self.hint(section.layout, "unplaced", None) or self.hint(section.layout, "empty", False):
                lines += self.section_lines(section, (s,))
        if lines and lines[0].gap:
            lines[0] = Line(lines[0].text, lines[0].owner, lines[0].role, 0)
        return lines

    def section_lines(self, section: Section, owner: Owner) -> list[Line]:
        lines: list[Line] = []
        heading = self.hint(section.layout, "heading", None)
        title = self.text(section.title)
        if heading is None:
            heading = f"## {title}" if title else ""
        if heading:
            lines.append(Line(str(heading), owner, "heading", 1))
        lines += self.unplaced(section.layout, "start", owner)
        if section.compact:
            for i, item in enumerate(section.items):
                lines.append(Line(f"- {self.compact_entry(item)}", (*owner, i), "title", 0 if i else 1))
        elif section.brief:
            for i, item in enumerate(section.items):
                lines.append(Line(f"- {self.linked_title(item)}", (*owner, i), "title", 0 if i else 1))
        else:
            for i, item in enumerate(section.items):
                lines += self.item_lines(item, (*owner, i))
        lines += self.unplaced(section.layout, "end", owner)
        return lines

    def compact_entry(self, item: Item) -> str:
        """A story told only in the other language: its own title, source and one tag."""
        lang = item_language(item)
        title = getattr(item.title, lang)
        linked = f"[{title}]({item.url})" if item.url else title
        tag = self.words[f"lang_{lang}"]
        source = item.sources[0].name if item.sources else ""
        about = f"{source} · {tag}" if source else tag
        return f"{linked}（{about}）" if self.lang == "zh" else f"{linked} ({about})"

    def linked_title(self, item: Item) -> str:
        title = self.text(item.title)
        return f"[{title}]({item.url})" if item.url else title

    def unplaced(self, layout: dict[str, Any], slot: str, owner: Owner) -> list[Line]:
        """Lines the importer could not place, kept verbatim where they stood."""
        extra = self.hint(layout, "unplaced", {})
        lines: list[Line] = []
        for b, block in enumerate(extra.get(slot, [])):
            lines += [Line(str(text), owner, f"un.{slot}.{b}.{j}", 0 if j else 1) for j, text in enumerate(block)]
        return lines

    # -- items --------------------------------------------------------------
    def item_lines(self, item: Item, owner: Owner) -> list[Line]:
        layout = item.layout
        level = int(self.hint(layout, "level", 3))
        lines = [Line(f"{'#' * level} {self.linked_title(item)}", owner, "title", 1)]
        if item.time is not None:
            lines.append(Line(self.time_line(item), owner, "time", 1))
        lines += self.unplaced(layout, "time", owner)
        order = self.hint(layout, "order", list(BLOCKS))
        for name in order:
            block = self.block_lines(item, name, owner, joined=bool(lines[-1].role == "time"))
            lines += block
            lines += self.unplaced(layout, name, owner)
        return lines

    def time_line(self, item: Item) -> str:
        assert item.time is not None
        layout = item.layout
        prefix = self.hint(layout, "time_prefix", f"- **{self.words['time']}{self.colon}** ")
        template = self.hint(layout, "time_format", None)
        # A post that gives only a day (事件时间：2025-12-09) gets no clock time in any edition.
        day_only = "{H" not in str(layout.get("time_format", "{H"))
        when = self.when(item.time, template, day_only)
        if item.time_end is not None:
            end_template = self.hint(layout, "time_end_format", template)
            written = layout.get("time_end_format", layout.get("time_format", "{H"))
            end = self.when(item.time_end, end_template, "{H" not in str(written))
            when += str(self.hint(layout, "time_range_sep", RANGE_SEP if self.edition != "en" else " – ")) + end
        return f"{prefix}{when}{self.hint(layout, 'time_suffix', '')}"

    def when(self, moment: dt.datetime, template: str | None, day_only: bool) -> str:
        zone = self.briefing.timezone
        if template:
            return format_time_as(moment, template, zone)
        if day_only:
            return format_day(moment.astimezone(ZoneInfo(zone)).date(), self.edition)
        return format_time(moment, self.edition, zone)

    def entries(self, item: Item, name: str) -> list[str]:
        """The texts of one block's entries as the post writes them."""
        if name == "key_points":
            return [self.text(p) for p in item.key_points]
        if name == "insights":
            return [self.text(p) for p in item.insights]
        if name == "impacts":
            return [self.impact_text(i) for i in item.impacts if not self.standalone(i)]
        return [self.note_text(i) for i in item.impacts if self.standalone(i)]

    def standalone(self, impact: Impact) -> bool:
        """A note written outside the impact block (a blockquote, a bold label)."""
        return self.hinted and impact.kind == "note" and bool(impact.layout.get("standalone"))

    def block_lines(self, item: Item, name: str, owner: Owner, *, joined: bool) -> list[Line]:
        layout = item.layout
        texts = self.entries(item, name)
        if name == "notes":  # each note carries its own label
            return [Line(text, owner, f"note.{i}", 1) for i, text in enumerate(texts)]
        short = _SHORT[name]
        if not self.hinted or not (layout or any(i.layout for i in item.impacts)):
            return self.canonical_block(texts, name, short, owner, joined=joined)
        if not texts and not self.hint(layout, f"{short}_empty", False):
            return []
        label = self.hint(layout, f"{short}_label", self.canonical_label(name))
        lines: list[Line] = []
        inline = self.hint(layout, f"{short}_inline", None)
        if label and inline is not None and texts:
            lines.append(Line(f"{label}{inline}{texts[0]}", owner, f"{short}.0", 1))
        elif label:
            gap = 0 if (joined and name == "key_points" and label.startswith("- ")) else 1
            lines.append(Line(str(label), owner, f"{short}_label", gap))
        default_indent = KEY_POINT_INDENT if name == "key_points" and str(label).startswith("- ") else ""
        indent = str(self.hint(layout, f"{short}_indent", default_indent))
        indents = self.hint(layout, f"{short}_indents", {})
        forms = self.hint(layout, f"{short}_forms", [])
        form = self.hint(layout, f"{short}_form", "bullet")
        numbers = self.hint(layout, f"{short}_numbers", None)
        numsep = str(self.hint(layout, f"{short}_numsep", ". "))
        marker = str(self.hint(layout, f"{short}_marker", "-"))
        sublabels = self.hint(layout, f"{short}_sublabels", {})
        previous_prose = not label or (inline is not None)
        for i, text in enumerate(texts):
            if str(i) in sublabels:
                lines.append(Line(str(sublabels[str(i)]), owner, f"{short}_sub.{i}", 1))
                previous_prose = False
            if i == 0 and inline is not None and label:
                continue
            # A mixed block lists each entry's form; an entry added later takes the last one's.
            own_form = (forms[i] if i < len(forms) else forms[-1]) if forms else form
            if name == "impacts" and self.hinted and self.paragraph_impact(item, i):
                own_form = "prose"
            pad = str(indents.get(str(i), indent if own_form != "prose" else ""))
            if own_form == "prose":
                lines.append(Line(f"{pad}{text}", owner, f"{short}.{i}", 1))
                previous_prose = True
                continue
            if own_form == "numbered":
                number = numbers[i] if isinstance(numbers, list) and i < len(numbers) else str(i + 1)
                lines.append(Line(f"{pad}{number}{numsep}{text}", owner, f"{short}.{i}", 1 if previous_prose else 0))
            else:
                lines.append(Line(f"{pad}{marker} {text}", owner, f"{short}.{i}", 1 if previous_prose else 0))
            previous_prose = False
        if str(len(texts)) in sublabels:
            lines.append(Line(str(sublabels[str(len(texts))]), owner, f"{short}_sub.{len(texts)}", 1))
        return lines

    def canonical_block(self, texts: list[str], name: str, short: str, owner: Owner, *,
                        joined: bool) -> list[Line]:
        """`block_lines` without layout hints (a built briefing, the en edition): the label,
        then a bullet per entry. Most blocks of a site build take this way."""
        if not texts:
            return []
        label = self.canonical_label(name)
        listed = name == "key_points"  # its label is itself a bullet; entries indent under it
        lines = [Line(label, owner, f"{short}_label", 0 if joined and listed else 1)]
        indent = KEY_POINT_INDENT if listed else ""
        lines += [Line(f"{indent}- {text}", owner, f"{short}.{i}", 0) for i, text in enumerate(texts)]
        return lines

    def paragraph_impact(self, item: Item, index: int) -> bool:
        """Whether the index-th entry of the impact block is a paragraph, not a bullet."""
        inside = [i for i in item.impacts if not self.standalone(i)]
        return index < len(inside) and bool(inside[index].layout.get("para"))

    def canonical_label(self, name: str) -> str:
        word = {"key_points": "key_points", "insights": "insights", "impacts": "impact"}[name]
        label = f"**{self.words[word]}{self.colon}**"
        return f"- {label}" if name == "key_points" else label

    def note_text(self, impact: Impact) -> str:
        head = str(impact.layout.get("head", "{target}："))
        before, _, after = head.partition("{target}")
        return f"{before}{self.text(impact.target)}{after}{self.text(impact.reason)}"

    def impact_text(self, impact: Impact) -> str:
        """One line of the impact block, without its bullet."""
        target = self.text(impact.target)
        reason = self.text(impact.reason)
        layout = impact.layout
        if impact.kind == "note":
            if not target:
                return reason
            if self.hinted and "head" in layout:
                return self.note_text(impact)
            sep = ": " if self.edition == "en" else self.hint(layout, "colon", self.colon)
            return f"{target}{sep}{reason}"
        stance = stance_word(impact, self.edition)
        form = self.hint(layout, "form", "colon")
        if form == "paren":
            return f"{target}（{stance}）{reason}"
        if self.edition == "en":
            sep = ". " if stance and reason else ""
            return f"{target}: {stance}{sep}{reason}"
        prefix = self.hint(layout, "prefix", self.words["impact_target"].replace("{target}", ""))
        head = f"{prefix}{target}"
        if form == "bold":
            head = f"**{head}**"
        elif form == "bold_colon":
            head = f"**{head}{self.hint(layout, 'colon', self.colon)}**"
        sep = self.hint(layout, "sep", IMPACT_SEP if stance and reason else "")
        after = self.hint(layout, "after_colon", "")
        if form == "bold_colon":
            return f"{head}{after}{stance}{sep}{reason}"
        return f"{head}{self.hint(layout, 'colon', self.colon)}{after}{stance}{sep}{reason}"
