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
_NUMERALS = frozenset("一二三四五六")  # a heading line begins with one, or with white space
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


def split(lines: list[str]) -> list[Section]:
    """All sections in reading order."""
    found = [(i, h) for i, line in enumerate(lines)
             if ((c := line[:1]) in _NUMERALS or c.isspace()) and (h := heading(line))]  # cheap pre-test
    return [
        Section(numeral, title, i + 1, found[n + 1][0] if n + 1 < len(found) else len(lines))
        for n, (i, (numeral, title)) in enumerate(found)
    ]
