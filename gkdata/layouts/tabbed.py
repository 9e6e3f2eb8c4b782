"""``tabbed``: a word-processor export, one cell per TAB-prefixed line.

Rows are separated by an empty line. A line without a TAB continues the last
label cell (wrapped text, or vertical labels written one character per line
with empty lines between); lines of only spaces/NBSP are noise.
"""

from __future__ import annotations

from ..numbers import is_value
from .grid import Grid


def read(lines: list[str]) -> Grid:
    rows: list[list[str]] = []
    row: list[str] = []
    empties = 0  # consecutive empty lines since the last cell or fragment
    for line in lines:
        if line.startswith("\t"):
            if empties and row:
                rows.append(row)
                row = []
            row.append(line.strip())
            empties = 0
        elif line == "":
            empties += 1
        elif not line.strip():
            continue  # NBSP/space-only lines are noise, not row breaks
        elif row and empties <= 1 and row[-1] and not is_value(row[-1]):
            row[-1] += line.strip()  # wrapped or vertical label
            empties = 0
        else:
            empties += 1  # prose inside the section: ends the current row
    if row:
        rows.append(row)
    return Grid(rows, keeps_blanks=True)
