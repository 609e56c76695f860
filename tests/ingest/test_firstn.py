"""Cutting a feed document after its N-th entry, closed so that it stays well-formed."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from briefing.ingest.firstn import first_entries


def rss(n: int, extra: str = "") -> bytes:
    items = "".join(f"<item><title>t{i}</title>{extra}</item>" for i in range(n))
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>c</title>{items}</channel></rss>'.encode()


def test_small_feeds_are_left_alone() -> None:
    body = rss(5)
    assert first_entries(body, 5) == (body, False)


def test_rss_is_cut_after_the_nth_item_and_closed() -> None:
    cut, done = first_entries(rss(50), 3)
    assert done
    root = ET.fromstring(cut)
    assert [t.text for t in root.iter("title")] == ["c", "t0", "t1", "t2"]


def test_nested_items_are_not_counted_as_entries() -> None:
    cut, done = first_entries(rss(10, extra="<x><item>inner</item></x>"), 4)
    assert done and len(ET.fromstring(cut).findall("channel/item")) == 4


def test_atom_and_rdf() -> None:
    entries = "".join(f"<entry><id>e{i}</id></entry>" for i in range(9))
    atom = f'<feed xmlns="http://www.w3.org/2005/Atom">{entries}</feed>'.encode()
    cut, done = first_entries(atom, 2)
    assert done and len(ET.fromstring(cut)) == 2
    items = "".join(f'<item rdf:about="u{i}"><title>t</title></item>' for i in range(9))
    rdf = (
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        f'xmlns="http://purl.org/rss/1.0/">{items}</rdf:RDF>'
    ).encode()
    cut, done = first_entries(rdf, 5)
    assert done and len(ET.fromstring(cut)) == 5


def test_a_malformed_document_is_returned_whole() -> None:
    body = rss(20).replace(b"<title>t3</title>", b"<title>t3</titel>")
    assert first_entries(body, 5) == (body, False)
