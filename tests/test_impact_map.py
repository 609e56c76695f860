"""The impact map: grouping, stance, counts and links, drawn as inline SVG in both editions."""

from __future__ import annotations

from pathlib import Path

from lxml import html as lxml_html

from briefing.model import Briefing, Impact, Item, Section, Text
from briefing.render.html import render_html
from briefing.render.impact_map import palette

SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "briefing-2026-02-05.json"


def _impact(key: str, zh: str, en: str, stance: str) -> Impact:
    return Impact(target=Text(zh=zh, en=en), target_key=key, stance=stance)  # type: ignore[arg-type]


def _day() -> Briefing:
    gold_up = _impact("gold", "黄金", "Gold", "bullish")
    items = [
        Item(id="a", title=Text(zh="金价大涨", en="Gold jumps"), impacts=[gold_up, _impact("usd", "美元", "US dollar", "bearish")]),
        Item(id="b", title=Text(zh="央行购金", en="Central banks buy gold"), impacts=[_impact("gold", "黄金", "Gold", "lean_bullish")]),
        Item(id="c", title=Text(zh="降息预期", en="Rate-cut bets"), impacts=[
            _impact("rates", "利率", "Rates", "dovish"), _impact("gold", "黄金", "Gold", "bullish")]),
        Item(id="d", title=Text(zh="无标注", en="Untagged"), impacts=[
            Impact(kind="note", target=Text(zh="投资启示", en="Takeaway"), reason=Text(zh="看多", en="Long"))]),
    ]
    return Briefing(date="2026-02-05", title=Text(zh="测试", en="Test"),  # type: ignore[arg-type]
                    sections=[Section(key="markets", title=Text(zh="市场", en="Markets"), items=items)])


def _rows(doc: lxml_html.HtmlElement) -> dict[str, lxml_html.HtmlElement]:
    return {g.get("data-asset"): g for g in doc.xpath("//svg//g[@class='im-row']")}


def test_assets_grouped_with_stance_counts_and_links() -> None:
    doc = lxml_html.fromstring(render_html(_day(), "en"))
    classes = [c.text for c in doc.xpath("//section[@id='impact-map']//figcaption")]
    assert classes == ["Rates & bonds", "Currencies", "Commodities"]  # data/impact_map.yaml order
    rows = _rows(doc)
    assert set(rows) == {"gold", "usd", "rates"}
    gold = rows["gold"]
    assert gold.get("data-stance") == "bullish"  # two bullish, one lean: the most frequent wins
    links = gold.xpath(".//a/@href")
    anchors = doc.xpath("//article[@class='item']/@id")
    assert links == ["#" + anchors[0], "#" + anchors[1], "#" + anchors[2]]  # one block per story
    # the arrow points the way: up for gold, down for the dollar and for dovish rates
    def tip_is_up(row: lxml_html.HtmlElement) -> bool:
        ys = [float(p.split(",")[1]) for p in row.xpath(".//polygon/@points")[0].split()]
        return ys[2] < ys[0]
    assert tip_is_up(gold) and not tip_is_up(rows["usd"]) and not tip_is_up(rows["rates"])
    # colour: English readers see green for up
    up, _ = palette("en")["up"]
    assert gold.xpath(".//polygon/@fill") == [up]
    # a text equivalent with the same links
    text = doc.xpath("//details[@class='impact-map-text']")[0]
    assert "Gold" in text.text_content() and "3 stories" in text.text_content()
    assert set(text.xpath(".//a/@href")) == {"#" + a for a in anchors[:3]}


def test_localised_and_red_up_in_chinese() -> None:
    doc = lxml_html.fromstring(render_html(_day(), "zh"))
    assert doc.xpath("//h2[@id='impact-map-title']")[0].text == "影响地图"
    gold = _rows(doc)["gold"]
    assert "黄金" in gold.text_content()
    assert gold.xpath(".//polygon/@fill") == [palette("zh")["up"][0]] and palette("zh")["up"][0] != palette("en")["up"][0]
    hant = lxml_html.fromstring(render_html(_day(), "zh-Hant"))
    assert hant.xpath("//h2[@id='impact-map-title']")[0].text == "影響地圖"


def test_no_map_without_impacts_and_deterministic() -> None:
    day = _day()
    bare = day.model_copy(update={"sections": [day.sections[0].model_copy(update={"items": day.sections[0].items[3:]})]})
    assert 'id="impact-map"' not in render_html(bare, "en")
    assert render_html(day, "en") == render_html(day, "en")


def test_sample_day_map_covers_every_tagged_item() -> None:
    day = Briefing.from_json(SAMPLE.read_text(encoding="utf-8"))
    doc = lxml_html.fromstring(render_html(day, "en"))
    linked = {h[1:] for h in doc.xpath("//section[@id='impact-map']//svg//a/@href")}
    tagged = {a for a, item in zip(doc.xpath("//*[starts-with(@id,'item-')]/@id"), day.items(), strict=True)
              if any(i.kind == "impact" for i in item.impacts)}
    assert linked == tagged


def test_two_way_and_unknown_stances_are_drawn() -> None:
    day = _day()
    items = day.sections[0].items
    items[3].impacts.append(_impact("crude_oil", "原油", "Crude oil", "volatile"))
    doc = lxml_html.fromstring(render_html(day, "en"))
    crude = _rows(doc)["crude_oil"]
    assert crude.get("data-stance") == "volatile" and len(crude.xpath(".//polygon")) == 2


def test_counts_of_one_are_singular_in_english() -> None:
    one = Briefing(date="2026-02-05", title=Text(zh="测试", en="Test"),  # type: ignore[arg-type]
                   sections=[Section(key="markets", title=Text(zh="市场", en="Markets"), items=[
                       Item(id="a", title=Text(zh="金价大涨", en="Gold jumps"),
                            impacts=[_impact("gold", "黄金", "Gold", "bullish")])])])
    text = lxml_html.fromstring(render_html(one, "en")).text_content()
    assert "1 asset tagged by 1 story today" in text and "1 stories" not in text
    assert "今日 1 项资产、1 条新闻的影响标注" in lxml_html.fromstring(render_html(one, "zh")).text_content()
    many = lxml_html.fromstring(render_html(_day(), "en")).text_content()
    assert "3 assets tagged by 3 stories today" in many
