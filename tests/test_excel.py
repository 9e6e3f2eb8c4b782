"""The workbook for people, written from the seed reports and read back with openpyxl."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile

import openpyxl
import pytest
from typer.testing import CliRunner

import gkdata
from gkdata import excel, labels, synth, views
from gkdata.cli import app
from gkdata.corpus import Corpus

from conftest import RAW

SHEETS = ["概览", "申请", "公开", "复议诉讼", "问题", "对比"]


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return gkdata.read_reports(RAW)


@pytest.fixture(scope="module")
def wb(corpus, tmp_path_factory) -> openpyxl.Workbook:
    path = gkdata.to_excel(corpus, tmp_path_factory.mktemp("xlsx") / "summary.xlsx")
    return openpyxl.load_workbook(path)


def header(ws) -> list[str]:
    return [c.value for c in ws[1]]


def row_of(ws, **match) -> dict:
    """The one data row whose columns equal ``match`` (by header), as header -> cell."""
    h = header(ws)
    rows = [dict(zip(h, r)) for r in ws.iter_rows(min_row=2)]
    hits = [r for r in rows if all(r[k].value == v for k, v in match.items())]
    assert len(hits) == 1, f"{len(hits)} rows match {match}"
    return hits[0]


IDS = ["发布机关", "报告编号"]
PLACE = ["省份", "级别"]  # on every sheet, to filter and group by


def test_sheets_and_headers(wb):
    assert wb.sheetnames == SHEETS
    h = header(wb["概览"])
    assert h[:4] == ["地区", "年度", "模板", "版式"]
    assert {labels.zh("new_received"), labels.zh("results_total"), labels.zh("granted"), "错误", "警告"} <= set(h)
    assert header(wb["申请"]) == ["地区", "年度", "项目", *[labels.zh(k) for k in labels.keys("applicant")], *PLACE,
                                  *IDS]
    assert header(wb["复议诉讼"]) == ["地区", "年度", "类别", "结果维持", "结果纠正", "其他结果", "尚未审结", "总计",
                                    *PLACE, *IDS]
    assert header(wb["公开"]) == ["地区", "年度", "项目", "指标", "数值", "单位", *PLACE, *IDS]
    assert header(wb["问题"]) == ["地区", "年度", "检查", "严重程度", "表", "项目", "列", "期望值", "实际值", "说明",
                                "说明（英文）", "位置", *PLACE, *IDS]
    assert header(wb["概览"])[-7:] == ["省份", "地市", "区县", "区划代码", "级别", *IDS]
    assert header(wb["对比"])[-6:] == ["省份", "地市", "区划代码", "级别", *IDS]
    for ws in wb:  # who, where and when, on every sheet
        assert header(ws)[:2] == ["地区", "年度"] and header(ws)[-2:] == IDS, ws.title
        assert {"省份", "级别"} <= set(header(ws)), ws.title
    ali = row_of(wb["申请"], 地区="阿里地区", 项目="办理结果总计")
    assert (ali["发布机关"].value, ali["报告编号"].value) == ("阿里地区", "b9058dacfaa6")


def test_every_sheet_says_the_province_and_level(wb):
    """Where each report is from (gkdata.places), to filter and group by: 省份 and 级别 on every sheet (概览 with
    the whole place), under the autofilter."""
    ali = row_of(wb["申请"], 地区="阿里地区", 项目="办理结果总计")
    assert (ali["省份"].value, ali["级别"].value) == ("西藏自治区", "地级")
    assert {(r["省份"].value, r["级别"].value) for r in map(lambda row: dict(zip(header(wb["公开"]), row)),
                                                          wb["公开"].iter_rows(min_row=2))} == {
        ("西藏自治区", "县级"), ("贵州省", "县级"), ("河南省", "乡级"), ("甘肃省", "县级"), ("西藏自治区", "地级")}
    township = row_of(wb["概览"], 地区="卞路口乡")
    assert [township[k].value for k in ("省份", "地市", "区县", "区划代码", "级别")] == [
        "河南省", "周口市", "沈丘县", "411624", "乡级"]
    assert township["区划代码"].data_type == "s"  # a code, not a number: its leading digits are kept
    assert row_of(wb["对比"], 地区="会宁县")["区划代码"].value == "620422"
    assert row_of(wb["问题"], 地区="开阳县", 检查="表格无数字")["省份"].value == "贵州省"


def test_the_workbook_is_compressed_text_shared(corpus, tmp_path):
    """Each text once in the shared strings and every sheet deflated: 2,000 reports make a few megabytes, not 50."""
    path = gkdata.to_excel(corpus, tmp_path / "small.xlsx")
    with zipfile.ZipFile(path) as z:
        sheets = [i for i in z.infolist() if i.filename.startswith("xl/worksheets/sheet")]
        assert len(sheets) == 6 and all(i.compress_type == zipfile.ZIP_DEFLATED for i in sheets)
        assert all(i.compress_size < i.file_size / 3 for i in sheets)
        applications = z.read("xl/worksheets/sheet2.xml").decode()
        strings = z.read("xl/sharedStrings.xml").decode()
    assert 'inlineStr' not in applications and applications.count('t="s"') > 115 * 6
    assert strings.count("<si>") == len(set(re.findall(r"<si>(.*?)</si>", strings))) and "<t>阿里地区</t>" in strings


def test_printing(wb):
    """Landscape, one page wide, the header row on every page."""
    for ws in wb:
        assert ws.page_setup.orientation == "landscape", ws.title
        assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0), ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert ws.print_title_rows == "$1:$1", ws.title
        assert ws.page_setup.paperSize == 9, ws.title  # A4


def test_overview_ali_totals(wb):
    ali = row_of(wb["概览"], 地区="阿里地区")
    assert ali["办理结果总计"].value == 671
    assert ali["本年新收申请数量"].value == 17
    assert ali["上年结转申请数量"].value == 1
    assert (ali["错误"].value, ali["警告"].value, ali["空白模板"].value) == (7, 1, "否")
    assert ali["办理结果总计"].number_format == "#,##0"
    assert ali["年度"].value == 2020 and ali["年度"].number_format == "0"  # never "2,020"


def test_money_has_two_decimals(wb):
    cell = row_of(wb["公开"], 地区="会宁县", 指标="采购总金额")
    assert cell["数值"].value == 75647.67 and cell["单位"].value == "万元"
    assert cell["数值"].number_format == "#,##0.00"
    decisions = row_of(wb["公开"], 地区="会宁县", 项目="其他对外管理服务事项", 指标="处理决定数量")["数值"]
    assert (decisions.value, decisions.number_format) == (131483, "#,##0")


def test_na_is_an_empty_cell(wb):
    # 开阳县's table 三 lost its empty cells: only 总计 is known, the applicant columns are NA
    kaiyang = row_of(wb["申请"], 地区="开阳县", 项目="本年新收申请数量")
    assert kaiyang["总计"].value == 10
    assert [kaiyang[labels.zh(k)].value for k in labels.keys("applicant")[:-1]] == [None] * 6
    assert row_of(wb["复议诉讼"], 地区="开阳县", 类别="行政复议")["总计"].value is None
    assert row_of(wb["概览"], 地区="开阳县")["上年结转申请数量"].value is None
    for ws in wb:
        for row in ws.iter_rows():
            for c in row:
                assert str(c.value).lower() not in ("nan", "<na>", "none", "nat") or c.value is None, c.coordinate


def test_freeze_filter_and_widths(wb):
    frozen = {"概览": "C2", "申请": "D2", "公开": "D2", "复议诉讼": "D2", "问题": "D2", "对比": "C2"}
    for name, cell in frozen.items():
        ws = wb[name]
        assert ws.freeze_panes == cell, name
        assert ws.auto_filter.ref == ws.dimensions, name
    longest = "要求行政机关确认或重新出具已获取信息"  # 18 CJK characters, width 36
    assert wb["申请"].column_dimensions["C"].width == excel.text_width(longest) + 2 == 38


def test_comparison_of_regions_within_a_year(wb):
    """The seeds have one year per region: regions compared within each year, ranked by 本年新收."""
    ws = wb["对比"]
    assert [(r[0].value, r[1].value) for r in ws.iter_rows(min_row=2)] == [
        ("开阳县", 2019), ("巴青县", 2019), ("卞路口乡", 2019), ("阿里地区", 2020), ("会宁县", 2020)]
    ali = row_of(ws, 地区="阿里地区")
    assert (ali["办理结果总计"].value, ali["本年新收排名"].value, ali["报告编号"].value) == (671, 1, "b9058dacfaa6")
    assert row_of(ws, 地区="会宁县")["行政复议"].value == 12
    assert row_of(ws, 地区="卞路口乡")["本年新收排名"].value is None


def test_comparison_of_years_within_a_region(tmp_path):
    """A region with several years: its years in order, each against the year before."""
    folder = tmp_path / "years"
    folder.mkdir()
    last = None
    for year in range(2019, 2022):
        last = synth.generate(7 + year, publisher="甲县", year=year, last=last)
        (folder / f"{year}.txt").write_bytes(last.data)
    corpus = gkdata.read_reports(folder)
    ws = openpyxl.load_workbook(gkdata.to_excel(corpus, tmp_path / "y.xlsx"))["对比"]
    rows = [dict(zip(header(ws), (c.value for c in r))) for r in ws.iter_rows(min_row=2)]
    t = views.totals(corpus.applications).sort_values("year")
    assert [r["年度"] for r in rows] == [2019, 2020, 2021]
    assert [r["本年新收申请数量"] for r in rows] == t["new_received"].tolist()
    assert rows[0]["本年新收较上年"] is None
    assert [r["本年新收较上年"] for r in rows[1:]] == t["new_received"].diff().iloc[1:].astype(int).tolist()


def test_findings_in_chinese_coloured_by_severity(wb):
    ws = wb["问题"]
    error = row_of(ws, 地区="阿里地区", 检查="收到与办理不平衡", 列="总计")
    assert error["严重程度"].value == "错误"
    assert (error["期望值"].value, error["实际值"].value) == (18, 671)
    assert error["说明"].value == "总计：本年新收 + 上年结转 = 18，但办理结果总计 + 结转下年度 = 671"
    assert error["说明（英文）"].value == "总计: 本年新收 + 上年结转 = 18, but 办理结果总计 + 结转下年度 = 671"
    assert {c.fill.fgColor.rgb[-6:] for c in error.values()} == {"F8CBAD"}
    warning = row_of(ws, 地区="开阳县", 检查="表格无数字")
    assert warning["严重程度"].value == "警告" and warning["表"].value == "四、复议诉讼"
    assert warning["说明"].value == "表四存在但没有任何数字，各单元格记为空值，而非 0"
    assert warning["说明"].fill.fgColor.rgb[-6:] == "FFE699"
    checks = {c.value for c in ws["C"][1:]}
    assert checks == {"列位置不明", "表格无数字", "未填写的模板", "推定单位", "收到与办理不平衡", "行合计不符",
                      "新公开超过总数"}


def comment(cell) -> str | None:
    return cell.comment.text if cell.comment else None


def test_the_cells_a_finding_points_to_are_marked(wb):
    """阿里地区's table 三 does not balance and its result rows do not add up: the cells are filled in their
    severity's colour and carry the findings in a comment; its 规章 对外公开总数量 is below this year's additions."""
    ws = wb["申请"]
    ali = row_of(ws, 地区="阿里地区", 项目="办理结果总计")
    marked = {k: comment(c) for k, c in ali.items() if c.comment}
    assert set(marked) == {"自然人", "法律服务机构", "其他", "总计"}
    assert marked["总计"] == ("【错误】收到与办理不平衡：总计：本年新收 + 上年结转 = 18，但办理结果总计 + 结转下年度 = 671\n"
                            "【错误】行合计不符：总计：办理结果总计为 671，但其上各项办理结果之和为 653")
    assert marked["法律服务机构"] == "【错误】行合计不符：法律服务机构：办理结果总计为 1，但其上各项办理结果之和为 0"
    assert {ali[k].fill.fgColor.rgb[-6:] for k in marked} == {"F8CBAD"}
    assert ali["总计"].value == 671 and ali["商业企业"].fill.fgColor.rgb[-6:] == "000000"  # (no fill)
    rules = row_of(wb["公开"], 地区="阿里地区", 项目="规章", 指标="对外公开总数量")["数值"]
    assert (rules.value, rules.fill.fgColor.rgb[-6:]) == (32, "FFE699")
    assert comment(rules) == "【警告】新公开超过总数：规章：本年新公开数量 35 超过对外公开总数量 32，累计总数不应少于本年新增"
    # a finding about a whole table marks its first row's label, one about the whole report its 地区 in 概览
    assert comment(row_of(wb["复议诉讼"], 地区="开阳县", 类别="行政复议")["类别"]).startswith("【警告】表格无数字")
    assert comment(row_of(wb["概览"], 地区="卞路口乡")["地区"]).startswith("【警告】未填写的模板")
    every = [(ws.title, c.coordinate) for ws in wb for row in ws.iter_rows() for c in row if c.comment]
    assert len(every) == 9  # 14 findings, 9 cells: 阿里地区's 8 findings in 5


def test_each_finding_links_to_its_cell(wb):
    ws = wb["问题"]
    ali = row_of(ws, 地区="阿里地区", 检查="行合计不符", 列="法律服务机构")["位置"]
    target = row_of(wb["申请"], 地区="阿里地区", 项目="办理结果总计")["法律服务机构"].coordinate
    assert ali.value == f"申请!{target}" and ali.hyperlink.location == f"'申请'!{target}"


def test_text_is_never_a_formula(corpus, tmp_path):
    tables = dict(corpus.tables)
    reports, findings = tables["reports"].copy(), tables["findings"].copy()
    reports.loc[0, "region"] = "=HYPERLINK(\"http://example.com\",\"x\")"
    findings.loc[0, "message"] = "=1+1"
    findings.loc[1, "message"] = "+SUM(A1:A2)"
    findings.loc[2, "message"] = "-2+3"
    findings.loc[3, "message"] = "@SUM(A1)"
    path = gkdata.to_excel(Corpus({**tables, "reports": reports, "findings": findings}), tmp_path / "x.xlsx")
    wb = openpyxl.load_workbook(path)
    messages = [r[header(wb["问题"]).index("说明（英文）")] for r in wb["问题"].iter_rows(min_row=2, max_row=5)]
    assert [c.value for c in messages] == ["=1+1", "+SUM(A1:A2)", "-2+3", "@SUM(A1)"]
    assert all(c.data_type == "s" and c.quotePrefix for c in messages)
    region = wb["概览"]["A2"]
    assert (region.value, region.data_type) == (reports.loc[0, "region"], "s")
    with zipfile.ZipFile(path) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/")]
        assert sheets and not any("<f>" in z.read(n).decode() for n in sheets)


def test_written_whole_or_not_at_all(corpus, tmp_path, monkeypatch):
    path = gkdata.to_excel(corpus, tmp_path / "s.xlsx")
    before = path.read_bytes()

    def broken_save(self, filename):
        with open(filename, "wb") as f:
            f.write(b"PK half a workbook")
        raise OSError("disk full")

    monkeypatch.setattr(openpyxl.Workbook, "save", broken_save)
    with pytest.raises(OSError, match="disk full"):
        gkdata.to_excel(corpus, path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["s.xlsx"]  # no temp file left behind


def test_cli_excel(tmp_path):
    out = tmp_path / "cli.xlsx"
    result = CliRunner().invoke(app, ["excel", str(out), "--from", str(RAW)])
    assert result.exit_code == 0, result.output
    assert openpyxl.load_workbook(out).sheetnames == SHEETS
    empty = tmp_path / "empty"
    empty.mkdir()
    result = CliRunner().invoke(app, ["excel", str(tmp_path / "none.xlsx"), "--from", str(empty)])
    assert result.exit_code == 2 and not (tmp_path / "none.xlsx").exists()


def test_cli_excel_from_built_tables(corpus, tmp_path):
    from gkdata import store

    built = tmp_path / "processed"
    built.mkdir()
    store.write(corpus, built)
    out = tmp_path / "built.xlsx"
    result = CliRunner().invoke(app, ["excel", str(out), "--from", str(built)])
    assert result.exit_code == 0, result.output
    assert row_of(openpyxl.load_workbook(out)["概览"], 地区="阿里地区")["办理结果总计"].value == 671


def test_import_gkdata_does_not_import_openpyxl():
    code = "import sys, gkdata; print('openpyxl' in sys.modules, 'matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


def test_a_sheet_over_the_row_limit_goes_on_over_further_sheets(corpus, tmp_path, monkeypatch):
    """Excel holds 1,048,576 rows a sheet; with the limit patched to 60, 申请 (5 reports of ~23 rows) takes 3 sheets,
    split between reports, and a finding's mark and link land in the part that holds its cell."""
    monkeypatch.setattr(excel, "MAX_ROWS", 60)
    wb = openpyxl.load_workbook(gkdata.to_excel(corpus, tmp_path / "split.xlsx"))
    parts = [n for n in wb.sheetnames if n.startswith("申请")]
    assert parts == ["申请", "申请 (2)", "申请 (3)"]
    seen = []
    for name in parts:
        ws = wb[name]
        assert ws.max_row <= 60 and header(ws)[:3] == ["地区", "年度", "项目"]
        ids = [r[header(ws).index("报告编号")].value for r in ws.iter_rows(min_row=2)]
        seen += ids
        assert not set(ids) & set(seen[:-len(ids)])  # a report's rows are on one sheet
    assert len(seen) == sum(len(r) for r in [views.printed(corpus, "applications")]) == 115
    link = row_of(wb["问题"], 地区="阿里地区", 检查="行合计不符", 列="总计")["位置"]
    sheet, cell = link.hyperlink.location.split("!")
    assert sheet == "'申请 (3)'" and wb["申请 (3)"][cell].value == 671 and wb["申请 (3)"][cell].comment
