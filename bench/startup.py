"""Start-up time of the CLI beside a bare interpreter, measured in the same run.

    .venv/bin/python bench/startup.py [--runs 15] [--baseline DIR] [--importtime]

Target (issue 10): `briefing --help` and `briefing check FILE` <= 0.2 s. Each command is
run `--runs` times, interleaved with `python -c pass` so that the machine's load hits all
of them alike (as hyperfine's paired runs do); the median wall time and the median CPU
time (user + sys of the child) are printed, and the CLI's time less the bare
interpreter's, which is what the project's imports cost.

The "floor" rows are what any command reading a post or a config pays before the
project's own code runs: the CLI library, YAML, and pydantic with one model (what it
imports on first use, and the package metadata its plugin loader reads when it builds
the first validator); then the hub model's classes on top. "load feeds.yaml" is
what every command with a config pays (the bundled sample's config, validated whole);
"load feeds.yaml, 200 sources" the same for a config of bench/fetch.py's shape.

`--baseline DIR` runs the `briefing` rows a second time from another checkout of the
package (PYTHONPATH=DIR, e.g. a `git worktree` of an older commit), interleaved with the
others, and prints each ratio: a before/after that the machine's load cannot skew.
`--importtime` also prints the ten slowest imports of `check` (python -X importtime).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "briefing-2026-02-05.json"
SAMPLE_CONFIG = ROOT / "samples" / "feeds.yaml"
TARGET = 0.2
TARGETED = ("briefing --help", "briefing check FILE", "briefing check FILE (en)")
ONE_MODEL = ("from pydantic import BaseModel, Field\n"
             "class M(BaseModel):\n    x: int = Field(1, ge=0)\nM()")


def _post(folder: Path, lang: str = "zh") -> Path:
    """The sample day as a Markdown post of one edition, the input of `briefing check`."""
    post = folder / ("2026-02-05.md" if lang == "zh" else f"2026-02-05.{lang}.md")
    subprocess.run(
        [sys.executable, "-m", "briefing", "render", str(SAMPLE), "--format", "md", "--lang", lang,
         "-o", str(post)],
        check=True, cwd=folder, env=ENV, capture_output=True,
    )
    return post


# A user's interpreter caches compiled modules (.pyc); one run with PYTHONDONTWRITEBYTECODE
# set would compile the whole package from source on every run (~0.1 s more per command).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def _once(argv: list[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall and CPU seconds of one run of `argv`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(argv, cwd=cwd, env=env or ENV, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, check=False)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def _slowest_imports(argv: list[str], cwd: Path, count: int = 10) -> list[str]:
    run = subprocess.run(
        [sys.executable, "-X", "importtime", *argv], cwd=cwd, env=ENV, capture_output=True, text=True
    )
    rows = []
    for line in run.stderr.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[1].strip().isdigit():
            rows.append((int(parts[1]), parts[2].rstrip()))
    return [f"{us / 1000:8.1f} ms {name}" for us, name in sorted(rows, reverse=True)[:count]]


def _big_config(folder: Path, sources: int = 200) -> Path:
    """A feeds.yaml of `sources` feeds, one flow mapping a line (bench/fetch.py's shape)."""
    config = folder / "feeds.yaml"
    lines = ["settings:", "  store: bench.sqlite", "  allow_hosts: ['127.0.0.1']", "sources:"]
    lines += [f"  - {{id: feed-{i}, url: 'http://127.0.0.1:8080/feed/{i}.xml'}}"
              for i in range(sources)]
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return config


def _load(config: Path) -> str:
    return f"from briefing.config import load_config; load_config({str(config)!r})"


def _cases(post: Path, post_en: Path, big: Path) -> dict[str, list[str]]:
    py = sys.executable
    return {
        "python -c pass": [py, "-c", "pass"],
        "floor: click": [py, "-c", "import click"],
        "floor: click+yaml": [py, "-c", "import click, yaml"],
        # a one-field model with a constraint: pydantic, the parts it imports on first use
        # (annotated_types, pydantic.types) and the package metadata its plugin loader
        # reads when it builds the first validator
        "floor: +pydantic, one model": [py, "-c", f"import click, yaml; {ONE_MODEL}"],
        "floor: +briefing.model": [py, "-c", f"import click, yaml; {ONE_MODEL}; "
                                   "import briefing.model"],
        "load feeds.yaml": [py, "-c", _load(SAMPLE_CONFIG)],
        "load feeds.yaml, 200 sources": [py, "-c", _load(big)],
        "briefing --help": [py, "-m", "briefing", "--help"],
        "briefing check FILE": [py, "-m", "briefing", "check", str(post)],
        # English titles need the language model to be told from other Latin-script
        # languages: numpy and py3langid's arrays come on top
        "briefing check FILE (en)": [py, "-m", "briefing", "check", str(post_en)],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--importtime", action="store_true")
    parser.add_argument("--baseline", type=Path, default=None,
                        help="another checkout of the package to compare with (PYTHONPATH)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        post = _post(folder)
        runs: dict[str, tuple[list[str], dict[str, str]]] = {
            name: (argv, ENV) for name, argv in _cases(post, _post(folder, "en"), _big_config(folder)).items()
        }
        if args.baseline is not None:
            old = {**ENV, "PYTHONPATH": str(args.baseline.resolve())}
            for name in ("load feeds.yaml", "load feeds.yaml, 200 sources", *TARGETED):
                runs[f"baseline: {name}"] = (runs[name][0], old)
        for argv, env in runs.values():  # warm the page cache and the .pyc files
            _once(argv, folder, env)
        walls: dict[str, list[float]] = {name: [] for name in runs}
        cpus: dict[str, list[float]] = {name: [] for name in runs}
        for _ in range(args.runs):
            for name, (argv, env) in runs.items():
                wall, cpu = _once(argv, folder, env)
                walls[name].append(wall)
                cpus[name].append(cpu)
        bare = statistics.median(walls["python -c pass"])
        load = os.getloadavg()[0]
        print(f"start-up, median of {args.runs} interleaved runs (load average {load:.1f}, "
              f"{os.cpu_count()} CPUs); target <= {TARGET:.2f} s wall")
        print(f"{'command':<40}{'wall s':>9}{'cpu s':>9}{'over bare':>11}")
        for name in runs:
            wall = statistics.median(walls[name])
            cpu = statistics.median(cpus[name])
            mark = ""
            if name in TARGETED:
                mark = f"  {'ok' if wall <= TARGET else 'OVER'} (target <= {TARGET:.2f} s wall)"
            if name.startswith("baseline: "):
                now = name.removeprefix("baseline: ")
                mark = (f"  now/baseline: wall {statistics.median(walls[now]) / wall:.2f}x, "
                        f"cpu {statistics.median(cpus[now]) / cpu:.2f}x")
            print(f"{name:<40}{wall:>9.3f}{cpu:>9.3f}{wall - bare:>+11.3f}{mark}")
        if args.importtime:
            print("\nslowest imports of `briefing check FILE` (cumulative):")
            for line in _slowest_imports(["-m", "briefing", "check", str(post)], folder):
                print(line)


if __name__ == "__main__":
    main()
