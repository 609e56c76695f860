"""docs/operations.md and docs/examples/ work as written: the commands they give parse, the
paths agree, the Pages workflow deploys only the site, and the cron line behaves as the
text says (run here against a copy of the sample)."""

from __future__ import annotations

import configparser
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest
import yaml

from briefing.cli import cli
from briefing.publish.nightly import ExitCode

ROOT = Path(__file__).resolve().parents[1]
DOC = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
EXAMPLES = ROOT / "docs" / "examples"


@pytest.fixture
def config_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A valid config in $BRIEFING_CONFIG, so parsing a documented command loads it."""
    path = tmp_path / "feeds.yaml"
    path.write_text("site:\n  base_url: https://news.mysite.test/\n", encoding="utf-8")
    monkeypatch.setenv("BRIEFING_CONFIG", str(path))
    return path


def _parses(argv: list[str]) -> None:
    """The documented command line is accepted by the CLI (options, values), not run."""
    assert argv[0].endswith("briefing"), argv
    args = argv[1:]
    with click.Context(cli) as ctx:
        command = cli.get_command(ctx, args[0])
        assert command is not None, args[0]
        command.make_context(args[0], args[1:], parent=ctx)


def _cron_line() -> str:
    block = re.search(r"```cron\n(.*?)```", DOC, flags=re.S)
    assert block
    (line,) = [ln for ln in block.group(1).splitlines() if ln and not ln.startswith("#")]
    return line.split(None, 5)[5]


def test_exit_code_table_matches_the_code() -> None:
    documented = {int(code) for code in re.findall(r"^\| (\d+) \|", DOC, flags=re.M)}
    assert documented == {int(code) for code in ExitCode}


def test_cron_and_systemd_commands_parse(config_env: Path) -> None:
    cron = _cron_line()
    command = cron.split("&&", 1)[1].split("||", 1)[0]
    _parses(shlex.split(command))
    service = configparser.ConfigParser(strict=False, interpolation=None)
    service.optionxform = str  # type: ignore[assignment,method-assign]
    service.read(EXAMPLES / "briefing-nightly.service")
    unit = service["Service"]
    exec_start = shlex.split(unit["ExecStart"])
    assert exec_start[0] == f"{unit['WorkingDirectory']}/.venv/bin/briefing"
    assert unit["Environment"] == f"BRIEFING_CONFIG={unit['WorkingDirectory']}/feeds.yaml"
    assert cron.startswith(f"cd {unit['WorkingDirectory']} && .venv/bin/briefing ")
    _parses(exec_start)
    assert {int(c) for c in unit["SuccessExitStatus"].split()} <= {int(c) for c in ExitCode}
    timer = configparser.ConfigParser(strict=False, interpolation=None)
    timer.read(EXAMPLES / "briefing-nightly.timer")
    assert re.match(r"\*-\*-\* \d\d:\d\d:\d\d \S+", timer["Timer"]["OnCalendar"])
    assert timer["Install"]["WantedBy"] == "timers.target"


def test_pages_workflow_deploys_only_the_site(config_env: Path) -> None:
    workflow = yaml.safe_load((EXAMPLES / "publish-pages.yml").read_text(encoding="utf-8"))
    steps = workflow["jobs"]["build"]["steps"]
    uploads = [s for s in steps if "upload" in str(s.get("uses", ""))]
    assert [s["uses"] for s in uploads] == ["actions/upload-pages-artifact@v3"]
    assert uploads[0]["with"]["path"] == "out/site"
    text = (EXAMPLES / "publish-pages.yml").read_text(encoding="utf-8")
    assert "manifest.json" not in text and "site.log" not in text
    runs = [s["run"] for s in steps if "run" in s]
    assert not any("pip install -e" in r for r in runs)  # a wheel install carries the templates
    for run in runs:
        if run.startswith("briefing "):
            _parses(shlex.split(run))
    # The deployed folder is the one the default config publishes to.
    from briefing.publish.settings import SiteSettings

    assert SiteSettings().out == "out/site"


def test_documented_commands_and_options_exist(config_env: Path) -> None:
    for argv in (["briefing", "sources", "import", "--dry-run", str(config_env)],
                 ["briefing", "sources", "export", "-o", "x.opml", "--all"]):
        with click.Context(cli) as ctx:
            group = cli.get_command(ctx, "sources")
            assert isinstance(group, click.Group)
            sub = group.get_command(ctx, argv[2])
            assert sub is not None
            sub.make_context(argv[2], argv[3:], parent=ctx)
    help_text = subprocess.run([sys.executable, "-m", "briefing", "--help"], capture_output=True,
                               text=True, check=True).stdout
    assert "--verbose" in help_text and "--log-file" in help_text and "init" in help_text


def test_the_cron_line_reports_a_bad_night_in_one_error_line(tmp_path: Path) -> None:
    """The cron recipe, run: /srv/briefing → a folder with a config and a venv link.

    The sample has no articles for today, so the gate refuses the day: exit 1, one `error:`
    line, then the recipe's own echo. That is exactly what cron would mail.
    """
    home = tmp_path / "srv" / "briefing"
    shutil.copytree(ROOT / "samples", home / "samples")
    (home / "feeds.yaml").write_text(
        "settings:\n  store: state/briefing.sqlite\n  local_root: samples\n"
        "sources:\n  - id: samples\n    name: Sample articles\n    path: articles\n"
        "site:\n  base_url: https://news.mysite.test/\n  formats: [html, md, json]\n",
        encoding="utf-8",
    )
    (home / ".venv" / "bin").mkdir(parents=True)
    (home / ".venv" / "bin" / "briefing").symlink_to(Path(sys.executable).parent / "briefing")
    line = _cron_line().replace("/srv/briefing", str(home))
    env = {k: v for k, v in os.environ.items() if k not in ("BRIEFING_CONFIG", "PYTHONPATH")}
    result = subprocess.run(["sh", "-c", line], capture_output=True, text=True, env=env,
                            timeout=240, check=False)
    errors = [ln for ln in result.stderr.splitlines() if ln.startswith("error:")]
    assert len(errors) == 1, result.stderr
    assert result.stdout.strip() == "briefing nightly failed: 1"
    assert (home / "out" / "site.manifest.json").is_file()
