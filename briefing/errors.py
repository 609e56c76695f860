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
    ├── OutputError        an output file or folder cannot be written (disk full, read-only)
    └── PublishError       the static site, the publish gate, the nightly lock
        ├── GateError
        └── LockHeldError

Messages read ``what happened: subject: cause`` and, where there is one, say the fix.
The CLI turns these into one-line messages; nothing below the CLI prints.
"""

from __future__ import annotations

import errno
from pathlib import Path


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


class OutputError(BriefingError):
    """An output file or folder could not be written; nothing partial was left behind."""


# errno → what to do about it, for the one-line message of an OSError while writing.
_OS_FIXES = {
    errno.ENOSPC: "the disk is full: free some space and run again",
    errno.EDQUOT: "the disk quota is used up: free some space and run again",
    errno.EROFS: "the file system is read-only: choose a writable folder (--out DIR)",
    errno.EACCES: "permission denied: make the folder writable or choose another (--out DIR)",
    errno.EPERM: "operation not permitted: make the folder writable or choose another",
    errno.ENOTDIR: "a file stands where a folder is needed: move it or choose another folder",
    errno.EISDIR: "a folder stands where a file is needed: move it or choose another folder",
}


def os_error_message(exc: OSError, doing: str = "cannot write", path: Path | None = None) -> str:
    """One line for an `OSError`: what, where, why in words, and the fix.

    `path` names the file when the error does not (a failed write(2) carries no name).
    """
    where = exc.filename if exc.filename is not None else (path or "")
    why = exc.strerror or type(exc).__name__
    code = errno.errorcode.get(exc.errno or 0)
    fix = _OS_FIXES.get(exc.errno or 0)
    text = f"{doing}: {Path(where) if where else '(unknown path)'}: {why}"
    if code:
        text += f" ({code})"
    return f"{text}: {fix}" if fix else text


class PublishError(BriefingError):
    """The site could not be published."""


class GateError(PublishError):
    """The publish gate refused a briefing."""


class LockHeldError(PublishError):
    """Another nightly run holds the lock."""
