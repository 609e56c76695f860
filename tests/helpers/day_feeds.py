"""Two small RSS feeds (English, Chinese) with one day's distinct market stories, for
end-to-end runs of a freshly initialised project against a loopback server.

The stories are written for these tests. Times fall in the 2026-02-05 briefing window
(after 08:00 Asia/Shanghai on the 4th, before 08:00 on the 5th).
"""

from __future__ import annotations

import datetime as dt
from email.utils import format_datetime
from xml.sax.saxutils import escape

DAY = "2026-02-05"
_START = dt.datetime(2026, 2, 4, 3, 0, tzinfo=dt.UTC)  # 11:00 in Shanghai

EN_STORIES = [
    ("Central bank holds its policy rate at 4.25% and signals patience",
     "Policymakers left the benchmark rate unchanged on Wednesday, saying inflation was easing "
     "but still above target; two members voted for a cut of 25 basis points."),
    ("Brent crude climbs 3% after pipeline outage in the North Sea",
     "Oil prices rose to $82 a barrel after an operator shut a major pipeline for repairs, "
     "removing about 400,000 barrels a day from the market for at least a week."),
    ("Chipmaker shares slide 6% on weaker data-centre orders",
     "The company cut its quarterly revenue forecast to $9.1 billion, citing delayed orders "
     "from cloud customers; suppliers' shares also fell in Asian trading."),
    ("Euro zone factory output shrinks for a fourth month",
     "The purchasing managers' index fell to 46.2 in January, with new export orders at their "
     "weakest since 2023 and manufacturers cutting staff."),
    ("Gold hits a record $2,950 an ounce as the dollar weakens",
     "Bullion gained for a fifth session as investors sought safety and the dollar index fell "
     "0.8%, its largest one-day drop in two months."),
    ("Shipping rates on Asia–Europe routes jump 18% in a week",
     "Container freight benchmarks rose sharply as carriers diverted vessels around southern "
     "Africa, adding ten days to voyages and tightening capacity."),
]

ZH_STORIES = [
    ("央行开展5000亿元中期借贷便利操作 利率维持2.0%不变",
     "人民银行周三开展5000亿元MLF操作，中标利率与上月持平，市场人士认为流动性将保持合理充裕。"),
    ("沪深两市成交额突破1.2万亿元 新能源板块领涨",
     "A股三大指数集体收涨，沪指上涨1.3%，锂电池和光伏概念股涨幅居前，北向资金净买入86亿元。"),
    ("国家统计局：1月份全国居民消费价格同比上涨0.8%",
     "统计局数据显示，食品价格同比上涨1.9%，服务价格上涨0.7%，核心CPI同比上涨0.6%。"),
    ("多家银行下调存款利率 五年期定存降至1.8%",
     "多家国有大行宣布下调人民币存款挂牌利率，其中五年期定期存款利率下调20个基点至1.8%。"),
    ("港股恒生指数收涨2.1% 科技股表现强势",
     "恒生科技指数上涨3.4%，互联网龙头股普遍走高，南向资金当日净流入52亿港元。"),
    ("商务部：前两月对外直接投资同比增长11.3%",
     "商务部表示，对外非金融类直接投资达到1800亿元，对共建国家投资增长明显。"),
]


def rss(title: str, link: str, stories: list[tuple[str, str]], lang: str) -> bytes:
    """An RSS 2.0 document with one item per story, an hour apart."""
    items = []
    for i, (head, body) in enumerate(stories):
        when = format_datetime(_START + dt.timedelta(hours=i * 2))
        items.append(
            f"<item><title>{escape(head)}</title><link>{link}story/{i}</link>"
            f"<guid>{link}story/{i}</guid><pubDate>{when}</pubDate>"
            f"<description>{escape(body)}</description></item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
        f"<title>{escape(title)}</title><link>{link}</link><language>{lang}</language>"
        + "".join(items)
        + "</channel></rss>"
    ).encode("utf-8")
