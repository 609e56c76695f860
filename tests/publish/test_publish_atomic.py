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
    staging = releases.stage()
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
