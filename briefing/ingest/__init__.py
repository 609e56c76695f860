"""The ingest stage: feeds.yaml sources (feeds and local files) into the store.

    run_fetch(config, store=store) -> FetchReport

Folders are the pipeline: `http` fetches bytes, `encoding` decodes them, `feeds` and `local`
turn them into raw entries, `htmltext`, `clean` and `lang` make text of them, `entries`
builds `Article`s, and `run` drives it all and writes to the store.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from briefing.ingest.report import FetchReport, SourceResult
    from briefing.ingest.run import run_fetch

# Loaded on first use: `briefing.config` imports `briefing.ingest.settings`, and this
# package's engine (httpx, asyncio, feedparser) must not load with every command.
_EXPORTS = {
    "FetchReport": "briefing.ingest.report",
    "SourceResult": "briefing.ingest.report",
    "run_fetch": "briefing.ingest.run",
}

__all__ = ["FetchReport", "SourceResult", "run_fetch"]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'briefing.ingest' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
