"""Rendered fragments of the site's shared pages, kept from one build to the next.

The archive index, the stance history and the Atom feeds each show many days, and a
one-day change alters one of those days. Each page is therefore put together from
fragments (a feed entry, an archive month, a history row) rendered once and stored under
the sha256 of everything they are made from (`fragment_key`): the same key always gives
the same text, so reusing a fragment keeps rebuilds byte-identical, and a fragment whose
inputs changed is simply never asked for again.

Fragments live beside the releases (``out.releases/.cache/fragments/``), outside every
served folder. After a build is published, `keep_used` deletes the fragments it did not
use, so the folder holds one site's worth. A fragment that cannot be read or written is
rendered again, never a failed build.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import secrets
from collections.abc import Callable, Sequence
from pathlib import Path


def fragment_key(*parts: object) -> str:
    """The sha256 of `parts` (JSON-serialisable: strings, numbers, lists, dicts)."""
    data = json.dumps(parts, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


class Fragments:
    """A folder of fragments by key; `None` keeps nothing (every fragment is rendered).
    `salt` (the site's fingerprint: code, templates, settings) goes into every `key`."""

    def __init__(self, folder: Path | None, salt: str = "") -> None:
        self.folder = folder
        self.salt = salt
        self.used: set[str] = set()
        if folder is not None:
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError:
                self.folder = None

    def key(self, *parts: object) -> str:
        return fragment_key(self.salt, *parts)

    def get(self, key: str) -> str | None:
        self.used.add(key)
        if self.folder is None:
            return None
        try:
            return (self.folder / key).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None

    def put(self, key: str, text: str) -> None:
        """Keep `text` under `key` (written whole or not at all: a crash leaves no torn file)."""
        self.used.add(key)
        if self.folder is None:
            return
        temporary = self.folder / f".{key}.{secrets.token_hex(4)}"
        try:
            temporary.write_text(text, encoding="utf-8")
            os.replace(temporary, self.folder / key)
        except OSError:
            with contextlib.suppress(OSError):
                temporary.unlink()

    def get_or_make(self, key: str, make: Callable[[], str]) -> str:
        text = self.get(key)
        if text is None:
            text = make()
            self.put(key, text)
        return text

    def reuse(self, parts: Sequence[object], make: Callable[[], str]) -> str:
        """The fragment of `parts`, made (and kept) when there is none."""
        return self.get_or_make(self.key(*parts), make)

    def keep_used(self) -> None:
        """Delete every fragment this build did not use (and temporary files a crash left)."""
        if self.folder is None:
            return
        with contextlib.suppress(OSError):
            for entry in os.scandir(self.folder):
                if entry.name not in self.used:
                    with contextlib.suppress(OSError):
                        os.unlink(entry.path)
