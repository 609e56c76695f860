"""Retry-After, shared by the feed fetcher and the LLM client."""

from __future__ import annotations

import datetime as dt
import email.utils

from briefing.http_headers import retry_after_seconds

NOW = dt.datetime(2026, 2, 5, 0, 0, tzinfo=dt.UTC)


def test_retry_after_accepts_seconds_and_http_dates() -> None:
    assert retry_after_seconds("2", NOW) == 2.0
    assert retry_after_seconds("0.15", NOW) == 0.15
    assert retry_after_seconds(None, NOW) is None
    assert retry_after_seconds("soon", NOW) is None
    later = NOW + dt.timedelta(seconds=30)
    assert retry_after_seconds(email.utils.format_datetime(later, usegmt=True), NOW) == 30.0


def test_a_date_in_the_past_means_no_wait() -> None:
    earlier = NOW - dt.timedelta(minutes=5)
    assert retry_after_seconds(email.utils.format_datetime(earlier, usegmt=True), NOW) == 0.0
    assert retry_after_seconds("-3", NOW) == 0.0
