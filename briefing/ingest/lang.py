"""Language and script of an article, and Simplified text for analysis.

Chinese is told by its script: Han characters outnumbering Latin letters (and no kana,
which would make it Japanese). The two Chinese scripts are told apart by asking OpenCC
which way the text changes: Traditional text changes under Traditional→Simplified
conversion, Simplified text under the reverse.

Every other text goes to py3langid (a naive Bayes byte n-gram model, restricted to
`CANDIDATES`). It was chosen over lingua-language-detector on a dozen sentences of our own
in 11 languages: both named all of them right, but py3langid takes ~0.2 ms a call and
~1.5 s to load its model once per process, where lingua took ~1 ms a call and 6–11 s to
load its models (2-core host, under load). `langmodel` caches the model uncompressed, which
brings the load to ~0.07 CPU-s after the first run. A short or uncertain text (a title alone,
`Gisèle Pelicot's memoir`) keeps the source's configured language, else English: the
model's guess on five words is noise.
"""

from __future__ import annotations

import functools
import re
import string
import unicodedata
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import opencc

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_KANA = re.compile(r"[\u3040-\u30ff]")
_HANGUL = re.compile(r"[\uac00-\ud7af]")
# runs, not single characters: counting a paragraph's letters one match at a time cost
# as much as the model itself
_LETTERS = re.compile(r"[^\W\d_]+")
_ASCII_LETTERS = string.ascii_letters.encode("ascii")
_SAMPLE = 1500
# the model reads a bounded prefix: its cost grows with the text, its answer does not (on
# the real feeds, 200 and 400 characters gave the same language for every entry)
_MODEL_SAMPLE = 200

# Languages the model may answer with: the world's news languages. A text in none of
# them still gets the nearest one, which is never zh or en unless it is close to them.
CANDIDATES = (
    "en", "zh", "ja", "ko", "pt", "es", "fr", "de", "it", "nl", "ru", "uk", "pl", "tr",
    "ar", "fa", "he", "hi", "id", "ms", "vi", "th", "sv", "da", "no", "fi", "cs", "el",
)  # fmt: skip
MIN_LETTERS = 40  # below this the model's guess is not trusted over the source's language
MIN_CONFIDENCE = 0.9


@functools.cache
def _converter(config: str) -> opencc.OpenCC:
    import opencc  # imported with its first use: English text never needs it

    return opencc.OpenCC(config)


@functools.cache
def _identifier() -> Any:
    from briefing.ingest.langmodel import load_identifier

    return load_identifier(CANDIDATES)


def warm_up(chinese: bool = True) -> None:
    """Load the model now (before worker processes are forked), and OpenCC's conversion
    tables when Chinese text is expected (`chinese`): building them costs ~0.1 CPU-s, which
    a run of English sources never needs (they load on first use, in whichever process)."""
    _identifier()
    if chinese:
        detect_lang("简体中文與繁體中文")


def _changed(text: str, config: str) -> int:
    converted = _converter(config).convert(text)
    return sum(1 for a, b in zip(text, converted, strict=False) if a != b)


def _chinese_script(han_text: str, hint: str | None) -> str:
    traditional = _changed(han_text, "t2s")
    simplified = _changed(han_text, "s2t")
    if traditional > simplified:
        return "zh-Hant"
    if traditional == simplified and hint in ("zh-Hans", "zh-Hant"):
        return hint
    return "zh-Hans"


def detect_lang(text: str, hint: str | None = None, *, script: bool = True) -> str:
    """`zh-Hans`, `zh-Hant`, `en`, or another ISO 639-1 code (`pt`, `ru`, `ja`, ...).

    `hint` (the source's configured language) decides when the text is too short or the
    model too unsure to tell. `script=False` answers `zh` for Chinese without telling the
    scripts apart, which spares loading OpenCC's tables (~0.1 s) where no more is needed.
    """
    sample = text[:_SAMPLE]
    if sample.isascii():  # most English text: no other script to count
        raw = sample.encode("ascii")
        han: list[str] = []
        letters = len(raw) - len(raw.translate(None, _ASCII_LETTERS))
    else:
        han = _HAN.findall(sample)
        raw = sample.encode("ascii", "ignore")
        latin = len(raw) - len(raw.translate(None, _ASCII_LETTERS))  # [A-Za-z]
        if len(han) >= 2 and len(han) * 4 >= latin:
            if len(_KANA.findall(sample)) * 10 >= len(han):
                return "ja"
            return _chinese_script("".join(han), hint) if script else "zh"
        letters = latin + _non_ascii_letters(sample) - len(han)
    fallback = "en" if hint is None or hint.startswith("zh") else hint
    if letters < 4:
        return hint or "en"
    if _HANGUL.search(sample) and len(_HANGUL.findall(sample)) * 2 >= letters:
        return "ko"
    lang, confidence = _identifier().classify(sample[:_MODEL_SAMPLE])
    if letters < MIN_LETTERS or confidence < MIN_CONFIDENCE:
        # unsure: a non-Latin script still decides (Cyrillic is not English)
        if lang != "en" and not _mostly_latin(sample):
            return str(lang)
        return fallback
    if lang == "zh":
        return "zh-Hans" if script else "zh"
    return str(lang)


def _run_length(pattern: re.Pattern[str], text: str) -> int:
    return sum(map(len, pattern.findall(text)))


_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_FEW = 64


def _non_ascii_letters(sample: str) -> int:
    """How many characters of `sample` beyond ASCII `_LETTERS` counts as letters.

    English text often holds a few (curly quotes, dashes, an accented name): those are
    looked at one by one, which costs far less than a letter-run scan of the whole sample.
    `[^\\W\\d_]` is exactly "alphanumeric and not a decimal digit" (re's \\w is
    str.isalnum() or '_', its \\d str.isdecimal()).
    """
    chars = _NON_ASCII.findall(sample)
    if len(chars) > _FEW:
        return _run_length(_LETTERS, "".join(chars))
    return sum(1 for ch in chars if ch.isalnum() and not ch.isdecimal())


def _mostly_latin(sample: str) -> bool:
    letters = "".join(_LETTERS.findall(sample))
    latin = sum(1 for ch in letters if ch < "\u0250")
    return latin * 2 >= len(letters)


def is_chinese(lang: str) -> bool:
    return lang.split("-")[0] == "zh"


def to_simplified(text: str) -> str:
    return str(_converter("t2s").convert(text))


def normalise_for_analysis(text: str, lang: str) -> str:
    """NFC; Traditional converted to Simplified (the original is stored alongside)."""
    text = unicodedata.normalize("NFC", text)
    return unicodedata.normalize("NFC", to_simplified(text)) if lang == "zh-Hant" else text
