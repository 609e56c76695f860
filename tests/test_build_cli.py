"""`briefing build`: output layout, usage errors, determinism."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing.cli import cli
from briefing.model import Briefing

DATE = "2026-02-05"


def _digests(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*")) if p.is_file()
    }


def _build(out: Path, *extra: str) -> None:
    result = CliRunner().invoke(cli, ["build", "--date", DATE, "--out", str(out), *extra])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("bad", ["2026-02-30", "20260205", "2026-13-01", "tomorrow", ""])
def test_a_bad_date_is_a_usage_error_and_writes_nothing(tmp_path: Path, bad: str) -> None:
    result = CliRunner().invoke(cli, ["build", "--date", bad, "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "YYYY-MM-DD" in result.output
    assert not (tmp_path / "out").exists()


def test_build_writes_each_edition_in_its_folder(tmp_path: Path) -> None:
    _build(tmp_path, "--format", "md,json")
    for lang in ("zh", "en"):
        folder = tmp_path / lang / DATE
        assert sorted(p.name for p in folder.iterdir()) == ["briefing.json", "briefing.md"]
        briefing = Briefing.from_json((folder / "briefing.json").read_text(encoding="utf-8"))
        assert str(briefing.date) == DATE
    zh = (tmp_path / "zh" / DATE / "briefing.md").read_text(encoding="utf-8")
    en = (tmp_path / "en" / DATE / "briefing.md").read_text(encoding="utf-8")
    assert "**核心要点：**" in zh and "**Key points:**" in en
    assert zh.count("\n### ") == en.count("\n### ")  # the same items in both editions


def test_build_is_byte_identical_when_run_twice(tmp_path: Path) -> None:
    _build(tmp_path / "a", "--format", "md,json")
    _build(tmp_path / "b", "--format", "md,json")
    assert _digests(tmp_path / "a") == _digests(tmp_path / "b")


def test_unknown_language_or_format_is_a_usage_error(tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(cli, ["build", "--date", DATE, "--lang", "fr", "--out", str(tmp_path)]).exit_code == 2
    assert runner.invoke(cli, ["build", "--date", DATE, "--format", "docx", "--out", str(tmp_path)]).exit_code == 2
    assert not any(tmp_path.iterdir())


def test_every_command_has_help() -> None:
    from briefing.cli import COMMANDS, LazyGroup

    runner = CliRunner()
    for name in COMMANDS:
        command = LazyGroup().get_command(None, name)  # type: ignore[arg-type]
        if command is None:
            continue  # a stage that has not landed
        assert command.help, f"`briefing {name}` has no help text"
        assert runner.invoke(cli, [name, "--help"]).exit_code == 0
