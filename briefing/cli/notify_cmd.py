"""`briefing notify`: send a test message to every channel of `notify:`, to check the URLs."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from briefing.cli.options import config_option

if TYPE_CHECKING:  # the config model imports every stage's settings: only when the command runs
    from briefing.config import Config


@click.command()
@config_option
def notify(config: Config) -> None:
    """Send a test message to each notify.urls channel and say which were delivered.

    Exits 1 when a channel failed (an unknown service, a missing ${VAR}, a refused
    delivery); the message names the service, never the URL.
    """
    from briefing.publish.notify import Message, send

    if not config.notify.urls:
        raise click.UsageError(f"no notify.urls in {config.path}: add a notify: block (see docs/operations.md)")
    test = Message("test", "briefing: test notification",
                   (f"Notifications from {config.path} reach this channel.",), 1, "info")
    records = send([test], config.notify)
    for record in records:
        state = "sent" if record.get("sent") else f"FAILED: {record.get('error') or 'not delivered'}"
        click.echo(f"url {record['url']} ({record['service']}): {state}")
    if not all(r.get("sent") for r in records):
        click.get_current_context().exit(1)
