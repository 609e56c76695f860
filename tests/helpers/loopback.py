"""A real HTTP server on 127.0.0.1 for tests: feeds, faults, and an access log.

    with LoopbackServer() as server:                  # or the `loopback_server` fixture below
        server.respond("/feed.xml", body, headers={"Content-Type": "application/rss+xml"})
        server.respond("/busy", b"", status=503, headers={"Retry-After": "3600"})
        server.redirect("/loop", "/loop")             # a redirect loop
        server.trickle("/slow", b"<rss>...", interval=1.0)   # one byte per interval
        server.endless("/huge")                       # a body that never ends
        server.gzip_bomb("/bomb", size=1 << 30)       # 1 GiB of zeros, ~1 MB on the wire
        server.conditional("/cached", body, etag='"v1"')     # 304 when If-None-Match matches
        url = server.url("/feed.xml")
        ...
        assert server.paths() == ["/feed.xml"]        # what was requested, in order

Every request is recorded (`server.requests`), including requests to unknown paths (404),
so "no outbound request happened" is `server.requests == []`. Other stages may use it for
their own no-network assertions (render, publish).
"""

from __future__ import annotations

import gzip
import io
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

Handler = Callable[[BaseHTTPRequestHandler], None]


@dataclass(frozen=True)
class Recorded:
    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


class LoopbackServer:
    """A ThreadingHTTPServer on an ephemeral 127.0.0.1 port with scripted routes."""

    def __init__(self) -> None:
        self.routes: dict[str, Handler] = {}
        self.requests: list[Recorded] = []
        self.in_flight = 0
        self.max_in_flight = 0  # the most requests served at once: overlap without timing
        self._lock = threading.Lock()
        self._stop = threading.Event()
        owner = self

        class RequestHandler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:  # quiet
                pass

            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                path = self.path.split("?")[0]
                with owner._lock:
                    owner.requests.append(
                        Recorded("GET", self.path, {k.lower(): v for k, v in self.headers.items()})
                    )
                    handler = owner.routes.get(self.path) or owner.routes.get(path)
                    owner.in_flight += 1
                    owner.max_in_flight = max(owner.max_in_flight, owner.in_flight)
                try:
                    if handler is None:
                        send(self, 404, b"not found", {"Content-Type": "text/plain"})
                    else:
                        handler(self)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up, as it should for bombs and trickles
                finally:
                    with owner._lock:
                        owner.in_flight -= 1

        self._httpd = _Server(("127.0.0.1", 0), RequestHandler)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    # -- lifecycle ------------------------------------------------------------------------

    def start(self) -> LoopbackServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> LoopbackServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def paths(self) -> list[str]:
        with self._lock:
            return [r.path for r in self.requests]

    def clear(self) -> None:
        with self._lock:
            self.requests.clear()

    # -- routes ---------------------------------------------------------------------------

    def route(self, path: str, handler: Handler) -> None:
        """Any custom behaviour: `handler(request_handler)` writes the whole response."""
        with self._lock:
            self.routes[path] = handler

    def respond(
        self,
        path: str,
        body: bytes | str = b"",
        *,
        status: int = 200,
        headers: dict[str, str] | None = None,
        delay: float = 0.0,
    ) -> None:
        data = body.encode() if isinstance(body, str) else body

        def handler(req: BaseHTTPRequestHandler) -> None:
            if delay:
                time.sleep(delay)
            send(req, status, data, headers or {})

        self.route(path, handler)

    def conditional(
        self,
        path: str,
        body: bytes,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        """200 with validators, 304 when the request carries a matching one."""

        def handler(req: BaseHTTPRequestHandler) -> None:
            extra = dict(headers or {})
            if etag:
                extra["ETag"] = etag
            if last_modified:
                extra["Last-Modified"] = last_modified
            if (etag and req.headers.get("If-None-Match") == etag) or (
                last_modified and req.headers.get("If-Modified-Since") == last_modified
            ):
                send(req, 304, b"", extra)
            else:
                send(req, 200, body, extra)

        self.route(path, handler)

    def redirect(self, path: str, to: str, status: int = 302) -> None:
        self.respond(path, b"", status=status, headers={"Location": to})

    def trickle(self, path: str, body: bytes, interval: float = 1.0) -> None:
        """Send headers, then one byte of `body` every `interval` seconds."""

        def handler(req: BaseHTTPRequestHandler) -> None:
            req.send_response(200)
            req.send_header("Content-Type", "application/rss+xml")
            req.send_header("Content-Length", str(len(body)))
            req.end_headers()
            for i in range(len(body)):
                if self._stop.wait(interval):
                    return
                req.wfile.write(body[i : i + 1])
                req.wfile.flush()

        self.route(path, handler)

    def endless(self, path: str, chunk: bytes = b"<item>" + b"x" * 65530) -> None:
        """A chunked body that never ends (until the client hangs up or the server stops)."""

        def handler(req: BaseHTTPRequestHandler) -> None:
            req.send_response(200)
            req.send_header("Content-Type", "application/rss+xml")
            req.send_header("Transfer-Encoding", "chunked")
            req.end_headers()
            while not self._stop.is_set():
                req.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))

        self.route(path, handler)

    def gzip_bomb(self, path: str, size: int = 1 << 30) -> None:
        """`Content-Encoding: gzip` whose body inflates to `size` zero bytes."""
        compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
        block = b"\0" * (1 << 20)
        parts = [compressor.compress(block) for _ in range(size // len(block))]
        parts.append(compressor.flush())
        payload = b"".join(parts)
        self.respond(
            path,
            payload,
            headers={"Content-Type": "application/rss+xml", "Content-Encoding": "gzip"},
        )


def send(req: BaseHTTPRequestHandler, status: int, body: bytes, headers: dict[str, str]) -> None:
    """Write a complete response with Content-Length."""
    req.send_response(status)
    names = {k.lower() for k in headers}
    for name, value in headers.items():
        req.send_header(name, value)
    if "content-type" not in names and body:
        req.send_header("Content-Type", "application/xml")
    req.send_header("Content-Length", str(len(body)))
    req.end_headers()
    if body and req.command != "HEAD":
        req.wfile.write(body)


def gzipped(data: bytes) -> bytes:
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb") as f:
        f.write(data)
    return buf.getvalue()


@pytest.fixture(name="loopback_server")
def loopback_server_fixture() -> Iterator[LoopbackServer]:
    """A started LoopbackServer, stopped after the test.

    Use it from a test module with
    `from tests.helpers.loopback import loopback_server_fixture  # noqa: F401`
    and a test parameter named `loopback_server`.
    """
    with LoopbackServer() as server:
        yield server
