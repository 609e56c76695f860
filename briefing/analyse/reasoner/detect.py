"""Reading one sentence: the moves it reports and the event rules it fires.

    "日元兑美元跌超1%，随后收复部分失地"
        clause 1  targets 日元 (base) / 美元 (counter)   cue 跌超 → 日元 down, 美元 up (mild)
        clause 2  no target: carries 日元 from clause 1   cue 收复 → 日元 up  (a rebound)
    "美联储宣布降息25个基点"      trigger 降息 + context 美联储 → fed_policy.ease
    "CPI同比上涨2.4%，创9个月新低"  subject CPI; directions 上涨 (rank 0) < 创9个月新低
                                   (rank 2) → down → us/cn/generic inflation.down

Words are read as words: asset names through `assets.yaml` with its `not_assets`
(黄金周 is not gold), a currency after a figure is a unit (5100美元), a name that only
qualifies the next one yields to it (港股稀土概念股 → 稀土). The clause's mood decides
whether its cues count: a negation just before a cue cancels it (未再现贬值); a
counterfactual (按理说…应该暴涨) cancels every cue until a contrast (但实际却下跌); a
condition (如果/若… , if …) cancels its clause and the next; a hedge (或将, may) keeps
the direction but weakens it, except that a move only supposed ("…which would send crude
prices sharply higher") is no move the market made.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from briefing.analyse.lexicon import Lexicon, Match
from briefing.analyse.reasoner.knowledge import Direction, EventBook
from briefing.analyse.text import split_clauses

CURRENCIES = frozenset({"usd", "cny", "jpy", "eur", "gbp"})
Mood = Literal["plain", "hedged", "counterfactual", "conditional"]

_UNIT_BEFORE = re.compile(r"(?:[0-9０-９万亿千百十]|\b(?:million|billion|trillion|thousand|bn|mn))\s*$", re.I)
_JOINERS = {"和", "与", "及", "以及", "、", "/", "and", "&", "or", ",", "，", "及其", "和其"}
_COUNTER_BEFORE = re.compile(
    r"(?:兑换?|对|相对|against(?: the)?|versus(?: the)?|vs\.?(?: the)?|per|/)\s*$", re.I
)
_ZH_NEGATIONS = ("并未", "尚未", "没有", "未能", "不会", "不再", "难以", "并非", "不是", "未曾", "从未", "并没")
_ZH_NOT_NEGATION = ("未来", "无人", "无论", "无疑", "毫无疑问", "未必")
_EN_NEGATIONS = frozenset({"not", "no", "never", "didn't", "don't", "doesn't", "won't", "without",
                           "hardly", "neither", "nor", "cannot", "can't", "failed", "unlikely"})
_ZH_HEDGES = ("或将", "或许", "也许", "可能", "有望", "预计", "料将", "恐将", "将会", "预期", "估计", "或")
_EN_HEDGES = re.compile(r"\b(?:may|might|could|would|expected to|likely|set to|poised to|forecast to|"
                        r"projected to|predicted to|will|seen|risks?)\b", re.I)
_SUPPOSED = re.compile(r"\b(?:would|could|might)\b(?!\s+have\b)", re.I)
_COUNTERFACTUAL = re.compile(r"按理说|按理|按道理|照理说|照理|理应|本应|本该|原本应该|本来应该|理论上|"
                             r"\bshould have\b|\bwould have\b|\bought to have\b|\bin theory\b|\bon paper\b",
                             re.I)
_CONTRAST = re.compile(r"但是|但|然而|实际上|实际|却|不过|反而|\bbut\b|\bhowever\b|\byet\b|\bactually\b|"
                       r"\binstead\b", re.I)
_CONDITION = re.compile(r"^\s*(?:若是|若|一旦|要是|如若|\bshould\b)|如果|假如|倘若|\bif\b|\bunless\b|\bin case\b|"
                        r"\bwere to\b", re.I)
_ZH_TRIGGER_NEGATIONS = ("不急于", "无意", "暂不", "推迟", "否认", "拒绝", "叫停", "放弃")
_EN_TRIGGER_NEGATIONS = re.compile(r"\b(?:pared bets on|scaled back bets on|pushed back against|no rush|"
                                   r"no hurry|ruled out|rule out|denied|rejected|reluctant)\b", re.I)
# "strikes kill 12 despite the truce", 无视停火协议: the trigger names what the news goes against,
# the background, so it fires nothing (not even its opposite). 尽管/虽然 stay out: a Chinese
# lead often opens with the day's event in them (尽管美联储降息，美元仍走强).
_CONCESSIVE = re.compile(r"(?:无视|不顾)[^，。；,;]{0,6}$|"
                         r"\b(?:despite|in spite of|notwithstanding|regardless of)\s+(?:\S+\s+){0,2}$",
                         re.I)
# "strikes amid the ceasefire", "killed since the truce began": a truce that holds in the
# background, not one agreed today ("amid ceasefire hopes" is news about the truce and fires).
_AMID = re.compile(r"\b(?:amid|amidst|since|during|throughout)\s+(?:(?:a|an|the|fragile|shaky|uneasy|current|existing)\s+){0,2}$", re.I)
# "in retaliation against any attack", "a possible strike", 任何袭击: an act that has not
# happened names no event.
_UNREAL = re.compile(r"(?:任何|一切|潜在的?|可能的)$|\b(?:any|possible|potential|future|"
                     r"hypothetical|an? eventual)\s+$", re.I)
_UNREAL_AFTER = re.compile(r"^\s*(?:against|for|to|over|on)\s+(?:any|a possible|a potential|future)\b|"
                           r"^\s*(?:任何|一切)", re.I)  # retaliation against any attack
_STATE_TRIGGERS = frozenset({"ceasefire", "cease-fire", "truce"})
_AMID_NEWS = re.compile(r"^\s*(?:hopes?|talks|deal|agreement|optimism|progress|news|proposal|plan)\b",
                        re.I)
_FORECAST = re.compile(r"或将|可能|有望|料将|恐将|将会|或许|也许|预计将|预计会|\b(?:may|might|could|would|"
                       r"is expected to|are expected to|likely to|set to)\b", re.I)
_EN_SUBCLAUSE = re.compile(r"\s+(?:as|after|amid|because|with|since|when)\s+(?=\w)", re.I)
_QUESTION = re.compile(r"[吗？?]\s*$")
_MARKETS = frozenset({"equities", "a_shares", "hk_stocks", "us_stocks", "european_stocks", "japan_stocks"})
_ZH_OBJECT_VERBS = frozenset({"提振", "带动", "推高", "推升", "拖累", "打压", "压制", "利好", "利空"})
_ZH_SEQUENCE = re.compile(r"^(?:随后|此后|之后|其后|后|但|但是|不过|然而|尾盘|午后|盘中|收盘|最终|最后|又|再度|再|一度|"
                          r"并|且|旋即|随即|紧接着|接着|早盘|晚间|夜盘)")
_EN_SEQUENCE = re.compile(r"(?:and |but |then |later |before |only to |after that |it |they |prices |"
                          r"before it |then it )*", re.I)
_LISTING_BEFORE = re.compile(r"(?:科技|集团|控股|股份|电子|能源|医药|药业|汽车|资源|实业|生物|智能|国际|公司|银行|证券)$")
_SECTOR_AFTER = re.compile(r"^[\u4e00-\u9fff]{1,6}?(?:板块|概念股|类股|个股|龙头股|股)")
_FIGURE_AFTER = re.compile(r"[^，,；;]*?[0-9.]+\s*(?:%|％|个基点|基点|bp|basis points|点|美元|港元|日元|欧元|元|桶|盎司)?")


@dataclass(frozen=True)
class Move:
    """A move the text reports: `target` went `direction`."""

    target: str
    direction: Direction
    strong: bool
    fragment: str  # the target's own words: from its name to the cue
    via: Literal["", "pair", "company"] = ""  # the other side of a pair; a company of the sector


@dataclass(frozen=True)
class Fired:
    """An event rule that fired: `event`.`outcome`, on `words`."""

    event: str
    outcome: str
    hedged: bool
    words: str
    rank: int = 9  # how the direction was read (directions' rank); triggers are explicit


@dataclass(frozen=True)
class Reading:
    sentence: str
    zh: bool
    moves: tuple[Move, ...]
    fired: tuple[Fired, ...]


@dataclass(frozen=True)
class _Cue:
    start: int
    end: int
    direction: Direction
    strong: bool
    text: str = ""


def _negated(before: str, zh: bool) -> bool:
    """A negation right before a cue (并未出现贬值, 难以回落, 不跌反涨, did not rise).

    Words of two characters or more reach back a short clause; 未/没 a few characters
    (未再现贬值); 不/无 only the character right before (不跌反涨: only 跌 is negated)."""
    if zh:
        window = before[-12:]
        for word in _ZH_NOT_NEGATION:
            window = window.replace(word, "＃" * len(word))
        if any(n in window for n in _ZH_NEGATIONS):
            return True
        return any(n in window[-6:] for n in "未没") or window[-1:] in ("不", "无")
    words = re.findall(r"[\w']+", before.casefold())[-4:]
    return any(w in _EN_NEGATIONS or w.endswith("n't") for w in words)


def _hedged(before: str, zh: bool) -> bool:
    if zh:
        return any(h in before[-8:] for h in _ZH_HEDGES)
    return bool(_EN_HEDGES.search(" ".join(before.split()[-5:])))


def clause_mood(clause: str, counterfactual: bool) -> Mood:
    if counterfactual or _COUNTERFACTUAL.search(clause):
        return "counterfactual"
    if _CONDITION.search(clause):
        return "conditional"
    return "plain"


def _cues(clause: str, zh: bool, lex: Lexicon) -> list[_Cue]:
    ignored = list(lex.ignore_matcher.finditer(clause))
    out = []
    for c in lex.cue_matcher.finditer(clause):
        if any(i.start <= c.start < i.end for i in ignored):
            continue
        move, strength = lex.cue_key(c.key)
        if move not in ("up", "down", "swing") or _negated(clause[: c.start], zh):
            continue
        if not zh and _SUPPOSED.search(clause[: c.start]):
            continue  # a consequence supposed, not a move reported
        strong = strength == "strong" and not _hedged(clause[: c.start], zh)
        if move == "swing":  # 宽幅震荡, whipsawed: both ways at once
            out += [_Cue(c.start, c.end, "up", False, c.text), _Cue(c.start, c.end, "down", False, c.text)]
            continue
        out.append(_Cue(c.start, c.end, "up" if move == "up" else "down", strong, c.text))
    return out


def _targets(clause: str, lex: Lexicon) -> list[tuple[Match, str | None]]:
    """(asset mention, base currency if it is the counter of a pair), in reading order."""
    found = [m for m in lex.asset_matcher.finditer(clause)
             if not (m.key in CURRENCIES and _UNIT_BEFORE.search(clause[: m.start]))
             and lex.assets[m.key].kind != "level"]
    out: list[tuple[Match, str | None]] = []
    for i, m in enumerate(found):
        nxt = found[i + 1] if i + 1 < len(found) else None
        gap = clause[m.end:nxt.start].strip().casefold() if nxt is not None else ""
        qualifies = (nxt is not None and nxt.start - m.end <= 2 and gap not in _JOINERS
                     and not _COUNTER_BEFORE.search(clause[m.end:nxt.start]))
        if qualifies:
            continue  # 港股稀土概念股: the name qualifies the next one
        base = out[-1][0] if out else None
        if base is not None and _COUNTER_BEFORE.search(clause[base.end:m.start]):
            if m.key in CURRENCIES and base.key in CURRENCIES:
                out.append((m, base.key))
            continue  # 比特币兑美元: the dollar is only the unit of the quote
        out.append((m, None))
    return out


def _cues_for(i: int, targets: list[tuple[Match, str | None]], cues: list[_Cue],
              clause: str, zh: bool) -> list[_Cue]:
    """The cues that say how target i moved: those after it before the next target (shared
    across 和/与 joins), else, in English, the nearest one just before it ("a stronger dollar").

    Several cues may follow one name (冲高回落, 急涨急跌): each is a move."""
    own = [t for t, base in targets if base is None]
    me = targets[i][0]
    k = own.index(me)
    end = len(clause)
    j = k + 1
    while j < len(own):
        gap = clause[own[j - 1].end:own[j].start].strip().casefold()
        if gap in _JOINERS:
            j += 1
            continue
        end = own[j].start
        break
    after = [c for c in cues if me.end <= c.start < end and not (zh and c.text in _ZH_OBJECT_VERBS)]
    if after:
        return after
    start = own[k - 1].end if k else 0
    if zh:  # Chinese puts the move after its subject, except verbs that take it as object (提振金价)
        return [c for c in cues if start <= c.start and c.end <= me.start and me.start - c.end <= 4
                and c.text in _ZH_OBJECT_VERBS][-1:]
    before = [c for c in cues if start <= c.start and c.end <= me.start and me.start - c.end <= 30]
    return before[-1:]


def _sector_of(clause: str, m: Match, zh: bool, cues: list[_Cue]) -> bool:
    """A market name that only locates a sector (美股能源板块, A股旅游板块) is not the market."""
    if not zh or m.key not in _MARKETS:
        return False
    if _LISTING_BEFORE.search(clause[: m.start]):
        return True  # 协鑫科技港股涨超5%: one company's Hong Kong shares
    hit = _SECTOR_AFTER.match(clause[m.end:])
    return hit is not None and not any(m.end <= c.start < m.end + hit.end() for c in cues)


def _carries(before_cue: str, zh: bool) -> bool:
    """Whether a clause without a name continues the last one: it opens with its move or
    with a word of sequence (随后重新站上, 但实际却下跌, then recovered)."""
    text = before_cue.strip()
    if zh:
        return len(text) <= 2 or bool(_ZH_SEQUENCE.match(text))
    return not text or bool(_EN_SEQUENCE.fullmatch(text))


_PAIRS = {"“": "”", "「": "」", "《": "》", "（": "）", "(": ")", "‘": "’", "『": "』", "【": "】", "\"": "\""}


def _span(clause: str, start: int, end: int) -> str:
    """clause[start:end] with its quotes and brackets closed: the span grows to a closing
    mark later in the clause, and loses a mark that is never closed (the gate refuses
    unbalanced quotes, and a reader cannot tell where the quote ends)."""
    text = clause[start:end]
    for opening, closing in _PAIRS.items():
        if opening == closing:
            if text.count(opening) % 2:
                text = text.replace(opening, "")
            continue
        if text.count(opening) > text.count(closing):
            close = clause.find(closing, end)
            if close != -1 and close - end <= 20:
                end = close + 1
                text = clause[start:end]
            else:
                text = text.replace(opening, "")
        if text.count(closing) > text.count(opening):
            text = text.replace(closing, "")
    return text.strip()


def balanced(text: str) -> str:
    """`text` without the quotes and brackets it opens or closes but never both."""
    return _span(text, 0, len(text))


def _company_moves(clause: str, cues: list[_Cue], book: EventBook) -> list[Move]:
    """A company of a sector that moved (Nvidia shares rose 3%): its sector, mildly."""
    hit = next(iter(book.sector_matcher.finditer(clause)), None)
    if hit is None:
        return []
    after = [c for c in cues if c.start >= hit.end]
    return [Move(hit.key, c.direction, False, _span(clause, hit.start, c.end), via="company")
            for c in after[:1]]


def _moves_in(clause: str, zh: bool, lex: Lexicon, book: EventBook, carried: str | None,
              muted: bool = False) -> tuple[list[Move], str | None]:
    """The clause's moves, and the name a following clause without one refers to.

    A `muted` clause (a counterfactual, a condition) reports no move but still names.
    """
    cues = [] if muted else _cues(clause, zh, lex)
    targets = _targets(clause, lex)
    moves: list[Move] = []
    if not targets:
        if carried and cues and _carries(clause[: cues[0].start], zh):
            # a clause with a move but no name of its own: the last name moved again
            moves += [Move(carried, c.direction, c.strong, _span(clause, 0, c.end)) for c in cues]
            return moves, carried
        return _company_moves(clause, cues, book), None
    last: str | None = carried
    for i, (m, base) in enumerate(targets):
        if base is not None:
            continue
        last = m.key
        if _sector_of(clause, m, zh, cues):
            continue
        for n, cue in enumerate(_cues_for(i, targets, cues, clause, zh)):
            start = m.start if n == 0 else cue.start
            end = max(cue.end, m.end)
            tail = _FIGURE_AFTER.match(clause[cue.end:])
            if tail and len(tail.group(0)) <= 12:
                end = cue.end + len(tail.group(0))
            fragment = _span(clause, min(start, cue.start), end)
            moves.append(Move(m.key, cue.direction, cue.strong, fragment))
            for counter, counter_base in targets[i + 1:]:
                if counter_base == m.key:
                    flipped: Direction = "down" if cue.direction == "up" else "up"
                    moves.append(Move(counter.key, flipped, False, fragment, via="pair"))
    return moves, last


def _direction(text: str, zh: bool, book: EventBook) -> tuple[Direction, int] | None:
    """Which way a figure moved: the highest-ranked direction words win; a tie is no answer."""
    found: list[tuple[int, Direction]] = []
    for m in book.direction_matcher.finditer(text):
        if _negated(text[: m.start], zh):
            continue
        way, level = m.key.split(":")
        found.append((int(level), "up" if way == "up" else "down"))
    for pattern, direction, rank in book.direction_patterns:
        if pattern.search(text):
            found.append((rank, direction))
    if not found:
        return None
    top = max(rank for rank, _ in found)
    ways = {d for rank, d in found if rank == top}
    return (ways.pop(), top) if len(ways) == 1 else None


def _context_ok(event: str, text: str, book: EventBook) -> bool | None:
    """True/False when the event needs context; None when it needs none."""
    matcher = book.context.get(event)
    if matcher is None:
        return None
    return next(iter(matcher.finditer(text)), None) is not None


def _pick(candidates: list[tuple[str, str]], context: str, book: EventBook) -> list[tuple[str, str]]:
    """Of (event, outcome) candidates, per group the first whose context is present,
    else the first that needs no context."""
    by_group: dict[str, tuple[str, str]] = {}
    fallback: dict[str, tuple[str, str]] = {}
    for event, outcome in sorted(candidates, key=lambda c: book.order.index(c[0])):
        group = book.events[event].group
        ok = _context_ok(event, context, book)
        if ok is True:
            by_group.setdefault(group, (event, outcome))
        elif ok is None:
            fallback.setdefault(group, (event, outcome))
    for group, pair in fallback.items():
        by_group.setdefault(group, pair)
    return list(by_group.values())


def _trigger_negated(before: str, zh: bool) -> bool:
    if _negated(before, zh):
        return True
    if zh:
        return any(n in before[-8:] for n in _ZH_TRIGGER_NEGATIONS)
    return bool(_EN_TRIGGER_NEGATIONS.search(" ".join(before.split()[-6:])))


def _background(clause: str, start: int, end: int, lead: str) -> bool:
    """Whether the trigger at clause[start:end] is what the news happens despite or amid,
    or an act that has not happened (any attack);
    `lead` is the sentence's text before the clause (a split may have taken the "amid")."""
    before = (lead + clause[:start])[-40:]
    if _CONCESSIVE.search(before) or _UNREAL.search(before) or _UNREAL_AFTER.match(clause[end:]):
        return True
    return (clause[start:end].casefold() in _STATE_TRIGGERS and bool(_AMID.search(before))
            and not _AMID_NEWS.match(clause[end:]))


def _triggers_in(clause: str, zh: bool, book: EventBook, context: str, lead: str = ""
                 ) -> list[Fired]:
    """Trigger words of the clause → outcomes; a negated one fires the event's opposite
    outcome when it has one (不急于降息, pared bets on a cut → tighten), else nothing."""
    out: list[Fired] = []
    for m in book.trigger_matcher.finditer(clause):
        if _background(clause, m.start, m.end, lead):
            continue
        negated = _trigger_negated(clause[: m.start], zh)
        hedged = negated or _hedged(clause[: m.start], zh)
        candidates = []
        for t in book.triggers[int(m.key)]:
            outcome = book.events[t.event].opposites.get(t.outcome) if negated else t.outcome
            if outcome is not None:
                candidates.append((t.event, outcome))
        out.extend(Fired(e, o, hedged, m.text) for e, o in _pick(candidates, context, book))
    return out


def _names_other(clause: str, book: EventBook, lex: Lexicon) -> bool:
    """Whether a clause names its own subject or asset (so it is not about the last one)."""
    return (next(iter(book.subject_matcher.finditer(clause)), None) is not None
            or next(iter(lex.asset_matcher.finditer(clause)), None) is not None)


def _subjects_in(clauses: list[str], zh: bool, book: EventBook, lex: Lexicon, context: str
                 ) -> list[Fired]:
    """Subject events (CPI, 非农, 原油库存): the direction is read over the subject's clause
    from the subject on, and the following clauses that name no other subject."""
    out: list[Fired] = []
    for n, clause in enumerate(clauses):
        trigger_spans = [(t.start, t.end) for t in book.trigger_matcher.finditer(clause)]
        for m in book.subject_matcher.finditer(clause):
            if any(s <= m.start < e for s, e in trigger_spans):
                continue  # 出口 inside 出口管制
            span = [clause[m.start:]]
            for later in clauses[n + 1:]:
                if _names_other(later, book, lex):
                    break
                span.append(later)
            read = _direction("，".join(span), zh, book)
            if read is None or _FORECAST.search(clause[: m.start] + span[0]):
                continue  # no direction, or a forecast of the figure rather than the figure
            direction, rank = read
            candidates: list[tuple[str, str]] = []
            for event, inverse in book.subjects[int(m.key)]:
                way: Direction = direction if not inverse else ("down" if direction == "up" else "up")
                candidates.append((event, way))
            out.extend(Fired(e, o, False, m.text, rank) for e, o in _pick(candidates, context, book)
                       if o in book.events[e].outcomes)
        if out:
            break  # one subject per sentence: the first one that moved
    return out


def read_sentence(sentence: str, zh: bool, title: str, lex: Lexicon, book: EventBook) -> Reading:
    """The moves and fired rules of one sentence (see module docstring)."""
    context = f"{sentence}\n{title}"
    clauses = [part for _, c in split_clauses(sentence)
               for part in ([c] if zh else _EN_SUBCLAUSE.split(c)) if part.strip()]
    question = bool(_QUESTION.search(sentence))
    moves: list[Move] = []
    fired: list[Fired] = []
    active: list[str] = []  # clauses whose words count, for subject events
    carried: str | None = None
    counterfactual = False
    conditional_next = False
    at = 0
    for clause in clauses:
        live = clause
        at = max(sentence.find(clause, at), 0)
        if counterfactual or _COUNTERFACTUAL.search(clause):
            contrast = list(_CONTRAST.finditer(clause))
            if contrast:
                counterfactual, live = False, clause[contrast[-1].end():]
            else:
                counterfactual, live = True, ""
        mood = clause_mood(live, False) if live else "counterfactual"
        if conditional_next or mood == "conditional" or question:
            conditional_next = mood == "conditional"
            _, carried = _moves_in(clause, zh, lex, book, carried, muted=True)
            continue
        if not live:
            _, carried = _moves_in(clause, zh, lex, book, carried, muted=True)
            continue
        found, carried = _moves_in(live, zh, lex, book, carried)
        moves.extend(found)
        lead = sentence[max(0, at - 40): at + len(clause) - len(live)]
        fired.extend(_triggers_in(live, zh, book, context, lead))
        active.append(live)
    fired.extend(_subjects_in(active, zh, book, lex, context))
    unique = tuple(dict.fromkeys(fired))
    return Reading(sentence, zh, tuple(moves), unique)

