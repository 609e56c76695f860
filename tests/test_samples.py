"""The bundled offline samples: the sample briefing and the sample articles."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

from briefing.knowledge import stance_vocabulary
from briefing.model import Briefing, Impact, Text

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
BRIEFING_JSON = SAMPLES / "briefing-2026-02-05.json"
ARTICLES = SAMPLES / "articles"
DAY_DIR = ARTICLES / "2026-02-05"
MANIFEST = ARTICLES / "manifest.yaml"

TZ = dt.timezone(dt.timedelta(hours=8))
WINDOW_START = dt.datetime(2026, 2, 4, 8, 0, tzinfo=TZ)
WINDOW_END = dt.datetime(2026, 2, 5, 8, 0, tzinfo=TZ)
MAIN_SECTIONS = ["geopolitics", "markets", "industry", "china"]
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def raw() -> str:
    return BRIEFING_JSON.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def briefing(raw: str) -> Briefing:
    return Briefing.from_json(raw)


def _texts(briefing: Briefing) -> list[tuple[str, Text]]:
    """Every Text that must be filled in both languages, with a label for messages."""
    out: list[tuple[str, Text]] = [("title", briefing.title), ("category", briefing.category)]
    out += [(f"tag[{i}]", t) for i, t in enumerate(briefing.tags)]
    out += [(f"summary[{i}]", t) for i, t in enumerate(briefing.summary)]
    for section in briefing.sections:
        out.append((f"{section.key}.title", section.title))
        for item in section.items:
            out.append((f"{item.id}.title", item.title))
            out += [(f"{item.id}.key_points[{i}]", t) for i, t in enumerate(item.key_points)]
            out += [(f"{item.id}.insights[{i}]", t) for i, t in enumerate(item.insights)]
            for i, impact in enumerate(item.impacts):
                out.append((f"{item.id}.impacts[{i}].target", impact.target))
                out.append((f"{item.id}.impacts[{i}].reason", impact.reason))
                if impact.stance != "none":
                    out.append((f"{item.id}.impacts[{i}].stance_text", impact.stance_text))
    return out


# --- the sample briefing ---------------------------------------------------------------


def test_briefing_loads(briefing: Briefing) -> None:
    assert briefing.date == dt.date(2026, 2, 5)
    assert briefing.timezone == "Asia/Shanghai"
    assert briefing.category == Text(zh="经济日报", en="Daily Economic Briefing")
    assert briefing.tags and briefing.seo


def test_briefing_round_trips_losslessly(raw: str, briefing: Briefing) -> None:
    assert briefing.to_json() == raw
    assert json.loads(Briefing.from_json(briefing.to_json()).to_json()) == json.loads(raw)


def test_sections_in_taxonomy_order(briefing: Briefing) -> None:
    assert [s.key for s in briefing.sections] == [*MAIN_SECTIONS, "more"]
    for section in briefing.sections:
        assert section.items, section.key
        assert section.brief == (section.key == "more")


def test_item_counts(briefing: Briefing) -> None:
    main = [i for s in briefing.sections if not s.brief for i in s.items]
    assert len(main) >= 14
    assert len(briefing.items()) >= 14
    assert 6 <= len(briefing.summary) <= 10
    ids = [i.id for i in briefing.items()]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"2026-02-05-[a-z0-9-]+", i) for i in ids)


def test_main_items_are_complete(briefing: Briefing) -> None:
    for section in briefing.sections:
        if section.brief:
            continue
        for item in section.items:
            assert 2 <= len(item.key_points) <= 6, item.id
            assert len(item.insights) <= 6, item.id
            assert len(item.impacts) <= 3, item.id
            assert 1 <= len(item.sources) <= 3, item.id
            assert item.time is not None and item.time.utcoffset() == dt.timedelta(hours=8)
            assert WINDOW_START <= item.time <= WINDOW_END, item.id
            for source in item.sources:
                assert source.name and source.url and source.title and source.published
                assert source.url.startswith("https://")


def test_brief_items_only_have_a_title(briefing: Briefing) -> None:
    more = briefing.sections[-1]
    assert 3 <= len(more.items) <= 4
    for item in more.items:
        assert item.title.zh and item.title.en
        assert not (item.key_points or item.insights or item.impacts or item.sources)


def test_every_text_is_bilingual(briefing: Briefing) -> None:
    for label, text in _texts(briefing):
        assert text.zh.strip() and text.en.strip(), label
        assert CJK.search(text.zh), f"{label}: zh has no Chinese: {text.zh!r}"
        assert not CJK.search(text.en), f"{label}: en has Chinese: {text.en!r}"


def test_deliberately_absent_fields(briefing: Briefing) -> None:
    main = [i for s in briefing.sections if not s.brief for i in s.items]
    assert any(not i.insights and not i.impacts for i in main)
    impacts = [imp for i in main for imp in i.impacts]
    bare = [imp for imp in impacts if imp.kind == "impact" and imp.stance == "none"]
    assert bare and all(not imp.stance_text for imp in bare)
    notes = [imp for imp in impacts if imp.kind == "note"]
    assert notes
    for note in notes:
        assert note.target == Text(zh="投资启示", en="Takeaway")
        assert note.stance == "none" and not note.stance_text


def test_stance_variety(briefing: Briefing) -> None:
    stances = {imp.stance for i in briefing.items() for imp in i.impacts}
    assert {"bullish", "lean_bullish", "neutral", "lean_bearish", "bearish", "dovish"} <= stances
    assert any(imp.horizon for i in briefing.items() for imp in i.impacts)


def _impacts(briefing: Briefing) -> list[Impact]:
    return [imp for i in briefing.items() for imp in i.impacts]


def test_stance_text_from_vocabulary(briefing: Briefing) -> None:
    vocabulary = stance_vocabulary()
    for impact in _impacts(briefing):
        assert impact.target_key or impact.kind == "note"
        if impact.stance == "none":
            continue
        zh = vocabulary.lookup(impact.stance_text.zh)
        en = vocabulary.lookup(impact.stance_text.en)
        assert zh is not None, impact.stance_text.zh
        assert en is not None, impact.stance_text.en
        assert zh == en, impact.stance_text
        assert zh.stance == impact.stance, impact.stance_text
        assert zh.horizon == impact.horizon, impact.stance_text


# --- the sample articles ---------------------------------------------------------------


def _front_matter(text: str) -> dict:
    match = re.match(r"---\n(.*?)\n---\n", text, re.S)
    assert match, "no front matter"
    data = yaml.safe_load(match.group(1))
    assert isinstance(data, dict)
    return data


def _as_datetime(value: object) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    return dt.datetime.fromisoformat(str(value))


def _txt_metadata(text: str) -> dict:
    lines = text.splitlines()
    assert lines[0].startswith("# "), "first line is not a title"
    bold = re.findall(r"^\*\*(.+?)\*\*\s*$", text, re.M)
    source, stamp, url = bold[:3]
    published = dt.datetime.strptime(stamp, "%Y-%m-%d %H:%M").replace(tzinfo=TZ)
    return {"title": lines[0][2:].strip(), "date": published, "url": url, "source": source}


def _html_metadata(text: str) -> dict:
    def meta(key: str) -> str:
        pattern = r'<meta (?:property|name)="' + re.escape(key) + r'" content="([^"]*)"'
        match = re.search(pattern, text)
        assert match, key
        return html.unescape(match.group(1))

    assert "<article" in text or 'class="article-content"' in text
    return {
        "title": meta("og:title"),
        "date": meta("article:published_time"),
        "url": meta("og:url"),
        "source": meta("source"),
    }


@pytest.fixture(scope="module")
def manifest() -> dict:
    return yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def article_files() -> list[Path]:
    return sorted(p for p in DAY_DIR.iterdir() if p.is_file())


def test_article_files(article_files: list[Path]) -> None:
    assert len(article_files) >= 38
    for path in article_files:
        assert re.fullmatch(r"\d\d-[a-z0-9-]+\.(md|txt|html)", path.name), path.name
    suffixes = Counter(p.suffix for p in article_files)
    assert suffixes[".md"] >= 20 and suffixes[".txt"] >= 3 and suffixes[".html"] >= 2


def test_article_metadata(article_files: list[Path], manifest: dict) -> None:
    by_file = {a["file"]: a for a in manifest["articles"]}
    assert set(by_file) == {f"2026-02-05/{p.name}" for p in article_files}
    for path in article_files:
        entry = by_file[f"2026-02-05/{path.name}"]
        for key in ("title", "date", "url", "source", "lang", "section"):
            assert entry.get(key), (path.name, key)
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".md":
            meta = _front_matter(text)
            assert meta["lang"] == entry["lang"]
        elif path.suffix == ".html":
            meta = _html_metadata(text)
        elif text.startswith("# "):
            meta = _txt_metadata(text)
        else:  # PDF-extracted text: no metadata of its own, the manifest carries it
            assert "资料来源：" in text and re.search(r"图表\d+：", text)
            meta = dict(entry)
        for key in ("title", "date", "url", "source"):
            assert meta.get(key), (path.name, key)
        assert meta["title"] == entry["title"], path.name
        assert meta["url"] == entry["url"], path.name
        assert _as_datetime(meta["date"]) == _as_datetime(entry["date"]), path.name
        published = _as_datetime(entry["date"])
        assert published.utcoffset() == dt.timedelta(hours=8)
        previous = entry.get("window") == "previous"
        assert (published < WINDOW_START) == previous, path.name
        assert published <= WINDOW_END, path.name
        assert entry["section"] in [*MAIN_SECTIONS, "more"]


def test_article_languages(manifest: dict) -> None:
    langs = Counter(a["lang"] for a in manifest["articles"])
    assert langs["zh-Hans"] >= 15 and langs["zh-Hant"] >= 5 and langs["en"] >= 10
    assert len({a["source"] for a in manifest["articles"]}) >= 10


def test_article_bodies(article_files: list[Path]) -> None:
    for path in article_files:
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".md":
            text = re.sub(r"\A---\n.*?\n---\n", "", text, flags=re.S)
        if path.suffix == ".html":
            chunks = re.findall(r"<p>(.*?)</p>", text, re.S)
        else:
            chunks = re.split(r"\n\s*\n", text)
        paragraphs = [p for p in chunks if len(p.strip()) > 40]
        assert len(paragraphs) >= 3, path.name


def test_event_groups(manifest: dict) -> None:
    by_file = {a["file"]: a for a in manifest["articles"]}
    events = manifest["events"]
    assert 6 <= len(events) <= 8
    for event, files in events.items():
        assert 2 <= len(files) <= 4, event
        members = [by_file[f] for f in files]
        assert all(m["event"] == event for m in members)
        assert len({m["source"] for m in members}) == len(members), event
    grouped = {f for files in events.values() for f in files}
    assert {a["file"] for a in manifest["articles"] if a["event"]} == grouped


def test_briefing_sources_are_sample_articles(briefing: Briefing, manifest: dict) -> None:
    urls = {a["url"] for a in manifest["articles"]}
    for item in briefing.items():
        for source in item.sources:
            assert source.url in urls, (item.id, source.url)


def test_stance_lookup_finds_what_a_scan_in_order_finds() -> None:
    vocabulary = stance_vocabulary()

    def scan(wording: str) -> object:
        folded = wording.strip().casefold()
        return next((w for w in vocabulary.stances if folded in (w.zh, w.en.casefold())), None)

    wordings = [w for word in vocabulary.stances for w in (word.zh, word.en)]
    probes = wordings + [w.upper() for w in wordings] + [f" {w} " for w in wordings] + ["", "利", "bull", "明显利多"]
    for probe in probes:
        assert vocabulary.lookup(probe) is scan(probe), probe
