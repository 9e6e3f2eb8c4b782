"""Word .docx: list numbering from numbering.xml (issue #16 item 5), and the package read without python-docx.

Each package is python-docx's blank one with the parts a test writes
(word/document.xml, word/numbering.xml, word/styles.xml), so the numbers
come only from the XML shown here.
"""

from __future__ import annotations

import functools
import io
import zipfile

import pandas as pd
import pytest

import documents as D
import gkdata
from gkdata import limits, sections
from gkdata.formats import docx as docx_format

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


@functools.cache
def _blank() -> bytes:
    import docx

    buf = io.BytesIO()
    docx.Document().save(buf)
    return buf.getvalue()


def package(body: str, numbering: str | None = None, styles: str | None = None, blank: bytes | None = None) -> bytes:
    """A .docx whose document body, list definitions and styles are these XML fragments (None: the blank's)."""
    parts = {"word/document.xml": f'<?xml version="1.0"?><w:document {W}><w:body>{body}</w:body></w:document>'}
    if numbering is not None:
        parts["word/numbering.xml"] = f'<?xml version="1.0"?><w:numbering {W}>{numbering}</w:numbering>'
    if styles is not None:
        parts["word/styles.xml"] = f'<?xml version="1.0"?><w:styles {W}>{styles}</w:styles>'
    source = zipfile.ZipFile(io.BytesIO(blank or _blank()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in source.infolist():
            z.writestr(info.filename, parts.get(info.filename, source.read(info)))
    return out.getvalue()


def p(text: str = "", num: int | None = None, ilvl: int | None = None, style: str | None = None) -> str:
    """A paragraph, numbered by list ``num`` at level ``ilvl`` and/or styled ``style``."""
    props = f'<w:pStyle w:val="{style}"/>' if style else ""
    if num is not None or ilvl is not None:
        props += ("<w:numPr>" + (f'<w:ilvl w:val="{ilvl}"/>' if ilvl is not None else "")
                  + (f'<w:numId w:val="{num}"/>' if num is not None else "") + "</w:numPr>")
    return f"<w:p><w:pPr>{props}</w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"


def lvl(ilvl: int, fmt: str, text: str, start: int | None = 1, extra: str = "") -> str:
    start_el = f'<w:start w:val="{start}"/>' if start is not None else ""
    return (f'<w:lvl w:ilvl="{ilvl}">{start_el}<w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/>'
            f'{extra}<w:lvlJc w:val="left"/></w:lvl>')


def abstract(aid: int, *levels: str, extra: str = "") -> str:
    return f'<w:abstractNum w:abstractNumId="{aid}">{extra}{"".join(levels)}</w:abstractNum>'


def num(nid: int, aid: int, overrides: str = "") -> str:
    return f'<w:num w:numId="{nid}"><w:abstractNumId w:val="{aid}"/>{overrides}</w:num>'


# A report's outline: 一、 sections, （一） sub-sections, 1. items.
OUTLINE = abstract(0, lvl(0, "chineseCounting", "%1、"), lvl(1, "chineseCounting", "（%2）"), lvl(2, "decimal", "%3."))


def lines(data: bytes) -> list[str]:
    blocks, _ = docx_format.read(data, "n.docx")
    return [b for b in blocks if isinstance(b, str)]


# -- counting --------------------------------------------------------------------------------------

def test_levels_count_and_a_higher_level_restarts_the_lower():
    body = (p("总体情况", 1, 0) + p("主动公开", 1, 1) + p("规章", 1, 2) + p("规范性文件", 1, 2) + p("依申请公开", 1, 1)
            + p("申请情况", 1, 0) + p("收到申请", 1, 1) + p("办理结果", 1, 2) + p("不是列表") + p("复议诉讼", 1, 0))
    assert lines(package(body, OUTLINE + num(1, 0))) == [
        "一、总体情况", "（一）主动公开", "1. 规章", "2. 规范性文件", "（二）依申请公开",
        "二、申请情况", "（一）收到申请", "1. 办理结果", "不是列表", "三、复议诉讼"]


def test_start_values_and_lvl_restart():
    """w:start sets a level's first number; w:lvlRestart 0 never restarts it, 1 only after level 1 (ilvl 0)."""
    numbering = abstract(0, lvl(0, "chineseCounting", "%1、", start=3), lvl(1, "decimal", "%2)", start=5,
                                                                              extra='<w:lvlRestart w:val="0"/>'),
                         lvl(2, "lowerLetter", "%3.", extra='<w:lvlRestart w:val="1"/>'))
    body = (p("甲", 1, 0) + p("乙", 1, 1) + p("x", 1, 2) + p("丙", 1, 1) + p("y", 1, 2) + p("丁", 1, 0)
            + p("戊", 1, 1) + p("z", 1, 2))
    assert lines(package(body, numbering + num(1, 0))) == [
        "三、甲", "5) 乙", "a. x", "6) 丙", "b. y", "四、丁", "7) 戊", "a. z"]


def test_lists_of_one_abstract_list_continue_unless_one_overrides_its_start():
    body = p("a", 1, 0) + p("b", 1, 0) + p("c", 2, 0) + p("d", 3, 0) + p("e", 3, 0) + p("f", 1, 0)
    numbering = OUTLINE + num(1, 0) + num(2, 0) + num(3, 0, '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/>'
                                                             '</w:lvlOverride>')
    assert lines(package(body, numbering)) == ["一、a", "二、b", "三、c", "一、d", "二、e", "三、f"]


def test_a_level_redefined_by_its_list():
    override = '<w:lvlOverride w:ilvl="0">' + lvl(0, "upperRoman", "Part %1:", start=4) + "</w:lvlOverride>"
    body = p("a", 2, 0) + p("b", 2, 0)
    assert lines(package(body, OUTLINE + num(2, 0, override))) == ["Part IV: a", "Part V: b"]


@pytest.mark.parametrize("fmt, text, numbers", [
    ("chineseCounting", "%1、", ["一、", "二、", "三、"]),
    ("chineseCountingThousand", "第%1部分", ["第一部分 ", "第二部分 ", "第三部分 "]),
    ("ideographTraditional", "%1、", ["甲、", "乙、", "丙、"]),
    ("decimal", "%1.", ["1. ", "2. ", "3. "]),
    ("decimalFullWidth", "%1．", ["１．", "２．", "３．"]),
    ("decimalEnclosedCircle", "%1", ["① ", "② ", "③ "]),
    ("decimalEnclosedParen", "%1", ["⑴ ", "⑵ ", "⑶ "]),
    ("ideographEnclosedCircle", "%1", ["㈠ ", "㈡ ", "㈢ "]),
    ("chineseLegalSimplified", "%1、", ["壹、", "贰、", "叁、"]),
    ("upperLetter", "(%1)", ["(A) ", "(B) ", "(C) "]),
    ("lowerRoman", "%1)", ["i) ", "ii) ", "iii) "]),
    ("decimalZero", "%1", ["01 ", "02 ", "03 "]),
    ("bullet", "\uf0b7", ["", "", ""]),
    ("none", "", ["", "", ""]),
    ("someFormatOfTomorrow", "%1.", ["1. ", "2. ", "3. "]),  # unknown: decimal
])
def test_number_formats(fmt, text, numbers):
    body = "".join(p("项", 1, 0) for _ in range(3))
    assert lines(package(body, abstract(0, lvl(0, fmt, text)) + num(1, 0))) == [n + "项" for n in numbers]


def test_chinese_counting_past_ten():
    assert [docx_format.number_text(n, "chineseCounting") for n in (10, 12, 19, 20, 99, 100, 101, 110, 1000, 1001,
                                                                       10000, 10010, 123456)] == [
        "十", "十二", "十九", "二十", "九十九", "一百", "一百零一", "一百一十", "一千", "一千零一",
        "一万", "一万零一十", "十二万三千四百五十六"]
    assert docx_format.number_text(11, "chineseLegalSimplified") == "壹拾壹"
    assert docx_format.number_text(27, "upperLetter") == "AA"


def test_multilevel_text_legal_numbering_and_suffixes():
    numbering = abstract(0, lvl(0, "chineseCounting", "%1、", extra='<w:suff w:val="nothing"/>'),
                         lvl(1, "chineseCounting", "%1.%2", extra='<w:isLgl/>'),
                         lvl(2, "decimal", "%1.%2.%3", extra='<w:suff w:val="space"/>'))
    body = p("a", 1, 0) + p("b", 1, 1) + p("c", 1, 2) + p("d", 1, 2)
    assert lines(package(body, numbering + num(1, 0))) == ["一、a", "1.1 b", "一.一.1 c", "一.一.2 d"]


def test_a_level_used_before_its_parent_shows_the_parents_start():
    numbering = abstract(0, lvl(0, "decimal", "%1."), lvl(1, "decimal", "%1.%2"))
    assert lines(package(p("x", 1, 1) + p("y", 1, 0), numbering + num(1, 0))) == ["1.1 x", "1. y"]


# -- numbering through styles ----------------------------------------------------------------------

STYLES = ('<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>'
          '<w:style w:type="paragraph" w:styleId="Heading1"><w:basedOn w:val="Normal"/>'
          '<w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>'
          '<w:style w:type="paragraph" w:styleId="Heading2"><w:basedOn w:val="Heading1"/>'
          '<w:pPr><w:numPr><w:ilvl w:val="1"/></w:numPr></w:pPr></w:style>'
          '<w:style w:type="paragraph" w:styleId="MyHeading"><w:basedOn w:val="Heading1"/></w:style>'
          '<w:style w:type="paragraph" w:styleId="ListItem"><w:pPr><w:numPr><w:numId w:val="2"/></w:numPr></w:pPr>'
          '</w:style>')


def test_numbering_given_by_a_paragraph_style():
    """The style's numId and ilvl, each from the nearest style of its basedOn chain; a style's list without a
    level takes the level that names the style; a paragraph's own numId 0 takes the numbering away."""
    numbering = (OUTLINE + abstract(1, lvl(0, "decimal", "%1."), lvl(1, "decimal", "%2)",
                                                                         extra='<w:pStyle w:val="ListItem"/>'))
                 + num(1, 0) + num(2, 1))
    body = (p("总体情况", style="Heading1") + p("小节", style="Heading2") + p("小节", style="Heading2")
            + p("正文", style="Normal") + p("主动公开", style="MyHeading") + p("不编号", num=0, style="Heading1")
            + p("条目", style="ListItem") + p("申请", style="Heading1") + p("下级", style="Heading1", ilvl=1))
    assert lines(package(body, numbering, STYLES)) == [
        "一、总体情况", "（一）小节", "（二）小节", "正文", "二、主动公开", "不编号", "1) 条目", "三、申请", "（一）下级"]


def test_a_numbering_style_link():
    """An abstract list that only links a numbering style (w:numStyleLink) takes the linked list's levels."""
    styles = ('<w:style w:type="numbering" w:styleId="Outline"><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr>'
              '</w:pPr></w:style>')
    numbering = (abstract(0, lvl(0, "chineseCounting", "%1、"), extra='<w:styleLink w:val="Outline"/>')
                 + abstract(1, extra='<w:numStyleLink w:val="Outline"/>') + num(1, 0) + num(2, 1))
    assert lines(package(p("a", 2, 0) + p("b", 2, 0), numbering, styles)) == ["一、a", "二、b"]


def test_loops_and_wild_values_end():
    """basedOn and numStyleLink cycles, a level past 8, a start of many digits: no hang, no error."""
    styles = ('<w:style w:type="paragraph" w:styleId="A"><w:basedOn w:val="B"/></w:style>'
              '<w:style w:type="paragraph" w:styleId="B"><w:basedOn w:val="A"/></w:style>'
              '<w:style w:type="numbering" w:styleId="L"><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr>'
              '</w:style>')
    numbering = (abstract(0, extra='<w:numStyleLink w:val="L"/>') + num(1, 0)
                 + abstract(1, lvl(0, "decimal", "%1.", start=int("9" * 40))) + num(2, 1))
    body = p("a", style="A") + p("b", 1, 0) + p("c", 2, 20) + p("d", 2, 0) + p("e", 2, 0)
    assert lines(package(body, numbering, styles)) == ["a", "b", "c", "32767. d", "32768. e"]


def test_no_numbering_part_or_a_broken_one_numbers_nothing():
    body = p("总体情况", 1, 0)
    assert lines(package(body, "<w:num w:numId='1'><w:abstractNumId w:val='0'/></w:num>")) == ["总体情况"]
    assert lines(package(body, OUTLINE + num(1, 0) + "<w:num")) == ["总体情况"]  # not well-formed
    assert lines(package(body, OUTLINE + num(2, 0))) == ["总体情况"]  # no such list


def test_numbers_in_table_cells_and_their_text_cap(monkeypatch):
    cell = "<w:tc>{}</w:tc>"
    row = "<w:tr>" + cell.format(p("属于国家秘密", 1, 2)) + cell.format(p("0")) + "</w:tr>"
    data = package(p("申请情况", 1, 0) + f"<w:tbl>{row * 3}</w:tbl>", OUTLINE + num(1, 0))
    blocks, _ = docx_format.read(data, "n.docx")
    assert blocks[0] == "一、申请情况" and [c.text for c in blocks[1] if c.col == 0] == [
        "1. 属于国家秘密", "2. 属于国家秘密", "3. 属于国家秘密"]
    # numbers are text a document does not hold: their characters are capped as they are made
    many = package("<w:p><w:pPr><w:numPr><w:ilvl w:val='0'/><w:numId w:val='1'/></w:numPr></w:pPr></w:p>" * 2000,
                   abstract(0, lvl(0, "decimal", "x" * 90 + "%1")) + num(1, 0))
    monkeypatch.setattr(limits, "MAX_CHARS", 50_000)
    with pytest.raises(gkdata.ReportError, match=r"the text's list numbers: [\d,]+ characters, over the cap"):
        docx_format.read(many, "n.docx")


# -- a real-looking report whose section headings are list numbers ------------------------------------

@pytest.mark.parametrize("numbered", ["numPr", "style"])
@pytest.mark.parametrize("doc", [D.county_2021, D.huining_2020], ids=["2021", "2019"])
def test_a_report_numbered_by_word_reads_as_its_plain_twin(doc, numbered):
    """Its section headings typed without 一、…六、, which Word's list numbering prints (documents.to_docx):
    the same tables, findings and text as the report typed with them."""
    plain = gkdata.read_report(D.to_docx(doc()), name="plain.docx")
    numbered_docx = D.to_docx(doc(), numbered)
    xml = zipfile.ZipFile(io.BytesIO(numbered_docx)).read("word/document.xml").decode()
    assert "一、总体情况" not in xml and "<w:t>总体情况</w:t>" in xml  # the numeral is Word's, not the text's
    report = gkdata.read_report(numbered_docx, name="numbered.docx")
    for table in ("disclosure", "applications", "appeals", "narrative"):
        pd.testing.assert_frame_equal(getattr(report, table), getattr(plain, table))
    assert report.finding_records == plain.finding_records == []
    # the text is the twin's, line for line: each heading gets its 一、 back, in its place
    text = gkdata.formats.convert(numbered_docx, "numbered.docx").text
    assert text == gkdata.formats.convert(D.to_docx(doc()), "plain.docx").text
    assert [text.split("\n")[h.line][:2] for h in sections.find(text.split("\n"))] == [
        "一、", "二、", "三、", "四、", "五、", "六、"]


# -- the package -----------------------------------------------------------------------------------

def test_the_main_part_is_found_by_the_package_relationships():
    """_rels/.rels names the main part (not always word/document.xml); content types are not needed."""
    blank = zipfile.ZipFile(io.BytesIO(package(p("二、主动公开政府信息情况"))))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for info in blank.infolist():
            data = blank.read(info)
            if info.filename == "_rels/.rels":
                data = data.replace(b"word/document.xml", b"word/main.xml")
            if info.filename == "[Content_Types].xml":
                data = b"<Types/>"
            z.writestr(info.filename.replace("document.xml", "main.xml"), data)
    assert lines(out.getvalue()) == ["二、主动公开政府信息情况"]


def test_unused_parts_are_never_inflated(monkeypatch):
    """Only the relationships and the document are inflated for a document without lists."""
    inflated = []
    real = docx_format.zipcheck.inflate
    monkeypatch.setattr(docx_format.zipcheck, "inflate", lambda data, info, *a: inflated.append(info.filename)
                        or real(data, info, *a))
    docx_format.read(D.to_docx(D.county_2021()), "r.docx")
    assert inflated == ["_rels/.rels", "word/document.xml"]


def test_python_docx_is_not_needed_to_read(monkeypatch):
    import sys

    data = D.to_docx(D.county_2021())
    monkeypatch.setitem(sys.modules, "docx", None)  # import docx would fail
    r = gkdata.read_report(data, name="r.docx")
    assert r.meta.layout == "docx" and r.finding_records == []
