"""Stories already published in the last days: dropped, or kept as a follow-up.

A story was published when one of its articles (by id or canonical URL) is a source of a
recent item, or when its signature tells the same event as one (see `signature.py`): the
same title in one language, or the same actors, action and figures across languages. It
comes back only with new facts — figures its new articles state that the published item
did not — and is then marked `follow_up`.

Each published item is described once, and indexed by its article ids, URLs, actors,
figures and title bigrams (`HistoryIndex`); a story meets only the items that share one
of those keys, so thirty days of history cost about as much as one.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from briefing.analyse.base import Story
from briefing.analyse.lexicon import Lexicon
from briefing.analyse.stories.cluster import (
    article_signature,
    canonical_url,
    make_story,
    story_signature,
)
from briefing.analyse.stories.signature import (
    LEAD_CHARS,
    REACTION,
    Signature,
    contradicts,
    describe,
    merge,
    similarity,
)
from briefing.analyse.text import char_ngrams, has_cjk, jaccard, numbers
from briefing.model import Briefing, Item, Text

SAME_TITLE = 0.5  # title bigram Jaccard that alone says "the same story"
SAME_EVENT = 0.6  # signature similarity that says so, with two shared names
CANDIDATE_GRAMS = 3  # title bigrams a prior must share with a story to be compared
MAX_FRESH = 12  # a story's new reports read for new facts (its first few carry them)
MAX_TITLES = 4  # of those, the titles read for new names and actions
SAME_THREAD = 0.4  # similarity at which two follow-ups of one published item tell one event
KEY_CAP = 40  # an index key naming more items than this (a country, a round figure) says nothing


@dataclass(frozen=True)
class PublishedStory:
    item_id: str
    article_ids: frozenset[str]
    urls: frozenset[str]
    figures: frozenset[str]  # every figure the item stated (new facts are figures beyond these)
    titles: tuple[frozenset[str], frozenset[str]]  # zh, en title bigrams
    signature: Signature
    headline_only: bool = False  # published as a headline (no key points): told, not reported
    title: Text = field(default_factory=Text)  # as published, for the follow-up's "continues …" line
    date: dt.date | None = None  # of the briefing that published it


def _describe(item: Item, lex: Lexicon, date: dt.date | None = None) -> PublishedStory:
    points = " ".join(p.zh + " " + p.en for p in item.key_points)
    text = " ".join([item.title.zh, item.title.en, points]
                    + [i.reason.zh + " " + i.reason.en for i in item.impacts])
    main, other = (item.title.zh, item.title.en) if item.title.zh else (item.title.en, "")
    time = item.time.timestamp() if item.time else 0.0
    return PublishedStory(
        item_id=item.id,
        article_ids=frozenset(s.article_id for s in item.sources if s.article_id),
        urls=frozenset(u for s in item.sources if (u := canonical_url(s.url))),
        figures=frozenset(numbers(text)),
        titles=(frozenset(char_ngrams(item.title.zh, 2)) if item.title.zh else frozenset(),
                frozenset(char_ngrams(item.title.en, 2)) if item.title.en else frozenset()),
        signature=describe(main, points[:LEAD_CHARS], time, lex,
                           extra_titles=[other] if other else []),
        headline_only=not item.key_points,
        title=item.title,
        date=date,
    )


def recent_stories(
    briefings: Iterable[Briefing], date: dt.date, days: int, lex: Lexicon
) -> list[PublishedStory]:
    """The items of briefings dated in the `days` days before `date`."""
    out: list[PublishedStory] = []
    for briefing in sorted(briefings, key=lambda b: b.date):
        if date - dt.timedelta(days=days) <= briefing.date < date:
            out.extend(_describe(item, lex, briefing.date) for item in briefing.items())
    return out


@dataclass
class HistoryIndex:
    """Published items by the keys a repeat would share with them."""

    published: Sequence[PublishedStory]
    exact: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    keys: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    grams: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))

    @classmethod
    def build(cls, published: Sequence[PublishedStory]) -> HistoryIndex:
        index = cls(published)
        for n, prior in enumerate(published):
            for key in (*prior.article_ids, *prior.urls):
                index.exact[key].append(n)
            sig = prior.signature
            for key in (*(f"a:{k}" for k in sig.actors), *(f"n:{f}" for f in sig.figures),
                        *(f"p:{k}" for k in sig.headline & sig.places)):
                index.keys[key].append(n)
            for gram in prior.titles[0] | prior.titles[1]:
                index.grams[gram].append(n)
        return index

    def candidates(self, links: frozenset[str], sig: Signature, grams: set[str],
                   shortest: int = 0) -> list[int]:
        """Items sharing an article, or a rare actor or figure, or enough title bigrams.

        `shortest`: the bigram count of the story's shortest title. A title match needs a
        Jaccard of 0.25, so at least a quarter of that many bigrams must be shared.
        """
        found: set[int] = set()
        for link in links:
            found.update(self.exact.get(link, ()))
        # A precise figure alone, or two actors or places of a title, make a plausible
        # match (one actor does not: a company is in the news every day).
        shared: Counter[int] = Counter()
        for key in (*(f"a:{k}" for k in sig.actors), *(f"n:{f}" for f in sig.figures),
                    *(f"p:{k}" for k in sig.headline & sig.places)):
            hits = self.keys.get(key, ())
            if len(hits) <= KEY_CAP:
                shared.update(dict.fromkeys(hits, 2 if key.startswith("n:") else 1))
        found.update(n for n, c in shared.items() if c >= 2)
        counts: Counter[int] = Counter()
        for gram in grams:
            hits = self.grams.get(gram, ())
            if len(hits) <= KEY_CAP:
                counts.update(hits)
        need = max(CANDIDATE_GRAMS, math.ceil(0.25 * shortest))
        found.update(n for n, c in counts.items() if c >= need)
        return sorted(found)


def _links(story: Story) -> frozenset[str]:
    """The story's article ids and canonical URLs (what a published item's sources name)."""
    return frozenset([a.id for a in story.articles]
                     + [u for a in story.articles if (u := canonical_url(a.url))])


def _same(links: frozenset[str], sig: Signature, title_grams: list[tuple[int, set[str]]],
          prior: PublishedStory, geography: frozenset[str]) -> bool:
    if not links.isdisjoint(prior.article_ids) or not links.isdisjoint(prior.urls):
        return True
    other = prior.signature
    # Each title against the item's title in its own language (0 zh, 1 en).
    best_title = max((jaccard(g, prior.titles[lang]) for lang, g in title_grams if prior.titles[lang]),
                     default=0.0)
    if contradicts(sig, other, best_title):
        return False  # other parties, places or figures: another event, however alike
    if best_title >= SAME_TITLE:
        return True
    if _elsewhere(sig, other, geography):
        return False  # set among other countries: however much else the two share
    actors = len(sig.actors & other.actors)
    named = actors + len(sig.places & other.places)
    # Two names and a title alike make one story, unless the names are only places and
    # both reports tell an act, of different kinds: cucumber prices soaring in wartime
    # Russia do not continue the Russia–Ukraine talks, however many letter pairs the two
    # English titles share (a quarter is what unrelated ones share).
    different_acts = bool(sig.families and other.families and not sig.families & other.families)
    if named >= 2 and best_title >= 0.25 and (actors or not different_acts):
        return True
    # One name or none in common: the event's own evidence must say so (figures, action).
    if named == 0 and not sig.figures & other.figures:
        return False
    return similarity(sig, other, {}) >= SAME_EVENT


def _elsewhere(sig: Signature, prior: Signature, geography: frozenset[str]) -> bool:
    """Two places or more (`geography`: the lexicon's places, not its topics) that the
    story's titles name and the published item never does: the story is set among other
    countries. Russian and Ukrainian officials meeting in Geneva for US-brokered talks
    share Geneva, the US, talks and a quarter of their title's letter pairs with Iran's
    Geneva talks of the day before (a signature similarity of 0.8, an analysis of both
    talks being one of the story's reports), but not the story."""
    return len((sig.headline & sig.places & geography) - prior.places) >= 2


def _new_facts(story: Story, priors: list[PublishedStory], lex: Lexicon) -> bool:
    """What came since the items that told the story: figures none of them stated, a title
    naming someone or something done that none did ("…JD Vance after Geneva talks" after
    "Iran meets the UN watchdog ahead of talks"), or — when they were only headlines —
    reports from two sources or more, which now tell the story in full."""
    told = frozenset().union(*(p.article_ids for p in priors))
    fresh = [a for a in story.articles if a.id not in told][:MAX_FRESH]
    if all(p.headline_only for p in priors) and len({a.source_id for a in fresh}) >= 2:
        return True
    known = frozenset().union(*(p.signature.named() | p.signature.headline for p in priors))
    done = frozenset().union(*(p.signature.families for p in priors)) | {REACTION}
    for a in fresh[:MAX_TITLES]:
        sig = article_signature(a, lex)
        if (sig.actors & sig.headline) - known or sig.families - done:
            return True
    figures: set[str] = set()
    for a in fresh:
        figures |= numbers(a.title_norm + "\n" + a.text_norm[:LEAD_CHARS])
    return bool(figures - frozenset().union(*(p.figures for p in priors)))


def apply_history(stories: list[Story], published: list[PublishedStory], lex: Lexicon) -> list[Story]:
    """Stories minus those already published; republished ones with new facts marked."""
    if not published:
        return stories
    index = HistoryIndex.build(published)
    geography = frozenset(k for k, e in lex.entities.items() if e.kind == "place")
    out = []
    threads: dict[str, _Thread] = {}
    for story in stories:
        sig = story.signature if story.signature is not None else story_signature(story, lex)
        title_grams = [(0 if has_cjk(a.title_norm) else 1, char_ngrams(a.title_norm, 2))
                       for a in story.articles[:4]]
        grams = set().union(*(g for _, g in title_grams))
        links = _links(story)
        shortest = min((len(g) for _, g in title_grams), default=0)
        # published is in date order: new facts are what came since every item that told
        # the story, and the follow-up names the latest one it continues
        found = [n for n in index.candidates(links, sig, grams, shortest)
                 if _same(links, sig, title_grams, published[n], geography)]
        matches = [published[n] for n in found]
        if not matches:
            out.append(story)
        elif _new_facts(story, matches, lex):
            last = matches[-1]
            earlier = (last.title, last.date) if last.date is not None and last.title else None
            out.append(replace(story, follow_up=True, prior=earlier))
            threads[story.id] = _Thread(frozenset(found), found[-1], sig)
    return _one_item_per_thread(out, threads, lex)


@dataclass(frozen=True)
class _Thread:
    """What a follow-up continues: the published items (their positions in `published`,
    which is in date order), the latest of them, and the follow-up's signature."""

    items: frozenset[int]
    latest: int
    signature: Signature

    def joins(self, other: _Thread) -> bool:
        """Continues an item `other` does, and tells the same event closely enough."""
        return bool(self.items & other.items) and similarity(self.signature, other.signature, {}) >= SAME_THREAD


def _one_item_per_thread(stories: list[Story], threads: dict[str, _Thread], lex: Lexicon) -> list[Story]:
    """Follow-ups of the same published item that tell one event, as one story.

    Clustering keeps apart two reports of a running story when each tells its own turn
    ("Iran closed the Strait of Hormuz as it held talks with the US", "Iran has not agreed
    to all of Trump's red lines, Vance says after the talks"): similar, but under the bar
    for one event. That both continue yesterday's item is the evidence the day lacked, so a
    reader meets the story once, with both turns in it."""
    out: list[Story] = []
    for story in stories:
        thread = threads.get(story.id)
        into = None if thread is None else next(
            (i for i, kept in enumerate(out) if kept.id in threads and threads[kept.id].joins(thread)), None)
        if thread is None or into is None:  # not a follow-up, or the first of its thread
            out.append(story)
            continue
        kept = out[into]
        both = threads[kept.id]
        later = kept if both.latest >= thread.latest else story
        signature = merge([both.signature, thread.signature])
        joined = make_story([*kept.articles, *story.articles], lex, signature)
        # each turn's own lead comes right after the story's, so the key points (read from
        # a story's first reports) tell both turns
        leads = [a for a in (kept.lead, story.lead) if a.id != joined.lead.id]
        lead_ids = {a.id for a in leads}
        rest = [a for a in joined.articles[1:] if a.id not in lead_ids]
        out[into] = replace(joined, articles=(joined.lead, *leads, *rest), follow_up=True, prior=later.prior)
        threads[joined.id] = _Thread(both.items | thread.items, max(both.latest, thread.latest), signature)
    return out
