"""``tab-rows``: one table row per line, a TAB between cells (text copied from a browser or Word).

An empty cell is an empty field between two TABs, so every cell keeps its place.
"""

from __future__ import annotations

import re

from .rows import Row

_INNER_TAB = re.compile(r"\S\t")  # a TAB after text: not the leading TAB of a tabbed cell line


def is_row(line: str) -> bool:
    """A line of cells between TABs: a TAB after text, or two or more (a row whose first cells are empty).

    >>> is_row("规章\\t0\\t0"), is_row("\\t\\t\\t4"), is_row("\\t规章")
    (True, True, False)
    """
    if line.count("\t") >= 2:
        return bool(line.strip())
    return line[0] != "\t" and _INNER_TAB.search(line) is not None  # one TAB: not a tabbed cell line


def split(line: str, number: int) -> Row:
    return Row(tuple(f.strip() for f in line.split("\t")), "kept", number, "tab-rows")
