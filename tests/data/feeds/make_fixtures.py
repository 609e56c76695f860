"""Regenerate the feed fixtures of this folder: `python tests/data/feeds/make_fixtures.py`.

Each fixture `NAME.xml|json|html` has a sibling `NAME.expect.json` read by
tests/ingest/test_feed_fixtures.py. Encoded fixtures (GBK, Big5, cp1252, UTF-16) are
written from text here, so the bytes and the expectations cannot drift apart.
All texts are the project's own.
"""

from __future__ import annotations

import json
from pathlib import Path
from xml.sax.saxutils import escape

HERE = Path(__file__).resolve().parent


def write(name: str, data: str | bytes, expect: dict) -> None:
    (HERE / name).write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    stem = name.rsplit(".", 1)[0]
    (HERE / f"{stem}.expect.json").write_text(
        json.dumps(expect, ensure_ascii=False, indent=2) + "\n"
    )


def rss(items: str, decl: str | None = "utf-8", title: str = "测试频道") -> str:
    head = f'<?xml version="1.0" encoding="{decl}"?>\n' if decl else ""
    return (
        head
        + f'<rss version="2.0"><channel><title>{title}</title><link>https://news.example.cn/</link>\n'
        + items
        + "\n</channel></rss>\n"
    )


def item(title, guid, link=None, date="Wed, 04 Feb 2026 10:30:00 +0800", desc="<p>正文内容。</p>"):
    g = f"<guid>{guid}</guid>" if guid else ""
    l = f"<link>{link}</link>" if link else ""  # noqa: E741
    d = f"<pubDate>{date}</pubDate>" if date else ""
    return f"<item><title>{escape(title)}</title>{g}{l}{d}<description>{escape(desc)}</description></item>"


ZH1 = "央行宣布下调存款准备金率0.5个百分点"
ZH2 = "沪深两市成交额连续三日突破万亿元"
TW1 = "港股恆生指數高開逾百點 科技股領漲"
TW2 = "美聯儲維持利率不變 市場預期年內減息"
TW_DESC = "<p>聯儲局議息後，市場普遍預期年內將會減息。</p>"


def main() -> None:
    for old in HERE.glob("*"):
        if old.suffix in (".xml", ".json", ".html"):
            old.unlink()
    links = '<ul><li><a href="/x1">相关一</a></li><li><a href="/x2">相关二</a></li><li><a href="/x3">相关三</a></li></ul>'
    write(
        "basic.xml",
        rss(
            item(ZH1, "a1", "https://news.example.cn/a1?utm_source=rss&amp;id=7")
            + item(ZH2, "a2", "https://news.example.cn/a2", desc="<p>两市成交额放大。</p>" + links)
        ),
        {
            "content_type": "application/rss+xml",
            "titles": [ZH1, ZH2],
            "urls": ["https://news.example.cn/a1?id=7", "https://news.example.cn/a2"],
            "langs": ["zh-Hans", "zh-Hans"],
            "not_in_text": ["相关一"],
        },
    )
    two_zh = item(ZH1, "g1", "https://news.example.cn/g1") + item(
        ZH2, "g2", "https://news.example.cn/g2"
    )
    write(
        "gbk_undeclared.xml",
        rss(two_zh, decl=None).encode("gbk"),
        {"content_type": "application/rss+xml", "titles": [ZH1, ZH2]},
    )
    write(
        "gbk_declared_utf8.xml",
        rss(two_zh, decl="utf-8").encode("gbk"),
        {"content_type": "application/rss+xml; charset=utf-8", "titles": [ZH1, ZH2]},
    )
    two_tw = item(TW1, "b1", "https://hk.example.com/b1", desc=TW_DESC) + item(
        TW2, "b2", "https://hk.example.com/b2", desc=TW_DESC
    )
    write(
        "big5_undeclared.xml",
        rss(two_tw, decl=None, title="財經新聞").encode("big5"),
        {
            "content_type": "text/xml",
            "titles": [TW1, TW2],
            "langs": ["zh-Hant", "zh-Hant"],
            "title_norm": [
                "港股恒生指数高开逾百点 科技股领涨",
                "美联储维持利率不变 市场预期年内减息",
            ],
        },
    )
    write(
        "big5_declared_gb2312.xml",
        rss(two_tw, decl="gb2312", title="財經新聞").encode("big5"),
        {"content_type": "application/rss+xml", "titles": [TW1, TW2]},
    )
    write(
        "cp1252_declared_utf8.xml",
        rss(
            item(
                "Café — Zürich markets open higher",
                "c1",
                "https://example.com/c1",
                desc="<p>Stocks in Zürich rose — modestly.</p>",
            ),
            title="Europe",
        ).encode("cp1252"),
        {
            "content_type": "application/rss+xml; charset=utf-8",
            "titles": ["Café — Zürich markets open higher"],
            "langs": ["en"],
        },
    )
    write(
        "utf16.xml",
        rss(
            item(
                "Oil prices climb on supply worries",
                "u1",
                "https://example.com/u1",
                desc="<p>Oil rose.</p>",
            ),
            decl="utf-16",
            title="Energy",
        ).encode("utf-16"),
        {"content_type": "application/xml", "titles": ["Oil prices climb on supply worries"]},
    )
    write(
        "windows1251.xml",
        rss(
            item(
                "Рубль укрепился к доллару на торгах",
                "r1",
                "https://example.ru/r1",
                desc="<p>Рубль вырос.</p>",
            ),
            decl="windows-1251",
            title="Рынки",
        ).encode("cp1251"),
        {"content_type": "application/rss+xml", "titles": ["Рубль укрепился к доллару на торгах"]},
    )
    hostile = (
        '<p onclick="x()">Safe text.</p><script>alert("x")</script>'
        '<img src="http://img.example.com/a.png" onerror="alert(1)">'
        '<a href="javascript:alert(2)">js</a><a href="file:///etc/passwd">local</a>'
        '<img src="file:///etc/passwd"><img src="http://169.254.169.254/latest/meta-data/">'
        '<iframe src="http://evil.example/"></iframe><form action="http://evil.example/"><input name="q"></form>'
        '<p style="background:url(javascript:alert(3))">styled</p>'
        '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">b64</a>'
    )
    write(
        "hostile.xml",
        rss(
            item(
                "Markets <script>alert(1)</script>rally", "h1", "javascript:alert(1)", desc=hostile
            )
            + item("Second story", "h2", "file:///etc/passwd", desc="<p>Plain.</p>")
        ),
        {
            "content_type": "application/rss+xml",
            "titles": ["Markets rally", "Second story"],
            "urls": [None, None],
            "not_in_text": ["alert"],
        },
    )
    ents = "".join(
        f'<!ENTITY lol{i} "' + (f"&lol{i - 1};" if i > 1 else "&lol;") * 10 + '">\n'
        for i in range(1, 10)
    )
    write(
        "entity_bomb.xml",
        '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n<!ENTITY lol "lol">\n'
        + ents
        + ']>\n<rss version="2.0"><channel><title>Bomb</title><item><title>Boom &lol9;</title>'
        "<guid>b1</guid><description>x</description></item></channel></rss>\n",
        {"content_type": "application/rss+xml", "max_title_chars": 500},
    )
    write(
        "truncated.xml",
        rss(two_zh)[:-60],
        {"content_type": "application/rss+xml", "error": "ParseError", "message": "truncated"},
    )
    write(
        "html_page.html",
        '<!DOCTYPE html><html><head><title>Sign in</title></head><body><form action="/login">'
        '<input name="user"></form><p>Please sign in to continue.</p></body></html>',
        {"content_type": "text/html", "error": "ParseError", "message": "unknown feed type"},
    )
    write(
        "empty.xml",
        b"",
        {
            "content_type": "application/rss+xml",
            "error": "ParseError",
            "message": "unknown feed type",
        },
    )
    write(
        "no_guid.xml",
        rss(
            item("Has a link only", None, "https://example.com/l1")
            + item("Neither guid nor link", None)
            + item("Has a guid", "g3")
        ),
        {
            "content_type": "application/rss+xml",
            "titles": ["Has a link only", "Has a guid"],
            "warnings_contain": ["no id and no link"],
        },
    )
    write(
        "no_guid_at_all.xml",
        rss(item("Nothing to key on", None) + item("Nor here", None)),
        {
            "content_type": "application/rss+xml",
            "error": "ParseError",
            "message": "no usable entries",
        },
    )
    write(
        "duplicate_guid.xml",
        rss(
            item("First version", "same", "https://example.com/1")
            + item("Second version", "same", "https://example.com/2")
        ),
        {"content_type": "application/rss+xml", "titles": ["First version"]},
    )
    write(
        "dates.xml",
        rss(
            item("From the future", "d1", date="Fri, 01 Jan 2100 00:00:00 +0000")
            + item("Impossible day", "d2", date="Mon, 30 Feb 2026 10:00:00 +0000")
            + item("No date at all", "d3", date=None)
            + item("Garbage date", "d4", date="sometime last week")
            + item("Near midnight", "d5", date="Tue, 03 Feb 2026 23:30:00 -0500")
        ),
        {
            "content_type": "application/rss+xml",
            "titles": [
                "From the future",
                "Impossible day",
                "No date at all",
                "Garbage date",
                "Near midnight",
            ],
            "date_inferred": [True, True, True, True, False],
            "published_utc": [None, None, None, None, "2026-02-04T04:30:00+00:00"],
        },
    )
    write(
        "controls.xml",
        rss(
            item(
                "Bad&#1; title here",
                "x1",
                "https://example.com/x1",
                desc="<p>Body with\x0b vertical tab.</p>",
            ).replace("&amp;#1;", "&#1;")
        ).replace("\x0b", "&#11;"),
        {"content_type": "application/rss+xml", "titles": ["Bad title here"], "no_controls": True},
    )
    write(
        "atom.xml",
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Atom</title>'
        '<link href="https://atom.example.com/"/><entry><title type="html">Yields &lt;b&gt;fall&lt;/b&gt;</title>'
        '<id>tag:atom.example.com,2026:1</id><link href="/posts/1"/><updated>2026-02-04T12:00:00Z</updated>'
        '<content type="html">&lt;p&gt;Treasury yields fell.&lt;/p&gt;</content></entry></feed>',
        {
            "content_type": "application/atom+xml",
            "titles": ["Yields fall"],
            "urls": ["https://atom.example.com/posts/1"],
            "published_utc": ["2026-02-04T12:00:00+00:00"],
        },
    )
    write(
        "jsonfeed.json",
        json.dumps(
            {
                "version": "https://jsonfeed.org/version/1.1",
                "title": "JSON",
                "home_page_url": "https://json.example.com/",
                "items": [
                    {
                        "id": "j1",
                        "url": "https://json.example.com/j1?utm_medium=x",
                        "title": "Copper hits a record",
                        "content_html": "<p>Copper rose.</p>",
                        "date_published": "2026-02-04T09:00:00+08:00",
                    },
                    {"id": "j2", "title": "Plain text item", "content_text": "Just text."},
                ],
            }
        ),
        {
            "content_type": "application/feed+json",
            "titles": ["Copper hits a record", "Plain text item"],
            "urls": ["https://json.example.com/j1", None],
            "published_utc": ["2026-02-04T01:00:00+00:00", None],
        },
    )
    write(
        "jsonfeed_bad_version.json",
        json.dumps({"version": "2", "items": []}),
        {
            "content_type": "application/feed+json",
            "error": "ParseError",
            "message": "JSON Feed version",
        },
    )
    write(
        "jsonfeed_invalid.json",
        '{"version": "https://jsonfeed.org/version/1", "items": [',
        {"content_type": "application/json", "error": "ParseError", "message": "not valid JSON"},
    )


if __name__ == "__main__":
    main()
