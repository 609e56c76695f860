"""Reading a local file that must be a regular file: never a FIFO, a device or a socket.

`open()` on a FIFO blocks until a writer appears, and a character device can stream
forever: either would hold `fetch`. The file is opened without blocking, checked on the
open descriptor (so a swap between a check and the open cannot fool it) and read within
`limit` bytes.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path


def read_regular(path: Path, limit: int) -> bytes:
    """The bytes of `path`; OSError if it is not a regular file or exceeds `limit` bytes."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise OSError(f"{path}: not a regular file (a FIFO, device or socket); skipped")
        if info.st_size > limit:
            raise OSError(f"{path}: larger than {limit} bytes")
        os.set_blocking(fd, True)
        with os.fdopen(fd, "rb", closefd=False) as fh:
            data = fh.read(limit + 1)
    finally:
        os.close(fd)
    if len(data) > limit:
        raise OSError(f"{path}: larger than {limit} bytes")
    return data
