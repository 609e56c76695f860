"""py3langid's model, restricted to our candidate languages and cached uncompressed.

The model ships as a 4.5 MB LZMA-compressed archive that decompresses to 65 MB; reading it
costs 1.6-2.6 CPU-seconds per process (measured on a 2-core host under load), more than
parsing a thousand feed entries. The first load therefore saves the arrays the identifier
needs, with the language columns already cut down to `languages`, as plain `.npy` files in
a cache folder; later processes read those in a fraction of the time. The cache is keyed by
py3langid's version and the language list; any problem with it (read-only home, a
truncated file, a changed library) falls back to the packaged model, never to an error.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import tempfile
from importlib import metadata
from pathlib import Path
from typing import Any

_ARRAYS = ("ptc", "pc", "classes", "nextmove", "row", "output")


def cache_dir() -> Path:
    from briefing.user_cache import user_cache

    return user_cache("langid")


def _key(languages: tuple[str, ...]) -> str:
    version = metadata.version("py3langid")
    return hashlib.sha256(f"{version}\0{','.join(languages)}".encode()).hexdigest()[:16]


def load_identifier(languages: tuple[str, ...], folder: Path | None = None) -> Any:
    """A normalised-probability py3langid identifier restricted to `languages`."""
    # One text at a time is a vector-matrix product far too small to share out: NumPy's
    # BLAS would start a helper thread per CPU (in each forked worker too) whose spinning
    # after every product takes CPU from the other processes, and a process with no BLAS
    # thread pool forks its workers without one to leave behind. Set here, before NumPy's
    # first import (this module's), for every caller: fetch, gate, site. A user's own
    # setting wins.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    folder = (folder or cache_dir()) / _key(languages)
    try:
        return _from_cache(LanguageIdentifier, folder)
    except (OSError, ValueError, KeyError, TypeError):
        pass
    ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    ident.set_languages(list(languages))
    with contextlib.suppress(OSError, ValueError, TypeError):
        _save(ident, folder)  # else no cache this time: the next run loads the packaged model
    return ident


def _from_cache(cls: Any, folder: Path) -> Any:
    import numpy as np
    from py3langid.modelio import _to_array

    data = {
        # the transition table (39 MB) is mapped, not read: the DFA walk touches few of its
        # rows, and forked workers share the mapping; read and copied, it cost ~0.05 CPU-s
        name: np.load(
            folder / f"{name}.npy", allow_pickle=False, mmap_mode="r" if name == "nextmove" else None
        )
        for name in _ARRAYS
    }
    nextmove = data["nextmove"]
    return cls(
        data["ptc"],
        data["pc"],
        data["classes"].tolist(),
        memoryview(nextmove).cast("B").cast(nextmove.dtype.char),
        data["output"].tolist(),
        norm_probs=True,
        tk_row=_to_array(data["row"]),
    )


def _save(ident: Any, folder: Path) -> None:
    import numpy as np

    arrays = {
        "ptc": np.asarray(ident.nb_ptc),
        "pc": np.asarray(ident.nb_pc),
        "classes": np.array(ident.nb_classes),
        "nextmove": np.frombuffer(ident.tk_nextmove, dtype=f"u{ident.tk_nextmove.itemsize}"),
        "row": np.frombuffer(ident.tk_row, dtype=f"u{ident.tk_row.itemsize}"),
        "output": np.asarray(ident.tk_output, dtype=np.int32),
    }
    folder.parent.mkdir(parents=True, exist_ok=True)
    # written beside, then renamed: a concurrent reader never sees half a cache
    tmp = Path(tempfile.mkdtemp(dir=folder.parent))
    try:
        for name, array in arrays.items():
            np.save(tmp / f"{name}.npy", array, allow_pickle=False)
        os.rename(tmp, folder)
    except OSError:
        shutil.rmtree(tmp, ignore_errors=True)
        if not folder.is_dir():  # another process may have won the race: fine
            raise
