"""Results of a fetch run, as values: one `SourceResult` per source, totals in `FetchReport`."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Literal

Status = Literal["ok", "not_modified", "error", "deferred"]

_ENTRY_PREFIX = re.compile(r"^entry .{0,300}?: (?=\S)")
_QUOTED = re.compile(r"'[^']{0,80}'|\"[^\"]{0,80}\"")


def aggregate_warnings(warnings: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """One line per kind of warning, with a count: `text truncated (x3)`.

    Per-entry warnings (`entry <key>: ...`) lose their entry key, so forty entries with the
    same problem make one line, not forty; the order is that of first appearance.
    """
    counts: Counter[str] = Counter()
    for warning in warnings:
        kind = _ENTRY_PREFIX.sub("", warning.strip())
        if kind != warning.strip():
            kind = _QUOTED.sub("…", kind)
        counts[kind] += 1
    return tuple(k if n == 1 else f"{k} (x{n})" for k, n in counts.items())


@dataclass(frozen=True)
class SourceResult:
    """What happened to one source in one run."""

    source_id: str
    status: Status
    new: int = 0
    updated: int = 0
    entries: int = 0
    error_type: str | None = None
    error: str | None = None
    warnings: tuple[str, ...] = ()  # aggregated: one line per kind
    elapsed: float = 0.0
    rejected: int = 0  # entries admission kept out of briefings (stored all the same)
    stale: bool = False

    @property
    def failed(self) -> bool:
        return self.status == "error"

    def describe(self) -> str:
        if self.status == "error":
            return f"{self.source_id}: {self.error_type}: {self.error}"
        if self.status == "deferred":
            return f"{self.source_id}: deferred: {self.error}"
        if self.status == "not_modified":
            return f"{self.source_id}: not modified"
        rejected = f", {self.rejected} not admitted" if self.rejected else ""
        return f"{self.source_id}: ok, {self.new} new, {self.updated} updated{rejected}"

    def warning_line(self) -> str | None:
        """All of this source's warnings on one line, or None when it has none."""
        if not self.warnings:
            return None
        return f"{self.source_id}: " + "; ".join(self.warnings)


@dataclass(frozen=True)
class FetchReport:
    started: dt.datetime
    finished: dt.datetime
    results: list[SourceResult] = field(default_factory=list)

    def _count(self, status: Status) -> int:
        return sum(1 for r in self.results if r.status == status)

    @property
    def ok(self) -> int:
        return self._count("ok")

    @property
    def failed(self) -> int:
        return self._count("error")

    @property
    def not_modified(self) -> int:
        return self._count("not_modified")

    @property
    def deferred(self) -> int:
        return self._count("deferred")

    @property
    def new(self) -> int:
        return sum(r.new for r in self.results)

    @property
    def updated(self) -> int:
        return sum(r.updated for r in self.results)

    @property
    def status(self) -> str:
        """`ok`, `partial` (some sources failed) or `failed` (every source that ran failed)."""
        if not self.failed:
            return "ok"
        ran = [r for r in self.results if r.status != "deferred"]
        return "failed" if self.failed == len(ran) else "partial"

    def result(self, source_id: str) -> SourceResult:
        return next(r for r in self.results if r.source_id == source_id)

    def summary_line(self) -> str:
        """`42 ok, 3 failed, 11 not modified; articles: 120 new, 7 updated`."""
        head = f"{self.ok} ok, {self.failed} failed, {self.not_modified} not modified"
        if self.deferred:
            head += f", {self.deferred} deferred"
        tail = ""
        rejected = sum(r.rejected for r in self.results)
        if rejected:
            tail += f", {rejected} not admitted"
        stale = sum(1 for r in self.results if r.stale)
        if stale:
            tail += f"; {stale} stale"
        if self.status != "ok":
            tail += f"; {self.status.upper()}"
        return f"{head}; articles: {self.new} new, {self.updated} updated{tail}"

    def as_details(self) -> dict[str, Any]:
        return {
            "summary": self.summary_line(),
            "status": self.status,
            "failed": sorted(r.source_id for r in self.results if r.failed),
            "sources": {
                r.source_id: {
                    "status": r.status,
                    "new": r.new,
                    "updated": r.updated,
                    **({"error": f"{r.error_type}: {r.error}"} if r.error_type else {}),
                    **({"warnings": list(r.warnings)} if r.warnings else {}),
                    **({"rejected": r.rejected} if r.rejected else {}),
                    **({"stale": True} if r.stale else {}),
                }
                for r in self.results
            },
        }
