"""The seeds (third-party articles, read from ../shared/seeds) through the whole pipeline."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from briefing.analyse import analyse_day
from briefing.analyse.reasoner.knowledge import event_book
from briefing.config import Config
from briefing.model import Briefing, Item

from .helpers import SEEDS, SHANGHAI, read_local

# seed prefix → (briefing date, the section it belongs in, expected impact (target, stance))
CASES = {
    "000": (dt.date(2023, 10, 27), "geopolitics", ("hk_stocks", {"bullish", "lean_bullish"})),
    "001": (None, "geopolitics", None),
    "003": (dt.date(2018, 11, 1), "geopolitics", ("us_stocks", {"bullish", "lean_bullish"})),
    "004": (dt.date(2025, 6, 12), "geopolitics", ("rare_earths", {"bullish", "lean_bullish"})),
}


def _seed(prefix: str) -> Path:
    if not SEEDS.is_dir():
        pytest.skip("seeds not present")
    found = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    if not found:
        pytest.skip(f"seed {prefix} not present")
    return found[0]


def _build(prefix: str) -> tuple[Briefing, str]:
    path = _seed(prefix)
    date, _, _ = CASES[prefix]
    now = dt.datetime.combine(date or dt.date(2021, 11, 17), dt.time(7, 0), tzinfo=SHANGHAI)
    article = read_local(path, f"seed{prefix}", now)
    if date is None:  # a research note without a date: it counts as seen at `now`
        date = now.date()
    briefing = analyse_day([article], date, Config(), clock=now)
    return briefing, re.sub(r"\s+", "", article.text_norm + "\n" + article.title_norm)


@pytest.mark.parametrize("prefix", sorted(CASES))
def test_seed_gives_one_item_in_the_right_section(prefix: str) -> None:
    briefing, text = _build(prefix)
    items = briefing.items()
    assert len(items) == 1
    section = next(s for s in briefing.sections if s.items)
    assert section.key == CASES[prefix][1]
    item = items[0]
    assert 2 <= len(item.key_points) <= 6
    assert_nothing_invented(item, text)
    for point in item.key_points:
        assert point.zh and not point.en
        # every key point is the article's own words (trimmed at a clause boundary)
        assert re.sub(r"\s+", "", point.zh.rstrip("…")) in text


def test_seed_004_has_no_related_links_stories() -> None:
    briefing, _ = _build("004")
    joined = " ".join(p.zh for p in briefing.items()[0].key_points)
    for leak in ("审计署", "冯德莱恩", "TikTok", "英镑", "建行", "公积金", "白银回收"):
        assert leak not in joined


def test_seed_001_has_no_chart_captions() -> None:
    briefing, _ = _build("001")
    for point in briefing.items()[0].key_points:
        assert not point.zh.startswith(("图表", "资料来源", "风险提示"))
        assert "粤开证券研究院" not in point.zh


def test_seed_003_text_is_simplified() -> None:
    briefing, _ = _build("003")
    item = briefing.items()[0]
    for text in [item.title.zh, *(p.zh for p in item.key_points), *(i.reason.zh for i in item.impacts)]:
        for traditional in "習電話與們國點貿韓":
            assert traditional not in text


@pytest.mark.parametrize("prefix", ["000", "003", "004"])
def test_seed_impact_has_evidence_in_text(prefix: str) -> None:
    briefing, text = _build(prefix)
    target, stances = CASES[prefix][2]  # type: ignore[misc]
    impacts = {i.target_key: i for i in briefing.items()[0].impacts}
    assert target in impacts, impacts
    impact = impacts[target]
    assert impact.stance in stances
    assert impact.stance_text.zh and impact.stance_text.en
    for other in impacts.values():  # every tag, not just the expected one, has its evidence
        assert other.rule
        assert re.sub(r"\s+", "", other.evidence.zh.rstrip("…")) in text
        if other.rule.startswith("move."):  # the target's own words, one fragment per move
            for fragment in other.reason.zh.split("；"):
                assert re.sub(r"\s+", "", fragment.rstrip("…")) in text
        elif other.rule == "mixed":  # 多空交织：{a rule's line}；但{another's}
            up, down = other.reason.zh.removeprefix("多空交织：").split("；但")
            assert {up, down} <= rule_lines()
        else:
            assert other.reason.zh in rule_lines()


def rule_lines() -> set[str]:
    book = event_book()
    return {r.zh for e in book.events.values() for o in e.outcomes.values() for r in o.impacts}


def assert_nothing_invented(item: Item, text: str) -> None:
    """Every insight is a rule's template, the story's own context, or a source's words."""
    assert len(item.insight_basis) == len(item.insights)
    for insight, basis in zip(item.insights, item.insight_basis, strict=True):
        if basis.startswith("rule:move."):  # a reactions template filled with tag names
            reactions = event_book().reactions
            shapes = [re.escape(t.zh).replace(r"\{up\}", ".+").replace(r"\{down\}", ".+")
                      .replace(r"\{both\}", ".+")
                      for t in (reactions.up, reactions.down, reactions.mixed, reactions.both)]
            assert any(re.fullmatch(shape, insight.zh) for shape in shapes), insight.zh
        elif basis.startswith("rule:"):
            event, outcome = basis[5:].split(".")
            chain = event_book().rule(event, outcome).insight.zh
            # an event read both ways: 信号相反：{this chain}；但{the opposite one}
            assert insight.zh == chain or insight.zh.startswith(f"信号相反：{chain}；但"), insight.zh
        elif basis.startswith("source:"):
            quoted = insight.zh.split("：", 1)[1].rstrip("…")
            for part in re.split(r"[，]", quoted):  # 幅度：实际X，预期Y quotes two figures
                assert re.sub(r"^(实际|预期|前值)", "", re.sub(r"\s+", "", part)) in text
        else:
            assert basis == "story"
