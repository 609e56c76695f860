"""Event signatures: who, what action, where, which figures, when — the same in zh and en.

A report is reduced once to a `Signature` of language-neutral keys:

    actors    people, institutions, companies      entities.yaml  (习近平 = Xi Jinping)
    places    countries, cities, themes            entities.yaml
    assets    markets named in the title           assets.yaml    (恒指 = Hang Seng)
    actions   what happened, from the title         actions.yaml   (减产 = output cut)
    figures   precise numbers, normalised           2.2万 = 22,000; 526亿美元 = $52.6 billion
    terms     English word stems of the titles      own words, parallel text, or CC-CEDICT glosses
              (read only when a pair crosses languages)
    title     character bigrams of the title        (same-language comparisons only)

Clustering (`cluster.py`) and the check against earlier days (`history.py`) compare
signatures with `similarity`, so both decide "same event" by one rule, and each report
is read once however many comparisons it meets.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from briefing.analyse.lexicon import Lexicon, TermMatcher
from briefing.analyse.stories.dictionary import chinese_terms, english_terms
from briefing.analyse.text import char_ngrams, has_cjk, is_specific, jaccard, numbers, strip_accents
from briefing.article import Article
from briefing.knowledge import Entry, load_knowledge

LEAD_CHARS = 400  # entities and figures are read from the title and the opening
_ACTOR_KINDS = ("person", "org", "company")


class Action(Entry):
    key: str
    family: str
    zh: tuple[str, ...] = ()
    en: tuple[str, ...] = ()


class _ActionsFile(Entry):
    actions: tuple[Action, ...]


@dataclass(frozen=True)
class Actions:
    """The action vocabulary compiled: matcher and each action's family."""

    matcher: TermMatcher
    family: Mapping[str, str]


@functools.cache
def actions() -> Actions:
    data: _ActionsFile = load_knowledge(_ActionsFile, "actions.yaml")
    terms: dict[str, str] = {}
    for action in data.actions:
        for word in (*action.zh, *action.en):
            terms.setdefault(word, action.key)
    exact = {w: a.key for a in data.actions for w in a.en if w.isupper()}  # CPI, GDP, IPO
    return Actions(TermMatcher(terms, exact), {a.key: a.family for a in data.actions})


@dataclass(frozen=True)
class Signature:
    """What a report (or a published item) says happened; see the module docstring."""

    script: str  # "zh" or "en": the language the title was read in
    actors: frozenset[str]
    places: frozenset[str]
    assets: frozenset[str]
    actions: frozenset[str]
    families: frozenset[str]
    figures: frozenset[str]
    titles: tuple[str, ...]  # the titles read (own, parallel): their terms are read on demand
    title: frozenset[str]
    time: float
    headline: frozenset[str] = frozenset()  # actors and places named in a title
    amounts: frozenset[str] = frozenset()  # every figure, precise or not (7.7, 25, 3.5)
    names: frozenset[str] = frozenset()  # capitalised names in an English title, known or not

    @functools.cached_property
    def terms(self) -> frozenset[str]:
        """English stems of the titles; computed only for cross-language comparisons."""
        out: set[str] = set()
        for t in self.titles:
            out |= terms_of(t)
        return frozenset(out)


    def named(self) -> frozenset[str]:
        return self.actors | self.places


_SHORT_CACHE: dict[int, tuple[re.Pattern[str], dict[str, str]]] = {}


def short_forms(title: str, lex: Lexicon) -> list[str]:
    """Keys named by runs of one-character forms in a Chinese title (中美 → china, us)."""
    compiled = _SHORT_CACHE.get(id(lex))
    if compiled is None:
        shorts = {e.short: e.key for e in lex.entities.values() if e.short}
        chars = "".join(sorted(shorts))
        compiled = (re.compile(f"[{re.escape(chars)}]{{2,4}}"), shorts)
        _SHORT_CACHE[id(lex)] = compiled
    pattern, shorts = compiled
    return [shorts[ch] for m in pattern.finditer(title) for ch in m.group(0)]


_PROPER = re.compile(r"\b[A-Z][A-Za-z]+")
_NOT_NAME_WORDS = (
    "the a an and of in on at for to with as by after before over under from says said "
    "talks round stocks shares magnitude strong drone air central tariffs users oil gold "
    "copper silver results revenue wednesday tuesday thursday monday friday new at least "
    "rolls faces flags warns hit hits"
)
_NOT_NAMES = frozenset(_NOT_NAME_WORDS.split())


def proper_names(title: str) -> set[str]:
    """Capitalised words of an English title (Xinghe, Kharkiv): names the gazetteer may not
    know. Used only to tell same-language reports apart: two titles sharing none of them
    are about different parties."""
    if has_cjk(title):
        return set()
    return {w.casefold() for w in _PROPER.findall(strip_accents(title))} - _NOT_NAMES


def parallel_text(article: Article) -> tuple[str, str] | None:
    """The other-language title and text of a bilingual article, when ingest found them."""
    other = getattr(article, "parallel", None)
    if other is None:
        return None
    title, text = getattr(other, "title", ""), getattr(other, "text", "")
    return (str(title or ""), str(text or "")) if (title or text) else None


@functools.lru_cache(maxsize=32768)
def terms_of(text: str) -> frozenset[str]:
    """English stems of a text in either language (Chinese through the dictionary)."""
    return frozenset(chinese_terms(text) if has_cjk(text) else english_terms(text))


def describe(
    title: str,
    opening: str,
    time: float,
    lex: Lexicon,
    *,
    extra_titles: Iterable[str] = (),
) -> Signature:
    """The signature of a title and its opening (`extra_titles`: parallel or other reports)."""
    titles = [t for t in (title, *extra_titles) if t]
    heads = "\n".join(titles)
    named: dict[str, None] = dict.fromkeys(short_forms(heads, lex))
    keys: dict[str, None] = {}
    for m in lex.entity_matcher.finditer(heads + "\n" + opening):  # one pass over the text
        if m.start < len(heads):
            named[m.key] = None
        keys[m.key] = None
    keys = {**named, **keys}
    actors = frozenset(k for k in keys if lex.entities[k].kind in _ACTOR_KINDS)
    places = frozenset(k for k in keys if k not in actors)
    vocab = actions()
    found = frozenset(vocab.matcher.keys(heads))
    amounts = numbers(heads + "\n" + opening)
    return Signature(
        script="zh" if has_cjk(title) else "en",
        actors=actors,
        places=places,
        assets=frozenset(lex.asset_matcher.keys(heads)),
        actions=found,
        families=frozenset(vocab.family[k] for k in found),
        figures=frozenset(f for f in amounts if is_specific(f)),
        titles=tuple(titles),
        title=frozenset(char_ngrams(title, 2)),
        time=time,
        headline=frozenset(named),
        amounts=frozenset(amounts),
        names=frozenset(proper_names(heads)),
    )


def article_signature(article: Article, lex: Lexicon) -> Signature:
    """An article's signature: its title and opening, plus its parallel text if any."""
    opening = article.text_norm[:LEAD_CHARS]
    extra: list[str] = []
    parallel = parallel_text(article)
    if parallel is not None:
        extra.append(parallel[0])
        opening += "\n" + parallel[1][:LEAD_CHARS]
    return describe(article.title_norm, opening, article.published.timestamp(), lex,
                    extra_titles=extra)


def merge(signatures: Iterable[Signature]) -> Signature:
    """The union of several reports' signatures (the first one's script, title and time)."""
    items = list(signatures)
    first = items[0]
    if len(items) == 1:
        return first

    def union(name: str) -> frozenset[str]:
        out: set[str] = set()
        for s in items:
            out |= getattr(s, name)
        return frozenset(out)

    return Signature(
        script=first.script, actors=union("actors"), places=union("places"),
        assets=union("assets"), actions=union("actions"), families=union("families"),
        figures=union("figures"), titles=tuple(dict.fromkeys(t for s in items for t in s.titles)),
        title=first.title,
        time=min(s.time for s in items), headline=union("headline"), amounts=union("amounts"),
        names=union("names"),
    )


REACTION = "market"  # the family of market moves: a reaction to an event, not an event


def conflicting_actions(a: Signature, b: Signature) -> bool:
    """Both titles say what happened and no action family is shared: two events."""
    fa, fb = a.families - {REACTION}, b.families - {REACTION}
    return bool(fa and fb and not (fa & fb))


def similarity(a: Signature, b: Signature, idf: Mapping[str, float]) -> float:
    """How likely two signatures tell the same event: 0 (no evidence) … about 2.

    Evidence first: countries alone (美国, 中国) or one name never make one event; two
    reports that both state precise figures and share none, or whose titles name
    different actions, are two events of one actor unless their titles nearly agree.
    """
    title = jaccard(a.title, b.title) if a.script == b.script else 0.0
    actors = a.actors & b.actors
    places = a.places & b.places
    assets = a.assets & b.assets
    figures = a.figures & b.figures
    amounts = (a.amounts & b.amounts) - figures  # round figures: 12%, 25 basis points
    same_action = bool(a.actions & b.actions)
    titled = places & a.headline & b.headline  # a place both titles name: where it happened
    # Places say where, not what: however many are shared (Israel, the West Bank, Palestine)
    # they never make one event without a shared actor, figure, action or asset.
    strength = (len(actors) + min(0.5 * len(places) + 0.5 * len(titled), 1.5) + 0.5 * len(figures)
                + 0.5 * same_action + 0.5 * bool(assets) + 0.25 * min(len(amounts), 2))
    cross = 0.0
    if a.script != b.script and strength < 2:
        cross = _overlap(a.terms, b.terms)  # the dictionary, only where names do not decide
        strength += cross
    evidence = (strength >= 2 or len(figures) >= 2 or title >= 0.5
                or (title >= 0.3 and bool(figures or actors or same_action)))
    if not evidence:
        return 0.0
    if contradicts(a, b, title):
        return 0.0
    if title < 0.5 and len(figures) < 2:
        if conflicting_actions(a, b):
            return 0.0  # the same actors doing something else
        acts = bool(a.families - {REACTION}) != bool(b.families - {REACTION})
        if a.script == b.script and acts and title < 0.3 and not figures:
            return 0.0  # one title tells an act (a rate cut), the other none (a speech)
    # Weighted Jaccard of the names: the parties only one report names count against it.
    head = a.headline | b.headline
    union = (_weight(a.actors | b.actors, idf, head)
             + 0.5 * _weight(a.places | b.places, idf, head)
             + 0.5 * _weight(a.assets | b.assets, idf, head)) or 1.0
    shared = (_weight(actors, idf, head) + 0.5 * _weight(places, idf, head)
              + 0.5 * _weight(assets, idf, head)) / union
    if a.script != b.script and not cross:
        cross = _overlap(a.terms, b.terms)
    # Titles naming the same parties (俄美乌 = Russia, US, Ukraine) say much across languages.
    parties = (jaccard(a.headline, b.headline)
               if len(a.headline) >= 2 and len(b.headline) >= 2 else 0.0)
    return (0.3 * parties + 0.6 * shared + 0.1 * min(len(actors), 3) + 0.15 * min(len(figures), 2)
            + 0.05 * min(len(amounts), 2) + 0.15 * same_action + 0.25 * cross + 0.6 * title)


def contradicts(a: Signature, b: Signature, title: float) -> bool:
    """The two reports cannot tell one event, however alike they read (`title`: the
    bigram Jaccard of their titles, 0 across languages)."""
    if a.actors & a.headline and b.actors & b.headline and (a.actors & a.headline).isdisjoint(b.actors):
        return True  # titles about different actors (Tesla to cut jobs / BYD to cut jobs)
    if a.script == b.script == "en" and a.names and b.names and a.names.isdisjoint(b.names):
        return True  # English titles naming different parties, known to the gazetteer or not
    if _other_parties(a, b):
        return True  # titles naming other parties (tariffs by Brazil on Germany / on Japan)
    if a.headline and b.headline and (a.headline & a.places).isdisjoint(b.places) \
            and (b.headline & b.places) and (a.headline & a.places):
        return True  # titles set in different places (France's inflation / Mexico's)
    # both state precise figures and none agree: a template filled twice
    return title < 0.8 and bool(a.figures and b.figures and a.figures.isdisjoint(b.figures))


def _other_parties(a: Signature, b: Signature) -> bool:
    """Both titles name two parties or more, and each names a country the other report never
    does. People are not counted: two officials of one side (Trump, Rubio) often front
    reports of one event."""
    if len(a.headline) < 2 or len(b.headline) < 2:
        return False
    return bool((a.headline & a.places) - b.named()) and bool((b.headline & b.places) - a.named())


def _weight(keys: frozenset[str], idf: Mapping[str, float], headline: frozenset[str]) -> float:
    """Rare names weigh more; names in a title count double (the lead names bystanders)."""
    return sum(idf.get(k, 1.0) * (2.0 if k in headline else 1.0) for k in keys)


def _overlap(a: frozenset[str], b: frozenset[str]) -> float:
    """Share of the smaller set found in the other (titles differ in length across languages)."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))
