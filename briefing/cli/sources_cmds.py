"""`briefing sources`: the feed list — its health, and OPML import and export."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from briefing.cli.options import config_option
from briefing.errors import BriefingError

if TYPE_CHECKING:  # the config model imports every stage's settings: only when the command runs
    from briefing.config import Config


@click.group()
def sources() -> None:
    """The feed list in feeds.yaml: its health, and OPML import and export."""


@sources.command("import")
@click.argument("opml_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Show what would be added; change nothing.")
@config_option
def import_opml(opml_file: Path, dry_run: bool, config: Config) -> None:
    """Add the feeds of OPML_FILE (a feed reader's export) to feeds.yaml.

    Feeds already listed (same URL) are skipped; new ones are appended to `sources:` under
    a comment naming the file, with an id made from their name. The rest of feeds.yaml,
    comments included, is kept as it is.
    """
    from briefing.config_edit import merge_sources
    from briefing.opml import OpmlError, parse_opml

    assert config.path is not None  # config_option refuses to run without a file
    try:
        parsed = parse_opml(opml_file.read_bytes())
    except OpmlError as exc:
        raise BriefingError(f"cannot import {opml_file}: {exc}") from exc
    note = f"--- imported from {opml_file.name} on {dt.date.today().isoformat()} ---"
    report = merge_sources(config.path, parsed.feeds, note, write=not dry_run)
    verb = "would add" if dry_run else "added"
    for source_id, url in report.added:
        click.echo(f"{verb} {source_id}: {url}")
    for url, existing in report.duplicates:
        click.echo(f"already listed as {existing}: {url}")
    for reason in parsed.skipped:
        click.echo(f"skipped {reason}", err=True)
    click.echo(
        f"{len(report.added)} {verb}, {len(report.duplicates)} already listed, "
        f"{len(parsed.skipped)} skipped" + ("" if dry_run else f"; {config.path}")
    )


@sources.command("export")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to FILE (default: stdout).")
@click.option("--all", "include_disabled", is_flag=True, help="Include disabled sources.")
@config_option
def export_opml(output: Path | None, include_disabled: bool, config: Config) -> None:
    """Write the feeds of feeds.yaml as OPML 2.0, for a feed reader (local sources are left out)."""
    from briefing.opml import OpmlFeed, write_opml

    feeds = [
        OpmlFeed(url=s.url, name=s.name or s.id, lang=s.lang)
        for s in config.sources
        if s.url and (s.enabled or include_disabled)
    ]
    data = write_opml(config.site.name_for("en"), feeds)
    if output is None:
        click.echo(data.decode("utf-8"), nl=False)
        return
    from briefing.render.write import write_atomically

    write_atomically(output, data)
    click.echo(f"{len(feeds)} feeds written to {output}", err=True)


@sources.command()
@config_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def health(config: Config, as_json: bool) -> None:
    """Every configured source's health, from what the store remembers of its fetches.

    Columns: id, state (ok, FAILING, STALE, never fetched, disabled), last success, entries
    in the last fetch, newest dated entry, and on the following lines the last error and
    the last fetch's warnings. Exits 0 even when sources are unhealthy (it only reports).
    """
    from briefing.store import Store

    with Store.open(config.store_path, busy_timeout=config.settings.busy_timeout) as store:
        states = {s.id: s for s in store.sources()}
    zone = config.settings.zone
    rows = [_row(src.id, src.enabled, states.get(src.id), zone) for src in config.sources]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        click.echo("no sources in feeds.yaml", err=True)
        return
    click.echo(f"{'source':<24} {'state':<13} {'last success':<16} {'entries':>7}  newest dated")
    for row in rows:
        click.echo(
            f"{row['id'][:24]:<24} {row['state']:<13} {_short(row['last_success']):<16} "
            f"{row['entries']:>7}  {_short(row['newest_published'])}"
        )
        if row["last_error"]:
            click.echo(f"{'':4}last error {_short(row['last_error_at'])}: {row['last_error']}")
        for warning in row["warnings"]:
            click.echo(f"{'':4}warning: {warning}")


def _short(iso: str | None) -> str:
    return iso[:16].replace("T", " ") if iso else "-"


def _row(source_id: str, enabled: bool, state: Any, zone: Any) -> dict[str, Any]:
    def when(value: dt.datetime | None) -> str | None:
        return value.astimezone(zone).isoformat() if value else None

    if state is None:
        return {
            "id": source_id, "state": "disabled" if not enabled else "never fetched",
            "last_success": None, "last_error": None, "last_error_at": None, "entries": 0,
            "newest_published": None, "stale": False, "warnings": [],
        }  # fmt: skip
    failing = state.last_error_type is not None
    label = (
        "disabled" if not enabled
        else "FAILING" if failing
        else "STALE" if state.stale
        else "ok"
    )  # fmt: skip
    return {
        "id": source_id,
        "state": label,
        "last_success": when(state.last_success),
        "last_error": f"{state.last_error_type}: {state.last_error_message}" if failing else None,
        "last_error_at": when(state.last_error_at),
        "consecutive_failures": state.consecutive_failures,
        "entries": state.entries,
        "newest_published": when(state.newest_published),
        "stale": state.stale,
        "warnings": list(state.warnings),
    }
