"""The hub model's closed vocabularies: languages, stances, horizons.

Plain `Literal` types, kept apart from `briefing.model` so that a module which only
names them (the knowledge files' schemas, which feeds.yaml's `analysis:` block uses)
does not build the model's classes. `briefing.model` re-exports every name here.
"""

from __future__ import annotations

from typing import Literal

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")

# ``volatile`` is 震荡: the market moved both ways (a fall, then a rebound) or the signals
# pull both ways with force; ``neutral`` is 中性: no net effect expected.
Stance = Literal[
    "bullish", "lean_bullish", "neutral", "lean_bearish", "bearish", "hawkish", "dovish",
    "volatile", "none",
]
STANCES: tuple[Stance, ...] = (
    "bullish", "lean_bullish", "neutral", "lean_bearish", "bearish", "hawkish", "dovish",
    "volatile", "none",
)
Horizon = Literal["short", "long"]
SingleLanguage = Literal["list", "inline", "omit"]
