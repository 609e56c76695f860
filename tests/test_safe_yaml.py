"""Bounded YAML reading: alias bombs, recursive anchors and deep nesting are refused fast.

The config and the edits files share `briefing.safe_yaml`; the limits are checked on the
composed graph, so a refused document costs one pass over its text.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from briefing import safe_yaml
from briefing.analyse.edits import load_edits
from briefing.config import load_config
from briefing.errors import ConfigError

ROOT = Path(__file__).resolve().parents[1]

# Nine levels of nine aliases: 9**9 (387 million) leaves once expanded, 300 bytes written.
BILLION_LAUGHS = 'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n' + "".join(
    f"{cur}: &{cur} [{', '.join(['*' + prev] * 9)}]\n"
    for prev, cur in zip("abcdefgh", "bcdefghi", strict=True)
)


def test_values_and_shared_anchors_load_as_with_safe_load() -> None:
    text = "base: &b {timeout: 5}\none: *b\ntwo: {<<: *b, timeout: 9}\nday: 2026-02-05\n"
    data, node = safe_yaml.load(text)
    assert data == {
        "base": {"timeout": 5},
        "one": {"timeout": 5},
        "two": {"timeout": 9},
        "day": dt.date(2026, 2, 5),
    }
    assert node is not None and node.start_mark.line == 0
    assert safe_yaml.load("") == (None, None)


def test_an_alias_bomb_is_refused_by_its_expanded_size() -> None:
    with pytest.raises(safe_yaml.YAMLLimitError, match="too many nodes once aliases"):
        safe_yaml.load(BILLION_LAUGHS)
    # The same shape one level down is small enough to be a legitimate (if odd) document.
    small = "\n".join(BILLION_LAUGHS.splitlines()[:4])
    assert len(safe_yaml.load(small)[0]["d"]) == 9


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("a: &a [1, *a]\n", "recursive alias"),
        ("a: &a {b: *a}\n", "recursive alias"),
        ("[" * 5000 + "]" * 5000, "nesting deeper"),
        ("a:\n" + "".join("  " * i + "b:\n" for i in range(1, 100)) + "  " * 100 + "c\n", "nesting deeper"),
    ],
)
def test_recursive_and_deep_documents_are_refused(text: str, match: str) -> None:
    with pytest.raises(safe_yaml.YAMLLimitError, match=match):
        safe_yaml.load(text)


def test_an_oversized_document_is_refused_before_parsing() -> None:
    limits = safe_yaml.Limits(max_chars=100)
    with pytest.raises(safe_yaml.YAMLLimitError, match="document too large"):
        safe_yaml.load("a: " + "x" * 200, limits)


def test_a_billion_laughs_in_feeds_yaml_is_a_config_error(tmp_path: Path) -> None:
    """RELIABILITY #15 for our own YAML: the loader never walks the expansion."""
    path = tmp_path / "feeds.yaml"
    path.write_text(BILLION_LAUGHS + "sources: *i\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=f"config file refused: {path}: too many nodes"):
        load_config(path)


def test_a_billion_laughs_in_an_edits_file_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "2026-02-05.yaml"
    path.write_text(BILLION_LAUGHS + "items: *i\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="edits file refused: .*too many nodes"):
        load_edits(path)


def test_the_cli_refuses_a_bombed_config_with_one_line(tmp_path: Path) -> None:
    """A subprocess, as cron would run it: one line on stderr, exit 1, no traceback.

    Before the limits this run did not finish (the validator walked 387 million nodes);
    the timeout turns a regression into a failure instead of a hang.
    """
    path = tmp_path / "feeds.yaml"
    path.write_text(BILLION_LAUGHS, encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "briefing", "articles", "--config", str(path)],
        capture_output=True, text=True, timeout=60, cwd=tmp_path,
    )
    assert run.returncode == 1
    assert run.stderr.startswith(f"error: config file refused: {path}")
    assert "Traceback" not in run.stderr and run.stderr.count("\n") == 1


# Front matter is read from posts and local articles, which anyone may have written.
BOMBED_POST = "---\n" + BILLION_LAUGHS + "title: *i\n---\n# 标题\n\n正文。\n"


def test_a_bombed_front_matter_in_a_local_article_is_a_parse_error(tmp_path: Path) -> None:
    from zoneinfo import ZoneInfo

    from briefing.errors import ParseError
    from briefing.ingest.local import read_file

    article = tmp_path / "a.md"
    article.write_text(BOMBED_POST, encoding="utf-8")
    with pytest.raises(ParseError, match="too many nodes once aliases"):
        read_file(article, "a.md", ZoneInfo("Asia/Shanghai"))


def test_a_bombed_front_matter_in_a_post_is_refused_by_import_and_check() -> None:
    from briefing.errors import ImportFormatError
    from briefing.publish.gate import check_markdown
    from briefing.render.markdown_import import import_markdown

    with pytest.raises(ImportFormatError, match="too many nodes once aliases"):
        import_markdown(BOMBED_POST)
    problems = check_markdown(BOMBED_POST, name="post.md")
    assert any("too many nodes once aliases" in p.message for p in problems), problems


def _python_reader(text: str) -> tuple[object, yaml.Node | None]:
    """What `safe_yaml.load` returned before it used libyaml: the pure-Python composer."""
    node = safe_yaml._compose_python(text, safe_yaml.DEFAULT_LIMITS)
    return safe_yaml.construct(node), node


def _documents() -> list[str]:
    return [
        (ROOT / "samples" / "feeds.yaml").read_text(encoding="utf-8"),
        (ROOT / "briefing" / "data" / "init" / "feeds.yaml").read_text(encoding="utf-8"),
        "title: '今日要闻：\"美联储\"'\ndate: 2026-02-05 08:00:00+08:00\ntags: [经济日报, 宏观]\n"
        "x: !!str 12\nempty:\nmulti: |\n  第一行\n  second line\nfolded: >\n  a\n  b\n",
        "base: &b {timeout: 5}\none: *b\ntwo: {<<: *b, timeout: 9}\nlist:\n- - 1\n  - 2\n- ? k\n  : v\n",
    ]


@pytest.mark.skipif(safe_yaml._C_LOADER is None, reason="PyYAML built without libyaml")
@pytest.mark.parametrize("index", range(4))
def test_libyaml_reads_as_the_python_reader_did(index: int) -> None:
    """Same values, same node graph marks: config errors keep naming the same lines."""
    from briefing.config_file import node_lines

    text = _documents()[index]
    data, node = safe_yaml.load(text)
    old_data, old_node = _python_reader(text)
    assert data == old_data
    assert node is not None and old_node is not None
    assert node_lines(node) == node_lines(old_node)


@pytest.mark.parametrize(
    "text",
    [
        "settings:\n  timezone: UTC\n   store: x\n",  # a key indented under a scalar
        "sources:\n  - id: a\n  url: [unclosed\n",
        "a: b: c\n",
        "key: 'unterminated\n",
        "a: b\x07c\n",  # a control character
        "a: b\ud800\n",  # a lone surrogate (text decoded with surrogateescape)
    ],
)
def test_broken_yaml_is_worded_by_the_python_reader(text: str) -> None:
    with pytest.raises(yaml.YAMLError) as ours:
        safe_yaml.load(text)
    with pytest.raises(yaml.YAMLError) as python:
        _python_reader(text)
    assert str(ours.value) == str(python.value)


@pytest.mark.parametrize(("depth", "refused"), [(64, False), (65, True), (66, True), (900, True)])
def test_the_nesting_limit_is_where_it_was(depth: int, refused: bool) -> None:
    """64 nested lists hold a scalar at depth 64: read; one more level is refused, by the
    same words whether libyaml's event scan or the graph check finds it."""
    text = "[" * depth + "x" + "]" * depth
    if refused:
        with pytest.raises(safe_yaml.YAMLLimitError, match="nesting deeper than 64 levels"):
            safe_yaml.load(text)
    else:
        data, _ = safe_yaml.load(text)
        for _ in range(depth):
            assert isinstance(data, list)
            data = data[0]
        assert data == "x"
