"""Scoring story building against the labelled set `tests/data/eval/stories.yaml`.

Two days are analysed as the nightly run would: day 1 alone, day 2 with day 1's
briefing as history. The figures (per split: all, dev, held):

    merge precision / recall   pairs of same-day articles: same gold event vs same item
    event precision / recall   B-cubed: per article, the share of its item that is its event
                               and the share of its event that is in its item
    cross-lingual recall       the gold pairs whose articles are in different languages
    repeat precision / recall  day-2 articles of a day-1 event: dropped or in a follow-up
    edition language           share of main-section items whose title is in the edition's
                               language (zh, en), per edition

`baselines` scores the same pairs for two simple clusterings (duplicates only; titles
alike in one language) so a figure has something to stand beside.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from briefing.article import Article
from briefing.model import Briefing

OPEN_CAPS = {"analysis": {"max_items_per_section": 1000, "max_brief_items": 1000,
                          "min_item_score": 0, "dedupe_days": 3}}


@dataclass(frozen=True)
class Gold:
    event: str
    day: int
    lang: str  # "zh" or "en"
    split: str
    repeat: bool


@dataclass(frozen=True)
class EvalSet:
    date: dt.date
    days: dict[int, list[Article]]
    gold: dict[str, Gold]


def _simplified(text: str, lang: str) -> str:
    if lang != "zh-Hant":
        return text
    import opencc  # a dependency of the project; imported here to keep the module light

    return str(opencc.OpenCC("t2s").convert(text))


def load(path: Path) -> EvalSet:
    data: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    days: dict[int, list[Article]] = defaultdict(list)
    gold: dict[str, Gold] = {}
    for e in data["articles"]:
        when = dt.datetime.fromisoformat(e["published"])
        title, text, lang, ident = str(e["title"]), str(e["text"]), str(e["lang"]), str(e["id"])
        days[int(e["day"])].append(Article(
            id=ident, source_id=hashlib.sha1(e["source"].encode()).hexdigest()[:8],
            source_name=e["source"], url=f"https://example.org/{ident}", title=title,
            title_norm=_simplified(title, lang), published=when, lang=lang, text=text,
            text_norm=_simplified(text, lang),
            content_hash=hashlib.sha256(f"{title}\n{text}".encode()).hexdigest(),
            first_seen=when, last_seen=when,
        ))
        gold[ident] = Gold(e["event"], int(e["day"]), "zh" if lang.startswith("zh") else "en",
                           e["split"], bool(e.get("repeat_of")))
    return EvalSet(dt.date.fromisoformat(str(data["date"])), dict(days), gold)


@dataclass(frozen=True)
class Merge:
    precision: float
    recall: float
    event_precision: float
    event_recall: float
    cross_recall: float
    pairs: int


def merge_scores(assign: dict[str, str], gold: dict[str, Gold], ids: Iterable[str]) -> Merge:
    """Pairwise, B-cubed and cross-language figures for `ids` (one day's articles)."""
    ids = sorted(i for i in ids if i in assign)
    tp = fp = fn = cross = cross_tp = 0
    for a, b in itertools.combinations(ids, 2):
        same_gold = gold[a].event == gold[b].event
        same_pred = assign[a] == assign[b]
        tp += same_gold and same_pred
        fp += same_pred and not same_gold
        fn += same_gold and not same_pred
        if same_gold and gold[a].lang != gold[b].lang:
            cross += 1
            cross_tp += same_pred
    by_pred: dict[str, set[str]] = defaultdict(set)
    by_gold: dict[str, set[str]] = defaultdict(set)
    for i in ids:
        by_pred[assign[i]].add(i)
        by_gold[gold[i].event].add(i)
    bp = sum(len(by_pred[assign[i]] & by_gold[gold[i].event]) / len(by_pred[assign[i]]) for i in ids)
    br = sum(len(by_pred[assign[i]] & by_gold[gold[i].event]) / len(by_gold[gold[i].event]) for i in ids)
    n = max(len(ids), 1)
    return Merge(tp / max(tp + fp, 1), tp / max(tp + fn, 1), bp / n, br / n,
                 cross_tp / max(cross, 1), tp + fn)


def item_of(briefing: Briefing) -> dict[str, tuple[str, bool]]:
    """Article id → (item id, follow-up) for every source of every item."""
    out: dict[str, tuple[str, bool]] = {}
    for item in briefing.items():
        for source in item.sources:
            if source.article_id:
                out[source.article_id] = (item.id, item.follow_up)
    return out


def repeat_scores(day2: Briefing, articles: Sequence[Article], gold: dict[str, Gold]) -> tuple[float, float]:
    """(precision, recall) of repeats: a day-2 article dropped or in a follow-up item."""
    items = item_of(day2)
    predicted = {a.id for a in articles if a.id not in items or items[a.id][1]}
    truth = {a.id for a in articles if gold[a.id].repeat}
    return len(predicted & truth) / max(len(predicted), 1), len(predicted & truth) / max(len(truth), 1)


def edition_language(briefing: Briefing) -> dict[str, float]:
    """Per edition: the share of main-section items whose title is in its language."""
    from briefing.render.editions import for_edition

    out = {}
    for edition in ("zh", "en"):
        view = for_edition(briefing, edition)
        main = [i for s in view.sections if not s.brief for i in s.items]
        own = [i for i in main if getattr(i.title, edition)]
        out[edition] = len(own) / max(len(main), 1)
    return out


@dataclass(frozen=True)
class Report:
    merges: dict[str, Merge]  # split → figures
    repeat_precision: float
    repeat_recall: float
    languages: dict[str, float]
    baselines: dict[str, dict[str, Merge]]

    def lines(self) -> list[str]:
        out = []
        for name, m in self.merges.items():
            out.append(f"{name:<5} merge P {m.precision:.3f} R {m.recall:.3f}  event P {m.event_precision:.3f} "
                       f"R {m.event_recall:.3f}  cross-lingual R {m.cross_recall:.3f}  ({m.pairs} gold pairs)")
        out.append(f"repeats            P {self.repeat_precision:.3f} R {self.repeat_recall:.3f}")
        out.append("edition language   " + "  ".join(f"{k} {v:.3f}" for k, v in self.languages.items()))
        for base, merges in self.baselines.items():
            m = merges["all"]
            out.append(f"baseline {base:<22} merge P {m.precision:.3f} R {m.recall:.3f}  "
                       f"cross-lingual R {m.cross_recall:.3f}")
        return out


def _per_split(assign: dict[str, str], data: EvalSet) -> dict[str, Merge]:
    out = {}
    for split in ("all", "dev", "held"):
        per_day = [merge_scores(assign, data.gold, [a.id for a in arts
                                                    if split == "all" or data.gold[a.id].split == split])
                   for arts in data.days.values()]
        out[split] = _pool(per_day)
    return out


def _pool(parts: list[Merge]) -> Merge:
    """Days pooled, weighted by their gold pairs."""
    total = sum(p.pairs for p in parts) or 1
    def avg(name: str) -> float:
        return sum(getattr(p, name) * p.pairs for p in parts) / total
    return Merge(avg("precision"), avg("recall"), avg("event_precision"), avg("event_recall"),
                 avg("cross_recall"), sum(p.pairs for p in parts))


def evaluate(data: EvalSet, analyse: Callable[..., Briefing],
             baselines: dict[str, Callable[[Sequence[Article]], dict[str, str]]] | None = None) -> Report:
    """Both days analysed (`analyse(articles, date, published=[...])`), then scored."""
    day1 = analyse(data.days[1], data.date, published=[])
    day2 = analyse(data.days[2], data.date + dt.timedelta(days=1), published=[day1])
    # Merging is judged before history: day 2 again, without history, for its items.
    day2_all = analyse(data.days[2], data.date + dt.timedelta(days=1), published=[])
    assign = {a: i for b in (day1, day2_all) for a, (i, _) in item_of(b).items()}
    precision, recall = repeat_scores(day2, data.days[2], data.gold)
    languages = {k: min(edition_language(b)[k] for b in (day1, day2)) for k in ("zh", "en")}
    base_scores = {}
    for name, cluster in (baselines or {}).items():
        base_assign = {k: f"{d}:{v}" for d, arts in data.days.items() for k, v in cluster(arts).items()}
        base_scores[name] = _per_split(base_assign, data)
    return Report(_per_split(assign, data), precision, recall, languages, base_scores)


def duplicates_only(articles: Sequence[Article]) -> dict[str, str]:
    """Baseline: the duplicate stage alone (exact and near copies), no events."""
    from briefing.analyse.stories.cluster import merge_duplicates

    ordered = sorted(articles, key=lambda a: (a.published, a.id))
    groups = merge_duplicates(ordered, 0.5)
    return {ordered[i].id: str(n) for n, g in enumerate(groups) for i in g}


def similar_titles(articles: Sequence[Article], threshold: float = 0.4) -> dict[str, str]:
    """Baseline: titles alike (bigram Jaccard) in one language, single link."""
    from briefing.analyse.text import char_ngrams, is_chinese, jaccard

    grams = [char_ngrams(a.title_norm, 2) for a in articles]
    parent = list(range(len(articles)))

    def find(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    for i, j in itertools.combinations(range(len(articles)), 2):
        same_script = is_chinese(articles[i].lang) == is_chinese(articles[j].lang)
        if same_script and jaccard(grams[i], grams[j]) >= threshold:
            parent[find(j)] = find(i)
    return {a.id: str(find(i)) for i, a in enumerate(articles)}


def report(path: Path) -> Report:
    """The figures bench/quality.py prints for the story set at `path`."""
    from briefing.analyse.pipeline import analyse_day
    from briefing.config import Config

    data = load(path)
    config = Config.model_validate(OPEN_CAPS)

    def analyse(articles: Sequence[Article], date: dt.date, published: list[Briefing]) -> Briefing:
        clock = dt.datetime.combine(date, dt.time(12, 0), tzinfo=dt.UTC)
        return analyse_day(articles, date, config, published=published, clock=clock)

    return evaluate(data, analyse, {"duplicates only": duplicates_only,
                                    "similar titles (one language)": similar_titles})
