"""Settings of the publish stage (`site:` in feeds.yaml), declared once with their help."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

_PLACEHOLDER_DOMAINS = ("example.org", "example.com", "example.net")

SiteLang = Literal["zh", "en", "zh-Hant"]
Format = Literal["html", "md", "json", "pdf"]


class SiteSettings(BaseModel):
    """How `briefing site` and `briefing nightly` lay out and guard the static site."""

    model_config = ConfigDict(extra="forbid")

    base_url: str = Field(
        "https://example.org/briefing/",
        description="public URL of the site's root; canonical, hreflang, Open Graph, feed, sitemap",
    )
    site_name: dict[str, str] = Field(
        default_factory=lambda: {"zh": "经济日报", "en": "Daily Economic Briefing"},
        description="site name per edition (zh-Hant falls back to zh, converted)",
    )
    languages: list[SiteLang] = Field(
        default_factory=lambda: list[SiteLang](["zh", "en"]), description="editions published, in menu order"
    )
    default_lang: SiteLang = Field("zh", description="edition the language chooser prefers")
    chooser: Literal["browser", "default", "none"] = Field(
        "browser",
        description="out/index.html: follow the browser's language, go to default_lang, or only list",
    )
    out: str = Field(
        "out/site", description="the published site: a symlink to the live release"
    )
    formats: list[Format] = Field(
        default_factory=lambda: list[Format](["html", "md", "json", "pdf"]),
        description="files written per day and edition",
    )
    pdf_timeout: float = Field(60.0, gt=0, description="seconds one PDF may take")
    min_items: int = Field(5, ge=0, description="the publish gate refuses a day with fewer items")
    search: bool = Field(
        True, description="build a Pagefind search index of the archive (pip package pagefind)"
    )
    feed_entries: int = Field(60, ge=1, description="latest days carried in each Atom feed")
    keep_releases: int = Field(2, ge=1, description="releases kept on disk, the live one included")
    lock_file: str | None = Field(None, description="nightly lock (default: <out>.lock beside out)")
    log_file: str | None = Field(None, description="nightly log (default: <out>.log beside out)")
    manifest_file: str | None = Field(
        None, description="nightly run manifest (default: <out>.manifest.json beside out)"
    )

    @field_validator("base_url")
    @classmethod
    def _absolute_base(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError(
                f"{value!r} is not an absolute http(s) URL: write it like https://example.net/briefing/"
            )
        return value if value.endswith("/") else value + "/"

    @model_validator(mode="after")
    def _consistent(self) -> SiteSettings:
        if not self.languages:
            raise ValueError("languages: list at least one edition, e.g. [zh, en]")
        if len(set(self.languages)) != len(self.languages):
            raise ValueError("languages: an edition is listed twice")
        if self.default_lang not in self.languages:
            raise ValueError(
                f"default_lang: {self.default_lang!r} is not in languages {self.languages}:"
                " add it there or pick one of them"
            )
        if "html" not in self.formats:
            raise ValueError("formats: html is required (the site's pages), add it to the list")
        return self

    @property
    def placeholder_base_url(self) -> bool:
        """True for a documentation-only host (example.org/.com/.net, RFC 2606): not yet set."""
        from urllib.parse import urlsplit

        host = (urlsplit(self.base_url).hostname or "").lower()
        return any(host == d or host.endswith("." + d) for d in _PLACEHOLDER_DOMAINS)

    @property
    def pdf(self) -> bool:
        return "pdf" in self.formats

    def name_for(self, edition: str) -> str:
        """The site name shown for an edition."""
        if edition in self.site_name:
            return self.site_name[edition]
        if edition == "zh-Hant" and "zh" in self.site_name:
            from briefing.render.i18n import to_traditional

            return to_traditional(self.site_name["zh"])
        return next(iter(self.site_name.values()), "briefing")
