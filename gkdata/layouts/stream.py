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
trusts only when every row of the table then counts right.
"""

from __future__ import annotations

from .rows import Row


def read(lines: list[str], start: int) -> list[Row]:
    counted = "\n\n\n" in "\n".join(lines)  # two empty lines in a row somewhere
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
