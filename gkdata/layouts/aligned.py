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
from collections.abc import Callable, Sequence

from ..numbers import is_value
from .rows import Row

_WORD = re.compile(r"\S+")
MAX_FRAGMENT = 12  # characters: an indented word this short may be a piece of a header label
MAX_HEADER_GAP = 2  # lines: header rows this close form one header
_SENTENCE = re.compile(r"[。；;？！]")
# a piece that starts with a label's numbering ((三), 三、, 3.) begins a label: it continues one above only
# where the two make the start of a label (第二十条第 / (一)项)
_NUMBERED = re.compile(r"^(?:[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+、|\d+[.、．])")


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
    """Whether the words stand apart as header cells: two or more spaces between some of them (a label
    may hold one space: ``现行 有效``, ``采 购总金额``)."""
    return any(b[0] - a[1] >= 2 for a, b in zip(words, words[1:]))


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
    if len(words) == 1 and headers and words[0][0] >= 2 and len(words[0][2]) <= MAX_FRAGMENT:
        # an indented fragment of a header label, or a value set beside the middle of a wrapped label:
        # placed by its column
        cols = _columns(line)
        return Row((words[0][2],), "dropped", number, "aligned", ((cols[words[0][0]], cols[words[0][1]]),))
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


def respan(row: Row, words: Sequence[tuple[int, int]]) -> Row:
    """The row with each cell's span taken from its words' own extents, in the line's order (a PDF's words
    at their x, in display columns: the text's character columns only approximate where proportional
    type stands). A cell is one word or (a label with a space inside it) several; where the words do not
    make up the row's cells, the row is kept as it is.

    >>> respan(split("规章   3   12", 0), [(0, 5), (9, 11), (14, 17)]).spans
    ((0, 5), (9, 11), (14, 17))

    A line the splitters read as one cell of a stream (a label's line with a space in it, a long label's
    wrapped line) is placed by its words too: a row laid out in columns of one cell.
    """
    if row.spans is None and not (len(row.cells) == 1 and row.blanks == "dropped"):
        return row
    spans, i = [], 0
    for cell in row.cells:
        n = cell.count(" ") + 1
        if i + n > len(words):
            return row
        spans.append((words[i][0], words[i + n - 1][1]))
        i += n
    if i != len(words):
        return row
    return row._replace(spans=tuple(spans), rendering="aligned")


def _is_header(row: Row) -> bool:
    return row.rendering == "aligned" and row.spans is not None and not any(map(_is_value, row.cells))


def merge_headers(rows: list[Row], is_row_label: Callable[[str], bool], is_label: Callable[[str], bool],
                  starts_label: Callable[[str], bool]) -> list[Row]:
    """Join the lines of a header laid out in columns into one row, cell by overlapping column.

    A PDF text layer breaks header labels at their cell's width (``采购总金额（单位：`` /
    ``元）``) or writes them one character per line (``结`` / ``果`` / ``维`` / ``持``); the
    pieces of one label stand in the same columns, so they are joined top to bottom.
    A header row holds no row label (``is_row_label``): the wrapped lines of a
    row's label are the aligner's to join, not these. Where
    either piece is a label by itself (``is_label``), they join only into the
    start of a label (``starts_label``): ``社会公益组`` under ``法人或其他组织``
    is a column of its own.
    """
    out: list[Row] = []
    for row in rows:
        last = out[-1] if out else None
        if (last is None or not (_is_header(row) and _is_header(last)) or row.line - last.line > MAX_HEADER_GAP
                or any(map(is_row_label, last.cells + row.cells))):
            out.append(row)
            continue
        if any(_NUMBERED.match(cell) and not any(a < y and x < b and starts_label(c + cell)
                                                 for c, (x, y) in zip(last.cells, last.spans))
               for cell, (a, b) in zip(row.cells, row.spans)):
            out.append(row)  # a numbered label starts on this line: a row's labels, not a header's lines
            continue
        cells, spans = list(last.cells), list(last.spans)
        below = [[j for j, (a, b) in enumerate(row.spans) if a < y and x < b] for x, y in spans]
        for j, (cell, (a, b)) in enumerate(zip(row.cells, row.spans)):
            hits = [i for i, (x, y) in enumerate(spans) if a < y and x < b and below[i] == [j]
                    and (not (is_label(cell) or is_label(cells[i]) or _NUMBERED.match(cell))
                         or starts_label(cells[i] + cell))]
            if len(hits) == 1:  # one above one (a parent above several is not it): the same label, continued
                i = hits[0]
                cells[i] += cell
                spans[i] = (min(spans[i][0], a), max(spans[i][1], b))
            else:  # a new column, or a child under a parent that spans several; kept in column order
                at = next((i for i, (x, _) in enumerate(spans) if x > a), len(spans))
                cells.insert(at, cell)
                spans.insert(at, (a, b))
                below.insert(at, [])
        out[-1] = Row(tuple(cells), last.blanks, row.line, "aligned", tuple(spans))
    return out
