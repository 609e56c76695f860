"""`briefing site`, `briefing check`, `briefing nightly`, `briefing serve`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from briefing.cli.options import (
    DATE,
    config_option,
    site_settings_option,
    warn_placeholder_base_url,
)

if TYPE_CHECKING:  # the config model imports every stage's settings: only when a command runs
    from briefing.config import Config
    from briefing.publish.settings import SiteSettings

_FORMATS = ("html", "md", "json", "pdf")


def _formats(config: Config, no_pdf: bool) -> list[str] | None:
    if not no_pdf:
        return None
    return [f for f in config.site.formats if f != "pdf"]


@click.command()
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Output folder, a symlink to the live release (default: site.out, ./out).")
@click.option("--hugo", "hugo_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Also write Hugo posts to DIR/content/posts/{date}[.lang].md (Hugo front matter, no H1).")
@click.option("--no-pdf", is_flag=True, help="Skip PDFs this time (faster; same as leaving pdf out of site.formats).")
@click.option("--wait", type=click.FloatRange(min=0), default=None, metavar="SECONDS",
              help="If a nightly run (or another site build) holds the lock, wait up to SECONDS "
                   "instead of exiting 75.")
@config_option
@click.pass_context
def site(ctx: click.Context, out: Path | None, hugo_dir: Path | None, no_pdf: bool,
         wait: float | None, config: Config) -> None:
    """Publish the static site from the stored briefings (atomic, incremental).

    Runs under the same lock as `briefing nightly` and `serve`'s rebuilds, so two
    builds never share the releases folder. Exit codes: 0 ok, 1 failed, 75 locked.
    """
    from briefing.errors import LockHeldError
    from briefing.publish.lock import ExitCode, NightlyPaths, nightly_lock
    from briefing.publish.site import options_from_config

    warn_placeholder_base_url(config)
    options = options_from_config(config, formats=_formats(config, no_pdf))
    target = out or config.resolve(config.site.out)
    try:
        with nightly_lock(NightlyPaths.from_config(config, target).lock, wait):
            report = _site_locked(config, options, target, hugo_dir)
    except LockHeldError as exc:
        click.echo(f"error: {exc}", err=True)
        ctx.exit(int(ExitCode.LOCKED))
    click.echo(report.summary_line())


def _site_locked(config: Config, options: Any, target: Path, hugo_dir: Path | None) -> Any:
    from briefing.cli.progress import Progress
    from briefing.publish.site import build_site
    from briefing.store import Store

    with Store.open(config.store_path, busy_timeout=config.settings.busy_timeout) as store:
        bar = Progress("site", len(store.briefing_dates()))

        def progress(day: dt.date, done: int, total: int, rendered: bool) -> None:
            bar.step(f"{day.isoformat()} {'rendered' if rendered else 'unchanged'}")

        with bar:
            return build_site(store, options, target, hugo_dir=hugo_dir, progress=progress)


@click.command()
@click.argument("paths", nargs=-1, required=True,
                type=click.Path(exists=True, path_type=Path))
@click.option("--date", "day", type=DATE, default=None,
              help="Expected briefing date (default: the date in each file name, if any).")
@click.option("--min-items", type=click.IntRange(min=0), default=None,
              help="Fewest items a post may have (default: site.min_items).")
@click.option("--strict", is_flag=True, help="Treat warnings (items that would be dropped or repaired) as errors.")
@site_settings_option
def check(paths: tuple[Path, ...], day: dt.date | None, min_items: int | None, strict: bool,
          site: SiteSettings) -> None:
    """Run the publish gate on posts (FILE.md, briefing JSON, or a DIR of them).

    Prints each finding as `file:line: level: reason [rule]`. An item's fault is a warning
    (publishing drops or repairs that item); an issue-wide fault is an error. Exits 1 if
    there is an error, or any finding under --strict.
    """
    from briefing.model import Briefing
    from briefing.publish.gate import check_post, review

    minimum = site.min_items if min_items is None else min_items
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.suffix in (".md", ".json") and p.is_file())
        else:
            files.append(path)
    if not files:
        raise click.UsageError("no .md or .json posts found in the given paths")
    errors = warnings = 0
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        if path.suffix == ".json":
            try:
                briefing = Briefing.from_json(text)
            except ValueError as exc:
                click.echo(f"{path}: error: not a briefing JSON: {exc}".splitlines()[0])
                errors += 1
                continue
            verdict = review(briefing, day=day, min_items=minimum, languages=site.languages,
                             strict=strict, locate=_json_place(path), where=_json_part(path))
        else:
            verdict = check_post(text, name=str(path), expected_date=day, min_items=minimum, strict=strict)
        for problem in verdict.problems:
            click.echo(str(problem))
        blocking = len(verdict.blocking)
        errors += blocking
        warnings += len(verdict.problems) - blocking
    if errors:
        click.echo(f"{errors} errors, {warnings} warnings in {len(files)} posts", err=True)
        click.get_current_context().exit(1)
    if warnings:
        click.echo(f"{len(files)} posts checked: {warnings} warnings (items that publishing drops or repairs)")
        return
    click.echo(f"{len(files)} posts checked: no problems")


def _json_place(path: Path) -> Callable[[str, str], str]:
    return lambda item, role: f"{path}: item {item}" + ("" if role == "title" else f" ({role})")


def _json_part(path: Path) -> Callable[[str], str]:
    return lambda part: f"{path}: {part}"


@click.command()
@click.option("--date", "day", type=DATE, default=None,
              help="The day to build (default: today in settings.timezone).")
@click.option("--wait", type=click.FloatRange(min=0), default=None, metavar="SECONDS",
              help="If another nightly holds the lock, wait up to SECONDS instead of exiting 75.")
@click.option("--strict", is_flag=True, help="Exit 3 when the briefing is degraded (e.g. the LLM fell back).")
@click.option("--no-fetch", is_flag=True, help="Build from what is already stored; fetch nothing.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Output folder (default: site.out).")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing on success (not even the summary line).")
@config_option
@click.pass_context
def nightly(ctx: click.Context, day: dt.date | None, wait: float | None, strict: bool,
            no_fetch: bool, out: Path | None, quiet: bool, config: Config) -> None:
    """Fetch, build the day, gate it and publish, under a lock.

    Exit codes: 0 ok, 1 failed (the last good site stays live), 2 usage,
    3 degraded under --strict, 75 another run holds the lock.
    """
    from briefing.publish.nightly import ExitCode, run_nightly, today_in

    warn_placeholder_base_url(config)
    today = today_in(config.settings.timezone)
    if day is not None and day > today:
        raise click.BadParameter(
            f"{day.isoformat()} is in the future (today is {today.isoformat()} in "
            f"{config.settings.timezone}): pass a past or today's date", param_hint="--date")
    result = run_nightly(config, day=day, out=out, wait=wait, strict=strict, fetch=not no_fetch)
    if result.exit_code in (ExitCode.OK, ExitCode.DEGRADED):
        if not quiet:
            click.echo(result.summary)
        else:
            _warn_failed_feeds(result.manifest)
    else:
        click.echo(result.summary, err=True)
    ctx.exit(int(result.exit_code))


def _warn_failed_feeds(manifest: dict[str, Any]) -> None:
    """Under --quiet a good run prints nothing, but failing feeds are not silent: one line."""
    fetch = manifest.get("fetch") or {}
    failed = list(fetch.get("failed") or [])
    if not failed:
        return
    total = sum(int(fetch.get(k) or 0) for k in ("sources_ok", "sources_failed", "sources_not_modified"))
    shown = "; ".join(failed[:3]) + (f"; and {len(failed) - 3} more" if len(failed) > 3 else "")
    click.echo(
        f"warning: nightly {manifest.get('date')}: {len(failed)} of {total} feeds failed: {shown}"
        f" (details: {manifest.get('log')})",
        err=True,
    )


@click.command()
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port on 127.0.0.1 (0 picks a free one).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Output folder to build and serve (default: site.out).")
@click.option("--pdf/--no-pdf", default=False, show_default=True, help="Also render PDFs on each rebuild.")
@click.option("--watch", "extra", multiple=True, type=click.Path(exists=True, path_type=Path),
              help="Also rebuild when files under PATH change (repeatable).")
@config_option
def serve(port: int, out: Path | None, pdf: bool, extra: tuple[Path, ...], config: Config) -> None:
    """Preview the site on http://127.0.0.1:PORT/, rebuilding when the store or templates change."""
    from briefing.publish.serve import serve_site

    serve_site(config, port=port, out=out, pdf=pdf, extra_watch=list(extra),
               echo=lambda line: click.echo(line, err=True))
