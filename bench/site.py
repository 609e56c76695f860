"""Benchmark `briefing site`: 365 days × 2 editions (md + html + json, no PDFs).

    .venv/bin/python bench/site.py [--days 365]

Prints the full-build time, the unchanged-rebuild time (targets: ≤ 60 s and ≤ 2 s on a
2-core machine) and a one-day-changed rebuild (the nightly case).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from briefing.model import Briefing  # noqa: E402
from briefing.publish.settings import SiteSettings  # noqa: E402
from briefing.publish.site import PublishOptions, build_site  # noqa: E402
from briefing.store import Store  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=365)
    args = parser.parse_args()
    sample = Briefing.from_json((ROOT / "samples" / "briefing-2026-02-05.json").read_text("utf-8"))
    last = dt.date(2026, 2, 5)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        with Store.open(work / "bench.sqlite") as store:
            for i in range(args.days):
                day = last - dt.timedelta(days=i)
                text = sample.model_copy(update={"date": day}).to_json()
                store.save_briefing(day, text, hashlib.sha256(text.encode()).hexdigest())
            options = PublishOptions(site=SiteSettings(formats=["html", "md", "json"]))
            out = work / "out"
            rows = []
            for label in ("full build", "unchanged rebuild"):
                start = time.perf_counter()
                report = build_site(store, options, out)
                rows.append((label, time.perf_counter() - start, report.summary_line()))
            day = last - dt.timedelta(days=3)
            changed = sample.model_copy(update={"date": day, "seo": ["changed"]}).to_json()
            store.save_briefing(day, changed, hashlib.sha256(changed.encode()).hexdigest())
            start = time.perf_counter()
            report = build_site(store, options, out)
            rows.append(("one day changed", time.perf_counter() - start, report.summary_line()))
        pages = sum(1 for _ in out.rglob("index.html"))
    print(f"{args.days} days × 2 editions (html, md, json; no PDF): {pages} pages")
    for label, seconds, summary in rows:
        print(f"  {label:<18} {seconds:7.2f} s   {summary}")


if __name__ == "__main__":
    main()
