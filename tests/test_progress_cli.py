"""Attended and unattended runs: a bar on a terminal only, -v and --log-file, and failing
feeds reported even under `nightly --quiet`."""

from __future__ import annotations

import datetime as dt
import logging
import os
import pty
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing.cli import cli
from tests.helpers.loopback import LoopbackServer, loopback_server_fixture  # noqa: F401
from tests.publish.conftest import days_back, sample_briefing, save, write_config

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _reset_logging() -> Iterator[None]:
    """`-v` and `--log-file` add handlers to the package logger: remove them after each test."""
    logger = logging.getLogger("briefing")
    before, level = list(logger.handlers), logger.level
    yield
    for handler in logger.handlers[:]:
        if handler not in before:
            logger.removeHandler(handler)
            handler.close()
    logger.setLevel(level)


@pytest.fixture
def stored(tmp_path: Path) -> Path:
    """A config whose store holds three days, ready for `briefing site`."""
    config = write_config(tmp_path)
    save(config.store_path, [sample_briefing(d) for d in days_back(3)])
    assert config.path is not None
    return config.path


def test_site_is_silent_without_a_terminal(stored: Path) -> None:
    result = CliRunner().invoke(cli, ["site", "--config", str(stored)])
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert result.stdout.count("\n") == 1  # the summary line, nothing else


def test_site_shows_a_bar_on_a_terminal(stored: Path) -> None:
    """stderr attached to a pseudo-terminal: the bar is drawn there, stdout stays the summary."""
    leader, follower = pty.openpty()
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "briefing", "site", "--config", str(stored)],
            stdout=subprocess.PIPE, stderr=follower, cwd=ROOT, timeout=120, check=False,
            env={**os.environ, "COLUMNS": "100"},
        )
        os.close(follower)
        follower = -1
        drawn = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:
                break
            if not chunk:
                break
            drawn += chunk
    finally:
        if follower != -1:
            os.close(follower)
        os.close(leader)
    assert proc.returncode == 0
    text = drawn.decode("utf-8", "replace")
    assert "site" in text and "3/3" in text and "2026-02-05 rendered" in text
    assert proc.stdout.count(b"\n") == 1 and b"3/3" not in proc.stdout  # only the summary


def test_verbose_and_log_file(stored: Path, tmp_path: Path) -> None:
    log = tmp_path / "logs" / "briefing.log"
    result = CliRunner().invoke(cli, ["-v", "--log-file", str(log), "site", "--config", str(stored)])
    assert result.exit_code == 0, result.output
    assert "INFO briefing.progress: site: 2026-02-03 rendered (1/3)" in result.stderr
    assert "site: 2026-02-05 rendered (3/3)" in log.read_text(encoding="utf-8")


def test_unwritable_log_file_is_a_clear_error(stored: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    result = CliRunner().invoke(cli, ["--log-file", str(blocker / "x.log"), "site", "--config", str(stored)])
    assert result.exit_code == 1
    assert "cannot open the log file" in str(result.exception)


def test_quiet_nightly_still_reports_failing_feeds(
    tmp_path: Path, loopback_server: LoopbackServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    from briefing.publish import nightly

    loopback_server.respond("/gone.xml", b"", status=404)
    loopback_server.respond("/ok.xml", b'<?xml version="1.0"?><rss version="2.0"><channel>'
                            b"<title>t</title></channel></rss>",
                            headers={"Content-Type": "application/rss+xml"})
    path = tmp_path / "feeds.yaml"
    path.write_text(
        "settings:\n  store: state/b.sqlite\n  allow_hosts: [127.0.0.1]\n  parse_workers: 0\n"
        "  retries: 0\n  total_timeout: 5\n"
        "site:\n  base_url: https://news.mysite.test/\n  formats: [html, md, json]\n  out: out/site\n"
        f"sources:\n  - id: gone\n    url: {loopback_server.url('/gone.xml')}\n"
        f"  - id: fine\n    url: {loopback_server.url('/ok.xml')}\n",
        encoding="utf-8",
    )
    real = nightly.Steps.default

    def default() -> nightly.Steps:
        steps = real()
        steps.build = lambda config, store, day, clock: sample_briefing(day)
        return steps

    monkeypatch.setattr(nightly.Steps, "default", staticmethod(default))
    day = dt.date(2026, 2, 5)
    quiet = CliRunner().invoke(cli, ["nightly", "--config", str(path), "--date", day.isoformat(), "-q"])
    assert quiet.exit_code == 0, quiet.output
    assert quiet.stdout == ""
    (line,) = quiet.stderr.splitlines()
    assert line.startswith("warning: nightly 2026-02-05: 1 of 2 feeds failed: gone: ")
    assert "404" in line and "out/site.log" in line
