"""The admission verdict: languages, undated entries of stale sources, the rules."""

from __future__ import annotations

import datetime as dt

from briefing.admit import SourceContext, admit
from briefing.article import Article, Parallel

NOW = dt.datetime(2026, 2, 17, 12, 0, tzinfo=dt.UTC)


def _article(title: str = "Mining output rises", *, lang: str = "en", dated: bool = True,
             parallel: Parallel | None = None) -> Article:
    return Article(
        id="a1", source_id="s", source_name="S", url=None, title=title, title_norm=title,
        published=NOW - dt.timedelta(hours=2), lang=lang, text="Output rose 4% in January.",
        text_norm="Output rose 4% in January.", content_hash="h", first_seen=NOW,
        last_seen=NOW, date_inferred=not dated, parallel=parallel,
    )


def _context(*stated: dt.datetime | None, languages: tuple[str, ...] = ("zh", "en")) -> SourceContext:
    return SourceContext.of(stated, NOW, languages)


def test_news_in_a_configured_language_is_admitted() -> None:
    assert admit(_article(), _context(NOW)) is None


def test_other_languages_are_rejected_unless_configured() -> None:
    verdict = admit(_article(lang="pt"), _context(NOW))
    assert verdict is not None and verdict.rule == "language" and "pt" in str(verdict)
    assert admit(_article(lang="pt"), _context(NOW, languages=("en", "pt"))) is None
    # a Chinese-only briefing keeps out English but admits a bilingual item's Chinese half
    zh_only = _context(NOW, languages=("zh",))
    assert admit(_article(), zh_only) is not None
    both = Parallel(lang="zh-Hans", title="矿业产量上升", text="一月产量增长4%。", text_norm="")
    assert admit(_article(parallel=both), zh_only) is None


def test_undated_entries_need_a_live_source() -> None:
    live = _context(NOW - dt.timedelta(days=1), None)
    assert not live.stale and admit(_article(dated=False), live) is None
    stale = _context(dt.datetime(2018, 9, 24, tzinfo=dt.UTC), None)
    verdict = admit(_article(dated=False), stale)
    assert stale.stale and verdict is not None and verdict.rule == "undated"
    assert "2018-09-24" in str(verdict)
    nothing_dated = _context(None, None)
    verdict = admit(_article(dated=False), nothing_dated)
    assert verdict is not None and "states no dates" in str(verdict)
    # dated entries of a stale source are judged by their dates, in the window
    assert admit(_article(dated=True), stale) is None


def test_a_future_date_is_no_evidence_of_life() -> None:
    context = _context(NOW + dt.timedelta(days=30))
    assert context.stale and context.newest is None


def test_rules_apply_after_language() -> None:
    verdict = admit(_article("Podcast: Mining output rises"), _context(NOW))
    assert verdict is not None and verdict.rule == "podcast"
