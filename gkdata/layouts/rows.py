"""The one shape every splitter returns: a :class:`Row` of cell strings, and what it knows.

A splitter knows how its rendering keeps empty cells, and says so in
``blanks`` so the aligner can tell a proven column from a guess:

- ``kept``: every empty cell is an empty string in its place (TAB fields,
  ``| |`` pipe fields, a word processor's TAB lines); a cell's index is its column.
- ``lost-tail``: as ``kept``, but a run of empty cells was cut from the row's
  end (``| 5 | 5 ||||||``): a row shorter than its table lost its positions.
- ``dropped``: empty cells are not printed at all (one cell per paragraph);
  only a count that fits one way places a value.

``spans`` gives each cell's display columns (a CJK character is two wide)
where the text is laid out in columns with spaces, so character positions
can place a cell that lost its neighbours.
"""

from __future__ import annotations

from typing import Literal, NamedTuple

Blanks = Literal["kept", "lost-tail", "dropped"]


class Row(NamedTuple):
    """One printed row (or, in a stream rendering, one cell) of the text."""

    cells: tuple[str, ...]
    blanks: Blanks
    line: int  # index of the row's last line in the text, to order rows and find a cut
    rendering: str  # the splitter that read it (meta.layout names)
    spans: tuple[tuple[int, int], ...] | None = None  # (first, last + 1) display column of each cell
