"""`briefing build`: output layout, usage errors, determinism."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing.cli import cli
from briefing.model import Briefing

DATE = "2026-02-05"
SAMPLES = Path(__file__).resolve().parents[1] / "samples"


@pytest.fixture
def config(tmp_path: Path) -> Path:
    """A feeds.yaml over the bundled sample articles, with its store in tmp_path."""
    path = tmp_path / "feeds.yaml"
    path.write_text(
        f"settings:\n  store: {tmp_path / 'store.sqlite'}\n  local_root: {SAMPLES}\n"
        f"sources:\n  - id: samples\n    name: Sample articles\n    path: articles\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["fetch", "--config", str(path)])
    assert result.exit_code == 0, result.output
    return path


def _digests(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*")) if p.is_file()
    }


def _build(config: Path, out: Path, *extra: str) -> None:
    args = ["build", "--config", str(config), "--date", DATE, "--out", str(out), *extra]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("bad", ["2026-02-30", "20260205", "2026-13-01", "tomorrow", ""])
def test_a_bad_date_is_a_usage_error_and_writes_nothing(tmp_path: Path, bad: str) -> None:
    result = CliRunner().invoke(cli, ["build", "--date", bad, "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "YYYY-MM-DD" in result.output
    assert not (tmp_path / "out").exists()


def test_build_writes_each_edition_in_its_folder(tmp_path: Path, config: Path) -> None:
    _build(config, tmp_path / "out", "--format", "md,json")
    for lang in ("zh", "en"):
        folder = tmp_path / "out" / lang / DATE
        assert sorted(p.name for p in folder.iterdir()) == ["briefing.json", "briefing.md"]
        briefing = Briefing.from_json((folder / "briefing.json").read_text(encoding="utf-8"))
        assert str(briefing.date) == DATE
    zh = (tmp_path / "out" / "zh" / DATE / "briefing.md").read_text(encoding="utf-8")
    en = (tmp_path / "out" / "en" / DATE / "briefing.md").read_text(encoding="utf-8")
    assert "**核心要点：**" in zh and "**Key points:**" in en
    # Each edition in its own language: stories told only in Chinese are listed at the end.
    assert zh.count("\n### ") >= en.count("\n### ") > 0
    assert not any(re.search(r"[\u4e00-\u9fff]", line) for line in en.splitlines()
                   if line.startswith(("# ", "### ")))


def test_build_is_byte_identical_when_run_twice(tmp_path: Path, config: Path) -> None:
    _build(config, tmp_path / "a")
    _build(config, tmp_path / "b")
    digests = _digests(tmp_path / "a")
    assert {name.rsplit("/", 1)[-1] for name in digests} == {
        "briefing.md", "briefing.html", "index.html", "briefing.pdf", "briefing.json"}
    assert digests == _digests(tmp_path / "b")


def test_build_without_articles_says_what_to_do(tmp_path: Path) -> None:
    path = tmp_path / "feeds.yaml"
    path.write_text(f"settings:\n  store: {tmp_path / 'empty.sqlite'}\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", "--config", str(path), "--date", DATE,
                                      "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "briefing fetch" in str(result.exception) + result.output
    assert not (tmp_path / "out").exists()


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
        assert command is not None, f"`briefing {name}` does not load"
        assert command.help, f"`briefing {name}` has no help text"
        assert runner.invoke(cli, [name, "--help"]).exit_code == 0


def test_a_built_html_page_carries_its_stylesheet(tmp_path: Path, config: Path) -> None:
    _build(config, tmp_path / "out", "--format", "html")
    page = (tmp_path / "out" / "zh" / DATE / "briefing.html").read_text(encoding="utf-8")
    assert 'href="assets/' not in page  # nothing beside it to link to
    assert "<style>" in page and "--serif:" in page
