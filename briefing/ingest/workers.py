"""Parse workers: one forked process per job at a time, each job on its own budget.

    pool = ParsePool(size=2, initializer=warm)   # forks `size` workers now, before any thread
    result = await pool.run(job, *args, budget=60.0)   # in the event loop
    pool.close()

Why not a `ProcessPoolExecutor`: a job there cannot be stopped, so one source with a
pathological body (a 100,000-deep item) holds its worker until it is done, the sources
queued behind it miss their deadlines, and shutting the pool down waits for it. Here:

- a job's budget is counted from when a worker takes it, not from when it was queued, and
  a job over budget has its worker SIGKILLed and replaced (`ParseBudgetError` for that
  source alone);
- a job running longer than `slow_after` seconds (5) stops counting as capacity: another
  worker is forked (up to `limit`), so the queue keeps moving while a bad source burns
  its budget (not sooner: on a loaded host ordinary jobs run a second or two, and each
  extra worker loads its own language model);
- each worker's address space is capped (`memory` bytes over what it inherited), so a
  source that would exhaust memory fails alone with a `MemoryError`, and the worker is
  replaced;
- workers ask the kernel to SIGKILL them when the parent dies (`PR_SET_PDEATHSIG`), and
  exit when their socket to the parent closes, so none outlives a killed `fetch`.

Jobs and results travel as length-prefixed pickles over a socket pair.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import os
import pickle
import resource
import signal
import socket
import struct
import time
from collections.abc import Callable
from typing import Any

from briefing.errors import ParseError
from briefing.lifeline import die_with_parent

_HEADER = struct.Struct("!Q")


class ParseBudgetError(ParseError):
    """A job ran over its time budget; its worker was stopped."""


class WorkerDiedError(ParseError):
    """A worker process ended in the middle of a job (killed by the kernel, a crash)."""


Job = Callable[..., Any] | str


def resolve_job(job: Job) -> Callable[..., Any]:
    """A job given as "package.module:function" is imported where it runs, so the parent
    of the workers need not import the parsing stack (a run of 304s never does)."""
    if callable(job):
        return job
    module, _, name = job.partition(":")
    function: Callable[..., Any] = getattr(importlib.import_module(module), name)
    return function


# -- the worker side ----------------------------------------------------------------------


def _vm_size() -> int | None:
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def _cap_memory(extra: int | None) -> None:
    """Cap the address space at what the worker inherited plus `extra` bytes."""
    if not extra:
        return
    base = _vm_size()
    if base is None:
        return
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_AS, (base + extra, base + extra))


def _close_inherited(keep: int) -> None:
    """Drop the parent's sockets and files (HTTP connections, the store) from the worker."""
    with contextlib.suppress(OSError):
        fds = [int(name) for name in os.listdir("/proc/self/fd")]
        for fd in fds:
            if fd > 2 and fd != keep:
                with contextlib.suppress(OSError):
                    os.close(fd)


def _recv_exactly_blocking(sock: socket.socket, size: int) -> bytes | None:
    buf = bytearray(size)
    view = memoryview(buf)
    got = 0
    while got < size:
        n = sock.recv_into(view[got:])
        if n == 0:
            return None
        got += n
    return bytes(buf)


def _serve(sock: socket.socket) -> None:
    """Run jobs from the parent until it hangs up."""
    while True:
        header = _recv_exactly_blocking(sock, _HEADER.size)
        if header is None:
            return
        payload = _recv_exactly_blocking(sock, _HEADER.unpack(header)[0])
        if payload is None:
            return
        fn, args = pickle.loads(payload)
        retiring = False
        try:
            fn = resolve_job(fn)
            reply = pickle.dumps((True, fn(*args), False), protocol=pickle.HIGHEST_PROTOCOL)
        except MemoryError:
            retiring = True  # the heap may be in pieces: answer, then make room for a fresh one
            error = ParseError("out of memory while parsing: over settings.parse_memory_mb")
            reply = pickle.dumps((False, error, True))
        except Exception as exc:  # noqa: BLE001 - every failure goes back to the parent
            try:
                reply = pickle.dumps((False, exc, False), protocol=pickle.HIGHEST_PROTOCOL)
            except Exception:  # noqa: BLE001 - an exception that does not pickle
                reply = pickle.dumps((False, ParseError(f"{type(exc).__name__}: {exc}"), False))
        sock.sendall(_HEADER.pack(len(reply)) + reply)
        if retiring:
            return


def _worker_main(sock: socket.socket, parent: int, memory: int | None) -> None:
    die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    _close_inherited(sock.fileno())
    _cap_memory(memory)
    _serve(sock)


# -- the parent side ----------------------------------------------------------------------


class _Worker:
    def __init__(self, pid: int, sock: socket.socket) -> None:
        self.pid = pid
        self.sock = sock
        self.started = 0.0  # when its current job was handed over
        self.ready = False  # the pool's initializer has run here

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        self.reap()

    def reap(self) -> None:
        self.sock.close()
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)


async def _recv_exactly(sock: socket.socket, size: int) -> bytes:
    loop = asyncio.get_running_loop()
    buf = bytearray(size)
    view = memoryview(buf)
    got = 0
    while got < size:
        n = await loop.sock_recv_into(sock, view[got:])
        if n == 0:
            raise EOFError
        got += n
    return bytes(buf)


class ParsePool:
    """`size` worker processes, growing to `limit` while jobs run long; see the module doc."""

    def __init__(
        self,
        size: int,
        *,
        limit: int | None = None,
        memory: int | None = None,
        slow_after: float = 5.0,
        initializer: Job | None = None,
        init_budget: float = 120.0,
    ) -> None:
        self.size = max(1, size)
        # run in each worker before its first job, on a budget of its own (`init_budget`),
        # so a run that parses nothing (every feed 304) never pays for it, and a fresh
        # worker's imports do not eat into the first source's time
        self.initializer = initializer
        self.init_budget = init_budget
        self.limit = max(self.size, limit if limit is not None else self.size + 4)
        self.memory = memory
        self.slow_after = slow_after
        self._idle: list[_Worker] = [self._spawn() for _ in range(self.size)]
        self._busy: set[_Worker] = set()
        self._changed: asyncio.Event | None = None
        self.spawned = self.size
        self.killed = 0

    def _spawn(self) -> _Worker:
        parent_sock, child_sock = socket.socketpair()
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:  # the worker: never returns
            code = 0
            try:
                parent_sock.close()
                _worker_main(child_sock, parent, self.memory)
            except BaseException:  # noqa: BLE001 - a worker never unwinds into the parent's code
                code = 1
            finally:
                os._exit(code)
        child_sock.close()
        return _Worker(pid, parent_sock)

    def _event(self) -> asyncio.Event:
        if self._changed is None:
            self._changed = asyncio.Event()
        return self._changed

    async def _acquire(self) -> _Worker:
        while True:
            if self._idle:
                worker = self._idle.pop()
                break
            now = time.monotonic()
            fast = sum(1 for w in self._busy if now - w.started < self.slow_after)
            if len(self._busy) < self.limit and fast < self.size:
                worker = self._spawn()
                self.spawned += 1
                break
            event = self._event()
            event.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), timeout=self.slow_after / 2)
        worker.sock.setblocking(False)
        worker.started = time.monotonic()
        self._busy.add(worker)
        return worker

    def _release(self, worker: _Worker, *, healthy: bool) -> None:
        self._busy.discard(worker)
        if healthy:
            self._idle.append(worker)
        else:
            worker.kill()
            self.killed += 1
        self._event().set()

    def _retire(self, worker: _Worker) -> None:
        """A worker that ran out of memory exits after answering: reap it, do not reuse it."""
        if worker in self._idle:
            self._idle.remove(worker)
            worker.reap()

    async def run(self, fn: Job, *args: Any, budget: float) -> Any:
        """`fn(*args)` in a worker, within `budget` seconds of the worker taking it."""
        worker = await self._acquire()
        healthy = False
        try:
            if not worker.ready and self.initializer is not None:
                await self._exchange(worker, self.initializer, (), self.init_budget)
                worker.ready = True
            ok, value, retiring = await self._exchange(worker, fn, args, budget)
            healthy = True
        finally:
            self._release(worker, healthy=healthy)
        if retiring:
            self._retire(worker)
        if not ok:
            raise value
        return value

    async def _exchange(
        self, worker: _Worker, fn: Job, args: tuple[Any, ...], budget: float
    ) -> tuple[bool, Any, bool]:
        """Send one job and read its reply within `budget` seconds."""
        payload = pickle.dumps((fn, args), protocol=pickle.HIGHEST_PROTOCOL)
        loop = asyncio.get_running_loop()
        try:
            async with asyncio.timeout(budget):
                await loop.sock_sendall(worker.sock, _HEADER.pack(len(payload)) + payload)
                header = await _recv_exactly(worker.sock, _HEADER.size)
                reply = await _recv_exactly(worker.sock, _HEADER.unpack(header)[0])
        except TimeoutError:
            raise ParseBudgetError(
                f"parsing took longer than {budget:g} s: stopped (the other sources go on)"
            ) from None
        except (EOFError, ConnectionError) as exc:
            raise WorkerDiedError(
                "the parse worker died (out of memory, or killed); the other sources go on"
            ) from exc
        result: tuple[bool, Any, bool] = pickle.loads(reply)
        return result

    def close(self) -> None:
        """Stop every worker at once (they hold nothing worth waiting for) and reap them."""
        for worker in [*self._idle, *self._busy]:
            worker.kill()
        self._idle.clear()
        self._busy.clear()

    def __enter__(self) -> ParsePool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
