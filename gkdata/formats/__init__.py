"""Formats: input bytes -> report text.

Plain text is decoded as it is. Other formats (HTML, Word, PDF) register a
converter here that renders their tables in the ``tabbed`` text layout (one
TAB-prefixed line per cell, rows separated by an empty line, a vertically
merged cell repeated as an empty cell) and their prose as plain lines, so
that sections, labels, numbers and checks are written once.

A converter turns its document into :data:`Block` s — prose paragraphs and
tables as :class:`Cell` s with their spans — and :func:`render` writes them,
so the span rules live in one place:

>>> render(["二、主动公开政府信息情况",
...         [Cell(0, 0, "第二十条第（一）项", colspan=2), Cell(1, 0, "规章"), Cell(1, 1, "3")]]).split("\\n")
['二、主动公开政府信息情况', '\\t第二十条第（一）项', '', '\\t规章', '\\t3', '', '', '']
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from typing import NamedTuple, Union

from ..decode import decode


class Converter(NamedTuple):
    sniff: Callable[[bytes, str], bool]  # (data, source name) -> is this format?
    convert: Callable[[bytes, str], tuple[str, str]]  # (data, source name) -> (tabbed text, encoding)


class Cell(NamedTuple):
    """One printed cell of a table, at its top-left grid position."""

    row: int
    col: int
    text: str
    rowspan: int = 1
    colspan: int = 1


Block = Union[str, Sequence[Cell]]  # a prose paragraph (may hold line breaks), or one table

_ALNUM_END = re.compile(r"[0-9A-Za-z]$")
_ALNUM_START = re.compile(r"^[0-9A-Za-z]")


def join_lines(lines: Iterable[str]) -> str:
    """The lines of one cell as one line.

    A label wrapped inside a narrow cell (or written one character per line)
    joins without a space, as Chinese is written; only two Latin words or
    numbers keep a space between them.

    >>> join_lines(["本年新", "制作数量"]), join_lines(["三、", "本", "年"]), join_lines(["12", "34"])
    ('本年新制作数量', '三、本年', '12 34')
    """
    out = ""
    for part in (p.strip() for p in lines):
        if part:
            gap = " " if out and _ALNUM_END.search(out) and _ALNUM_START.match(part) else ""
            out += gap + part
    return out.replace("\t", " ")


def table_rows(cells: Sequence[Cell]) -> list[list[str]]:
    """The rows of a table as the tabbed layout writes them.

    A cell is written once, in its first row (a colspan adds no placeholder);
    each later row it covers gets one empty cell at its first column, as a
    word processor's text export does.

    >>> table_rows([Cell(0, 0, "三、本年度办理结果", rowspan=2), Cell(0, 1, "（一）予以公开"), Cell(1, 1, "（二）部分公开")])
    [['三、本年度办理结果', '（一）予以公开'], ['', '（二）部分公开']]
    """
    nrows = max((c.row + c.rowspan for c in cells), default=0)
    placed: list[list[tuple[int, str]]] = [[] for _ in range(nrows)]
    for c in cells:
        placed[c.row].append((c.col, c.text))
        for r in range(c.row + 1, c.row + c.rowspan):
            placed[r].append((c.col, ""))
    return [[text for _, text in sorted(row, key=lambda x: x[0])] for row in placed if row]


def is_data_table(cells: Sequence[Cell]) -> bool:
    """Whether a table holds data: it has a second column. A one-column table
    is page layout around prose, as old sites and some Word files use."""
    return any(c.col > 0 for c in cells)


def render(blocks: Iterable[Block]) -> str:
    """The report text, in the tabbed layout: prose at column 0, one ``\\t`` line per cell."""
    lines: list[str] = []
    for block in blocks:
        if isinstance(block, str):
            lines += [s for line in block.split("\n") if (s := line.replace("\t", " ").strip())]
        elif not is_data_table(block):
            lines += [c.text for c in sorted(block, key=lambda c: (c.row, c.col)) if c.text.strip()]
        else:
            for row in table_rows(block):
                lines += ["\t" + cell for cell in row] + [""]
            lines.append("")  # two empty lines end a table
    return "\n".join(lines) + "\n"


from . import docx, html, pdf  # noqa: E402  (they build on the helpers above)

# format name (becomes meta.layout) -> converter; tried in order, binary signatures first
CONVERTERS: dict[str, Converter] = {"pdf": pdf.CONVERTER, "docx": docx.CONVERTER, "html": html.CONVERTER}


def to_text(data: bytes, source: str) -> tuple[str, str, str | None]:
    """``(text, encoding, layout)``: layout is the format name, or None for plain text."""
    for name, conv in CONVERTERS.items():
        if conv.sniff(data, source):
            text, encoding = conv.convert(data, source)
            return text, encoding, name
    text, encoding = decode(data, source)
    return text, encoding, None
