"""A small client for OpenAI-compatible chat-completions endpoints, on httpx.

It speaks only ``POST {base_url}/chat/completions`` and returns the answer's text. What it
adds to httpx is the discipline a nightly job needs:

- time-outs: connect and read per attempt, a total per call (retries included) and a
  deadline for the whole run;
- bounded retries with exponential back-off on time-outs, connection errors, 429 and 5xx,
  honouring ``Retry-After`` (a wait longer than ``max_backoff`` or the time left gives up);
- a concurrency limit (a semaphore: the client is safe to share between threads);
- a token budget per run, counted from ``usage.total_tokens``: once spent, no more calls.

Errors (all `LLMError`, an `AnalysisError`; `reason` is the short text for the run report)::

    LLMError
    ├── LLMTimeout          no answer in time (after retries)
    ├── LLMHTTPError        a non-2xx status (after retries for 429/5xx); .status
    │   └── LLMAuthError    401/403: the client asks no more for the rest of the run
    ├── LLMProtocolError    a 2xx whose body is not a chat completion
    ├── LLMConnectError     the endpoint could not be reached (after retries)
    └── LLMBudgetSpent      the run's token budget or deadline is used up; nothing was sent

The transport can be swapped (``httpx.MockTransport`` or a loopback server in tests).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

from briefing import redact
from briefing.analyse.llm.settings import LLMSettings
from briefing.errors import AnalysisError
from briefing.http_headers import retry_after_seconds

_RETRY_STATUSES = frozenset({408, 409, 425, 429}) | frozenset(range(500, 600))
_MAX_BODY_BYTES = 4 * 1024 * 1024


class LLMError(AnalysisError):
    """A chat-completions call failed; `reason` is a short text for the run report."""

    reason = "error"

    def __init__(self, message: str, reason: str | None = None) -> None:
        super().__init__(message)
        if reason is not None:
            self.reason = reason


class LLMTimeout(LLMError):
    reason = "timeout"


class LLMConnectError(LLMError):
    reason = "connection failed"


class LLMHTTPError(LLMError):
    def __init__(self, message: str, status: int, retry_after: float | None = None) -> None:
        super().__init__(message, reason=f"HTTP {status}")
        self.status = status
        self.retry_after = retry_after


class LLMAuthError(LLMHTTPError):
    """401/403: the key is wrong or lacks access. Every later call would fail the same way,
    so the client stops at the first one (`ChatClient.auth_error`) and asks no more."""


class LLMProtocolError(LLMError):
    reason = "not a chat completion"


class LLMBudgetSpent(LLMError):
    reason = "token budget spent"


@dataclass(frozen=True)
class ChatAnswer:
    """The text of an answer and the tokens it cost."""

    content: str
    total_tokens: int
    model: str


Message = dict[str, str]


class ChatClient:
    """Calls one chat-completions endpoint under the limits of an `LLMSettings`."""

    def __init__(
        self,
        settings: LLMSettings,
        *,
        api_key: str | None = None,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if not settings.base_url or not settings.model:
            raise LLMError("LLM client needs llm.base_url and llm.model in feeds.yaml")
        self.settings = settings
        self.model = settings.model
        self._url = settings.base_url + "/chat/completions"
        headers = {"Content-Type": "application/json"}
        redact.register(api_key)
        if api_key and api_key in self._url:
            raise LLMError(
                "llm.base_url contains the API key: remove it and keep the key only in the "
                f"environment variable {settings.api_key_env}"
            )
        if api_key:
            headers["Authorization"] = f"Bearer {api_key}"
        self._http = httpx.Client(
            transport=transport,
            headers=headers,
            timeout=httpx.Timeout(
                settings.read_timeout, connect=settings.connect_timeout, pool=settings.total_timeout
            ),
            follow_redirects=False,
        )
        self._sleep = sleep
        self._clock = clock
        self._gate = threading.BoundedSemaphore(settings.concurrency)
        self._lock = threading.Lock()
        self._run_deadline = clock() + settings.run_timeout
        self.tokens_spent = 0
        self.calls = 0
        self.auth_error: LLMAuthError | None = None

    @classmethod
    def from_settings(
        cls, settings: LLMSettings, *, transport: httpx.BaseTransport | None = None
    ) -> ChatClient:
        """A client whose API key is read from the environment variable the settings name."""
        return cls(settings, api_key=os.environ.get(settings.api_key_env), transport=transport)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> ChatClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def budget_left(self) -> int:
        return max(0, self.settings.max_tokens_per_run - self.tokens_spent)

    def complete(self, messages: list[Message], *, max_tokens: int | None = None) -> ChatAnswer:
        """One chat completion, retried within the limits; raises an `LLMError`.

        After a 401/403 every call raises that `LLMAuthError` at once, without a request.
        """
        if self.auth_error is not None:
            raise self.auth_error
        self._check_budget()
        body: dict[str, Any] = {
            "model": self.model,
            "messages": messages,
            "temperature": self.settings.temperature,
            "max_tokens": max_tokens or self.settings.max_tokens_per_call,
        }
        if self.settings.json_mode:
            body["response_format"] = {"type": "json_object"}
        payload = json.dumps(body, ensure_ascii=False).encode("utf-8")
        deadline = min(self._clock() + self.settings.total_timeout, self._run_deadline)
        attempt = 0
        while True:
            try:
                with self._gate:
                    self._check_budget()
                    return self._attempt(payload, deadline)
            except (LLMTimeout, LLMConnectError, LLMHTTPError) as exc:
                retry_after = exc.retry_after if isinstance(exc, LLMHTTPError) else None
                if attempt >= self.settings.retries or not _retryable(exc):
                    raise
                wait = self.settings.backoff * (2**attempt)
                if retry_after is not None:
                    if retry_after > self.settings.max_backoff:
                        raise
                    wait = max(wait, retry_after)
                wait = min(wait, self.settings.max_backoff)
                if self._clock() + wait >= deadline:
                    raise
                self._sleep(wait)
                attempt += 1

    def _check_budget(self) -> None:
        if (
            self.settings.max_tokens_per_run
            and self.tokens_spent >= self.settings.max_tokens_per_run
        ):
            raise LLMBudgetSpent(
                f"LLM token budget spent: {self.tokens_spent} of llm.max_tokens_per_run="
                f"{self.settings.max_tokens_per_run}"
            )
        if self._clock() >= self._run_deadline:
            raise LLMBudgetSpent(
                f"LLM run deadline passed: llm.run_timeout={self.settings.run_timeout} s",
                reason="run deadline passed",
            )

    def _attempt(self, payload: bytes, deadline: float) -> ChatAnswer:
        left = deadline - self._clock()
        if left <= 0:
            raise LLMTimeout(f"LLM call timed out: {self._url}: total_timeout spent")
        timeout = httpx.Timeout(
            min(self.settings.read_timeout, left),
            connect=min(self.settings.connect_timeout, left),
            pool=left,
        )
        with self._lock:
            self.calls += 1
        try:
            with self._http.stream("POST", self._url, content=payload, timeout=timeout) as resp:
                data = self._read_body(resp, deadline)
                if resp.status_code in (401, 403):
                    with self._lock:
                        self.auth_error = self.auth_error or LLMAuthError(
                            f"LLM authentication failed: {self._url}: HTTP {resp.status_code}: "
                            # What the endpoint says (a wrong key, no access to the model), with
                            # anything it echoes of the request masked.
                            + redact.redact(data[:200].decode("utf-8", "replace").strip()),
                            status=resp.status_code,
                        )
                    raise self.auth_error
                if resp.status_code // 100 != 2:
                    raise LLMHTTPError(
                        f"LLM call failed: {self._url}: HTTP {resp.status_code}: "
                        # The body may echo the request, Authorization header included.
                        + redact.redact(data[:200].decode("utf-8", "replace")),
                        status=resp.status_code,
                        retry_after=retry_after_seconds(
                            resp.headers.get("Retry-After"), dt.datetime.now(dt.UTC)
                        ),
                    )
        except httpx.TimeoutException as exc:
            raise LLMTimeout(f"LLM call timed out: {self._url}: {type(exc).__name__}") from exc
        except httpx.TransportError as exc:
            raise LLMConnectError(
                f"LLM endpoint unreachable: {self._url}: {redact.redact(repr(exc))}"
            ) from exc
        return self._parse(data)

    def _read_body(self, resp: httpx.Response, deadline: float) -> bytes:
        # The read time-out bounds the gap between chunks; a server that trickles must still
        # finish within the call's total time-out, so check the deadline between chunks.
        chunks: list[bytes] = []
        size = 0
        for chunk in resp.iter_bytes():
            size += len(chunk)
            if size > _MAX_BODY_BYTES:
                raise LLMProtocolError(f"LLM answer too large: over {_MAX_BODY_BYTES} bytes")
            chunks.append(chunk)
            if self._clock() > deadline:
                raise LLMTimeout(f"LLM call timed out: {self._url}: answer still arriving")
        return b"".join(chunks)

    def _parse(self, data: bytes) -> ChatAnswer:
        try:
            doc = json.loads(data)
            content = doc["choices"][0]["message"]["content"]
        except (ValueError, KeyError, IndexError, TypeError) as exc:
            raise LLMProtocolError(
                f"LLM answer is not a chat completion: {self._url}: {type(exc).__name__}: "
                + redact.redact(str(exc))
            ) from exc
        if not isinstance(content, str):
            raise LLMProtocolError(f"LLM answer has no text content: {self._url}")
        usage = doc.get("usage") if isinstance(doc, dict) else None
        tokens = usage.get("total_tokens") if isinstance(usage, dict) else None
        if not isinstance(tokens, int) or tokens < 0:
            # No usage reported (some local servers): estimate, so the budget still holds.
            tokens = (len(data) + 3) // 2
        with self._lock:
            self.tokens_spent += tokens
        return ChatAnswer(
            content=content, total_tokens=tokens, model=str(doc.get("model") or self.model)
        )


def _retryable(exc: LLMError) -> bool:
    if isinstance(exc, LLMHTTPError):
        return exc.status in _RETRY_STATUSES
    return True
