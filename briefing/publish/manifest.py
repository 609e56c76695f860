"""The build manifest beside each release: what the next build needs to know of this one.

A text file (``out.releases/<id>.build.json``): its first line a JSON object (version,
site key, fingerprint, search bundle keys), then one line per day::

    2026-02-05<TAB>{"content":…,"gate":…,"key":…,"published":…,"updated":…}<TAB>{…DayInfo…}

A 365-day site's manifest is ~2.8 MB, nearly all of it the days' display data (titles,
summaries, tagged assets). Kept per line, a rebuild parses each day's small record but a
day's display data only when a page needs it, and copies an unchanged day's line as it was
read instead of encoding it again: a one-day change handles one day's data, not the
archive's.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from briefing.publish.pages import DayInfo

VERSION = 2


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


class Manifest:
    """A manifest as read: its head, and each day's record and display data, parsed on use."""

    def __init__(self, head: dict[str, Any] | None = None, lines: dict[str, tuple[str, str]] | None = None) -> None:
        self.head: dict[str, Any] = head or {}
        self._lines = lines or {}  # iso date → (record JSON, DayInfo JSON), as read
        self._records: dict[str, dict[str, Any]] = {}

    @classmethod
    def read(cls, path: Path | None) -> Manifest:
        """The manifest at `path`; an empty one when there is none, or it is unreadable or
        of another version (the next build then renders every day)."""
        if path is None:
            return cls()
        try:
            text = path.read_text(encoding="utf-8")
            first, _, rest = text.partition("\n")
            head = json.loads(first)
            if not isinstance(head, dict) or head.get("version") != VERSION or not text.endswith("\n"):
                return cls()
            lines: dict[str, tuple[str, str]] = {}
            for line in rest.split("\n"):  # not splitlines(): the JSON may hold U+2028
                if not line:
                    continue
                iso, record, info = line.split("\t")
                dt.date.fromisoformat(iso)
                lines[iso] = (record, info)
        except (OSError, ValueError):
            return cls()
        if head.get("days") != len(lines):  # cut short (a crash while it was written)
            return cls()
        return cls(head, lines)

    def record(self, iso: str) -> dict[str, Any]:
        """The day's key, gate verdict and publication times ({} for a day not listed)."""
        found = self._records.get(iso)
        if found is None:
            line = self._lines.get(iso)
            try:
                found = json.loads(line[0]) if line else {}
            except ValueError:
                found = {}
            self._records[iso] = found if isinstance(found, dict) else {}
        return self._records[iso]

    def info_text(self, iso: str) -> str | None:
        """The day's display data, as JSON text."""
        line = self._lines.get(iso)
        return line[1] if line else None


def info_from_text(text: str) -> DayInfo:
    from briefing.publish.pages import DayInfo

    return DayInfo.from_dict(json.loads(text))


class Infos(Mapping[dt.date, "DayInfo"]):
    """The display data of the site's days: a rendered day's as made, a reused day's as JSON
    text from the previous manifest, parsed the first time a page asks for it."""

    def __init__(self) -> None:
        self._made: dict[dt.date, DayInfo] = {}
        self._texts: dict[dt.date, str] = {}
        self._days: set[dt.date] = set()

    def add(self, day: dt.date, info: DayInfo) -> None:
        self._made[day] = info
        self._texts.pop(day, None)
        self._days.add(day)

    def add_text(self, day: dt.date, text: str) -> None:
        self._texts[day] = text
        self._made.pop(day, None)
        self._days.add(day)

    def __getitem__(self, day: dt.date) -> DayInfo:
        if day not in self._made:
            self._made[day] = info_from_text(self._texts[day])
        return self._made[day]

    def text(self, day: dt.date) -> str:
        """The day's display data as JSON text (as read for a day not rendered again)."""
        if day in self._texts:
            return self._texts[day]
        return _dumps(self._made[day].to_dict())

    def __contains__(self, day: object) -> bool:
        return day in self._days

    def __iter__(self) -> Iterator[dt.date]:
        return iter(sorted(self._days))

    def __len__(self) -> int:  # asked after every day (the progress bar): no set is built
        return len(self._days)


def render(head: dict[str, Any], records: Mapping[dt.date, dict[str, Any]], infos: Infos) -> str:
    """The manifest text: `head` (its version added), then each day of `records`."""
    lines = [_dumps({**head, "version": VERSION, "days": len(records)})]
    for day in sorted(records):
        lines.append(f"{day.isoformat()}\t{_dumps(records[day])}\t{infos.text(day)}")
    return "\n".join(lines) + "\n"
