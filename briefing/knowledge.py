"""Loading the knowledge files under `briefing/data/`: stance vocabulary, section taxonomy.

Knowledge is data a user can read and extend; this module only reads and validates it.
"""

from __future__ import annotations

import functools
from importlib import resources
from typing import TYPE_CHECKING, Any

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from briefing.errors import ConfigError
from briefing.vocabulary import Horizon, Stance

if TYPE_CHECKING:  # feeds.yaml's `analysis:` block imports this module: not the whole model
    from briefing.model import Section


class Entry(BaseModel):
    """A record of a knowledge file: frozen, and an unknown key is an error (a typo shows).

    Validators are built when a file is first read (`defer_build`): loading feeds.yaml
    imports this module for `SectionSpec` and reads no knowledge file.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class StanceWord(Entry):
    """One wording of a stance, in both languages."""

    zh: str
    en: str
    stance: Stance
    horizon: Horizon | None = None


class StanceVocabulary(Entry):
    stances: tuple[StanceWord, ...]
    defaults: dict[Stance, dict[str, str]]

    def match_prefix(self, text: str) -> StanceWord | None:
        """The longest stance wording (Chinese or English) that `text` starts with."""
        best: StanceWord | None = None
        best_len = 0
        folded = text.casefold()
        for word in self.stances:
            for wording in (word.zh, word.en.casefold()):
                if len(wording) > best_len and folded.startswith(wording):
                    best, best_len = word, len(wording)
        return best

    def lookup(self, wording: str) -> StanceWord | None:
        """The entry whose Chinese or English wording is exactly `wording`."""
        return self._by_wording.get(wording.strip().casefold())

    @functools.cached_property
    def _by_wording(self) -> dict[str, StanceWord]:
        """Each wording (English casefolded) → its first entry, as a scan in order finds it."""
        index: dict[str, StanceWord] = {}
        for word in self.stances:
            index.setdefault(word.zh, word)
            index.setdefault(word.en.casefold(), word)
        return index

    def wording(self, stance: Stance, lang: str) -> str:
        """The default word for a normalised stance in an edition's language."""
        if stance == "none":
            return ""
        return self.defaults[stance]["en" if lang == "en" else "zh"]

    def translate(self, wording: str, lang: str) -> str:
        """The same stance wording in another language; unknown wording is returned as is."""
        word = self.lookup(wording)
        if word is None:
            return wording
        return word.en if lang == "en" else word.zh


class SectionSpec(Entry):
    key: str
    zh: str
    en: str
    brief: bool = False

    def empty_section(self) -> Section:
        from briefing.model import Section, Text

        return Section(key=self.key, title=Text(zh=self.zh, en=self.en), brief=self.brief)


class Taxonomy(Entry):
    sections: tuple[SectionSpec, ...]

    def by_key(self, key: str) -> SectionSpec | None:
        return next((s for s in self.sections if s.key == key), None)

    def by_title(self, title: str) -> SectionSpec | None:
        return next((s for s in self.sections if title in (s.zh, s.en)), None)


def load_yaml(name: str) -> Any:
    """A knowledge file under briefing/data/, parsed; ConfigError names the file."""
    path = resources.files("briefing.data").joinpath(name)
    try:
        # libyaml's loader when present: the knowledge files are read on every run.
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        return yaml.load(path.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506 — a safe loader
    except yaml.YAMLError as exc:
        raise ConfigError(f"knowledge file is not valid YAML: {path}: {exc}") from exc


def load_knowledge(model: type[BaseModel], name: str) -> Any:
    """A knowledge file validated against its model; ConfigError names the file."""
    try:
        return model.model_validate(load_yaml(name))
    except ValidationError as exc:
        raise ConfigError(f"knowledge file is invalid: briefing/data/{name}: {exc}") from exc


@functools.cache
def stance_vocabulary() -> StanceVocabulary:
    vocabulary: StanceVocabulary = load_knowledge(StanceVocabulary, "stances.yaml")
    return vocabulary


@functools.cache
def default_taxonomy() -> Taxonomy:
    taxonomy: Taxonomy = load_knowledge(Taxonomy, "sections.yaml")
    return taxonomy


class AssetName(Entry):
    """An impact target as the knowledge file names it."""

    key: str
    zh: str
    en: str


@functools.cache
def asset_names() -> dict[str, AssetName]:
    """Every name and alias of an impact target (assets.yaml) → the target.

    Used to give an imported impact line its target key and English name; the analysis
    stage has its own, richer matcher over the same file.
    """
    data = load_yaml("assets.yaml") or {}
    names: dict[str, AssetName] = {}
    for entry in data.get("assets", []):
        asset = AssetName(key=entry["key"], zh=entry["zh"], en=entry["en"])
        for name in (entry["zh"], entry["en"], *entry.get("aliases", [])):
            names.setdefault(str(name), asset)
    return names
