"""Connect to the address that was checked: a DNS rebinding name cannot reach loopback (A9)."""

from __future__ import annotations

from pathlib import Path

from briefing.ingest import run_fetch
from briefing.store import Store
from tests.helpers.dns_stub import DnsStub
from tests.helpers.loopback import LoopbackServer, loopback_server_fixture  # noqa: F401
from tests.ingest.support import clock, write_config
from tests.ingest.test_fetch_faults import FEED, RSS


def fetch_name(tmp_path: Path, url: str, dns: DnsStub, allow: list[str]):
    config = write_config(tmp_path, [{"id": "one", "url": url}], allow_hosts=allow)
    with Store.open(config.store_path) as store:
        report = run_fetch(config, store=store, clock=clock, resolve=dns.resolver())
        return report.result("one"), store.articles()


def test_rebinding_name_is_pinned_to_its_checked_address(
    tmp_path: Path, loopback_server: LoopbackServer
) -> None:
    """The name answers an allowed address first (127.0.0.2, where nothing listens) and the
    server's loopback address after: a client that looked it up again to connect would
    reach the server. Pinned, the one lookup's address is the one connected to."""
    loopback_server.respond("/f", FEED, headers=RSS)
    with DnsStub({"feed.test": ["127.0.0.2", "127.0.0.1"]}) as dns:
        url = f"http://feed.test:{loopback_server.port}/f"
        result, stored = fetch_name(tmp_path, url, dns, ["127.0.0.2"])
        assert dns.queries == ["feed.test"]
    assert result.status == "error" and result.error_type == "FetchError"
    assert loopback_server.requests == [] and stored == []


def test_name_resolving_to_loopback_is_refused_before_connecting(
    tmp_path: Path, loopback_server: LoopbackServer
) -> None:
    loopback_server.respond("/f", FEED, headers=RSS)
    with DnsStub({"feed.test": ["127.0.0.1"]}) as dns:
        url = f"http://feed.test:{loopback_server.port}/f"
        result, _ = fetch_name(tmp_path, url, dns, [])
    assert "address not allowed: feed.test is 127.0.0.1" in (result.error or "")
    assert loopback_server.requests == []


def test_pinned_connection_keeps_the_host_name(
    tmp_path: Path, loopback_server: LoopbackServer
) -> None:
    loopback_server.respond("/f", FEED, headers=RSS)
    with DnsStub({"feed.test": ["127.0.0.1"]}) as dns:
        url = f"http://feed.test:{loopback_server.port}/f"
        result, stored = fetch_name(tmp_path, url, dns, ["127.0.0.1"])
    assert result.status == "ok" and len(stored) == 2
    assert loopback_server.requests[0].headers["host"] == f"feed.test:{loopback_server.port}"


def test_every_redirect_hop_is_resolved_checked_and_pinned(
    tmp_path: Path, loopback_server: LoopbackServer
) -> None:
    port = loopback_server.port
    loopback_server.redirect("/start", f"http://hop.test:{port}/f")
    loopback_server.respond("/f", FEED, headers=RSS)
    script = {"start.test": ["127.0.0.1"], "hop.test": ["127.0.0.3", "127.0.0.1"]}
    with DnsStub(script) as dns:
        url = f"http://start.test:{port}/start"
        result, stored = fetch_name(tmp_path, url, dns, ["127.0.0.1"])
        assert dns.queries == ["start.test", "hop.test"]
    assert "address not allowed: hop.test is 127.0.0.3" in (result.error or "")
    assert loopback_server.paths() == ["/start"] and stored == []


def test_pinned_stream_answers_the_pools_questions_from_its_socket() -> None:
    """httpcore asks an idle connection for its socket and whether it is readable (closed
    by the server) before reusing it; the answers come from the socket itself."""
    import asyncio
    import socket

    from briefing.ingest.pinning import PinnedBackend

    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]

    async def scenario() -> tuple[bool, bool, bool]:
        stream = await PinnedBackend(["127.0.0.1"]).connect_tcp("127.0.0.1", port, timeout=2)
        accepted, _ = listener.accept()
        sock = stream.get_extra_info("socket")
        is_socket = sock is not None and sock.fileno() >= 0
        open_idle = stream.get_extra_info("is_readable")
        accepted.close()  # the server drops the idle connection
        await asyncio.sleep(0.05)
        closed = stream.get_extra_info("is_readable")
        await stream.aclose()
        return is_socket, open_idle, closed

    try:
        is_socket, open_idle, closed = asyncio.run(scenario())
    finally:
        listener.close()
    assert (is_socket, open_idle, closed) == (True, False, True)
