"""The gate on a briefing model: item faults dropped or repaired, issue faults block.

    review(briefing, day=…, min_items=…, languages=…) -> GateResult
        .briefing   a repaired copy, without the dropped items (what may be published)
        .problems   every finding, with its level, action and place
        .blocking   what stops publication

Issue-wide faults — too few items, an empty section, a day of nothing but stale news, an
edition whose main sections are not in its language, a placeholder title — are errors.
Everything about one item is that item's: it is dropped or repaired, and reported.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from zoneinfo import ZoneInfo

from briefing.model import Briefing, Text
from briefing.publish.gate import text as rules
from briefing.publish.gate.items import ItemContext, Locate, review_item
from briefing.publish.gate.problems import GateResult, Problem

Where = Callable[[str], str]  # a whole-issue place ("title", "section:markets") -> place


def review(
    briefing: Briefing,
    *,
    day: dt.date | None = None,
    min_items: int = 0,
    languages: Iterable[str] = ("zh", "en"),
    strict: bool = False,
    locate: Locate | None = None,
    where: Where | None = None,
    not_news: Callable[[str, str], str | None] | None = None,
    judge_items: bool = True,
) -> GateResult:
    """Judge one issue; never raises. `day` is the date it must carry, if known.

    `judge_items=False` checks only the issue as a whole: for a stored day, whose items
    passed the gate when it was built (re-dated copies must not turn stale on a rebuild).
    """
    # Items are repaired in place only when judged; an issue-wide review replaces whole
    # fields of its copy (summary, sections, review), so a shallow copy keeps `briefing` intact.
    result = GateResult(briefing.model_copy(deep=judge_items), strict=strict)
    copy = result.briefing
    locate = locate or _default_locate(copy)
    where = where or (lambda part: part)
    langs = list(dict.fromkeys("en" if lang == "en" else "zh" for lang in languages))
    problems = result.problems
    problems += _issue_fields(copy, day, where)
    start, end = _window(copy)
    context = ItemContext(start=start, end=end, locate=locate,
                          not_news=(not_news or default_not_news()) if judge_items else None)
    problems += _issue_text(copy, where)
    for section in copy.sections:
        if not section.items:
            title = section.title.zh or section.title.en or section.key
            problems.append(Problem(where(f"section:{section.key}"), "empty-section", f"section «{title}» has no items"))
            continue
        if not judge_items:
            continue
        kept = []
        for item in section.items:
            found = review_item(item, context, brief=section.brief)
            problems += found
            if not any(p.action == "dropped" for p in found):
                kept.append(item)
        section.items = kept
    copy.sections = [s for s in copy.sections if s.items or not _had_items(briefing, s.key)]
    if context.dated and context.stale == context.dated:
        problems.append(Problem(where("issue"), "stale", f"every dated item ({context.dated}) is older than the issue's window"))
    count = len(copy.items())
    if count < min_items:
        problems.append(Problem(where("issue"), "too-few-items",
                                f"has {count} items after the gate, fewer than the {min_items} configured (site.min_items)"))
    # Judged before repairs: an edition most of whose items came in the wrong language is
    # the issue's fault even when each item could be mended on its own.
    problems += _edition_languages(briefing, langs, where)
    # What was dropped or repaired stays on record with the day (the build report).
    copy.review = [*copy.review, *(f"gate: {p}" for p in problems if p.action is not None)]
    return result


def _had_items(original: Briefing, key: str) -> bool:
    return any(s.key == key and s.items for s in original.sections)


def default_not_news() -> Callable[[str, str], str | None]:
    """The admission stage's not-news rules (briefing/admit, admission.yaml)."""
    from briefing.admit import not_news

    def check(title: str, body: str) -> str | None:
        rejection = not_news(title, body)
        return f"not news: {rejection}" if rejection is not None else None

    return check


def _default_locate(briefing: Briefing) -> Locate:
    """Places by name when there is no file: ``markets › item 3``."""
    names: dict[str, str] = {}
    for section in briefing.sections:
        label = section.title.zh or section.title.en or section.key
        for n, item in enumerate(section.items, 1):
            names[item.id] = f"{label} › item {n}"

    def locate(item_id: str, role: str) -> str:
        base = names.get(item_id, item_id)
        return base if role == "title" else f"{base} ({role})"

    return locate


def _window(briefing: Briefing) -> tuple[dt.datetime, dt.datetime]:
    """From `stale_days` before the issue's day to the end of the day after it (its zone)."""
    k = rules.knowledge()
    zone = ZoneInfo(briefing.timezone)
    midnight = dt.datetime.combine(briefing.date, dt.time(0), tzinfo=zone)
    return midnight - dt.timedelta(days=k.stale_days), midnight + dt.timedelta(days=1 + k.future_days)


def _issue_fields(briefing: Briefing, day: dt.date | None, where: Where) -> list[Problem]:
    problems: list[Problem] = []
    if day is not None and briefing.date != day:
        problems.append(Problem(where("date"), "date", f"is dated {briefing.date}, expected {day}"))
    if not briefing.title:
        problems.append(Problem(where("title"), "empty", "the issue has no title"))
    for _lang, value in _sides(briefing.title):
        if what := rules.placeholder(value) or rules.mojibake(value):
            problems.append(Problem(where("title"), "placeholder", f"the issue's title: {what}"))
        elif why := rules.cut_off(value):
            problems.append(Problem(where("title"), "truncated", f"the issue's title is cut off: {why}"))
    kept = []
    for n, line in enumerate(briefing.summary, 1):
        bad = next((w for _l, v in _sides(line) if (w := rules.placeholder(v) or rules.mojibake(v))), None)
        if bad:
            problems.append(Problem(where(f"summary:{n}"), "placeholder", f"summary line {n}: {bad}: removed",
                                    "warning", "repaired"))
        else:
            kept.append(line)
    briefing.summary = kept
    return problems


def _issue_text(briefing: Briefing, where: Where) -> list[Problem]:
    """Section titles, and lines kept verbatim outside any item, are the issue's own text."""
    problems: list[Problem] = []
    for section in briefing.sections:
        for _lang, value in _sides(section.title):
            if what := rules.placeholder(value) or rules.mojibake(value):
                problems.append(Problem(where(f"section:{section.key}"), "placeholder", f"section title: {what}"))
    parts = [("issue", briefing.layout), *((f"section:{s.key}", s.layout) for s in briefing.sections)]
    for part, layout in parts:
        for blocks in (layout.get("unplaced") or {}).values():
            for line in (str(x) for block in blocks for x in block):
                if what := rules.placeholder(line) or rules.mojibake(line):
                    problems.append(Problem(where(part), "placeholder", f"a line kept verbatim holds {what}: {line[:40]!r}"))
                elif any(rules.is_placeholder_host(u) for u in rules.urls_in(line)):
                    problems.append(Problem(where(part), "placeholder-link",
                                            "a line kept verbatim links to a placeholder address", "warning"))
    return problems


def _sides(text: Text) -> list[tuple[str, str]]:
    return [(lang, getattr(text, lang)) for lang in ("zh", "en") if getattr(text, lang).strip()]


def _edition_languages(briefing: Briefing, langs: list[str], where: Where) -> list[Problem]:
    """An edition whose main sections are mostly not in its language.

    Judged on the edition as it renders (items told only in the other language may be
    moved out of the main sections into a compact list). Text that claims the edition's
    language and is not in it (Portuguese as English) is an error when it is most of the
    edition; honestly marked untranslated text is a warning (an error under strict).
    """
    from briefing.render.editions import for_edition

    problems: list[Problem] = []
    for lang in langs:
        view = for_edition(briefing, lang)
        main = [item for s in view.sections if not s.brief and not getattr(s, "compact", False) for item in s.items]
        listed = [item for s in view.sections if getattr(s, "compact", False) for item in s.items]
        name = "Chinese" if lang == "zh" else "English"
        if not main:
            if listed:
                problems.append(Problem(where(f"edition:{lang}"), "edition-language",
                                        f"the {lang} edition has no story told in {name}: all "
                                        f"{len(listed)} are listed as reported in the other language",
                                        "warning"))
            continue
        mislabelled = fallback = fine = 0
        for item in main:
            title, used = item.title.get(lang)
            points = " ".join(p.get(lang)[0] for p in item.key_points[:2])
            found = rules.language_of(title) or rules.language_of(f"{title} {points}")
            if found is None or found == lang:
                fine += 1
                if fine * 2 >= len(main):  # the rest cannot make a majority: spare the model
                    break
                continue
            if used == lang:
                mislabelled += 1
            else:
                fallback += 1
        if mislabelled * 2 > len(main):
            problems.append(Problem(where(f"edition:{lang}"), "edition-language",
                                    f"the {lang} edition's main sections are mostly not in {name} "
                                    f"({mislabelled} of {len(main)} items)"))
        elif (mislabelled + fallback) * 2 > len(main):
            problems.append(Problem(where(f"edition:{lang}"), "edition-language",
                                    f"the {lang} edition's main sections are mostly untranslated "
                                    f"({mislabelled + fallback} of {len(main)} items not in {name})", "warning"))
    return problems
