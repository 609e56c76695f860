"""The HTML page in headless Chromium: no console errors, no request leaves the loopback
server, and screenshots at desktop (1280) and mobile (390) widths.

Set BRIEFING_SCREENSHOTS=DIR to keep the screenshots for a human to look at.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from briefing.model import Briefing
from briefing.render.html import render_html, write_assets
from tests.render_fixtures import hostile_day, make_day

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "briefing-2026-02-05.json"

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="Debian chromium not installed at /usr/bin/chromium (sudo apt-get install -y chromium)",
)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright not installed")

ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def _day() -> Briefing:
    if SAMPLE.exists():
        return Briefing.from_json(SAMPLE.read_text(encoding="utf-8"))
    return make_day(20)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A tiny static site on 127.0.0.1: /zh/, /en/, /hostile/ and /assets/."""
    root = tmp_path_factory.mktemp("site")
    day = _day()
    for edition, other in (("zh", "../en/"), ("en", "../zh/")):
        (root / edition).mkdir()
        html = render_html(day, edition, other_edition_href=other, assets_href="../assets/")
        (root / edition / "index.html").write_text(html, encoding="utf-8")
    (root / "hostile").mkdir()
    (root / "hostile" / "index.html").write_text(
        render_html(
            hostile_day(["http://192.0.2.1/pixel.png", "file:///etc/passwd"]),
            "zh",
            assets_href="../assets/",
        ),
        encoding="utf-8",
    )
    write_assets(root / "assets")
    handler = functools.partial(QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


def _visit(browser: object, url: str, width: int, shot: Path) -> tuple[list[str], list[str]]:
    """Load `url`; return (console errors, requests that left 127.0.0.1)."""
    page = browser.new_page(viewport={"width": width, "height": 900})  # type: ignore[attr-defined]
    errors: list[str] = []
    outside: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))

    def guard(route: object) -> None:
        request_url = route.request.url  # type: ignore[attr-defined]
        host = urlsplit(request_url).hostname
        if host != "127.0.0.1":
            outside.append(request_url)
            route.abort()  # type: ignore[attr-defined]
        else:
            route.continue_()  # type: ignore[attr-defined]

    page.route("**/*", guard)
    page.goto(url, wait_until="networkidle")
    page.screenshot(path=str(shot), full_page=False)
    page.close()
    return errors, outside


def _keep(shot: Path) -> None:
    keep = os.environ.get("BRIEFING_SCREENSHOTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(keep) / shot.name)


@pytest.mark.parametrize(("edition", "width"), [("zh", 1280), ("zh", 390), ("en", 1280), ("en", 390)])
def test_page_in_chromium(site: str, browser: object, tmp_path: Path, edition: str, width: int) -> None:
    shot = tmp_path / f"{edition}-{width}.png"
    errors, outside = _visit(browser, f"{site}/{edition}/", width, shot)
    assert errors == []
    assert outside == []
    assert shot.stat().st_size > 10_000
    _keep(shot)


def test_hostile_page_runs_nothing_and_fetches_nothing(site: str, browser: object, tmp_path: Path) -> None:
    page = browser.new_page()  # type: ignore[attr-defined]
    requests: list[str] = []
    dialogs: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(f"{site}/hostile/", wait_until="networkidle")
    assert page.evaluate("document.scripts.length") == 0
    assert page.evaluate("document.images.length") == 0
    page.close()
    assert dialogs == []
    assert {urlsplit(u).path for u in requests} == {"/hostile/", "/assets/briefing.css"}
