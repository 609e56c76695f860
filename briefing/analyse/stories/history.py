"""Stories already published in the last days: dropped, or kept as a follow-up.

A story was published when one of its articles (by id or canonical URL) is a source of a
recent item, or when its title and names match one. It comes back only with new facts —
figures its new articles state that the published item did not — and is then marked
`follow_up`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, replace

from briefing.analyse.base import Story
from briefing.analyse.lexicon import Lexicon
from briefing.analyse.stories.cluster import LEAD_CHARS, canonical_url
from briefing.analyse.text import char_ngrams, jaccard, numbers
from briefing.model import Briefing, Item


@dataclass(frozen=True)
class PublishedStory:
    item_id: str
    article_ids: frozenset[str]
    urls: frozenset[str]
    entities: frozenset[str]
    figures: frozenset[str]
    titles: tuple[frozenset[str], frozenset[str]]  # zh, en title bigrams


def _describe(item: Item, lex: Lexicon) -> PublishedStory:
    text = " ".join(
        [item.title.zh, item.title.en]
        + [p.zh + " " + p.en for p in item.key_points]
        + [i.reason.zh + " " + i.reason.en for i in item.impacts]
    )
    return PublishedStory(
        item_id=item.id,
        article_ids=frozenset(s.article_id for s in item.sources if s.article_id),
        urls=frozenset(u for s in item.sources if (u := canonical_url(s.url))),
        entities=frozenset(lex.entity_matcher.keys(item.title.zh + " " + item.title.en)),
        figures=frozenset(numbers(text)),
        titles=(frozenset(char_ngrams(item.title.zh, 2)) if item.title.zh else frozenset(),
                frozenset(char_ngrams(item.title.en, 2)) if item.title.en else frozenset()),
    )


def recent_stories(
    briefings: Iterable[Briefing], date: dt.date, days: int, lex: Lexicon
) -> list[PublishedStory]:
    """The items of briefings dated in the `days` days before `date`."""
    out: list[PublishedStory] = []
    for briefing in sorted(briefings, key=lambda b: b.date):
        if date - dt.timedelta(days=days) <= briefing.date < date:
            out.extend(_describe(item, lex) for item in briefing.items())
    return out


def _same(story: Story, prior: PublishedStory, lex: Lexicon) -> bool:
    if any(a.id in prior.article_ids or canonical_url(a.url) in prior.urls for a in story.articles):
        return True
    entities = {k for a in story.articles for k in lex.entity_matcher.keys(a.title_norm)}
    named = {k for k in entities & prior.entities if lex.entities[k].kind != "place"}
    best_title = 0.0
    for a in story.articles:
        grams = char_ngrams(a.title_norm, 2)
        best_title = max(best_title, jaccard(grams, set(prior.titles[0])), jaccard(grams, set(prior.titles[1])))
    return best_title >= 0.5 or (len(named) >= 2 and best_title >= 0.25)


def _new_facts(story: Story, prior: PublishedStory) -> bool:
    fresh = [a for a in story.articles if a.id not in prior.article_ids]
    figures: set[str] = set()
    for a in fresh:
        figures |= numbers(a.title_norm + "\n" + a.text_norm[:LEAD_CHARS])
    return bool(figures - prior.figures)


def apply_history(stories: list[Story], published: list[PublishedStory], lex: Lexicon) -> list[Story]:
    """Stories minus those already published; republished ones with new facts marked."""
    if not published:
        return stories
    out = []
    for story in stories:
        prior = next((p for p in published if _same(story, p, lex)), None)
        if prior is None:
            out.append(story)
        elif _new_facts(story, prior):
            out.append(replace(story, follow_up=True))
    return out
