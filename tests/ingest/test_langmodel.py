"""The language model's cache: same answers as the packaged model, and never an error."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from briefing.ingest.lang import CANDIDATES
from briefing.ingest.langmodel import _key, load_identifier

SAMPLES = [
    "O banco central manteve a taxa de juros inalterada nesta terça-feira.",
    "Центральный банк сохранил ключевую ставку на прежнем уровне.",
    "The central bank held its policy rate steady on Tuesday.",
]


def test_cached_model_answers_as_the_packaged_one(tmp_path: Path) -> None:
    fresh = load_identifier(CANDIDATES, tmp_path)
    assert (tmp_path / _key(CANDIDATES) / "ptc.npy").is_file()
    cached = load_identifier(CANDIDATES, tmp_path)
    assert cached is not fresh
    for text in SAMPLES:
        assert cached.classify(text) == fresh.classify(text)


def test_a_broken_cache_falls_back_to_the_packaged_model(tmp_path: Path) -> None:
    load_identifier(CANDIDATES, tmp_path)
    (tmp_path / _key(CANDIDATES) / "ptc.npy").write_bytes(b"not an array")
    assert load_identifier(CANDIDATES, tmp_path).classify(SAMPLES[0])[0] == "pt"


def test_an_unwritable_cache_folder_is_no_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")  # a file where the cache folder would go
    assert load_identifier(CANDIDATES, blocker).classify(SAMPLES[1])[0] == "ru"


def test_a_truncated_transition_table_falls_back_to_the_packaged_model(tmp_path: Path) -> None:
    """The table is mapped, not read: a short file must fail the load, not a later lookup."""
    load_identifier(CANDIDATES, tmp_path)
    table = tmp_path / _key(CANDIDATES) / "nextmove.npy"
    table.write_bytes(table.read_bytes()[: 1 << 16])
    ident = load_identifier(CANDIDATES, tmp_path)
    assert not isinstance(ident.tk_nextmove, memoryview)  # the packaged model's own array
    assert ident.classify(SAMPLES[0])[0] == "pt"


def test_cached_transition_table_is_mapped_and_answers_alike(tmp_path: Path) -> None:
    fresh = load_identifier(CANDIDATES, tmp_path)
    cached = load_identifier(CANDIDATES, tmp_path)
    assert isinstance(cached.tk_nextmove, memoryview) and cached.tk_nextmove.readonly
    assert list(cached.tk_nextmove[:4096]) == list(fresh.tk_nextmove[:4096])
    assert len(cached.tk_nextmove) == len(fresh.tk_nextmove)


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="counts threads in /proc")
def test_the_model_starts_no_helper_threads(tmp_path: Path) -> None:
    """NumPy's BLAS would start a helper thread per CPU, which spins after each product and
    takes CPU from the other workers; one text at a time gains nothing from it."""
    code = (
        "import os, sys\n"
        "from pathlib import Path\n"
        "from briefing.ingest.lang import CANDIDATES\n"
        "from briefing.ingest.langmodel import load_identifier\n"
        f"load_identifier(CANDIDATES, Path(sys.argv[1])).classify({SAMPLES[2]!r})\n"
        "print(len(os.listdir('/proc/self/task')))\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.endswith("_NUM_THREADS")}
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path)], env=env, capture_output=True,
                          text=True, check=True)
    assert done.stdout.strip() == "1"
