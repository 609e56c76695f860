"""No fetchable URL of feed origin in any output, except an item's own source links.

RELIABILITY #28-#34 for every output, not only the HTML: the published Markdown is read by
Hugo or Hexo with their own rules and the Atom feed is rendered from it, so the content
is disarmed once, where every renderer reads the model (`render.editions.for_edition`).
Outputs are read back with parsers: a permissive CommonMark reader standing in for Hugo,
an HTML parser for pages and Atom content, pypdf for the PDF's link annotations.
"""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from pypdf import PdfReader

from briefing.model import Briefing, Item, Source, Text
from briefing.publish.site import build_site, options_from_config
from briefing.render.html import render_html
from briefing.render.markdown import render_markdown
from briefing.render.pdf import render_pdf
from briefing.render.untrusted import neutralise, neutralise_text
from briefing.store import Store
from tests.publish.conftest import SAMPLE_DAY, sample_briefing, save, write_config
from tests.render_fixtures import hostile_day

PIXEL = "![px](//tracker.example/pixel.png)"
JS_LINK = "[点我](javascript:alert(1))"
RLO = "\u202e"
SOURCE_URL = "https://www.reuters.com/markets/chips-2026-02-05/"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"美联储 {PIXEL} 降息", "美联储 px 降息"),
        (JS_LINK + " 以及", "点我 以及"),
        ("[x](//tracker.example/) y", "x y"),
        ("<file:///etc/passwd> z", "file:///etc/passwd z"),
        ('a <img src="//t.example/p.png"> b', 'a \\<img src="//t.example/p.png"\\> b'),
        ("[ref]: //tracker.example/p.png", "\\[ref\\]: //tracker.example/p.png"),
        ("x](//tracker.example/p.png)", "x\\](//tracker.example/p.png)"),
        (f"price {RLO}001$ today\u2066x\u2069", "price 001$ todayx"),
        ("nul\x00 and bell\x07", "nul and bell"),
    ],
)
def test_hostile_constructs_are_disarmed(text: str, expected: str) -> None:
    assert neutralise_text(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "央行宣布降准 0.5 个百分点",
        "**重点**：[路透](https://www.reuters.com/x) 报道，`code` 与 _强调_",
        "A [bracketed] aside and 3 < 4 > 2",
        "Hebrew \u200fמחיר\u200f with marks kept",
    ],
)
def test_ordinary_text_is_returned_unchanged(text: str) -> None:
    assert neutralise_text(text) is text or neutralise_text(text) == text


def test_a_clean_briefing_is_the_same_object() -> None:
    """Clean days cost no copy and render byte-identically to before."""
    briefing = sample_briefing()
    assert neutralise(briefing) is briefing


def _hostile_item(item: Item, *, bad_source: bool) -> Item:
    sources = [Source(name=f"Evil{RLO}", url="javascript:alert(1)")] if bad_source else []
    return item.model_copy(
        update={
            "title": Text(zh=f"{RLO}芯片股大涨 {PIXEL}", en=f"Chip stocks jump {PIXEL}"),
            "key_points": [Text(zh=f"详见 {JS_LINK}", en=f"See [here](javascript:alert(1)) {RLO}")],
            "insights": [Text(zh='<iframe src="//tracker.example/f"></iframe>推断', en="[r]: //t.example/x")],
            "url": SOURCE_URL,
            "sources": [*sources, Source(name="Reuters", url=SOURCE_URL)],
        }
    )


def hostile_sample(*, bad_source: bool = True) -> Briefing:
    """The sample day with its first item carrying the attacks of the probe.

    `bad_source` adds a `javascript:` source link, which the publish gate refuses on its
    own; the site test leaves it out to reach the feed and the export.
    """
    briefing = sample_briefing()
    first = briefing.sections[0]
    items = [_hostile_item(first.items[0], bad_source=bad_source), *first.items[1:]]
    sections = [first.model_copy(update={"items": items}), *briefing.sections[1:]]
    return briefing.model_copy(update={"sections": sections})


def _commonmark() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True})
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    return md


def assert_markdown_inert(text: str, allowed: set[str]) -> None:
    """What Hugo would make of the post: no image, no raw HTML, links only to `allowed`."""
    body = text.split("\n---\n", 1)[1] if text.startswith("---\n") else text
    for block in _commonmark().parse(body):
        assert block.type != "html_block", block.content
        for token in block.children or []:
            assert token.type not in ("image", "html_inline"), token
            if token.type == "link_open":
                href = str(token.attrGet("href"))
                assert href.startswith(("http://", "https://")), href
                assert href in allowed or not href.startswith("//"), href
    assert RLO not in text


class Fetchables(HTMLParser):
    """Every URL an HTML fragment would fetch or follow."""

    def __init__(self) -> None:
        super().__init__()
        self.fetched: list[str] = []
        self.followed: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("src", "srcset", "data", "poster", "background") and value:
                self.fetched.append(value)
            if name == "href" and value and tag == "a":
                self.followed.append(value)
            elif name == "href" and value:
                self.fetched.append(value)


def fetchables(html: str) -> Fetchables:
    parser = Fetchables()
    parser.feed(html)
    return parser


def test_markdown_html_and_pdf_carry_no_feed_url_but_the_source_link() -> None:
    briefing = hostile_sample()
    for edition in ("zh", "en", "zh-Hant"):
        markdown = render_markdown(briefing, edition)
        assert_markdown_inert(markdown, {SOURCE_URL})
        assert f"[{'芯片股大涨 px' if edition != 'en' else 'Chip stocks jump px'}]({SOURCE_URL})" in (
            markdown.replace("芯片股大漲", "芯片股大涨")
        )
        html = render_html(briefing, edition)
        found = fetchables(html)
        assert not any("tracker.example" in u or u.startswith("//") for u in found.fetched), found.fetched
        assert not any(u.lower().startswith(("javascript:", "//", "data:", "file:")) for u in found.followed)
        assert RLO not in html


def test_the_pdf_links_only_to_web_urls() -> None:
    pdf = PdfReader(io.BytesIO(render_pdf(hostile_sample(), "zh")))
    uris = [
        annot.get_object()["/A"].get("/URI")
        for page in pdf.pages
        for annot in page.get("/Annots") or []
        if "/A" in annot.get_object()
    ]
    assert SOURCE_URL in uris
    assert all(str(u).startswith(("https://", "http://")) for u in uris if u is not None), uris
    text = "".join(page.extract_text() for page in pdf.pages)
    assert RLO not in text


def test_the_fixture_of_every_attack_renders_inert_markdown() -> None:
    day = hostile_day(["//192.0.2.1/pixel.png", "http://192.0.2.1/p.png"])
    # The footer is the operator's own HTML (site settings), not feed content.
    markdown = render_markdown(day.model_copy(update={"footer": None}), "zh")
    assert_markdown_inert(markdown, {"https://example.com/ok"})


def test_the_atom_feed_and_hugo_export_carry_no_image_or_script_link(tmp_path: Path) -> None:
    """The probe's case: a pixel in a title reached Atom as <img> and Hugo as an image."""
    config = write_config(tmp_path)
    config.store_path.parent.mkdir(parents=True)
    save(config.store_path, [hostile_sample(bad_source=False)])
    out = config.resolve(config.site.out)
    hugo = tmp_path / "blog"
    with Store.open(config.store_path) as store:
        report = build_site(store, options_from_config(config), out, hugo_dir=hugo)
    assert report.published, report
    for lang in ("zh", "en"):
        root = ET.parse(out / lang / "feed.xml").getroot()
        for entry in root.iter(f"{ATOM}entry"):
            content = entry.findtext(f"{ATOM}content") or ""
            found = fetchables(content)
            assert found.fetched == [], found.fetched
            assert not any(u.lower().startswith(("javascript:", "//", "data:", "file:")) for u in found.followed)
            assert RLO not in content and RLO not in (entry.findtext(f"{ATOM}title") or "")
        markdown = (out / lang / SAMPLE_DAY.isoformat() / "briefing.md").read_text(encoding="utf-8")
        assert_markdown_inert(markdown, {SOURCE_URL})
    posts = sorted((hugo / "content" / "posts").iterdir())
    assert posts
    for post in posts:
        assert_markdown_inert(post.read_text(encoding="utf-8"), {SOURCE_URL})
