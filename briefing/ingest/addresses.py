"""Which IP addresses a feed may be fetched from: public ones, and those on `allow_hosts`.

An IPv6 address can carry an IPv4 one in several standard ways, and a stack that routes
them reaches the IPv4 host: `::ffff:127.0.0.1` (IPv4-mapped), `::127.0.0.1`
(IPv4-compatible, deprecated but still parsed), `::ffff:0:127.0.0.1` (IPv4-translated),
`2002:7f00:1::` (6to4), `64:ff9b::7f00:1` and `64:ff9b:1::/48` (NAT64), and ISATAP
interface ids (`…:0:5efe:7f00:1`). Each embedded IPv4 address must be public too, or the
address is refused as if it were that IPv4 address.
"""

from __future__ import annotations

import ipaddress

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_COMPATIBLE = ipaddress.ip_network("::/96")
_TRANSLATED = ipaddress.ip_network("::ffff:0:0:0/96")
_NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))
_ISATAP_IDS = (0x00005EFE, 0x02005EFE)


def embedded_ipv4(ip: IPAddress) -> list[ipaddress.IPv4Address]:
    """Every IPv4 address `ip` carries by a standard embedding (none for an IPv4 address)."""
    if isinstance(ip, ipaddress.IPv4Address):
        return []
    value = int(ip)
    low32 = ipaddress.IPv4Address(value & 0xFFFFFFFF)
    found: list[ipaddress.IPv4Address] = []
    if ip.ipv4_mapped is not None:
        found.append(ip.ipv4_mapped)
    if ip in _COMPATIBLE and value > 1:  # not :: or ::1, which are themselves non-public
        found.append(low32)
    if ip in _TRANSLATED or any(ip in net for net in _NAT64):
        found.append(low32)
    if ip.sixtofour is not None:
        found.append(ip.sixtofour)
    if ip.teredo is not None:
        found.extend(ip.teredo)
    if (value >> 32) & 0xFFFFFFFF in _ISATAP_IDS:
        found.append(low32)
    return found


def _public_v4(ip: ipaddress.IPv4Address) -> bool:
    return ip.is_global and not ip.is_multicast and not ip.is_unspecified


def is_public(ip: IPAddress) -> bool:
    """True for a globally routable unicast address that embeds no non-public IPv4 one."""
    if isinstance(ip, ipaddress.IPv4Address):
        return _public_v4(ip)
    if not ip.is_global or ip.is_multicast or ip.is_unspecified:
        return False
    return all(_public_v4(v4) for v4 in embedded_ipv4(ip))


def allowed(host: str, ip: IPAddress, allow: list[str]) -> bool:
    """`host` or `ip` (or an IPv4 address it embeds) is listed in `allow` (names or CIDRs)."""
    candidates: list[IPAddress] = [ip, *embedded_ipv4(ip)]
    for entry in allow:
        if entry.lower() == host.lower():
            return True
        try:
            network = ipaddress.ip_network(entry, strict=False)
        except ValueError:
            continue
        if any(c.version == network.version and c in network for c in candidates):
            return True
    return False


def refusal(host: str, ip: IPAddress, allow: list[str]) -> str | None:
    """Why `host` at `ip` may not be fetched, or None when it may."""
    if is_public(ip) or allowed(host, ip, allow):
        return None
    shown = ip if not embedded_ipv4(ip) else f"{ip} ({', '.join(map(str, embedded_ipv4(ip)))})"
    return f"address not allowed: {host} is {shown}: add it to settings.allow_hosts to fetch it"
