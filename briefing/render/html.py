"""Briefing → a standalone HTML page per edition (Jinja2, autoescape, StrictUndefined).

The page is built in two steps. `page_context` turns the model into plain display data
(every content field already rendered to a safe fragment by `inline.render_inline`, every
label looked up in the i18n layer); the template `templates/briefing.html.j2` only lays
that data out. Content is never compiled as a template, so ``{{ 7*7 }}`` in a title is
just text; raw HTML in content is escaped by markdown-it (html off) and by autoescape.

The same page feeds the PDF (`for_pdf=True`): the stylesheet is then referenced under
`pdf.ASSET_BASE`, which only `pdf.SafeFetcher` serves, and the edition switch is left out.
Output is deterministic: no timestamps, stable ids, stable order.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nh3
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from briefing.model import Briefing, Impact, Item, Text
from briefing.render.editions import for_edition, item_language
from briefing.render.i18n import (
    colon,
    content_lang,
    format_long_date,
    format_time,
    html_lang,
    labels,
    stance_word,
    to_traditional,
)
from briefing.render.inline import SAFE_SCHEMES, render_inline, safe_href, strip_controls

TEMPLATES_DIR = Path(__file__).resolve().parents[1] / "templates"
ASSETS_DIR = TEMPLATES_DIR / "assets"
TEMPLATE_NAME = "briefing.html.j2"
STYLESHEET = "briefing.css"


# ---------------------------------------------------------------- display data


@dataclass(frozen=True)
class Field:
    """A content field ready for the page: safe HTML plus its real language.

    `lang` is set (an HTML lang value) only when the text is a fallback in the other
    language, so the template can mark it with a `lang` attribute and a visible tag.
    """

    html: Markup
    lang: str | None = None

    @property
    def fallback(self) -> bool:
        return self.lang is not None


@dataclass(frozen=True)
class ImpactView:
    kind: str
    target: Field
    stance: str
    stance_label: str
    reason: Field
    horizon: str | None
    basis: str = ""  # the rule and evidence sentence behind the tag (a hover title)


@dataclass(frozen=True)
class SourceView:
    name: str
    href: str | None


@dataclass(frozen=True)
class ItemView:
    anchor: str
    title: Field
    href: str | None
    time_iso: str | None
    time_text: str | None
    key_points: list[Field]
    insights: list[Field]
    impacts: list[ImpactView]
    sources: list[SourceView]
    follow_up: bool
    lang_tag: str | None = None  # the language of a compact-list entry (one tag, no marks)


@dataclass(frozen=True)
class SectionView:
    anchor: str
    title: Field
    brief: bool
    items: list[ItemView]
    compact: bool = False  # stories told only in the other language (title, source, tag)


@dataclass(frozen=True)
class MapClassView:
    name: str
    svg: Markup
    rows: list[dict[str, Any]]


@dataclass(frozen=True)
class MapView:
    """The impact map as the template shows it: an SVG per asset class and the text list."""

    words: dict[str, str]
    caption: str
    classes: list[MapClassView]
    data: Any  # the ImpactMap, for the site's stance history


@dataclass
class PageView:
    lang: str
    edition: str
    title: Field
    category: Field
    date_iso: str
    date_text: str
    summary: list[Field]
    tags: list[Field]
    sections: list[SectionView]
    labels: dict[str, str]
    colon: str
    gap: str
    other_edition_href: str | None
    other_edition_lang: str | None
    stylesheet_href: str
    footer: Markup | None
    for_pdf: bool
    running_head: str
    page_label: tuple[str, str]
    impact_map: MapView | None = None
    stylesheet: Markup | None = None  # the stylesheet itself, for a page that stands alone


# ---------------------------------------------------------------- building the view


class _Builder:
    """Turns one edition of a briefing into `PageView` parts."""

    def __init__(self, edition: str) -> None:
        self.edition = edition
        self.lang = content_lang(edition)
        self.labels = labels(edition)
        self.used_anchors: set[str] = set()

    def text(self, value: Text) -> Field:
        raw, actual = value.get(self.lang)
        if actual == self.lang or not raw:
            return Field(render_inline(raw))
        return Field(render_inline(raw), lang=html_lang(actual))

    def plain(self, value: Text) -> str:
        raw, _ = value.get(self.lang)
        return strip_controls(raw)

    def anchor(self, prefix: str, key: str) -> str:
        """A unique, safe fragment id: ``[a-z0-9-]`` only (section keys come from data)."""
        slug = re.sub(r"[^a-z0-9]+", "-", key.lower()).strip("-") or "x"
        candidate, n = f"{prefix}-{slug}", 2
        while candidate in self.used_anchors:
            candidate, n = f"{prefix}-{slug}-{n}", n + 1
        self.used_anchors.add(candidate)
        return candidate

    def stance_label(self, impact: Impact) -> str:
        word = stance_word(impact, self.edition)
        if self.edition == "zh-Hant":
            word = to_traditional(word)
        return strip_controls(word)

    def impact(self, impact: Impact) -> ImpactView:
        target = self.text(impact.target)
        if impact.kind == "impact" and not target.fallback and target.html:
            # 对{target} / {target}: the frame is an interface word, the target is content.
            template = self.labels["impact_target"]
            before, _, after = template.partition("{target}")
            target = Field(escape(before) + target.html + escape(after))
        return ImpactView(
            kind=impact.kind,
            target=target,
            stance=impact.stance,
            stance_label=self.stance_label(impact) if impact.kind == "impact" else "",
            reason=self.text(impact.reason),
            horizon=impact.horizon,
            basis=self.basis(impact),
        )

    def basis(self, impact: Impact) -> str:
        """'Rule fed_policy.ease; evidence: …' for a tag the reasoner wrote, else ''."""
        if not impact.rule:
            return ""
        evidence = self.plain(impact.evidence)
        if self.edition == "zh-Hant":
            evidence = to_traditional(evidence)
        return self.labels["impact_basis"].format(rule=impact.rule, evidence=evidence)

    def compact(self, item: Item) -> ItemView:
        """An entry of the compact list: the title as written (its own lang), no marks."""
        lang = item_language(item)
        return ItemView(
            anchor=self.anchor("item", item.id),
            title=Field(render_inline(getattr(item.title, lang)), lang=html_lang(lang)),
            href=safe_href(item.url),
            time_iso=None,
            time_text=None,
            key_points=[],
            insights=[],
            impacts=[],
            sources=[SourceView(name=strip_controls(s.name), href=safe_href(s.url))
                     for s in item.sources[:1]],
            follow_up=item.follow_up,
            lang_tag=self.labels[f"lang_{lang}"],
        )

    def item(self, item: Item, timezone: str) -> ItemView:
        return ItemView(
            anchor=self.anchor("item", item.id),
            title=self.text(item.title),
            href=safe_href(item.url),
            time_iso=item.time.isoformat() if item.time else None,
            time_text=format_time(item.time, self.edition, timezone) if item.time else None,
            key_points=[self.text(t) for t in item.key_points if t],
            insights=[self.text(t) for t in item.insights if t],
            impacts=[self.impact(i) for i in item.impacts],
            sources=[
                SourceView(name=strip_controls(s.name), href=safe_href(s.url))
                for s in item.sources
            ],
            follow_up=item.follow_up,
        )


def _clean_footer(footer: str | None) -> Markup | None:
    """The site footer is configuration, but it is still HTML from a file: allowlist it."""
    if not footer or not footer.strip():
        return None
    cleaned = nh3.clean(
        strip_controls(footer),
        tags={"a", "p", "div", "span", "br", "strong", "em", "b", "i", "small", "ul", "li"},
        attributes={"a": {"href", "title"}, "*": {"class"}},
        url_schemes=set(SAFE_SCHEMES),
        link_rel="noopener noreferrer nofollow",
    )
    return Markup(cleaned.strip()) if cleaned.strip() else None


def page_context(
    briefing: Briefing,
    edition: str,
    *,
    other_edition_href: str | None = None,
    assets_href: str = "assets/",
    footer_html: str | None = None,
    for_pdf: bool = False,
) -> PageView:
    """Everything the template shows, as display data (pure: no I/O)."""
    view = for_edition(briefing, edition)
    builder = _Builder(edition)
    sections = [
        SectionView(
            anchor=builder.anchor("sec", section.key),
            title=builder.text(section.title),
            brief=section.brief,
            items=[builder.compact(item) if section.compact else builder.item(item, view.timezone)
                   for item in section.items],
            compact=section.compact,
        )
        for section in view.sections
        if section.items
    ]
    date_text = format_long_date(view.date, edition)
    anchors = [item.anchor for section in sections for item in section.items]
    category = builder.plain(view.category)
    page_before, _, page_after = builder.labels["page"].partition("{page}")
    other_lang = None
    if other_edition_href:
        other_lang = "zh-CN" if edition == "en" else "en"
    return PageView(
        lang=html_lang(edition),
        edition=edition,
        title=builder.text(view.title),
        category=builder.text(view.category),
        date_iso=view.date.isoformat(),
        date_text=date_text,
        summary=[builder.text(t) for t in view.summary if t],
        tags=[builder.text(t) for t in view.tags if t],
        sections=sections,
        labels=builder.labels,
        # "时间：" / "Time: ": the space sits outside the bold label, where layout keeps it.
        colon=colon(edition).rstrip(),
        gap="" if colon(edition).endswith("：") else " ",
        other_edition_href=None if for_pdf else safe_relative_href(other_edition_href),
        other_edition_lang=other_lang,
        stylesheet_href=assets_href + STYLESHEET,
        footer=_clean_footer(footer_html if footer_html is not None else view.footer),
        for_pdf=for_pdf,
        running_head=f"{category} · {date_text}" if category else date_text,
        page_label=(page_before, page_after),
        impact_map=_map_view(view, edition, anchors, builder),
    )


def _map_view(view: Briefing, edition: str, anchors: list[str], builder: _Builder) -> MapView | None:
    """The day's impact map, or None when no item tags an asset."""
    from briefing.render import impact_map as im

    data = im.day_map(view, edition, anchors, plain=builder.plain, stance_word=builder.stance_label)
    if not data.classes:
        return None
    words = im.words(edition)
    classes = [
        MapClassView(
            name=group.name,
            svg=im.render_class_svg(group, edition),
            rows=[
                {
                    "name": row.name,
                    "stance": row.stance,
                    "stance_word": row.stance_word,
                    "count_text": im.counted(words, "items", len(row.drivers)),
                    "drivers": row.drivers,
                }
                for row in group.assets
            ],
        )
        for group in data.classes
    ]
    caption = words["caption"].format(assets=im.counted(words, "assets", data.assets),
                                      items=im.counted(words, "stories", data.stories))
    return MapView(words=words, caption=caption, classes=classes, data=data)


def safe_relative_href(href: str | None) -> str | None:
    """A link the publisher gives us (e.g. ``../../en/2026-02-05/``): no script schemes."""
    if not href:
        return None
    if ":" in href.split("/", 1)[0]:
        return safe_href(href)
    if any(ch.isspace() or ch in "\"'<>`\\" for ch in href):
        return None
    return href


# ---------------------------------------------------------------- Jinja2


_CSS_UNSAFE = re.compile(r"[\\\"'<>&\x00-\x1f\x7f]")


def css_string(value: str) -> Markup:
    """`value` as the inside of a CSS string literal in a `<style>` element."""
    escaped = _CSS_UNSAFE.sub(lambda m: f"\\{ord(m.group()):x} ", value)
    return Markup(escaped)


_FALLBACK = Markup('<span lang="{}" class="fallback">{}</span> <small class="untranslated" title="{}">{}</small>')
_LINKED = Markup('<a class="item-link" href="{}" rel="noopener noreferrer nofollow">{}</a>')


def field_html(field: Field, page: PageView) -> Markup:
    """A field as the page shows it (the `field` filter): a fallback in the other language
    is marked with its lang and a visible tag. A filter, not a template macro: a page shows
    a few hundred fields and a macro call costs several times a function call."""
    if not field.lang:
        return field.html
    note = page.labels["untranslated"]
    return _FALLBACK.format(field.lang, field.html, note, note)


def linked_title(item: ItemView, page: PageView) -> Markup:
    """An item's title, linked to the story when it has a safe link."""
    title = field_html(item.title, page)
    return _LINKED.format(item.href, title) if item.href else title


@functools.cache
def environment() -> Environment:
    """The one Jinja2 environment: autoescape on, undefined names are errors."""
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    env.filters["css_string"] = css_string
    env.filters["field"] = field_html
    env.filters["linked_title"] = linked_title
    return env


def render_html(
    briefing: Briefing,
    edition: str,
    *,
    other_edition_href: str | None = None,
    assets_href: str = "assets/",
    footer_html: str | None = None,
    for_pdf: bool = False,
    inline_assets: bool = False,
) -> str:
    """A complete HTML page for one edition of a briefing.

    The site's pages link the shared stylesheet under `assets_href`; a page that travels
    alone (`briefing build`, `briefing render`) carries it inline (`inline_assets`), so it
    opens styled wherever it is saved or sent."""
    page = page_context(
        briefing,
        edition,
        other_edition_href=other_edition_href,
        assets_href=assets_href,
        footer_html=footer_html,
        for_pdf=for_pdf,
    )
    if inline_assets:
        page = dataclasses.replace(page, stylesheet=_inline_stylesheet())
    return environment().get_template(TEMPLATE_NAME).render(page=page)


@functools.cache
def _inline_stylesheet() -> Markup:
    """The stylesheet as a <style> body (read once a process; `</` can never close it)."""
    css = (ASSETS_DIR / STYLESHEET).read_text(encoding="utf-8")
    return Markup(css.replace("</", "<\\/"))


def write_assets(dest: Path) -> None:
    """Copy the page's assets (the stylesheet) into a site's assets folder."""
    dest.mkdir(parents=True, exist_ok=True)
    for path in sorted(ASSETS_DIR.iterdir()):
        if path.is_file():
            shutil.copyfile(path, dest / path.name)
