"""`--date` is checked against the range a briefing can have (RELIABILITY #52).

Dates that `datetime` can parse but the day's window cannot hold (0001-01-01: its window
starts the day before) used to crash with OverflowError deep in a stage.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing.cli import cli
from briefing.errors import BriefingError

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "feeds.yaml"
    path.write_text(
        f"settings:\n  store: {tmp_path / 'store.sqlite'}\n  local_root: {SAMPLES}\n"
        "sources:\n  - id: samples\n    path: articles\n",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize("command", ["build", "articles", "nightly"])
@pytest.mark.parametrize("day", ["0001-01-01", "1899-12-31", "9999-12-31"])
def test_a_date_out_of_range_is_a_usage_error(
    tmp_path: Path, config: Path, command: str, day: str
) -> None:
    out = tmp_path / "out"
    args = [command, "--config", str(config), "--date", day]
    args += ["--out", str(out)] if command != "articles" else []
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2, result.output
    assert f"{day} is out of range: briefing handles dates from 1900-01-01 to 9998-12-31" in (
        result.output
    )
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert not out.exists() and not (tmp_path / "store.sqlite").exists()


@pytest.mark.parametrize("day", ["1900-01-01", "9998-12-31"])
def test_the_edges_of_the_range_run_to_a_clear_answer(config: Path, day: str) -> None:
    """At both edges the stages compute their windows without overflowing."""
    fetch = CliRunner().invoke(cli, ["fetch", "--config", str(config)])
    assert fetch.exit_code == 0, fetch.output
    articles = CliRunner().invoke(cli, ["articles", "--config", str(config), "--date", day])
    assert articles.exit_code == 0 and "no articles" in articles.output
    build = CliRunner().invoke(cli, ["build", "--config", str(config), "--date", day])
    # A BriefingError (the entry point prints it as one line), not an OverflowError.
    assert isinstance(build.exception, BriefingError), build.exception
    assert f"no articles for {day}" in str(build.exception)
