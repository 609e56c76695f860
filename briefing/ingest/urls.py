"""Canonical article URLs: tracking parameters and fragments removed, host lower-cased.

Only http(s) URLs survive; `javascript:`, `file:`, `data:` and the like become None.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

_TRACKING = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "msclkid",
        "yclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "_hsenc",
        "_hsmi",
        "spm",
        "ref_src",
        "cmpid",
        "ocid",
        "share_token",
        "wt.mc_id",
        "scene",
        "from",
        "isappinstalled",
        "sharer_shareid",
        "sharer_sharetime",
    }
)


def _tracking(name: str) -> bool:
    name = name.lower()
    return name.startswith(("utm_", "utm-", "at_", "pk_")) or name in _TRACKING


_ABSOLUTE = ("http://", "https://", "HTTP://", "HTTPS://")


def canonical_url(url: str | None, base: str | None = None) -> str | None:
    """`url` resolved against `base`, without tracking parameters; None if not http(s)."""
    if not url:
        return None
    url = url.strip()
    if base and not url.startswith(_ABSOLUTE):  # most feed links are absolute already
        url = urljoin(base, url)
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        return None
    host = parts.hostname.lower()
    if ":" in host:
        host = f"[{host}]"
    if port and not ((scheme == "http" and port == 80) or (scheme == "https" and port == 443)):
        host = f"{host}:{port}"
    query = ""
    if parts.query:
        pairs = parse_qsl(parts.query, keep_blank_values=True)
        query = urlencode([(k, v) for k, v in pairs if not _tracking(k)])
    return urlunsplit((scheme, host, parts.path or "/", query, ""))
