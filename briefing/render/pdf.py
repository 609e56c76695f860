"""Briefing → PDF with WeasyPrint, from the same HTML as the site (`render_html(for_pdf=True)`).

Safety (RELIABILITY.md C #29-#32, F #50):

- Every `HTML(...)`/`CSS(...)` gets `url_fetcher=SafeFetcher()`. The fetcher serves the
  project's own assets (templates/assets, addressed under `ASSET_BASE`, a reserved
  ``.invalid`` host) and refuses everything else *without* touching the network or the
  disk: remote and ``file:`` images, ``@import``s and attachments are dropped, never
  fetched. (WeasyPrint 70's default fetcher reads local files and the network.)
- WeasyPrint runs in a child process with a deadline; a hang (pathological CSS) or a crash
  becomes a `RenderError` and the child is killed. `FatalURLFetchingError` is a
  `BaseException`, so the child catches `BaseException` explicitly.

Speed: children are forked from a *forkserver* that has already imported WeasyPrint and
rendered a tiny page, so a PDF costs a fork plus the layout itself (no interpreter start,
no imports). Fonts (Noto CJK) are system fonts found by fontconfig: WeasyPrint subsets
them with HarfBuzz (Debian's libharfbuzz-subset0; without it a CJK PDF takes ~15 s).

Determinism: no creation/modification dates (the page has no ``dcterms.created``), no
PDF identifier, a fixed Producer; the same briefing gives the same bytes.
"""

from __future__ import annotations

import logging
import mimetypes
import multiprocessing
import multiprocessing.connection
import threading
from pathlib import Path
from typing import Any

from briefing.errors import RenderError
from briefing.model import Briefing
from briefing.render.html import ASSETS_DIR, render_html

ASSET_BASE = "https://assets.briefing.invalid/"
"""Where the PDF's HTML finds our stylesheet; only `SafeFetcher` answers for this host."""

_WORKER_MODULE = "briefing.render.pdf"
_LOG = logging.getLogger(__name__)


def _fetcher_class() -> type:
    """`SafeFetcher`, defined lazily so that importing this module does not import WeasyPrint."""
    global _SAFE_FETCHER
    if _SAFE_FETCHER is not None:
        return _SAFE_FETCHER
    from weasyprint.urls import URLFetcher, URLFetcherResponse, URLFetchingError

    class SafeFetcher(URLFetcher):  # type: ignore[misc]
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
        custom_metadata=False,
        presentational_hints=False,
        full_fonts=False,  # subset: only the glyphs used (a full Noto CJK face is ~16 MB)
        hinting=False,
        uncompressed_pdf=False,
    )
    return pdf, list(fetcher.refused)


# ---------------------------------------------------------------- the child process


def _child(conn: multiprocessing.connection.Connection, html: str) -> None:
    """Runs in the forked child: render and send ("ok", bytes) or ("error", message)."""
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    try:
        pdf, refused = write_pdf_bytes(html)
        conn.send(("ok", pdf, refused))
    except BaseException as exc:  # FatalURLFetchingError is a BaseException (RELIABILITY F #50)
        conn.send(("error", f"{type(exc).__name__}: {exc}", []))
    finally:
        conn.close()


def _warm_up() -> None:
    """Imported into the forkserver: load WeasyPrint, Pango and fontconfig once for all PDFs."""
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    try:
        write_pdf_bytes('<html lang="zh-CN"><body><b>预热</b> warm-up</body></html>')
    except Exception:  # a broken install shows up in the real render, with its message
        _LOG.debug("PDF warm-up failed", exc_info=True)


_context_lock = threading.Lock()
_context: Any = None


def _mp_context() -> Any:
    """A forkserver context whose server has imported and warmed WeasyPrint."""
    global _context
    with _context_lock:
        if _context is None:
            if "forkserver" in multiprocessing.get_all_start_methods():
                ctx = multiprocessing.get_context("forkserver")
                # The preload runs `_warmup` at import time of this helper module name.
                ctx.set_forkserver_preload([_WORKER_MODULE, "briefing.render._pdf_warm"])
            else:  # pragma: no cover - not Linux
                ctx = multiprocessing.get_context("spawn")
            _context = ctx
        return _context


def render_pdf_from_html(html: str, *, timeout: float = 60) -> bytes:
    """`html` → PDF bytes in a child process; `RenderError` on failure or after `timeout` s."""
    ctx = _mp_context()
    receiver, sender = ctx.Pipe(duplex=False)
    process = ctx.Process(target=_child, args=(sender, html), daemon=True)
    try:
        process.start()
        sender.close()
        if not receiver.poll(timeout):
            raise RenderError(
                f"PDF rendering timed out: no result after {timeout:g} s; the child was killed"
            )
        try:
            status, payload, refused = receiver.recv()
        except EOFError as exc:
            process.join(5)
            raise RenderError(
                f"PDF rendering failed: the WeasyPrint process died (exit code {process.exitcode})"
            ) from exc
    finally:
        receiver.close()
        if process.is_alive():
            process.kill()
        process.join(5)
    if status != "ok":
        raise RenderError(f"PDF rendering failed: {payload}")
    if refused:
        _LOG.info("PDF: refused %d URL(s), e.g. %s", len(refused), refused[0][:120])
    pdf: bytes = payload
    return pdf


def render_pdf(
    briefing: Briefing,
    edition: str,
    *,
    footer_html: str | None = None,
    timeout: float = 60,
) -> bytes:
    """One edition of a briefing as an A4 PDF (Noto CJK embedded and subset)."""
    html = render_html(
        briefing, edition, assets_href=ASSET_BASE, footer_html=footer_html, for_pdf=True
    )
    return render_pdf_from_html(html, timeout=timeout)


def stylesheet_path() -> Path:
    """The stylesheet the PDF uses (for tools and tests)."""
    return ASSETS_DIR / "briefing.css"
