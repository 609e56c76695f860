"""Options and parameter types shared by several commands."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from briefing.config_file import CONFIG_ENV, default_config_path, missing_config_message
from briefing.errors import ConfigError

if TYPE_CHECKING:  # the full config model imports every stage's settings: load it lazily
    from briefing.config import Config
    from briefing.publish.settings import SiteSettings

# The dates a briefing can have. The store keeps times as fixed-width ISO text with
# four-digit years, and a day's window, its time zone and the look-back over earlier days
# reach a little either side of the date, so the range stops well inside `datetime`'s
# 0001..9999: outside it arithmetic raises OverflowError deep in a stage.
EARLIEST_DATE = dt.date(1900, 1, 1)
LATEST_DATE = dt.date(9998, 12, 31)


class DateParam(click.ParamType):
    """A calendar date written YYYY-MM-DD within the range a briefing can have.

    Anything else is a usage error (exit 2) that says what to write.
    """

    name = "YYYY-MM-DD"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> dt.date:
        if isinstance(value, dt.date):
            return value
        text = str(value).strip()
        try:
            if len(text) != 10:
                raise ValueError("expected 10 characters")
            date = dt.date.fromisoformat(text)
        except ValueError:
            self.fail(f"{value!r} is not a valid date: write it as YYYY-MM-DD, e.g. 2026-02-05", param, ctx)
        if not EARLIEST_DATE <= date <= LATEST_DATE:
            self.fail(
                f"{text} is out of range: briefing handles dates from {EARLIEST_DATE} "
                f"to {LATEST_DATE}",
                param,
                ctx,
            )
        return date


DATE = DateParam()


def split_list(allowed: tuple[str, ...]) -> Callable[[click.Context, click.Parameter, str], tuple[str, ...]]:
    """A callback turning "zh,en" into ("zh", "en"), refusing values outside `allowed`."""

    def callback(ctx: click.Context, param: click.Parameter, value: str) -> tuple[str, ...]:
        parts = tuple(p.strip() for p in value.split(",") if p.strip())
        bad = [p for p in parts if p not in allowed]
        if bad or not parts:
            raise click.BadParameter(
                f"{value!r}: choose from {', '.join(allowed)} (comma-separated)", ctx, param
            )
        return tuple(dict.fromkeys(parts))

    return callback


def _config_option(required: bool) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def load(ctx: click.Context, param: click.Parameter, value: str | None) -> Config:
        if value is None and required and not default_config_path().is_file():
            raise ConfigError(missing_config_message(default_config_path()))
        from briefing.config import load_config

        return load_config(Path(value) if value else None)

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        return click.option(
            "--config",
            "config",
            type=click.Path(dir_okay=False),
            envvar=CONFIG_ENV,
            callback=load,
            help=f"Configuration file (default ./feeds.yaml, or ${CONFIG_ENV}).",
        )(func)

    return decorate


config_option = _config_option(required=True)
"""`--config FILE` (default ./feeds.yaml or $BRIEFING_CONFIG), loaded into a `Config`.

Without the option, the variable or a ./feeds.yaml, the command refuses to run (it would
otherwise fetch nothing, or publish an empty site, on silent defaults)."""

optional_config_option = _config_option(required=False)
"""The same, falling back to the defaults: for commands that work on files (check, render)."""


def site_settings_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """`--config FILE` read for its `site:` block only, as `site` (defaults without a file).

    For `briefing check`, which needs the gate's settings and nothing else: reading one
    block keeps the command from importing every stage's settings (issue 10's start-up).
    """

    def load(ctx: click.Context, param: click.Parameter, value: str | None) -> SiteSettings:
        from briefing.config_file import load_section
        from briefing.publish.settings import SiteSettings

        return load_section(Path(value) if value else None, "site", SiteSettings)

    return click.option(
        "--config",
        "site",
        type=click.Path(dir_okay=False),
        envvar=CONFIG_ENV,
        callback=load,
        help=f"Configuration file (default ./feeds.yaml, or ${CONFIG_ENV}); only site: is read.",
    )(func)


def warn_placeholder_base_url(config: Config) -> None:
    """One line on stderr when the site would be published under a documentation-only URL."""
    if config.site.placeholder_base_url:
        where = config.path or "feeds.yaml"
        click.echo(
            f"warning: site.base_url is the placeholder {config.site.base_url} ({where}):"
            " set it to the site's public address; canonical links, hreflang, the feeds and"
            " the sitemap are built from it",
            err=True,
        )
