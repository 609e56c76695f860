"""`briefing site`: lay out the static site from the stored briefings, atomically and
incrementally.

    read    dates + JSON from the store → per-day input keys (sha256 of the JSON and of
            everything that shapes the output: render code, templates, settings)
    decide  the site key equals the live release's → nothing to do (no new release)
    write   into a staging folder: changed days are gated and rendered; unchanged days
            are hard-linked from the live release; then indexes, feeds, sitemap, assets
    verify  every relative link of the pages written this time resolves
    swap    `Releases.commit`: rename into place, atomic symlink swap; prune old releases

Nothing here prints; the result is a `SiteReport`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import unquote, urlsplit

from briefing.errors import BriefingError, PublishError
from briefing.model import Briefing
from briefing.publish import gate, pages
from briefing.publish.atomic import Releases, SafeWriter
from briefing.publish.pages import DayInfo, edition_slug
from briefing.publish.settings import SiteSettings

MANIFEST_VERSION = 1
_ROOT = Path(__file__).resolve().parents[2]
# Everything whose change must re-render every day (rendering code, templates, words).
_FINGERPRINT_GLOBS = (
    "briefing/render/*.py",
    "briefing/publish/pages.py",
    "briefing/publish/site.py",
    "briefing/data/labels.yaml",  # the data files rendering reads (not the analysis cues)
    "briefing/data/stances.yaml",
    "briefing/data/sections.yaml",
    "briefing/data/assets.yaml",
    "briefing/templates/*.j2",
    "briefing/templates/partials/*",
    "briefing/templates/assets/*",
    "briefing/templates/site/*",
)


class BriefingSource(Protocol):
    """What the site needs from the store."""

    def briefing_dates(self) -> list[dt.date]: ...

    def load_briefing(self, date: dt.date) -> str | None: ...


@dataclass(frozen=True)
class PublishOptions:
    """Everything besides the stored briefings that decides the site's bytes."""

    site: SiteSettings
    timezone: str = "Asia/Shanghai"
    footers: dict[str, str | None] = field(default_factory=dict)

    @property
    def formats(self) -> list[str]:
        return list(self.site.formats)

    def footer(self, edition: str) -> str | None:
        if edition in self.footers:
            return self.footers[edition]
        return self.footers.get("en" if edition == "en" else "zh")

    def fingerprint(self) -> str:
        h = hashlib.sha256()
        h.update(self.site.model_dump_json().encode())
        h.update(json.dumps(self.footers, sort_keys=True).encode())
        h.update(self.timezone.encode())
        for pattern in _FINGERPRINT_GLOBS:
            for path in sorted(_ROOT.glob(pattern)):
                if path.is_file():
                    h.update(path.relative_to(_ROOT).as_posix().encode())
                    h.update(path.read_bytes())
        return h.hexdigest()


@dataclass
class SiteReport:
    """What a build did."""

    out: Path
    release: Path | None
    published: bool
    days: int
    rendered: list[dt.date] = field(default_factory=list)
    reused: int = 0
    timings: dict[str, float] = field(default_factory=dict)

    def summary_line(self) -> str:
        if not self.published:
            return f"site unchanged: {self.days} days in {self.out}"
        return (
            f"site published: {self.days} days ({len(self.rendered)} rendered, {self.reused} reused)"
            f" to {self.out}"
        )


def options_from_config(config: Any, *, formats: Sequence[str] | None = None) -> PublishOptions:
    """PublishOptions from a `Config` (site settings, footers, time zone)."""
    site: SiteSettings = config.site
    if formats is not None:
        site = site.model_copy(update={"formats": list(formats)})
    render = config.render
    return PublishOptions(
        site=site,
        timezone=config.settings.timezone,
        footers={"zh": render.footer_zh, "en": render.footer_en},
    )


def build_site(
    store: BriefingSource,
    options: PublishOptions,
    out: Path,
    *,
    hugo_dir: Path | None = None,
    check: Callable[[Briefing, dict[str, str]], list[gate.Problem]] | None = None,
    progress: Callable[[dt.date, int, int, bool], None] | None = None,
) -> SiteReport:
    """Build and publish the site from every stored briefing; see the module docstring.

    `progress(day, done, total, rendered)` is called after each day (rendered or reused).
    """
    started = time.perf_counter()
    timings: dict[str, float] = {}
    releases = Releases(out)
    releases.collect_garbage()
    fingerprint = options.fingerprint()

    # -- read
    texts: dict[dt.date, str] = {}
    for day in store.briefing_dates():
        text = store.load_briefing(day)
        if text is not None:
            texts[day] = text
    keys = {
        day: hashlib.sha256(fingerprint.encode() + text.encode("utf-8")).hexdigest()
        for day, text in texts.items()
    }
    site_key = hashlib.sha256(
        json.dumps([fingerprint, sorted((d.isoformat(), k) for d, k in keys.items())]).encode()
    ).hexdigest()
    live = releases.current()
    previous = _load_manifest(releases, live)
    timings["read"] = time.perf_counter() - started
    report = SiteReport(out=releases.out, release=live, published=False, days=len(texts))
    if live is not None and previous.get("key") == site_key:
        if hugo_dir is not None:
            _export_hugo(texts, options, hugo_dir, keys)
        report.reused = len(texts)
        report.timings = timings
        return report

    # -- write
    staging = releases.stage()
    try:
        writer = SafeWriter(staging)
        days: dict[dt.date, DayInfo] = {}
        written_pages: list[str] = []
        prev_days: dict[str, Any] = previous.get("days", {})
        for day in sorted(texts):
            cached = prev_days.get(day.isoformat())
            if live is not None and cached and cached.get("key") == keys[day] and _reuse_day(
                writer, live, day, options
            ):
                days[day] = DayInfo.from_dict(cached["info"])
                report.reused += 1
                if progress is not None:
                    progress(day, len(days), len(texts), False)
                continue
            briefing = _parse(texts[day], day)
            days[day] = _render_day(writer, briefing, options, check, written_pages)
            report.rendered.append(day)
            if progress is not None:
                progress(day, len(days), len(texts), True)
        timings["days"] = time.perf_counter() - started - timings["read"]
        _write_site_files(writer, staging, options, days, written_pages)
        _verify(staging, written_pages)
        manifest = {
            "version": MANIFEST_VERSION,
            "key": site_key,
            "fingerprint": fingerprint,
            "days": {
                d.isoformat(): {"key": keys[d], "info": days[d].to_dict()} for d in sorted(days)
            },
        }
        manifest_json = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
        report.release = releases.commit(staging, site_key[:16], manifest_json)
    except BaseException:
        releases.discard(staging)
        raise
    report.published = True
    releases.prune(options.site.keep_releases)
    if hugo_dir is not None:
        _export_hugo(texts, options, hugo_dir, keys)
    timings["total"] = time.perf_counter() - started
    report.timings = timings
    return report


def _parse(text: str, day: dt.date) -> Briefing:
    try:
        briefing = Briefing.from_json(text)
    except ValueError as exc:
        raise PublishError(
            f"stored briefing is not valid: {day.isoformat()}: {exc}: rebuild it with"
            f" `briefing build --date {day.isoformat()}`"
        ) from exc
    if briefing.date != day:
        raise PublishError(
            f"stored briefing for {day.isoformat()} is dated {briefing.date.isoformat()}:"
            " rebuild it with `briefing build`"
        )
    return briefing


def _load_manifest(releases: Releases, live: Path | None) -> dict[str, Any]:
    if live is None:
        return {}
    try:
        data: dict[str, Any] = json.loads(releases.manifest_path(live).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if data.get("version") == MANIFEST_VERSION else {}


def _reuse_day(writer: SafeWriter, live: Path, day: dt.date, options: PublishOptions) -> bool:
    """Link an unchanged day's files from the live release; False if any is missing."""
    wanted = _day_files(options)
    rels = [
        f"{edition_slug(e)}/{day.isoformat()}/{name}"
        for e in options.site.languages
        for name in wanted
    ]
    if not all((live / rel).is_file() for rel in rels):
        return False
    for rel in rels:
        writer.link_from(live / rel, rel)
    return True


def _day_files(options: PublishOptions) -> list[str]:
    names = {"html": "index.html", "md": "briefing.md", "json": "briefing.json", "pdf": "briefing.pdf"}
    return [names[f] for f in ("html", "md", "json", "pdf") if f in options.formats]


def day_info(briefing: Briefing, languages: Sequence[str]) -> DayInfo:
    from briefing.render.editions import for_edition
    from briefing.render.i18n import content_lang

    titles: dict[str, str] = {}
    summaries: dict[str, list[str]] = {}
    for edition in languages:
        view = for_edition(briefing, edition)
        lang = content_lang(edition)
        titles[edition] = view.title.get(lang)[0]
        summaries[edition] = [line.get(lang)[0] for line in view.summary]
    return DayInfo(
        date=briefing.date,
        items=len(briefing.items()),
        titles=titles,
        summaries=summaries,
        cover=briefing.cover_image,
    )


def default_check(
    options: PublishOptions,
) -> Callable[[Briefing, dict[str, str]], list[gate.Problem]]:
    """The publish gate on the model and on each edition's Markdown."""

    def check(briefing: Briefing, markdown: dict[str, str]) -> list[gate.Problem]:
        problems = gate.check_briefing(
            briefing, min_items=options.site.min_items, languages=options.site.languages
        )
        for edition, text in markdown.items():
            problems += gate.check_markdown(
                text,
                name=f"{edition_slug(edition)}/{briefing.date.isoformat()}/briefing.md",
                expected_date=briefing.date,
                min_items=options.site.min_items,
            )
        return problems

    return check


def render_markdowns(briefing: Briefing, options: PublishOptions) -> dict[str, str]:
    from briefing.render.markdown import render_markdown

    return {
        e: render_markdown(briefing, e, footer=options.footer(e)) for e in options.site.languages
    }


def _render_day(
    writer: SafeWriter,
    briefing: Briefing,
    options: PublishOptions,
    check: Callable[[Briefing, dict[str, str]], list[gate.Problem]] | None,
    written_pages: list[str],
) -> DayInfo:
    from briefing.render.html import render_html

    day = briefing.date.isoformat()
    languages = list(options.site.languages)
    markdown = render_markdowns(briefing, options)
    problems = (check or default_check(options))(briefing, markdown)
    gate.enforce(problems, day)
    info = day_info(briefing, languages)
    json_text = briefing.to_json()
    first_json: str | None = None
    for i, edition in enumerate(languages):
        folder = f"{edition_slug(edition)}/{day}"
        other = languages[(i + 1) % len(languages)] if len(languages) > 1 else None
        try:
            html = render_html(
                briefing,
                edition,
                other_edition_href=f"../../{edition_slug(other)}/{day}/index.html" if other else None,
                assets_href="../../assets/",
                footer_html=options.footer(edition),
            )
        except BriefingError:
            raise
        except Exception as exc:  # a template bug, StrictUndefined …: never publish
            raise PublishError(f"rendering failed: {day} {edition}: {type(exc).__name__}: {exc}") from exc
        writer.write_text(f"{folder}/index.html", pages.decorate_day_page(html, options.site, edition, info))
        written_pages.append(f"{folder}/index.html")
        if "md" in options.formats:
            writer.write_text(f"{folder}/briefing.md", markdown[edition])
        if "json" in options.formats:
            if first_json is None:
                first_json = f"{folder}/briefing.json"
                writer.write_text(first_json, json_text)
            else:
                writer.link_from(writer.path(first_json), f"{folder}/briefing.json")
        if "pdf" in options.formats:
            from briefing.render.pdf import render_pdf

            pdf = render_pdf(
                briefing, edition, footer_html=options.footer(edition), timeout=options.site.pdf_timeout
            )
            writer.write_bytes(f"{folder}/briefing.pdf", pdf)
    return info


def _write_site_files(
    writer: SafeWriter,
    staging: Path,
    options: PublishOptions,
    days: dict[dt.date, DayInfo],
    written_pages: list[str],
) -> None:
    from briefing.render.html import write_assets

    settings = options.site
    infos = [days[d] for d in sorted(days)]
    write_assets(writer.path("assets"))
    writer.adopt("assets")
    writer.write_bytes("assets/site/site.css", (pages.TEMPLATES_DIR / "site.css").read_bytes())
    writer.write_text("index.html", pages.chooser_page(settings, infos))
    written_pages.append("index.html")
    newest = sorted(days, reverse=True)[: settings.feed_entries]
    for edition in settings.languages:
        slug = edition_slug(edition)
        writer.write_text(f"{slug}/index.html", pages.lang_index_page(settings, edition, infos))
        written_pages.append(f"{slug}/index.html")
        entries = []
        for day in newest:
            md_path = staging / slug / day.isoformat() / "briefing.md"
            if md_path.is_file():
                markdown = md_path.read_text(encoding="utf-8")
            else:
                markdown = render_markdowns(_parse_from_site(staging, slug, day), options)[edition]
            entries.append((days[day], pages.markdown_body_html(markdown)))
        writer.write_bytes(f"{slug}/feed.xml", pages.atom_feed(settings, edition, entries, options.timezone))
    writer.write_bytes("sitemap.xml", pages.sitemap(settings, infos))


def _parse_from_site(staging: Path, slug: str, day: dt.date) -> Briefing:
    path = staging / slug / day.isoformat() / "briefing.json"
    if not path.is_file():
        raise PublishError(
            f"cannot build the feed for {day.isoformat()}: neither briefing.md nor briefing.json"
            " is published: add md or json to site.formats"
        )
    return Briefing.from_json(path.read_bytes())


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.links.append(value)


def _verify(staging: Path, pages_written: Sequence[str]) -> None:
    """Every relative link on the pages written this time must resolve inside the release."""
    broken: list[str] = []
    for rel in pages_written:
        page = staging / rel
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8"))
        for link in parser.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or link.startswith(("#", "/")):
                continue
            target = (page.parent / unquote(parts.path)).resolve()
            if parts.path.endswith("/") or target.is_dir():
                target = target / "index.html"
            if not target.is_relative_to(staging.resolve()) or not target.is_file():
                broken.append(f"{rel} → {link}")
    if broken:
        raise PublishError(
            f"the new site has {len(broken)} broken links, e.g. {broken[0]}: nothing was published"
        )


def _export_hugo(
    texts: dict[dt.date, str], options: PublishOptions, hugo_dir: Path, keys: dict[dt.date, str]
) -> None:
    from briefing.publish.hugo import export_hugo

    export_hugo(
        {day: text for day, text in texts.items()},
        hugo_dir,
        languages=options.site.languages,
        default_lang=options.site.default_lang,
        render=lambda b: render_markdowns(b, options),
        keys=keys,
    )
