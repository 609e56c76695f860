"""The render stage: `Briefing` → Markdown, HTML, PDF, JSON, per edition.

Editions: ``zh`` (Simplified Chinese), ``en`` (English), ``zh-Hant`` (Traditional,
converted from zh with OpenCC). Modules:

- `markdown`        Briefing → 经济日报 Markdown (FORMAT.md, exact)
- `markdown_import` 经济日报 Markdown → Briefing (render(import(md)) == md)
- `i18n`            labels, stance words, dates per edition
- `html`            Briefing → HTML (Jinja2, autoescape, StrictUndefined)
- `pdf`             HTML → PDF (WeasyPrint with a fetcher that refuses all but our assets)
"""

EDITIONS: tuple[str, ...] = ("zh", "en", "zh-Hant")
