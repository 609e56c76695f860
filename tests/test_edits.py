"""Editorial overrides (issue 4 item 10): edits/YYYY-MM-DD.yaml applied to the model."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from briefing.analyse.edits import apply_edits, edits_path, load_edits
from briefing.errors import ConfigError
from briefing.model import Briefing, Impact, Item, Section, Text

DAY = dt.date(2026, 2, 5)


def item(id: str, zh: str, en: str = "") -> Item:
    return Item(
        id=id,
        title=Text(zh=zh, en=en),
        key_points=[Text(zh=f"{zh}要点一", en="point one"), Text(zh=f"{zh}要点二", en="point two")],
        insights=[Text(zh="旧解读", en="old insight")],
        impacts=[
            Impact(
                target=Text(zh="黄金", en="Gold"),
                target_key="gold",
                stance="bullish",
                reason=Text(zh="金价上涨。"),
            )
        ],
    )


@pytest.fixture
def briefing() -> Briefing:
    return Briefing(
        date=DAY,
        title=Text(zh="美联储降息", en="Fed cuts"),
        summary=[Text(zh="一"), Text(zh="二")],
        sections=[
            Section(
                key="markets",
                title=Text(zh="金融市场与宏观经济", en="Markets & Macro"),
                items=[item("a1", "甲"), item("b2", "乙"), item("c3", "丙")],
            ),
            Section(
                key="industry",
                title=Text(zh="行业趋势与科技创新", en="Industry"),
                items=[item("d4", "丁")],
            ),
            Section(
                key="more",
                title=Text(zh="更多动态", en="More"),
                brief=True,
                items=[item("e5", "戊")],
            ),
        ],
    )


def write(tmp_path: Path, text: str, date: dt.date = DAY) -> Path:
    path = edits_path(tmp_path, date)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def layout(briefing: Briefing) -> list[tuple[str, list[str]]]:
    return [(s.key, [i.id for i in s.items]) for s in briefing.sections]


def test_pin_drop_reorder_and_move(tmp_path: Path, briefing: Briefing) -> None:
    path = write(
        tmp_path,
        """
items:
  c3: {pin: true}
  a1: {drop: true}
  e5: {section: china}
  d4: {section: markets, position: 2}
""",
    )
    out = apply_edits(briefing, path)
    # industry lost its only item and is left out; china is created in taxonomy order
    assert layout(out) == [
        ("markets", ["c3", "d4", "b2"]),
        ("china", ["e5"]),
    ]
    assert out.sections[1].title == Text(zh="中国国内动态", en="China")
    assert layout(briefing)[0] == ("markets", ["a1", "b2", "c3"])  # the input is untouched


def test_pins_keep_file_order_and_win_over_position(tmp_path: Path, briefing: Briefing) -> None:
    path = write(tmp_path, "items:\n  c3: {pin: true}\n  b2: {pin: true, position: 3}\n")
    assert layout(apply_edits(briefing, path))[0] == ("markets", ["c3", "b2", "a1"])


def test_rewrite_any_field_in_either_language(tmp_path: Path, briefing: Briefing) -> None:
    path = write(
        tmp_path,
        """
title: 中美通话与科技股重挫
summary: [美联储降息, Tech stocks slump]
items:
  b2:
    title: {en: Fed cuts rates by 25 bp}
    time: 2026-02-05 07:30
    key_points: [新要点一, {zh: 新要点二, en: new point two}]
    insights: {1: {en: A better insight.}}
    impacts: {1: {stance: 中性偏多, reason: {en: Gold edged up.}}}
    add_insights: [降息周期或将延长。]
    add_impacts:
      - {target: 原油, stance: Short-term bearish, reason: 需求预期走弱。}
      - {target: 对投资者, stance: 中性}
""",
    )
    out = apply_edits(briefing, path)
    assert out.title == Text(zh="中美通话与科技股重挫", en="Fed cuts")
    assert out.summary == [Text(zh="美联储降息"), Text(en="Tech stocks slump")]
    b2 = out.sections[0].items[1]
    assert b2.title == Text(zh="乙", en="Fed cuts rates by 25 bp")
    assert b2.time == dt.datetime(2026, 2, 5, 7, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    assert b2.key_points == [Text(zh="新要点一"), Text(zh="新要点二", en="new point two")]
    assert b2.insights == [Text(zh="旧解读", en="A better insight."), Text(zh="降息周期或将延长。")]
    gold, oil, investors = b2.impacts
    assert (gold.stance, gold.stance_text.zh, gold.reason) == (
        "lean_bullish",
        "中性偏多",
        Text(zh="金价上涨。", en="Gold edged up."),
    )
    assert (oil.target, oil.target_key, oil.stance, oil.horizon) == (
        Text(zh="原油", en="Crude oil"),
        "crude_oil",
        "bearish",
        "short",
    )
    assert (investors.target, investors.target_key, investors.stance) == (
        Text(zh="对投资者"),
        None,
        "neutral",
    )
    Briefing.model_validate(out.model_dump())  # still a valid model
    assert out.sections[0].items[0] == briefing.sections[0].items[0]


def test_an_edited_briefing_round_trips_through_json(tmp_path: Path, briefing: Briefing) -> None:
    path = write(tmp_path, "items:\n  a1: {add_insights: [值得关注。], pin: true}\n")
    out = apply_edits(briefing, path)
    assert Briefing.from_json(out.to_json()) == out


def test_a_missing_or_empty_file_changes_nothing(tmp_path: Path, briefing: Briefing) -> None:
    assert apply_edits(briefing, tmp_path / "edits" / "2026-02-05.yaml") is briefing
    assert apply_edits(briefing, write(tmp_path, "# nothing yet\n")) == briefing


def test_unknown_keys_name_the_file_line_and_a_suggestion(tmp_path: Path) -> None:
    path = write(tmp_path, "items:\n  a1:\n    pin: true\n    titel: {zh: 新标题}\n")
    with pytest.raises(ConfigError) as info:
        load_edits(path)
    message = str(info.value)
    assert str(path) in message
    assert "line 4: items.a1.titel: unknown key; did you mean 'title'?" in message


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "items:\n  a1: {dorp: true}\n  b2:\n    add_impacts: [{target: 黄金, stance: Bulish}]\n    position: 0\n",
    )
    with pytest.raises(ConfigError) as info:
        load_edits(path)
    message = str(info.value)
    assert "line 2: items.a1.dorp: unknown key; did you mean 'drop'?" in message
    assert (
        "items.b2.add_impacts.0.stance: unknown stance 'Bulish'; did you mean 'Bullish'?" in message
    )
    assert "line 5: items.b2.position: Input should be greater than or equal to 1" in message


def test_a_list_or_an_index_mapping_is_required_for_lists(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"items\.a1\.key_points\.x"):
        load_edits(write(tmp_path, "items:\n  a1: {key_points: {x: 新要点}}\n"))


def test_unknown_items_and_sections_suggest_the_fix(tmp_path: Path, briefing: Briefing) -> None:
    path = write(tmp_path, "items:\n  b22: {pin: true}\n  c3: {section: market}\n")
    with pytest.raises(ConfigError) as info:
        apply_edits(briefing, path)
    message = str(info.value)
    assert "items.b22: no item with this id on 2026-02-05; did you mean 'b2'?" in message
    assert "items.c3.section: unknown section 'market'; did you mean 'markets'?" in message


def test_an_edits_file_for_another_day_is_refused(tmp_path: Path, briefing: Briefing) -> None:
    path = write(tmp_path, "items: {}\n", date=dt.date(2026, 2, 4))
    with pytest.raises(ConfigError, match="another day.*2026-02-05.yaml"):
        apply_edits(briefing, path)


def test_invalid_yaml_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_edits(write(tmp_path, "items: [\n"))
    with pytest.raises(ConfigError, match="must hold a mapping"):
        load_edits(write(tmp_path, "- a1\n"))


def test_numeric_ids_are_read_as_strings(tmp_path: Path) -> None:
    edits = load_edits(write(tmp_path, "items:\n  20260205: {drop: true}\n"))
    assert list(edits.items) == ["20260205"]
