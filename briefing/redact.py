"""Secrets kept out of every log line and message.

Two nets, because neither is enough alone:

- the values themselves: a key read from the environment is `register`ed by whoever
  reads it (the LLM client), and every occurrence is replaced, however it got into the
  text (an endpoint that echoes the Authorization header in its error body, say);
- the shapes of secrets: ``Authorization: Bearer …``, ``sk-…`` keys, credentials in a
  URL (``https://user:pass@host``) and key-like query parameters (``?api_key=…``,
  ``&token=…``), for secrets nobody registered (a private feed's token).

`install` puts `redact` in front of every log record the process creates, whichever
handler writes it (the nightly log file, the terminal, a `--log-file`); the CLI applies
it to the one-line error it prints. Messages are redacted where they are made too
(`briefing.analyse.llm.client`), so a caller that prints an exception is safe as well.
"""

from __future__ import annotations

import logging
import re
import threading

MASK = "[redacted]"
# Shorter values are too likely to occur in ordinary text to be replaced blindly.
_MIN_SECRET = 8

_secrets: set[str] = set()
_lock = threading.Lock()

_SHAPES = (
    # Authorization: Bearer xyz / Basic xyz
    re.compile(r"(?i)\b(bearer|basic)(\s+)[A-Za-z0-9._~+/=-]{6,}"),
    # OpenAI-style and similar prefixed keys
    re.compile(r"\b(sk|rk|pk)-[A-Za-z0-9_-]{16,}"),
    # user:password@ in a URL
    re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/\s:@]+:[^/\s@]+@"),
    # key-like query or form parameters: api_key=…, access_token=…, password=…
    re.compile(
        r"(?i)\b((?:api[_-]?key|apikey|access[_-]?token|auth[_-]?token|token|secret|password"
        r"|passwd|key|sig|signature|client[_-]?secret)=)[^&\s\"'<>]+"
    ),
    # JSON or header shapes: "api_key": "…", x-api-key: …
    re.compile(
        r"(?i)(\"?(?:api[_-]?key|x-api-key|authorization|access[_-]?token|secret)\"?\s*[:=]\s*\"?)"
        r"[^\s\",}]{6,}"
    ),
)


def register(secret: str | None) -> None:
    """Remember a secret value so that `redact` replaces it wherever it appears."""
    if secret and len(secret.strip()) >= _MIN_SECRET:
        with _lock:
            _secrets.add(secret.strip())


def _shape(match: re.Match[str]) -> str:
    groups = [g for g in match.groups() if g is not None]
    if match.re is _SHAPES[0]:
        return f"{groups[0]}{groups[1]}{MASK}"
    if match.re is _SHAPES[1]:
        return MASK
    return f"{groups[0]}{MASK}@" if match.re is _SHAPES[2] else f"{groups[0]}{MASK}"


def redact(text: str) -> str:
    """`text` with every registered secret and every secret-shaped token replaced."""
    for secret in sorted(_secrets, key=len, reverse=True):
        if secret in text:
            text = text.replace(secret, MASK)
    for shape in _SHAPES:
        text = shape.sub(_shape, text)
    return text


class _Redacting:
    """A log-record factory that redacts the message before any handler sees it."""

    def __init__(self, factory: logging._LogRecordFactory) -> None:  # type: ignore[name-defined]
        self.factory = factory

    def __call__(self, *args: object, **kwargs: object) -> logging.LogRecord:
        record = self.factory(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # a bad format string: let the handler report it as usual
            return record
        record.msg = redact(message)
        record.args = None
        return record


def install() -> None:
    """Redact every log record of the process from now on (idempotent)."""
    current = logging.getLogRecordFactory()
    if not isinstance(current, _Redacting):
        logging.setLogRecordFactory(_Redacting(current))
