"""`briefing build`, `briefing import`, `briefing render`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from briefing.cli.options import (
    DATE,
    config_option,
    optional_config_option,
    split_list,
    warn_placeholder_base_url,
)
from briefing.config import Config
from briefing.errors import BriefingError
from briefing.model import Briefing
from briefing.render.i18n import EDITIONS
from briefing.render.write import FORMATS


def _footers(config: Config, edition: str) -> tuple[str | None, str | None]:
    footer = config.render.footer_en if edition == "en" else config.render.footer_zh
    return footer, footer


def _other_edition(edition: str, langs: tuple[str, ...]) -> str | None:
    other = {"zh": "en", "en": "zh", "zh-Hant": "zh"}[edition]
    return f"../../{other}/" if other in langs else None


@click.command()
@click.option("--date", "day", type=DATE, required=True, help="The briefing date, YYYY-MM-DD.")
@click.option("--lang", "langs", default="zh,en", show_default=True,
              callback=split_list(EDITIONS), help="Editions: zh, en, zh-Hant.")
@click.option("--format", "formats", default="md,html,pdf,json", show_default=True,
              callback=split_list(FORMATS), help="Formats: md, html, pdf, json.")
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Output folder (default: render.out in the config, ./out).")
@click.option("--fetch", "fetch_first", is_flag=True, help="Fetch all sources before building.")
@config_option
def build(day: dt.date, langs: tuple[str, ...], formats: tuple[str, ...], out: Path | None,
          fetch_first: bool, config: Config) -> None:
    """Build the briefing of one day: OUT/{lang}/{date}/briefing.{md,html,pdf,json}.

    Runs the pipeline from the store: the day's articles are analysed (rules, or the LLM
    when configured), editorial overrides in edits/DATE.yaml applied, the briefing saved to
    the store, and each edition rendered. Nothing is written unless every file rendered.
    """
    out_dir = _output_folder(out, config)
    warn_placeholder_base_url(config)
    if "pdf" in formats:
        from briefing.render.pdf import prewarm

        prewarm()  # start the PDF worker while the day is analysed
    from briefing.cli.progress import Progress

    rendered = {}
    with Progress(f"build {day.isoformat()}", 1 + len(langs)) as bar:
        briefing = _build_day(day, config, fetch_first)
        bar.step(f"analysed: {len(briefing.items())} items")
        for edition in langs:
            footer_md, footer_html = _footers(config, edition)
            rendered[edition] = _render(briefing, edition, formats, footer_md, footer_html,
                                        _other_edition(edition, langs))
            bar.step(f"{edition}: {', '.join(formats)}")
    from briefing.render.write import write_all

    targets = {
        out_dir / edition / day.isoformat() / name: data
        for edition, files in rendered.items()
        for name, data in sorted(files.items())
    }
    for path in write_all(targets):  # every edition's files, or none of them
        click.echo(str(path))
    if briefing.degraded:
        click.echo(f"warning: degraded briefing: {'; '.join(briefing.degraded)}", err=True)
    for line in briefing.review:  # an LLM tag against a rule of the reasoner, a gate drop
        click.echo(f"review: {line}", err=True)


def _output_folder(out: Path | None, config: Config) -> Path:
    """`--out` or render.out; never the published site, which only `briefing site` writes."""
    folder = out if out is not None else config.resolve(config.render.out)
    if folder.is_symlink() or folder.resolve() == config.resolve(config.site.out).resolve():
        raise click.UsageError(
            f"{folder} is the published site (managed by `briefing site` and `nightly`): "
            "pass --out DIR to build one day elsewhere"
        )
    return folder


def _render(briefing: Briefing, edition: str, formats: tuple[str, ...], footer_md: str | None,
            footer_html: str | None, other: str | None) -> dict[str, bytes]:
    from briefing.render.write import render_edition

    return render_edition(briefing, edition, formats, footer_md=footer_md,
                          footer_html=footer_html, other_edition_href=other)


def _build_day(day: dt.date, config: Config, fetch_first: bool) -> Briefing:
    """Fetch (if asked), analyse the day from the store, save the briefing back to it."""
    import hashlib

    from briefing.analyse import build_briefing
    from briefing.store import Store

    with Store.open(config.store_path) as store:
        if fetch_first:
            from briefing.ingest import run_fetch

            report = run_fetch(config, store=store)
            click.echo(report.summary_line(), err=True)
        now = dt.datetime.now(dt.UTC)
        briefing = build_briefing(config, store, day, clock=now)
        if not briefing.items():
            raise BriefingError(
                f"no articles for {day} in the store ({config.store_path}): "
                "run `briefing fetch` first, or pass --fetch"
            )
        briefing = _gate(briefing, day, config)
        json_text = briefing.to_json()
        store.save_briefing(day, json_text, hashlib.sha256(json_text.encode("utf-8")).hexdigest())
    return briefing


def _gate(briefing: Briefing, day: dt.date, config: Config) -> Briefing:
    """The publish gate's item repairs, as nightly makes them; its findings are the build report.

    A build is a preview: what nightly would refuse is said, not enforced.
    """
    from briefing.publish.gate import review

    verdict = review(briefing, day=day, min_items=config.site.min_items, languages=config.site.languages)
    for problem in verdict.problems:
        if problem.action is None:  # drops and repairs are in briefing.review, printed below
            click.echo(f"gate: {problem}", err=True)
    if verdict.blocking:
        click.echo(f"gate: nightly would refuse {day}: {len(verdict.blocking)} errors", err=True)
    return verdict.briefing


@click.command("import")
@click.argument("post", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where to write the JSON (default: stdout).")
@click.option("--strict", is_flag=True, help="Fail unless the post is read without a kept source.")
@click.option("--timezone", default="Asia/Shanghai", show_default=True,
              help="Time zone of the times written in the post.")
def import_post(post: Path, output: Path | None, strict: bool, timezone: str) -> None:
    """Read a 经济日报 Markdown post into a briefing JSON file."""
    from briefing.render.markdown_import import import_markdown, import_summary

    text = post.read_text(encoding="utf-8")
    try:
        briefing = import_markdown(text, strict=strict, timezone=timezone)
    except BriefingError as exc:
        raise BriefingError(f"cannot import {post}: {exc}") from exc
    _emit(briefing.to_json().encode("utf-8"), output)
    click.echo(f"imported {post}: {import_summary(briefing)}", err=True)


@click.command()
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="md", show_default=True)
@click.option("--lang", "edition", type=click.Choice(EDITIONS), default="zh", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Output file (default: stdout; required for pdf).")
@optional_config_option
def render(source: Path, fmt: str, edition: str, output: Path | None, config: Config) -> None:
    """Render a briefing JSON file as md, html, pdf or json."""
    try:
        briefing = Briefing.from_json(source.read_bytes())
    except ValueError as exc:
        raise BriefingError(f"not a briefing JSON file: {source}: {exc}") from exc
    if fmt == "pdf" and output is None:
        raise click.UsageError("a PDF needs a file: pass -o FILE.pdf")
    footer_md, footer_html = _footers(config, edition)
    files = _render(briefing, edition, (fmt,), footer_md, footer_html, None)
    _emit(files[f"briefing.{fmt}"], output)


def _emit(data: bytes, output: Path | None) -> None:
    if output is None:
        click.echo(data.decode("utf-8"), nl=False)
        return
    from briefing.render.write import write_atomically

    write_atomically(output, data)
