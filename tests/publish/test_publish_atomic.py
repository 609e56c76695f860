"""The guarded writer, slugs and the release swap (RELIABILITY.md #38, #44, #51)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from briefing.errors import PublishError
from briefing.publish.atomic import Releases, SafeWriter, check_segment, slugify


@pytest.mark.parametrize(
    ("text", "slug"),
    [("Markets & Macro", "markets-macro"), ("../../index", "index"), ("CON", "con-x"), ("中文", "x"), ("zh-Hant", "zh-hant")],
)
def test_slugify(text: str, slug: str) -> None:
    assert slugify(text) == slug
    check_segment(slug)


@pytest.mark.parametrize("rel", ["../x.html", "/etc/passwd", "a/../../b", "CON/index.html", "nul.txt", "a\\b", "A.html", "a//b"])
def test_writer_refuses_breaking_out(tmp_path: Path, rel: str) -> None:
    writer = SafeWriter(tmp_path / "site")
    with pytest.raises(PublishError):
        writer.write_text(rel, "x")
    assert not (tmp_path / "x.html").exists()


def test_writer_refuses_a_file_twice(tmp_path: Path) -> None:
    writer = SafeWriter(tmp_path)
    writer.write_text("en/index.html", "one")
    with pytest.raises(PublishError, match="twice"):
        writer.write_text("en/index.html", "two")
    assert (tmp_path / "en/index.html").read_text() == "one"


def test_writer_refuses_a_planted_symlink(tmp_path: Path) -> None:
    (tmp_path / "site").mkdir()
    (tmp_path / "outside").mkdir()
    os.symlink(tmp_path / "outside", tmp_path / "site" / "en")
    with pytest.raises(PublishError, match="break out"):
        SafeWriter(tmp_path / "site").write_text("en/index.html", "x")


def _release(releases: Releases, name: str, body: str) -> Path:
    staging, recycled = releases.stage()
    assert not recycled
    (staging / "index.html").write_text(body)
    return releases.commit(staging, name, "{}")


def test_swap_replaces_the_symlink_and_prunes(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "old.html").write_text("a hand-made site")  # a plain folder is kept aside
    releases = Releases(out)
    _release(releases, "aaaa", "one")
    assert out.is_symlink() and (out / "index.html").read_text() == "one"
    assert any((p / "old.html").exists() for p in releases.root.glob("previous-*"))
    _release(releases, "bbbb", "two")
    _release(releases, "cccc", "three")
    assert (out / "index.html").read_text() == "three"
    releases.prune(keep=2)
    assert sorted(p.name for p in releases.root.iterdir() if p.is_dir() and not p.name.startswith("previous")) == ["bbbb", "cccc"]


def test_orphans_are_collected(tmp_path: Path) -> None:
    releases = Releases(tmp_path / "out")
    _release(releases, "aaaa", "one")
    crashed = releases.root / ".staging-999999999-dead"
    crashed.mkdir()
    (crashed / "index.html").write_text("half")
    stray = tmp_path / ".out.swap-999999999"
    os.symlink("out.releases/aaaa", stray)
    removed = releases.collect_garbage()
    assert crashed in removed and not crashed.exists() and not stray.is_symlink()
    assert (tmp_path / "out" / "index.html").read_text() == "one"


def test_linking_is_all_or_nothing(tmp_path: Path) -> None:
    live = tmp_path / "live"
    (live / "en" / "d").mkdir(parents=True)
    (live / "en" / "d" / "index.html").write_text("page")
    writer = SafeWriter(tmp_path / "site")
    assert writer.link_files(live, ["en/d/index.html"])
    assert (tmp_path / "site" / "en/d/index.html").stat().st_ino == (live / "en/d/index.html").stat().st_ino
    # the second file is missing: the first is taken back, and may be written afresh
    (live / "zh" / "d").mkdir(parents=True)
    (live / "zh" / "d" / "index.html").write_text("page")
    assert not writer.link_files(live, ["zh/d/index.html", "zh/d/briefing.md"])
    assert not (tmp_path / "site" / "zh/d/index.html").exists()
    writer.write_text("zh/d/index.html", "rendered")
    with pytest.raises(PublishError, match="break out"):
        writer.link_files(live, ["../x.html"])


def test_files_of_other_writers_are_claimed_once(tmp_path: Path) -> None:
    writer = SafeWriter(tmp_path)
    writer.write_text("en/index.html", "one")
    with pytest.raises(PublishError, match="twice"):
        writer.record(["en/index.html"])  # a render worker's file, already written here
    with pytest.raises(PublishError):
        writer.record(["en/../../x.html"])
    other = SafeWriter(tmp_path)  # a thread's writer
    other.write_text("zh/index.html", "two")
    writer.merge(other)
    with pytest.raises(PublishError, match="twice"):
        writer.write_text("zh/index.html", "again")
    third = SafeWriter(tmp_path)
    third.written.add("en/index.html")
    with pytest.raises(PublishError, match="twice"):
        writer.merge(third)


def test_linking_refuses_a_planted_symlink_before_making_anything(tmp_path: Path) -> None:
    live = tmp_path / "live"
    (live / "en" / "d").mkdir(parents=True)
    (live / "en" / "d" / "index.html").write_text("page")
    (tmp_path / "site").mkdir()
    (tmp_path / "outside").mkdir()
    os.symlink(tmp_path / "outside", tmp_path / "site" / "en")
    with pytest.raises(PublishError, match="break out"):
        SafeWriter(tmp_path / "site").link_files(live, ["en/d/index.html"])
    assert list((tmp_path / "outside").iterdir()) == []
