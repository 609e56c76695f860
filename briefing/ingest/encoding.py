"""Bytes to text, before any parser sees them.

Order of evidence: a byte-order mark; the bare UTF-16/32 patterns of `<?xml`; the declared
charset (HTTP header, then the XML declaration or HTML `<meta>`); and charset-normalizer's
guess. A declaration is believed only if the bytes decode under it *and* the result looks
like text: GBK bytes declared UTF-8 fail to decode, and Big5 bytes declared GB2312 decode
into rare characters, so both fall through to sniffing. Latin-1 labels decode as
windows-1252, as browsers do (so `Café — Zürich` keeps its dash).
"""

from __future__ import annotations

import codecs
import contextlib
import functools
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_BARE = (
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00<\x00?", "utf-16-be"),
    (b"<\x00?\x00", "utf-16-le"),
)
_XML_DECL = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")
_META = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9._:-]+)""", re.I)
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9._:-]+)""", re.I)

# Labels whose decoder we replace with a superset that never loses characters.
_SUPERSETS = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "gb18030": "gb18030",
    "big5": "big5hkscs",
    "big5hkscs": "big5hkscs",
    "cp950": "big5hkscs",
    "latin_1": "cp1252",
    "iso8859_1": "cp1252",
    "ascii": "cp1252",
    "cp1252": "cp1252",
}
_PLAUSIBLE = 0.85
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _cp1252_fallback(exc: UnicodeError) -> tuple[str, int]:
    """Error handler: bytes that are not UTF-8 are read as windows-1252 (mixed documents)."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    bad = exc.object[exc.start : exc.end]
    return bad.decode("cp1252", errors="replace").replace("\ufffd", ""), exc.end


codecs.register_error("briefing-cp1252", _cp1252_fallback)


def _mostly_utf8(data: bytes) -> str | None:
    """UTF-8 with a few stray windows-1252 bytes (a feed assembled from two sources)."""
    fixed = data.decode("utf-8", errors="briefing-cp1252")
    lossy = data.decode("utf-8", errors="ignore")
    valid_multibyte = sum(1 for ch in lossy if ch >= "\x80")
    stray = len(data) - len(lossy.encode("utf-8"))
    if valid_multibyte and stray <= max(2, valid_multibyte // 5):
        return fixed
    return None


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    warnings: list[str] = field(default_factory=list)


def header_charset(content_type: str | None) -> str | None:
    match = _HEADER_CHARSET.search(content_type or "")
    return match.group(1) if match else None


def _codec(label: str | None) -> str | None:
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip().strip("'\"")).name.replace("-", "_")
    except LookupError:
        return None
    return _SUPERSETS.get(name, name)


def _decode(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        if codec == "cp1252":  # five bytes are undefined in cp1252: fall back to Latin-1
            return data.decode("latin-1")
        return None


@functools.cache
def _common_han() -> frozenset[str]:
    """GB2312 (both levels) and Big5 level 1: the characters real Chinese text is made of."""
    chars: set[str] = set()
    for lead in range(0xB0, 0xF8):
        for trail in range(0xA1, 0xFF):
            with contextlib.suppress(UnicodeDecodeError):
                chars.add(bytes((lead, trail)).decode("gb2312"))
    for lead in range(0xA4, 0xC7):
        for trail in [*range(0x40, 0x7F), *range(0xA1, 0xFF)]:
            with contextlib.suppress(UnicodeDecodeError):
                chars.add(bytes((lead, trail)).decode("big5"))
    return frozenset(chars)


def plausibility(text: str) -> float:
    """Share of non-ASCII characters that look like real text (1.0 for pure ASCII)."""
    sample = text[:20000]
    if sample.isascii():
        return 1.0
    total = bad = 0
    for ch in _NON_ASCII.findall(sample):
        total += 1
        cat = unicodedata.category(ch)
        if (
            ch == "\ufffd"
            or cat in ("Cc", "Co", "Cn", "Cs")
            # the table is built on first use (~0.04 CPU-s): English text never needs it
            or "\u3400" <= ch <= "\u9fff"
            and ch not in _common_han()
        ):
            bad += 1
    bad += _mixed_script_chars(sample)
    return 1.0 if total == 0 else max(0.0, 1 - bad / total)


_WORD = re.compile(r"[^\W\d_]*[^\x00-\x7f\W\d_][^\W\d_]*")
_ACCENTED_RUN = re.compile(r"[\u00c0-\u00ff]{3,}")


def _mixed_script_chars(text: str) -> int:
    """Non-ASCII letters in words that no language writes: Latin mixed with Cyrillic or
    Greek in one word (`Cafщ`), or runs of accented Latin letters (`Ïðèâåò`). This is what
    a wrong single-byte code page produces."""
    bad = 0
    for word in _WORD.findall(text):
        scripts = {unicodedata.name(ch, "X ").split()[0] for ch in word if ch.isalpha()}
        scripts.discard("CJK")
        if len(scripts & {"LATIN", "CYRILLIC", "GREEK", "ARABIC", "HEBREW"}) > 1 or (
            _ACCENTED_RUN.search(word)
        ):
            bad += sum(1 for ch in word if ch >= "\x80")
    return bad


def declared_in_document(data: bytes) -> str | None:
    head = data[:2048]
    match = _XML_DECL.match(head) or _META.search(head)
    return match.group(1).decode("ascii", "replace") if match else None


def _single_byte(codec: str) -> bool:
    return codecs.lookup(codec).name not in ("utf-8", "utf-16", "utf-32") and not any(
        codec.startswith(p) for p in ("utf", "gb", "big5", "shift", "euc", "iso2022", "cp9")
    )


def _sniff(data: bytes) -> Any:
    """charset-normalizer's best guess for `data`, or None (imported here: ~0.03 s that a
    run of feeds declaring their charset truthfully never spends)."""
    from charset_normalizer import from_bytes

    return from_bytes(data[:200_000]).best()


def _multibyte_alternative(data: bytes) -> tuple[str, str] | None:
    text = _decode(data, "utf_8")
    if text is not None:
        return "utf_8", text
    best = _sniff(data)
    codec = _codec(best.encoding) if best is not None else None
    if codec and not _single_byte(codec):
        text = _decode(data, codec)
        if text is not None and plausibility(text) >= _PLAUSIBLE:
            return codec, text
    return None


def _non_latin_letters(text: str) -> bool:
    return any(
        ch.isalpha() and not unicodedata.name(ch, "LATIN").startswith("LATIN")
        for ch in _NON_ASCII.findall(text[:20000])
    )


def _prefer_cp1252(
    codec: str, text: str, score: float, candidates: list[tuple[float, int, str, str]]
) -> tuple[str, str]:
    """Undeclared single-byte Latin text is windows-1252, as feedparser and browsers read it.

    charset-normalizer cannot tell the Latin code pages apart on a short feed: it reads
    Latin-1 `campeão` as cp1250 `campeă`. A guess whose letters are not Latin (Cyrillic,
    Greek) is kept; so is a multi-byte one.
    """
    if codec == "cp1252" or not _single_byte(codec) or _non_latin_letters(text):
        return codec, text
    for other_score, _, other, other_text in candidates:
        if other == "cp1252" and other_score >= score:
            return other, other_text
    return codec, text


def decode_bytes(data: bytes, http_charset: str | None = None) -> Decoded:
    """Decode `data`, trusting declarations only when the result is plausible."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            errors = "briefing-cp1252" if codec == "utf-8" else "replace"
            return Decoded(data[len(bom) :].decode(codec, errors=errors), codec)
    for prefix, codec in _BARE:
        if data.startswith(prefix):
            return Decoded(data.decode(codec, errors="replace"), codec)
    warnings: list[str] = []
    if not data:
        return Decoded("", "utf_8")
    declared = [c for c in (_codec(http_charset), _codec(declared_in_document(data))) if c]
    if http_charset and not _codec(http_charset):
        warnings.append(f"unknown charset {http_charset!r} declared; sniffing")
    tried: set[str] = set()
    for codec in declared:
        if codec in tried:
            continue
        tried.add(codec)
        text = _decode(data, codec)
        if text is not None and codec == "utf_8":
            return Decoded(text, codec, warnings)  # strict UTF-8 success is proof enough
        if text is not None and plausibility(text) >= _PLAUSIBLE:
            if _single_byte(codec) and not data.isascii():
                # every byte decodes under a single-byte codec, so decoding proves nothing:
                # UTF-8 or a confident multi-byte guess wins over the label.
                better = _multibyte_alternative(data)
                if better is not None:
                    return Decoded(better[1], better[0], [*warnings, f"declared {codec} ignored"])
            return Decoded(text, codec, warnings)
        warnings.append(f"declared charset {codec} does not fit the bytes; sniffing")
    text = _decode(data, "utf_8") or _mostly_utf8(data)
    if text is not None:
        return Decoded(text, "utf_8", warnings)
    candidates: list[tuple[float, int, str, str]] = []
    best = _sniff(data)
    guesses = [_codec(best.encoding)] if best is not None else []
    for rank, label in enumerate([*guesses, "gb18030", "big5hkscs", "cp1252", "cp1251"]):
        codec = label or ""
        if not codec or codec in tried:
            continue
        tried.add(codec)
        guess = _decode(data, codec)
        if guess is not None:
            candidates.append((plausibility(guess), -rank, codec, guess))
    if candidates:
        score, _, codec, text = max(candidates)
        codec, text = _prefer_cp1252(codec, text, score, candidates)
        return Decoded(text, codec, [*warnings, f"no charset declared; read as {codec}"])
    return Decoded(data.decode("utf-8", errors="replace"), "utf_8", [*warnings, "undecodable"])


_ESCAPE = re.compile(r"\\(?:x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|[nrt])")
_HEX_ESCAPE = re.compile(r"\\x[0-9a-fA-F]{2}")
_BYTES_LITERAL = re.compile(r"""^\s*b?(['"])""")


def string_dump(text: str) -> str | None:
    """Why `text` looks like a program's dump of a string (`b'<rss>\\n  <item>…'`), or None.

    Such text carries its line breaks and non-ASCII bytes as literal escape sequences
    (backslash-n, backslash-x-e2): more of those than real line breaks, and either a bytes
    or string literal's opening quote or hex escapes of UTF-8 bytes.
    """
    sample = text[:50_000]
    escapes = len(_ESCAPE.findall(sample))
    if escapes < 5 or escapes <= sample.count("\n"):
        return None
    hex_escapes = len(_HEX_ESCAPE.findall(sample))
    if hex_escapes < 2 and not _BYTES_LITERAL.match(sample):
        return None
    return (
        f"the text is a program's string dump ({escapes} literal escape sequences such as "
        "\\n and \\x.., few real line breaks): export the original bytes instead"
    )
