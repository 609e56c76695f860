"""Key points: the sentences of a story's own articles that carry its facts.

A sentence is a candidate when it is of a sensible length and not boilerplate; it scores
for figures, known names, decisions and an early position. The best few are taken,
near-repeats across sources dropped, and each trimmed at a clause boundary. Chinese
points come from Chinese articles and English points from English ones (no machine
translation offline); the two lists are paired position by position into `Text`s so that
each edition reads its own language first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from briefing.analyse.base import Story
from briefing.analyse.lexicon import Lexicon
from briefing.analyse.text import (
    char_ngrams,
    clean_body,
    is_chinese,
    jaccard,
    numbers,
    split_sentences,
    trim,
)
from briefing.article import Article
from briefing.model import Text

ZH_LIMIT = 90
MAX_ARTICLES = 6  # per language
EN_LIMIT = 240
_DECISION = re.compile(
    r"宣布|决定|批准|同意|签署|通过|公布|发布|表示|称|指出|强调|将|达成|举行|会见|会晤|通电话|上调|下调|"
    r"\b(?:announced|approved|agreed|signed|said|says|will|decided|held|reported|plans?|raised|cut)\b",
    re.I,
)
# Opinion, rhetoric and asides are not facts (kept general: phrases, not sentences).
_OPINION = re.compile(
    r"可以说|恐怕|好尴尬|我们认为|笔者|小编|不得不说|众所周知|毫无疑问|真正实现了|值得一提的是|"
    r"^(?:其次|最后|此外|另外|同时)[，,]|[?？]$|\bI think\b|\bwe believe\b",
    re.I,
)
_ATTRIBUTION = re.compile(r"^(?:据[^，,。]{1,20}(?:报道|消息|称|显示)|另据[^，,。]{1,20})[，,]\s*")
# Datelines: 财联社2月5日讯， / 新华社北京2月4日电 / （中央社记者综合外电报导） / BEIJING, Feb 4 (Reuters) -
_DATELINE = re.compile(
    r"^(?:[^，,。\s]{0,12}\d{1,2}月\d{1,2}日(?:电|讯|消息)[，,]?"
    r"|[（(][^）)]{2,20}(?:报导|报道|电)[）)]"
    r"|[A-Z][A-Z/ .]+,?\s+(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}\s+)?\([A-Za-z ]+\)\s*[-–—]\s*)"
)


@dataclass(frozen=True)
class Sentence:
    """A sentence of an article with where it stands."""

    text: str
    article: int  # position of the article in the story
    position: int  # position of the sentence in the article
    lang: str


@lru_cache(maxsize=4096)
def article_sentences(article: Article) -> tuple[str, ...]:
    """The cleaned sentences of an article (cached: the analyst reads each article twice)."""
    return tuple(split_sentences(clean_body(article.text_norm), article.lang))


def _acceptable(text: str, zh: bool) -> bool:
    if zh:
        return 12 <= len(text) <= 400
    return 40 <= len(text) <= 1000 and len(text.split()) >= 7


def _score(s: Sentence, lex: Lexicon) -> float:
    text = s.text
    score = 1.0 / (1.0 + 0.15 * s.position)  # openings state the facts
    if numbers(text):
        score += 1.0
    score += 0.4 * min(len(lex.entity_matcher.keys(text)), 3)
    if _DECISION.search(text):
        score += 0.5
    if next(lex.asset_matcher.finditer(text), None) is not None:
        score += 0.3
    if _OPINION.search(text):
        score -= 1.5
    if s.article == 0:
        score += 0.3
    return score


def _tidy(text: str, zh: bool) -> str:
    text = _ATTRIBUTION.sub("", _DATELINE.sub("", text.strip()).strip())
    text = trim(text, ZH_LIMIT if zh else EN_LIMIT)
    return text.rstrip("。；;.") if not text.endswith("…") else text


def _pick(sentences: list[Sentence], lex: Lexicon, limit: int, zh: bool) -> list[str]:
    scored = sorted(sentences, key=lambda s: (-_score(s, lex), s.article, s.position))
    chosen: list[tuple[Sentence, str, set[str]]] = []
    for s in scored:
        if len(chosen) >= limit:
            break
        tidy = _tidy(s.text, zh)
        grams = char_ngrams(tidy, 2)
        if any(jaccard(grams, g) >= 0.45 or tidy in t or t.rstrip("…") in tidy for _, t, g in chosen):
            continue  # the same fact from another source
        chosen.append((s, tidy, grams))
    chosen.sort(key=lambda c: (c[0].article, c[0].position))
    return [t for _, t, _ in chosen]


def language_points(story: Story, lex: Lexicon, limit: int, zh: bool) -> list[str]:
    """Key points in one language, from the story's articles in that language."""
    pool: list[Sentence] = []
    # A big story's first few reports in a language carry its facts; reading all of a
    # 500-report story would cost quadratic time for nothing.
    chosen = [(n, a) for n, a in enumerate(story.articles) if is_chinese(a.lang) == zh]
    for n, article in chosen[:MAX_ARTICLES]:
        title_grams = char_ngrams(article.title_norm, 2)
        for pos, text in enumerate(article_sentences(article)):
            if not _acceptable(text, zh):
                continue
            if jaccard(char_ngrams(text, 2), title_grams) > 0.8:
                continue  # the title repeated as a line adds nothing
            pool.append(Sentence(text, n, pos, article.lang))
    return _pick(pool, lex, limit, zh)


def key_points(story: Story, lex: Lexicon, limit: int) -> list[Text]:
    """2–`limit` key points, Chinese and English lists paired position by position."""
    zh = language_points(story, lex, limit, zh=True)
    en = language_points(story, lex, limit, zh=False)
    return [
        Text(zh=zh[i] if i < len(zh) else "", en=en[i] if i < len(en) else "")
        for i in range(max(len(zh), len(en)))
    ]
