"""One report as prose and tables with spans, written in every input format.

A :data:`Doc` is a list of blocks: a prose paragraph (str) or a table — rows
of printed cells ``(text, rowspan, colspan)``, a cell listed only in the row
where it starts, as in HTML. The writers below render the same blocks as a
word-processor text export (tabbed), an HTML page the way government sites
and Word's "save as web page" write it, a .docx with merged cells and a PDF
with ruled tables, so a test can demand the same tables from each.
"""

from __future__ import annotations

import html
import io
import json
import re
import tempfile
from collections.abc import Callable
from functools import wraps
from pathlib import Path

Row = list[tuple[str, int, int]]
Table = list[Row]
Doc = list[str | Table]

RAW = Path(__file__).resolve().parent.parent / "data" / "raw"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def c(text: object, rowspan: int = 1, colspan: int = 1) -> tuple[str, int, int]:
    return str(text), rowspan, colspan


# -- the three tables of either template ---------------------------------------------------------

def table_two_2019(v: dict[str, list[str]]) -> Table:
    """Table 二 of the 2019 template, 4 grid columns, printed values as strings."""
    head = [c("信息内容"), c("上一年项目数量"), c("本年增/减"), c("处理决定数量")]
    return [
        [c("第二十条第（一）项", 1, 4)],
        [c("信息内容"), c("本年新制作数量"), c("本年新公开数量"), c("对外公开总数量")],
        [c("规章"), *map(c, v["规章"])],
        [c("规范性文件"), *map(c, v["规范性文件"])],
        [c("第二十条第（五）项", 1, 4)], head,
        [c("行政许可"), *map(c, v["行政许可"])],
        [c("其他对外管理服务事项"), *map(c, v["其他对外管理服务事项"])],
        [c("第二十条第（六）项", 1, 4)], head,
        [c("行政处罚"), *map(c, v["行政处罚"])],
        [c("行政强制"), *map(c, v["行政强制"])],
        [c("第二十条第（八）项", 1, 4)],
        [c("信息内容"), c("上一年项目数量"), c("本年增/减", 1, 2)],
        [c("行政事业性收费"), c(v["行政事业性收费"][0]), c(v["行政事业性收费"][1], 1, 2)],
        [c("第二十条第（九）项", 1, 4)],
        [c("信息内容"), c("采购项目数量"), c("采购总金额", 1, 2)],
        [c("政府集中采购"), c(v["政府集中采购"][0]), c(v["政府集中采购"][1], 1, 2)],
    ]


def table_two_2021(v: dict[str, list[str]]) -> Table:
    """Table 二 of the 2021 template: one value column spans three grid columns below the first block."""
    return [
        [c("第二十条第（一）项", 1, 4)],
        [c("信息内容"), c("本年制发件数"), c("本年废止件数"), c("现行有效件数")],
        [c("规章"), *map(c, v["规章"])],
        [c("行政规范性文件"), *map(c, v["行政规范性文件"])],
        [c("第二十条第（五）项", 1, 4)],
        [c("信息内容"), c("本年处理决定数量", 1, 3)],
        [c("行政许可"), c(v["行政许可"][0], 1, 3)],
        [c("第二十条第（六）项", 1, 4)],
        [c("信息内容"), c("本年处理决定数量", 1, 3)],
        [c("行政处罚"), c(v["行政处罚"][0], 1, 3)],
        [c("行政强制"), c(v["行政强制"][0], 1, 3)],
        [c("第二十条第（八）项", 1, 4)],
        [c("信息内容"), c("本年收费金额（单位：万元）", 1, 3)],
        [c("行政事业性收费"), c(v["行政事业性收费"][0], 1, 3)],
    ]


DENIED = ["1.属于国家秘密", "2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”", "4.保护第三方合法权益",
          "5.属于三类内部事务信息", "6.属于四类过程性信息", "7.属于行政执法案卷", "8.属于行政查询事项"]
UNABLE = ["1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确"]
NOT_PROCESSED = ["1.信访举报投诉类申请", "2.重复申请", "3.要求提供公开出版物", "4.无正当理由大量反复申请",
                 "5.要求行政机关确认或重新出具已获取信息"]
OTHER_2021 = ["1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
              "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "3.其他"]


def table_three(values: list[list[object]], template: str) -> Table:
    """Table 三 with its 3-row header; ``values`` are the data rows in printed order (7 each)."""
    vals = iter(values)

    def row(*label: tuple[str, int, int]) -> Row:
        return [*label, *map(c, next(vals))]

    def group(title: str, items: list[str]) -> list[Row]:
        return [row(*([c(title, len(items))] if i == 0 else []), c(item)) for i, item in enumerate(items)]

    top = [row(c("一、本年新收政府信息公开申请数量", 1, 3)), row(c("二、上年结转政府信息公开申请数量", 1, 3))]
    granted = [row(c("（一）予以公开", 1, 2)), row(c("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", 1, 2))]
    denied = [*group("（三）不予公开", DENIED), *group("（四）无法提供", UNABLE), *group("（五）不予处理", NOT_PROCESSED)]
    other = group("（六）其他处理", OTHER_2021) if template == "2021" else [row(c("（六）其他处理", 1, 2))]
    results = [*granted, *denied, *other, row(c("（七）总计", 1, 2))]
    results[0].insert(0, c("三、本年度办理结果", len(results)))
    carried_forward = row(c("四、结转下年度继续办理", 1, 3))
    return [
        [c("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", 3, 3), c("申请人情况", 1, 7)],
        [c("自然人", 2), c("法人或其他组织", 1, 5), c("总计", 2)],
        [c("商业企业"), c("科研机构"), c("社会公益组织"), c("法律服务机构"), c("其他")],
        *top,
        *results,
        carried_forward,
    ]


def table_four(values: list[object]) -> Table:
    outcomes = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    return [
        [c("行政复议", 1, 5), c("行政诉讼", 1, 10)],
        [*(c(o, 2) for o in outcomes), c("未经复议直接起诉", 1, 5), c("复议后起诉", 1, 5)],
        [*(c(o) for o in outcomes * 2)],
        [*map(c, values)],
    ]


# -- the two reports -----------------------------------------------------------------------------

def huining_2020() -> Doc:
    """Seed 003 (会宁县 2020, template 2019): its prose from data/raw and its tables as printed."""
    text = next(RAW.glob("003_*.txt")).read_text(encoding="utf-8")
    lines = [line.strip() for line in text.split("\n")]
    exp = json.loads((Path(__file__).parent / "expected" / "003.json").read_text(encoding="utf-8"))

    def prose(start: str, end: str | None) -> list[str]:
        i = lines.index(start)
        j = lines.index(end) if end else len(lines)
        return [line for line in lines[i:j] if line]

    two = table_two_2019({"规章": ["0", "0", "0"], "规范性文件": ["3", "3", "3"],
                          "行政许可": ["267", "增50", "11492"], "其他对外管理服务事项": ["319", "减114", "131483"],
                          "行政处罚": ["96", "增2", "852"], "行政强制": ["17", "0", "2028"],
                          "行政事业性收费": ["60", "增18"], "政府集中采购": ["156", "75647.67万元"]})
    three = table_three(list(exp["applications"].values()), "2019")
    four = table_four([v for vs in exp["appeals"].values() for v in vs])
    return [*prose("会宁县2020年政府信息公开工作年度报告", "二、主动公开政府信息情况"), "二、主动公开政府信息情况", two,
            "三、收到和处理政府信息公开申请情况", three, "四、政府信息公开行政复议、行政诉讼情况", four,
            *prose("五、存在的主要问题及改进情况", None)]


# 2021 template, hand-made: every identity holds; the three sub-items of (六) differ.
TWO_2021 = {"规章": ["1", "0", "5"], "行政规范性文件": ["12", "3", "48"], "行政许可": ["1520"],
            "行政处罚": ["87"], "行政强制": ["4"], "行政事业性收费": ["12.35"]}
THREE_2021 = {
    "new_received": [25, 3, 0, 1, 2, 0, 31], "carried_over": [2, 0, 0, 0, 0, 0, 2],
    "granted": [12, 1, 0, 0, 1, 0, 14], "partially_granted": [3, 0, 0, 0, 0, 0, 3],
    "denied_state_secret": [1, 0, 0, 0, 0, 0, 1], "denied_prohibited_by_law": [0] * 7,
    "denied_three_safeties": [0] * 7, "denied_third_party": [1, 0, 0, 0, 0, 0, 1],
    "denied_internal_affairs": [0] * 7, "denied_process_info": [2, 0, 0, 0, 0, 0, 2],
    "denied_enforcement_case_file": [0] * 7, "denied_administrative_query": [0] * 7,
    "unable_not_held": [4, 1, 0, 1, 0, 0, 6], "unable_needs_creation": [1, 0, 0, 0, 0, 0, 1],
    "unable_unclear_after_correction": [0] * 7, "not_processed_complaint": [1, 0, 0, 0, 0, 0, 1],
    "not_processed_duplicate": [0] * 7, "not_processed_publication": [0] * 7, "not_processed_excessive": [0] * 7,
    "not_processed_confirmation": [0] * 7, "other_handling_overdue_correction": [1, 0, 0, 0, 0, 0, 1],
    "other_handling_fee_unpaid": [0, 0, 0, 0, 1, 0, 1], "other_handling_other": [0, 1, 0, 0, 0, 0, 1],
    "results_total": [26, 3, 0, 1, 2, 0, 32], "carried_forward": [1, 0, 0, 0, 0, 0, 1],
}
FOUR_2021 = [2, 1, 0, 1, 4, 1, 0, 0, 1, 2, 0, 0, 1, 0, 1]


def county_2021() -> Doc:
    """A 2021-template report of an invented county."""
    return [
        "河清县2021年政府信息公开工作年度报告",
        "本报告根据《中华人民共和国政府信息公开条例》编制。本报告中所列数据的统计期限自2021年1月1日起至2021年12月31日止。",
        "一、总体情况",
        "2021年，河清县主动公开政府信息1200条，其中政府网站公开政府信息1000条，政务新媒体公开政府信息200条。",
        "二、主动公开政府信息情况", table_two_2021(TWO_2021),
        "三、收到和处理政府信息公开申请情况", table_three(list(THREE_2021.values()), "2021"),
        "四、政府信息公开行政复议、行政诉讼情况", table_four(FOUR_2021),
        "五、存在的主要问题及改进情况",
        "一是公开内容不够全面；二是解读形式较为单一。",
        "六、其他需要报告的事项",
        "本年度未收取信息处理费。",
    ]


# -- writers ------------------------------------------------------------------------------------

def grid(table: Table) -> list[tuple[int, int, str, int, int]]:
    """(row, column, text, rowspan, colspan) of every printed cell, spans expanded."""
    taken: set[tuple[int, int]] = set()
    out = []
    for r, row in enumerate(table):
        col = 0
        for text, rs, cs in row:
            while (r, col) in taken:
                col += 1
            out.append((r, col, text, rs, cs))
            taken.update((r + i, col + j) for i in range(rs) for j in range(cs))
            col += cs
    return out


def to_tabbed(doc: Doc) -> str:
    """As a word processor's text export (the shape of seeds 000/003)."""
    lines: list[str] = []
    for block in doc:
        if isinstance(block, str):
            lines += [block, ""]
            continue
        cells = grid(block)
        for r in range(len(block)):
            row = sorted([(col, t) for rr, col, t, _, _ in cells if rr == r]
                         + [(col, "") for rr, col, _, rs, _ in cells if rr < r < rr + rs])
            lines += ["\t" + t for _, t in row] + [""]
        lines.append("")
    return "\n".join(lines)


def _html_cell(text: str, rs: int, cs: int, wrap: bool) -> str:
    """A cell the way Word's HTML export writes it: <p><span>, &nbsp; for a blank, wrapped labels."""
    spans = (f" rowspan={rs}" if rs > 1 else "") + (f' colspan="{cs}"' if cs > 1 else "")
    body = html.escape(text).replace("（", "(").replace("）", ")") if text else "&nbsp;"
    if wrap and len(text) > 12:  # a long label wrapped by hand, as in many pages
        body = f"{html.escape(text[:8])}<br>\n      {html.escape(text[8:])}"
    return (f"<td width=64{spans} valign=center style='border:solid windowtext 1.0pt;padding:0cm 5.4pt'>"
            f"<p class=MsoNormal align=center style='text-align:center'><span lang=EN-US "
            f"style='font-size:10.5pt;font-family:宋体'>{body}<o:p></o:p></span></p></td>")


def html_tables_and_prose(doc: Doc, wrap: bool = True) -> str:
    parts = []
    for block in doc:
        if isinstance(block, str):
            parts.append(f"<p class=MsoNormal style='text-indent:32.0pt'><span>{html.escape(block)}</span></p>")
        else:
            rows = "".join("<tr style='height:20.0pt'>" + "".join(_html_cell(*cell, wrap) for cell in row) + "</tr>\n"
                           for row in block)
            parts.append("<table class=MsoNormalTable border=1 cellspacing=0 cellpadding=0 "
                         f"style='border-collapse:collapse'>\n<tbody>\n{rows}</tbody></table>")
    return "\n".join(parts)


_NAV = ("<div class='top'><ul class='nav'><li><a href='/'>首页</a></li><li><a href='/zwgk'>政务公开</a></li>"
        "<li><a href='/bsfw'>办事服务</a></li><li><a href='/hdjl'>互动交流</a></li></ul></div>"
        "<div class='crumb'>当前位置：<a href='/'>首页</a> &gt; <a href='/zwgk'>政务公开</a> &gt; 政府信息公开年报</div>")
_FOOTER = ("<div class='footer'><p>主办：河清县人民政府办公室&nbsp;&nbsp;网站标识码：6200000001</p>"
           "<p>ICP备案号：陇ICP备00000000号</p></div>")


def to_html(doc: Doc, title: str, charset: str = "utf-8") -> bytes:
    """A government site's article page: navigation, the report in the article body, a footer."""
    page = (f"<!DOCTYPE html>\n<html>\n<head>\n<meta http-equiv='Content-Type' content='text/html; charset={charset}'>\n"
            f"<title>{html.escape(title)}_河清县人民政府</title>\n<style>p {{ margin: 0 }}</style>\n</head>\n<body>\n"
            f"{_NAV}\n<div class='article'>\n<h1>{html.escape(title)}</h1>\n"
            f"<div class='TRS_Editor'>\n{html_tables_and_prose(doc)}\n</div>\n</div>\n{_FOOTER}\n"
            "<script>var _hmt = _hmt || []; document.getElementById('x');</script>\n</body>\n</html>\n")
    return page.encode(charset)


def to_html_in_script(doc: Doc, title: str) -> bytes:
    """The article as an escaped string inside a <script> (pages rendered by JavaScript)."""
    content = json.dumps(html_tables_and_prose(doc)).replace("<", "\\u003c").replace(">", "\\u003e")
    page = (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title></head><body>"
            f"{_NAV}<div id='app'></div><script type='text/javascript'>\nvar article = {{\"title\": "
            f"{json.dumps(title, ensure_ascii=False)}, \"content\": {content}}};\n"
            "document.getElementById('app').innerHTML = article.content;\n</script>"
            f"{_FOOTER}</body></html>")
    return page.encode("utf-8")


_HEADING = re.compile(r"^([一二三四五六])、(.+)$")
_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
# Word's outline list of a report: 一、 then （一）, counted in Chinese (abstract list 7, list 3)
OUTLINE_NUMBERING = (
    f"<w:abstractNum {_W} w:abstractNumId='7'>"
    "<w:lvl w:ilvl='0'><w:start w:val='1'/><w:numFmt w:val='chineseCounting'/><w:lvlText w:val='%1、'/></w:lvl>"
    "<w:lvl w:ilvl='1'><w:start w:val='1'/><w:numFmt w:val='chineseCounting'/><w:lvlText w:val='（%2）'/></w:lvl>"
    "</w:abstractNum>", f"<w:num {_W} w:numId='3'><w:abstractNumId w:val='7'/></w:num>")


def _once(write: Callable[..., bytes]) -> Callable[..., bytes]:
    """A writer that makes each document once per test run (by its content): python-docx and fpdf2 take
    about a second a document, and many tests read the same one."""
    made: dict[str, bytes] = {}

    @wraps(write)
    def once(*args) -> bytes:
        key = repr(args)
        if key not in made:
            made[key] = write(*args)
        return made[key]

    return once


@_once
def to_docx(doc: Doc, numbered: str | None = None) -> bytes:
    """A Word document: paragraphs and tables with merged cells (python-docx writes w:gridSpan / w:vMerge).

    ``numbered``: the section headings are typed without their 一、…六、, which
    Word's list numbering prints (:data:`OUTLINE_NUMBERING`), set on each
    heading (``"numPr"``) or by its paragraph style, Heading 1 (``"style"``).
    """
    import docx
    from docx.oxml import parse_xml
    from docx.table import _Cell

    d = docx.Document()
    if numbered:
        numbering = d.part.numbering_part.element
        for child in list(numbering):
            numbering.remove(child)
        for xml in OUTLINE_NUMBERING:
            numbering.append(parse_xml(xml))
        d.styles["Heading 1"].element.get_or_add_pPr().append(
            parse_xml(f"<w:numPr {_W}><w:numId w:val='3'/></w:numPr>"))
    for block in doc:
        if isinstance(block, str):
            if numbered and (m := _HEADING.match(block)):
                para = d.add_paragraph(m.group(2), style="Heading 1" if numbered == "style" else None)
                if numbered == "numPr":
                    para._p.get_or_add_pPr().append(
                        parse_xml(f"<w:numPr {_W}><w:ilvl w:val='0'/><w:numId w:val='3'/></w:numPr>"))
            else:
                d.add_paragraph(block)
            continue
        cells = grid(block)
        ncols = max(col + cs for _, col, _, _, cs in cells)
        table = d.add_table(rows=len(block), cols=ncols)
        table.style = "Table Grid"
        # every grid position's cell taken once, before any merge (table.cell walks the whole table each call);
        # the spans do not overlap, so no merge removes a cell that a later one starts or ends at
        at = [[_Cell(tc, table) for tc in tr.tc_lst] for tr in table._tbl.tr_lst]
        for r, col, text, rs, cs in cells:
            cell = at[r][col]
            if rs > 1 or cs > 1:
                cell = cell.merge(at[r + rs - 1][col + cs - 1])
            cell.text = text
        d.add_paragraph("")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def cjk_truetype(text: str) -> bytes:
    """Noto Sans SC cut down to the characters of ``text``, as a TrueType font.

    The packaged font is CID-keyed CFF, which fpdf2 embeds with a CMap that
    pdfminer cannot read (the PDF would show text but pdfplumber would see no
    characters); glyf outlines embed as Identity-H, which every reader decodes.
    """
    import pylopdf_fonts_zh_cn
    from fontTools import subset
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont, newTable

    font = TTFont(pylopdf_fonts_zh_cn.sans_path())
    options = subset.Options()
    options.layout_features, options.notdef_outline = [], True
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text + "0123456789")
    subsetter.subset(font)
    glyphs = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder, glyf.glyphs = font.getGlyphOrder(), {}
    for name in glyf.glyphOrder:
        pen = TTGlyphPen(None)
        glyphs[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
        glyf.glyphs[name] = pen.glyph()
    for tag in ("CFF ", "VORG"):
        del font[tag]
    font["glyf"], font["loca"] = glyf, newTable("loca")
    maxp = font["maxp"]
    maxp.tableVersion, maxp.maxZones = 0x00010000, 1
    for field in ("maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs", "maxStackElements",
                  "maxSizeOfInstructions", "maxComponentElements"):
        setattr(maxp, field, 0)
    font["head"].glyphDataFormat, font["post"].formatType = 0, 3.0
    font.sfntVersion = "\x00\x01\x00\x00"
    buf = io.BytesIO()
    font.save(buf)
    return buf.getvalue()


def _doc_text(doc: Doc) -> str:
    return "".join(b if isinstance(b, str) else "".join(t for row in b for t, _, _ in row) for b in doc)


@_once
def to_pdf(doc: Doc) -> bytes:
    """A PDF with a text layer and ruled tables (fpdf2; rows move whole to the next page)."""
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    pdf = FPDF(format="A4")
    with tempfile.TemporaryDirectory() as tmp:
        font = Path(tmp) / "NotoSansSC-subset.ttf"
        font.write_bytes(cjk_truetype(_doc_text(doc)))
        pdf.add_font("NotoSansSC", fname=font)
    pdf.set_font("NotoSansSC", size=9)
    pdf.add_page()
    for block in doc:
        if isinstance(block, str):
            pdf.multi_cell(0, 6, block, new_x="LMARGIN", new_y="NEXT")
            continue
        ncols = max(col + cs for _, col, _, _, cs in grid(block))
        widths = {4: [40, 30, 30, 30], 10: [10, 16, 56, 13, 13, 13, 13, 13, 13, 13]}.get(ncols, [12] * ncols)
        pdf.set_font(size=7)
        with pdf.table(first_row_as_headings=False, text_align="CENTER", line_height=4, col_widths=widths,
                       width=sum(widths), headings_style=FontFace()) as table:
            for row in block:
                out = table.row()
                for text, rs, cs in row:
                    out.cell(text, rowspan=rs, colspan=cs)
        pdf.set_font(size=9)
        pdf.ln(4)
    return bytes(pdf.output())


def scanned_pdf() -> bytes:
    """An image-only PDF, as a scanner makes (no text layer)."""
    from fpdf import FPDF
    from PIL import Image

    img = Image.new("L", (200, 100), 255)
    for x in range(20, 180):
        img.putpixel((x, 50), 0)
    pdf = FPDF()
    pdf.add_page()
    pdf.image(img, x=10, y=10, w=180)
    return bytes(pdf.output())
