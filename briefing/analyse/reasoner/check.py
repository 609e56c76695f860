"""The rules check another analyst: a tag whose direction contradicts a fired rule.

With an LLM configured its interpretation stands; the reasoner's tags for the same story
are the check. A contradiction is not an error (the model may read the story better);
it is a line in the build report for an editor to look at.
"""

from __future__ import annotations

from briefing.analyse.reasoner.impacts import POLARITY
from briefing.model import Impact, Item


def _sign(impact: Impact) -> int:
    value = POLARITY.get(impact.stance, 0)
    return (value > 0) - (value < 0)


def contradictions(rules: Item, other: Item) -> list[str]:
    """One line per tag of `other` that points the opposite way to a rule's tag."""
    by_target = {i.target_key: i for i in rules.impacts if i.rule and i.target_key and _sign(i)}
    out = []
    for impact in other.impacts:
        mine = by_target.get(impact.target_key or "")
        if mine is None or not _sign(impact) or _sign(impact) == _sign(mine):
            continue
        evidence = mine.evidence.zh or mine.evidence.en
        title = other.title.zh or other.title.en
        theirs = impact.stance_text.zh or impact.stance
        ours = mine.stance_text.zh or mine.stance
        out.append(f"item {other.id} ({title}): the LLM tags {mine.target.zh or impact.target_key} "
                   f"{theirs}, but rule {mine.rule} gives {ours} (evidence: {evidence})")
    return out
