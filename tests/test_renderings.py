"""Every rendering real pages use (renderings.md part A, headings of part B), against hand-transcribed tables.

Each fixture in tests/fixtures/renderings/ is a report written in one rendering,
with its expected tables transcribed by hand: a value where the text proves its
column, null where it does not (the reader must then say why in a finding).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import gkdata
from gkdata import labels

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "renderings"
NAMES = sorted(p.stem for p in FIXTURES.glob("*.txt"))
APPLICANTS = labels.keys("applicant")
OUTCOMES = labels.keys("outcome")
# the reader's findings that say why a cell it could see is NA
REASONS = {"ambiguous_columns", "invalid_value", "unplaced_value", "missing_row", "missing_table", "empty_table",
           "truncated", "unknown_label", "wrong_unit"}


def _expected(name: str) -> dict:
    return json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))


def _cells(report: gkdata.Report) -> dict:
    out = {}
    for i, m, v, _ in report.records["disclosure"]:
        out["disclosure", i, m] = v
    for r, a, v in report.records["applications"]:
        out["applications", r, a] = v
    for p, o, v in report.records["appeals"]:
        out["appeals", p, o] = v
    return out


def _expected_cells(exp: dict) -> dict:
    out = {}
    for i, ms in exp["disclosure"].items():
        for m, v in ms.items():
            out["disclosure", i, m] = v
    for r, vs in exp["applications"].items():
        out.update({("applications", r, a): v for a, v in zip(APPLICANTS, vs)})
    for p, vs in exp["appeals"].items():
        out.update({("appeals", p, o): v for o, v in zip(OUTCOMES, vs)})
    return out


@pytest.mark.parametrize("name", NAMES)
def test_every_cell_matches_the_transcription(name):
    exp = _expected(name)
    report = gkdata.read_report(FIXTURES / f"{name}.txt")
    got, want = _cells(report), _expected_cells(exp)
    wrong = {k: (got.get(k), v) for k, v in want.items() if got.get(k) != v}
    assert not wrong, wrong
    meta = exp["meta"]
    assert (report.meta.region, report.meta.year, report.meta.template) == (meta["region"], meta["year"],
                                                                              meta["template"])
    checks = set(report.findings["check"])
    assert set(exp.get("findings", ())) <= checks


@pytest.mark.parametrize("name", NAMES)
def test_a_cell_left_na_has_a_reason(name):
    """Where the text shows a number the reader did not place, a finding of that table says why."""
    report = gkdata.read_report(FIXTURES / f"{name}.txt")
    want = _expected_cells(_expected(name))
    got = _cells(report)
    tables_with_reason = {f.table for f in report.finding_records if f.check in REASONS}
    for (table, *_), v in want.items():
        if v is None and got[(table, *_)] is None:
            continue
        assert got[(table, *_)] is not None or table in tables_with_reason
