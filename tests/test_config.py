"""feeds.yaml validation: every error names the file, the line or key, and the fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.config import Config, load_config
from briefing.errors import ConfigError

ROOT = Path(__file__).resolve().parents[1]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "feeds.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_feeds_yaml_is_valid() -> None:
    config = load_config(ROOT / "feeds.yaml")
    ids = [s.id for s in config.sources]
    assert len(ids) == len(set(ids)) and len(ids) >= 10
    # Real feeds only: the fictional sample lives in samples/feeds.yaml.
    assert all(s.url and not s.path for s in config.sources)
    langs = {s.lang for s in config.sources if s.url}
    assert {"en", "zh-Hans", "zh-Hant"} <= langs


def test_all_problems_are_collected_with_lines_and_suggestions(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "settings:\n"
        "  timezone: Mars/Olympus\n"
        "  concurency: 4\n"
        "sources:\n"
        "  - id: a\n"
        "    url: https://example.com/feed\n"
        "    enabld: true\n"
        "  - id: a\n"
        "    path: x\n"
        "  - id: b\n"
        "    url: https://x/\n"
        "    path: y\n"
        "soucres: []\n",
    )
    with pytest.raises(ConfigError) as info:
        load_config(path)
    message = str(info.value)
    assert f"{path}:2: settings.timezone: unknown time zone 'Mars/Olympus'" in message
    assert f"{path}:3: settings.concurency: unknown key; did you mean 'concurrency'?" in message
    assert f"{path}:7: sources[0].enabld: unknown key; did you mean 'enabled'?" in message
    assert f"{path}:8: sources[1].id: duplicate id 'a'" in message
    assert "sources[2]" in message and "exactly one of `url`" in message
    assert "soucres: unknown key; did you mean 'sources'?" in message
    assert "6 problems" in message


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, "settings:\n  timezone: UTC\n sources: [\n")
    with pytest.raises(ConfigError, match=rf"{path}:\d+: .*check indentation"):
        load_config(path)


def test_wrong_types_show_the_value(tmp_path: Path) -> None:
    path = write(tmp_path, "settings:\n  concurrency: many\nsources: []\n")
    with pytest.raises(ConfigError, match=r":2: settings.concurrency: .*'many'"):
        load_config(path)


def test_top_level_must_be_a_mapping(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="mapping at the top"):
        load_config(write(tmp_path, "- just\n- a list\n"))


def test_missing_explicit_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found.*--config"):
        load_config(tmp_path / "nope.yaml")


def test_missing_default_file_gives_defaults(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("BRIEFING_CONFIG", raising=False)
    config = load_config()
    assert config == Config() and config.settings.timezone == "Asia/Shanghai"


def test_env_variable_points_at_the_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, "settings:\n  store: db/x.sqlite\n")
    monkeypatch.setenv("BRIEFING_CONFIG", str(path))
    monkeypatch.chdir(ROOT)
    config = load_config()
    assert config.store_path == tmp_path / "db" / "x.sqlite"  # relative to the config file


def test_absolute_store_path_is_kept(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, f"settings:\n  store: {tmp_path / 'abs.sqlite'}\n"))
    assert config.store_path == tmp_path / "abs.sqlite"
