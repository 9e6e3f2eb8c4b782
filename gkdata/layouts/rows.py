"""The one shape every splitter returns: a :class:`Row` of cell strings, and what it knows.

A splitter knows how its rendering keeps empty cells, and says so in
``blanks`` so the aligner can tell a proven column from a guess:

- ``kept``: every empty cell is an empty string in its place (TAB fields,
  ``| |`` pipe fields, a word processor's TAB lines); a cell's index is its column.
- ``lost-tail``: as ``kept``, but a run of empty cells was cut from the row's
  end (``| 5 | 5 ||||||``): a row shorter than its table lost its positions.
- ``dropped``: empty cells are not printed at all (one cell per paragraph);
  only a count that fits one way places a value.
- ``counted``: one cell per paragraph, each empty cell an extra empty line;
  trusted only where every row of the table counts right.
- ``marked``: a line of pipes in a one-cell-per-line stream, one empty cell
  per pipe; they count only between a row's label and its last value.

``spans`` gives each cell's display columns (a CJK character is two wide)
where the text is laid out in columns with spaces, so character positions
can place a cell that lost its neighbours.
"""

from __future__ import annotations

from typing import Literal, NamedTuple

Blanks = Literal["kept", "lost-tail", "dropped", "counted", "marked"]


class Row(NamedTuple):
    """One printed row (or, in a stream rendering, one cell) of the text."""

    cells: tuple[str, ...]
    blanks: Blanks
    line: int  # index of the row's last line in the text, to order rows and find a cut
    rendering: str  # the splitter that read it (meta.layout names)
    spans: tuple[tuple[int, int], ...] | None = None  # (first, last + 1) display column of each cell
