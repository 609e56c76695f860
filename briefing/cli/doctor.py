"""`briefing doctor`: is this machine ready to render PDFs? Each problem comes with its fix."""

from __future__ import annotations

import io
import shutil
import time
from typing import Any

import click

from briefing.render.fonts import (
    APT_FIX,
    Check,
    check_fonts,
    check_harfbuzz_subset,
    check_pango,
)

_SLOW_PDF_SECONDS = 5.0
_PROBE_PAGE = (
    '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"></head><body>'
    '<p style="font-family: \'Noto Sans CJK SC\'">经济日报 <b>核心要点</b> Doctor</p></body></html>'
)


def check_weasyprint(timeout: float = 60, harfbuzz_subset: bool = False) -> Check:
    """Import WeasyPrint and render a tiny CJK page through the real PDF path."""
    fix = "pip install -e .   # in the project's virtualenv (see README)"
    try:
        import weasyprint
    except Exception as exc:
        return Check("weasyprint", False, f"cannot import: {type(exc).__name__}: {exc}", fix)
    from briefing.errors import RenderError
    from briefing.render.pdf import render_pdf_from_html

    started = time.perf_counter()
    try:
        pdf = render_pdf_from_html(_PROBE_PAGE, timeout=timeout)
    except RenderError as exc:
        return Check("weasyprint", False, f"WeasyPrint {weasyprint.__version__}: {exc}", fix)
    seconds = time.perf_counter() - started
    fonts = _embedded_fonts(pdf)
    if not any("CJK" in name for name in fonts):
        return Check(
            "weasyprint", False,
            f"the test PDF embeds no CJK font (found: {', '.join(fonts) or 'none'})",
            APT_FIX.format(packages="fonts-noto-cjk"), ("fonts-noto-cjk",),
        )
    if seconds > _SLOW_PDF_SECONDS and harfbuzz_subset:
        # HarfBuzz subsetting is loaded, so the missing library is not the cause: a busy
        # machine is. Worth a note, not a failure with the wrong fix.
        return Check(
            "weasyprint", True,
            f"WeasyPrint {weasyprint.__version__}: test PDF in {seconds:.1f} s (slow: is the machine"
            f" busy?), embeds {', '.join(fonts)}",
        )
    if seconds > _SLOW_PDF_SECONDS:
        return Check(
            "weasyprint", False,
            f"a one-line PDF took {seconds:.1f} s (font subsetting without HarfBuzz?)",
            APT_FIX.format(packages="libharfbuzz-subset0"), ("libharfbuzz-subset0",),
        )
    return Check(
        "weasyprint", True,
        f"WeasyPrint {weasyprint.__version__}: test PDF in {seconds:.2f} s, embeds {', '.join(fonts)}",
    )


def _embedded_fonts(pdf: bytes) -> list[str]:
    from pypdf import PdfReader

    names: set[str] = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        # Dictionaries may be indirect objects (pypdf 4 does not resolve them on access).
        resources = _resolved(page.get("/Resources"))
        for font in _resolved(resources.get("/Font")).values():
            base = str(_resolved(font).get("/BaseFont", ""))
            names.add(base.split("+", 1)[-1].lstrip("/"))
    return sorted(names)


def _resolved(value: Any) -> Any:
    """The object behind a PDF indirect reference; {} for nothing."""
    if value is None:
        return {}
    return value.get_object() if hasattr(value, "get_object") else value


def check_tool(name: str, package: str, purpose: str) -> Check:
    """An optional tool (tests only): reported, never a failure."""
    if shutil.which(name):
        return Check(name, True, f"found ({purpose})", required=False)
    return Check(
        name, False, f"not found ({purpose})", APT_FIX.format(packages=package), (package,),
        required=False,
    )


def check_config() -> Check:
    """Is there a feeds.yaml here (or in $BRIEFING_CONFIG)? A note, never a failure."""
    from briefing.config import default_config_path

    path = default_config_path()
    if path.is_file():
        return Check("config", True, f"{path.resolve()}", required=False)
    return Check(
        "config", False, f"no {path} here: fetch, build, site and nightly need one",
        "briefing init   # writes feeds.yaml, edits/ and a site: block to fill in",
        required=False,
    )


def run_checks() -> list[Check]:
    from briefing.package_files import check_package_files

    harfbuzz = check_harfbuzz_subset()
    return [
        check_package_files(),
        check_fonts(),
        harfbuzz,
        check_pango(),
        check_weasyprint(harfbuzz_subset=harfbuzz.ok),
        check_tool("pdffonts", "poppler-utils", "PDF tests"),
        check_tool("chromium", "chromium", "browser screenshot test"),
        check_config(),
    ]


@click.command()
def doctor() -> None:
    """Check the package's templates, fonts, HarfBuzz subsetting, Pango and WeasyPrint.

    Prints the fix for each problem; also notes a missing feeds.yaml.

    Exits 1 when something the PDF needs is missing.
    """
    checks = run_checks()
    for check in checks:
        status = "ok" if check.ok else ("FAIL" if check.required else "note")
        click.echo(f"{status:<5} {check.name}: {check.detail}")
        if not check.ok and check.fix:
            click.echo(f"      fix: {check.fix}")
    failed = [c for c in checks if c.required and not c.ok]
    if failed:
        packages = sorted({p for c in failed for p in c.packages})
        click.echo(f"\n{len(failed)} problem(s) found.", err=True)
        if packages:
            click.echo(f"Fix them with: {APT_FIX.format(packages=' '.join(packages))}", err=True)
        click.get_current_context().exit(1)
    click.echo("\nReady to render HTML and PDF.")
