"""PDF: tables read from the positions of the words on the page, with ruling lines or without.

The round trip of tests/test_synth.py for the ``pdf`` rendering (gkdata.synth_pdf
lays a generated report out on A4 pages: ruled or not, header labels one
character per line, tables running onto the next page, running headers and
page numbers): every value read is the printed one, a certain cell is read, an
NA has a reason. What a PDF makes certain: with rules, every cell (the grid
keeps each cell in place); without, what ``aligned`` text makes certain (a gap
places an empty cell once a full row of the same columns fixes them).
"""

from __future__ import annotations

import dataclasses
import random
import re

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import documents as D
import gkdata
import test_synth as T
from gkdata import formats, labels, synth, synth_pdf
from gkdata.formats import pdf as pdf_format
from gkdata.synth import Rendering, Style

PER_RENDERING = settings(max_examples=25, deadline=None, phases=T.PHASES, suppress_health_check=[HealthCheck.too_slow])
_TEXT_CERTAIN = T.certain  # what the text renderings make certain
RULES = pytest.mark.parametrize("rules", [False, True], ids=["unruled", "ruled"])


def pdf_renderings(rules: bool, cut: bool = False) -> st.SearchStrategy[Rendering]:
    options = {f: st.sampled_from(v) for f, v in synth.VARIANTS["pdf"].items() if f != "rules"}
    options |= {"numbering": st.sampled_from(synth.NUMBERINGS), "mark": st.sampled_from(synth.HEADING_MARKS)}
    return st.fixed_dictionaries(options).map(lambda o: Rendering("pdf", rules=rules, **o, cut=cut))


@st.composite
def pdf_reports(draw, rules: bool, blank_zeros=st.just(0.0), cut: bool = False) -> synth.Synthetic:
    template = draw(st.sampled_from(labels.TEMPLATES))
    kinds = [k for k in synth.ANOMALIES if template == "2019" or k != "published_exceeds_total"]
    return synth.generate(draw(st.integers(0, 2 ** 32 - 1)), template=template, layout=draw(pdf_renderings(rules, cut)),
                          anomaly=draw(st.sampled_from([None, *kinds])), style=draw(T.styles(blank_zeros)))


def certain(s: synth.Synthetic) -> dict[str, set]:
    """A ruled PDF keeps every cell in place (as tab-rows do); one without rules, what aligned text keeps."""
    like = Rendering("tab-rows" if s.rendering.rules else "aligned", cut=s.rendering.cut)
    return _TEXT_CERTAIN(dataclasses.replace(s, rendering=like))


@pytest.fixture(autouse=True)
def pdf_certainty(monkeypatch):
    """check_cells asks tests/test_synth.py's certain(), which knows the text renderings: teach it PDFs."""
    monkeypatch.setattr(T, "certain", lambda s: certain(s) if s.layout == "pdf" else _TEXT_CERTAIN(s))


# -- the round trip -------------------------------------------------------------------------------------


@RULES
@PER_RENDERING
@given(data=st.data())
def test_every_cell_and_finding_comes_back(rules, data):
    s = data.draw(pdf_reports(rules))
    r = gkdata.read_report(s.data)
    T.check_cells(s, r)
    T.check_meta(s, r)
    assert {k: v for k, v, _, _ in r.records["narrative"]} == s.tables.narrative
    sure = certain(s)
    if all(sure[t] == {k for k, v in getattr(s.tables, t).items() if v is not None} for t in synth.TABLES):
        assert T.found(r) == T.within(s)


@RULES
@PER_RENDERING
@given(data=st.data())
def test_no_number_is_ever_silently_wrong(rules, data):
    s = data.draw(pdf_reports(rules, blank_zeros=st.sampled_from((0.3, 0.5, 1.0))))
    r = gkdata.read_report(s.data)
    T.check_cells(s, r)
    T.check_meta(s, r)
    assert {e for e in T.found(r) if T.CHECKS[e.check][0] == "error"} <= T.within(s)


@RULES
@PER_RENDERING
@given(data=st.data())
def test_a_pdf_cut_inside_a_table_is_read_up_to_the_cut(rules, data):
    """The file's last page ends inside a table row: the rows above read, the rest NA, a truncated error."""
    s = data.draw(pdf_reports(rules, blank_zeros=st.sampled_from((0.0, 0.0, 0.5)), cut=True))
    r = gkdata.read_report(s.data)
    table = s.cut[0]
    assert any(f.check == "truncated" and f.table == table for f in r.finding_records)
    T.check_cells(s, r)
    later = set(synth.TABLES[synth.TABLES.index(table) + 1:])
    allowed = T.within(s) | {e for e in T.found(r) if e.check == "truncated" and e.table == table} | {
        e for e in T.found(r) if e.check == "missing_table" and e.table in later}
    assert {e for e in T.found(r) if T.CHECKS[e.check][0] == "error"} <= allowed


# -- what the generated PDFs hold ------------------------------------------------------------------------


def _pages(data: bytes) -> list[str]:
    import pypdfium2

    doc = pypdfium2.PdfDocument(data)
    try:
        return [doc[i].get_textpage().get_text_range() for i in range(len(doc))]
    finally:
        doc.close()


def _rules(data: bytes) -> int:
    import pypdfium2
    import pypdfium2.raw as R

    doc = pypdfium2.PdfDocument(data)
    try:
        return sum(o.type == R.FPDF_PAGEOBJ_PATH for i in range(len(doc)) for o in doc[i].get_objects())
    finally:
        doc.close()


def test_a_table_without_rules_reads_as_the_ruled_one():
    """The same report with and without cell borders: the same tables, no finding either way."""
    style = Style(blank_zeros=0.0)
    ruled = synth.generate(21, template="2021", layout=Rendering("pdf", rules=True), style=style)
    plain = synth.generate(21, template="2021", layout=Rendering("pdf"), style=style)
    assert _rules(plain.data) <= 1 < _rules(ruled.data)  # (a running header's rule at most)
    a, b = gkdata.read_report(ruled.data), gkdata.read_report(plain.data)
    for table in ("disclosure", "applications", "appeals"):
        pd.testing.assert_frame_equal(getattr(a, table), getattr(b, table))
    assert T.read_cells(b) == {t: getattr(plain.tables, t) for t in synth.TABLES}
    assert a.finding_records == b.finding_records == []


def test_header_labels_one_character_per_line_are_joined():
    s = synth.generate(5, template="2019", layout=Rendering("pdf", vertical=True), style=Style())
    lines = formats.convert(s.data, "r.pdf").text.splitlines()
    assert any(line.split()[:5] == ["结", "结", "其", "尚", "总"] for line in lines)  # 结果维持 … 总计, one a column
    r = gkdata.read_report(s.data)
    assert T.read_cells(r)["appeals"] == s.tables.appeals and r.finding_records == []


def test_a_table_split_across_pages_and_a_row_split_at_the_page_end():
    """Table 三 runs onto the next page; with ``split`` a row's label goes on over the page break."""
    for seed in range(40):
        s = synth.generate(seed, layout=Rendering("pdf", rules=seed % 2 == 0, split=True), style=Style())
        pages = _pages(s.data)
        split = [i for i, p in enumerate(pages) if "一、本年新收" in p and "四、结转下年度" not in p]
        if split:
            break
    else:
        raise AssertionError("no generated PDF splits table 三 across pages")
    r = gkdata.read_report(s.data)
    assert T.read_cells(r) == {t: getattr(s.tables, t) for t in synth.TABLES}


def test_running_headers_and_page_numbers_are_dropped():
    """The writer draws the running header and the page number last on each page: pdfium's text ends with them."""
    for seed in range(60):
        s = synth.generate(seed, layout="pdf", style=Style())
        pages = [p.splitlines() for p in _pages(s.data)]
        title = pages[0][0].strip()
        if len(pages) >= 3 and all(pdf_format._PAGE_NUMBER.match(p[-1]) and p[-2].strip() == title for p in pages):
            break
    else:
        raise AssertionError("no generated PDF has a running header and page numbers")
    text = formats.convert(s.data, "r.pdf").text
    assert text.count(title) == 1  # the title; the running header is gone from every page
    numbers = {p[-1].strip() for p in pages}
    assert len(numbers) == len(pages) and not any(line.strip() in numbers for line in text.splitlines())
    assert T.read_cells(gkdata.read_report(s.data)) == {t: getattr(s.tables, t) for t in synth.TABLES}


def test_ruled_cells_are_kept_rows_and_the_rest_positioned():
    s = synth.generate(8, template="2019", layout=Rendering("pdf", rules=True), style=Style(blank_zeros=1.0))
    rows = formats.convert(s.data, "r.pdf").rows
    assert {r.rendering for r in rows if r.blanks == "kept"} == {"pdf"}
    granted = next(r for r in rows if "（一）予以公开" in r.cells)
    assert granted.cells == ("三、本年度办理结果", "（一）予以公开", *[""] * 7)  # every blank in its place
    plain = formats.convert(synth.generate(8, template="2019", layout="pdf", style=Style()).data, "r.pdf").rows
    assert not any(r.blanks == "kept" for r in plain) and any(r.rendering == "aligned" and r.spans for r in plain)


def test_the_ruled_fixture_reads_the_same_from_positions_alone(monkeypatch):
    """Rules prove cells where they are drawn, but reading does not depend on them: the fpdf2 fixture with
    its rules ignored still gives the seed's tables."""
    data = D.to_pdf(D.huining_2020())
    ruled = gkdata.read_report(data, name="r.pdf")
    monkeypatch.setattr(pdf_format, "_rules", lambda page, height: pdf_format._Edges([], []))
    positioned = gkdata.read_report(data, name="r.pdf")
    for table in ("disclosure", "applications", "appeals"):
        pd.testing.assert_frame_equal(getattr(positioned, table), getattr(ruled, table))


def test_kangxi_radicals_and_bold_text_read_as_characters():
    """⼀ (U+2F00) is 一; a heading drawn twice a little apart (a bold effect) is read once."""
    w = synth_pdf._Writer(random.Random(0), (72, 72, 72, 72))
    w.text(72, 100, "⼆、主动公开政府信息情况", 12, bold=True)
    w.text(72, 130, "规章  ⼀", 10)
    blocks, _ = pdf_format.read(w.pdf(None, None), "k.pdf")
    assert "".join(blocks).replace(" ", "").startswith("二、主动公开政府信息情况规章一")


def _remapped(data: bytes, code: str, unicode: str) -> bytes:
    """A PDF of :mod:`gkdata.synth_pdf` whose ToUnicode map sends glyph ``code`` to ``unicode`` (hex), the file's
    objects and cross-reference table written again around the new stream."""
    import zlib

    bodies = re.findall(rb"\d+ 0 obj\n(.*?)\nendobj\n", data, re.S)
    for k, body in enumerate(bodies):
        if m := re.fullmatch(rb"<< /Length \d+ /Filter /FlateDecode >>\nstream\n(.*)\nendstream", body, re.S):
            cmap = zlib.decompress(m.group(1))
            if b"beginbfchar" in cmap:
                cmap, n = re.subn(rb"<%s> <[0-9A-F]+>" % code.encode(), b"<%s> <%s>" % (code.encode(),
                                                                                           unicode.encode()), cmap)
                assert n == 1
                packed = zlib.compress(cmap)
                bodies[k] = b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(packed), packed)
    out, offsets = bytearray(b"%PDF-1.7\n"), []
    for i, body in enumerate(bodies, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (i, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(bodies) + 1) + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    return bytes(out + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(bodies) + 1, xref))


def test_a_glyph_mapped_to_half_a_utf16_pair_is_a_replacement_character():
    """A damaged ToUnicode map may send a glyph to a lone surrogate (D800), which no Python string can encode:
    that character reads as U+FFFD, the rest of the page as printed."""
    w = synth_pdf._Writer(random.Random(0), (72, 72, 72, 72))
    w.text(72, 100, "规章一", 10)
    data = _remapped(w.pdf(None, None), "0001", "D800")  # glyphs are numbered in code point order: 一 章 规
    blocks, _ = pdf_format.read(data, "s.pdf")
    text = "".join(blocks).replace(" ", "")
    assert text == "规章\ufffd"
    text.encode("utf-8")


def test_the_font_is_the_packaged_noto_sans_sc():
    s = synth.generate(2, layout="pdf")
    assert b"NotoSansSC" in s.data and b"/FontFile2" in s.data
    assert synth_pdf.truetype(["规", "章"])[:4] == b"\x00\x01\x00\x00"


def test_a_ruled_page_of_100_by_100_cells_reads_in_seconds():
    """The grid is found in n log n of its rules (pdfplumber's finder took ~6 s, quadratic in crossings)."""
    import time

    import test_hostile_inputs as H

    n, size = 100, 1000
    lines = b"".join(b"0 %d m %d %d l %d 0 m %d %d l " % (10 * i, size, 10 * i, 10 * i, 10 * i, size) for i in range(n + 1))
    text = b"".join(b"1 0 0 1 %d %d Tm (x) Tj " % (10 * c + 3, 10 * r + 3) for r in range(n) for c in range(n))
    content = lines + b"S BT /F1 3 Tf " + text + b"ET"
    stream = b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content)
    data = H.pdf_file([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Count 1 /Kids [5 0 R] >>", stream,
                       H.SHARED[1], H.page(b"/MediaBox [0 0 %d %d]" % (size, size))])
    start = time.monotonic()
    blocks, _ = pdf_format.read(data, "grid.pdf")
    assert [len(b) for b in blocks] == [n * n]  # one table of 10,000 cells
    assert time.monotonic() - start < 5


def _turned(data: bytes, rotation: int) -> bytes:
    """The PDF with each page stored turned (its box landscape, /Rotate ``rotation``) and its objects moved to
    where that shows them as before: a landscape table in a portrait document is stored so."""
    import io

    import pypdfium2

    doc = pypdfium2.PdfDocument(data)
    try:
        for i in range(len(doc)):
            page = doc[i]
            w, h = page.get_width(), page.get_height()
            shown_to_stored = (pypdfium2.PdfMatrix(0, 1, -1, 0, h, 0) if rotation == 90
                               else pypdfium2.PdfMatrix(0, -1, 1, 0, 0, w))
            for obj in list(page.get_objects(max_depth=1)):
                obj.transform(shown_to_stored)
            page.gen_content()
            page.set_mediabox(0, 0, h, w)
            page.set_rotation(rotation)
        out = io.BytesIO()
        doc.save(out)
        return out.getvalue()
    finally:
        doc.close()


@pytest.mark.parametrize("rotation", [90, 270])
def test_pages_stored_turned_read_as_they_show(rotation):
    """The fpdf2 fixture of seed 003, every page stored turned: the seed's tables exactly, no finding."""
    from conftest import SEEDS

    data = _turned(D.to_pdf(D.huining_2020()), rotation)
    assert {doc_page.get_rotation() for doc_page in _open(data)} == {rotation}
    seed, r = gkdata.read_report(SEEDS["003"]), gkdata.read_report(data, name="r.pdf")
    for table in ("disclosure", "applications", "appeals"):
        pd.testing.assert_frame_equal(getattr(r, table), getattr(seed, table))
    assert r.finding_records == []


@RULES
@pytest.mark.parametrize("rotation", [90, 270])
def test_the_writer_turns_landscape_pages(rules, rotation):
    """``rotate``: landscape pages stored portrait with /Rotate, read as the upright rendering reads."""
    style = Style(blank_zeros=0.0)
    s = synth.generate(21, template="2021", layout=Rendering("pdf", rules=rules, rotate=rotation), style=style)
    pages = _open(s.data)
    assert {(p.get_rotation(), p.get_width() > p.get_height(), p.get_mediabox()[2] < p.get_mediabox()[3])
            for p in pages} == {(rotation, True, True)}
    r = gkdata.read_report(s.data)
    assert T.read_cells(r) == {t: getattr(s.tables, t) for t in synth.TABLES} and r.finding_records == []


def _open(data: bytes) -> list:
    import pypdfium2

    doc = pypdfium2.PdfDocument(data)
    return [doc[i] for i in range(len(doc))]

