"""`briefing init`, commands refusing to run without a config, the placeholder base URL."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from briefing.config import load_config
from tests.helpers.cli import nowhere_fixture, run  # noqa: F401
from tests.helpers.day_feeds import DAY, EN_STORIES, ZH_STORIES, rss
from tests.helpers.loopback import LoopbackServer, loopback_server_fixture  # noqa: F401

ROOT = Path(__file__).resolve().parents[1]


def test_init_writes_a_valid_commented_config(nowhere: Path) -> None:
    result = run("init", "proj")
    assert result.exit_code == 0, result.output
    folder = nowhere / "proj"
    text = (folder / "feeds.yaml").read_text(encoding="utf-8")
    assert text.count("\n#") > 10  # commented
    config = load_config(folder / "feeds.yaml")
    langs = {s.lang for s in config.sources}
    assert {"en", "zh-Hans"} <= langs
    assert all(s.url and s.url.startswith("https://") for s in config.sources)
    assert config.site.placeholder_base_url
    assert (folder / "edits" / "README.md").is_file()
    assert "/state/" in (folder / ".gitignore").read_text(encoding="utf-8")
    assert "set site.base_url" in result.output


def test_init_never_overwrites_without_force(nowhere: Path) -> None:
    (nowhere / "feeds.yaml").write_text("sources: []\n", encoding="utf-8")
    refused = run("init")
    assert refused.exit_code == 1
    assert "already exists" in str(refused.exception)
    assert (nowhere / "feeds.yaml").read_text(encoding="utf-8") == "sources: []\n"
    forced = run("init", "--force")
    assert forced.exit_code == 0
    assert "site:" in (nowhere / "feeds.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "args",
    [["fetch"], ["articles"], ["build", "--date", DAY], ["site"], ["nightly", "--date", DAY],
     ["serve"]],
)
def test_commands_refuse_to_run_without_a_config(nowhere: Path, args: list[str]) -> None:
    result = run(*args)
    assert result.exit_code == 1
    message = str(result.exception)
    assert "no configuration" in message and "briefing init" in message and "--config" in message
    assert list(nowhere.iterdir()) == []  # no state/, no out/


def test_file_commands_run_without_a_config(nowhere: Path) -> None:
    post = nowhere / "post.md"
    post.write_text("# nothing here\n", encoding="utf-8")
    assert run("check", str(post)).exit_code == 1  # the gate's verdict, not a config error
    assert "no configuration" not in run("check", str(post)).output
    assert run("init", "--help").exit_code == 0
    assert run("import", "--help").exit_code == 0


def test_missing_explicit_config_says_how_to_make_one(nowhere: Path) -> None:
    result = run("fetch", "--config", "elsewhere.yaml")
    assert result.exit_code == 1
    assert "briefing init" in str(result.exception)


def test_shipped_feeds_yaml_is_ready_to_edit() -> None:
    config = load_config(ROOT / "feeds.yaml")
    assert all(s.url for s in config.sources), "the sample source belongs to samples/feeds.yaml"
    assert "site:" in (ROOT / "feeds.yaml").read_text(encoding="utf-8")


def _use_loopback(config_path: Path, server: LoopbackServer) -> None:
    """Point the initialised config at two loopback feeds, keeping its site: block."""
    text = config_path.read_text(encoding="utf-8")
    head = text[: text.index("\nsources:")]
    head = head.replace("settings:\n", "settings:\n  allow_hosts: [127.0.0.1]\n  parse_workers: 0\n", 1)
    sources = f"""
sources:
  - id: wire-en
    name: Loopback Wire
    url: {server.url("/en.xml")}
    lang: en
  - id: wire-zh
    name: 回环快讯
    url: {server.url("/zh.xml")}
    lang: zh-Hans
"""
    config_path.write_text(head + sources, encoding="utf-8")


def test_init_fetch_build_site_from_an_empty_folder(
    nowhere: Path, loopback_server: LoopbackServer
) -> None:
    loopback_server.respond("/en.xml", rss("Loopback Wire", "https://www.loopwire.net/", EN_STORIES, "en"),
                            headers={"Content-Type": "application/rss+xml"})
    loopback_server.respond("/zh.xml", rss("回环快讯", "https://www.kuaixun-news.cn/", ZH_STORIES, "zh-cn"),
                            headers={"Content-Type": "application/rss+xml"})
    assert run("init").exit_code == 0
    _use_loopback(nowhere / "feeds.yaml", loopback_server)

    fetched = run("fetch")
    assert fetched.exit_code == 0, fetched.output
    assert "2 ok, 0 failed" in fetched.stdout
    assert "articles: 12 new" in fetched.stdout

    built = run("build", "--date", DAY, "--format", "md,html,json")
    assert built.exit_code == 0, built.output
    assert "placeholder https://example.org/briefing/" in built.stderr
    assert (nowhere / "out" / "zh" / DAY / "briefing.md").is_file()

    site = run("site", "--no-pdf")
    assert site.exit_code == 0, site.output
    assert "placeholder" in site.stderr
    page = (nowhere / "out" / "site" / "zh" / DAY / "index.html").read_text(encoding="utf-8")
    assert re.search(r"Central bank|央行", page)

    text = (nowhere / "feeds.yaml").read_text(encoding="utf-8")
    (nowhere / "feeds.yaml").write_text(
        text.replace("https://example.org/briefing/", "https://news.mysite.test/briefing/"),
        encoding="utf-8",
    )
    again = run("site", "--no-pdf")
    assert again.exit_code == 0 and "placeholder" not in again.stderr
