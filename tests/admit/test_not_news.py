"""The not-news rules of admission.yaml, on texts written for these tests."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from briefing.admit import (
    is_boilerplate_line,
    load_rules,
    not_news,
    strip_boilerplate,
    usable_publisher,
)
from briefing.errors import ConfigError

REJECTED = [
    # (rule, title, text, categories)
    ("notice", "某某资讯客户端下线公告",
     "尊敬的用户：本产品已于今日停止服务。如有疑问请联系客服热线 400-000-0000。", ()),
    ("notice", "Service notice", "Sorry for the inconvenience: this feed has moved.", ()),
    ("notice", "404 Not Found", "", ()),
    ("promotion", "【推广】三步学会理财，年化收益看得见", "扫码领取新人礼包。", ()),
    ("promotion", "Sponsored: Five ways a smart thermostat pays for itself", "A guide.", ()),
    ("promotion", "Why our cloud is faster", "This post is sponsored by Acme Cloud.", ()),
    ("promotion", "Best travel cards", "Compare offers.", ("Sponsored",)),
    ("podcast", "Podcast: The chip war heats up", "This week we talk to two analysts.", ()),
    ("podcast", "Markets this week", "Hosts discuss rate cuts.", ("Podcast",)),
    ("podcast", "Inflation, explained (audio)", "", ()),
    ("quiz", "The week's news quiz: how closely were you following?", "Ten questions.", ()),
    ("quiz", "Quiz: Which central bank moved first?", "", ()),
    ("live-shell", "Live updates: Parliament votes on the budget", "Follow along here.", ()),
    ("live-shell", "图文直播：央行新闻发布会", "敬请关注。", ()),
    ("newsletter", "The Morning Briefing: what to know today",
     "Sign up for our morning newsletter to get it in your inbox.", ()),
    ("comment-digest", "Letters to the editor: on the new port", "Readers wrote in.", ()),
    ("comment-digest", "网友热议：房贷利率又降了", "精选几条留言。", ()),
    ("newsletter", "Region: All of the Region Today - March 3, 2026", "Headlines of the day.", ()),
    ("related-links", "Related stories", "Related: story one; story two; story three", ()),
    ("tweet", "A post on X", "Rates are on hold again.\n— Some Paper (@SomePaper) March 27, 2024", ()),
]

NEWS = [
    ("Police quiz driver after crash on the ring road", "Officers questioned a man on Tuesday."),
    ("Spotify's podcast unit turns its first annual profit",
     "The streaming company said its podcast business earned money for the first time " * 3),
    ("Kenya Open presented by a bank returns to Nairobi", "Six former champions are back."),
    ("Comment: The central bank is too slow", "An opinion column arguing for a cut."),
    ("央行宣布下调存款准备金率0.5个百分点", "中国人民银行今日宣布，下调金融机构存款准备金率。"),
    ("Live cattle futures rise on export demand", "Prices rose 2% in Chicago trade. " * 30),
    ("Substack says paid newsletter subscriptions doubled", "The company said " * 80),
    ("Talks will resume on March 3, 2026, envoys say", "Both sides agreed to meet again."),
    ("What to know about the Fed's decision today", "The bank meets at 2 p.m."),
    # a report whose title carries its date is not a dated edition
    ("Kenya: Third Man Charged Over Robbery of Mobile-Money Agent - March 3, 2026",
     "Police in Nakuru said the suspect was arrested on Monday."),
]


@pytest.mark.parametrize(("rule", "title", "text", "cats"), REJECTED)
def test_not_news_is_rejected_with_the_rule_and_what_matched(
    rule: str, title: str, text: str, cats: tuple[str, ...]
) -> None:
    verdict = not_news(title, text, cats)
    assert verdict is not None, title
    assert verdict.rule == rule
    assert str(verdict).startswith(f"{rule}: ")
    assert verdict.evidence  # a person can see what matched


@pytest.mark.parametrize(("title", "text"), NEWS)
def test_news_is_not_rejected(title: str, text: str) -> None:
    assert not_news(title, text) is None


def test_length_limited_rules_leave_long_reports_alone() -> None:
    shell = not_news("Live updates: storm reaches the coast", "Follow our coverage.")
    assert shell is not None and shell.rule == "live-shell"
    report = "The storm made landfall at dawn, cutting power to 200,000 homes. " * 20
    assert not_news("Live updates: storm reaches the coast", report) is None


@pytest.mark.parametrize(
    "line",
    [
        "编者按：本文来源于某某财经公众号，经授权转载。",
        "本文来源：某某证券研究所",
        "原标题：一季度经济数据解读",
        "— The Daily Example (@DailyExample) March 27, 2024",
        "The post Ten charts on trade appeared first on Example Weekly.",
        "pic.twitter.com/AbC123xyz",
        "RELATED: Port strike enters its second week",
        "Read more: What the rate cut means for mortgages",
        "相关阅读：一月信贷数据解读",
    ],
)
def test_boilerplate_lines(line: str) -> None:
    assert is_boilerplate_line(line)


def test_strip_boilerplate_keeps_the_report() -> None:
    lines = ["编者按：本文转载自某某日报。", "国家统计局今日公布1月CPI同比上涨0.8%。", "来源：某某网"]
    assert strip_boilerplate(lines) == ["国家统计局今日公布1月CPI同比上涨0.8%。"]
    # an ordinary sentence that mentions a source is not boilerplate
    assert not is_boilerplate_line("据路透社报道，来源于多位知情人士的消息称该行将降息。")
    assert not is_boilerplate_line("Related companies also reported higher sales.")


@pytest.mark.parametrize("name", ["网易版权所有", "© 2026 Example Media", "Copyright Example Ltd",
                                  "All rights reserved", ""])
def test_copyright_lines_are_not_publishers(name: str) -> None:
    assert usable_publisher(name) is None


def test_real_publisher_names_are_kept() -> None:
    assert usable_publisher(" 证券时报网 ") == "证券时报网"
    assert usable_publisher("Reuters") == "Reuters"


def test_rules_file_errors_name_the_file_and_key(tmp_path: Path) -> None:
    bad = tmp_path / "admission.yaml"
    bad.write_text("rules:\n  - id: x\n    reason: y\n    title: ['(unclosed']\n", "utf-8")
    with pytest.raises(ConfigError, match=re.escape(str(bad)) + r".*rules\.0\.title"):
        load_rules(bad)


def test_custom_rules_replace_the_bundled_ones(tmp_path: Path) -> None:
    path = tmp_path / "admission.yaml"
    path.write_text("rules:\n  - id: horoscope\n    reason: not news\n    title: ['horoscope']\n",
                    "utf-8")
    rules = load_rules(path)
    assert not_news("Your horoscope for Tuesday", rules=rules) is not None
    assert not_news("Podcast: anything", rules=rules) is None


@pytest.mark.parametrize(("title", "rule"), [
    ("The 11 most infamous abductions in modern history", "evergreen"),
    ("The biggest box office flops of the 21st century", "evergreen"),
    ("Lantern festivals across Asia, in pictures", "gallery"),
    ("Photos: Floods sweep through the delta", "gallery"),
    ("春节庙会人潮涌动（组图）", "gallery"),
])
def test_rankings_of_all_time_and_galleries_are_not_the_days_news(title: str, rule: str) -> None:
    verdict = not_news(title, "A short text.")
    assert verdict is not None and verdict.rule == rule


@pytest.mark.parametrize("title", [
    "The biggest falls on the FTSE this week as miners slide",
    "Stocks post biggest gain in history of the index after rate cut",
    "Pictures show damage after overnight strikes on the port",
])
def test_news_that_only_sounds_like_a_ranking_or_gallery_stays(title: str) -> None:
    assert not_news(title, "A short text.") is None


def test_a_gallery_is_told_by_the_note_at_its_head() -> None:
    verdict = not_news("Photos of lantern festivals across the river towns",
                       "Crowds lit paper lanterns along the quays. This is a photo gallery curated by the picture desk.")
    assert verdict is not None and verdict.rule == "gallery"
    assert not_news("Photos of the wreck show a cracked hull",
                    "Investigators said the photos of the wreck show a cracked hull.") is None


def test_rules_match_any_case_and_show_the_words_as_written(tmp_path: Path) -> None:
    """Lowercase rules search lowercased text (no re.I); a rule naming capitals keeps re.I."""
    path = tmp_path / "admission.yaml"
    path.write_text(
        "rules:\n"
        "  - id: lower\n    reason: r\n    text: ['ad feature\\b']\n"
        "  - id: capitals\n    reason: r\n    title: ['[A-Z]{3} ALERT']\n",
        "utf-8",
    )
    rules = load_rules(path)
    assert [r.lowered for r in rules.rules] == [True, False]
    verdict = not_news("Rates", "An AD Feature for savers.", rules=rules)
    assert verdict is not None and verdict.rule == "lower"
    assert "AD Feature" in verdict.evidence  # as written, not lowercased
    assert not_news("fed alert", rules=rules) is not None  # re.I: any case still matches
    # a character whose lowercase is longer ('İ' -> 'i̇') shifts no evidence out of place
    shifted = not_news("x", "İİ an ad feature", rules=rules)
    assert shifted is not None and "ad feature" in shifted.evidence
