"""Results of a fetch run, as values: one `SourceResult` per source, totals in `FetchReport`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

Status = Literal["ok", "not_modified", "error", "deferred"]


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
    warnings: tuple[str, ...] = ()
    elapsed: float = 0.0

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
        return f"{self.source_id}: ok, {self.new} new, {self.updated} updated"


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
        if not self.failed:
            return "ok"
        return "failed" if self.failed == len(self.results) else "partial"

    def result(self, source_id: str) -> SourceResult:
        return next(r for r in self.results if r.source_id == source_id)

    def summary_line(self) -> str:
        """`42 ok, 3 failed, 11 not modified; articles: 120 new, 7 updated`."""
        head = f"{self.ok} ok, {self.failed} failed, {self.not_modified} not modified"
        if self.deferred:
            head += f", {self.deferred} deferred"
        return f"{head}; articles: {self.new} new, {self.updated} updated"

    def as_details(self) -> dict[str, Any]:
        return {
            "summary": self.summary_line(),
            "sources": {
                r.source_id: {
                    "status": r.status,
                    "new": r.new,
                    "updated": r.updated,
                    **({"error": f"{r.error_type}: {r.error}"} if r.error_type else {}),
                }
                for r in self.results
            },
        }
