"""Running the CLI in-process in an empty folder, as a new user would."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from briefing.cli import cli


def run(*args: str) -> Result:
    """`briefing ARGS` through click's runner; a BriefingError stays in `result.exception`."""
    return CliRunner().invoke(cli, list(args))


@pytest.fixture(name="nowhere")
def nowhere_fixture(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty working folder and no $BRIEFING_CONFIG."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("BRIEFING_CONFIG", raising=False)
    return tmp_path
