"""Findings: what does not add up or could not be read, as data.

Every check id, its severity and its meaning are listed once in
:data:`CHECKS`; readers and checks create :class:`Finding` records and the
report turns them into a DataFrame.
"""

from __future__ import annotations

from typing import NamedTuple

ERROR, WARNING, INFO = "error", "warning", "info"
SEVERITIES = (ERROR, WARNING, INFO)

# check id -> (severity, what it means). The one place severities are set.
CHECKS: dict[str, tuple[str, str]] = {
    # from the reader
    "ambiguous_columns": (WARNING, "a row lost its empty cells, so its numbers cannot be placed in columns"),
    "invalid_value": (WARNING, "a cell holds text that is not a number this column can hold"),
    "wrong_unit": (WARNING, "a cell's unit contradicts its column (万元 under a count, % …), so it is NA"),
    "unplaced_value": (WARNING, "a number stands where no data cell is"),
    "unknown_label": (WARNING, "a row label is as near to two labels of the template, so it is read as neither"),
    "missing_row": (WARNING, "a row of the template was not found in the table"),
    "missing_table": (ERROR, "a statistical table of the template is not in the report"),
    "truncated": (ERROR, "the text ends inside a table: the rows before the cut are kept, the rest are NA"),
    "empty_table": (WARNING, "a table is present but holds no numbers"),
    "unfilled_template": (WARNING, "the tables are a blank template, not the publisher's data"),
    "assumed_unit": (INFO, "an amount without a unit is taken as 万元"),
    "unread_unit": (WARNING, "a header declares a unit that cannot be read, so its amounts are NA"),
    "template_conflict": (WARNING, "labels of both templates occur"),
    "place_ambiguous": (INFO, "the publisher's name fits several places and the report does not say which one"),
    # within one report
    "balance": (ERROR, "一 new + 二 carried over ≠ 三(七) results total + 四 carried forward"),
    "row_sum": (ERROR, "a total row ≠ the sum of the rows under it"),
    "column_sum": (ERROR, "the 总计 column ≠ the sum of the applicant columns"),
    "appeals_sum": (ERROR, "a proceeding's 总计 ≠ 维持 + 纠正 + 其他 + 尚未审结"),
    "published_exceeds_total": (WARNING, "this year's publications exceed the cumulative total"),
    "narrative_mismatch": (WARNING, "a figure in the prose contradicts the tables or its own parts"),
    # across reports
    "carry_over_mismatch": (WARNING, "this year's 上年结转 ≠ last year's 结转下年度"),
    "change_mismatch": (WARNING, "this year's 上一年项目数量 ≠ last year's 上一年项目数量 + 本年增/减"),
    "year_over_year": (INFO, "a jump against the same publisher's history"),
    "outlier": (INFO, "a value far outside its peers"),
}

# Every threshold of the cross-report checks, in one place (quoted in each finding).
THRESHOLDS = {
    "year_over_year_factor": 10.0,  # a value ≥ 10× (or ≤ 1/10 of) the median of earlier years …
    "year_over_year_min_change": 100,  # … that also moved by at least this much
    "outlier_min_peers": 8,  # reports with a positive value for the same cell
    "outlier_z_info": 3.5,  # robust z of ln(value) against those peers
    "outlier_z_warning": 5.0,
}


class Finding(NamedTuple):
    check: str
    severity: str
    table: str | None
    row: str | None
    column: str | None
    expected: float | None
    actual: float | None
    message: str


def finding(check: str, message: str, table: str | None = None, row: str | None = None,
            column: str | None = None, expected: float | None = None, actual: float | None = None,
            severity: str | None = None) -> Finding:
    """A finding; ``check`` must be one of :data:`CHECKS` (its severity unless one is given)."""
    if check not in CHECKS:
        raise KeyError(f"unknown check {check!r}")
    return Finding(check, severity or CHECKS[check][0], table, row, column, expected, actual, message)
