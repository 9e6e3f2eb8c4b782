"""Splitters: the lines of a report -> :class:`Row` s of cell strings, in reading order.

A rendering that prints one table row per line is recognised line by line
(:mod:`pipe_rows`, :mod:`tab_rows`, :mod:`aligned`), so one file may mix
them; the other lines are read as a stream of cells, by :mod:`tabbed` when
the text is a word processor's TAB-per-cell export, else by :mod:`stream`
(one cell per paragraph or per ``text |`` line). A splitter knows nothing
about labels or numbers beyond telling text from values; the aligner in
:mod:`gkdata.tables` works on its rows alone.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from functools import partial

from . import aligned, pipe_rows, stream, tab_rows, tabbed
from .rows import Row
from .stream import MAX_CELL_LINE

StreamReader = Callable[[list[str], int], list[Row]]
READERS: dict[str, StreamReader] = {"tabbed": tabbed.read, "stream": stream.read}
RENDERINGS = ("tabbed", "blank-line", "pipe", "pipe-rows", "tab-rows", "aligned", "spaced", "run-together")
MIN_CELL_LINES = 5  # TAB lines: fewer are indented paragraphs, not a table export
EDGE_SHARE = 0.9  # of the pipe rows starting with |, for a markdown table


def detect(text: str) -> str:
    """Which stream reader reads the lines that are not one-row-per-line: ``tabbed`` or ``stream``.

    ``tabbed`` when lines of cell length that begin with a TAB are at least
    :data:`MIN_CELL_LINES` and outnumber those that do not (a page may indent
    its paragraphs with a TAB; a cut-off export has few cells).

    >>> detect("\\t规章\\n\\t7\\n" * 20), detect("规章 |\\n7 |\\n" * 20)
    ('tabbed', 'stream')
    """
    return _reader(text.split("\n"))


def _reader(lines: list[str]) -> str:
    """:func:`detect` of the text's lines."""
    tabbed_n = other_n = 0
    for line in lines:
        if 0 < len(line) <= MAX_CELL_LINE:
            if line[0] == "\t":
                tabbed_n += 1
            elif line.strip():
                other_n += 1
    return "tabbed" if tabbed_n >= MIN_CELL_LINES and tabbed_n >= other_n else "stream"


def _row(line: str, i: int, reader: str, edges: bool, piped: set[int]) -> Row | None | bool:
    """The row a line holds by itself, None for a line that is no row (a rule line), False for a stream line.

    ``piped``: the lines that hold pipe rows (found once, to tell markdown edges)."""
    if "|" in line:
        return pipe_rows.split(line.strip(), i, edges) if i in piped else False
    if "\t" in line:
        return tab_rows.split(line, i) if tab_rows.is_row(line) else False
    # cells apart, or a fragment indented to its column
    if (line[:2] == "  " or " " in line.strip()) and (row := aligned.split(line, i, reader != "tabbed")) is not None:
        return row
    return False


def split(lines: list[str], skip: Collection[int] = (), reader: str | None = None) -> list[Row]:
    """Every row of the text in order; lines in ``skip`` (headings) are boundaries, not cells."""
    if reader is None:
        reader = _reader(lines)
    if reader not in READERS:
        raise ValueError(f"unknown stream reader {reader!r} (valid options are {', '.join(READERS)})")
    read = READERS[reader]
    piped = {i for i, line in enumerate(lines) if "|" in line and pipe_rows.is_row(line.strip())}
    # markdown: (nearly) every row starts with |; where some do not, a leading | follows an empty first cell
    edges = sum(lines[i].lstrip()[:1] == "|" for i in piped) >= EDGE_SHARE * len(piped)
    pieces: list[Row | tuple[int, list[str]]] = []  # rows a line holds, and runs of stream lines (start, lines)
    run: list[str] = []
    for i, line in enumerate(lines):
        row = False if i not in skip else None
        if row is False:
            row = _row(line, i, reader, edges, piped)
        if row is False:
            if not run:
                pieces.append((i, run))
            run.append(line)
            continue
        run = []  # the next stream line starts a new run
        if row is not None:
            pieces.append(row)
    runs = [piece[1] for piece in pieces if not isinstance(piece, Row)]
    if reader == "stream" and stream.paragraphs_end_by_one(runs):
        read = partial(stream.read, trailing=True)
    rows: list[Row] = []
    for piece in pieces:
        if isinstance(piece, Row):
            rows.append(piece)
        else:
            rows += read(piece[1], piece[0])
    return rows


__all__ = ["READERS", "RENDERINGS", "Row", "detect", "split"]
