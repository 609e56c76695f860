"""The user's cache folder for what the package compiles from its own files.

Compiled forms of the package's data and templates (the language model's arrays, Jinja's
bytecode) depend only on the installed package, not on any site or store, so they live
in one place per user: `$XDG_CACHE_HOME/briefing/NAME`, else `~/.cache/briefing/NAME`,
and an empty output folder still starts from them, as Python starts from its `.pyc`
files. Every user checks what it reads (versions, checksums) and treats a missing or
broken cache as none.
"""

from __future__ import annotations

import os
from pathlib import Path


def user_cache(name: str) -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "briefing" / name
