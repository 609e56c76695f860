"""The command line: a thin shell over the stages.

Commands live in small modules and are imported only when run, so `briefing --help`
stays fast and a broken optional dependency only breaks its own command.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Any

import click

from briefing.errors import BriefingError, os_error_message
from briefing.redact import install as install_redaction
from briefing.redact import redact

# command name -> "module:attribute"; each module owns its commands.
COMMANDS: dict[str, str] = {
    "build": "briefing.cli.render_cmds:build",
    "import": "briefing.cli.render_cmds:import_post",
    "render": "briefing.cli.render_cmds:render",
    "doctor": "briefing.cli.doctor:doctor",
    "init": "briefing.cli.init_cmd:init",
    "fetch": "briefing.cli.ingest_cmds:fetch",
    "articles": "briefing.cli.ingest_cmds:articles",
    "sources": "briefing.cli.sources_cmds:sources",
    "site": "briefing.cli.publish_cmds:site",
    "check": "briefing.cli.publish_cmds:check",
    "nightly": "briefing.cli.publish_cmds:nightly",
    "notify": "briefing.cli.notify_cmd:notify",
    "serve": "briefing.cli.publish_cmds:serve",
}

# The first paragraph of each command's help, for `briefing --help`: listing the commands
# must not import them (a test keeps these equal to the commands' own help).
SUMMARIES: dict[str, str] = {
    "articles": "List stored articles, to see what came in and what admission kept out.",
    "build": "Build the briefing of one day: OUT/{lang}/{date}/briefing.{md,html,pdf,json}.",
    "check": "Run the publish gate on posts (FILE.md, briefing JSON, or a DIR of them).",
    "doctor": "Check the package's templates, fonts, HarfBuzz subsetting, Pango and WeasyPrint.",
    "fetch": "Fetch every enabled source in feeds.yaml into the store.",
    "import": "Read a 经济日报 Markdown post into a briefing JSON file.",
    "init": "Start a briefing project in FOLDER (default: here).",
    "nightly": "Fetch, build the day, gate it and publish, under a lock.",
    "notify": "Send a test message to each notify.urls channel and say which were delivered.",
    "render": "Render a briefing JSON file as md, html, pdf or json.",
    "serve": "Preview the site on http://127.0.0.1:PORT/, rebuilding when the store or "
    "templates change.",
    "site": "Publish the static site from the stored briefings (atomic, incremental).",
    "sources": "The feed list in feeds.yaml: its health, and OPML import and export.",
}


class LazyGroup(click.Group):
    """A group whose commands are imported on first use (not even to list them)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, SUMMARIES.get(name, "")) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attr = target.split(":")
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            return None  # a stage that has not landed yet
        command: click.Command = getattr(module, attr)
        return command


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="briefing")
@click.option("-v", "--verbose", count=True,
              help="Log what each stage does to stderr (-vv: debug). Put it before the command.")
@click.option("--log-file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Append the stages' log lines to FILE.")
def cli(verbose: int, log_file: Path | None) -> None:
    """briefing: a bilingual (中文 / English) daily market-news briefing generator.

    Start with `briefing init` (writes feeds.yaml), then `briefing nightly`.
    """
    from briefing.cli.logs import configure

    configure(verbose, log_file)


def main(argv: list[str] | None = None) -> Any:
    """Entry point: BriefingErrors become one-line messages and exit 1.

    Every log record and every error line is redacted (`briefing.redact`).
    """
    install_redaction()
    try:
        return cli.main(args=argv, standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(1)
    except BriefingError as exc:
        click.echo(redact(f"error: {exc}"), err=True)
        sys.exit(1)
    except OSError as exc:  # a full disk or a read-only folder a stage did not expect
        click.echo(redact(f"error: {os_error_message(exc, 'cannot complete')}"), err=True)
        sys.exit(1)
