"""Hostile inputs end fast with a Report or a ReportError naming the cause (issue #15, item 1).

Each file is built here, small: the builders take the size, and
``benchmarks/hostile.py`` calls them at the full sizes measured on the
unguarded reader (3 GB from an 18 KB page, a minute of CPU from a 120 KB one).
A read that could run away without its guard runs in a child process held to
1 GiB of address space and a time limit (:func:`read_limited`).
"""

from __future__ import annotations

import functools
import io
import itertools
import json
import os
import re
import resource
import struct
import subprocess
import sys
import time
import tracemalloc
import zipfile
import zlib
from collections.abc import Iterable
from pathlib import Path

import pytest

import gkdata
from gkdata import labels, limits
from gkdata.errors import ReportError
from gkdata.formats import docx as docx_format
from gkdata.formats import html as html_format
from gkdata.formats import pdf as pdf_format

from conftest import SEEDS

# The child: read one file, print [outcome, reason or repr, seconds, peak RSS in kB since exec (VmHWM; a
# forked child's ru_maxrss starts at its parent's RSS)]; any other exception is a traceback.
CHILD = """
import json, sys, time
import gkdata
start = time.monotonic()
try:
    outcome = ["Report", repr(gkdata.read_report(sys.argv[1]))]
except gkdata.ReportError as e:
    outcome = ["ReportError", e.reason]
seconds = time.monotonic() - start
peak = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(json.dumps(outcome + [seconds, peak]))
"""
MEMORY = 2**30


def limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def read_limited(path: Path, seconds: float = 10) -> tuple[str, str]:
    """``read_report(path)`` in a child held to :data:`MEMORY` of address space: ("Report", repr) or
    ("ReportError", reason); the test fails if it takes over ``seconds`` or ends any other way."""
    try:
        proc = subprocess.run([sys.executable, "-c", CHILD, str(path)], capture_output=True, text=True,
                              timeout=seconds, preexec_fn=limit_memory)
    except subprocess.TimeoutExpired:
        pytest.fail(f"reading {path.name} took over {seconds} s")
    assert proc.returncode == 0, f"reading {path.name} ended in neither a Report nor a ReportError:\n{proc.stderr[-3000:]}"
    kind, text, *_ = json.loads(proc.stdout)
    return kind, text


# -- builders (benchmarks/hostile.py calls them at full size) ----------------------------------------

def span_page(rows: int = 300) -> bytes:
    """A page whose every cell spans 300 rows and 1000 columns: ~20 KB, 3 GB of grid unguarded."""
    row = "<tr>" + "<td rowspan=300 colspan=1000>x</td>" * 2 + "</tr>"
    return f"<html><body><table>{row * rows}</table></body></html>".encode()


def backtick_page(n: int = 60_000) -> bytes:
    """A script with one unterminated template literal of escaped backticks: 120 KB, quadratic unguarded."""
    return ("<html><body><script>`" + "\\`" * n + "</script></body></html>").encode()


def table_text(size: int) -> bytes:
    """A real report (seed 003) with table cells appended up to ``size`` bytes."""
    head = SEEDS["003"].read_bytes()
    row = "\t规章\t5\n".encode()
    return head + row * max((size - len(head)) // len(row), 0)


def long_line(n: int, unit: str = "一、", after_label: bool = False) -> bytes:
    """Seed 003 with a line of ``n`` characters of ``unit`` repeated in its table 三: a cell of its own before
    the first row (or, ``after_label``, a line without a TAB right after that row's label, which is joined to it)."""
    label = "\t一、本年新收政府信息公开申请数量\n"
    line = unit * (n // len(unit))
    text = SEEDS["003"].read_text(encoding="utf-8")
    return text.replace(label, label + line + "\n" if after_label else f"\t{line}\n{label}", 1).encode()


W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
PARAGRAPH = b"<w:p><w:r><w:t>x</w:t></w:r></w:p>"


def document_xml(body: str, dtd: str = "") -> bytes:
    return f'<?xml version="1.0"?>{dtd}<w:document {W}><w:body>{body}</w:body></w:document>'.encode()


def laughs() -> bytes:
    """document.xml with a billion-laughs DTD (ten entities, each ten of the one before)."""
    entities = '<!ENTITY a "lol">' + "".join(f'<!ENTITY {chr(98 + i)} "{f"&{chr(97 + i)};" * 10}">' for i in range(9))
    return document_xml("<w:p><w:r><w:t>&j;</w:t></w:r></w:p>", f"<!DOCTYPE w:document [{entities}]>")


def paragraphs(size: int) -> Iterable[bytes]:
    """document.xml of ``size`` bytes of one repeated paragraph, in 1 MB chunks (a zip bomb's part)."""
    chunk = PARAGRAPH * (2**20 // len(PARAGRAPH))
    head, tail = document_xml("").split(b"</w:body>")
    return itertools.chain([head], itertools.repeat(chunk, size // len(chunk)), [b"</w:body>" + tail])


@functools.cache
def _blank() -> bytes:
    import docx

    buf = io.BytesIO()
    docx.Document().save(buf)
    return buf.getvalue()


def docx_package(document: Iterable[bytes], extra: dict[str, bytes] | None = None,
                 method: int = zipfile.ZIP_DEFLATED) -> bytes:
    """python-docx's blank package with ``document`` (chunks, streamed) as word/document.xml, and
    ``extra`` members compressed with ``method``."""
    blank = zipfile.ZipFile(io.BytesIO(_blank()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in blank.infolist():
            if info.filename == "word/document.xml":
                with z.open(info.filename, "w") as f:
                    for chunk in document:
                        f.write(chunk)
            else:
                z.writestr(info.filename, blank.read(info))
        for name, data in (extra or {}).items():
            z.writestr(name, data, compress_type=method)
    return out.getvalue()


def declare(package: bytes, member: str, size: int) -> bytes:
    """``package`` with ``member`` declaring ``size`` bytes uncompressed, and the CRC of its first ``size``
    bytes, in both its headers: a lying size that zipfile's CRC check cannot see."""
    with zipfile.ZipFile(io.BytesIO(package)) as z, z.open(member) as f:
        local, crc = z.getinfo(member).header_offset, zlib.crc32(f.read(size))
    data = bytearray(package)
    central = data.find(b"PK\x01\x02")
    while data[central + 46:central + 46 + len(member)] != member.encode():
        central = data.find(b"PK\x01\x02", central + 1)
    struct.pack_into("<LLL", data, local + 14, crc, *struct.unpack_from("<L", data, local + 18), size)
    struct.pack_into("<LLL", data, central + 16, crc, *struct.unpack_from("<L", data, central + 20), size)
    return bytes(data)


def many_members(n: int) -> bytes:
    """A zip whose central directory lists ``n`` entries of one empty member: 45 bytes an entry, and an
    object each in zipfile (1.3 million: 10 s and 540 MB before anything is checked)."""
    local = struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 0, 0, 0, 0, 0, 0, 1, 0) + b"a"
    entry = struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0) + b"a"
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, min(n, 0xFFFF), min(n, 0xFFFF), len(entry) * n, len(local), 0)
    return local + entry * n + end


def pdf_file(objects: list[bytes]) -> bytes:
    """A PDF of these objects (1 0 R first, the catalog), with its cross-reference table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (i, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1) + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


CONTENT = b"BT /F1 1 Tf 1 1 Td (x) Tj ET"
SHARED = [b"<< /Length %d >>\nstream\n%s\nendstream" % (len(CONTENT), CONTENT),
          b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]  # objects 3 and 4 of every PDF here


def page(extra: bytes = b"/MediaBox [0 0 3 3]") -> bytes:
    return b"<< /Type /Page /Parent 2 0 R %s /Contents 3 0 R /Resources << /Font << /F1 4 0 R >> >> >>" % extra


def many_pages(n: int, count: int | None = None) -> bytes:
    """A PDF of ``n`` tiny pages sharing one content stream, in one flat /Kids array (100,000: 15 MB);
    its /Count says ``count`` (default ``n``)."""
    kids = b" ".join(b"%d 0 R" % (5 + i) for i in range(n))
    pages = b"<< /Type /Pages /Count %d /Kids [%s] >>" % (n if count is None else count, kids)
    return pdf_file([b"<< /Type /Catalog /Pages 2 0 R >>", pages, *SHARED] + [page()] * n)


def one_line(n: int) -> bytes:
    """A PDF of one page with one line of ``n`` characters, 1.5 pt apart (30,000: a minute in pdfplumber's
    ``dedupe_chars``, which orders the characters it keeps by ``list.index``)."""
    content = b"BT /F1 3 Tf 0 5 Td (%s) Tj ET" % (b"x" * n)
    stream = b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content)
    return pdf_file([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Count 1 /Kids [5 0 R] >>", stream,
                     SHARED[1], page(b"/MediaBox [0 0 %d 10]" % (2 * n))])


def content_bomb(megabytes: int, unit: bytes = b" ") -> bytes:
    """A PDF of one page whose content stream inflates to ``megabytes`` MB of ``unit`` repeated: spaces (100 MB
    from 100 KB: 240 MB in pdfium) or operators (``BT /F1 1 Tf 1 1 Td (x) Tj ET``: 3.4 million text objects from
    230 KB, 1.7 GB and 18 s)."""
    deflate, block = zlib.compressobj(9), unit * (2**20 // len(unit))
    raw = b"".join(deflate.compress(block) for _ in range(megabytes)) + deflate.flush()
    stream = b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(raw), raw)
    return pdf_file([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Count 1 /Kids [5 0 R] >>", stream,
                     SHARED[1], page(b"/MediaBox [0 0 600 800]")])


def nested_forms(depth: int, fan: int) -> bytes:
    """A PDF of one page drawing a form that draws the next form ``fan`` times, ``depth`` forms deep, the last
    showing ``fan`` characters: fan ** depth characters from 2 KB (6 deep, 10 wide: 3 s and 490 MB to load the
    page, minutes to extract its text)."""
    forms = []
    for i in range(depth):
        last = i == depth - 1
        body = b"BT /F1 1 Tf 1 1 Td " + b"(x) Tj " * fan + b"ET" if last else b"/X Do " * fan
        uses = b"/Font << /F1 4 0 R >>" if last else b"/XObject << /X %d 0 R >>" % (7 + i)
        forms.append(b"<< /Type /XObject /Subtype /Form /BBox [0 0 600 800] /Resources << %s >> /Length %d >>\n"
                     b"stream\n%s\nendstream" % (uses, len(body), body))
    draw = b"/X Do"
    return pdf_file([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Count 1 /Kids [5 0 R] >>",
                     b"<< /Length %d >>\nstream\n%s\nendstream" % (len(draw), draw), SHARED[1],
                     b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 600 800] /Contents 3 0 R /Resources << /XObject"
                     b" << /X 6 0 R >> >> >>", *forms])


def deep_tree(depth: int) -> bytes:
    """A PDF whose one page sits ``depth`` /Pages nodes deep (pdfminer recurses once a level)."""
    nodes = [b"<< /Type /Pages /Count 1 /Kids [%d 0 R] >>" % (6 + i) for i in range(depth)]
    leaf = b"<< /Type /Page /MediaBox [0 0 3 3] /Contents 3 0 R /Resources << /Font << /F1 4 0 R >> >> >>"
    return pdf_file([b"<< /Type /Catalog /Pages 5 0 R >>", b"<< >>", *SHARED, *nodes, leaf])


# -- files that are no regular files, or too large ---------------------------------------------------

def test_a_fifo_is_refused_at_once(tmp_path):
    fifo = tmp_path / "x.txt"
    os.mkfifo(fifo)
    assert read_limited(fifo) == ("ReportError", "not a regular file (a FIFO)")


def test_a_symlink_to_dev_zero_is_refused(tmp_path):
    link = tmp_path / "zero.txt"
    link.symlink_to("/dev/zero")
    assert read_limited(link) == ("ReportError", "not a regular file (a character device)")


def test_read_regular_names_a_directory_and_a_file_over_the_cap(tmp_path):
    with pytest.raises(ReportError, match=r"^d: not a regular file \(a directory\)$"):
        limits.read_regular(tmp_path, "d")
    big = tmp_path / "big.txt"
    with open(big, "wb") as f:
        f.truncate(limits.MAX_BYTES + 2)  # sparse: nothing written
    with pytest.raises(ReportError, match=r"the file: 67,108,866 bytes, over the cap of 67,108,864 bytes "
                                          r"\(gkdata\.limits\.MAX_BYTES\)"):
        gkdata.read_report(big)
    assert limits.read_regular(SEEDS["003"], "s") == SEEDS["003"].read_bytes()


def test_bytes_and_file_objects_are_held_to_the_cap():
    class Zeros(io.RawIOBase):
        """An endless stream, as /dev/zero, that fails the test if read far past the cap."""
        given = 0

        def readable(self) -> bool:
            return True

        def readinto(self, buffer) -> int:
            assert self.given <= limits.MAX_BYTES + 1, "read past the cap"
            buffer[:] = bytes(len(buffer))
            self.given += len(buffer)
            return len(buffer)

    stream = Zeros()
    with pytest.raises(ReportError, match=r"^<bytes>: the input: over the cap of 67,108,864 bytes"):
        gkdata.read_report(stream)
    assert stream.given == limits.MAX_BYTES + 1
    with pytest.raises(ReportError, match=r"the input: 67,108,874 bytes, over the cap"):
        gkdata.read_report(b" " * (limits.MAX_BYTES + 10), name="r.txt")


# -- HTML ---------------------------------------------------------------------------------------------

def test_a_page_of_huge_spans_is_refused_before_its_grid_is_built(tmp_path):
    path = tmp_path / "spans.html"
    path.write_bytes(span_page())
    assert read_limited(path) == ("ReportError", "a table of 300 rows, 1,000 columns or more: 300,000 grid cells, "
                                                 "over the cap of 100,000 grid cells (gkdata.limits.MAX_GRID_CELLS)")


def test_spans_are_clamped_as_browsers_do():
    huge = "1" + "0" * 5000  # int() refuses over 4300 digits
    page = (f'<table><tr><td colspan="5000">a</td><td rowspan="99999">b</td><td colspan="0">c</td>'
            f'<td colspan="{huge}" rowspan="{huge}">d</td></tr><tr><td>e</td></tr></table>')
    blocks, _ = html_format.read(page.encode(), "t.html")
    assert [(c.col, c.text, c.rowspan, c.colspan) for c in blocks[-1]] == [
        (0, "a", 1, 1000), (1000, "b", 2, 1), (1001, "c", 1, 1), (1002, "d", 2, 1000), (0, "e", 1, 1)]


def test_an_unterminated_template_literal_is_scanned_once(tmp_path):
    path = tmp_path / "script.html"
    path.write_bytes(backtick_page())
    kind, reason = read_limited(path, seconds=5)
    assert kind == "ReportError" and "none of the statistical tables" in reason


def test_literals_after_an_unterminated_one():
    table = '"<table><tr><td>规章</td><td>5</td></tr></table>"'
    # a '…' cut at its line (an apostrophe in a comment) hides nothing on the next lines
    assert html_format._embedded_markup(f"// don't\nvar a = {table};") == table[1:-1]
    # after an unterminated template literal nothing is a literal
    assert html_format._embedded_markup(f"var t = `x\\`;\nvar a = {table};") is None


def test_a_character_past_unicode_in_a_script_escape_is_no_error():
    literal = '"<table><tr><td>\\u{110000}</td><td>5</td></tr></table>"'
    assert html_format._embedded_markup(f"var a = {literal};") == "<table><tr><td>\ufffd</td><td>5</td></tr></table>"


def test_tags_are_counted_before_the_page_is_parsed():
    page = b"<html><body>" + b"<b>x</b>" * (limits.MAX_HTML_TAGS // 2) + b"</body></html>"
    with pytest.raises(ReportError, match=r"the page's markup: 200,004 tags, over the cap of 200,000 tags "
                                          r"\(gkdata\.limits\.MAX_HTML_TAGS\)"):
        gkdata.read_report(page, name="tags.html")
    with pytest.raises(ReportError, match=r"the page: 8,388,611 bytes, over the cap .*MAX_HTML_BYTES"):
        gkdata.read_report(b"<p>" + b"x" * limits.MAX_HTML_BYTES, name="big.html")


def test_markup_carried_by_a_script_counts_toward_the_tag_cap():
    cell = r"\u003ctd\u003e1\u003c/td\u003e"
    script = f'var a = "\\u003ctable\\u003e{cell * (limits.MAX_HTML_TAGS // 2)}";'
    page = f"<html><body><script>{script}</script></body></html>".encode()
    assert page.count(b"<") < 10
    with pytest.raises(ReportError, match=r"the page's markup with its scripts' markup: 200,00\d tags, over the cap"):
        gkdata.read_report(page, name="embedded.html")


def test_a_page_whose_text_is_over_the_cap():
    page = ("<html><body><p>" + "行政许可" * (limits.MAX_CHARS // 4 + 1) + "</p></body></html>").encode()
    with pytest.raises(ReportError, match=r"the text: 1,000,004 characters, over the cap of 1,000,000 characters "
                                          r"\(gkdata\.limits\.MAX_CHARS\)"):
        gkdata.read_report(page, name="long.html")


# -- Word ---------------------------------------------------------------------------------------------

def _docx_reason(data: bytes) -> str:
    with pytest.raises(ReportError) as e:
        gkdata.read_report(data, name="w.docx")
    assert e.value.reason.startswith("this is not a readable Word .docx file (")
    return e.value.reason


def test_an_xml_part_over_the_cap_is_refused_before_it_is_inflated():
    reason = _docx_reason(docx_package(paragraphs(20 * 2**20)))
    assert "the part 'word/document.xml': 20,971," in reason and "(gkdata.limits.MAX_XML_PART)" in reason


def test_an_implausible_compression_ratio_is_refused():
    reason = _docx_reason(docx_package(paragraphs(2 * 2**20)))
    assert "the part 'word/document.xml' is compressed" in reason and "MAX_XML_RATIO = 100:1" in reason


def test_a_lying_size_is_caught_without_inflating_the_part():
    package = declare(docx_package(paragraphs(64 * 2**20)), "word/document.xml", 4096)
    tracemalloc.start()
    try:
        reason = _docx_reason(package)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "the part 'word/document.xml' inflates to more than the 4,096 bytes it declares" in reason
    assert peak < 16 * 2**20, f"{peak:,} bytes allocated: the part was inflated"


def test_members_their_total_and_compression_are_checked():
    assert "the package: 10,001 members, over the cap" in _docx_reason(many_members(limits.MAX_ZIP_MEMBERS + 1))
    huge = declare(docx_package([document_xml("")], {"word/media/image1.png": b"\x89PNG"}),
                   "word/media/image1.png", limits.MAX_PACKAGE)
    assert re.search(r"the package uncompressed: [\d,]+ bytes, over the cap of 134,217,728 bytes", _docx_reason(huge))
    bzip2 = docx_package([document_xml("")], {"word/media/image1.png": b"\x89PNG"}, zipfile.ZIP_BZIP2)
    assert "'word/media/image1.png' is compressed with method 12, which Word never uses" in _docx_reason(bzip2)


def test_a_billion_laughs_is_a_report_error():
    start = time.monotonic()
    assert "(XMLSyntaxError: " in _docx_reason(docx_package([laughs()]))
    assert time.monotonic() - start < 2


def test_external_entities_are_not_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET", encoding="utf-8")
    dtd = f'<!DOCTYPE w:document [<!ENTITY e SYSTEM "{secret.as_uri()}">]>'
    package = docx_package([document_xml("<w:p><w:r><w:t>规章&e;</w:t></w:r></w:p>", dtd)])
    blocks, _ = docx_format.read(package, "w.docx")
    assert blocks == ["规章"]


@pytest.mark.parametrize("member, xml, error", [
    ("word/document.xml", document_xml("").replace(b"<w:body></w:body>", b""), "its document has no body"),
    ("word/document.xml", b"<Types/>", "its main part 'word/document.xml' is not a Word document but <Types>"),
    ("word/document.xml", document_xml("")[:-5], "(XMLSyntaxError: "),
])
def test_a_damaged_package_is_a_report_error(member, xml, error):
    blank = zipfile.ZipFile(io.BytesIO(_blank()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for info in blank.infolist():
            z.writestr(info.filename, xml if info.filename == member else blank.read(info))
    assert error in _docx_reason(out.getvalue())


def test_a_word_table_over_the_grid_cap_is_refused():
    row = '<w:tr><w:tc><w:tcPr><w:gridSpan w:val="1000"/></w:tcPr><w:p/></w:tc><w:tc><w:p/></w:tc></w:tr>'
    package = docx_package([document_xml(f"<w:tbl>{row * 100}</w:tbl>")])
    with pytest.raises(ReportError, match=r"a table of 100 rows, 1,001 columns: 100,100 grid cells, over the cap"):
        gkdata.read_report(package, name="w.docx")


def test_word_spans_that_are_no_numbers_are_no_error():
    cells = '<w:tc><w:tcPr><w:gridSpan w:val="²"/></w:tcPr><w:p/></w:tc>'
    cells += f'<w:tc><w:tcPr><w:gridSpan w:val="{"9" * 5000}"/></w:tcPr><w:p/></w:tc><w:tc><w:p/></w:tc>'
    blocks, _ = docx_format.read(docx_package([document_xml(f"<w:tbl><w:tr>{cells}</w:tr></w:tbl>")]), "w.docx")
    assert [(c.col, c.colspan) for c in blocks[0]] == [(0, 1), (1, 1000), (1001, 1)]


# -- PDF ----------------------------------------------------------------------------------------------

def test_a_pdf_of_100000_pages_is_refused_before_its_pages_are_built(tmp_path):
    path = tmp_path / "pages.pdf"
    path.write_bytes(many_pages(100_000))
    assert read_limited(path, seconds=5) == (
        "ReportError", "the PDF: 100,000 pages, over the cap of 1,000 pages (gkdata.limits.MAX_PDF_PAGES)")


def test_a_page_count_that_lies_reads_no_page_past_it(monkeypatch):
    """pdfium trusts a page tree's /Count of 5 over its 30 kids: 5 pages are what is parsed, and that count
    is what the cap is checked against, before any page is."""
    monkeypatch.setattr(limits, "MAX_PDF_PAGES", 4)
    with pytest.raises(ReportError, match=r"the PDF: 5 pages, over the cap of 4 pages \(gkdata\.limits\.MAX_PDF_PAGES\)"):
        gkdata.read_report(many_pages(30, count=5), name="lies.pdf")
    loaded = []
    monkeypatch.setattr(limits, "MAX_PDF_PAGES", 20)
    monkeypatch.setattr(pdf_format, "_page_items", lambda page, number: loaded.append(number) or ([], 1, 1))
    with pytest.raises(ReportError):
        gkdata.read_report(many_pages(30, count=5), name="lies.pdf")
    assert loaded == [0, 1, 2, 3, 4]


def test_the_parse_time_budget_is_checked_between_pages(monkeypatch):
    monkeypatch.setattr(limits, "PDF_SECONDS", 0.02)
    start = time.monotonic()
    with pytest.raises(ReportError, match=r"the PDF takes over 0\.02 s to parse \(gkdata\.limits\.PDF_SECONDS\); "
                                          r"\d+ pages were read"):
        gkdata.read_report(many_pages(1000), name="slow.pdf")
    assert time.monotonic() - start < 2


def test_a_damaged_pdf_is_a_report_error():
    """What pdfium cannot open or load is a ReportError naming the file and pdfium's error."""
    pages = b"<< /Type /Pages /Count 1 /Kids [5 0 R] >>"
    whole = pdf_file([b"<< /Type /Catalog /Pages 2 0 R >>", pages, *SHARED, page()])
    for data in (b"%PDF-1.4\n garbage", whole[:60], whole.replace(b"/Pages 2 0 R", b"/Pages 9 0 R")):  # no page tree
        with pytest.raises(ReportError, match=r"d\.pdf: this is not a readable PDF \(PdfiumError: "):
            gkdata.read_report(data, name="d.pdf")


@pytest.mark.parametrize("body", [page(b"/MediaBox [0 0]"), page(b"/MediaBox << >>"),
                                  page(b"/MediaBox [0 0 3 3] /Rotate /x")])
def test_a_pdf_with_a_damaged_page_box_reads_or_is_a_report_error(body):
    """pdfium repairs a malformed page box (pdfminer raised IndexError, KeyError, TypeError): the page's text is
    read, and this one holds no report."""
    pages = b"<< /Type /Pages /Count 1 /Kids [5 0 R] >>"
    with pytest.raises(ReportError, match=r"d\.pdf: .*(none of the statistical tables|not a readable PDF)"):
        gkdata.read_report(pdf_file([b"<< /Type /Catalog /Pages 2 0 R >>", pages, *SHARED, body]), name="d.pdf")


def test_a_page_of_30000_characters_is_read_in_seconds(tmp_path):
    path = tmp_path / "line.pdf"
    path.write_bytes(one_line(30_000))
    kind, reason = read_limited(path, seconds=8)
    assert kind == "ReportError" and "none of the statistical tables" in reason


def test_duplicate_characters_are_read_once():
    """A string drawn twice a little apart (a bold effect) is read once."""
    bold = b"BT /F1 9 Tf 10 10 Td (ab) Tj ET BT /F1 9 Tf 10.4 10 Td (ab) Tj ET BT /F1 9 Tf 30 10 Td (c) Tj ET"
    stream = b"<< /Length %d >>\nstream\n%s\nendstream" % (len(bold), bold)
    data = pdf_file([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Count 1 /Kids [5 0 R] >>", stream,
                     SHARED[1], page(b"/MediaBox [0 0 60 30]")])
    blocks, _ = pdf_format.read(data, "bold.pdf")
    assert [b.split() for b in blocks] == [["ab", "c"]]


@pytest.mark.parametrize("build, reason", [
    (lambda: content_bomb(40), "a stream of the PDF, decoded: over the cap of 33,554,432 bytes (gkdata.limits.MAX_PDF_STREAM)"),
    (lambda: content_bomb(20, b"BT /F1 1 Tf 1 1 Td (x) Tj ET\n"),
     "the PDF's content: over the cap of 500,000 objects (gkdata.limits.MAX_PDF_OBJECTS)"),
    (lambda: nested_forms(6, 10), "the PDF's content: 1,111,111 objects, over the cap of 500,000 objects "
                                  "(gkdata.limits.MAX_PDF_OBJECTS)"),
], ids=["inflates-to-40-mb", "680000-text-objects", "forms-drawing-forms"])
def test_a_pdf_whose_content_would_cost_pdfium_too_much_is_refused_before_a_page_loads(tmp_path, build, reason):
    """Measured from the file's bytes: unguarded, pdfium takes 1.7 GB and 18 s for 3.4 million text objects
    from 230 KB, 490 MB for 2 KB of nested forms (a child held to 1 GiB would fail)."""
    path = tmp_path / "bomb.pdf"
    path.write_bytes(build())
    assert read_limited(path, seconds=8) == ("ReportError", reason)


def test_a_page_of_text_drawn_over_itself_is_refused_before_its_text_is_extracted(tmp_path):
    """90,000 characters in 300 forms drawn at one place (under the objects' cap): pdfium's text extraction is
    quadratic in them (over a minute); the page's text objects are counted first."""
    path = tmp_path / "f.pdf"
    path.write_bytes(nested_forms(2, 300))
    assert pdf_format.pdf_streams.measure(path.read_bytes(), "f.pdf", False).texts > limits.MAX_PDF_PAGE_TEXTS
    assert read_limited(path, seconds=5) == (
        "ReportError", "page 1 of the PDF: over the cap of 20,000 text objects (gkdata.limits.MAX_PDF_PAGE_TEXTS)")


@pytest.mark.parametrize("box, x", [(b"[0 0 200 100]", b"10000000"), (b"[0 0 1000000000 100]", b"10")],
                         ids=["x-1e14", "box-1e9-wide"])
def test_characters_off_the_page_are_not_laid_out(box, x):
    """A character at x = 1e14 (found by fuzzing; a scale times a position) is not printed: left out, it costs
    no padding (laid out in columns it would take 1e14 spaces); a page box is cut to the 14,400 points PDF
    allows (there, 1e8 is off the page)."""
    far = b"q 10000000 0 0 1 0 0 cm BT /F1 9 Tf 1 0 0 1 %s 50 Tm (zz) Tj ET Q" % x
    content = b"BT /F1 9 Tf 10 50 Td (ab) Tj ET " + far + b" BT /F1 9 Tf 40 50 Td (cd) Tj ET"
    stream = b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content)
    data = pdf_file([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Count 1 /Kids [5 0 R] >>", stream,
                     SHARED[1], page(b"/MediaBox " + box)])
    start = time.monotonic()
    blocks, _ = pdf_format.read(data, "far.pdf")
    assert [b.split() for b in blocks] == [["ab", "cd"]] and time.monotonic() - start < 1


def test_a_page_tree_too_deep_to_walk_is_a_report_error():
    with pytest.raises(ReportError, match=r"this is not a readable PDF \(PdfiumError: "):
        gkdata.read_report(deep_tree(5000), name="deep.pdf")


# -- text ---------------------------------------------------------------------------------------------

def test_50_mb_of_table_cells_are_refused_before_they_are_decoded(tmp_path):
    path = tmp_path / "cells.txt"
    path.write_bytes(table_text(50 * 2**20))
    kind, reason = read_limited(path, seconds=5)
    assert kind == "ReportError" and reason.startswith("the text (at least one character per 4 bytes): 13,107,")
    assert reason.endswith("over the cap of 1,000,000 characters (gkdata.limits.MAX_CHARS)")


def test_text_over_the_character_cap_is_refused_before_its_rows_are_split():
    data = table_text(int(limits.MAX_CHARS * 1.7))  # ~10 bytes for 6 characters: under 4 bytes each
    start = time.monotonic()
    with pytest.raises(ReportError, match=r"the text: 1,0\d\d,\d\d\d characters, over the cap of 1,000,000"):
        gkdata.read_report(data, name="cells.txt")
    assert time.monotonic() - start < 1
    assert gkdata.read_report(table_text(len(SEEDS["003"].read_bytes()) + 100)).meta.region == "会宁县"


# -- the aligner and the label matcher stay within bounds whatever the text -----------------------


def test_labels_run_together_thousands_deep_are_no_recursion_error():
    text = SEEDS["003"].read_text(encoding="utf-8").replace("（一）予以公开", "（一）予以公开" * 800, 1)
    r = gkdata.read_report(text.encode(), name="deep.txt")  # a Report (or ReportError), never RecursionError
    assert r.meta.region == "会宁县"


def test_a_line_of_200000_characters_is_read_in_linear_time():
    """Reader fix: such a cell was matched in quadratic time (each 、 a place a note might start, the text before
    it hashed to look it up: a minute for 200,000 characters) and normalised again on every look at it."""
    def fastest(data: bytes) -> tuple[float, gkdata.Report]:
        times = []
        for _ in range(3):
            start = time.perf_counter()
            report = gkdata.read_report(data, name="line.txt")
            times.append(time.perf_counter() - start)
        return min(times), report

    small, _ = fastest(long_line(50_000))
    big, report = fastest(long_line(200_000))
    assert big < 8 * small, f"{big:.2f} s for 200,000 characters, {small:.2f} s for 50,000"
    assert report.applications.equals(gkdata.read_report(SEEDS["003"]).applications)  # the line is no row of it
    assert report.findings.empty


def test_a_label_run_into_200000_characters_is_no_label():
    """A cell far longer than any label is not matched as one (match.MAX_CELL): its row's figures are not placed,
    and the findings say so; every other row reads as before."""
    report = gkdata.read_report(long_line(200_000, after_label=True), name="glued.txt")
    wide = report.wide("applications")
    assert wide.loc["new_received"].isna().all()
    assert set(report.findings["check"]) == {"unplaced_value", "missing_row"}
    clean = gkdata.read_report(SEEDS["003"]).wide("applications")
    assert clean.loc["new_received", "total"] == 10 and wide.drop("new_received").equals(clean.drop("new_received"))


def test_column_models_of_thousands_of_full_rows_take_linear_time():
    """Each full row of its own layout: the models are grown from the first SEEDS layouts only."""
    from gkdata import layouts, tables

    label = next(lab for lab in labels.DISCLOSURE_ITEMS if lab.key == "regulations")
    rows, segs = [], []
    for i in range(20_000):
        gap = 2 + i % 5000  # 5,000 distinct layouts
        spans = ((0, 4), (4 + gap, 5 + gap), (10 + gap, 11 + gap), (16 + gap, 17 + gap))
        rows.append(layouts.Row(("规章", "1", "2", "3"), "kept", i, "aligned", spans))
        segs.append(tables.Segment(label, "row", "规章", i, [tables.Value(c, i) for c in ("1", "2", "3")]))
    start = time.perf_counter()
    models = tables.column_models(segs, rows, {"regulations": 3})
    assert time.perf_counter() - start < 5
    assert models[3][0] == (6, 7)  # the first layout's column, grown by the layouts that overlap it
