"""When the next scheduled run is due: `python -m briefing.schedule 06:30 Asia/Shanghai`.

Prints the whole seconds from now until the next HH:MM in the zone (today if it is still
ahead, else tomorrow), for the container's `schedule` loop (docker/entrypoint.sh). Kept in
Python because zone arithmetic (DST included) does not belong in a shell script.
"""

from __future__ import annotations

import datetime as dt
import sys
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def seconds_until(at: str, zone: str, now: dt.datetime) -> int:
    """Seconds from `now` (aware) to the next `at` (HH:MM) in `zone`; 0 < result <= 1 day."""
    try:
        hour, minute = (int(part) for part in at.split(":"))
        wanted = dt.time(hour, minute)
    except ValueError as exc:
        raise ValueError(f"{at!r} is not a time of day: write it as HH:MM, e.g. 06:30") from exc
    try:
        tz = ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"{zone!r} is not an IANA time zone, e.g. Asia/Shanghai") from exc
    local = now.astimezone(tz)
    target = dt.datetime.combine(local.date(), wanted, tzinfo=tz)
    if target <= local:
        target = dt.datetime.combine(local.date() + dt.timedelta(days=1), wanted, tzinfo=tz)
    # Subtract in UTC: two datetimes sharing a tzinfo subtract as wall clocks, ignoring DST.
    return max(1, int((target.astimezone(dt.UTC) - now.astimezone(dt.UTC)).total_seconds()))


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python -m briefing.schedule HH:MM ZONE", file=sys.stderr)
        return 2
    try:
        print(seconds_until(argv[0], argv[1], dt.datetime.now(dt.UTC)))
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
