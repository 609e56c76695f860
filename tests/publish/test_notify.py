"""Notifications: what a run's manifest calls for, fitted to each channel, delivered by
Apprise to a real HTTP endpoint on 127.0.0.1 (`json://`) for a failed and a degraded run."""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import yaml

from briefing.config import load_config
from briefing.errors import BriefingError
from briefing.model import Briefing
from briefing.publish import nightly
from briefing.publish.nightly import ExitCode, run_nightly
from briefing.publish.notify import Message, NotifySettings, expand_env, fit, messages_for
from tests.publish.conftest import sample_briefing

DAY = dt.date(2026, 2, 5)
NOW = dt.datetime(2026, 2, 5, 22, 0, tzinfo=dt.UTC)
SITE = "https://news.example.test/daily/"


def _manifest(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "date": "2026-02-05", "status": "ok", "log": "/srv/out.log", "error": None,
        "fetch": {"skipped": False, "sources_ok": 18, "sources_failed": 2,
                  "sources_not_modified": 0, "failed": ["a: HTTP 503", "b: timeout"]},
        "briefing": {"title": "标题", "headline": {"zh": "央行按兵不动", "en": "Central bank holds"},
                     "summary": {"zh": ["要点一", "要点二"], "en": ["Point one", "Point two"]},
                     "degraded": []},
        "gate": {"problems": []},
        "publish": {"published": True},
    }
    base.update(changes)
    return base


def test_a_good_run_says_nothing_unless_the_briefing_is_wanted() -> None:
    assert messages_for(_manifest(), NotifySettings(), SITE) == []
    (msg,) = messages_for(_manifest(), NotifySettings(briefing=True), SITE, "en")
    assert msg.title == "Central bank holds"
    assert msg.lines[0] == "https://news.example.test/daily/en/2026-02-05/"
    assert "- Point two" in msg.lines


def test_failed_refused_degraded_and_failing_feeds() -> None:
    failed = messages_for(_manifest(status="failed", error="nightly 2026-02-05: build failed: boom",
                                    publish={"published": False}), NotifySettings(), SITE)
    assert [m.event for m in failed] == ["failed"]
    assert failed[0].level == "failure" and "build failed: boom" in failed[0].lines[0]
    refused = messages_for(_manifest(status="refused", gate={"problems": ["x.md:3: placeholder"]},
                                     publish={"published": False}), NotifySettings(), SITE)
    assert "refused by the publish gate" in refused[0].title and "- x.md:3: placeholder" in refused[0].lines
    degraded = messages_for(_manifest(status="degraded", briefing={"degraded": ["llm: HTTP 401"]}),
                            NotifySettings(), SITE)
    assert degraded[0].event == "degraded" and "- llm: HTTP 401" in degraded[0].lines
    feeds = _manifest(fetch={"skipped": False, "sources_ok": 6, "sources_failed": 4,
                             "sources_not_modified": 0, "failed": ["a", "b", "c", "d"]})
    (msg,) = messages_for(feeds, NotifySettings(), SITE)
    assert msg.title == "briefing 2026-02-05: 4 of 10 feeds failed"
    assert messages_for(feeds, NotifySettings(feed_failure_rate=0.5), SITE) == []
    assert messages_for(feeds, NotifySettings(events=["failed"]), SITE) == []


def test_fit_keeps_what_happened_within_the_limit() -> None:
    lines = ("nightly failed: the store is read-only", "The live site is unchanged.",
             *[f"- problem {i}: " + "x" * 80 for i in range(60)])
    msg = Message("failed", "briefing 2026-02-05: nightly failed", lines, 2, "failure")
    title, body = fit(msg, 2048, 0)  # WeCom: 2,048 characters, the title inside the body
    assert title == "" and len(body) + len(msg.title) + 2 <= 2048
    assert body.startswith("nightly failed: the store is read-only\nThe live site is unchanged.")
    assert body.endswith("more)")
    title, body = fit(msg, 32768, 10)
    assert title == "briefing …" and body == "\n".join(lines)


def test_env_in_urls() -> None:
    assert expand_env("tgram://${TOKEN}/1", {"TOKEN": "abc"}) == "tgram://abc/1"
    with pytest.raises(KeyError, match="TOKEN"):
        expand_env("tgram://${TOKEN}/1", {})


# ------------------------------------------------------------------ delivered, on loopback


class Hook:
    """An HTTP endpoint on 127.0.0.1 recording the JSON bodies posted to it."""

    def __init__(self) -> None:
        self.posts: list[dict[str, Any]] = []
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                length = int(self.headers.get("Content-Length") or 0)
                hook.posts.append(json.loads(self.rfile.read(length)))
                self.send_response(200)
                self.end_headers()

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"json://127.0.0.1:{self.server.server_address[1]}/hook"


@pytest.fixture
def hook() -> Iterator[Hook]:
    h = Hook()
    yield h
    h.server.shutdown()
    h.server.server_close()


def _config(tmp_path: Path, urls: list[str], **notify: Any) -> Any:
    data = {
        "settings": {"store": "state/briefing.sqlite"},
        "site": {"base_url": SITE, "formats": ["html", "md", "json"], "out": "site/out"},
        "notify": {"urls": urls, **notify},
    }
    path = tmp_path / "feeds.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return load_config(path)


def _steps(build: Any) -> nightly.Steps:
    steps = nightly.Steps.default()
    steps.build = build
    return steps


def test_a_failed_run_is_posted_to_the_endpoint(tmp_path: Path, hook: Hook) -> None:
    config = _config(tmp_path, [hook.url])

    def build(config: Any, store: Any, day: dt.date, clock: Any) -> Briefing:
        raise BriefingError("store says no")

    result = run_nightly(config, day=DAY, now=lambda: NOW, steps=_steps(build))
    assert result.exit_code == ExitCode.FAILED
    (post,) = hook.posts
    assert post["type"] == "failure"
    assert post["title"] == "briefing 2026-02-05: nightly failed"
    assert "build failed: store says no" in post["message"]
    assert "The live site is unchanged" in post["message"]
    assert result.manifest["notify"] == [
        {"url": 1, "service": "json", "event": "failed", "sent": True}]


def test_a_degraded_run_is_posted_with_the_day(tmp_path: Path, hook: Hook) -> None:
    config = _config(tmp_path, [hook.url, "nosuchservice://x", "json://127.0.0.1:9/${MISSING_VAR}"],
                     briefing=True)

    def build(config: Any, store: Any, day: dt.date, clock: Any) -> Briefing:
        b = sample_briefing(day)
        b.degraded.append("llm: authentication failed (HTTP 401); the rules analyst wrote the day")
        return b

    result = run_nightly(config, day=DAY, now=lambda: NOW, steps=_steps(build))
    assert result.exit_code == ExitCode.OK  # degraded without --strict still publishes
    assert [p["type"] for p in hook.posts] == ["warning", "info"]
    degraded, day = hook.posts
    assert degraded["title"] == "briefing 2026-02-05: published, degraded"
    assert "HTTP 401" in degraded["message"]
    assert day["message"].startswith("https://news.example.test/daily/zh/2026-02-05/")
    assert day["title"] == sample_briefing(DAY).title.zh
    records = result.manifest["notify"]
    assert [r["sent"] for r in records] == [True, True, False, False]
    assert "not a URL Apprise knows" in records[2]["error"]
    assert records[3]["error"] == "environment variable MISSING_VAR is not set"
    log = (tmp_path / "site" / "out.log").read_text(encoding="utf-8")
    assert "notify: url 3 (json): environment variable MISSING_VAR is not set" in log
    assert "127.0.0.1:9" not in log  # URLs (tokens) stay out of the log


def test_notify_command_sends_a_test_message(tmp_path: Path, hook: Hook) -> None:
    from click.testing import CliRunner

    from briefing.cli import cli

    config = _config(tmp_path, [hook.url, "nosuchservice://x"])
    result = CliRunner().invoke(cli, ["notify", "--config", str(config.path)])
    assert result.exit_code == 1
    assert "url 1 (json): sent" in result.stdout
    assert "url 2 (nosuchservice): FAILED: not a URL Apprise knows" in result.stdout
    assert hook.posts[0]["title"] == "briefing: test notification"
