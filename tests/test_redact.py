"""Secrets never reach a log line or a message (RELIABILITY #46's LLM client, and the run).

The probe's two leaks: an endpoint that echoes the request (Authorization header
included) in its error body, and a key written into the endpoint URL.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError

from briefing import redact
from briefing.analyse.llm.client import ChatClient, LLMHTTPError
from briefing.analyse.llm.settings import LLMSettings
from briefing.config import load_config
from briefing.errors import ConfigError
from tests.helpers.fake_llm import FakeLLM, Reply, Request

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
KEY = "sk-live-3f9a1c0e7b2d4a6f8e1c3b5d7f9a0b2c"


def echo(request: Request) -> Reply:
    """An endpoint that quotes the key it was sent in its error (no "Bearer" to spot)."""
    key = request.headers.get("Authorization", "").removeprefix("Bearer ")
    body = json.dumps({"error": {"message": f"invalid api key {key}"}}).encode()
    return Reply(status=400, body=body)  # 400: the body is quoted (401 stops the run)


@pytest.mark.parametrize(
    ("text", "gone"),
    [
        ("Authorization: Bearer abcdef123456", "abcdef123456"),
        ("key sk-proj-AAAAAAAAAAAAAAAAAAAAAAAA failed", "sk-proj-AAAA"),
        ("GET https://user:hunter2pass@feeds.example/rss", "hunter2pass"),
        ("fetch https://feeds.example/rss?token=s3cr3tvalue&x=1 failed", "s3cr3tvalue"),
        ('{"api_key": "abcdefghijkl"}', "abcdefghijkl"),
    ],
)
def test_secret_shapes_are_masked(text: str, gone: str) -> None:
    masked = redact.redact(text)
    assert gone not in masked and redact.MASK in masked


def test_a_registered_value_is_masked_anywhere_and_short_values_are_not_registered() -> None:
    redact.register("zq-unusual-secret-value")
    redact.register("abc")  # too short to replace blindly
    assert redact.redact("x zq-unusual-secret-value y abc") == f"x {redact.MASK} y abc"


def test_log_records_are_redacted_whatever_the_handler(caplog: pytest.LogCaptureFixture) -> None:
    redact.install()
    redact.install()  # idempotent
    with caplog.at_level(logging.INFO, logger="briefing.test"):
        logging.getLogger("briefing.test").warning("call failed: %s", f"Bearer {KEY}")
    assert KEY not in caplog.text and redact.MASK in caplog.text


def test_an_endpoint_echoing_the_key_does_not_put_it_in_the_error() -> None:
    with FakeLLM(responder=echo) as server:
        settings = LLMSettings(base_url=server.base_url, model="m", retries=0)
        with ChatClient(settings, api_key=KEY) as client, pytest.raises(LLMHTTPError) as info:
            client.complete([{"role": "user", "content": "hi"}])
    assert server.requests[0].headers["Authorization"] == f"Bearer {KEY}"
    assert "HTTP 400" in str(info.value) and "invalid api key" in str(info.value)
    assert KEY not in str(info.value)


@pytest.mark.parametrize(
    "url",
    [
        f"https://api.example.com/v1?api_key={KEY}",
        f"https://me:{KEY}@api.example.com/v1",
        f"https://api.example.com/{KEY}/v1",
        "https://api.example.com/v1#frag",
    ],
)
def test_a_key_in_the_endpoint_url_is_refused_at_config_time(url: str, tmp_path: Path) -> None:
    with pytest.raises(ValidationError) as info:
        LLMSettings(base_url=url, model="m")
    assert KEY not in str(info.value).replace(f"input_value='{url}'", "")
    path = tmp_path / "feeds.yaml"
    path.write_text(f"llm:\n  base_url: '{url}'\n  model: m\n", encoding="utf-8")
    with pytest.raises(ConfigError) as config_info:
        load_config(path)
    assert "llm.base_url" in str(config_info.value) and KEY not in str(config_info.value)
    assert "api_key_env" in str(config_info.value)


def test_a_nightly_run_against_an_echoing_endpoint_writes_the_key_nowhere(tmp_path: Path) -> None:
    """A subprocess run as cron would: stdout, stderr, the log, the manifest, the site."""
    with FakeLLM(responder=echo) as server:
        config = tmp_path / "feeds.yaml"
        config.write_text(
            f"settings:\n  store: {tmp_path / 'store.sqlite'}\n  local_root: {SAMPLES}\n"
            "sources:\n  - id: samples\n    name: Sample articles\n    path: articles\n"
            f"llm:\n  base_url: {server.base_url}\n  model: fake-model\n  api_key_env: TEST_KEY\n"
            "  retries: 0\n  backoff: 0\n"
            f"site:\n  out: {tmp_path / 'site'}\n  formats: [html, md, json]\n",
            encoding="utf-8",
        )
        run = subprocess.run(
            [sys.executable, "-m", "briefing", "nightly", "--config", str(config),
             "--date", "2026-02-05"],
            capture_output=True, text=True, timeout=300, cwd=tmp_path,
            env={**os.environ, "TEST_KEY": KEY},
        )
        assert server.requests, run.stderr  # the endpoint was called and echoed
    assert run.returncode in (0, 1, 3), run.stderr
    assert KEY not in run.stdout and KEY not in run.stderr
    written = [p for p in tmp_path.rglob("*") if p.is_file() and not p.is_symlink()]
    assert any(p.suffix == ".log" for p in written), sorted(map(str, written))
    for path in written:
        assert KEY.encode() not in path.read_bytes(), path
