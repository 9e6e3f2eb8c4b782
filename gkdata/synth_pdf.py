"""Synthetic reports as PDF files: :mod:`gkdata.synth`'s ``pdf`` rendering, laid out on A4 pages.

The report's blocks (title, prose, headings and the three tables as
:class:`~gkdata.formats.Cell` grids) are set the way a word processor exports
them: prose wrapped at the right margin, headings set bold (drawn twice,
a little apart, as many producers do), a running header and page numbers,
tables that run onto the next page, and table cells at positions measured in
the font's own widths. Options (:class:`~gkdata.synth.Rendering`):

- ``rules``: the tables' cell borders drawn (stroked boxes, or thin filled
  rectangles as Word draws them), or no rules at all;
- ``vertical``: header labels one character per line in narrow columns;
- ``valign`` / ``align``: a row's cells at the top of its wrapped label or
  in its middle; values and headers at the left of their cells or centred;
- ``split``: a row may break across a page, its label's last lines moved to
  the next page (as Word does), instead of moving to the next page whole;
- ``rotate``: 90 or 270, the report laid out on landscape pages stored as
  portrait ones turned by ``/Rotate`` (their content drawn turned back, so
  each shows upright), as a landscape table in a portrait document is.

The text is in Noto Sans SC (``pylopdf_fonts_zh_cn``, never a system font),
embedded as a TrueType subset of the characters the report uses, with a
ToUnicode map. The PDF is written here (no PDF library): glyph outlines are
converted once per process and character, so a report takes milliseconds.

>>> from gkdata import synth
>>> s = synth.generate(3, layout=synth.Rendering("pdf", rules=True))
>>> s.data[:8], s.layout
(b'%PDF-1.7', 'pdf')
>>> import gkdata
>>> gkdata.read_report(s.data).meta.layout
'pdf'
"""

from __future__ import annotations

import random
import re
import struct
import zlib
from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

from .formats import Cell

if TYPE_CHECKING:
    from .synth import Rendering

PAGE = (595.28, 841.89)  # A4, points
_MARK = re.compile(r"^(?:## |\*\*)|\*\*$")


# -- the font -------------------------------------------------------------------------------------


class _Glyph(NamedTuple):
    data: bytes  # its glyf table entry
    advance: int  # font units (1000 an em)
    lsb: int
    box: tuple[int, int, int, int]  # xMin, yMin, xMax, yMax
    points: int
    contours: int


class _Font:
    """Noto Sans SC, its glyphs converted to TrueType outlines on first use (a few ms each)."""

    def __init__(self):
        import pylopdf_fonts_zh_cn
        from fontTools.ttLib import TTFont

        self.source = TTFont(pylopdf_fonts_zh_cn.sans_path(), lazy=True)
        self.cmap = self.source.getBestCmap()
        self.glyph_set = self.source.getGlyphSet()
        self.metrics = self.source["hmtx"].metrics
        self.ascent, self.descent = self.source["hhea"].ascent, self.source["hhea"].descent
        self.glyphs: dict[str, _Glyph] = {}
        self.notdef = self._convert(".notdef")

    def _convert(self, name: str) -> _Glyph:
        from fontTools.pens.cu2quPen import Cu2QuPen
        from fontTools.pens.ttGlyphPen import TTGlyphPen

        pen = TTGlyphPen(None)
        self.glyph_set[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
        g = pen.glyph()
        data = g.compile(None)
        advance, lsb = self.metrics[name]
        if g.numberOfContours <= 0:
            return _Glyph(b"", advance, 0, (0, 0, 0, 0), 0, 0)
        return _Glyph(data, advance, g.xMin, (g.xMin, g.yMin, g.xMax, g.yMax), len(g.coordinates), g.numberOfContours)

    def glyph(self, ch: str) -> _Glyph:
        g = self.glyphs.get(ch)
        if g is None:
            name = self.cmap.get(ord(ch))
            g = self.glyphs[ch] = self._convert(name) if name else self.notdef
        return g

    def advance(self, ch: str) -> int:
        return self.glyph(ch).advance


_FONT: _Font | None = None


def _font() -> _Font:
    global _FONT
    if _FONT is None:
        _FONT = _Font()
    return _FONT


def _checksum(data: bytes) -> int:
    data += b"\0" * (-len(data) % 4)
    return sum(struct.unpack(f">{len(data) // 4}I", data)) & 0xFFFFFFFF


def truetype(chars: Sequence[str]) -> bytes:
    """A TrueType font of these characters (glyph ``i + 1`` is ``chars[i]``; 0 is .notdef)."""
    font = _font()
    glyphs = [font.notdef, *(font.glyph(ch) for ch in chars)]
    n = len(glyphs)
    glyf, offsets = bytearray(), [0]
    for g in glyphs:
        glyf += g.data + b"\0" * (-len(g.data) % 4)
        offsets.append(len(glyf))
    drawn = [g for g in glyphs if g.contours] or [glyphs[0]]
    x0, y0 = min(g.box[0] for g in drawn), min(g.box[1] for g in drawn)
    x1, y1 = max(g.box[2] for g in drawn), max(g.box[3] for g in drawn)
    groups = []  # cmap format 12: (first code, last code, first glyph), consecutive runs
    for gid, ch in sorted(((i + 1, ch) for i, ch in enumerate(chars)), key=lambda x: ord(x[1])):
        code = ord(ch)
        if groups and groups[-1][1] == code - 1 and groups[-1][2] + code - groups[-1][0] == gid:
            groups[-1][1] = code
        else:
            groups.append([code, code, gid])
    cmap = struct.pack(">HHHHI", 0, 1, 3, 10, 12) + struct.pack(">HHIII", 12, 0, 16 + 12 * len(groups), 0, len(groups))
    cmap += b"".join(struct.pack(">III", *g) for g in groups)
    family = "NotoSansSC-Subset".encode("utf-16-be")
    name = struct.pack(">HHH", 0, 2, 6 + 24) + b"".join(
        struct.pack(">HHHHHH", 3, 1, 0x409, nid, len(family), 0) for nid in (1, 6)) + family
    tables = {
        "cmap": cmap,
        "glyf": bytes(glyf),
        "head": struct.pack(">IIIIHHqqhhhhHHhhh", 0x00010000, 0x00010000, 0, 0x5F0F3CF5, 0b11, 1000, 0, 0,
                            x0, y0, x1, y1, 0, 8, 2, 1, 0),
        "hhea": struct.pack(">Ihhh" + "H" + "hhh" + "hhh" + "hhhhh" + "H", 0x00010000, font.ascent, font.descent, 0,
                            max(g.advance for g in glyphs), min(g.lsb for g in drawn),
                            min(g.advance - g.box[2] for g in drawn), max(g.box[2] for g in drawn),
                            1, 0, 0, 0, 0, 0, 0, 0, n),
        "hmtx": b"".join(struct.pack(">Hh", g.advance, g.lsb) for g in glyphs),
        "loca": struct.pack(f">{n + 1}I", *offsets),
        "maxp": struct.pack(">IHHHHHHHHHHHHHH", 0x00010000, n, max(g.points for g in glyphs),
                            max(g.contours for g in glyphs), 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0),
        "name": name,
        "post": struct.pack(">IIhhIIIII", 0x00030000, 0, -100, 50, 0, 0, 0, 0, 0),
    }
    count = len(tables)
    power = 1 << (count.bit_length() - 1)
    font_file = bytearray(struct.pack(">IHHHH", 0x00010000, count, power * 16, power.bit_length() - 1,
                                      count * 16 - power * 16))
    offset = 12 + 16 * count
    body, where = bytearray(), {}
    for tag, data in sorted(tables.items()):
        where[tag] = offset + len(body)
        font_file += struct.pack(">4sIII", tag.encode(), _checksum(data), where[tag], len(data))
        body += data + b"\0" * (-len(data) % 4)
    font_file += body
    struct.pack_into(">I", font_file, where["head"] + 8, (0xB1B0AFBA - _checksum(bytes(font_file))) & 0xFFFFFFFF)
    return bytes(font_file)


def width(text: str, size: float) -> float:
    """The printed width of ``text`` at ``size`` points."""
    font = _font()
    return sum(font.advance(ch) for ch in text) * size / 1000


# -- pages -------------------------------------------------------------------------------------------


class _Page:
    def __init__(self):
        self.ops: list[str] = []
        self.chars: set[str] = set()


class _Writer:
    """Text, lines and boxes on pages, top-down coordinates; :meth:`pdf` writes the file."""

    def __init__(self, rng: random.Random, margins: tuple[float, float, float, float],
                 size: tuple[float, float] = PAGE, rotate: int = 0):
        self.rng = rng
        self.size, self.rotate = size, rotate  # the page as shown; its /Rotate
        self.left, self.top, self.right, self.bottom = margins  # body area, top-down
        self.pages: list[_Page] = []
        self.y = 0.0
        self.lines: list[str] = []  # what was drawn, line by line: the report's text view
        self.stopped = False  # a cut: nothing more is drawn
        self.new_page()

    @property
    def page(self) -> _Page:
        return self.pages[-1]

    def new_page(self) -> None:
        self.pages.append(_Page())
        self.y = self.top

    def text(self, x: float, baseline: float, text: str, size: float, bold: bool = False, page: _Page | None = None):
        if not text:
            return
        page = page or self.page
        page.chars.update(text)
        for dx in ((0.0, 0.35) if bold else (0.0,)):
            page.ops.append(f"BT /F1 {size:.2f} Tf {x + dx:.2f} {self.size[1] - baseline:.2f} Td \x00{text}\x00 Tj ET")

    def rule(self, x0: float, y0: float, x1: float, y1: float, page: _Page, filled: bool, weight: float) -> None:
        """One straight rule: a stroked line, or a thin filled rectangle (Word's borders)."""
        h = self.size[1]
        if filled:
            if y0 == y1:
                page.ops.append(f"{x0:.2f} {h - y0 - weight / 2:.2f} {x1 - x0:.2f} {weight:.2f} re f")
            else:
                page.ops.append(f"{x0 - weight / 2:.2f} {h - y1:.2f} {weight:.2f} {y1 - y0:.2f} re f")
        else:
            page.ops.append(f"{weight:.2f} w {x0:.2f} {h - y0:.2f} m {x1:.2f} {h - y1:.2f} l S")

    def box(self, x0: float, y0: float, x1: float, y1: float, page: _Page, weight: float) -> None:
        page.ops.append(f"{weight:.2f} w {x0:.2f} {self.size[1] - y1:.2f} {x1 - x0:.2f} {y1 - y0:.2f} re S")

    def pdf(self, header: str | None, numbering: str | None) -> bytes:
        """The file: every page with the running header and the page number (``numbering`` a format)."""
        total = len(self.pages)
        wide, high = self.size
        for i, page in enumerate(self.pages, 1):
            if header:
                self.text((wide - width(header, 9)) / 2, 38, header, 9, page=page)
                page.ops.append(f"0.50 w {self.left:.2f} {high - 44:.2f} m {wide - self.right:.2f} "
                                f"{high - 44:.2f} l S")
            if numbering:
                number = numbering.format(n=i, total=total)
                self.text((wide - width(number, 9)) / 2, high - 30, number, 9, page=page)
        chars = sorted(set().union(*(p.chars for p in self.pages)))
        gid = {ch: i + 1 for i, ch in enumerate(chars)}
        font = _font()
        objects: list[bytes] = []

        def add(body: bytes) -> int:
            objects.append(body)
            return len(objects)

        def stream(data: bytes, extra: bytes = b"") -> bytes:
            packed = zlib.compress(data, 6)
            return b"<< /Length %d /Filter /FlateDecode%s >>\nstream\n%s\nendstream" % (len(packed), extra, packed)

        add(b"")  # 1: catalog
        add(b"")  # 2: pages
        font_file = truetype(chars)
        ff = add(stream(font_file, b" /Length1 %d" % len(font_file)))
        descriptor = add(b"<< /Type /FontDescriptor /FontName /AAAAAA+NotoSansSC /Flags 4 /FontBBox [-1000 -300 2000 1200]"
                         b" /ItalicAngle 0 /Ascent %d /Descent %d /CapHeight 700 /StemV 80 /FontFile2 %d 0 R >>"
                         % (font.ascent, font.descent, ff))
        widths = b" ".join(b"%d" % font.advance(ch) for ch in chars)
        cid = add(b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /AAAAAA+NotoSansSC /CIDSystemInfo << /Registry (Adobe)"
                  b" /Ordering (Identity) /Supplement 0 >> /FontDescriptor %d 0 R /DW 1000 /W [1 [%s]]"
                  b" /CIDToGIDMap /Identity >>" % (descriptor, widths))
        cmap_lines = []
        for i in range(0, len(chars), 100):
            part = chars[i:i + 100]
            cmap_lines.append(f"{len(part)} beginbfchar")
            cmap_lines += [f"<{gid[ch]:04X}> <{ch.encode('utf-16-be').hex().upper()}>" for ch in part]
            cmap_lines.append("endbfchar")
        to_unicode = ("/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CIDSystemInfo << /Registry (Adobe) "
                      "/Ordering (UCS) /Supplement 0 >> def /CMapName /Adobe-Identity-UCS def /CMapType 2 def "
                      "1 begincodespacerange <0000> <FFFF> endcodespacerange\n" + "\n".join(cmap_lines)
                      + "\nendcmap CMapName currentdict /CMap defineresource pop end end")
        tu = add(stream(to_unicode.encode("ascii")))
        type0 = add(b"<< /Type /Font /Subtype /Type0 /BaseFont /AAAAAA+NotoSansSC /Encoding /Identity-H"
                    b" /DescendantFonts [%d 0 R] /ToUnicode %d 0 R >>" % (cid, tu))
        marked = re.compile("\x00([^\x00]*)\x00")

        def encode(m: re.Match) -> str:
            return "<" + "".join(f"{gid[ch]:04X}" for ch in m.group(1)) + ">"

        # a turned page is stored portrait: its content drawn from where it shows (x, y) to where it is stored
        stored, turn = {90: ((high, wide), f"0 1 -1 0 {high:.2f} 0 cm\n"),
                        270: ((high, wide), f"0 -1 1 0 0 {wide:.2f} cm\n")}.get(self.rotate, ((wide, high), ""))
        kids = []
        for page in self.pages:
            content = marked.sub(encode, turn + "\n".join(page.ops)).encode("ascii")
            c = add(stream(content))
            kids.append(add(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.2f %.2f] /Rotate %d /Contents %d 0 R"
                            b" /Resources << /Font << /F1 %d 0 R >> >> >>" % (*stored, self.rotate, c, type0)))
        objects[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
        objects[1] = b"<< /Type /Pages /Count %d /Kids [%s] >>" % (len(kids), b" ".join(b"%d 0 R" % k for k in kids))
        out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
        offsets = []
        for i, body in enumerate(objects, 1):
            offsets.append(len(out))
            out += b"%d 0 obj\n%s\nendobj\n" % (i, body)
        xref = len(out)
        out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
        out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
        out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
        return bytes(out)


# -- prose ---------------------------------------------------------------------------------------------


def _break(text: str, size: float, room: float, first: float = 0.0) -> list[str]:
    """``text`` in lines of at most ``room`` points (the first ``first`` points narrower), broken between any
    two characters, as Chinese is set."""
    font = _font()
    lines, line, used, limit = [], "", 0.0, room - first
    for ch in text:
        w = font.advance(ch) * size / 1000
        if line and used + w > limit:
            lines.append(line)
            line, used, limit = "", 0.0, room
        line += ch
        used += w
    if line:
        lines.append(line)
    return lines


def _paragraph(w: _Writer, text: str, size: float, indent: bool, bold: bool = False, gap: float = 0.0) -> None:
    spacing = size * 1.6
    first = 2 * size if indent else 0.0
    w.y += gap
    for i, line in enumerate(_break(text, size, w.size[0] - w.left - w.right, first)):
        if w.stopped:
            return
        if w.y + spacing > w.size[1] - w.bottom:
            w.new_page()
        w.text(w.left + (first if i == 0 else 0), w.y + size, line, size, bold)
        w.lines.append(line)
        w.y += spacing


def _title(w: _Writer, title: str) -> None:
    size = 18.0
    room = w.size[0] - w.left - w.right
    lines = [title]
    if width(title, size) > room:  # broken after its year, as a long title is
        m = re.search(r"\d{4}年度?", title)
        lines = [title[:m.end()], title[m.end():]] if m else _break(title, size, room)
        if max(width(line, size) for line in lines) > room:
            size = max(10.0, size * room / max(width(line, size) for line in lines))
    for line in lines:
        w.text((w.size[0] - width(line, size)) / 2, w.y + size, line, size, bold=True)
        w.lines.append(line)
        w.y += size * 1.5
    w.y += size * 0.5


# -- tables --------------------------------------------------------------------------------------------


_CUT = "\x01"  # synth's mark of where a cut text ends


class _Layout(NamedTuple):
    lines: dict[Cell, list[str]]
    xs: list[float]  # column left edges, and the table's right edge
    heights: list[float]  # per grid row
    size: float
    pad: float  # inside a cell, left and right
    vpad: float  # above and below its lines
    step: float  # line to line


def _layout(cells: list[Cell], keys: dict, rd: Rendering, rng: random.Random, room: float) -> _Layout:
    from .synth import _wrap

    ncols = max(c.col + c.colspan for c in cells)
    nrows = max(c.row + c.rowspan for c in cells)
    first_value = min((c for _, c in keys), default=ncols)
    data_rows = {row for row, _ in keys}

    def role(c: Cell) -> str:
        if (c.row, c.col) in keys:
            return "value"
        return "header" if c.row not in data_rows and c.col >= first_value else "label"

    label_cap, group_cap, head_cap = rng.randint(12, 24), rng.randint(4, 10), rng.randint(4, 10)
    size = rng.choice((7.5, 8.0, 9.0, 10.0, 10.5))
    pad, vpad = size * rng.uniform(0.35, 0.6), size * rng.uniform(0.2, 0.4)  # a cell's margins
    while True:
        lines: dict[Cell, list[str]] = {}
        widths = [2 * pad + size] * ncols
        for c in cells:
            kind = role(c)
            text = c.text.strip()
            if kind == "value":
                lines[c] = [text] if text else []
            elif kind == "header":
                lines[c] = _wrap(c.text, 2, vertical=True) if rd.vertical else _wrap(c.text, head_cap)
            else:
                lines[c] = _wrap(c.text, group_cap if c.rowspan > 1 else label_cap)
            if c.colspan == 1:
                need = max((width(line.replace(_CUT, ""), size) for line in lines[c]), default=0.0) + 2 * pad
                widths[c.col] = max(widths[c.col], need)
        for c in sorted((c for c in cells if c.colspan > 1), key=lambda c: c.colspan):
            span = sum(widths[c.col:c.col + c.colspan])
            if role(c) != "value":
                cap = max(2, int((span - 2 * pad) / size * 2))  # display columns that fit
                lines[c] = _wrap(c.text, cap)
            need = max((width(line.replace(_CUT, ""), size) for line in lines[c]), default=0.0) + 2 * pad
            widths[c.col + c.colspan - 1] += max(0.0, need - span)
        if sum(widths) <= room or size <= 5.0:
            break
        size -= 0.5  # too wide for the page: a smaller font, as a writer fits a table
        label_cap, head_cap = max(8, label_cap - 2), max(2, head_cap - 1)
    step = size * rng.uniform(1.15, 1.4)
    heights = [2 * vpad + step] * nrows
    for c in cells:
        if c.rowspan == 1:
            heights[c.row] = max(heights[c.row], 2 * vpad + step * max(len(lines[c]), 1))
    for c in cells:
        if c.rowspan > 1:
            need = 2 * vpad + step * len(lines[c])
            have = sum(heights[c.row:c.row + c.rowspan])
            if need > have:
                heights[c.row + c.rowspan - 1] += need - have
    left = (room - sum(widths)) / 2 if rng.random() < 0.5 else 0.0
    xs = [left]
    for wd in widths:
        xs.append(xs[-1] + wd)
    return _Layout(lines, xs, heights, size, pad, vpad, step)


def _table(w: _Writer, cells: list[Cell], keys: dict, rd: Rendering, rng: random.Random) -> None:
    """One table: its rows placed down the pages (a row that does not fit goes to the next page, or with
    ``split`` breaks between its label's lines), its cells' lines drawn, and with ``rules`` its borders."""
    room = w.size[0] - w.left - w.right
    lay = _layout(cells, keys, rd, rng, room)
    x_at = [w.left + x for x in lay.xs]
    nrows = len(lay.heights)
    tops = [0.0]
    for h in lay.heights:
        tops.append(tops[-1] + h)
    data_rows = {row for row, _ in keys}
    # cut the table's height into page parts: (table y where it starts, page, page y there)
    parts: list[tuple[float, int, float]] = []
    y, page = w.y, len(w.pages) - 1
    bottom = w.size[1] - w.bottom
    parts.append((0.0, page, y))
    for r in range(nrows):
        h = lay.heights[r]
        if y + h <= bottom:
            y += h
            continue
        # the row does not fit: break before it, or (split) after the lines of it that fit
        lines_here = int((bottom - y - lay.vpad) / lay.step)
        most = max((len(lay.lines[c]) for c in cells if c.row == r and c.rowspan == 1), default=1)
        if rd.split and rd.valign == "top" and r in data_rows and 1 <= lines_here < most:
            cut_at = tops[r] + lay.vpad + lines_here * lay.step
        else:
            cut_at = tops[r]
        w.new_page()
        page, y = len(w.pages) - 1, w.y
        parts.append((cut_at, page, y))
        y += tops[r + 1] - cut_at

    def place(t: float) -> tuple[int, float]:
        """Table y -> (page, page y)."""
        for start, pg, py in reversed(parts):
            if t >= start - 1e-6:
                return pg, py + (t - start)
        return parts[0][1], parts[0][2] + t

    def pieces(t0: float, t1: float) -> list[tuple[int, float, float]]:
        """The parts of a table height range on each page: (page, page y0, page y1)."""
        out = []
        bounds = [p[0] for p in parts] + [tops[-1]]
        for k, (start, pg, py) in enumerate(parts):
            a, b = max(t0, start), min(t1, bounds[k + 1])
            if b - a > 0.5:
                out.append((pg, py + a - start, py + b - start))
        return out

    filled = rng.random() < 0.5  # borders as thin filled rectangles (Word) or stroked boxes
    weight = rng.choice((0.5, 0.57, 0.75))
    # a cut (the file ends inside a row): the cells before it in that row and the rows above are drawn, and
    # nothing below that row — not the rest of a merged cell either, as where a page ends
    cut = next((c for c in cells if _CUT in c.text), None)
    limit = tops[cut.row + 1] if cut is not None else tops[-1]
    last, start_of = cut, {}
    if cut is not None and cut.rowspan > 1 and (cut.row, cut.col) not in keys:
        # a cut in a group label's first line: the line shows the start of the row's own label beside it
        # too (else nothing would show that the row above had ended)
        beside = next((c for c in sorted(cells, key=lambda c: c.col) if c.row == cut.row and c.col > cut.col
                       and (c.row, c.col) not in keys and c.text.strip()), None)
        if beside is not None and (m := re.search("[\u4e00-\u9fff]", beside.text)):
            last, start_of[beside] = beside, beside.text[:m.end()]
    for c in sorted(cells, key=lambda c: (c.row, c.col)):
        if w.stopped:
            break
        x0, x1 = x_at[c.col], x_at[c.col + c.colspan]
        t0, t1 = tops[c.row], min(tops[c.row + c.rowspan], limit)
        lines = [start_of[c] + _CUT] if c in start_of else lay.lines[c]
        value_like = (c.row, c.col) in keys or c.row not in data_rows
        block = len(lines) * lay.step
        whole = tops[c.row + c.rowspan] - t0
        top = rd.valign == "top" or (cut is not None and c.row == cut.row)  # the row at a cut shows its start
        first = t0 + lay.vpad if top else t0 + (whole - block) / 2
        t = first
        drawn_cells = []
        for line in lines:
            if t + lay.step > limit + 0.5:
                break  # (a line that would reach below the cut's row is not on the page)
            ends = _CUT in line
            line = line[:line.index(_CUT)] if ends else line
            later = [p for p in parts if p[0] > t + 1e-6]
            if later and t + lay.step > later[0][0] + 0.5:  # it would cross a page's end: onto the next page
                t = later[0][0] + lay.vpad  # (inside the cell's part there, below its rule)
            pg, py = place(t)
            lw = width(line, lay.size)
            if (rd.align == "center" and value_like) or (rd.rules and c.row not in data_rows):
                x = x0 + (x1 - x0 - lw) / 2
            else:
                x = x0 + lay.pad
            w.text(x, py + lay.size * 0.95, line, lay.size, page=w.pages[pg])
            drawn_cells.append(line)
            t += lay.step
            if ends:
                break
        w.lines.append(" ".join(drawn_cells))
        if c == last:
            w.stopped = True  # nothing after the cut is drawn
        if rd.rules:
            for pg, y0, y1 in pieces(t0, t1):
                page = w.pages[pg]
                if filled:
                    w.rule(x0, y0, x1, y0, page, True, weight)
                    w.rule(x0, y1, x1, y1, page, True, weight)
                    w.rule(x0, y0, x0, y1, page, True, weight)
                    w.rule(x1, y0, x1, y1, page, True, weight)
                else:
                    w.box(x0, y0, x1, y1, page, weight)
    _, py = place(tops[-1])  # the table ends on the last page
    w.y = py + lay.size


# -- the report ----------------------------------------------------------------------------------------


class Drawn(str):
    """The text a PDF shows (its lines as drawn), with the file itself in :attr:`data`."""

    data: bytes


_NUMBERINGS = ("- {n} -", "第{n}页 共{total}页", "{n}", "{n}/{total}", "— {n} —")


def write_pdf(title: str, preamble: str, headings: list[str | None], bodies: list, printed: dict,
              rd: Rendering, rng: random.Random) -> Drawn:
    """The report as a PDF: ``bodies`` are the six sections' contents (prose lines; a table's
    cells for sections 二, 三, 四, whose value cells ``printed[name].keys`` names)."""
    from .synth import TABLES

    margins = (rng.uniform(60, 90), rng.uniform(60, 80), rng.uniform(60, 90), rng.uniform(60, 80))
    size = PAGE[::-1] if rd.rotate else PAGE  # a turned page: landscape as shown
    w = _Writer(rng, margins, size, rd.rotate)
    prose = rng.choice((10.5, 11.0, 12.0))
    _title(w, title)
    _paragraph(w, preamble, prose, indent=True)
    tables = iter(TABLES)
    for heading, body in zip(headings, bodies):
        if w.stopped:
            break
        if heading is not None:
            _paragraph(w, _MARK.sub("", heading), prose + 1, indent=False, bold=rng.random() < 0.7, gap=prose * 0.4)
        if body and isinstance(body[0], Cell):
            _table(w, list(body), printed[next(tables)].keys, rd, rng)
        else:
            for line in body:
                _paragraph(w, line, prose, indent=True)
    header = title if rng.random() < 0.5 else None
    numbering = rng.choice(_NUMBERINGS) if rng.random() < 0.8 else None
    out = Drawn("\n".join(w.lines) + "\n")
    out.data = w.pdf(header, numbering)
    return out
