"""The 经济日报 Markdown format both ways: render, import, and the byte-exact round trip."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from briefing.cli import cli
from briefing.errors import ImportFormatError
from briefing.model import Briefing, Impact, Item, Section, Text
from briefing.render.markdown import render_markdown
from briefing.render.markdown_import import import_markdown, parse_impact
from tests.conftest import DATA, seed_path

POSTS = sorted((DATA / "posts").glob("*.md"))


def _front_matter(text: str) -> dict:
    return yaml.safe_load(text.split("---\n")[1])


def test_seed_002_round_trips_byte_for_byte() -> None:
    text = seed_path("002").read_text(encoding="utf-8")
    briefing = import_markdown(text, strict=True)
    assert render_markdown(briefing, "zh") == text
    assert "source" not in briefing.layout
    assert len(briefing.items()) == 19
    assert [s.key for s in briefing.sections] == ["geopolitics", "markets", "industry", "china", "more"]


@pytest.mark.parametrize("post", POSTS, ids=[p.stem for p in POSTS])
def test_own_fixtures_round_trip_without_a_kept_source(post: Path) -> None:
    text = post.read_text(encoding="utf-8")
    briefing = import_markdown(text, strict=True)
    again = Briefing.from_json(briefing.to_json())
    assert again == briefing
    assert render_markdown(again, "zh") == text


def test_cli_import_then_render_reproduces_the_post(tmp_path: Path) -> None:
    post = seed_path("002")
    runner = CliRunner()
    result = runner.invoke(cli, ["import", str(post), "-o", str(tmp_path / "b.json")])
    assert result.exit_code == 0, result.output
    result = runner.invoke(
        cli, ["render", str(tmp_path / "b.json"), "--format", "md", "--lang", "zh",
              "-o", str(tmp_path / "out.md")]
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out.md").read_bytes() == post.read_bytes()


def test_variants_are_read_into_fields() -> None:
    briefing = import_markdown((DATA / "posts" / "variants-labels.md").read_text(), strict=True)
    first, second, third = briefing.items()
    assert briefing.sections[0].title.zh == "货币与政策"  # any section name
    assert first.url and first.url.startswith("https://www.pbc.gov.cn/")
    assert first.time == dt.datetime(2026, 3, 11, 17, 30, tzinfo=first.time.tzinfo)
    assert len(first.key_points) == 3 and len(first.insights) == 2
    bond, yuan, note = first.impacts
    assert (bond.target.zh, bond.stance, bond.reason.zh[:4]) == ("债市", "bullish", "流动性宽")
    assert yuan.stance == "lean_bearish"
    assert (note.kind, note.target.zh) == ("note", "投资启示")
    hk, tech, party = second.impacts
    assert (hk.target.zh, hk.stance, hk.layout["form"]) == ("港股", "bullish", "paren")
    assert (tech.stance, tech.horizon) == ("bullish", "short")
    assert (party.target.zh, party.stance, party.stance_text.zh) == ("外资机构", "none", "")
    assert third.insights == [] and len(third.impacts) == 2


def test_glitches_are_tolerated_and_nothing_is_dropped() -> None:
    text = (DATA / "posts" / "variants-glitches.md").read_text()
    briefing = import_markdown(text, strict=True)
    fed = briefing.items()[0]
    assert [p.zh[:3] for p in fed.key_points] == ["议息会", "点阵图", "鲍威尔", "会后两"]  # mis-indented kept
    assert fed.layout["kp_forms"] == ["bullet", "bullet", "bullet", "prose"]  # a paragraph after the list
    assert "unplaced" not in fed.layout and briefing.layout["import"]["kept_lines"] == []
    chips = briefing.items()[1]
    assert chips.time is None and len(chips.key_points) == 2
    more = briefing.sections[-1]
    assert more.brief and more.items[0].url == "https://www.boj.or.jp/en/mopo/mpmdeci/index.htm"
    assert briefing.footer is None and text.endswith("预警\n")


@pytest.mark.parametrize(
    ("line", "target", "stance", "stance_text", "reason"),
    [
        ("对股市：利多。风险偏好回升", "股市", "bullish", "利多", "风险偏好回升"),
        ("**对美元**：利空。美元指数回落", "美元", "bearish", "利空", "美元指数回落"),
        ("原油（利多）库存下降", "原油", "bullish", "利多", "库存下降"),
        ("对中国资源企业：短期压力较大", "中国资源企业", "none", "", "短期压力较大"),
        ("对芯片股：短期利空，但长期看需求", "芯片股", "bearish", "短期利空", "但长期看需求"),
        ("对利率：中性偏鸽。就业疲软", "利率", "dovish", "中性偏鸽", "就业疲软"),
    ],
)
def test_impact_lines(line: str, target: str, stance: str, stance_text: str, reason: str) -> None:
    impact = parse_impact(line)
    assert (impact.target.zh, impact.stance, impact.stance_text.zh, impact.reason.zh) == (
        target, stance, stance_text, reason)


def test_a_post_that_does_not_round_trip_keeps_its_source_until_edited() -> None:
    # Two investment notes with interpretation between them: notes are one block in the model.
    text = (
        "---\ntitle: 测试\ndate: 2026-02-05\n---\n# 测试\n\n## 中国国内动态\n\n### 条目\n\n- 要点一\n\n"
        "> 投资启示：先看量能。\n\n**深度解读：**\n- 解读一\n\n> 投资启示：再看政策。\n"
    )
    with pytest.raises(ImportFormatError, match="line"):
        import_markdown(text, strict=True)
    briefing = import_markdown(text)
    assert render_markdown(briefing, "zh") == text
    assert briefing.layout["import"]["source_kept"] is True
    briefing.sections[0].items[0].title = Text(zh="改过的条目")
    assert "### 改过的条目" in render_markdown(briefing, "zh")


def test_text_after_an_item_title_is_kept_where_it_stood_even_after_an_edit() -> None:
    text = (
        "---\ntitle: 测试\ndate: 2026-02-05\n---\n# 测试\n\n## 中国国内动态\n\n### 条目\n\n"
        "- **时间：** 2026-02-05 07:00\n\n编者按：这是一段说明。\n\n- **核心要点：**\n  - 要点一\n"
    )
    briefing = import_markdown(text, strict=True)
    assert render_markdown(briefing, "zh") == text
    briefing.sections[0].items[0].key_points.append(Text(zh="要点二"))
    edited = render_markdown(briefing, "zh")
    assert "编者按：这是一段说明。\n\n- **核心要点：**" in edited and "  - 要点二" in edited


def test_missing_date_is_a_clear_error() -> None:
    with pytest.raises(ImportFormatError, match="date"):
        import_markdown("---\ntitle: x\n---\n# x\n")


def _briefing() -> Briefing:
    impact = Impact(target=Text(zh="股市", en="Equities"), stance="bullish",
                    stance_text=Text(zh="利多"), reason=Text(zh="情绪回暖", en="Sentiment improves"))
    item = Item(
        id="a", title=Text(zh="标题：含冒号", en="A title"),
        time=dt.datetime(2026, 2, 4, 15, 47, tzinfo=dt.UTC),
        key_points=[Text(zh="要点", en="Point")], impacts=[impact],
    )
    english_only = Item(id="b", title=Text(en="Only in English"), key_points=[Text(en="Fact")])
    return Briefing(
        date=dt.date(2026, 2, 5), title=Text(zh="标题: 冒号", en="Title"),
        tags=[Text(zh="经济日报", en="Daily")], seo=["经济日报"],
        summary=[Text(zh="第一条", en="First"), Text(zh="第二条 \"引号\"", en="Second")],
        sections=[
            Section(key="markets", title=Text(zh="金融市场与宏观经济", en="Markets & Macro"),
                    items=[item, english_only]),
            Section(key="empty", title=Text(zh="空", en="Empty")),
        ],
    )


def test_front_matter_is_valid_yaml_in_the_example_order() -> None:
    text = render_markdown(_briefing(), "zh")
    meta = _front_matter(text)
    assert list(meta) == ["title", "date", "category", "tags", "seo", "summary"]
    assert meta["title"] == "标题: 冒号" and meta["date"] == dt.date(2026, 2, 5)
    assert meta["summary"] == "- 第一条\n- 第二条 \"引号\""
    assert 'tags: ["经济日报"]' in text


def test_english_edition_uses_english_labels_and_lists_other_language_stories_at_the_end() -> None:
    text = render_markdown(_briefing(), "en")
    assert "- **Time:** Feb 4, 2026, 23:47" in text
    assert "- **Key points:**" in text and "**Impact:**" in text
    assert "- Equities: Bullish. Sentiment improves" in text
    assert "## Markets & Macro" in text
    zh = render_markdown(_briefing(), "zh")
    assert "[EN]" not in zh and "### Only in English" not in zh
    assert zh.endswith("## 外文报道\n\n- Only in English（英文）\n")  # one tag, at the end
    assert "- 对股市：利多。情绪回暖" in zh
    inline = _briefing().model_copy(update={"single_language": "inline"})
    assert "### [EN] Only in English" in render_markdown(inline, "zh")


def test_empty_blocks_are_omitted_and_footer_is_configurable() -> None:
    text = render_markdown(_briefing(), "zh", footer="<p>订阅</p>")
    assert "深度解读" not in text  # no insights anywhere
    assert text.endswith("\n\n---\n\n<p>订阅</p>")


def test_traditional_edition_is_converted() -> None:
    text = render_markdown(_briefing(), "zh-Hant")
    assert "核心要點" in text and "對股市" in text


def test_a_day_told_only_in_english_reads_in_chinese_with_its_stories_listed_at_the_end() -> None:
    english = Item(id="e", title=Text(en="Iran meets the nuclear watchdog"),
                   key_points=[Text(en="Talks resume in Geneva on Tuesday")])
    day = Briefing(date=dt.date(2026, 2, 17), title=Text(zh="今日外文要闻 1 则：伊朗", en="Iran meets"),
                   summary=[Text(en="Iran meets the nuclear watchdog")],
                   sections=[Section(key="world", title=Text(zh="国际", en="World"), items=[english])])
    zh = render_markdown(day, "zh")
    assert "[EN]" not in zh and "title: 今日外文要闻 1 则：伊朗\n" in zh
    assert "## 国际" not in zh and zh.rstrip().endswith("- Iran meets the nuclear watchdog（英文）")
    assert "Talks resume" not in zh
    assert "## World" in render_markdown(day, "en")


def _tricky_strings(count: int = 4000) -> list[str]:
    """Strings made of what YAML treats specially: indicators, colons and hashes, quotes,
    booleans and nulls, numbers and dates, odd spaces and invisible characters."""
    import random

    rng = random.Random(7)
    alphabet = list("aZé中文 -:#'\"!&*?|>%@`,[]{}.~=+0123456789\\/()") + [
        "\t", "\u00a0", "\u3000", "\u2028", "\ufeff", "\x85", "\ufffe", "：", "#",
    ]
    words = ["yes", "No", "TRUE", "off", "On", "null", "Null", "~", "y", "n", ".inf", "nan", "1e3",
             "0x1f", "2026-02-05", "12:30", "<<", "=", "-", "---", "..."]
    made = [w for w in words] + [f"{w} x" for w in words] + [f"x {w}" for w in words]
    for _ in range(count):
        made.append("".join(rng.choice(alphabet) for _ in range(rng.randint(1, 8))))
    return made


def test_a_scalar_judged_plain_without_parsing_reads_back_as_itself() -> None:
    from briefing.render.markdown import plainly_a_string, yaml_scalar

    sample = Briefing.from_json((Path(__file__).parents[1] / "samples" / "briefing-2026-02-05.json").read_text("utf-8"))
    real = [t for item in sample.items() for t in (item.title.zh, item.title.en) if t]
    judged_plain = 0
    for value in real + _tricky_strings():
        if plainly_a_string(value):
            judged_plain += 1
            assert yaml.safe_load(f"k: {value}") == {"k": value}, value
        if value.strip() and "\n" not in value:
            assert yaml.safe_load(f"k: {yaml_scalar(value, prefer_plain=True)}") == {"k": value}, value
    assert judged_plain >= len(real)  # the real titles take the fast path


def test_the_canonical_block_is_what_the_hinted_path_writes_without_hints() -> None:
    """A block with no layout hints takes a short way (`canonical_block`); with a layout
    that holds no hint for it, the general way must write the very same lines."""
    from briefing.render.markdown import _Renderer

    sample = Briefing.from_json((Path(__file__).parents[1] / "samples" / "briefing-2026-02-05.json").read_text("utf-8"))
    compared = 0
    for section in sample.sections:
        for i, item in enumerate(section.items):
            renderer = _Renderer(sample, "zh")
            for name in ("key_points", "insights", "impacts"):
                for joined in (False, True):
                    short = renderer.block_lines(item, name, (0, i), joined=joined)
                    item.layout = {"unrelated": True}  # forces the general way: no hint applies
                    general = renderer.block_lines(item, name, (0, i), joined=joined)
                    item.layout = {}
                    assert short == general, (item.id, name)
                    compared += bool(short)
    assert compared > 20
