"""From a story's readings to impact tags, each with its rule and evidence sentence.

    signals per target ─┬─ moves the text reports ("金价大涨")        rule move.up / move.down
                        └─ rules that fired (events.yaml)            rule fed_policy.ease …
    a target with reported moves takes them (what the market did beats what a rule expects);
    moves both ways of similar weight → 震荡 (volatile); inferred signals pulling both ways
    → 中性 (neutral); otherwise the strongest signal of the winning side.

A tag's reason is its own: the target's words in the source for a reported move, the
rule's line for that asset for an inferred one. The sentence that triggered it is kept
as `evidence`, and the rule id as `rule`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from briefing.analyse.base import Story
from briefing.analyse.lexicon import Lexicon
from briefing.analyse.reasoner.detect import Move, Reading, balanced
from briefing.analyse.reasoner.knowledge import SECTOR, EventBook
from briefing.analyse.text import trim
from briefing.knowledge import StanceVocabulary
from briefing.model import Horizon, Impact, Stance, Text

MAX_IMPACTS = 4
POLARITY: dict[str, int] = {
    "bullish": 2, "lean_bullish": 1, "hawkish": 2,
    "bearish": -2, "lean_bearish": -1, "dovish": -2,
}
_WEAKER: dict[Stance, Stance] = {"bullish": "lean_bullish", "bearish": "lean_bearish"}
_MOVE_WORDS = {
    ("up", True): ("大涨", "surged"), ("up", False): ("上涨", "rose"),
    ("down", True): ("大跌", "fell sharply"), ("down", False): ("下跌", "fell"),
}


@dataclass(frozen=True)
class Signal:
    """One reason to tag `target`: a reported move or a fired rule."""

    target: str
    stance: Stance
    horizon: Horizon | None
    rule: str
    direct: bool
    reason: Text
    evidence: str
    zh: bool
    order: tuple[int, int]
    minor: bool = False

    @property
    def polarity(self) -> int:
        return POLARITY.get(self.stance, 0)


def _move_stance(move: Move, kind: str, lex: Lexicon) -> Stance | None:
    key = f"{move.direction}_{'strong' if move.strong else 'mild'}"
    return lex.stance_cues.meaning.get(kind, {}).get(key)


def _capital(fragment: str) -> str:
    """A source's words standing as a reason: "Defense stocks slipped", not "defense…"."""
    return fragment[:1].upper() + fragment[1:]


GENERIC_MARKET = "equities"
_WORLD = ("全球", "环球", "global", "world")


def home_market(titles: Iterable[str], lex: Lexicon) -> str | None:
    """The one national stock market whose places the titles name (Japan → japan_stocks),
    or None when they name none or several."""
    found = {lex.home_markets[m.key] for title in titles for m in lex.entity_matcher.finditer(title)
             if m.key in lex.home_markets}
    return found.pop() if len(found) == 1 else None


def _market_of(move: Move, home: str | None) -> str:
    """"The stock market soared" in a story about Japan is Japanese stocks; "world stocks"
    stay equities at large."""
    if move.target != GENERIC_MARKET or home is None:
        return move.target
    folded = move.fragment.casefold()
    return move.target if any(w in folded for w in _WORLD) else home


def move_signals(reading: Reading, order: tuple[int, int], lex: Lexicon,
                 home: str | None = None) -> list[Signal]:
    out = []
    for move in reading.moves:
        target = _market_of(move, home)
        asset = lex.assets[target]
        stance = _move_stance(move, asset.kind, lex)
        if stance is None:
            continue
        fragment = balanced(trim(move.fragment, 60 if reading.zh else 160).rstrip("。；;.，,"))
        if move.via == "pair":  # the other side of a currency pair: say so
            zh_word, en_word = _MOVE_WORDS[(move.direction, False)]
            own = (f"{fragment}，即{asset.zh}相对{zh_word}" if reading.zh
                   else f"{_capital(fragment)}, so {asset.en} {en_word} in the pair")
        else:
            own = fragment if reading.zh else _capital(fragment)
        zh_word, en_word = _MOVE_WORDS[(move.direction, move.strong)]
        # The asset's name opens the sentence: "Chinese ADRs fell", never "chinese adrs fell".
        reason = (Text(zh=own, en=f"{asset.en} {en_word}, the sources report")
                  if reading.zh else
                  Text(zh=f"来源报道{asset.zh}{zh_word}", en=own))
        rule = f"move.{move.direction}" + (f".{move.via}" if move.via else "")
        out.append(Signal(target, stance, None, rule, True, reason, reading.sentence,
                          reading.zh, order))
    return out


def rule_signals(reading: Reading, order: tuple[int, int], sector: str | None,
                 book: EventBook) -> list[Signal]:
    out = []
    seen: set[tuple[str, str]] = set()
    for fired in reading.fired:
        if (fired.event, fired.outcome) in seen:
            continue
        seen.add((fired.event, fired.outcome))
        outcome = book.rule(fired.event, fired.outcome)
        for rule in outcome.impacts:
            target = sector if rule.asset == SECTOR else rule.asset
            if target is None:
                continue  # an earnings rule with no sector named: nothing to tag
            stance = _WEAKER.get(rule.stance, rule.stance) if fired.hedged else rule.stance
            out.append(Signal(target, stance, rule.horizon, f"{fired.event}.{fired.outcome}", False,
                              Text(zh=rule.zh, en=rule.en), reading.sentence, reading.zh, order,
                              rule.minor))
    return out


def _side(signals: list[Signal]) -> tuple[int, int]:
    """The weight of each side: one vote per sentence and side, the strongest in it
    (冲高、大涨、收涨 in one sentence are one rise)."""
    votes: dict[tuple[tuple[int, int], int], int] = {}
    for s in signals:
        if s.polarity:
            key = (s.order, 1 if s.polarity > 0 else -1)
            votes[key] = max(votes.get(key, 0), abs(s.polarity))
    up = sum(w for (_, side), w in votes.items() if side > 0)
    down = sum(w for (_, side), w in votes.items() if side < 0)
    return up, down


@dataclass(frozen=True)
class Verdict:
    target: str
    stance: Stance
    horizon: Horizon | None
    rule: str
    direct: bool
    support: list[Signal]  # the signals behind the verdict, strongest first

    @property
    def weight(self) -> int:
        return sum(abs(s.polarity) for s in self.support) + (10 if self.direct else 0)

    @property
    def minor(self) -> bool:
        """Only secondary rules name this target (airlines after an oil move)."""
        return not self.direct and all(s.minor for s in self.support)


def judge(target: str, signals: list[Signal]) -> Verdict:
    """One target's stance from its signals (see module docstring)."""
    direct = [s for s in signals if s.direct]
    pool = direct or signals
    up, down = _side(pool)
    if up and down:
        strong, weak = max(up, down), min(up, down)
        if strong <= 2 * weak:
            stance: Stance = "volatile" if direct else "neutral"
            rule = "move.both" if direct else "mixed"
            return Verdict(target, stance, "short" if direct else None, rule, bool(direct), pool)
    if not up and not down:
        first = pool[0]
        return Verdict(target, first.stance, first.horizon, first.rule, bool(direct), pool)
    sign = 1 if up > down else -1
    side = [s for s in pool if s.polarity * sign > 0]
    best = max(side, key=lambda s: (abs(s.polarity), -s.order[0], -s.order[1]))
    stance = best.stance
    if (up and down) and stance in _WEAKER:
        stance = _WEAKER[stance]  # a dissenting signal tempers the verdict
    ordered = sorted(side, key=lambda s: s.order)
    return Verdict(target, stance, best.horizon, best.rule, bool(direct), ordered)


def stance_wording(stance: Stance, horizon: Horizon | None, kind: str, lex: Lexicon,
                   vocabulary: StanceVocabulary) -> Text:
    """The words for a stance: the kind's own wording, then the vocabulary's."""
    special = lex.stance_cues.wording.get(kind, {}).get(stance)
    if special is not None:
        return Text(zh=special.zh, en=special.en)
    if horizon is not None:
        for word in vocabulary.stances:
            if word.stance == stance and word.horizon == horizon:
                return Text(zh=word.zh, en=word.en)
    return Text(zh=vocabulary.wording(stance, "zh"), en=vocabulary.wording(stance, "en"))


def _reason(verdict: Verdict, lex: Lexicon) -> Text:
    if verdict.stance == "volatile":  # the first words of each way, in reading order
        asset = lex.assets[verdict.target]
        parts: dict[bool, list[Signal]] = {True: [], False: []}
        for s in sorted(verdict.support, key=lambda s: s.order):
            side = parts[s.zh]
            if all((x.polarity > 0) != (s.polarity > 0) for x in side) and len(side) < 2:
                side.append(s)
        zh = "；".join(_distinct(s.reason.zh for s in parts[True]))
        en = "; ".join(_distinct(s.reason.en for s in parts[False]))
        return Text(zh=zh or f"来源报道{asset.zh}先后出现涨跌两个方向的走势",
                    en=en or f"{asset.en} moved both ways, the sources report")
    if verdict.rule == "mixed":  # the strongest reason of each side
        up = max((s for s in verdict.support if s.polarity > 0), key=lambda s: s.polarity)
        down = min((s for s in verdict.support if s.polarity < 0), key=lambda s: s.polarity)
        return Text(zh=f"多空交织：{up.reason.zh}；但{down.reason.zh}",
                    en=f"Mixed: {up.reason.en}; but {down.reason.en[:1].lower()}{down.reason.en[1:]}")
    best = verdict.support[0]
    zh = next((s.reason.zh for s in verdict.support if s.zh), best.reason.zh)
    en = next((s.reason.en for s in verdict.support if not s.zh), best.reason.en)
    return Text(zh=zh, en=en)


def _distinct(fragments: Iterable[str]) -> list[str]:
    """Fragments without repeats or pieces of an earlier one (过山车 after “过山车”行情)."""
    out: list[str] = []
    for fragment in fragments:
        if fragment and not any(fragment in kept for kept in out):
            out.append(fragment)
    return out


def _evidence(verdict: Verdict) -> Text:
    zh = next((s.evidence for s in verdict.support if s.zh), "")
    en = next((s.evidence for s in verdict.support if not s.zh), "")
    return Text(zh=balanced(trim(zh, 160)), en=balanced(trim(en, 400)))


def to_impact(verdict: Verdict, lex: Lexicon, vocabulary: StanceVocabulary) -> Impact:
    asset = lex.assets[verdict.target]
    return Impact(
        target=Text(zh=asset.zh, en=asset.en),
        target_key=asset.key,
        stance=verdict.stance,
        horizon=verdict.horizon,
        stance_text=stance_wording(verdict.stance, verdict.horizon, asset.kind, lex, vocabulary),
        reason=_reason(verdict, lex),
        rule=verdict.rule,
        evidence=_evidence(verdict),
    )


def verdicts(signals: list[Signal]) -> list[Verdict]:
    """One verdict per target, the strongest first (reported moves, then support)."""
    by_target: dict[str, list[Signal]] = defaultdict(list)
    for signal in signals:
        by_target[signal.target].append(signal)
    out = [judge(t, s) for t, s in sorted(by_target.items())]
    first = {t: min(s.order for s in sig) for t, sig in by_target.items()}
    out.sort(key=lambda v: (-v.direct, -v.weight, first[v.target], v.target))
    return out


def story_sector(story: Story, book: EventBook, limit: int) -> str | None:
    """The sector the story's companies belong to (英伟达 → 芯片股), from titles then text."""
    for article in story.articles[:limit]:
        for text in (article.title_norm, article.text_norm[:600]):
            hit = next(iter(book.sector_matcher.finditer(text)), None)
            if hit is not None:
                return hit.key
    return None


def distinct_reasons(impacts: list[Impact]) -> list[Impact]:
    """No two tags share a reason: a repeated one gains its target's name."""
    seen: set[str] = set()
    out = []
    for impact in impacts:
        reason = impact.reason
        if reason.zh in seen or reason.en in seen:
            reason = Text(zh=f"{impact.target.zh}：{reason.zh}" if reason.zh else "",
                          en=f"{impact.target.en}: {reason.en}" if reason.en else "")
            impact = impact.model_copy(update={"reason": reason})
        seen.update(x for x in (reason.zh, reason.en) if x)
        out.append(impact)
    return out
