"""`briefing fetch` and `briefing articles`."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import sys
from typing import TYPE_CHECKING, Any, TextIO, cast

import click

from briefing.cli.options import DATE, config_option
from briefing.redact import redact

if TYPE_CHECKING:  # the config model imports every stage's settings: only when the command runs
    from briefing.config import Config


@click.command()
@config_option
@click.option("--quiet", "-q", is_flag=True, help="Print nothing on success (for cron).")
def fetch(config: Config, quiet: bool) -> None:
    """Fetch every enabled source in feeds.yaml into the store.

    Prints a progress bar on a terminal, one line per failed source and one line of
    warnings per source that had any (stderr), and one summary line at the end. Exits 0
    when all or only some sources failed (the summary then says PARTIAL; errors and
    warnings are stored on the sources: see `briefing sources`), 1 when every source
    failed, and 1 when the configuration or the store is broken.
    """
    from briefing.ingest import SourceResult, run_fetch
    from briefing.store import Store

    enabled = [s for s in config.sources if s.enabled]
    with Store.open(config.store_path, busy_timeout=config.settings.busy_timeout) as store:
        show_bar = not quiet and sys.stderr.isatty() and len(enabled) > 1
        with click.progressbar(
            length=len(enabled),
            label="fetching",
            file=sys.stderr if show_bar else cast(TextIO, _Null()),
        ) as bar:

            def progress(result: SourceResult) -> None:
                bar.update(1)

            report = run_fetch(config, store=store, progress=progress)
    for result in report.results:
        if result.failed:
            click.echo(redact(f"warning: {result.describe()}"), err=True)
        elif (line := result.warning_line()) is not None and not quiet:
            click.echo(redact(f"warning: {line}"), err=True)
    if not quiet or report.status == "failed":
        click.echo(report.summary_line())
    if report.status == "failed":
        click.echo("error: every source failed; nothing was fetched", err=True)
        raise click.exceptions.Exit(1)


class _Null:
    """A file that swallows the progress bar when stderr is not a terminal."""

    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False


@click.command()
@config_option
@click.option("--date", "date", type=DATE, help="Only the briefing window of this day.")
@click.option("--source", "source", metavar="ID", help="Only articles of this source id.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.option(
    "--rejected/--admitted",
    "only",
    default=None,
    help="Only the articles admission rejected (with their reasons), or only the admitted.",
)
def articles(
    config: Config, date: dt.date | None, source: str | None, as_json: bool, only: bool | None
) -> None:
    """List stored articles, to see what came in and what admission kept out.

    With --date, the window is the briefing's: from the previous day's cut-off to this
    day's (analysis.cutoff, default 08:00) in settings.timezone. A `~` after the time marks
    an article without a stated date (listed at its first-seen time); a rejected article
    is listed with `✗` and the reason on the next line.
    """
    from briefing.store import Store

    if source is not None and config.sources and source not in {s.id for s in config.sources}:
        known = ", ".join(sorted(s.id for s in config.sources))
        raise click.BadParameter(
            f"unknown source {source!r}; known: {known}", param_hint="--source"
        )
    start = end = None
    if date is not None:
        from briefing.analyse.window import day_window

        start, end = day_window(date, config.settings.timezone, config.analysis.cutoff)
    with Store.open(config.store_path, busy_timeout=config.settings.busy_timeout) as store:
        found = store.articles(source_id=source, start=start, end=end)
    if only is not None:
        found = [a for a in found if (a.rejected is not None) == only]
    zone = config.settings.zone
    if as_json:
        click.echo(json.dumps([_as_dict(a, zone) for a in found], ensure_ascii=False, indent=2))
        return
    for a in found:
        when = a.published.astimezone(zone).strftime("%Y-%m-%d %H:%M")
        flag = "~" if a.date_inferred else " "
        title = a.title if len(a.title) <= 60 else a.title[:59] + "…"
        mark = "✗" if a.rejected else " "
        click.echo(f"{when}{flag}{mark} {a.source_name[:16]:<16} {a.lang:<7} {title}")
        if a.rejected:
            click.echo(f"{'':18}rejected: {a.rejected}")
    if not found:
        click.echo("no articles", err=True)


def _as_dict(article: Any, zone: Any) -> dict[str, Any]:
    """An article as JSON: every field but the sanitised HTML, times in the configured zone."""
    data = dataclasses.asdict(article)
    data.pop("html", None)
    data["published"] = None if article.date_inferred else data["published"]
    return {
        key: value.astimezone(zone).isoformat() if isinstance(value, dt.datetime) else value
        for key, value in data.items()
    }
