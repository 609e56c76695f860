"""Impact tags with evidence: a target and a move named in the same clause of the text.

    "早盘，恒生指数直接拉升超1%"  →  clause "恒生指数直接拉升超1%"
        target 恒生指数 → 港股 (assets.yaml)   cue 拉升 → up, strong (stance_cues.yaml)
        → 对港股：利多。{the sentence}

No evidence, no tag: the rules analyst never infers a stance (a rate cut is not
evidence that stocks rise). When a story's sentences disagree about a target (one says
up, as many say down), the target gets no tag.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from briefing.analyse.base import Story
from briefing.analyse.lexicon import Lexicon, Match
from briefing.analyse.rules.keypoints import article_sentences
from briefing.analyse.text import is_chinese, split_clauses, trim
from briefing.knowledge import StanceVocabulary
from briefing.model import Horizon, Impact, Stance, Text

MAX_IMPACTS = 4
MAX_ARTICLES = 10  # the evidence of a big story is in its first reports
_POLARITY: dict[str, int] = {
    "bullish": 1, "lean_bullish": 1, "hawkish": 1,
    "bearish": -1, "lean_bearish": -1, "dovish": -1,
}
_JOINERS = {"和", "与", "及", "、", "/", "and", "&", "or"}
_COUNTER = {"兑", "对", "against", "against the", "versus", "vs"}  # 人民币兑美元: the yuan moved
_UNIT_BEFORE = re.compile(r"[0-9０-９万亿千百十]\s*$")  # 5100美元 is a price, not the dollar


@dataclass(frozen=True)
class Evidence:
    target: str
    stance: Stance
    horizon: Horizon | None
    sentence: str
    zh: bool
    order: tuple[int, int]  # (article, sentence) — reading order


def _cue_allowed(cue: Match, clause: str, lex: Lexicon, ignored: list[Match], zh: bool) -> bool:
    if any(i.start <= cue.start < i.end for i in ignored):
        return False
    before = clause[: cue.start]
    negations = lex.stance_cues.negations.zh if zh else lex.stance_cues.negations.en
    if zh:
        return not any(n in before for n in negations)
    tail = " ".join(before.casefold().split()[-4:])
    words = tail.split()
    return not any((n in tail) if " " in n else (n in words) for n in negations)


def _targets(clause: str, lex: Lexicon) -> list[Match]:
    """Asset mentions, without those that only qualify the next one (港股稀土概念股 → 稀土)."""
    found = [
        m for m in lex.asset_matcher.finditer(clause)
        if not _UNIT_BEFORE.search(clause[: m.start])
    ]
    kept = []
    for i, m in enumerate(found):
        prev = found[i - 1] if i else None
        if prev is not None and clause[prev.end:m.start].strip().casefold() in _COUNTER:
            continue  # the counter-currency of a pair
        nxt = found[i + 1] if i + 1 < len(found) else None
        gap = clause[m.end:nxt.start].strip().casefold() if nxt is not None else ""
        if nxt is not None and nxt.start - m.end <= 2 and gap not in _JOINERS | _COUNTER:
            continue
        kept.append(m)
    return kept


def _horizon(text: str, lex: Lexicon) -> Horizon | None:
    folded = text.casefold()
    for horizon, words in sorted(lex.stance_cues.horizons.items()):
        if any(w.casefold() in folded for w in (*words.zh, *words.en)):
            return horizon
    return None


def clause_evidence(sentence: str, zh: bool, order: tuple[int, int], lex: Lexicon) -> list[Evidence]:
    out: list[Evidence] = []
    for _, clause in split_clauses(sentence):
        targets = _targets(clause, lex)
        if not targets:
            continue
        ignored = list(lex.ignore_matcher.finditer(clause))
        cues = [c for c in lex.cue_matcher.finditer(clause) if _cue_allowed(c, clause, lex, ignored, zh)]
        if not cues:
            continue
        for target in targets:
            after = [c for c in cues if c.start >= target.end]
            before = [c for c in cues if c.end <= target.start and target.start - c.end <= (8 if zh else 30)]
            cue = after[0] if after else (before[-1] if before else None)
            if cue is None:
                continue
            asset = lex.assets[target.key]
            stance = lex.stance_cues.meaning.get(asset.kind, {}).get(cue.key)
            if stance is None:
                continue  # e.g. a rate cut said of a stock index: not evidence
            out.append(Evidence(target.key, stance, _horizon(clause, lex), sentence, zh, order))
    return out


def story_evidence(story: Story, lex: Lexicon) -> list[Evidence]:
    """Every piece of evidence in the story's articles, in reading order; titles last."""
    out: list[Evidence] = []
    for n, article in enumerate(story.articles[:MAX_ARTICLES]):
        zh = is_chinese(article.lang)
        for pos, sentence in enumerate(article_sentences(article)):
            out.extend(clause_evidence(sentence, zh, (n, pos), lex))
    for n, article in enumerate(story.articles[:MAX_ARTICLES]):
        out.extend(clause_evidence(article.title_norm, is_chinese(article.lang), (n, 10**6), lex))
    return out


def stance_wording(
    stance: Stance, horizon: Horizon | None, kind: str, lex: Lexicon, vocabulary: StanceVocabulary
) -> Text:
    """The words for a stance: the kind's own wording, then the vocabulary's."""
    special = lex.stance_cues.wording.get(kind, {}).get(stance)
    if special is not None:
        return Text(zh=special.zh, en=special.en)
    if horizon is not None:
        for word in vocabulary.stances:
            if word.stance == stance and word.horizon == horizon:
                return Text(zh=word.zh, en=word.en)
    return Text(zh=vocabulary.wording(stance, "zh"), en=vocabulary.wording(stance, "en"))


def find_impacts(story: Story, lex: Lexicon, vocabulary: StanceVocabulary) -> list[Impact]:
    """At most four impacts, one per target, each with its evidence sentence as reason."""
    by_target: dict[str, list[Evidence]] = defaultdict(list)
    for ev in story_evidence(story, lex):
        by_target[ev.target].append(ev)
    impacts: list[tuple[tuple[int, int], Impact]] = []
    for target, evidence in sorted(by_target.items()):
        votes = sum(_POLARITY.get(ev.stance, 0) for ev in evidence)
        if votes == 0:
            continue  # the sources disagree: no tag rather than a guess
        side = [ev for ev in evidence if _POLARITY.get(ev.stance, 0) * votes > 0]
        first = side[0]
        zh_reason = next((ev.sentence for ev in side if ev.zh), "")
        en_reason = next((ev.sentence for ev in side if not ev.zh), "")
        asset = lex.assets[target]
        impacts.append((first.order, Impact(
            target=Text(zh=asset.zh, en=asset.en),
            target_key=asset.key,
            stance=first.stance,
            horizon=first.horizon,
            stance_text=stance_wording(first.stance, first.horizon, asset.kind, lex, vocabulary),
            reason=Text(zh=_reason(zh_reason, True), en=_reason(en_reason, False)),
        )))
    impacts.sort(key=lambda pair: (pair[0], pair[1].target_key or ""))
    return [impact for _, impact in impacts[:MAX_IMPACTS]]


def _reason(sentence: str, zh: bool) -> str:
    if not sentence:
        return ""
    text = trim(sentence, 90 if zh else 240)
    return text.rstrip("。；;.") if not text.endswith("…") else text
