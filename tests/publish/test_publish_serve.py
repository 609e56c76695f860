"""`briefing serve`: serves on 127.0.0.1 and rebuilds when the store changes."""

from __future__ import annotations

import datetime as dt
import re
import threading
import time
import urllib.request

from briefing.publish.serve import serve_site
from tests.publish.conftest import sample_briefing, save


def test_serve_rebuilds_on_change(make_site) -> None:
    config, out = make_site([dt.date(2026, 2, 4)])
    lines: list[str] = []
    stop = threading.Event()
    thread = threading.Thread(
        target=serve_site, kwargs={"config": config, "port": 0, "echo": lines.append, "stop": stop},
        daemon=True,
    )
    thread.start()
    try:
        deadline = time.monotonic() + 20
        while not any("serving" in line for line in lines):
            assert time.monotonic() < deadline, lines
            time.sleep(0.05)
        (url,) = re.findall(r"http://127\.0\.0\.1:\d+/", "\n".join(lines))
        with urllib.request.urlopen(url + "en/2026-02-04/index.html") as response:
            assert response.status == 200
        time.sleep(0.5)  # let the watcher start before the change
        save(config.store_path, [sample_briefing(dt.date(2026, 2, 5))])
        while not any("2 days" in line for line in lines):
            assert time.monotonic() < deadline, lines
            time.sleep(0.05)
        with urllib.request.urlopen(url + "en/2026-02-05/index.html") as response:
            assert b"Xi" in response.read()
    finally:
        stop.set()
        thread.join(timeout=10)
    assert not thread.is_alive()
