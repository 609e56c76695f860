"""Briefing → PDF with WeasyPrint, from the same HTML as the site (`render_html(for_pdf=True)`).

Safety (RELIABILITY.md C #29-#32, F #50):

- Every `HTML(...)`/`CSS(...)` gets `url_fetcher=SafeFetcher()`. The fetcher serves the
  project's own assets (templates/assets, addressed under `ASSET_BASE`, a reserved
  ``.invalid`` host) and refuses everything else *without* touching the network or the
  disk: remote and ``file:`` images, ``@import``s and attachments are dropped, never
  fetched. (WeasyPrint 70's default fetcher reads local files and the network.)
- WeasyPrint runs in a worker process with a deadline; a hang (pathological CSS) or a
  crash becomes a `RenderError` and the worker is killed. `FatalURLFetchingError` is a
  `BaseException`, so the worker catches `BaseException` explicitly.

Fonts: Noto CJK are system fonts found by fontconfig; WeasyPrint subsets them with
HarfBuzz (Debian's libharfbuzz-subset0; without it a CJK PDF takes ~15 s). Speed: see
"the worker process" below.

Determinism: no creation/modification dates (the page has no ``dcterms.created``), no
PDF identifier, a fixed Producer; the same briefing gives the same bytes.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import mimetypes
import os
import pickle
import select
import signal
import struct
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from briefing.errors import RenderError
from briefing.lifeline import PARENT_ENV

if TYPE_CHECKING:
    from briefing.model import Briefing

# The worker imports this module: keep its imports light (no model, Jinja2 or Babel here).
ASSETS_DIR = Path(__file__).resolve().parents[1] / "templates" / "assets"

ASSET_BASE = "https://assets.briefing.invalid/"
"""Where the PDF's HTML finds our stylesheet; only `SafeFetcher` answers for this host."""

_LOG = logging.getLogger(__name__)


def _fetcher_class() -> type:
    """`SafeFetcher`, defined lazily so that importing this module does not import WeasyPrint."""
    global _SAFE_FETCHER
    if _SAFE_FETCHER is not None:
        return _SAFE_FETCHER
    from weasyprint.urls import URLFetcher, URLFetcherResponse, URLFetchingError

    class SafeFetcher(URLFetcher):
        """Serves files of templates/assets under `ASSET_BASE`; refuses every other URL."""

        def __init__(self, assets_dir: Path = ASSETS_DIR) -> None:
            # allowed_protocols=() also disarms the parent's opener, should it ever be called.
            super().__init__(timeout=1, allowed_protocols=(), allow_redirects=False)
            self.assets_dir = assets_dir.resolve()
            self.refused: list[str] = []

        def fetch(self, url: str, headers: Any = None) -> Any:
            path = self._asset_path(url)
            if path is None:
                self.refused.append(url)
                raise URLFetchingError(f"refused by SafeFetcher: {url[:200]}")
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})

        def _asset_path(self, url: str) -> Path | None:
            if not url.startswith(ASSET_BASE):
                return None
            name = url[len(ASSET_BASE) :].split("?", 1)[0].split("#", 1)[0]
            if not name or "/" in name or "\\" in name or name.startswith("."):
                return None
            path = (self.assets_dir / name).resolve()
            if path.parent != self.assets_dir or not path.is_file():
                return None
            return path

    _SAFE_FETCHER = SafeFetcher
    return SafeFetcher


_SAFE_FETCHER: type | None = None


def safe_fetcher() -> Any:
    """A new `SafeFetcher` (imports WeasyPrint)."""
    return _fetcher_class()()


def write_pdf_bytes(html: str) -> tuple[bytes, list[str]]:
    """Lay out `html` with WeasyPrint in *this* process: the PDF and the URLs refused.

    Callers normally want `render_pdf`, which runs this in a child with a deadline.
    """
    from weasyprint import HTML

    fetcher = safe_fetcher()
    document = HTML(string=html, base_url=ASSET_BASE, url_fetcher=fetcher)
    pdf: bytes = document.write_pdf(
        pdf_identifier=False,  # an identifier would be a hash or random: keep bytes stable
        # Tagged PDF: a structure tree (headings, lists, paragraphs, links) for screen
        # readers and reflow, /Lang from <html lang>, the <title> shown as the window title.
        pdf_tags=True,
        custom_metadata=False,
        presentational_hints=False,
        full_fonts=False,  # subset: only the glyphs used (a full Noto CJK face is ~16 MB)
        hinting=False,
        uncompressed_pdf=False,
    )
    return pdf, list(fetcher.refused)


# ---------------------------------------------------------------- the worker process
#
# WeasyPrint runs in a long-lived worker process (one per parent), started on first use
# and warmed with a tiny CJK page, so each PDF costs only its layout (~0.7 s for 20 items;
# a cold process needs ~1.2 s more for imports, fontconfig and font loading). A worker that
# misses its deadline or dies is killed (its whole process group) and replaced on the
# next call. It is a plain `python -c` child, not multiprocessing: multiprocessing's
# spawn/forkserver re-import the caller's __main__, a trap for scripts that call us.
#
# Protocol over the worker's stdin/stdout: a request is a length-prefixed UTF-8 HTML
# document; a reply is a length-prefixed pickle of ("ok", pdf, refused) or ("error", msg).

_HEADER = struct.Struct(">Q")
_WORKER_CODE = "from briefing.render.pdf import _worker_main; _worker_main()"


def _read_exact(stream: BinaryIO, size: int) -> bytes | None:
    chunks, remaining = [], size
    while remaining:
        chunk = stream.read(remaining)
        if not chunk:
            return None
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def _worker_main() -> None:
    """The worker's loop: read HTML documents from stdin, write replies to stdout."""
    from briefing.lifeline import die_with_parent, parent_from_env

    # A render can run for a long time without reading stdin: without this, a SIGKILLed
    # parent would leave the worker rendering (or stuck) on its own.
    die_with_parent(parent_from_env())
    # Keep the protocol channel private: anything a library prints goes to stderr.
    channel = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    requests = sys.stdin.buffer
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    # Warm up (imports, fontconfig, font files) only while idle: with a request already
    # waiting, the warm-up would only delay it.
    if not select.select([requests], [], [], 0)[0]:
        # A broken install shows up in the first real render, with its message.
        with contextlib.suppress(Exception):
            write_pdf_bytes(_WARM_UP_PAGE)
    while True:
        header = _read_exact(requests, _HEADER.size)
        if header is None:
            return  # the parent has gone: stdin closed
        body = _read_exact(requests, _HEADER.unpack(header)[0])
        if body is None:
            return
        reply: tuple[Any, ...]
        try:
            pdf, refused = write_pdf_bytes(body.decode("utf-8"))
            reply = ("ok", pdf, refused)
        except BaseException as exc:  # FatalURLFetchingError is a BaseException (F #50)
            if isinstance(exc, KeyboardInterrupt | SystemExit):
                raise
            reply = ("error", f"{type(exc).__name__}: {exc}")
        data = pickle.dumps(reply, protocol=pickle.HIGHEST_PROTOCOL)
        channel.write(_HEADER.pack(len(data)) + data)
        channel.flush()


_WARM_UP_PAGE = (
    '<html lang="zh-CN"><head><link rel="stylesheet" href="briefing.css"></head>'
    "<body><h1>预热 Warm-up</h1><p><b>时间：</b>2026 <span class=\"badge stance-bullish\">利多</span>"
    "</p></body></html>"
)


class _Worker:
    """The parent's handle on one worker process."""

    def __init__(self) -> None:
        # The worker's stderr, read only to explain a crash (a pipe could fill and block it).
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115 - closed in close()
        env = dict(os.environ)
        root = str(Path(__file__).resolve().parents[2])
        env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
        env[PARENT_ENV] = str(os.getpid())
        self.process = subprocess.Popen(
            [sys.executable, "-c", _WORKER_CODE],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            env=env,
            start_new_session=True,  # its own process group, so a kill takes everything
        )

    def alive(self) -> bool:
        return self.process.poll() is None

    def render(self, html: str, timeout: float) -> tuple[bytes, list[str]]:
        assert self.process.stdin is not None and self.process.stdout is not None
        deadline = time.monotonic() + timeout
        body = html.encode("utf-8")
        try:
            self.process.stdin.write(_HEADER.pack(len(body)) + body)
            self.process.stdin.flush()
        except (BrokenPipeError, OSError) as exc:
            raise RenderError(f"PDF rendering failed: the WeasyPrint worker died{self._why()}") from exc
        header = self._read(self.process.stdout.fileno(), _HEADER.size, deadline, timeout)
        reply = pickle.loads(
            self._read(self.process.stdout.fileno(), _HEADER.unpack(header)[0], deadline, timeout)
        )
        if reply[0] != "ok":
            raise RenderError(f"PDF rendering failed: {reply[1]}")
        return reply[1], reply[2]

    def _read(self, fd: int, size: int, deadline: float, timeout: float) -> bytes:
        chunks: list[bytes] = []
        while size:
            remaining = deadline - time.monotonic()
            ready, _, _ = select.select([fd], [], [], max(remaining, 0))
            if not ready:
                self.kill()
                raise RenderError(
                    f"PDF rendering timed out after {timeout:g} s: the WeasyPrint worker was killed"
                )
            chunk = os.read(fd, min(size, 1 << 20))
            if not chunk:
                self.kill()
                raise RenderError(f"PDF rendering failed: the WeasyPrint worker died{self._why()}")
            chunks.append(chunk)
            size -= len(chunk)
        return b"".join(chunks)

    def _why(self) -> str:
        code = self.process.wait(5) if self.process.poll() is None else self.process.returncode
        self._stderr.seek(0)
        tail = self._stderr.read()[-400:].decode("utf-8", "replace").strip().splitlines()
        return f" (exit code {code}{': ' + tail[-1] if tail else ''})"

    def kill(self) -> None:
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
        self.close()

    def close(self) -> None:
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(5)
        self._stderr.close()


_worker_lock = threading.Lock()
_worker: _Worker | None = None


def _shutdown_worker() -> None:
    global _worker
    if _worker is not None:
        _worker.close()  # closing stdin ends the worker's loop
        _worker = None


atexit.register(_shutdown_worker)


def prewarm() -> None:
    """Start the WeasyPrint worker now (it warms up while the caller does other work)."""
    global _worker
    with _worker_lock:
        if _worker is None or not _worker.alive():
            _worker = _Worker()


def render_pdf_from_html(html: str, *, timeout: float = 60) -> bytes:
    """`html` → PDF bytes in the worker process; `RenderError` on failure or after `timeout` s."""
    global _worker
    with _worker_lock:
        if _worker is None or not _worker.alive():
            _worker = _Worker()
        worker = _worker
        try:
            pdf, refused = worker.render(html, timeout)
        except RenderError:
            if not worker.alive():
                _worker = None
            raise
    if refused:
        _LOG.info("PDF: refused %d URL(s), e.g. %s", len(refused), refused[0][:120])
    return pdf


def render_pdf(
    briefing: Briefing,
    edition: str,
    *,
    footer_html: str | None = None,
    timeout: float = 60,
) -> bytes:
    """One edition of a briefing as an A4 PDF (Noto CJK embedded and subset)."""
    from briefing.render.html import render_html

    prewarm()  # the worker starts while the page is rendered
    html = render_html(
        briefing, edition, assets_href=ASSET_BASE, footer_html=footer_html, for_pdf=True
    )
    return render_pdf_from_html(html, timeout=timeout)


def stylesheet_path() -> Path:
    """The stylesheet the PDF uses (for tools and tests)."""
    return ASSETS_DIR / "briefing.css"
