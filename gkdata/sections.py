"""Text -> the headings of the six sections of a report (一 … 六).

A heading is found by its title, in any numbering a report uses — the
template's ``三、``, ``(三)``, ``3.``, ``第三部分`` or none — with markdown
marks (``## ``, ``**…**``) stripped. With the template's numeral a keyword
of the title is enough, so typos such as ``三、收到的处理…`` still match;
without it the whole title must read as one (``主动公开政府信息情况``).
Table 三's row labels that look like headings (``四、结转下年度继续办理``)
never match. Sections may be missing or repeat (a report with its template
attached): every heading is kept, and the tables are found by their own
labels wherever they are, so a report with no headings at all still reads.
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

from .cache import text_cache

NUMERALS = "一二三四五六"
KEYWORDS = {
    "一": ("总体情况", "概述"),
    "二": ("主动公开",),
    "三": ("申请",),
    "四": ("复议", "诉讼"),
    "五": ("问题", "改进"),
    "六": ("其他",),
}
# A title that reads as a heading by itself, whatever its numbering.
TITLES = {
    "一": re.compile(r"^(?:总体情况|概述|基本情况)$|^(?:政府信息公开|政务公开)?工作总体情况$"),
    "二": re.compile(r"^(?:行政机关)?主动公开(?:政府)?信息(?:的)?情况$"),
    "三": re.compile(r"^(?:行政机关)?收到[和的及与]?处理(?:政府)?信息公开申请(?:的)?情况$|^依申请公开(?:政府)?信息(?:的)?情况$"),
    "四": re.compile(r"^(?:因)?(?:政府信息公开)?(?:工作)?(?:被申请)?行政复议[、和及与]?(?:提起)?行政诉讼(?:的)?情况$"),
    "五": re.compile(r"^(?:政府信息公开工作)?存在的?(?:主要)?问题[和及与、]?(?:改进|整改)(?:情况|措施)$"),
    "六": re.compile(r"^其他需要报告的事项$|^其他事项$"),
}
TABLE_SECTIONS = {"二": "disclosure", "三": "applications", "四": "appeals"}
_ROW_LABEL_WORDS = ("本年新收", "上年结转", "本年度办理结果", "结转下年度")
_MARKS = re.compile(r"^[#>*\s]+|[*\s]+$")
_SECTION_NUMBER = re.compile(r"^(?:第([一二三四五六])部分|([一二三四五六])\s*[、.,，．])\s*")
_OTHER_NUMBER = re.compile(r"^(?:[（(]\s*([一二三四五六1-6])\s*[）)]|([1-6])\s*[、.．])\s*")
MAX_HEADING = 40  # characters; a longer line is prose
# after a gap of two or more spaces, a numbered label or a value: the next cell of a table row, not a title's
_NEXT_CELL = re.compile(r"\S\s{2,}(?:\d+[.、]|\([一二三四五六七八九十\d]+\)|[\d/—-])")


class Heading(NamedTuple):
    numeral: str  # which of the six sections (一 … 六)
    title: str  # as printed, without numbering and marks
    line: int  # index of the heading line in ``text.split("\\n")``


@text_cache()  # the same lines recur: table rows, a running header, a pasted template, other reports' headings
def heading(line: str, fold=None) -> tuple[str, str] | None:
    """``(numeral, title)`` if a line is a section heading; ``fold`` maps traditional text to simplified.

    >>> heading("三、收到的处理政府信息公开申请情况")
    ('三', '收到的处理政府信息公开申请情况')
    >>> heading("## 二、主动公开政府信息情况"), heading("**(四)政府信息公开行政复议、行政诉讼情况**")
    (('二', '主动公开政府信息情况'), ('四', '政府信息公开行政复议、行政诉讼情况'))
    >>> heading("主动公开政府信息情况"), heading("第五部分 存在的主要问题及改进情况")
    (('二', '主动公开政府信息情况'), ('五', '存在的主要问题及改进情况'))
    >>> heading("四、结转下年度继续办理") is None, heading("申请人情况") is None, heading("三、本年    3.补正后申请内") is None
    (True, True, True)
    """
    if line[:1] == "\t" or "|" in line or len(line) > 3 * MAX_HEADING:
        return None
    text = _MARKS.sub("", unicodedata.normalize("NFKC", line).replace("\u3000", " "))
    if not text or len(text) > MAX_HEADING or "。" in text:
        return None
    if fold is not None:
        text = fold(text)
    numeral = None  # the template's own numbering, which lets a keyword of the title suffice
    if m := _SECTION_NUMBER.match(text):
        numeral = m.group(1) or m.group(2)
    else:
        m = _OTHER_NUMBER.match(text)
    title = text[m.end():].strip() if m else text
    if _NEXT_CELL.search(title):
        return None  # a row of a table laid out in columns: 三、本年 (a group label's line)   3.补正后申请内…
    bare = re.sub(r"\s+", "", title)
    if not bare or any(w in bare for w in _ROW_LABEL_WORDS):
        return None
    for n, pattern in TITLES.items():
        if pattern.match(bare):
            return n, title
    if numeral and any(k in bare for k in KEYWORDS[numeral]):
        return numeral, title
    return None


def find(lines: list[str], fold=None) -> list[Heading]:
    """Every section heading in reading order.

    >>> [(h.numeral, h.line) for h in find(["标题", "一、总体情况", "今年工作有序推进", "二、主动公开政府信息情况", "\\t规章"])]
    [('一', 1), ('二', 3)]
    """
    out = []
    for i, line in enumerate(lines):
        s = line.lstrip(" #*>\u3000\xa0")
        if s and (s[0] in NUMERALS or s[0] in "第(（123456" or s[0] in _FIRST_CHARS) and (
                fold is not None or _TITLE_WORD.search(line)) and (h := heading(line, fold)):
            out.append(Heading(h[0], h[1], i))
    return out


# Every heading holds one of these (a cheap pre-filter; traditional text is folded first, so it skips it).
_TITLE_WORD = re.compile("|".join(sorted({w for ws in KEYWORDS.values() for w in ws} | {"情况", "措施", "事项"})))


# First characters of titles that read as headings without numbering (a cheap pre-filter).
_FIRST_CHARS = frozenset("总概基政主行收依因存其工" + "總概基政主行收依因存其工")
