"""A chat-completions server on 127.0.0.1, scripted per request, for the LLM tests.

    with FakeLLM() as server:
        server.queue(Reply.json({...}), Reply.status(429, retry_after=0.01), Reply.slow(1.0))
        server.responder = lambda request: Reply.json(...)   # used when the queue is empty
        ... ChatClient(LLMSettings(base_url=server.base_url, model="m")) ...
        assert len(server.requests) == 3

It is a real HTTP server (``http.server`` in a thread), so the client's time-outs, retries
and headers are exercised for real. Every request is recorded (`requests`).
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Request:
    """One request the server received."""

    path: str
    headers: dict[str, str]
    body: dict[str, Any]

    @property
    def user_prompt(self) -> str:
        return str(self.body["messages"][-1]["content"])

    @property
    def system_prompt(self) -> str:
        return str(self.body["messages"][0]["content"])


@dataclass
class Reply:
    """What the server sends back for one request."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0

    @classmethod
    def content(cls, text: str, total_tokens: int | None = 100, model: str = "fake") -> Reply:
        """A well-formed chat completion whose message content is `text`."""
        doc: dict[str, Any] = {
            "id": "chatcmpl-fake",
            "object": "chat.completion",
            "model": model,
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": text},
                    "finish_reason": "stop",
                }
            ],
        }
        if total_tokens is not None:
            doc["usage"] = {
                "prompt_tokens": 0,
                "completion_tokens": 0,
                "total_tokens": total_tokens,
            }
        return cls(body=json.dumps(doc, ensure_ascii=False).encode("utf-8"))

    @classmethod
    def json(cls, answer: Any, total_tokens: int | None = 100) -> Reply:
        """A chat completion whose content is `answer` serialised as JSON."""
        return cls.content(json.dumps(answer, ensure_ascii=False), total_tokens)

    @classmethod
    def error(cls, status: int, retry_after: float | str | None = None) -> Reply:
        headers = {} if retry_after is None else {"Retry-After": str(retry_after)}
        body = json.dumps({"error": {"message": f"fake error {status}"}}).encode()
        return cls(status=status, body=body, headers=headers)

    @classmethod
    def slow(cls, seconds: float, then: Reply | None = None) -> Reply:
        """Wait `seconds` before answering (beyond a short read time-out)."""
        reply = then or cls.json({})
        return cls(status=reply.status, body=reply.body, headers=reply.headers, delay=seconds)


Responder = Callable[[Request], Reply]


class FakeLLM:
    """The server. `queue` replies are used first, in order; then `responder`."""

    def __init__(self, responder: Responder | None = None) -> None:
        self.requests: list[Request] = []
        self.replies: deque[Reply] = deque()
        self.responder: Responder = responder or (lambda request: Reply.error(500))
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/v1"

    def queue(self, *replies: Reply) -> None:
        with self._lock:
            self.replies.extend(replies)

    def start(self) -> FakeLLM:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> FakeLLM:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _next_reply(self, request: Request) -> Reply:
        with self._lock:
            self.requests.append(request)
            if self.replies:
                return self.replies.popleft()
        return self.responder(request)

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                try:
                    body = json.loads(raw)
                except ValueError:
                    body = {"raw": raw.decode("utf-8", "replace")}
                request = Request(self.path, dict(self.headers.items()), body)
                if self.path != "/v1/chat/completions":
                    reply = Reply.error(404)
                    with fake._lock:
                        fake.requests.append(request)
                else:
                    reply = fake._next_reply(request)
                if reply.delay:
                    time.sleep(reply.delay)
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(reply.body)))
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(reply.body)
                except OSError:
                    pass  # the client gave up (time-out): nothing to answer

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler
