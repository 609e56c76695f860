"""Each command imports only what it uses (issue 10's start-up; timings live in bench/startup.py).

`briefing --help` lists the commands without importing them, and `briefing check FILE`
reads only the `site:` block of the config, so neither loads the ingest engine (httpx,
asyncio, feedparser) nor the other stages' settings. The checks are on `sys.modules` in
a fresh interpreter, so they hold on any machine, however loaded.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import click
import pytest

from briefing.cli import COMMANDS, SUMMARIES, cli

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "briefing-2026-02-05.json"
HEAVY = ("httpx", "asyncio", "feedparser", "weasyprint", "jinja2", "babel", "watchfiles",
         "briefing.ingest.run", "briefing.analyse.settings", "briefing.analyse.llm",
         "briefing.config", "briefing.store")

PROBE = """
import json, sys
from briefing.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print(json.dumps(sorted(sys.modules)), file=sys.__stderr__)
"""


def _modules_after(args: list[str], cwd: Path) -> set[str]:
    run = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True,
                         cwd=cwd, timeout=120)
    return set(json.loads(run.stderr.strip().splitlines()[-1]))


def _loaded(modules: set[str], prefixes: tuple[str, ...]) -> list[str]:
    return sorted(m for m in modules if any(m == p or m.startswith(p + ".") for p in prefixes))


def test_help_imports_no_command_module(tmp_path: Path) -> None:
    modules = _modules_after(["--help"], tmp_path)
    assert _loaded(modules, HEAVY) == []
    assert not [m for m in modules if m.startswith("briefing.cli.") and m != "briefing.cli"]
    assert "pydantic" not in modules


def test_check_imports_neither_the_ingest_engine_nor_other_settings(tmp_path: Path) -> None:
    post = tmp_path / "2026-02-05.md"
    from briefing.model import Briefing
    from briefing.render.markdown import render_markdown

    post.write_text(render_markdown(Briefing.from_json(SAMPLE.read_text(encoding="utf-8"))),
                    encoding="utf-8")
    (tmp_path / "feeds.yaml").write_text("site:\n  min_items: 1\n", encoding="utf-8")
    modules = _modules_after(["check", str(post)], tmp_path)
    assert "briefing.publish.gate" in modules  # the command did run
    assert _loaded(modules, HEAVY) == []


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_the_listing_says_what_each_command_says_of_itself(name: str) -> None:
    command = cli.get_command(click.Context(cli), name)
    assert command is not None and command.help
    first = " ".join(command.help.split("\n\n")[0].split())
    assert SUMMARIES[name] == first


def test_check_reports_a_bad_site_block_with_its_line(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from briefing.errors import ConfigError

    config = tmp_path / "feeds.yaml"
    config.write_text("settings: {}\nsite:\n  min_itemz: 3\n", encoding="utf-8")
    post = tmp_path / "x.md"
    post.write_text("# x\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", "--config", str(config), str(post)])
    assert isinstance(result.exception, ConfigError)
    assert f"{config}:3: site.min_itemz: unknown key; did you mean 'min_items'?" in str(
        result.exception
    )


@pytest.mark.parametrize("name", ["site", "fetch", "articles", "sources", "notify", "nightly", "check"])
def test_a_commands_help_reads_no_config_and_imports_no_pydantic(name: str, tmp_path: Path) -> None:
    modules = _modules_after([name, "--help"], tmp_path)
    assert _loaded(modules, ("pydantic", "yaml", "briefing.model", *HEAVY)) == []


def test_the_gate_tells_chinese_without_loading_the_script_tables() -> None:
    from briefing.ingest import lang
    from briefing.publish.gate.text import language_of

    before = lang._converter.cache_info()
    assert language_of("美联储宣布维持利率不变，市场反应平淡") == "zh"
    assert language_of("央行宣佈維持利率不變，市場反應平淡") == "zh"
    after = lang._converter.cache_info()
    assert (after.hits, after.misses) == (before.hits, before.misses)
    # ingest still tells the scripts apart (the same identifier, asked for the script)
    assert lang.detect_lang("央行宣佈維持利率不變，市場反應平淡") == "zh-Hant"


CONFIG_PROBE = """
import json, sys
from briefing.config import load_config
from briefing import knowledge
config = load_config(sys.argv[1])
built = [c.__name__ for c in (knowledge.StanceVocabulary, knowledge.Taxonomy, knowledge.AssetName)
         if c.__pydantic_complete__]
print(json.dumps({"modules": sorted(sys.modules), "built": built,
                  "sections": len(config.analysis.sections or [])}))
"""


def test_loading_the_config_builds_neither_the_briefing_model_nor_unread_knowledge(
    tmp_path: Path,
) -> None:
    config = tmp_path / "feeds.yaml"
    config.write_text(
        "settings: {}\nanalysis:\n  sections:\n    - {key: macro, zh: 宏观, en: Macro}\n",
        encoding="utf-8",
    )
    run = subprocess.run([sys.executable, "-c", CONFIG_PROBE, str(config)], capture_output=True,
                         text=True, cwd=tmp_path, timeout=120, check=True)
    seen = json.loads(run.stdout.strip().splitlines()[-1])
    assert seen["sections"] == 1  # the knowledge schema in the analysis block still validates
    modules = set(seen["modules"])
    assert _loaded(modules, ("briefing.model", "briefing.render.i18n", "briefing.publish.gate")) == []
    assert seen["built"] == []


def test_a_section_of_the_config_still_makes_a_model_section() -> None:
    from briefing.knowledge import SectionSpec, default_taxonomy
    from briefing.model import Section, Stance
    from briefing.vocabulary import Stance as VocabularyStance

    assert Stance is VocabularyStance
    section = SectionSpec(key="macro", zh="宏观", en="Macro", brief=True).empty_section()
    assert isinstance(section, Section)
    assert (section.key, section.title.en, section.brief, section.items) == ("macro", "Macro", True, [])
    assert default_taxonomy().sections  # the bundled file validates under the deferred build
