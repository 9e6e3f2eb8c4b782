"""Every cell of tables 二, 三 and 四 of every seed, against hand-transcribed values."""

from __future__ import annotations

import pandas as pd
import pytest

import gkdata
from gkdata import labels, tables
from gkdata.decode import decode
from gkdata.report import read_text

from conftest import SEEDS, expected

APPLICANTS = labels.keys("applicant")
OUTCOMES = labels.keys("outcome")


def _na(x):
    return None if pd.isna(x) else x


def _by_cell(df: pd.DataFrame, a: str, b: str) -> dict:
    return {(r[a], r[b]): _na(r["value"]) for r in df.to_dict("records")}


def _expected_cells(exp: dict) -> tuple[dict, dict, dict]:
    disclosure = {(i, m): v for i, ms in exp["disclosure"].items() for m, v in ms.items()}
    applications = {(r, c): v for r, vs in exp["applications"].items() for c, v in zip(APPLICANTS, vs)}
    appeals = {(p, o): v for p, vs in exp["appeals"].items() for o, v in zip(OUTCOMES, vs)}
    return disclosure, applications, appeals


@pytest.mark.parametrize("seed", sorted(SEEDS))
def test_every_cell_matches_the_transcription(seed):
    report = gkdata.read_report(SEEDS[seed])
    disclosure, applications, appeals = _expected_cells(expected(seed))
    assert _by_cell(report.disclosure, "item", "measure") == disclosure
    assert _by_cell(report.applications, "row", "applicant") == applications
    assert _by_cell(report.appeals, "proceeding", "outcome") == appeals


@pytest.mark.parametrize("seed", sorted(SEEDS))
def test_meta(seed):
    meta = gkdata.read_report(SEEDS[seed]).meta
    exp = expected(seed)["meta"]
    assert (meta.region, meta.year, meta.template, meta.layout, meta.is_template) == (
        exp["region"], exp["year"], exp["template"], exp["layout"], exp["is_template"])
    assert meta.source == str(SEEDS[seed]) and len(meta.sha256) == 64 and meta.encoding == "utf-8"


def test_unfilled_template_cells_are_read_but_not_reported():
    """卞路口乡's attachment is a blank template: the reader sees its cells, the report keeps them NA."""
    text, _ = decode(SEEDS["002"].read_bytes(), "002")
    records, _, _ = read_text(text)
    disclosure, applications, appeals = _expected_cells(expected("002")["template_cells"])
    assert {(i, m): v for i, m, v, _ in records["disclosure"]} == disclosure
    assert {(r, c): v for r, c, v in records["applications"]} == applications
    assert {(p, o): v for p, o, v in records["appeals"]} == appeals
    report = gkdata.read_report(SEEDS["002"])
    assert report.meta.is_template
    assert report.applications["value"].isna().all() and report.disclosure["value"].isna().all()
    f = report.findings.set_index("check")
    assert "unfilled_template" in f.index and "文字描述" in f.loc["unfilled_template", "message"]


def test_dropped_cells_are_never_guessed():
    """开阳县 drops empty cells: `9 1 10` keeps only the provable 总计 and says why."""
    report = gkdata.read_report(SEEDS["001"])
    wide = report.wide("applications")
    assert wide.loc["new_received", "total"] == 10 and wide.loc["results_total", "total"] == 10
    assert wide.loc["granted", "total"] == 8
    assert wide.loc["new_received", APPLICANTS[:-1]].isna().all()
    amb = [f for f in report.finding_records if f.check == "ambiguous_columns"]
    assert [(f.table, f.row) for f in amb] == [("applications", "new_received")]  # one for the table, at its first row
    assert tables.ambiguous_rows(amb[0]) == ("new_received", "granted", "denied_internal_affairs", "results_total")
    message = amb[0].message
    for row, cells in (("本年新收申请数量", "'9' '1' '10'"), ("予以公开", "'7' '1' '8'"),
                       ("属于三类内部事务信息", "'2' '2'"), ("办理结果总计", "'9' '1' '10'")):
        assert f"表三 {row}: {len(cells.split())} cells for 7 columns ({cells}), the last" in message
    assert message.count("kept as 总计") == 4 and message.endswith("empty cells were dropped, so which columns "
                                                                   "they belong to is unknown")
    empty = report.findings[report.findings["check"] == "empty_table"]
    assert empty["table"].tolist() == ["appeals"]
    assert report.appeals["value"].isna().all()


@pytest.mark.parametrize("seed", sorted(SEEDS))
def test_narrative_figures(seed):
    """Every figure of a narrative key the seed's prose states, and nothing else: 巴青县 states none,
    卞路口乡 leaves its figures blank (``主动公开政府信息  余条``), 阿里地区's 突破842018次 is no exact figure."""
    n = gkdata.read_report(SEEDS[seed]).narrative
    exp = expected(seed)["narrative"]
    assert [(r["key"], r["value"], r["unit"]) for r in n.to_dict("records")] == [
        (e["key"], e["value"], e["unit"]) for e in exp]
    for sentence, e in zip(n["sentence"], exp):
        assert sentence.startswith(e["sentence_starts"]) and f"{e['value']}{e['unit']}" in sentence
    if seed == "003":
        said = n.set_index("key")["value"]
        assert said["proactive_total"] == sum(said[k] for k in ("proactive_website", "proactive_new_media",
                                                                "proactive_reading_points", "proactive_other"))


def test_dtypes_are_nullable_and_ordered():
    r = gkdata.read_report(SEEDS["003"])
    assert str(r.applications["value"].dtype) == "Int64"
    assert str(r.disclosure["value"].dtype) == "Float64"
    assert r.applications["row"].cat.ordered and r.applications["row"].cat.categories[0] == "new_received"
    assert tuple(r.wide("applications").columns) == APPLICANTS
    zh = r.wide("applications", lang="zh")
    assert zh.loc["予以公开", "自然人"] == 7 and list(zh.columns)[-1] == "总计"
    assert r.wide("appeals").loc["review"].tolist() == [3, 2, 3, 4, 12]


def test_repr_names_region_year_template_layout_and_findings():
    assert repr(gkdata.read_report(SEEDS["004"])) == "<Report 阿里地区 2020 · template 2019 · pipe · 8 findings, 7 errors>"


def test_template_detected_from_labels():
    rows = gkdata.layouts.split(["本年制发件数 |", "本年废止件数 |", "现行有效件数 |"])
    assert tables.detect_template({"disclosure": rows})[0] == "2021"
