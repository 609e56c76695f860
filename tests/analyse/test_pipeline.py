"""The pipeline's contract: window, determinism, no invention, caps, history, the store shell."""

from __future__ import annotations

import datetime as dt
import itertools
import os
import time
from pathlib import Path

import pytest
import yaml

from briefing.analyse import analyse_day, build_briefing, day_window
from briefing.analyse.stories.cluster import canonical_url
from briefing.config import Config
from briefing.model import Briefing

from .helpers import SAMPLES, SHANGHAI, make_article, sample_articles

DATE = dt.date(2026, 2, 5)
CLOCK = dt.datetime(2026, 2, 5, 9, 0, tzinfo=SHANGHAI)


@pytest.mark.parametrize("tz", ["UTC", "Asia/Tokyo", "America/New_York"])
def test_day_window_ignores_host_tz(monkeypatch: pytest.MonkeyPatch, tz: str) -> None:
    monkeypatch.setenv("TZ", tz)
    time.tzset()
    try:
        start, end = day_window(DATE, "Asia/Shanghai", "08:00")
    finally:
        monkeypatch.undo()
        time.tzset()
    assert start.isoformat() == "2026-02-04T08:00:00+08:00"
    assert end.isoformat() == "2026-02-05T08:00:00+08:00"
    assert end.astimezone(dt.UTC) == dt.datetime(2026, 2, 5, 0, 0, tzinfo=dt.UTC)


def test_day_window_on_a_dst_change_is_the_local_day() -> None:
    start, end = day_window(dt.date(2026, 3, 8), "America/New_York", "06:00")
    assert end.astimezone(dt.UTC) - start.astimezone(dt.UTC) == dt.timedelta(hours=23)
    assert (start.hour, end.hour) == (6, 6)


def test_window_edges_assign_articles_to_one_day() -> None:
    inside = make_article("美联储维持利率不变", "美联储宣布维持利率不变。", published="2026-02-05T07:59:00+08:00")
    at_end = make_article("欧洲央行降息", "欧洲央行宣布降息25个基点。", published="2026-02-05T08:00:00+08:00")
    near_midnight = make_article(
        "Fed holds rates", "The Fed held rates steady on Wednesday, officials said in a statement.",
        lang="en", published="2026-02-04T23:30:00-05:00",  # 12:30 on the 5th in Shanghai
    )
    b = analyse_day([inside, at_end, near_midnight], DATE, Config(), clock=CLOCK)
    ids = {s.article_id for item in b.items() for s in item.sources}
    assert ids == {inside.id}


def test_same_input_gives_byte_identical_briefing() -> None:
    articles = sample_articles()
    first = analyse_day(articles, DATE, Config(), clock=CLOCK).to_json()
    again = analyse_day(list(reversed(articles)), DATE, Config(), clock=CLOCK + dt.timedelta(hours=5))
    assert again.to_json() == first


def test_article_without_market_words_yields_no_impacts() -> None:
    article = make_article(
        "市图书馆延长开放时间",
        "市图书馆宣布自下周起延长周末开放时间至晚上九点。馆方表示，此举是为了方便上班族借阅图书。"
        "新的安排将持续到今年年底，届时将根据读者反馈决定是否继续。",
    )
    b = analyse_day([article], DATE, Config(), clock=CLOCK)
    item = b.items()[0]
    assert item.impacts == [] and item.insights == []


def test_negated_move_is_no_evidence() -> None:
    article = make_article(
        "人民币汇率保持稳定",
        "在美元走强的背景下，人民币并未出现明显贬值。分析人士表示，人民币汇率在合理均衡水平上保持基本稳定。",
    )
    impacts = analyse_day([article], DATE, Config(), clock=CLOCK).items()[0].impacts
    assert "cny" not in {i.target_key for i in impacts}


def test_links_come_only_from_sources_and_sources_are_complete() -> None:
    b = analyse_day(sample_articles(), DATE, Config(), clock=CLOCK)
    for item in b.items():
        urls = {s.url for s in item.sources}
        assert item.url in urls
        assert all(s.article_id and s.name for s in item.sources)


def test_sample_stories_match_the_manifest() -> None:
    manifest = yaml.safe_load((SAMPLES / "manifest.yaml").read_text(encoding="utf-8"))
    by_url = {canonical_url(e["url"]): (e["event"] or e["file"]) for e in manifest["articles"]}
    b = analyse_day(sample_articles(), DATE, Config(), clock=CLOCK)
    predicted = {canonical_url(s.url): item.id for item in b.items() for s in item.sources}
    pairs = list(itertools.combinations(sorted(predicted), 2))
    tp = sum(predicted[a] == predicted[b] and by_url[a] == by_url[b] for a, b in pairs)
    fp = sum(predicted[a] == predicted[b] and by_url[a] != by_url[b] for a, b in pairs)
    fn = sum(predicted[a] != predicted[b] and by_url[a] == by_url[b] for a, b in pairs)
    assert tp / (tp + fp) >= 0.9
    assert tp / (tp + fn) >= 0.7
    # articles published before the window are not in the briefing
    previous = {canonical_url(e["url"]) for e in manifest["articles"] if e.get("window") == "previous"}
    assert not previous & set(predicted)


def test_sections_are_capped_and_overflow_goes_to_more() -> None:
    config = Config.model_validate({"analysis": {"max_items_per_section": 2, "max_brief_items": 3}})
    b = analyse_day(sample_articles(), DATE, config, clock=CLOCK)
    for section in b.sections:
        assert len(section.items) <= (3 if section.brief else 2)
        if section.brief:
            assert all(not i.key_points and not i.impacts for i in section.items)
    assert [s.key for s in b.sections] == [
        k for k in ("geopolitics", "markets", "industry", "china", "more")
        if k in {s.key for s in b.sections}
    ]
    assert 1 <= len(b.summary) <= 8 and b.title.zh


def test_empty_day_gives_an_explicit_empty_briefing() -> None:
    b = analyse_day([], DATE, Config(), clock=CLOCK)
    assert b.sections == [] and b.title.zh and b.summary == []


def test_published_story_is_dropped_unless_it_has_new_facts() -> None:
    day1 = make_article("英伟达发布新一代芯片", "英伟达周二发布新一代AI芯片，性能提升30%。黄仁勋表示将于下半年量产。",
                        published="2026-02-03T20:00:00+08:00")
    yesterday = analyse_day([day1], dt.date(2026, 2, 4), Config(), clock=CLOCK)
    same = make_article("英伟达发布新一代芯片", "英伟达周二发布新一代AI芯片，性能提升30%。黄仁勋表示将于下半年量产。",
                        source="other", published="2026-02-04T20:00:00+08:00")
    assert analyse_day([same], DATE, Config(), published=[yesterday], clock=CLOCK).items() == []
    newer = make_article("英伟达发布新一代芯片 首批订单达120亿美元",
                         "英伟达新一代AI芯片首批订单金额达120亿美元。黄仁勋表示量产时间提前至三季度。",
                         source="third", published="2026-02-04T21:00:00+08:00")
    items = analyse_day([newer], DATE, Config(), published=[yesterday], clock=CLOCK).items()
    assert len(items) == 1 and items[0].follow_up


class FakeStore:
    """The two calls the pipeline makes, over plain data."""

    def __init__(self, articles: list, briefings: dict[dt.date, str]) -> None:
        self.articles = articles
        self.briefings = briefings
        self.asked: list[tuple[dt.datetime, dt.datetime]] = []

    def articles_between(self, start: dt.datetime, end: dt.datetime) -> list:
        self.asked.append((start, end))
        return [a for a in self.articles if start <= a.published < end]

    def load_briefing(self, date: dt.date) -> str | None:
        return self.briefings.get(date)


def test_build_briefing_reads_the_window_and_is_stable(tmp_path: Path) -> None:
    store = FakeStore(sample_articles(), {})
    config = Config()
    first = build_briefing(config, store, DATE, clock=CLOCK, edits_dir=tmp_path)
    assert store.asked[0] == day_window(DATE, "Asia/Shanghai", "08:00")
    again = build_briefing(config, store, DATE, clock=CLOCK, edits_dir=tmp_path)
    assert again.to_json() == first.to_json()
    assert Briefing.from_json(first.to_json()) == first


def test_build_briefing_drops_yesterdays_stories(tmp_path: Path) -> None:
    articles = sample_articles()
    yesterday = analyse_day(articles, DATE, Config(), clock=CLOCK)
    shifted = [
        a.__class__(**{**a.__dict__, "published": a.published + dt.timedelta(days=1),
                       "id": a.id + "-next"})
        for a in articles
    ]
    store = FakeStore(shifted, {DATE: yesterday.to_json()})
    today = build_briefing(Config(), store, DATE + dt.timedelta(days=1), clock=CLOCK + dt.timedelta(days=1),
                           edits_dir=tmp_path)
    assert len(today.items()) < len(yesterday.items()) // 2


def test_build_briefing_applies_edits_when_present(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sys
    import types

    calls = []
    module = types.ModuleType("briefing.analyse.edits")
    module.apply_edits = lambda b, p: calls.append(p) or b  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "briefing.analyse.edits", module)
    (tmp_path / f"{DATE.isoformat()}.yaml").write_text("drop: []\n", encoding="utf-8")
    build_briefing(Config(), FakeStore([], {}), DATE, clock=CLOCK, edits_dir=tmp_path)
    assert calls == [tmp_path / f"{DATE.isoformat()}.yaml"]


def test_tz_env_does_not_change_the_briefing(monkeypatch: pytest.MonkeyPatch) -> None:
    articles = sample_articles()
    base = analyse_day(articles, DATE, Config(), clock=CLOCK).to_json()
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    time.tzset()
    try:
        assert analyse_day(articles, DATE, Config(), clock=CLOCK).to_json() == base
    finally:
        monkeypatch.undo()
        time.tzset()
    assert os.environ.get("TZ") != "Asia/Tokyo"


def test_a_full_item_with_nothing_but_its_title_becomes_a_headline_and_the_next_story_moves_up() -> None:
    config = Config.model_validate({"analysis": {"max_items_per_section": 1, "min_item_score": 0}})
    bare = make_article("Germany pledges support for Lebanon after peacekeepers leave",
                        "Germany will keep supporting Lebanon, its president said, after the…",
                        lang="en", source="a", published="2026-02-05T06:00:00+08:00")
    rich = make_article("Lebanon asks donors for reconstruction funds",
                        "Lebanon asked donors on Wednesday for 3.2 billion dollars to rebuild roads and "
                        "power lines damaged in the south last year.",
                        lang="en", source="b", published="2026-02-05T05:00:00+08:00")
    day = analyse_day([bare, rich], dt.date(2026, 2, 5), config,
                      clock=dt.datetime(2026, 2, 5, 12, tzinfo=SHANGHAI))
    full = [i.title.en for s in day.sections if not s.brief for i in s.items]
    briefs = [i.title.en for s in day.sections if s.brief for i in s.items]
    assert full == ["Lebanon asks donors for reconstruction funds"]
    assert briefs == ["Germany pledges support for Lebanon after peacekeepers leave"]


def test_a_verb_that_holds_a_cue_does_not_place_a_story() -> None:
    from briefing.analyse.base import Story
    from briefing.analyse.classify import classify
    from briefing.analyse.lexicon import lexicon
    from briefing.analyse.pipeline import taxonomy

    sections = taxonomy(Config.model_validate({}).analysis)

    def section_of(title: str) -> str:
        article = make_article(title, "A short clip from a morning show.", lang="en")
        return classify(Story(id="s", articles=(article,), section="", score=1.0), lexicon(), sections)

    assert section_of("Coach shares how a childhood injury shaped her training") != "markets"
    assert section_of("Shares fell sharply as the chipmaker cut its outlook") == "markets"
