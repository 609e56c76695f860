"""Which section of the taxonomy a story belongs to, from cues in the knowledge files."""

from __future__ import annotations

from collections import defaultdict

from briefing.analyse.base import Story
from briefing.analyse.lexicon import Lexicon
from briefing.knowledge import SectionSpec

TITLE_WEIGHT = 3.0
OPENING_CHARS = 300
ENTITY_WEIGHT = 0.5
SOURCE_HINT_WEIGHT = 2.0


def section_scores(story: Story, lex: Lexicon) -> dict[str, float]:
    """Evidence for each section: cues in titles (×3) and openings, entity and source hints."""
    scores: dict[str, float] = defaultdict(float)
    for n, article in enumerate(story.articles[:5]):
        share = 1.0 if n == 0 else 0.5  # the lead counts most; other reports confirm
        for m in lex.section_matcher.finditer(article.title_norm):
            scores[m.key] += TITLE_WEIGHT * share
        for m in lex.section_matcher.finditer(article.text_norm[:OPENING_CHARS]):
            scores[m.key] += share
        for key in lex.entity_matcher.keys(article.title_norm):
            hint = lex.entities[key].section
            if hint:
                scores[hint] += ENTITY_WEIGHT * share
        if article.section_hint:
            scores[article.section_hint] += SOURCE_HINT_WEIGHT * share
    return scores


def classify(story: Story, lex: Lexicon, taxonomy: tuple[SectionSpec, ...]) -> str:
    """The section key with the most evidence; ties go to the earlier section; none → brief."""
    keys = [s.key for s in taxonomy if not s.brief]
    brief = next((s.key for s in taxonomy if s.brief), keys[-1] if keys else "more")
    scores = section_scores(story, lex)
    best = max(keys, key=lambda k: (scores.get(k, 0.0), -keys.index(k)), default=brief)
    return best if scores.get(best, 0.0) > 0 else brief
