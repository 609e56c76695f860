"""One bad item never costs the day: the real `briefing nightly` (a subprocess, the real
pipeline over the bundled sample articles, a real store) with one article carrying a
template leftover publishes the day without it and says why in the manifest."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from briefing.model import Briefing
from briefing.store import Store
from tests.publish.conftest import ROOT

BAD_ARTICLE = """---
title: "新型储能电池发布，能量密度提升{{ 7*7 }}%"
date: "2026-02-05T06:30:00+08:00"
url: "https://energy.sample.invalid/news/20260205/sodium"
lang: zh-Hans
source: 能源观察
---

# 新型储能电池发布，能量密度提升{{ 7*7 }}%

一家电池企业周四发布新一代钠离子电池，称其能量密度较上一代提升{{ 7*7 }}%，计划于今年下半年量产。

分析人士认为，钠离子电池成本较低，有望率先用于储能电站与低价车型。
"""


def _sample_with_one_bad_article(root: Path) -> Path:
    shutil.copytree(ROOT / "samples" / "articles", root / "articles")
    (root / "articles" / "2026-02-05" / "41-bad-template.md").write_text(BAD_ARTICLE, encoding="utf-8")
    config = yaml.safe_load((ROOT / "samples" / "feeds.yaml").read_text(encoding="utf-8"))
    config["settings"]["store"] = "state/briefing.sqlite"
    config["site"] = {"out": "out/site", "base_url": "https://briefing.invalid/", "formats": ["html", "md", "json"]}
    config["render"] = {"out": "out"}
    path = root / "feeds.yaml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return path


def _nightly(config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "briefing", "nightly", "--config", str(config), "--date", "2026-02-05", *args],
        capture_output=True, text=True, timeout=300, env=env, check=False,
    )


def test_a_nightly_with_one_bad_item_publishes_and_reports_the_drop(tmp_path: Path) -> None:
    config = _sample_with_one_bad_article(tmp_path)
    result = _nightly(config)
    assert result.returncode == 0, result.stderr
    assert "1 items dropped by the gate" in result.stdout and "published" in result.stdout

    manifest = json.loads((tmp_path / "out" / "site.manifest.json").read_text(encoding="utf-8"))
    assert manifest["status"] == "ok" and manifest["gate"]["blocking"] == []
    (dropped,) = manifest["gate"]["dropped"]
    assert dropped["rule"] == "placeholder" and dropped["action"] == "dropped" and "{{" in dropped["message"]
    kept_file, line = dropped["place"].rsplit(":", 1)
    as_built = Path(kept_file).read_text(encoding="utf-8").split("\n")
    assert "新型储能电池发布" in as_built[int(line) - 1]  # file:line points at the item as built

    published = (tmp_path / "out" / "site" / "zh" / "2026-02-05" / "briefing.md").read_text(encoding="utf-8")
    assert "{{" not in published and "新型储能电池" not in published
    with Store.open(tmp_path / "state" / "briefing.sqlite") as store:
        saved = Briefing.from_json(store.load_briefing(store.briefing_dates()[-1]))
    assert len(saved.items()) == manifest["briefing"]["items"] >= 20
    assert all("{{" not in item.title.zh for item in saved.items())
    assert [line for line in saved.review if "[placeholder]" in line and "(item dropped)" in line]


def test_strict_refuses_the_day_and_keeps_the_live_site(tmp_path: Path) -> None:
    config = _sample_with_one_bad_article(tmp_path)
    result = _nightly(config, "--strict")
    assert result.returncode == 1
    assert "publish gate refused 2026-02-05" in result.stderr and "[placeholder]" in result.stderr
    manifest = json.loads((tmp_path / "out" / "site.manifest.json").read_text(encoding="utf-8"))
    assert manifest["status"] == "refused" and not manifest["publish"]["published"]
    assert not (tmp_path / "out" / "site").exists()


def test_build_reports_the_drop_and_writes_the_day_without_it(tmp_path: Path) -> None:
    config = _sample_with_one_bad_article(tmp_path)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-m", "briefing", "build", "--config", str(config), "--date", "2026-02-05",
         "--fetch", "--format", "md", "--lang", "zh", "--out", str(tmp_path / "preview")],
        capture_output=True, text=True, timeout=300, env=env, check=False,
    )
    assert result.returncode == 0, result.stderr
    (line,) = [ln for ln in result.stderr.splitlines() if ln.startswith("review: gate: ") and "(item dropped)" in ln]
    assert "[placeholder]" in line and "新型储能电池" in line
    written = (tmp_path / "preview" / "zh" / "2026-02-05" / "briefing.md").read_text(encoding="utf-8")
    assert "{{" not in written
