"""Benchmark `briefing site` against Hugo on the same days: 365 days × 2 editions.

    .venv/bin/python bench/site.py [--days 365] [--no-search]

The store holds the sample day re-dated to each of the last N days, every day's words made
its own (the day number in every title, point and reason, sections rotated), so nothing
can be reused across days. Measured in one run, as whole command-line runs:

    hugo            `hugo` building a stock multilingual site over the project's own
                    export of the same days (`briefing site --hugo`), cold (public/ and
                    resources/ removed first); skipped with a note when hugo is absent
    full build      `briefing site` into an empty folder, no search index (ratio to hugo;
                    target ≤ 3×)
    full + search   the same with the Pagefind index and the impact maps (target ≤ 60 s)
    unchanged       `briefing site` again, nothing changed (target ≤ 0.5 s)
    one day changed one stored day edited, `briefing site` (target ≤ 0.5 s); as a nightly
                    run finds it: one untimed one-day change runs first, so the build
                    before each timed one was a one-day change too (the first after a full
                    build also remakes, in the folder it recycles, every file of that
                    build; see publish/atomic.py)
    one day, no search  the same without the search index (after a full build without it):
                    what Pagefind re-indexing the day's month adds to the row above
    … in `serve`    the same two one-day changes rebuilt in one long-lived process, as
                    `briefing serve` rebuilds its preview when the store changes
                    (`publish.serve.rebuild`; one untimed rebuild first loads the code):
                    the day's own work without the interpreter's start and the imports
                    every CLI run pays. CPU includes Pagefind's runs. serve waits 400 ms
                    after the last change before it rebuilds (its debounce), not counted

Hugo and the full build run alternately (one of each per repeat), so load from other work
falls on both alike; CPU seconds (user + system of the runs, children included) are printed
beside wall seconds, with the load average. Runs see the environment without
PYTHONDONTWRITEBYTECODE: a user's interpreter keeps compiled modules, and compiling the
package from source on every run would add ~0.1 s to each.

The site's fingerprint hashes its own code and templates: run the bench from a checkout
nobody edits meanwhile (e.g. `git worktree add /tmp/bench HEAD`), or the "unchanged"
rebuild is not unchanged.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from briefing.model import Briefing, Text  # noqa: E402
from briefing.store import Store  # noqa: E402

HUGO_SITE = ROOT / "tests" / "data" / "hugo_site"
BRIEFING = [sys.executable, "-m", "briefing"]


def day_variant(sample: Briefing, day: dt.date, n: int) -> Briefing:
    """The sample re-dated, with words of its own: no two days share a rendered string."""
    data = sample.model_dump(mode="json")

    def mark(node: object) -> object:
        if isinstance(node, dict):
            if set(node) == {"zh", "en"} and isinstance(node["zh"], str):
                return {k: (f"{v}（第{n}期）" if k == "zh" else f"{v} (issue {n})") if v else v
                        for k, v in node.items()}
            return {k: mark(v) for k, v in node.items()}
        if isinstance(node, list):
            return [mark(v) for v in node]
        return node

    data["sections"] = mark(data["sections"])
    data["summary"] = mark(data["summary"])
    data["title"] = mark(data["title"])
    rotate = n % max(len(data["sections"]) - 1, 1)
    body, more = data["sections"][:-1], data["sections"][-1:]
    data["sections"] = body[rotate:] + body[:rotate] + more
    data["date"] = day.isoformat()
    data["layout"] = {}
    return Briefing.model_validate(data)


def fill_store(path: Path, days: int, last: dt.date) -> list[dt.date]:
    sample = Briefing.from_json((ROOT / "samples" / "briefing-2026-02-05.json").read_text("utf-8"))
    dates = [last - dt.timedelta(days=i) for i in range(days)]
    with Store.open(path) as store:
        for n, day in enumerate(reversed(dates), start=1):
            text = day_variant(sample, day, n).to_json()
            store.save_briefing(day, text, hashlib.sha256(text.encode()).hexdigest())
    return dates


def write_config(work: Path, *, search: bool) -> Path:
    config = {
        "settings": {"store": "bench.sqlite", "timezone": "Asia/Shanghai"},
        "site": {
            "base_url": "https://bench.invalid/briefing/",
            "formats": ["html", "md", "json"],
            "out": "out",
            "search": search,
        },
    }
    path = work / f"feeds-{'search' if search else 'plain'}.yaml"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    return path


CPU: list[float] = []  # CPU seconds (user + system) of each run, children included


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(command: list[str], cwd: Path) -> float:
    """Wall seconds of one command; its CPU seconds are appended to `CPU` (on a loaded
    machine the wall time is inflated, the CPU time much less)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = str(ROOT)  # this checkout's code, whatever is installed
    cpu = _children_cpu()
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    CPU.append(_children_cpu() - cpu)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return seconds


def warm_rebuilds(
    work: Path, config_path: Path, days: list[dt.date], sample: Briefing, issue: int
) -> tuple[float, float]:
    """Median wall seconds and CPU seconds (this process's and Pagefind's) of one-day
    rebuilds in this process, as `briefing serve` makes them; the first is untimed. Each
    edit numbers its words from `issue` on, so no edit repeats an earlier one."""
    from briefing.config import load_config
    from briefing.publish.serve import rebuild

    config = load_config(config_path)
    out = config.resolve(config.site.out)
    times: list[float] = []
    cpus: list[float] = []
    for k, day in enumerate(days):
        edit_day(work, sample, day, issue + k)
        cpu = time.process_time() + _children_cpu()
        start = time.perf_counter()
        message = rebuild(config, out, pdf=False)
        seconds = time.perf_counter() - start
        if "1 rendered" not in message:
            raise SystemExit(f"serve's rebuild did not render one day: {message}")
        if k:  # the first loads the render code: what `serve` pays once, at start
            times.append(seconds)
            cpus.append(time.process_time() + _children_cpu() - cpu)
    return statistics.median(times), statistics.median(cpus)


def edit_day(work: Path, sample: Briefing, day: dt.date, n: int) -> None:
    """Store a corrected version of `day`: new words and a new title, as an editor's fix."""
    changed = day_variant(sample, day, n)
    title = Text(zh=changed.title.zh + "（更正）", en=changed.title.en + " (corrected)")
    with Store.open(work / "bench.sqlite") as store:
        text = changed.model_copy(update={"title": title}).to_json()
        store.save_briefing(day, text, hashlib.sha256(text.encode()).hexdigest())


def verdict(seconds: float, target: float) -> str:
    return "ok" if seconds <= target else "OVER"


def fresh(path: Path) -> None:
    for p in (path, path.parent / f"{path.name}.releases"):
        if p.is_symlink() or p.is_file():
            p.unlink()
        elif p.exists():
            shutil.rmtree(p)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--repeat", type=int, default=2, help="runs per figure (the median is shown)")
    args = parser.parse_args()
    last = dt.date(2026, 2, 5)
    rows: list[tuple[str, float, float, str]] = []
    load_before = os.getloadavg()[0]

    def cpu_since(mark: int) -> float:
        return statistics.median(CPU[mark:])
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        dates = fill_store(work / "bench.sqlite", args.days, last)
        plain, search = write_config(work, search=False), write_config(work, search=True)
        out = work / "out"

        hugo_seconds: float | None = None
        hugo_cpu = 0.0
        blog = work / "blog"
        if shutil.which("hugo"):
            shutil.copytree(HUGO_SITE, blog)
            run([*BRIEFING, "site", "--config", str(plain), "--out", str(work / "hugo-src"), "--hugo", str(blog)], work)
        hugo_times: list[float] = []
        hugo_cpus: list[float] = []
        full_times: list[float] = []
        full_cpus: list[float] = []
        for _ in range(args.repeat):  # alternately: the same load falls on both
            if shutil.which("hugo"):
                for leftover in ("public", "resources"):
                    shutil.rmtree(blog / leftover, ignore_errors=True)
                hugo_times.append(run(["hugo", "--source", str(blog), "--quiet"], work))
                hugo_cpus.append(CPU[-1])
            fresh(out)
            full_times.append(run([*BRIEFING, "site", "--config", str(plain)], work))
            full_cpus.append(CPU[-1])
        if hugo_times:
            hugo_seconds, hugo_cpu = statistics.median(hugo_times), statistics.median(hugo_cpus)
            pages = sum(1 for _ in (blog / "public").rglob("index.html"))
            rows.append(("hugo (peer)", hugo_seconds, hugo_cpu, f"{pages} pages from {2 * len(dates)} posts"))

        def timed(config: Path, *, cold: bool) -> tuple[float, float]:
            times, mark = [], len(CPU)
            for _ in range(args.repeat):
                if cold:
                    fresh(out)
                times.append(run([*BRIEFING, "site", "--config", str(config)], work))
            return statistics.median(times), cpu_since(mark)

        full, full_cpu = statistics.median(full_times), statistics.median(full_cpus)
        ratio = (
            f"{full / hugo_seconds:.2f}× hugo wall, {full_cpu / hugo_cpu:.2f}× CPU (target ≤ 3× wall)"
            f" {verdict(full, 3 * hugo_seconds)}"
            if hugo_seconds else "hugo not installed"
        )
        rows.append(("full build", full, full_cpu, ratio))
        searched = timed(search, cold=True)
        rows.append(("full + search+maps", *searched, f"target ≤ 60 s {verdict(searched[0], 60)}"))
        unchanged = timed(search, cold=False)
        rows.append(("unchanged rebuild", *unchanged, f"whole CLI run; target ≤ 0.5 s {verdict(unchanged[0], 0.5)}"))

        sample = Briefing.from_json((ROOT / "samples" / "briefing-2026-02-05.json").read_text("utf-8"))

        def one_day(config: Path, first: int) -> tuple[float, float]:
            times, mark = [], len(CPU)
            for k in range(-1, args.repeat):
                edit_day(work, sample, dates[first + k], 10_000 + first + k)
                seconds = run([*BRIEFING, "site", "--config", str(config)], work)
                if k < 0:  # not timed: see the docstring
                    mark = len(CPU)
                else:
                    times.append(seconds)
            return statistics.median(times), cpu_since(mark)

        searched_day = one_day(search, 3)  # timed: dates[3], dates[4], as before
        rows.append(("one day changed", *searched_day, f"with search; target ≤ 0.5 s {verdict(searched_day[0], 0.5)}"))
        run([*BRIEFING, "site", "--config", str(plain)], work)  # the site without search: a full build
        plain_day = one_day(plain, 4 + args.repeat)
        rows.append(("one day, no search", *plain_day, "Pagefind's share of the row above is the difference"))
        warm_plain = warm_rebuilds(work, plain, dates[3 : 4 + args.repeat], sample, 20_000)
        rows.append(("… in serve, no search", *warm_plain, f"one process; target ≤ 0.5 s {verdict(warm_plain[0], 0.5)}"))
        run([*BRIEFING, "site", "--config", str(search)], work)  # back to the site with search
        warm_search = warm_rebuilds(work, search, dates[3 : 4 + args.repeat], sample, 30_000)
        rows.append(("… in serve, search", *warm_search, f"one process; target ≤ 0.5 s {verdict(warm_search[0], 0.5)}"))
        pages = sum(1 for _ in out.rglob("index.html"))
    print(f"{args.days} days × 2 editions (html, md, json; no PDF): {pages} pages; medians of {args.repeat};"
          f" {os.cpu_count()} CPUs, load average {load_before:.2f} before, {os.getloadavg()[0]:.2f} after")
    print(f"  {'':<20} {'wall':>9} {'CPU':>9}")
    for label, seconds, cpu, note in rows:
        print(f"  {label:<20} {seconds:7.2f} s {cpu:7.2f} s   {note}")


if __name__ == "__main__":
    main()
