"""A DNS server on 127.0.0.1 that answers A queries from a script, for rebinding tests.

    with DnsStub({"feed.test": ["127.0.0.2", "127.0.0.1"]}) as dns:
        resolve = dns.resolver()       # an async (host, port) -> [addresses] for run_fetch
        ...
        assert dns.queries == ["feed.test"]

Each name answers its scripted addresses in turn, one per query, and then keeps answering
the last one: the first lookup sees 127.0.0.2, every later one 127.0.0.1 (a rebinding name).
Messages are built and read with dnspython; the client side is dnspython's resolver.
"""

from __future__ import annotations

import ipaddress
import socket
import threading

import dns.asyncresolver
import dns.message
import dns.rcode
import dns.rrset

from briefing.ingest.pinning import Resolver


class DnsStub:
    def __init__(self, script: dict[str, list[str]]) -> None:
        self.script = {name.rstrip(".").lower(): list(ips) for name, ips in script.items()}
        self.queries: list[str] = []
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.settimeout(0.1)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    @property
    def port(self) -> int:
        return int(self._sock.getsockname()[1])

    def __enter__(self) -> DnsStub:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._sock.close()

    def _answer(self, name: str) -> str | None:
        ips = self.script.get(name)
        if not ips:
            return None
        return ips.pop(0) if len(ips) > 1 else ips[0]

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                data, peer = self._sock.recvfrom(4096)
            except TimeoutError:
                continue
            query = dns.message.from_wire(data)
            response = dns.message.make_response(query)
            question = query.question[0]
            name = question.name.to_text().rstrip(".").lower()
            if question.rdtype == dns.rdatatype.A:
                self.queries.append(name)
                ip = self._answer(name)
                if ip is None:
                    response.set_rcode(dns.rcode.NXDOMAIN)
                else:
                    response.answer.append(dns.rrset.from_text(question.name, 0, "IN", "A", ip))
            self._sock.sendto(response.to_wire(), peer)

    def resolver(self) -> Resolver:
        """An async resolver asking this server only (A records), as run_fetch takes it."""
        client = dns.asyncresolver.Resolver(configure=False)
        client.nameservers = ["127.0.0.1"]
        client.port = self.port
        client.lifetime = 2.0

        async def resolve(
            host: str, port: int
        ) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
            answer = await client.resolve(host, "A")
            return [ipaddress.ip_address(r.address) for r in answer]

        return resolve
