"""Word ``.docx``: the body's paragraphs and tables in document order.

The zip package is checked before python-docx opens it (:func:`_check_package`:
no zip bomb, no lying sizes), then python-docx opens it — its XML parser expands
no entities and fetches nothing — and the body XML is walked directly so that text
python-docx's ``Paragraph.text`` skips (tracked insertions, content controls,
smart tags) is kept and deleted text and drawings are not. The rows below a
vertically merged cell (``w:vMerge``) get an empty cell, never a copy of its
number; a horizontally merged one (``w:gridSpan``) is written once.

>>> import io, docx as python_docx
>>> d = python_docx.Document()
>>> _ = d.add_paragraph("二、主动公开政府信息情况")
>>> t = d.add_table(rows=2, cols=2)
>>> t.cell(0, 0).merge(t.cell(1, 0)).text = "行政许可"
>>> t.cell(0, 1).text, t.cell(1, 1).text = "5", "6"
>>> buf = io.BytesIO(); d.save(buf)
>>> blocks, _ = read(buf.getvalue(), "r.docx")
>>> blocks[0], [cell[:4] for cell in blocks[1]]
('二、主动公开政府信息情况', [(0, 0, '行政许可', 1), (0, 1, '5', 1), (1, 0, '', 1), (1, 1, '6', 1)])
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from typing import TYPE_CHECKING

from .. import limits
from ..errors import ReportError
from . import Block, Cell, Converter, is_data_table, join_lines

if TYPE_CHECKING:
    from lxml.etree import _Element

SUFFIXES = (".docx",)
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
# Subtrees whose text is not the paragraph's: deletions, drawings and text boxes (kept twice, as a
# choice and a fallback), field codes.
_NOT_TEXT = {_W + "del", _W + "drawing", _W + "pict", _W + "object", _MC + "AlternateContent", _W + "instrText",
             _W + "rPr", _W + "pPr"}
_CHARS = {_W + "tab": "\t", _W + "ptab": "\t", _W + "br": "\n", _W + "cr": "\n", _W + "noBreakHyphen": "-"}
_CONTAINERS = {_W + "sdt", _W + "sdtContent", _W + "customXml", _W + "ins", _W + "smartTag"}
_MEMBER = b"PK\x01\x02"  # a central directory entry's signature: zipfile makes one ZipInfo per entry


def sniff(data: bytes, source: str) -> bool:
    """A ``.docx`` file, or a zip package with a Word document inside."""
    if source.lower().endswith(SUFFIXES):
        return True
    if not data.startswith(b"PK\x03\x04"):
        return False
    if data.count(_MEMBER) > limits.MAX_ZIP_MEMBERS:
        return True  # too many members to list: read says why
    try:
        return "word/document.xml" in zipfile.ZipFile(io.BytesIO(data)).namelist()
    except zipfile.BadZipFile:
        return False


def _inflated(data: bytes, info: zipfile.ZipInfo) -> int:
    """How many bytes a deflated member inflates to, counted 1 MiB at a time and only up to one step
    past its declared size (zipfile would inflate all of it into memory, then cut it at that size)."""
    start = info.header_offset + 30 + sum(struct.unpack_from("<HH", data, info.header_offset + 26))
    inflate, rest, size = zlib.decompressobj(-15), memoryview(data)[start:start + info.compress_size], 0
    while True:
        out = inflate.decompress(rest, 2**20)
        size, rest = size + len(out), inflate.unconsumed_tail
        if size > info.file_size or not (out or rest):
            return size


def _check_package(data: bytes, source: str) -> None:
    """Refuse a package that would take more memory than a real one before python-docx inflates it.

    Members are counted before zipfile lists them; their sizes together are
    held to :data:`~gkdata.limits.MAX_PACKAGE`, an XML part's to
    :data:`~gkdata.limits.MAX_XML_PART`, and an XML part over 1 MiB may not be
    compressed more than :data:`~gkdata.limits.MAX_XML_RATIO` : 1. Word writes
    stored or deflated members only, and a deflated one must not inflate to
    more than its declared size (a lying size).
    """
    limits.check(data.count(_MEMBER), "MAX_ZIP_MEMBERS", source, "the package", "members")
    infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    limits.check(sum(i.file_size for i in infos), "MAX_PACKAGE", source, "the package uncompressed")
    for info in infos:
        part = f"the part {info.filename!r}"
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise ReportError(source, f"{part} is compressed with method {info.compress_type}, which Word never uses")
        if info.filename.endswith((".xml", ".rels")):
            limits.check(info.file_size, "MAX_XML_PART", source, part)
            if info.file_size > 2**20 and info.file_size > limits.MAX_XML_RATIO * info.compress_size:
                raise ReportError(source, f"{part} is compressed {info.file_size // max(info.compress_size, 1):,}:1"
                                          f" (a zip bomb; over gkdata.limits.MAX_XML_RATIO = {limits.MAX_XML_RATIO}:1)")
        if info.compress_type == zipfile.ZIP_DEFLATED and _inflated(data, info) > info.file_size:
            raise ReportError(source, f"{part} inflates to more than the {info.file_size:,} bytes it declares")


def _text(el: _Element) -> str:
    parts = []
    for child in el:
        if child.tag == _W + "t":
            parts.append(child.text or "")
        elif child.tag in _CHARS:
            parts.append(_CHARS[child.tag])
        elif child.tag not in _NOT_TEXT:
            parts.append(_text(child))
    return "".join(parts)


def _merge(props: _Element | None, tag: str) -> str | None:
    """``restart`` / ``continue`` for a merged cell (a bare ``<w:vMerge/>`` continues), else None."""
    el = props.find(_W + tag) if props is not None else None
    return None if el is None else el.get(_W + "val", "continue")


def _int(el: _Element | None) -> int:
    """A ``w:val`` count (a span, columns skipped), at most 1000 as in a browser (Word allows 63 columns)."""
    value = "" if el is None else el.get(_W + "val", "")
    return min(int(value.lstrip("0")[:6] or 0), 1000) if value.isascii() and value.isdigit() else 0


def _data_table(tbl: _Element) -> list[Cell] | None:
    """The cells of a table at their grid positions, or None for a layout table.

    A vertically merged cell keeps a placeholder ``w:tc`` in every row it
    covers; it is written as an empty cell whatever it still holds, so a
    merged number is read once. A ``w:gridSpan`` cell is one cell.
    """
    if tbl.find(f".//{_W}tbl") is not None:
        return None
    cells: list[Cell] = []
    for r, tr in enumerate(tbl.iterchildren(_W + "tr")):
        col = _int(tr.find(f"{_W}trPr/{_W}gridBefore"))
        for tc in tr.iterchildren(_W + "tc"):
            props = tc.find(_W + "tcPr")
            span = max(_int(props.find(_W + "gridSpan")) if props is not None else 1, 1)
            if _merge(props, "hMerge") != "continue":  # a legacy horizontal merge is covered from the left
                text = "" if _merge(props, "vMerge") == "continue" else join_lines(  # paragraphs and <w:br/>
                    line for b in _blocks(tc) if isinstance(b, str) for line in b.split("\n"))
                cells.append(Cell(r, col, text, 1, span))
            col += span
    return cells if is_data_table(cells) else None


def _blocks(container: _Element) -> list[Block]:
    """Paragraphs and tables of a body or cell, in order; layout tables are read as their content."""
    out: list[Block] = []
    for child in container:
        if child.tag == _W + "p":
            out.append(_text(child))
        elif child.tag == _W + "tbl":
            cells = _data_table(child)
            if cells is not None:
                out.append(cells)
            else:
                out += [b for tc in child.iter(_W + "tc") if tc.getparent().getparent() is child
                        for b in _blocks(tc)]
        elif child.tag in _CONTAINERS:
            out += _blocks(child)
    return out


def read(data: bytes, source: str) -> tuple[list[Block], str]:
    """The document's blocks, and its encoding (a .docx stores its text as UTF-8 XML)."""
    import docx

    try:
        _check_package(data, source)
        body = docx.Document(io.BytesIO(data)).element.body
    except ReportError as e:
        raise ReportError(source, f"this is not a readable Word .docx file ({e.reason})") from e
    except MemoryError:
        raise
    except Exception as e:  # zipfile, lxml and python-docx on a damaged package: a bad zip, bad XML, a wrong part…
        raise ReportError(source, f"this is not a readable Word .docx file ({type(e).__name__}: {e})") from e
    if body is None:
        raise ReportError(source, "this is not a readable Word .docx file (its document has no body)")
    return _blocks(body), "utf-8"


CONVERTER = Converter(sniff, read, SUFFIXES)
