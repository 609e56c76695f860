"""`briefing build` with the LLM analyst configured, against a chat-completions server on
127.0.0.1: English text arrives from the model, a rebuild makes no call, and a failing
endpoint degrades to the rules analyst instead of failing the build."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing.cli import cli
from briefing.model import Briefing
from tests.helpers.fake_llm import FakeLLM, Reply, Request
from tests.helpers.llm_stories import HEADLINE_ANSWER

DATE = "2026-02-05"
SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def _answer(request: Request) -> Reply:
    """A valid answer for any story (its wording proves it came from the model)."""
    if "the day's headline" in request.system_prompt:
        return Reply.json(HEADLINE_ANSWER)
    return Reply.json({
        "title": {"zh": "模型撰写的标题", "en": "A headline written by the model"},
        "key_points": [
            {"zh": "第一条要点，含数字3%。", "en": "First point, with a figure of 3%."},
            {"zh": "第二条要点。", "en": "Second point."},
        ],
        "insights": [{"zh": "一条解读。", "en": "One insight."}],
        "impacts": [],
    })


def _config(tmp_path: Path, base_url: str) -> Path:
    path = tmp_path / "feeds.yaml"
    path.write_text(
        f"settings:\n  store: {tmp_path / 'store.sqlite'}\n  local_root: {SAMPLES}\n"
        "sources:\n  - id: samples\n    name: Sample articles\n    path: articles\n"
        f"llm:\n  base_url: {base_url}\n  model: fake-model\n  api_key_env: TEST_LLM_KEY\n"
        "  retries: 0\n  backoff: 0\n  read_timeout: 5\n",
        encoding="utf-8",
    )
    return path


def _build(config: Path, out: Path) -> Briefing:
    args = ["build", "--config", str(config), "--date", DATE, "--format", "md,json",
            "--out", str(out)]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return Briefing.from_json((out / "zh" / DATE / "briefing.json").read_text(encoding="utf-8"))


def _digest(folder: Path) -> str:
    blobs = [p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()]
    return hashlib.sha256(b"".join(blobs)).hexdigest()


@pytest.fixture(autouse=True)
def api_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEST_LLM_KEY", "sk-test")


def test_llm_build_then_rebuild_makes_no_call(tmp_path: Path) -> None:
    with FakeLLM(responder=_answer) as server:
        config = _config(tmp_path, server.base_url)
        assert CliRunner().invoke(cli, ["fetch", "--config", str(config)]).exit_code == 0
        briefing = _build(config, tmp_path / "a")
        calls = len(server.requests)
        assert calls > 5
        assert not briefing.degraded
        assert briefing.title.en == HEADLINE_ANSWER["title"]["en"]
        full = [item for s in briefing.sections if not s.brief for item in s.items]
        assert all(item.title.en == "A headline written by the model" for item in full)
        assert all(item.sources for item in full)  # links still come from the articles
        assert server.requests[0].headers.get("Authorization") == "Bearer sk-test"
        again = _build(config, tmp_path / "b")
        assert len(server.requests) == calls  # the cache answered everything
    assert again == briefing
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")


def test_a_failing_endpoint_degrades_to_the_rules_analyst(tmp_path: Path) -> None:
    with FakeLLM(responder=lambda request: Reply.error(500)) as server:
        config = _config(tmp_path, server.base_url)
        assert CliRunner().invoke(cli, ["fetch", "--config", str(config)]).exit_code == 0
        briefing = _build(config, tmp_path / "out")
    assert briefing.degraded and all("llm" in reason for reason in briefing.degraded)
    assert briefing.items() and all(item.key_points for s in briefing.sections if not s.brief
                                    for item in s.items)
    assert json.loads(briefing.to_json())["degraded"]


def test_a_wrong_key_stops_the_llm_at_the_first_401_with_one_line(tmp_path: Path) -> None:
    with FakeLLM(responder=lambda request: Reply.error(401)) as server:
        config = _config(tmp_path, server.base_url)
        assert CliRunner().invoke(cli, ["fetch", "--config", str(config)]).exit_code == 0
        args = ["build", "--config", str(config), "--date", DATE, "--format", "md,json",
                "--out", str(tmp_path / "out")]
        result = CliRunner().invoke(cli, args, catch_exceptions=False)
        requests = len(server.requests)
    assert result.exit_code == 0, result.output
    # Only the calls already in flight when the first 401 came back (llm.concurrency = 4).
    assert 1 <= requests <= 4
    warnings = [line for line in result.stderr.splitlines() if "degraded" in line]
    assert warnings == [
        "warning: degraded briefing: llm: authentication failed (HTTP 401): check the key in "
        "$TEST_LLM_KEY; fell back to the rules analyst"
    ]
    briefing = Briefing.from_json((tmp_path / "out" / "zh" / DATE / "briefing.json").read_text("utf-8"))
    assert briefing.items() and len(briefing.degraded) == 1
