"""Formats: input bytes -> report text, and the rows of the tables a document holds as grids.

Plain text is decoded as it is; :mod:`gkdata.layouts` splits its rows from its
lines. Other formats (HTML, Word, PDF) register a :class:`Converter` here,
whose ``read`` turns the document into :data:`Block` s — prose paragraphs
and tables as :class:`Cell` s with their spans. :func:`lay_out` makes them a
:class:`Converted`, the one algorithm every format shares:

- each grid row is a :class:`~gkdata.layouts.Row` for the aligner (its empty
  cells kept), with the span rules of :func:`table_rows`;
- the text holds the prose, one line per paragraph, and each grid row on a
  line of its own (a TAB before each cell), at the index its ``Row.line``
  gives, so rows and headings keep their order. Headings, the title and the
  prose figures are read from the text; a table cell is never a heading
  (a line that starts with a TAB is none) and never joins a prose figure;
- a prose line that holds a table row by itself (pipes, cells set apart by
  spaces) is a row too, as in plain text;
- :class:`Laid` lines (a PDF's lines outside its ruled tables, at their
  words' x) keep their columns and are split as text is, each row's spans
  taken from the page's positions (a table drawn without rules).

>>> c = lay_out(["二、主动公开政府信息情况",
...              [Cell(0, 0, "行政许可", rowspan=2), Cell(0, 1, "5"), Cell(1, 1, "6")], "三、收到…"], "utf-8", "html")
>>> c.text.split("\\n")
['二、主动公开政府信息情况', '\\t行政许可\\t5', '\\t\\t6', '三、收到…', '']
>>> [(r.cells, r.line) for r in c.rows]
[(('行政许可', '5'), 1), (('', '6'), 2)]

:func:`render` writes blocks in the ``tabbed`` text layout instead (one TAB
line per cell), as a word processor's text export does: synth writes its
``tabbed`` rendering with it.
"""

from __future__ import annotations

import re
from operator import itemgetter
from collections.abc import Callable, Iterable, Sequence
from typing import NamedTuple, Union

from .. import limits, sections
from ..decode import decode
from ..errors import ReportError
from ..layouts import split as split_rows
from ..layouts.aligned import respan
from ..layouts.rows import Row


class Cell(NamedTuple):
    """One printed cell of a table, at its top-left grid position."""

    row: int
    col: int
    text: str
    rowspan: int = 1
    colspan: int = 1


class Laid(str):
    """Lines laid out in columns by character positions (a PDF's words at their x): kept as they are,
    leading spaces included, and split as text is (:mod:`gkdata.layouts.aligned`), not as prose.

    ``words``, when given: per line, the extent of each of its words in display columns (from the
    page's x), which the rows split from the line take as their cells' spans (:func:`aligned.respan`).
    """

    words: tuple[tuple[tuple[int, int], ...], ...] | None = None


Block = Union[str, Sequence[Cell]]  # a prose paragraph (may hold line breaks), Laid lines, or one table


class Converter(NamedTuple):
    sniff: Callable[[bytes, str], bool]  # (data, source name) -> is this format?
    read: Callable[[bytes, str], tuple[list[Block], str]]  # (data, source name) -> (blocks, encoding)
    suffixes: tuple[str, ...]  # file name endings that claim the format (lower case)


class Converted(NamedTuple):
    """What :func:`convert` gives for one input."""

    text: str
    encoding: str  # the encoding the text was read in
    layout: str | None = None  # the format name (meta.layout), None for plain text
    # every row for the aligner, in line order; None when the rows are to be split from the text's lines
    # (plain text, or a document in which no table grid was found)
    rows: list[Row] | None = None


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
    """The rows of a table, each the cell texts the aligner reads.

    A cell is written once, in its first row (a colspan adds no placeholder);
    each later row it covers gets one empty cell at its first column, as a
    word processor's text export does.

    >>> table_rows([Cell(0, 0, "三、本年度办理结果", rowspan=2), Cell(0, 1, "（一）予以公开"), Cell(1, 1, "（二）部分公开")])
    [['三、本年度办理结果', '（一）予以公开'], ['', '（二）部分公开']]
    """
    rows: list[list[str]] = []
    last = (-1, -1)
    for row, col, text, rowspan, _ in cells:  # as converters make them: row by row, left to right, one row each
        if rowspan > 1 or (row, col) <= last:
            return _placed(cells)
        if row != last[0]:
            rows.append([text])
        else:
            rows[-1].append(text)
        last = (row, col)
    return rows


def _placed(cells: Sequence[Cell]) -> list[list[str]]:
    """:func:`table_rows` of cells in any order, or with rowspans."""
    placed: dict[int, list[tuple[int, str]]] = {}  # row -> (column, text) of its cells
    for row, col, text, rowspan, _ in cells:
        placed.setdefault(row, []).append((col, text))
        for r in range(row + 1, row + rowspan):
            placed.setdefault(r, []).append((col, ""))
    return [[text for _, text in sorted(placed[r], key=_first)] for r in sorted(placed)]


_first = itemgetter(0)


def is_data_table(cells: Sequence[Cell]) -> bool:
    """Whether a table holds data: it has a second column. A one-column table
    is page layout around prose, as old sites and some Word files use."""
    return any(c.col > 0 for c in cells)


def _prose_lines(block: Block) -> list[str]:
    """The text lines of a paragraph, or of a layout table's cells (a TAB in prose is a space)."""
    if isinstance(block, Laid):
        return [line.replace("\t", " ").rstrip() for line in block.split("\n") if line.strip()]
    if isinstance(block, str):
        return [s for line in block.split("\n") if (s := line.replace("\t", " ").strip())]
    return [c.text for c in sorted(block, key=lambda c: (c.row, c.col)) if c.text.strip()]


def lay_out(blocks: Iterable[Block], encoding: str, layout: str) -> Converted:
    """A converter's blocks as text and rows; ``layout`` (the format name) names the grid rows' rendering.

    Lines outside the grids are split as text lines too, so a table the
    converter saw no grid in — rows of pipes, cells set apart by spaces (a PDF
    table drawn without rules) — is still read; with no grid at all the rows
    are left to the text splitters (``rows`` None), as for plain text.
    """
    lines: list[str] = []
    rows: list[Row] = []
    laid = False  # lines laid out in columns: split with header rows and one cell per other line, as text is
    extents: dict[int, tuple[tuple[int, int], ...]] = {}  # Laid line -> its words' extents
    for block in blocks:
        if isinstance(block, str) or not is_data_table(block):
            if isinstance(block, Laid):
                laid = True
                if block.words is not None:
                    extents.update(zip(range(len(lines), len(lines) + len(block.words)), block.words))
            lines += _prose_lines(block)
            continue
        for texts in table_rows(block):
            # one line each, stripped (the formats join a cell's lines already; a Cell may come from elsewhere)
            cells = tuple([join_lines(t.split("\n")) if "\n" in t or "\t" in t else t.strip() for t in texts])
            rows.append(Row(cells, "kept", len(lines), layout))
            lines.append("\t" + "\t".join(cells) if cells else "")
    text = "\n".join(lines) + "\n"
    if not rows and not extents:
        return Converted(text, encoding, layout, None)
    lines.append("")
    skip = {r.line for r in rows} | {h.line for h in sections.find(lines)}
    # the TAB reader: prose lines give no cells (but Laid lines are read as text's lines are)
    others = split_rows(lines, skip, reader="stream" if laid else "tabbed")
    others = [respan(r, extents[r.line]) if r.line in extents else r for r in others]
    if others:
        rows = sorted(rows + others, key=lambda r: r.line)
    return Converted(text, encoding, layout, rows)


def render(blocks: Iterable[Block]) -> str:
    """The blocks in the ``tabbed`` text layout: prose at column 0, one ``\\t`` line per cell, rows
    separated by an empty line, two after a table.

    >>> render(["二、主动公开政府信息情况",
    ...         [Cell(0, 0, "第二十条第（一）项", colspan=2), Cell(1, 0, "规章"), Cell(1, 1, "3")]]).split("\\n")
    ['二、主动公开政府信息情况', '\\t第二十条第（一）项', '', '\\t规章', '\\t3', '', '', '']
    """
    lines: list[str] = []
    for block in blocks:
        if isinstance(block, str) or not is_data_table(block):
            lines += _prose_lines(block)
        else:
            for row in table_rows(block):
                lines += ["\t" + cell for cell in row] + [""]
            lines.append("")  # two empty lines end a table
    return "\n".join(lines) + "\n"


def suffix(name: str) -> str:
    """A file name's suffix in lower case, as :attr:`pathlib.PurePath.suffix` has it (a build asks it of every
    file several times, and a PurePath costs ~10 µs).

    >>> [suffix(n) for n in ("2020/报告.DOCX", "a.tar.gz", ".hidden", "a/b.", "noext")]
    ['.docx', '.gz', '', '', '']
    """
    base = name.rpartition("/")[2]
    dot = base.rfind(".")
    return "" if dot <= 0 or dot == len(base) - 1 else base[dot:].lower()


from . import docx, html, legacy, pdf  # noqa: E402  (they build on the helpers above)

# format name (becomes meta.layout) -> converter; tried in order. The legacy formats come first and claim
# their suffixes whatever the bytes, so a file is read, or not, as :func:`unsupported` says by its name;
# then binary signatures.
CONVERTERS: dict[str, Converter] = {"doc": legacy.DOC, "xls": legacy.XLS,  # by LibreOffice, as .docx / HTML
                                    "pdf": pdf.CONVERTER, "docx": docx.CONVERTER, "html": html.CONVERTER}
TEXT_SUFFIXES = (".txt",)
# archives: read member by member (gkdata.archives), each member an input of its own; never one report
ARCHIVE_SUFFIXES = (".zip",)
OTHER_ARCHIVES = (".rar", ".7z", ".tar", ".gz", ".tgz", ".bz2", ".xz")  # not read: to unpack first
# every file suffix an input may have: what read_reports and build read (.doc, .wps, .xls, .et need LibreOffice)
SUFFIXES: tuple[str, ...] = (TEXT_SUFFIXES + tuple(s for conv in CONVERTERS.values() for s in conv.suffixes)
                             + ARCHIVE_SUFFIXES)

# suffix -> why a file people often have in place of a report is not read, and what to do
_NOT_READ = {
    ".rtf": "a Rich Text .rtf file: save it as .docx",
    ".odt": "an OpenDocument .odt file: save it as .docx",
    ".ofd": "an OFD document: export it as .pdf",
    **dict.fromkeys((".xlsx", ".ods"), "a spreadsheet: gkdata reads reports, not workbooks"),
    **dict.fromkeys(OTHER_ARCHIVES, "an archive: unpack it"),
    **dict.fromkeys((".jpg", ".jpeg", ".png", ".gif", ".tif", ".tiff", ".bmp"),
                    "an image: a scanned report needs OCR to text first"),
}


def unsupported(name: str) -> str | None:
    """Why a file of this name is not read, None if it is: its suffix is not in :data:`SUFFIXES`,
    or it needs LibreOffice (``.doc``, ``.wps``, ``.xls``, ``.et``) and there is no ``soffice`` on PATH.

    :func:`gkdata.read_report` reads what this says is read, and raises :class:`~gkdata.ReportError`
    with the same reason for a file that needs LibreOffice.

    >>> unsupported("2020/report.ofd")
    'an OFD document: export it as .pdf (not read)'
    >>> print(unsupported("notes.md"))
    not a report format gkdata reads (.md); it reads .txt, .pdf, .docx, .html, .htm, .shtml, .xhtml, .zip (its members), and .doc, .wps, .xls, .et with LibreOffice
    >>> unsupported("r.TXT") is None
    True
    """
    ext = suffix(name)
    if ext in SUFFIXES:
        why = legacy.missing(name)
        return None if why is None else f"{why} (not read)"
    if ext in _NOT_READ:
        return f"{_NOT_READ[ext]} (not read)"
    native = [s for s in SUFFIXES if s not in legacy.KINDS and s not in ARCHIVE_SUFFIXES]
    return (f"not a report format gkdata reads ({ext or 'no suffix'}); it reads {', '.join(native)}, "
            f"{', '.join(ARCHIVE_SUFFIXES)} (its members), and {', '.join(legacy.KINDS)} with LibreOffice")


def is_archive(name: str) -> bool:
    """Whether a file of this name is an archive whose members are the inputs (:data:`ARCHIVE_SUFFIXES`)."""
    return suffix(name) in ARCHIVE_SUFFIXES



def _check(blocks: list[Block], source: str) -> None:
    """Refuse blocks whose text is over :data:`~gkdata.limits.MAX_CHARS` or a table whose grid is over
    :data:`~gkdata.limits.MAX_GRID_CELLS` (a merged cell's rows are written out), before they are laid out."""
    chars = 0
    for block in blocks:
        if isinstance(block, str):
            chars += len(block)
            continue
        rows = cols = grid = 0
        for row, col, text, rowspan, colspan in block:  # one pass: a table has hundreds of cells
            chars += len(text) + 1
            grid += rowspan * colspan
            if row + rowspan > rows:
                rows = row + rowspan
            if col + colspan > cols:
                cols = col + colspan
        limits.check(grid, "MAX_GRID_CELLS", source, f"a table of {rows:,} rows, {cols:,} columns", "grid cells")
    limits.check(chars, "MAX_CHARS", source, "the text", "characters")


def convert(data: bytes, source: str) -> Converted:
    """The text (and, for a converted format, the rows) of an input; its format is told by name or content.

    Raises :class:`~gkdata.ReportError` for text over :data:`~gkdata.limits.MAX_CHARS` characters.

    >>> convert("一、总体情况".encode("gbk") * 20, "r.txt")[1:]
    ('gb18030', None, None)
    """
    if is_archive(source):
        raise ReportError(source, "an archive holds files, not one report: read_reports and build read each of "
                                  "its members (as archive.zip/member)")
    for name, conv in CONVERTERS.items():
        if conv.sniff(data, source):
            blocks, encoding = conv.read(data, source)
            _check(blocks, source)
            return lay_out(blocks, encoding, name)
    # a character takes at most 4 bytes: a longer file is over the cap before its (slow) detection of an encoding
    limits.check(len(data) // 4, "MAX_CHARS", source, "the text (at least one character per 4 bytes)", "characters")
    text, encoding = decode(data, source)
    limits.check(len(text), "MAX_CHARS", source, "the text", "characters")
    return Converted(text, encoding)
