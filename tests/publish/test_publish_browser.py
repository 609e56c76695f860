"""The published site in headless Chromium, served on 127.0.0.1 from a subfolder.

No console errors, the language chooser redirects, the language switch and the archive
links work when clicked, and no request leaves 127.0.0.1. A screenshot of the day page is
saved to $BRIEFING_ARTIFACTS (default /tmp/briefing-artifacts/) for a human to look at.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import tempfile
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from briefing.publish.site import build_site, options_from_config
from briefing.store import Store
from tests.publish.conftest import days_back

CHROMIUM = Path("/usr/bin/chromium")
# Screenshots land outside the checkout; set BRIEFING_ARTIFACTS to keep them elsewhere.
ARTIFACTS = Path(os.environ.get("BRIEFING_ARTIFACTS", Path(tempfile.gettempdir()) / "briefing-artifacts"))
pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="/usr/bin/chromium is absent (apt-get install chromium)"
)


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def served(make_site, tmp_path: Path) -> Iterator[str]:
    """The site under http://127.0.0.1:PORT/sub/daily/ (a subfolder, to prove relative links)."""
    config, out = make_site(days_back(2) + [dt.date(2026, 1, 5)])
    root = tmp_path / "www"
    (root / "sub").mkdir(parents=True)
    with Store.open(config.store_path) as store:
        build_site(store, options_from_config(config), root / "sub" / "daily")
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/sub/daily/"
    finally:
        server.shutdown()
        server.server_close()


def test_site_in_chromium(served: str) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    errors: list[str] = []
    outside: list[str] = []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run", "--disable-sync"],
        )
        try:
            context = browser.new_context(locale="en-US", viewport={"width": 1000, "height": 1400})

            def guard(route) -> None:  # type: ignore[no-untyped-def]
                host = urlsplit(route.request.url).hostname
                if host == "127.0.0.1":
                    route.continue_()
                else:
                    outside.append(route.request.url)
                    route.abort()

            context.route("**/*", guard)
            page = context.new_page()
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("requestfailed", lambda r: errors.append(f"failed: {r.url}"))

            # the chooser follows the browser's language (en-US → en)
            page.goto(served)
            page.wait_for_url(served + "en/index.html")
            assert page.locator(".latest-headline").inner_text().startswith("Xi")

            # archive: click an older day
            page.locator("a.archive-link[href='2026-02-04/index.html']").click()
            page.wait_for_url(served + "en/2026-02-04/index.html")
            assert page.locator("html").get_attribute("lang") == "en"

            # the bar's language link goes to the Chinese twin of the day
            page.locator(".site-bar a.language-switch").click()
            page.wait_for_url(served + "zh/2026-02-04/index.html")
            assert page.locator("html").get_attribute("lang") == "zh-CN"

            # previous / next day
            page.locator("a.pager-next").click()
            page.wait_for_url(served + "zh/2026-02-05/index.html")
            assert page.locator("a.pager-next").count() == 0
            page.locator("a.pager-prev").click()
            page.wait_for_url(served + "zh/2026-02-04/index.html")

            # back to the archive from the day page, then into January
            page.locator("a.site-home").click()
            page.wait_for_url(served + "zh/index.html")
            assert "2026年1月" in page.locator(".archive").inner_text()
            page.locator("a.archive-link[href='2026-01-05/index.html']").click()
            page.wait_for_url(served + "zh/2026-01-05/index.html")

            # language switch of the index page
            page.goto(served + "zh/index.html")
            page.locator(".site-bar a.language-switch").click()
            page.wait_for_url(served + "en/index.html")

            # search: an English word in the English archive, a Chinese one in the Chinese
            for lang, word, date in (("en", "payrolls", "February 5, 2026"), ("zh", "钙钛矿", "2026年2月5日")):
                page.goto(served + f"{lang}/index.html")
                page.locator(".pagefind-ui__search-input").fill(word)
                page.locator(".pagefind-ui__result-link").first.wait_for(timeout=10_000)
                page.wait_for_function(
                    "t => document.querySelector('.pagefind-ui__results').innerText.includes(t)", arg=date
                )
                hrefs = page.locator(".pagefind-ui__result-link").evaluate_all("as => as.map(a => a.href)")
                assert len(hrefs) == 3  # the three days hold the word
                assert all(f"/sub/daily/{lang}/2026-" in h for h in hrefs), hrefs  # this language only
            page.locator(".pagefind-ui__search-input").fill("zzzqqqxxx")
            page.locator(".pagefind-ui__message").get_by_text("zzzqqqxxx").wait_for()
            assert page.locator(".pagefind-ui__result-link").count() == 0

            # the impact map links to the stories behind a tag; the stance history to the days
            page.goto(served + "en/2026-02-05/index.html")
            block = page.locator("#impact-map svg a").first
            target = (block.get_attribute("href") or "")[1:]
            block.click()
            page.wait_for_url(served + f"en/2026-02-05/index.html#{target}")
            assert page.locator(f"#{target}").is_visible()
            page.locator(".site-bar a.impacts-nav").click()
            page.wait_for_url(served + "en/impacts/index.html")
            page.locator(".stance-strip a").last.click()
            page.wait_for_url(served + "en/2026-02-05/index.html#impact-map")

            # the day page, looked at by a human
            page.goto(served + "en/2026-02-05/index.html")
            page.wait_for_load_state("networkidle")
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "day-page-en.png"), full_page=False)
            page.goto(served + "zh/index.html")
            page.screenshot(path=str(ARTIFACTS / "index-zh.png"), full_page=False)
        finally:
            browser.close()
    assert errors == []
    assert outside == []
