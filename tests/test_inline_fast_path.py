"""The plain-prose fast path of `render_inline` gives exactly what markdown-it gives."""

from __future__ import annotations

import random
from pathlib import Path

from briefing.model import Briefing
from briefing.render.inline import _markdown, render_inline, strip_controls

ROOT = Path(__file__).resolve().parents[1]


def _slow(text: str) -> str:
    return _markdown().renderInline(strip_controls(text)).strip()


def _strings(node: object) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for v in node.values() for s in _strings(v)]
    if isinstance(node, list):
        return [s for v in node for s in _strings(v)]
    return []


def test_every_sample_field_renders_as_markdown_it_does() -> None:
    data = Briefing.from_json((ROOT / "samples" / "briefing-2026-02-05.json").read_text("utf-8"))
    fields = _strings(data.model_dump(mode="json"))
    assert len(fields) > 300
    for text in fields:
        assert str(render_inline(text)) == _slow(text), text


def test_random_prose_renders_as_markdown_it_does() -> None:
    rng = random.Random(7)
    alphabet = list("abc XYZ 012 .,;:?'\"()/%$#@+-=^{}|>&…—“”「」中文利多：，。\u00a0\u3000\t") + [
        "  ", "http://x.y", "&amp;", "&#39;", "&#x4e2d;", "&copy;", "&nosuchname;", "&#;", "S&P"]
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 24)))
        assert str(render_inline(text)) == _slow(text), repr(text)


def test_ampersands_render_as_markdown_it_does() -> None:
    for text in ("Markets & Macro", "S&P 500", "AT&T", "a && b", "&", "x &", "&amp;", "&AMP;", "&#38;",
                 "&#x26; & &lt;", "&nosuchname; & co", "R&D; spend", "&ſhy;", "5 > 3 & \"q\""):
        assert str(render_inline(text)) == _slow(text), text
