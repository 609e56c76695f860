"""A publisher's name from a feed's title: the brand, not the feed's section or tagline.

Feeds title themselves "World - CBSNews.com", "Japan Today - Category World", "NDTV News
Search Records Found 1000" or "TheWeek feed"; a reader of the briefing wants "CBSNews.com",
"Japan Today", "NDTV", "TheWeek". The brand is the part of the title that spells the site's
domain (cbsnews, japantoday, ndtv), without the words a feed adds. A title that spells
no part of it keeps its first part, unless that part only names a section ("Top Stories",
"World News"): then the site's host is the honest name. A title in another script than the
domain's keeps its words (which part of 经济 - 财新网 is the name, the domain cannot tell).

    feed_brand("World - CBSNews.com", "www.cbsnews.com")             -> "CBSNews.com"
    feed_brand("NPR Topics: World", "www.npr.org")                    -> "NPR"
    feed_brand("Top Stories", "www.abc.net.au")                       -> "abc.net.au"
"""

from __future__ import annotations

import re
import unicodedata

_ADDRESS = re.compile(r"^[\d.]+$|:")  # an IPv4 or IPv6 address
_PARTS = re.compile(r"\s+[-–—|:·]\s+|:\s+|\s+[|·]\s*")
# Labels of a host that are not the site's name: subdomains for feeds, languages, mobile.
_HOST_NOISE = frozenset({"www", "feeds", "feed", "rss", "en", "english", "m", "mobile", "news",
                         "world", "api"})
_TLD_LIKE = frozenset({"com", "org", "net", "co", "uk", "au", "in", "cn", "jp", "io", "gov",
                       "edu", "info", "news", "tv", "de", "fr", "es", "it", "ca", "nz", "za",
                       "hk", "tw", "sg"})
# A part that names a section of a site, not the site.
_SECTIONS = frozenset({"world", "news", "worldnews", "topstories", "latest", "latestnews",
                       "home", "homepage", "headlines", "breakingnews", "rss", "feed", "all",
                       "frontpage", "business", "markets", "politics", "tech",
                       "technology", "international"})


# The words feeds add after their name.
_FEED_WORDS = frozenset({"feed", "rss", "topics", "topic", "latest", "headlines", "updates",
                         "category", "section", "stories", "search", "found"})


def _fold(text: str) -> str:
    """Lowercase letters and digits only, accents dropped (EL PAÍS → elpais)."""
    plain = unicodedata.normalize("NFKD", text)
    return "".join(c for c in plain.casefold() if c.isalnum() and c.isascii())


def site_key(host: str) -> str:
    """The name a host spells (world.cbsnews.com → cbsnews, www.abc.net.au → abc)."""
    labels = [label for label in host.casefold().split(".") if label]
    while labels and (labels[-1] in _TLD_LIKE or (len(labels) > 1 and labels[-1] == "go")):
        labels.pop()  # abcnews.go.com is abcnews
    while len(labels) > 1 and labels[0] in _HOST_NOISE:
        labels.pop(0)
    return _fold(labels[-1]) if labels else ""


def _brand_in(part: str, key: str) -> str | None:
    """The brand in a part of the title that spells `key`: the fewest leading words that do
    when the rest is a feed's wording ("NPR Topics", "TheWeek feed", "NDTV News Search
    Records Found 1000"); a short name stays whole ("Example Wire"). None: no spelling."""
    words = part.split()
    for n in range(1, len(words) + 1):
        if key in _fold(" ".join(words[:n])):
            rest = words[n:]
            if rest and len(words) <= 3 and _fold(rest[-1]) not in _FEED_WORDS:
                return part
            return " ".join(words[:n])
    return None


def feed_brand(title: str, host: str | None) -> str:
    """The publisher a feed's `title` names, read against its site's `host` (see module
    docstring); the title unchanged when the host is unknown or spells nothing."""
    title = " ".join(title.split())
    if not host or _ADDRESS.match(host) or "." not in host:
        return title  # an address or a bare host name spells no brand
    key = site_key(host)
    parts = [p.strip() for p in _PARTS.split(title) if p.strip()]
    if len(key) >= 2:
        for part in parts:
            brand = _brand_in(part, key)
            if brand is not None:
                return brand
    first = parts[0] if parts else title
    if not _fold(first):
        return title  # 经济 - 财新网: which part is the name cannot be read from the domain
    if _fold(first) in _SECTIONS:
        bare = host.casefold()
        return bare[4:] if bare.startswith("www.") else bare
    return first if len(parts) > 1 else title
