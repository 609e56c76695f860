"""The package as a user gets it: a wheel, installed into a clean virtualenv outside the checkout.

The wheel is built offline (`--no-build-isolation`, setuptools from the dev virtualenv) from a
copy of the source, so no stale `build/` folder leaks into it. Dependencies come from the
wheelhouse `scripts/setup.sh` fills (`.venv/wheelhouse`, or `$BRIEFING_WHEELHOUSE`), with
`--no-index`: pip resolves the *declared* dependencies only, so an undeclared one (the
`lxml_html_clean` of old) makes the sample fail here. About 30 s, most of it pip unpacking
~60 wheels; the sample day is the real pipeline (PDFs included).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
WHEELHOUSE = Path(os.environ.get("BRIEFING_WHEELHOUSE") or ROOT / ".venv" / "wheelhouse")
_SKIP_IN_SOURCE = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info", "build", "dist")


def _copy_source(target: Path) -> Path:
    target.mkdir(parents=True)
    shutil.copytree(ROOT / "briefing", target / "briefing", ignore=_SKIP_IN_SOURCE)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, target / name)
    return target


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("wheel")
    source = _copy_source(base / "src")
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
         "--no-index", "-w", str(base / "dist"), str(source)],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stderr
    (built,) = (base / "dist").glob("briefing-*.whl")
    return built


def _package_files() -> set[str]:
    """Every non-Python file of the package in the working tree (what the code may read)."""
    found = set()
    for path in (ROOT / "briefing").rglob("*"):
        if path.is_file() and path.suffix not in (".py", ".pyc") and "__pycache__" not in path.parts:
            found.add(path.relative_to(ROOT).as_posix())
    return found


def test_wheel_holds_every_data_file(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    missing = sorted(_package_files() - names)
    assert not missing, f"add their folder to [tool.setuptools.package-data]: {missing}"
    assert "briefing/templates/briefing.html.j2" in names
    metadata = next(n for n in names if n.endswith(".dist-info/METADATA"))
    with zipfile.ZipFile(wheel) as archive:
        requires = archive.read(metadata).decode()
    for needed in ("Requires-Dist: lxml_html_clean", "Requires-Dist: opencc", "Requires-Dist: weasyprint>=68"):
        assert needed in requires, needed
    assert "opencc-python-reimplemented" not in requires


def test_wheel_in_a_clean_virtualenv_builds_the_sample_day(wheel: Path, tmp_path: Path) -> None:
    if not any(WHEELHOUSE.glob("*.whl")):
        pytest.skip(f"no wheelhouse at {WHEELHOUSE}: run ./scripts/setup.sh (it fills it)")
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    install = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-compile", "--no-index",
         "--find-links", str(WHEELHOUSE), str(wheel)],
        capture_output=True, text=True, check=False,
    )
    assert install.returncode == 0, (
        f"{install.stderr}\n(a new dependency? rerun ./scripts/setup.sh to refresh {WHEELHOUSE})"
    )
    work = tmp_path / "work"
    shutil.copytree(ROOT / "samples", work / "samples")
    clean_env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "BRIEFING_CONFIG")}
    briefing = str(env_dir / "bin" / "briefing")

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([briefing, *args], cwd=work, env=clean_env,
                              capture_output=True, text=True, check=False, timeout=240)

    where = subprocess.run([str(python), "-c", "import briefing; print(briefing.__file__)"],
                           cwd=work, env=clean_env, capture_output=True, text=True, check=True)
    assert str(env_dir) in where.stdout, where.stdout  # the installed copy, not the checkout

    doctor = run("doctor")
    assert "ok    package files" in doctor.stdout, doctor.stdout + doctor.stderr

    nightly = run("nightly", "--config", "samples/feeds.yaml", "--date", "2026-02-05")
    assert nightly.returncode == 0, nightly.stdout + nightly.stderr
    day = work / "out" / "site" / "zh" / "2026-02-05"
    for name in ("index.html", "briefing.md", "briefing.pdf", "briefing.json"):
        assert (day / name).is_file(), name
    assert (day / "briefing.pdf").read_bytes().startswith(b"%PDF")
    assert (work / "out" / "site" / "assets" / "site" / "site.css").is_file()
