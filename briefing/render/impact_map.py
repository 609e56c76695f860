"""The impact map: the day's asset-impact tags as a picture, drawn at build time as inline SVG.

    Briefing ─▶ `day_map` ─▶ ImpactMap (classes ▸ assets ▸ drivers) ─▶ `render_svg` / the text list

One row per asset the briefing tags (Impact.target_key, else the target's words), grouped
by asset class (`data/impact_map.yaml`): an arrow for the net direction, the dominant
stance's word, and one block per story behind the tag, coloured by that story's stance
and linking to it (`#item-…`). The picture needs no script and no web font: every colour
is also a presentation attribute (the PDF and feed readers see it), which the site's
stylesheet overrides by class for the dark scheme. Words follow the edition; colours
follow the market convention of its readers (red up in the Chinese editions, green up in
English), as the badges do.

`day_assets` is the small per-day summary the archive's stance history is drawn from
(`render_history_svg`). Everything here is pure: same briefing, same bytes.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup, escape

from briefing.model import Briefing, Impact

# direction: +1 up, -1 down, 0 flat, 2 both ways; tone picks the colour; strong = full colour, else a tint.
_STANCE_SHAPE: dict[str, tuple[int, str, bool]] = {
    "bullish": (1, "up", True),
    "lean_bullish": (1, "up", False),
    "hawkish": (1, "hawk", True),
    "neutral": (0, "flat", True),
    "none": (0, "flat", False),
    "dovish": (-1, "dove", True),
    "volatile": (2, "flat", True),  # both ways: a double arrow
    "lean_bearish": (-1, "down", False),
    "bearish": (-1, "down", True),
}
# Tie-break when stances are equally frequent: the stronger reading wins.
_STRENGTH = {"bullish": 3, "bearish": 3, "hawkish": 3, "dovish": 3, "volatile": 2,
             "lean_bullish": 2, "lean_bearish": 2, "neutral": 1, "none": 0}
_UNKNOWN = (0, "flat", False)  # a stance this module does not know yet is drawn as no direction


def _shape(stance: str) -> tuple[int, str, bool]:
    return _STANCE_SHAPE.get(stance, _UNKNOWN)

_GREEN, _GREEN_TINT = "#1e7b34", "#e3f2e6"
_RED, _RED_TINT = "#b3261e", "#fbe4e2"
_TONES = {
    "hawk": ("#9a5b00", "#fbefd9"),
    "dove": ("#1f5fa8", "#e2ecf8"),
    "flat": ("#55595e", "#eceae5"),
}
_INK = "#1b1b1b"
_MUTED = "#5f6368"


def palette(edition: str) -> dict[str, tuple[str, str]]:
    """(strong, tint) per tone: red is up in the Chinese editions, green in English."""
    up, down = ((_GREEN, _GREEN_TINT), (_RED, _RED_TINT))
    if edition != "en":
        up, down = down, up
    return {"up": up, "down": down, **_TONES}


# ---------------------------------------------------------------- data


@functools.cache
def _data() -> dict[str, Any]:
    from briefing.knowledge import load_yaml  # libyaml's loader when present

    data: dict[str, Any] = load_yaml("impact_map.yaml")
    return data


@functools.cache
def _class_of() -> dict[str, str]:
    return {t: c["key"] for c in _data()["classes"] for t in c["targets"]}


def class_order() -> list[str]:
    return [c["key"] for c in _data()["classes"]]


def class_name(key: str, edition: str) -> str:
    for entry in _data()["classes"]:
        if entry["key"] == key:
            return _localise(entry["en"] if edition == "en" else entry["zh"], edition)
    return key


def words(edition: str) -> dict[str, str]:
    table = _data()["words"]["en" if edition == "en" else "zh"]
    return {k: _localise(v, edition) for k, v in table.items()}


def counted(table: dict[str, str], key: str, count: int) -> str:
    """`table[key]` with its count, in the singular form `<key>_one` when there is one
    ("1 story", not "1 stories")."""
    form = table.get(f"{key}_one", table[key]) if count == 1 else table[key]
    return form.format(count=count)


def _localise(text: str, edition: str) -> str:
    if edition == "zh-Hant":
        from briefing.render.i18n import to_traditional

        return to_traditional(text)
    return text


# ---------------------------------------------------------------- the day's map


@dataclass(frozen=True)
class Driver:
    """One story behind an asset's tag."""

    anchor: str
    title: str
    stance: str
    stance_word: str


@dataclass
class AssetRow:
    key: str
    name: str
    drivers: list[Driver] = field(default_factory=list)

    @functools.cached_property
    def stance(self) -> str:
        """The most frequent stance among the drivers (the stronger one on a tie); read once
        the map is built (`day_map` adds every driver before anything asks)."""
        counts: dict[str, int] = {}
        for d in self.drivers:
            counts[d.stance] = counts.get(d.stance, 0) + 1
        return max(counts, key=lambda s: (counts[s], _STRENGTH.get(s, 0), s))

    @functools.cached_property
    def stance_word(self) -> str:
        return next(d.stance_word for d in self.drivers if d.stance == self.stance)


@dataclass
class ClassGroup:
    key: str
    name: str
    assets: list[AssetRow]


@dataclass
class ImpactMap:
    edition: str
    classes: list[ClassGroup]

    @property
    def assets(self) -> int:
        return sum(len(c.assets) for c in self.classes)

    @property
    def stories(self) -> int:
        return len({d.anchor for c in self.classes for a in c.assets for d in a.drivers})


def asset_key(impact: Impact) -> str:
    """The asset an impact is about: its target key, else its words (so equal words meet)."""
    if impact.target_key:
        return impact.target_key
    words_ = (impact.target.zh or impact.target.en).strip().lower()
    return "t:" + words_


def day_map(
    briefing: Briefing,
    edition: str,
    anchors: Sequence[str],
    *,
    plain: Callable[[Any], str],
    stance_word: Callable[[Impact], str],
) -> ImpactMap:
    """The map of one edition. `anchors` are the items' fragment ids in reading order;
    `plain` gives a Text's words in the edition, `stance_word` an impact's stance word."""
    rows: dict[str, AssetRow] = {}
    for item, anchor in zip(briefing.items(), anchors, strict=True):
        seen: set[str] = set()
        for impact in item.impacts:
            if impact.kind != "impact" or not impact.target:
                continue
            key = asset_key(impact)
            if key in seen:  # one story counts once per asset
                continue
            seen.add(key)
            row = rows.setdefault(key, AssetRow(key=key, name=plain(impact.target)))
            row.drivers.append(
                Driver(anchor=anchor, title=plain(item.title), stance=impact.stance,
                       stance_word=stance_word(impact))
            )
    groups: dict[str, list[AssetRow]] = {}
    for key, row in rows.items():
        groups.setdefault(_class_of().get(key, "other"), []).append(row)
    classes = [
        ClassGroup(
            key=c,
            name=class_name(c, edition),
            assets=sorted(groups[c], key=lambda r: (-len(r.drivers), r.name)),
        )
        for c in class_order()
        if c in groups
    ]
    return ImpactMap(edition=edition, classes=classes)


# ---------------------------------------------------------------- drawing

ROW = 28
WIDTH = 392
_NAME_X = 24
_WORD_X = 172
_BLOCKS_X = 302
_BLOCK_W, _BLOCK_H, _BLOCK_GAP = 12, 16, 3
_MAX_BLOCKS = 6


def _arrow(direction: int, x: float, y: float, fill: str, tone: str) -> str:
    """A triangle pointing up or down, both for a two-way stance, or a diamond for none."""
    if direction == 2:
        up = f"{x - 6},{y - 1} {x + 6},{y - 1} {x},{y - 8}"
        down = f"{x - 6},{y + 1} {x + 6},{y + 1} {x},{y + 8}"
        return (f'<polygon class="im-{tone}" points="{up}" fill="{fill}"/>'
                f'<polygon class="im-{tone}" points="{down}" fill="{fill}"/>')
    if direction > 0:
        points = f"{x - 7},{y + 5} {x + 7},{y + 5} {x},{y - 7}"
    elif direction < 0:
        points = f"{x - 7},{y - 5} {x + 7},{y - 5} {x},{y + 7}"
    else:
        points = f"{x - 6},{y} {x},{y - 6} {x + 6},{y} {x},{y + 6}"
    return f'<polygon class="im-{tone}" points="{points}" fill="{fill}"/>'


def _font(edition: str) -> str:
    """The face the picture's words are set in: the page's bold sans (the PDF embeds no other
    face; the site's stylesheet sets its own family by class)."""
    region = "TC" if edition == "zh-Hant" else "SC"
    return f"Noto Sans CJK {region}, Source Han Sans {region}, sans-serif"


def render_class_svg(group: ClassGroup, edition: str) -> Markup:
    """One class's rows as an inline SVG (its own block, so the page can reflow them)."""
    colours = palette(edition)
    height = ROW * len(group.assets) + 4
    e = escape
    out = [
        f'<svg class="impact-map-svg" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}"'
        f' role="group" aria-label="{e(group.name)}" xmlns="http://www.w3.org/2000/svg"'
        f' font-family="{_font(edition)}" font-weight="700">'
    ]
    for i, row in enumerate(group.assets):
        y = ROW * i + ROW / 2 + 2
        direction, tone, _ = _shape(row.stance)
        strong = colours[tone][0]
        out.append(f'<g class="im-row" data-asset="{e(row.key)}" data-stance="{e(row.stance)}">')
        if i:
            out.append(f'<line class="im-rule" x1="0" x2="{WIDTH}" y1="{ROW * i + 2}" y2="{ROW * i + 2}"'
                       ' stroke="#d8d4cc" stroke-width="1"/>')
        out.append(_arrow(direction, 9, y, strong, tone))
        out.append(f'<text class="im-name" x="{_NAME_X}" y="{y + 5}" font-size="14" font-weight="700"'
                   f' fill="{_INK}">{e(_fit(row.name, _WORD_X - _NAME_X - 6, 14, bold=True))}</text>')
        out.append(f'<text class="im-word im-{tone}-text" x="{_WORD_X}" y="{y + 4.5}" font-size="12" font-weight="700"'
                   f' fill="{strong}">{e(_fit(row.stance_word, _BLOCKS_X - _WORD_X - 4, 12, bold=True))}</text>')
        for j, driver in enumerate(row.drivers[:_MAX_BLOCKS]):
            _, d_tone, d_strong = _shape(driver.stance)
            fill = colours[d_tone][0] if d_strong else colours[d_tone][1]
            x = _BLOCKS_X + j * (_BLOCK_W + _BLOCK_GAP)
            label = f"{row.name} · {driver.stance_word} · {driver.title}"
            out.append(
                f'<a href="#{e(driver.anchor)}" class="im-link"><title>{e(label)}</title>'
                f'<rect class="im-block im-{d_tone}{"" if d_strong else "-tint"}" x="{x}" y="{y - _BLOCK_H / 2}"'
                f' width="{_BLOCK_W}" height="{_BLOCK_H}" rx="2" fill="{fill}"'
                f' stroke="{colours[d_tone][0]}" stroke-width="1"/></a>'
            )
        extra = len(row.drivers) - _MAX_BLOCKS
        if extra > 0:
            x = _BLOCKS_X + _MAX_BLOCKS * (_BLOCK_W + _BLOCK_GAP)
            out.append(f'<text class="im-more" x="{x}" y="{y + 4.5}" font-size="11" fill="{_MUTED}">+{extra}</text>')
        out.append("</g>")
    out.append("</svg>")
    return Markup("".join(out))


def _fit(text: str, width: float, size: float, *, bold: bool = False) -> str:
    """Shorten a label that would overrun its column. Widths are estimated (the SVG is drawn
    without the font at hand): a CJK character is one em, a Latin one about 0.55 em."""
    if len(text) * size <= width:
        return text  # fits even if every character is a full em wide
    latin = size * (0.56 if bold else 0.52)
    used = 0.0
    for i, ch in enumerate(text):
        used += size if ord(ch) > 0x2E80 else latin
        if used > width:
            return text[: max(i - 1, 1)].rstrip() + "…"
    return text


# ---------------------------------------------------------------- the day's summary, for the archive


def day_assets(impact_map: ImpactMap) -> list[dict[str, Any]]:
    """What the stance history needs of a day: per asset its class, name and net stance."""
    return [
        {"key": a.key, "class": c.key, "name": a.name, "stance": a.stance, "word": a.stance_word,
         "count": len(a.drivers)}
        for c in impact_map.classes
        for a in c.assets
    ]


@dataclass(frozen=True)
class HistoryCell:
    date: str
    label: str
    href: str
    stance: str | None
    word: str
    count: int


HISTORY_CELL = 14


def render_history_svg(name: str, cells: Sequence[HistoryCell], edition: str, no_tag: str) -> Markup:
    """One asset's stance day by day: a strip of cells, oldest left, each linking to its day."""
    colours = palette(edition)
    step = HISTORY_CELL + 2
    width = step * len(cells)
    e = escape
    out = [
        f'<svg class="stance-strip" viewBox="0 0 {width} {HISTORY_CELL + 4}" width="{width}"'
        f' height="{HISTORY_CELL + 4}" role="group" aria-label="{e(name)}"'
        ' xmlns="http://www.w3.org/2000/svg">'
    ]
    for i, cell in enumerate(cells):
        x = i * step
        if cell.stance is None:
            out.append(
                f'<a href="{e(cell.href)}"><title>{e(cell.label)} · {e(no_tag)}</title>'
                f'<rect class="im-empty" x="{x}" y="2" width="{HISTORY_CELL}" height="{HISTORY_CELL}"'
                ' rx="2" fill="none" stroke="#d8d4cc" stroke-width="1"/></a>'
            )
            continue
        direction, tone, strong = _shape(cell.stance)
        fill = colours[tone][0] if strong else colours[tone][1]
        mark = _arrow(direction, x + HISTORY_CELL / 2, 2 + HISTORY_CELL / 2, colours[tone][0], tone)
        if strong:
            mark = mark.replace(f'fill="{colours[tone][0]}"', 'fill="#ffffff"').replace(
                f'class="im-{tone}"', 'class="im-on-strong"'
            )
        out.append(
            f'<a href="{e(cell.href)}"><title>{e(cell.label)} · {e(cell.word)} · {cell.count}</title>'
            f'<rect class="im-block im-{tone}{"" if strong else "-tint"}" x="{x}" y="2"'
            f' width="{HISTORY_CELL}" height="{HISTORY_CELL}" rx="2" fill="{fill}"'
            f' stroke="{colours[tone][0]}" stroke-width="1"/>'
            f'<g transform="translate({x + HISTORY_CELL / 2} {2 + HISTORY_CELL / 2}) scale(0.55)'
            f' translate({-(x + HISTORY_CELL / 2)} {-(2 + HISTORY_CELL / 2)})">{mark}</g></a>'
        )
    out.append("</svg>")
    return Markup("".join(out))
