"""The day's title: the top story's own title in each language, never another language's."""

from __future__ import annotations

from briefing.analyse.lexicon import lexicon
from briefing.analyse.rules.headline import day_title
from briefing.model import Item, Text


def _item(n: int, zh: str = "", en: str = "") -> Item:
    return Item(id=f"i{n}", title=Text(zh=zh, en=en))


def test_each_language_takes_its_first_own_title() -> None:
    items = [_item(1, en="Fed holds rates steady as inflation cools"), _item(2, zh="央行下调存款准备金率")]
    title = day_title(items, lexicon())
    assert title.en == "Fed holds rates steady as inflation cools"
    assert title.zh == "央行下调存款准备金率"


def test_a_day_told_only_in_english_gets_a_chinese_title_of_its_own() -> None:
    items = [
        _item(1, en="Trump says Iran talks in Geneva will be hard"),
        _item(2, en="Iran holds naval drill in the Strait of Hormuz"),
        _item(3, en="Sudan market strike kills 28"),
    ]
    title = day_title(items, lexicon())
    assert title.en == "Trump says Iran talks in Geneva will be hard"
    assert title.zh.startswith("今日外文要闻：特朗普、伊朗")
    assert not any(ch.isascii() and ch.isalpha() for ch in title.zh)


def test_without_names_the_title_still_counts_the_stories() -> None:
    title = day_title([_item(1, zh="某地举办灯会"), _item(2, zh="春运客流创新高")], lexicon())
    assert title.en == "Reported in Chinese today"
