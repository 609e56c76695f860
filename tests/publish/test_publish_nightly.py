"""`briefing nightly`: exit codes, manifest and log, the lock, a kill during publish."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing.cli import cli
from briefing.publish import nightly
from briefing.publish.atomic import Releases
from briefing.publish.nightly import ExitCode, nightly_lock, run_nightly
from briefing.store import Store
from tests.publish.conftest import ROOT, sample_briefing, write_config

DAY = dt.date(2026, 2, 5)
NOW = dt.datetime(2026, 2, 5, 22, 0, tzinfo=dt.UTC)  # 06:00 on 6 Feb in Shanghai


@pytest.fixture
def config(tmp_path: Path):
    cfg = write_config(tmp_path)
    cfg.store_path.parent.mkdir(parents=True, exist_ok=True)
    return cfg


@pytest.fixture(autouse=True)
def fake_build(monkeypatch: pytest.MonkeyPatch):
    """The analysis stage is replaced by the sample day; fetch is real (no sources)."""
    faults: list[str] = []

    def build(config, store, day, clock):  # type: ignore[no-untyped-def]
        b = sample_briefing(day)
        if "placeholder" in faults:
            b.title.zh = "详细 report 内容"
        if "degraded" in faults:
            b.degraded.append("llm: 429 Too Many Requests")
        return b

    real = nightly.Steps.default

    def default() -> nightly.Steps:
        steps = real()
        steps.build = build
        return steps

    monkeypatch.setattr(nightly.Steps, "default", staticmethod(default))
    return faults


def run(config, *args: str):
    return CliRunner().invoke(cli, ["nightly", "--config", str(config.path), *args])


def test_success_is_one_line_and_writes_manifest_log_store_site(config) -> None:
    result = run_nightly(config, day=DAY, now=lambda: NOW)
    assert result.exit_code == ExitCode.OK, result.summary
    out = config.resolve(config.site.out)
    manifest = json.loads(out.with_name("out.manifest.json").read_text(encoding="utf-8"))
    assert manifest["status"] == "ok" and manifest["exit_code"] == 0
    assert manifest["fetch"]["sources_ok"] == 0 and manifest["fetch"]["summary"].startswith("0 ok")
    assert manifest["briefing"]["items"] == 20
    assert manifest["briefing"]["sections"]["markets"] == 6
    assert manifest["briefing"]["llm"] == {"used": False, "degraded": False}
    assert set(manifest["timings"]) >= {"lock", "fetch", "build", "gate", "save", "publish", "total"}
    assert manifest["publish"]["published"] and manifest["publish"]["rendered"] == ["2026-02-05"]
    assert "nightly 2026-02-05: started" in out.with_name("out.log").read_text(encoding="utf-8")
    with Store.open(config.store_path) as store:
        assert store.briefing_dates() == [DAY]
        assert store.briefing_texts() == {DAY: store.load_briefing(DAY)}
        assert store.runs("nightly")[0].status == "ok"
    assert (out / "en" / "2026-02-05" / "index.html").is_file()


def test_cli_prints_one_summary_line_or_nothing(config) -> None:
    result = run(config, "--date", "2026-02-05", "--no-fetch")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    (line,) = result.stdout.splitlines()
    assert line.startswith("nightly 2026-02-05: ok; 20 items") and "published" in line
    quiet = run(config, "--date", "2026-02-05", "--no-fetch", "--quiet")
    assert quiet.exit_code == 0 and quiet.stdout == "" and quiet.stderr == ""


def test_gate_refusal_keeps_the_last_good_site(config, fake_build) -> None:
    assert run(config, "--date", "2026-02-04", "--no-fetch").exit_code == 0
    out = config.resolve(config.site.out)
    live = Releases(out).current()
    fake_build.append("placeholder")
    result = run(config, "--date", "2026-02-05", "--no-fetch")
    assert result.exit_code == 1 and result.stdout == ""
    assert "publish gate refused 2026-02-05" in result.stderr and "详细 report 内容" in result.stderr
    assert Releases(out).current() == live and not (out / "zh" / "2026-02-05").exists()
    assert out.with_name("out.rejected").joinpath("2026-02-05.json").is_file()
    manifest = json.loads(out.with_name("out.manifest.json").read_text(encoding="utf-8"))
    assert manifest["status"] == "refused" and manifest["gate"]["problems"]
    with Store.open(config.store_path) as store:
        assert store.briefing_dates() == [dt.date(2026, 2, 4)]


def test_degraded_exits_3_only_under_strict(config, fake_build) -> None:
    fake_build.append("degraded")
    assert run(config, "--date", "2026-02-05", "--no-fetch").exit_code == 0
    strict = run(config, "--date", "2026-02-05", "--no-fetch", "--strict")
    assert strict.exit_code == 3
    assert "degraded: llm: 429" in strict.stdout


@pytest.mark.parametrize("value", ["2026-2-5", "yesterday", "2999-01-01"])
def test_bad_dates_are_usage_errors(config, value: str) -> None:
    result = run(config, "--date", value)
    assert result.exit_code == 2
    assert not config.resolve(config.site.out).exists()


def test_lock_held_exits_75_at_once_or_after_waiting(config) -> None:
    paths = nightly.NightlyPaths.from_config(config)
    with nightly_lock(paths.lock):
        start = time.monotonic()
        result = run(config, "--no-fetch")
        assert result.exit_code == 75
        assert f"lock held by pid {os.getpid()}" in result.stderr
        assert time.monotonic() - start < 10  # refused at once, not after waiting for the lock
        start = time.monotonic()
        assert run(config, "--no-fetch", "--wait", "0.5").exit_code == 75
        assert time.monotonic() - start >= 0.5
    assert run(config, "--date", "2026-02-05", "--no-fetch", "--wait", "1").exit_code == 0


def _spawn(config, day: str, **env: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.publish.nightly_driver", "nightly", "--config", str(config.path),
         "--date", day, "--no-fetch"],
        cwd=ROOT, env={**os.environ, **env}, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def _wait_for(predicate, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.05)


def test_two_nightly_at_once(config, tmp_path: Path) -> None:
    out = config.resolve(config.site.out)
    resume = tmp_path / "resume"
    first = _spawn(
        config, "2026-02-05", BRIEFING_PUBLISH_PAUSE="60", BRIEFING_PUBLISH_RESUME=str(resume)
    )
    releases = Releases(out)
    _wait_for(lambda: releases.root.is_dir() and any(releases.root.glob("*.build.json")))
    second = _spawn(config, "2026-02-05")
    _, err = second.communicate(timeout=60)
    resume.touch()  # the first run holds its lock until the second has been refused
    assert second.returncode == 75, err
    assert f"lock held by pid {first.pid}" in err
    out_first, err_first = first.communicate(timeout=30)
    assert first.returncode == 0, err_first
    assert out_first.startswith("nightly 2026-02-05: ok")


def _site_is_complete(out: Path, days: list[str]) -> None:
    from briefing.publish.site import _check_links, page_links

    pages = [p.relative_to(out).as_posix() for p in out.rglob("index.html")]
    for lang in ("zh", "en"):
        for day in days:
            for name in ("index.html", "briefing.md", "briefing.json"):
                assert (out / lang / day / name).stat().st_size > 0
    root = out.resolve()  # every relative link of every page resolves inside the release
    _check_links(root, {rel: page_links((root / rel).read_text(encoding="utf-8")) for rel in pages})


def test_kill_during_publish_leaves_the_old_site(config) -> None:
    first = _spawn(config, "2026-02-04")
    assert first.wait(timeout=60) == 0
    out = config.resolve(config.site.out)
    releases = Releases(out)
    live = releases.current()
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    victim = _spawn(config, "2026-02-05", BRIEFING_PUBLISH_PAUSE="60")
    _wait_for(lambda: len(list(releases.root.glob("*.build.json"))) == 2)
    os.kill(victim.pid, signal.SIGKILL)
    victim.wait(timeout=10)
    assert releases.current() == live
    assert {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    _site_is_complete(out, ["2026-02-04"])
    again = _spawn(config, "2026-02-05")
    stdout, stderr = again.communicate(timeout=60)
    assert again.returncode == 0, stderr
    _site_is_complete(out, ["2026-02-04", "2026-02-05"])
    assert not list(releases.root.glob(".staging-*"))
    assert len([p for p in releases.root.iterdir() if p.is_dir() and not p.name.startswith(".")]) <= 2  # .cache: compiled templates
