"""From a day's articles to stories: duplicates merged, then reports of one event.

    articles ─▶ exact duplicates  (canonical URL, content hash)
             ─▶ near duplicates   (shared sentence fingerprint → char 4-gram Jaccard)
             ─▶ events            (signatures: actors, action, places, figures, terms, title, time)
             ─▶ Story(articles, lead first)

No step compares all pairs: candidates come from buckets (a sentence fingerprint, an
entity, a pair of entities, a figure), buckets that grow too common are ignored, and a
report is compared only with the few stories its buckets name. The day's cost therefore
grows with the number of articles, not its square (bench/analyse.py measures it).
"""

from __future__ import annotations

import functools
import hashlib
import math
import re
import zlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from briefing.analyse.base import Story
from briefing.analyse.lexicon import Lexicon
from briefing.analyse.settings import ClusterSettings
from briefing.analyse.stories.signature import (
    Signature,
    article_signature,
    merge,
    similarity,
)
from briefing.analyse.text import char_ngrams, fold_for_compare, is_chinese, jaccard, numbers
from briefing.article import Article

FINGERPRINT_CHARS = 1200  # near duplicates are recognised on the opening of the body
COPY_CHARS = 300  # a copy must state the figures of the other's opening (or a subset)
REPORT_READS = 2  # articles of a duplicate group read for its signature (copies add little)
RECENT_PER_KEY = 12  # a report is compared with the latest stories under each of its keys
_TRACKING = ("utm_", "spm", "from", "share", "fbclid", "gclid", "ref", "src", "mc_", "igshid")


@functools.lru_cache(maxsize=65536)
def canonical_url(url: str | None) -> str | None:
    """The URL without tracking parameters, fragment, default port or trailing slash.

    Cached: the day's clustering and the check against history both read every article's.
    """
    if not url:
        return None
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    if parts.port and parts.port not in (80, 443):
        host = f"{host}:{parts.port}"
    query = ""
    if parts.query:  # most article URLs have none: no parsing then
        query = urlencode(sorted(
            (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
            if not k.lower().startswith(_TRACKING)
        ))
    path = parts.path.rstrip("/") or "/"
    return urlunsplit(("https" if parts.scheme in ("http", "https") else parts.scheme,
                       host, path, query, ""))


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)  # the smaller index (earlier) stays root

    def groups(self) -> list[list[int]]:
        out: dict[int, list[int]] = defaultdict(list)
        for i in range(len(self.parent)):
            out[self.find(i)].append(i)
        return [out[k] for k in sorted(out)]


def _fingerprints(article: Article) -> list[int]:
    """Hashes of the opening's sentences (folded): syndicated copies share some."""
    body = article.text_norm[:FINGERPRINT_CHARS]
    pieces = body.replace("!", ".").replace("?", ".")
    for mark in "。！？；\n":
        pieces = pieces.replace(mark, ".")
    out = []
    for piece in pieces.split("."):
        folded = fold_for_compare(piece)
        if len(folded) >= 12:
            out.append(zlib.crc32(folded.encode()))
    return out


def _bucket_cap(n: int) -> int:
    # A fixed cap: a bucket bigger than this holds boilerplate, not one event, and a cap
    # that grew with the day would bring back quadratic time.
    return 50


@dataclass(frozen=True)
class _CopyKey:
    """What a copy must not contradict: the names in its title, the figures of its opening."""

    names: frozenset[str]
    amounts: frozenset[str]


def _copy_key(article: Article, lex: Lexicon | None) -> _CopyKey:
    names = frozenset(lex.entity_matcher.keys(article.title_norm)) if lex is not None else frozenset()
    return _CopyKey(names, frozenset(numbers(article.title_norm + "\n" + article.text_norm[:COPY_CHARS])))


def _disagree(a: _CopyKey, b: _CopyKey) -> bool:
    """Templated reports (a daily close, a regulator's fine) read alike but name other
    parties or state other figures: they are not copies of one report."""
    return bool((a.amounts and b.amounts and not (a.amounts <= b.amounts or b.amounts <= a.amounts))
                or (a.names and b.names and a.names.isdisjoint(b.names)))


@functools.lru_cache(maxsize=16384)
def _title_grams(title: str) -> frozenset[str]:
    return frozenset(char_ngrams(title, 2))


def _copies(i: int, j: int, articles: Sequence[Article], openings: Sequence[int | None],
            keys: dict[int, _CopyKey], lex: Lexicon | None) -> bool:
    """Bodies alike: copies when they also share a title or an opening sentence, and do
    not name other parties or state other figures (a template filled twice is two events)."""
    a, b = articles[i], articles[j]
    alike = (openings[i] is not None and openings[i] == openings[j]) or jaccard(
        _title_grams(a.title_norm), _title_grams(b.title_norm)) >= 0.3
    if not alike:
        return False
    for n in (i, j):
        if n not in keys:
            keys[n] = _copy_key(articles[n], lex)
    return not _disagree(keys[i], keys[j])


def merge_duplicates(
    articles: Sequence[Article], threshold: float, lex: Lexicon | None = None
) -> list[list[int]]:
    """Indices of `articles` grouped into exact and near duplicates (earliest first)."""
    uf = _UnionFind(len(articles))
    first: dict[tuple[str, str], int] = {}
    for i, article in enumerate(articles):
        for key in (("url", canonical_url(article.url) or ""), ("hash", article.content_hash)):
            if not key[1]:
                continue
            if key in first:
                uf.union(first[key], i)
            else:
                first[key] = i
    buckets: dict[int, list[int]] = defaultdict(list)
    openings: list[int | None] = []  # each article's opening sentence
    for i, article in enumerate(articles):
        prints = _fingerprints(article)
        openings.append(prints[0] if prints else None)
        for fp in dict.fromkeys(prints):
            buckets[fp].append(i)
    cap = _bucket_cap(len(articles))
    grams: dict[int, set[str]] = {}
    keys: dict[int, _CopyKey] = {}
    checked: set[tuple[int, int]] = set()
    for fp in sorted(buckets):
        members = buckets[fp]
        if len(members) < 2 or len(members) > cap:
            continue  # a sentence every site prints is no evidence
        for a, b in combinations(members, 2):
            if (a, b) in checked or uf.find(a) == uf.find(b):
                continue
            checked.add((a, b))
            # The cheap test first (titles or openings alike, no other parties or figures):
            # unrelated reports sharing a stock phrase rarely pass it, and then the
            # bodies' 4-gram sets (a thousand grams each) are never compared.
            if not _copies(a, b, articles, openings, keys, lex):
                continue
            for i in (a, b):
                if i not in grams:
                    grams[i] = char_ngrams(articles[i].text_norm[:FINGERPRINT_CHARS], 4)
            if jaccard(grams[a], grams[b]) >= threshold:
                uf.union(a, b)
    return uf.groups()


@dataclass(frozen=True)
class _Report:
    """One group of duplicates, described by its first few articles."""

    members: tuple[int, ...]
    signature: Signature


@dataclass
class _Cluster:
    """A story being built: its reports, compared one by one (never their union)."""

    index: int
    members: list[int]
    reports: list[_Report] = field(default_factory=list)
    last: float = 0.0


def _describe(group: list[int], signatures: Sequence[Signature]) -> _Report:
    return _Report(members=tuple(group), signature=merge(signatures[i] for i in group[:REPORT_READS]))


def _blocking_keys(sig: Signature, df: Counter[str], cap: int) -> list[str]:
    named = sorted(sig.actors) + sorted(sig.places)
    keys = [f"e:{e}" for e in named if df[f"e:{e}"] <= cap]
    keys += [f"p:{a}+{b}" for a, b in combinations(sorted(named[:6]), 2)]
    keys += [f"n:{n}" for n in sorted(sig.figures) if df[f"n:{n}"] <= cap]
    keys += [f"x:{e}+{k}" for e in sorted(sig.actors)[:4] for k in sorted(sig.actions)]
    return keys


def cluster_events(
    articles: Sequence[Article], groups: list[list[int]], lex: Lexicon, settings: ClusterSettings,
    signatures: Sequence[Signature] | None = None,
) -> list[list[int]]:
    """Duplicate groups merged into events; each event lists article indices."""
    if signatures is None:
        signatures = article_signatures(articles, lex)
    reports = [_describe(g, signatures) for g in groups]
    df: Counter[str] = Counter()
    for r in reports:
        df.update(f"e:{e}" for e in r.signature.named())
        df.update(f"n:{n}" for n in r.signature.figures)
    n = len(reports)
    idf = {key[2:]: math.log((n + 1) / (count + 1)) + 1.0 for key, count in df.items()
           if key.startswith("e:")}
    cap = _bucket_cap(n)
    clusters: list[_Cluster] = []
    index: dict[str, list[int]] = defaultdict(list)
    max_gap = settings.max_hours_apart * 3600
    for r in sorted(reports, key=lambda r: (r.signature.time, r.members[0])):
        keys = _blocking_keys(r.signature, df, cap)
        candidates = sorted({c for k in keys for c in index[k][-RECENT_PER_KEY:]})
        best, best_score = None, settings.same_story
        for c in candidates:
            cluster = clusters[c]
            if r.signature.time - cluster.last > max_gap:
                continue
            # Compared with the story's reports one by one (its first and latest two), not
            # with the union of their features: a union grows until everything matches it.
            reports = cluster.reports
            score = max(similarity(r.signature, m.signature, idf)  # each report once
                        for m in reports[:1] + reports[max(1, len(reports) - 2):])
            if score > best_score:
                best, best_score = cluster, score
        if best is None:
            best = _Cluster(index=len(clusters), members=[])
            clusters.append(best)
        best.members.extend(r.members)
        best.reports.append(r)
        best.last = max(best.last, r.signature.time)
        for k in keys:
            if not index[k] or index[k][-1] != best.index:
                index[k].append(best.index)
    return [sorted(c.members) for c in clusters]


class _Signatures(Sequence[Signature]):
    """Articles' signatures, each read once and only when asked for (a syndicated copy
    beyond a group's first few is never read)."""

    def __init__(self, articles: Sequence[Article], lex: Lexicon) -> None:
        self.articles, self.lex = articles, lex
        self.cache: dict[int, Signature] = {}

    def __len__(self) -> int:
        return len(self.articles)

    def __getitem__(self, i: int) -> Signature:  # type: ignore[override]
        sig = self.cache.get(i)
        if sig is None:
            sig = self.cache[i] = article_signature(self.articles[i], self.lex)
        return sig


def article_signatures(articles: Sequence[Article], lex: Lexicon) -> Sequence[Signature]:
    """Each article's signature, read lazily and once."""
    return _Signatures(articles, lex)


def story_signature(story: Story, lex: Lexicon) -> Signature:
    """A story's signature from its first few articles (when the story did not keep one)."""
    return merge(article_signature(a, lex) for a in story.articles[:4])


def _lead_key(a: Article) -> tuple[float, int, float, str]:
    # The lead is the article from the most trusted source; then a Chinese one (the first
    # edition), then the earliest. Ties break on id so the choice is stable.
    return (-a.source_weight, 0 if is_chinese(a.lang) else 1, a.published.timestamp(), a.id)


# A title that announces the event instead of reporting it: "US and Iran to meet for
# second round of talks", "… set for talks", 美伊将于周二举行会谈. Headlinese writes the
# future as "to" + verb; only verbs of scheduled events count ("raising total to 79",
# "will keep supporting" are news).
_PREVIEW = re.compile(
    r"\b(?:to|will)\s+(?:meet|hold|begin|start|resume|open|vote|visit|sign|host|attend|testify"
    r"|talk|launch|unveil|announce|release|decide|rule|travel)\b"
    r"|\bset\s+(?:for|to)\b|\bwhat to (?:expect|watch)\b"
    r"|将(?:于|在|举行|召开|会晤|会见|访问|出席|启动|公布|发布|宣布)|即将(?:举行|召开|会晤|公布|发布)|拟于",
    re.IGNORECASE,
)


# Talk about the event rather than a report of it: an interview, an analysis, a newsletter.
_COMMENTARY = re.compile(
    r"\b(?:discuss(?:es|ed)?|analysis|explainer|interview|podcast|newsletter|opinion|what'?s next)\b"
    r"|\?\s*$|评论|解读|专访|访谈",
    re.IGNORECASE,
)


def announces(title: str) -> bool:
    """The title announces the event instead of reporting it (see `_PREVIEW`)."""
    return _PREVIEW.search(title) is not None


def _reports_it(a: Article) -> bool:
    """`a` can lead a story: not an announcement, a comment or a video clip's blurb."""
    path = urlsplit(a.url or "").path.lower().split("/")
    return not (announces(a.title) or _COMMENTARY.search(a.title)
                or any(part in ("video", "videos") for part in path))


def _pick_lead(ranked: list[Article]) -> Article:
    """The first of `ranked` (by `_lead_key`), unless its title only announces the event and
    a later report as trusted, in the same script, reports it (`_reports_it`): then the
    earliest such report, so a day that saw the talks does not lead with "… to meet"."""
    first = ranked[0]
    if not announces(first.title):
        return first
    for a in ranked[1:]:
        if (a.source_weight == first.source_weight and is_chinese(a.lang) == is_chinese(first.lang)
                and a.published > first.published and _reports_it(a)):
            return a
    return first


def story_id(articles: Iterable[Article]) -> str:
    """A stable id: the hash of the story's earliest article (late reports do not move it)."""
    earliest = min(articles, key=lambda a: (a.published, a.id))
    return "s" + hashlib.sha1(earliest.id.encode("utf-8")).hexdigest()[:12]


def build_stories(
    articles: Sequence[Article], lex: Lexicon, settings: ClusterSettings
) -> list[Story]:
    """The day's stories (unranked, unclassified), each with every article that told it."""
    ordered = sorted(articles, key=lambda a: (a.published, a.id))
    signatures = article_signatures(ordered, lex)
    groups = merge_duplicates(ordered, settings.near_duplicate, lex)
    events = cluster_events(ordered, groups, lex, settings, signatures)
    stories = [make_story([ordered[i] for i in members], lex, merge(signatures[i] for i in members[:4]))
               for members in events]
    return sorted(stories, key=lambda s: s.id)


def make_story(articles: Sequence[Article], lex: Lexicon, signature: Signature) -> Story:
    """A story of `articles` (one event): its lead first (`_pick_lead`), then the others in
    time order, with the names its titles give."""
    ranked = sorted(articles, key=_lead_key)
    lead = _pick_lead(ranked)
    rest = sorted((a for a in ranked if a is not lead), key=lambda a: (a.published, a.id))
    entities: set[str] = set()
    for a in ranked:
        entities.update(lex.entity_matcher.keys(a.title_norm))
    return Story(id=story_id(ranked), articles=(lead, *rest), section="", score=0.0,
                 entities=frozenset(entities), signature=signature)
