"""A publisher's name from a feed's title: the brand the site's domain spells."""

from __future__ import annotations

import pytest

from briefing.ingest.publisher import feed_brand, site_key


@pytest.mark.parametrize(("title", "host", "brand"), [
    ("World - HarbourNews.com", "www.harbournews.com", "HarbourNews.com"),  # section first
    ("Harbour Today - Category World", "harbourtoday.com", "Harbour Today"),
    ("HBN News Search Records Found 1000", "www.hbn.com", "HBN"),  # a feed's wording cut
    ("TheHarbour feed", "theharbour.com", "TheHarbour"),
    ("HPR Topics: World", "www.hpr.org", "HPR"),
    ("EL PUERTO in English", "english.elpuerto.com", "EL PUERTO"),  # accents and languages
    ("Harbour News: International", "harbournews.go.com", "Harbour News"),
    ("Example Wire", "wire.example.com", "Example Wire"),  # a short name stays whole
    ("The Harbour Monitor | World", "www.hmonitor.com", "The Harbour Monitor"),  # no spelling
    ("Top Stories", "www.harbour.net.au", "harbour.net.au"),  # only a section: the host
    ("财新网 - 经济", "www.caixin.com", "财新网 - 经济"),  # the domain cannot read Chinese
    ("经济 - 财新网", "www.caixin.com", "经济 - 财新网"),
    ("World - HarbourNews.com", "127.0.0.1", "World - HarbourNews.com"),  # an address
    ("World - HarbourNews.com", None, "World - HarbourNews.com"),
])
def test_the_brand_a_feed_title_names(title: str, host: str | None, brand: str) -> None:
    assert feed_brand(title, host) == brand


def test_the_name_a_host_spells() -> None:
    assert site_key("world.harbournews.com") == "harbournews"
    assert site_key("www.harbour.net.au") == "harbour"
    assert site_key("en.harbourpress.com") == "harbourpress"
    assert site_key("finance.sina.com.cn") == "sina"
