"""Text -> the six numbered sections of a report (一 … 六).

Headings are matched by numeral *and* a keyword of the title, so typos such
as ``三、收到的处理…`` still match while table 三's row labels that look like
headings (``四、结转下年度继续办理``) do not. Sections may be missing or repeat
(a report with its template attached): every occurrence is kept.
"""

from __future__ import annotations

import re
from typing import NamedTuple

_HEADING = re.compile(r"^\s*([一二三四五六])\s*[、.,，．]\s*(\S.{0,40})$")
KEYWORDS = {
    "一": ("总体情况",),
    "二": ("主动公开",),
    "三": ("申请",),
    "四": ("复议", "诉讼"),
    "五": ("问题", "改进"),
    "六": ("其他",),
}
TABLE_SECTIONS = {"二": "disclosure", "三": "applications", "四": "appeals"}
# A line that may be a heading: a numeral after white space other than a TAB (TAB lines are table cells).
_CANDIDATE = re.compile(r"\n[^\S\t\n]*[一二三四五六]")
_ROW_LABEL_WORDS = ("本年新收", "上年结转", "本年度办理结果", "结转下年度")


class Section(NamedTuple):
    numeral: str
    title: str
    start: int  # index of the first line after the heading
    end: int  # index one past the last line


def heading(line: str) -> tuple[str, str] | None:
    """``(numeral, title)`` if a line is a section heading.

    >>> heading("三、收到的处理政府信息公开申请情况")
    ('三', '收到的处理政府信息公开申请情况')
    >>> heading("四、结转下年度继续办理") is None
    True
    """
    if line.startswith("\t") or line.rstrip().endswith("|"):
        return None
    m = _HEADING.match(line)
    if m is None:
        return None
    numeral, title = m.group(1), m.group(2).strip()
    if any(w in title for w in _ROW_LABEL_WORDS):
        return None
    if not any(k in title for k in KEYWORDS[numeral]):
        return None
    return numeral, title


def split(text: str) -> list[Section]:
    """All sections in reading order; ``start`` and ``end`` index the lines of ``text.split("\\n")``.

    >>> [(s.numeral, s.start, s.end) for s in split("标题\\n一、总体情况\\n概述\\n二、主动公开政府信息情况\\n\\t规章")]
    [('一', 2, 3), ('二', 4, 5)]
    """
    found: list[tuple[int, tuple[str, str]]] = []
    line, pos = 0, 0
    for m in _CANDIDATE.finditer("\n" + text):  # the leading newline lets the first line match too
        start = m.start()  # where the line begins in ``text``
        line += text.count("\n", pos, start)
        pos = start
        end = text.find("\n", start)
        if h := heading(text[start:end] if end >= 0 else text[start:]):
            found.append((line, h))
    n_lines = line + text.count("\n", pos) + 1
    return [
        Section(numeral, title, i + 1, found[n + 1][0] if n + 1 < len(found) else n_lines)
        for n, (i, (numeral, title)) in enumerate(found)
    ]
