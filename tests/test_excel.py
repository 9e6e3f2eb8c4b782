"""The workbook for people, written from the seed reports and read back with openpyxl."""

from __future__ import annotations

import subprocess
import sys
import zipfile

import openpyxl
import pytest
from typer.testing import CliRunner

import gkdata
from gkdata import excel, labels
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


def test_sheets_and_headers(wb):
    assert wb.sheetnames == SHEETS
    h = header(wb["概览"])
    assert h[:4] == ["地区", "年度", "模板", "版式"]
    assert {labels.zh("new_received"), labels.zh("results_total"), labels.zh("granted"), "错误", "警告"} <= set(h)
    assert header(wb["申请"]) == ["地区", "年度", "项目", *[labels.zh(k) for k in labels.keys("applicant")]]
    assert header(wb["复议诉讼"]) == ["地区", "年度", "类别", "结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    assert header(wb["公开"]) == ["地区", "年度", "项目", "指标", "数值", "单位"]
    assert header(wb["对比"]) == ["地区", "项目", "2019", "2020"]


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
    frozen = {"概览": "C2", "申请": "D2", "公开": "C2", "复议诉讼": "D2", "问题": "C2", "对比": "C2"}
    for name, cell in frozen.items():
        ws = wb[name]
        assert ws.freeze_panes == cell, name
        assert ws.auto_filter.ref == ws.dimensions, name
    longest = "要求行政机关确认或重新出具已获取信息"  # 18 CJK characters, width 36
    assert wb["申请"].column_dimensions["C"].width == excel.text_width(longest) + 2 == 38


def test_comparison_region_by_year(wb):
    ali = row_of(wb["对比"], 地区="阿里地区", 项目="办理结果总计")
    assert (ali["2019"].value, ali["2020"].value) == (None, 671)
    assert row_of(wb["对比"], 地区="会宁县", 项目="行政复议")["2020"].value == 12


def test_findings_coloured_by_severity(wb):
    ws = wb["问题"]
    error = row_of(ws, 地区="阿里地区", 检查="balance", 列="总计")
    assert error["严重程度"].value == "错误"
    assert (error["期望值"].value, error["实际值"].value) == (18, 671)
    assert {c.fill.fgColor.rgb[-6:] for c in error.values()} == {"F8CBAD"}
    warning = row_of(ws, 地区="开阳县", 检查="empty_table")
    assert warning["严重程度"].value == "警告" and warning["表"].value == "四、复议诉讼"
    assert warning["说明"].fill.fgColor.rgb[-6:] == "FFE699"


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
    messages = [r[header(wb["问题"]).index("说明")] for r in wb["问题"].iter_rows(min_row=2, max_row=5)]
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
