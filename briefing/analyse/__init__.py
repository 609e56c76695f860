"""The analyse stage: a day's articles → a `Briefing` (see `briefing.analyse.pipeline`).

The public names are loaded on first use: `briefing.config` imports this package's
settings modules, and importing the whole pipeline then would be circular and slow.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from briefing.analyse.base import Analyst, Headline, Story
    from briefing.analyse.pipeline import analyse_day, build_briefing
    from briefing.analyse.rules.analyst import RulesAnalyst
    from briefing.analyse.window import day_window

_EXPORTS = {
    "Analyst": "briefing.analyse.base",
    "Headline": "briefing.analyse.base",
    "Story": "briefing.analyse.base",
    "analyse_day": "briefing.analyse.pipeline",
    "build_briefing": "briefing.analyse.pipeline",
    "RulesAnalyst": "briefing.analyse.rules.analyst",
    "day_window": "briefing.analyse.window",
}

__all__ = [
    "Analyst",
    "Headline",
    "RulesAnalyst",
    "Story",
    "analyse_day",
    "build_briefing",
    "day_window",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'briefing.analyse' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
