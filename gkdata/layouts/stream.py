"""One cell per line: a scraped page's paragraphs (``blank-line``) or cells ending ``|`` (``pipe``).

Empty cells are not printed (a lone ``|`` line stands for a merged grid
position as often as for an empty cell, so it proves nothing), so every cell
is a row of its own and the aligner places values only where their count
proves the columns. A cell whose ``|`` is on the next line reads the same.
"""

from __future__ import annotations

from .rows import Row


def read(lines: list[str], start: int) -> list[Row]:
    rows = []
    for i, line in enumerate(lines, start):
        text = line.strip()
        cell = text.rstrip("|").strip()
        if cell:
            rows.append(Row((cell,), "dropped", i, "pipe" if text.endswith("|") else "blank-line"))
    return rows
