"""Key points are whole sentences: never cut, brackets closed, no bylines, no repeats."""

from __future__ import annotations

import dataclasses

from briefing.analyse.base import Story
from briefing.analyse.lexicon import lexicon
from briefing.analyse.rules.keypoints import balanced, key_points
from briefing.article import Parallel
from tests.analyse.helpers import make_article


def _story(*articles) -> Story:  # type: ignore[no-untyped-def]
    return Story(id="s1", articles=tuple(articles), section="markets", score=1.0)


def test_points_are_whole_balanced_sentences_without_bylines() -> None:
    long = "欧佩克+同意" + "，".join(["自4月起每日减产50万桶"] * 12) + "。"
    text = ("（记者 张三）\n欧佩克+同意自4月起每日减产50万桶，沙特将承担最大份额。"
            "消息公布后，布伦特原油期货大涨4.1%，报每桶78.40美元。"
            "【相关阅读：油价还会涨吗\n" + long + "分析人士认为，供应收紧将在二季度逐步显现。")
    points = [p.zh for p in key_points(_story(make_article("欧佩克+宣布减产", text)), lexicon(), 5)]
    assert points and all(balanced(p) and "…" not in p for p in points)
    assert not any("记者" in p or "相关阅读" in p for p in points)
    assert long.rstrip("。") not in points  # too long for a point: left out, not cut


def test_a_point_made_by_an_earlier_item_is_not_made_again() -> None:
    shared = "美联储周三宣布将联邦基金利率目标区间维持在3.50%至3.75%不变。"
    first = _story(make_article("美联储维持利率不变", shared + "鲍威尔表示，委员会不急于进一步降息。"))
    second = dataclasses.replace(_story(make_article(
        "美股收盘下跌", shared + "道指收跌0.4%，纳指跌0.6%，科技股普遍走低。", source="b")), id="s2")
    seen: dict[str, list[set[str]]] = {}
    one = [p.zh for p in key_points(first, lexicon(), 5, seen)]
    two = [p.zh for p in key_points(second, lexicon(), 5, seen)]
    assert any("3.50%" in p for p in one) and not any("3.50%" in p for p in two)


def test_parallel_text_gives_points_in_the_other_language() -> None:
    article = dataclasses.replace(
        make_article("央行宣布降准0.5个百分点", "中国人民银行宣布下调存款准备金率0.5个百分点，释放长期资金约1万亿元。"),
        parallel=Parallel(lang="en", title="PBOC cuts reserve ratio by 0.5 point",
                          text="The People's Bank of China cut banks' reserve requirement ratio by "
                               "0.5 percentage point, releasing about 1 trillion yuan of long-term funds.",
                          text_norm="The People's Bank of China cut banks' reserve requirement ratio by "
                                    "0.5 percentage point, releasing about 1 trillion yuan of long-term funds."))
    points = key_points(_story(article), lexicon(), 5)
    assert points[0].zh.startswith("中国人民银行") and points[0].en.startswith("The People's Bank")


def test_a_sentence_the_source_cut_short_is_no_point_and_bracketed_datelines_go() -> None:
    text = ("[Harbour Radio] Mombasa -- The port authority said on Tuesday that container volumes "
            "rose 12% in January from a year earlier. The authority expects new cranes to lift "
            "capacity further before the rainy season, which usually slows loading at the…")
    points = [p.en for p in key_points(_story(make_article("Port volumes rise", text, lang="en")),
                                       lexicon(), 5)]
    assert points == ["The port authority said on Tuesday that container volumes rose 12% in "
                      "January from a year earlier"]


def test_a_list_marker_kept_by_the_source_is_not_part_of_the_point() -> None:
    text = "• Ministers in Lagos approved a 4.5% rise in the minimum wage after a week of strikes."
    points = [p.en for p in key_points(_story(make_article("Wage rise approved", text, lang="en")), lexicon(), 5)]
    assert points == ["Ministers in Lagos approved a 4.5% rise in the minimum wage after a week of strikes"]


def test_one_statement_paraphrased_by_two_outlets_is_one_point() -> None:
    first = make_article("港口罢工进入第三天", "港务局发言人表示，在工会作出相应答复之前，港口的夜班装卸作业将继续暂停。"
                         "罢工已导致约40艘货轮在锚地等候。", source="a")
    second = make_article("港口罢工持续", "港务局则表示，在工会做出答复之前，港口夜班装卸将持续暂停，显示资方立场并未松动。"
                          "港务局发言人还表示，白班作业已恢复八成。", source="b")
    points = [p.zh for p in key_points(_story(first, second), lexicon(), 5)]
    assert sum("夜班" in p for p in points) == 1
    assert any("40艘" in p for p in points) and any("白班" in p for p in points)  # other facts stay


def test_the_sentence_an_untitled_posts_title_was_cut_from_is_no_point() -> None:
    # Blogs title an untitled post with its first words cut short: that sentence is the title.
    body = ("Why spreadsheets still run the world: a field guide. Most firms keep their "
            "budgets in shared workbooks that nobody audits, the survey of 400 finance teams found.")
    article = make_article("Why spreadsheets still run the world:…", body, lang="en")
    points = [p.en for p in key_points(_story(article), lexicon(), 5)]
    assert not any(p.startswith("Why spreadsheets") for p in points)
    assert any(p.startswith("Most firms keep") for p in points)


def test_a_title_cut_from_the_first_sentence_is_that_sentence() -> None:
    from briefing.analyse.rules.analyst import article_title

    body = "央行宣布下调存款准备金率0.5个百分点，释放长期资金约1万亿元。市场普遍预期年内仍有空间。"
    assert article_title(make_article("央行宣布下调存款准备金率0.5个百分点…", body)) == (
        "央行宣布下调存款准备金率0.5个百分点，释放长期资金约1万亿元")
    # a whole title stays; so does one that happens to end in an ellipsis
    assert article_title(make_article("央行降准", body)) == "央行降准"
    assert article_title(make_article("What comes next…", "Nobody knows, the minister said.",
                                      lang="en")) == "What comes next…"


def test_unrelated_english_points_of_two_items_are_both_made() -> None:
    # Letter pairs of any short English sentence mostly turn up in any longer one: compared
    # that way, the second item's only point passed for a repeat of the first item's.
    first = _story(make_article("Harbour board seeks wider powers", (
        "The harbour board of Port Ellis will seek broader powers to regulate pilot licensing, "
        "which its chair said on Monday was needed to protect crews from fast-changing shipping "
        "risks, heavy congestion and unqualified operators."), lang="en"))
    second = dataclasses.replace(_story(make_article("Court rules on grazing land", (
        "A regional court held that occupying councils cannot confiscate common grazing land."),
        lang="en", source="b")), id="s2")
    seen: dict[str, list[set[str]]] = {}
    assert key_points(first, lexicon(), 4, seen)
    assert [p.en for p in key_points(second, lexicon(), 4, seen)] == [
        "A regional court held that occupying councils cannot confiscate common grazing land"]


def test_one_english_statement_paraphrased_by_two_outlets_is_one_point() -> None:
    first = make_article("Ferry strike enters third day", (
        "The ferry operator said night sailings to the islands would stay suspended until the "
        "union answers its latest offer. About 40 lorries are queuing at the terminal."),
        lang="en", source="a")
    second = make_article("Ferry strike goes on", (
        "Night sailings to the islands will remain suspended until the union answers the latest "
        "offer, the ferry operator said. Day sailings resumed at 80% of the timetable."),
        lang="en", source="b")
    points = [p.en for p in key_points(_story(first, second), lexicon(), 5)]
    assert sum("suspended" in p for p in points) == 1
    assert any("40 lorries" in p for p in points) and any("80%" in p for p in points)


def test_a_sentence_opening_on_a_pronoun_is_no_point() -> None:
    text = ("The mayor of Dunmore opened the new tram line on Saturday after four years of work. "
            "He said the line would carry 20,000 riders a day by the end of the year. "
            "That is a serious test for the city's buses, which lost 15% of riders last year. "
            "We have reported on the delays since the first rails were laid in 2022. "
            "Fares will be capped at two euros for the first six months of service.")
    points = [p.en for p in key_points(_story(make_article("Tram line opens", text, lang="en")), lexicon(), 5)]
    assert points and not any(p.startswith(("He ", "That ", "We ")) for p in points)
    assert any(p.startswith("Fares will be capped") for p in points)


def test_a_story_that_happened_reads_no_point_from_its_announcements() -> None:
    report = make_article("Port unions and owners sign wage deal", (
        "Port unions and terminal owners signed a three-year wage deal on Tuesday, ending the "
        "strike that had idled 40 ships."), lang="en", source="a")
    preview = make_article("Port unions and owners to meet on Tuesday", (
        "Negotiators for the unions and the owners will meet at the harbour office on Tuesday "
        "for a last round of wage talks."), lang="en", source="b")
    points = [p.en for p in key_points(_story(report, preview), lexicon(), 5)]
    assert points == ["Port unions and terminal owners signed a three-year wage deal on Tuesday, "
                      "ending the strike that had idled 40 ships"]
    # a story that is itself an announcement keeps the announcement's points
    alone = [p.en for p in key_points(_story(preview), lexicon(), 5)]
    assert alone and alone[0].startswith("Negotiators for the unions")


def test_a_question_is_no_point() -> None:
    text = ("The harbour office published the new pilot rules on Monday after a year of "
            "consultation. As traffic keeps growing, what challenges remain for the channel? "
            "Pilots will need 200 supervised transits before they may work alone.")
    points = [p.en for p in key_points(_story(make_article("Pilot rules out", text, lang="en")), lexicon(), 5)]
    assert len(points) == 2 and not any("?" in p for p in points)


def test_an_all_capitals_dateline_with_a_colon_goes() -> None:
    text = ("PORT ELLIS / HARBOURTON: The two harbour boards agreed on Monday to share pilot rosters "
            "for the 12 busiest weeks of the year.")
    points = [p.en for p in key_points(_story(make_article("Boards share pilots", text, lang="en")), lexicon(), 5)]
    assert points == ["The two harbour boards agreed on Monday to share pilot rosters for the 12 busiest "
                      "weeks of the year"]
