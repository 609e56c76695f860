"""`briefing site`: layout, feed, sitemap, head tags, incremental and atomic behaviour."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import feedparser
import pytest
from click.testing import CliRunner

from briefing.cli import cli
from briefing.errors import GateError
from briefing.publish.atomic import Releases
from briefing.publish.site import build_site, options_from_config
from briefing.store import Store
from tests.publish.conftest import days_back, sample_briefing, save

BASE = "https://briefing.test.invalid/daily/"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


class Head(HTMLParser):
    """Collects <link>, <meta property> and <a href> of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[dict[str, str]] = []
        self.meta: dict[str, list[str]] = {}
        self.anchors: list[str] = []
        self.html_lang = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "html":
            self.html_lang = a.get("lang", "")
        if tag == "link":
            self.links.append(a)
        if tag == "meta" and "property" in a:
            self.meta.setdefault(a["property"], []).append(a.get("content", ""))
        if tag == "a" and "href" in a:
            self.anchors.append(a["href"])


def parse(path: Path) -> Head:
    head = Head()
    head.feed(path.read_text(encoding="utf-8"))
    return head


def build(config, out=None, **kw):
    with Store.open(config.store_path) as store:
        return build_site(store, options_from_config(config), out or config.resolve(config.site.out), **kw)


def url_to_file(out: Path, url: str) -> Path:
    assert url.startswith(BASE), url
    rel = url[len(BASE):]
    return out / rel / "index.html" if rel == "" or rel.endswith("/") else out / rel


def test_layout_feed_sitemap_and_head(make_site) -> None:
    days = days_back(3) + [dt.date(2026, 1, 20)]
    config, out = make_site(days)
    report = build(config)
    assert report.published and len(report.rendered) == 4
    assert out.is_symlink()
    for lang in ("zh", "en"):
        for day in days:
            folder = out / lang / day.isoformat()
            assert {p.name for p in folder.iterdir()} == {"index.html", "briefing.md", "briefing.json"}
        # Atom: parses cleanly, every day, full content, newest first
        feed = feedparser.parse((out / lang / "feed.xml").read_bytes())
        assert not feed.bozo, feed.get("bozo_exception")
        assert [e.link for e in feed.entries] == [f"{BASE}{lang}/{d.isoformat()}/" for d in sorted(days, reverse=True)]
        assert all(len(e.content[0].value) > 2000 for e in feed.entries)
    # the sitemap lists every page, and nothing that is not there
    pages = {p.relative_to(out).as_posix() for p in out.rglob("index.html")}
    tree = ET.parse(out / "sitemap.xml")
    locs = [u.findtext(f"{SM}loc") for u in tree.getroot().iter(f"{SM}url")]
    assert {url_to_file(out, u).relative_to(out).as_posix() for u in locs} == pages
    # head tags: canonical, hreflang pairs resolving to real pages, Open Graph
    day_page = parse(out / "en" / "2026-02-05" / "index.html")
    assert day_page.html_lang == "en"
    canon = [x["href"] for x in day_page.links if x.get("rel") == "canonical"]
    assert canon == [f"{BASE}en/2026-02-05/"]
    alternates = {x["hreflang"]: x["href"] for x in day_page.links if x.get("rel") == "alternate" and x["href"].startswith("http")}
    assert set(alternates) == {"zh-CN", "en", "x-default"}
    for href in alternates.values():
        assert url_to_file(out, href).is_file()
    assert day_page.meta["og:url"] == canon and day_page.meta["og:type"] == ["article"]
    assert day_page.meta["og:title"][0].startswith("Xi")
    # the zh twin points back
    zh_page = parse(out / "zh" / "2026-02-05" / "index.html")
    assert any(x.get("hreflang") == "en" and x["href"] == f"{BASE}en/2026-02-05/" for x in zh_page.links)
    # links inside the site are relative, so it works from any subfolder
    for page in (out / "index.html", out / "en" / "index.html", out / "en" / "2026-02-05" / "index.html"):
        for href in parse(page).anchors:
            assert not href.startswith("/"), href
    # archive grouped by month, newest first
    index = (out / "en" / "index.html").read_text(encoding="utf-8")
    assert index.index("February 2026") < index.index("January 2026")
    assert "2026年2月" in (out / "zh" / "index.html").read_text(encoding="utf-8")


def test_unchanged_rebuild_publishes_nothing_and_one_changed_day_is_rerendered(make_site) -> None:
    config, out = make_site(days_back(3))
    first = build(config)
    live = Releases(out).current()
    again = build(config)
    assert not again.published and Releases(out).current() == live
    changed = sample_briefing(dt.date(2026, 2, 4), title_suffix="（更新）")
    save(config.store_path, [changed])
    third = build(config)
    assert third.published and third.rendered == [dt.date(2026, 2, 4)] and third.reused == 2
    assert "（更新）" in (out / "zh" / "2026-02-04" / "index.html").read_text(encoding="utf-8")
    # the unchanged days are hard links into the previous release, not copies
    old = first.release / "en" / "2026-02-03" / "index.html"
    assert (out / "en" / "2026-02-03" / "index.html").stat().st_ino == old.stat().st_ino


def test_a_day_s_json_is_one_file_in_both_editions_and_a_recycled_build_keeps_the_live_one(make_site) -> None:
    config, out = make_site(days_back(3))
    build(config)
    zh, en = (out / lang / "2026-02-04" / "briefing.json" for lang in ("zh", "en"))
    assert zh.read_bytes() == en.read_bytes() and zh.stat().st_ino == en.stat().st_ino
    for n in range(3):  # later builds recycle an older release: the live one must not change
        live = Releases(out).current()
        assert live is not None
        before = _digest(live)
        save(config.store_path, [sample_briefing(dt.date(2026, 2, 4), title_suffix=f"（第{n}次更新）")])
        assert build(config).published
        assert _digest(live) == before
    assert zh.read_bytes() == en.read_bytes() and "第2次更新" in zh.read_text(encoding="utf-8")
    assert zh.stat().st_ino == en.stat().st_ino


def _digest(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_render_processes_write_the_same_site(make_site, tmp_path: Path) -> None:
    config, out = make_site(days_back(17))
    report = build(config, workers=2)  # 17 changed days: two forked processes write them
    assert len(report.rendered) == 17
    alone = tmp_path / "alone" / "out"
    build(config, out=alone, workers=1)
    assert _digest(out) == _digest(alone)


def test_a_day_gone_from_the_live_release_is_rendered_again(make_site) -> None:
    config, out = make_site(days_back(3))
    first = build(config)
    (first.release / "en" / "2026-02-03" / "briefing.md").unlink()
    save(config.store_path, [sample_briefing(dt.date(2026, 2, 4), title_suffix="（更新）")])
    report = build(config)
    assert report.rendered == [dt.date(2026, 2, 3), dt.date(2026, 2, 4)] and report.reused == 1
    assert (out / "en" / "2026-02-03" / "briefing.md").stat().st_size > 0
    # the older releases went, the one live before this build stays (keep_releases: 2)
    save(config.store_path, [sample_briefing(dt.date(2026, 2, 5), title_suffix="（更新）")])
    third = build(config)
    kept = sorted(p for p in Releases(out).root.iterdir() if p.is_dir() and not p.name.startswith("."))
    assert kept == sorted([report.release, third.release])


def test_same_inputs_give_identical_bytes(make_site, tmp_path: Path) -> None:
    config, out = make_site(days_back(2))
    build(config)
    other = tmp_path / "elsewhere" / "out"
    build(config, out=other)

    def digest(root: Path) -> dict[str, str]:
        return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted(root.rglob("*")) if p.is_file()}

    assert digest(out) == digest(other)


def test_gate_failure_keeps_the_live_site(make_site) -> None:
    config, out = make_site(days_back(2))
    build(config)
    live = Releases(out).current()
    before = (out / "zh" / "index.html").read_bytes()
    bad = sample_briefing(dt.date(2026, 2, 6))
    bad.title.zh = "Report Title"
    save(config.store_path, [bad])
    with pytest.raises(GateError, match="2026-02-06"):
        build(config)  # judged in a forked process beside the rendering
    assert Releases(out).current() == live and (out / "zh" / "index.html").read_bytes() == before
    assert not list(Releases(out).root.glob(".staging-*"))


def test_a_gate_process_that_dies_is_judged_again_here(make_site, monkeypatch) -> None:
    import os

    from briefing.publish import site

    config, out = make_site(days_back(2))
    build(config)
    monkeypatch.setattr(site._GateProcess, "_judge_all", lambda self, conn: os._exit(3))
    bad = sample_briefing(dt.date(2026, 2, 6))
    bad.title.zh = "Report Title"
    save(config.store_path, [bad])
    with pytest.raises(GateError, match="2026-02-06"):
        build(config)
    save(config.store_path, [sample_briefing(dt.date(2026, 2, 6))])
    report = build(config)  # the pager of 5 Feb gains a next day too
    assert report.published and report.rendered == [dt.date(2026, 2, 5), dt.date(2026, 2, 6)]


def test_hugo_export_and_cli(make_site, tmp_path: Path) -> None:
    config, out = make_site(days_back(2))
    hugo = tmp_path / "blog"
    result = CliRunner().invoke(cli, ["site", "--config", str(config.path), "--hugo", str(hugo)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("site published: 2 days")
    posts = hugo / "content" / "posts"
    assert sorted(p.name for p in posts.iterdir()) == [
        "2026-02-04.en.md", "2026-02-04.md", "2026-02-05.en.md", "2026-02-05.md",
    ]
    zh = (posts / "2026-02-05.md").read_text(encoding="utf-8")
    assert zh.startswith("---\ntitle: ") and '\ncategories: ["经济日报"]\n' in zh
    mtime = (posts / "2026-02-05.md").stat().st_mtime_ns
    again = CliRunner().invoke(cli, ["site", "--config", str(config.path), "--hugo", str(hugo)])
    assert again.output.startswith("site unchanged")
    assert (posts / "2026-02-05.md").stat().st_mtime_ns == mtime


def test_site_with_three_editions_and_no_days(make_site) -> None:
    config, out = make_site([], languages=["zh", "en", "zh-Hant"])
    build(config)
    assert (out / "zh-hant" / "index.html").is_file()
    assert "window.location" not in (out / "index.html").read_text(encoding="utf-8")
    save(config.store_path, [sample_briefing()])
    build(config)
    page = parse(out / "zh-hant" / "2026-02-05" / "index.html")
    assert page.html_lang == "zh-Hant"
    assert {"../../zh/2026-02-05/index.html", "../../en/2026-02-05/index.html"} <= set(page.anchors)


def test_feed_entries_dated_when_published_and_updated_on_correction(make_site) -> None:
    config, out = make_site([])
    utc = dt.UTC
    first, resave, fix = (dt.datetime(2026, 2, 5, h, 30, tzinfo=utc) for h in (0, 1, 9))

    def store_day(briefing, when) -> None:
        text = briefing.to_json()
        with Store.open(config.store_path) as store:
            store.save_briefing(briefing.date, text, hashlib.sha256(text.encode()).hexdigest(), now=when)

    def entry() -> feedparser.FeedParserDict:
        feed = feedparser.parse((out / "en" / "feed.xml").read_bytes())
        return feed, feed.entries[0]

    store_day(sample_briefing(), first)
    build(config)
    feed, e = entry()
    assert e.published_parsed[:5] == e.updated_parsed[:5] == (2026, 2, 5, 0, 30)
    store_day(sample_briefing(), resave)  # saved again, same words: nothing to announce
    assert not build(config).published
    store_day(sample_briefing(title_suffix=" (corrected)"), fix)
    build(config)
    feed, e = entry()
    assert e.published_parsed[:5] == (2026, 2, 5, 0, 30)  # first publication kept
    assert e.updated_parsed[:5] == (2026, 2, 5, 9, 30)  # the correction
    assert feed.feed.updated_parsed[:5] == (2026, 2, 5, 9, 30)
    assert "(corrected)" in e.title


def test_gate_rechecks_only_what_changed(make_site, monkeypatch) -> None:
    from briefing.publish import gate, site

    config, out = make_site(days_back(3))
    calls: list[dt.date] = []
    real = gate.review
    monkeypatch.setattr(gate, "review", lambda b, **kw: calls.append(b.date) or real(b, **kw))
    build(config, workers=1)
    assert len(calls) == 3
    # a rendering change (templates, CSS) re-renders every day but does not re-check them
    fingerprint = site.PublishOptions.fingerprint
    monkeypatch.setattr(site.PublishOptions, "fingerprint", lambda self: fingerprint(self) + "x")
    calls.clear()
    report = build(config, workers=1)
    assert len(report.rendered) == 3 and calls == []
    # a changed day is checked again, alone
    save(config.store_path, [sample_briefing(dt.date(2026, 2, 4), title_suffix="（更新）")])
    report = build(config, workers=1)
    assert calls == [dt.date(2026, 2, 4)] and dt.date(2026, 2, 4) in report.rendered


def test_search_is_indexed_per_month_and_unchanged_months_are_reused(make_site) -> None:
    config, out = make_site([dt.date(2026, 1, 5), *days_back(2)])
    first = build(config)
    for lang in ("zh", "en"):
        for month in ("2026-01", "2026-02"):
            assert (out / "pagefind" / lang / month / "pagefind-entry.json").is_file()
    index = (out / "en" / "index.html").read_text(encoding="utf-8")
    assert 'data-pagefind-bundle="../pagefind/en/2026-02/"' in index
    assert '"bundlePath": "../pagefind/en/2026-01/"' in index
    save(config.store_path, [sample_briefing(dt.date(2026, 2, 4), title_suffix="（更新）")])
    build(config)

    def inode(release: Path, rel: str) -> int:
        return (release / "pagefind" / rel / "pagefind-entry.json").stat().st_ino

    for lang in ("zh", "en"):  # January is linked from the last release, February indexed again
        assert inode(out, f"{lang}/2026-01") == inode(first.release, f"{lang}/2026-01")
        assert inode(out, f"{lang}/2026-02") != inode(first.release, f"{lang}/2026-02")
        # indexed as soon as the changed day was rendered, with its unchanged neighbour linked
        entry = json.loads((out / "pagefind" / lang / "2026-02" / "pagefind-entry.json").read_text(encoding="utf-8"))
        assert [v["page_count"] for v in entry["languages"].values()] == [2]


def test_link_check_finds_broken_and_escaping_links(tmp_path: Path) -> None:
    from briefing.errors import PublishError
    from briefing.publish.site import _check_links, page_links

    (tmp_path / "en" / "2026-02-05").mkdir(parents=True)
    (tmp_path / "en" / "index.html").write_text("x")
    (tmp_path / "en" / "2026-02-05" / "index.html").write_text("x")
    html = ('<a href="../index.html">up</a> <a href="./">here</a> <a href="#top">top</a>'
            ' <a href="https://example.com/x">out</a> <link rel="stylesheet" href="../../en/index.html?v=1">')
    links = page_links(html)
    assert links == ["../index.html", "./", "../../en/index.html?v=1"]
    listed = {"en/index.html", "en/2026-02-05/index.html"}  # what a writer recorded
    _check_links(tmp_path, {"en/2026-02-05/index.html": links})
    _check_links(tmp_path, {"en/2026-02-05/index.html": links}, listed)
    for bad in ("../2026-02-04/index.html", "../../../outside.html", "missing/", "../../.."):
        with pytest.raises(PublishError, match="broken links"):
            _check_links(tmp_path, {"en/2026-02-05/index.html": [bad]})
        with pytest.raises(PublishError, match="broken links"):
            _check_links(tmp_path, {"en/2026-02-05/index.html": [bad]}, listed)
    (tmp_path / "en" / "2026-02-04").mkdir()
    (tmp_path / "en" / "2026-02-04" / "index.html").write_text("x")  # on disk, but not written this build
    with pytest.raises(PublishError, match="broken links"):
        _check_links(tmp_path, {"en/2026-02-05/index.html": ["../2026-02-04/"]}, listed)


class CountingStore:
    """A store that records which days' JSON the site read."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.read: list[dt.date] = []

    def briefing_dates(self) -> list[dt.date]:
        return self.store.briefing_dates()

    def briefing_hashes(self) -> dict[dt.date, str]:
        return self.store.briefing_hashes()

    def load_briefing(self, day: dt.date) -> str | None:
        self.read.append(day)
        return self.store.load_briefing(day)

    def briefing_saved_at(self, day: dt.date) -> dt.datetime | None:
        return self.store.briefing_saved_at(day)


def test_rebuilds_read_only_the_days_they_render(make_site) -> None:
    config, out = make_site(days_back(3))
    options = options_from_config(config)
    with Store.open(config.store_path) as store:
        counting = CountingStore(store)
        build_site(counting, options, out)
        assert sorted(counting.read) == days_back(3)
        counting.read.clear()
        assert not build_site(counting, options, out).published and counting.read == []
    save(config.store_path, [sample_briefing(dt.date(2026, 2, 4), title_suffix="（更新）")])
    with Store.open(config.store_path) as store:
        counting = CountingStore(store)
        report = build_site(counting, options, out)
    assert report.rendered == counting.read == [dt.date(2026, 2, 4)]


def test_a_broken_template_cache_is_no_cache(make_site, tmp_path: Path, monkeypatch) -> None:
    from briefing.publish import pages
    from briefing.render.html import environment

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    for env in (environment(), pages.environment()):  # compiled here, not earlier in this process
        assert env.cache is not None
        env.cache.clear()
    config, out = make_site(days_back(2))
    build(config)
    before = _digest(out)
    cache = tmp_path / "user-cache" / "briefing" / "templates"
    files = list(cache.iterdir())
    assert files, "the compiled templates are kept"
    for path in files:
        path.write_bytes(b"not a template cache")
    save(config.store_path, [sample_briefing(dt.date(2026, 2, 4), title_suffix="（更新）")])
    build(config)
    save(config.store_path, [sample_briefing(dt.date(2026, 2, 4))])
    report = build(config)
    def pages(digest: dict[str, str]) -> dict[str, str]:  # the feeds date the correction
        return {k: v for k, v in digest.items() if not k.endswith("feed.xml")}

    assert report.published and pages(_digest(out)) == pages(before)


def test_builds_leave_the_collector_as_they_found_it(make_site) -> None:
    """Builds set the cyclic collector aside while they run; however they overlap (threads
    of one process), the last to end restores its thresholds and unfreezes."""
    import gc
    import threading

    config, _ = make_site(days_back(2))
    before = gc.get_threshold()
    errors: list[BaseException] = []

    def one(n: int) -> None:
        try:
            build(config, out=config.resolve(f"out-{n}"), workers=1)
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=one, args=(n,)) for n in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0
