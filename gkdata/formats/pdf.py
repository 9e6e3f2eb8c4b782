"""PDF with a text layer: pdfplumber's ruled tables and the text around them, in page order.

A table's cells come from pdfplumber's cell rectangles; their edges make the
grid, so a merged cell gets its rowspan/colspan from the lines actually
drawn. A table that runs onto the next page is written as a second table in
the same section, which the reader joins; a row that Word split across the
page break (a label wrapped onto the next page) is put back together.
Prose lines that wrap at the right margin are joined into paragraphs; page
numbers are dropped. A PDF without a text layer (a scan) raises
:class:`~gkdata.ReportError`: reading it needs OCR first; so does one of more
than :data:`~gkdata.limits.MAX_PDF_PAGES` pages, or one whose parsing takes
over :data:`~gkdata.limits.PDF_SECONDS`.
"""

from __future__ import annotations

import bisect
import io
import itertools
import re
import threading
import time
import unicodedata
from collections.abc import Iterator
from operator import itemgetter
from typing import TYPE_CHECKING, NamedTuple

from .. import limits
from ..errors import ReportError
from ..numbers import clean, is_value
from . import Block, Cell, Converter, join_lines

if TYPE_CHECKING:
    from pdfplumber.page import Page

SUFFIXES = (".pdf",)
_PAGE_NUMBER = re.compile(r"^[-—–－\s]*(?:\d+|第\s*\d+\s*页(?:\s*[,，]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+)[-—–－\s]*$")
# Some PDF producers map CJK characters to the look-alike Kangxi radicals (⼀ U+2F00 for 一).
_RADICALS = {cp: unicodedata.normalize("NFKC", chr(cp)) for cp in range(0x2F00, 0x2FD6)}
_TOLERANCE = 1.5  # points: edges closer than this are one grid line


class _Box(NamedTuple):
    x0: float
    top: float
    x1: float
    bottom: float
    text: str


class _Line(NamedTuple):
    x0: float
    top: float
    x1: float
    size: float
    text: str


def sniff(data: bytes, source: str) -> bool:
    """A ``.pdf`` file, or data with the PDF signature."""
    return source.lower().endswith(SUFFIXES) or b"%PDF-" in data[:1024]


def _axis(values: list[float]) -> list[float]:
    """Grid lines: the distinct coordinates, close ones merged."""
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > _TOLERANCE:
            out.append(v)
    return out


def _index(axis: list[float], v: float) -> int:
    i = bisect.bisect_left(axis, v - _TOLERANCE)
    return min(i, len(axis) - 1)


def _to_cells(boxes: list[_Box]) -> list[Cell]:
    xs = _axis([b.x0 for b in boxes] + [b.x1 for b in boxes])
    ys = _axis([b.top for b in boxes] + [b.bottom for b in boxes])
    cells = []
    for b in boxes:
        r, c = _index(ys, b.top), _index(xs, b.x0)
        cells.append(Cell(r, c, b.text, max(_index(ys, b.bottom) - r, 1), max(_index(xs, b.x1) - c, 1)))
    return cells


def _text(chars: list[dict]) -> str:
    from pdfplumber.utils import extract_text

    return extract_text(chars).translate(_RADICALS)


def _table_boxes(chars: list[dict], table) -> list[_Box]:
    """The table's cells with the characters whose centre is inside each, in page order; a cell looks only
    at the characters of its band of rows (bisected), so many cells on a page of many characters stay fast."""
    middle = [(ch["top"] + ch["bottom"]) / 2 for ch in chars]
    by_middle = sorted((i for i, m in enumerate(middle) if m == m), key=middle.__getitem__)  # a NaN is in no cell
    middles = [middle[i] for i in by_middle]
    boxes = []
    for x0, top, x1, bottom in table.cells:
        band = sorted(by_middle[bisect.bisect_left(middles, top):bisect.bisect_left(middles, bottom)])
        inside = [chars[i] for i in band if x0 <= (chars[i]["x0"] + chars[i]["x1"]) / 2 < x1]
        boxes.append(_Box(x0, top, x1, bottom, join_lines(_text(inside).split("\n"))))
    return sorted(boxes, key=lambda b: (round(b.top), b.x0))


def _unique_chars(page: Page) -> Page:
    """The page without characters drawn twice at one place (a bold effect), as ``Page.dedupe_chars`` does,
    but in n log n: that one orders what it keeps by ``list.index``, a minute for a page of 30,000 characters."""
    from pdfplumber.utils import cluster_objects

    same = itemgetter("upright", "text", "fontname", "size")
    keep = set()
    for _, group in itertools.groupby(sorted(page.chars, key=same), key=same):
        for line in cluster_objects(list(group), itemgetter("doctop"), 1):
            for spot in cluster_objects(line, itemgetter("x0"), 1):
                keep.add(id(min(spot, key=itemgetter("doctop", "x0"))))
    return page.filter(lambda obj: obj.get("object_type") != "char" or id(obj) in keep)


def _page_items(page: Page) -> list[list[_Box] | _Line]:
    """Tables and prose lines of one page, top to bottom."""
    tables = page.find_tables()
    bboxes = [t.bbox for t in tables]

    def outside(obj: dict) -> bool:
        return not any(x0 <= obj["x0"] and obj["x1"] <= x1 and top <= obj["top"] and obj["bottom"] <= bottom
                       for x0, top, x1, bottom in bboxes)

    lines = [_Line(ln["x0"], ln["top"], ln["x1"], ln["bottom"] - ln["top"], ln["text"].translate(_RADICALS))
             for ln in page.filter(outside).extract_text_lines(return_chars=False)]
    chars = page.chars
    items: list[tuple[float, list[_Box] | _Line]] = [(t.bbox[1], _table_boxes(chars, t)) for t in tables]
    items += [(ln.top, ln) for ln in lines if not _PAGE_NUMBER.match(ln.text)]
    return [item for _, item in sorted(items, key=lambda x: x[0])]


def _edge_rows(boxes: list[_Box], last: bool) -> dict[tuple[int, int], _Box]:
    """The cells touching a table's bottom (``last``) or top edge, by their rounded x span."""
    edge = max(b.bottom for b in boxes) if last else min(b.top for b in boxes)
    return {(round(b.x0), round(b.x1)): b for b in boxes
            if abs((b.bottom if last else b.top) - edge) <= _TOLERANCE}


def _join_split_row(above: list[_Box], below: list[_Box]) -> list[_Box] | None:
    """One table from two, when the first row of ``below`` is the rest of the last row of ``above``.

    Word breaks a row at a page end: the label's last line moves to the next
    page, its numbers stay (cells are top-aligned). So: the same cell edges,
    no cell with text on both sides unless both are label text, at least one
    label continued, and at least one number above with nothing below. Two
    genuine rows never look like that (a new row starts with its own label
    and has its own numbers).
    """
    a, b = _edge_rows(above, last=True), _edge_rows(below, last=False)
    if a.keys() != b.keys():
        return None
    pairs = [(a[k].text, b[k].text) for k in a]
    numbers = [t for pair in pairs for t in pair if clean(t) and is_value(t)]
    if any(top and bottom and (top in numbers or bottom in numbers) for top, bottom in pairs):
        return None
    if not any(top and bottom for top, bottom in pairs) or not any(top in numbers and not bottom
                                                                   for top, bottom in pairs):
        return None
    shift = max(x.bottom for x in above) - min(x.top for x in below)
    joined = [x for x in above if x not in a.values()]
    joined += [_Box(a[k].x0, a[k].top, a[k].x1, b[k].bottom + shift, join_lines([a[k].text, b[k].text])) for k in a]
    joined += [_Box(x.x0, x.top + shift, x.x1, x.bottom + shift, x.text) for x in below if x not in b.values()]
    return joined


def _join_wrapped(line: str, more: str) -> str:
    """A prose line and the line it wraps onto: one text, so a number broken at the margin is
    whole again (``3`` + ``250条``); only two English words keep a space.

    >>> _join_wrapped("政务新媒体公开政府信息3", "250条"), _join_wrapped("open", "data")
    ('政务新媒体公开政府信息3250条', 'open data')
    """
    words = line[-1:].isascii() and line[-1:].isalpha() and more[:1].isascii() and more[:1].isalpha()
    return line + (" " if words else "") + more


def _blocks(items: list[list[_Box] | _Line]) -> list[Block]:
    """Prose lines joined into paragraphs where they wrap at the margin; tables as cells."""
    right = max((it.x1 for it in items if isinstance(it, _Line)), default=0)
    blocks: list[str | list[_Box]] = []
    wraps = False  # the last prose line ran to the right margin: the next one continues it
    for it in items:
        if isinstance(it, _Line):
            if wraps and blocks and isinstance(blocks[-1], str):
                blocks[-1] = _join_wrapped(blocks[-1], it.text)
            else:
                blocks.append(it.text)
            wraps = it.x1 >= right - 1.5 * it.size
        elif blocks and isinstance(blocks[-1], list) and (joined := _join_split_row(blocks[-1], it)):
            blocks[-1] = joined
        else:
            blocks.append(it)
            wraps = False
    return [b if isinstance(b, str) else _to_cells(b) for b in blocks]


_PDFIUM = threading.Lock()  # pdfium is not thread-safe


def _check_pages(data: bytes, source: str) -> None:
    """Refuse a PDF of over :data:`~gkdata.limits.MAX_PDF_PAGES` pages before pdfminer builds any:
    pdfium counts them in C at once. A file pdfium cannot open is left to pdfminer (read page by page
    under the same cap)."""
    import pypdfium2

    try:
        with _PDFIUM:
            document = pypdfium2.PdfDocument(data)
            pages = len(document)
            document.close()
    except pypdfium2.PdfiumError:
        return
    limits.check(pages, "MAX_PDF_PAGES", source, "the PDF", "pages")


def _pages(data: bytes, source: str) -> Iterator[Page]:
    """The pages, built one at a time (pdfplumber's ``PDF.pages`` builds all first, and so does its ``close``),
    held to :data:`~gkdata.limits.MAX_PDF_PAGES` and to :data:`~gkdata.limits.PDF_SECONDS` of parsing."""
    import pdfplumber
    from pdfminer.pdfpage import PDFPage
    from pdfplumber.page import Page

    deadline = time.monotonic() + limits.PDF_SECONDS
    pdf = pdfplumber.open(io.BytesIO(data))
    for number, page in enumerate(PDFPage.create_pages(pdf.doc), 1):
        limits.check(number, "MAX_PDF_PAGES", source, "the PDF", "pages", stopped=True)
        if time.monotonic() > deadline:
            raise ReportError(source, f"the PDF takes over {limits.PDF_SECONDS:g} s to parse (gkdata.limits.PDF_SECONDS);"
                                      f" {number - 1} pages were read")
        yield Page(pdf, page, page_number=number)


def read(data: bytes, source: str) -> tuple[list[Block], str]:
    """The PDF's blocks; raises :class:`ReportError` for a scan, an unreadable file, or one over the caps.

    Whatever pdfminer or pdfplumber raise on a damaged file (their own
    errors, but also ``KeyError``, ``TypeError``, ``struct.error``,
    ``RecursionError``…) is a :class:`ReportError` naming it.
    """
    _check_pages(data, source)
    items: list[list[_Box] | _Line] = []
    chars = 0
    try:
        for page in _pages(data, source):
            page = _unique_chars(page)
            chars += len(page.chars)
            items += _page_items(page)
    except (ReportError, MemoryError):
        raise
    except Exception as e:
        raise ReportError(source, f"this is not a readable PDF ({type(e).__name__}: {e})") from e
    if not chars:
        raise ReportError(source, "the PDF has no text layer (it is a scanned image); it needs OCR before it can be read")
    blocks = _blocks(items)
    if sum(b.count("(cid:") if isinstance(b, str) else sum(c.text.count("(cid:") for c in b) for b in blocks) > 20:
        raise ReportError(source, "the PDF's text layer cannot be decoded (its fonts have no Unicode map)")
    return blocks, "utf-8"


CONVERTER = Converter(sniff, read, SUFFIXES)
