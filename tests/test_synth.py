"""Round trip: generated tables -> report text (every layout, both templates) -> read_report -> the same tables.

The generator (gkdata.synth) knows the tables it printed and the findings its
anomaly must raise; the reader must give back every number it can place and
leave the rest NA with a finding — never a silently wrong number.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import gkdata
from gkdata import labels, synth
from gkdata.cli import app
from gkdata.findings import CHECKS
from gkdata.synth import ANOMALIES, LAYOUTS, MONEY_STYLES, Expected, Style, Synthetic

from conftest import SEEDS

# the reader's findings that say why a cell is NA
READER_CHECKS = {"ambiguous_columns", "invalid_value", "unplaced_value", "missing_row", "empty_table"}
CROSS_REPORT = {"carry_over_mismatch", "change_mismatch", "year_over_year", "outlier"}
SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def styles(blank_zeros: st.SearchStrategy[float]) -> st.SearchStrategy[Style]:
    return st.builds(Style, money=st.sampled_from(MONEY_STYLES), changes=st.sampled_from(("signed", "words")),
                     blank_zeros=blank_zeros, typos=st.booleans(), full_width=st.booleans(), wrap=st.booleans(),
                     vertical=st.booleans(), padding=st.booleans())


@st.composite
def reports(draw, blank_zeros=st.just(0.0)) -> Synthetic:
    """A generated report: any layout, template, style; an anomaly or none."""
    template = draw(st.sampled_from(labels.TEMPLATES))
    kinds = [k for k in ANOMALIES if template == "2019" or k != "published_exceeds_total"]
    return synth.generate(draw(st.integers(0, 2 ** 32 - 1)), template=template, layout=draw(st.sampled_from(LAYOUTS)),
                          anomaly=draw(st.sampled_from([None, *kinds])), style=draw(styles(blank_zeros)))


def read_cells(r: gkdata.Report) -> dict[str, dict]:
    return {"disclosure": {(i, m): v for i, m, v, _ in r.records["disclosure"]},
            "applications": {(a, b): v for a, b, v in r.records["applications"]},
            "appeals": {(a, b): v for a, b, v in r.records["appeals"]}}


def found(r: gkdata.Report) -> set[Expected]:
    return {Expected(f.check, f.table, f.row, f.column) for f in r.finding_records}


def within(s: Synthetic) -> set[Expected]:
    return {e for e in s.expected if e.check not in CROSS_REPORT}


@SETTINGS
@given(reports())
def test_every_cell_and_finding_comes_back(s: Synthetic):
    """No blanks: each layout keeps every cell, so the tables and findings come back exactly."""
    r = gkdata.read_report(s.data)
    assert (r.meta.template, r.meta.layout, r.meta.year, r.meta.publisher) == (
        s.tables.template, s.layout, s.year, s.publisher)
    got = read_cells(r)
    assert got["disclosure"] == s.tables.disclosure
    assert got["applications"] == s.tables.applications
    assert got["appeals"] == s.tables.appeals
    assert {k: v for k, v, _, _ in r.records["narrative"]} == s.tables.narrative
    assert found(r) == within(s)  # the anomaly's findings at their cells, and nothing else
    if s.anomaly is None:
        assert not any(f.severity == "error" for f in r.finding_records)


@SETTINGS
@given(reports(blank_zeros=st.sampled_from((0.3, 0.5, 1.0))))
def test_no_number_is_ever_silently_wrong(s: Synthetic):
    """With zeros printed blank (and dropped by blank-line and pipe), a number is right or NA with a reason."""
    r = gkdata.read_report(s.data)
    reasons = {(f.table, f.row) for f in r.finding_records if f.check in READER_CHECKS}
    for table, cells in read_cells(r).items():
        truth = getattr(s.tables, table)
        assert cells.keys() == truth.keys()
        for key, value in cells.items():
            if value is not None:
                assert value == truth[key], (table, key)
            elif truth[key] is not None:  # placed nowhere: a finding on its row (table 四 has one row, None)
                assert (table, key[0] if table != "appeals" else None) in reasons, (table, key, truth[key])
    errors = {e for e in found(r) if CHECKS[e.check][0] == "error"}
    assert errors <= within(s)  # blanks may hide an anomaly, never invent one


def test_blank_line_keeps_only_a_provable_total():
    """One applicant of 7 holds a number and the rest are dropped: only 总计 can be placed."""
    style = Style(blank_zeros=1.0)
    s = next(s for seed in range(100) if (s := synth.generate(seed, layout="blank-line", style=style))
             and sum(s.tables.applications["new_received", c] is not None for c in synth.PEOPLE) == 1)
    r = gkdata.read_report(s.data)
    wide = r.wide("applications")
    assert wide.loc["new_received", "total"] == s.tables.applications["new_received", "total"] > 0
    assert wide.loc["new_received", list(synth.PEOPLE)].isna().all()
    amb = r.findings[(r.findings["check"] == "ambiguous_columns") & (r.findings["row"] == "new_received")]
    assert len(amb) == 1 and "kept as 总计" in amb["message"].iloc[0]


@pytest.mark.parametrize("anomaly", ANOMALIES)
@pytest.mark.parametrize("layout", LAYOUTS)
def test_each_anomaly_in_each_layout(anomaly, layout):
    s = synth.generate(11, template="2019", layout=layout, anomaly=anomaly, style=Style())
    assert s.expected and all(e.check in (anomaly, "balance", "row_sum") for e in s.expected)
    assert found(gkdata.read_report(s.data)) == set(s.expected)


def test_published_exceeds_total_needs_the_2019_template():
    with pytest.raises(ValueError, match="2019 template"):
        synth.generate(1, template="2021", anomaly="published_exceeds_total")


def test_carry_over_across_years(tmp_path):
    """This year's 上年结转 is last year's 结转下年度, unless the carry-over anomaly breaks it."""
    first = synth.generate(3, template="2019", layout="pipe", style=Style(), year=2020)
    second = synth.generate(4, layout="tabbed", style=Style(), last=first, anomaly="carry_over_mismatch")
    assert (second.publisher, second.year, second.tables.template) == (first.publisher, 2021, "2021")
    third = synth.generate(5, layout="blank-line", style=Style(), last=second)
    assert third.tables.applications["carried_over", "total"] == second.tables.applications["carried_forward", "total"]
    for s in (first, second, third):
        (tmp_path / f"{s.year}.txt").write_bytes(s.data)
    corpus = gkdata.read_reports(tmp_path)
    f = corpus.findings[corpus.findings["check"] == "carry_over_mismatch"]
    assert set(zip(f["year"], f["row"], f["column"])) == {(2021, e.row, e.column) for e in second.expected}
    assert len(second.expected) == 2 and not first.expected and not third.expected


def test_money_in_yuan_wan_or_the_header():
    amounts = []
    for money in MONEY_STYLES:
        s = synth.generate(3, template="2019", layout="tabbed", style=Style(money=money))
        d = gkdata.read_report(s.data).wide("disclosure")
        amounts.append(d.loc["centralized_procurement", "amount"])
        assert amounts[-1] == s.tables.disclosure["centralized_procurement", "amount"] > 0
    text = synth.generate(3, template="2019", layout="tabbed", style=Style(money="元")).text
    assert f"\t{round(amounts[0] * 10000)}元\n" in text
    assert len(set(amounts)) == 1


def test_labels_come_from_the_label_table():
    """2021 prints 行政规范性文件 and 本年收费金额（单位：万元）; captions and headings are the template's."""
    s = synth.generate(2, template="2021", layout="pipe", style=Style())
    assert "行政规范性文件 |" in s.text and "本年收费金额" in s.text and "本年新制作数量" not in s.text
    assert [line for line in s.text.splitlines() if line.startswith("第二十条")] == [
        "第二十条第（一）项 |", "第二十条第（五）项 |", "第二十条第（六）项 |", "第二十条第（八）项 |"]
    assert all(lab.zh in s.text for lab in labels.SECTIONS)
    assert labels.zh("normative_documents", "2021") == "行政规范性文件"


def test_pipe_placeholders_match_the_seed():
    """The pipe-only lines after each row count the grid positions spans cover, as in 阿里地区's report."""
    s = synth.generate(0, template="2019", layout="pipe", style=Style(full_width=False))
    pipes = [line for line in s.text.splitlines() if line and set(line) == {"|"}]
    seed = [line for line in SEEDS["004"].read_text(encoding="utf-8").splitlines() if line and set(line) == {"|"}]
    assert pipes == seed


def test_tabbed_vertical_labels_and_wraps_read_back():
    s = synth.generate(6, template="2021", layout="tabbed", style=Style(vertical=True, wrap=True, padding=True))
    assert "\t（三）\n\n不\n\n予\n\n公\n\n开\n" in s.text or "\t（三）不\n\n予\n\n公\n\n开\n" in s.text
    r = gkdata.read_report(s.data)
    assert read_cells(r)["applications"] == s.tables.applications and r.findings.empty


def test_a_unit_wrapped_onto_its_own_paragraph_still_counts():
    """Reader fix: a scraped page may break 采购总金额(元) into 采购总 / 金额(元); its unit must not be lost."""
    text = SEEDS["001"].read_text(encoding="utf-8")
    for header in ("采购总金额\n\n(元)", "采购总\n\n金额(元)"):
        r = gkdata.read_report(text.replace("采购总金额(万元)", header).encode())
        assert r.wide("disclosure").loc["centralized_procurement", "amount"] == 0.1379  # 1379 元
        assert "assumed_unit" not in set(r.findings["check"])


def test_write_corpus_and_cli(tmp_path):
    result = CliRunner().invoke(app, ["synth", "--n", "12", "--seed", "4", str(tmp_path)])
    assert result.exit_code == 0, result.output
    manifest = [json.loads(line) for line in (tmp_path / "manifest.jsonl").read_text(encoding="utf-8").splitlines()]
    assert sorted(p.name for p in tmp_path.glob("*.txt")) == sorted(m["file"] for m in manifest) and len(manifest) == 12
    for m in manifest:
        r = gkdata.read_report(tmp_path / m["file"])
        assert (r.meta.publisher, r.meta.year, r.meta.layout, r.meta.template) == (
            m["publisher"], m["year"], m["layout"], m["template"])
        expected = {Expected(*e) for e in m["expected"] if e[0] not in CROSS_REPORT}
        if m["style"]["blank_zeros"] == 0:
            assert found(r) == expected
        else:
            assert {e for e in found(r) if CHECKS[e.check][0] == "error"} <= expected
    again = synth.write_corpus(tmp_path / "again", 12, seed=4)
    assert again[0].read_bytes() == (tmp_path / manifest[0]["file"]).read_bytes()  # the same seed, the same corpus
