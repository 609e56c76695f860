"""The PDF render worker dies with its parent, even in the middle of a long render.

RELIABILITY #50's worker, under #41's SIGKILL: before, a worker busy rendering did not
read its stdin and so did not notice the parent was gone; it rendered on alone.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# The parent starts a long render (a few thousand table rows take WeasyPrint many seconds),
# reports the worker's pid once the worker is busy, then waits to be killed.
PARENT = """
import sys, threading, time
from briefing.render import pdf
rows = "".join(f"<tr><td>{i}</td><td>{'行情 ' * 40}</td></tr>" for i in range(6000))
html = f'<html lang="zh-CN"><body><table>{rows}</table></body></html>'
pdf.prewarm()
worker = pdf._worker.process.pid
threading.Thread(target=lambda: pdf.render_pdf_from_html(html, timeout=600), daemon=True).start()
time.sleep(1.0)
print(worker, flush=True)
time.sleep(600)
"""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = Path(f"/proc/{pid}/stat")
    return not (status.exists() and status.read_text().split()[2] == "Z")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_41_a_busy_pdf_worker_dies_when_its_parent_is_killed() -> None:
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    try:
        assert parent.stdout is not None
        worker = int(parent.stdout.readline())
        assert _alive(worker)
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait(timeout=10)
        deadline = time.monotonic() + 10  # the render alone would take far longer
        while _alive(worker) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _alive(worker), f"worker {worker} outlived its parent"
    finally:
        if parent.poll() is None:
            parent.kill()
