"""What the PDF needs from the system, probed: CJK fonts, HarfBuzz subsetting, Pango.

Each probe returns a `Check`: a result as a value, with the command that fixes a problem
(Debian package names; the README's set-up commands install the same). `briefing doctor`
prints them; tests feed the probes fake tool output.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass

APT_FIX = "sudo apt-get install -y {packages}"

REQUIRED_FACES: tuple[tuple[str, str], ...] = (
    ("Noto Sans CJK SC", "Regular"),
    ("Noto Sans CJK SC", "Bold"),
    ("Noto Serif CJK SC", "Regular"),
    ("Noto Serif CJK SC", "Bold"),
)
"""The faces the stylesheet asks for (the zh-Hant edition uses the TC faces of the same files)."""

MIN_PANGO = (1, 44, 0)  # WeasyPrint's minimum


@dataclass(frozen=True)
class Check:
    """The outcome of one probe; `fix` is a shell command, `packages` the Debian packages."""

    name: str
    ok: bool
    detail: str
    fix: str | None = None
    packages: tuple[str, ...] = ()
    required: bool = True


Runner = Callable[[list[str]], str]


def run_tool(argv: list[str]) -> str:
    """Run a system tool and return its stdout ('' if it is missing or fails)."""
    if shutil.which(argv[0]) is None:
        return ""
    try:
        result = subprocess.run(argv, capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return result.stdout


def installed_faces(run: Runner = run_tool) -> set[tuple[str, str]]:
    """(family, style) pairs fontconfig knows, one per family name of each face."""
    faces: set[tuple[str, str]] = set()
    for line in run(["fc-list", "--format", "%{family}\t%{style}\n"]).splitlines():
        families, _, styles = line.partition("\t")
        for family in families.split(","):
            for style in styles.split(","):
                faces.add((family.strip(), style.strip()))
    return faces


def check_fonts(run: Runner = run_tool) -> Check:
    faces = installed_faces(run)
    if not faces:
        return Check(
            "fonts", False, "fontconfig lists no fonts (is fc-list installed?)",
            APT_FIX.format(packages="fontconfig fonts-noto-cjk"), ("fontconfig", "fonts-noto-cjk"),
        )
    missing = [f"{family} {style}" for family, style in REQUIRED_FACES if (family, style) not in faces]
    if missing:
        return Check(
            "fonts", False, "missing " + ", ".join(missing),
            APT_FIX.format(packages="fonts-noto-cjk"), ("fonts-noto-cjk",),
        )
    return Check("fonts", True, "Noto Sans/Serif CJK SC, Regular and Bold")


def check_harfbuzz_subset() -> Check:
    """Without libharfbuzz-subset0 WeasyPrint falls back to fontTools: a CJK PDF takes ~15 s."""
    fix = APT_FIX.format(packages="libharfbuzz-subset0")
    try:
        from weasyprint.text.ffi import harfbuzz_subset
    except Exception as exc:  # WeasyPrint itself is broken: reported by check_weasyprint
        return Check("harfbuzz-subset", False, f"cannot probe: {type(exc).__name__}: {exc}",
                     fix, ("libharfbuzz-subset0",))
    if harfbuzz_subset is None:
        return Check(
            "harfbuzz-subset", False,
            "libharfbuzz-subset not found: PDFs with CJK fonts will take ~15 s instead of <1 s",
            fix, ("libharfbuzz-subset0",),
        )
    return Check("harfbuzz-subset", True, "libharfbuzz-subset loaded")


def check_pango() -> Check:
    fix = APT_FIX.format(packages="libpango-1.0-0 libpangoft2-1.0-0")
    try:
        from weasyprint.text.ffi import pango
    except Exception as exc:
        return Check("pango", False, f"cannot load Pango: {type(exc).__name__}: {exc}", fix,
                     ("libpango-1.0-0", "libpangoft2-1.0-0"))
    number = int(pango.pango_version())
    version = (number // 10000, number // 100 % 100, number % 100)
    text = ".".join(map(str, version))
    if version < MIN_PANGO:
        return Check("pango", False, f"Pango {text} is older than 1.44", fix,
                     ("libpango-1.0-0", "libpangoft2-1.0-0"))
    return Check("pango", True, f"Pango {text}")
