"""`run_fetch`: every enabled source, concurrently, into the store.

    for each enabled source, at most `concurrency` at a time:
        state  = store.source_state(id)
        if deferred by an earlier Retry-After:        result "deferred"
        feed:  fetch (conditional GET)  -> 304:       state.last_checked = now   "not_modified"
                                        -> 200:       parse in a worker process
        local: read the files in a worker process
        store.save_fetch(state, articles)             # articles, then the watermark,
                                                      # in one transaction        "ok"
        on FetchError / ParseError / deadline:        error stored on the source  "error"

A source's failure is a value in the report, never an exception; only the store (or a bug
in the store) stops the run. A source's articles and its new ETag are committed in one
transaction, so a crash costs a refetch, never an article, and the ETag never moves past
articles that are not stored.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import os
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import httpx

from briefing.errors import SourceError, StorageError
from briefing.ingest.http import HttpStatusError, fetch_feed, make_client
from briefing.ingest.pinning import Resolver
from briefing.ingest.report import FetchReport, SourceResult, aggregate_warnings
from briefing.ingest.settings import IngestSettings, SourceConfig
from briefing.ingest.workers import Job, ParsePool, resolve_job
from briefing.store import SourceState, Store

if TYPE_CHECKING:
    from briefing.config import Config
    from briefing.ingest.entries import ParsedSource

# Jobs by name ("module:function"), resolved where they run.
PARSE_FEED: Job = "briefing.ingest.jobs:parse_feed_job"
READ_LOCAL: Job = "briefing.ingest.jobs:read_local_job"

Clock = Callable[[], dt.datetime]
Progress = Callable[[SourceResult], None]


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _warm_up(chinese: bool = True) -> None:
    """Import the parsing stack, build its tables, load the language model and the
    admission rules, and OpenCC's tables when some source is expected to write Chinese."""
    from briefing.admit import default_rules
    from briefing.ingest.encoding import plausibility
    from briefing.ingest.jobs import parse_feed_job  # noqa: F401 - imported for its stack
    from briefing.ingest.lang import warm_up

    if chinese:
        plausibility("中")  # the table of common Han characters
    default_rules()  # ~0.05 CPU-s of regex compiling, else paid again by every worker
    warm_up(chinese)  # the language model, and the conversion tables


class _InlineParser:
    """`parse_workers: 0`: jobs in one thread of this process (no isolation: tests, 1 CPU)."""

    def __init__(self, chinese: bool = True) -> None:
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="briefing-parse")
        self._turn: asyncio.Lock | None = None
        self._warm = False
        self._chinese = chinese

    async def run(self, fn: Job, *args: Any, budget: float) -> Any:
        loop = asyncio.get_running_loop()
        self._turn = self._turn or asyncio.Lock()
        async with self._turn:  # the budget starts with the job's turn, not in the queue
            if not self._warm:
                await loop.run_in_executor(self._thread, _warm_up, self._chinese)
                self._warm = True
            async with asyncio.timeout(budget):
                return await loop.run_in_executor(self._thread, resolve_job(fn), *args)

    def close(self) -> None:
        self._thread.shutdown(wait=True, cancel_futures=True)


Parser = ParsePool | _InlineParser


def _parsing_certain(sources: list[SourceConfig], states: dict[str, SourceState]) -> bool:
    """Whether some source will surely be parsed: a local one, or a feed the store holds
    no validators for (new, moved, or its server sends none), which cannot answer 304."""
    for source in sources:
        state = states.get(source.id)
        if not source.url or state is None or state.location != source.url:
            return True
        if not (state.etag or state.last_modified):
            return True
    return False


def _expects_chinese(sources: list[SourceConfig]) -> bool:
    """Whether some source is configured as Chinese: then OpenCC's tables are built before
    the workers fork (else on first use, where Chinese text turns up)."""
    return any(source.writes_chinese for source in sources)


def _parser(
    settings: IngestSettings, source_count: int, preload: bool = False, chinese: bool = True
) -> Parser:
    """Where parse jobs run: worker processes that can be stopped, one per CPU (at most 4).

    Workers are forked, all of them, *before* the event loop starts (see `run_fetch`):
    forking is measured twice as fast as forkserver here, and forking before any of our
    threads exist is what makes it safe. They are forked small (the parent has not
    imported the parsing stack) and import it with their first job. Only a replacement for a stopped worker, or an
    extra one while a source runs long, is forked later.
    """
    workers = settings.parse_workers
    if workers == -1:
        workers = min(os.cpu_count() or 1, 4, max(source_count, 1))
    if workers == 0 or not hasattr(os, "fork"):
        return _InlineParser(chinese)
    # The parsing stack (feedparser, nh3, OpenCC), its tables and the language model are
    # loaded here, once, only when some source will surely be parsed (`preload`): the
    # workers are then forked with them and share the pages. Else each worker loads them
    # with its first job, on a budget of its own (`_warm_up`), so a run of 304s loads none
    # of it (it cost the parent ~0.2 CPU-s, a third of such a run).
    if preload:
        _warm_up(chinese)
    warm = functools.partial(_warm_up, chinese)
    return ParsePool(workers, memory=settings.parse_memory_mb * 1024 * 1024, initializer=warm)


class _Runner:
    def __init__(
        self,
        config: Config,
        store: Store,
        clock: Clock,
        client: httpx.AsyncClient,
        parser: Parser,
        network_slots: asyncio.Semaphore,
    ) -> None:
        self.config = config
        self.settings = config.settings
        self.store = store
        self.clock = clock
        self.client = client
        self.parser = parser
        # held only while talking to a server: parsing must not keep a connection slot
        self.network_slots = network_slots
        self.states = {s.id: s for s in store.sources()}  # one query, not one per source
        # 304s change only a source's clock: written together at the end (`flush`), not one
        # transaction each; lost with a killed run, they cost nothing but a conditional GET
        self.not_modified: list[SourceState] = []

    def _state(self, source: SourceConfig) -> SourceState:
        location = source.url or source.path or ""
        state = self.states.get(source.id)
        if state is None or state.location != location:
            # a new source, or one that now points elsewhere: its validators are void
            state = SourceState(id=source.id, kind=source.kind, location=location)
        return replace(state, name=source.display_name, kind=source.kind)

    async def run_source(self, source: SourceConfig) -> SourceResult:
        started = time.monotonic()
        state = self._state(source)
        now = self.clock()
        if state.next_fetch_after and now < state.next_fetch_after:
            return SourceResult(
                source.id,
                "deferred",
                error=f"server asked to wait until {state.next_fetch_after.isoformat()}",
            )
        try:
            if source.url:
                result = await self._fetch_feed(source, state, now)
            else:
                result = await self._read_local(source, state, now)
        except StorageError:
            raise
        except Exception as exc:  # noqa: BLE001 - any source failure is recorded, never fatal
            result = self._record_error(source, state, exc)
        return replace(result, elapsed=time.monotonic() - started)

    async def _parse(self, job: Job, *args: object) -> ParsedSource:
        # the same budget again for parsing, counted from when a worker takes the job:
        # waiting behind other sources is not this source's fault
        result: ParsedSource = await self.parser.run(job, *args, budget=self.settings.total_timeout)
        return result

    async def _fetch_feed(
        self, source: SourceConfig, state: SourceState, now: dt.datetime
    ) -> SourceResult:
        assert source.url is not None
        deadline = self.settings.total_timeout
        # the deadline starts once a slot is ours: waiting in the queue is not the server's fault
        async with self.network_slots, asyncio.timeout(deadline):
            http = await fetch_feed(
                self.client,
                source.url,
                self.settings,
                etag=state.etag,
                last_modified=state.last_modified,
                now=now,
            )
        if http.not_modified:
            self.not_modified.append(self._success(state, now, http.etag, http.last_modified))
            return SourceResult(source.id, "not_modified")
        parsed = await self._parse(
            PARSE_FEED, source, self.settings, http.body, http.content_type, http.url, now
        )
        return self._store(source, state, parsed, now, http.etag, http.last_modified)

    async def _read_local(
        self, source: SourceConfig, state: SourceState, now: dt.datetime
    ) -> SourceResult:
        root = self.config.resolve(self.settings.local_root)
        parsed = await self._parse(READ_LOCAL, source, self.settings, root, now)
        return self._store(source, state, parsed, now, None, None)

    def flush(self) -> None:
        """Write the states of the sources that answered 304."""
        pending, self.not_modified = self.not_modified, []
        self.store.save_source_states(pending)

    def _success(
        self, state: SourceState, now: dt.datetime, etag: str | None, last_modified: str | None
    ) -> SourceState:
        return replace(
            state,
            etag=etag or state.etag,
            last_modified=last_modified or state.last_modified,
            last_checked=now,
            last_success=now,
            next_fetch_after=None,
            last_error_type=None,
            last_error_message=None,
            last_error_at=None,
            consecutive_failures=0,
            gone_count=0,
        )

    def _store(
        self,
        source: SourceConfig,
        state: SourceState,
        parsed: ParsedSource,
        now: dt.datetime,
        etag: str | None,
        last_modified: str | None,
    ) -> SourceResult:
        warnings = aggregate_warnings(parsed.warnings)
        context = parsed.context
        newest = max(
            (t for t in (state.newest_published, context.newest if context else None) if t),
            default=None,
        )
        stale = bool(context and context.stale) if parsed.articles else state.stale
        # the watermark moves on with the articles or not at all: see the module docstring
        new, updated = self.store.save_fetch(
            replace(
                self._success(state, now, etag, last_modified),
                entries=len(parsed.articles),
                newest_published=newest,
                stale=stale,
                warnings=warnings,
            ),
            parsed.articles,
        )
        return SourceResult(
            source.id,
            "ok",
            new=new,
            updated=updated,
            entries=len(parsed.articles),
            warnings=warnings,
            rejected=sum(1 for a in parsed.articles if a.rejected),
            stale=stale,
        )

    def _record_error(
        self, source: SourceConfig, state: SourceState, exc: BaseException
    ) -> SourceResult:
        now = self.clock()
        if isinstance(exc, TimeoutError):
            exc_type, message = (
                "FetchError",
                (
                    f"deadline exceeded: no answer within total_timeout={self.settings.total_timeout}s"
                ),
            )
        else:
            exc_type = type(exc).__name__ if isinstance(exc, SourceError) else "ParseError"
            message = str(exc) or type(exc).__name__
            if not isinstance(exc, SourceError):
                message = f"{type(exc).__name__}: {message}"
        next_after = None
        gone = 0
        if isinstance(exc, HttpStatusError):
            if exc.retry_after:
                next_after = now + dt.timedelta(seconds=exc.retry_after)
            gone = state.gone_count + 1 if exc.status == 410 else 0
        self.store.save_source_state(
            replace(
                state,
                last_checked=now,
                next_fetch_after=next_after,
                last_error_type=exc_type,
                last_error_message=message,
                last_error_at=now,
                consecutive_failures=state.consecutive_failures + 1,
                gone_count=gone,
            )
        )
        return SourceResult(source.id, "error", error_type=exc_type, error=message)


async def _run_all(
    config: Config,
    store: Store,
    clock: Clock,
    transport: httpx.AsyncBaseTransport | None,
    progress: Progress | None,
    parser: Parser,
    resolve: Resolver | None,
) -> list[SourceResult]:
    sources = [s for s in config.sources if s.enabled]
    network_slots = asyncio.Semaphore(config.settings.concurrency)
    async with make_client(config.settings, transport, resolve) as client:
        runner = _Runner(config, store, clock, client, parser, network_slots)

        async def one(source: SourceConfig) -> SourceResult:
            result = await runner.run_source(source)
            if progress is not None:
                progress(result)
            return result

        tasks = [asyncio.create_task(one(s)) for s in sources]
        try:
            return list(await asyncio.gather(*tasks))
        except BaseException:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            raise
        finally:
            runner.flush()


def run_fetch(
    config: Config,
    *,
    store: Store,
    clock: Clock | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    progress: Progress | None = None,
    resolve: Resolver | None = None,
) -> FetchReport:
    """Fetch every enabled source into `store`; return per-source results and totals.

    `clock` returns an aware "now" (pinned in tests); `transport` replaces the network
    (an `httpx.MockTransport`); `progress` is called once per finished source; `resolve`
    replaces the system resolver (a loopback DNS server in tests).
    """
    clock = clock or _utcnow
    started = clock()
    sources = [s for s in config.sources if s.enabled]
    states = {s.id: s for s in store.sources()}
    parser = _parser(
        config.settings,
        len(sources),
        preload=_parsing_certain(sources, states),
        chinese=_expects_chinese(sources),
    )
    try:
        results = asyncio.run(_run_all(config, store, clock, transport, progress, parser, resolve))
    finally:
        parser.close()
    report = FetchReport(results=results, started=started, finished=clock())
    store.record_run(
        "fetch",
        started=report.started,
        finished=report.finished,
        status=report.status,
        details=report.as_details(),
    )
    return report
