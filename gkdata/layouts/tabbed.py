"""``tabbed``: a word-processor export, one cell per TAB-prefixed line.

Rows are separated by an empty line and keep their empty cells. A line
without a TAB continues the last label cell (wrapped text, or vertical
labels written one character per line with empty lines between); lines of
only spaces/NBSP are noise.
"""

from __future__ import annotations

from ..numbers import is_value
from .rows import Row

# No label is longer: more text after one is prose, not its wrapped lines (and joining it is quadratic).
MAX_LABEL = 500


def read(lines: list[str], start: int) -> list[Row]:
    rows: list[Row] = []
    row: list[str] = []
    end = start
    label = False  # whether the last cell is a label, which lines without a TAB continue
    empties = 0  # consecutive empty lines since the last cell or fragment
    for i, line in enumerate(lines, start):
        if line.startswith("\t"):
            if empties and row:
                rows.append(Row(tuple(row), "kept", end, "tabbed"))
                row = []
            cell = line.strip()
            row.append(cell)
            label = bool(cell) and not is_value(cell)
            empties, end = 0, i
        elif line == "":
            empties += 1
        elif not line.strip():
            continue  # NBSP/space-only lines are noise, not row breaks
        elif label and empties <= 1 and len(row[-1]) < MAX_LABEL:
            row[-1] += line.strip()  # wrapped or vertical label
            empties, end = 0, i
        else:
            empties += 1  # prose inside the section: ends the current row
    if row:
        rows.append(Row(tuple(row), "kept", end, "tabbed"))
    return rows
