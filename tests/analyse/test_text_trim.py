"""Trimming never leaves a quote or bracket open."""

from briefing.analyse.text import balanced_end, open_pairs, trim


def test_open_pairs_lists_what_is_owed() -> None:
    assert open_pairs("金价走出“过山车") == ["”"]
    assert open_pairs("（据《财经》报道）") == []


def test_balanced_end_reaches_the_closer_or_the_end() -> None:
    text = "国际金价走出罕见的“过山车”行情"
    end = balanced_end(text, 0, text.index("车") + 1)
    assert text[:end] == "国际金价走出罕见的“过山车”"
    assert balanced_end("价格（未完", 0, 3) == len("价格（未完")


def test_trim_cuts_at_a_clause_outside_quotes() -> None:
    text = "央行表示，“今年将继续实施适度宽松的货币政策，保持流动性合理充裕”，市场反应平淡，股指小幅收涨"
    cut = trim(text, 30)
    assert not open_pairs(cut.rstrip("…")) and cut.endswith("…")
    assert cut.startswith("央行表示")


def test_a_quotation_ends_the_cut_rather_than_one_word_of_its_attribution() -> None:
    text = ("“The cabinet will ask prosecutors to look into what the three platforms may be doing "
            "with their image generators, and to act on it without delay,” Spain's prime minister "
            "wrote on Tuesday in a long post")
    cut = trim(text, 160)
    assert cut.endswith("without delay,”…") and not open_pairs(cut)
    assert trim("Markets rose on Tuesday as investors weighed the outlook for rates and growth", 40) == \
        "Markets rose on Tuesday as investors…"
