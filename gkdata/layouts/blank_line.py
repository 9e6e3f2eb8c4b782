"""``blank-line``: a scraped web page, one paragraph per cell, empty cells dropped.

Row breaks and empty cells are lost, so every cell is a row of its own and
the template logic places values only where their count proves the columns.
"""

from __future__ import annotations

from .grid import Grid


def read(lines: list[str]) -> Grid:
    return Grid([[cell] for line in lines if (cell := line.strip())], keeps_blanks=False)
