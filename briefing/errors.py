"""The exception tree. Every error the product raises on purpose is a `BriefingError`.

    BriefingError
    ├── ConfigError        feeds.yaml, edits, knowledge files: names the file, key/line and fix
    ├── SourceError        one source could not be fetched or read (recorded, never fatal)
    │   ├── FetchError
    │   └── ParseError
    ├── StorageError       the SQLite store
    │   └── DatabaseLockedError
    ├── AnalysisError      analysing a day (LLM failures fall back instead of raising)
    ├── RenderError        Markdown / HTML / PDF
    │   └── ImportFormatError  a 经济日报 post that cannot be read
    └── PublishError       the static site, the publish gate, the nightly lock
        ├── GateError
        └── LockHeldError

Messages read ``what happened: subject: cause`` and, where there is one, say the fix.
The CLI turns these into one-line messages; nothing below the CLI prints.
"""

from __future__ import annotations


class BriefingError(Exception):
    """Root of every error raised on purpose by briefing."""


class ConfigError(BriefingError):
    """A configuration or data file is invalid."""


class SourceError(BriefingError):
    """A source could not be fetched or read."""


class FetchError(SourceError):
    """Network-level failure for a source."""


class ParseError(SourceError):
    """The bytes of a source are not a feed or document we can read."""


class StorageError(BriefingError):
    """The store is unusable: corrupt, foreign, too new or unwritable."""


class DatabaseLockedError(StorageError):
    """Another process holds the store's write lock."""


class AnalysisError(BriefingError):
    """A day could not be analysed."""


class RenderError(BriefingError):
    """A briefing could not be rendered."""


class ImportFormatError(RenderError):
    """A Markdown post could not be imported into the model."""


class PublishError(BriefingError):
    """The site could not be published."""


class GateError(PublishError):
    """The publish gate refused a briefing."""


class LockHeldError(PublishError):
    """Another nightly run holds the lock."""
