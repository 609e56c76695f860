"""Event signatures across languages, and history matched through an index."""

from __future__ import annotations

import datetime as dt

from briefing.analyse import analyse_day
from briefing.analyse.lexicon import lexicon
from briefing.analyse.stories.cluster import article_signature
from briefing.analyse.stories.dictionary import chinese_terms, english_terms
from briefing.analyse.stories.history import HistoryIndex, recent_stories
from briefing.analyse.stories.signature import conflicting_actions, similarity
from briefing.analyse.text import char_ngrams
from briefing.config import Config
from tests.analyse.helpers import make_article

DATE = dt.date(2026, 2, 5)


def _report(title: str, text: str, source: str, hour: int):  # type: ignore[no-untyped-def]
    """An English report of DATE, at `hour` Beijing time."""
    return make_article(title, text, lang="en", source=source, published=f"2026-02-05T{hour:02d}:00:00+08:00")


def _after(yesterday, articles):  # type: ignore[no-untyped-def]
    """(today's stories, those history keeps) with `yesterday` published."""
    from briefing.analyse.stories.cluster import build_stories
    from briefing.analyse.stories.history import apply_history

    lex = lexicon()
    stories = build_stories(articles, lex, Config().analysis.clustering)
    return stories, apply_history(stories, recent_stories([yesterday], DATE, 3, lex), lex)
CLOCK = dt.datetime(2026, 2, 5, 9, tzinfo=dt.UTC)


def _sig(title: str, text: str, lang: str = "zh-Hans"):  # type: ignore[no-untyped-def]
    return article_signature(make_article(title, text, lang=lang), lexicon())


def test_short_forms_and_figures_read_the_same_in_both_languages() -> None:
    zh = _sig("俄美乌三方会谈在阿布扎比举行", "三方代表周三在阿布扎比会谈，涉及2.2万名战俘交换。")
    en = _sig("Russia, US and Ukraine hold talks in Abu Dhabi",
              "Delegations met in Abu Dhabi on Wednesday to discuss a swap of 22,000 prisoners.", "en")
    assert {"russia", "us", "ukraine", "uae"} <= zh.headline & en.headline | zh.places
    assert "22000" in zh.figures & en.figures
    assert zh.actions == en.actions == {"talks"}
    assert similarity(zh, en, {}) >= 0.8


def test_the_same_actor_doing_something_else_is_another_event() -> None:
    complaint = _sig("苹果公司遭大批用户投诉 新系统耗电异常", "苹果公司周二遭到大量用户投诉。")
    launch = _sig("苹果公司推出新支付服务", "苹果公司周二推出一项新的支付服务。")
    assert conflicting_actions(complaint, launch)
    assert similarity(complaint, launch, {}) == 0.0


def test_dictionary_glosses_meet_english_words() -> None:
    assert {"ceasef", "talk"} & chinese_terms("双方同意停火并继续谈判")
    assert "ceasef" in english_terms("Both sides agree to a ceasefire")


def test_a_story_published_in_the_other_language_is_not_run_again() -> None:
    day1 = make_article("俄美乌三方会谈在阿布扎比举行 乌方称会谈富有成效",
                        "俄罗斯、美国和乌克兰代表周三在阿布扎比举行三方会谈，泽连斯基称会谈富有成效。",
                        published="2026-02-03T20:00:00+08:00")
    yesterday = analyse_day([day1], dt.date(2026, 2, 4), Config(), clock=CLOCK)
    again = make_article("Russia, US, Ukraine hold three-way talks in Abu Dhabi",
                         "Russian, US and Ukrainian delegations held talks in Abu Dhabi; Zelensky "
                         "called the talks productive.", lang="en", source="wire",
                         published="2026-02-04T20:00:00+08:00")
    other = make_article("Nvidia unveils new chip", "Nvidia unveiled a new AI chip on Tuesday, "
                         "saying it would ship in the second half.", lang="en", source="wire",
                         published="2026-02-04T21:00:00+08:00")
    items = analyse_day([again, other], DATE, Config(), published=[yesterday], clock=CLOCK).items()
    assert [i.title.en for i in items] == ["Nvidia unveils new chip"]


def test_history_index_offers_only_plausible_items() -> None:
    days = []
    for n in range(20):
        a = make_article(f"公司{n}号发布季度财报 营收{100 + n}亿元",
                         f"该公司公布财报，营收{100 + n}亿元。", source=f"s{n}",
                         published=f"2026-02-0{1 + n % 3}T10:00:00+08:00")
        days.append(analyse_day([a], dt.date(2026, 2, 2 + n % 3), Config(), clock=CLOCK))
    published = recent_stories(days, DATE, 5, lexicon())
    index = HistoryIndex.build(published)
    story_sig = _sig("英伟达发布新一代芯片", "英伟达周二发布新一代AI芯片。")
    assert index.candidates(frozenset(), story_sig, char_ngrams("英伟达发布新一代芯片", 2)) == []
    repeat = make_article("公司7号发布季度财报 营收107亿元", "该公司公布财报，营收107亿元。",
                          source="new", published="2026-02-04T20:00:00+08:00")
    fresh = make_article("公司25号发布季度财报 营收125亿元", "该公司公布财报，营收125亿元。",
                         source="new", published="2026-02-04T20:00:00+08:00")
    items = analyse_day([repeat, fresh], DATE, Config.model_validate({"analysis": {"dedupe_days": 5}}),
                        published=days, clock=CLOCK).items()
    assert [i.title.zh for i in items] == ["公司25号发布季度财报 营收125亿元"]


def test_a_story_first_run_as_a_headline_comes_back_as_a_follow_up_when_reported_in_full() -> None:
    from briefing.analyse.stories.cluster import build_stories
    from briefing.analyse.stories.history import apply_history
    from briefing.model import Briefing, Item, Section, Source, Text

    told = Item(id="y1", title=Text(en="Iran's top diplomat to attend talks with US envoys in Geneva"),
                sources=[Source(name="wire", article_id="old")])
    yesterday = Briefing(date=dt.date(2026, 2, 4), title=Text(en="x"),
                         sections=[Section(key="more", title=Text(en="More"), brief=True, items=[told])])
    reports = [make_article(f"Iran's top diplomat meets US envoys in Geneva for talks ({n})",
                            "Iran's foreign minister met US envoys in Geneva on Tuesday for a second "
                            "round of talks, as Iran held naval drills.", lang="en", source=source,
                            published="2026-02-05T08:00:00+08:00")
               for n, source in enumerate(["a", "b"])]
    lex = lexicon()
    stories = build_stories(reports, lex, Config().analysis.clustering)
    published = recent_stories([yesterday], DATE, 3, lex)
    kept = apply_history(stories, published, lex)
    assert [s.follow_up for s in kept] == [True]
    assert kept[0].prior == (told.title, dt.date(2026, 2, 4))  # what the follow-up continues
    from briefing.analyse.reasoner import read_story
    from briefing.analyse.reasoner.interpret import interpret
    from briefing.analyse.reasoner.knowledge import event_book
    lines = [i.text.en for i in interpret(kept[0], read_story(kept[0], lex), [], event_book())]
    assert ("A running story: the Feb 4 briefing ran “Iran's top diplomat to attend talks with "
            "US envoys in Geneva”; 2 sources (B, A) report what came next") in lines
    one = apply_history(build_stories(reports[:1], lex, Config().analysis.clustering), published, lex)
    assert one == []  # one more report of a headline is a repeat


def test_reactions_of_several_parties_to_one_decision_are_one_event() -> None:
    un = _sig("UN urges Israel to reverse West Bank land decision",
              "The UN chief called the registration of West Bank land as state property unlawful.",
              "en")
    neighbours = _sig("Arab states condemn Israel's West Bank land move",
                      "Jordan, Egypt and Saudi Arabia condemned the land decision in the West Bank.",
                      "en")
    trial = _sig("Israeli settler to be charged over killing in West Bank",
                 "Prosecutors plan to charge a settler over the death of a Palestinian activist.",
                 "en")
    assert un.actions == neighbours.actions == {"condemnation"}
    assert similarity(un, neighbours, {}) > 0.5
    assert similarity(un, trial, {}) == 0.0


def test_a_report_naming_someone_new_is_a_follow_up_and_the_same_names_are_a_repeat() -> None:
    from briefing.analyse.stories.cluster import build_stories
    from briefing.analyse.stories.history import apply_history
    from briefing.model import Briefing, Item, Section, Source, Text

    ran = Item(id="y1", title=Text(en="Iran and US envoys hold nuclear talks in Geneva"),
               key_points=[Text(en="Iran and US envoys met in Geneva for a second round of talks.")],
               sources=[Source(name="wire", article_id="old")])
    yesterday = Briefing(date=dt.date(2026, 2, 4), title=Text(en="x"),
                         sections=[Section(key="geo", title=Text(en="Geo"), items=[ran])])
    lex = lexicon()
    published = recent_stories([yesterday], DATE, 3, lex)

    def kept(title: str, text: str) -> list[bool]:
        report = make_article(title, text, lang="en", source="c",
                              published="2026-02-05T08:00:00+08:00")
        stories = build_stories([report], lex, Config().analysis.clustering)
        return [s.follow_up for s in apply_history(stories, published, lex)]

    assert kept("Putin says Iran and US nuclear talks in Geneva are useful",
                "Putin said the Iran and US talks in Geneva were useful.") == [True]
    assert kept("Iran and US envoys meet again in Geneva for nuclear talks",
                "Iran and US envoys met in Geneva for a second round of talks.") == []


def test_a_story_leads_with_a_report_of_the_event_not_its_announcement() -> None:
    """The earliest report said the talks would happen; later ones, as trusted, report
    them. The lead is the earliest of those, not an interview or a video clip's blurb."""
    from briefing.analyse.stories.cluster import _lead_key, _pick_lead

    def at(hour: int, title: str, **kw: object):  # type: ignore[no-untyped-def]
        return make_article(title, title + ".", lang="en", source=f"s{hour}",
                            published=f"2026-02-17T{hour:02d}:00:00+00:00", **kw)  # type: ignore[arg-type]

    preview = at(8, "US and Iran to meet for second round of nuclear talks")
    interview = at(9, "Former envoy discusses US-Iran nuclear talks")
    clip = at(10, "US and Iran wrap up talks", url="https://tv.example/video/us-iran-talks")
    report = at(11, "Iran says progress made in nuclear talks with the US")
    later = at(12, "Talks end without a deal as Iran and US agree to meet again")
    ranked = sorted([later, report, clip, interview, preview], key=_lead_key)
    assert _pick_lead(ranked) is report
    # a more trusted source still leads, announcement or not; so does a lone announcement
    trusted = at(7, "US and Iran set for nuclear talks", weight=2.0)
    assert _pick_lead(sorted([trusted, report], key=_lead_key)) is trusted
    assert _pick_lead([preview]) is preview
    # a report is no announcement: "raising the total to 79", "will keep supporting"
    plain = at(6, "China grants visa-free entry, raising the total to 79 countries")
    assert _pick_lead(sorted([plain, report], key=_lead_key)) is plain


def test_places_in_common_do_not_join_two_different_kinds_of_act() -> None:
    """Yesterday's Russia–Ukraine talks and today's cucumber prices in wartime Russia name
    the same countries, and their English titles share a third of their letter pairs (a
    quarter is what unrelated titles share): the prices are news of their own, not a
    follow-up. A report telling no act of its own still joins by places and title."""
    from briefing.model import Briefing, Item, Section, Source, Text

    def told(title: str, n: int) -> Item:
        return Item(id=f"y{n}", title=Text(en=title), sources=[Source(name="wire", article_id=f"old{n}")])

    yesterday = Briefing(date=dt.date(2026, 2, 4), title=Text(en="x"), sections=[Section(
        key="world", title=Text(en="World"), items=[
            told("Hopes are slim for the latest US-brokered talks between Russia and Ukraine", 1),
            told("Arab states condemn Israel's West Bank move as the start of annexation", 2),
        ])])
    prices = _report("Prices of cucumbers soar in Russia amid the Ukraine war, and shoppers are angry",
                     "Cucumber prices in Russia have surged as inflation bites during the war in "
                     "Ukraine, angering shoppers.", "a", 8)
    registry = _report("Israel registers West Bank land as state property; Palestinians see annexation",
                       "Israel is registering land in the occupied West Bank as state property; "
                       "Palestinians call it annexation.", "b", 9)
    _, kept = _after(yesterday, [prices, registry])
    assert [(s.lead.title, s.follow_up) for s in kept] == [(prices.title, False)]


def test_one_source_reports_what_came_next() -> None:
    from briefing.analyse.base import Story
    from briefing.analyse.reasoner.interpret import _context
    from briefing.model import Text

    report = make_article("Iran says talks made progress", "Iran said the talks made progress.", lang="en")
    story = Story(id="s1", articles=(report,), section="world", score=1.0, follow_up=True,
                  prior=(Text(en="Iran and US to meet"), dt.date(2026, 2, 4)))
    assert _context(story).text.en == ("A running story: the Feb 4 briefing ran “Iran and US to meet”; "
                                       "1 source (SRC) reports what came next")


def test_a_story_set_among_other_countries_is_not_a_follow_up() -> None:
    """Yesterday Iran's envoys saw the UN watchdog in Geneva before talks with the US; today
    Russian and Ukrainian envoys meet in Geneva for US-brokered talks, and one report covers
    both rounds. Geneva, the US, Iran (in that report), talks and a quarter of the letter
    pairs are shared, a signature similarity of 0.74: the talks were taken for yesterday's
    story, and dropped for want of new figures. Russia and Ukraine, which today's titles
    name, are nowhere in yesterday's item: it is a story of its own."""
    from briefing.model import Briefing, Item, Section, Source, Text

    iran = Item(id="y1", title=Text(en="Iran sees the UN nuclear watchdog in Geneva before a second round of US talks"),
                key_points=[Text(en="Iran staged naval drills near the Strait of Hormuz as a second round of Geneva "
                                    "talks on its nuclear programme drew near")],
                sources=[Source(name="wire", article_id="old1")])
    yesterday = Briefing(date=dt.date(2026, 2, 4), title=Text(en="x"),
                         sections=[Section(key="world", title=Text(en="World"), items=[iran])])
    meet = _report("Russian and Ukrainian envoys meet in Geneva for talks brokered by the US after nearly "
                   "four years of war", "Delegations from Russia and Ukraine met in Geneva on Tuesday for "
                   "talks brokered by the United States.", "a", 8)
    both = _report("Analysis: US envoys handle two sets of crisis talks in Geneva",
                   "American envoys sat down with Russia and Ukraine in Geneva on Tuesday, one day after "
                   "a round with Iran in the same city.", "b", 9)
    stories, kept = _after(yesterday, [meet, both])
    assert len(stories) == 1 and [(s.lead.title, s.follow_up) for s in kept] == [(meet.title, False)]


def test_follow_ups_of_one_published_item_are_one_story() -> None:
    """Yesterday's item told Iran's talks with the US in Geneva. Today one report tells
    Iran shutting Hormuz for drills during the talks, another Vance on the red lines after
    them: clustering keeps them apart (similar, under the bar for one event), but both
    continue yesterday's item, so they are one follow-up, the second report's lead right
    after the first's. Peru's vote continues another item and stays apart."""
    from briefing.model import Briefing, Item, Section, Source, Text

    def told(title: str, point: str, n: int) -> Item:
        return Item(id=f"y{n}", title=Text(en=title), key_points=[Text(en=point)],
                    sources=[Source(name="wire", article_id=f"old{n}")])

    yesterday = Briefing(date=dt.date(2026, 2, 4), title=Text(en="x"), sections=[Section(
        key="world", title=Text(en="World"), items=[
            told("Iran holds indirect talks with the US in Geneva",
                 "Iran and the United States held a second round of indirect talks in Geneva on "
                 "Monday as President Trump warned of strikes", 1),
            told("Peru's Congress debates a motion to remove the interim president",
                 "Lawmakers in Lima debated a motion to remove the interim president over graft claims", 2),
        ])])

    arts = [
        _report("Iran shuts the Strait of Hormuz for drills as its envoys hold talks with the US in Geneva",
               "Iran closed the Strait of Hormuz for naval drills on Tuesday, holding up 140 tankers, while "
               "its negotiators held indirect talks with the United States in Geneva.", "a", 8),
        _report("Iran has not accepted all of Trump's red lines, Vance says after Geneva talks",
               "Iran has not accepted all the red lines President Trump set, Vice President JD Vance said "
               "on Tuesday after the talks in Geneva.", "b", 14),
        _report("Peru's Congress removes interim president Jerí over graft claims",
               "Peru's Congress voted 105 to 24 on Tuesday to remove the interim president, the seventh "
               "head of state in ten years.", "c", 10),
    ]
    stories, kept = _after(yesterday, arts)
    assert len(stories) == 3
    assert sorted([a.title for a in s.articles] for s in kept) == [
        [arts[0].title, arts[1].title], [arts[2].title]]
    assert all(s.follow_up for s in kept)
