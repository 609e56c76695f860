"""Every IPv6 form of a private, loopback or link-local IPv4 address is refused (case A9)."""

from __future__ import annotations

import ipaddress
from pathlib import Path

import pytest

from briefing.ingest.addresses import allowed, embedded_ipv4, is_public, refusal
from tests.helpers.loopback import LoopbackServer, loopback_server_fixture  # noqa: F401
from tests.ingest.test_fetch_faults import FEED, RSS, fetch_one

HIDDEN_LOOPBACK = [
    "::127.0.0.1",  # IPv4-compatible
    "::ffff:127.0.0.1",  # IPv4-mapped
    "::ffff:0:127.0.0.1",  # IPv4-translated (SIIT)
    "2002:7f00:1::1",  # 6to4 of 127.0.0.1
    "64:ff9b::7f00:1",  # NAT64, well-known prefix
    "64:ff9b:1::7f00:1",  # NAT64, local-use prefix
    "2a00:1450::5efe:7f00:1",  # ISATAP interface id
]
HIDDEN_PRIVATE = [
    "::ffff:10.1.2.3",
    "::192.168.0.1",
    "2002:a9fe:a9fe::",  # 6to4 of 169.254.169.254, the cloud metadata address
    "64:ff9b::a9fe:a9fe",
    "2a00:1450::200:5efe:ac10:1",  # ISATAP of 172.16.0.1
]


@pytest.mark.parametrize("text", HIDDEN_LOOPBACK + HIDDEN_PRIVATE)
def test_ipv6_forms_of_non_public_ipv4_are_not_public(text: str) -> None:
    ip = ipaddress.ip_address(text)
    assert embedded_ipv4(ip) and not is_public(ip)
    assert "address not allowed" in (refusal("feed.example", ip, []) or "")


@pytest.mark.parametrize(
    "text", ["8.8.8.8", "2606:4700::1111", "::ffff:8.8.8.8", "2002:808:808::1", "64:ff9b::808:808"]
)
def test_public_addresses_and_their_ipv6_forms_pass(text: str) -> None:
    assert is_public(ipaddress.ip_address(text))


@pytest.mark.parametrize(
    "text",
    ["127.0.0.1", "10.0.0.1", "169.254.169.254", "::1", "::", "fe80::1", "fc00::1", "224.0.0.1"],
)
def test_plain_non_public_addresses(text: str) -> None:
    assert not is_public(ipaddress.ip_address(text))


def test_allow_hosts_covers_the_embedded_address() -> None:
    ip = ipaddress.ip_address("::ffff:127.0.0.1")
    assert allowed("x", ip, ["127.0.0.0/8"])
    assert not allowed("x", ip, ["10.0.0.0/8", "::1"])
    assert allowed("Feed.Local", ip, ["feed.local"])


@pytest.mark.parametrize("text", ["::127.0.0.1", "::ffff:127.0.0.1"])
def test_ipv6_literal_of_loopback_is_refused_before_connecting(
    tmp_path: Path, loopback_server: LoopbackServer, text: str
) -> None:
    loopback_server.respond("/f", FEED, headers=RSS)
    url = f"http://[{text}]:{loopback_server.port}/f"
    result, state, stored = fetch_one(tmp_path, url, allow_hosts=[])
    assert result.status == "error" and "address not allowed" in (result.error or "")
    assert "127.0.0.1" in (result.error or "")
    assert loopback_server.requests == [] and stored == []
