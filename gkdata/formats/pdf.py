"""PDF with a text layer, read from the positions of its characters (pdfium, through pypdfium2).

Every character of a page comes with its box. Characters are grouped into
lines by their height on the page and into words by the gaps between them
(a gap of half a character or more sets cells apart). Then:

- where the page draws a table's rules (path objects: lines, thin filled or
  stroked rectangles) and they enclose cells, those cells are the table's
  grid, as in HTML or Word: a merged cell gets its rowspan/colspan from the
  rules actually drawn, and each grid row reaches the aligner with its empty
  cells kept;
- every other line is laid out as text at the character columns of its words'
  x (a CJK character two columns wide, :class:`~gkdata.formats.Laid`), as
  ``pdftotext -layout`` writes a page, and :mod:`gkdata.layouts.aligned`
  splits it: a table drawn without rules (borders hidden, or typeset) is read
  from the positions alone — header labels written one character per line are
  joined by their columns, and a cell is placed in a column only where the
  positions prove it (NA and a finding otherwise, as in any text).

A table that runs onto the next page goes on in the same section, which the
reader joins; a ruled row that Word split across the page break (a label
wrapped onto the next page) is put back together. Running headers and footers
(a line repeated at the same height on several pages) and page numbers are
dropped; prose lines that wrap at the right margin are joined into
paragraphs. A PDF without a text layer (a scan) raises
:class:`~gkdata.ReportError`: reading it needs OCR first; so does one of more
than :data:`~gkdata.limits.MAX_PDF_PAGES` pages (pdfium counts them before
any is parsed), one whose streams would cost pdfium more than the caps
(measured from the file's bytes before a page is loaded,
:mod:`gkdata.formats.pdf_streams`), one with a page of more than
:data:`~gkdata.limits.MAX_PDF_PAGE_TEXTS` text objects (counted before its
text is extracted), or one whose reading takes over
:data:`~gkdata.limits.PDF_SECONDS` (checked between pages).
"""

from __future__ import annotations

import bisect
import ctypes
import re
import struct
import threading
import time
import unicodedata
from collections.abc import Iterable
from operator import itemgetter
from typing import NamedTuple

from .. import limits, sections
from ..errors import ReportError
from ..layouts import aligned
from ..numbers import clean, is_value
from . import Block, Cell, Converter, Laid, join_lines, pdf_streams

SUFFIXES = (".pdf",)
_PAGE_NUMBER = re.compile(r"^[-—–－\s]*(?:\d+|第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+)[-—–－\s]*$")
# Some PDF producers map CJK characters to the look-alike Kangxi radicals (⼀ U+2F00 for 一).
_RADICALS = {cp: unicodedata.normalize("NFKC", chr(cp)) for cp in range(0x2F00, 0x2FD6)}
_SURROGATE = re.compile("[\ud800-\udfff]")
_TOLERANCE = 1.5  # points: edges closer than this are one grid line
_NONSPACE = re.compile(r"\S")
# Gaps between two characters, in ems (a CJK character's width): over WORD_GAP a space (商业 企业, 12 34:
# a space is 0.2-0.5 em), from CELL_GAP on cells set apart (a table's columns: Word's cell margins are ~1 em).
WORD_GAP, CELL_GAP = 0.15, 0.55
_LINE_TOLERANCE = 0.3  # character heights: characters whose middles are this close stand on one line
_PITCH = 0.45  # ems a display column: a CJK character (two columns) a little narrower than it prints
_EDGE_BAND = 0.12  # of the page's height: where a running header, footer or page number stands
_THIN = 2.5  # points: a filled rectangle this thin is a rule
_MAX_SEGMENTS = 5_000  # segments of one path read for rules: a real table's border path has a few hundred
_MAX_PATHS = 50_000  # path objects of one page read for rules: beyond, its tables are read by position
_FORM_DEPTH = 4  # form XObjects inside form XObjects followed for rules


class _Box(NamedTuple):
    """One ruled cell and its text."""

    x0: float
    top: float
    x1: float
    bottom: float
    text: str


class _Word(NamedTuple):
    x0: float
    x1: float
    text: str
    gap: int  # before it: 0 first of its line, 1 a space, 2 cells apart


class _Line(NamedTuple):
    """One line of a page's text outside its ruled tables (top-down coordinates, points)."""

    x0: float
    top: float
    x1: float
    size: float  # character height
    text: str  # its words, a space between words, two between cells
    bottom: float = 0.0
    words: tuple[_Word, ...] = ()
    em: float = 0.0  # the width of its CJK characters (their mean), 0 if it has none
    page: int = 0


def sniff(data: bytes, source: str) -> bool:
    """A ``.pdf`` file, or data with the PDF signature."""
    return source.lower().endswith(SUFFIXES) or b"%PDF-" in data[:1024]


# -- characters -> lines and words ---------------------------------------------------------------

Char = tuple[float, float, float, float, str]  # x0, x1, top, bottom, character


def _words(chars: list[Char]) -> tuple[list[_Word], float, float]:
    """One line's characters (left to right) as words; with its height and the mean width of its CJK
    characters (0 if none). A character drawn twice at one place (a bold effect) is read once.

    Gaps are measured in ems: the width of the line's CJK characters (where it has none, its characters'
    mean width as digits and Latin letters are, about half an em)."""
    height = max([c[3] - c[2] for c in chars])
    wides = [c[1] - c[0] for c in chars if c[4] > "\u2e7f"]
    mean_wide = sum(wides) / len(wides) if wides else 0.0
    em = mean_wide or 1.8 * sum([c[1] - c[0] for c in chars]) / len(chars)
    if em <= 0:
        em = 0.7 * height
    word_gap, cell_gap = WORD_GAP * em, CELL_GAP * em
    words: list[_Word] = []
    start = prev = chars[0]
    text = [start[4]]
    kind = 0
    for c in chars[1:]:
        if c[4] == prev[4] and c[0] - prev[0] <= 1 and abs(c[2] - prev[2]) <= 1:
            continue  # the same character again at (nearly) the same place
        gap = c[0] - prev[1]
        if gap > word_gap:
            words.append(_Word(start[0], prev[1], "".join(text), kind))
            kind = 2 if gap >= cell_gap else 1
            start = c
            text = [c[4]]
        else:
            text.append(c[4])
        prev = c
    words.append(_Word(start[0], prev[1], "".join(text), kind))
    return words, max(height, 1.0), mean_wide


def _line_texts(chars: list[Char]) -> list[list[Char]]:
    """Characters grouped into lines, top to bottom, each left to right."""
    chars = sorted(chars, key=lambda c: c[2] + c[3])
    lines: list[list[Char]] = []
    ref = tol = 0.0
    scale = 2 * _LINE_TOLERANCE
    for c in chars:
        mid = c[2] + c[3]  # twice the middle
        if lines and mid - ref <= tol:
            lines[-1].append(c)
        else:
            lines.append([c])
            ref, tol = mid, scale * (c[3] - c[2] if c[3] - c[2] > 1.0 else 1.0)
    for line in lines:
        line.sort(key=itemgetter(0))
    return lines


def _text(words: Iterable[_Word]) -> str:
    return "".join(("  " if w.gap == 2 else " " if w.gap == 1 else "") + w.text for w in words)


def _lines(chars: list[Char], page: int) -> list[_Line]:
    out = []
    for group in _line_texts(chars):
        words, size, em = _words(group)
        out.append(_Line(words[0].x0, min([c[2] for c in group]), words[-1].x1, size, _text(words),
                         max([c[3] for c in group]), tuple(words), em, page))
    return out


def _cell_text(chars: list[Char]) -> str:
    """The text of one ruled cell: its lines joined as a cell's lines are (no space in Chinese)."""
    if len(chars) == 1:
        return chars[0][4]
    mids = [c[2] + c[3] for c in chars]
    if max(mids) - min(mids) <= 2 * _LINE_TOLERANCE * min([c[3] - c[2] for c in chars]):  # one line
        chars = sorted(chars, key=itemgetter(0))
        em = next((c[1] - c[0] for c in chars if c[4] > "\u2e7f"), 0.0) or 0.9 * (chars[0][3] - chars[0][2])
        if all(b[0] - a[1] <= WORD_GAP * em and (b[4] != a[4] or b[0] - a[0] > 1)  # one word: most cells
               for a, b in zip(chars, chars[1:])):
            return "".join([c[4] for c in chars])
        return _text(_words(chars)[0]).replace("  ", " ")
    return join_lines(_text(_words(line)[0]).replace("  ", " ") for line in _line_texts(chars))


# -- rules -> grids --------------------------------------------------------------------------------


class _Edges(NamedTuple):
    horizontal: list[tuple[float, float, float]]  # (y, x0, x1), top-down
    vertical: list[tuple[float, float, float]]  # (x, y0, y1)


def _add_segment(edges: _Edges, x0: float, y0: float, x1: float, y1: float) -> None:
    if abs(y1 - y0) <= _TOLERANCE / 3 and abs(x1 - x0) > _TOLERANCE:
        edges.horizontal.append(((y0 + y1) / 2, min(x0, x1), max(x0, x1)))
    elif abs(x1 - x0) <= _TOLERANCE / 3 and abs(y1 - y0) > _TOLERANCE:
        edges.vertical.append(((x0 + x1) / 2, min(y0, y1), max(y0, y1)))


def _path_edges(points: list[tuple[float, float, int, int]], edges: _Edges, move_to: int, line_to: int) -> None:
    """The straight axis-parallel lines a stroked path draws (its points top-down, each with its segment's
    type and close flag)."""
    start = here = None
    for x, y, kind, closes in points:
        if kind == move_to:
            start = (x, y)
        elif kind == line_to and here is not None:
            _add_segment(edges, here[0], here[1], x, y)
        here = (x, y)
        if closes and start is not None:
            _add_segment(edges, x, y, *start)
            here = start




class _Api:
    """The pdfium functions read once per character or object, bound to take plain addresses (ints): twice
    as fast as through pypdfium2's typed pointers. Results are read from one scratch buffer."""

    def __init__(self):
        import pypdfium2.raw as R

        P, I = ctypes.c_void_p, ctypes.c_int

        def bind(name: str, restype, *args):
            fn = getattr(R, name)  # the same function, of the same kind (its calling convention), untyped pointers
            plain = type(fn)(ctypes.cast(fn, ctypes.c_void_p).value)
            plain.restype, plain.argtypes = restype, args
            return plain

        self.loose_box = bind("FPDFText_GetLooseCharBox", I, P, I, P)
        self.count_objects = bind("FPDFPage_CountObjects", I, P)
        self.get_object = bind("FPDFPage_GetObject", P, P, I)
        self.form_count = bind("FPDFFormObj_CountObjects", I, P)
        self.form_object = bind("FPDFFormObj_GetObject", P, P, ctypes.c_ulong)
        self.kind = bind("FPDFPageObj_GetType", I, P)
        self.draw_mode = bind("FPDFPath_GetDrawMode", I, P, P, P)
        self.count_segments = bind("FPDFPath_CountSegments", I, P)
        self.segment = bind("FPDFPath_GetPathSegment", P, P, I)
        self.segment_kind = bind("FPDFPathSegment_GetType", I, P)
        self.point = bind("FPDFPathSegment_GetPoint", I, P, P, P)
        self.closes = bind("FPDFPathSegment_GetClose", I, P)
        self.bounds = bind("FPDFPageObj_GetBounds", I, P, P, P, P, P)
        self.stroke_width = bind("FPDFPageObj_GetStrokeWidth", I, P, P)
        self.matrix = bind("FPDFPageObj_GetMatrix", I, P, P)
        self.PATH, self.FORM, self.TEXT = R.FPDF_PAGEOBJ_PATH, R.FPDF_PAGEOBJ_FORM, R.FPDF_PAGEOBJ_TEXT
        self.MOVETO, self.LINETO = R.FPDF_SEGMENT_MOVETO, R.FPDF_SEGMENT_LINETO


_API: _Api | None = None


def _api() -> _Api:
    global _API
    if _API is None:
        _API = _Api()
    return _API


def _address(handle) -> int:
    return ctypes.cast(handle, ctypes.c_void_p).value


def _rules(page, height: float) -> _Edges:
    """The rules a page draws, from its path objects (and those of its forms), top-down.

    A rectangle (``re``: four straight segments) is read from its bounds, less the stroke that pdfium adds
    to them; another stroked path from its points."""
    api = _api()
    edges = _Edges([], [])
    hz, vt = edges
    identity = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    todo = [(_address(page.raw), api.count_objects, api.get_object, identity, 0)]
    kind_of, draw_mode, count_segments, get_matrix = api.kind, api.draw_mode, api.count_segments, api.matrix
    segment, point, seg_type, seg_close = api.segment, api.point, api.segment_kind, api.closes
    get_bounds, stroke_width = api.bounds, api.stroke_width
    scratch = (ctypes.c_char * 64)()
    base = ctypes.addressof(scratch)
    ints, floats4, floats6 = struct.Struct("2i").unpack_from, struct.Struct("4f").unpack_from, struct.Struct("6f").unpack_from
    one = struct.Struct("f").unpack_from
    path_kind, form_kind, line_to, move_to = api.PATH, api.FORM, api.LINETO, api.MOVETO
    seen = 0
    while todo:
        holder, count, get, outer, depth = todo.pop()
        oa, ob, oc, od, oe, of = outer
        for i in range(count(holder)):
            obj = get(holder, i)
            kind = kind_of(obj)
            if kind == path_kind:
                seen += 1
                if seen > _MAX_PATHS:
                    return _Edges([], [])
                if not draw_mode(obj, base, base + 4):
                    continue
                fill, stroke = ints(scratch)
                if not (fill or stroke):
                    continue  # a clipping path, drawn nowhere
                n = count_segments(obj)
                if not 1 < n <= _MAX_SEGMENTS:
                    continue
                if not stroke or n in (4, 5) and seg_type(segment(obj, 1)) == line_to:  # a rectangle (or a fill)
                    if not get_bounds(obj, base, base + 4, base + 8, base + 12):
                        continue
                    x0, y0, x1, y1 = floats4(scratch)
                    if stroke:  # pdfium's bounds take in the stroke's width on every side
                        if not stroke_width(obj, base + 16) or not get_matrix(obj, base + 20):
                            continue
                        a, b, c, d, _, _ = floats6(scratch, 20)
                        pad = one(scratch, 16)[0] * abs(a * d - b * c) ** 0.5
                        x0, y0, x1, y1 = x0 + pad, y0 + pad, x1 - pad, y1 - pad
                    if outer is not identity:
                        xs = [oa * x + oc * y + oe for x in (x0, x1) for y in (y0, y1)]
                        ys = [ob * x + od * y + of for x in (x0, x1) for y in (y0, y1)]
                        x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
                    top, bottom = height - y1, height - y0
                    if x1 - x0 <= _THIN or bottom - top <= _THIN:  # a rule drawn as a thin rectangle
                        if x1 - x0 >= bottom - top:
                            _add_segment(edges, x0, (top + bottom) / 2, x1, (top + bottom) / 2)
                        else:
                            _add_segment(edges, (x0 + x1) / 2, top, (x0 + x1) / 2, bottom)
                    elif stroke:  # a box: its four sides (a filled box is a cell's shading, not a rule)
                        hz.append((top, x0, x1))
                        hz.append((bottom, x0, x1))
                        vt.append((x0, top, bottom))
                        vt.append((x1, top, bottom))
                    continue
                if not get_matrix(obj, base + 20):
                    continue
                # the path's own space -> the page's (the form's matrix after the path's own)
                ma, mb, mc, md, me, mf = floats6(scratch, 20)
                a, b, c, d = ma * oa + mb * oc, ma * ob + mb * od, mc * oa + md * oc, mc * ob + md * od
                e, f = me * oa + mf * oc + oe, me * ob + mf * od + of
                points = []
                for k in range(n):
                    seg = segment(obj, k)
                    if not seg or not point(seg, base, base + 4):
                        break
                    x, y = floats4(scratch)[:2]
                    points.append((a * x + c * y + e, height - (b * x + d * y + f), seg_type(seg), seg_close(seg)))
                else:
                    _path_edges(points, edges, move_to, line_to)
            elif kind == form_kind and depth < _FORM_DEPTH and get_matrix(obj, base + 20):
                ma, mb, mc, md, me, mf = floats6(scratch, 20)
                inner = (ma * oa + mb * oc, ma * ob + mb * od, mc * oa + md * oc, mc * ob + md * od,
                         me * oa + mf * oc + oe, me * ob + mf * od + of)
                todo.append((obj, api.form_count, api.form_object, inner, depth + 1))
    return edges


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


def _drawn(intervals: list[tuple[float, float]], points: list[float]) -> list[bool]:
    """For each of the (ascending) points, whether one of the rules on a grid line covers it."""
    merged: list[list[float]] = []
    for a, b in sorted(intervals):
        if merged and a <= merged[-1][1] + _TOLERANCE:
            if b > merged[-1][1]:
                merged[-1][1] = b
        else:
            merged.append([a, b])
    out, j, n = [], 0, len(merged)
    for p in points:
        while j < n and merged[j][1] < p:
            j += 1
        out.append(j < n and merged[j][0] <= p)
    return out


class _Grid(NamedTuple):
    xs: list[float]
    ys: list[float]
    slot: list[int]  # (row * columns + column) -> its cell's number, -1 outside any cell
    cells: list[tuple[int, int, int, int]]  # first row, first column, last row, last column


def _grid(horizontal: list[tuple[float, float, float]], vertical: list[tuple[float, float, float]]) -> _Grid | None:
    """The cells the rules of one table enclose, or None where they do not make a grid of cells.

    The grid lines are the rules' distinct coordinates; two neighbouring slots are one cell where no
    rule is drawn between them (at the middle of their common side), and a cell is one only where the
    table's frame closes it. A merged area that is no rectangle makes no grid."""
    xs = _axis([x for x, _, _ in vertical])
    ys = _axis([y for y, _, _ in horizontal])
    rows, cols = len(ys) - 1, len(xs) - 1
    if rows < 1 or cols < 1 or rows * cols > limits.MAX_GRID_CELLS:
        return None
    left = bisect.bisect_left
    vc: list[list[tuple[float, float]]] = [[] for _ in xs]
    for x, a, b in vertical:  # (each rule is on a grid line: the one at or just below it)
        vc[left(xs, x - _TOLERANCE)].append((a, b))
    hc: list[list[tuple[float, float]]] = [[] for _ in ys]
    for y, a, b in horizontal:
        hc[left(ys, y - _TOLERANCE)].append((a, b))
    mid_y = [(ys[r] + ys[r + 1]) / 2 for r in range(rows)]
    mid_x = [(xs[c] + xs[c + 1]) / 2 for c in range(cols)]
    v_drawn = [_drawn(c, mid_y) for c in vc]  # [grid line][row]
    h_drawn = [_drawn(c, mid_x) for c in hc]  # [grid line][column]
    parent = list(range(rows * cols))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for r in range(rows):
        below = h_drawn[r + 1] if r + 1 < rows else None
        for c in range(cols):
            i = r * cols + c
            if c + 1 < cols and not v_drawn[c + 1][r]:
                a, b = find(i), find(i + 1)
                if a != b:
                    parent[b] = a
            if below is not None and not below[c]:
                a, b = find(i), find(i + cols)
                if a != b:
                    parent[b] = a
    spans: dict[int, list] = {}
    first, last_col, top, bottom = v_drawn[0], v_drawn[cols], h_drawn[0], h_drawn[rows]
    i = -1
    for r, c in ((r, c) for r in range(rows) for c in range(cols)):
        i += 1
        root = find(i)
        closed = ((c or first[r]) and (c < cols - 1 or last_col[r]) and (r or top[c]) and (r < rows - 1 or bottom[c]))
        box = spans.get(root)
        if box is None:
            spans[root] = [r, c, r, c, 1, closed]
            continue
        if c < box[1]:
            box[1] = c
        if r > box[2]:
            box[2] = r
        if c > box[3]:
            box[3] = c
        box[4] += 1
        box[5] = box[5] and closed
    number: dict[int, int] = {}
    cells: list[tuple[int, int, int, int]] = []
    for root, (r0, c0, r1, c1, n, closed) in spans.items():
        if not closed:
            continue  # outside the table's frame
        if n != (r1 - r0 + 1) * (c1 - c0 + 1):
            return None  # a merged area that is no rectangle: the rules do not say which cells there are
        number[root] = len(cells)
        cells.append((r0, c0, r1, c1))
    if len(cells) < 2:
        return None  # a frame around text, not a table
    return _Grid(xs, ys, [number.get(find(i), -1) for i in range(rows * cols)], cells)


def _tables(edges: _Edges) -> list[_Grid]:
    """The page's ruled tables: rules grouped into regions by their vertical rules' extents."""
    vertical = sorted(edges.vertical, key=itemgetter(1))
    horizontal = sorted(edges.horizontal)
    hy = [h[0] for h in horizontal]
    regions: list[list[tuple[float, float, float]]] = []
    bottom = float("-inf")
    for v in vertical:
        if regions and v[1] <= bottom + _TOLERANCE:
            regions[-1].append(v)
            bottom = max(bottom, v[2])
        else:
            regions.append([v])
            bottom = v[2]
    grids = []
    for vs in regions:
        top, low = min(v[1] for v in vs), max(v[2] for v in vs)
        left, right = min(v[0] for v in vs), max(v[0] for v in vs)
        hs = [h for h in horizontal[bisect.bisect_left(hy, top - _TOLERANCE):bisect.bisect_right(hy, low + _TOLERANCE)]
              if h[1] < right - _TOLERANCE and h[2] > left + _TOLERANCE]
        if len(vs) >= 2 and len(hs) >= 2 and (grid := _grid(hs, vs)) is not None:
            grids.append(grid)
    return grids


class _Ruled(list):
    """A ruled table's cells as boxes (what joins a row split at a page break looks at), and as the grid's
    :class:`Cell` s, read from its rules."""

    cells: list[Cell]


def _boxes(grid: _Grid, inside: list[list[Char]]) -> _Ruled:
    """The grid's cells with the characters of each (whose middle is inside it), in page order."""
    xs, ys = grid.xs, grid.ys
    # the grid lines some cell starts or ends at: a rule that only crosses merged cells is no grid line
    row_at = {v: i for i, v in enumerate(sorted({r for r0, _, r1, _ in grid.cells for r in (r0, r1 + 1)}))}
    col_at = {v: i for i, v in enumerate(sorted({c for _, c0, _, c1 in grid.cells for c in (c0, c1 + 1)}))}
    ruled, cells = _Ruled(), []
    for (r0, c0, r1, c1), cs in zip(grid.cells, inside):
        text = _cell_text(cs) if cs else ""
        ruled.append(_Box(xs[c0], ys[r0], xs[c1 + 1], ys[r1 + 1], text))
        r, c = row_at[r0], col_at[c0]
        cells.append(Cell(r, c, text, row_at[r1 + 1] - r, col_at[c1 + 1] - c))
    order = sorted(range(len(ruled)), key=lambda i: (round(ruled[i].top), ruled[i].x0))
    ruled[:] = [ruled[i] for i in order]
    ruled.cells = [cells[i] for i in order]
    return ruled


def _sort_into(grids: list[_Grid], chars: list[Char]) -> tuple[list[list[list[Char]]], list[Char]]:
    """Each grid's characters by cell (a character belongs where its middle is), and the others."""
    inside = [[[] for _ in g.cells] for g in grids]
    frames = [(g.xs[0], g.xs[-1], g.ys[0], g.ys[-1], g.xs, g.ys, len(g.xs) - 1, g.slot, cells)
              for g, cells in zip(grids, inside)]
    rest = []
    right = bisect.bisect_right
    for ch in chars:
        x, y = (ch[0] + ch[1]) / 2, (ch[2] + ch[3]) / 2
        for x0, x1, y0, y1, xs, ys, cols, slot, cells in frames:
            if x0 <= x < x1 and y0 <= y < y1:
                k = slot[(right(ys, y) - 1) * cols + right(xs, x) - 1]
                if k >= 0:
                    cells[k].append(ch)
                    break
        else:
            rest.append(ch)
    return inside, rest


# -- one page ----------------------------------------------------------------------------------------

_PDFIUM = threading.Lock()  # pdfium is not thread-safe


_LARGEST_PAGE = 14_400.0  # points: the largest page PDF allows (200 inches); a larger box is cut to it (a 1e9
# wide page took pdfium 1.3 s to extract its text)


def _turner(rotation: int, width: float, height: float):
    """Top-down points of the page as stored (``width`` × ``height``) -> where it shows them, turned clockwise
    by its /Rotate; None for an upright page.

    >>> _turner(90, 200, 400)(0, 0), _turner(270, 200, 400)(0, 0), _turner(180, 200, 400)(0, 0)
    ((400, 0), (0, 200), (200, 400))
    """
    if rotation == 90:
        return lambda x, y: (height - y, x)
    if rotation == 180:
        return lambda x, y: (width - x, height - y)
    if rotation == 270:
        return lambda x, y: (y, width - x)
    return None


def _turn_chars(chars: list[Char], turn) -> list[Char]:
    out = []
    for x0, x1, top, bottom, ch in chars:
        (a, b), (c, d) = turn(x0, top), turn(x1, bottom)
        out.append((min(a, c), max(a, c), min(b, d), max(b, d), ch))
    return out


def _turn_edges(edges: _Edges, turn) -> _Edges:
    out = _Edges([], [])
    for y, a, b in edges.horizontal:
        _add_segment(out, *turn(a, y), *turn(b, y))
    for x, a, b in edges.vertical:
        _add_segment(out, *turn(x, a), *turn(x, b))
    return out


def _chars(page, height: float) -> tuple[list[Char], int]:
    """The page's characters other than white space (top-down boxes), and how many the page holds.

    A character whose middle is outside the page's box is not printed, and is left out (its x could be
    1e14: laid out in columns, it would take as many spaces)."""
    import pypdfium2.raw as R

    left, low, right, high = page.get_bbox()

    textpage = page.get_textpage()
    try:
        raw = textpage.raw
        n = R.FPDFText_CountChars(raw)
        text = textpage.get_text_range() if n > 0 else ""
        if len(text) != n:  # pdfium left some out (or added some): read them one by one
            text = "".join(chr(R.FPDFText_GetUnicode(raw, i) or 0xFFFD) for i in range(n))
        # one character for one, so the indices stay pdfium's; a UTF-16 half left alone by a damaged font map
        # is no character (and no string can hold it)
        text = _SURROGATE.sub("\ufffd", text.translate(_RADICALS))
        box, handle = _api().loose_box, _address(raw)
        scratch = (ctypes.c_char * 16)()
        base = ctypes.addressof(scratch)
        rect = struct.Struct("4f").unpack_from  # FS_RECTF: left, top, right, bottom
        out: list[Char] = []
        append = out.append
        for m in _NONSPACE.finditer(text):
            i = m.start()
            if box(handle, i, base):
                x0, top, x1, bottom = rect(scratch)
                if left <= (x0 + x1) / 2 <= right and low <= (top + bottom) / 2 <= high:
                    append((x0, x1, height - top, height - bottom, text[i]))
        return out, n
    finally:
        textpage.close()


def _text_objects(page, cap: int) -> int:
    """The page's text objects, those inside its forms too; the count stops once over ``cap``."""
    api = _api()
    todo, n = [(_address(page.raw), api.count_objects, api.get_object)], 0
    kind, text, form = api.kind, api.TEXT, api.FORM
    while todo and n <= cap:
        holder, count, get = todo.pop()
        for i in range(count(holder)):
            obj = get(holder, i)
            k = kind(obj)
            if k == text:
                n += 1
            elif k == form:
                todo.append((obj, api.form_count, api.form_object))
    return n


def _page_items(page, number: int) -> tuple[list[list[_Box] | _Line], int, int]:
    """One page's ruled tables and other lines, top to bottom, as the page shows them (turned by its /Rotate);
    its characters (shown, and all it holds)."""
    left, low, right, high = page.get_bbox()
    if right - left > _LARGEST_PAGE or high - low > _LARGEST_PAGE:  # (pdfium's text takes time in its size)
        box = (left, low, min(right, left + _LARGEST_PAGE), min(high, low + _LARGEST_PAGE))
        page.set_mediabox(*box)
        page.set_cropbox(*box)
    rotation = page.get_rotation()
    width, height = page.get_width(), page.get_height()  # as shown
    if rotation in (90, 270):
        width, height = height, width
    turn = _turner(rotation, width, height)
    chars, n = _chars(page, height)
    edges = _rules(page, height) if chars else None
    if turn is not None:
        chars = _turn_chars(chars, turn)
        edges = edges and _turn_edges(edges, turn)
    grids = _tables(edges) if chars else []
    items: list[tuple[float, list[_Box] | _Line]] = []
    chars_out = chars
    if grids:
        inside, chars_out = _sort_into(grids, chars)
        items += [(grid.ys[0], _boxes(grid, cells)) for grid, cells in zip(grids, inside) if any(cells)]
    items += [(ln.top, ln) for ln in _lines(chars_out, number)] if chars_out else []
    items.sort(key=itemgetter(0))
    return [it for _, it in items], len(chars), n


def _is_row(line: _Line) -> bool:
    """Whether a line holds a table row by itself (label and values, values, header cells set apart)."""
    return aligned.split(line.text, 0) is not None


def _drop_margins(pages: list[list[list[_Box] | _Line]], heights: list[float]) -> list[list[_Box] | _Line]:
    """The pages' items without page numbers and running headers and footers: a page-number line, or a line
    of text (digits aside) that stands at the same height on several pages, among a page's first or last
    two lines, in its top or bottom :data:`_EDGE_BAND`."""
    def edge_lines(items: list, height: float) -> list[_Line]:
        lines = [it for it in items if isinstance(it, _Line)]
        top = [ln for ln in lines[:2] if ln.bottom < _EDGE_BAND * height and items.index(ln) < 2]
        low = [ln for ln in lines[-2:] if ln.top > (1 - _EDGE_BAND) * height and items.index(ln) >= len(items) - 2]
        return top + low

    def key(line: _Line) -> tuple[str, int]:
        return re.sub(r"\d+", "#", line.text), round(line.top / 2)

    edges = [edge_lines(items, h) for items, h in zip(pages, heights)]
    counts: dict[tuple[str, int], int] = {}
    for lines in edges:
        for k in {key(ln) for ln in lines if not _PAGE_NUMBER.match(ln.text) and not _is_row(ln)}:
            counts[k] = counts.get(k, 0) + 1
    out: list[list[_Box] | _Line] = []
    for items, lines in zip(pages, edges):
        drop = {id(ln) for ln in lines if _PAGE_NUMBER.match(ln.text) or counts.get(key(ln), 0) >= 2}
        out += [it for it in items if id(it) not in drop]
    return out


# -- items -> blocks -------------------------------------------------------------------------------------

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
    label continued, and at least one number above with nothing below; and no
    text below that starts a row label of the template (a genuine row whose
    cells are all blank looks the same otherwise). A new row starts with its
    own label and has its own numbers.
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
    if any(top and bottom and not _label_start(top + bottom) and _starts_row(bottom) for top, bottom in pairs):
        return None  # a row of its own whose cells are blank (3.补正后申请内容仍不明确 under 2.没有现成信息…)
    shift = max(x.bottom for x in above) - min(x.top for x in below)
    joined = [x for x in above if x not in a.values()]
    joined += [_Box(a[k].x0, a[k].top, a[k].x1, b[k].bottom + shift, join_lines([a[k].text, b[k].text])) for k in a]
    joined += [_Box(x.x0, x.top + shift, x.x1, x.bottom + shift, x.text) for x in below if x not in b.values()]
    return joined


def _label_start(text: str) -> bool:
    """Whether a text is a label of a table, or the start of one (a label and its next line joined)."""
    from .. import labels, match

    norm = labels.normalize(text)
    return any(norm in match.label_starts(table) for table in labels.TABLES)


def _starts_row(text: str) -> bool:
    """Whether a cell's text is (the start of) a data row's label, in any table and template."""
    from .. import labels, match

    return any(match.starts_row(text, table, template) for table in labels.TABLES for template in labels.TEMPLATES)


def _to_cells(boxes: list[_Box]) -> list[Cell]:
    xs = _axis([b.x0 for b in boxes] + [b.x1 for b in boxes])
    ys = _axis([b.top for b in boxes] + [b.bottom for b in boxes])
    cells = []
    for b in boxes:
        r, c = _index(ys, b.top), _index(xs, b.x0)
        cells.append(Cell(r, c, b.text, max(_index(ys, b.bottom) - r, 1), max(_index(xs, b.x1) - c, 1)))
    return cells


def _join_wrapped(line: str, more: str) -> str:
    """A prose line and the line it wraps onto: one text, so a number broken at the margin is
    whole again (``3`` + ``250条``); only two English words keep a space.

    >>> _join_wrapped("政务新媒体公开政府信息3", "250条"), _join_wrapped("open", "data")
    ('政务新媒体公开政府信息3250条', 'open data')
    """
    words = line[-1:].isascii() and line[-1:].isalpha() and more[:1].isascii() and more[:1].isalpha()
    return line + (" " if words else "") + more


def _width(text: str) -> int:
    """Display columns, as :mod:`gkdata.layouts.aligned` counts them (a CJK character two)."""
    if text.isascii():
        return len(text)
    return sum(2 if ch > "\u10ff" and unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _lay_out(lines: list[_Line], origin: float, pitch: float) -> Laid:
    """Lines at the display columns of their words' x: one column per ``pitch`` points from ``origin``;
    words a space apart stay one space apart, cells set apart at least two. Each word's extent (from its
    x, in the same columns) goes with the lines, for the spans of the rows split from them."""
    out, extents = [], []
    for line in lines:
        text, end, spans = "", 0, []
        for w in line.words:
            at = end + 1 if w.gap == 1 else max(round((w.x0 - origin) / pitch), end + 2 if w.gap else 0)
            text += " " * (at - end) + w.text
            end = at + _width(w.text)
            first = round((w.x0 - origin) / pitch)
            spans.append((first, max(round((w.x1 - origin) / pitch), first + 1)))
        out.append(text)
        extents.append(tuple(spans))
    laid = Laid("\n".join(out))
    laid.words = tuple(extents)
    return laid


class _Paragraph:
    def __init__(self, line: _Line):
        self.lines = [line]

    @property
    def last(self) -> _Line:
        return self.lines[-1]


def _blocks(items: list[list[_Box] | _Line], source: str = "the PDF") -> list[Block]:
    """Prose lines joined into paragraphs where they wrap at the margin; tables as cells; the other lines
    (table rows, header pieces, short lines) laid out by their positions, within
    :data:`~gkdata.limits.MAX_CHARS` laid out."""
    from statistics import median  # here: statistics (and random, fractions) for a PDF only

    lines = [it for it in items if isinstance(it, _Line)]
    gapped = {id(ln) for ln in lines if any(w.gap == 2 for w in ln.words)}  # cells set apart: a table's
    plain = [ln for ln in lines if id(ln) not in gapped and not _is_row(ln)]
    wide = [ln for ln in plain if len(ln.text) >= 8] or plain
    right = max((ln.x1 for ln in wide), default=0.0)
    left = min((ln.x0 for ln in wide), default=0.0)

    def continues(prev: _Line, line: _Line) -> bool:
        return (prev.x1 >= right - 1.5 * prev.size and line.x0 <= left + line.size and not sections.heading(line.text)
                and abs(line.size - prev.size) <= 0.2 * prev.size
                and (line.page != prev.page or -0.5 * prev.size <= line.top - prev.bottom <= prev.size))

    plain_ids = {id(ln) for ln in plain}
    seq: list[_Paragraph | _Line | list[_Box]] = []
    for it in items:
        if isinstance(it, _Line):
            if id(it) in plain_ids:
                last = seq[-1] if seq else None
                if isinstance(last, _Paragraph) and continues(last.last, it):
                    last.lines.append(it)
                else:
                    seq.append(_Paragraph(it))
            else:
                seq.append(it)
        elif seq and isinstance(seq[-1], list) and (joined := _join_split_row(seq[-1], it)):
            seq[-1] = joined
        else:
            seq.append(it)
    # one-line paragraphs are laid out with the rows around them: a header piece, a wrapped label's line
    laid = [ln for s in seq for ln in ([s] if isinstance(s, _Line) else s.lines if isinstance(s, _Paragraph)
                                      and len(s.lines) == 1 else [])]
    # the columns' width: a little under half the smallest CJK character of the tables (a lower decile)
    ems = sorted(ln.em for ln in laid if ln.em and id(ln) in gapped) or sorted(ln.em for ln in laid if ln.em)
    em = ems[len(ems) // 10] if ems else median([ln.size for ln in laid] or [10.0]) / 1.4
    pitch = max(_PITCH * em, 0.5)
    origin = min((ln.x0 for ln in laid), default=0.0) - 2 * pitch
    limits.check(sum(round((ln.x1 - origin) / pitch) for ln in laid), "MAX_CHARS", source,
                 "the PDF's lines laid out in columns", "characters")
    blocks: list[Block] = []
    run: list[_Line] = []
    for s in seq:
        if isinstance(s, _Paragraph) and len(s.lines) == 1:
            s = s.lines[0]
        if isinstance(s, _Line):
            run.append(s)
            continue
        if run:
            blocks.append(_lay_out(run, origin, pitch))
            run = []
        if isinstance(s, _Paragraph):
            text = s.lines[0].text
            for ln in s.lines[1:]:
                text = _join_wrapped(text, ln.text)
            blocks.append(text)
        else:
            blocks.append(s.cells if isinstance(s, _Ruled) else _to_cells(s))
    if run:
        blocks.append(_lay_out(run, origin, pitch))
    return blocks


# -- the document -------------------------------------------------------------------------------------

def _read_pages(document, pages: int, source: str, cost: pdf_streams.Cost) -> tuple[list[list[_Box] | _Line], int]:
    """Every page's items (page numbers, running headers and footers dropped) and the characters shown,
    within :data:`~gkdata.limits.PDF_SECONDS`, :data:`~gkdata.limits.MAX_CHARS` and (where the streams'
    ``cost`` could reach it) :data:`~gkdata.limits.MAX_PDF_PAGE_TEXTS`."""
    cap = limits.MAX_PDF_PAGE_TEXTS
    walk = not cost.measured or cost.texts > cap
    deadline = time.monotonic() + limits.PDF_SECONDS
    per_page: list[list] = []
    heights: list[float] = []
    shown = held = 0
    for number in range(pages):
        if time.monotonic() > deadline:
            raise ReportError(source, f"the PDF takes over {limits.PDF_SECONDS:g} s to parse (gkdata.limits.PDF_SECONDS);"
                                      f" {number} pages were read")
        page = document[number]
        try:
            if walk:
                limits.check(_text_objects(page, cap), "MAX_PDF_PAGE_TEXTS", source, f"page {number + 1} of the PDF",
                             "text objects", stopped=True)
            items, n_shown, n = _page_items(page, number)
            heights.append(page.get_height())
        finally:
            page.close()
        held += n
        limits.check(held, "MAX_CHARS", source, "the PDF's text", "characters")
        shown += n_shown
        per_page.append(items)
    return _drop_margins(per_page, heights), shown


def _undecoded(blocks: list[Block]) -> int:
    """Characters no font maps to Unicode: control characters, private use, U+FFFD."""
    bad = re.compile(r"[\x00-\x08\x0e-\x1f\ue000-\uf8ff\ufffd]")
    return sum(len(bad.findall(b)) if isinstance(b, str) else sum(len(bad.findall(c.text)) for c in b) for b in blocks)


def read(data: bytes, source: str) -> tuple[list[Block], str]:
    """The PDF's blocks; raises :class:`ReportError` for a scan, an unreadable file, or one over the caps.

    Whatever pdfium raises on a damaged file (or anything reading it raises)
    is a :class:`ReportError` naming it.
    """
    import pypdfium2
    import pypdfium2.raw as R

    with _PDFIUM:
        try:
            document = pypdfium2.PdfDocument(data)
        except Exception as e:
            raise ReportError(source, f"this is not a readable PDF ({type(e).__name__}: {e})") from e
        try:
            pages = len(document)  # pdfium's count, before any page is parsed
            limits.check(pages, "MAX_PDF_PAGES", source, "the PDF", "pages")
            cost = pdf_streams.measure(data, source, encrypted=R.FPDF_GetSecurityHandlerRevision(document.raw) != -1)
            items, shown = _read_pages(document, pages, source, cost)
        except (ReportError, MemoryError):
            raise
        except Exception as e:
            raise ReportError(source, f"this is not a readable PDF ({type(e).__name__}: {e})") from e
        finally:
            document.close()
    if not shown:
        raise ReportError(source, "the PDF has no text layer (it is a scanned image); it needs OCR before it can be read")
    try:
        blocks = _blocks(items, source)
    except (ReportError, MemoryError):
        raise
    except Exception as e:
        raise ReportError(source, f"this is not a readable PDF ({type(e).__name__}: {e})") from e
    undecoded = _undecoded(blocks)
    if undecoded > 20 and undecoded > 0.1 * shown:
        raise ReportError(source, "the PDF's text layer cannot be decoded (its fonts have no Unicode map)")
    return blocks, "utf-8"


CONVERTER = Converter(sniff, read, SUFFIXES)
