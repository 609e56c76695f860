"""Briefing → 经济日报 Markdown (FORMAT.md), per edition.

The document is a front matter block and a body of *blocks* joined by one blank line:
the H1, each section heading, each item's heading and its label blocks, the `更多动态`
list, and the footer. Layout hints recorded by the importer (`layout` fields) let an
imported post come back byte for byte; without hints the canonical layout applies.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable

import yaml

from briefing.model import Briefing, Impact, Item, Section, Text
from briefing.render.editions import for_edition
from briefing.render.i18n import colon, content_lang, format_time, labels, stance_word

# Canonical label lines for the zh edition; the importer compares against these.
KEY_POINT_INDENT = "  "
IMPACT_PREFIX = "对"
IMPACT_SEP = "。"
_FRONT_MATTER_KEYS = ("title", "date", "category", "tags", "seo", "coverImage", "summary")


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
    text = renderer.front_matter() + "\n".join(renderer.body_lines())
    footer_text = footer if footer is not None else view.footer
    if footer_text is not None:
        return text + "\n\n---\n\n" + footer_text
    return text + "\n"


def source_fingerprint(briefing: Briefing) -> str:
    """A digest of the content, without the kept source: the source is reused while it matches."""
    data = briefing.model_dump(mode="json")
    data["layout"] = {k: v for k, v in data["layout"].items() if k != "source"}
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


def yaml_scalar(value: str, *, prefer_plain: bool) -> str:
    """A YAML scalar: plain when that reads back to the same string, else double-quoted."""
    if prefer_plain and value and value == value.strip() and "\n" not in value:
        try:
            if yaml.safe_load(f"k: {value}") == {"k": value}:
                return value
        except yaml.YAMLError:
            pass
    # JSON strings are valid YAML double-quoted scalars.
    return json.dumps(value, ensure_ascii=False)


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

    def hint(self, layout: dict[str, object], key: str, default: object) -> object:
        return layout.get(key, default) if self.hinted else default

    # -- document -----------------------------------------------------------
    def front_matter(self) -> str:
        values = front_matter_values(self.briefing, self.edition)
        raw = self.briefing.layout.get("front_matter") if self.hinted else None
        if isinstance(raw, dict) and raw.get("fingerprint") == front_matter_fingerprint(values):
            return str(raw["text"])
        return canonical_front_matter(values)

    def body_lines(self) -> list[str]:
        blocks: list[list[str]] = []
        title_line = self.hint(self.briefing.layout, "h1", None)
        if title_line is None:
            title_line = f"# {self.text(self.briefing.title)}"
        if title_line != "":
            blocks.append([str(title_line)])
        blocks.extend(self.unplaced(self.briefing.layout, "preamble"))
        for section in self.briefing.sections:
            if section.items or section.layout.get("unplaced"):  # an empty section is left out
                blocks.extend(self.section_blocks(section))
        lines: list[str] = []
        for block in blocks:
            if lines:
                lines.append("")
            lines.extend(block)
        return lines

    def section_blocks(self, section: Section) -> list[list[str]]:
        heading = self.hint(section.layout, "heading", None) or f"## {self.text(section.title)}"
        blocks: list[list[str]] = [[str(heading)]]
        if section.brief:
            bullets = [self.brief_line(item) for item in section.items]
            if bullets:
                blocks.append(bullets)
            blocks.extend(self.unplaced(section.layout))
            return blocks
        for item in section.items:
            blocks.extend(self.item_blocks(item))
        blocks.extend(self.unplaced(section.layout))
        return blocks

    def brief_line(self, item: Item) -> str:
        return f"- {self.linked_title(item)}"

    def linked_title(self, item: Item) -> str:
        title = self.text(item.title)
        return f"[{title}]({item.url})" if item.url else title

    # -- items --------------------------------------------------------------
    def item_blocks(self, item: Item) -> list[list[str]]:
        layout = item.layout
        blocks: list[list[str]] = [[f"### {self.linked_title(item)}"]]
        head: list[str] = []
        if item.time is not None:
            prefix = self.hint(layout, "time_prefix", f"- **{self.words['time']}{self.colon}** ")
            when = format_time(item.time, self.edition, self.briefing.timezone)
            head.append(f"{prefix}{when}{self.hint(layout, 'time_suffix', '')}")
        label_lines: list[str] = []
        points: list[str] = []
        if item.key_points:
            label = self.hint(layout, "key_points_label", f"- **{self.words['key_points']}{self.colon}**")
            indent = str(self.hint(layout, "key_point_indent", KEY_POINT_INDENT))
            odd = self.hint(layout, "key_point_indents", {})
            assert isinstance(odd, dict)
            label_lines = [str(label)] if label else []
            points = [
                f"{odd.get(str(i), indent)}- {self.text(point)}"
                for i, point in enumerate(item.key_points)
            ]
        if self.hint(layout, "key_points_gap", False):
            label_block, points = label_lines, points
        else:
            label_block, points = label_lines + points, []
        after_time = self.unplaced(layout, "time")  # text kept from between title/time and points
        if head and label_block and not after_time and self.hint(layout, "key_points_joined", True):
            head, label_block = head + label_block, []
        blocks.extend(block for block in (head, *after_time, label_block, points) if block)
        blocks.extend(self.unplaced(layout, "key_points"))
        if item.insights:
            label = self.hint(layout, "insights_label", f"**{self.words['insights']}{self.colon}**")
            bullets = [f"- {self.text(point)}" for point in item.insights]
            blocks.extend(self.labelled(layout, "insights", str(label), bullets))
        blocks.extend(self.unplaced(layout, "insights"))
        if item.impacts:
            label = self.hint(layout, "impacts_label", f"**{self.words['impact']}{self.colon}**")
            bullets = [self.impact_line(impact) for impact in item.impacts]
            blocks.extend(self.labelled(layout, "impacts", str(label), bullets))
        blocks.extend(self.unplaced(layout, "impacts"))
        return blocks

    def labelled(self, layout: dict[str, object], name: str, label: str, bullets: list[str]) -> list[list[str]]:
        """A label and its bullets: one block, or two when the label is a heading."""
        if self.hint(layout, f"{name}_gap", False):
            return [[label], bullets]
        return [[label, *bullets]]

    def unplaced(self, layout: dict[str, object], after: str = "end") -> list[list[str]]:
        """Lines the importer could not place, kept verbatim where they stood."""
        extra = layout.get("unplaced", {})
        assert isinstance(extra, dict)
        return [list(block) for block in extra.get(after, [])]

    def impact_line(self, impact: Impact) -> str:
        target = self.text(impact.target)
        reason = self.text(impact.reason)
        layout = impact.layout
        if impact.kind == "note":
            if not target:
                return f"- {reason}"
            sep = ": " if self.edition == "en" else self.hint(layout, "colon", self.colon)
            return f"- {target}{sep}{reason}"
        stance = stance_word(impact, self.edition)
        if self.hint(layout, "form", "colon") == "paren":
            return f"- {target}（{stance}）{reason}"
        if self.edition == "en":
            sep = ". " if stance and reason else ""
            return f"- {target}: {stance}{sep}{reason}"
        prefix = self.hint(layout, "prefix", self.words["impact_target"].replace("{target}", ""))
        head = f"{prefix}{target}"
        if self.hint(layout, "form", "colon") == "bold":
            head = f"**{head}**"
        sep = self.hint(layout, "sep", IMPACT_SEP if stance and reason else "")
        return f"- {head}{self.colon}{stance}{sep}{reason}"
