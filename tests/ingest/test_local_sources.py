"""Local sources: the seeds, confinement to the root, and each file type."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from briefing.ingest import run_fetch
from briefing.store import Store
from tests.conftest import seed_path
from tests.ingest.support import clock, write_config

SH = ZoneInfo("Asia/Shanghai")


def local(when: dt.datetime) -> str:
    return when.astimezone(SH).isoformat()


def fetch_folder(tmp_path: Path, files: dict[str, Path | bytes | str]) -> list:
    folder = tmp_path / "articles"
    folder.mkdir(exist_ok=True)
    for name, content in files.items():
        target = folder / name
        if isinstance(content, Path):
            shutil.copy(content, target)
        else:
            target.write_bytes(content if isinstance(content, bytes) else content.encode())
    config = write_config(tmp_path, [{"id": "local", "path": "articles"}])
    with Store.open(config.store_path) as store:
        report = run_fetch(config, store=store, clock=clock)
        assert report.result("local").status == "ok", report.result("local").error
        return store.articles()


@pytest.mark.parametrize("name", ["003.md", "003.txt"])  # the seed itself is a .txt
def test_seed_003_traditional_kept_and_simplified_for_analysis(tmp_path: Path, name: str) -> None:
    (article,) = fetch_folder(tmp_path, {name: seed_path("003")})
    assert article.lang == "zh-Hant"
    assert "習近平" in article.title and "习近平" in article.title_norm
    assert (
        "經貿" in article.text and "经贸" in article.text_norm and "經貿" not in article.text_norm
    )
    assert (
        article.published.astimezone(SH).date().isoformat() == "2018-11-01"
        and not article.date_inferred
    )
    assert article.url.startswith("https://www.hkcnews.com/article/16142/")
    assert "訂戶" not in article.text  # the subscription plea is gone
    assert "網上截圖" not in article.text  # the figure caption too
    assert not article.text.startswith("#")


def test_seed_004_keeps_the_article_and_drops_the_link_lists(tmp_path: Path) -> None:
    (article,) = fetch_folder(tmp_path, {"004.txt": seed_path("004")})
    assert article.title.startswith("中美伦敦谈判后")
    assert local(article.published) == "2025-06-11T20:11:18+08:00"
    assert "稀土" in article.text and article.text.rstrip().endswith("直到美国主动低头为止。")
    for leak in ("相关内容", "热门资讯", "审计署", "TikTok", "英镑兑美元", "白银回收", "资料图"):
        assert leak not in article.text


def test_seed_001_sentences_are_mended(tmp_path: Path) -> None:
    (article,) = fetch_folder(tmp_path, {"001.txt": seed_path("001")})
    text = article.text
    assert "双方就事关中美关系发展的战略性" in text
    assert "站在“地球村”“全球治理”的视角推动中美关系向前发展" in text
    assert "资料来源" not in text and "图表1：" not in text
    assert "11月16日上午" in text


def test_seed_000_metadata_from_bold_lines(tmp_path: Path) -> None:
    (article,) = fetch_folder(tmp_path, {"000.txt": seed_path("000")})
    assert article.url == "https://www.stcn.com/article/detail/1017197.html"
    assert local(article.published) == "2023-10-27T03:46:00+08:00"
    assert article.title.startswith("中美传来超重磅消息")
    assert "恒生指数" in article.text and "**" not in article.text
    assert "证券时报网" not in article.text.split("\n")[0]
    assert not article.text.rstrip().endswith("姚远")  # the proof-reader credit


def test_markdown_html_and_text_files(tmp_path: Path) -> None:
    md = "---\ntitle: Copper climbs\ndate: 2026-02-04 09:30\nurl: https://example.com/c?utm_source=x\n---\n\n# Copper climbs\n\nCopper rose to a record on supply worries.\n\n<script>alert(1)</script>\n"
    html = (
        "<html><head><title>Rates steady</title><meta name='date' content='2026-02-04'></head><body>"
        "<nav><a href='/'>Home</a></nav><article><h1>Rates steady</h1>"
        + "<p>The central bank kept its policy rate unchanged on Wednesday, citing stable inflation "
        "and a resilient labour market, and signalled patience.</p>"
        * 3
        + "</article><footer>Copyright</footer></body></html>"
    )
    txt = "# 黄金价格回升\n\n**2026-02-04 10:00**\n\n金价周三回升，投资者关注美联储动向。\n"
    got = {
        a.title: a
        for a in fetch_folder(tmp_path, {"a.md": md, "b.html": html, "c.txt": txt, "skip.csv": "x"})
    }
    assert set(got) == {"Copper climbs", "Rates steady", "黄金价格回升"}
    copper = got["Copper climbs"]
    assert (
        copper.url == "https://example.com/c"
        and local(copper.published) == "2026-02-04T09:30:00+08:00"
    )
    assert "alert" not in copper.text and "<script" not in (copper.html or "")
    assert (
        "policy rate unchanged" in got["Rates steady"].text
        and "Copyright" not in got["Rates steady"].text
    )
    assert got["黄金价格回升"].lang == "zh-Hans"


def _pdf(text: str) -> bytes:
    """A one-page PDF with `text` in Helvetica (written by hand: no PDF writer needed)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (i, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def test_pdf_text_is_extracted(tmp_path: Path) -> None:
    (article,) = fetch_folder(tmp_path, {"report.pdf": _pdf("Exports rose in January")})
    assert "Exports rose in January" in article.text and article.date_inferred


def test_unreadable_file_is_skipped_with_a_warning(tmp_path: Path) -> None:
    articles = fetch_folder(
        tmp_path, {"bad.pdf": b"%PDF-1.4 garbage", "ok.txt": "Title\n\nA fine body of text here."}
    )
    assert [a.title for a in articles] == ["Title"]


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("../outside", "outside root"),
        ("/etc", "must be relative"),
        ("file://host/x", "unknown authority"),
        ("missing", "not found"),
    ],
)
def test_paths_are_confined_to_the_root(tmp_path: Path, path: str, reason: str) -> None:
    root = tmp_path / "root"
    root.mkdir()
    (tmp_path / "outside").mkdir()
    config = write_config(root, [{"id": "local", "path": path}])
    with Store.open(config.store_path) as store:
        result = run_fetch(config, store=store, clock=clock).result("local")
    assert result.status == "error" and reason in result.error


def test_symlink_leaving_the_root_is_skipped(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("Secret\n\nDo not ingest this text.")
    folder = tmp_path / "root" / "articles"
    folder.mkdir(parents=True)
    (folder / "link.txt").symlink_to(secret)
    (folder / "fine.txt").write_text("Fine\n\nThis one stays.")
    config = write_config(tmp_path / "root", [{"id": "local", "path": "articles"}])
    with Store.open(config.store_path) as store:
        result = run_fetch(config, store=store, clock=clock).result("local")
        assert [a.title for a in store.articles()] == ["Fine"]
    assert any("outside root" in w for w in result.warnings)


def test_bundled_samples_are_read(tmp_path: Path) -> None:
    samples = Path(__file__).resolve().parents[2] / "samples"
    if not (samples / "articles").is_dir():
        pytest.skip("samples/articles not present")
    config = write_config(
        tmp_path, [{"id": "samples", "path": "articles"}], local_root=str(samples)
    )
    with Store.open(config.store_path) as store:
        later = dt.datetime(2026, 2, 10, tzinfo=dt.UTC)
        report = run_fetch(config, store=store, clock=lambda: later)
        assert report.result("samples").status == "ok"
        articles = store.articles()
    assert len(articles) >= 30
    assert {a.lang for a in articles} == {"zh-Hans", "zh-Hant", "en"}
    assert all(not a.date_inferred for a in articles)
