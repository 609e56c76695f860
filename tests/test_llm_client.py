"""The chat-completions client against a real server on 127.0.0.1 (RELIABILITY #46)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest

from briefing.analyse.llm.client import (
    ChatClient,
    LLMAuthError,
    LLMBudgetSpent,
    LLMHTTPError,
    LLMProtocolError,
    LLMTimeout,
)
from briefing.analyse.llm.settings import LLMSettings
from tests.helpers.fake_llm import FakeLLM, Reply, Request

MESSAGES = [{"role": "system", "content": "s"}, {"role": "user", "content": "u"}]


@pytest.fixture
def server() -> Iterator[FakeLLM]:
    with FakeLLM() as fake:
        yield fake


def settings(server: FakeLLM, **changes: object) -> LLMSettings:
    base: dict[str, object] = {
        "base_url": server.base_url,
        "model": "test-model",
        "connect_timeout": 1.0,
        "read_timeout": 1.0,
        "total_timeout": 5.0,
        "retries": 2,
        "backoff": 0.01,
        "max_backoff": 0.2,
    }
    base.update(changes)
    return LLMSettings.model_validate(base)


class Sleeps:
    """Records back-off waits instead of sleeping."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


def test_a_call_sends_the_openai_request_and_counts_tokens(server: FakeLLM) -> None:
    server.queue(Reply.content('{"ok": true}', total_tokens=321))
    with ChatClient(settings(server), api_key="sk-test") as client:
        answer = client.complete(MESSAGES)
    assert answer.content == '{"ok": true}'
    assert client.tokens_spent == 321
    [request] = server.requests
    assert request.path == "/v1/chat/completions"
    assert request.headers["Authorization"] == "Bearer sk-test"
    assert request.body["model"] == "test-model"
    assert request.body["temperature"] == 0
    assert request.body["response_format"] == {"type": "json_object"}
    assert request.body["messages"] == MESSAGES
    assert request.body["max_tokens"] == 2000


def test_without_a_key_no_authorization_header_is_sent(server: FakeLLM) -> None:
    server.queue(Reply.content("{}"))
    with ChatClient(settings(server, json_mode=False)) as client:
        client.complete(MESSAGES)
    assert "Authorization" not in server.requests[0].headers
    assert "response_format" not in server.requests[0].body


def test_api_key_comes_from_the_named_environment_variable(
    server: FakeLLM, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MY_LLM_KEY", "sk-env")
    server.queue(Reply.content("{}"))
    with ChatClient.from_settings(settings(server, api_key_env="MY_LLM_KEY")) as client:
        client.complete(MESSAGES)
    assert server.requests[0].headers["Authorization"] == "Bearer sk-env"


def test_429_is_retried_after_retry_after(server: FakeLLM) -> None:
    server.queue(Reply.error(429, retry_after="0.15"), Reply.content("{}"))
    sleeps = Sleeps()
    with ChatClient(settings(server), sleep=sleeps) as client:
        assert client.complete(MESSAGES).content == "{}"
    assert len(server.requests) == 2
    assert sleeps.waits == [0.15]  # Retry-After wins over the shorter back-off


def test_5xx_backs_off_exponentially_then_gives_up(server: FakeLLM) -> None:
    server.responder = lambda request: Reply.error(503)
    sleeps = Sleeps()
    with (
        ChatClient(settings(server, retries=3), sleep=sleeps) as client,
        pytest.raises(LLMHTTPError) as info,
    ):
        client.complete(MESSAGES)
    assert info.value.status == 503
    assert info.value.reason == "HTTP 503"
    assert len(server.requests) == 4
    assert sleeps.waits == [0.01, 0.02, 0.04]


def test_a_retry_after_beyond_max_backoff_gives_up_at_once(server: FakeLLM) -> None:
    server.responder = lambda request: Reply.error(429, retry_after=3600)
    sleeps = Sleeps()
    with ChatClient(settings(server), sleep=sleeps) as client, pytest.raises(LLMHTTPError):
        client.complete(MESSAGES)
    assert len(server.requests) == 1
    assert sleeps.waits == []


def test_client_errors_are_not_retried(server: FakeLLM) -> None:
    server.responder = lambda request: Reply.error(401)
    with ChatClient(settings(server)) as client, pytest.raises(LLMHTTPError) as info:
        client.complete(MESSAGES)
    assert info.value.status == 401
    assert len(server.requests) == 1


def test_a_slow_answer_times_out_after_bounded_retries(server: FakeLLM) -> None:
    server.responder = lambda request: Reply.slow(0.6)
    started = time.monotonic()
    with (
        ChatClient(settings(server, read_timeout=0.15, retries=1)) as client,
        pytest.raises(LLMTimeout) as info,
    ):
        client.complete(MESSAGES)
    assert info.value.reason == "timeout"
    assert len(server.requests) == 2
    assert time.monotonic() - started < 1.0


def test_the_total_timeout_bounds_retries(server: FakeLLM) -> None:
    server.responder = lambda request: Reply.slow(0.5)
    started = time.monotonic()
    with (
        ChatClient(settings(server, read_timeout=0.2, total_timeout=0.3, retries=5)) as client,
        pytest.raises(LLMTimeout),
    ):
        client.complete(MESSAGES)
    assert time.monotonic() - started < 0.8
    assert len(server.requests) <= 2


def test_a_body_that_is_not_a_chat_completion_is_a_protocol_error(server: FakeLLM) -> None:
    server.queue(Reply(body=b"<html>gateway</html>"))
    with ChatClient(settings(server)) as client, pytest.raises(LLMProtocolError):
        client.complete(MESSAGES)


def test_the_token_budget_stops_calls(server: FakeLLM) -> None:
    server.responder = lambda request: Reply.content("{}", total_tokens=100)
    with ChatClient(settings(server, max_tokens_per_run=150)) as client:
        client.complete(MESSAGES)
        client.complete(MESSAGES)  # 100 < 150: still allowed
        with pytest.raises(LLMBudgetSpent) as info:
            client.complete(MESSAGES)
    assert info.value.reason == "token budget spent"
    assert len(server.requests) == 2


def test_missing_usage_is_estimated_so_the_budget_still_holds(server: FakeLLM) -> None:
    server.queue(Reply.content("{}", total_tokens=None))
    with ChatClient(settings(server)) as client:
        client.complete(MESSAGES)
        assert client.tokens_spent > 0


def test_the_run_deadline_stops_calls(server: FakeLLM) -> None:
    now = [0.0]
    with ChatClient(settings(server, run_timeout=10), clock=lambda: now[0]) as client:
        now[0] = 11.0
        with pytest.raises(LLMBudgetSpent) as info:
            client.complete(MESSAGES)
    assert info.value.reason == "run deadline passed"
    assert server.requests == []


def test_concurrency_is_limited(server: FakeLLM) -> None:
    in_flight = 0
    peak = 0
    lock = threading.Lock()

    def responder(request: Request) -> Reply:
        nonlocal in_flight, peak
        with lock:
            in_flight += 1
            peak = max(peak, in_flight)
        time.sleep(0.05)
        with lock:
            in_flight -= 1
        return Reply.content("{}")

    server.responder = responder
    with ChatClient(settings(server, concurrency=2)) as client:
        threads = [threading.Thread(target=client.complete, args=(MESSAGES,)) for _ in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert len(server.requests) == 6
    assert peak == 2


def test_settings_refuse_a_base_url_that_is_not_http() -> None:
    with pytest.raises(ValueError, match="http"):
        LLMSettings(base_url="ftp://example.com", model="m")
    assert (
        LLMSettings(base_url="http://127.0.0.1:11434/v1/", model="m").base_url
        == "http://127.0.0.1:11434/v1"
    )
    assert not LLMSettings(base_url="http://x/v1").configured
    assert not LLMSettings(base_url="http://x/v1", model="m", enabled=False).configured


@pytest.mark.parametrize("status", [401, 403])
def test_an_auth_failure_stops_the_client(server: FakeLLM, status: int) -> None:
    server.responder = lambda request: Reply.error(status)
    with ChatClient(settings(server)) as client:
        with pytest.raises(LLMAuthError) as first:
            client.complete(MESSAGES)
        with pytest.raises(LLMAuthError) as second:
            client.complete(MESSAGES)
    assert first.value is second.value and first.value.status == status
    assert len(server.requests) == 1  # the second call never left the process
