"""``pipe-rows``: one table row per line, ``|`` between cells (markdown tables too).

An empty cell printed as ``| |`` (or ``||`` between two cells) keeps its
place. A leading pipe is a markdown edge where most rows have one, else the
end of an empty first cell. A run of bare pipes at the row's end (``| 5 | 5 ||||||``) is where a
converter collected the row's empty cells, so it proves nothing: it is cut,
and the row is marked ``lost-tail``. Markdown rule lines (``|---|:--:|``)
are not rows.
"""

from __future__ import annotations

import re

from .rows import Row

_RULE = re.compile(r"^\|?(?:\s*:?-{2,}:?\s*\|)+\s*:?-*:?\s*$")


def is_row(text: str) -> bool:
    """A stripped line that holds a row: cells on both sides of a pipe, or two or more pipes.

    >>> is_row("规章 | 0 | 0 | 0 |"), is_row("规章 |"), is_row("|||"), is_row("| 规章 | 0 |")
    (True, False, False, True)
    """
    n = text.count("|")
    if n == 1:
        return text[0] != "|" and text[-1] != "|"
    return n > 1 and bool(text.strip("| \t\u3000\xa0").replace("|", "").strip())


def split(text: str, line: int, edges: bool = True) -> Row | None:
    """The row a stripped pipe line holds; None for a rule line.

    ``edges``: the table's rows begin with a pipe (markdown), so a leading pipe
    is an edge; otherwise it follows an empty first cell.
    """
    if _RULE.match(text):
        return None
    fields = text.split("|")
    if text.startswith("|") and edges:
        fields = fields[1:]
    if text.endswith("|"):
        fields = fields[:-1]
    blanks = "kept"
    while fields and fields[-1] == "":  # a bare run at the end: collected empty cells
        fields.pop()
        blanks = "lost-tail"
    return Row(tuple(f.strip() for f in fields), blanks, line, "pipe-rows")
