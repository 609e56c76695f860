"""What the gate reports: a `Problem` per finding, and the verdict on a whole issue.

A problem has a *level*: ``error`` blocks publication, ``warning`` is reported. Faults of
one item are warnings with an *action*: the item is ``dropped`` or the field ``repaired``,
and the day publishes without it. ``--strict`` turns every warning into an error.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from briefing.errors import GateError
from briefing.model import Briefing

Level = Literal["error", "warning"]
Action = Literal["dropped", "repaired"]


@dataclass(frozen=True)
class Problem:
    """One finding: where (``zh/2026-02-05/briefing.md:12``), which rule, what, how bad."""

    place: str
    rule: str
    message: str
    level: Level = "error"
    action: Action | None = None
    item: str | None = None  # the item's id, for item-level findings

    def __str__(self) -> str:
        done = f" (item {self.action})" if self.action == "dropped" else f" ({self.action})" if self.action else ""
        return f"{self.place}: {self.level}: {self.message}{done} [{self.rule}]"

    def as_dict(self) -> dict[str, str | None]:
        return {
            "place": self.place,
            "rule": self.rule,
            "level": self.level,
            "action": self.action,
            "item": self.item,
            "message": self.message,
        }


@dataclass
class GateResult:
    """The gate's verdict on one issue: the briefing to publish and what was found."""

    briefing: Briefing
    problems: list[Problem] = field(default_factory=list)
    strict: bool = False

    @property
    def blocking(self) -> list[Problem]:
        """What stops publication: errors, and warnings too under strict."""
        return [p for p in self.problems if p.level == "error" or self.strict]

    @property
    def dropped(self) -> list[Problem]:
        return [p for p in self.problems if p.action == "dropped"]

    @property
    def repaired(self) -> list[Problem]:
        return [p for p in self.problems if p.action == "repaired"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "warning"]

    def report(self) -> dict[str, object]:
        """For the nightly manifest and the build report."""
        return {
            "problems": [str(p) for p in self.problems],
            "blocking": [str(p) for p in self.blocking],
            "dropped": [p.as_dict() for p in self.dropped],
            "repaired": [p.as_dict() for p in self.repaired],
            "warnings": len(self.warnings),
        }


def enforce(problems: list[Problem], subject: str, *, strict: bool = False) -> None:
    """Raise `GateError` naming the first blocking problems, if there are any."""
    blocking = [p for p in problems if p.level == "error" or strict]
    if not blocking:
        return
    shown = "; ".join(str(p) for p in blocking[:3])
    more = f" (and {len(blocking) - 3} more)" if len(blocking) > 3 else ""
    raise GateError(
        f"publish gate refused {subject}: {shown}{more}: fix the briefing and run again"
        " (`briefing check` lists every problem)"
    )
