"""Layout readers: the lines of one table section -> rows of cell strings.

Each layout is one module with a ``read(lines) -> Grid`` function, registered
in :data:`READERS`. A reader knows nothing about labels or numbers; the
template logic in :mod:`gkdata.tables` works on its :class:`Grid` alone.
"""

from __future__ import annotations

import re

from . import blank_line, pipe, tabbed
from .grid import Grid

READERS = {
    "tabbed": tabbed.read,
    "pipe": pipe.read,
    "blank-line": blank_line.read,
}

_PIPE_LINE = re.compile(r"\|\s*$")
MIN_CELL_LINES = 20  # a table 三 alone has over 160 cells


def detect(lines: list[str]) -> str:
    """Name of the layout the tables of a text were written in.

    >>> detect(["\\t规章", "\\t7"] * 20)
    'tabbed'
    """
    tabbed_n = sum(1 for line in lines if line.startswith("\t"))
    pipe_n = sum(1 for line in lines if _PIPE_LINE.search(line))
    if max(tabbed_n, pipe_n) < MIN_CELL_LINES:
        return "blank-line"
    return "tabbed" if tabbed_n >= pipe_n else "pipe"


__all__ = ["Grid", "READERS", "detect"]
