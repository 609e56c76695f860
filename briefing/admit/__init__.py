"""Admission: what may enter a briefing, decided between parsing and the day's window.

    not_news(title, text, categories)      the data-driven not-news rules (admission.yaml)
    admit(article, context, categories)    one verdict per entry: None (news) or a reason

Rejected articles are stored with their reason (`Article.rejected`) and shown by
`briefing articles`; the store's day window leaves them out. The publish gate calls
`not_news` on a briefing's items, so both stages share one set of rules.
"""

from briefing.admit.classify import (
    Rejection,
    is_boilerplate_line,
    not_a_point,
    not_news,
    strip_boilerplate,
    usable_publisher,
)
from briefing.admit.rules import Rules, default_rules, load_rules
from briefing.admit.stage import SourceContext, admit, admit_articles

__all__ = [
    "Rejection",
    "Rules",
    "SourceContext",
    "admit",
    "admit_articles",
    "default_rules",
    "is_boilerplate_line",
    "not_a_point",
    "load_rules",
    "not_news",
    "strip_boilerplate",
    "usable_publisher",
]
