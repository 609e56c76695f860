"""From a day's articles to stories: duplicates merged, then reports of one event.

    articles ─▶ exact duplicates  (canonical URL, content hash)
             ─▶ near duplicates   (shared sentence fingerprint → char 4-gram Jaccard)
             ─▶ events            (entities in both languages + figures + title + time)
             ─▶ Story(articles, lead first)

No step compares all pairs: candidates come from buckets (a sentence fingerprint, an
entity, a pair of entities, a figure), buckets that grow too common are ignored, and a
report is compared only with the few stories its buckets name. The day's cost therefore
grows with the number of articles, not its square (bench/analyse.py measures it).
"""

from __future__ import annotations

import hashlib
import math
import zlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from briefing.analyse.base import Story
from briefing.analyse.lexicon import Lexicon
from briefing.analyse.settings import ClusterSettings
from briefing.analyse.text import (
    char_ngrams,
    fold_for_compare,
    is_chinese,
    is_specific,
    jaccard,
    numbers,
)
from briefing.article import Article

LEAD_CHARS = 400  # entities and figures are read from the title and the opening
FINGERPRINT_CHARS = 1200  # near duplicates are recognised on the opening of the body
RECENT_PER_KEY = 12  # a report is compared with the latest stories under each of its keys
_TRACKING = ("utm_", "spm", "from", "share", "fbclid", "gclid", "ref", "src", "mc_", "igshid")


def canonical_url(url: str | None) -> str | None:
    """The URL without tracking parameters, fragment, default port or trailing slash."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    if parts.port and parts.port not in (80, 443):
        host = f"{host}:{parts.port}"
    query = [
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not k.lower().startswith(_TRACKING)
    ]
    path = parts.path.rstrip("/") or "/"
    return urlunsplit(("https" if parts.scheme in ("http", "https") else parts.scheme,
                       host, path, urlencode(sorted(query)), ""))


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


def merge_duplicates(articles: Sequence[Article], threshold: float) -> list[list[int]]:
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
    for i, article in enumerate(articles):
        for fp in dict.fromkeys(_fingerprints(article)):
            buckets[fp].append(i)
    cap = _bucket_cap(len(articles))
    grams: dict[int, set[str]] = {}
    checked: set[tuple[int, int]] = set()
    for fp in sorted(buckets):
        members = buckets[fp]
        if len(members) < 2 or len(members) > cap:
            continue  # a sentence every site prints is no evidence
        for a, b in combinations(members, 2):
            if (a, b) in checked or uf.find(a) == uf.find(b):
                continue
            checked.add((a, b))
            for i in (a, b):
                if i not in grams:
                    grams[i] = char_ngrams(articles[i].text_norm[:FINGERPRINT_CHARS], 4)
            if jaccard(grams[a], grams[b]) >= threshold:
                uf.union(a, b)
    return uf.groups()


@dataclass(frozen=True)
class _Report:
    """One group of duplicates, described by its earliest article."""

    members: tuple[int, ...]
    entities: tuple[str, ...]
    figures: frozenset[str]  # specific figures only (see text.is_specific)
    script: str
    title: frozenset[str]
    time: float


@dataclass
class _Cluster:
    """A story being built: the union of its reports' features."""

    index: int
    members: list[int]
    reports: list[_Report] = field(default_factory=list)
    last: float = 0.0


def _describe(group: list[int], articles: Sequence[Article], lex: Lexicon) -> _Report:
    lead = articles[group[0]]
    entities: dict[str, None] = {}
    figures: set[str] = set()
    for i in group[:4]:  # a syndicated copy adds nothing new; a big group would cost time
        a = articles[i]
        opening = a.title_norm + "\n" + a.text_norm[:LEAD_CHARS]
        entities.update(dict.fromkeys(lex.entity_matcher.keys(opening)))
        # Market targets only from titles: every market story's body names the dollar.
        entities.update(dict.fromkeys(f"a:{k}" for k in lex.asset_matcher.keys(a.title_norm)))
        figures |= numbers(opening)
    return _Report(
        members=tuple(group),
        entities=tuple(entities),
        figures=frozenset(f for f in figures if is_specific(f)),
        script="zh" if is_chinese(lead.lang) else "en",
        title=frozenset(char_ngrams(lead.title_norm, 2)),
        time=lead.published.timestamp(),
    )


def _blocking_keys(report: _Report, df: Counter[str], cap: int) -> list[str]:
    keys = [f"e:{e}" for e in report.entities if df[f"e:{e}"] <= cap]
    top = sorted(report.entities[:6])
    keys += [f"p:{a}+{b}" for a, b in combinations(top, 2)]
    keys += [f"n:{n}" for n in sorted(report.figures) if df[f"n:{n}"] <= cap]
    return keys


def _similarity(
    report: _Report, other: _Report, idf: dict[str, float], places: frozenset[str]
) -> float:
    """How likely two reports tell the same event: 0 … ~1.9."""
    shared = [e for e in report.entities if e in other.entities]
    named = [e for e in shared if e not in places]
    def weight(e: str) -> float:  # countries and market targets say less than names
        return idf[e] * (0.5 if e in places or e.startswith("a:") else 1.0)

    own = sum(weight(e) for e in report.entities) or 1.0
    entity_score = sum(weight(e) for e in shared) / own
    figures = report.figures & other.figures
    title = jaccard(set(report.title), set(other.title)) if report.script == other.script else 0.0
    # Countries count half: two named parties, or a party and a figure, make evidence.
    strength = len(named) + 0.5 * (len(shared) - len(named)) + 0.5 * len(figures)
    evidence = strength >= 2 or len(figures) >= 2 or title >= 0.5
    if not evidence:
        return 0.0  # countries alone (美国, 中国) or one name do not make the same event
    if report.figures and other.figures and not figures and title < 0.5:
        return 0.0  # both state precise figures and none agree: two events of one actor
    return (0.6 * entity_score + 0.1 * min(len(named), 3) + 0.3 * min(len(figures), 2) / 2
            + 0.6 * title)


def cluster_events(
    articles: Sequence[Article], groups: list[list[int]], lex: Lexicon, settings: ClusterSettings
) -> list[list[int]]:
    """Duplicate groups merged into events; each event lists article indices."""
    reports = [_describe(g, articles, lex) for g in groups]
    df: Counter[str] = Counter()
    for r in reports:
        df.update(f"e:{e}" for e in r.entities)
        df.update(f"n:{n}" for n in r.figures)
    n = len(reports)
    idf = {key[2:]: math.log((n + 1) / (count + 1)) + 1.0 for key, count in df.items()
           if key.startswith("e:")}
    cap = _bucket_cap(n)
    # Countries and themes (places, topics) are shared by many stories of a day.
    places = frozenset(k for k, e in lex.entities.items() if e.kind in ("place", "topic"))
    clusters: list[_Cluster] = []
    index: dict[str, list[int]] = defaultdict(list)
    max_gap = settings.max_hours_apart * 3600
    for r in sorted(reports, key=lambda r: (r.time, r.members[0])):
        keys = _blocking_keys(r, df, cap)
        candidates = sorted({c for k in keys for c in index[k][-RECENT_PER_KEY:]})
        best, best_score = None, settings.same_story
        for c in candidates:
            cluster = clusters[c]
            if r.time - cluster.last > max_gap:
                continue
            # Compared with the story's reports one by one (its first and latest few), not
            # with the union of their features: a union grows until everything matches it.
            score = max(_similarity(r, m, idf, places) for m in cluster.reports[:2] + cluster.reports[-3:])
            if score > best_score:
                best, best_score = cluster, score
        if best is None:
            best = _Cluster(index=len(clusters), members=[])
            clusters.append(best)
        best.members.extend(r.members)
        best.reports.append(r)
        best.last = max(best.last, r.time)
        for k in keys:
            if not index[k] or index[k][-1] != best.index:
                index[k].append(best.index)
    return [sorted(c.members) for c in clusters]


def _lead_key(a: Article) -> tuple[float, int, float, str]:
    # The lead is the article from the most trusted source; then a Chinese one (the first
    # edition), then the earliest. Ties break on id so the choice is stable.
    return (-a.source_weight, 0 if is_chinese(a.lang) else 1, a.published.timestamp(), a.id)


def story_id(articles: Iterable[Article]) -> str:
    """A stable id: the hash of the story's earliest article (late reports do not move it)."""
    earliest = min(articles, key=lambda a: (a.published, a.id))
    return "s" + hashlib.sha1(earliest.id.encode("utf-8")).hexdigest()[:12]


def build_stories(
    articles: Sequence[Article], lex: Lexicon, settings: ClusterSettings
) -> list[Story]:
    """The day's stories (unranked, unclassified), each with every article that told it."""
    ordered = sorted(articles, key=lambda a: (a.published, a.id))
    groups = merge_duplicates(ordered, settings.near_duplicate)
    events = cluster_events(ordered, groups, lex, settings)
    stories = []
    for members in events:
        story_articles = sorted((ordered[i] for i in members), key=_lead_key)
        lead, rest = story_articles[0], sorted(story_articles[1:], key=lambda a: (a.published, a.id))
        entities: set[str] = set()
        for a in story_articles:
            entities.update(lex.entity_matcher.keys(a.title_norm))
        stories.append(Story(
            id=story_id(story_articles),
            articles=(lead, *rest),
            section="",
            score=0.0,
            entities=frozenset(entities),
        ))
    return sorted(stories, key=lambda s: s.id)
