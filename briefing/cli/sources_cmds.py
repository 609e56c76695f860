"""`briefing sources`: the feed list — import and export OPML."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from briefing.cli.options import config_option
from briefing.config import Config
from briefing.errors import BriefingError


@click.group()
def sources() -> None:
    """The feed list in feeds.yaml: import and export OPML."""


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
