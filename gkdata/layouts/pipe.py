"""``pipe``: each cell on its own line as ``text |``.

Lines of pipes only (``|``, ``|||``) stand for grid positions covered by a
merged cell or left empty; they cannot tell the two apart, so they are
dropped and the stream is read like the blank-line layout.
"""

from __future__ import annotations

from .grid import Grid


def read(lines: list[str]) -> Grid:
    cells = []
    for line in lines:
        text = line.strip().rstrip("|").strip()
        if text:
            cells.append([text])
    return Grid(cells, keeps_blanks=False)
