"""The admission verdict of one article: language, not-news rules, and undated entries.

    context = SourceContext.of(stated_times, now, languages, stale_after)
    admit(article, context, categories)   -> Rejection | None
    admit_articles(articles, now=...)     -> (articles with verdicts, context)

Pure: the clock comes in through `SourceContext.of`. A source is *live* when its newest
stated publication time is recent; only a live source's undated entries may enter a day
(and then only the day they were first seen, which the store's window sees to).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from briefing.admit.classify import Rejection, not_news
from briefing.admit.rules import Rules
from briefing.article import Article, lang_family

DEFAULT_STALE_AFTER = dt.timedelta(days=14)


@dataclass(frozen=True)
class SourceContext:
    """What admission knows about the source an article came from."""

    languages: frozenset[str]  # language families that may enter: {"zh", "en"}
    newest: dt.datetime | None  # the newest stated publication time of its entries
    stale: bool  # the newest stated time is older than the stale limit (or there is none)

    @classmethod
    def of(
        cls,
        stated: Iterable[dt.datetime | None],
        now: dt.datetime,
        languages: Iterable[str] = ("zh", "en"),
        stale_after: dt.timedelta = DEFAULT_STALE_AFTER,
    ) -> SourceContext:
        # a time in the future is not evidence of life: it is a wrong clock or zone
        times = [t for t in stated if t is not None and t <= now + dt.timedelta(minutes=10)]
        newest = max(times, default=None)
        stale = newest is None or now - newest > stale_after
        return cls(frozenset(lang_family(x) for x in languages), newest, stale)


def _language(article: Article, allowed: frozenset[str]) -> Rejection | None:
    family = lang_family(article.lang)
    if family in allowed:
        return None
    if article.parallel is not None and lang_family(article.parallel.lang) in allowed:
        return None
    wanted = ", ".join(sorted(allowed))
    return Rejection("language", f"written in {article.lang}, not in settings.languages ({wanted})")


def _undated(article: Article, context: SourceContext) -> Rejection | None:
    if not article.date_inferred or not context.stale:
        return None
    if context.newest is None:
        why = "its source states no dates, so it is not shown to be live"
    else:
        why = f"its source is stale (newest dated entry {context.newest.date().isoformat()})"
    return Rejection("undated", f"no publication date, and {why}")


def admit(
    article: Article,
    context: SourceContext,
    categories: Iterable[str] = (),
    *,
    rules: Rules | None = None,
) -> Rejection | None:
    """None when `article` may enter a briefing, else the first reason it may not."""
    return (
        _language(article, context.languages)
        or not_news(article.title, article.text, categories, rules=rules)
        or _undated(article, context)
    )


def admit_articles(
    articles: Sequence[Article],
    *,
    now: dt.datetime | None = None,
    languages: Iterable[str] = ("zh", "en"),
    stale_after: dt.timedelta = DEFAULT_STALE_AFTER,
    categories: Sequence[Iterable[str]] | None = None,
    rules: Rules | None = None,
) -> tuple[list[Article], SourceContext]:
    """One source's articles with their verdicts set (`Article.rejected`), and the context.

    `now` defaults to the latest first-seen time among them (the fetch's clock);
    `categories[i]` are the feed categories of `articles[i]`.
    """
    if not articles:
        return [], SourceContext(frozenset(lang_family(x) for x in languages), None, True)
    now = now or max(a.first_seen for a in articles)
    context = SourceContext.of((a.stated_published for a in articles), now, languages, stale_after)
    cats: Sequence[Iterable[str]] = categories or [()] * len(articles)
    out = []
    for article, its in zip(articles, cats, strict=True):
        verdict = admit(article, context, its, rules=rules)
        rejected = str(verdict) if verdict is not None else None
        out.append(article if article.rejected == rejected else replace(article, rejected=rejected))
    return out, context
