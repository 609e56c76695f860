"""Helpers for the ingest tests: a config in tmp_path, a pinned clock."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml

from briefing.config import Config, load_config

NOW = dt.datetime(2026, 2, 5, 0, 0, tzinfo=dt.UTC)


def clock() -> dt.datetime:
    return NOW


def write_config(tmp_path: Path, sources: list[dict[str, Any]], **settings: Any) -> Config:
    """A feeds.yaml in tmp_path with fast limits; loopback allowed; store beside it."""
    base = {
        "store": "state/test.sqlite",
        "connect_timeout": 2,
        "read_timeout": 2,
        "total_timeout": 5,
        "retries": 1,
        "backoff": 0.05,
        "max_retry_wait": 1,
        "allow_hosts": ["127.0.0.1"],
        "parse_workers": 0,
        "busy_timeout": 0.2,
        "local_root": ".",
    }
    base.update(settings)
    tmp_path.mkdir(parents=True, exist_ok=True)
    path = tmp_path / "feeds.yaml"
    path.write_text(
        yaml.safe_dump({"settings": base, "sources": sources}, allow_unicode=True), encoding="utf-8"
    )
    return load_config(path)
