"""`briefing init [DIR]`: start a project — a commented feeds.yaml, edits/, a .gitignore."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import click

from briefing.errors import BriefingError

_GITIGNORE = """\
# written by `briefing init`: the store and the published output are rebuilt, not kept in git
/state/
/out/
/out.*
*.sqlite-wal
*.sqlite-shm
"""


def _template(name: str) -> str:
    return resources.files("briefing.data").joinpath("init", name).read_text(encoding="utf-8")


def init_project(folder: Path, force: bool = False) -> list[Path]:
    """Write the starter files into `folder`; returns what was written.

    An existing feeds.yaml is never overwritten without `force`; edits/ and .gitignore are
    only added when missing.
    """
    config = folder / "feeds.yaml"
    if config.exists() and not force:
        raise BriefingError(
            f"{config} already exists: edit it, or pass --force to replace it with the template"
        )
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    config.write_text(_template("feeds.yaml"), encoding="utf-8")
    written.append(config)
    edits = folder / "edits"
    edits.mkdir(exist_ok=True)
    readme = edits / "README.md"
    if not readme.exists():
        readme.write_text(_template("edits-README.md"), encoding="utf-8")
        written.append(readme)
    gitignore = folder / ".gitignore"
    if not gitignore.exists():
        gitignore.write_text(_GITIGNORE, encoding="utf-8")
        written.append(gitignore)
    return written


@click.command()
@click.argument("folder", required=False, default=".",
                type=click.Path(file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace an existing feeds.yaml with the template.")
def init(folder: Path, force: bool) -> None:
    """Start a briefing project in FOLDER (default: here).

    Writes a commented feeds.yaml (public feeds in English and Chinese, a site: block
    waiting for your site's address), edits/ for editorial overrides and a .gitignore.
    """
    try:
        written = init_project(folder, force=force)
    except OSError as exc:
        raise BriefingError(f"cannot write into {folder}: {exc.strerror or exc}") from exc
    for path in written:
        click.echo(f"wrote {path}")
    config = folder / "feeds.yaml"
    flag = "" if folder == Path(".") else f" --config {config}"
    click.echo(
        "\nNext:\n"
        f"  1. set site.base_url in {config} to the address the site will be served from\n"
        f"  2. briefing fetch{flag}\n"
        f"  3. briefing nightly{flag}      # fetch, build today, publish the site\n"
        "  briefing doctor checks that PDFs can be rendered on this machine."
    )
