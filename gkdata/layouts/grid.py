"""The one shape every layout reader returns."""

from __future__ import annotations

from typing import NamedTuple


class Grid(NamedTuple):
    """Rows of cell strings from one table section.

    ``keeps_blanks`` is True when the layout keeps empty cells in place (so a
    row's cells are positional); False when empty cells were dropped and each
    row holds a single cell of a stream whose row breaks are unknown.
    """

    rows: list[list[str]]
    keeps_blanks: bool
