"""Runs `briefing nightly` in a subprocess with the build stage replaced by the sample day.

The fetch stage is the real one (the test config has no sources). Environment:
DRIVER_FAULT=placeholder|degraded changes the built briefing.
"""

from __future__ import annotations

import os
import sys

from briefing.cli import main
from briefing.publish import nightly
from tests.publish.conftest import sample_briefing


def fake_build(config, store, day, clock):  # type: ignore[no-untyped-def]
    briefing = sample_briefing(day)
    fault = os.environ.get("DRIVER_FAULT", "")
    if fault == "placeholder":
        briefing.title.zh = "Report Title"
    if fault == "degraded":
        briefing.degraded.append("llm: timeout")
    return briefing


_real_default = nightly.Steps.default


def patched_default() -> nightly.Steps:
    steps = _real_default()
    steps.build = fake_build
    return steps


nightly.Steps.default = staticmethod(patched_default)  # type: ignore[method-assign,assignment]

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
