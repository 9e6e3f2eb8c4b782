"""``tab-rows``: one table row per line, a TAB between cells (text copied from a browser or Word).

An empty cell is an empty field between two TABs, so every cell keeps its place.
"""

from __future__ import annotations

import re

from .rows import Row

_INNER_TAB = re.compile(r"\S\t")  # a TAB after text: not the leading TAB of a tabbed cell line


def is_row(line: str) -> bool:
    return _INNER_TAB.search(line) is not None


def split(line: str, number: int) -> Row:
    return Row(tuple(f.strip() for f in line.split("\t")), "kept", number, "tab-rows")
