"""`site` and `serve` share the nightly lock; the preview answers loopback names only.

RELIABILITY #45 extended to every command that publishes: a `site` during a `nightly`
(or during a `serve` rebuild) used to fail both with FileNotFoundError in the staging
folder, because each build collected the other's staging folder as an orphan.
"""

from __future__ import annotations

import datetime as dt
import http.client
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from briefing.publish.atomic import Releases
from briefing.publish.nightly import NightlyPaths, nightly_lock
from briefing.publish.serve import make_server, rebuild
from tests.publish.conftest import ROOT, SAMPLE_DAY, sample_briefing, save, write_config


@pytest.fixture
def config(tmp_path: Path):  # type: ignore[no-untyped-def]
    cfg = write_config(tmp_path)
    cfg.store_path.parent.mkdir(parents=True, exist_ok=True)
    save(cfg.store_path, [sample_briefing(SAMPLE_DAY - dt.timedelta(days=1))])
    return cfg


def _spawn(config, *args: str, **env: str) -> subprocess.Popen[str]:  # type: ignore[no-untyped-def]
    return subprocess.Popen(
        [sys.executable, "-m", "tests.publish.nightly_driver", *args, "--config", str(config.path)],
        cwd=ROOT, env={**os.environ, **env}, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True,
    )


def _wait_for(predicate, timeout: float = 60) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_45_site_during_nightly_is_refused_then_waits_with_wait(config, tmp_path: Path) -> None:
    out = config.resolve(config.site.out)
    resume = tmp_path / "resume"
    nightly = _spawn(config, "nightly", "--date", "2026-02-05", "--no-fetch",
                     BRIEFING_PUBLISH_PAUSE="120", BRIEFING_PUBLISH_RESUME=str(resume))
    releases = Releases(out)
    # The nightly is inside its lock, paused between staging and the swap.
    _wait_for(lambda: releases.root.is_dir() and any(releases.root.glob("*.build.json")))
    refused = _spawn(config, "site")
    _, err = refused.communicate(timeout=120)
    assert refused.returncode == 75, err
    assert f"lock held by pid {nightly.pid}" in err and "--wait" in err
    assert "Traceback" not in err and "FileNotFoundError" not in err
    waiting = _spawn(config, "site", "--wait", "120")
    time.sleep(0.5)
    assert waiting.poll() is None  # still waiting for the lock
    resume.touch()
    out_nightly, err_nightly = nightly.communicate(timeout=120)
    assert nightly.returncode == 0, err_nightly
    out_site, err_site = waiting.communicate(timeout=120)
    assert waiting.returncode == 0, err_site
    assert out_site.startswith("site unchanged") or out_site.startswith("site published"), out_site
    assert (out / "en" / "2026-02-05" / "index.html").is_file()
    assert not [p for p in releases.root.iterdir() if p.name.startswith(".staging-")]


def test_a_serve_rebuild_waits_for_the_lock_instead_of_racing(config) -> None:
    out = config.resolve(config.site.out)
    lock = NightlyPaths.from_config(config, out).lock
    with nightly_lock(lock):
        message = rebuild(config, out, pdf=False, lock_wait=0)
    assert message.startswith("error: lock held by pid") and "still serving" in message
    assert not out.exists()  # nothing was built while another run held the lock
    results: list[str] = []
    with nightly_lock(lock):
        worker = threading.Thread(target=lambda: results.append(rebuild(config, out, pdf=False, lock_wait=60)))
        worker.start()
        time.sleep(0.3)
        assert not results  # waiting
    worker.join(timeout=60)
    assert results and results[0].startswith("site published"), results


@pytest.fixture
def preview(tmp_path: Path) -> Iterator[int]:
    site = tmp_path / "site"
    (site / "en").mkdir(parents=True)
    (site / "assets").mkdir()
    (site / "index.html").write_text("<p>home</p>", encoding="utf-8")
    (site / "en" / "index.html").write_text("<p>en</p>", encoding="utf-8")
    (site / "assets" / "briefing.css").write_text("p{}", encoding="utf-8")
    server = make_server(site, 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def _get(port: int, path: str, host: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", path, headers={"Host": host})
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, body


def test_the_preview_answers_loopback_names_only(preview: int) -> None:
    assert _get(preview, "/en/", f"127.0.0.1:{preview}") == (200, b"<p>en</p>")
    assert _get(preview, "/", f"localhost:{preview}")[0] == 200
    for host in ("attacker.example", f"attacker.example:{preview}", "127.0.0.1", "localhost:1"):
        status, body = _get(preview, "/en/", host)
        assert status == 421 and b"<p>en</p>" not in body, host


def test_the_preview_lists_no_folder(preview: int) -> None:
    status, body = _get(preview, "/assets/", f"127.0.0.1:{preview}")
    assert status == 404 and b"briefing.css" not in body
    assert _get(preview, "/assets/briefing.css", f"127.0.0.1:{preview}")[0] == 200
