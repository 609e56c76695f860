"""Where the reasoner's reasons go: the JSON, the HTML hover, the build report, edits."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import lxml.html
import pytest
from click.testing import CliRunner

from briefing.analyse.edits import apply_edits
from briefing.cli import cli
from briefing.model import Briefing, Impact, Item, Section, Text
from briefing.render.html import render_html
from tests.helpers.fake_llm import FakeLLM, Reply, Request
from tests.helpers.llm_stories import HEADLINE_ANSWER

DATE = "2026-02-05"
SAMPLES = Path(__file__).resolve().parents[2] / "samples"


def _day() -> Briefing:
    impact = Impact(
        target=Text(zh="原油", en="Crude oil"), target_key="crude_oil", stance="bullish",
        stance_text=Text(zh="利多", en="Bullish"), reason=Text(zh="供应收缩", en="Less supply"),
        rule="oil_supply.cut", evidence=Text(zh="欧佩克+同意每日减产50万桶。"),
    )
    item = Item(id="i1", title=Text(zh="减产", en="Cut"), key_points=[Text(zh="要点")],
                insights=[Text(zh="一条解读", en="One insight")], insight_basis=["rule:oil_supply.cut"],
                impacts=[impact])
    section = Section(key="markets", title=Text(zh="金融市场与宏观经济", en="Markets"), items=[item])
    return Briefing(date=DATE, title=Text(zh="标题", en="Title"), sections=[section])


def test_rule_and_evidence_round_trip_and_older_json_loads() -> None:
    day = _day()
    again = Briefing.from_json(day.to_json())
    assert again == day
    assert again.items()[0].impacts[0].rule == "oil_supply.cut"
    old = json.loads(day.to_json())
    for item in old["sections"][0]["items"]:  # JSON written before these fields existed
        del item["insight_basis"]
        for impact in item["impacts"]:
            del impact["rule"], impact["evidence"]
    del old["review"]
    loaded = Briefing.from_json(json.dumps(old))
    assert loaded.items()[0].impacts[0].rule is None


@pytest.mark.parametrize(("edition", "word"), [("zh", "依据"), ("en", "evidence")])
def test_the_rule_and_evidence_show_on_hover(edition: str, word: str) -> None:
    page = lxml.html.fromstring(render_html(_day(), edition))
    [tag] = page.xpath("//li[contains(@class, 'impact')]")
    title = tag.get("title")
    assert "oil_supply.cut" in title and word in title
    assert "欧佩克+同意每日减产50万桶。" in title


def test_an_edited_insight_rests_on_the_edit(tmp_path: Path) -> None:
    edits = tmp_path / f"{DATE}.yaml"
    edits.write_text("items:\n  i1:\n    insights: {1: {zh: 编辑改写}}\n    add_insights: [再加一条]\n",
                     encoding="utf-8")
    item = apply_edits(_day(), edits).items()[0]
    assert item.insight_basis == ["edit", "edit"]


_STORY = itertools.count(1)


def _answer(request: Request) -> Reply:
    """Every story: crude oil bearish, whatever the text says."""
    if "the day's headline" in request.system_prompt:
        return Reply.json(HEADLINE_ANSWER)
    n = next(_STORY)  # distinct titles: the publish gate drops a story told twice
    return Reply.json({
        "title": {"zh": f"模型标题{n}", "en": f"Model title {n}"},
        "key_points": [{"zh": "要点一，3%。", "en": "Point one, 3%."}, {"zh": "要点二。", "en": "Point two."}],
        "insights": [{"zh": "模型解读。", "en": "Model insight."}],
        "impacts": [{"target": "crude_oil", "stance": "利空",
                     "reason": {"zh": "模型的理由。", "en": "The model's reason."}}],
    })


def test_an_llm_tag_against_a_fired_rule_is_in_the_build_report(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEST_LLM_KEY", "sk-test")
    config = tmp_path / "feeds.yaml"
    with FakeLLM(responder=_answer) as server:
        config.write_text(
            f"settings:\n  store: {tmp_path / 'store.sqlite'}\n  local_root: {SAMPLES}\n"
            "sources:\n  - id: samples\n    name: Sample articles\n    path: articles\n"
            f"llm:\n  base_url: {server.base_url}\n  model: fake-model\n  api_key_env: TEST_LLM_KEY\n"
            "  retries: 0\n  backoff: 0\n  read_timeout: 5\n", encoding="utf-8")
        assert CliRunner().invoke(cli, ["fetch", "--config", str(config)]).exit_code == 0
        result = CliRunner().invoke(cli, ["build", "--config", str(config), "--date", DATE,
                                          "--format", "json", "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    day = Briefing.from_json((tmp_path / "out" / "zh" / DATE / "briefing.json").read_text("utf-8"))
    assert not day.degraded  # the model's reading stands ...
    oil = [i for i in day.items() if "原油库存" in " ".join(s.title or "" for s in i.sources)]
    assert oil and oil[0].impacts[0].stance == "bearish"
    assert day.review  # ... and the contradiction is reported
    line = next(r for r in day.review if oil[0].id in r)
    assert "原油" in line and ("move.up" in line or "oil_" in line)
    assert "review: " in result.output
