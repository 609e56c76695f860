"""One feed over HTTP: conditional GET, limits, redirects, retries. No parsing here.

    fetch_feed(client, url, settings, etag=..., last_modified=...) -> HttpResult

- connect / read time-outs per request, and a total deadline per source (the caller wraps
  the call in `asyncio.timeout`), so a server trickling a byte a second cannot hold a run;
- at most `max_redirects` hops, followed by hand so that every hop's address is checked:
  a host resolving to a private, loopback or link-local address (in any IPv6 form) is
  refused before any connection unless `allow_hosts` lists it (case A9), and the
  connection goes to the very address that was checked (pinning.py: no DNS rebinding);
- the body is decompressed here, chunk by bounded chunk, and counted *after*
  decompression, so a 10 KB gzip bomb stops at `max_feed_bytes` like a 200 MB body;
- 429 and 5xx are retried with exponential back-off; a Retry-After longer than
  `max_retry_wait` is not slept on but returned, so the source is deferred to a later run.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import ipaddress
import zlib
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import httpx

from briefing.errors import FetchError
from briefing.http_headers import retry_after_seconds
from briefing.ingest.addresses import refusal
from briefing.ingest.pinning import PinnedBackend, PinnedTransport, Resolver, system_resolver
from briefing.ingest.settings import IngestSettings

_RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
_CHUNK = 64 * 1024


class FeedTooLargeError(FetchError):
    """The body exceeded max_feed_bytes after decompression."""


class HttpStatusError(FetchError):
    """The server answered with an error status."""

    def __init__(self, message: str, status: int, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after


@dataclass(frozen=True)
class HttpResult:
    """A 200 (with body) or a 304 (without); headers for the next conditional GET."""

    status: int
    url: str
    body: bytes = b""
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    attempts: int = 1
    warnings: list[str] = field(default_factory=list)

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def make_client(
    settings: IngestSettings,
    transport: httpx.AsyncBaseTransport | None = None,
    resolve: Resolver | None = None,
) -> httpx.AsyncClient:
    """The run's client; without a `transport`, one that connects to checked addresses only.

    `resolve` replaces the system resolver (tests point it at a loopback DNS server).
    """
    timeout = httpx.Timeout(
        connect=settings.connect_timeout,
        read=settings.read_timeout,
        write=settings.read_timeout,
        pool=settings.total_timeout,
    )
    limits = httpx.Limits(
        max_connections=settings.concurrency, max_keepalive_connections=settings.concurrency
    )
    if transport is None:
        backend = PinnedBackend(settings.allow_hosts, resolve or system_resolver)
        transport = PinnedTransport(limits, backend)
    return httpx.AsyncClient(
        timeout=timeout,
        limits=limits,
        transport=transport,
        trust_env=False,
        follow_redirects=False,
        headers={
            "User-Agent": settings.user_agent,
            "Accept": "application/rss+xml, application/atom+xml, application/feed+json, "
            "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5",
            "Accept-Encoding": "gzip, deflate",
        },
    )


def check_address(url: str, allow: list[str]) -> None:
    """Refuse a URL that is not http(s), or whose host is a non-public literal or localhost.

    Names are checked where they are resolved, when the transport connects (pinning.py).
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise FetchError(f"address not allowed: {url}: only http and https are fetched")
    host = parts.hostname or ""
    try:
        literal = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    if literal is None and (host.lower() == "localhost" or host.lower().endswith(".localhost")):
        literal = ipaddress.ip_address("127.0.0.1")
    if literal is not None:
        reason = refusal(host, literal, allow)
        if reason:
            raise FetchError(reason)


class _Decoder:
    """gzip / deflate decompression that never produces more than `room` bytes at once."""

    def __init__(self, encoding: str) -> None:
        encoding = encoding.strip().lower()
        if encoding in ("gzip", "x-gzip"):
            self._z: zlib._Decompress | None = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            self._z = zlib.decompressobj()
        elif encoding in ("", "identity"):
            self._z = None
        else:
            raise FetchError(f"unsupported Content-Encoding {encoding!r}")
        self._pending = b""

    def feed(self, chunk: bytes, room: int) -> bytes:
        if self._z is None:
            return chunk
        try:
            out = self._z.decompress(self._pending + chunk, room + 1)
            self._pending = self._z.unconsumed_tail
        except zlib.error as exc:
            raise FetchError(f"corrupt compressed body: {exc}") from exc
        return out

    def drain(self, room: int) -> bytes:
        """Output still held back by the `room` bound."""
        if self._z is None or not self._pending:
            return b""
        return self.feed(b"", room)


async def _read_body(response: httpx.Response, limit: int) -> bytes:
    length = response.headers.get("content-length")
    encoding = response.headers.get("content-encoding", "")
    if length and length.isdigit() and not encoding and int(length) > limit:
        raise FeedTooLargeError(f"feed too large: {length} bytes > max_feed_bytes {limit}")
    decoder = _Decoder(encoding)
    parts: list[bytes] = []
    size = 0
    async for raw in response.aiter_raw(_CHUNK):
        out = decoder.feed(raw, limit - size)
        while out:
            size += len(out)
            if size > limit:
                raise FeedTooLargeError(
                    f"feed too large: more than {limit} bytes after decompression"
                )
            parts.append(out)
            out = decoder.drain(limit - size)
    return b"".join(parts)


async def fetch_feed(
    client: httpx.AsyncClient,
    url: str,
    settings: IngestSettings,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    now: dt.datetime,
) -> HttpResult:
    """GET `url` within the settings' limits; FetchError (or a subclass) on failure."""
    headers: dict[str, str] = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    attempt = 0
    while True:
        attempt += 1
        try:
            return await _get_following(client, url, settings, headers, attempt)
        except HttpStatusError as exc:
            if exc.status not in _RETRY_STATUSES or attempt > settings.retries:
                raise
            wait = exc.retry_after
            if wait is None:
                wait = settings.backoff * 2 ** (attempt - 1)
            if wait > settings.max_retry_wait:
                raise
            await asyncio.sleep(wait)


async def _get_following(
    client: httpx.AsyncClient,
    url: str,
    settings: IngestSettings,
    headers: dict[str, str],
    attempt: int,
) -> HttpResult:
    current = url
    for _hop in range(settings.max_redirects + 1):
        # scheme and literal addresses here; names are resolved, checked and pinned by the
        # transport when it connects (pinning.py), so no second lookup can be raced
        check_address(current, settings.allow_hosts)
        try:
            async with client.stream("GET", current, headers=headers) as response:
                status = response.status_code
                if status in (301, 302, 303, 307, 308):
                    location = response.headers.get("location")
                    if not location:
                        raise FetchError(f"HTTP {status} redirect without a Location header")
                    current = urljoin(current, location)
                    continue
                if status == 304:
                    return HttpResult(
                        304,
                        current,
                        etag=response.headers.get("etag"),
                        last_modified=response.headers.get("last-modified"),
                        attempts=attempt,
                    )
                if status >= 400:
                    retry = retry_after_seconds(
                        response.headers.get("retry-after"), dt.datetime.now(dt.UTC)
                    )
                    reason = response.reason_phrase or ""
                    raise HttpStatusError(f"HTTP {status} {reason}".strip(), status, retry)
                if status != 200:
                    raise FetchError(f"HTTP {status}: expected 200 or 304")
                body = await _read_body(response, settings.max_feed_bytes)
                return HttpResult(
                    200,
                    current,
                    body=body,
                    content_type=response.headers.get("content-type"),
                    etag=response.headers.get("etag"),
                    last_modified=response.headers.get("last-modified"),
                    attempts=attempt,
                )
        except httpx.TimeoutException as exc:
            raise FetchError(f"timed out: {type(exc).__name__}") from exc
        except httpx.HTTPError as exc:
            raise FetchError(f"{type(exc).__name__}: {exc}") from exc
    raise FetchError(f"too many redirects: more than {settings.max_redirects}")
