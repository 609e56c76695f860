"""Fetching against a real server on 127.0.0.1 (RELIABILITY section A)."""

from __future__ import annotations

import datetime as dt
import socket
import time
from pathlib import Path

import pytest

from briefing.ingest import run_fetch
from briefing.store import Store
from tests.helpers.loopback import LoopbackServer, loopback_server_fixture  # noqa: F401
from tests.ingest.support import NOW, clock, write_config

FEED = (Path(__file__).resolve().parents[1] / "data" / "feeds" / "basic.xml").read_bytes()
RSS = {"Content-Type": "application/rss+xml"}


def fetch_one(tmp_path: Path, url: str, **settings: object):
    config = write_config(tmp_path, [{"id": "one", "url": url}], **settings)
    with Store.open(config.store_path) as store:
        report = run_fetch(config, store=store, clock=clock)
        return report.result("one"), store.source_state("one"), store.articles()


def test_ok_then_not_modified_keeps_validators(
    tmp_path: Path, loopback_server: LoopbackServer
) -> None:
    loopback_server.conditional(
        "/f", FEED, etag='"v1"', last_modified="Wed, 04 Feb 2026 00:00:00 GMT", headers=RSS
    )
    result, state, stored = fetch_one(tmp_path, loopback_server.url("/f"))
    assert (result.status, result.new, state.etag) == ("ok", 2, '"v1"')
    result, state, again = fetch_one(tmp_path, loopback_server.url("/f"))
    assert result.status == "not_modified"
    assert state.etag == '"v1"' and state.last_modified == "Wed, 04 Feb 2026 00:00:00 GMT"
    assert state.last_checked == NOW and again == stored
    assert loopback_server.requests[-1].headers["if-none-match"] == '"v1"'


@pytest.mark.parametrize("status", [404, 410, 500])
def test_error_status_is_recorded_with_the_code(
    tmp_path: Path, loopback_server: LoopbackServer, status: int
) -> None:
    loopback_server.respond("/f", b"nope", status=status)
    result, state, _ = fetch_one(tmp_path, loopback_server.url("/f"))
    assert result.status == "error" and result.error_type == "HttpStatusError"
    assert str(status) in result.error and str(status) in state.last_error_message
    assert state.consecutive_failures == 1 and state.last_error_at == NOW
    expected_attempts = 2 if status == 500 else 1  # 5xx retried once (retries: 1)
    assert len(loopback_server.requests) == expected_attempts


def test_repeated_410_flags_the_source(tmp_path: Path, loopback_server: LoopbackServer) -> None:
    loopback_server.respond("/f", b"", status=410)
    for _ in range(3):
        _, state, _ = fetch_one(tmp_path, loopback_server.url("/f"))
    assert state.gone_count == 3 and state.flagged_for_disabling


def test_503_retry_after_defers_the_next_fetch(
    tmp_path: Path, loopback_server: LoopbackServer
) -> None:
    loopback_server.respond("/f", b"", status=503, headers={"Retry-After": "3600"})
    result, state, _ = fetch_one(tmp_path, loopback_server.url("/f"))
    assert result.status == "error" and "503" in result.error
    assert state.next_fetch_after == NOW + dt.timedelta(hours=1)
    assert len(loopback_server.requests) == 1  # not slept on, not retried
    result, _, _ = fetch_one(tmp_path, loopback_server.url("/f"))
    assert result.status == "deferred" and len(loopback_server.requests) == 1


def test_short_retry_after_is_honoured(tmp_path: Path, loopback_server: LoopbackServer) -> None:
    calls = []

    def flaky(req) -> None:
        from tests.helpers.loopback import send

        calls.append(time.monotonic())
        if len(calls) == 1:
            send(req, 429, b"", {"Retry-After": "1"})
        else:
            send(req, 200, FEED, RSS)

    loopback_server.route("/f", flaky)
    result, _, _ = fetch_one(tmp_path, loopback_server.url("/f"), max_retry_wait=2)
    assert result.status == "ok" and calls[1] - calls[0] >= 0.9


def test_trickling_server_hits_the_deadline(
    tmp_path: Path, loopback_server: LoopbackServer
) -> None:
    loopback_server.trickle("/slow", FEED, interval=0.3)
    started = time.monotonic()
    result, state, stored = fetch_one(
        tmp_path, loopback_server.url("/slow"), read_timeout=1, total_timeout=1.5
    )
    assert time.monotonic() - started < 4
    assert result.status == "error" and "deadline" in result.error
    assert state.last_error_type == "FetchError" and stored == []


def test_endless_body_is_capped(tmp_path: Path, loopback_server: LoopbackServer) -> None:
    loopback_server.endless("/huge")
    result, _, _ = fetch_one(tmp_path, loopback_server.url("/huge"), max_feed_bytes=1 << 20)
    assert result.error_type == "FeedTooLargeError"


def test_gzip_bomb_is_capped_after_decompression(
    tmp_path: Path, loopback_server: LoopbackServer
) -> None:
    import resource

    loopback_server.gzip_bomb("/bomb", size=256 << 20)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result, _, _ = fetch_one(tmp_path, loopback_server.url("/bomb"), max_feed_bytes=1 << 20)
    assert result.error_type == "FeedTooLargeError" and "decompression" in result.error
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grown_mb < 64  # far below the 256 MB the bomb inflates to


def test_redirect_loop(tmp_path: Path, loopback_server: LoopbackServer) -> None:
    loopback_server.redirect("/a", "/b")
    loopback_server.redirect("/b", "/a")
    result, _, _ = fetch_one(tmp_path, loopback_server.url("/a"))
    assert result.error_type == "FetchError" and "too many redirects" in result.error
    assert len(loopback_server.requests) == 6  # the first request and 5 redirects


def test_redirect_is_followed(tmp_path: Path, loopback_server: LoopbackServer) -> None:
    loopback_server.redirect("/old", "/new", status=301)
    loopback_server.respond("/new", FEED, headers=RSS)
    result, _, _ = fetch_one(tmp_path, loopback_server.url("/old"))
    assert result.status == "ok" and result.new == 2


def test_html_page_does_not_replace_the_etag(
    tmp_path: Path, loopback_server: LoopbackServer
) -> None:
    loopback_server.respond("/f", FEED, headers={**RSS, "ETag": '"good"'})
    fetch_one(tmp_path, loopback_server.url("/f"))
    loopback_server.respond(
        "/f",
        b"<html><body><form>login</form></body></html>",
        headers={"Content-Type": "text/html", "ETag": '"portal"'},
    )
    result, state, stored = fetch_one(tmp_path, loopback_server.url("/f"))
    assert result.error_type == "ParseError" and "unknown feed type" in result.error
    assert state.etag == '"good"' and len(stored) == 2


def test_private_address_refused_before_connecting(
    tmp_path: Path, loopback_server: LoopbackServer
) -> None:
    loopback_server.respond("/f", FEED, headers=RSS)
    result, _, _ = fetch_one(tmp_path, loopback_server.url("/f"), allow_hosts=[])
    assert "address not allowed" in result.error and loopback_server.requests == []


def test_redirect_to_private_address_refused(
    tmp_path: Path, loopback_server: LoopbackServer
) -> None:
    loopback_server.redirect("/f", "http://169.254.169.254/latest/meta-data/")
    result, _, _ = fetch_one(tmp_path, loopback_server.url("/f"))
    assert "address not allowed" in result.error


def test_connection_refused_does_not_sink_the_others(
    tmp_path: Path, loopback_server: LoopbackServer
) -> None:
    with socket.socket() as s:  # a port with nobody listening
        s.bind(("127.0.0.1", 0))
        dead = s.getsockname()[1]
    loopback_server.respond("/f", FEED, headers=RSS)
    config = write_config(
        tmp_path,
        [
            {"id": "dead", "url": f"http://127.0.0.1:{dead}/feed"},
            {"id": "live", "url": loopback_server.url("/f")},
        ],
    )
    with Store.open(config.store_path) as store:
        report = run_fetch(config, store=store, clock=clock)
        assert report.result("dead").error_type == "FetchError"
        assert report.result("dead").error
        assert report.result("live").status == "ok"
        assert report.summary_line() == (
            "1 ok, 1 failed, 0 not modified; articles: 2 new, 0 updated; PARTIAL"
        )
        run = store.runs("fetch")[0]
        assert run.status == "partial" and run.details["sources"]["dead"]["status"] == "error"


def test_concurrency_overlaps_slow_feeds(tmp_path: Path, loopback_server: LoopbackServer) -> None:
    for i in range(8):
        loopback_server.respond(
            f"/f{i}", FEED.replace(b"<guid>a", f"<guid>{i}-a".encode()), headers=RSS, delay=0.4
        )
    config = write_config(
        tmp_path,
        [{"id": f"s{i}", "url": loopback_server.url(f"/f{i}")} for i in range(8)],
        concurrency=8,
    )
    with Store.open(config.store_path) as store:
        report = run_fetch(config, store=store, clock=clock)
    assert report.ok == 8 and report.new == 16
    # far from sequential, counted by the server rather than timed (a loaded machine stays green)
    assert loopback_server.max_in_flight >= 4
