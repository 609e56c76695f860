"""Plain-text cleaning: what is left of an article once its page is stripped away.

`clean_text` runs, in order:

1. NFC, newlines unified, NUL and other control characters removed (tab and newline kept);
2. chart captions and source lines dropped (`图表3：…`, `资料来源：…`, `（资料图）`), and the
   boilerplate lines of admission.yaml's `strip_lines` (`编者按：本文来源于…`, reprint
   notices, "appeared first on" footers, embedded-tweet signatures);
3. the text cut at the first link-list or "more stories" heading (`相关内容`, `热门资讯`,
   `推荐阅读`, `Related`…) and at a subscription plea near the end (seed 003's footer);
4. trailing credit lines (`校对：…`, `责任编辑：…`) dropped;
5. hard line breaks repaired when the text was wrapped at a fixed width (PDF extracts,
   seed 001): a long line that does not end a sentence is joined with the next.

Each step is a pure function of the text, so each is tested on its own.
"""

from __future__ import annotations

import re
import statistics
import unicodedata

from briefing.admit import strip_boilerplate

# control characters except \t and \n; also the Unicode line/paragraph separators
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff]")

_CAPTION = re.compile(
    r"^\s*(?:[图圖]表?|[表])\s*[0-9０-９一二三四五六七八九十]+\s*[：:．.、]"
    r"|^\s*(?:资料|資料|数据|數據|图片|圖片)来?來?源\s*[：:]"
    r"|^\s*(?:Source|Sources|Chart|Figure)\s*\d*\s*:\s",
    re.I,
)
_IMAGE_NOTE = re.compile(
    r"^.{0,30}[（(](?:资料图|資料圖|图|圖|网上截图|網上截圖|图片来源.*)[)）]\s*$"
)

_CUT_MARKERS = {
    "相关内容",
    "相關內容",
    "相关阅读",
    "相關閱讀",
    "相关新闻",
    "相關新聞",
    "相关文章",
    "相關文章",
    "热门资讯",
    "熱門資訊",
    "热门文章",
    "熱門文章",
    "热门推荐",
    "熱門推薦",
    "推荐阅读",
    "推薦閱讀",
    "延伸阅读",
    "延伸閱讀",
    "猜你喜欢",
    "猜你喜歡",
    "更多阅读",
    "更多閱讀",
    "今日推荐",
    "精彩推荐",
    "related",
    "related articles",
    "related stories",
    "related news",
    "related content",
    "read more",
    "more stories",
    "recommended",
    "you may also like",
    "most popular",
    "trending",
}
_PLEA = re.compile(
    r"订阅|訂閱|订户|訂戶|扫码关注|掃碼關注|关注我们|關注我們|请加入|請加入|长按识别|長按識別|"
    r"\bsubscribe\b|\bnewsletter\b|\bsign up\b|support (?:us|our journalism)",
    re.I,
)
_CREDIT = re.compile(
    r"^\s*(?:校对|校對|责编|責編|编辑|編輯|责任编辑|責任編輯|审核|審核|监制|監製)\s*[：:]"
)
_RULE = re.compile(r"^\s*(?:-{3,}|\*{3,}|_{3,}|—{2,})\s*$")

_SENTENCE_END = "。！？!?；;…."
_CLOSERS = "”’」』）)》\"'"
_LIST_START = re.compile(
    r"^\s*(?:[-*•·]\s|\d+[、.．)）]|[一二三四五六七八九十]+[、．]|[（(][一二三四五六七八九十\d]+[)）]|第[一二三四五六七八九十\d]+)"
)
_CJK = r"\u3400-\u9fff\uf900-\ufaff"
_CJK_CHAR = re.compile(f"[{_CJK}]")


def normalise(text: str) -> str:
    """NFC, `\\n` line ends, no control characters, no trailing spaces on lines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    text = _CONTROL.sub("", unicodedata.normalize("NFC", text))
    return "\n".join(line.rstrip() for line in text.split("\n"))


def drop_captions(lines: list[str]) -> list[str]:
    return [ln for ln in lines if not (_CAPTION.match(ln) or _IMAGE_NOTE.match(ln.strip()))]


_MARKER_CHARS = 40  # a "more stories" heading is short; longer lines are not looked at


def _marker(line: str) -> str:
    return re.sub(r"[\s:：>»|#*\-]+$|^[\s#*>\-]+", "", line).strip().lower()


def cut_boilerplate(lines: list[str]) -> list[str]:
    """Cut at a more-stories heading, and at a subscription plea in the last third."""
    seen_text = 0
    for i, line in enumerate(lines):
        if len(line) <= _MARKER_CHARS and seen_text >= 1 and _marker(line) in _CUT_MARKERS:
            lines = lines[:i]
            break
        if len(line.strip()) >= 20:
            seen_text += 1
    total = sum(len(ln) for ln in lines) or 1
    running = 0
    for i, line in enumerate(lines):
        running += len(line)
        if running / total > 0.66 and len(line) < 300 and _PLEA.search(line) and i > 0:
            lines = lines[:i]
            break
    while lines and (not lines[-1].strip() or _RULE.match(lines[-1]) or _CREDIT.match(lines[-1])):
        lines.pop()
    return lines


def _joinable(prev: str, nxt: str, width: float) -> bool:
    if not prev or not nxt or len(prev) < 0.75 * width:
        return False
    if prev.rstrip(_CLOSERS)[-1:] in _SENTENCE_END or _LIST_START.match(nxt):
        return False
    return not _CAPTION.match(nxt)


def mend_lines(lines: list[str]) -> list[str]:
    """Rejoin lines broken at a fixed width (blank lines between them are PDF artefacts).

    Only acts when at least five lines share a width, i.e. the text really was wrapped.
    """
    content = [ln.strip() for ln in lines if ln.strip()]
    long_lines = [len(ln) for ln in content if len(ln) >= 20]
    if len(long_lines) < 5:
        return lines
    width = statistics.quantiles(long_lines, n=10)[7] if len(long_lines) >= 10 else max(long_lines)
    near = sum(1 for n in long_lines if n >= 0.75 * width)
    if near < 5 or near < 0.5 * len(long_lines):
        return lines
    out: list[str] = []
    for line in content:
        if out and _joinable(out[-1], line, width):
            prev = out[-1]
            if _CJK_CHAR.match(line[0]) or _CJK_CHAR.search(prev[-1]) or prev[-1] in "，、“（《":
                out[-1] = prev + line
            elif prev.endswith("-") and prev[-2:-1].isalpha():
                out[-1] = prev[:-1] + line
            else:
                out[-1] = prev + " " + line
        else:
            out.append(line)
    # PDF extracts put spaces between CJK and digits ("11 月 16 日")
    out = [re.sub(f"(?<=[{_CJK}]) +(?=[0-9%])|(?<=[0-9%]) +(?=[{_CJK}])", "", ln) for ln in out]
    return [p for line in out for p in (line, "")][:-1]


_BLANK_LINES = re.compile(r"\n{3,}")


def clean_text(text: str) -> str:
    """The cleaning pipeline above; paragraphs come back separated by one blank line."""
    lines = normalise(text).split("\n")
    lines = drop_captions(lines)
    lines = strip_boilerplate(lines)
    lines = cut_boilerplate(lines)
    lines = mend_lines(lines)
    out = "\n".join(ln.strip() for ln in lines)
    return _BLANK_LINES.sub("\n\n", out).strip()


_ORIGINAL = re.compile(r"^(?:原创|原創)\s+")


def clean_title(title: str, limit: int = 500) -> str:
    """One line: no markup remnants, no content-farm `原创` prefix, capped at `limit`."""
    title = " ".join(normalise(title).split())  # normalise left no control characters
    if title.startswith(("原创", "原創")):
        title = _ORIGINAL.sub("", title)
    if title.endswith("..."):
        title = title[:-3] + "…"
    return title if len(title) <= limit else title[: limit - 1].rstrip() + "…"
