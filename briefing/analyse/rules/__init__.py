"""The offline analyst: key points, impacts and the headline from the story's own text."""

from briefing.analyse.rules.analyst import RulesAnalyst

__all__ = ["RulesAnalyst"]
