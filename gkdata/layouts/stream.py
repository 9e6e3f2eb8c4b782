"""One cell per line: a scraped page's paragraphs (``blank-line``) or cells ending ``|`` (``pipe``).

Empty cells are not printed, so every cell is a row of its own and the
aligner places values only where their count proves the columns. A line of
pipes (``|``, ``|||``) is kept as that many ``marked`` empty cells: after a
row's last cell it stands for merged grid positions as often as for empty
cells and proves nothing, but between a row's label and its last value it
can only be empty cells. A cell whose ``|`` is on the next line reads the same
(that first ``|`` closes it).

Some pages separate paragraphs by one empty line and add one more for each
empty cell: where a run of lines has such wider gaps, each extra empty line
becomes an empty cell and the run's cells are ``counted``, which the aligner
trusts only when every row of the table then counts right. A table whose only
empty cells end it shows its wider gap just before the next heading, where a
page may leave one by habit: that gap counts only where the page's paragraphs
end their runs with one empty line (:func:`paragraphs_end_by_one`).
"""

from __future__ import annotations

from collections.abc import Sequence

from .rows import Row

MAX_CELL_LINE = 40  # characters: a longer line is a paragraph, not a cell


def paragraphs_end_by_one(runs: Sequence[list[str]]) -> bool:
    """Whether every run that ends with a paragraph (a line longer than a cell) is followed by exactly one
    empty line, and at least one does: then more empty lines at a run's end are empty cells.

    >>> paragraphs_end_by_one([["说明" * 30, ""], ["规章", "", "3", "", ""]])
    True
    >>> paragraphs_end_by_one([["说明" * 30, "", ""], ["规章", "", "3", "", ""]])
    False
    """
    gaps = {_trailing(run) for run in runs if len(run) > _trailing(run)
            and len(run[-1 - _trailing(run)].strip()) > MAX_CELL_LINE}
    return gaps == {1}


def _trailing(lines: list[str]) -> int:
    """How many empty lines end ``lines``."""
    n = 0
    while n < len(lines) and not lines[-1 - n].strip():
        n += 1
    return n


def read(lines: list[str], start: int, trailing: bool = False) -> list[Row]:
    """The run's cells, one :class:`Row` each; ``trailing``: its final empty lines count as its inner ones
    (the page's paragraphs end with one)."""
    counted = "\n\n\n" in "\n".join(lines) or (trailing and _trailing(lines) > 1)  # two empty lines in a row
    blanks = "counted" if counted else "dropped"
    rows = []
    gap = 0  # empty lines since the last cell
    open_cell = False  # the last line was a cell without its closing pipe
    for i, line in enumerate(lines, start):
        text = line.strip()
        closed = text[-1:] == "|"
        cell = text.rstrip("|").strip() if closed else text
        if not cell and text and not counted:  # a line of pipes: empty cells, or merged positions
            pipes = text.count("|") - open_cell  # the first may close the cell on the line before
            if open_cell and rows:
                rows[-1] = rows[-1]._replace(rendering="pipe")
            if pipes:
                rows.append(Row(("",) * pipes, "marked", i, "pipe"))
        elif cell:
            if counted and rows:
                rows += [Row(("",), blanks, i - 1, "blank-line")] * (gap - 1)
            rows.append(Row((cell,), blanks, i, "pipe" if closed else "blank-line"))
            gap = 0
        elif not text:
            gap += 1
        open_cell = bool(cell) and not closed
    if counted and rows and gap > 1:
        rows += [Row(("",), blanks, start + len(lines) - 1, "blank-line")] * (gap - 1)
    return rows
