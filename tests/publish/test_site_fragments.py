"""Pieces kept between site builds: rendered fragments (feed entries, archive months, history
strips) and the line-per-day build manifest. Reusing them must give the bytes a fresh
render gives."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from briefing.publish import manifest
from briefing.publish.atomic import Releases
from briefing.publish.fragments import Fragments
from briefing.publish.pages import DayInfo, Published, atom_feed, feed_entry
from briefing.publish.settings import SiteSettings
from briefing.publish.site import build_site, options_from_config
from briefing.store import Store
from tests.publish.conftest import days_back, sample_briefing, save

SETTINGS = SiteSettings(base_url="https://briefing.test.invalid/daily/")


def _digest(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_spliced_feed_is_the_feed_feedgen_writes() -> None:
    from feedgen.feed import FeedGenerator

    zone = dt.timezone(dt.timedelta(hours=8))
    days = [
        (DayInfo(date=dt.date(2026, 2, d), items=3, titles={"en": f"Day {d} & <more>"},
                 summaries={"en": ["one line", "two\u2028lines"]} if d % 2 else {}),
         f"<p>Body of {d} &amp; a <a href=\"#x\">link</a>\n中文</p>",
         Published(published=dt.datetime(2026, 2, d, 1, tzinfo=dt.UTC),
                   updated=dt.datetime(2026, 2, d, 9 - d, tzinfo=dt.UTC)))
        for d in (3, 5, 4)
    ]
    entries = [(info.date, feed_entry(SETTINGS, "en", info, body, times, "Asia/Shanghai"), times)
               for info, body, times in days]

    fg = FeedGenerator()  # the whole feed made by feedgen in one go, as it used to be
    fg.id(f"{SETTINGS.base_url}en/")
    fg.title(SETTINGS.name_for("en"))
    fg.link(href=f"{SETTINGS.base_url}en/", rel="alternate")
    fg.link(href=f"{SETTINGS.base_url}en/feed.xml", rel="self")
    fg.language("en")
    fg.author({"name": SETTINGS.name_for("en")})
    fg.updated(max(t.updated for _, _, t in days).astimezone(zone))
    for info, body, times in sorted(days, key=lambda day: day[0].date, reverse=True):
        fe = fg.add_entry(order="append")
        fe.id(f"{SETTINGS.base_url}en/{info.date.isoformat()}/")
        fe.title(info.titles["en"])
        fe.link(href=f"{SETTINGS.base_url}en/{info.date.isoformat()}/", rel="alternate")
        fe.published(times.published.astimezone(zone))
        fe.updated(times.updated.astimezone(zone))
        if info.summaries.get("en"):
            fe.summary("\n".join(info.summaries["en"]))
        fe.content(body, type="html")
    assert atom_feed(SETTINGS, "en", entries, "Asia/Shanghai") == fg.atom_str(pretty=True)


def test_fragments_keep_what_was_used(tmp_path: Path) -> None:
    folder = tmp_path / "fragments"
    first = Fragments(folder, salt="a")
    made: list[str] = []

    def make(text: str):
        return lambda: made.append(text) or text

    assert first.reuse(["x", 1], make("one")) == "one"
    assert first.reuse(["y"], make("two")) == "two"
    assert first.key("x", 1) != Fragments(folder, salt="b").key("x", 1)  # the site's fingerprint counts
    second = Fragments(folder, salt="a")
    assert second.reuse(["x", 1], make("never")) == "one" and made == ["one", "two"]
    second.keep_used()
    assert sorted(p.name for p in folder.iterdir()) == [second.key("x", 1)]
    (folder / second.key("x", 1)).write_bytes(b"\xff\xfe not text")  # unreadable: made again
    assert Fragments(folder, salt="a").reuse(["x", 1], make("again")) == "again"
    blocked = tmp_path / "file"
    blocked.write_text("")
    nowhere = Fragments(blocked / "fragments")  # cannot be made: nothing kept, nothing fails
    assert nowhere.folder is None and nowhere.reuse(["x"], make("fresh")) == "fresh"


def test_builds_reusing_fragments_match_builds_that_render_them(make_site, tmp_path: Path, monkeypatch) -> None:
    """Two sites fed the same store, step by step: one keeps its fragments, the other
    renders every fragment each time. Every file is the same after every step."""
    from briefing.publish import site

    config, out = make_site(days_back(3))
    fresh_out = tmp_path / "fresh" / "out"
    options = options_from_config(config)
    kept = Fragments

    def both() -> None:
        with Store.open(config.store_path) as store:
            monkeypatch.setattr(site, "Fragments", kept)
            build_site(store, options, out)
            monkeypatch.setattr(site, "Fragments", lambda folder, salt: kept(None, salt))
            build_site(store, options, fresh_out)
        assert _digest(out) == _digest(fresh_out)

    both()
    cache = Releases(out).root / ".cache" / "fragments"
    assert len(list(cache.iterdir())) >= 2 * 3 + 2  # feed entries and archive months at least
    save(config.store_path, [sample_briefing(dt.date(2026, 2, 4), title_suffix="（更正）")])
    both()
    save(config.store_path, [sample_briefing(dt.date(2026, 2, 6))])  # a new day: new month block, pager
    both()
    assert not (Releases(fresh_out).root / ".cache" / "fragments").exists()


def test_manifest_round_trip_and_bad_manifests(make_site, tmp_path: Path) -> None:
    config, out = make_site(days_back(2))
    odd = sample_briefing(dt.date(2026, 2, 4), title_suffix=" a\u2028b\tc")
    save(config.store_path, [odd])
    with Store.open(config.store_path) as store:
        report = build_site(store, options_from_config(config), out)
    path = Releases(out).manifest_path(report.release)
    read = manifest.Manifest.read(path)
    assert read.head["version"] == manifest.VERSION and set(read.head) >= {"key", "fingerprint", "search"}
    info = manifest.info_from_text(str(read.info_text("2026-02-04")))
    assert info.titles["en"].endswith(" a\u2028b\tc")
    assert read.record("2026-02-05")["key"] and read.record("2026-01-01") == {}
    whole = path.read_text(encoding="utf-8")
    cut = whole[: whole.rindex("\n", 0, len(whole) - 1) + 1]  # the last day's line lost
    for text in ("", "not json\n", '{"version": 1}\n', '{"version": 2}\nbad line\n', whole[:-100], cut):
        path.write_text(text, encoding="utf-8")
        assert manifest.Manifest.read(path).head == {}
    save(config.store_path, [sample_briefing(dt.date(2026, 2, 5), title_suffix="（更正）")])
    with Store.open(config.store_path) as store:  # no usable manifest: every day again
        assert build_site(store, options_from_config(config), out).rendered == days_back(2)


def test_a_one_day_change_parses_only_what_its_pages_show(make_site, monkeypatch) -> None:
    """An old day changed: its month, the newest day (the index's top) and the days of the
    stance history are read; the other months' days stay text."""
    from briefing.publish import pages

    monkeypatch.setattr(pages, "HISTORY_SPAN", 4)
    config, out = make_site([dt.date(2026, 2, 5) - dt.timedelta(days=7 * i) for i in range(12)][::-1])
    with Store.open(config.store_path) as store:
        build_site(store, options_from_config(config), out)
    parsed: list[str] = []
    real = manifest.info_from_text
    monkeypatch.setattr(manifest, "info_from_text", lambda text: parsed.append(text) or real(text))
    changed = dt.date(2026, 2, 5) - dt.timedelta(days=7 * 11)  # 2025-11-20
    save(config.store_path, [sample_briefing(changed, title_suffix="（更正）")])
    with Store.open(config.store_path) as store:
        report = build_site(store, options_from_config(config), out)
    assert report.rendered == [changed]
    shown = {real(text).date for text in parsed}
    assert dt.date(2025, 12, 4) not in shown  # in an unchanged month, before the history
    assert dt.date(2026, 2, 5) in shown
    assert "（更正）" in (out / "zh" / "index.html").read_text(encoding="utf-8")


def test_a_recycled_release_never_touches_the_live_one(make_site, tmp_path: Path) -> None:
    """The third build is made in the first one's folder: the live (second) release's files,
    many of them the same inodes, are unchanged; leftovers are gone; the result is what a
    build in an empty folder gives."""
    config, out = make_site([dt.date(2026, 1, 30), *days_back(3)])
    releases = Releases(out)
    options = options_from_config(config)

    def build() -> Path:
        with Store.open(config.store_path) as store:
            release = build_site(store, options, out).release
        assert release is not None
        return release

    first = build()
    save(config.store_path, [sample_briefing(dt.date(2026, 2, 4), title_suffix="（更正）")])
    live = build()
    before = _digest(live)
    for leftover in ("en/2025-12-01/index.html", "en/2026-02-05/old.html", "pagefind/en/2025-12/x.js"):
        (first / leftover).parent.mkdir(parents=True, exist_ok=True)
        (first / leftover).write_text("left over")
    folder = (first / "en" / "2026-01-30").stat().st_ino
    save(config.store_path, [sample_briefing(dt.date(2026, 2, 3), title_suffix="（更正）"),
                             sample_briefing(dt.date(2026, 2, 6))])
    third = build()
    assert (third / "en" / "2026-01-30").stat().st_ino == folder  # made in the first one's folder
    assert not first.exists() and third.name != first.name and releases.current() == third
    assert _digest(live) == before  # the release that was live while the third was made
    cold = tmp_path / "cold" / "out"
    with Store.open(config.store_path) as store:
        build_site(store, options, cold)

    def pages(digest: dict[str, str]) -> dict[str, str]:  # the feeds date the corrections
        return {k: v for k, v in digest.items() if not k.endswith("feed.xml")}

    assert pages(_digest(out)) == pages(_digest(cold))
    assert not (third / "en" / "2025-12-01").exists() and not (third / "pagefind" / "en" / "2025-12").exists()
