"""Each check: a real case that triggers it (a seed, or a seed with one cell changed) and one that does not."""

from __future__ import annotations

import pandas as pd
import pytest
from typer.testing import CliRunner

import gkdata
from gkdata.cli import app
from gkdata.corpus_checks import check_corpus
from gkdata.findings import THRESHOLDS

from conftest import SEEDS

HUINING = SEEDS["003"].read_text(encoding="utf-8")


def edit(text: str, anchor: str, old: str, new: str) -> str:
    """Replace the first ``old`` after ``anchor`` (one cell of a seed changed)."""
    i = text.index(anchor)
    j = text.index(old, i)
    return text[:j] + new + text[j + len(old):]


def findings(text: str | bytes, name: str = "edited.txt"):
    data = text.encode() if isinstance(text, str) else text
    return gkdata.read_report(data, name=name).findings


def rows(f, check):
    return f[f["check"] == check]


def test_consistent_report_has_no_findings():
    assert findings(HUINING).empty


def test_balance_ali_2020():
    f = rows(gkdata.read_report(SEEDS["004"]).findings, "balance").set_index("column")
    assert (f.loc["total", "expected"], f.loc["total", "actual"]) == (18, 671)
    assert set(f.index) == {"natural_person", "other_org", "total"}  # 法律服务机构 0+1 = 1+0 holds
    assert (f["severity"] == "error").all()


def test_row_sum_ali_2020():
    f = rows(gkdata.read_report(SEEDS["004"]).findings, "row_sum").set_index("column")
    assert f.loc["total", ["expected", "actual"]].tolist() == [653, 671]
    assert f.loc["other_org", ["expected", "actual"]].tolist() == [652, 668]


def test_column_sum_one_cell_changed():
    text = edit(HUINING, "\t（一）予以公开", "\t7\n", "\t6\n")  # 自然人 7 -> 6, 总计 stays 7
    f = rows(findings(text), "column_sum")
    assert f[["row", "column", "expected", "actual"]].values.tolist() == [["granted", "total", 6, 7]]


def test_appeals_sum():
    text = edit(HUINING, "\t3\n\t2\n\t3\n\t4\n", "\t12", "\t13")
    f = rows(findings(text), "appeals_sum")
    assert f[["row", "expected", "actual"]].values.tolist() == [["review", 12, 13]]
    assert rows(findings(HUINING), "appeals_sum").empty


def test_published_exceeds_total():
    f = rows(gkdata.read_report(SEEDS["004"]).findings, "published_exceeds_total")
    assert f[["row", "expected", "actual"]].values.tolist() == [["regulations", 35, 32]]
    assert rows(findings(HUINING), "published_exceeds_total").empty


def test_narrative_mismatch():
    text = HUINING.replace("主动公开政府信息13717条", "主动公开政府信息13718条")
    f = rows(findings(text), "narrative_mismatch")
    assert f[["row", "expected", "actual"]].values.tolist() == [["proactive_total", 13717, 13718]]
    text = HUINING.replace("共收到依申请公开政府信息申请10件", "共收到依申请公开政府信息申请12件")
    f = rows(findings(text), "narrative_mismatch")
    assert f[["row", "expected", "actual"]].values.tolist() == [["applications_received", 10, 12]]


def test_missing_table():
    start, end = HUINING.index("四、政府信息公开行政复议"), HUINING.index("五、存在的主要问题")
    f = findings(HUINING[:start] + HUINING[end:])
    assert rows(f, "missing_table")["table"].tolist() == ["appeals"]


def test_unfilled_template_is_not_checked():
    f = gkdata.read_report(SEEDS["002"]).findings
    assert "unfilled_template" in set(f["check"]) and not (f["severity"] == "error").any()


def _year(text: str, year: int) -> str:
    return text.replace("会宁县2020年", f"会宁县{year}年")


def test_carry_over_mismatch(tmp_path):
    earlier = edit(_year(HUINING, 2019), "\t四、结转下年度继续办理", "\t0\n", "\t3\n")  # 自然人 carried forward 3
    (tmp_path / "2019.txt").write_text(earlier, encoding="utf-8")
    (tmp_path / "2020.txt").write_text(HUINING, encoding="utf-8")
    f = rows(gkdata.read_reports(tmp_path).findings, "carry_over_mismatch")
    assert f[["year", "row", "column", "expected", "actual"]].values.tolist() == [
        [2020, "carried_over", "natural_person", 3, 0]]
    (tmp_path / "2019.txt").write_text(_year(HUINING, 2019), encoding="utf-8")
    assert rows(gkdata.read_reports(tmp_path).findings, "carry_over_mismatch").empty


def test_year_over_year(tmp_path):
    for year, decisions in ((2018, "1000"), (2019, "1200"), (2020, "    131483")):
        text = edit(_year(HUINING, year), "\t其他对外管理服务事项", "\t    131483", "\t" + decisions)
        (tmp_path / f"{year}.txt").write_text(text, encoding="utf-8")
    f = rows(gkdata.read_reports(tmp_path).findings, "year_over_year")
    assert f[["year", "row", "column", "expected", "actual"]].values.tolist() == [
        [2020, "other_admin_services", "decisions", 1100, 131483]]
    assert "10×" in f["message"].iloc[0]


def test_outlier(tmp_path):
    peers = ["1500", "2100", "980", "1750", "2400", "1320", "1890", "1100"]
    for i, decisions in enumerate([*peers, "    131483"]):
        text = edit(HUINING.replace("会宁县", f"{'甲乙丙丁戊己庚辛壬'[i]}县"), "\t其他对外管理服务事项", "\t    131483", "\t" + decisions)
        (tmp_path / f"{i}.txt").write_text(text, encoding="utf-8")
    f = rows(gkdata.read_reports(tmp_path).findings, "outlier")
    hit = f[(f["row"] == "other_admin_services") & (f["column"] == "decisions")]
    assert hit[["region", "actual", "severity"]].values.tolist() == [["壬县", 131483, "warning"]]
    assert len(peers) >= THRESHOLDS["outlier_min_peers"]

    # a report whose template was not recognised (NA) still gets its finding, labelled without a template
    tables = dict(gkdata.read_reports(tmp_path).tables)
    tables["reports"] = tables["reports"].assign(template=pd.NA).astype({"template": "string"})
    found = [f for f in check_corpus(tables) if f[3] == "outlier" and f[1] == "壬县"]
    assert [f[-1].split(":")[0] for f in found] == ["其他对外管理服务事项 / 处理决定数量"]


@pytest.mark.parametrize("seed, code", [("003", 0), ("004", 1)])
def test_check_command_exit_code(seed, code):
    result = CliRunner().invoke(app, ["check", str(SEEDS[seed])])
    assert result.exit_code == code
    if code:
        assert "balance" in result.output and "671" in result.output


def test_change_mismatch(tmp_path):
    # 会宁县 2020: 行政许可 上一年项目数量 267, so 2019's 267 + 增0 chains and 250 + 增10 does not
    for prev, change, hit in (("267", "0", False), ("250", "增10", True)):
        text = edit(_year(HUINING, 2019), "\t行政许可", "\t267\n\t增50", f"\t{prev}\n\t{change}")
        (tmp_path / "2019.txt").write_text(text, encoding="utf-8")
        (tmp_path / "2020.txt").write_text(HUINING, encoding="utf-8")
        f = rows(gkdata.read_reports(tmp_path).findings, "change_mismatch")
        f = f[f["row"] == "administrative_licensing"]  # the other items were copied without a chain
        assert f[["year", "row", "expected", "actual"]].values.tolist() == (
            [[2020, "administrative_licensing", 260, 267]] if hit else [])


def test_a_blank_row_counted_as_zero_is_named_in_the_finding():
    """会宁县's （二）部分公开 (3, all 自然人) left blank: row_sum counts it as 0 and says so."""
    lines = HUINING.split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("\t（二）部分公开"))
    lines[at + 1:at + 8] = ["\t"] * 7  # its seven cells, blank
    f = rows(findings("\n".join(lines)), "row_sum").set_index("column")
    assert f.loc["total", ["expected", "actual"]].tolist() == [7, 10]
    assert "blank rows counted as 0: 部分公开" in f.loc["total", "message"]


def test_rows_after_a_cut_are_not_counted_as_zero():
    """A text cut inside table 三 gives no balance or row_sum error about the rows it lost."""
    text = SEEDS["004"].read_text(encoding="utf-8")
    f = findings(text[: text.index("(六)其他处理 |")])
    assert set(f["check"]) & {"balance", "row_sum"} == set()
    assert "truncated" in set(f["check"])
