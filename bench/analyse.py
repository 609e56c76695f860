"""Analysis at scale: 5,000 and 10,000 generated articles in one day.

    .venv/bin/python bench/analyse.py [N ...]

Articles come from templates of our own (zh and en, ~600 distinct events, each reported
by 1–12 sources with varied wording and figures), so clustering meets realistic buckets.
Each size runs in a fresh process; prints seconds, articles/s and peak RSS.
Targets (2 cores): 5,000 in ≤ 10 s and ≤ 1 GB; 10,000 in ≤ 2.2× the 5,000 time.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
import resource
import subprocess
import sys
import time
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")
DATE = dt.date(2026, 2, 5)

ACTORS_ZH = ["英伟达", "特斯拉", "比亚迪", "腾讯", "阿里巴巴", "华为", "美联储", "欧洲央行", "日本央行",
             "欧盟", "白宫", "商务部", "国务院", "台积电", "小米", "宁德时代", "OpenAI", "微软", "苹果公司"]
ACTORS_EN = ["Nvidia", "Tesla", "BYD", "Tencent", "Alibaba", "Huawei", "Federal Reserve", "ECB",
             "Bank of Japan", "European Union", "White House", "Commerce Ministry", "State Council",
             "TSMC", "Xiaomi", "CATL", "OpenAI", "Microsoft", "Apple"]
PLACES_ZH = ["美国", "中国", "日本", "德国", "印度", "巴西", "英国", "法国", "韩国", "越南"]
PLACES_EN = ["United States", "China", "Japan", "Germany", "India", "Brazil", "Britain", "France",
             "South Korea", "Vietnam"]
ASSETS_ZH = ["美股", "港股", "A股", "黄金", "原油", "比特币", "美元", "人民币", "铜价", "芯片股"]
ASSETS_EN = ["US stocks", "Hong Kong stocks", "A-shares", "gold", "oil", "Bitcoin", "the dollar",
             "the yuan", "copper", "chip stocks"]
MOVES_ZH = ["大涨", "下跌", "上涨", "暴跌", "走强", "回落"]
MOVES_EN = ["surged", "fell", "rose", "plunged", "gained", "slipped"]
FILLER_ZH = ("业内人士表示，相关安排仍需观察后续落实情况。市场普遍关注政策的持续性和执行力度。"
             "有分析指出，短期内市场情绪可能反复，投资者宜保持谨慎。")
FILLER_EN = ("Analysts said the details would matter more than the headline. Investors will watch "
             "for follow-up measures in the coming weeks, and some warned of volatility.")


def _event(rng: random.Random, n: int) -> dict[str, object]:
    i, j = rng.randrange(len(ACTORS_ZH)), rng.randrange(len(PLACES_ZH))
    k, m = rng.randrange(len(ASSETS_ZH)), rng.randrange(len(MOVES_ZH))
    return {"n": n, "actor": i, "place": j, "asset": k, "move": m,
            "fig": round(rng.uniform(1, 900), 1), "pct": round(rng.uniform(0.2, 9.5), 2),
            "hour": rng.uniform(0, 23.9), "sources": rng.choice([1, 1, 1, 2, 3, 5, 8, 12])}


def _article(ev: dict[str, object], copy: int, rng: random.Random) -> dict[str, object]:
    a, p, s, m = (int(ev[k]) for k in ("actor", "place", "asset", "move"))  # type: ignore[call-overload]
    fig, pct = ev["fig"], ev["pct"]
    zh = (copy + int(ev["n"])) % 3 != 0  # type: ignore[call-overload]
    if zh:
        title = f"{ACTORS_ZH[a]}宣布在{PLACES_ZH[p]}投资{fig}亿美元 {ASSETS_ZH[s]}{MOVES_ZH[m]}{pct}%"
        text = (f"{ACTORS_ZH[a]}第{ev['n']}号公告称，将在{PLACES_ZH[p]}投资{fig}亿美元建设新项目。"
                f"消息公布后，{ASSETS_ZH[s]}{MOVES_ZH[m]}{pct}%。{FILLER_ZH}" * rng.choice([1, 2, 3]))
    else:
        title = f"{ACTORS_EN[a]} to invest ${fig} billion in {PLACES_EN[p]}; {ASSETS_EN[s]} {MOVES_EN[m]} {pct}%"
        text = (f"{ACTORS_EN[a]} said in notice No. {ev['n']} it would invest ${fig} billion in "
                f"{PLACES_EN[p]}. After the news, {ASSETS_EN[s]} {MOVES_EN[m]} {pct}%. {FILLER_EN} "
                * rng.choice([1, 2, 3]))
    minute = float(ev["hour"]) * 60 + copy * rng.uniform(1, 40)  # type: ignore[arg-type]
    published = dt.datetime(2026, 2, 4, 8, tzinfo=SHANGHAI) + dt.timedelta(minutes=min(minute, 1439))
    return {"title": title, "text": text, "lang": "zh-Hans" if zh else "en",
            "source": f"src{copy}", "published": published.isoformat(), "n": ev["n"], "copy": copy}


def generate(count: int, seed: int = 7) -> list[dict[str, object]]:
    rng = random.Random(seed)
    out: list[dict[str, object]] = []
    n = 0
    while len(out) < count:
        ev = _event(rng, n)
        for copy in range(int(ev["sources"])):  # type: ignore[call-overload]
            out.append(_article(ev, copy, rng))
        n += 1
    return out[:count]


def run(count: int) -> dict[str, float]:
    from briefing.analyse import analyse_day
    from briefing.article import Article
    from briefing.config import Config

    articles = []
    for d in generate(count):
        when = dt.datetime.fromisoformat(str(d["published"]))
        ident = hashlib.sha1(f"{d['n']}-{d['copy']}".encode()).hexdigest()[:16]
        articles.append(Article(
            id=ident, source_id=str(d["source"]), source_name=str(d["source"]),
            url=f"https://{d['source']}.example/{ident}?utm_source=x", title=str(d["title"]),
            title_norm=str(d["title"]), published=when, lang=str(d["lang"]), text=str(d["text"]),
            text_norm=str(d["text"]), content_hash=hashlib.sha256(str(d["text"]).encode()).hexdigest(),
            first_seen=when, last_seen=when,
        ))
    clock = dt.datetime(2026, 2, 5, 9, tzinfo=SHANGHAI)
    start = time.perf_counter()
    briefing = analyse_day(articles, DATE, Config(), clock=clock)
    seconds = time.perf_counter() - start
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB → MiB on Linux
    return {"articles": count, "seconds": round(seconds, 2), "per_second": round(count / seconds),
            "peak_rss_mb": round(rss), "items": len(briefing.items())}


def main(argv: list[str]) -> int:
    if len(argv) == 3 and argv[1] == "--one":
        print(json.dumps(run(int(argv[2]))))
        return 0
    sizes = [int(a) for a in argv[1:]] or [5000, 10000]
    results = []
    for size in sizes:
        out = subprocess.run([sys.executable, __file__, "--one", str(size)], check=True,
                             capture_output=True, text=True).stdout
        results.append(json.loads(out))
        r = results[-1]
        print(f"{r['articles']:>6} articles  {r['seconds']:>6.2f} s  {r['per_second']:>6} art/s  "
              f"peak RSS {r['peak_rss_mb']} MB  items {r['items']}")
    if len(results) == 2:
        print(f"ratio {results[1]['seconds'] / results[0]['seconds']:.2f}× for "
              f"{results[1]['articles'] / results[0]['articles']:.0f}× the articles")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
