"""Connect to the address that was checked: DNS is resolved once per connection, here.

A check that resolves a host and a client that resolves it again to connect can be raced:
a name that answers a public address first and 127.0.0.1 second (DNS rebinding) passes the
check and reaches the loopback. So the check moves into the connection itself: httpcore
asks the network backend for a TCP connection to (host, port); `PinnedBackend` resolves
the host, refuses it unless every address is public (or on `allow_hosts`), and connects to
that very IP. TLS still names the host (SNI and certificate checks use the URL's host, which
httpcore passes to `start_tls`), and the Host header is the URL's. Every redirect hop opens
its connection through the same backend, so each hop is checked and pinned too.

The client built on this transport takes no proxy from the environment: through a proxy,
the proxy resolves the name and no check here could hold.
"""

from __future__ import annotations

import asyncio
import ipaddress
import select
import socket
import ssl
import typing
from collections.abc import Awaitable, Callable, Iterable

import httpcore
import httpx

from briefing.errors import FetchError
from briefing.ingest.addresses import IPAddress, refusal

Resolver = Callable[[str, int], Awaitable[list[IPAddress]]]


async def system_resolver(host: str, port: int) -> list[IPAddress]:
    """The host's addresses from the system resolver (getaddrinfo: /etc/hosts, DNS, ...)."""
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise FetchError(f"cannot resolve host: {host}: {exc}") from exc
    seen: list[IPAddress] = []
    for info in infos:
        ip = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        if ip not in seen:
            seen.append(ip)
    return seen


async def checked_addresses(
    host: str, port: int, allow: list[str], resolve: Resolver
) -> list[IPAddress]:
    """The addresses to connect to for `host`, each one allowed; FetchError otherwise."""
    try:
        addresses = [ipaddress.ip_address(host.strip("[]"))]
    except ValueError:
        addresses = await resolve(host, port)
    if not addresses:
        raise FetchError(f"cannot resolve host: {host}: no addresses")
    for ip in addresses:
        reason = refusal(host, ip, allow)
        if reason:
            raise FetchError(reason)
    return addresses


class _Stream(httpcore.AsyncNetworkStream):
    """anyio's stream, its socket looked up once.

    httpcore's pool asks each idle connection for its socket whenever it hands out a
    request (has the server closed it?), and anyio builds a dict of every attribute of
    the stream to answer: with connections kept alive that was ~40% of the CPU of a run
    of 200 sources answering 304, in httpcore's `has_expired`.
    """

    def __init__(self, inner: httpcore.AsyncNetworkStream) -> None:
        self._inner = inner
        self._socket = inner.get_extra_info("socket")

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return await self._inner.read(max_bytes, timeout)

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        await self._inner.write(buffer, timeout)

    async def aclose(self) -> None:
        await self._inner.aclose()

    async def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.AsyncNetworkStream:
        return _Stream(await self._inner.start_tls(ssl_context, server_hostname, timeout))

    def get_extra_info(self, info: str) -> typing.Any:
        if info == "socket":
            return self._socket
        if info == "is_readable":  # the pool's question: only an EOF can be pending
            return _readable(self._socket)
        return self._inner.get_extra_info(info)


def _readable(sock: socket.socket | None) -> bool:
    """Whether reading `sock` would not block (true for a closed or missing socket)."""
    if sock is None or sock.fileno() < 0:
        return True
    poller = select.poll()
    poller.register(sock, select.POLLIN)
    return bool(poller.poll(0))


class PinnedBackend(httpcore.AsyncNetworkBackend):
    """httpcore's network backend, connecting only to checked addresses."""

    def __init__(self, allow: list[str], resolve: Resolver = system_resolver) -> None:
        self.allow = allow
        self.resolve = resolve
        self._inner = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        addresses = await checked_addresses(host, port, self.allow, self.resolve)
        error: Exception | None = None
        for ip in addresses:
            try:
                stream = await self._inner.connect_tcp(
                    str(ip),
                    port,
                    timeout=timeout,
                    local_address=local_address,
                    socket_options=socket_options,
                )
                return _Stream(stream)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                error = exc
        assert error is not None
        raise error

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise FetchError("address not allowed: unix sockets are never fetched")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


class _LazyTrust:
    """The run's one TLS client context; its CA bundle (certifi's, as httpx loads it) is
    read when the first https connection is made: ~0.04 CPU-s a run of http feeds never
    spends. The context verifies certificates and host names from the start
    (`PROTOCOL_TLS_CLIENT`), so a handshake can never happen without the bundle loaded:
    it would fail, not pass."""

    def __init__(self) -> None:
        self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        self._loaded = False

    def load(self) -> None:
        if not self._loaded:
            import certifi

            self.context.load_verify_locations(cafile=certifi.where())
            self._loaded = True


class _Pool(httpcore.AsyncConnectionPool):
    """httpcore's pool, loading the CA bundle before its first https connection."""

    def __init__(self, trust: _LazyTrust, **kwargs: typing.Any) -> None:
        super().__init__(ssl_context=trust.context, **kwargs)
        self._trust = trust

    def create_connection(self, origin: httpcore.Origin) -> httpcore.AsyncConnectionInterface:
        if origin.scheme == b"https":
            self._trust.load()
        return super().create_connection(origin)


class PinnedTransport(httpx.AsyncHTTPTransport):
    """httpx's own transport (request and error mapping as usual) over `PinnedBackend`."""

    def __init__(self, limits: httpx.Limits, backend: PinnedBackend) -> None:
        # one TLS context, shared with the pool that replaces httpx's own
        trust = _LazyTrust()
        super().__init__(verify=trust.context, limits=limits, trust_env=False)
        self._pool = _Pool(
            trust,
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=backend,
        )
