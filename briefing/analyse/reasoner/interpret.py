"""The interpretation (深度解读 & 洞察) offline: two to four bullets, nothing invented.

Each bullet is a rule's template or a fact of the sources, and says which:

    chain      the `insight` of the outcomes that fired most      basis  rule:<event.outcome>
               and explain a tag; else the market's reaction      basis  rule:move.<way>
               (a `reactions` template of events.yaml)
    magnitude  a figure against the forecast or prior the source   basis  source:<article id>
               names (实际2.2万，预期4.8万), or a record it states
    context    first report or a running story, how many sources   basis  story
    watch      a sentence of the sources naming a coming date      basis  source:<article id>

The basis list runs parallel to the insights (`Item.insight_basis`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass

from briefing.analyse.base import Story
from briefing.analyse.reasoner import Analysis
from briefing.analyse.reasoner.detect import Reading, balanced
from briefing.analyse.reasoner.impacts import POLARITY
from briefing.analyse.reasoner.knowledge import SECTOR, EventBook
from briefing.analyse.text import split_clauses, trim
from briefing.model import Impact, Text

MAX_INSIGHTS = 4
MAX_CHAINS = 2

_ZH_REFERENCE = re.compile(
    r"(?P<label>市场预期|预期|预估|前值|上月|上期|此前)(?:值)?(?:为|的|是)?\s*"
    r"(?P<ref>-?[0-9][0-9.,]*\s*(?:%|万亿|亿|万)?[人桶元美元点]*)")
_EN_REFERENCE = re.compile(
    r"(?P<label>expectations? (?:of|for)|forecasts? (?:of|for)|estimates? (?:of|for)|consensus (?:of|for)|"
    r"expected|forecast|previous|prior reading of|a month earlier|economists expected)\s*"
    r"(?P<ref>-?\$?[0-9][0-9.,]*\s*(?:%|percent|million|billion|thousand)?)", re.I)
_NUMBER = re.compile(r"-?\$?[0-9][0-9.,]*\s*(?:%|％|万亿|亿|万|percent|million|billion|thousand)?[人桶]?")
_ZH_RECORD = re.compile(r"创(?:近)?[0-9一二三四五六七八九十两]+(?:个)?(?:月|年|周|季度)(?:以来)?(?:新高|新低|最高|最低)|"
                        r"创历史新[高低]|创纪录")
_EN_RECORD = re.compile(r"\b(?:highest|lowest|strongest|weakest|biggest|smallest) (?:[a-z]+ )?(?:in|since) "
                        r"[^,.;]{2,30}|\brecord (?:high|low)\b", re.I)
_LEADING_JOINER = re.compile(r"^\s*(?:但是|但|而且|而|并且|并|and|but|while|although)\s*", re.I)
_ZH_WATCH = re.compile(r"(?:将于|将在|定于|计划于|预计于|届时|下周|下月|月底前|本周晚些时候|即将)")
_ZH_DATE = re.compile(r"[0-9一二三四五六七八九十]+月[0-9一二三四五六七八九十]+日|周[一二三四五六日]|下周|下月|"
                      r"[0-9]+日|月底|年底|上半年|下半年|[一二三四]季度")
_EN_WATCH = re.compile(r"\b(?:will|is scheduled|are scheduled|is due|are due|is set to|are set to|next week|"
                       r"next month|later this week|upcoming)\b", re.I)
_EN_DATE = re.compile(r"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|next week|next month|"
                      r"(?:January|February|March|April|May|June|July|August|September|October|November|"
                      r"December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.? \d{1,2}|"
                      r"(?:first|second|third|fourth) quarter|later this (?:week|month|year))\b")


@dataclass(frozen=True)
class Insight:
    text: Text
    basis: str


def _shown(event: str, outcome: str, impacts: list[Impact], book: EventBook,
           sector: str | None) -> bool:
    """Whether an outcome's chain explains a tag on the page: a tag rests on it, or a
    main (not minor) asset of it is tagged the same way."""
    rule = f"{event}.{outcome}"
    tags = {i.target_key: POLARITY.get(i.stance, 0) for i in impacts}
    for impact in impacts:
        if impact.rule == rule:
            return True
    for target in book.rule(event, outcome).impacts:
        asset = sector if target.asset == SECTOR else target.asset
        if target.minor or asset not in tags:
            continue
        if POLARITY.get(target.stance, 0) * tags[asset] > 0:
            return True
    return False


def _reaction(impacts: list[Impact], book: EventBook) -> Insight | None:
    """What the market did, from the tags that rest on reported moves."""
    moved = [i for i in impacts if (i.rule or "").startswith("move.")]
    if not moved:
        return None

    def names(stances: set[str], lang: str) -> str:
        picked = [i.target.zh if lang == "zh" else i.target.en for i in moved if i.stance in stances]
        return ("、" if lang == "zh" else ", ").join(picked)

    up, down = {"bullish", "lean_bullish", "hawkish"}, {"bearish", "lean_bearish", "dovish"}
    templates = book.reactions
    both = names({"volatile"}, "zh")
    if both:
        wording = templates.both
    elif names(up, "zh") and names(down, "zh"):
        wording = templates.mixed
    elif names(up, "zh"):
        wording = templates.up
    elif names(down, "zh"):
        wording = templates.down
    else:
        return None
    fill = {lang: {"up": names(up, lang), "down": names(down, lang), "both": names({"volatile"}, lang)}
            for lang in ("zh", "en")}
    return Insight(Text(zh=wording.zh.format(**fill["zh"]), en=wording.en.format(**fill["en"])),
                   f"rule:{moved[0].rule}")


def _chains(analysis: Analysis, impacts: list[Impact], book: EventBook) -> list[Insight]:
    """The causal chain of the outcomes that fired in most sentences and explain a tag."""
    counts: Counter[tuple[str, str]] = Counter()
    first: dict[tuple[str, str], tuple[int, int]] = {}
    for order, reading in analysis.readings:
        for fired in {(f.event, f.outcome) for f in reading.fired}:
            counts[fired] += 1
            first.setdefault(fired, order)
    ranked = sorted(counts, key=lambda k: (-counts[k], first[k]))
    out: list[Insight] = []
    events_seen: set[str] = set()
    for event, outcome in ranked:
        if not _shown(event, outcome, impacts, book, analysis.sector):
            continue
        if event in events_seen:
            continue  # two outcomes of one event (降息 here, 不急于降息 there): the commoner one
        events_seen.add(event)
        chain = book.rule(event, outcome).insight
        other = _opposed(event, outcome, counts, impacts, book)
        if other is not None:  # both ways, and the tags say so: tell both chains
            against = book.rule(event, other).insight
            text = Text(zh=f"信号相反：{chain.zh}；但{against.zh}",
                        en=f"Signals point both ways: {chain.en}; but {_lower_first(against.en)}")
        else:
            text = Text(zh=chain.zh, en=chain.en)
        out.append(Insight(text, f"rule:{event}.{outcome}"))
        if len(out) == MAX_CHAINS:
            break
    return out


def _lower_first(text: str) -> str:
    """`Calmer tensions…` → `calmer tensions…`; `US data…` stays."""
    return text if text[1:2].isupper() else text[:1].lower() + text[1:]


def _opposed(event: str, outcome: str, counts: Counter[tuple[str, str]], impacts: list[Impact],
             book: EventBook) -> str | None:
    """The opposite outcome of `event` when it fired too and a main asset of the event was
    judged mixed (talks in Geneva and drills in Hormuz): one chain alone would contradict
    the tags."""
    opposites = book.events[event].opposites
    other = opposites.get(outcome) or next((k for k, v in opposites.items() if v == outcome), None)
    if other is None or (event, other) not in counts:
        return None
    mixed = {i.target_key for i in impacts if i.rule == "mixed"}
    assets = {t.asset for o in (outcome, other) for t in book.rule(event, o).impacts if not t.minor}
    return other if mixed & assets else None


def _reference(reading: Reading) -> Text | None:
    """A figure against the forecast or prior, as the source states it."""
    sentence = reading.sentence
    pattern = _ZH_REFERENCE if reading.zh else _EN_REFERENCE
    ref = pattern.search(sentence)
    if ref is None:
        return None
    before = [n.group(0).strip() for n in _NUMBER.finditer(sentence[: ref.start()])
              if not re.fullmatch(r"(?:19|20)\d\d", n.group(0).strip())]
    if not before:
        return None
    actual, reference = before[-1], ref.group("ref").strip()
    if reading.zh:
        return Text(zh=f"幅度：实际{actual}，{ref.group('label')}{reference}")
    return Text(en=f"Magnitude: {actual} against {ref.group('label').lower()} {reference}")


def _record(reading: Reading) -> Text | None:
    """A record the source states, quoted from the start of its clause."""
    pattern = _ZH_RECORD if reading.zh else _EN_RECORD
    hit = pattern.search(reading.sentence)
    if hit is None:
        return None
    start = max((o for o, _ in split_clauses(reading.sentence) if o <= hit.start()), default=0)
    text = _LEADING_JOINER.sub("", reading.sentence[start:hit.end()])
    clause = balanced(trim(text, 80 if reading.zh else 200).rstrip("。.,，"))
    return Text(zh=f"幅度：{clause}") if reading.zh else Text(en=f"Magnitude: {clause}")


def _magnitude(analysis: Analysis, story: Story) -> Insight | None:
    for order, reading in analysis.readings:
        if not reading.fired and not reading.moves:
            continue
        text = _reference(reading) or _record(reading)
        if text is not None:
            return Insight(text, f"source:{story.articles[order[0]].id}")
    return None


def _context(story: Story) -> Insight:
    names = list(dict.fromkeys(a.source_name for a in story.articles if a.source_name))
    n = len(names)
    shown_zh, shown_en = "、".join(names[:4]), ", ".join(names[:4])
    more_zh, more_en = ("等" if n > 4 else ""), (" and others" if n > 4 else "")
    sources_en = f"{n} source{'s' if n != 1 else ''} ({shown_en}{more_en})"
    report = "reports" if n == 1 else "report"  # "1 source (NDTV) reports what came next"
    if story.follow_up and story.prior is not None:
        title, date = story.prior
        zh = (f"持续发酵：{date.month}月{date.day}日简报曾报道“{title.get('zh')[0]}”，本期为后续进展，"
              f"{n}家来源（{shown_zh}{more_zh}）跟进")
        en = (f"A running story: the {date:%b} {date.day} briefing ran “{title.get('en')[0]}”; "
              f"{sources_en} {report} what came next")
    elif story.follow_up:
        zh = f"持续发酵：此前简报已报道该事件，本期为后续进展，{n}家来源（{shown_zh}{more_zh}）跟进"
        en = f"A running story: earlier briefings covered it; {sources_en} {report} what came next"
    elif n > 1:
        zh = f"首次出现在简报中，已有{n}家来源（{shown_zh}{more_zh}）报道，信息相互印证"
        en = f"First in the briefing, reported by {sources_en}, which corroborate each other"
    else:
        zh = f"首次出现在简报中，目前仅{shown_zh or '一家来源'}报道，尚待更多来源证实"
        en = f"First in the briefing and so far reported only by {shown_en or 'one source'}; awaiting confirmation"
    return Insight(Text(zh=zh, en=en), "story")


_PAST_DATE = re.compile(r"\b(?:said|says|told|announced|reported|launched|founded|started|began|"
                        r"opened|held|signed|met|released|published|arrived|died)\s+(?:on\s+)?$", re.I)


_WEEKDAYS = {name: n for n, name in enumerate(
    ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))}
_WEEKDAYS.update({f"周{c}": n for n, c in enumerate("一二三四五六日")})
_MONTHS = {name: n for n, name in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}
_ZH_MONTH_DAY = re.compile(r"^(\d{1,2})月(\d{1,2})日$")
_EN_MONTH_DAY = re.compile(r"^([A-Za-z]{3})[a-z]*\.? (\d{1,2})$")


def _named_day(words: str, published: dt.date) -> dt.date | None:
    """The day `words` name, read from the report's own date (Tuesday in a Tuesday report
    is that day; February 26 is in its year); None for a period (next week, 下半年)."""
    weekday = _WEEKDAYS.get(words.casefold())
    if weekday is not None:
        return published + dt.timedelta(days=(weekday - published.weekday()) % 7)
    m = _ZH_MONTH_DAY.match(words) or _EN_MONTH_DAY.match(words)
    if m is None:
        return None
    month = int(m.group(1)) if m.group(1).isdigit() else _MONTHS.get(m.group(1).casefold()[:3])
    try:
        return dt.date(published.year, month, int(m.group(2))) if month else None
    except ValueError:
        return None


def _coming_date(sentence: str, cue: re.Pattern[str], date: re.Pattern[str],
                 published: dt.date, now: dt.date) -> bool:
    """A date named after the forward-looking words, not the day something was said or done,
    nor one gone by the story's newest report (`now`).

    `Germany moved on Monday to say it will…` and `…will not repatriate them, Albanese said
    Tuesday` name a past day; `talks will resume on February 26` names a coming one;
    `envoys will meet Tuesday` in Tuesday's report is past once Wednesday's reports are in.
    """
    forward = cue.search(sentence)
    if forward is None:
        return False
    for m in date.finditer(sentence, forward.start()):
        if _PAST_DATE.search(sentence[max(0, m.start() - 16): m.start()]):
            continue
        day = _named_day(m.group(0), published)
        if day is None or day >= now:
            return True
    return False


def _watch(analysis: Analysis, story: Story) -> Insight | None:
    # imported here: keypoints sits beside the rules analyst, which imports this package
    from briefing.analyse.rules.keypoints import tidy_point

    now = max(a.published for a in story.articles).date()
    for order, reading in analysis.readings:
        sentence = reading.sentence
        published = story.articles[order[0]].published.date()
        if reading.zh:
            if _coming_date(sentence, _ZH_WATCH, _ZH_DATE, published, now):
                text = Text(zh=f"后续关注：{balanced(trim(tidy_point(sentence, True), 80))}")
            else:
                continue
        elif _coming_date(sentence, _EN_WATCH, _EN_DATE, published, now):
            text = Text(en=f"What to watch: {balanced(trim(tidy_point(sentence, False), 220))}")
        else:
            continue
        return Insight(text, f"source:{story.articles[order[0]].id}")
    return None


def interpret(story: Story, analysis: Analysis, impacts: list[Impact], book: EventBook
              ) -> list[Insight]:
    """Two to four bullets when the story gives enough to say (see module docstring)."""
    out = _chains(analysis, impacts, book)
    reaction = _reaction(impacts, book)
    if reaction is not None and len(out) < MAX_CHAINS:
        out.append(reaction)
    for extra in (_magnitude(analysis, story), _context(story), _watch(analysis, story)):
        if extra is not None and len(out) < MAX_INSIGHTS:
            out.append(extra)
    return out[:MAX_INSIGHTS]
