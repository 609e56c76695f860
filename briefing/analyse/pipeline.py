"""The analysis pipeline: a day's articles → a `Briefing`.

    analyse_day(articles, date, config, clock)            pure: no I/O, no wall clock
        in_window      [D-1 cut-off, D cut-off) in the configured zone
        build_stories  duplicates and reports of one event merged
        apply_history  stories published in the last N days dropped / marked follow-up
        score, classify, allocate   ranked; sections capped; the rest to 更多动态
        analyst        items (rules by default), then title, summary and tags
    build_briefing(config, store, date, clock)            the shell: reads the store, edits

Same articles, config and published briefings → the same Briefing, byte for byte: every
collection is sorted on explicit keys and nothing reads the time of day.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Collection, Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from pydantic import ValidationError

from briefing.analyse.base import Analyst, Story
from briefing.analyse.classify import classify
from briefing.analyse.lexicon import lexicon
from briefing.analyse.rank import rank_key, score_story
from briefing.analyse.rules.analyst import RulesAnalyst
from briefing.analyse.settings import AnalysisSettings
from briefing.analyse.stories.cluster import build_stories
from briefing.analyse.stories.history import apply_history, recent_stories
from briefing.analyse.window import day_window, in_window
from briefing.article import Article
from briefing.errors import AnalysisError, BriefingError
from briefing.knowledge import SectionSpec, default_taxonomy
from briefing.model import Briefing, Item, Section

if TYPE_CHECKING:
    from briefing.config import Config

ALWAYS_FULL = 3  # the day's top stories are full items even when their score is low


class ArticleStore(Protocol):
    """What the pipeline needs of `briefing.store.Store`."""

    def articles_between(self, start: dt.datetime, end: dt.datetime) -> list[Article]: ...

    def load_briefing(self, date: Any) -> str | None: ...

    # the LLM response cache (used only when `llm:` is configured)
    def cache_get(self, key: str) -> str | None: ...

    def cache_put(self, key: str, model: str, value: str) -> None: ...


def taxonomy(settings: AnalysisSettings) -> tuple[SectionSpec, ...]:
    return tuple(settings.sections) if settings.sections else default_taxonomy().sections


def allocate(
    stories: Sequence[Story], sections: tuple[SectionSpec, ...], settings: AnalysisSettings,
    headlines_only: Collection[str] = (),
) -> dict[str, list[tuple[Story, bool]]]:
    """Ranked stories into sections: (story, brief). Caps hold; overflow goes to the brief
    section, and so do the stories in `headlines_only` (see `thin`)."""
    brief_key = next((s.key for s in sections if s.brief), None)
    full_keys = {s.key for s in sections if not s.brief}
    out: dict[str, list[tuple[Story, bool]]] = {s.key: [] for s in sections}
    full_count = 0
    for story in stories:
        section = story.section if story.section in full_keys and story.id not in headlines_only else None
        strong = story.score >= settings.min_item_score or full_count < ALWAYS_FULL
        if section and strong and len(out[section]) < settings.max_items_per_section:
            out[section].append((story, False))
            full_count += 1
        elif brief_key and len(out[brief_key]) < settings.max_brief_items:
            out[brief_key].append((story, True))
    return out


def thin(item: Item) -> bool:
    """A full item with nothing to say beyond its title: no key point and no impact (its
    source gave only a headline or a cut-off lead)."""
    return not item.key_points and not item.impacts


def _write(analyst: Analyst, fallback: RulesAnalyst, story: Story, brief: bool,
           problems: list[str]) -> Item:
    if analyst is fallback:
        return analyst.write_item(story, brief)
    try:
        return analyst.write_item(story, brief)
    except Exception as exc:  # noqa: BLE001 — one story must not sink the day (issue 4 §9)
        problems.append(f"{analyst.name} analyst failed on story {story.id}: "
                        f"{type(exc).__name__}: {exc}; used the rules analyst")
        return fallback.write_item(story, brief)


def analyse_day(
    articles: Iterable[Article],
    date: dt.date,
    config: Config,
    *,
    analyst: Analyst | None = None,
    published: Iterable[Briefing] = (),
    clock: dt.datetime,
) -> Briefing:
    """The briefing of `date` from `articles` (see module docstring). Pure and deterministic."""
    if clock.tzinfo is None:
        raise AnalysisError("analyse_day: clock must be time-zone aware: pass e.g. datetime.now(UTC)")
    settings = config.analysis
    tz = config.settings.timezone
    lex = lexicon()
    start, end = day_window(date, tz, settings.cutoff)
    chosen = in_window(articles, start, end, clock)
    stories = build_stories(chosen, lex, settings.clustering)
    stories = apply_history(stories, recent_stories(published, date, settings.dedupe_days, lex), lex)
    sections = taxonomy(settings)
    stories = [
        replace(s, score=score_story(s, lex, settings.ranking, start, end),
                section=classify(s, lex, sections))
        for s in stories
    ]
    stories.sort(key=rank_key)
    layout = allocate(stories, sections, settings)

    rules = RulesAnalyst(settings, tz, lex)
    writer: Analyst = analyst or rules
    problems: list[str] = []
    written: dict[str, Item] = {}
    out_sections: list[Section] = []
    prepare = getattr(writer, "prepare", None)
    if prepare is not None:  # the LLM analyst asks for many stories at once
        prepare([entry for spec in sections for entry in layout.get(spec.key) or []])
    cache: dict[tuple[str, bool], Item] = {}

    def write(story: Story, brief: bool) -> Item:
        if (story.id, brief) not in cache:
            cache[story.id, brief] = _write(writer, rules, story, brief, problems)
        return cache[story.id, brief]

    # A full item with nothing to say becomes a headline and the next story takes its place;
    # each round only writes stories not written before, so this ends (at most one round per story).
    thin_ids: set[str] = set()
    while True:
        full_items = [write(story, False) for entries in layout.values()
                      for story, brief in entries if not brief]
        new_thin = {item.id for item in full_items if thin(item)} - thin_ids
        if not new_thin:
            break
        thin_ids |= new_thin
        layout = allocate(stories, sections, settings, thin_ids)
    for spec in sections:
        entries = layout.get(spec.key) or []
        if not entries:
            continue  # an empty section is left out (FORMAT.md)
        section = spec.empty_section()
        section.items = [write(story, brief) for story, brief in entries]
        written.update((item.id, item) for item, (_, brief) in zip(section.items, entries, strict=True)
                       if not brief)
        out_sections.append(section)
    top = [written[s.id] for s in stories if s.id in written]
    try:
        headline = writer.write_headline(top)
    except Exception as exc:  # noqa: BLE001 — same rule as items
        if writer is rules:
            raise
        problems.append(f"{writer.name} analyst failed on the headline: {type(exc).__name__}: {exc}")
        headline = rules.write_headline(top)
    config_tags = len(settings.tags)
    content = [t.zh or t.en for t in headline.tags[config_tags:]]
    return Briefing(
        date=date,
        timezone=tz,
        title=headline.title,
        tags=list(headline.tags),
        seo=list(dict.fromkeys([*settings.seo, *content])),
        summary=list(headline.summary),
        sections=out_sections,
        degraded=[*writer.degraded, *problems] if writer is not rules else [],
        single_language=settings.single_language,
        review=list(getattr(writer, "review", [])),
    )


def _published(store: ArticleStore, date: dt.date, days: int) -> list[Briefing]:
    out = []
    for n in range(1, days + 1):
        text = store.load_briefing(date - dt.timedelta(days=n))
        if not text:
            continue
        try:
            out.append(Briefing.from_json(text))
        except ValidationError:
            continue  # a briefing from an older schema cannot dedupe; it is not fatal
    return out


def build_briefing(
    config: Config,
    store: ArticleStore,
    date: dt.date,
    *,
    clock: dt.datetime,
    analyst: Analyst | None = None,
    edits_dir: Path | None = None,
) -> Briefing:
    """Read the window's articles and recent briefings from the store, analyse, apply edits."""
    start, end = day_window(date, config.settings.timezone, config.analysis.cutoff)
    try:
        articles = store.articles_between(start, end)
    except BriefingError:
        raise
    except Exception as exc:
        raise AnalysisError(f"could not read the day's articles: {date}: {exc}") from exc
    published = _published(store, date, config.analysis.dedupe_days)
    if analyst is None and config.llm.configured:
        from briefing.analyse.llm.analyst import make_analyst

        fallback = RulesAnalyst(config.analysis, config.settings.timezone, lexicon())
        analyst = make_analyst(config, store, fallback)  # the store is the LLM response cache
    briefing = analyse_day(articles, date, config, analyst=analyst, published=published, clock=clock)
    edits = (edits_dir or config.resolve("edits")) / f"{date.isoformat()}.yaml"
    if edits.exists():
        try:
            module = importlib.import_module("briefing.analyse.edits")
        except ModuleNotFoundError as exc:
            raise AnalysisError(
                f"editorial overrides exist but cannot be applied: {edits}: {exc}"
            ) from exc
        briefing = module.apply_edits(briefing, edits)
    return briefing
