"""The site's own pages and files: language chooser, index + archive, day-page bar and
head tags, Atom feeds and the sitemap.

Pure functions of display data (`DayInfo`) and settings: no file I/O, no clock, so the
same inputs give byte-identical files. Day pages themselves come from
`briefing.render.html.render_html`; this module only adds what a *site* needs around
them (canonical URL, hreflang alternates, Open Graph, a bar back to the archive).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import groupby
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as xml_escape
from zoneinfo import ZoneInfo

import yaml
from babel import Locale
from babel.dates import format_skeleton
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from briefing.publish.settings import SiteSettings

TEMPLATES_DIR = Path(__file__).resolve().parents[1] / "templates" / "site"
_LOCALE = {"zh": "zh_Hans_CN", "en": "en", "zh-Hant": "zh_Hant_HK"}
_HTML_LANG = {"zh": "zh-CN", "en": "en", "zh-Hant": "zh-Hant"}
_OG_LOCALE = {"zh": "zh_CN", "en": "en_US", "zh-Hant": "zh_HK"}
FILE_TYPES = {
    "md": ("briefing.md", "text/markdown", "Markdown"),
    "pdf": ("briefing.pdf", "application/pdf", "PDF"),
    "json": ("briefing.json", "application/json", "JSON"),
}


def edition_slug(edition: str) -> str:
    """The folder of an edition: zh, en, zh-hant."""
    return edition.lower()


def html_lang(edition: str) -> str:
    return _HTML_LANG[edition]


@dataclass(frozen=True)
class DayInfo:
    """What the index, feed and sitemap need to know about one published day."""

    date: dt.date
    items: int
    titles: dict[str, str]
    summaries: dict[str, list[str]] = field(default_factory=dict)
    cover: str | None = None
    # per edition: the assets the day tags (render.impact_map.day_assets), for the history
    assets: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "date": self.date.isoformat(),
            "items": self.items,
            "titles": self.titles,
            "summaries": self.summaries,
            "cover": self.cover,
            "assets": self.assets,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DayInfo:
        return cls(
            date=dt.date.fromisoformat(data["date"]),
            items=int(data["items"]),
            titles=dict(data["titles"]),
            summaries={k: list(v) for k, v in data.get("summaries", {}).items()},
            cover=data.get("cover"),
            assets={k: list(v) for k, v in data.get("assets", {}).items()},
        )


@dataclass(frozen=True)
class Published:
    """When a day was first published and last updated, and the content those times are for."""

    published: dt.datetime
    updated: dt.datetime
    content: str = ""

    def to_dict(self) -> dict[str, str]:
        return {
            "published": self.published.isoformat(),
            "updated": self.updated.isoformat(),
            "content": self.content,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Published:
        return cls(
            published=dt.datetime.fromisoformat(data["published"]),
            updated=dt.datetime.fromisoformat(data["updated"]),
            content=str(data.get("content", "")),
        )


# ------------------------------------------------------------------ words and templates


@functools.cache
def _labels_data() -> dict[str, dict[str, str]]:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's when present: read on every run
    data: dict[str, dict[str, str]] = yaml.load(  # noqa: S506 — a safe loader
        (TEMPLATES_DIR / "labels.yaml").read_text(encoding="utf-8"), Loader=loader
    )
    return data


@functools.cache
def site_labels(edition: str) -> dict[str, str]:
    """Interface words of the site pages for an edition."""
    if edition == "zh-Hant":
        from briefing.render.i18n import to_traditional

        words = {k: to_traditional(v) for k, v in _labels_data()["zh"].items()}
        words["language_name"] = "繁體中文"
        return words
    return dict(_labels_data()["en" if edition == "en" else "zh"])


@functools.cache
def environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,  # the package's templates do not change while a build runs
    )


@functools.cache
def _locale(edition: str) -> Locale:
    """Babel's locale of an edition, parsed once (parsing a name on every call is most of
    what formatting an archive's few hundred dates costs)."""
    return Locale.parse(_LOCALE[edition])


@functools.lru_cache(maxsize=4096)
def month_label(day: dt.date, edition: str) -> str:
    return format_skeleton("yMMMM", day, locale=_locale(edition))


@functools.lru_cache(maxsize=4096)
def day_label(day: dt.date, edition: str) -> str:
    return format_skeleton("MMMd", day, locale=_locale(edition))


@functools.lru_cache(maxsize=4096)
def long_date(day: dt.date, edition: str) -> str:
    return format_skeleton("yMMMMd", day, locale=_locale(edition))


# ------------------------------------------------------------------ URLs


class Urls:
    """Canonical (absolute) and relative addresses of the site's pages."""

    def __init__(self, settings: SiteSettings) -> None:
        self.base = settings.base_url
        self.languages = list(settings.languages)
        self.default = settings.default_lang

    def lang_index(self, edition: str) -> str:
        return f"{self.base}{edition_slug(edition)}/"

    def day(self, edition: str, day: dt.date) -> str:
        return f"{self.base}{edition_slug(edition)}/{day.isoformat()}/"

    def feed(self, edition: str) -> str:
        return f"{self.base}{edition_slug(edition)}/feed.xml"

    def alternates(self, url_for: Any) -> list[tuple[str, str]]:
        """(hreflang, absolute URL) for every edition, then x-default."""
        pairs = [(html_lang(e), url_for(e)) for e in self.languages]
        pairs.append(("x-default", url_for(self.default)))
        return pairs


def head_tags(
    *,
    canonical: str,
    alternates: Sequence[tuple[str, str]],
    title: str,
    description: str,
    edition: str,
    languages: Sequence[str],
    site_name: str,
    og_type: str,
    image: str | None = None,
    feed_href: str | None = None,
    feed_title: str | None = None,
) -> Markup:
    """canonical, hreflang alternates, Open Graph and feed links for a page's <head>."""
    e = escape
    out = [f'<link rel="canonical" href="{e(canonical)}">']
    out += [f'<link rel="alternate" hreflang="{e(lang)}" href="{e(url)}">' for lang, url in alternates]
    if feed_href:
        out.append(
            f'<link rel="alternate" type="application/atom+xml" title="{e(feed_title or site_name)}" href="{e(feed_href)}">'
        )
    og = [
        ("og:type", og_type),
        ("og:site_name", site_name),
        ("og:title", title),
        ("og:description", description),
        ("og:url", canonical),
        ("og:locale", _OG_LOCALE[edition]),
    ]
    og += [("og:locale:alternate", _OG_LOCALE[x]) for x in languages if x != edition]
    if image:
        og.append(("og:image", image))
    out += [f'<meta property="{e(k)}" content="{e(v)}">' for k, v in og]
    out.append('<meta name="twitter:card" content="summary">')
    return Markup("\n".join(out))


# ------------------------------------------------------------------ pages


def _choices(settings: SiteSettings, prefix: str, current: str | None = None) -> list[dict[str, Any]]:
    return [
        {
            "edition": e,
            "name": site_labels(e)["language_name"],
            "prompt": site_labels(e)["choose_language"],
            "html_lang": html_lang(e),
            "href": f"{prefix}{edition_slug(e)}/index.html",
            "default": e == settings.default_lang,
        }
        for e in settings.languages
        if e != current
    ]


def chooser_page(settings: SiteSettings, days: Sequence[object]) -> str:
    """out/index.html: the language chooser (and, by setting, a redirect)."""
    urls = Urls(settings)
    default = settings.default_lang
    choices = _choices(settings, "")
    choices.sort(key=lambda c: not c["default"])
    redirect_map: dict[str, str] = {}
    for c in choices:
        tag = c["html_lang"].lower()
        redirect_map.setdefault(tag, c["href"])
        redirect_map.setdefault(tag.split("-")[0], c["href"])
    if "zh-Hant" in settings.languages:
        for tag in ("zh-tw", "zh-hk", "zh-mo"):
            redirect_map[tag] = f"{edition_slug('zh-Hant')}/index.html"
    names = " / ".join(settings.name_for(e) for e in settings.languages)
    page = {
        "kind": "chooser",
        "html_lang": html_lang(default),
        "title": names,
        "description": names,
        "assets": "assets/",
        "head": head_tags(
            canonical=settings.base_url,
            alternates=urls.alternates(urls.lang_index),
            title=names,
            description=names,
            edition=default,
            languages=settings.languages,
            site_name=settings.name_for(default),
            og_type="website",
        ),
        "heading": names,
        "choices": choices,
        "redirect": settings.chooser if days else "none",
        "redirect_map": redirect_map,
        "default_href": f"{edition_slug(default)}/index.html",
    }
    return environment().get_template("chooser.html.j2").render(page=page)


def site_bar(
    settings: SiteSettings,
    edition: str,
    prefix: str,
    *,
    current: str | None = None,
    others_href: Any = None,
    home_class: str = "",
) -> dict[str, Any]:
    """The bar on top of an edition's pages; `prefix` leads from the page to the edition's
    folder (``""``, ``"../"``); `others_href(edition)` addresses the other editions."""
    from briefing.render.impact_map import words as map_words

    words = site_labels(edition)
    links = [
        {"href": f"{prefix}index.html#archive-title", "label": words["archive"], "current": current == "archive", "cls": "archive-nav"},
        {"href": f"{prefix}impacts/index.html", "label": map_words(edition)["history_link"], "current": current == "impacts", "cls": "impacts-nav"},
    ]
    if settings.search:
        links.append({"href": f"{prefix}index.html#search", "label": words["search"], "current": False, "cls": "search-nav"})
    links.append({"href": f"{prefix}feed.xml", "label": words["feed"], "current": False, "cls": "feed-link"})
    others = _choices(settings, f"{prefix}../", current=edition)
    if others_href is not None:
        others = [{**c, "href": others_href(c["edition"])} for c in others]
    return {
        "site_name": settings.name_for(edition),
        "home": f"{prefix}index.html",
        "home_class": home_class,
        "labels": words,
        "links": links,
        "others": others,
    }


def _downloads(formats: Sequence[str], prefix: str) -> list[dict[str, str]]:
    return [
        {"href": prefix + FILE_TYPES[f][0], "type": FILE_TYPES[f][1], "label": FILE_TYPES[f][2]}
        for f in ("md", "pdf", "json")
        if f in formats
    ]


def _search_bundles(edition: str, dates: Sequence[dt.date]) -> dict[str, Any]:
    """The search page's Pagefind bundles, relative to it: the newest month is the primary
    (its UI script is loaded), the other months are merged into it (`mergeIndex`)."""
    from briefing.publish import search

    paths = [f"../{search.bundle(edition, m)}/" for m in search.months(dates)]
    return {"bundle": paths[0], "merge": [{"bundlePath": p} for p in paths[1:]]}


def archive_month(edition: str, days: Sequence[DayInfo]) -> str:
    """One month of an edition's archive (the days of one month): the index shows each
    month so, and a month whose days are unchanged is kept as it was rendered."""
    words = site_labels(edition)
    ordered = sorted(days, key=lambda d: d.date, reverse=True)
    month = {
        "anchor": _month_anchor(ordered[0].date),
        "label": month_label(ordered[0].date, edition),
        "days": [
            {
                "date": d.date.isoformat(),
                "date_text": day_label(d.date, edition),
                "title": d.titles.get(edition, ""),
                "href": f"{d.date.isoformat()}/index.html",
                "count_text": words["items"].format(count=d.items),
            }
            for d in ordered
        ],
    }
    return environment().get_template("archive_month.html.j2").render(month=month)


def _month_anchor(day: dt.date) -> str:
    return f"m-{day.year:04d}-{day.month:02d}"


def month_groups(dates: Sequence[dt.date]) -> list[list[dt.date]]:
    """`dates` by month, newest month and newest day first (the archive's order)."""
    ordered = sorted(dates, reverse=True)
    return [list(group) for _, group in groupby(ordered, key=lambda d: (d.year, d.month))]


def lang_index_page(
    settings: SiteSettings,
    edition: str,
    days: Sequence[DayInfo],
    *,
    months: Sequence[str] | None = None,
    dates: Sequence[dt.date] | None = None,
) -> str:
    """out/{lang}/index.html: the latest briefing on top, then the archive by month.

    `months` are the `archive_month` blocks of `month_groups(dates)`, when the caller
    kept them; `days` then needs only the newest day. Without them every month of `days`
    is rendered here."""
    urls = Urls(settings)
    words = site_labels(edition)
    if dates is None:
        dates = [d.date for d in days]
    groups = month_groups(dates)
    if months is None:
        by_date = {d.date: d for d in days}
        months = [archive_month(edition, [by_date[d] for d in group]) for group in groups]
    newest = max(days, key=lambda d: d.date) if days else None
    latest = None
    if newest is not None:
        top = newest.date.isoformat()
        latest = {
            "date": top,
            "date_text": long_date(newest.date, edition),
            "title": newest.titles.get(edition, ""),
            "summary": newest.summaries.get(edition, []),
            "href": f"{top}/index.html",
            "downloads": _downloads(settings.formats, f"{top}/"),
        }
    site_name = settings.name_for(edition)
    description = latest["title"] if latest else site_name
    page = {
        "kind": "lang-index",
        "html_lang": html_lang(edition),
        "title": f"{site_name} · {words['archive']}",
        "description": description,
        "assets": "../assets/",
        "head": head_tags(
            canonical=urls.lang_index(edition),
            alternates=urls.alternates(urls.lang_index),
            title=site_name,
            description=str(description),
            edition=edition,
            languages=settings.languages,
            site_name=site_name,
            og_type="website",
            feed_href="feed.xml",
        ),
        "site_name": site_name,
        "labels": words,
        "bar": site_bar(settings, edition, "", current="archive"),
        "search": _search_bundles(edition, dates) if settings.search and latest else None,
        "latest": latest,
        "months": [
            {"anchor": _month_anchor(group[0]), "label": month_label(group[0], edition)} for group in groups
        ],
        "month_blocks": [Markup(block.rstrip("\n")) for block in months],
    }
    return environment().get_template("lang_index.html.j2").render(page=page)


_HEAD_END = re.compile(r"</head\s*>", re.I)
_BODY_START = re.compile(r"<body\b[^>]*>", re.I)


def _neighbour(info: DayInfo | None, edition: str) -> dict[str, str] | None:
    if info is None:
        return None
    return {
        "href": f"../{info.date.isoformat()}/index.html",
        "date": info.date.isoformat(),
        "date_text": long_date(info.date, edition),
    }


def decorate_day_page(
    html: str,
    settings: SiteSettings,
    edition: str,
    info: DayInfo,
    *,
    prev: DayInfo | None = None,
    next: DayInfo | None = None,  # noqa: A002 - the pager's own word
) -> str:
    """Add the site's head tags, its bar and the previous/next pager to a render_html page."""
    urls = Urls(settings)
    site_name = settings.name_for(edition)
    title = info.titles.get(edition, "")
    summary = info.summaries.get(edition, [])
    head = head_tags(
        canonical=urls.day(edition, info.date),
        alternates=urls.alternates(lambda e: urls.day(e, info.date)),
        title=title,
        description=" ".join(summary[:3]) or title,
        edition=edition,
        languages=settings.languages,
        site_name=site_name,
        og_type="article",
        image=info.cover,
        feed_href="../feed.xml",
    )
    head = Markup(f'{head}\n<meta property="article:published_time" content="{info.date.isoformat()}">')
    if prev is not None:
        head += Markup(f'\n<link rel="prev" href="../{prev.date.isoformat()}/index.html">')
    if next is not None:
        head += Markup(f'\n<link rel="next" href="../{next.date.isoformat()}/index.html">')
    # no favicon: an empty icon keeps browsers from asking the server's root for one
    head += Markup('\n<link rel="icon" href="data:,">\n<link rel="stylesheet" href="../../assets/site/site.css">\n')
    words = site_labels(edition)
    day = info.date.isoformat()
    template = environment().get_template("day_nav.html.j2")
    top = template.render(
        nav={
            "where": "top",
            "labels": words,
            "bar": site_bar(
                settings, edition, "../", home_class="site-home",
                others_href=lambda e: f"../../{edition_slug(e)}/{day}/index.html",
            ),
            "downloads": _downloads(settings.formats, ""),
        }
    )
    bottom = template.render(
        nav={"where": "bottom", "labels": words, "prev": _neighbour(prev, edition), "next": _neighbour(next, edition)}
    )
    head_match = _HEAD_END.search(html)
    body_match = _BODY_START.search(html)
    body_end = html.rfind("</body>")
    if not head_match or not body_match or body_end < body_match.end():
        raise ValueError("render_html gave a page without <head> or <body>")
    # Plain str joins: adding a Markup to a str would escape the page.
    return "".join(
        [
            html[: head_match.start()],
            str(head),
            html[head_match.start() : body_match.end()],
            "\n",
            str(top),
            html[body_match.end() : body_end],
            str(bottom),
            html[body_end:],
        ]
    )


def _fresh(parts: Sequence[object], make: Callable[[], str]) -> str:
    return make()


HISTORY_SPAN = 42  # days in the stance history


def impacts_page(
    settings: SiteSettings,
    edition: str,
    days: Sequence[DayInfo],
    *,
    span: int = HISTORY_SPAN,
    reuse: Callable[[Sequence[object], Callable[[], str]], str] = _fresh,
) -> str:
    """out/{lang}/impacts/index.html: each tagged asset's stance over the last `span` days.

    `reuse(parts, make)` may return a strip kept from an earlier build for the same
    `parts` (everything the strip shows) instead of calling `make`."""
    from briefing.render import impact_map as im

    words = site_labels(edition)
    map_words = im.words(edition)
    recent = sorted(days, key=lambda d: d.date)[-span:]
    tagged: list[dict[str, dict[str, Any]]] = []  # per day: key → its (first) asset
    for info in recent:
        tagged.append({})
        for asset in info.assets.get(edition, []):
            tagged[-1].setdefault(asset["key"], asset)
    names: dict[str, str] = {}
    classes: dict[str, str] = {}
    counts: dict[str, int] = {}
    latest: dict[str, tuple[DayInfo, dict[str, Any]]] = {}
    for info in recent:
        for asset in info.assets.get(edition, []):
            key = asset["key"]
            names[key] = asset["name"]
            classes[key] = asset["class"]
            counts[key] = counts.get(key, 0) + 1
            latest[key] = (info, asset)
    groups = []
    for cls in im.class_order():
        keys = sorted((k for k in names if classes[k] == cls), key=lambda k: (-counts[k], names[k]))
        if not keys:
            continue
        rows = []
        for key in keys:
            cells = []
            for info, assets in zip(recent, tagged, strict=True):
                found = assets.get(key)
                cells.append(
                    im.HistoryCell(
                        date=info.date.isoformat(),
                        label=long_date(info.date, edition),
                        href=f"../{info.date.isoformat()}/index.html#impact-map",
                        stance=found["stance"] if found else None,
                        word=found.get("word", found["stance"]) if found else "",
                        count=int(found["count"]) if found else 0,
                    )
                )
            day, asset = latest[key]

            def strip(name: str = names[key], cells: list[im.HistoryCell] = cells) -> str:
                return str(im.render_history_svg(name, cells, edition, map_words["no_tag"]))

            parts = ["history-strip", edition, names[key], map_words["no_tag"],
                     [[c.date, c.label, c.stance, c.word, c.count] for c in cells]]
            rows.append(
                {
                    "name": names[key],
                    "svg": Markup(reuse(parts, strip)),
                    "latest": {
                        "stance": asset["stance"],
                        "word": asset.get("word", asset["stance"]),
                        "date": day.date.isoformat(),
                        "date_text": day_label(day.date, edition),
                    },
                }
            )
        groups.append({"key": cls, "name": im.class_name(cls, edition), "rows": rows})
    urls = Urls(settings)
    site_name = settings.name_for(edition)
    heading = map_words["history_title"]
    page = {
        "kind": "impacts",
        "html_lang": html_lang(edition),
        "title": f"{site_name} · {heading}",
        "description": heading,
        "assets": "../../assets/",
        "head": head_tags(
            canonical=urls.lang_index(edition) + "impacts/",
            alternates=urls.alternates(lambda e: urls.lang_index(e) + "impacts/"),
            title=heading,
            description=heading,
            edition=edition,
            languages=settings.languages,
            site_name=site_name,
            og_type="website",
        ),
        "labels": words,
        "bar": site_bar(
            settings, edition, "../", current="impacts",
            others_href=lambda e: f"../../{edition_slug(e)}/impacts/index.html",
        ),
        "heading": heading,
        "intro": map_words["history_intro"].format(days=len(recent)),
        "classes": groups,
        "first": recent[0].date.isoformat() if recent else "",
        "first_text": long_date(recent[0].date, edition) if recent else "",
        "last": recent[-1].date.isoformat() if recent else "",
        "last_text": long_date(recent[-1].date, edition) if recent else "",
    }
    return environment().get_template("impacts.html.j2").render(page=page)


# ------------------------------------------------------------------ feed and sitemap


_SUMMARY = re.compile(r'<section class="summary"[^>]*>.*?</section>', re.S)
_SECTIONS = re.compile(r'<section class="section[ "].*(?=</main>)', re.S)


def feed_fragment(page_html: str, settings: SiteSettings, edition: str, day: dt.date) -> str:
    """A day's feed entry body: the summary and the sections of its published page.

    The page is already rendered (safe, escaped HTML from our templates), so the feed
    reuses it instead of rendering the Markdown again; fragment links become absolute.
    """
    parts = [m.group(0) for m in (_SUMMARY.search(page_html), _SECTIONS.search(page_html)) if m]
    body = "\n".join(p.strip() for p in parts)
    base = Urls(settings).day(edition, day)
    return body.replace(' href="#', f' href="{base}#')


def page_feed_entry(
    page_html: str, settings: SiteSettings, edition: str, info: DayInfo, times: Published, timezone: str
) -> str:
    """The day's `feed_entry`, its body taken from the day's published page (`feed_fragment`)."""
    body = feed_fragment(page_html, settings, edition, info.date)
    return feed_entry(settings, edition, info, body, times, timezone)


def feed_entry(
    settings: SiteSettings, edition: str, info: DayInfo, body_html: str, times: Published, timezone: str
) -> str:
    """One day's Atom ``<entry>``, serialised as it stands inside the feed (indented one
    level), so `atom_feed` can reuse it as it is while the day is unchanged."""
    from feedgen.entry import FeedEntry
    from lxml import etree

    urls = Urls(settings)
    zone = ZoneInfo(timezone)
    fe = FeedEntry()
    fe.id(urls.day(edition, info.date))
    fe.title(info.titles.get(edition, info.date.isoformat()))
    fe.link(href=urls.day(edition, info.date), rel="alternate")
    fe.published(times.published.astimezone(zone))
    fe.updated(times.updated.astimezone(zone))
    summary = info.summaries.get(edition, [])
    if summary:
        fe.summary("\n".join(summary))
    fe.content(body_html, type="html")
    element = fe.atom_entry()
    etree.indent(element, space="  ", level=1)
    text: str = etree.tostring(element, encoding="unicode")
    return text


def atom_feed(
    settings: SiteSettings,
    edition: str,
    entries: Sequence[tuple[dt.date, str, Published]],
    timezone: str,
) -> bytes:
    """out/{lang}/feed.xml: newest first, full content; deterministic (no build time).

    `entries` are (day, its `feed_entry`, its times). Each entry is `published` when its
    day first went out and `updated` when a correction to it was published; the feed is as
    new as its newest update. The bytes are feedgen's pretty Atom: its head with the
    entries spliced in before ``</feed>``.
    """
    from feedgen.feed import FeedGenerator

    urls = Urls(settings)
    zone = ZoneInfo(timezone)
    site_name = settings.name_for(edition)
    fg = FeedGenerator()
    fg.id(urls.lang_index(edition))
    fg.title(site_name)
    fg.link(href=urls.lang_index(edition), rel="alternate")
    fg.link(href=urls.feed(edition), rel="self")
    fg.language(html_lang(edition))
    fg.author({"name": site_name})
    newest = max((t.updated for _, _, t in entries), default=None)
    fg.updated(newest.astimezone(zone) if newest else dt.datetime.combine(dt.date(1970, 1, 1), dt.time(), zone))
    head: bytes = fg.atom_str(pretty=True)
    close = head.rindex(b"</feed>")
    ordered = sorted(entries, key=lambda entry: entry[0], reverse=True)
    body = "".join(f"  {entry}\n" for _, entry, _ in ordered).encode("utf-8")
    return head[:close] + body + head[close:]


def sitemap(settings: SiteSettings, dates: Sequence[dt.date]) -> bytes:
    """out/sitemap.xml: the chooser, each language index and each day page, with alternates."""
    urls = Urls(settings)
    ordered = sorted(dates, reverse=True)
    lastmod = ordered[0].isoformat() if ordered else None
    rows: list[tuple[str, str | None, list[tuple[str, str]]]] = [
        (settings.base_url, lastmod, urls.alternates(urls.lang_index))
    ]
    for e in settings.languages:
        rows.append((urls.lang_index(e), lastmod, urls.alternates(urls.lang_index)))
    if ordered:
        for e in settings.languages:
            rows.append((urls.lang_index(e) + "impacts/", lastmod,
                         urls.alternates(lambda x: urls.lang_index(x) + "impacts/")))
    for d in ordered:
        for e in settings.languages:
            rows.append((urls.day(e, d), d.isoformat(), urls.alternates(lambda x, d=d: urls.day(x, d))))
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
        ' xmlns:xhtml="http://www.w3.org/1999/xhtml">',
    ]
    for loc, mod, alternates in rows:
        out.append("  <url>")
        out.append(f"    <loc>{xml_escape(loc)}</loc>")
        if mod:
            out.append(f"    <lastmod>{mod}</lastmod>")
        for lang, href in alternates:
            out.append(
                f'    <xhtml:link rel="alternate" hreflang="{xml_escape(lang)}" href="{xml_escape(href)}"/>'
            )
        out.append("  </url>")
    out.append("</urlset>")
    return ("\n".join(out) + "\n").encode("utf-8")
