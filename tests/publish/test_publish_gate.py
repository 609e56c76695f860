"""The publish gate: sound posts of every variant pass; each fault is found at its line with
the right level; an item's fault drops or repairs that item, an issue-wide fault blocks."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing.cli import cli
from briefing.errors import GateError
from briefing.model import Source, Text
from briefing.publish.gate import (
    check_post,
    cut_off,
    enforce,
    placeholder,
    review,
    unbalanced_quote,
)
from tests.conftest import DATA, SEEDS
from tests.publish.conftest import GATE_DATA, sample_briefing

SOUND = [
    *sorted((DATA / "posts").glob("*.md")),
    GATE_DATA / "2026-03-02-clean.md",
    *sorted(SEEDS.glob("002_*.txt")),
]
BAD = {  # fixture -> the errors it must raise
    "2026-03-03-placeholder.md": {"placeholder"},
    "2026-03-04-truncated.md": {"truncated"},
    "2026-03-06-empty-section.md": {"empty-section"},
    "2026-03-07-wrong-date.md": {"date"},
    "2026-03-08-too-few.md": {"too-few-items"},
    "2026-03-09-no-key-points.md": {"truncated"},
}


def _check(path: Path, **kw: object):  # type: ignore[no-untyped-def]
    return check_post(path.read_text(encoding="utf-8"), name=path.name, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize("post", SOUND, ids=[p.stem for p in SOUND])
def test_sound_posts_of_every_variant_pass(post: Path) -> None:
    verdict = _check(post, min_items=2)
    if post.stem == "variants-glitches":  # bare titles under ### are reported, never dropped
        assert {p.rule for p in verdict.problems} == {"no-key-points"}
        assert not verdict.blocking and not verdict.dropped
        return
    assert verdict.problems == []
    assert len(verdict.briefing.items()) >= 3


def test_false_rejection_rate_on_sound_posts_is_zero() -> None:
    rejected = [p.name for p in SOUND if _check(p, min_items=2).blocking or _check(p, min_items=2).dropped]
    assert rejected == [], f"{len(rejected)} of {len(SOUND)} sound posts rejected"


@pytest.mark.parametrize("name", sorted(BAD))
def test_issue_faults_block_with_file_and_line(name: str) -> None:
    verdict = _check(GATE_DATA / name, min_items=5)
    assert {p.rule for p in verdict.blocking} >= BAD[name]
    for p in verdict.problems:
        file, line = p.place.rsplit(":", 1)
        assert file == name and int(line) >= 1
        assert "\n" not in str(p) and p.message


def _post(body: str, *, date: str = "2026-03-12") -> str:
    head = f"---\ntitle: 测试日报\ndate: {date}\ncategory: 经济日报\n---\n# 测试日报\n\n## 金融市场与宏观经济\n\n"
    return head + body


GOOD_ITEM = """### 第{n}条：央行开展公开市场操作

- **时间：** 2026-03-11 09:{n}0
- **核心要点：**
  - 央行开展{n}千亿元逆回购操作
  - 中标利率持平于1.4%

**深度解读 & 洞察：**
- 资金面总体平稳

**影响：**
- 对债市：中性。流动性充裕
"""


def _good(count: int) -> str:
    return "\n".join(GOOD_ITEM.format(n=n) for n in range(1, count + 1))


def _line(text: str, needle: str) -> int:
    """The last line holding `needle` (the bad item comes after the good ones)."""
    return max(n for n, line in enumerate(text.split("\n"), 1) if needle in line)


@pytest.mark.parametrize(
    ("bad", "needle", "rule", "action"),
    [
        ("### 某券商发布研报\n\n- **核心要点：**\n  - 目标价为{{ 7*7 }}元\n", "{{ 7*7 }}", "placeholder", "dropped"),
        ("### 某公司发布折叠屏新机（据路透\n\n- **核心要点：**\n  - 售价9999元\n", "据路透", "truncated", "dropped"),
        ("### 某厂商新机上市\n\n- **核心要点：**\n  - 屏幕为6.7\" foldable设计\n  - 他说\"这将改变市场\n",
         "他说", "quote", None),
        ("### 某行业报告发布\n\n- **核心要点：**\n  - 详见[报告](https://example.com/report)\n", "example.com",
         "placeholder-link", "repaired"),
        ("### 年度报告发布\n\n- **核心要点：**\n  - å¹´åº¦æŠ¥å‘Šå·²å‘å¸ƒ\n", "å¹´", "mojibake", "dropped"),
        ("### 产品已下线公告\n\n- **核心要点：**\n  - 本栏目自即日起停止更新，给您带来的不便敬请谅解\n", "产品已下线",
         "not-news", "dropped"),
        ("### 旧闻重提\n\n- **时间：** 2019-06-01 10:00\n- **核心要点：**\n  - 多年前的消息\n", "2019-06-01",
         "stale", "dropped"),
        ("### 第1条：央行开展公开市场操作\n\n- **核心要点：**\n  - 同一事件的重复报道\n", "重复报道",
         "duplicate", "dropped"),
        ("### 空标签的条目\n\n- **核心要点：**\n  - 要点一\n\n**深度解读 & 洞察：**\n\n**影响：**\n- 对股市：中性。\n",
         "深度解读", "empty-block", "repaired"),
        ("### 主要是葡语的条目\n\n- **核心要点：**\n  - O banco central manteve a taxa de juros nesta quarta-feira para conter a inflação\n",
         "O banco", None, None),
    ],
    ids=["template", "cut-title", "quote", "placeholder-link", "mojibake", "notice", "stale", "duplicate",
         "empty-block", "third-language-point"],
)
def test_item_faults_are_the_items_own_with_their_line(bad: str, needle: str, rule: str | None,
                                                       action: str | None) -> None:
    text = _post(_good(4) + "\n" + bad)
    verdict = check_post(text, name="post.md", min_items=4)
    assert verdict.blocking == []
    found = [p for p in verdict.problems if p.rule == rule] if rule else verdict.problems
    if rule is None:  # one Portuguese point in a Chinese item is not enough to judge the item
        assert found == []
        return
    (problem,) = found
    assert problem.level == "warning" and problem.action == action
    expect = _line(text, needle) if rule not in ("duplicate", "not-news") else _line(text, bad.split("\n")[0])
    assert problem.place == f"post.md:{expect}", str(problem)
    kept = [i.title.zh for i in verdict.briefing.items()]
    assert len(kept) == (4 if action == "dropped" else 5)
    if action == "repaired":
        items = [i.model_dump(mode="json") for i in verdict.briefing.items()]
        assert "example.com" not in json.dumps(items, ensure_ascii=False)


def test_lines_kept_verbatim_are_judged_too() -> None:
    table = "### 数据一览\n\n- **核心要点：**\n  - 见下表\n\n| 指标 | 数值 |\n|---|---|\n| 增速 | {{ growth }} |\n"
    text = _post(_good(4) + "\n" + table)
    verdict = check_post(text, name="post.md", min_items=4)
    (problem,) = verdict.problems
    assert (problem.rule, problem.action, problem.place) == ("placeholder", "dropped", f"post.md:{_line(text, '| 指标')}")
    preamble = text.replace("# 测试日报\n", "# 测试日报\n\n编者按：此处填写导语\n", 1)
    (error,) = check_post(preamble, name="post.md", min_items=4).blocking
    assert error.rule == "placeholder" and "kept verbatim" in error.message


def test_an_inch_mark_is_not_an_open_quote() -> None:
    assert unbalanced_quote('三星发布6.7" foldable新机') is None
    assert unbalanced_quote('他说"这将') is not None


@pytest.mark.parametrize("text", ["市场担忧，", "the index fell,", "据报道（消息人士称", "他说“这将",
                                  "see [the report](https://a.b/c) and ("])
def test_cut_off(text: str) -> None:
    assert cut_off(text)


@pytest.mark.parametrize("text", ["Exxon 股价上涨", "央行降准0.25个百分点", "标普500指数（SPX）收涨",
                                  "对A股：利多结构性机会。…", "利率期货显示概率接近九成", "详见[报告](https://a.b/c)"])
def test_sound_text_is_not_cut_off_nor_a_placeholder(text: str) -> None:
    assert cut_off(text) is None and placeholder(text) is None


def test_a_post_cut_off_at_its_end_is_an_error_at_the_last_line() -> None:
    text = _post(_good(4) + "\n### 最后一条\n\n- **核心要点：**\n  - 市场普遍认为，")
    verdict = check_post(text, name="post.md", min_items=4)
    (problem,) = verdict.blocking
    assert (problem.rule, problem.place) == ("truncated", f"post.md:{len(text.split(chr(10)))}")


def test_everything_stale_and_too_few_items_block() -> None:
    text = _post(_good(4).replace("2026-03-11", "2024-01-02"))
    verdict = check_post(text, name="post.md", min_items=3)
    assert {p.rule for p in verdict.blocking} == {"stale", "too-few-items"}
    assert len(verdict.dropped) == 4


def test_an_edition_mostly_in_the_other_language_blocks() -> None:
    english = GOOD_ITEM.replace("第{n}条：央行开展公开市场操作", "Item {n}: the central bank injects cash into the market") \
        .replace("央行开展{n}千亿元逆回购操作", "The central bank lent {n} hundred billion yuan through reverse repos")
    text = _post("\n".join(english.format(n=n) for n in range(1, 4)) + "\n" + GOOD_ITEM.format(n=9))
    verdict = check_post(text, name="post.md", min_items=2)
    assert [p.rule for p in verdict.blocking] == ["edition-language"]


def test_strict_turns_warnings_into_errors() -> None:
    text = _post(_good(4) + "\n### 某券商发布研报\n\n- **核心要点：**\n  - 目标价{{ price }}\n")
    assert check_post(text, name="post.md", min_items=4).blocking == []
    strict = check_post(text, name="post.md", min_items=4, strict=True)
    assert [p.rule for p in strict.blocking] == ["placeholder"]
    with pytest.raises(GateError, match=r"post.md:\d+: warning"):
        enforce(strict.problems, "post.md", strict=True)


# -- the model, as nightly builds it --------------------------------------------------


def test_sample_day_passes_untouched() -> None:
    verdict = review(sample_briefing(), day=dt.date(2026, 2, 5), min_items=5)
    assert verdict.problems == [] and verdict.briefing == sample_briefing() and not verdict.briefing.review


@pytest.mark.parametrize(
    ("fault", "rule", "action"),
    [
        ("template", "placeholder", "dropped"),
        ("foreign-link", "foreign-link", "repaired"),
        ("placeholder-link", "placeholder-link", "repaired"),
        ("inch", None, None),
        ("cut-title", "truncated", "dropped"),
        ("portuguese", "language", "repaired"),
    ],
)
def test_one_bad_item_among_good_ones_never_costs_the_day(fault: str, rule: str | None, action: str | None) -> None:
    b = sample_briefing()
    item = b.sections[0].items[1]
    item.sources = [Source(name="Reuters", url="https://www.reuters.com/world/a-story")]
    if fault == "template":
        item.key_points[0] = Text(zh="预计增长{{ 7*7 }}%", en="Growth of {{ 7*7 }}% expected")
    elif fault == "foreign-link":
        item.insights.append(Text(zh="详见[这里](https://tracker.evil-cdn.org/x)。", en="See [here](https://tracker.evil-cdn.org/x)."))
    elif fault == "placeholder-link":
        item.key_points.append(Text(zh="[原文](https://example.com/post)", en="[Source](https://example.com/post)"))
    elif fault == "inch":
        item.key_points.append(Text(zh='新机配备6.7" foldable屏幕', en='The phone has a 6.7" foldable screen'))
    elif fault == "cut-title":
        item.title = Text(zh="三星发布新一代折叠屏手机（据", en="Samsung unveils a new foldable (according to")
    elif fault == "portuguese":
        item.title.en = "Banco central mantém a taxa de juros e sinaliza cortes para o próximo ano"
    verdict = review(b, day=dt.date(2026, 2, 5), min_items=5)
    assert verdict.blocking == []
    found = [p for p in verdict.problems if p.rule == rule] if rule else verdict.problems
    if rule is None:
        assert found == []
        return
    assert {(p.level, p.action, p.item) for p in found} == {("warning", action, item.id)}
    ids = [i.id for i in verdict.briefing.items()]
    assert (item.id in ids) == (action == "repaired") and len(ids) >= 19
    text = json.dumps([i.model_dump(mode="json") for i in verdict.briefing.items()], ensure_ascii=False)
    assert "tracker.evil-cdn.org" not in text and "example.com" not in text and "{{" not in text
    assert b.sections[0].items[1] is item  # the input is never changed


def test_a_link_from_the_items_sources_is_kept() -> None:
    b = sample_briefing()
    item = b.sections[0].items[0]
    item.sources.append(Source(name="Reuters", url="https://www.reuters.com/world/a-story"))
    item.key_points.append(Text(zh="据[路透](https://www.reuters.com/world/a-story)报道。", en=""))
    assert review(b, min_items=5).problems == []


def test_issue_faults_of_the_model() -> None:
    b = sample_briefing(dt.date(2026, 2, 6))
    b.title.en = "Report Title"
    b.sections[3].items.clear()
    verdict = review(b, day=dt.date(2026, 2, 5), min_items=100)
    assert {p.rule for p in verdict.blocking} == {"date", "placeholder", "empty-section", "too-few-items"}
    with pytest.raises(GateError, match="publish gate refused"):
        enforce(verdict.problems, "2026-02-06")


def test_an_english_edition_of_untranslated_items_is_reported_and_blocks_under_strict() -> None:
    b = sample_briefing()
    for item in b.items():
        item.title.en = ""
        for point in item.key_points:
            point.en = ""
    verdict = review(b, min_items=5, languages=["zh", "en"])
    (problem,) = verdict.problems
    assert (problem.rule, problem.level, verdict.blocking) == ("edition-language", "warning", [])
    assert "no story told in English" in problem.message
    assert [p.rule for p in review(b, min_items=5, strict=True).blocking] == ["edition-language"]


def test_an_english_edition_in_another_language_blocks() -> None:
    b = sample_briefing()
    for item in b.items():
        item.title.en = "Banco central mantém a taxa de juros e sinaliza cortes para o próximo ano"
    verdict = review(b, min_items=0, languages=["zh", "en"])
    assert [p.rule for p in verdict.blocking] == ["edition-language"]



@pytest.mark.parametrize("foreign_share", ["half", "most"])
def test_the_edition_language_count_holds_whatever_the_order(foreign_share: str) -> None:
    """The check stops once enough items are in the edition's language to rule out a
    majority: with those first, half foreign passes and more than half still blocks."""
    b = sample_briefing()
    items = [item for section in b.sections if not section.brief for item in section.items]
    foreign = len(items) // 2 + (1 if foreign_share == "most" else 0)
    for item in items[len(items) - foreign:]:
        item.title.en = "Banco central mantém a taxa de juros e sinaliza cortes para o próximo ano"
    verdict = review(b, min_items=0, languages=["zh", "en"])
    expected = ["edition-language"] if foreign * 2 > len(items) else []
    assert [p.rule for p in verdict.blocking] == expected


# -- the command ----------------------------------------------------------------------


def test_check_command(tmp_path: Path) -> None:
    runner = CliRunner()
    ok = runner.invoke(cli, ["check", "--min-items", "2", *map(str, SOUND[:-1])])
    assert ok.exit_code == 0, ok.output
    bad = runner.invoke(cli, ["check", "--min-items", "5", str(GATE_DATA)])
    assert bad.exit_code == 1
    listed = {line.split(":", 1)[0] for line in bad.output.splitlines() if ": error:" in line}
    assert {str(GATE_DATA / n) for n in BAD} <= listed
    assert str(GATE_DATA / "2026-03-02-clean.md") not in listed
    # a briefing JSON is checked as a model
    path = tmp_path / "b.json"
    path.write_text(sample_briefing().to_json(), encoding="utf-8")
    assert runner.invoke(cli, ["check", "--min-items", "5", str(path)]).exit_code == 0


def test_check_strict_fails_on_an_item_that_would_be_dropped(tmp_path: Path) -> None:
    post = tmp_path / "2026-03-12.md"
    post.write_text(_post(_good(4) + "\n### 坏条目\n\n- **核心要点：**\n  - 价格{{ x }}\n"), encoding="utf-8")
    runner = CliRunner()
    relaxed = runner.invoke(cli, ["check", "--min-items", "4", str(post)])
    assert relaxed.exit_code == 0 and "warning" in relaxed.output and "(item dropped)" in relaxed.output
    assert runner.invoke(cli, ["check", "--min-items", "4", "--strict", str(post)]).exit_code == 1


def test_a_story_told_twice_is_kept_once() -> None:
    b = sample_briefing()
    first = b.sections[0].items[0]
    again = first.model_copy(deep=True, update={"id": "again"})
    again.title = Text(zh=first.title.zh[:-2] + "通话")  # a word changed: near, not equal
    b.sections[2].items.append(again)
    verdict = review(b, min_items=5)
    assert [(p.rule, p.item, p.action) for p in verdict.problems] == [("duplicate", "again", "dropped")]
    assert first.id in [i.id for i in verdict.briefing.items()]
