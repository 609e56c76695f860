"""The publish gate: what must not reach readers, judged on the model.

    review(briefing, …)        a built issue: items dropped or repaired, issue faults block
    check_post(text, …)        a 经济日报 post (read by the importer), with file:line places
    check_markdown(text, …)    the same, as a list of problems
    enforce(problems, …)       GateError when something blocks

The workflow this product replaces published placeholder posts, posts cut off mid-item,
links to example.com, years-old news and notices. One bad item must never cost the day,
so each finding has a level: an item's fault (a template leftover, a foreign or placeholder
link, a cut-off title, a notice, a duplicate, a stale date) drops or repairs that item and
is reported; only issue-wide faults (too few items, an empty section, nothing but stale
news, an edition in the wrong language, a broken title or front matter) are errors that
block publication. ``strict`` makes every warning an error.

Modules: `text` (pure rules over one string, knowledge in data/gate.yaml), `items` (one
item), `review` (the issue), `posts` (a Markdown file), `places` (file:line), `problems`.
"""

from briefing.publish.gate.places import Places
from briefing.publish.gate.posts import check_markdown, check_post
from briefing.publish.gate.problems import GateResult, Problem, enforce
from briefing.publish.gate.review import review
from briefing.publish.gate.text import cut_off, placeholder, unbalanced_quote

__all__ = [
    "GateResult",
    "Places",
    "Problem",
    "check_markdown",
    "check_post",
    "cut_off",
    "enforce",
    "placeholder",
    "review",
    "unbalanced_quote",
]
