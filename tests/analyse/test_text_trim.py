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
