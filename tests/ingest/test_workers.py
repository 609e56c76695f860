"""Parse workers: a job over budget is stopped alone; workers die with their parent."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from briefing.errors import ParseError
from briefing.ingest.workers import ParseBudgetError, ParsePool

ROOT = Path(__file__).resolve().parents[2]


def square(x: int) -> int:
    return x * x


def forever() -> None:
    while True:
        time.sleep(3600)


def fails() -> None:
    raise ParseError("not a feed")


def hog(megabytes: int) -> int:
    return len(bytearray(megabytes * 1024 * 1024))


def my_pid() -> int:
    return os.getpid()


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie is dead too: it only waits for its parent to read its status
    with open(f"/proc/{pid}/stat") as fh:
        return fh.read().split(")")[-1].split()[0] != "Z"


def test_results_and_errors_come_back() -> None:
    async def main(pool: ParsePool) -> None:
        assert await asyncio.gather(*(pool.run(square, i, budget=30) for i in range(6))) == [
            0,
            1,
            4,
            9,
            16,
            25,
        ]
        with pytest.raises(ParseError, match="not a feed"):
            await pool.run(fails, budget=30)
        assert await pool.run(square, 7, budget=30) == 49

    with ParsePool(2) as pool:
        asyncio.run(main(pool))
        assert pool.killed == 0


def test_a_job_over_budget_has_its_worker_killed_and_replaced() -> None:
    async def main(pool: ParsePool) -> int:
        victim = await pool.run(my_pid, budget=30)
        with pytest.raises(ParseBudgetError, match="longer than 0.3 s"):
            await pool.run(forever, budget=0.3)
        assert not alive(victim)
        return await pool.run(square, 3, budget=30)  # a fresh worker takes the next job

    with ParsePool(1) as pool:
        assert asyncio.run(main(pool)) == 9
        assert pool.killed == 1 and pool.spawned == 2


def test_a_long_job_does_not_hold_up_the_queue() -> None:
    """One worker, busy with a job that never ends: the next job gets a new worker."""

    async def main(pool: ParsePool) -> None:
        slow = asyncio.create_task(pool.run(forever, budget=60))
        quick = [asyncio.create_task(pool.run(square, i, budget=60)) for i in range(3)]
        assert await asyncio.gather(*quick) == [0, 1, 4]
        assert not slow.done()
        slow.cancel()
        with pytest.raises(asyncio.CancelledError):
            await slow

    with ParsePool(1, slow_after=0.2) as pool:
        asyncio.run(main(pool))
        assert pool.killed == 1  # the cancelled job's worker


def test_a_job_over_its_memory_fails_alone() -> None:
    async def main(pool: ParsePool) -> None:
        with pytest.raises(ParseError, match="out of memory"):
            await pool.run(hog, 512, budget=30)
        assert await pool.run(hog, 16, budget=30) == 16 * 1024 * 1024

    with ParsePool(1, memory=128 * 1024 * 1024) as pool:
        asyncio.run(main(pool))


PARENT = """
import asyncio, sys, time
from briefing.ingest.workers import ParsePool
from tests.ingest.test_workers import forever, my_pid

async def main(pool):
    pids = await asyncio.gather(*(pool.run(my_pid, budget=60) for _ in range(2)))
    print(*pids, flush=True)
    await pool.run(forever, budget=600)

asyncio.run(main(ParsePool(2)))
"""


def test_workers_die_with_a_killed_parent() -> None:
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    assert parent.stdout is not None
    workers = [int(p) for p in parent.stdout.readline().split()]
    assert len(workers) == 2 and all(alive(p) for p in workers)
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 10
    while any(alive(p) for p in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(alive(p) for p in workers)
