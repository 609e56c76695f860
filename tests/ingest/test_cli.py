"""`briefing fetch` and `briefing articles` through click's CliRunner."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing.cli import cli
from tests.helpers.loopback import LoopbackServer, loopback_server_fixture  # noqa: F401
from tests.ingest.support import write_config

FEED = (Path(__file__).resolve().parents[1] / "data" / "feeds" / "basic.xml").read_bytes()


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def _setup(tmp_path: Path, server: LoopbackServer):
    server.respond("/ok", FEED, headers={"Content-Type": "application/rss+xml"})
    server.respond("/gone", b"", status=404)
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "a.md").write_text(
        "---\ntitle: 人民币汇率小幅走强\ndate: 2026-02-04 10:00\n---\n\n人民币兑美元中间价上调。\n",
        "utf-8",
    )
    return write_config(
        tmp_path,
        [
            {"id": "ok", "url": server.url("/ok")},
            {"id": "gone", "url": server.url("/gone")},
            {"id": "local", "path": "articles"},
            {"id": "off", "url": server.url("/never"), "enabled": False},
        ],
    )


def test_fetch_summary_and_exit_zero_when_sources_fail(
    tmp_path: Path, loopback_server: LoopbackServer
) -> None:
    config = _setup(tmp_path, loopback_server)
    result = run("fetch", "--config", str(config.path))
    assert result.exit_code == 0
    assert result.stdout == (
        "2 ok, 1 failed, 0 not modified; articles: 3 new, 0 updated; 2 stale; PARTIAL\n"
    )
    assert "warning: gone: HttpStatusError: HTTP 404" in result.stderr
    assert "/never" not in loopback_server.paths()
    quiet = run("fetch", "--config", str(config.path), "--quiet")
    assert quiet.exit_code == 0 and quiet.stdout == ""


def test_articles_lists_by_date_source_and_json(
    tmp_path: Path, loopback_server: LoopbackServer
) -> None:
    config = _setup(tmp_path, loopback_server)
    run("fetch", "--config", str(config.path))
    table = run(
        "articles", "--config", str(config.path), "--date", "2026-02-05"
    )  # window: 02-04 08:00 to 02-05 08:00
    assert table.exit_code == 0
    lines = table.stdout.splitlines()
    assert (
        len(lines) == 3
        and "2026-02-04 10:00" in table.stdout
        and "人民币汇率小幅走强" in table.stdout
    )
    local = run("articles", "--config", str(config.path), "--source", "local", "--json")
    (item,) = json.loads(local.stdout)
    assert item["source_id"] == "local" and item["published"] == "2026-02-04T10:00:00+08:00"
    empty = run("articles", "--config", str(config.path), "--date", "2020-01-01")
    assert empty.stdout == "" and "no articles" in empty.stderr
    bad = run("articles", "--config", str(config.path), "--date", "2026-02-31")
    assert bad.exit_code == 2
    unknown = run("articles", "--config", str(config.path), "--source", "nope")
    assert unknown.exit_code == 2 and "known: gone, local, off, ok" in unknown.stderr


@pytest.mark.parametrize("problem", ["foreign", "locked"])
def test_broken_store_exits_one_with_a_message(
    tmp_path: Path, problem: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from briefing.cli import main

    config = write_config(tmp_path, [])
    config.store_path.parent.mkdir(parents=True, exist_ok=True)
    holder = sqlite3.connect(config.store_path, isolation_level=None)
    if problem == "foreign":
        holder.execute("CREATE TABLE theirs (x)")
    else:
        holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(SystemExit) as info:
            main(["fetch", "--config", str(config.path)])
    finally:
        holder.close()
    assert info.value.code == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "Traceback" not in err
    assert ("another application" if problem == "foreign" else "locked") in err


def test_bad_config_exits_one(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from briefing.cli import main

    path = tmp_path / "feeds.yaml"
    path.write_text("settings:\n  concurency: 3\n")
    with pytest.raises(SystemExit) as info:
        main(["fetch", "--config", str(path)])
    assert info.value.code == 1 and "did you mean 'concurrency'" in capsys.readouterr().err


def test_every_command_has_help() -> None:
    for name in ("fetch", "articles"):
        result = run(name, "--help")
        assert result.exit_code == 0 and "--config" in result.stdout


def test_fetch_exits_non_zero_when_every_source_fails(
    tmp_path: Path, loopback_server: LoopbackServer
) -> None:
    loopback_server.respond("/gone", b"", status=404)
    loopback_server.respond("/html", b"<html><body>login</body></html>",
                            headers={"Content-Type": "text/html"})
    config = write_config(tmp_path, [{"id": "gone", "url": loopback_server.url("/gone")},
                                     {"id": "html", "url": loopback_server.url("/html")}])
    result = run("fetch", "--config", str(config.path), "--quiet")
    assert result.exit_code == 1
    assert "0 ok, 2 failed" in result.stdout and "FAILED" in result.stdout
    assert "every source failed" in result.stderr


def test_warnings_are_printed_once_per_source_stored_and_listed_by_health(
    tmp_path: Path, loopback_server: LoopbackServer
) -> None:
    items = "".join(
        f"<item><title>Item {i}</title><link>https://w.example.com/{i}</link>"
        f"<description>Port volumes rose again in week {i}.</description></item>"
        for i in range(5)
    )  # no dates at all, served as text/plain
    loopback_server.respond("/plain", f'<rss version="2.0"><channel>{items}</channel></rss>'.encode(),
                            headers={"Content-Type": "text/plain"})
    loopback_server.respond("/gone", b"", status=404)
    config = write_config(tmp_path, [{"id": "plain", "url": loopback_server.url("/plain")},
                                     {"id": "gone", "url": loopback_server.url("/gone")},
                                     {"id": "later", "url": loopback_server.url("/x"),
                                      "enabled": False}])
    result = run("fetch", "--config", str(config.path))
    lines = [ln for ln in result.stderr.splitlines() if ln.startswith("warning: plain:")]
    assert len(lines) == 1  # aggregated: one line for the source
    assert "served as text/plain" in lines[0] and "no entry states a publication date" in lines[0]
    assert "5 not admitted" in result.stdout
    health = run("sources", "health", "--config", str(config.path), "--json")
    assert health.exit_code == 0
    rows = {r["id"]: r for r in json.loads(health.stdout)}
    assert rows["plain"]["state"] == "STALE" and rows["plain"]["entries"] == 5
    assert any("text/plain" in w for w in rows["plain"]["warnings"])
    assert rows["gone"]["state"] == "FAILING" and "404" in rows["gone"]["last_error"]
    assert rows["later"]["state"] == "disabled"
    table = run("sources", "health", "--config", str(config.path))
    assert "FAILING" in table.stdout and "last error" in table.stdout
    assert "warning: served as text/plain" in table.stdout
    rejected = run("articles", "--config", str(config.path), "--rejected")
    assert rejected.stdout.count("rejected: undated: no publication date") == 5
