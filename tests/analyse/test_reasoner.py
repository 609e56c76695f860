"""The impact reasoner on the faults it was built to fix, each in a sentence of our own."""

from __future__ import annotations

import pytest

from briefing.analyse.base import Story
from briefing.analyse.lexicon import lexicon
from briefing.analyse.reasoner import find_impacts, read_story
from briefing.analyse.reasoner.interpret import interpret
from briefing.analyse.reasoner.knowledge import event_book
from briefing.knowledge import stance_vocabulary
from briefing.model import Impact

from .helpers import make_article

UP = {"bullish", "lean_bullish"}
DOWN = {"bearish", "lean_bearish"}


def story(text: str, title: str = "", lang: str = "zh-Hans", *more: tuple[str, str, str]) -> Story:
    articles = [make_article(title, text, lang=lang, source="a")]
    for n, (t, body, language) in enumerate(more):
        articles.append(make_article(t, body, lang=language, source=f"s{n}"))
    return Story(id="s", articles=tuple(articles), section="markets", score=1.0)


def tags(text: str, title: str = "", lang: str = "zh-Hans") -> dict[str, Impact]:
    analysis = read_story(story(text, title, lang), lexicon())
    return {i.target_key or "": i for i in find_impacts(analysis, lexicon(), stance_vocabulary())}


# -- aliases are words, not pieces of words --------------------------------------------------

def test_black_gold_is_crude_oil_not_gold() -> None:
    found = tags("受中东供应担忧推动，黑金价格周二大涨4%。")
    assert "gold" not in found
    assert found["crude_oil"].stance == "bullish"


@pytest.mark.parametrize("text", [
    "黄金周期间出境游订单大涨三成。",
    "中国人民银行表示，银行间市场流动性保持充裕，资金利率小幅上行。",
    "欧元区通胀率上升至2.6%。",
])
def test_words_that_contain_an_asset_name_do_not_tag_it(text: str) -> None:
    found = tags(text)
    assert not {"gold", "banks", "eur"} & set(found), found


# -- currency pairs read both ways ----------------------------------------------------------

def test_yen_falling_against_the_dollar_is_yen_down_and_dollar_up() -> None:
    found = tags("日元兑美元跌超1%，触及34年低点。")
    assert found["jpy"].stance in DOWN
    assert found["usd"].stance in UP
    assert found["usd"].rule == "move.up.pair"


def test_pound_falling_against_the_dollar_lifts_the_dollar() -> None:
    found = tags("英镑对美元汇率下跌，盘中失守1.25关口。")
    assert found["gbp"].stance in DOWN
    assert found["usd"].stance in UP


def test_english_pair_with_the_counter_at_the_end() -> None:
    found = tags("The yen weakened 1.3% against the dollar after the election.", lang="en")
    assert found["jpy"].stance in DOWN
    assert found["usd"].stance in UP


def test_a_price_in_dollars_is_not_the_dollar() -> None:
    found = tags("现货黄金升破5300美元，日内涨2%。")
    assert "usd" not in found
    assert found["gold"].stance in UP


# -- a cue belongs to the name it follows --------------------------------------------------

def test_a_strong_dollar_is_not_given_to_rates() -> None:
    found = tags("10年期美债收益率基本持平，美元指数则明显走强。")
    assert "rates" not in found
    assert found["usd"].stance in UP


def test_a_market_name_before_a_sector_is_the_sector() -> None:
    found = tags("受消息提振，A股旅游板块尾盘走强。")
    assert "a_shares" not in found


# -- hedges, negation, counterfactuals --------------------------------------------------------

def test_what_should_have_happened_is_not_what_happened() -> None:
    found = tags("按理说，避险情绪升温时金价应该暴涨，但实际却下跌了1%。")
    assert found["gold"].stance in DOWN


def test_hard_to_fall_means_staying_high() -> None:
    analysis = read_story(story("分析人士认为，美国通胀短期内难以回落。"), lexicon())
    fired = {(f.event, f.outcome) for _, r in analysis.readings for f in r.fired}
    assert ("us_inflation", "up") in fired


def test_a_negated_cue_is_no_move() -> None:
    assert "cny" not in tags("人民币汇率并未出现此前市场担心的贬值。")


def test_a_condition_is_not_a_fact() -> None:
    assert tags("如果美联储降息，金价将大涨。") == {}


def test_a_hedged_move_is_a_lean() -> None:
    found = tags("分析师称，油价或将大涨。")
    assert found["crude_oil"].stance == "lean_bullish"


def test_a_supposed_consequence_is_no_market_move() -> None:
    text = ("Tehran has often warned it may shut the Strait of Hormuz in answer to any strike, "
            "a step that would cut a fifth of the world's oil supply and send crude prices sharply higher.")
    assert all(i.rule != "move.up" for i in tags(text, lang="en").values())
    assert tags("Crude prices rose sharply on Monday after the drill.", lang="en")["crude_oil"].rule == "move.up"


def test_new_jobs_in_a_speech_are_no_jobs_report() -> None:
    text = "New jobs come up and new fields come up, the founder said at the AI summit in Delhi."
    assert not any((i.rule or "").startswith("us_jobs") for i in tags(text, lang="en").values())
    found = tags("US employers added 256,000 jobs in January, far above forecasts.", lang="en")
    assert found["rates"].rule == "us_jobs.up"


# -- data read against the prior, the forecast or a record ----------------------------------------

def test_cpi_rising_to_a_nine_month_low_is_inflation_easing() -> None:
    found = tags("美国1月CPI同比上涨2.4%，创9个月新低。")
    assert found["inflation"].stance == "lean_bearish"
    assert found["rates"].stance == "dovish"
    assert found["rates"].rule == "us_inflation.down"


def test_jobs_far_below_forecast_are_weak() -> None:
    found = tags("美国1月ADP就业人数仅增加2.2万人，远低于预期的4.8万人。")
    assert found["rates"].stance == "dovish"
    assert found["gold"].stance in UP
    assert found["usd"].stance in DOWN


def test_unemployment_rising_is_jobs_falling() -> None:
    found = tags("US unemployment rate rose to 4.6%, the highest since 2021.", lang="en")
    assert found["rates"].stance == "dovish"


def test_an_inventory_draw_supports_oil() -> None:
    found = tags("EIA数据显示，美国商业原油库存减少345万桶。")
    assert found["crude_oil"].stance in UP


# -- a rebound clause that names no asset ----------------------------------------------------

def test_a_rebound_after_a_fall_makes_the_market_choppy() -> None:
    found = tags("现货黄金一度跌破4900美元，随后重新站上5000美元。")
    assert found["gold"].stance == "volatile"
    assert found["gold"].stance_text.zh == "短期震荡"


def test_conflicting_rules_give_neutral() -> None:
    found = tags("伊朗与以色列宣布停火，但胡塞武装当天又发动无人机攻击。")
    assert found["crude_oil"].stance == "neutral"
    assert found["crude_oil"].rule == "mixed"


# -- inference from events ---------------------------------------------------------------

def test_a_gulf_attack_moves_oil_and_gold() -> None:
    found = tags("伊朗周二向以色列发射数十枚导弹。", title="中东局势骤然升级")
    assert found["crude_oil"].stance == "bullish"
    assert found["gold"].stance in UP
    assert found["crude_oil"].rule == "conflict_middle_east.escalate"


def test_a_fed_cut_moves_dollar_rates_stocks_and_gold() -> None:
    found = tags("The Federal Reserve cut rates by a quarter point on Wednesday.", lang="en")
    assert found["rates"].stance == "dovish"
    assert found["usd"].stance in DOWN
    assert found["gold"].stance in UP
    assert found["us_stocks"].stance in UP


def test_earnings_move_the_sector_of_the_company() -> None:
    found = tags("AMD公布的业绩指引不及预期，盘后股价大跌17%。")
    assert found["chip_stocks"].stance in DOWN


def test_every_tag_has_its_own_reason_rule_and_evidence() -> None:
    found = tags("伊朗周二向以色列发射数十枚导弹。", title="中东局势骤然升级")
    reasons = [i.reason.zh for i in found.values()]
    assert len(set(reasons)) == len(reasons)
    for impact in found.values():
        assert impact.rule and impact.evidence.zh
        assert impact.reason.en  # a rule's line has both languages


def test_direct_move_beats_the_rule() -> None:
    found = tags("美联储宣布降息，但美元指数不跌反涨，大涨1%。")
    assert found["usd"].stance in UP
    assert found["usd"].rule.startswith("move.")


# -- interpretation -------------------------------------------------------------------------

def test_interpretation_is_chain_magnitude_context_and_watch() -> None:
    text = ("美国1月ADP就业人数仅增加2.2万人，远低于预期的4.8万人。"
            "美国劳工部将于2月6日公布非农就业报告。")
    s = story(text, "美国ADP就业远逊预期", "zh-Hans", ("ADP jobs miss", "ADP said employers added 22,000 jobs.", "en"))
    analysis = read_story(s, lexicon())
    impacts = find_impacts(analysis, lexicon(), stance_vocabulary())
    insights = interpret(s, analysis, impacts, event_book())
    assert 2 <= len(insights) <= 4
    basis = [i.basis for i in insights]
    assert basis[0] == "rule:us_jobs.down"
    assert insights[0].text.zh == event_book().rule("us_jobs", "down").insight.zh
    magnitude = next(i for i in insights if i.text.zh.startswith("幅度"))
    assert "2.2万人" in magnitude.text.zh and "4.8万人" in magnitude.text.zh
    context = next(i for i in insights if i.basis == "story")
    assert "2家来源" in context.text.zh and "2 sources" in context.text.en
    watch = next(i for i in insights if i.text.zh.startswith("后续关注"))
    assert "2月6日" in watch.text.zh


def test_a_story_of_moves_only_is_read_as_the_market_reaction() -> None:
    s = story("纳指收跌1.5%，芯片股遭遇重挫。")
    analysis = read_story(s, lexicon())
    impacts = find_impacts(analysis, lexicon(), stance_vocabulary())
    insights = interpret(s, analysis, impacts, event_book())
    reaction = next(i for i in insights if i.basis.startswith("rule:move."))
    assert reaction.text.zh.startswith("市场反应：") and "芯片股" in reaction.text.zh
    assert "Chip stocks" in reaction.text.en


@pytest.mark.parametrize("text", [
    "双方同意推动务实合作提质升级，俄方愿扩大对华能源出口。",  # 升级 of cooperation is no escalation
    "协鑫科技港股涨超5%。",  # one company's Hong Kong listing is not the Hong Kong market
    "分析人士称，美国CPI下月可能继续上涨。",  # a forecast of a figure is not the figure
])
def test_words_that_look_like_signals_but_are_not(text: str) -> None:
    assert tags(text) == {}


def test_a_figure_against_the_forecast_outranks_a_raw_figure_elsewhere() -> None:
    s = story("美国1月ADP就业人数仅增加2.2万人，远低于预期的4.8万人。", "", "zh-Hans",
              ("ADP", "ADP said employers added 22,000 jobs.", "en"))
    found = {i.target_key: i for i in find_impacts(read_story(s, lexicon()), lexicon(), stance_vocabulary())}
    assert found["rates"].stance == "dovish"


@pytest.mark.parametrize("text", [
    "The two semifinal wins set up a seventh gold-medal showdown between the rivals later this week.",
    "The skier took gold in the big air final on Monday night.",
])
def test_a_gold_medal_is_not_gold(text: str) -> None:
    assert "gold" not in tags(text, lang="en")


@pytest.mark.parametrize(("text", "watched"), [
    ("The envoys will meet again on March 3 in Geneva to finish the text.", True),
    ("The minister said on Monday that the country will keep its troops in the region.", False),
    ("The government will not bring the group home, the prime minister said Tuesday.", False),
])
def test_what_to_watch_needs_a_coming_date(text: str, watched: bool) -> None:
    s = story(text, "Envoys and ministers", "en")
    analysis = read_story(s, lexicon(), event_book())
    lines = [i.text.en for i in interpret(s, analysis, [], event_book())]
    assert any(line.startswith("What to watch") for line in lines) is watched, lines


def test_a_day_gone_by_the_newest_report_is_not_to_watch() -> None:
    # A Tuesday report of talks "on Tuesday", in a story whose newest report is Wednesday's
    from .helpers import make_article

    def watched(*published: str) -> bool:
        texts = ["The envoys will meet in Geneva on Tuesday for a second round of talks.",
                 "Officials from both sides arrived in Geneva, reporters said."]
        arts = tuple(make_article("Envoys meet in Geneva", texts[n], lang="en", source=f"s{n}",
                                  published=when) for n, when in enumerate(published))
        s = Story(id="s", articles=arts, section="geopolitics", score=1.0)
        lines = [i.text.en for i in interpret(s, read_story(s, lexicon()), [], event_book())]
        return any(line.startswith("What to watch") for line in lines)

    tuesday, wednesday = "2026-02-17T11:00:00+00:00", "2026-02-18T06:00:00+00:00"
    assert watched(tuesday, tuesday)
    assert not watched(tuesday, wednesday)
    assert watched("2026-02-16T11:00:00+00:00", "2026-02-16T18:00:00+00:00")  # Monday: to come


def test_an_event_read_both_ways_tells_both_chains() -> None:
    text = ("Iran and the United States will hold a second round of nuclear talks in Geneva, raising hopes "
            "of a deal. Iran launched missiles in a drill in the Strait of Hormuz on Monday.")
    s = story(text, "Iran talks resume as Guards hold drills", "en")
    analysis = read_story(s, lexicon())
    impacts = find_impacts(analysis, lexicon(), stance_vocabulary())
    assert {i.target_key: i for i in impacts}["crude_oil"].rule == "mixed"
    lines = [i.text.en for i in interpret(s, analysis, impacts, event_book())]
    assert any(line.startswith("Signals point both ways:") and "; but " in line for line in lines)


def test_a_diplomatic_escalation_is_no_war() -> None:
    text = ("The land decision is a further escalation of Israel's grip on the West Bank, "
            "a European spokesman said.")
    assert "crude_oil" not in tags(text, lang="en")
    assert tags("Israel and Iran traded missile strikes overnight as the conflict escalated.",
                lang="en")["crude_oil"].stance in UP


def test_war_named_as_background_is_no_escalation() -> None:
    text = ("The letter accuses Israel of war crimes against Palestinians in Gaza and asks the "
            "festival to take a stand.")
    assert "crude_oil" not in tags(text, lang="en")


def test_violence_in_the_west_bank_is_no_oil_shock() -> None:
    # Attacks and raids there are local; only a war that widens, or one with the oil region
    # (Iran, Hezbollah, the Red Sea), moves oil.
    text = ("The measures come amid increasing attacks by Israeli settlers against Palestinians "
            "in the West Bank, rights groups say.")
    assert tags(text, lang="en") == {}
    widening = tags("Israel launched a ground offensive in Gaza, raising fears of a wider war.",
                    lang="en")
    assert widening["crude_oil"].rule == "conflict_levant.escalate"
    assert widening["gold"].stance in UP
    assert tags("Israel and Hezbollah traded missile strikes across the border.",
                lang="en")["crude_oil"].rule == "conflict_middle_east.escalate"


def test_what_the_news_happens_despite_is_not_the_news() -> None:
    text = "Airstrikes killed 12 people in Gaza on Sunday despite the truce, medics said."
    assert "conflict_levant.deescalate" not in {i.rule for i in tags(text, lang="en").values()}
    assert tags("Israel and Hamas agreed to a truce on Sunday, mediators said.",
                lang="en")["crude_oil"].rule == "conflict_levant.deescalate"


def test_declining_to_comment_is_no_fall() -> None:
    text = "Meta declined to comment on the prosecutors' inquiry, a spokesperson said."
    assert tags(text, lang="en") == {}
    assert tags("Meta shares declined to $610 after the report.", lang="en")["tech_stocks"].stance in DOWN


def test_a_ban_on_social_media_is_no_chip_export_control() -> None:
    text = "The prime minister plans to ban social media for children under 16."
    assert "chip_stocks" not in tags(text, title="Spain opens AI chatbot inquiry", lang="en")
    assert tags("Washington banned sales of advanced AI chips to China.",
                lang="en")["chip_stocks"].stance in DOWN


@pytest.mark.parametrize(("text", "fires"), [
    ("Strikes amid the fragile ceasefire killed four people in Gaza.", False),
    ("At least 600 people have been killed in Gaza since the truce began.", False),
    ("Oil slipped amid ceasefire hopes in Gaza.", True),
])
def test_a_truce_in_the_background_is_not_a_new_truce(text: str, fires: bool) -> None:
    rules = {i.rule for i in tags(text, lang="en").values()}
    assert ("conflict_levant.deescalate" in rules) is fires


def test_the_stock_market_of_a_story_about_one_country_is_that_countrys() -> None:
    text = "The stock market has soared on hopes of public spending, while the yen slid."
    found = tags(text, title="Japan's new leader bets on big government", lang="en")
    assert found["japan_stocks"].stance in UP and "equities" not in found
    assert "equities" in tags("World stocks soared on hopes of lower rates.",
                              title="Japan's new leader bets on big government", lang="en")
    assert "equities" in tags(text, title="Leaders meet in Geneva", lang="en")


@pytest.mark.parametrize("text", [
    "Iran has threatened to close the Strait of Hormuz in retaliation against any attack.",
    "The navy is preparing for a possible strike on the Gulf terminals.",
    "伊朗警告将对任何袭击作出回应。",
])
def test_an_act_that_has_not_happened_is_no_event(text: str) -> None:
    zh = any("\u4e00" <= ch <= "\u9fff" for ch in text)
    assert "shipping" not in tags(text, title="Iran", lang="zh-Hans" if zh else "en")
    assert "crude_oil" not in tags(text, title="Iran", lang="zh-Hans" if zh else "en")


def test_a_missile_named_is_no_missile_fired() -> None:
    text = "Washington wants the talks to cover Iran's missile stockpile and its drones programme."
    assert tags(text, lang="en") == {}
    assert tags("Iranian missiles hit two tankers near the Gulf coast.",
                lang="en")["crude_oil"].stance in UP
