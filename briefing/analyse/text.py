"""Text helpers of the analysis: body clean-up, sentence splitting, titles, numbers.

Ingest already cleans articles, but key points must never carry boilerplate, so the
analysis guards again: it cuts a body at trailing link lists (相关内容, 热门资讯, Related
…), drops chart captions, source lines and subscription pleas, and joins hard line
breaks left by PDF extraction. Everything here is a pure function of its input.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Set as AbstractSet
from decimal import Decimal

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_RE = re.compile(f"[{CJK}]")

# A line that starts one of these ends the article: what follows is a list of links to
# other stories (content farms, portals) or a site footer.
_TAIL_MARKERS = re.compile(
    r"^\s*(?:#+\s*)?(?:相关内容|相关阅读|相关新闻|相关文章|热门资讯|热门推荐|热门文章|推荐阅读|延伸阅读|"
    r"猜你喜欢|更多精彩|往期回顾|今日热点|Related(?: articles| stories| coverage| news)?|Read more|"
    r"More from|Recommended|Most (?:read|popular)|Trending)\s*[:：]?\s*$",
    re.IGNORECASE,
)

# Lines that are never content: captions, sources, editors, credits, calls to action.
_BOILERPLATE = re.compile(
    r"^\s*(?:[-*]\s*)?(?:"
    r"(?:图表|图|表|Figure|Chart|Table|Exhibit)\s*\d+\s*[:：.、]"
    r"|资料来源|数据来源|来源[:：]|Source[s]?\s*:|校对|责任编辑|编辑[:：]|审核|作者[:：]|记者[:：]"
    r"|风险提示|免责声明|声明[:：]|原标题|本文来自|转载|版权|Copyright|©|All rights reserved"
    r"|Reporting by|Editing by|Writing by|Additional reporting"
    r"|注[:：]|注释|扫码|关注(?:我们|公众号)|点击|订阅|月费订户|请加入|长按|下载.*App"
    r"|Sign up|Subscribe|Newsletter|Follow us|Click here|Advertisement"
    r")",
    re.IGNORECASE,
)
# Phrases that mark a whole line as a caption or plea wherever they stand.
_BOILERPLATE_ANYWHERE = re.compile(
    r"（资料图）|\(资料图\)|资料图片|网上截图|图片来源|视觉中国|新华社发|摄）|订户|subscription|"
    r"subscribe|cookie|javascript",
    re.IGNORECASE,
)
_HTML_BLOCK = re.compile(r"<(figure|figcaption|script|style|table)\b.*?</\1>", re.S | re.I)
_HTML_TAG = re.compile(r"<[^>]+>")
_MD_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_URL_LINE = re.compile(r"^\W*(?:https?://|www\.)\S+\W*$")
_FRONT_MATTER = re.compile(r"\A---\s*\n.*?\n---\s*\n", re.S)
_ENDS_SENTENCE = re.compile(r"(?:[。！？!?；;.…][”」』’\"）)]?|[：:])\s*$")
_ROW_NUMBER = re.compile(r"^\d{1,3}\s+(?![月日年号%])")
_NO_WORDS = re.compile(r"^[\W_]*$")
_LIST_START = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+[、.]|[-*•])")
_SPACE_IN_CJK = re.compile(f"(?<=[{CJK}0-9%])[ \t\u3000]+(?=[{CJK}])|(?<=[{CJK}])[ \t\u3000]+(?=[0-9])")


def is_chinese(lang: str) -> bool:
    return lang.startswith("zh")


def has_cjk(text: str) -> bool:
    return bool(_CJK_RE.search(text))


_META_LINE = re.compile(r"^(?:[A-Za-z_][A-Za-z0-9_]*:(?:\s|$)|\s*-\s|---\s*$|\s*$)")


def _strip_metadata(text: str) -> str:
    """A leading `key: value` block (front matter whose fences were lost) is not content."""
    lines = text.split("\n")
    if not lines or not re.match(r"^[A-Za-z_][A-Za-z0-9_]*:\s", lines[0]):
        return text
    n = 0
    rest: list[str] = []
    while n < len(lines) and _META_LINE.match(lines[n]):
        fence = lines[n].find("---", 1)
        n += 1
        if fence > 0 and lines[n - 1][fence + 3 :].strip():
            rest = [lines[n - 1][fence + 3 :].strip()]  # the body was glued to the fence
            break
    return "\n".join(rest + lines[n:])


def clean_body(text: str) -> str:
    """The article body without markup, trailing link lists and boilerplate lines."""
    text = _strip_metadata(_FRONT_MATTER.sub("", text.replace("\r\n", "\n")))
    text = _HTML_BLOCK.sub("\n", text)
    text = _MD_IMAGE.sub("", text)
    text = _MD_LINK.sub(r"\1", text)
    text = _HTML_TAG.sub("", text)
    kept: list[str] = []
    for raw in text.split("\n"):
        line = raw.strip()
        if _TAIL_MARKERS.match(line):
            break
        if not line or _NO_WORDS.match(line):
            kept.append("")
            continue
        if has_cjk(line) and "\u3000" not in line.strip("\u3000"):
            line = normalise_spacing(line)
        if line.startswith("#") or _is_emphasis_line(line) or _URL_LINE.match(line):
            kept.append("")  # headings and bold metadata lines are not sentences
            continue
        if _BOILERPLATE.match(line) or _BOILERPLATE_ANYWHERE.search(line) or _is_table_row(line):
            kept.append("")
            continue
        kept.append(line)
    return _join_hard_breaks(kept)


def _is_emphasis_line(line: str) -> bool:
    return line.startswith("**") and line.endswith("**") and line.count("**") == 2


def _is_table_row(line: str) -> bool:
    """A flattened table row: many short space-separated cells of CJK text or numbers."""
    if not has_cjk(line):
        return False
    if _ROW_NUMBER.match(line):
        return True
    if "，" in line or "," in line:
        return False  # prose, even with spaces in it
    cells = line.split()
    return len(cells) >= 4 and sum(len(c) <= 4 for c in cells) >= len(cells) // 2 + 1


def _join_hard_breaks(lines: list[str]) -> str:
    """Join lines cut mid-sentence (PDF text), even across blank lines, in Chinese text.

    A line of some length that does not end a sentence, followed by one that does not
    start a list item, is the same sentence. Short unterminated lines are headings.
    """
    out: list[str] = []
    pending = ""
    for line in lines:
        if not line:
            continue
        if pending:
            if _LIST_START.match(line) or not has_cjk(line[:1] + pending[-1:]):
                out.append(pending)
                pending = line
            else:
                pending += line
        else:
            pending = line
        # Headings: short, or in the title style with ideographic spaces (长谈贸易　道指急升).
        heading = "\u3000" in pending or "  " in pending
        if _ENDS_SENTENCE.search(pending) or len(pending) < 20 or heading or not has_cjk(pending):
            out.append(pending)
            pending = ""
    if pending:
        out.append(pending)
    return "\n".join(out)


def normalise_spacing(text: str) -> str:
    """Remove spaces PDF extraction puts between Chinese characters and digits."""
    return _SPACE_IN_CJK.sub("", text).strip()


_ZH_SPLIT = re.compile(r"(?<=[。！？!?；])(?![”」』’\"）)])|(?<=[。！？!?；][”」』’\"）)])")
_EN_SPLIT = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[\"“‘(]?[A-Z0-9])")
_EN_ABBREV = re.compile(r"(?:\b[A-Z]|\bMrs?|\bMs|\bDr|\bSt|\bvs|\bNo|\bInc|\bCorp|\bCo|\bJan|\bFeb|\bAug|\bSept?|\bOct|\bNov|\bDec)\.$")


def _split_english(para: str) -> list[str]:
    out: list[str] = []
    for piece in _EN_SPLIT.split(para):
        if out and _EN_ABBREV.search(out[-1]):
            out[-1] += " " + piece
        else:
            out.append(piece)
    return out


def split_sentences(text: str, lang: str) -> list[str]:
    """The sentences of a cleaned body, paragraph by paragraph."""
    out: list[str] = []
    zh = is_chinese(lang)
    for para in text.split("\n"):
        para = para.strip()
        if not para:
            continue
        for sentence in _ZH_SPLIT.split(para) if zh else _split_english(para):
            sentence = sentence.strip()
            if sentence:
                out.append(normalise_spacing(sentence) if zh else sentence)
    return out


def split_clauses(sentence: str) -> list[tuple[int, str]]:
    """Clauses of a sentence (at commas and semicolons) with their offsets."""
    out: list[tuple[int, str]] = []
    start = 0
    for m in re.finditer(r"[，,；;：:]\s*|(?<=\w)\s+(?:but|while|whereas|although)\s+", sentence):
        out.append((start, sentence[start : m.start()]))
        start = m.end()
    out.append((start, sentence[start:]))
    return [(i, c) for i, c in out if c.strip()]


_TITLE_SEP = re.compile(r"\s*(?:｜|\||_|——|—|–|\s-\s|：：)\s*")
_TITLE_PREFIX = re.compile(r"^(?:原创|独家|快讯|重磅|突发|【[^】]{1,8}】|\[[^\]]{1,12}\])\s*")


def cut_title_stem(title: str) -> str:
    """The words of a title cut from the body's first sentence ("Why AI Writing Is So
    Generic:…", what blogs and flash-news feeds give an untitled post), casefolded; "" for
    a real title."""
    stripped = title.rstrip()
    for mark in ("…", "..."):
        if stripped.endswith(mark):
            stem = stripped[: -len(mark)].rstrip(" :,;-–—，：").casefold()
            return stem if len(stem) >= (8 if has_cjk(stem) else 12) else ""
    return ""


def clean_title(title: str) -> str:
    """A title without site suffixes (｜证券时报, - Reuters) and tag prefixes (原创, 【快讯】)."""
    title = re.sub(r"\s+", " ", title).strip()
    title = _TITLE_PREFIX.sub("", title).strip()
    parts = _TITLE_SEP.split(title)
    while len(parts) > 1:
        tail = parts[-1]
        limit = 12 if has_cjk(tail) else 30
        if len(tail) <= limit and len(" ".join(parts[:-1])) >= max(6, len(tail)):
            parts = parts[:-1]
        else:
            break
    cleaned = parts[0] if len(parts) == 1 else title[: title.rfind(parts[-1])].rstrip(" ｜|_—–-")
    return cleaned.strip() or title


_NUMBER = re.compile(
    r"(?<![0-9A-Za-z.])(\d+(?:,\d{3})*(?:\.\d+)?)\s*"
    r"(%|％|个百分点|个基点|基点|bps?\b|万亿|亿|万|million\b|billion\b|trillion\b|bn\b|"
    r"美元|港元|元|点|桶|吨|percent\b|points?\b)?",
    re.I,
)
_YEAR = re.compile(r"^(?:19|20)\d\d$")
_SCALE = {"万": 10**4, "亿": 10**8, "万亿": 10**12, "million": 10**6, "billion": 10**9,
          "bn": 10**9, "trillion": 10**12}


def numbers(text: str) -> set[str]:
    """The figures of a text that identify facts, as plain values (2.2万 and 22,000 → 22000).

    Years, days and other small bare integers are left out: they identify nothing.
    """
    found: set[str] = set()
    for m in _NUMBER.finditer(text):
        value, unit = m.group(1).replace(",", ""), (m.group(2) or "").casefold()
        if _YEAR.match(value) and not unit:
            continue
        if not unit and "." not in value and len(value) <= 2:
            continue  # small integers: days, counts, list numbers
        amount = Decimal(value) * _SCALE.get(unit, 1)
        found.add(format(amount.normalize(), "f"))
    return found


def is_specific(figure: str) -> bool:
    """A figure precise enough to identify an event (17.3, 345.5, 22000 — not 1.5 or 200)."""
    digits = figure.replace(".", "").strip("0")
    return len(figure) >= 4 or len(digits) >= 3


def strip_accents(text: str) -> str:
    """Latin letters without their marks (Orbán → Orban): one name however it is spelt."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return unicodedata.normalize("NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch)))


_NOT_ALNUM = re.compile(r"[\W_]+")


def fold_for_compare(text: str) -> str:
    """Letters and digits only, lower case: the text used for similarity."""
    return _NOT_ALNUM.sub("", text.casefold())


def char_ngrams(text: str, n: int = 2) -> set[str]:
    folded = fold_for_compare(text)
    return {folded[i : i + n] for i in range(max(1, len(folded) - n + 1))}


def jaccard(a: AbstractSet[str], b: AbstractSet[str]) -> float:
    if not a or not b:
        return 0.0
    shared = len(a & b)  # |a ∪ b| = |a| + |b| - |a ∩ b|, without building the union
    return shared / (len(a) + len(b) - shared)


_CLOSERS = {"“": "”", "‘": "’", "（": "）", "(": ")", "【": "】", "《": "》", "「": "」", "『": "』",
            "[": "]"}


def open_pairs(text: str) -> list[str]:
    """The closers still owed at the end of `text` (brackets and quotes opened, not closed)."""
    owed: list[str] = []
    for ch in text:
        if owed and ch == owed[-1]:
            owed.pop()
        elif ch in _CLOSERS:
            owed.append(_CLOSERS[ch])
    return owed


def balanced_end(text: str, start: int, end: int) -> int:
    """The least end ≥ `end` at which text[start:end] closes every bracket and quote it opens.

    A fragment cut from a sentence (`金价走出“过山车`) must not leave a quote open; when the
    sentence never closes it, the whole rest of the sentence is the fragment.
    """
    owed = open_pairs(text[start:end])
    while owed and end < len(text):
        ch = text[end]
        if ch == owed[-1]:
            owed.pop()
        elif ch in _CLOSERS:
            owed.append(_CLOSERS[ch])
        end += 1
    return end


def trim(text: str, limit: int) -> str:
    """Shorten at a clause boundary (never mid-word, never inside a quote or bracket).

    The cut is the last clean boundary in the second half of `limit`; failing that, the
    first one up to twice `limit` (a quoted clause is finished rather than broken).
    """
    text = text.strip()
    if len(text) <= limit:
        return text
    marks = sorted({i for p in "，,；;：:" for i in _all_indexes(text, p, 2 * limit)})
    clean = [i for i in marks if not open_pairs(text[:i])]
    before = [i for i in clean if limit // 2 <= i <= limit]
    after = [i for i in clean if i > limit]
    if before or after:
        cut = before[-1] if before else after[0]
    else:
        cut = text.rfind(" ", 0, limit) if not has_cjk(text) else limit
        if cut <= 0 or open_pairs(text[:cut]):
            return text  # no cut keeps the pairs whole: better long than broken
        # A quotation closed before the cut ends there, not one word into who said it
        # ("…by means of their AI,” Spanish…").
        quoted = max(text.rfind(q, 0, cut) for q in "”」』")
        if quoted >= limit // 2 and not open_pairs(text[:quoted + 1]):
            cut = quoted + 1
    return text[:cut].rstrip(" ，,；;：:") + "…"


def _all_indexes(text: str, needle: str, limit: int) -> list[int]:
    found, at = [], text.find(needle)
    while 0 <= at < limit:
        found.append(at)
        at = text.find(needle, at + 1)
    return found
