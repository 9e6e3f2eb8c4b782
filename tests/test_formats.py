"""HTML, Word and PDF inputs, encodings and the 2021 template: one set of tables, every format.

The documents are built by tests/documents.py from one set of tables (seed
003's as printed, and a hand-made 2021 report); tests/fixtures/ holds a
government-site page with the markup real pages use (GBK, layout tables,
tables 三 and 四 printed as one, numbering styles, blanks).
"""

from __future__ import annotations

import pandas as pd
import pytest

import documents as D
import gkdata
from gkdata import formats, narrative, sections
from gkdata import report as report_module
from gkdata.formats import docx as docx_format
from gkdata.formats import html as html_format
from gkdata.formats import pdf as pdf_format
from gkdata.layouts import Row

from conftest import SEEDS

TABLES = ("disclosure", "applications", "appeals", "narrative")
HUINING = "会宁县2020年政府信息公开工作年度报告"
HEQING = "河清县2021年政府信息公开工作年度报告"


def _formats(doc: D.Doc, title: str) -> dict[str, tuple[bytes, str]]:
    """The same report in every input format: (bytes, file name)."""
    return {
        "tabbed": (D.to_tabbed(doc).encode(), "report.txt"),
        "html": (D.to_html(doc, title), "report.html"),
        "html-gbk": (D.to_html(doc, title, charset="gbk"), "report.htm"),
        "html-script": (D.to_html_in_script(doc, title), "article"),
        "docx": (D.to_docx(doc), "report.docx"),
        "pdf": (D.to_pdf(doc), "report.pdf"),
    }


@pytest.fixture(scope="module")
def huining() -> dict[str, gkdata.Report]:
    return {k: gkdata.read_report(data, name=name) for k, (data, name) in _formats(D.huining_2020(), HUINING).items()}


@pytest.fixture(scope="module")
def heqing() -> dict[str, gkdata.Report]:
    return {k: gkdata.read_report(data, name=name) for k, (data, name) in _formats(D.county_2021(), HEQING).items()}


# -- one set of tables, every format ------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["tabbed", "html", "html-gbk", "html-script", "docx", "pdf"])
def test_every_format_reads_the_seed_tables_exactly(huining, fmt):
    """会宁县's tables from HTML, Word and PDF equal the ones read from the real word-processor export."""
    seed = gkdata.read_report(SEEDS["003"])
    report = huining[fmt]
    for table in TABLES:
        pd.testing.assert_frame_equal(getattr(report, table), getattr(seed, table))
    assert report.finding_records == seed.finding_records == []
    m = report.meta
    assert (m.region, m.year, m.template) == ("会宁县", 2020, "2019")
    assert m.layout == {"html-gbk": "html", "html-script": "html"}.get(fmt, fmt)
    assert m.encoding == ("gb18030" if fmt == "html-gbk" else "utf-8")


@pytest.mark.parametrize("fmt", ["html", "html-gbk", "html-script", "docx", "pdf"])
def test_the_2021_report_is_identical_in_every_format(heqing, fmt):
    for table in TABLES:
        pd.testing.assert_frame_equal(getattr(heqing[fmt], table), getattr(heqing["tabbed"], table))


def test_the_2021_template_end_to_end(heqing):
    r = heqing["pdf"]
    assert r.meta.template == "2021" and (r.meta.region, r.meta.year) == ("河清县", 2021)
    assert r.finding_records == []  # balance, row and column sums all hold
    d = r.disclosure.set_index(["item", "measure"])
    assert d.loc[("normative_documents", "currently_valid"), "value"] == 48
    assert d.loc[("normative_documents", "repealed"), "value"] == 3
    assert d.loc[("administrative_licensing", "decisions"), "value"] == 1520
    assert d.loc[("administrative_fees", "amount"), ["value", "unit"]].tolist() == [12.35, "万元"]
    # items of the 2019 form are absent, not 0
    assert not {"other_admin_services", "centralized_procurement"} & set(d.index.get_level_values("item"))
    assert not {"prev_year_items", "change", "projects"} & set(d.index.get_level_values("measure"))
    wide = r.wide("applications")
    assert list(wide.index) == list(D.THREE_2021)  # the three sub-items of (六), no other_handling
    assert wide.loc["other_handling_overdue_correction"].tolist() == [1, 0, 0, 0, 0, 0, 1]
    assert wide.loc["other_handling_fee_unpaid"].tolist() == [0, 0, 0, 0, 1, 0, 1]
    assert wide.loc["other_handling_other"].tolist() == [0, 1, 0, 0, 0, 0, 1]
    balance = wide.loc["new_received"] + wide.loc["carried_over"] - wide.loc["results_total"] - wide.loc["carried_forward"]
    assert (balance == 0).all()
    assert r.wide("appeals").loc["litigation_after_review"].tolist() == [0, 0, 1, 0, 1]
    assert r.wide("disclosure", lang="zh").columns[0] == "本年制发件数"


def test_a_2019_report_has_no_2021_cells(huining):
    r = huining["docx"]
    assert "other_handling" in set(r.applications["row"])
    assert not {"other_handling_fee_unpaid", "other_handling_other"} & set(r.applications["row"])
    assert not {"repealed", "currently_valid"} & set(r.disclosure["measure"])


def test_a_government_site_page():
    """GBK page declaring gb2312, layout tables around the article, 三 and 四 printed as one table with
    四's heading typed into it, labels numbered 1、/(三)/２．, inner spaces, <br> wraps, &nbsp; blanks."""
    r = gkdata.read_report(D.FIXTURES / "county_2021_site.html")
    m = r.meta
    assert (m.layout, m.encoding, m.template, m.region, m.year) == ("html", "gb18030", "2021", "河清县", 2021)
    assert m.title == HEQING and r.finding_records == []
    wide = r.wide("applications")
    assert wide.loc["denied_prohibited_by_law"].isna().all()  # &nbsp; cells are blank, never 0
    expected = {k: v for k, v in D.THREE_2021.items() if k != "denied_prohibited_by_law"}
    assert {k: wide.loc[k].tolist() for k in expected} == expected
    assert r.wide("appeals").stack().tolist() == D.FOUR_2021


# -- HTML ------------------------------------------------------------------------------------------

def test_html_spans_become_the_tabbed_grid():
    """rowspan -> an empty cell in each row below; colspan -> the cell once; a layout table is prose."""
    page = """<html><body><table><tr><td><table><tr><td>
      <p>三、收到和处理政府信息公开申请情况</p>
      <table><tr><td rowspan="3" colspan="2">note</td><td colspan="2">申请人情况</td></tr>
      <tr><td rowspan="2">自然人</td><td>商业<br>企业</td></tr>
      <tr><td><p>科研</p><p>机构</p></td></tr>
      <tr style="display:none"><td>hidden</td><td>9</td></tr>
      <tr><th>（一）予以公开</th><td>&nbsp;</td><td> 7 </td></tr></table>
    </td></tr></table></td></tr></table></body></html>"""
    text = formats.render(html_format.read(page.encode(), "p.html")[0])  # the grid in the tabbed layout
    assert text.split("\n") == ["三、收到和处理政府信息公开申请情况",
                                "\tnote", "\t申请人情况", "",
                                "\t", "\t自然人", "\t商业企业", "",
                                "\t", "\t", "\t科研机构", "",
                                "\t（一）予以公开", "\t", "\t7", "", "", ""]


def test_hidden_elements_comments_and_inline_leaves():
    """Hidden by a style in any case or by ``hidden``, skipped with their text but not their tail; comments
    are no text; inline elements without children join their text into the line."""
    page = ("<html><body><p>二、<span>主动</span><b>公开</b><!-- 注释 --><i></i>政府信息情况"
            "<span STYLE='VISIBILITY : Hidden'>隐藏</span></p><div hidden>隐藏<p>段落</p></div>尾"
            "<table><tr style='display:NONE'><td>规章</td><td>9</td></tr><tr><td>规章</td>"
            "<td style='color:none'>5</td><td style='Display:None'>7</td></tr></table></body></html>")
    blocks, _ = html_format.read(page.encode(), "p.html")
    assert blocks[:2] == ["二、主动公开政府信息情况", "尾"]
    assert [(c.row, c.col, c.text) for c in blocks[2]] == [(0, 0, "规章"), (0, 1, "5")]


def test_a_converter_hands_its_grid_rows_to_the_reader():
    """The grid's rows reach the aligner as Rows (cells, rowspan empties, kept blanks), each on its own
    line of the text, in order with the headings; no TAB line per cell is written to be read back."""
    page = """<html><body><p>三、收到和处理政府信息公开申请情况</p><p>本年收到申请5件。</p>
      <table><tr><td rowspan="2" colspan="2">note</td><td colspan="2">申请人情况</td></tr>
      <tr><td rowspan="2">自然人</td><td>商业<br>企业</td></tr>
      <tr><th>（一）予以公开</th><td>&nbsp;</td><td> 7 </td></tr></table>
      <p>四、政府信息公开行政复议、行政诉讼情况</p>
      <table><tr><td>主动公开政府信息</td><td>12</td><td>条</td></tr></table>
      <p>结转 3 4</p></body></html>"""
    c = formats.convert(page.encode(), "p.html")
    assert (c.encoding, c.layout) == ("utf-8", "html")
    lines = c.text.split("\n")
    grid = [r for r in c.rows if r.rendering == "html"]
    assert all(isinstance(r, Row) and r.blanks == "kept" and r.spans is None for r in grid)
    assert [r.cells for r in grid] == [("note", "申请人情况"), ("", "自然人", "商业企业"),
                                       ("（一）予以公开", "", "", "7"), ("主动公开政府信息", "12", "条")]
    assert [lines[r.line] for r in grid] == ["\t" + "\t".join(r.cells) for r in grid]
    heads = [h.line for h in sections.find(lines)]
    assert heads == [0, 5] and [r.line for r in grid] == [2, 3, 4, 6]
    # a line outside the grids that holds a row by itself is still a row, after the grids'
    assert [(r.cells, r.rendering) for r in c.rows[len(grid):]] == [(("结转", "3", "4"), "spaced")]
    # the prose figure is read; the table's cells (主动公开政府信息 | 12 | 条) never make one
    assert [f[:3] for f in narrative.extract(c.text)] == [("applications_received", 5, "件")]
    assert "\t7" not in lines and "\t" not in lines


def test_the_reader_takes_a_converters_rows_without_splitting_its_text(monkeypatch):
    def no_split(*args, **kwargs):
        raise AssertionError("the converted text was split into rows again")

    monkeypatch.setattr(report_module, "split_rows", no_split)
    for fmt in ("html", "docx"):
        data, name = _formats(D.county_2021(), HEQING)[fmt]
        r = gkdata.read_report(data, name=name)
        assert r.meta.layout == fmt and r.finding_records == []
        assert r.wide("appeals").stack().tolist() == D.FOUR_2021


def test_plain_text_has_no_rows_from_its_converter():
    c = formats.convert(D.to_tabbed(D.county_2021()).encode(), "r.txt")
    assert (c.layout, c.rows) == (None, None) and c.text == D.to_tabbed(D.county_2021())


def test_one_list_of_suffixes():
    """Each format claims its suffixes; read_report sniffs by them, read_reports and build look for them."""
    from gkdata import corpus

    assert formats.SUFFIXES[0] == ".txt" and {".html", ".htm", ".shtml", ".docx", ".pdf"} <= set(formats.SUFFIXES)
    assert corpus.SUFFIXES is formats.SUFFIXES
    assert all(conv.sniff(b"", "x" + s.upper()) for conv in formats.CONVERTERS.values() for s in conv.suffixes)


def test_html_script_string_is_unescaped_in_place():
    assert html_format.unescape_js(r'"\u003ctd class=\"a\"\u003e规章\u003c/td\u003e\n\x3cbr\/>"') == \
        '<td class="a">规章</td>\n<br/>'
    page = ("<html><body><p>一、总体情况</p><script>var s = '<p>二、主动公开政府信息情况</p>' + \n"
            "'<table><tr><td>规章<\\/td><td>5<\\/td><\\/tr><\\/table>';</script><p>五、存在的主要问题及改进情况</p>"
            "</body></html>")
    text = formats.render(html_format.read(page.encode(), "p.html")[0])
    assert text.split("\n")[:5] == ["一、总体情况", "二、主动公开政府信息情况", "\t规章", "\t5", ""]
    assert text.split("\n")[-2] == "五、存在的主要问题及改进情况"


def test_a_page_that_shows_its_embedded_copy_is_read_once():
    body = "<p>二、主动公开政府信息情况</p><table><tr><td>规章</td><td>5</td></tr></table>"
    page = f"<html><body>{body}<script>window.__DATA__ = {{\"html\": \"{body}\"}}</script></body></html>"
    text = formats.convert(page.encode(), "p.html").text
    assert text.count("规章") == 1


@pytest.mark.parametrize("declared, data, encoding", [
    ("gb2312", "一、总体情况".encode("gbk"), "gb18030"),
    ("gbk", "一、总体情况".encode("utf-8"), "utf-8"),  # declared wrong: valid UTF-8 wins
    ("big5", "一、總體情況".encode("big5"), "big5"),
])
def test_html_meta_charset(declared, data, encoding):
    page = f"<html><head><meta charset='{declared}'></head><body><p>".encode() + data + b"</p></body></html>"
    text, enc = formats.convert(page, "p.html")[:2]
    assert enc == encoding and text.startswith(data.decode(encoding))


# -- Word ------------------------------------------------------------------------------------------

def test_docx_merged_numbers_are_not_duplicated():
    """A vertically merged value is written once; the rows below get an empty cell, never a copy."""
    import io

    import docx

    d = docx.Document()
    d.add_paragraph("\t二、主动公开政府信息情况")  # a tab in prose must not make it a cell
    t = d.add_table(rows=3, cols=3)
    t.cell(0, 0).merge(t.cell(0, 2)).text = "第二十条第（五）项"
    t.cell(1, 0).text, t.cell(2, 0).text = "行政许可", "行政处罚"
    t.cell(1, 1).merge(t.cell(2, 2)).text = "12"
    stale = t.rows[2]._tr.tc_lst[1]  # a continuation that still holds text, which Word does not show
    stale.add_p().add_r().text = "12"
    buf = io.BytesIO()
    d.save(buf)
    text = formats.render(docx_format.read(buf.getvalue(), "r.docx")[0])
    assert text.split("\n") == ["二、主动公开政府信息情况", "\t第二十条第（五）项", "",
                                "\t行政许可", "\t12", "", "\t行政处罚", "\t", "", "", ""]


def test_a_docx_that_is_not_a_word_file():
    with pytest.raises(gkdata.ReportError, match=r"x\.docx: this is not a readable Word \.docx file"):
        gkdata.read_report(b"not a zip at all", name="x.docx")


# -- PDF -------------------------------------------------------------------------------------------

def test_a_scanned_pdf_has_no_text_layer():
    with pytest.raises(gkdata.ReportError, match=r"scan\.pdf: the PDF has no text layer"):
        gkdata.read_report(D.scanned_pdf(), name="scan.pdf")


def test_a_broken_pdf():
    with pytest.raises(gkdata.ReportError, match=r"b\.pdf: this is not a readable PDF"):
        gkdata.read_report(b"%PDF-1.4\n garbage", name="b.pdf")


def test_the_fixture_pdf_continues_a_table_on_the_next_page(huining):
    """Table 三 breaks across pages in the generated PDF; its rows still all read (checked above)."""
    import pypdfium2

    data = D.to_pdf(D.huining_2020())
    document = pypdfium2.PdfDocument(data)
    pages = [document[i].get_textpage().get_text_range() for i in range(len(document))]
    document.close()
    assert any("一、本年新收" in p and "四、结转下年度" not in p for p in pages)
    grids = [b for b in pdf_format.read(data, "r.pdf")[0] if not isinstance(b, str)]
    assert len(grids) >= 4  # 二, 三 on one page, 三 on the next, 四: each page's part a grid of its own


def test_a_row_split_at_the_page_end_is_joined():
    """Word moves a label's last line to the next page; the numbers stay above."""
    B = pdf_format._Box
    above = [B(0, 700, 100, 720, "规章"), B(100, 700, 150, 720, "1"), B(150, 700, 200, 720, "2"),
             B(0, 720, 100, 800, "（二）部分公开（区分处理的，只计这一"), B(100, 720, 150, 800, "3"),
             B(150, 720, 200, 800, "4")]
    below = [B(0, 50, 100, 70, "情形，不计其他情形）"), B(100, 50, 150, 70, ""), B(150, 50, 200, 70, ""),
             B(0, 70, 100, 90, "四、结转下年度继续办理"), B(100, 70, 150, 90, "0"), B(150, 70, 200, 90, "0")]
    cells = pdf_format._blocks([above, below])
    assert formats.table_rows(cells[0]) == [["规章", "1", "2"],
                                            ["（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "3", "4"],
                                            ["四、结转下年度继续办理", "0", "0"]]
    # two genuine rows (each with its own numbers) are never joined
    below[1:3] = [B(100, 50, 150, 70, "5"), B(150, 50, 200, 70, "6")]
    assert len(pdf_format._blocks([above, below])) == 2


# -- encodings and sniffing ------------------------------------------------------------------------

@pytest.mark.parametrize("encode, encoding", [
    (lambda t: t.encode("gbk"), "gb18030"),
    (lambda t: t.encode("gb18030"), "gb18030"),
    (lambda t: b"\xef\xbb\xbf" + t.encode("utf-8"), "utf-8"),
    (lambda t: t.encode("utf-16"), "utf-16"),
])
def test_text_encodings(encode, encoding):
    text = D.to_tabbed(D.county_2021())
    r = gkdata.read_report(encode(text), name="r.txt")
    assert r.meta.encoding == encoding
    assert r.applications.equals(gkdata.read_report(text.encode(), name="u.txt").applications)


def test_formats_are_sniffed_by_content_whatever_the_name(heqing):
    for fmt, name in (("html", "html"), ("docx", "docx"), ("pdf", "pdf")):
        data, _ = _formats(D.county_2021(), HEQING)[fmt] if fmt != "pdf" else (D.to_pdf(D.county_2021()), "")
        assert gkdata.read_report(data, name="download.bin").meta.layout == name


def test_a_folder_of_mixed_formats(tmp_path):
    docs = _formats(D.county_2021(), HEQING)
    for fmt in ("html", "docx", "pdf"):
        data, name = docs[fmt]
        (tmp_path / name).write_bytes(data)
    corpus = gkdata.read_reports(tmp_path)
    assert sorted(corpus.reports["layout"]) == ["docx", "html", "pdf"]
    assert (corpus.reports["status"] == "ok").all()


# -- label matching --------------------------------------------------------------------------------

def test_labels_in_other_numbering_styles_spacing_and_wraps():
    """1、/①/一./(一). numbering, inner spaces and wrapped labels read as the template's labels."""
    text = D.to_tabbed(D.county_2021())
    for printed, variant in [("\t（一）予以公开", "\t一、予 以 公 开"), ("\t1.属于国家秘密", "\t①属于国家秘密"),
                             ("\t2.重复申请", "\t2、重复\n申请"), ("\t（七）总计", "\t七、总计"),
                             ("\t四、结转下年度继续办理", "\t（四）结转下年度继续办理"), ("\t3.其他", "\t3、其他"),
                             ("\t本年收费金额（单位：万元）", "\t本年收费金额(单位:万元)"),
                             ("\t行政规范性文件", "\t行政规范性\n文件")]:
        assert printed in text
        text = text.replace(printed, variant)
    r = gkdata.read_report(text.encode(), name="variants.txt")
    assert r.finding_records == []
    base = gkdata.read_report(D.to_tabbed(D.county_2021()).encode(), name="r.txt")
    for table in TABLES:
        pd.testing.assert_frame_equal(getattr(r, table), getattr(base, table))
