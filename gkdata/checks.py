"""Tables -> findings: the arithmetic identities of one report (report-format.md §3.3, §4.4, §5).

A check compares only numbers that are known. A blank cell is unknown, not
0 — except a table-三 row that is blank in every column and was not made
blank by the reader (an all-empty row), which counts as 0, and a finding that
used it says so.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from . import labels as L
from .findings import Finding, finding
from .narrative import COUNTERPARTS, PARTS
from .tables import ambiguous_rows

if TYPE_CHECKING:
    from .report import Report

APPLICANTS = L.keys("applicant")  # the six applicant columns, then 总计
BALANCE_ROWS = ("new_received", "carried_over", "results_total", "carried_forward")
_NOT_RESULTS = BALANCE_ROWS


def _fmt(x: float) -> str:
    return f"{x:g}"


class Table3(NamedTuple):
    """Table 三 for the checks: row -> values in :data:`APPLICANTS` order, and the rows counted as 0."""

    rows: dict[str, list[int | None]]
    zeroed: tuple[str, ...]  # all-blank rows that nothing marks unsure: nothing was entered, counted as 0

    def __getitem__(self, key):  # rows["granted"], as the checks read it
        return self.rows[key]

    def items(self):
        return self.rows.items()

    def counted_as_zero(self, among) -> str:
        """The words a finding adds when it counted blank rows as 0."""
        hit = [L.zh(r) for r in among if r in self.zeroed]
        return f" (blank rows counted as 0: {'、'.join(hit)})" if hit else ""


_WHOLE_TABLE = ("missing_table", "empty_table")


def _applications(report: Report) -> Table3:
    """Table 三 as the checks read it (its records are row by row in :data:`APPLICANTS` order).

    An all-blank row counts as 0 unless a reader finding marks it unsure: a row
    whose cells could not be placed, a row at or after a cut, or a table that
    is missing or holds no numbers at all.
    """
    recs, width = report.records["applications"], len(APPLICANTS)
    rows = {recs[i][0]: [v for _, _, v in recs[i:i + width]] for i in range(0, len(recs), width)}
    order = list(rows)
    unsure = set()
    for f in report.finding_records:
        if f.table != "applications":
            continue
        if f.check in _WHOLE_TABLE:
            unsure.update(order)
        elif f.check == "truncated":
            unsure.update(order[order.index(f.row) + 1:] if f.row in rows else order)
        elif f.check == "ambiguous_columns":  # one finding for the table, naming each row it holds
            unsure.update(ambiguous_rows(f))
        elif f.row:
            unsure.add(f.row)
    zeroed = tuple(r for r, values in rows.items() if r not in unsure and all(v is None for v in values))
    for row in zeroed:
        rows[row] = [0] * width
    return Table3(rows, zeroed)


def _sum(values: list[int | None]) -> int | None:
    return None if None in values else sum(values)


def balance(report: Report, rows) -> list[Finding]:
    out = []
    for j, c in enumerate(APPLICANTS):
        a = _sum([rows["new_received"][j], rows["carried_over"][j]])
        b = _sum([rows["results_total"][j], rows["carried_forward"][j]])
        if a is not None and b is not None and a != b:
            out.append(finding("balance", f"{L.zh(c)}: 本年新收 + 上年结转 = {a}, but 办理结果总计 + 结转下年度 = {b}"
                               + rows.counted_as_zero(BALANCE_ROWS), "applications", "results_total", c, a, b))
    return out


def row_sum(report: Report, rows) -> list[Finding]:
    names = [r for r, _ in rows.items() if r not in _NOT_RESULTS]
    parts = [rows[r] for r in names]
    out = []
    for j, c in enumerate(APPLICANTS):
        total, s = rows["results_total"][j], _sum([values[j] for values in parts])
        if total is not None and s is not None and total != s:
            out.append(finding("row_sum", f"{L.zh(c)}: 办理结果总计 is {total}, but the {len(parts)} result rows above it "
                               f"add up to {s}" + rows.counted_as_zero(names), "applications", "results_total",
                               c, s, total))
    return out


def column_sum(report: Report, rows) -> list[Finding]:
    out = []
    for r, values in rows.items():
        total, s = values[-1], _sum(values[:-1])
        if total is not None and s is not None and total != s:
            out.append(finding("column_sum", f"{L.zh(r)}: 总计 is {total}, but the applicant columns add up to {s}",
                               "applications", r, "total", s, total))
    return out


def appeals_sum(report: Report) -> list[Finding]:
    cells = {(p, o): v for p, o, v in report.records["appeals"]}
    out = []
    for p in L.keys("proceeding"):
        total = cells[p, "total"]
        s = _sum([cells[p, o] for o in L.keys("outcome")[:-1]])
        if total is not None and s is not None and total != s:
            out.append(finding("appeals_sum", f"{L.zh(p)}: 总计 is {total}, but 维持 + 纠正 + 其他 + 尚未审结 = {s}",
                               "appeals", p, "total", s, total))
    return out


def disclosure_sanity(report: Report) -> list[Finding]:
    cells = {(i, m): v for i, m, v, _ in report.records["disclosure"]}
    out = []
    for item in ("regulations", "normative_documents"):
        new, total = cells.get((item, "new_published")), cells.get((item, "total_published"))
        if new is not None and total is not None and new > total:
            out.append(finding("published_exceeds_total",
                               f"{L.zh(item)}: 本年新公开数量 {_fmt(new)} exceeds 对外公开总数量 {_fmt(total)}, "
                               "a cumulative total cannot be below this year's additions",
                               "disclosure", item, "total_published", new, total))
    return out


def _counterpart(report: Report, rows: Table3, key: str) -> int | None:
    """The tables' figure for a prose key (:data:`COUNTERPARTS`): the rows' 总计 added up, None if one is blank."""
    table, names = COUNTERPARTS[key]
    if table == "applications":
        return _sum([rows[r][-1] for r in names])
    cells = {(p, o): v for p, o, v in report.records["appeals"]}
    return _sum([cells[p, "total"] for p in names])


def narrative_mismatch(report: Report, rows) -> list[Finding]:
    said = {f.key: f.value for f in report.records["narrative"]}
    out = []
    for total, parts in PARTS.items():
        if total in said and all(p in said for p in parts):
            s = sum(said[p] for p in parts)
            if s != said[total]:
                out.append(finding("narrative_mismatch", f"the prose gives {total} = {said[total]}, but its parts "
                                   f"({', '.join(str(said[p]) for p in parts)}) add up to {s}",
                                   "narrative", total, None, s, said[total]))
    for key in (k for k in COUNTERPARTS if k in said):  # in table order, so findings come out the same each run
        table, names = COUNTERPARTS[key]
        value = _counterpart(report, rows, key)
        if value is not None and value != said[key]:
            zeroed = rows.counted_as_zero(names) if table == "applications" else ""
            out.append(finding("narrative_mismatch", f"the prose gives {key} = {said[key]}, but table "
                               f"{L.TABLE_ZH[table][0]} gives {' + '.join(L.zh(r) for r in names)} 总计 = {value}"
                               + zeroed, "narrative", key, "total", value, said[key]))
    return out


def check_report(report: Report) -> list[Finding]:
    """All within-report checks. An unfilled template has no data to check."""
    if report.meta.is_template:
        return []
    rows = _applications(report)
    return (balance(report, rows) + row_sum(report, rows) + column_sum(report, rows)
            + appeals_sum(report) + disclosure_sanity(report) + narrative_mismatch(report, rows))
