"""Key points: the sentences of a story's own articles that carry its facts.

A sentence is a candidate when it is of a sensible length, whole (its brackets and quotes
closed) and not boilerplate (bylines, captions, related-link lines: admission's rules in
data/admission.yaml, one list for ingestion and key points); it scores for figures,
known names, decisions and an early position. The best few are taken, near-repeats across
sources — and of points already given to earlier items of the day — dropped. A point is a
whole sentence: one too long is left out, never cut. Datelines and attributions at its
start are removed (they end at a comma, so the rest is still a sentence). A sentence that
opens on a pronoun ("He said the people were killed as they slept", "It said Iqbal also
proposed …") leans on the one before it, which the point does not carry: it is left out. Chinese
points come from Chinese articles and English points from English ones (no machine
translation offline); the two lists are paired position by position into `Text`s so that
each edition reads its own language first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from briefing.admit import not_a_point
from briefing.analyse.base import Story
from briefing.analyse.lexicon import Lexicon
from briefing.analyse.stories.cluster import announces
from briefing.analyse.stories.dictionary import english_terms
from briefing.analyse.text import (
    char_ngrams,
    clean_body,
    cut_title_stem,
    is_chinese,
    jaccard,
    numbers,
    split_sentences,
)
from briefing.article import Article, Parallel
from briefing.model import Text

ZH_LIMIT = 120  # longer sentences are left out, not cut
MAX_ARTICLES = 6  # per language
EN_LIMIT = 300
NEAR_REPEAT = 0.45  # bigram Jaccard above which two points tell the same fact
_PAIRS = ("【】", "“”", "（）", "()", "「」", "『』", "《》", "[]", "‘’")
_DECISION = re.compile(
    r"宣布|决定|批准|同意|签署|通过|公布|发布|表示|称|指出|强调|将|达成|举行|会见|会晤|通电话|上调|下调|"
    r"\b(?:announced|approved|agreed|signed|said|says|will|decided|held|reported|plans?|raised|cut)\b",
    re.I,
)
# Opinion, rhetoric and asides are not facts (kept general: phrases, not sentences).
_OPINION = re.compile(
    r"可以说|恐怕|好尴尬|我们认为|笔者|小编|不得不说|众所周知|毫无疑问|真正实现了|值得一提的是|"
    r"^(?:其次|最后|此外|另外|同时)[，,]|\bI think\b|\bwe believe\b",
    re.I,
)
_ATTRIBUTION = re.compile(r"^(?:据[^，,。]{1,20}(?:报道|消息|称|显示)|另据[^，,。]{1,20})[，,]\s*")
# Datelines: 财联社2月5日讯， / 新华社北京2月4日电 / （中央社记者综合外电报导） / BEIJING, Feb 4 (Reuters) - /
# [Capital FM] Nairobi -- / WASHINGTON — / JERUSALEM / ISLAMABAD:
_DATELINE = re.compile(
    r"^(?:[^，,。\s]{0,12}\d{1,2}月\d{1,2}日(?:电|讯|消息)[，,]?"
    r"|[（(][^）)]{2,20}(?:报导|报道|电)[）)]"
    r"|[A-Z][A-Z/ .]+,?\s+(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}\s+)?\([A-Za-z ]+\)\s*[-–—]\s*"
    r"|\[[^\]\n]{2,40}\]\s*(?:[A-Z][\w.]*(?:\s[A-Z][\w.]*){0,2}\s+(?:--|[–—])\s+)?"
    r"|[A-Z][\w.]*(?:\s[A-Z][\w.]*){0,2},?\s+(?:--|—)\s+"
    r"|[A-Z]{3,}(?:[ -][A-Z]{2,})*(?:\s*/\s*[A-Z]{3,}(?:[ -][A-Z]{2,})*)*:\s+)"
)
_BULLET = re.compile(r"^[•·▪●◆■\-–—*]\s+")  # a list marker the source's summary kept
# A sentence whose subject is a pronoun: who "he", "it" or "we" is, or what "that" is, was
# said in the sentence before ("This week" and "That day" name a time: they stay).
_LEANS_BACK = re.compile(
    r"(?:He|She|It|They|His|Her|Its|Their|We|I)\b(?!['’]s\b)"
    r"|(?:This|That|These|Those) (?:is|was|are|were|has|have|had|means|meant|will|would)\b"
    r"|(?:他|她|它)们?(?:说|表示|称|指出|认为|强调|还|也)"
)
# A sentence the source cut short ("…over Tehran's…") is not whole, wherever it stands.
_CUT_SHORT = re.compile(r"(?:…|\.\.\.)[”\"’)）]?$")


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


def balanced(text: str) -> bool:
    """Every bracket and curly quote opened in `text` is closed, in order."""
    stack: list[str] = []
    closers = {pair[1]: pair[0] for pair in _PAIRS}
    openers = {pair[0] for pair in _PAIRS}
    for ch in text:
        if ch in openers and not (ch in closers and stack and stack[-1] == closers[ch]):
            stack.append(ch)
        elif ch in closers:
            if not stack or stack[-1] != closers[ch]:
                return False
            stack.pop()
    return not stack and text.count('"') % 2 == 0


def _acceptable(text: str, zh: bool) -> bool:
    end = text.rstrip()
    if not_a_point(text) or not balanced(text) or _CUT_SHORT.search(end) or end.endswith(("?", "？")):
        return False  # a question ("… what challenges remain?") states no fact
    if zh:
        return 12 <= len(text) <= ZH_LIMIT
    return 40 <= len(text) <= EN_LIMIT and len(text.split()) >= 7


def _score(s: Sentence, lex: Lexicon) -> float:
    text = s.text
    score = 1.0 / (1.0 + 0.15 * s.position)  # openings state the facts
    # A report runs from the news down to background: a figure or a name deep in it is a
    # detail (scholarships granted at a swearing-in), so those bonuses fade with position.
    depth = max(0.3, 1.0 / (1.0 + 0.1 * s.position))
    if numbers(text):
        score += 1.0 * depth
    score += 0.4 * depth * min(len(lex.entity_matcher.keys(text)), 3)
    if _DECISION.search(text):
        score += 0.5
    if next(lex.asset_matcher.finditer(text), None) is not None:
        score += 0.3
    if _OPINION.search(text):
        score -= 1.5
    if s.article == 0:
        score += 0.3
    return score


def tidy_point(text: str, zh: bool) -> str:
    """The sentence without its dateline or attribution, and without its final stop."""
    text = _ATTRIBUTION.sub("", _DATELINE.sub("", _BULLET.sub("", text.strip())).strip())
    if not zh and text[:1].islower():
        text = text[:1].upper() + text[1:]  # "…said on Monday." after a removed dateline
    return text.rstrip("。；;.")


def _repeats(a: set[str], b: set[str], same_figures: bool = False) -> bool:
    """Two points tell one fact: most bigrams shared, or most of the shorter one's — or
    half of it when neither states a figure the other lacks (a spokesman's words as two
    outlets paraphrase them)."""
    if not a or not b:
        return False
    shared = len(a & b) / min(len(a), len(b))
    return jaccard(a, b) >= NEAR_REPEAT or shared >= 0.6 or (same_figures and shared >= 0.5)


def _point_terms(point: str, zh: bool) -> set[str]:
    """What `_repeats` compares: a Chinese point's character bigrams, an English one's
    content-word stems. English letter pairs are common to any two sentences: most of a
    short point's ("International law states an occupying power cannot confiscate land")
    turn up in any longer one (Starmer seeking powers over internet access), which made
    unrelated points repeats."""
    return char_ngrams(point, 2) if zh else english_terms(point)


def _same_figures(a: str, b: str) -> bool:
    fa, fb = set(numbers(a)), set(numbers(b))
    return fa <= fb or fb <= fa


def _pick(sentences: list[Sentence], lex: Lexicon, limit: int, zh: bool,
          seen: list[set[str]] | None = None) -> list[str]:
    """The best `limit` sentences, none a near-repeat of another or of `seen` (the points
    of earlier items, which this call extends)."""
    scored = sorted(sentences, key=lambda s: (-_score(s, lex), s.article, s.position))
    earlier = seen if seen is not None else []
    chosen: list[tuple[Sentence, str, set[str]]] = []
    for s in scored:
        if len(chosen) >= limit:
            break
        tidy = tidy_point(s.text, zh)
        if len(tidy) < (12 if zh else 40) or not balanced(tidy) or _LEANS_BACK.match(tidy):
            continue
        grams = _point_terms(tidy, zh)
        if any(_repeats(grams, g, _same_figures(tidy, t)) or tidy in t or t in tidy for _, t, g in chosen):
            continue  # the same fact from another source
        if any(_repeats(grams, g) for g in earlier):
            continue  # already a point of an earlier item
        chosen.append((s, tidy, grams))
    chosen.sort(key=lambda c: (c[0].article, c[0].position))
    if seen is not None:
        seen.extend(g for _, _, g in chosen)
    return [t for _, t, _ in chosen]


def _in_language(article: Article, zh: bool) -> tuple[str, tuple[str, ...]] | None:
    """(title, sentences) of an article in one language: its own text or its parallel text."""
    if is_chinese(article.lang) == zh:
        return article.title_norm, article_sentences(article)
    other = article.parallel
    if other is not None and is_chinese(other.lang) == zh:
        return other.title, parallel_sentences(other)
    return None


@lru_cache(maxsize=1024)
def parallel_sentences(parallel: Parallel) -> tuple[str, ...]:
    return tuple(split_sentences(clean_body(parallel.text_norm), parallel.lang))


def language_points(story: Story, lex: Lexicon, limit: int, zh: bool,
                    seen: list[set[str]] | None = None) -> list[str]:
    """Key points in one language, from the story's articles in that language (their own
    text, or the parallel text of a bilingual item)."""
    pool: list[Sentence] = []
    # A big story's first few reports in a language carry its facts; reading all of a
    # 500-report story would cost quadratic time for nothing.
    # A story led by a report of the event reads no point from the reports that announced it
    # ("… will meet in Geneva Tuesday" on the day the talks were held).
    happened = not announces(story.lead.title)
    chosen = [(n, t) for n, a in enumerate(story.articles)
              if not (happened and announces(a.title)) and (t := _in_language(a, zh))]
    for n, (title, sentences) in chosen[:MAX_ARTICLES]:
        title_grams = char_ngrams(title, 2)
        stem = cut_title_stem(title)
        lang = "zh-Hans" if zh else "en"
        for pos, text in enumerate(sentences):
            if not _acceptable(text, zh):
                continue
            if jaccard(char_ngrams(text, 2), title_grams) > 0.8:
                continue  # the title repeated as a line adds nothing
            if stem and text.casefold().startswith(stem):
                continue  # the sentence an untitled post's title was cut from
            pool.append(Sentence(text, n, pos, lang))
    return _pick(pool, lex, limit, zh, seen)


def key_points(story: Story, lex: Lexicon, limit: int,
               seen: dict[str, list[set[str]]] | None = None) -> list[Text]:
    """2–`limit` key points, Chinese and English lists paired position by position.

    `seen` holds the points of the day's earlier items per language: a point one of them
    already made is not made again."""
    seen = seen if seen is not None else {"zh": [], "en": []}
    zh = language_points(story, lex, limit, True, seen.setdefault("zh", []))
    en = language_points(story, lex, limit, False, seen.setdefault("en", []))
    return [
        Text(zh=zh[i] if i < len(zh) else "", en=en[i] if i < len(en) else "")
        for i in range(max(len(zh), len(en)))
    ]
