"""The offline market-impact reasoner: impact tags and an interpretation, each traceable.

    story ─▶ read every sentence (detect)        moves reported, event rules fired
          ─▶ signals per asset → verdicts (impacts)  tag: target, stance, horizon, reason,
                                                       rule id, evidence sentence
          ─▶ insights (interpret)                 causal chain from the rules that fired,
                                                  story context, magnitudes, what to watch

Knowledge lives in `briefing/data/events.yaml` (events → assets), `assets.yaml` and
`stance_cues.yaml`; nothing here is specific to one event. The LLM analyst's tags are
checked against the same rules (`check.contradictions`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from briefing.analyse.base import Story
from briefing.analyse.lexicon import Lexicon
from briefing.analyse.reasoner.detect import Reading, read_sentence
from briefing.analyse.reasoner.impacts import (
    MAX_IMPACTS,
    Signal,
    Verdict,
    distinct_reasons,
    home_market,
    move_signals,
    rule_signals,
    story_sector,
    to_impact,
    verdicts,
)
from briefing.analyse.reasoner.knowledge import EventBook, event_book
from briefing.analyse.text import clean_title, is_chinese
from briefing.knowledge import StanceVocabulary
from briefing.model import Impact

MAX_ARTICLES = 10  # the evidence of a big story is in its first reports
MIN_TAGS = 2
TITLE = 10**6  # a title's position: after the body's sentences in reading order


@dataclass(frozen=True)
class Analysis:
    """Everything the reasoner concluded about one story."""

    readings: tuple[tuple[tuple[int, int], Reading], ...]
    signals: tuple[Signal, ...]
    verdicts: tuple[Verdict, ...]
    sector: str | None


def read_story(story: Story, lex: Lexicon, book: EventBook | None = None) -> Analysis:
    """Read the story's first articles sentence by sentence and weigh what they say."""
    # imported here: the rules analyst imports this package, and keypoints sits beside it
    from briefing.analyse.rules.keypoints import article_sentences  # cached per article

    book = book or event_book()
    sector = story_sector(story, book, MAX_ARTICLES)
    readings: list[tuple[tuple[int, int], Reading]] = []
    for n, article in enumerate(story.articles[:MAX_ARTICLES]):
        zh = is_chinese(article.lang)
        title = clean_title(article.title_norm) if article.title_norm else ""
        for pos, sentence in enumerate(article_sentences(article)):
            readings.append(((n, pos), read_sentence(sentence, zh, title, lex, book)))
        if title:
            readings.append(((n, TITLE), read_sentence(title, zh, title, lex, book)))
    readings = _best_directions(readings)
    home = home_market((a.title_norm for a in story.articles[:MAX_ARTICLES]), lex)
    signals: list[Signal] = []
    for order, reading in readings:
        signals.extend(move_signals(reading, order, lex, home))
        signals.extend(rule_signals(reading, order, sector, book))
    return Analysis(tuple(readings), tuple(signals), tuple(verdicts(signals)), sector)


def _best_directions(readings: list[tuple[tuple[int, int], Reading]]
                     ) -> list[tuple[tuple[int, int], Reading]]:
    """Across the story, a figure read against the forecast outranks one read from its raw
    sign: "added 22,000 jobs" in one report does not contradict "far below the forecast
    of 48,000" in another."""
    best: dict[str, int] = {}
    for _, reading in readings:
        for fired in reading.fired:
            best[fired.event] = max(best.get(fired.event, 0), fired.rank)
    ways: dict[str, set[str]] = {}
    for _, reading in readings:
        for fired in reading.fired:
            if fired.rank == best[fired.event]:
                ways.setdefault(fired.event, set()).add(fired.outcome)
    out = []
    for order, reading in readings:
        kept = tuple(f for f in reading.fired
                     if f.rank == best[f.event] or f.outcome in ways[f.event])
        out.append((order, replace(reading, fired=kept) if kept != reading.fired else reading))
    return out


def find_impacts(analysis: Analysis, lex: Lexicon, vocabulary: StanceVocabulary,
                 limit: int = MAX_IMPACTS) -> list[Impact]:
    """The story's impact tags, strongest first, at most `limit`, reasons all distinct.

    Targets only secondary rules name fill in when the story has fewer than two others."""
    major = [v for v in analysis.verdicts if not v.minor][:limit]
    minor = [v for v in analysis.verdicts if v.minor][: max(0, MIN_TAGS - len(major))]
    impacts = [to_impact(v, lex, vocabulary) for v in (*major, *minor)]
    return distinct_reasons(impacts)


__all__ = ["Analysis", "find_impacts", "read_story"]
