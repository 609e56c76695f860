"""The answer schema: what an LLM answer must be before it is used (RELIABILITY #47)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from briefing.analyse.llm.schema import (
    BUILTIN_TARGETS,
    AnswerError,
    load_targets,
    parse_headline_answer,
    parse_story_answer,
    resolve_stance,
)
from tests.helpers.llm_stories import HEADLINE_ANSWER, fed_answer


def parse(answer: Any, **kwargs: Any) -> Any:
    text = answer if isinstance(answer, str) else json.dumps(answer, ensure_ascii=False)
    return parse_story_answer(text, BUILTIN_TARGETS, **kwargs)


def test_a_valid_answer_is_checked_and_normalised() -> None:
    checked = parse(fed_answer())
    assert checked.title == ("美联储降息25个基点", "Fed cuts rates by 25 basis points")
    assert len(checked.key_points) == 2
    gold, usd = checked.impacts
    assert (gold.target.key, gold.stance, gold.horizon) == ("gold", "bullish", None)
    assert (usd.target.key, usd.stance, usd.horizon) == ("usd", "bearish", "short")
    assert (usd.stance_zh, usd.stance_en) == ("短期利空", "Short-term bearish")


def test_targets_resolve_by_key_name_or_alias_and_stances_by_any_wording() -> None:
    impacts = [
        {"target": "Gold", "stance": "Bullish", "reason": {"zh": "金价上涨。", "en": "Gold rose."}},
        {
            "target": "原油",
            "stance": "lean_bearish",
            "reason": {"zh": "油价下跌。", "en": "Oil fell."},
        },
    ]
    checked = parse(fed_answer(impacts=impacts))
    assert [(i.target.key, i.stance, i.stance_zh) for i in checked.impacts] == [
        ("gold", "bullish", "利多"),
        ("crude_oil", "lean_bearish", "中性偏空"),
    ]
    assert resolve_stance("中性偏鸽") is not None
    assert resolve_stance("to the moon") is None


def test_one_impact_per_target() -> None:
    impact = {
        "target": "gold",
        "stance": "利多",
        "reason": {"zh": "金价上涨。", "en": "Gold rose."},
    }
    assert len(parse(fed_answer(impacts=[impact, impact])).impacts) == 1


def test_a_fenced_answer_is_read_and_unknown_keys_are_ignored() -> None:
    answer = fed_answer(sources=[{"url": "http://evil.example"}], url="http://evil.example")
    checked = parse("```json\n" + json.dumps(answer, ensure_ascii=False) + "\n```")
    assert "evil" not in repr(checked)


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        ("{not json", "invalid JSON"),
        ("[1, 2]", "invalid JSON"),
        ({"headline": "x"}, "schema: title"),
        (fed_answer(key_points="many"), "schema: key_points"),
        (fed_answer(key_points=fed_answer()["key_points"][:1]), "schema: key_points"),
        (fed_answer(key_points=fed_answer()["key_points"] * 4), "schema: key_points"),
        (fed_answer(title={"zh": "美" * 81, "en": "Fed"}), "schema: title.zh"),
        (fed_answer(title={"zh": "美联储降息"}), "schema: title.en"),
        (fed_answer(title={"zh": "Fed cuts rates", "en": "Fed cuts rates"}), "wrong language"),
        (fed_answer(title={"zh": "美联储降息", "en": "美联储降息"}), "wrong language"),
        (
            fed_answer(title={"zh": "美联储降息 见 https://evil.example", "en": "Fed cuts"}),
            "schema: title.zh",
        ),
    ],
)
def test_bad_answers_are_refused_with_a_reason(answer: Any, reason: str) -> None:
    with pytest.raises(AnswerError) as info:
        parse(answer)
    assert info.value.reason == reason


def test_an_unknown_target_is_refused_never_invented() -> None:
    impact = {
        "target": "TSLA",
        "stance": "利多",
        "reason": {"zh": "特斯拉上涨。", "en": "Tesla rose."},
    }
    with pytest.raises(AnswerError) as info:
        parse(fed_answer(impacts=[impact]))
    assert info.value.reason == "unknown target 'TSLA'"


def test_an_unknown_stance_is_refused() -> None:
    impact = {
        "target": "gold",
        "stance": "to the moon",
        "reason": {"zh": "金价上涨。", "en": "Gold rose."},
    }
    with pytest.raises(AnswerError) as info:
        parse(fed_answer(impacts=[impact]))
    assert info.value.reason == "unknown stance 'to the moon'"


def test_a_brief_item_needs_only_a_title() -> None:
    checked = parse({"title": fed_answer()["title"], "key_points": []}, brief=True)
    assert checked.title[0] == "美联储降息25个基点"


def test_headline_answers() -> None:
    checked = parse_headline_answer(json.dumps(HEADLINE_ANSWER, ensure_ascii=False))
    assert checked.title == ("美联储降息提振金价", "Fed cut lifts gold")
    with pytest.raises(AnswerError):
        parse_headline_answer(json.dumps({"title": HEADLINE_ANSWER["title"], "summary": []}))


def test_the_allowlist_reads_the_assets_file_in_either_layout() -> None:
    listed = load_targets(
        "assets:\n  - {key: gold, zh: 黄金, en: Gold, aliases: [金价, bullion]}\n"
        "  - {key: broken}\n"
    )
    assert len(listed) == 1
    assert listed.resolve("BULLION") is not None and listed.resolve("金价") is not None
    mapping = load_targets("oil: {zh: 原油, en: Crude oil, aliases: {zh: [油价], en: [WTI]}}\n")
    target = mapping.resolve("wti")
    assert target is not None and target.key == "oil"


def test_an_unreadable_assets_file_falls_back_to_the_builtin_list() -> None:
    assert load_targets(": [") is BUILTIN_TARGETS
    assert load_targets("just text") is BUILTIN_TARGETS


def test_the_project_assets_file_loads() -> None:
    targets = load_targets()
    assert targets.resolve("黄金") is not None
    assert targets.resolve("稀土") is not None
