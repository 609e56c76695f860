"""Are the package's own files there? Templates and knowledge files, probed like the fonts.

A wheel built without its package data imports fine and fails only when a page is rendered
(`TemplateNotFound`), so `briefing doctor` looks for them explicitly and parses each one.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from jinja2 import Environment, TemplateSyntaxError

from briefing.render.fonts import Check

PACKAGE_DIR = Path(__file__).resolve().parent
TEMPLATES_DIR = PACKAGE_DIR / "templates"
DATA_DIR = PACKAGE_DIR / "data"

REQUIRED: tuple[str, ...] = (
    "templates/briefing.html.j2",
    "templates/assets/briefing.css",
    "templates/site/base.html.j2",
    "templates/site/site.css",
    "templates/site/labels.yaml",
    "templates/prompts/story.system.j2",
    "data/sections.yaml",
    "data/labels.yaml",
)
"""Files every run reads; the rest is found by walking the two folders."""

REINSTALL = "pip install --force-reinstall briefing   # or, in a checkout: pip install ."


def check_package_files(root: Path = PACKAGE_DIR) -> Check:
    """Every required file present, every template and YAML file parseable."""
    missing = [name for name in REQUIRED if not (root / name).is_file()]
    if missing:
        return Check(
            "package files", False,
            f"missing from {root}: {', '.join(missing)} (a wheel built without its data?)",
            REINSTALL,
        )
    broken: list[str] = []
    env = Environment(autoescape=True)
    templates = sorted((root / "templates").rglob("*.j2"))
    for path in templates:
        try:
            env.parse(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, TemplateSyntaxError) as exc:
            broken.append(f"{path.relative_to(root)}: {exc}")
    data_files = sorted((root / "data").rglob("*.yaml")) + sorted((root / "templates").rglob("*.yaml"))
    for path in data_files:
        try:
            yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            broken.append(f"{path.relative_to(root)}: {str(exc).splitlines()[0]}")
    if broken:
        return Check("package files", False, "unreadable: " + "; ".join(broken), REINSTALL)
    return Check(
        "package files", True,
        f"{len(templates)} templates, {len(data_files)} data files in {root}",
    )
