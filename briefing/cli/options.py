"""Options and parameter types shared by several commands."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from briefing.config import CONFIG_ENV, Config, load_config


class DateParam(click.ParamType):
    """A calendar date written YYYY-MM-DD; anything else is a usage error (exit 2)."""

    name = "YYYY-MM-DD"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> dt.date:
        if isinstance(value, dt.date):
            return value
        text = str(value).strip()
        try:
            if len(text) != 10:
                raise ValueError("expected 10 characters")
            return dt.date.fromisoformat(text)
        except ValueError:
            self.fail(f"{value!r} is not a valid date: write it as YYYY-MM-DD, e.g. 2026-02-05", param, ctx)


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


def config_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """`--config FILE` (default ./feeds.yaml or $BRIEFING_CONFIG), loaded into a `Config`."""

    def load(ctx: click.Context, param: click.Parameter, value: str | None) -> Config:
        return load_config(Path(value) if value else None)

    return click.option(
        "--config",
        "config",
        type=click.Path(dir_okay=False),
        envvar=CONFIG_ENV,
        callback=load,
        help=f"Configuration file (default ./feeds.yaml, or ${CONFIG_ENV}).",
    )(func)
