"""Worker processes that die with their parent.

A worker blocked in its own work (a long WeasyPrint render, a pathological feed) does
not notice that its parent was SIGKILLed until it next reads from the parent, so it can
outlive the run by minutes. On Linux the kernel is asked to SIGKILL the worker when the
parent goes (`PR_SET_PDEATHSIG`, which survives `exec`); elsewhere a daemon thread polls
the parent's pid. Either way a parent that died before the request took effect is
noticed at once.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys
import threading
import time

PARENT_ENV = "BRIEFING_PARENT_PID"
_PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int) -> None:
    """End this process when `parent` (the pid it was started by) ends."""
    armed = False
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            armed = libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(0)
    if not armed:
        threading.Thread(target=_watch, args=(parent,), daemon=True).start()


def _watch(parent: int, interval: float = 0.5) -> None:
    while os.getppid() == parent:
        time.sleep(interval)
    os._exit(0)


def parent_from_env() -> int:
    """The parent pid a spawner put in the environment (else the current parent)."""
    value = os.environ.get(PARENT_ENV, "")
    return int(value) if value.isdigit() else os.getppid()
