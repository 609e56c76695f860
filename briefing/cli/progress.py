"""Progress for long commands: a bar on a terminal, silence elsewhere, each step logged.

`build` with PDFs takes seconds per edition and `site` minutes for a year of days; on a
terminal the user sees a bar on stderr (stdout stays the command's output). Without a
terminal (cron, CI, a pipe) nothing is drawn. Every step is also logged at INFO, so
`briefing -v` (or `--log-file`) shows the same steps as lines; with -v the bar gives way to
those lines instead of fighting them for the terminal.
"""

from __future__ import annotations

import logging
import sys
from types import TracebackType
from typing import Any

import click

_LOG = logging.getLogger("briefing.progress")


def _logging_to_stderr() -> bool:
    logger = logging.getLogger("briefing")
    return any(
        isinstance(h, logging.StreamHandler) and getattr(h, "stream", None) is sys.stderr
        for h in logger.handlers
    )


def wants_bar(quiet: bool = False) -> bool:
    """A bar only for a person watching: stderr is a terminal, not quiet, not logging there."""
    return not quiet and sys.stderr.isatty() and not _logging_to_stderr()


class Progress:
    """`with Progress("site", total) as p: ... p.step("2026-02-05 rendered")`."""

    def __init__(self, label: str, total: int, *, quiet: bool = False) -> None:
        self.label = label
        self.total = total
        self.done = 0
        self._bar: Any = None
        if wants_bar(quiet) and total > 0:
            self._bar = click.progressbar(
                length=total, label=label, file=sys.stderr, show_pos=True,
                item_show_func=lambda item: item,
            )

    def __enter__(self) -> Progress:
        if self._bar is not None:
            self._bar.__enter__()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._bar is not None:
            self._bar.__exit__(kind, exc, tb)

    def step(self, what: str) -> None:
        self.done += 1
        _LOG.info("%s: %s (%d/%d)", self.label, what, self.done, self.total)
        if self._bar is not None:
            self._bar.update(1, what)
