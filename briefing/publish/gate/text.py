"""Pure rules over one piece of text: placeholders, cut-off text, mojibake, links, language.

Each returns what it found (or None); none raises, reads a clock or touches a file. The
knowledge they use is data (`briefing/data/gate.yaml`).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from briefing.knowledge import load_yaml

_URL = re.compile(r"https?://[^\s<>()\[\]{}\"'，。、；）】]+", re.I)
_MD_LINK = re.compile(r"\[(?P<text>[^\]]*)\]\((?P<url>[^)\s]+)\)")
_CODE = re.compile(r"`[^`]*`")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_PAIRS = {"（": "）", "(": ")", "【": "】", "[": "]", "“": "”", "「": "」", "《": "》", "『": "』"}
# Characters ftfy's mojibake test needs to see before it is worth importing (UTF-8 read
# as Latin-1 or cp1252 always leaves some of these).
_LATIN1_MARK = re.compile(r"[\u00c0-\u00ff][\u0080-\u00bf\u2018-\u203a\u20ac\u0152\u0153\u0160\u0161\u0178]")
_INCH = re.compile(r"(?<=\d)\"")


@dataclass(frozen=True)
class _Knowledge:
    placeholders: tuple[tuple[re.Pattern[str], str], ...]
    placeholder_hosts: re.Pattern[str]
    dangling_ends: tuple[str, ...]
    mojibake: tuple[str, ...]
    stale_days: int
    future_days: int


@functools.cache
def knowledge() -> _Knowledge:
    """gate.yaml, compiled once."""
    data = load_yaml("gate.yaml") or {}
    return _Knowledge(
        placeholders=tuple((re.compile(p["pattern"]), str(p["what"])) for p in data.get("placeholders", [])),
        placeholder_hosts=re.compile(str(data.get("placeholder_hosts", r"^$")), re.I),
        dangling_ends=tuple(str(e) for e in data.get("dangling_ends", [])),
        mojibake=tuple(str(m) for m in data.get("mojibake", [])),
        stale_days=int(data.get("stale_days", 3)),
        future_days=int(data.get("future_days", 1)),
    )


def placeholder(text: str) -> str | None:
    """What placeholder or template leftover `text` holds, if any."""
    for pattern, what in knowledge().placeholders:
        if pattern.search(text):
            return what
    return None


def _prose(text: str) -> str:
    """The text without inline code and with links reduced to their words."""
    return _MD_LINK.sub(lambda m: m["text"], _CODE.sub("", text)).rstrip()


def cut_off(text: str) -> str | None:
    """Why `text` looks cut off at its end, or None.

    Only the end is judged: a field that stops on a comma, a colon or an opening bracket,
    or inside a bracket opened after the last one closed. Key points and titles without a
    full stop are how posts are written, and a quote left open mid-text is reported by
    `unbalanced_quote`, not here.
    """
    prose = _prose(text)
    if not prose:
        return None
    for ending in knowledge().dangling_ends:
        if prose.endswith(ending):
            return f"ends on {ending!r}"
    for opener, closer in _PAIRS.items():
        if prose.rfind(opener) > prose.rfind(closer):
            tail = prose[prose.rfind(opener) :]
            return f"stops inside {opener}…: {tail[:20]!r}"
    return None


def unbalanced_quote(text: str) -> str | None:
    """An ASCII double quote left open (an inch mark after a digit, 6.7", is not one)."""
    prose = _INCH.sub("", _prose(text))
    if prose.count('"') % 2:
        return 'a " is never closed'
    return None


def mojibake(text: str) -> str | None:
    """Text decoded with the wrong encoding, if it shows."""
    for mark in knowledge().mojibake:
        if mark in text:
            return f"garbled characters {mark!r}"
    if _LATIN1_MARK.search(text):
        import ftfy.badness  # imported only when the text looks suspicious: it costs ~70 ms

        if ftfy.badness.is_bad(text):
            found = _LATIN1_MARK.search(text)
            return f"UTF-8 read as Latin-1 ({found.group(0) if found else ''!r})"
    return None


def urls_in(text: str) -> list[str]:
    """http(s) URLs in a text, Markdown link targets included."""
    found = [m.group(0).rstrip(".,;:!?") for m in _URL.finditer(text)]
    return list(dict.fromkeys(found))


def links_in(text: str) -> list[tuple[str, str]]:
    """Markdown links `[words](url)` in a text, as (words, url)."""
    return [(m["text"], m["url"]) for m in _MD_LINK.finditer(text)]


def unlink(text: str, url: str) -> str:
    """`text` with every link to `url` reduced to its words and the bare URL removed."""
    text = _MD_LINK.sub(lambda m: m["text"] if m["url"] == url else m.group(0), text)
    return re.sub(rf"\s*{re.escape(url)}/?", "", text)


def is_placeholder_host(url: str) -> bool:
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return True
    return not host or bool(knowledge().placeholder_hosts.search(host))


def normal_url(url: str) -> str:
    return url.rstrip("/").lower()


def language_of(text: str) -> str | None:
    """``zh``, ``en``, another ISO 639-1 code, or None when there is too little to tell.

    The ingest stage's identifier (`briefing.ingest.lang.detect_lang`) decides, so an
    article and the item made of it are judged alike; short or uncertain Latin text comes
    back as English, which never flags an English edition by mistake.
    """
    from briefing.ingest.lang import detect_lang

    prose = _prose(text)
    if len(_WORD.findall(prose)) < 3 and len(_HAN.findall(prose)) < 2:
        return None
    found = detect_lang(prose, script=False)  # zh-Hans or zh-Hant: the gate needs only zh
    return "zh" if found.startswith("zh") else found
