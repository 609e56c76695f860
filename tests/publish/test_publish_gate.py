"""The publish gate on our own fixture posts (tests/data/gate) and on the model."""

from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner

from briefing.cli import cli
from briefing.errors import GateError
from briefing.model import Source, Text
from briefing.publish.gate import (
    check_briefing,
    check_markdown,
    enforce,
    placeholder_problems,
    truncation_problem,
)
from tests.publish.conftest import GATE_DATA, sample_briefing

EXPECTED = {
    "2026-03-03-placeholder.md": {"placeholder"},
    "2026-03-04-truncated.md": {"truncated"},
    "2026-03-05-foreign-link.md": {"foreign-link"},
    "2026-03-06-empty-section.md": {"empty-section"},
    "2026-03-07-wrong-date.md": {"date"},
    "2026-03-08-too-few.md": {"too-few-items"},
    "2026-03-09-no-key-points.md": {"no-key-points", "placeholder", "truncated"},
}


def _check(name: str) -> list:
    path = GATE_DATA / name
    return check_markdown(path.read_text(encoding="utf-8"), name=name, min_items=5)


def test_clean_post_passes() -> None:
    assert _check("2026-03-02-clean.md") == []


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_posts_are_flagged_with_their_place(name: str) -> None:
    problems = _check(name)
    assert {p.rule for p in problems} >= EXPECTED[name]
    for p in problems:
        file, line = p.place.rsplit(":", 1)
        assert file == name and int(line) >= 1


def test_places_point_at_the_faulty_line() -> None:
    text = (GATE_DATA / "2026-03-05-foreign-link.md").read_text(encoding="utf-8")
    (problem,) = [p for p in _check("2026-03-05-foreign-link.md") if p.rule == "foreign-link"]
    line = text.split("\n")[int(problem.place.rsplit(":", 1)[1]) - 1]
    assert "example.com" in line


def test_expected_date_is_enforced() -> None:
    text = (GATE_DATA / "2026-03-02-clean.md").read_text(encoding="utf-8")
    problems = check_markdown(text, name="post.md", expected_date=dt.date(2026, 3, 1), min_items=5)
    assert [p.rule for p in problems] == ["date"]


@pytest.mark.parametrize(
    "text",
    ["{{ title }}", "{% if x %}", "Report Title", "详细 report 内容", "TODO: write", "Lorem ipsum dolor", "XXX公司公告"],
)
def test_placeholders(text: str) -> None:
    assert placeholder_problems(text)


@pytest.mark.parametrize("text", ["Exxon 股价上涨", "xxl 尺码", "央行降准0.25个百分点", "标普500指数（SPX）收涨"])
def test_not_placeholders_nor_truncated(text: str) -> None:
    assert not placeholder_problems(text)
    assert truncation_problem(text) is None


@pytest.mark.parametrize("text", ["市场担忧，", "the index fell,", "据报道（消息人士称", "他说“这将", "see [the report](https://a.b/c) and ("])
def test_truncated(text: str) -> None:
    assert truncation_problem(text)


def test_sample_briefing_passes() -> None:
    assert check_briefing(sample_briefing(), expected_date=dt.date(2026, 2, 5), min_items=5) == []


def test_briefing_link_not_from_sources_is_refused() -> None:
    b = sample_briefing()
    item = b.sections[0].items[0]
    item.key_points.append(Text(zh="详见 https://evil.example.net/x 报道。", en="See https://evil.example.net/x."))
    problems = check_briefing(b, min_items=5)
    assert {p.rule for p in problems} == {"foreign-link"}
    assert "evil.example.net" in problems[0].message


def test_briefing_link_from_its_sources_is_allowed() -> None:
    b = sample_briefing()
    item = b.sections[0].items[0]
    item.sources.append(Source(name="Reuters", url="https://www.reuters.com/world/a-story"))
    item.key_points.append(Text(zh="据[路透](https://www.reuters.com/world/a-story)报道。", en=""))
    assert check_briefing(b, min_items=5) == []


def test_briefing_faults() -> None:
    b = sample_briefing(dt.date(2026, 2, 6))
    b.title.en = "Report Title"
    b.sections[1].items[0].key_points.clear()
    b.sections[2].items[0].insights.append(Text(zh="这意味着市场将，", en="This means that,"))
    b.sections[3].items.clear()
    problems = check_briefing(b, expected_date=dt.date(2026, 2, 5), min_items=100)
    rules = {p.rule for p in problems}
    assert rules == {"date", "placeholder", "no-key-points", "truncated", "empty-section", "too-few-items"}
    with pytest.raises(GateError, match="publish gate refused"):
        enforce(problems, "2026-02-06")


def test_check_command(tmp_path) -> None:
    runner = CliRunner()
    ok = runner.invoke(cli, ["check", str(GATE_DATA / "2026-03-02-clean.md")])
    assert ok.exit_code == 0, ok.output
    assert "no problems" in ok.output
    bad = runner.invoke(cli, ["check", str(GATE_DATA)])
    assert bad.exit_code == 1
    listed = {line.split(":", 1)[0] for line in bad.output.splitlines() if ".md:" in line}
    assert {str(GATE_DATA / n) for n in EXPECTED} <= listed
    assert str(GATE_DATA / "2026-03-02-clean.md") not in listed
    # a briefing JSON is checked as a model
    path = tmp_path / "b.json"
    path.write_text(sample_briefing().to_json(), encoding="utf-8")
    assert runner.invoke(cli, ["check", str(path)]).exit_code == 0
