"""briefing: a bilingual (中文 / English) daily market-news briefing generator.

The pipeline, one module or package per stage, data flowing one way::

    feeds.yaml, local files ─▶ ingest ─▶ store ─▶ analyse(date) ─▶ Briefing ─▶ render ─▶ publish
"""

__version__ = "0.1.0"
