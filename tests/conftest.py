"""Shared fixtures: paths to the shared seeds and the project's own data files."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
DATA = Path(__file__).resolve().parent / "data"


def seed_path(prefix: str) -> Path:
    """A seed file from ../shared/seeds by its number; skips the test when absent."""
    matches = sorted(SEEDS.glob(f"{prefix}_*.txt")) if SEEDS.is_dir() else []
    if not matches:
        pytest.skip(f"seed {prefix} not available (../shared/seeds is absent)")
    return matches[0]


@pytest.fixture(autouse=True, scope="session")
def _language_model_loaded() -> None:
    """Load the language-identification model once per test process, as a fetch run does
    once per run: tests that time a fetch measure the fetch, not the model's loading."""
    from briefing.ingest.lang import warm_up

    warm_up()
