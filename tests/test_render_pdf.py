"""PDF rendering with real WeasyPrint: fonts, text, links, safety, determinism, deadlines.

Assertions go through a PDF reader (pypdf) and poppler's pdffonts/pdftotext where the
question is "what would a reader see".
"""

from __future__ import annotations

import http.server
import io
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefing.errors import RenderError
from briefing.model import Briefing
from briefing.render.pdf import ASSET_BASE, render_pdf, render_pdf_from_html, safe_fetcher
from tests.render_fixtures import hostile_day, make_day

poppler = pytest.mark.skipif(
    shutil.which("pdffonts") is None or shutil.which("pdftotext") is None,
    reason="poppler-utils (pdffonts, pdftotext) not installed: sudo apt-get install -y poppler-utils",
)


@pytest.fixture(scope="module")
def day() -> Briefing:
    return make_day(20)


@pytest.fixture(scope="module")
def zh_pdf(day: Briefing, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "zh.pdf"
    path.write_bytes(render_pdf(day, "zh"))
    return path


@pytest.fixture(scope="module")
def en_pdf(day: Briefing, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "en.pdf"
    path.write_bytes(render_pdf(day, "en"))
    return path


def pdftotext(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def embedded_fonts(path: Path) -> list[dict[str, str]]:
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = []
    for line in out.splitlines()[2:]:
        parts = line.split()
        # name type... encoding emb sub uni objectID gen
        rows.append({"name": parts[0], "emb": parts[-5], "sub": parts[-4], "uni": parts[-3]})
    return rows


@poppler
def test_cjk_fonts_embedded_subset_with_real_bold(zh_pdf: Path) -> None:
    fonts = embedded_fonts(zh_pdf)
    names = {f["name"].split("+", 1)[1] for f in fonts}
    # Print pairs serif body with sans bold (see briefing.css): two faces, both real.
    assert names == {"Noto-Serif-CJK-SC", "Noto-Sans-CJK-SC-Bold"}
    for font in fonts:
        assert (font["emb"], font["sub"], font["uni"]) == ("yes", "yes", "yes"), font
        assert "+" in font["name"]  # the subset tag


@poppler
def test_text_extracts_in_chinese(zh_pdf: Path, day: Briefing) -> None:
    text = pdftotext(zh_pdf)
    assert day.title.zh in text
    for needle in ("今日摘要", "核心要点", "深度解读 & 洞察", "影响", "对股市", "利多", "更多动态"):
        assert needle in text, needle
    squeezed = "".join(text.split())  # pdftotext drops the thin spaces around numbers
    assert "第1页" in squeezed and "第2页" in squeezed  # page numbers
    assert "经济日报·2026年2月5日" in squeezed  # the running header (pages 2+)


@poppler
def test_english_edition_text(en_pdf: Path) -> None:
    text = pdftotext(en_pdf)
    for needle in ("Key points", "Analysis & insight", "Equities", "Bullish", "Page 1",
                   "Reported in Chinese"):
        assert needle in text, needle
    assert "国内新能源车企" in text  # a Chinese-only story listed in Chinese, with a CJK font


def test_a4_pages_and_clickable_links(zh_pdf: Path) -> None:
    reader = PdfReader(str(zh_pdf))
    assert len(reader.pages) >= 2
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert (round(width), round(height)) == (595, 842)
    uris = set()
    internal = 0
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A")
            if action is None:
                internal += 1
            elif "/URI" in action:
                uris.add(str(action["/URI"]))
            else:
                internal += 1
    assert "https://news.example.com/story/0" in uris
    assert "https://www.example.com/r/0" in uris
    assert internal > 0  # the table of contents links to sections
    assert all(u.startswith(("https://", "http://", "mailto:")) for u in uris)


def test_tagged_with_language_and_title(zh_pdf: Path, en_pdf: Path, day: Briefing) -> None:
    """A structure tree for screen readers and reflow; /Lang and the title from the page."""
    for path, lang, title in ((zh_pdf, "zh-CN", day.title.zh), (en_pdf, "en", day.title.en)):
        reader = PdfReader(str(path))
        root = reader.trailer["/Root"]
        assert bool(root["/MarkInfo"]["/Marked"])
        tree = root["/StructTreeRoot"].get_object()
        kinds = _struct_kinds(tree)
        assert {"/H1", "/H2", "/L", "/LI", "/Link"} <= kinds, kinds
        assert str(root["/Lang"]) == lang
        assert reader.metadata is not None and title in str(reader.metadata.title)
        assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])


def _struct_kinds(node: object, seen: set[str] | None = None, depth: int = 0) -> set[str]:
    seen = set() if seen is None else seen
    if depth > 60:
        return seen
    node = node.get_object() if hasattr(node, "get_object") else node
    if isinstance(node, dict):
        if "/S" in node:
            seen.add(str(node["/S"]))
        kids = node.get("/K")
        if kids is not None:
            for kid in kids if isinstance(kids, list) else [kids]:
                _struct_kinds(kid, seen, depth + 1)
    return seen


def test_deterministic_bytes(day: Briefing, zh_pdf: Path) -> None:
    again = render_pdf(day, "zh")
    assert again == zh_pdf.read_bytes()
    info = PdfReader(io.BytesIO(again)).metadata
    assert info is not None
    assert "/CreationDate" not in info and "/ModDate" not in info


def test_page_one_png(zh_pdf: Path, tmp_path: Path) -> None:
    """Renders page 1 for a human to look at (kept under the test's tmp_path)."""
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) not installed")
    subprocess.run(
        ["pdftoppm", "-r", "80", "-f", "1", "-l", "1", "-png", str(zh_pdf), str(tmp_path / "p")],
        check=True,
    )
    pngs = list(tmp_path.glob("p*.png"))
    assert len(pngs) == 1 and pngs[0].stat().st_size > 20_000


# ---------------------------------------------------------------- safety


class _RecordingHandler(http.server.BaseHTTPRequestHandler):
    log: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        self.log.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.fixture
def loopback_server() -> Iterator[tuple[str, list[str]]]:
    log: list[str] = []
    handler = type("Handler", (_RecordingHandler,), {"log": log})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", log
    finally:
        server.shutdown()
        server.server_close()


def test_no_outbound_requests_and_no_local_files(
    loopback_server: tuple[str, list[str]], tmp_path: Path
) -> None:
    base, log = loopback_server
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-BYTES", encoding="utf-8")
    day = hostile_day([f"{base}/pixel.png", f"{base}/track.gif?u=1", secret.as_uri(), "file:///etc/passwd"])
    pdf = render_pdf(day, "zh", footer_html=f'<img src="{base}/footer.png"><a href="{base}/x">x</a>')
    assert log == []
    assert b"/EmbeddedFile" not in pdf and b"TOP-SECRET" not in pdf
    assert b"root:x:" not in pdf
    # Even raw HTML given straight to the PDF path fetches nothing but our stylesheet.
    raw = (
        f'<html lang="zh-CN"><head><link rel="stylesheet" href="{base}/evil.css">'
        f'<link rel="attachment" href="{secret.as_uri()}">'
        f'<style>@import url("{base}/import.css"); body {{ background: url({base}/bg.png) }}</style>'
        f'</head><body><img src="{base}/img.png"><img src="{secret.as_uri()}">'
        f'<object data="{secret.as_uri()}"></object>中文</body></html>'
    )
    pdf = render_pdf_from_html(raw)
    assert log == []
    assert b"/EmbeddedFile" not in pdf and b"TOP-SECRET" not in pdf


def test_safe_fetcher_serves_only_our_assets(tmp_path: Path) -> None:
    fetcher = safe_fetcher()
    response = fetcher.fetch(ASSET_BASE + "briefing.css")
    assert b".stance-bullish" in response.read()
    for url in (
        "file:///etc/passwd",
        "http://127.0.0.1:1/x.png",
        "https://example.com/briefing.css",
        ASSET_BASE + "../briefing.html.j2",
        ASSET_BASE + "..%2Fbriefing.html.j2",
        ASSET_BASE + "partials/item.html.j2",
        ASSET_BASE + "missing.css",
        ASSET_BASE,
        "data:text/css,body{}",
    ):
        with pytest.raises(Exception) as info:
            fetcher.fetch(url)
        assert not isinstance(info.value, KeyboardInterrupt)
    assert len(fetcher.refused) == 9


def test_deadline_kills_the_worker_and_the_next_render_works(day: Briefing) -> None:
    with pytest.raises(RenderError, match="timed out"):
        render_pdf(day, "zh", timeout=0.05)
    assert render_pdf_from_html('<html lang="zh-CN"><body>恢复</body></html>').startswith(b"%PDF")
