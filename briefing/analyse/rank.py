"""How important a story is: sources, their weight, recency and market-moving cues.

    score = sources·ln(1 + independent sources) + source_weight·best weight
          + recency·(position in the window) + market·min(moves, 3)/3
          + policy·min(decisions, 2)/2 + entities·min(named entities in the title, 4)

The weights are configuration (`analysis.ranking`). Recency is measured against the
window, never against the wall clock, so a rebuild ranks the same way.
"""

from __future__ import annotations

import datetime as dt
import math
import re

from briefing.analyse.base import Story
from briefing.analyse.lexicon import Lexicon
from briefing.analyse.settings import RankingWeights

_PERCENT = re.compile(r"\d(?:\.\d+)?\s*(?:%|％|个百分点|个基点|基点|bp\b|percent)", re.I)
_DECISION = re.compile(
    r"宣布|决定|批准|通过|签署|公布|发布|降息|加息|制裁|禁令|出口管制|关税|上调|下调|"
    r"announce[sd]?|approve[sd]?|decide[sd]?|signed|sanction|ban|tariff|raise[sd]?|cut",
    re.I,
)
OPENING_CHARS = 400


def market_signals(story: Story, lex: Lexicon) -> tuple[int, int]:
    """(price moves and percentages, policy decisions) in the lead's title and opening."""
    lead = story.lead
    opening = lead.title_norm + "\n" + lead.text_norm[:OPENING_CHARS]
    moves = len(_PERCENT.findall(opening))
    if next(lex.asset_matcher.finditer(opening), None) is not None:
        moves += sum(1 for _ in lex.cue_matcher.finditer(opening))
    decisions = len(_DECISION.findall(opening))
    return moves, decisions


def score_story(
    story: Story, lex: Lexicon, weights: RankingWeights, start: dt.datetime, end: dt.datetime
) -> float:
    sources = len({a.source_name for a in story.articles})  # publishers: a folder holds many
    best_weight = max(a.source_weight for a in story.articles)
    span = max((end - start).total_seconds(), 1.0)
    latest = max(a.published for a in story.articles)
    recency = min(max((latest - start).total_seconds() / span, 0.0), 1.0)
    moves, decisions = market_signals(story, lex)
    named = len(lex.entity_matcher.keys(story.lead.title_norm))
    score = (
        weights.sources * math.log1p(sources)
        + weights.source_weight * best_weight
        + weights.recency * recency
        + weights.market * min(moves, 3) / 3
        + weights.policy * min(decisions, 2) / 2
        + weights.entities * min(named, 4)
    )
    return round(score, 6)  # rounded so float noise never reorders equal stories


def rank_key(story: Story) -> tuple[float, float, str]:
    """Sort key: higher score first, then earlier, then id."""
    return (-story.score, story.time.timestamp(), story.id)
