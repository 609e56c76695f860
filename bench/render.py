"""Render timings for a 20-item day, per edition: md, html, pdf seconds and PDF size.

    .venv/bin/python bench/render.py [--items 20] [--sample]

Targets on a 2-core machine (issue 2): PDF <= 1.5 s and <= 600 KB; md + html <= 0.2 s.
The first PDF of a process also starts and warms the WeasyPrint worker; it is reported
separately ("pdf cold") from the steady state ("pdf").
"""

from __future__ import annotations

import argparse
import importlib
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from briefing.model import Briefing  # noqa: E402
from briefing.render.html import render_html  # noqa: E402
from briefing.render.pdf import render_pdf  # noqa: E402

SAMPLE = ROOT / "samples" / "briefing-2026-02-05.json"


def _best(fn: Callable[[], Any], runs: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return min(times), result


def _markdown() -> Callable[[Briefing, str], str] | None:
    try:
        module = importlib.import_module("briefing.render.markdown")
    except ModuleNotFoundError:
        return None
    fn: Callable[[Briefing, str], str] | None = getattr(module, "render_markdown", None)
    return fn


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=20, help="items in the synthetic day")
    parser.add_argument("--sample", action="store_true", help="use samples/briefing-2026-02-05.json")
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement (best is kept)")
    args = parser.parse_args()

    if args.sample:
        briefing = Briefing.from_json(SAMPLE.read_text(encoding="utf-8"))
    else:
        from tests.render_fixtures import make_day

        briefing = make_day(args.items)
    render_markdown = _markdown()
    print(f"{len(briefing.items())} items ({'sample' if args.sample else 'synthetic'} day)")

    started = time.perf_counter()
    render_pdf(briefing, "zh")
    cold = time.perf_counter() - started
    print(f"pdf cold (worker start + first zh PDF): {cold:.3f} s")

    header = f"{'edition':<8} {'md s':>7} {'html s':>7} {'md+html':>8} {'pdf s':>7} {'pdf KB':>8}"
    print(header)
    failures = []
    for edition in ("zh", "en"):
        md_s = None
        if render_markdown is not None:
            md_s, _ = _best(lambda: render_markdown(briefing, edition), args.runs)  # noqa: B023
        html_s, _ = _best(lambda: render_html(briefing, edition), args.runs)  # noqa: B023
        pdf_runs = [
            _best(lambda: render_pdf(briefing, edition), 1)  # noqa: B023
            for _ in range(args.runs)
        ]
        pdf_s = statistics.median(t for t, _ in pdf_runs)
        size_kb = len(pdf_runs[0][1]) / 1024
        both = html_s + (md_s or 0.0)
        md_text = f"{md_s:7.3f}" if md_s is not None else f"{'skip':>7}"
        print(f"{edition:<8} {md_text} {html_s:7.3f} {both:8.3f} {pdf_s:7.3f} {size_kb:8.0f}")
        if pdf_s > 1.5 or size_kb > 600 or both > 0.2:
            failures.append(edition)
    if failures:
        print(f"over target: {', '.join(failures)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
