"""Fixtures of the publish tests: a real store holding copies of the sample day, a config."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest
import yaml

from briefing.config import Config, load_config
from briefing.model import Briefing

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "briefing-2026-02-05.json"
GATE_DATA = ROOT / "tests" / "data" / "gate"
SAMPLE_DAY = dt.date(2026, 2, 5)


def sample_briefing(day: dt.date = SAMPLE_DAY, *, title_suffix: str = "") -> Briefing:
    """The sample day re-dated (and optionally retitled, to make its content differ)."""
    briefing = Briefing.from_json(SAMPLE.read_text(encoding="utf-8"))
    update: dict[str, object] = {"date": day}
    if title_suffix:
        title = briefing.title.model_copy(
            update={"zh": briefing.title.zh + title_suffix, "en": briefing.title.en + title_suffix}
        )
        update["title"] = title
    return briefing.model_copy(update=update)


def days_back(n: int, last: dt.date = SAMPLE_DAY) -> list[dt.date]:
    return [last - dt.timedelta(days=i) for i in range(n)][::-1]


def save(store_path: Path, briefings: Iterable[Briefing]) -> None:
    from briefing.store import Store

    with Store.open(store_path) as store:
        for b in briefings:
            text = b.to_json()
            store.save_briefing(b.date, text, hashlib.sha256(text.encode()).hexdigest())


def write_config(root: Path, **site: object) -> Config:
    data = {
        "settings": {"store": "state/briefing.sqlite", "timezone": "Asia/Shanghai"},
        "site": {
            "base_url": "https://briefing.test.invalid/daily/",
            "formats": ["html", "md", "json"],
            "out": "site/out",
            **site,
        },
    }
    path = root / "feeds.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return load_config(path)


@pytest.fixture
def make_site(tmp_path: Path) -> Callable[..., tuple[Config, Path]]:
    """make_site(days=[...], **site_settings) -> (config, out path); the store is filled."""

    def make(days: Iterable[dt.date] = (SAMPLE_DAY,), **site: object) -> tuple[Config, Path]:
        config = write_config(tmp_path, **site)
        config.store_path.parent.mkdir(parents=True, exist_ok=True)
        save(config.store_path, [sample_briefing(d) for d in days])
        return config, config.resolve(config.site.out)

    return make
