"""The labelled evaluation set stays above floors (bench/quality.py prints the figures)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from briefing.analyse import analyse_day
from briefing.analyse.evaluation import load_eval, score
from briefing.config import Config

EVAL = Path(__file__).resolve().parents[1] / "data" / "eval" / "articles.yaml"
OPEN_CAPS = {"analysis": {"max_items_per_section": 100, "max_brief_items": 100, "min_item_score": 0}}


def test_eval_set_is_large_enough() -> None:
    _, articles, gold = load_eval(EVAL)
    assert len(articles) >= 60
    assert len({g.story for g in gold.values()}) >= 20
    assert sum(len(g.stances) for g in gold.values()) >= 20


def test_quality_floors() -> None:
    date, articles, gold = load_eval(EVAL)
    clock = dt.datetime.combine(date, dt.time(12, 0), tzinfo=dt.UTC)
    scores = score(analyse_day(articles, date, Config.model_validate(OPEN_CAPS), clock=clock), gold)
    assert scores.window_leaks == 0
    assert scores.section_accuracy >= 0.7
    assert scores.merge_precision >= 0.9
    assert scores.merge_recall >= 0.5
    assert scores.stance_accuracy >= 0.7
