"""Writes `stories.yaml`: a labelled set for story building across sources, languages and days.

    .venv/bin/python tests/data/eval/generate_stories.py     # rewrites stories.yaml

Fiction written for this project: invented events of two consecutive days, each reported
by one to five outlets in Chinese (Simplified or Traditional) and/or English. Every
outlet words its report its own way (several title and body patterns per kind of event,
figures written as 526亿美元 or $52.6 billion, 2.2万 or 22,000, some reports leaving
figures out, background and quotes varying), as wire services and portals do.

The set is built to test what merging gets wrong:
  - the same event in both languages (about half the events);
  - running stories: two events of one story on one day (talks and a strike in the same
    war; a complaint about and a launch by one company; a central bank's decision and a
    speech by its governor) — they must stay apart;
  - repeats: a share of day 1's events reported again on day 2 (sometimes with a new
    figure): they must be dropped or marked as follow-ups.

Labels per article: `event` (gold story id), `day` (1 or 2), `repeat_of` (day-2 reports
of a day-1 event), `split` (`dev` for tuning, `held` kept aside: whole events, one in
four). Deterministic: the same seed writes the same file.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

OUT = Path(__file__).with_name("stories.yaml")
DAY1 = dt.date(2026, 3, 11)  # briefing date of day 1: window 03-10 08:00 → 03-11 08:00 (+08:00)
TZ = dt.timezone(dt.timedelta(hours=8))

ZH_SOURCES = ["财联社", "证券时报", "第一财经", "新浪财经", "澎湃新闻", "华尔街见闻", "经济观察网", "界面新闻"]
HANT_SOURCES = ["明報", "香港經濟日報", "中央社"]
EN_SOURCES = ["Reuters", "Bloomberg", "CNBC", "AP", "Financial Times", "Nikkei Asia", "SCMP"]


@dataclass
class Event:
    key: str
    kind: str
    facts: dict[str, Any]
    langs: str  # "zh", "en" or "both"
    reports: int
    hour: float  # hours after the window opens
    story: str = ""  # running story this event belongs to (for same-story pairs)
    split: str = "dev"
    new_fact: dict[str, Any] = field(default_factory=dict)


# ---------------------------------------------------------------- facts


COMPANIES = [
    # (zh, en, product zh, product en) — real names from the gazetteer, and invented ones
    ("英伟达", "Nvidia", "新一代AI加速芯片", "next-generation AI accelerator"),
    ("特斯拉", "Tesla", "平价车型", "low-cost model"),
    ("比亚迪", "BYD", "固态电池车型", "solid-state battery car"),
    ("腾讯", "Tencent", "混元新版大模型", "new Hunyuan model"),
    ("阿里巴巴", "Alibaba", "通义新模型", "new Qwen model"),
    ("小米", "Xiaomi", "新款电动SUV", "new electric SUV"),
    ("苹果公司", "Apple", "折叠屏手机", "foldable iPhone"),
    ("微软", "Microsoft", "企业版AI助手", "enterprise AI assistant"),
    ("台积电", "TSMC", "2纳米产线", "2-nanometre line"),
    ("宁德时代", "CATL", "钠离子电池", "sodium-ion battery"),
    ("华为", "Huawei", "新款折叠屏手机", "new foldable phone"),
    ("三星", "Samsung", "高带宽存储芯片", "high-bandwidth memory chip"),
    ("星河半导体", "Xinghe Semiconductor", "车规级功率芯片", "automotive power chip"),
    ("远帆航运", "Yuanfan Shipping", "新航线", "new shipping route"),
    ("蓝湾生物", "Bluebay Biotech", "减重新药", "weight-loss drug"),
    ("启明云", "Qiming Cloud", "云计算平台", "cloud platform"),
    ("海川重工", "Haichuan Heavy Industries", "海上风电平台", "offshore wind platform"),
    ("金穗食品", "Jinsui Foods", "植物蛋白饮品", "plant-protein drink"),
    ("亚马逊", "Amazon", "无人机配送服务", "drone delivery service"),
    ("波音", "Boeing", "新型客机", "new jetliner"),
]
BANKS = [
    ("美联储", "Federal Reserve", "the Fed", "鲍威尔", "Jerome Powell", "联邦基金利率"),
    ("欧洲央行", "European Central Bank", "the ECB", "拉加德", "Christine Lagarde", "存款机制利率"),
    ("日本央行", "Bank of Japan", "the BOJ", "植田和男", "Kazuo Ueda", "政策利率"),
    ("英国央行", "Bank of England", "the BoE", "贝利", "Andrew Bailey", "基准利率"),
    ("澳洲联储", "Reserve Bank of Australia", "the RBA", "布洛克", "Michele Bullock", "现金利率"),
]
CONFLICTS = [
    # (parties zh, parties en, venue zh, venue en, strike place zh, strike place en)
    ("俄美乌", "Russia, the US and Ukraine", "阿布扎比", "Abu Dhabi", "哈尔科夫", "Kharkiv"),
    ("以色列与哈马斯", "Israel and Hamas", "开罗", "Cairo", "加沙城", "Gaza City"),
    ("美伊", "the US and Iran", "马斯喀特", "Muscat", "霍尔木兹海峡", "the Strait of Hormuz"),
    ("苏丹冲突各方", "Sudan's warring parties", "吉达", "Jeddah", "喀土穆", "Khartoum"),
]
COUNTRIES = [
    ("美国", "US"), ("中国", "China"), ("日本", "Japan"), ("德国", "Germany"), ("英国", "Britain"),
    ("印度", "India"), ("韩国", "South Korea"), ("巴西", "Brazil"), ("法国", "France"), ("越南", "Vietnam"),
    ("墨西哥", "Mexico"), ("加拿大", "Canada"), ("澳大利亚", "Australia"), ("土耳其", "Turkey"),
]
COMMODITIES = [("国际油价", "Oil", "布伦特原油", "Brent crude", "美元/桶", "a barrel"),
               ("金价", "Gold", "现货黄金", "spot gold", "美元/盎司", "an ounce"),
               ("铜价", "Copper", "伦铜", "LME copper", "美元/吨", "a tonne"),
               ("银价", "Silver", "现货白银", "spot silver", "美元/盎司", "an ounce")]
INDICES = [("恒生指数", "Hang Seng index", "港股"), ("沪指", "Shanghai Composite", "A股"),
           ("日经225指数", "Nikkei 225", "日股"), ("标普500指数", "S&P 500", "美股"),
           ("韩国综合指数", "Kospi", "韩股"), ("斯托克600指数", "STOXX 600", "欧股")]
QUAKES = [("智利北部", "northern Chile"), ("日本北海道近海", "off Hokkaido, Japan"),
          ("印尼苏拉威西", "Sulawesi, Indonesia"), ("土耳其东部", "eastern Turkey"),
          ("秘鲁南部", "southern Peru"), ("新西兰克马德克群岛", "the Kermadec Islands, New Zealand")]
REGULATORS = [("欧盟委员会", "European Commission"), ("美国司法部", "US Justice Department"),
              ("英国竞争与市场管理局", "Britain's Competition and Markets Authority"),
              ("韩国公平交易委员会", "South Korea's Fair Trade Commission")]


def _yi(amount_bn: float) -> str:
    """$52.6 billion → 526亿美元 (亿 = 0.1 billion)."""
    value = round(amount_bn * 10, 1)
    return f"{value:g}亿"


def _wan(count: int) -> str:
    return f"{count / 10000:g}万" if count % 1000 == 0 and count >= 10000 else f"{count}"


# ---------------------------------------------------------------- templates per kind
# Each returns (title, body) for one outlet; `v` picks the outlet's wording.


def _rate(f: dict[str, Any], zh: bool, v: int) -> tuple[str, str]:
    zb, eb, short, zgov, egov, zrate = f["bank"]
    move, bp, level = f["move"], f["bp"], f["level"]
    zmove = {"cut": f"降息{bp}个基点", "hike": f"加息{bp}个基点", "hold": "维持利率不变"}[move]
    emove = {"cut": f"cuts rates by {bp} basis points", "hike": f"raises rates by {bp} basis points",
             "hold": "holds rates steady"}[move]
    if zh:
        titles = [f"{zb}宣布{zmove} {zrate}降至{level}%" if move == "cut" else f"{zb}{zmove}，{zrate}为{level}%",
                  f"{zb}议息结果出炉：{zmove}",
                  f"{zmove}！{zb}最新决议公布",
                  f"{zgov}：{zb}{zmove}，未来路径取决于数据"]
        bodies = [f"{zb}周三公布议息决议，{zmove}，{zrate}目前为{level}%。{zgov}在新闻发布会上表示，委员会将根据通胀和就业数据决定下一步行动。",
                  f"{zb}最新议息会议决定{zmove}。决议公布后，{zrate}水平为{level}%。市场人士认为，这一决定基本符合预期，{zgov}的表态偏谨慎。",
                  f"据{zb}声明，本次会议{zmove}。{zgov}称，当前经济前景仍存在不确定性。分析师指出，本次决议后{zrate}为{level}%。"]
    else:
        titles = [f"{eb[0].upper() + eb[1:]} {emove}, rate now {level}%",
                  f"{short[0].upper() + short[1:]} {emove} as inflation cools",
                  f"{egov} says outlook uncertain after {short} {emove.split(' by')[0]}",
                  f"Central bank decision: {eb} {emove}"]
        bodies = [f"The {eb} {emove.replace('holds', 'held').replace('cuts', 'cut').replace('raises', 'raised')} on Wednesday, leaving its key rate at {level}%. {egov} told reporters that policymakers would be guided by incoming data on inflation and jobs.",
                  f"{egov} said the decision reflected a balance of risks. The move leaves the benchmark at {level}%, in line with most economists' forecasts.",
                  f"Policymakers at the {eb} voted on the rate on Wednesday. The rate now stands at {level}%. {egov} declined to commit to a path for the coming months."]
    return titles[v % len(titles)], bodies[v % len(bodies)]


def _speech(f: dict[str, Any], zh: bool, v: int) -> tuple[str, str]:
    zb, eb, short, zgov, egov, _ = f["bank"]
    topic_zh, topic_en = f["topic"]
    if zh:
        titles = [f"{zgov}发表讲话：关注{topic_zh}", f"{zgov}：{topic_zh}仍需警惕", f"{zb}{zgov}谈{topic_zh}"]
        bodies = [f"{zb}行长{zgov}周二在一场论坛上发表讲话，重点谈及{topic_zh}问题。他表示，相关风险值得持续关注。",
                  f"{zgov}在演讲中指出，{topic_zh}是当前需要警惕的问题之一，但他没有就利率前景给出明确信号。"]
    else:
        titles = [f"{egov} warns on {topic_en} in speech", f"{egov} flags {topic_en} risks", f"{short[0].upper() + short[1:]}'s {egov.split()[-1]} speaks on {topic_en}"]
        bodies = [f"{egov}, head of the {eb}, said in a speech on Tuesday that {topic_en} deserved close attention. He gave no signal on the path of interest rates.",
                  f"Speaking at a conference, {egov} said {topic_en} remained a concern for policymakers."]
    return titles[v % len(titles)], bodies[v % len(bodies)]


def _earnings(f: dict[str, Any], zh: bool, v: int) -> tuple[str, str]:
    zc, ec, _, _ = f["company"]
    rev, growth, move = f["revenue"], f["growth"], f["stock"]
    up = move > 0
    if zh:
        zmove = f"{'涨' if up else '跌'}{abs(move)}%"
        titles = [f"{zc}季度营收{_yi(rev)}美元 同比增长{growth}%", f"{zc}财报超预期 盘后股价{zmove}" if up else f"{zc}财报不及预期 股价{zmove}",
                  f"{zc}公布最新季报：营收{_yi(rev)}美元", f"业绩出炉！{zc}营收增长{growth}%"]
        bodies = [f"{zc}公布的财报显示，上一季度营收为{_yi(rev)}美元，同比增长{growth}%。财报发布后，公司股价盘后{zmove}。",
                  f"{zc}最新季度营收达到{_yi(rev)}美元，较上年同期增长{growth}%。管理层表示，核心业务需求保持稳定。股价随后{zmove}。",
                  f"财报显示，{zc}营收同比增长{growth}%。分析人士认为，公司下一季度指引是市场关注的焦点。"]
    else:
        emove = f"{'rose' if up else 'fell'} {abs(move)}%"
        titles = [f"{ec} quarterly revenue rises {growth}% to ${rev} billion", f"{ec} shares {emove.split()[0]} after results", f"{ec} results {'beat' if up else 'miss'} estimates",
                  f"{ec} posts ${rev} billion in revenue"]
        bodies = [f"{ec} reported revenue of ${rev} billion for the quarter, up {growth}% from a year earlier. Its shares {emove} in extended trading.",
                  f"{ec} said quarterly revenue grew {growth}% to ${rev} billion, as demand for its core products held up. The stock {emove} after the report.",
                  f"Revenue at {ec} rose {growth}% from a year ago, the company said on Wednesday. Analysts will focus on its outlook for the next quarter."]
    return titles[v % len(titles)], bodies[v % len(bodies)]


def _launch(f: dict[str, Any], zh: bool, v: int) -> tuple[str, str]:
    zc, ec, zp, ep = f["company"]
    price = f["price"]
    if zh:
        titles = [f"{zc}发布{zp}", f"{zc}推出{zp} 售价{price}美元起", f"{zc}{zp}正式亮相"]
        bodies = [f"{zc}周二在发布会上推出{zp}，起售价为{price}美元，预计下月开始交付。",
                  f"{zc}正式发布{zp}。公司表示，新产品售价{price}美元起，将首先在部分市场上市。"]
    else:
        titles = [f"{ec} unveils {ep}", f"{ec} launches {ep} priced from ${price}", f"{ec} rolls out {ep}"]
        bodies = [f"{ec} unveiled its {ep} at an event on Tuesday, with prices starting at ${price}. Deliveries are expected to begin next month.",
                  f"{ec} launched the {ep}, priced from ${price}, and said it would first go on sale in selected markets."]
    return titles[v % len(titles)], bodies[v % len(bodies)]


def _complaint(f: dict[str, Any], zh: bool, v: int) -> tuple[str, str]:
    zc, ec, zp, ep = f["company"]
    count = f["count"]
    if zh:
        titles = [f"{zc}遭大批用户投诉 {zp}被指存在故障", f"{_wan(count)}人投诉！{zc}回应{zp}问题", f"{zc}{zp}故障引发用户不满"]
        bodies = [f"近日，多名用户投诉{zc}的{zp}存在故障，相关投诉已超过{_wan(count)}条。{zc}回应称正在调查。",
                  f"消费者投诉平台显示，针对{zc}{zp}的投诉数量已达{_wan(count)}条，用户反映设备频繁出现异常。"]
    else:
        titles = [f"{ec} faces complaints over faulty {ep}", f"{ec} says it is looking into {ep} complaints", f"Users complain about {ec}'s {ep}"]
        bodies = [f"{ec} said it was investigating after more than {count:,} customers complained of faults in its {ep}.",
                  f"Complaints about the {ep} made by {ec} have passed {count:,}, according to a consumer platform."]
    return titles[v % len(titles)], bodies[v % len(bodies)]


def _talks(f: dict[str, Any], zh: bool, v: int) -> tuple[str, str]:
    zp, ep, zv, ev, _, _ = f["conflict"]
    rnd = f["round"]
    if zh:
        titles = [f"{zp}在{zv}举行新一轮会谈", f"{zp}第{rnd}轮谈判在{zv}开启", f"{zv}会谈：{zp}代表就停火方案磋商", f"{zp}代表团抵达{zv} 谈判重启"]
        bodies = [f"{zp}代表周三在{zv}举行第{rnd}轮会谈，讨论停火安排和人员交换问题。一名与会官员称，首日会谈富有成效。",
                  f"据报道，{zp}谈判代表在{zv}举行会谈，这是第{rnd}轮谈判。各方就停火方案的细节交换了意见。",
                  f"新一轮会谈在{zv}举行。知情人士表示，{zp}代表讨论了停火和人道主义通道等议题。"]
    else:
        titles = [f"{ep[0].upper() + ep[1:]} hold new round of talks in {ev}", f"Talks resume in {ev} as {ep} discuss ceasefire",
                  f"Round {rnd} of talks opens in {ev}", f"Negotiators from {ep} meet in {ev}"]
        bodies = [f"Negotiators from {ep} met in {ev} on Wednesday for round {rnd} of talks on a ceasefire and prisoner exchanges. An official said the first day was productive.",
                  f"Delegations from {ep} held talks in {ev}, the {rnd}th round, focusing on details of a ceasefire plan.",
                  f"Talks between {ep} resumed in {ev} on Wednesday, officials said, with a ceasefire and humanitarian corridors on the agenda."]
    return titles[v % len(titles)], bodies[v % len(bodies)]


def _strike(f: dict[str, Any], zh: bool, v: int) -> tuple[str, str]:
    _, _, _, _, zs, es = f["conflict"]
    dead = f["dead"]
    if zh:
        titles = [f"{zs}遭无人机袭击 至少{dead}人死亡", f"{zs}发生空袭 {dead}人遇难", f"袭击致{zs}{dead}人死亡"]
        bodies = [f"当地官员称，{zs}周三遭到无人机袭击，造成至少{dead}人死亡，多栋建筑受损。",
                  f"{zs}周三发生空袭，当地救援部门表示，已有{dead}人遇难，搜救工作仍在进行。"]
    else:
        titles = [f"Drone strike on {es} kills at least {dead}", f"At least {dead} killed in attack on {es}", f"Air strike hits {es}, {dead} dead"]
        bodies = [f"A drone strike on {es} on Wednesday killed at least {dead} people and damaged several buildings, local officials said.",
                  f"Rescue workers said {dead} people were killed when an air strike hit {es} on Wednesday. The search for survivors continued."]
    return titles[v % len(titles)], bodies[v % len(bodies)]


def _data(f: dict[str, Any], zh: bool, v: int) -> tuple[str, str]:
    zc, ec = f["country"]
    what, value, prev = f["what"], f["value"], f["prev"]
    names = {"cpi": ("CPI同比上涨", "consumer prices rose", "inflation"),
             "gdp": ("GDP同比增长", "the economy grew", "GDP"),
             "pmi": ("制造业PMI为", "the manufacturing PMI came in at", "PMI")}
    zn, en_phrase, eword = names[what]
    unit_zh = "" if what == "pmi" else "%"
    unit_en = "" if what == "pmi" else "%"
    if zh:
        titles = [f"{zc}{zn}{value}{unit_zh}", f"{zc}最新{eword}数据公布：{value}{unit_zh}", f"{zc}{eword}数据出炉 前值{prev}{unit_zh}"]
        bodies = [f"{zc}统计部门周三公布的数据显示，{zn}{value}{unit_zh}，前值为{prev}{unit_zh}。",
                  f"数据显示，{zc}{zn}{value}{unit_zh}，略{'高' if value > prev else '低'}于前值{prev}{unit_zh}。分析人士认为，数据反映出经济动能的变化。"]
    else:
        titles = [f"{ec} {eword} at {value}{unit_en}", f"{ec} {eword} {'rises' if value > prev else 'eases'} to {value}{unit_en}", f"{ec}: {en_phrase} {value}{unit_en}"]
        bodies = [f"Data released on Wednesday showed {en_phrase} {value}{unit_en} in {ec}, compared with {prev}{unit_en} previously.",
                  f"In {ec}, {en_phrase} {value}{unit_en}, official data showed, after {prev}{unit_en} the month before."]
    return titles[v % len(titles)], bodies[v % len(bodies)]


def _commodity(f: dict[str, Any], zh: bool, v: int) -> tuple[str, str]:
    zn, en, zb, eb, zu, eu = f["commodity"]
    pct, price = f["pct"], f["price"]
    up = pct > 0
    cause_zh, cause_en = f["cause"]
    if zh:
        titles = [f"{zn}{'大涨' if up else '大跌'}{abs(pct)}% {zb}报{price}{zu}", f"{cause_zh} {zn}{'走高' if up else '走低'}", f"{zb}{'升' if up else '跌'}至{price}{zu}"]
        bodies = [f"受{cause_zh}影响，{zb}周三{'上涨' if up else '下跌'}{abs(pct)}%，报{price}{zu}。",
                  f"{zn}周三{'走强' if up else '走弱'}，{zb}收于{price}{zu}，日内{'涨幅' if up else '跌幅'}为{abs(pct)}%。交易员称，{cause_zh}是主要原因。"]
    else:
        verb = "jumps" if up else "slides"
        titles = [f"{en} {verb} {abs(pct)}% on {cause_en}", f"{eb[0].upper() + eb[1:]} {'rises' if up else 'falls'} to ${price}", f"{en} {'higher' if up else 'lower'} as {cause_en} weighs"]
        bodies = [f"{eb[0].upper() + eb[1:]} {'rose' if up else 'fell'} {abs(pct)}% to ${price} {eu} on Wednesday on {cause_en}.",
                  f"{en} prices {'climbed' if up else 'dropped'} on Wednesday, with {eb} settling at ${price} {eu}, a move of {abs(pct)}%. Traders pointed to {cause_en}."]
    return titles[v % len(titles)], bodies[v % len(bodies)]


def _index(f: dict[str, Any], zh: bool, v: int) -> tuple[str, str]:
    zi, ei, zm = f["index"]
    pct, level = f["pct"], f["level"]
    up = pct > 0
    if zh:
        titles = [f"{zm}收评：{zi}{'涨' if up else '跌'}{abs(pct)}%", f"{zi}收{'涨' if up else '跌'}{abs(pct)}% 报{level}点", f"{zm}{'走强' if up else '走弱'}，{zi}{'涨' if up else '跌'}{abs(pct)}%"]
        bodies = [f"{zi}周三收{'涨' if up else '跌'}{abs(pct)}%，报{level}点，成交额较前一日有所{'放大' if up else '萎缩'}。",
                  f"截至收盘，{zi}{'上涨' if up else '下跌'}{abs(pct)}%，收于{level}点。板块方面涨跌互现。"]
    else:
        titles = [f"{ei} {'gains' if up else 'drops'} {abs(pct)}% to close at {level}", f"Stocks: {ei} {'up' if up else 'down'} {abs(pct)}%", f"{ei} ends {'higher' if up else 'lower'}"]
        bodies = [f"The {ei} closed {'up' if up else 'down'} {abs(pct)}% at {level} on Wednesday.",
                  f"The {ei} ended the session at {level}, a {'gain' if up else 'loss'} of {abs(pct)}%, with trading volumes {'higher' if up else 'lower'} than the day before."]
    return titles[v % len(titles)], bodies[v % len(bodies)]


def _quake(f: dict[str, Any], zh: bool, v: int) -> tuple[str, str]:
    zp, ep = f["place"]
    mag, depth = f["mag"], f["depth"]
    if zh:
        titles = [f"{zp}发生{mag}级地震", f"{zp}{mag}级地震 震源深度{depth}公里", f"突发！{zp}发生强烈地震"]
        bodies = [f"据地震台网测定，{zp}周三发生{mag}级地震，震源深度{depth}公里，暂无人员伤亡报告。",
                  f"{zp}周三发生{mag}级地震。当地官员表示，正在评估灾情。震源深度约{depth}公里。"]
    else:
        titles = [f"Magnitude {mag} quake strikes {ep}", f"Strong earthquake hits {ep}", f"{mag} earthquake shakes {ep}"]
        bodies = [f"A magnitude {mag} earthquake struck {ep} on Wednesday at a depth of {depth} km, seismologists said. There were no immediate reports of casualties.",
                  f"An earthquake of magnitude {mag} hit {ep} on Wednesday, officials said, with its depth put at {depth} km."]
    return titles[v % len(titles)], bodies[v % len(bodies)]


def _fine(f: dict[str, Any], zh: bool, v: int) -> tuple[str, str]:
    zr, er = f["regulator"]
    zc, ec, _, _ = f["company"]
    amount = f["amount"]
    if zh:
        titles = [f"{zr}对{zc}处以{_yi(amount)}美元罚款", f"{zc}被罚{_yi(amount)}美元", f"反垄断调查结果出炉 {zc}遭重罚"]
        bodies = [f"{zr}周三宣布，因违反竞争规则，对{zc}处以{_yi(amount)}美元罚款。{zc}表示将提起上诉。",
                  f"{zr}认定{zc}滥用市场地位，罚款金额为{_yi(amount)}美元。"]
    else:
        titles = [f"{er} fines {ec} ${amount} billion", f"{ec} hit with ${amount} billion fine", f"{ec} to appeal ${amount} billion antitrust fine"]
        bodies = [f"The {er} fined {ec} ${amount} billion on Wednesday for breaching competition rules. {ec} said it would appeal.",
                  f"{ec} was fined ${amount} billion after the {er} found it had abused its market position."]
    return titles[v % len(titles)], bodies[v % len(bodies)]


def _tariff(f: dict[str, Any], zh: bool, v: int) -> tuple[str, str]:
    (za, ea), (zb, eb) = f["pair"]
    pct, goods_zh, goods_en = f["pct"], f["goods"][0], f["goods"][1]
    if zh:
        titles = [f"{za}宣布对{zb}{goods_zh}加征{pct}%关税", f"{za}对{zb}{goods_zh}征收{pct}%关税", f"关税升级：{za}瞄准{zb}{goods_zh}"]
        bodies = [f"{za}政府周三宣布，将对自{zb}进口的{goods_zh}加征{pct}%的关税，措施下月生效。",
                  f"{za}表示，对{zb}{goods_zh}征收{pct}%的额外关税。{zb}方面称将采取必要措施回应。"]
    else:
        titles = [f"{ea} slaps {pct}% tariff on {eb} {goods_en}", f"{ea} to impose {pct}% duties on {goods_en} from {eb}", f"Tariffs: {ea} targets {eb} {goods_en}"]
        bodies = [f"{ea} said on Wednesday it would impose a {pct}% tariff on {goods_en} imported from {eb}, effective next month.",
                  f"The government of {ea} announced {pct}% duties on {eb} {goods_en}. {eb} said it would respond."]
    return titles[v % len(titles)], bodies[v % len(bodies)]


def _layoffs(f: dict[str, Any], zh: bool, v: int) -> tuple[str, str]:
    zc, ec, _, _ = f["company"]
    jobs, share = f["jobs"], f["share"]
    if zh:
        titles = [f"{zc}宣布裁员{_wan(jobs)}人", f"{zc}裁员约{share}%", f"{zc}启动新一轮裁员"]
        bodies = [f"{zc}周三宣布将裁员约{_wan(jobs)}人，约占员工总数的{share}%，以削减成本。",
                  f"据内部邮件，{zc}将裁减{_wan(jobs)}个岗位。公司称此举是重组计划的一部分。"]
    else:
        titles = [f"{ec} to cut {jobs:,} jobs", f"{ec} lays off {share}% of staff", f"{ec} announces job cuts"]
        bodies = [f"{ec} said on Wednesday it would cut about {jobs:,} jobs, or {share}% of its workforce, to reduce costs.",
                  f"{ec} plans to lay off {jobs:,} employees as part of a restructuring, an internal memo showed."]
    return titles[v % len(titles)], bodies[v % len(bodies)]


def _ipo(f: dict[str, Any], zh: bool, v: int) -> tuple[str, str]:
    zc, ec, _, _ = f["company"]
    raise_bn, pct = f["raise"], f["pct"]
    if zh:
        titles = [f"{zc}港股上市首日涨{pct}%", f"{zc}IPO募资{_yi(raise_bn)}港元", f"{zc}正式登陆港交所"]
        bodies = [f"{zc}周三在香港交易所挂牌上市，募资约{_yi(raise_bn)}港元，首日股价上涨{pct}%。",
                  f"{zc}上市首日表现强劲，收盘上涨{pct}%。此次IPO共募资{_yi(raise_bn)}港元。"]
    else:
        titles = [f"{ec} shares jump {pct}% in Hong Kong debut", f"{ec} raises HK${raise_bn} billion in IPO", f"{ec} lists in Hong Kong"]
        bodies = [f"Shares of {ec} rose {pct}% on their first day of trading in Hong Kong after an IPO that raised HK${raise_bn} billion.",
                  f"{ec} made its Hong Kong debut on Wednesday, having raised HK${raise_bn} billion, and closed {pct}% higher."]
    return titles[v % len(titles)], bodies[v % len(bodies)]


WRITERS = {"rate": _rate, "speech": _speech, "earnings": _earnings, "launch": _launch,
           "complaint": _complaint, "talks": _talks, "strike": _strike, "data": _data,
           "commodity": _commodity, "index": _index, "quake": _quake, "fine": _fine,
           "tariff": _tariff, "layoffs": _layoffs, "ipo": _ipo}

BACKGROUND_ZH = ["此前市场对此已有一定预期。", "业内人士表示，后续进展仍需观察。", "这一消息引发市场广泛关注。",
                 "有分析人士指出，短期影响有限。", ""]
BACKGROUND_EN = ["The move had been widely expected.", "Analysts said the details would matter more than the headline.",
                 "Investors will watch for follow-up measures.", "It was not immediately clear what would happen next.", ""]


# ---------------------------------------------------------------- events


def _facts(kind: str, rng: random.Random) -> dict[str, Any]:
    pick = rng.choice
    r = rng.uniform
    if kind == "rate":
        move = pick(["cut", "hike", "hold"])
        return {"bank": pick(BANKS), "move": move, "bp": 25 if move != "hold" else 0,
                "level": round(r(0.5, 5.5) * 4) / 4}
    if kind == "speech":
        return {"bank": pick(BANKS), "topic": pick([("通胀", "inflation"), ("金融稳定", "financial stability"),
                                                     ("房地产", "property"), ("就业", "jobs")])}
    if kind in ("earnings",):
        return {"company": pick(COMPANIES), "revenue": round(r(5, 120), 1), "growth": round(r(2, 60), 1),
                "stock": round(r(-15, 15), 1) or 1.1}
    if kind == "launch":
        return {"company": pick(COMPANIES), "price": pick([299, 499, 799, 999, 1299, 25900, 35900])}
    if kind == "complaint":
        return {"company": pick(COMPANIES), "count": pick([12000, 23000, 5600, 48000, 7300])}
    if kind in ("talks", "strike"):
        return {"conflict": pick(CONFLICTS), "round": rng.randint(2, 9), "dead": rng.randint(3, 60)}
    if kind == "data":
        what = pick(["cpi", "gdp", "pmi"])
        value = round(r(48, 53), 1) if what == "pmi" else round(r(0.1, 6.5), 1)
        prev = round(value + pick([-0.4, -0.3, -0.2, 0.2, 0.3, 0.5]), 1)
        return {"country": pick(COUNTRIES), "what": what, "value": value, "prev": prev}
    if kind == "commodity":
        c = pick(COMMODITIES)
        base = {"国际油价": 75, "金价": 5000, "铜价": 11000, "银价": 60}[c[0]]
        return {"commodity": c, "pct": round(r(-5, 5), 2) or 1.05, "price": round(base * r(0.9, 1.1), 2),
                "cause": pick([("中东局势紧张", "Middle East tensions"), ("美元走强", "a stronger dollar"),
                               ("库存下降", "falling inventories"), ("需求担忧", "demand worries")])}
    if kind == "index":
        i = pick(INDICES)
        return {"index": i, "pct": round(r(-3, 3), 2) or 0.55, "level": round(r(3000, 40000), 2)}
    if kind == "quake":
        return {"place": pick(QUAKES), "mag": round(r(5.5, 7.8), 1), "depth": rng.randint(10, 120)}
    if kind == "fine":
        return {"regulator": pick(REGULATORS), "company": pick(COMPANIES), "amount": round(r(0.3, 5), 2)}
    if kind == "tariff":
        a, b = rng.sample(COUNTRIES, 2)
        return {"pair": (a, b), "pct": pick([10, 15, 25, 35, 50]),
                "goods": pick([("钢铁", "steel"), ("电动车", "electric vehicles"), ("太阳能板", "solar panels"),
                               ("铝材", "aluminium"), ("芯片", "chips")])}
    if kind == "layoffs":
        return {"company": pick(COMPANIES), "jobs": pick([1200, 3000, 6500, 10000, 14000]),
                "share": pick([3, 5, 8, 10, 12])}
    if kind == "ipo":
        return {"company": pick(COMPANIES[12:]), "raise": round(r(1, 30), 1), "pct": round(r(3, 80), 1)}
    raise ValueError(kind)


def _events(rng: random.Random) -> list[Event]:
    # Talks, strikes and rate decisions come from the running stories below: one per
    # conflict or bank and day, as in life.
    kinds = ["earnings", "launch", "data", "commodity", "index", "quake", "fine", "tariff",
             "layoffs", "ipo"]
    events: list[Event] = []
    n = 0

    def add(kind: str, facts: dict[str, Any], story: str = "", hour: float | None = None) -> Event:
        nonlocal n
        n += 1
        langs = rng.choices(["both", "zh", "en"], weights=[48, 30, 22])[0]
        reports = rng.choice([1, 2, 2, 3, 3, 4, 5]) if langs != "both" else rng.choice([2, 3, 3, 4, 5])
        ev = Event(f"e{n:03d}-{kind}", kind, facts, langs, reports,
                   hour if hour is not None else rng.uniform(0.5, 22), story)
        ev.split = "held" if n % 4 == 0 else "dev"
        events.append(ev)
        return ev

    used: set[tuple[str, str]] = set()
    while len(events) < 96:
        kind = rng.choice(kinds)
        facts = _facts(kind, rng)
        who = str(facts.get("company", facts.get("index", facts.get("place", facts.get("commodity",
                  facts.get("pair", ""))))))
        if kind == "data":
            who = str((facts["country"], facts["what"]))
        if (kind, who) in used:
            continue
        used.add((kind, who))
        add(kind, facts)
    # Running stories: two events of one story on one day, which must stay apart.
    for conflict in CONFLICTS:
        facts = _facts("talks", rng) | {"conflict": conflict}
        add("talks", facts, story=f"war-{conflict[3]}", hour=rng.uniform(1, 10))
        add("strike", facts | {"dead": rng.randint(3, 60)}, story=f"war-{conflict[3]}", hour=rng.uniform(10, 20))
    taken = {str(e.facts.get("company")) for e in events}
    for company in rng.sample([c for c in COMPANIES if str(c) not in taken] or COMPANIES, 6):
        add("complaint", _facts("complaint", rng) | {"company": company}, story=f"co-{company[1]}")
        add("launch", _facts("launch", rng) | {"company": company}, story=f"co-{company[1]}")
    for bank in BANKS:
        add("rate", _facts("rate", rng) | {"bank": bank}, story=f"cb-{bank[1]}", hour=rng.uniform(2, 8))
        add("speech", _facts("speech", rng) | {"bank": bank}, story=f"cb-{bank[1]}", hour=rng.uniform(12, 22))
    return events


def _articles(ev: Event, day: int, start: dt.datetime, rng: random.Random,
              repeat_of: str | None = None) -> list[dict[str, Any]]:
    out = []
    langs = {"both": ["zh", "en"], "zh": ["zh"], "en": ["en"]}[ev.langs]
    facts = ev.facts | ev.new_fact
    for copy in range(ev.reports):
        lang = langs[copy % len(langs)]
        zh = lang == "zh"
        hant = zh and rng.random() < 0.2
        source = rng.choice(HANT_SOURCES if hant else ZH_SOURCES) if zh else rng.choice(EN_SOURCES)
        variant = rng.randrange(12)
        title, body = WRITERS[ev.kind](facts, zh, variant)
        extra = rng.choice(BACKGROUND_ZH if zh else BACKGROUND_EN)
        text = body + (extra if zh else (" " + extra if extra else ""))
        if hant:
            title, text = _to_traditional(title), _to_traditional(text)
        when = start + dt.timedelta(hours=min(ev.hour + copy * rng.uniform(0.1, 1.5), 23.8))
        out.append({
            "id": f"d{day}-{ev.key}-{copy}",
            "event": ev.key if repeat_of is None else repeat_of,
            "day": day,
            "story": ev.story or None,
            "repeat_of": repeat_of,
            "split": ev.split,
            "lang": "zh-Hant" if hant else ("zh-Hans" if zh else "en"),
            "source": source,
            "published": when.isoformat(),
            "title": title,
            "text": text,
        })
    return out


def _to_traditional(text: str) -> str:
    import opencc

    return str(opencc.OpenCC("s2hk").convert(text))


def build(seed: int = 11) -> dict[str, Any]:
    rng = random.Random(seed)
    events = _events(rng)
    start1 = dt.datetime.combine(DAY1 - dt.timedelta(days=1), dt.time(8), tzinfo=TZ)
    start2 = start1 + dt.timedelta(days=1)
    articles: list[dict[str, Any]] = []
    for ev in events:
        articles += _articles(ev, 1, start1, rng)
    # Day 2: a quarter of day 1's events come back (some with a new figure), and new events.
    repeated = rng.sample([e for e in events if e.kind not in ("index",)], 24)
    for ev in repeated:
        again = Event(ev.key + "-r", ev.kind, ev.facts, ev.langs, rng.choice([1, 2, 2, 3]),
                      rng.uniform(0.5, 20), ev.story, ev.split)
        articles += _articles(again, 2, start2, rng, repeat_of=ev.key)
    seen = {(e.kind, str(e.facts.get("company", e.facts.get("place", e.facts.get("country"))))) for e in events}
    fresh = [e for e in _events(random.Random(seed + 1))
             if (e.kind, str(e.facts.get("company", e.facts.get("place", e.facts.get("country"))))) not in seen][:30]
    for ev in fresh:
        ev.key = ev.key.replace("e", "f", 1)
        articles += _articles(ev, 2, start2, rng)
    return {"date": DAY1.isoformat(), "articles": articles}


HEADER = """\
# A labelled evaluation set for story building (bench/quality.py, tests/analyse/test_story_quality.py).
# Written by tests/data/eval/generate_stories.py from its own templates and invented facts
# (see its docstring); regenerate rather than edit by hand. Day 1 is the briefing of `date`,
# day 2 the next day's, built with day 1's briefing as history.
#   event      gold story id (reports of one event share it; a day-2 repeat carries day 1's id)
#   story      the running story an event belongs to, when two of its events fall on one day
#   repeat_of  for day-2 reports of a day-1 event: that event
#   split      dev (thresholds were tuned on it) or held (kept aside, reported apart)
"""


def main() -> int:
    data = build()
    OUT.write_text(HEADER + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=200),
                   encoding="utf-8")
    arts = data["articles"]
    events = {a["event"] for a in arts}
    both = {e for e in events if {a["lang"][:2] for a in arts if a["event"] == e} == {"zh", "en"}}
    print(f"{len(arts)} articles, {len(events)} events, {len(both)} in both languages, "
          f"{sum(1 for a in arts if a['repeat_of'])} repeat reports, "
          f"{sum(1 for a in arts if a['split'] == 'held')} held out")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
