"""Admission on the real feed snapshots: what it lets in, what it keeps out, what it costs.

    .venv/bin/python bench/admission.py [--feeds ../shared/corpus/real-feeds] [--repeat 3]

Parses every snapshot as `briefing fetch` does (feed parse, cleaning, dates, language,
admission), with the clock pinned just after the snapshots were taken, and prints:
- per feed: entries, admitted, rejected by rule, undated, stale;
- CPU per 1,000 entries for feedparser alone on the same bytes, for the whole parse job
  (parse + clean + languages + dates + admission), and for admission alone
  (`admit_articles` on already-built articles);
- a sample of rejected titles with their reasons, for a person to judge.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import io
import time
from pathlib import Path

import feedparser

from briefing.admit import admit_articles
from briefing.ingest.entries import build_articles
from briefing.ingest.feeds import parse_feed
from briefing.ingest.lang import warm_up
from briefing.ingest.settings import IngestSettings, SourceConfig

ROOT = Path(__file__).resolve().parents[1]
NOW = dt.datetime(2026, 2, 18, 6, 0, tzinfo=dt.UTC)  # just after the newest snapshot


def _cpu(fn: object, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        fn()  # type: ignore[operator]
        best = min(best, time.process_time() - start)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--feeds", type=Path, default=ROOT.parent / "shared/corpus/real-feeds")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    files = sorted(args.feeds.glob("*.xml"))
    if not files:
        raise SystemExit(f"no feeds in {args.feeds}")
    settings = IngestSettings()
    warm_up()
    bodies = [f.read_bytes() for f in files]
    sources = [SourceConfig(id=f.stem[:60], url=f"http://127.0.0.1/{f.name}") for f in files]

    def job() -> list:
        out = []
        for body, src in zip(bodies, sources, strict=True):
            raws, _ = parse_feed(body, content_type="application/rss+xml", url=src.url,
                                 zone=settings.zone)
            out.append(build_articles(raws, src, settings, NOW))
        return out

    parsed = job()
    entries = sum(len(p.articles) for p in parsed)
    rules: collections.Counter[str] = collections.Counter()
    print(f"{'feed':<44} {'entries':>7} {'admitted':>8}  rejected by rule")
    samples: list[str] = []
    for src, result in zip(sources, parsed, strict=True):
        rejected = [a for a in result.articles if a.rejected]
        by_rule = collections.Counter(a.rejected.split(":")[0] for a in rejected if a.rejected)
        rules.update(by_rule)
        stale = " STALE" if result.context and result.context.stale else ""
        detail = ", ".join(f"{k} {v}" for k, v in sorted(by_rule.items())) or "-"
        print(f"{src.id[:44]:<44} {len(result.articles):>7} "
              f"{len(result.articles) - len(rejected):>8}  {detail}{stale}")
        samples += [f"  {a.title[:70]!r}\n      {a.rejected}" for a in rejected[:3]]
    print(f"\n{entries} entries; rejected by rule: {dict(sorted(rules.items()))}")
    print("\nsome rejected entries:")
    print("\n".join(samples[:30]))

    bare = _cpu(lambda: [feedparser.parse(io.BytesIO(b)) for b in bodies], args.repeat)
    whole = _cpu(job, args.repeat)
    built = [p.articles for p in parsed]
    admit_only = _cpu(lambda: [admit_articles(a, now=NOW) for a in built], args.repeat)
    per = 1000 / entries
    print(f"\nCPU per 1,000 entries (best of {args.repeat}, {entries} entries, {len(files)} feeds):")
    print(f"  feedparser alone                 {bare * per:6.3f} s")
    print(f"  parse job (parse+clean+admit)    {whole * per:6.3f} s   {whole / bare:4.2f}x feedparser")
    print(f"  admission alone (admit_articles) {admit_only * per:6.3f} s")


if __name__ == "__main__":
    main()
