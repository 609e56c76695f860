"""`briefing nightly`: fetch → build the day → gate → save → publish, under a lock.

    lock     fcntl.flock on <out>.lock; held → LockHeldError (exit 75) or wait --wait s
    fetch    briefing.ingest.run_fetch (skipped with --no-fetch); one source's failure
             is recorded by ingest and never fatal here
    build    briefing.analyse.build_briefing for the day (today in the configured zone)
    gate     the publish gate on the model: a faulty item is dropped or repaired (the
             manifest's gate.dropped / gate.repaired say why) and the day publishes; an
             issue-wide fault (too few items, nothing but stale news, an edition in the
             wrong language) or, under --strict, any warning refuses it: the live site
             stays as it is, nothing is saved, exit 1
    save     store.save_briefing (what `briefing site` publishes from)
    publish  briefing.publish.site.build_site: staging folder, atomic swap

Every run writes a manifest (JSON, beside the output) and appends to a log file; on
success the only output is one summary line. Exit codes: see `ExitCode`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import logging
import os
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from briefing import redact
from briefing.errors import BriefingError, GateError, LockHeldError
from briefing.model import Briefing
from briefing.publish import gate
from briefing.publish.lock import ExitCode, NightlyPaths, nightly_lock
from briefing.publish.notify import notify_run
from briefing.publish.site import build_site, options_from_config

_LOG = logging.getLogger("briefing.nightly")
MANIFEST_VERSION = 1


@dataclass
class Steps:
    """The pipeline's stages, swappable in tests (a fake fetch, a fixed briefing)."""

    fetch: Callable[[Any, Any], Any]
    build: Callable[[Any, Any, dt.date, Callable[[], dt.datetime]], Briefing]

    @classmethod
    def default(cls) -> Steps:
        def fetch(config: Any, store: Any) -> Any:
            from briefing.ingest import run_fetch

            return run_fetch(config, store=store)

        def build(config: Any, store: Any, day: dt.date, clock: Callable[[], dt.datetime]) -> Briefing:
            from briefing.analyse import build_briefing

            return build_briefing(config, store, day, clock=clock())

        return cls(fetch=fetch, build=build)


@dataclass
class NightlyResult:
    exit_code: ExitCode
    summary: str
    manifest: dict[str, Any] = field(default_factory=dict)


def today_in(zone: str, now: dt.datetime | None = None) -> dt.date:
    """The calendar date in the configured zone (never the host's)."""
    moment = now or dt.datetime.now(dt.UTC)
    return moment.astimezone(ZoneInfo(zone)).date()


# ------------------------------------------------------------------ the run


def run_nightly(
    config: Any,
    *,
    day: dt.date | None = None,
    out: Path | None = None,
    wait: float | None = None,
    strict: bool = False,
    fetch: bool = True,
    steps: Steps | None = None,
    now: Callable[[], dt.datetime] | None = None,
) -> NightlyResult:
    """One nightly run; never raises for a failed stage (the result says what happened)."""
    clock = now or (lambda: dt.datetime.now(dt.UTC))
    steps = steps or Steps.default()
    paths = NightlyPaths.from_config(config, out)
    started = clock()
    day = day or today_in(config.settings.timezone, started)
    manifest: dict[str, Any] = {
        "version": MANIFEST_VERSION,
        "date": day.isoformat(),
        "started": started.isoformat(timespec="seconds"),
        "out": str(paths.out),
        "log": str(paths.log),
        "status": "failed",
        "exit_code": int(ExitCode.FAILED),
        "fetch": {"skipped": not fetch},
        "briefing": None,
        "gate": {"problems": []},
        "publish": {"published": False},
        "timings": {},
        "error": None,
    }
    timings: dict[str, float] = manifest["timings"]
    t0 = time.perf_counter()
    handler = _open_log(paths.log)
    try:
        try:
            with nightly_lock(paths.lock, wait):
                timings["lock"] = round(time.perf_counter() - t0, 3)
                _LOG.info("nightly %s: started (pid %d)", day, os.getpid())
                result = _run_locked(config, day, paths, strict, fetch, steps, clock, manifest)
        except LockHeldError as exc:
            # Not our run: keep the holder's manifest, only log.
            _LOG.warning("%s", exc)
            return NightlyResult(ExitCode.LOCKED, f"error: {exc}", {"status": "locked"})
        return result
    finally:
        logging.getLogger("briefing").removeHandler(handler)
        handler.close()


def _run_locked(
    config: Any,
    day: dt.date,
    paths: NightlyPaths,
    strict: bool,
    fetch: bool,
    steps: Steps,
    clock: Callable[[], dt.datetime],
    manifest: dict[str, Any],
) -> NightlyResult:
    from briefing.store import Store

    timings: dict[str, float] = manifest["timings"]
    options = options_from_config(config)
    phase = "open store"
    store = None
    try:
        store = Store.open(config.store_path, busy_timeout=config.settings.busy_timeout)
        if fetch:
            phase = "fetch"
            with _timed(timings, "fetch"):
                report = steps.fetch(config, store)
            manifest["fetch"] = _fetch_facts(report)
            _LOG.info("fetch: %s", manifest["fetch"].get("summary"))
        phase = "build"
        with _timed(timings, "build"):
            briefing = steps.build(config, store, day, clock)
        manifest["briefing"] = _briefing_facts(briefing, config)
        phase = "gate"
        with _timed(timings, "gate"):
            verdict = _gate(briefing, day, options, strict, paths)
        manifest["gate"] = verdict.report()
        for problem in verdict.problems:
            (_LOG.error if problem in verdict.blocking else _LOG.warning)("gate: %s", problem)
        if verdict.blocking:
            _keep_rejected(paths, briefing)
            gate.enforce(verdict.blocking, day.isoformat(), strict=strict)
        briefing = verdict.briefing  # without the items the gate dropped, repairs made
        manifest["briefing"]["items"] = len(briefing.items())
        manifest["briefing"]["dropped"] = len(verdict.dropped)
        phase = "save"
        with _timed(timings, "save"):
            json_text = briefing.to_json()
            store.save_briefing(day, json_text, hashlib.sha256(json_text.encode()).hexdigest())
        phase = "publish"
        with _timed(timings, "publish"):
            site = build_site(store, options, paths.out)
        manifest["publish"] = {
            "published": site.published,
            "release": str(site.release) if site.release else None,
            "days": site.days,
            "rendered": [d.isoformat() for d in site.rendered],
            "reused": site.reused,
        }
        degraded = list(briefing.degraded)
        code = ExitCode.DEGRADED if (degraded and strict) else ExitCode.OK
        manifest["status"] = "degraded" if degraded else "ok"
        manifest["exit_code"] = int(code)
        summary = _summary(day, manifest, site.published)
        _LOG.info("%s", summary)
        return NightlyResult(code, summary, manifest)
    except BriefingError as exc:
        kept = "the live site is unchanged" if not manifest["publish"]["published"] else ""
        message = redact.redact(
            f"nightly {day}: {phase} failed: {exc}" + (f" ({kept})" if kept else "")
        )
        manifest["status"] = "refused" if isinstance(exc, GateError) else "failed"
        manifest["error"] = message
        _LOG.error("%s", message)
        return NightlyResult(ExitCode.FAILED, f"error: {message}", manifest)
    except Exception as exc:  # a bug must still leave a manifest and the old site
        message = redact.redact(
            f"nightly {day}: {phase} failed: {type(exc).__name__}: {exc}"
            f" (the live site is unchanged; see {paths.log})"
        )
        manifest["error"] = message
        _LOG.error("%s\n%s", message, traceback.format_exc())
        return NightlyResult(ExitCode.FAILED, f"error: {message}", manifest)
    finally:
        manifest["finished"] = clock().isoformat(timespec="seconds")
        timings["total"] = round(sum(v for k, v in timings.items() if k != "total"), 3)
        manifest["notify"] = notify_run(manifest, config)
        _write_manifest(paths.manifest, manifest)
        if store is not None:
            with contextlib.suppress(BriefingError):
                store.record_run(
                    "nightly",
                    started=dt.datetime.fromisoformat(manifest["started"]),
                    finished=dt.datetime.fromisoformat(manifest["finished"]),
                    status=manifest["status"],
                    details={k: manifest[k] for k in ("date", "exit_code", "error", "timings")},
                )
            store.close()


def _gate(briefing: Briefing, day: dt.date, options: Any, strict: bool, paths: NightlyPaths) -> gate.GateResult:
    """The publish gate on the built day. Findings point at lines of the day as built,
    kept beside the output (`<out>.gate/DATE.EDITION.md`) when there is anything to see."""
    from briefing.render.markdown import render_markdown

    edition = options.site.languages[0]
    built = render_markdown(briefing, edition)
    kept = paths.out.parent / f"{paths.out.name}.gate" / f"{day.isoformat()}.{edition}.md"
    places = gate.Places(briefing, built, str(kept), edition)
    verdict = gate.review(
        briefing, day=day, min_items=options.site.min_items, languages=options.site.languages,
        strict=strict, locate=places.locate, where=places.where,
    )
    if verdict.problems:
        with contextlib.suppress(OSError):
            kept.parent.mkdir(parents=True, exist_ok=True)
            kept.write_text(built, encoding="utf-8")
    return verdict


@contextlib.contextmanager
def _timed(timings: dict[str, float], name: str) -> Iterator[None]:
    start = time.perf_counter()
    try:
        yield
    finally:
        timings[name] = round(time.perf_counter() - start, 3)


def _fetch_facts(report: Any) -> dict[str, Any]:
    """What the manifest records of an ingest `FetchReport`."""
    failed = [r for r in getattr(report, "results", []) if getattr(r, "failed", False)]
    details = report.as_details() if hasattr(report, "as_details") else {}
    return {
        "skipped": False,
        "summary": report.summary_line(),
        "status": getattr(report, "status", None),
        "sources_ok": getattr(report, "ok", None),
        "sources_failed": len(failed),
        "sources_not_modified": getattr(report, "not_modified", None),
        "failed": [r.describe() for r in failed],
        "articles_new": getattr(report, "new", None),
        "articles_updated": getattr(report, "updated", None),
        "sources": details.get("sources", {}),
    }


def _briefing_facts(briefing: Briefing, config: Any) -> dict[str, Any]:
    llm = config.analysis.analyst == "llm"
    degraded = list(briefing.degraded)
    return {
        "title": briefing.title.zh or briefing.title.en,
        "headline": {"zh": briefing.title.zh, "en": briefing.title.en},
        "summary": {"zh": [t.zh for t in briefing.summary if t.zh],
                    "en": [t.en for t in briefing.summary if t.en]},
        "items": len(briefing.items()),
        "stories": len(briefing.items()),
        "sections": {s.key: len(s.items) for s in briefing.sections},
        "degraded": degraded,
        "review": list(briefing.review),
        "llm": {"used": llm and not any("llm" in d for d in degraded), "degraded": any("llm" in d for d in degraded)},
    }


def _summary(day: dt.date, manifest: dict[str, Any], published: bool) -> str:
    b = manifest["briefing"] or {}
    fetch = manifest["fetch"]
    parts = [f"nightly {day}: {manifest['status']}", f"{b.get('items', 0)} items"]
    if not fetch.get("skipped") and fetch.get("summary"):
        parts.append(str(fetch["summary"]))
    dropped = (manifest.get("gate") or {}).get("dropped") or []
    if dropped:
        parts.append(f"{len(dropped)} items dropped by the gate")
    parts.append("published" if published else "site unchanged")
    if b.get("degraded"):
        parts.append("degraded: " + ", ".join(b["degraded"]))
    if b.get("review"):
        parts.append(f"{len(b['review'])} tag(s) for review (see the manifest)")
    elapsed = sum(v for k, v in manifest["timings"].items() if k != "total")  # total comes later
    parts.append(f"{elapsed:.1f}s")
    return "; ".join(parts)


def _keep_rejected(paths: NightlyPaths, briefing: Briefing) -> None:
    """Keep a refused briefing beside the output so it can be inspected and fixed."""
    target = paths.out.parent / f"{paths.out.name}.rejected" / f"{briefing.date.isoformat()}.json"
    with contextlib.suppress(OSError):
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(briefing.to_json(), encoding="utf-8")


def _write_manifest(path: Path, manifest: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    tmp.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def _open_log(path: Path) -> logging.Handler:
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    # On the package's logger: every stage's messages go to the file, none to the terminal.
    redact.install()  # the log file is read by people and tools that must not see keys
    root = logging.getLogger("briefing")
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    return handler
