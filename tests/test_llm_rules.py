"""The LLM analyst with the real rules analyst as its fallback, inside the analysis pipeline."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from briefing.analyse.llm.analyst import LLMAnalyst, MemoryCache
from briefing.analyse.llm.client import ChatClient
from briefing.analyse.llm.settings import LLMSettings
from briefing.config import Config
from tests.helpers.fake_llm import FakeLLM, Reply, Request
from tests.helpers.llm_stories import HEADLINE_ANSWER, article, fed_answer, fed_story

pipeline = pytest.importorskip("briefing.analyse.pipeline")
rules = pytest.importorskip("briefing.analyse.rules.analyst")

DAY = dt.date(2026, 2, 5)
CLOCK = dt.datetime(2026, 2, 5, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def server() -> Iterator[FakeLLM]:
    with FakeLLM() as fake:
        yield fake


def responder(request: Request) -> Reply:
    if "top item" in request.user_prompt:
        return Reply.json(HEADLINE_ANSWER)
    return Reply.json(fed_answer())


def llm_analyst(server: FakeLLM, cache: MemoryCache, config: Config) -> LLMAnalyst:
    settings = LLMSettings(
        base_url=server.base_url, model="test-model", read_timeout=0.5, retries=0, backoff=0.01
    )
    fallback = rules.RulesAnalyst(config.analysis, config.settings.timezone)
    return LLMAnalyst(ChatClient(settings), cache, fallback)


def day_articles() -> list[object]:
    story = fed_story()
    other = [
        article(
            "oil-1",
            "国际油价周三大幅下跌，布伦特原油期货收跌3.1%，报每桶72.4美元。"
            "市场担忧需求放缓。欧佩克+表示将维持现有产量政策。",
            title="国际油价大跌3%",
            source="能源观察",
            hour=1,
        ),
        article(
            "chip-1",
            "英伟达股价周三下跌4.2%，费城半导体指数下跌2.8%。"
            "分析师称芯片股估值偏高，资金流向防御板块。",
            title="芯片股集体走低 英伟达跌超4%",
            source="科技日报",
            hour=2,
        ),
    ]
    return [*story.articles, *other]


def test_llm_items_keep_the_rules_analysts_ids_times_and_sources(server: FakeLLM) -> None:
    server.responder = responder
    config = Config()
    fallback = rules.RulesAnalyst(config.analysis, config.settings.timezone)
    story = fed_story()
    analyst = llm_analyst(server, MemoryCache(), config)
    item = analyst.write_item(story, brief=False)
    base = fallback.write_item(story, brief=False)
    assert (item.id, item.time, item.url, item.sources) == (
        base.id,
        base.time,
        base.url,
        base.sources,
    )
    assert item.title.en == "Fed cuts rates by 25 basis points"


def test_a_failing_endpoint_gives_the_rules_analysts_item(server: FakeLLM) -> None:
    server.responder = lambda request: Reply.error(502)
    config = Config()
    story = fed_story()
    analyst = llm_analyst(server, MemoryCache(), config)
    item = analyst.write_item(story, brief=False)
    assert item == rules.RulesAnalyst(config.analysis, config.settings.timezone).write_item(
        story, brief=False
    )
    assert analyst.degraded == ["llm: story s1: HTTP 502"]


def test_a_rebuild_through_the_pipeline_is_byte_identical_and_makes_no_llm_call(
    server: FakeLLM,
) -> None:
    server.responder = responder
    config = Config()
    cache = MemoryCache()
    articles = day_articles()

    def build() -> str:
        analyst = llm_analyst(server, cache, config)
        briefing = pipeline.analyse_day(articles, DAY, config, analyst=analyst, clock=CLOCK)
        analyst.close()
        assert briefing.degraded == []
        return str(briefing.to_json())

    first = build()
    calls = len(server.requests)
    assert calls >= 2  # the stories and the headline
    assert "Fed cut lifts gold" in first
    assert build() == first
    assert len(server.requests) == calls
