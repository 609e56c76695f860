"""Quality of the rules analysis on the labelled evaluation set.

    .venv/bin/python bench/quality.py [tests/data/eval/articles.yaml]

Prints section accuracy, pairwise story-merge precision/recall and stance accuracy;
then the impact tags against tests/data/eval/impacts_{dev,heldout}.yaml (recall,
precision, stance agreement, untagged items, beside two baselines); then story building
on tests/data/eval/stories.yaml (two days, both languages, repeats): merge precision and
recall pairwise and per event, cross-lingual recall, repeats, edition language, beside
simple baselines, for the dev and the held-out split.
tests/analyse/test_quality.py, test_impact_quality.py and test_story_quality.py keep the
figures above floors.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from briefing.analyse import analyse_day
from briefing.analyse.evaluation import load_eval, score
from briefing.analyse.reasoner.evaluation import impact_report
from briefing.analyse.stories.evaluation import report as story_report
from briefing.config import Config

DEFAULT = Path(__file__).resolve().parents[1] / "tests" / "data" / "eval" / "articles.yaml"
STORIES = DEFAULT.with_name("stories.yaml")
# Caps wide open: the set measures classification, not the page's layout.
EVAL_CONFIG = {"analysis": {"max_items_per_section": 100, "max_brief_items": 100, "min_item_score": 0}}


def main(argv: list[str]) -> int:
    path = Path(argv[1]) if len(argv) > 1 else DEFAULT
    date, articles, gold = load_eval(path)
    clock = dt.datetime.combine(date, dt.time(12, 0), tzinfo=dt.UTC)
    briefing = analyse_day(articles, date, Config.model_validate(EVAL_CONFIG), clock=clock)
    print(f"evaluation set: {path}")
    for line in score(briefing, gold).lines():
        print(line)
    print()
    for line in impact_report():
        print(line)
    print(f"\nstories across sources, languages and days: {STORIES}")
    for line in story_report(STORIES).lines():
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
