"""``aligned`` and ``spaced``: one table row per line, cells set apart by spaces (a PDF text layer).

``pdftotext -layout`` aligns the cells in columns with runs of spaces
(``aligned``); without it they are one space apart (``spaced``). Either way
an empty cell is not printed, so each cell carries its display columns
(a CJK character is two wide): where the table's full rows fix its columns,
the aligner places a cell by its position; otherwise only a count that
fits one way places it.

A line is a row when it reads as label text followed by values
(``四、结转下年度继续办理 0 0 0 0 0 0 0``), as two or more values, or (outside
a TAB export, whose continuation lines are its own) as words each two or more
spaces apart (a header row); text words one space apart stay one cell
(``商业 企业``).
"""

from __future__ import annotations

import re
import unicodedata

from ..numbers import is_value
from .rows import Row

_WORD = re.compile(r"\S+")
_SENTENCE = re.compile(r"[。；;？！]")


def _width(ch: str) -> int:
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 1


def _columns(line: str) -> list[int]:
    """The display column at which each character of ``line`` starts (and one past the end)."""
    cols, x = [], 0
    for ch in line:
        cols.append(x)
        x += 2 if ch > "\u10ff" and _width(ch) == 2 else 1
    cols.append(x)
    return cols


def _is_value(word: str) -> bool:
    return is_value(word) and any(c.isdigit() for c in word) or word in ("-", "—", "/", "无")


def _gapped(words: list[tuple[int, int, str]]) -> bool:
    """Whether every word stands two or more spaces from the next (a row of header cells)."""
    return all(b[0] - a[1] >= 2 for a, b in zip(words, words[1:]))


def split(line: str, number: int, headers: bool = True) -> Row | None:
    """The row a line holds, or None when it is not one (prose, a lone label or value).

    >>> split("四、结转下年度继续办理   0  12", 7)
    Row(cells=('四、结转下年度继续办理', '0', '12'), blanks='dropped', line=7, rendering='aligned', spans=((0, 22), (25, 26), (28, 30)))
    >>> split("商业 企业", 0) is None, split("全年共受理 5 件", 0) is None
    (True, True)
    """
    if "\t" in line or "|" in line or _SENTENCE.search(line):
        return None
    words = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(line)]
    if len(words) < 2:
        return None
    kinds = [_is_value(w) for _, _, w in words]
    first_value = kinds.index(True) if True in kinds else len(kinds)
    if not all(kinds[first_value:]):
        return None  # text after values: prose
    if first_value == len(kinds) and not (headers and _gapped(words)):
        return None  # text only: a row of header cells where they stand apart, else one cell
    cols = _columns(line)
    cells: list[str] = []
    spans: list[tuple[int, int]] = []
    gaps = 0
    for i, (start, end, word) in enumerate(words):
        if i and start - words[i - 1][1] > 1:
            gaps += 1
        joins = i and not kinds[i] and not kinds[i - 1] and start - words[i - 1][1] == 1
        if joins:  # a label with a space inside it
            cells[-1] += " " + word
            spans[-1] = (spans[-1][0], cols[end])
        else:
            cells.append(word)
            spans.append((cols[start], cols[end]))
    return Row(tuple(cells), "dropped", number, "aligned" if gaps else "spaced", tuple(spans))
