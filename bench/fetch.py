"""Fetch benchmark: `briefing fetch` against a naive sequential feedparser loop.

    python bench/fetch.py [--feeds 200] [--entries 50] [--latency 0.3] [--skip-naive]

A loopback server serves N feeds of M entries, each full (200) answer delayed by
`--latency` seconds. Three runs, each in its own process so memory is measured apart:

1. `briefing fetch` into a fresh store (the real CLI, default concurrency 16);
2. the naive loop: `for url in urls: feedparser.parse(url)`, sequential;
3. `briefing fetch` again: every feed answers 304 Not Modified at once (a validator match
   is answered without generating the body, so no latency is added).

For each: wall time, feeds/s, articles/s and peak RSS of the whole process tree (the
fetcher's parse workers included), sampled from /proc every 20 ms. The targets of issue 3
are checked at the end: wall time within 1.3x of ceil(N / concurrency) x latency, 304 run
under 3 s, peak RSS under 300 MB.
"""

from __future__ import annotations

import argparse
import math
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.helpers.loopback import LoopbackServer, send  # noqa: E402

CONCURRENCY = 16


def make_feed(feed: int, entries: int) -> bytes:
    items = []
    for i in range(entries):
        items.append(
            f"<item><title>Feed {feed} story {i}: markets move as 央行 policy shifts</title>"
            f"<link>https://news{feed}.example.com/{i}?utm_source=rss</link>"
            f"<guid>https://news{feed}.example.com/{i}</guid>"
            f"<pubDate>Wed, 04 Feb 2026 {i % 24:02d}:{i % 60:02d}:00 +0000</pubDate>"
            f"<description>&lt;p&gt;Story {i} of feed {feed}. "
            + "Prices rose while traders weighed the outlook for rates and growth. " * 6
            + "&lt;/p&gt;</description></item>"
        )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Feed {feed}</title><link>https://news{feed}.example.com/</link>"
        + "".join(items)
        + "</channel></rss>"
    ).encode()


def serve(server: LoopbackServer, feeds: int, entries: int, latency: float) -> list[str]:
    urls = []
    for f in range(feeds):
        body = make_feed(f, entries)
        etag = f'"feed-{f}"'

        def handler(req, body=body, etag=etag) -> None:  # noqa: ANN001
            headers = {"Content-Type": "application/rss+xml", "ETag": etag}
            if req.headers.get("If-None-Match") == etag:
                send(req, 304, b"", headers)
                return
            time.sleep(latency)
            send(req, 200, body, headers)

        server.route(f"/feed/{f}.xml", handler)
        urls.append(server.url(f"/feed/{f}.xml"))
    return urls


def _tree_rss_kb(pid: int) -> int:
    total = 0
    todo = [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/status") as fh:
                for line in fh:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    todo.extend(int(c) for c in fh.read().split())
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return total


def measure(cmd: list[str]) -> tuple[float, float, float, str]:
    """(wall seconds, CPU seconds, peak tree RSS in MB, stdout) of running `cmd`."""
    peak = 0
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss_kb(proc.pid))
            done.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    assert proc.stdout is not None
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)  # CPU of the process and its reaped workers
    wall = time.perf_counter() - started
    done.set()
    sampler.join()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{cmd[:3]} failed with status {status}")
    return wall, usage.ru_utime + usage.ru_stime, peak / 1024, out


NAIVE = """
import sys, feedparser
n = 0
for url in sys.argv[1:]:
    n += len(feedparser.parse(url).entries)
print(n)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--entries", type=int, default=50)
    parser.add_argument("--latency", type=float, default=0.3)
    parser.add_argument("--skip-naive", action="store_true", help="skip the slow sequential loop")
    args = parser.parse_args()
    python = sys.executable
    with LoopbackServer() as server, tempfile.TemporaryDirectory() as tmp:
        server._httpd.request_queue_size = 128
        urls = serve(server, args.feeds, args.entries, args.latency)
        config = Path(tmp) / "feeds.yaml"
        lines = [
            "settings:",
            "  store: bench.sqlite",
            f"  concurrency: {CONCURRENCY}",
            "  allow_hosts: ['127.0.0.1']",
            "sources:",
        ]
        lines += [f"  - {{id: feed-{i}, url: '{u}'}}" for i, u in enumerate(urls)]
        config.write_text("\n".join(lines) + "\n")
        fetch_cmd = [
            python,
            "-c",
            "from briefing.cli import main; main()",
            "fetch",
            "--config",
            str(config),
        ]
        rows = []
        wall, cpu, rss, out = measure(fetch_cmd)
        articles = int(out.split("articles: ")[1].split(" new")[0])
        rows.append(("briefing fetch", wall, cpu, args.feeds, articles, rss, out.strip()))
        if not args.skip_naive:
            wall_n, cpu_n, rss_n, out_n = measure([python, "-c", NAIVE, *urls])
            rows.append(("naive feedparser loop", wall_n, cpu_n, args.feeds, int(out_n), rss_n, ""))
        wall_304, cpu_304, rss_304, out_304 = measure(fetch_cmd)
        rows.append(
            ("briefing fetch (all 304)", wall_304, cpu_304, args.feeds, 0, rss_304, out_304.strip())
        )

    print(
        f"{args.feeds} feeds x {args.entries} entries, {args.latency * 1000:.0f} ms latency, "
        f"concurrency {CONCURRENCY}, {os.cpu_count()} CPUs"
    )
    load = os.getloadavg()[0]
    print(
        f"(host load average before the summary: {load:.2f}; other work on the host skews wall time)"
    )
    print(
        f"{'run':<26}{'wall s':>8}{'CPU s':>7}{'feeds/s':>9}{'articles/s':>12}{'peak RSS MB':>13}"
    )
    for name, wall, cpu, feeds, arts, rss, _ in rows:
        print(
            f"{name:<26}{wall:>8.2f}{cpu:>7.2f}{feeds / wall:>9.1f}{arts / wall:>12.0f}{rss:>13.0f}"
        )
    for name, *_, summary in rows:
        if summary:
            print(f"  {name}: {summary}")
    ideal = math.ceil(args.feeds / CONCURRENCY) * args.latency
    fetch_wall = rows[0][1]
    checks = [
        (f"wall {fetch_wall:.2f} s within 1.3x of ideal {ideal:.2f} s", fetch_wall <= 1.3 * ideal),
        (f"304 run {wall_304:.2f} s under 3 s", wall_304 < 3),
        (
            f"peak RSS {max(r[5] for r in rows if r[0].startswith('briefing')):.0f} MB under 300 MB",
            all(r[5] < 300 for r in rows if r[0].startswith("briefing")),
        ),
    ]
    if not args.skip_naive:
        speedup = rows[1][1] / fetch_wall
        checks.append(
            (f"{speedup:.1f}x faster than the sequential loop (target 12x)", speedup >= 12)
        )
    for text, ok in checks:
        print(f"  [{'ok' if ok else 'MISS'}] {text}")


if __name__ == "__main__":
    main()
