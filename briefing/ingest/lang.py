"""Language and script: `zh-Hans`, `zh-Hant` or `en`, and Simplified text for analysis.

Detection counts Han characters against Latin letters, then tells the two Chinese scripts
apart by asking OpenCC which way the text changes: Traditional text changes under
Traditional→Simplified conversion, Simplified text under the reverse.
"""

from __future__ import annotations

import functools
import re
import unicodedata

import opencc

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")
_SAMPLE = 4000


@functools.cache
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


def _changed(text: str, config: str) -> int:
    converted = _converter(config).convert(text)
    return sum(1 for a, b in zip(text, converted, strict=False) if a != b)


def detect_lang(text: str, hint: str | None = None) -> str:
    """`zh-Hans`, `zh-Hant` or `en`; `hint` decides when the text is too short to tell."""
    sample = text[:_SAMPLE]
    han = len(_HAN.findall(sample))
    latin = len(_LATIN.findall(sample))
    if han + latin < 4:
        return hint or "en"
    if han * 4 < latin or han < 2:
        return "en"
    only_han = "".join(_HAN.findall(sample))
    traditional = _changed(only_han, "t2s")
    simplified = _changed(only_han, "s2t")
    if traditional > simplified:
        return "zh-Hant"
    if traditional == simplified and hint in ("zh-Hans", "zh-Hant"):
        return hint
    return "zh-Hans"


def to_simplified(text: str) -> str:
    return str(_converter("t2s").convert(text))


def normalise_for_analysis(text: str, lang: str) -> str:
    """NFC; Traditional converted to Simplified (the original is stored alongside)."""
    text = unicodedata.normalize("NFC", text)
    return unicodedata.normalize("NFC", to_simplified(text)) if lang == "zh-Hant" else text
