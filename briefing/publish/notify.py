"""Notifications after a nightly run: failed, degraded, failing feeds, and the day itself.

    notify:
      urls: [tgram://${TG_TOKEN}/${TG_CHAT}, ntfy://ntfy.sh/my-topic, json://127.0.0.1:9000/hook]
      events: [failed, degraded, feeds]    # which problems to report
      feed_failure_rate: 0.3               # `feeds`: more than this share of feeds failed
      briefing: true                       # also send each published day's headline and link

Delivery is Apprise's (Telegram, e-mail, WeCom, DingTalk, Feishu, Slack, ntfy, Bark, JSON
webhooks and ~100 more, each configured by a URL). This module decides *what* to say from
the run manifest (`messages_for`, pure) and fits each message to each channel's limits
(`fit`): lines are dropped from the end of the body, never from the first `keep` lines
(what happened, the link), so a short channel (WeCom: 2,048 characters, title in the body)
still says what happened. `${NAME}` in a URL is read from the environment, so tokens need
not live in feeds.yaml; logs name the service, never the URL. A notification that cannot
be sent is logged and recorded in the manifest; it never changes the run's exit code.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

_LOG = logging.getLogger("briefing.notify")
Event = Literal["failed", "degraded", "feeds"]
Level = Literal["info", "success", "warning", "failure"]
_ENV = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
MAX_LISTED = 20  # failed feeds / gate problems listed in one message


class NotifySettings(BaseModel):
    """`notify:` in feeds.yaml."""

    model_config = ConfigDict(extra="forbid")

    urls: list[str] = Field(default_factory=list, description="Apprise URLs; ${VAR} read from the environment")
    events: list[Event] = Field(
        default_factory=lambda: list[Event](["failed", "degraded", "feeds"]),
        description="failed (incl. refused by the gate), degraded, feeds (failure rate over the threshold)",
    )
    feed_failure_rate: float = Field(0.3, ge=0, le=1, description="share of failed feeds that triggers `feeds`")
    briefing: bool = Field(False, description="also send each published day's headline, summary and link")


@dataclass(frozen=True)
class Message:
    event: str  # failed, degraded, feeds, briefing
    title: str
    lines: tuple[str, ...]
    keep: int = 1  # the first `keep` lines survive any fitting
    level: Level = "info"


# ------------------------------------------------------------------ what to say


def messages_for(manifest: dict[str, Any], settings: NotifySettings, site_url: str,
                 lang: str = "zh") -> list[Message]:
    """The notifications a run's manifest calls for, most serious first."""
    day = manifest.get("date", "?")
    status = manifest.get("status")
    events = set(settings.events)
    out: list[Message] = []
    if status in ("failed", "refused") and "failed" in events:
        problems = list(manifest.get("gate", {}).get("problems") or [])
        lines = [str(manifest.get("error") or f"nightly {day}: {status}"),
                 "The live site is unchanged (the last good day stays up)."]
        lines += [f"- {p}" for p in problems[:MAX_LISTED]]
        if manifest.get("log"):
            lines.append(f"Log: {manifest['log']}")
        what = "refused by the publish gate" if status == "refused" else "failed"
        out.append(Message("failed", f"briefing {day}: nightly {what}", tuple(lines), 2, "failure"))
    if status == "degraded" and "degraded" in events:
        reasons = list((manifest.get("briefing") or {}).get("degraded") or [])
        lines = [f"nightly {day}: published, but degraded:"] + [f"- {r}" for r in reasons]
        lines.append(_day_url(site_url, lang, day))
        out.append(Message("degraded", f"briefing {day}: published, degraded", tuple(lines), 2, "warning"))
    feeds = _feed_message(manifest, settings, day)
    if feeds is not None and "feeds" in events:
        out.append(feeds)
    publish = manifest.get("publish") or {}
    if settings.briefing and status in ("ok", "degraded") and publish.get("published"):
        out.append(_briefing_message(manifest, site_url, lang, day))
    return out


def _feed_message(manifest: dict[str, Any], settings: NotifySettings, day: str) -> Message | None:
    fetch = manifest.get("fetch") or {}
    if fetch.get("skipped"):
        return None
    failed = int(fetch.get("sources_failed") or 0)
    total = failed + int(fetch.get("sources_ok") or 0) + int(fetch.get("sources_not_modified") or 0)
    if not total or failed / total <= settings.feed_failure_rate:
        return None
    lines = [f"{failed} of {total} feeds failed ({failed / total:.0%}; the threshold is "
             f"{settings.feed_failure_rate:.0%}):"]
    lines += [f"- {line}" for line in list(fetch.get("failed") or [])[:MAX_LISTED]]
    return Message("feeds", f"briefing {day}: {failed} of {total} feeds failed", tuple(lines), 1, "warning")


def _briefing_message(manifest: dict[str, Any], site_url: str, lang: str, day: str) -> Message:
    facts = manifest.get("briefing") or {}
    key = "en" if lang == "en" else "zh"
    headline = str((facts.get("headline") or {}).get(key) or facts.get("title") or f"briefing {day}")
    summary = list((facts.get("summary") or {}).get(key) or [])
    lines = [_day_url(site_url, lang, day)] + [f"- {s}" for s in summary]
    return Message("briefing", headline, tuple(lines), 1, "info")


def _day_url(site_url: str, lang: str, day: str) -> str:
    return f"{site_url.rstrip('/')}/{lang}/{day}/"


# ------------------------------------------------------------------ fitting


def fit(message: Message, body_max: int, title_max: int) -> tuple[str, str]:
    """Title and body within a channel's limits (`title_max` 0: the title goes in the body)."""
    title = message.title
    room = body_max
    if title_max <= 0:
        room -= len(title) + 2  # the service prepends the title to the body
        title = ""
    elif len(title) > title_max:
        title = title[: title_max - 1] + "…"
    lines = list(message.lines)
    body = "\n".join(lines)
    dropped = 0
    while len(body) > room and len(lines) > message.keep:
        lines.pop()
        dropped += 1
        body = "\n".join([*lines, f"… ({dropped} more)"])
    if len(body) > room:
        body = body[: max(room - 1, 0)] + "…"
    return title, body


# ------------------------------------------------------------------ sending

Sender = Callable[[str, str, str, Level], bool]


def expand_env(url: str, environ: dict[str, str] | None = None) -> str:
    """`${NAME}` → the variable's value; a missing one is an error naming it (not the URL)."""
    env = os.environ if environ is None else environ

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in env:
            raise KeyError(name)
        return env[name]

    return _ENV.sub(value, url)


def service_name(url: str) -> str:
    """What logs show of a URL: its scheme (URLs carry tokens)."""
    return url.split("://", 1)[0] if "://" in url else "(not a URL)"


def send(messages: list[Message], settings: NotifySettings) -> list[dict[str, Any]]:
    """Send each message to each URL; returns what the manifest records."""
    if not messages or not settings.urls:
        return []
    import apprise

    # Apprise logs each failed delivery itself, and with no handler of its own those lines
    # would reach stderr through logging's last resort: a quiet cron run would not be quiet.
    # We log one line per failure ourselves, naming the service and not the URL.
    apprise_log = logging.getLogger("apprise")
    if not apprise_log.handlers:
        apprise_log.addHandler(logging.NullHandler())
        apprise_log.propagate = False
    kinds = {"info": apprise.NotifyType.INFO, "success": apprise.NotifyType.SUCCESS,
             "warning": apprise.NotifyType.WARNING, "failure": apprise.NotifyType.FAILURE}
    records: list[dict[str, Any]] = []
    for index, raw in enumerate(settings.urls, start=1):
        service = service_name(raw)
        try:
            plugin = apprise.Apprise.instantiate(expand_env(raw))
        except KeyError as exc:
            plugin, problem = None, f"environment variable {exc.args[0]} is not set"
        else:
            problem = "not a URL Apprise knows (see its list of services)"
        if plugin is None:
            _LOG.warning("notify: url %d (%s): %s", index, service, problem)
            records.append({"url": index, "service": service, "sent": False, "error": problem})
            continue
        for message in messages:
            title, body = fit(message, int(plugin.body_maxlen), int(plugin.title_maxlen))
            try:
                sent = bool(plugin.notify(body=body, title=title, notify_type=kinds[message.level]))
            except Exception as exc:  # a plugin's bug must not break the run
                _LOG.warning("notify: url %d (%s): %s: %s", index, service, type(exc).__name__, exc)
                sent = False
            if not sent:
                _LOG.warning("notify: url %d (%s): %s not delivered", index, service, message.event)
            records.append({"url": index, "service": service, "event": message.event, "sent": sent})
    return records


def notify_run(manifest: dict[str, Any], config: Any) -> list[dict[str, Any]]:
    """The run's notifications, sent; never raises."""
    settings: NotifySettings = config.notify
    if not settings.urls:
        return []
    try:
        lang = config.site.default_lang
        messages = messages_for(manifest, settings, config.site.base_url, "en" if lang == "en" else lang)
        return send(messages, settings)
    except Exception as exc:
        _LOG.warning("notify: %s: %s", type(exc).__name__, exc)
        return [{"sent": False, "error": f"{type(exc).__name__}: {exc}"}]
