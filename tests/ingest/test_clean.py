"""The pure text functions: cleaning, language, URLs, encodings."""

from __future__ import annotations

import datetime as dt
import time
from zoneinfo import ZoneInfo

import pytest

from briefing.ingest.clean import clean_text, clean_title, mend_lines
from briefing.ingest.encoding import decode_bytes
from briefing.ingest.entries import build_articles
from briefing.ingest.feeds import parse_feed
from briefing.ingest.htmltext import html_to_text, sanitize_html
from briefing.ingest.lang import detect_lang, normalise_for_analysis
from briefing.ingest.settings import IngestSettings, SourceConfig
from briefing.ingest.urls import canonical_url

UTC_ZONE = ZoneInfo("UTC")


def test_link_list_and_footer_are_cut() -> None:
    text = "今天市场上涨，成交额放大，投资者情绪回暖。\n\n推荐阅读\n\n另一则无关新闻标题\n\n又一则无关新闻"
    assert clean_text(text) == "今天市场上涨，成交额放大，投资者情绪回暖。"
    english = (
        "Stocks rallied on Tuesday as investors cheered earnings.\n\nRelated:\n\nUnrelated story"
    )
    assert clean_text(english) == "Stocks rallied on Tuesday as investors cheered earnings."


def test_marker_at_the_very_top_is_not_a_cut() -> None:
    assert "正文" in clean_text("相关内容\n\n正文第一段，内容足够长，足够长，足够长，足够长。")


def test_captions_sources_and_credits_dropped() -> None:
    text = (
        "图表3：今年以来的汇率走势\n资料来源：wind\n人民币汇率保持稳定，市场预期平稳。\n校对：某某"
    )
    assert clean_text(text) == "人民币汇率保持稳定，市场预期平稳。"


def test_hard_wrapped_lines_are_mended_and_short_lines_kept() -> None:
    lines = [
        "摘要",
        "中美双方就两国经贸关系中的重要问题进行了深入沟通，双方",
        "同意继续保持沟通，推动两国经贸关系健康稳定发展，并就下",
        "一步工作作出安排，会谈取得积极成果，市场情绪有所改善。",
        "第二段内容开始于此处，这一段的长度也与前面相近，用于测",
        "试换行修复在多段落中的表现，确保段落边界被完整保留下来。",
    ]
    out = mend_lines(lines)
    assert out[0] == "摘要"
    assert "双方同意继续保持沟通" in out[2] and "并就下一步工作" in out[2]
    assert any(line.startswith("第二段内容") and line.endswith("保留下来。") for line in out)


def test_normal_paragraphs_are_not_joined() -> None:
    text = "First paragraph ends here.\n\nSecond paragraph ends here."
    assert clean_text(text) == text


def test_control_characters_and_nfc() -> None:
    assert clean_text("Cafe\u0301\x00 \x07bar\tbaz") == "Café bar\tbaz"
    assert clean_title("  原创  标题\x01 在此\n ") == "标题 在此"
    assert len(clean_title("x" * 2000, 500)) == 500


def test_html_to_text_drops_chrome_and_survives_deep_nesting() -> None:
    html = "<nav>Menu</nav><p>Body <b>text</b>.</p><script>x()</script><footer>(c)</footer>"
    assert html_to_text(html) == "Body text."
    deep = "<div>" * 10000 + "deep" + "</div>" * 10000
    started = time.process_time()  # CPU, not wall: a loaded machine must not fail it
    assert html_to_text(deep) == "deep"
    assert time.process_time() - started < 2  # linear, not quadratic, in the depth


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("<p>Rates &amp; yields</p><p>Held<br>steady</p>", "Rates & yields\n\nHeld\nsteady"),
        ("<P>Stocks <B>rose</B></P>", "Stocks rose"),
        ("one<br/>two<br />three", "one\ntwo\nthree"),
        ("&lt;p&gt; is text here", "<p> is text here"),
        ("a < b and c > d", "a < b and c > d"),  # not tags: the full parser decides
        ('<p class="x">attrs</p><p>go the long way</p>', "attrs\n\ngo the long way"),
        ("<p>kept</p><nav>menu</nav>", "kept"),
    ],
)
def test_html_to_text_simple_and_full_paths_agree(html: str, text: str) -> None:
    assert html_to_text(html) == text


def test_sanitize_html_allowlist() -> None:
    out = sanitize_html(
        '<a href="javascript:x()">a</a><a href="https://ok/">b</a><img src="file:///etc/passwd">'
    )
    assert "javascript" not in out and "file:" not in out and 'href="https://ok/"' in out


def test_sanitize_html_resolves_relative_links_against_the_entry() -> None:
    out = sanitize_html(
        '<p><a href="../b/2.html">two</a> <img src="chart.png" alt="c">'
        '<a href="JavaScript:x()">j</a> <a href="//cdn.example.org/x">cdn</a>'
        '<img src="http://169.254.169.254/i.png"></p>',
        "https://news.example.com/a/1.html",
    )
    assert 'href="https://news.example.com/b/2.html"' in out
    assert 'src="https://news.example.com/a/chart.png"' in out
    assert 'href="https://cdn.example.org/x"' in out
    assert "javascript" not in out.lower() and "169.254" not in out


def test_feed_bodies_keep_absolute_links() -> None:
    """Bodies' relative links end absolute in the stored HTML, xml:base or not."""
    body = (
        b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>T</title>'
        b"<link>https://paper.example.com/</link><item><title>Rates held</title>"
        b"<link>https://paper.example.com/2026/02/rates.html</link>"
        b"<description>&lt;p&gt;The bank held rates, &lt;a href=&quot;/data/rates"
        b"&quot;&gt;see the table&lt;/a&gt;.&lt;/p&gt;</description></item></channel></rss>"
    )
    raws, _ = parse_feed(body, content_type="application/rss+xml", url=None, zone=UTC_ZONE)
    parsed = build_articles(
        raws,
        SourceConfig(id="p", url="https://paper.example.com/rss"),
        IngestSettings(),
        dt.datetime(2026, 2, 5, tzinfo=dt.UTC),
    )
    assert 'href="https://paper.example.com/data/rates"' in (parsed.articles[0].html or "")


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("央行宣布下调存款准备金率，释放长期资金。", "zh-Hans"),
        ("港股恆生指數高開，科技股領漲，市場氣氛改善。", "zh-Hant"),
        ("Stocks rose as investors weighed rate cuts.", "en"),
        ("AMD 股价暴跌 17%，拖累纳指。", "zh-Hans"),
    ],
)
def test_detect_lang(text: str, lang: str) -> None:
    assert detect_lang(text) == lang


def test_traditional_converted_for_analysis_only() -> None:
    assert normalise_for_analysis("經濟數據", "zh-Hant") == "经济数据"
    assert normalise_for_analysis("經濟數據", "en") == "經濟數據"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("HTTPS://Example.COM:443/a?utm_source=x&id=3&fbclid=1#top", "https://example.com/a?id=3"),
        ("http://example.com:8080/b?spm=1.2", "http://example.com:8080/b"),
        ("javascript:alert(1)", None),
        ("file:///etc/passwd", None),
        ("", None),
    ],
)
def test_canonical_url(url: str, expected: str | None) -> None:
    assert canonical_url(url) == expected


def test_relative_url_resolved_against_base() -> None:
    assert (
        canonical_url("/n/1?from=timeline", "https://news.example.cn/list/")
        == "https://news.example.cn/n/1"
    )


@pytest.mark.parametrize(
    ("data", "declared", "expected"),
    [
        ("人民币汇率保持稳定，市场预期平稳。".encode("gb18030"), None, "人民币汇率保持稳定"),
        ("人民币汇率保持稳定，市场预期平稳。".encode("gbk"), "utf-8", "人民币汇率保持稳定"),
        ("港股恆生指數高開，市場氣氛改善。".encode("big5"), "gb2312", "港股恆生指數高開"),
        ("Café — Zürich".encode("cp1252"), "utf-8", "Café — Zürich"),
        ("Café — Zürich".encode("cp1252"), "iso-8859-1", "Café — Zürich"),
        ("Рубль укрепился к доллару".encode("cp1251"), None, "Рубль укрепился"),
        ("Ölpreis steigt".encode("utf-16"), None, "Ölpreis steigt"),
        ("Ölpreis steigt".encode("utf-32"), None, "Ölpreis steigt"),
    ],
)
def test_decode_bytes(data: bytes, declared: str | None, expected: str) -> None:
    assert decode_bytes(data, declared).text.startswith(expected)


@pytest.mark.parametrize(
    ("text", "hint", "lang"),
    [
        (
            "O banco central manteve a taxa de juros inalterada nesta terça-feira, citando a "
            "inflação persistente nos serviços.",
            None,
            "pt",
        ),
        (
            "Центральный банк сохранил ключевую ставку на прежнем уровне, сославшись на инфляцию.",
            None,
            "ru",
        ),
        (
            "La banque centrale a maintenu son taux directeur inchangé mardi, citant l'inflation.",
            None,
            "fr",
        ),
        ("日本銀行は火曜日、政策金利を据え置くと発表した。", None, "ja"),
        # a short English title with a French-looking name stays with the source's language
        ("Gisèle Pelicot's memoir launches", "en", "en"),
        ("Tesla Q4 deliveries beat estimates", None, "en"),
    ],
)
def test_detect_lang_beyond_chinese_and_english(text: str, hint: str | None, lang: str) -> None:
    assert detect_lang(text, hint) == lang


def test_clean_text_drops_source_notes_and_tweet_signatures() -> None:
    body = (
        "编者按：本文来源于某某研究院公众号，经授权转载。\n\n"
        "一月社会融资规模增量高于市场预期，企业中长期贷款明显回升。\n\n"
        "Rates stay on hold, the bank says.\n"
        "— Example Markets (@ExampleMkts) February 4, 2026\n\n"
        "The post Credit data beat forecasts appeared first on Example Daily."
    )
    cleaned = clean_text(body)
    assert cleaned.startswith("一月社会融资规模增量")
    assert "编者按" not in cleaned and "@ExampleMkts" not in cleaned
    assert "appeared first on" not in cleaned
    assert "Rates stay on hold, the bank says." in cleaned


@pytest.mark.parametrize(
    "sample",
    [
        "Prices rose \u2014 the \u201ccentral\u201d bank\u2019s caf\u00e9 in Z\u00fcrich, 3\u00bd% \u00b2",
        "\u0426\u0435\u043d\u0442\u0440\u0430\u043b\u044c\u043d\u044b\u0439 bank \u0661\u0662 x_y "
        * 20,
        "\u592e\u884c policy \u2160 \u3007 \uff11\uff12 \u00aa\u00ba \u0e51 \u1d2c",
        "plain ascii only",
    ],
)
def test_letter_count_of_the_fast_path_is_the_regex_count(sample: str) -> None:
    """Language ID counts letters as `[^\\W\\d_]` runs; the few-non-ASCII path counts the
    same characters one by one (digits of other scripts, numerals, ordinals included)."""
    import re

    from briefing.ingest.lang import _non_ascii_letters

    regex = sum(map(len, re.findall(r"[^\W\d_]+", sample)))
    ascii_letters = sum(map(len, re.findall(r"[A-Za-z]+", sample)))
    assert ascii_letters + _non_ascii_letters(sample) == regex


def _tidy_by_regex(text: str) -> str:
    import re

    text = re.sub(r"[ \t\r\f\v]+", " ", text)
    text = re.sub(r" *\n *", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "plain",
        "  lead and trail  ",
        "a \t\r\f\v b\n \n\t\nc",
        "one\n\n\n\n\n\n\n\ntwo \n\n \n three",
        "x" + " " * 37 + "\n" * 9 + " \t " * 5 + "y",
        "\u3000ideographic\u00a0space\u2003stays \n\n\n\n 中文 \t\n",
        "\n \n \n \n",
    ],
)
def test_tidy_whitespace_is_the_regex_chain(text: str) -> None:
    from briefing.ingest.htmltext import tidy_whitespace

    assert tidy_whitespace(text) == _tidy_by_regex(text)


def test_tidy_whitespace_on_random_text() -> None:
    import random

    from briefing.ingest.htmltext import tidy_whitespace

    rng = random.Random(12)
    alphabet = " \t\r\f\v\n\u00a0ab中"
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 40)))
        assert tidy_whitespace(text) == _tidy_by_regex(text), repr(text)
