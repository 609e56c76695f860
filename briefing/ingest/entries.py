"""From a raw entry (what a feed or file parser saw) to a stored `Article`.

`build_article` is pure: the clock comes in as `now`. It cleans the title and text, keeps
sanitised HTML, detects the language, derives the Simplified text for analysis, hashes the
content, and decides the published time: a missing or unparseable one is absent
(`date_inferred`: the article counts at its first-seen time, and the store keeps no
publication time for it), and so is one in the future (a wrong clock or zone).

`build_articles` then asks admission (`briefing.admit`) about each article, knowing the
whole source: an undated entry of a source whose dated entries are old is not admitted.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from briefing.admit import SourceContext, admit_articles, usable_publisher
from briefing.article import Article, Parallel, lang_family
from briefing.ingest.bilingual import split_bilingual
from briefing.ingest.clean import clean_text, clean_title
from briefing.ingest.encoding import string_dump
from briefing.ingest.htmltext import html_to_text, sanitize_html
from briefing.ingest.lang import detect_lang, normalise_for_analysis
from briefing.ingest.publisher import feed_brand
from briefing.ingest.settings import IngestSettings, SourceConfig

# A clock skew allowance: a feed a few minutes ahead is not "in the future".
FUTURE_SLACK = dt.timedelta(minutes=10)


@dataclass(frozen=True)
class RawEntry:
    """One entry as a parser saw it; `key` identifies it within its source."""

    key: str
    title: str
    url: str | None = None
    html: str | None = None
    text: str | None = None
    published: dt.datetime | None = None
    lang: str | None = None
    title_is_html: bool = False
    publisher: str | None = None  # a folder of files holds many publishers: named per file
    categories: tuple[str, ...] = ()  # the feed's category terms (admission reads them)
    feed_title: str | None = None  # the feed's own name: the publisher when none is configured


@dataclass
class ParsedSource:
    """Articles of one source plus the warnings met on the way (logged, not fatal)."""

    articles: list[Article] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    context: SourceContext | None = None  # the source as admission saw it (newest, stale)


def article_id(source_id: str, key: str) -> str:
    return hashlib.sha256(f"{source_id}\0{key}".encode()).hexdigest()[:24]


def content_hash(title: str, text: str) -> str:
    return hashlib.sha256(f"{title}\n{text}".encode()).hexdigest()


def decide_published(
    published: dt.datetime | None, now: dt.datetime
) -> tuple[dt.datetime, bool, str | None]:
    """(time the article counts at, inferred, warning): missing or future → `now`, inferred.

    An inferred time is never stored as a publication time: see the module docstring.
    """
    if published is None:
        return now, True, None
    if published.tzinfo is None:
        raise ValueError("published must be time-zone aware")
    if published > now + FUTURE_SLACK:
        return now, True, f"published time {published.isoformat()} is in the future; ignored"
    return published, False, None


def build_article(
    raw: RawEntry, source: SourceConfig, settings: IngestSettings, now: dt.datetime
) -> tuple[Article | None, list[str]]:
    """The `Article` for `raw`, or None (with a warning) when it has neither title nor text
    or is a program's string dump."""
    warnings: list[str] = []
    if (dump := string_dump(f"{raw.title}\n{raw.html or raw.text or ''}")) is not None:
        return None, [f"entry {raw.key}: refused: {dump}"]
    html = sanitize_html(raw.html, raw.url) if raw.html else None
    body = html_to_text(raw.html) if raw.html else (raw.text or "")
    title_src = html_to_text(raw.title) if raw.title_is_html else raw.title
    hint = raw.lang or source.lang
    split_title, split_body = split_bilingual(title_src), split_bilingual(body)
    if split_title is not None:
        title_src = split_title[0]
    if split_body is not None:
        body = split_body[0]
    text = clean_text(body)
    if len(text) > settings.max_text_chars:
        text = text[: settings.max_text_chars].rstrip()
        warnings.append(f"entry {raw.key}: text truncated to {settings.max_text_chars} characters")
    title = clean_title(title_src, settings.max_title_chars)
    if not title:
        first = next((ln for ln in text.split("\n") if ln.strip()), "")
        title = clean_title(first, 80)
    if not title:
        return None, [f"entry {raw.key}: no title and no text; skipped"]
    lang = detect_lang(f"{title}\n{text}", hint)
    parallel = None
    if split_title is not None or split_body is not None:
        parallel = _parallel(
            split_title[1] if split_title else "", split_body[1] if split_body else "", lang
        )
    title_norm = normalise_for_analysis(title, lang)
    text_norm = normalise_for_analysis(text, lang)
    published, inferred, warning = decide_published(raw.published, now)
    if warning:
        warnings.append(f"entry {raw.key}: {warning}")
    article = Article(
        id=article_id(source.id, raw.key),
        source_id=source.id,
        source_name=_source_name(raw.publisher, source.name, raw.feed_title, source.display_name,
                                 _host(raw.url)),
        url=raw.url,
        title=title,
        title_norm=title_norm,
        published=published,
        lang=lang,
        text=text,
        text_norm=text_norm,
        content_hash=content_hash(title_norm, text_norm),
        first_seen=now,
        last_seen=now,
        html=html or None,
        date_inferred=inferred,
        source_weight=source.weight,
        section_hint=source.section,
        parallel=parallel,
    )
    return article, warnings


def _host(url: str | None) -> str | None:
    try:
        return urlsplit(url).hostname if url else None
    except ValueError:
        return None


@functools.lru_cache(maxsize=1024)
def _source_name(
    file_publisher: str | None, configured: str | None, feed_title: str | None, fallback: str,
    host: str | None = None,
) -> str:
    """A file's own publisher, else the configured name, else the brand the feed's title
    names (read against the entries' `host`: "World - CBSNews.com" is CBSNews.com), else
    the id. The same for every entry of a feed: worked out once (the rules' search included)."""
    titled = usable_publisher(feed_title)
    publisher = (usable_publisher(file_publisher) or configured
                 or (feed_brand(titled, host) if titled else None))
    return clean_title(publisher, 80) if publisher else fallback


def _parallel(original_title: str, original_body: str, main_lang: str) -> Parallel | None:
    """The original half of a bilingual item, when it is in another language family."""
    text = clean_text(original_body)
    title = clean_title(original_title, 500)
    if not title:  # only the body quoted its original: its first line heads it
        first = next((ln for ln in text.split("\n") if ln.strip()), "")
        title = clean_title(first, 120)
    if not title:
        return None
    lang = detect_lang(f"{title}\n{text}")
    if lang_family(lang) == lang_family(main_lang):
        return None
    return Parallel(lang=lang, title=title, text=text, text_norm=normalise_for_analysis(text, lang))


def build_articles(
    raws: list[RawEntry], source: SourceConfig, settings: IngestSettings, now: dt.datetime
) -> ParsedSource:
    """Articles for `raws` in order; duplicate keys keep the first entry (deterministic)."""
    result = ParsedSource()
    seen: set[str] = set()
    categories: list[tuple[str, ...]] = []
    for raw in raws:
        if raw.key in seen:
            result.warnings.append(f"entry {raw.key}: duplicate id; the first one is kept")
            continue
        seen.add(raw.key)
        if len(result.articles) >= settings.max_entries:
            result.warnings.append(f"more than {settings.max_entries} entries; the rest skipped")
            break
        article, warnings = build_article(raw, source, settings, now)
        result.warnings.extend(warnings)
        if article is not None:
            result.articles.append(article)
            categories.append(raw.categories)
    result.articles, context = admit_articles(
        result.articles,
        now=now,
        languages=settings.languages,
        stale_after=dt.timedelta(days=settings.stale_after_days),
        categories=categories,
    )
    result.context = context
    if context.stale and result.articles:
        result.warnings.append(
            f"stale: newest dated entry {context.newest.date().isoformat()}"
            if context.newest
            else "no entry states a publication date"
        )
    return result
