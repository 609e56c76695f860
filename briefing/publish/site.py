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

import contextlib
import datetime as dt
import functools
import hashlib
import json
import os
import posixpath
import re
import threading
import time
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from html import unescape as html_unescape
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo

from briefing.errors import BriefingError, PublishError
from briefing.publish import manifest
from briefing.publish.atomic import Releases, SafeWriter
from briefing.publish.fragments import Fragments
from briefing.publish.manifest import Infos, Manifest
from briefing.publish.settings import SiteSettings
from briefing.user_cache import user_cache

if TYPE_CHECKING:  # imported where used: an unchanged rebuild needs none of them
    from briefing.model import Briefing
    from briefing.publish import gate, pages
    from briefing.publish.pages import DayInfo

_ROOT = Path(__file__).resolve().parents[2]
# Everything whose change must re-render every day (rendering code, templates, words).
_FINGERPRINT_GLOBS = (
    "briefing/render/*.py",
    "briefing/publish/pages.py",
    "briefing/publish/site.py",
    "briefing/publish/search.py",
    "briefing/data/labels.yaml",  # the data files rendering reads (not the analysis cues)
    "briefing/data/stances.yaml",
    "briefing/data/sections.yaml",
    "briefing/data/assets.yaml",
    "briefing/templates/*.j2",
    "briefing/templates/partials/*",
    "briefing/templates/assets/*",
    "briefing/templates/site/*",
)


# What the default gate's verdict depends on besides the briefing and its Markdown: a
# change here re-checks every day; a change to templates or CSS alone does not.
_GATE_GLOBS = (
    "briefing/publish/gate/*.py",
    "briefing/data/gate.yaml",
    "briefing/admit/*.py",
    "briefing/data/admission.yaml",
    "briefing/ingest/lang.py",
)


@functools.cache
def _gate_code_digest() -> bytes:
    h = hashlib.sha256()
    for pattern in _GATE_GLOBS:
        for path in sorted(_ROOT.glob(pattern)):
            h.update(path.relative_to(_ROOT).as_posix().encode())
            h.update(path.read_bytes())
    return h.digest()


def gate_key(text: str, markdown: dict[str, str], options: PublishOptions) -> str:
    """The default gate's input: a day whose key matches its last verdict is not re-checked."""
    h = hashlib.sha256(_gate_code_digest())
    h.update(json.dumps([options.site.min_items, list(options.site.languages)]).encode())
    h.update(text.encode("utf-8"))
    for edition in sorted(markdown):
        h.update(edition.encode() + b"\0" + markdown[edition].encode("utf-8"))
    return h.hexdigest()


def edition_slug(edition: str) -> str:
    """The folder of an edition (pages.edition_slug, without importing the page code)."""
    return edition.lower()


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


class _Texts(Mapping[dt.date, str]):
    """The stored briefings by date: each day's digest (the sha256 of its JSON, as the store
    keeps it beside the JSON) up front, the JSON itself when a day is rendered. An unchanged
    or one-day rebuild thus reads one day's JSON, not the archive's (~70 KB a day)."""

    def __init__(self, store: BriefingSource) -> None:
        self._store = store
        self._texts: dict[dt.date, str] = {}
        hashes = getattr(store, "briefing_hashes", None)
        if hashes is not None:
            self._digests: dict[dt.date, str] = hashes()
            return
        for day in store.briefing_dates():  # a store that keeps no digests: read and hash all
            text = store.load_briefing(day)
            if text is not None:
                self._texts[day] = text
        self._digests = {d: hashlib.sha256(t.encode("utf-8")).hexdigest() for d, t in self._texts.items()}

    def digest(self, day: dt.date) -> str:
        return self._digests[day]

    def __getitem__(self, day: dt.date) -> str:
        if day not in self._texts:
            if day not in self._digests:
                raise KeyError(day)
            text = self._store.load_briefing(day)
            if text is None:
                raise PublishError(f"stored briefing {day.isoformat()} went away during the build: run it again")
            self._texts[day] = text
        return self._texts[day]

    def __iter__(self) -> Iterator[dt.date]:
        return iter(sorted(self._digests))

    def __len__(self) -> int:
        return len(self._digests)

    def load(self, days: Sequence[dt.date]) -> None:
        """Read `days` now (before render processes fork: they must not share the store's
        connection); many at once in one query."""
        wanted = [d for d in days if d not in self._texts]
        read_all = getattr(self._store, "briefing_texts", None)
        if read_all is not None and len(wanted) > 16:
            chosen = set(wanted)
            self._texts.update((d, t) for d, t in read_all().items() if d in chosen)
        for day in wanted:
            self[day]


_COLLECTIONS = threading.Lock()
_COLLECTOR: dict[str, Any] = {"builds": 0, "threshold": None}  # builds running; thresholds before


@contextlib.contextmanager
def _few_collections() -> Iterator[None]:
    """Rendering makes hundreds of thousands of short-lived objects and almost no cycles,
    yet the cyclic collector kept walking everything loaded (models, templates, the language
    model): ~5% of a full build. What is loaded when the build starts is set aside
    (`gc.freeze`; forked render workers inherit it) and young collections run less often;
    both are restored when the last build running in this process ends (`briefing serve`
    and the tests may run builds in threads)."""
    import gc

    with _COLLECTIONS:
        _COLLECTOR["builds"] += 1
        if _COLLECTOR["builds"] == 1:
            threshold = _COLLECTOR["threshold"] = gc.get_threshold()
            gc.freeze()
            gc.set_threshold(max(threshold[0], 10_000), *threshold[1:])
    try:
        yield
    finally:
        with _COLLECTIONS:
            _COLLECTOR["builds"] -= 1
            if _COLLECTOR["builds"] == 0:
                gc.set_threshold(*_COLLECTOR["threshold"])
                gc.unfreeze()


@_few_collections()
def build_site(
    store: BriefingSource,
    options: PublishOptions,
    out: Path,
    *,
    hugo_dir: Path | None = None,
    check: Callable[[Briefing, dict[str, str]], list[gate.Problem]] | None = None,
    progress: Callable[[dt.date, int, int, bool], None] | None = None,
    workers: int | None = None,
) -> SiteReport:
    """Build and publish the site from every stored briefing; see the module docstring.

    `progress(day, done, total, rendered)` is called after each day (rendered or reused).
    `workers` caps the processes that render changed days (default: the CPUs; 1 renders
    in this process). Each day's output depends only on its own JSON, its neighbours'
    dates (the pager) and the fingerprint, so days render independently.
    """
    started = time.perf_counter()
    timings: dict[str, float] = {}
    releases = Releases(out)
    releases.collect_garbage()
    fingerprint = options.fingerprint()

    # -- read
    texts = _Texts(store)
    ordered = sorted(texts)
    neighbours = {
        day: (ordered[i - 1] if i else None, ordered[i + 1] if i + 1 < len(ordered) else None)
        for i, day in enumerate(ordered)
    }
    keys = {
        day: hashlib.sha256(
            "\n".join([fingerprint, _iso(neighbours[day][0]), _iso(neighbours[day][1]), texts.digest(day)]).encode()
        ).hexdigest()
        for day in ordered
    }
    site_key = hashlib.sha256(
        json.dumps([fingerprint, sorted((d.isoformat(), k) for d, k in keys.items())]).encode()
    ).hexdigest()
    live = releases.current()
    timings["read"] = time.perf_counter() - started
    report = SiteReport(out=releases.out, release=live, published=False, days=len(texts))
    # A release is named after its site key: the same name means the same inputs, and the
    # manifest need not even be read.
    if live is not None and live.name == site_key[:16] and releases.manifest_path(live).is_file():
        if hugo_dir is not None:
            _export_hugo(texts, options, hugo_dir, keys)
        report.reused = len(texts)
        report.timings = timings
        return report
    previous = Manifest.read(releases.manifest_path(live) if live is not None else None)

    # -- write
    _cache_templates(user_cache("templates"))
    times = _publication_times(store, texts, previous, options.timezone)
    fragments = Fragments(releases.root / ".cache" / "fragments", salt=fingerprint)
    # The feeds' days: each edition's entry is rendered with the day (in its render
    # process) and kept as a fragment, so an unchanged day's entry is never made again.
    feed_days = {d: times[d] for d in ordered[::-1][: options.site.feed_entries]}
    feed_keys: dict[tuple[str, dt.date], str] = {
        (edition, d): fragments.key("feed-entry", edition, keys[d], t.to_dict())
        for d, t in feed_days.items() for edition in options.site.languages
    }
    # The release `prune` would delete next is recycled into the new one (see SafeWriter).
    staging, recycled = releases.stage(recycle=options.site.keep_releases - 1)
    indexing: list[Any] = []  # Pagefind runs started
    gating: _GateProcess | None = None
    tasks: list[_Task] = []
    try:
        writer = SafeWriter(staging, recycled=recycled)
        if recycled:
            _drop_gone_days(staging, options, ordered)
        days = Infos()
        links: dict[str, list[str]] = {}  # each page written this time → its relative links
        # the last passing verdict of each day: the default gate skips an unchanged input
        gated: dict[dt.date, str] = {
            d: str(previous.record(d.isoformat()).get("gate", "")) for d in ordered
        } if check is None else {}
        reusable = [
            d for d in ordered if live is not None and previous.record(d.isoformat()).get("key") == keys[d]
            and previous.info_text(d.isoformat()) is not None
        ]
        todo = sorted(set(ordered) - set(reusable))
        texts.load(todo)
        processes = _render_processes(len(todo), workers)
        # A few days render here; their gate (its language model alone loads in ~0.2 s)
        # runs in a forked process beside them, forked before any thread starts. Its
        # verdicts are enforced before the swap. `workers=1` keeps everything in here.
        gating = _GateProcess.start(todo, texts, options, gated) if (
            processes <= 1 and check is None and workers != 1 and todo
        ) else None
        # Linking the unchanged days and deleting older releases wait on the disk, not the
        # CPU: they run in threads while this one renders, unless a render pool is to fork
        # (no thread may run across a fork). Older releases go first so that after the swap
        # `keep_releases` remain (the live one and the newest others; a failed build leaves
        # one fewer).
        # With search on and a few changed days, their months' unchanged days are linked
        # first (a thread of their own), so Pagefind can index those months as soon as the
        # changed days are rendered, while the other days are still being linked.
        search_first = {_month(d) for d in todo} if options.site.search and processes <= 1 else set()
        groups = [[d for d in reusable if _month(d) in search_first],
                  [d for d in reusable if _month(d) not in search_first]]
        linkings = []
        for group in groups:
            link_writer = SafeWriter(staging, recycled=recycled)
            linkings.append((_Task(_link_days, link_writer, live, group, options), link_writer, group))
        pruning = _Task(releases.prune, options.site.keep_releases - 1)
        tasks += [task for task, _, _ in linkings] + [pruning]
        for task, _, _ in linkings:
            if processes <= 1:
                task.start()
            else:
                task.result()
        if processes <= 1:
            pruning.start()

        def record(rendered_days: Iterator[tuple[dt.date, RenderedDay]]) -> None:
            for day, rendered in rendered_days:
                gated[day] = rendered.gate
                for edition, entry in rendered.feed.items():
                    fragments.put(feed_keys[edition, day], entry)
                links.update(rendered.links)
                days.add(day, rendered.info)
                report.rendered.append(day)
                if progress is not None:
                    progress(day, len(days), len(texts), True)

        record(_render_days(todo, texts, neighbours, options, check, processes, gated, writer, feed_days,
                            gate_elsewhere=gating is not None))
        pruning.start()
        # Pagefind reads only day pages: it runs while the rest of the release is written.
        search_keys: dict[str, str] = {}
        search_keys_left: dict[str, str] = {}  # those not started early
        if options.site.search and ordered:
            from briefing.publish import search

            search_keys = search.bundle_keys(
                options.site.languages, {d: keys[d] for d in ordered}, search.pagefind_binary()
            )
        missing: list[dt.date] = []  # a file gone from the live release: rendered here
        for i, (task, link_writer, group) in enumerate(linkings):
            linked = task.result()
            writer.merge(link_writer)
            for day in group:
                if day in linked:
                    days.add_text(day, str(previous.info_text(day.isoformat())))
                    report.reused += 1
                    if progress is not None:
                        progress(day, len(days), len(texts), False)
            missing += [d for d in group if d not in linked]
            if search_keys and i == 0 and search_first and not missing:
                early = {rel: key for rel, key in search_keys.items() if rel.rsplit("/", 1)[1] in search_first}
                indexing.append(search.start_index(
                    staging, early, live=live, previous=previous.head.get("search"), link=writer.link_tree,
                ))
                search_keys_left = {rel: key for rel, key in search_keys.items() if rel not in early}
        texts.load(missing)
        record(_render_days(missing, texts, neighbours, options, check, 1, gated, writer, feed_days))
        timings["days"] = time.perf_counter() - started - timings["read"]
        if search_keys:
            indexing.append(search.start_index(
                staging, search_keys_left if indexing else search_keys, live=live,
                previous=previous.head.get("search"), link=writer.link_tree,
            ))
        _write_site_files(writer, staging, options, days, keys, links, feed_days, fragments, feed_keys)
        _check_links(staging, links, writer.written)
        pruning.result()
        if gating is not None:
            gated.update(gating.enforce())
        timings["site"] = time.perf_counter() - started - timings["read"] - timings["days"]
        for started_index in indexing:
            for rel in started_index.wait():
                writer.adopt(rel)
        timings["search"] = time.perf_counter() - started - sum(timings.values())
        records = {d: {"key": keys[d], "gate": gated.get(d, ""), **times[d].to_dict()} for d in days}
        head = {"key": site_key, "fingerprint": fingerprint, "search": search_keys}
        writer.sweep()
        manifest_json = manifest.render(head, records, days)
        report.release = releases.commit(staging, site_key[:16], manifest_json)
    except BaseException:
        for started_index in indexing:
            started_index.close()
        if gating is not None:
            gating.close()
        for task in tasks:
            task.join()
        releases.discard(staging)
        raise
    report.rendered.sort()
    report.published = True
    fragments.keep_used()
    releases.prune(options.site.keep_releases)
    if hugo_dir is not None:
        _export_hugo(texts, options, hugo_dir, keys)
    timings["total"] = time.perf_counter() - started
    report.timings = timings
    return report


def _cache_templates(folder: Path) -> None:
    """Keep the templates' compiled code in the user's cache (Jinja's bytecode cache, checked
    against each template's source; `briefing.user_cache`): no build compiles the day page,
    its partials and the site pages again (~0.1 s, before the render processes fork), not
    even the first into an empty folder."""
    from jinja2 import FileSystemBytecodeCache
    from jinja2.bccache import Bucket

    from briefing.publish import pages
    from briefing.render.html import environment as html_environment

    class Cache(FileSystemBytecodeCache):
        """A cache that cannot be read or written is no cache, never a failed build."""

        def load_bytecode(self, bucket: Bucket) -> None:
            with contextlib.suppress(OSError):
                super().load_bytecode(bucket)

        def dump_bytecode(self, bucket: Bucket) -> None:
            with contextlib.suppress(OSError):
                super().dump_bytecode(bucket)

    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return  # no cache: templates compile as before
    cache = Cache(str(folder))
    for env in (html_environment(), pages.environment()):
        env.bytecode_cache = cache


def _publication_times(
    store: BriefingSource, texts: _Texts, previous: Manifest, timezone: str
) -> dict[dt.date, pages.Published]:
    """When each day was first published and when its content last changed.

    Carried from build to build in the manifest, keyed by the content's hash: a day seen
    with the same content keeps its times; a day whose content changed (a correction)
    keeps its first publication and is updated at its save time; a new day is published at
    its save time. Save times come from the store, so the same store gives the same bytes;
    without one, a day is dated 00:00 of its date in the configured zone.
    """
    from briefing.publish import pages

    saved_at = getattr(store, "briefing_saved_at", None)
    zone = ZoneInfo(timezone)
    times: dict[dt.date, pages.Published] = {}
    for day in texts:
        content = texts.digest(day)
        cached = previous.record(day.isoformat())
        if cached.get("content") == content and cached.get("published"):
            times[day] = pages.Published.from_dict(cached)
            continue
        moment = saved_at(day) if saved_at is not None else None
        if moment is None:
            moment = dt.datetime.combine(day, dt.time(), zone)
        first = cached.get("published")
        published = dt.datetime.fromisoformat(first) if first else moment
        times[day] = pages.Published(published=published, updated=max(moment, published), content=content)
    return times


def _drop_gone_days(staging: Path, options: PublishOptions, ordered: Sequence[dt.date]) -> None:
    """A recycled release's day folders whose day is no longer stored go before anything
    reads the day folders (Pagefind indexes every day page of a month)."""
    import shutil

    stored = {d.isoformat() for d in ordered}
    for edition in options.site.languages:
        folder = staging / edition_slug(edition)
        try:
            names = os.listdir(folder)
        except OSError:
            continue
        for name in names:
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", name) and name not in stored:
                shutil.rmtree(folder / name, ignore_errors=True)


def _month(day: dt.date) -> str:
    return day.isoformat()[:7]


def _iso(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


def _parse(text: str, day: dt.date) -> Briefing:
    from briefing.model import Briefing

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


def _day_files(options: PublishOptions) -> list[str]:
    names = {"html": "index.html", "md": "briefing.md", "json": "briefing.json", "pdf": "briefing.pdf"}
    return [names[f] for f in ("html", "md", "json", "pdf") if f in options.formats]


def day_info(briefing: Briefing, languages: Sequence[str]) -> DayInfo:
    from briefing.publish.pages import DayInfo
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
    from briefing.publish import gate

    def check(briefing: Briefing, markdown: dict[str, str]) -> list[gate.Problem]:
        # Stored days passed the gate when they were built: only issue-wide faults block here.
        edition = options.site.languages[0]
        name = f"{edition_slug(edition)}/{briefing.date.isoformat()}/briefing.md"
        places = functools.cache(lambda: gate.Places(briefing, markdown[edition], name, edition))
        verdict = gate.review(briefing, min_items=options.site.min_items, languages=options.site.languages,
                              locate=lambda item, role: places().locate(item, role),
                              where=lambda part: places().where(part), judge_items=False)
        return verdict.blocking

    return check


def render_markdowns(briefing: Briefing, options: PublishOptions) -> dict[str, str]:
    from briefing.render.markdown import render_markdown

    return {
        e: render_markdown(briefing, e, footer=options.footer(e)) for e in options.site.languages
    }


@dataclass
class RenderedDay:
    """One day as written: what the indexes need of it, its pages' links, its files."""

    info: DayInfo
    files: list[str]  # relative paths, written by the renderer's own SafeWriter
    links: dict[str, list[str]]  # each page → its relative links, for the link check
    gate: str = ""  # the gate key it passed with (the default gate only)
    feed: dict[str, str] = field(default_factory=dict)  # edition → its feed entry, for a feed day


# The job of the render processes, set before they fork (closures do not pickle).
_JOB: dict[str, Any] = {}


def _render_days(
    todo: list[dt.date],
    texts: Mapping[dt.date, str],
    neighbours: dict[dt.date, tuple[dt.date | None, dt.date | None]],
    options: PublishOptions,
    check: Callable[[Briefing, dict[str, str]], list[gate.Problem]] | None,
    processes: int,
    gated: dict[dt.date, str],
    writer: SafeWriter,
    feed_days: Mapping[dt.date, pages.Published],
    *,
    gate_elsewhere: bool = False,
) -> Iterator[tuple[dt.date, RenderedDay]]:
    """Render and write the changed days, in order; in forked processes when there are many.

    A worker writes its days' files into the staging folder itself (through a `SafeWriter`
    of its own) and finds their pages' links, so the parent only claims the paths: the
    rendering, the writing and most of the link check run on every CPU. A day a worker
    could not render is rendered again here, so its error (a `GateError` naming the day, a
    template bug) is raised with its own type and message.
    """
    count = processes
    if count <= 1:
        for day in todo:
            yield day, _render_day(writer, texts[day], day, neighbours[day], options, check, gated.get(day),
                                   feed_days.get(day), gate_elsewhere=gate_elsewhere)
        return
    import concurrent.futures
    import multiprocessing

    # The first day renders here: it loads what every day needs (the render and gate
    # modules, the templates, the language model, Babel's locale data) once, before the
    # fork, instead of once in each worker.
    first, todo = todo[0], todo[1:]
    yield first, _render_day(writer, texts[first], first, neighbours[first], options, check, gated.get(first),
                             feed_days.get(first))
    if any(day in feed_days for day in todo):
        import feedgen.entry  # noqa: F401 — once, before the fork, not in each worker
    _JOB.update(texts=texts, neighbours=neighbours, options=options, check=check, gated=gated, root=writer.root,
                feed_days=feed_days, recycled=writer.recycled)
    try:
        context = multiprocessing.get_context("fork")
        with concurrent.futures.ProcessPoolExecutor(max_workers=count, mp_context=context) as pool:
            # small chunks: the last one decides when the pool is done (~30 ms a day)
            chunk = max(1, min(4, len(todo) // (count * 4)))
            for day, result in zip(todo, pool.map(_render_job, todo, chunksize=chunk), strict=True):
                if result is None:
                    result = _render_day(writer, texts[day], day, neighbours[day], options, check, gated.get(day),
                                         feed_days.get(day))
                else:
                    writer.record(result.files)
                yield day, result
    finally:
        _JOB.clear()


class _GateProcess:
    """The default gate on a few changed days, in a forked process: while this one renders
    them, the other CPU loads the gate's language model and judges them. `enforce` raises
    the first refusal (`GateError`) and returns each day's gate key; a day the process did
    not judge (it died, it failed) is judged here."""

    def __init__(self, days: list[dt.date], texts: Mapping[dt.date, str], options: PublishOptions,
                 passed: dict[dt.date, str]) -> None:
        self.days, self.texts, self.options = days, texts, options
        self.passed = {d: passed[d] for d in days if d in passed}  # as it stood before this build
        self._proc: Any = None
        self._conn: Any = None

    @classmethod
    def start(cls, days: list[dt.date], texts: Mapping[dt.date, str], options: PublishOptions,
              passed: dict[dt.date, str]) -> _GateProcess | None:
        import multiprocessing

        if "fork" not in multiprocessing.get_all_start_methods():
            return None
        self = cls(days, texts, options, passed)
        context = multiprocessing.get_context("fork")
        try:
            self._conn, child = context.Pipe(duplex=False)
            self._proc = context.Process(target=self._judge_all, args=(child,), daemon=True)
            self._proc.start()
            child.close()
        except OSError:
            return None
        return self

    def _judge(self, day: dt.date) -> tuple[str, list[gate.Problem]]:
        text = self.texts[day]
        briefing = _parse(text, day)
        markdown = render_markdowns(briefing, self.options)
        key = gate_key(text, markdown, self.options)
        if key == self.passed.get(day):
            return key, []
        return key, default_check(self.options)(briefing, markdown)

    def _judge_all(self, conn: Any) -> None:  # in the forked process
        verdicts: dict[dt.date, tuple[str, list[gate.Problem]]] = {}
        for day in self.days:
            try:
                verdicts[day] = self._judge(day)
            except Exception:  # judged again in the parent, which raises the real error
                continue
        conn.send(verdicts)
        conn.close()

    def enforce(self) -> dict[dt.date, str]:
        from briefing.publish import gate

        try:
            verdicts = self._conn.recv()
            self._proc.join()
        except (EOFError, OSError):
            verdicts = {}
        finally:
            self.close()
        keys: dict[dt.date, str] = {}
        for day in self.days:
            key, problems = verdicts[day] if day in verdicts else self._judge(day)
            gate.enforce(problems, day.isoformat())
            keys[day] = key
        return keys

    def close(self) -> None:
        """End the process: a build that failed does not wait for its verdicts."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        if self._proc is not None:
            if self._proc.is_alive():
                self._proc.kill()
            self._proc.join()
            self._proc = None


def _render_processes(days: int, workers: int | None) -> int:
    """How many processes render `days` changed days: one per CPU (or `workers`) when
    there are many; 1 means in this process."""
    import multiprocessing

    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return max(1, min(workers or os.cpu_count() or 1, days // 8 or 1))


def _link_days(writer: SafeWriter, live: Path | None, days: list[dt.date], options: PublishOptions) -> set[dt.date]:
    """Hard-link the unchanged days' files from the live release; the days linked."""
    names = _day_files(options)
    linked: set[dt.date] = set()
    for day in days:
        iso = day.isoformat()
        rels = [f"{edition_slug(e)}/{iso}/{name}" for e in options.site.languages for name in names]
        if live is not None and writer.link_files(live, rels):
            linked.add(day)
    return linked


class _Task:
    """A function run in a thread (`start`) or here (`result` without `start`); `result`
    waits for it and raises what it raised."""

    def __init__(self, func: Callable[..., Any], *args: Any) -> None:
        self._func, self._args = func, args
        self._thread: threading.Thread | None = None
        self._done = False
        self._value: Any = None
        self._error: BaseException | None = None

    def _run(self) -> None:
        try:
            self._value = self._func(*self._args)
        except BaseException as exc:  # raised again by result()
            self._error = exc
        self._done = True

    def start(self) -> None:
        if self._thread is None and not self._done:
            self._thread = threading.Thread(target=self._run, daemon=True)
            self._thread.start()

    def join(self) -> None:
        if self._thread is not None:
            self._thread.join()

    def result(self) -> Any:
        if self._thread is None and not self._done:
            self._run()
        self.join()
        if self._error is not None:
            raise self._error
        return self._value


def _render_job(day: dt.date) -> RenderedDay | None:
    try:
        if "writer" not in _JOB:  # one per worker process, made after the fork
            _JOB["writer"] = SafeWriter(_JOB["root"], recycled=_JOB["recycled"])
        return _render_day(
            _JOB["writer"], _JOB["texts"][day], day, _JOB["neighbours"][day], _JOB["options"], _JOB["check"],
            _JOB["gated"].get(day), _JOB["feed_days"].get(day),
        )
    except Exception:  # the parent renders it again and raises the real error
        return None


def _render_day(
    writer: SafeWriter,
    text: str,
    day: dt.date,
    around: tuple[dt.date | None, dt.date | None],
    options: PublishOptions,
    check: Callable[[Briefing, dict[str, str]], list[gate.Problem]] | None,
    passed: str | None = None,
    feed_times: pages.Published | None = None,
    *,
    gate_elsewhere: bool = False,
) -> RenderedDay:
    """Render one day and write its files. `passed` is the key of the day's last passing
    gate verdict: the default gate runs only when its input differs (a template change
    does not re-check); with `gate_elsewhere` a `_GateProcess` judges the day instead.
    A day of the feeds (`feed_times`) also gets each edition's feed entry, from its page.
    Everything is rendered before the first file is written."""
    from briefing.publish import gate, pages
    from briefing.publish.pages import DayInfo
    from briefing.render import impact_map
    from briefing.render.html import environment as html_environment
    from briefing.render.html import page_context

    briefing = _parse(text, day)
    iso = day.isoformat()
    languages = list(options.site.languages)
    markdown = render_markdowns(briefing, options)
    verdict = gate_key(text, markdown, options) if check is None else ""
    if not gate_elsewhere and (check is not None or verdict != passed):
        gate.enforce((check or default_check(options))(briefing, markdown), iso)
    info = day_info(briefing, languages)
    prev, next_ = (DayInfo(date=d, items=0, titles={}) if d else None for d in around)
    files: list[tuple[str, bytes]] = []
    links: dict[str, list[str]] = {}
    feed: dict[str, str] = {}
    json_bytes = briefing.to_json().encode("utf-8")
    for i, edition in enumerate(languages):
        folder = f"{edition_slug(edition)}/{iso}"
        other = languages[(i + 1) % len(languages)] if len(languages) > 1 else None
        try:
            page = page_context(
                briefing,
                edition,
                other_edition_href=f"../../{edition_slug(other)}/{iso}/index.html" if other else None,
                assets_href="../../assets/",
                footer_html=options.footer(edition),
            )
            html = html_environment().get_template("briefing.html.j2").render(page=page)
        except BriefingError:
            raise
        except Exception as exc:  # a template bug, StrictUndefined …: never publish
            raise PublishError(f"rendering failed: {iso} {edition}: {type(exc).__name__}: {exc}") from exc
        if page.impact_map is not None:
            info.assets[edition] = impact_map.day_assets(page.impact_map.data)
        decorated = pages.decorate_day_page(html, options.site, edition, info, prev=prev, next=next_)
        files.append((f"{folder}/index.html", decorated.encode("utf-8")))
        links[f"{folder}/index.html"] = page_links(decorated)
        if feed_times is not None:
            feed[edition] = pages.page_feed_entry(decorated, options.site, edition, info, feed_times, options.timezone)
        if "md" in options.formats:
            files.append((f"{folder}/briefing.md", markdown[edition].encode("utf-8")))
        if "json" in options.formats:
            files.append((f"{folder}/briefing.json", json_bytes))
        if "pdf" in options.formats:
            from briefing.render.pdf import render_pdf

            pdf = render_pdf(
                briefing, edition, footer_html=options.footer(edition), timeout=options.site.pdf_timeout
            )
            files.append((f"{folder}/briefing.pdf", pdf))
    first_with: dict[bytes, str] = {}  # the JSON is the same in every edition: written once
    for rel, data in files:
        if rel.endswith(".json") and data in first_with:
            writer.write_copy(rel, first_with[data])
            continue
        writer.write_bytes(rel, data)
        if rel.endswith(".json"):
            first_with[data] = rel
    return RenderedDay(info=info, files=[rel for rel, _ in files], links=links, gate=verdict, feed=feed)


def _write_site_files(
    writer: SafeWriter,
    staging: Path,
    options: PublishOptions,
    days: Infos,
    keys: Mapping[dt.date, str],
    links: dict[str, list[str]],
    feed_days: Mapping[dt.date, pages.Published],
    fragments: Fragments,
    feed_keys: Mapping[tuple[str, dt.date], str],
) -> None:
    """The pages over all days (chooser, indexes, stance history), feeds, sitemap, assets;
    each page's links join `links`.

    They are put together from fragments kept between builds (`fragments`): an archive
    month by the keys of its days, a stance-history strip by what it shows, a feed entry by
    its day's key and times. A feed entry not kept (nor made with its day) is made from
    the day's page in `staging`. A reused day's display data is parsed only when a
    fragment it shows has to be made."""
    from briefing.publish import pages
    from briefing.render.html import write_assets

    settings = options.site
    dates = sorted(days)
    writer.clear("assets")
    write_assets(writer.path("assets"))
    writer.adopt("assets")
    writer.write_bytes("assets/site/site.css", (pages.TEMPLATES_DIR / "site.css").read_bytes())

    def page(rel: str, html: str) -> None:
        writer.write_text(rel, html)
        links[rel] = page_links(html)

    page("index.html", pages.chooser_page(settings, dates))
    groups = pages.month_groups(dates)
    recent = [days[d] for d in dates[-pages.HISTORY_SPAN:]]
    for edition in settings.languages:
        slug = edition_slug(edition)
        months = [
            fragments.get_or_make(
                fragments.key("archive-month", edition, [[d.isoformat(), keys[d]] for d in group]),
                functools.partial(lambda group, edition: pages.archive_month(edition, [days[d] for d in group]),
                                  group, edition),
            )
            for group in groups
        ]
        newest = [days[dates[-1]]] if dates else []
        page(f"{slug}/index.html", pages.lang_index_page(settings, edition, newest, months=months, dates=dates))
        page(f"{slug}/impacts/index.html", pages.impacts_page(settings, edition, recent, reuse=fragments.reuse))

        def entry(day: dt.date, edition: str = edition, slug: str = slug) -> str:
            html = (staging / slug / day.isoformat() / "index.html").read_text(encoding="utf-8")
            return pages.page_feed_entry(html, settings, edition, days[day], feed_days[day], options.timezone)

        entries = [
            (day, fragments.get_or_make(feed_keys[edition, day], functools.partial(entry, day)), times)
            for day, times in feed_days.items()
        ]
        writer.write_bytes(f"{slug}/feed.xml", pages.atom_feed(settings, edition, entries, options.timezone))
    sitemap = fragments.reuse(["sitemap", [d.isoformat() for d in dates]],
                              lambda: pages.sitemap(settings, dates).decode("utf-8"))
    writer.write_text("sitemap.xml", sitemap)


_LINK = re.compile(r"""<(?:a|link|script|img)\b[^>]*?\s(?:href|src)="([^"]*)\"""", re.I)


def page_links(html: str) -> list[str]:
    """The distinct relative links of one of our pages (external ones and fragments left out).

    The pages are our own templates' output (attributes always double-quoted), so a
    regular expression finds their links.
    """
    found: dict[str, None] = {}
    for link in _LINK.findall(html):
        link = html_unescape(link)
        parts = urlsplit(link)
        if parts.scheme or parts.netloc or link.startswith(("#", "/")):
            continue
        found[link] = None
    return list(found)


def _check_links(root: Path, links: dict[str, list[str]], files: Collection[str] | None = None) -> None:
    """Every relative link of the pages written this time must resolve inside the release;
    each distinct target is looked up once: in `files` (every file of the release, as its
    writer recorded them) when given, else on disk."""
    broken: list[str] = []
    seen: dict[str, bool] = {}
    for rel, page_links_ in links.items():
        folder = posixpath.dirname(rel)
        for link in page_links_:
            path = unquote(urlsplit(link).path)
            target = posixpath.normpath(posixpath.join(folder, path)) if path else folder or "."
            if path.endswith("/"):
                target = posixpath.join(target, "index.html")
            if target not in seen:
                seen[target] = _resolves(root, target) if files is None else _listed(files, target)
            if not seen[target]:
                broken.append(f"{rel} → {link}")
    if broken:
        raise PublishError(
            f"the new site has {len(broken)} broken links, e.g. {broken[0]}: nothing was published"
        )


def _resolves(root: Path, target: str) -> bool:
    """`target` (relative to `root`, normalised) names a file inside it, or a folder with an
    index.html. Judged by the path's words: the release holds no symlinks (SafeWriter)."""
    if target == ".." or target.startswith("../"):
        return False
    path = root / target
    if path.is_dir():
        path = path / "index.html"
    return path.is_file()


def _listed(files: Collection[str], target: str) -> bool:
    """`target` (normalised) is one of `files`, or a folder holding an index.html of them."""
    if target == ".." or target.startswith("../"):
        return False
    if target == ".":
        return "index.html" in files
    return target in files or f"{target}/index.html" in files


def _export_hugo(
    texts: Mapping[dt.date, str], options: PublishOptions, hugo_dir: Path, keys: dict[dt.date, str]
) -> None:
    from briefing.publish.hugo import export_hugo

    export_hugo(
        texts,
        hugo_dir,
        languages=options.site.languages,
        default_lang=options.site.default_lang,
        render=lambda b: render_markdowns(b, options),
        keys=keys,
    )
