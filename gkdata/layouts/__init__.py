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

_PIPE_LINE = re.compile(r"\|[^\S\n]*$", re.MULTILINE)  # a line ending in a pipe (and white space)
MIN_CELL_LINES = 20  # a table 三 alone has over 160 cells


def detect(text: str) -> str:
    """Name of the layout the tables of a text were written in.

    >>> detect("\\t规章\\n\\t7\\n" * 20)
    'tabbed'
    """
    tabbed_n = text.startswith("\t") + text.count("\n\t")  # lines that begin with a TAB
    pipe_n = len(_PIPE_LINE.findall(text))
    if max(tabbed_n, pipe_n) < MIN_CELL_LINES:
        return "blank-line"
    return "tabbed" if tabbed_n >= pipe_n else "pipe"


__all__ = ["Grid", "READERS", "detect"]
