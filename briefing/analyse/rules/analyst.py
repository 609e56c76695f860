"""The rules analyst: offline, deterministic, never invents.

Titles and key points come from the story's own articles; impacts and the
interpretation (深度解读 & 洞察) from the reasoner (`briefing.analyse.reasoner`), whose
every tag and line names the rule or the source fact behind it.
"""

from __future__ import annotations

import datetime as dt
import re

from briefing.analyse.base import Headline, Story
from briefing.analyse.lexicon import Lexicon, lexicon
from briefing.analyse.reasoner import find_impacts, read_story
from briefing.analyse.reasoner.interpret import interpret
from briefing.analyse.reasoner.knowledge import event_book
from briefing.analyse.rules.headline import write_headline
from briefing.analyse.rules.keypoints import article_sentences, key_points
from briefing.analyse.settings import AnalysisSettings
from briefing.analyse.text import clean_title, cut_title_stem, has_cjk, is_chinese, trim
from briefing.analyse.window import zone
from briefing.article import Article
from briefing.knowledge import stance_vocabulary
from briefing.model import Item, Source, Text

# The longest first sentence that may stand in for a title cut from it.
_TITLE_FROM_SENTENCE = {True: 60, False: 140}


def article_title(article: Article) -> str:
    """The article's title cleaned; a title without words (---) falls back to the first
    sentence, and a title cut short from the first sentence ("Why AI writing is…") is that
    sentence when it is short enough to be a title."""
    title = clean_title(article.title_norm) if article.title_norm else ""
    if re.search(r"\w", title):
        stem = cut_title_stem(title)
        first = next(iter(article_sentences(article)), "") if stem else ""
        if stem and first.casefold().startswith(stem) and len(first) <= _TITLE_FROM_SENTENCE[has_cjk(first)]:
            return first.rstrip("。.")
        return title
    first = next(iter(article_sentences(article)), "")
    return trim(first, 40).rstrip("。.") if first else ""


def story_title(story: Story) -> Text:
    """The lead's title in its language; the first title in the other language if any."""
    zh = next((t for a in story.articles if is_chinese(a.lang) and (t := article_title(a))), "")
    en = next((t for a in story.articles if not is_chinese(a.lang) and (t := article_title(a))), "")
    # A bilingual item's parallel text gives the title a story lacks in one language.
    for a in story.articles:
        other = a.parallel
        if other is not None and other.title and not (zh if is_chinese(other.lang) else en):
            if is_chinese(other.lang):
                zh = clean_title(other.title)
            else:
                en = clean_title(other.title)
    return Text(zh=zh, en=en)


def story_sources(story: Story) -> list[Source]:
    return [
        Source(
            name=a.source_name,
            url=a.url,
            title=a.title,
            published=a.published,
            article_id=a.id,
            lang=a.lang,
        )
        for a in story.articles
    ]


class RulesAnalyst:
    """Writes items from the text alone (see module docstring)."""

    name = "rules"

    def __init__(
        self,
        settings: AnalysisSettings | None = None,
        timezone: str = "Asia/Shanghai",
        lex: Lexicon | None = None,
    ) -> None:
        self.settings = settings or AnalysisSettings()
        self.tz = zone(timezone)
        self.lex = lex or lexicon()
        self.vocabulary = stance_vocabulary()
        self.book = event_book()
        self.seen_points: dict[str, list[set[str]]] = {"zh": [], "en": []}  # the day's points so far

    @property
    def degraded(self) -> list[str]:
        return []  # nothing to fall back from

    def local_time(self, when: dt.datetime) -> dt.datetime:
        return when.astimezone(self.tz)

    def write_item(self, story: Story, brief: bool) -> Item:
        item = Item(
            id=story.id,
            title=story_title(story),
            url=story.lead.url,
            time=self.local_time(story.time),
            sources=story_sources(story),
            follow_up=story.follow_up,
        )
        if brief:
            return item
        item.key_points = key_points(story, self.lex, self.settings.max_key_points, self.seen_points)
        analysis = read_story(story, self.lex, self.book)
        item.impacts = find_impacts(analysis, self.lex, self.vocabulary)
        insights = interpret(story, analysis, item.impacts, self.book)
        item.insights = [i.text for i in insights]
        item.insight_basis = [i.basis for i in insights]
        return item

    def write_headline(self, items: list[Item]) -> Headline:
        return write_headline(items, self.settings, self.lex)
