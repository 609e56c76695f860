"""Scoring the impact tags against a labelled set (tests/data/eval/impacts_*.yaml).

    pairs        (item, asset) the labeller tagged, and the ones the reasoner tagged
    recall       labelled pairs the reasoner also tagged / labelled pairs
    precision    tagged pairs the labeller also tagged / tagged pairs
    agreement    on pairs both tagged: same direction (up: bullish, lean_bullish;
                 down: bearish, lean_bearish; hawkish; dovish; flat: neutral, volatile);
                 `exact` is the same stance word
    untagged     items with labels but no tag at all / items with labels

Baselines for the stance, on the pairs both tagged: always 利多, and the majority
stance per asset in the development part (the labeller's commonest stance for it).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from briefing.analyse.base import Story
from briefing.analyse.lexicon import Lexicon, lexicon
from briefing.analyse.reasoner import find_impacts, read_story
from briefing.article import Article
from briefing.knowledge import stance_vocabulary

EVAL = Path(__file__).resolve().parents[3] / "tests" / "data" / "eval"
DEV, HELDOUT = EVAL / "impacts_dev.yaml", EVAL / "impacts_heldout.yaml"
_CLASS = {"bullish": "up", "lean_bullish": "up", "bearish": "down", "lean_bearish": "down",
          "hawkish": "hawkish", "dovish": "dovish", "neutral": "flat", "volatile": "flat"}

Tags = dict[str, str]


@dataclass(frozen=True)
class Labelled:
    id: str
    lang: str
    title: str
    text: str
    tags: Tags


@dataclass(frozen=True)
class Figures:
    items: int
    labelled_pairs: int
    tagged_pairs: int
    recall: float
    precision: float
    agreement: float
    exact: float
    untagged: float
    always_bullish: float
    majority: float

    def lines(self, name: str) -> list[str]:
        return [
            f"{name}: {self.items} items, {self.labelled_pairs} labelled pairs, {self.tagged_pairs} tagged",
            f"  target recall        {self.recall:.3f}   (target >= 0.6)",
            f"  target precision     {self.precision:.3f}   (target >= 0.7)",
            f"  stance agreement     {self.agreement:.3f}   (target >= 0.85; exact word {self.exact:.3f})",
            f"    baseline always 利多        {self.always_bullish:.3f}",
            f"    baseline majority per asset {self.majority:.3f}",
            f"  labelled but untagged {self.untagged:.3f}  (target <= 0.20)",
        ]


def load_set(path: Path) -> list[Labelled]:
    data: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [Labelled(str(e["id"]), str(e["lang"]), str(e["title"]), str(e["text"]),
                     {str(k): str(v) for k, v in (e.get("tags") or {}).items()})
            for e in data["items"]]


def as_story(item: Labelled) -> Story:
    """One labelled item as a one-article story, the way the pipeline would pass it."""
    import datetime as dt

    when = dt.datetime(2026, 3, 11, 8, tzinfo=dt.UTC)
    lang = "zh-Hans" if item.lang == "zh" else item.lang
    article = Article(
        id=item.id, source_id="eval", source_name="eval", url=None,
        title=item.title, title_norm=item.title, published=when, lang=lang,
        text=item.text, text_norm=item.text,
        content_hash=hashlib.sha256(f"{item.title}\n{item.text}".encode()).hexdigest(),
        first_seen=when, last_seen=when,
    )
    return Story(id=item.id, articles=(article,), section="markets", score=1.0)


def predict(item: Labelled, lex: Lexicon | None = None) -> Tags:
    lex = lex or lexicon()
    analysis = read_story(as_story(item), lex)
    return {i.target_key or "": i.stance for i in find_impacts(analysis, lex, stance_vocabulary())}


def majority_stances(items: Iterable[Labelled]) -> Tags:
    """The labeller's commonest stance per asset (ties: the first seen)."""
    counts: dict[str, Counter[str]] = {}
    for item in items:
        for target, stance in item.tags.items():
            counts.setdefault(target, Counter())[stance] += 1
    return {t: c.most_common(1)[0][0] for t, c in counts.items()}


def score(items: list[Labelled], predicted: Mapping[str, Tags], majority: Tags) -> Figures:
    labelled = sum(len(i.tags) for i in items)
    tagged = sum(len(predicted.get(i.id, {})) for i in items)
    matched: list[tuple[str, str, str]] = []  # (target, gold, predicted)
    for item in items:
        mine = predicted.get(item.id, {})
        matched += [(t, s, mine[t]) for t, s in item.tags.items() if t in mine]
    with_labels = [i for i in items if i.tags]
    untagged = sum(1 for i in with_labels if not predicted.get(i.id))

    def agree(pairs: Iterable[tuple[str, str]]) -> float:
        pairs = list(pairs)
        return sum(_CLASS.get(a) == _CLASS.get(b) for a, b in pairs) / max(len(pairs), 1)

    return Figures(
        items=len(items), labelled_pairs=labelled, tagged_pairs=tagged,
        recall=len(matched) / max(labelled, 1),
        precision=len(matched) / max(tagged, 1),
        agreement=agree((g, p) for _, g, p in matched),
        exact=sum(g == p for _, g, p in matched) / max(len(matched), 1),
        untagged=untagged / max(len(with_labels), 1),
        always_bullish=agree((g, "bullish") for _, g, _ in matched),
        majority=agree((g, majority.get(t, "bullish")) for t, g, _ in matched),
    )


def impact_report(dev: Path = DEV, heldout: Path = HELDOUT) -> list[str]:
    """The figures for both parts, as bench/quality.py prints them."""
    dev_items, held_items = load_set(dev), load_set(heldout)
    majority = majority_stances(dev_items)
    lines = ["impact tags (the reasoner) on the labelled sets:"]
    for name, items in (("development", dev_items), ("held-out", held_items)):
        predicted = {i.id: predict(i) for i in items}
        lines += score(items, predicted, majority).lines(name)
    return lines
