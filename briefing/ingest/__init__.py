"""The ingest stage: feeds.yaml sources (feeds and local files) into the store.

    run_fetch(config, store=store) -> FetchReport

Folders are the pipeline: `http` fetches bytes, `encoding` decodes them, `feeds` and `local`
turn them into raw entries, `htmltext`, `clean` and `lang` make text of them, `entries`
builds `Article`s, and `run` drives it all and writes to the store.
"""

from briefing.ingest.report import FetchReport, SourceResult
from briefing.ingest.run import run_fetch

__all__ = ["FetchReport", "SourceResult", "run_fetch"]
