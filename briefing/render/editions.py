"""Editions of one bilingual `Briefing`: zh and en read the model as is; zh-Hant is zh
converted to Traditional Chinese with OpenCC (a view for rendering, never stored)."""

from __future__ import annotations

from typing import Any

from briefing.model import Briefing
from briefing.render.i18n import EDITIONS, to_traditional
from briefing.render.untrusted import neutralise


def for_edition(briefing: Briefing, edition: str) -> Briefing:
    """The briefing as an edition renders it, its content of feed origin made inert.

    Every renderer reads the briefing through here (see `briefing.render.untrusted`);
    the result is `briefing` itself when it is a zh or en edition with nothing to disarm.
    """
    if edition not in EDITIONS:
        raise ValueError(f"unknown edition {edition!r}: choose from {', '.join(EDITIONS)}")
    briefing = neutralise(briefing)
    if edition != "zh-Hant":
        return briefing
    data = _convert_texts(briefing.model_dump())
    return Briefing.model_validate(data)


def _convert_texts(node: Any) -> Any:
    """Convert the `zh` side of every `Text` ({"zh": …, "en": …}) in a dumped model."""
    if isinstance(node, dict):
        if set(node) == {"zh", "en"} and isinstance(node["zh"], str):
            return {"zh": to_traditional(node["zh"]), "en": node["en"]}
        return {key: _convert_texts(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_convert_texts(value) for value in node]
    return node
