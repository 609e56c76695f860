"""Publication times in the forms real feeds write them, and the ones we refuse to guess."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from briefing.ingest.dates import parse_date

SHANGHAI = ZoneInfo("Asia/Shanghai")
UTC = dt.UTC


@pytest.mark.parametrize(
    ("value", "china", "utc"),
    [
        ("Seg, 24 Set 2018 10:00:00 -0300", False, "2018-09-24T13:00:00"),  # Portuguese
        ("2026年2月5日 05:02", True, "2026-02-04T21:02:00"),  # zone-less: the source's zone
        ("2026/02/05 05:02:00", True, "2026-02-04T21:02:00"),
        ("星期四, 05 二月 2026 05:02:00 +0800", True, "2026-02-04T21:02:00"),
        ("Thu, 05 Feb 2026 05:02:00 CST", True, "2026-02-04T21:02:00"),  # China Standard Time
        ("Thu, 05 Feb 2026 05:02:00 CST", False, "2026-02-05T11:02:00"),  # US Central
        ("2026-02-17T17:36:36-0500", False, "2026-02-17T22:36:36"),
        ("Mon, 16 Feb 2026 22:41:28 GMT", False, "2026-02-16T22:41:28"),
    ],
)
def test_real_date_forms(value: str, china: bool, utc: str) -> None:
    parsed, impossible = parse_date(value, SHANGHAI, china=china)
    assert not impossible and parsed is not None
    assert parsed.astimezone(UTC).replace(tzinfo=None).isoformat() == utc


def test_zone_less_times_are_in_the_given_zone() -> None:
    parsed, _ = parse_date("2026/02/05 05:02:00", ZoneInfo("America/Sao_Paulo"))
    assert parsed is not None and parsed.astimezone(UTC).hour == 8


@pytest.mark.parametrize("value", ["", "   ", "Tuesday", "soon", "garbage 12", "x" * 200])
def test_unreadable_values_are_absent_not_guessed(value: str) -> None:
    assert parse_date(value, SHANGHAI) == (None, False)


def test_impossible_days_are_flagged() -> None:
    assert parse_date("Mon, 30 Feb 2026 10:00:00 GMT", SHANGHAI) == (None, True)
    assert parse_date("2026-02-30T10:00:00Z", SHANGHAI) == (None, True)


def test_a_source_can_set_its_own_zone_and_chinese_cst() -> None:
    from pydantic import ValidationError

    from briefing.ingest.settings import SourceConfig

    source = SourceConfig(id="sp", url="https://sp.example.com/feed", timezone="America/Sao_Paulo")
    assert source.zone(SHANGHAI) == ZoneInfo("America/Sao_Paulo")
    assert SourceConfig(id="x", url="https://x.example.com/").zone(SHANGHAI) == SHANGHAI
    assert SourceConfig(id="cn", url="https://cn.example.com/", lang="zh-Hans").writes_chinese
    with pytest.raises(ValidationError, match="unknown time zone"):
        SourceConfig(id="bad", url="https://b.example.com/", timezone="Mars/Olympus")
