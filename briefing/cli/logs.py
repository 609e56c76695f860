"""`briefing -v` and `--log-file`: where the stages' log messages go.

Without either, the package logs nothing to the terminal (commands print their own
results; `nightly` keeps its own log file beside the site). `-v` shows INFO lines on
stderr, `-vv` DEBUG; `--log-file FILE` appends them to FILE (INFO, or DEBUG with -vv).
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from briefing.errors import ConfigError

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def configure(verbose: int, log_file: Path | None) -> None:
    if not verbose and log_file is None:
        return
    level = logging.DEBUG if verbose > 1 else logging.INFO
    logger = logging.getLogger("briefing")
    logger.setLevel(level)
    if verbose:
        stream = logging.StreamHandler(sys.stderr)
        stream.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        logger.addHandler(stream)
    if log_file is not None:
        try:
            log_file.parent.mkdir(parents=True, exist_ok=True)
            handler = logging.FileHandler(log_file, encoding="utf-8")
        except OSError as exc:
            raise ConfigError(f"cannot open the log file {log_file}: {exc.strerror or exc}") from exc
        handler.setFormatter(logging.Formatter(FORMAT))
        logger.addHandler(handler)
