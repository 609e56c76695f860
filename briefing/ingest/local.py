"""Local sources: a file or folder of `.md`, `.txt`, `.html` and `.pdf` articles.

- `.md`: YAML front matter (title, date, url or original_url, lang, source), Markdown body;
- `.txt`: title from the first heading or line; source, date and URL from the short
  metadata lines under it, bold or not (seed 000: `**证券时报网**`, `**2023-10-27 03:46**`);
- `.html`: main text and metadata extracted with trafilatura;
- `.pdf`: text extracted with pypdf (hard line breaks are mended by `clean`).

Paths are confined to the configured root, in the manner of reader's feed_root: a source
path must be relative, and neither it nor any file under it (symlinks resolved) may leave
the root.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml

from briefing import safe_yaml
from briefing.errors import ParseError
from briefing.ingest.dates import parse_date
from briefing.ingest.encoding import decode_bytes, string_dump
from briefing.ingest.entries import RawEntry
from briefing.ingest.regular import read_regular
from briefing.ingest.urls import canonical_url

SUFFIXES = (".md", ".markdown", ".txt", ".html", ".htm", ".pdf")
MAX_FILE_BYTES = 50 * 1024 * 1024

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n---[ \t]*(?:\n|\Z)", re.S)
_BOLD_LINE = re.compile(r"^\s*\*\*(.+?)\*\*\s*$")
_HEADING = re.compile(r"^\s*#{1,6}\s+(.*?)\s*#*\s*$")
_URL = re.compile(r"^<?(https?://\S+?)>?$")
_DATE = re.compile(r"^\d{4}[-/年.]\d{1,2}[-/月.]\d{1,2}日?(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")
_MD_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")


def resolve_local_path(root: Path, configured: str) -> Path:
    """The source's path under `root`; SourceError-style ParseError if it would leave it."""
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", configured):
        raise ParseError(f"unknown authority: {configured!r}: local paths are plain paths")
    candidate = Path(configured).expanduser()
    if candidate.is_absolute():
        raise ParseError(f"path must be relative to the local root: {configured!r}")
    real_root = root.resolve()
    path = (real_root / candidate).resolve()
    if not path.is_relative_to(real_root):
        raise ParseError(f"path cannot be outside root {real_root}: {configured!r}")
    if not path.exists():
        raise ParseError(f"path not found: {path}: fix `path` in feeds.yaml")
    return path


def list_files(root: Path, path: Path) -> tuple[list[Path], list[str]]:
    """Readable article files under `path` in a stable order, and warnings for refusals."""
    real_root = root.resolve()
    if path.is_file():
        return [path], []
    files: list[Path] = []
    warnings: list[str] = []
    for folder, dirs, names in os.walk(path):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            if name.startswith(".") or not name.lower().endswith(SUFFIXES):
                continue
            file = Path(folder) / name
            if not file.resolve().is_relative_to(real_root):
                warnings.append(f"{file}: path cannot be outside root {real_root}; skipped")
                continue
            files.append(file)
    return files, warnings


def read_file(file: Path, key: str, zone: ZoneInfo) -> RawEntry:
    """One local article; ParseError when the file cannot be read."""
    try:
        data = read_regular(file, MAX_FILE_BYTES)  # a FIFO in the folder must not block
    except OSError as exc:
        raise ParseError(f"cannot read {file}: {exc}") from exc
    suffix = file.suffix.lower()
    if suffix == ".pdf":
        return _read_pdf(data, key, file)
    text = decode_bytes(data).text
    if (dump := string_dump(text)) is not None:
        raise ParseError(f"refused: {dump}")
    if suffix in (".html", ".htm"):
        return _read_html(text, key, zone)
    if suffix in (".md", ".markdown") or _FRONT_MATTER.match(text.lstrip("\ufeff")):
        return _read_markdown(text, key, zone)  # a .txt that opens with front matter (seed 003)
    return _read_text(text, key, zone)


def _when(value: Any, zone: ZoneInfo) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=zone)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=zone)
    if isinstance(value, str):
        china = re.search(r"[年月日]", value) is not None
        return parse_date(value, zone, china=china)[0]
    return None


def _read_markdown(text: str, key: str, zone: ZoneInfo) -> RawEntry:
    meta: dict[str, Any] = {}
    match = _FRONT_MATTER.match(text.lstrip("\ufeff"))
    if match:
        try:
            loaded = safe_yaml.load(match.group(1))[0]  # bounded: feed content
        except yaml.YAMLError as exc:
            raise ParseError(f"front matter is not valid YAML: {exc}") from exc
        meta = loaded if isinstance(loaded, dict) else {}
        text = text.lstrip("\ufeff")[match.end() :]
    title = str(meta.get("title") or "").strip()
    lines = text.split("\n")
    first = next((i for i, ln in enumerate(lines) if ln.strip()), None)
    if first is not None and (heading := _HEADING.match(lines[first])):
        title = title or heading.group(1)
        del lines[first]  # the title repeated as the first heading
    from markdown_it import MarkdownIt

    html = MarkdownIt("commonmark", {"html": True}).render("\n".join(lines))
    lang = meta.get("lang")
    return RawEntry(
        key=key,
        title=title or Path(key).stem,
        url=canonical_url(str(meta.get("original_url") or meta.get("url") or "")),
        html=html,
        published=_when(meta.get("date"), zone),
        lang=lang if lang in ("zh-Hans", "zh-Hant", "en") else None,
        publisher=str(meta.get("source") or meta.get("author") or "").strip() or None,
    )


def _read_text(text: str, key: str, zone: ZoneInfo) -> RawEntry:
    lines = text.lstrip("\ufeff").replace("\r\n", "\n").split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    if not lines:
        raise ParseError("empty file")
    first = lines.pop(0)
    heading = _HEADING.match(first) or _BOLD_LINE.match(first)
    title = (heading.group(1) if heading else first).strip()
    url = published = None
    publisher: str | None = None
    # the metadata block: short lines between the title and the first paragraph
    while lines:
        line = lines[0].strip()
        if not line:
            lines.pop(0)
            continue
        bold = _BOLD_LINE.match(line)
        value = (bold.group(1) if bold else line).strip()
        if re.fullmatch(r"[\d\s年月日:./-]+", value):
            value = re.sub(r"\s*([年月日])\s*", r"\1", value).strip()  # "2026 年 02 月 04 日"
        if link := _URL.match(value):
            url = canonical_url(link.group(1))
        elif _DATE.match(value):
            published = _when(value, zone)
        elif len(value) > 40 or value.endswith(("。", ".", "！", "？")):
            break
        elif not bold and len(value) > 12:
            break  # a short first paragraph, not metadata
        elif bold and publisher is None:
            publisher = value  # "**证券时报网**": the publisher's name
        lines.pop(0)
    body = "\n".join(lines)
    body = _MD_IMAGE.sub("", body)
    body = _MD_LINK.sub(r"\1", body)
    body = re.sub(r"^\s*#{1,6}\s+", "", body, flags=re.M)
    body = re.sub(r"\*\*(.+?)\*\*", r"\1", body)
    return RawEntry(
        key=key, title=title, url=url, text=body, published=published, publisher=publisher
    )


def _read_html(text: str, key: str, zone: ZoneInfo) -> RawEntry:
    """A saved web page: trafilatura's precise pass, else its recall pass (see `page_body`)."""
    data = _extract(text, precise=True)
    body = page_body(data.get("text") or "", str(data.get("title") or ""))
    if _substance(body) < _ENOUGH:
        # portal pages (comment-like container classes, tables) defeat the precise pass:
        # it keeps a disclaimer or a reader comment and loses the article
        recall = _extract(text, precise=False)
        recalled = page_body(recall.get("text") or "", str(recall.get("title") or ""))
        if _substance(recalled) > _substance(body):
            data, body = recall, recalled
    if not body.strip():
        raise ParseError("no article text found in the HTML page")
    title = _SITE_SUFFIX.sub("", str(data.get("title") or "")) or Path(key).stem
    return RawEntry(
        key=key,
        title=title,
        url=canonical_url(data.get("url") or ""),
        text=body,
        published=_when(data.get("date"), zone),
        publisher=data.get("sitename") or None,  # a copyright line is refused downstream
    )


_SITE_SUFFIX = re.compile(r"\s*(?:[_|｜]|\s-\s)\s*[^_|｜]{1,16}$")  # "标题_示例门户"
_ENOUGH = 200  # characters of real sentences: less is a page the precise pass failed on
_PAGE_NOISE = re.compile(
    r"^\s*(?:免责声明|免責聲明|特别声明|特別聲明|版权声明|版權聲明|声明[：:]|disclaimer\b|"
    r"copyright\b|©|\(c\)\s*\d{4}|all rights reserved)|版权所有|版權所有",
    re.I,
)
_COMMENTS = re.compile(
    r"^\s*(?:网友评论|網友評論|热门跟贴|熱門跟貼|跟贴|最新评论|热门评论|读者评论|"
    r"comments?|reader comments|join the conversation)\s*[:：(（\d]*.{0,10}$",
    re.I,
)
_SENTENCE = re.compile(r"[。！？；，,.!?;]")


def page_body(text: str, title: str = "") -> str:
    """The article of an extracted page: menus before it, comments and footers after it gone.

    Menu items are the short lines without punctuation before the first sentence; the
    text is cut at a comment-section heading; disclaimer and copyright lines are dropped.
    """
    lines = [ln.strip() for ln in text.replace("\r", "").split("\n")]
    start = 0
    while start < len(lines) and not _SENTENCE.search(lines[start]) and len(lines[start]) < 40:
        start += 1  # menu items, the title, the date line
    kept: list[str] = []
    for line in lines[start:]:
        if _COMMENTS.match(line):
            break
        if line and not _PAGE_NOISE.search(line) and line != title.strip():
            kept.append(line)
    return "\n".join(kept)


def _substance(body: str) -> int:
    return sum(len(ln) for ln in body.split("\n") if len(ln) >= 15)


def _extract(text: str, *, precise: bool) -> dict[str, Any]:
    import trafilatura

    doc = trafilatura.bare_extraction(
        text,
        include_comments=False,
        include_tables=True,
        with_metadata=True,
        favor_precision=precise,
        favor_recall=not precise,
    )
    if doc is None:
        return {}
    data = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    return data if isinstance(data, dict) else {}


def _read_pdf(data: bytes, key: str, file: Path) -> RawEntry:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
        title = str(reader.metadata.get("/Title") or "").strip() if reader.metadata else ""
    except (PyPdfError, ValueError, KeyError, TypeError) as exc:
        raise ParseError(f"cannot read PDF {file}: {exc}") from exc
    text = "\n".join(pages)
    if not text.strip():
        raise ParseError(f"PDF {file} has no extractable text (scanned?)")
    if not title:
        title = next((ln.strip() for ln in text.split("\n") if ln.strip()), file.stem)[:120]
    return RawEntry(key=key, title=title, text=text)


def read_source(root: Path, configured: str, zone: ZoneInfo) -> tuple[list[RawEntry], list[str]]:
    """RawEntries for every readable file of a local source; unreadable files warn."""
    path = resolve_local_path(root, configured)
    files, warnings = list_files(root, path)
    base = path if path.is_dir() else path.parent
    raws: list[RawEntry] = []
    for file in files:
        key = file.relative_to(base).as_posix() if file.is_relative_to(base) else file.name
        try:
            raws.append(read_file(file, key, zone))
        except ParseError as exc:
            warnings.append(f"{file}: {exc}")
    if files and not raws:
        raise ParseError(f"none of the {len(files)} files could be read: {warnings[0]}")
    return raws, warnings
