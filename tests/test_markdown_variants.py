"""Real-post variants (tests/data/posts): each is read into fields, round-trips byte for byte
from the model alone, and an edit to a key point, an insight or an impact shows in the output."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing.cli import cli
from briefing.model import Briefing, Text
from briefing.render.markdown import render_markdown
from briefing.render.markdown_import import import_markdown
from tests.conftest import DATA, seed_path

POSTS = sorted((DATA / "posts").glob("*.md"))


def _read(name: str) -> Briefing:
    return import_markdown((DATA / "posts" / name).read_text(encoding="utf-8"), strict=True)


def _posts() -> list[Path]:
    return [*POSTS, seed_path("002")]


@pytest.mark.parametrize("post", POSTS, ids=[p.stem for p in POSTS])
def test_every_line_is_modelled(post: Path) -> None:
    briefing = import_markdown(post.read_text(encoding="utf-8"), strict=True)
    report = briefing.layout["import"]
    assert report["kept_lines"] == [] and report["source_kept"] is False
    assert report["lines"] > 20


@pytest.mark.parametrize("post", [*POSTS, "seed-002"], ids=[*(p.stem for p in POSTS), "seed-002"])
def test_edits_to_every_field_show_in_the_output(post: Path | str) -> None:
    path = seed_path("002") if post == "seed-002" else post
    assert isinstance(path, Path)
    briefing = import_markdown(path.read_text(encoding="utf-8"), strict=True)
    edited = 0
    for n, item in enumerate(briefing.items()):
        if item.key_points:
            item.key_points[0] = Text(zh=f"改写的要点{n}")
        if item.insights:
            item.insights[-1] = Text(zh=f"改写的解读{n}")
        for impact in item.impacts:
            impact.reason = Text(zh=f"改写的理由{n}")
            if impact.kind == "impact":
                impact.stance, impact.stance_text = "bearish", Text()
        edited += bool(item.key_points or item.insights or item.impacts)
    assert edited >= 2
    text = render_markdown(briefing, "zh")
    again = import_markdown(text)
    assert "source" not in again.layout  # the edited post still reads back from its own layout
    for n, (old, new) in enumerate(zip(briefing.items(), again.items(), strict=True)):
        assert new.key_points == old.key_points
        assert new.insights == old.insights
        if old.key_points:
            assert f"改写的要点{n}" in text
        if old.insights:
            assert f"改写的解读{n}" in text
        for before, after in zip(old.impacts, new.impacts, strict=True):
            assert after.reason.zh.endswith(f"改写的理由{n}")
            assert (after.kind, after.stance) == (before.kind, before.stance)


def test_event_headings_are_items_with_prose_ranges_and_blocks() -> None:
    briefing = _read("variants-event-headings.md")
    assert [s.title.zh for s in briefing.sections] == [""]  # `## title` items, no sections
    fed, gold, boj = briefing.items()
    zone = fed.time.tzinfo if fed.time else None
    assert (fed.time, fed.time_end) == (dt.datetime(2025, 12, 10, tzinfo=zone), dt.datetime(2025, 12, 11, tzinfo=zone))
    assert fed.key_points[0].zh.startswith("联邦公开市场委员会") and len(fed.insights) == 3
    dollar, bonds, metal, note = fed.impacts
    assert (dollar.target.zh, dollar.stance, dollar.stance_text.zh) == ("美元", "bearish", "利空")
    assert dollar.reason.zh.startswith("利差收窄")
    assert (metal.target.zh, metal.stance, metal.stance_text.zh, metal.reason.zh) == ("黄金", "bullish", "显著利多", "")
    assert (note.kind, note.target.zh) == ("note", "投资启示") and note.reason.zh.startswith("议息结果")
    assert gold.insights[0].zh.startswith("各国央行") and gold.layout["ins_form"] == "numbered"
    shares = gold.impacts[1]
    assert (shares.target.zh, shares.stance, shares.stance_text.zh) == ("A股", "bullish", "利多结构性机会")
    assert boj.time and boj.time.date() == dt.date(2025, 12, 9) and boj.insights[0].zh.startswith("日元套息")
    (paragraph,) = boj.impacts
    assert paragraph.kind == "note" and paragraph.reason.zh.startswith("日元走强")


def test_bold_labels_sub_labels_typos_and_unlabelled_points() -> None:
    briefing = _read("variants-bold-labels.md")
    assert briefing.sections[0].title.zh.startswith("红海航运再度受阻")  # a sentence as a title
    oil, trade, ecb, chips, infer, factory = briefing.items()
    assert [p.zh[:2] for p in oil.key_points] == ["一艘", "多家", "布伦", "往返", "部分"]
    assert oil.layout["kp_sublabels"] == {"3": "**打击目标包括：**"}
    assert len(oil.insights) == 2  # 深度解渎 (a typo) is still the interpretation
    assert oil.impacts[-1].kind == "note" and oil.impacts[-1].reason.zh.startswith("能源与航运")
    assert trade.layout["kp_sublabels"] == {"3": "**市场表现：**"} and len(trade.insights) == 2
    assert (trade.impacts[1].stance, trade.impacts[1].reason.zh) == ("neutral", "")
    assert len(ecb.key_points) == 2 and len(chips.key_points) == 2 and len(infer.key_points) == 2
    assert chips.impacts[0].layout["form"] == "bold"
    assert [p.zh[:2] for p in factory.key_points] == ["名单", "示范"]  # no label at all


def test_paragraph_blocks_and_inline_labels() -> None:
    briefing = _read("variants-paragraphs.md")
    repo, sales, homes = briefing.items()
    assert repo.time == dt.datetime(2026, 1, 15, 17, 0, tzinfo=repo.time.tzinfo if repo.time else None)
    assert len(repo.insights) == 2 and repo.layout["ins_form"] == "prose"
    impact, note = repo.impacts
    assert impact.kind == "note" and impact.reason.zh.startswith("资金面宽松")
    assert (note.target.zh, note.reason.zh[:2]) == ("投资启示", "关注")
    assert sales.impacts[0].stance_text.zh == "短期利多" and sales.impacts[0].reason.zh == ""
    assert homes.key_points[0].zh.startswith("深圳与广州") and len(homes.insights) == 2


def test_english_edition_of_an_imported_variant_is_canonical() -> None:
    text = render_markdown(_read("variants-event-headings.md"), "en")
    assert "- **Time:** Dec 10, 2025 – Dec 11, 2025" in text
    assert "- Gold: Markedly bullish" in text and "**Analysis & insight:**" in text


def test_cli_import_reports_how_much_was_modelled(tmp_path: Path) -> None:
    post = DATA / "posts" / "variants-bold-labels.md"
    result = CliRunner().invoke(cli, ["import", str(post), "-o", str(tmp_path / "b.json")])
    assert result.exit_code == 0, result.output
    assert "6 items; 64 of 64 content lines modelled (100.0%)" in result.output
    briefing = Briefing.from_json((tmp_path / "b.json").read_text(encoding="utf-8"))
    assert briefing.layout["import"]["kept_lines"] == []
    assert render_markdown(briefing, "zh") == post.read_text(encoding="utf-8")


def test_cli_import_names_the_lines_it_kept_verbatim(tmp_path: Path) -> None:
    post = tmp_path / "post.md"
    post.write_text(
        "---\ntitle: 测试\ndate: 2026-02-05\n---\n# 测试\n\n## 中国国内动态\n\n### 条目\n\n- 要点一\n\n"
        "| 指标 | 数值 |\n|---|---|\n\n![图](https://img.example.cn/a.png)\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["import", str(post), "-o", str(tmp_path / "b.json")])
    assert result.exit_code == 0, result.output
    assert "4 of 7 content lines modelled" in result.output and "lines 13, 14, 16" in result.output


def test_the_other_language_list_is_modelled_and_round_trips() -> None:
    from briefing.model import Item, Section, Source
    from briefing.publish.gate.review import review

    english = [Item(id=f"e{n}", title=Text(en=title), url=f"https://news.example.org/{n}",
                    sources=[Source(name="Harbour Wire")], key_points=[Text(en="A fact")])
               for n, title in enumerate(["Port strike ends after pay deal", "Grain barges resume sailing"])]
    chinese = Item(id="z", title=Text(zh="央行开展逆回购操作"), key_points=[Text(zh="一个事实")])
    day = Briefing(date=dt.date(2026, 2, 17), title=Text(zh="今日外文要闻：港口", en="Port strike ends"),
                   sections=[Section(key="world", title=Text(zh="国际", en="World"), items=english)])
    zh = render_markdown(day, "zh")
    post = import_markdown(zh, strict=True)
    (listed,) = post.sections
    assert listed.compact and [i.title.en for i in listed.items] == [i.title.en for i in english]
    assert listed.items[0].sources[0].name == "Harbour Wire" and listed.items[0].url == english[0].url
    assert render_markdown(post, "zh") == zh
    problems = review(post, min_items=1, languages=["zh"]).problems
    assert any(p.rule == "edition-language" and "no story told in Chinese" in p.message for p in problems), problems
    mixed = day.model_copy(update={"sections": [*day.sections, Section(key="china", title=Text(
        zh="中国", en="China"), items=[chinese])]})
    en = render_markdown(mixed, "en")
    assert "## Reported in Chinese\n\n- 央行开展逆回购操作 (Chinese)" in en
    (listed,) = [s for s in import_markdown(en).sections if s.compact]
    assert [i.title.zh for i in listed.items] == ["央行开展逆回购操作"]
