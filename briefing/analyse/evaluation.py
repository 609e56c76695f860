"""Scoring the analysis against a labelled set (tests/data/eval, bench/quality.py).

The set is YAML: articles with a gold story id, section and stances per target. The
figures are pairwise story-merge precision and recall (every pair of articles: same gold
story vs same predicted item), section accuracy per article, and stance accuracy over the
gold (article, target) pairs — a missing tag counts as wrong — plus how many predicted
tags have no gold label (tags the labeller did not see evidence for).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from briefing.article import Article
from briefing.model import Briefing


@dataclass(frozen=True)
class Gold:
    story: str
    section: str
    stances: dict[str, str]
    in_window: bool


@dataclass(frozen=True)
class Scores:
    section_accuracy: float
    merge_precision: float
    merge_recall: float
    stance_accuracy: float
    unlabelled_tags: int
    articles: int
    window_leaks: int

    def lines(self) -> list[str]:
        return [
            f"articles            {self.articles}",
            f"section accuracy    {self.section_accuracy:.3f}",
            f"merge precision     {self.merge_precision:.3f}",
            f"merge recall        {self.merge_recall:.3f}",
            f"stance accuracy     {self.stance_accuracy:.3f}",
            f"unlabelled tags     {self.unlabelled_tags}",
            f"window leaks        {self.window_leaks}",
        ]


def _simplified(text: str, lang: str) -> str:
    if lang != "zh-Hant":
        return text
    import opencc  # a dependency of the project; imported here to keep the module light

    return str(opencc.OpenCC("t2s").convert(text))


def load_eval(path: Path) -> tuple[dt.date, list[Article], dict[str, Gold]]:
    data: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    articles: list[Article] = []
    gold: dict[str, Gold] = {}
    for entry in data["articles"]:
        when = dt.datetime.fromisoformat(entry["published"])
        title, text, lang = str(entry["title"]), str(entry["text"]), entry["lang"]
        source = str(entry["source"])
        ident = entry["id"]
        articles.append(Article(
            id=ident,
            source_id=hashlib.sha1(source.encode()).hexdigest()[:8],
            source_name=source,
            url=f"https://example.org/{ident}",
            title=title,
            title_norm=_simplified(title, lang),
            published=when,
            lang=lang,
            text=text,
            text_norm=_simplified(text, lang),
            content_hash=hashlib.sha256(f"{title}\n{text}".encode()).hexdigest(),
            first_seen=when,
            last_seen=when,
        ))
        gold[ident] = Gold(entry["story"], entry["section"], dict(entry.get("stances") or {}),
                           entry.get("window") != "previous")
    return dt.date.fromisoformat(str(data["date"])), articles, gold


def score(briefing: Briefing, gold: dict[str, Gold]) -> Scores:
    item_of: dict[str, tuple[str, str]] = {}  # article id → (item id, section key)
    impacts: dict[str, dict[str, str]] = {}
    for section in briefing.sections:
        for entry in section.items:
            item_id = entry.id
            impacts[item_id] = {i.target_key or "": i.stance for i in entry.impacts}
            for source in entry.sources:
                if source.article_id:
                    item_of[source.article_id] = (item_id, section.key)
    present = sorted(a for a, g in gold.items() if g.in_window)
    leaks = sum(1 for a, g in gold.items() if not g.in_window and a in item_of)
    sections = [item_of.get(a, ("", ""))[1] == gold[a].section for a in present]
    tp = fp = fn = 0
    for a, b in itertools.combinations(present, 2):
        same_gold = gold[a].story == gold[b].story
        same_pred = a in item_of and b in item_of and item_of[a][0] == item_of[b][0]
        tp += same_gold and same_pred
        fp += same_pred and not same_gold
        fn += same_gold and not same_pred
    right = total = 0
    labelled: dict[str, set[str]] = {}
    for a in present:
        predicted_item = item_of.get(a, ("", ""))[0]
        predicted = impacts.get(predicted_item, {})
        labelled.setdefault(predicted_item, set()).update(gold[a].stances)
        for target, stance in gold[a].stances.items():
            total += 1
            right += predicted.get(target) == stance
    unlabelled = sum(len(set(impacts[i]) - labelled.get(i, set())) for i in impacts)
    return Scores(
        section_accuracy=sum(sections) / max(len(sections), 1),
        merge_precision=tp / max(tp + fp, 1),
        merge_recall=tp / max(tp + fn, 1),
        stance_accuracy=right / max(total, 1),
        unlabelled_tags=unlabelled,
        articles=len(present),
        window_leaks=leaks,
    )
