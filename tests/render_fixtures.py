"""Briefings for the render tests and `bench/render.py`, built with the model classes.

`make_day(n)` is a synthetic, bilingual day of `n` items over every section, with every
stance, inline Markdown, sources and a few items lacking English (to exercise the
"原文 / Original" fallback). `hostile_day()` carries the attacks of RELIABILITY.md C.
The wording is our own; the figures are invented.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from briefing.model import Briefing, Impact, Item, Section, Source, Text

TZ = ZoneInfo("Asia/Shanghai")
DAY = dt.date(2026, 2, 5)

_SECTIONS = [
    ("geopolitics", "国际外交与地缘政治", "Geopolitics & Diplomacy"),
    ("markets", "金融市场与宏观经济", "Markets & Macro"),
    ("tech", "行业趋势与科技创新", "Industry & Technology"),
    ("china", "中国国内动态", "China"),
]

_STORIES = [
    (
        "中美领导人通话，双方同意保持经贸沟通",
        "US and Chinese leaders hold a call and agree to keep trade talks open",
        ["双方确认下月举行新一轮**经贸磋商**", "市场解读为关税风险阶段性缓和"],
        ["Both sides confirm a new round of **trade talks** next month",
         "Markets read it as a pause in tariff risk"],
    ),
    (
        "美股科技股大幅回调，纳指单日下跌 2.8%",
        "US tech stocks slide; the Nasdaq loses 2.8% in a day",
        ["芯片股领跌，费城半导体指数下挫 4.1%", "资金转向防御板块与短债"],
        ["Chip stocks led the fall; the SOX index dropped 4.1%",
         "Money rotated into defensives and short-dated bonds"],
    ),
    (
        "欧洲央行维持利率不变，措辞偏鸽",
        "The ECB holds rates and sounds dovish",
        ["存款利率维持在 2.00%", "行长暗示若通胀回落可再度降息"],
        ["The deposit rate stays at 2.00%",
         "The president hints at another cut if inflation eases"],
    ),
    (
        "国际油价反弹，布伦特原油站上 78 美元",
        "Oil rebounds; Brent tops $78",
        ["中东航运风险再起", "美国原油库存意外下降 320 万桶"],
        ["Shipping risk in the Middle East flares up again",
         "US crude stocks fell an unexpected 3.2 million barrels"],
    ),
    (
        "国内新能源车企发布固态电池量产计划",
        "",
        ["计划 2027 年小批量装车", "能量密度目标 400Wh/kg"],
        [],
    ),
]

_IMPACTS = [
    ("股市", "Equities", "bullish", "利多", "Bullish", "风险偏好回升。", "Risk appetite improves."),
    ("科技股", "Tech stocks", "bearish", "利空", "Bearish", "估值压力加大。", "Valuations come under pressure."),
    ("债市", "Bonds", "lean_bullish", "中性偏多", "Neutral-to-bullish", "避险需求支撑。", "Safe-haven demand helps."),
    ("美元", "US dollar", "lean_bearish", "中性偏空", "Neutral-to-bearish", "利差收窄。", "Rate spreads narrow."),
    ("利率", "Rates", "dovish", "中性偏鸽", "Dovish", "降息预期升温。", "Cut expectations rise."),
    ("黄金", "Gold", "neutral", "中性", "Neutral", "多空因素交织。", "Forces pull both ways."),
    ("通胀", "Inflation", "hawkish", "偏鹰", "Hawkish", "油价推升通胀预期。", "Oil lifts inflation expectations."),
]


def _impact(k: int) -> Impact:
    zh_t, en_t, stance, zh_s, en_s, zh_r, en_r = _IMPACTS[k % len(_IMPACTS)]
    return Impact(
        target=Text(zh=zh_t, en=en_t),
        stance=stance,
        stance_text=Text(zh=zh_s, en=en_s),
        reason=Text(zh=zh_r, en=en_r),
    )


def _item(n: int) -> Item:
    zh_title, en_title, zh_points, en_points = _STORIES[n % len(_STORIES)]
    points = [
        Text(zh=zh, en=en_points[i] if i < len(en_points) else "")
        for i, zh in enumerate(zh_points)
    ]
    impacts = [_impact(n + k) for k in range(2 + n % 2)]
    if n % 4 == 3:
        impacts.append(
            Impact(
                kind="note",
                target=Text(zh="投资启示", en="Takeaway"),
                reason=Text(zh="关注**估值**与盈利的匹配度。", en="Watch whether **earnings** justify valuations."),
            )
        )
    return Item(
        id=f"2026-02-05-{n:02d}",
        title=Text(zh=f"{zh_title}（{n + 1}）", en=f"{en_title} ({n + 1})" if en_title else ""),
        url=f"https://news.example.com/story/{n}" if n % 3 == 0 else None,
        time=dt.datetime(2026, 2, 4, 8 + n % 14, (7 * n) % 60, tzinfo=TZ),
        key_points=points,
        insights=[
            Text(
                zh="此事件反映出[全球资金](https://example.com/flows)对政策信号的高度敏感，短期波动或将放大。",
                en="Global money is highly sensitive to policy signals; short-term swings may widen."
                if en_title
                else "",
            )
        ]
        if n % 5 != 4
        else [],
        impacts=impacts if n % 6 != 5 else [],
        sources=[
            Source(name="新华社", url=f"https://www.example.cn/a/{n}"),
            Source(name="Reuters", url=f"https://www.example.com/r/{n}"),
        ],
        follow_up=n == 1,
    )


def make_day(n_items: int = 20) -> Briefing:
    """A bilingual day of `n_items`: ~85% in the four main sections, the rest in 更多动态."""
    n_brief = max(1, n_items // 6)
    n_main = n_items - n_brief
    sections = [
        Section(key=key, title=Text(zh=zh, en=en), items=[])
        for key, zh, en in _SECTIONS
    ]
    for n in range(n_main):
        sections[n % len(sections)].items.append(_item(n))
    brief = Section(
        key="more",
        title=Text(zh="更多动态", en="More Headlines"),
        brief=True,
        items=[
            Item(
                id=f"brief-{k}",
                title=Text(
                    zh=f"日本央行官员称将审慎评估加息节奏（{k + 1}）",
                    en=f"A BoJ official says rate hikes will be paced with care ({k + 1})",
                ),
                time=dt.datetime(2026, 2, 4, 21, k % 60, tzinfo=TZ),
            )
            for k in range(n_brief)
        ],
    )
    return Briefing(
        date=DAY,
        title=Text(zh="中美通话缓和情绪，科技股重挫拖累美股", en="A US–China call calms nerves as tech stocks slump"),
        tags=[Text(zh="经济日报", en="Daily Briefing"), Text(zh="宏观经济", en="Macro")],
        summary=[Text(zh=i.title.zh, en=i.title.en) for i in sections[0].items[:3] + sections[1].items[:3]]
        + [Text(zh="新能源车企公布固态电池时间表")],
        sections=[*sections, brief],
    )


HOSTILE = {
    "script": "<script>alert('x')</script>危险标题",
    "onerror": '<img src=x onerror="alert(1)">图片',
    "js_link": "[点我](javascript:alert(1)) 以及 <a href=\"javascript:alert(2)\">链接</a>",
    "template": "{{ 7*7 }} {% raw %} {{ config }}",
    "file_img": "<img src=file:///etc/passwd> ![passwd](file:///etc/passwd)",
}


def hostile_day(image_urls: list[str] | None = None) -> Briefing:
    """A day whose every content field tries something; `image_urls` are referenced too."""
    images = " ".join(f"![pixel]({u}) <img src=\"{u}\">" for u in image_urls or [])
    attack = " ".join(HOSTILE.values()) + " " + images
    item = Item(
        id='"><script>alert(1)</script>',
        title=Text(zh=HOSTILE["template"] + HOSTILE["script"], en=HOSTILE["template"]),
        url="javascript:alert(document.cookie)",
        time=dt.datetime(2026, 2, 4, 23, 47, tzinfo=TZ),
        key_points=[Text(zh=v, en=v) for v in HOSTILE.values()] + [Text(zh=images, en=images)],
        insights=[Text(zh=attack)],
        impacts=[
            Impact(
                target=Text(zh=HOSTILE["onerror"], en=HOSTILE["onerror"]),
                stance="bullish",
                stance_text=Text(zh="利多<script>", en="Bullish<script>"),
                reason=Text(zh=attack, en=attack),
            )
        ],
        sources=[
            Source(name="<b>evil</b>", url="file:///etc/passwd"),
            Source(name="data", url="data:text/html,<script>alert(1)</script>"),
            Source(name="ok", url="https://example.com/ok"),
        ],
    )
    return Briefing(
        date=DAY,
        title=Text(zh=HOSTILE["template"] + HOSTILE["script"], en="{{ 7*7 }}"),
        category=Text(zh='经济日报"; } body { display: none } /*', en="Daily</style><script>x</script>"),
        tags=[Text(zh=HOSTILE["onerror"])],
        summary=[Text(zh=attack, en=attack)],
        sections=[
            Section(key="../../index", title=Text(zh=HOSTILE["script"], en="x"), items=[item]),
        ],
        footer='<p>Join us <a href="https://t.me/example">Telegram</a></p>'
        '<script>alert(1)</script><a href="javascript:alert(1)">x</a>'
        '<img src="http://127.0.0.1:1/pixel.png"><iframe src="https://evil.example"></iframe>',
    )
