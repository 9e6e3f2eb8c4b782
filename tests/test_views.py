"""The long tables aggregate right with plain pandas: ``level`` and ``group`` say which cells are totals, so a
``groupby().sum()`` over the parts gives the printed totals; ``trim`` keeps only the categories in use;
findings read in Chinese."""

from __future__ import annotations

import re

import pandas as pd
import pytest

import gkdata
from gkdata import frames, labels, synth, views
from gkdata.findings import CHECKS

from conftest import RAW, SEEDS

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def corpus():
    return gkdata.read_reports(RAW)


def test_a_naive_sum_double_counts_the_parts_do_not():
    """阿里地区 2020 (data/raw/004): its 办理结果总计 row is 671 in 总计; summed with its applicant columns, 1,342."""
    a = gkdata.read_report(SEEDS["004"]).applications
    row = a[a["row"] == "results_total"]
    assert int(row["value"].sum()) == 1342
    assert int(row[row["applicant"] != "total"]["value"].sum()) == 671  # by the key …
    parts = a[a["level"] == "part"]
    # … or by level: the applicant parts of each row add up to its 总计 column
    by_row = parts.groupby("row", observed=True)["value"].sum()
    total = a[a["applicant"] == "total"].set_index("row")["value"]
    assert by_row["new_received"] == total["new_received"] == 17
    # the result rows (group not NA) add up to 653 per the parts, where the report prints 671: the row_sum finding
    results = parts[parts["group"].notna()]
    assert int(results["value"].sum()) == 653
    assert set(a[a["level"] == "total"]["row"].astype(str)) == set(labels.application_rows("2019"))  # 总计 column
    assert set(a[a["level"] == "total"]["applicant"].astype(str)) == set(labels.keys("applicant"))  # 办理结果总计 row


def _flagged(findings: pd.DataFrame, check: str, by: str) -> set:
    f = findings[findings["check"] == check]
    return set(f[by].dropna())


@pytest.mark.parametrize("seed", sorted(SEEDS))
def test_the_parts_sum_to_the_totals_on_every_seed(seed):
    """On each seed, every total the parts of which are all known equals their ``groupby().sum()``, except
    exactly where a finding (column_sum, row_sum, appeals_sum) says it does not."""
    r = gkdata.read_report(SEEDS[seed])
    checked = 0
    a = r.applications
    parts = a[a["level"] == "part"]
    # along the applicants: each row's 总计 column
    sums = parts.groupby("row", observed=True)["value"].sum(min_count=1)
    known = parts.groupby("row", observed=True)["value"].count() == parts.groupby("row", observed=True).size()
    total = a[(a["applicant"] == "total") & (a["row"] != "results_total")].set_index("row")["value"]
    off = _flagged(r.findings, "column_sum", "row")
    for row, t in total.items():
        if pd.notna(t) and known[row]:
            assert (sums[row] != t) == (row in off), (seed, row)
            checked += 1
    # along the result rows: the 办理结果总计 row
    results = parts[parts["group"].notna()]
    sums = results.groupby("applicant", observed=True)["value"].sum(min_count=1)
    known = results.groupby("applicant", observed=True)["value"].count() == results.groupby(
        "applicant", observed=True).size()
    row_total = a[(a["row"] == "results_total") & (a["applicant"] != "total")].set_index("applicant")["value"]
    off = _flagged(r.findings, "row_sum", "column")
    for applicant, t in row_total.items():
        if pd.notna(t) and known[applicant]:
            assert (sums[applicant] != t) == (applicant in off), (seed, applicant)
            checked += 1
    # table 四: each proceeding's 总计
    p = r.appeals
    sums = p[p["level"] == "part"].groupby("proceeding", observed=True)["value"].sum(min_count=1)
    off = _flagged(r.findings, "appeals_sum", "row")
    for proceeding, t in p[p["level"] == "total"].set_index("proceeding")["value"].items():
        if pd.notna(t) and pd.notna(sums[proceeding]):
            assert (sums[proceeding] != t) == (proceeding in off), (seed, proceeding)
            checked += 1
    assert (r.disclosure["level"] == "part").all()  # table 二 prints no totals
    # 开阳县 (001) lost its empty cells and 卞路口乡 (002) is an unfilled template: no total has all its parts known
    assert checked >= 8 if seed not in ("001", "002") else checked == 0, seed


def test_a_corpus_groupby_over_the_parts(corpus):
    """Over a corpus too: per report, the applicant parts of 本年新收 sum to its 总计 (where all are known)."""
    a = corpus.applications
    new = a[(a["row"] == "new_received") & (a["level"] == "part")]
    sums = new.groupby("region")["value"].sum(min_count=1)
    totals = views.totals(a).set_index("region")["new_received"]
    assert sums["阿里地区"] == totals["阿里地区"] == 17 and sums["会宁县"] == totals["会宁县"] == 10


def test_level_and_group_flow_through_build_and_load(tmp_path):
    built = gkdata.build(SEEDS["004"].parent, tmp_path / "out")
    loaded = gkdata.load(tmp_path / "out")
    for t in ("disclosure", "applications", "appeals"):
        assert loaded.tables[t]["level"].dtype == frames.LEVEL
        pd.testing.assert_frame_equal(loaded.tables[t], built.corpus.tables[t])
    assert loaded.applications["group"].dtype == frames.GROUP
    csv = pd.read_csv(tmp_path / "out" / "applications.csv", encoding="utf-8-sig")
    assert set(csv["level"]) == {"part", "total"}


def test_a_stored_level_must_follow_from_the_keys():
    packed = frames.pack("appeals", [("review", "maintained", 3), ("review", "total", 3)])
    data = frames.plain("appeals", packed)
    data[3] = [bytes([1, 1])]  # both cells "total"
    with pytest.raises(ValueError, match="does not follow from its keys"):
        frames.unplain("appeals", data)


def test_trim_keeps_the_template_categories():
    r = gkdata.read_report(SEEDS["004"])  # a 2019 template
    a = views.trim(r.applications)
    assert list(a["row"].cat.categories) == list(labels.application_rows("2019"))
    assert list(views.trim(r.disclosure)["measure"].cat.categories) == [
        "new_made", "new_published", "total_published", "prev_year_items", "change", "decisions", "projects", "amount"]
    assert a["row"].cat.ordered and len(r.applications["row"].cat.categories) == 26  # the table itself keeps all


def test_every_check_is_named_in_chinese_and_english():
    assert {lab.key for lab in labels.CHECK_LABELS} == set(CHECKS)
    for key in CHECKS:
        assert CJK.search(labels.check_zh(key)) and labels.check_en(key).isascii(), key


def test_findings_read_in_chinese(corpus, tmp_path):
    f = views.chinese(corpus, "findings")
    assert f["检查"].tolist()[:2] == ["列位置不明", "表格无数字"]
    ali = f[(f["地区"] == "阿里地区") & (f["检查"] == "行合计不符")]["说明"].tolist()
    assert ali[0] == "自然人：办理结果总计为 2，但其上各项办理结果之和为 1"
    # generated reports give the cross-report checks too: every message reads in Chinese
    synth.write_corpus(tmp_path, 60, seed=4)
    many = views.chinese(gkdata.read_reports(tmp_path), "findings")
    assert {"与往年相差悬殊", "收到与办理不平衡"} <= set(many["检查"])
    for check, message, english in zip(many["检查"], many["说明"], many["说明（英文）"]):
        assert CJK.search(check) and message != english and not re.search(r"\b(but|is|the)\b", message), message


def test_compare_says_how_it_compares(corpus):
    t = views.compare(corpus)
    assert "本年新收排名" in t and "本年新收较上年" not in t
    assert t.columns[-2:].tolist() == ["发布机关", "报告编号"]


def _two_chengguan(folder) -> gkdata.Corpus:
    """Two 城关区 (拉萨市 and 兰州市) with two years each, as one corpus."""
    for k, code in enumerate(("540102", "620102")):
        for s in synth.series(21 + k, 2, first_year=2021, publisher=synth.publisher_at(code), anomaly_rate=0):
            (folder / f"{k}_{s.year}.txt").write_bytes(s.data)
    return gkdata.read_reports(folder)


def test_compare_keeps_two_places_of_one_name_apart(tmp_path):
    """对比 follows each place over its years: two 城关区 are two places, each against its own year before."""
    c = _two_chengguan(tmp_path)
    t = views.compare(c)
    totals = views.totals(c.applications).merge(views.ids(c)[["report_id", "adcode"]], on="report_id")
    assert t["地区"].tolist() == ["城关区"] * 4 and t["年度"].tolist() == [2021, 2022] * 2
    assert t["区划代码"].tolist() == ["540102", "540102", "620102", "620102"]
    assert t["省份"].tolist() == ["西藏自治区", "西藏自治区", "甘肃省", "甘肃省"]
    assert t["级别"].tolist() == ["县级"] * 4
    changes = 0
    for code, rows in t.groupby("区划代码"):
        own = totals[totals["adcode"] == code].sort_values("year")
        for k, change in (("new_received", "本年新收较上年"), ("results_total", "办理结果总计较上年")):
            before, now = own[k].tolist()
            assert rows[change].iloc[0] is pd.NA  # (no 2020 report)
            if before is pd.NA or now is pd.NA:
                assert rows[change].iloc[1] is pd.NA  # an unknown side: an unknown change, never a guess
            else:
                assert pd.notna(rows[change].iloc[1]) and rows[change].iloc[1] == now - before
                changes += 1
    assert changes >= 2  # (the generated numbers: 兰州's 0 -> 4 new applications, …)
    assert views.grouped(c, "province")[["省份", "报告数"]].values.tolist() == [["甘肃省", 2], ["西藏自治区", 2]]


def test_compare_ranks_within_the_year_and_the_level(corpus):
    """One year per place (the seeds): a rank in the year and among the year's reports of the same level."""
    t = views.compare(corpus).set_index("地区")
    assert t.loc["会宁县", ["本年新收排名", "本年新收同级排名", "级别"]].tolist() == [2, 1, "县级"]  # 阿里地区 is 地级
    assert t.loc["阿里地区", ["本年新收排名", "本年新收同级排名", "省份"]].tolist() == [1, 1, "西藏自治区"]
    assert t.loc["卞路口乡", "本年新收同级排名"] is pd.NA  # its table is an unfilled template: no number, no rank


def test_grouped_by_province_and_level(corpus):
    t = views.grouped(corpus, "province").set_index("省份")
    tibet = t.loc["西藏自治区"]  # 巴青县 (0 new applications) and 阿里地区 (17, 7 errors)
    assert (tibet["报告数"], tibet["有错误的报告数"], tibet["本年新收申请数量（已知）"]) == (2, 1, 2)
    assert tibet["本年新收申请数量（中位数）"] == 8.5 and tibet["办理结果总计（中位数）"] == 671 / 2
    henan = t.loc["河南省"]  # 卞路口乡: an unfilled template, its numbers unknown, never 0
    assert henan["报告数"] == 1 and henan["本年新收申请数量（已知）"] == 0
    assert henan["本年新收申请数量（中位数）"] is pd.NA
    by_level = views.grouped(corpus, "level")
    assert by_level["级别"].tolist() == ["地级", "县级", "乡级"] and by_level["报告数"].tolist() == [1, 3, 1]
