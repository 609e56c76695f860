"""One slow or huge source fails alone; the others keep their deadline (issue: isolation)."""

from __future__ import annotations

from pathlib import Path

from briefing.ingest import run_fetch
from briefing.store import Store
from tests.helpers.loopback import LoopbackServer, loopback_server_fixture  # noqa: F401
from tests.ingest.support import clock, write_config

RSS = {"Content-Type": "application/rss+xml"}


def small_feed(n: int) -> bytes:
    items = "".join(
        f"<item><title>Story {n}-{i}</title><guid>s{n}-{i}</guid>"
        f"<description>Short report {i}.</description></item>"
        for i in range(3)
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>f{n}</title>{items}</channel></rss>'.encode()


def nested_feed(depth: int) -> bytes:
    """One item whose description holds markup nested `depth` levels deep."""
    deep = "&lt;div&gt;" * depth + "deep" + "&lt;/div&gt;" * depth
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>deep</title>'
        f"<item><title>Deep</title><guid>d</guid><description>{deep}</description></item>"
        "</channel></rss>"
    ).encode()


def test_deeply_nested_sources_fail_alone(tmp_path: Path, loopback_server: LoopbackServer) -> None:
    """4 sources with a 100,000-deep item and 8 good ones, on two workers: the good ones
    are parsed while the bad ones burn their budget, which stops them."""
    sources = []
    for i in range(4):
        loopback_server.respond(f"/deep{i}", nested_feed(100_000), headers=RSS)
        sources.append({"id": f"deep{i}", "url": loopback_server.url(f"/deep{i}")})
    for i in range(8):
        loopback_server.respond(f"/good{i}", small_feed(i), headers=RSS)
        sources.append({"id": f"good{i}", "url": loopback_server.url(f"/good{i}")})
    config = write_config(tmp_path, sources, parse_workers=2, total_timeout=2)
    with Store.open(config.store_path) as store:
        report = run_fetch(config, store=store, clock=clock)
        for i in range(8):
            assert report.result(f"good{i}").status == "ok"
        for i in range(4):
            result = report.result(f"deep{i}")
            assert result.status == "error" and result.error_type == "ParseBudgetError"
            assert "longer than 2 s" in (result.error or "")
            state = store.source_state(f"deep{i}")
            assert state is not None and state.etag is None and state.consecutive_failures == 1
        assert len(store.articles()) == 8 * 3


def huge_feed(entries: int) -> bytes:
    items = "".join(
        f"<item><title>Report {i}</title><guid>r{i}</guid><description>Body {i}.</description></item>"
        for i in range(entries)
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>huge</title>{items}</channel></rss>'.encode()


def test_a_huge_feed_stores_its_first_entries(
    tmp_path: Path, loopback_server: LoopbackServer
) -> None:
    loopback_server.respond("/huge", huge_feed(100_000), headers=RSS)
    config = write_config(
        tmp_path, [{"id": "huge", "url": loopback_server.url("/huge")}], parse_workers=1
    )
    with Store.open(config.store_path) as store:
        result = run_fetch(config, store=store, clock=clock).result("huge")
        assert result.status == "ok" and result.new == 500
        assert "more than 500 entries; only the first 500 read" in result.warnings
        titles = {a.title for a in store.articles()}
    assert titles == {f"Report {i}" for i in range(500)}
