"""Where a finding is: the line of a post that shows an item's field.

The Markdown renderer knows which part of the model each line comes from (an owner and a
role: item 3's ``kp.1``); lining its output up with a post's text gives every field its
line number, for a post handed to `briefing check` and for an edition `nightly` renders.
"""

from __future__ import annotations

import re

from briefing.model import Briefing
from briefing.render.editions import for_edition
from briefing.render.markdown import body_lines

_FRONT_KEY = re.compile(r"^(?P<key>[A-Za-z_]+)\s*:")


class Places:
    """``file:line`` for items' fields and the issue's parts, in one Markdown text."""

    def __init__(self, briefing: Briefing, text: str, name: str, edition: str = "zh") -> None:
        self.name = name
        lines = text.split("\n")
        self.front: dict[str, int] = {}
        start = 0
        if lines and lines[0] == "---":
            for i in range(1, len(lines)):
                if lines[i] == "---":
                    start = i + 1
                    break
                if key := _FRONT_KEY.match(lines[i]):
                    self.front.setdefault(key["key"], i + 1)
        self.items: dict[str, dict[str, int]] = {}
        self.sections: dict[str, int] = {}
        self.h1: int | None = None
        self.first_body = start + 1
        self.last_line = max((i + 1 for i, line in enumerate(lines) if line.strip()), default=1)
        source = [(i + 1, line) for i, line in enumerate(lines[start:], start) if line.strip()]
        # Owners index the edition as it renders (items may move to a compact list there).
        view = for_edition(briefing, edition)
        ids = {(s, i): item.id for s, sec in enumerate(view.sections) for i, item in enumerate(sec.items)}
        keys = {(s,): sec.key for s, sec in enumerate(view.sections)}
        for (number, have), made in zip(source, body_lines(briefing, edition), strict=False):
            if have != made.text:
                break  # a post read through its kept source: later lines are found by title
            if len(made.owner) == 2 and made.owner in ids:
                self.items.setdefault(ids[made.owner], {}).setdefault(made.role, number)
            elif len(made.owner) == 1 and made.role == "heading" and made.owner in keys:
                self.sections.setdefault(keys[made.owner], number)
            elif made.role == "h1":
                self.h1 = number
        self._titles = {item.id: (item.title.zh or item.title.en) for item in briefing.items()}
        self._lines = lines

    def line_of(self, item_id: str, role: str) -> int:
        roles = self.items.get(item_id, {})
        if role in roles:
            return roles[role]
        if role.startswith("kp_label") and "kp.0" in roles:
            return roles["kp.0"]
        inside = [number for name, number in roles.items() if name.startswith(f"{role}.")]
        if inside:  # a block of lines (un.time → un.time.0.0): its first line
            return min(inside)
        if "title" in roles:
            return roles["title"]
        title = self._titles.get(item_id, "")
        for number, line in enumerate(self._lines, 1):
            if title and title in line:
                return number
        return self.first_body

    def locate(self, item_id: str, role: str) -> str:
        return f"{self.name}:{self.line_of(item_id, role)}"

    def where(self, part: str) -> str:
        """A whole-issue part: ``title``, ``date``, ``summary:2``, ``section:KEY``, ``issue``."""
        kind, _, key = part.partition(":")
        if kind in ("title", "date") and kind in self.front:
            line = self.front[kind]
        elif kind == "summary" and "summary" in self.front:
            line = self.front["summary"]
        elif kind == "section" and key in self.sections:
            line = self.sections[key]
        else:
            line = self.h1 or self.first_body
        return f"{self.name}:{line}"
