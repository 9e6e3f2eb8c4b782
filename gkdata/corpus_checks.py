"""Corpus -> findings across reports: the carry-over chain, year over year, outliers.

Within-report identities are in :mod:`gkdata.checks`; these need many reports
(a publisher's earlier years, or peers), so they run on a corpus's long tables.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import labels as L
from .findings import CHECKS, THRESHOLDS

_DIMS = {"applications": ("row", "applicant"), "disclosure": ("item", "measure"), "appeals": ("proceeding", "outcome")}


def _cells(tables: dict) -> pd.DataFrame:
    """Every known value of the corpus as (report_id, publisher, year, template, table, row, column, value)."""
    reports = tables["reports"]
    usable = reports[(reports["status"] == "ok") & ~reports["is_template"].fillna(False)]
    publisher = usable.set_index("report_id")["publisher"].fillna(usable.set_index("report_id")["region"])
    parts = []
    for name, (a, b) in _DIMS.items():
        t = tables[name]
        t = t[t["value"].notna() & t["report_id"].isin(publisher.index)]
        parts.append(pd.DataFrame({
            "report_id": t["report_id"], "year": t["year"], "table": name,
            "row": t[a].astype("string"), "column": t[b].astype("string"), "value": t["value"].astype("Float64"),
        }))
    cells = pd.concat(parts, ignore_index=True)
    cells["publisher"] = cells["report_id"].map(publisher).astype("string")
    cells["template"] = cells["report_id"].map(usable.set_index("report_id")["template"]).astype("string")
    return cells.dropna(subset=["publisher", "year"])


def _records(df: pd.DataFrame, check: str, severity: pd.Series | str | None = None) -> list[tuple]:
    sev = severity if severity is not None else CHECKS[check][0]
    sev = sev if isinstance(sev, pd.Series) else pd.Series(sev, index=df.index)
    return list(zip(df["report_id"], df["publisher_region"], df["year"], [check] * len(df), sev, df["table"],
                    df["row"], df["column"], df["expected"], df["actual"], df["message"]))


def _against_last_year(cur: pd.DataFrame, last: pd.DataFrame, on: list[str]) -> pd.DataFrame:
    """Rows of ``cur`` whose value differs from ``last``'s ``expected`` of the year before."""
    last = last.assign(year=last["year"] + 1).drop_duplicates(on)[[*on, "expected"]]
    m = cur.merge(last, on=on)
    return m[m["value"] != m["expected"]].assign(actual=lambda d: d["value"])


def carry_over_mismatch(cells: pd.DataFrame) -> pd.DataFrame:
    """This year's 上年结转 against the same publisher's 结转下年度 of the year before."""
    t = cells[cells["table"] == "applications"]
    last = t[t["row"] == "carried_forward"].assign(expected=lambda d: d["value"])
    m = _against_last_year(t[t["row"] == "carried_over"], last, ["publisher", "year", "column"])
    return m.assign(message=[f"{L.zh(c)}: 上年结转 is {v:g}, but the {y - 1} report carried forward {e:g}"
                             for c, v, y, e in zip(m["column"], m["value"], m["year"], m["expected"])])


def change_mismatch(cells: pd.DataFrame) -> pd.DataFrame:
    """This year's 上一年项目数量 against last year's 上一年项目数量 + 本年增/减 (2019 template)."""
    t = cells[cells["table"] == "disclosure"]
    items = t[t["column"] == "prev_year_items"]
    on = ["publisher", "year", "row"]
    last = items.merge(t[t["column"] == "change"][[*on, "value"]], on=on, suffixes=("", "_change"))
    m = _against_last_year(items, last.assign(expected=last["value"] + last["value_change"]), on)
    return m.assign(message=[
        f"{L.zh(r)}: 上一年项目数量 is {v:g}, but the {y - 1} report gives {e:g} after its 本年增/减"
        for r, v, y, e in zip(m["row"], m["value"], m["year"], m["expected"])])


def year_over_year(cells: pd.DataFrame) -> pd.DataFrame:
    """Values ≥ 10× away from the median of the same publisher's earlier years."""
    k = ["publisher", "table", "row", "column"]
    c = cells[cells["value"] >= 0].drop_duplicates([*k, "year"])  # a signed change has no ratio
    c = c[c.groupby("publisher")["year"].transform("nunique") > 1]  # a history needs two years
    pairs = c.merge(c[[*k, "year", "value"]], on=k, suffixes=("", "_earlier"))
    pairs = pairs[pairs["year_earlier"] < pairs["year"]]
    ref = pairs.groupby([*k, "year"], observed=True)["value_earlier"].median().rename("expected")
    m = c.merge(ref.reset_index(), on=[*k, "year"])
    ratio = np.log((m["value"].astype(float) + 1) / (m["expected"].astype(float) + 1)).abs()
    t = THRESHOLDS
    m = m[(ratio >= np.log(t["year_over_year_factor"])) &
          ((m["value"] - m["expected"]).abs() >= t["year_over_year_min_change"])]
    return m.assign(actual=m["value"], message=[
        f"{L.zh(r, tp)} / {L.zh(col, tp)}: {v:g} against a median of {e:g} in earlier years "
        f"(rule: ≥ {t['year_over_year_factor']:g}× and ≥ {t['year_over_year_min_change']} apart)"
        for r, col, v, e, tp in zip(m["row"], m["column"], m["value"], m["expected"], m["template"])])


def outlier(cells: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
    """Positive values whose ln is far from their peers' (robust z with the MAD)."""
    k = ["table", "row", "column"]
    c = cells[cells["value"] > 0].copy()
    c["ln"] = np.log(c["value"].astype(float))
    g = c.groupby(k, observed=True)["ln"]
    med = g.transform("median")
    mad = (c["ln"] - med).abs().groupby([c[x] for x in k], observed=True).transform("median")
    n = g.transform("size")
    z = (c["ln"] - med) / (1.4826 * mad)
    t = THRESHOLDS
    hit = (n >= t["outlier_min_peers"]) & (mad > 0) & (z.abs() >= t["outlier_z_info"])
    m = c[hit].assign(expected=np.exp(med[hit]), actual=c["value"][hit], z=z[hit])
    severity = pd.Series(np.where(m["z"].abs() >= t["outlier_z_warning"], "warning", "info"), index=m.index)
    m = m.assign(message=[
        f"{L.zh(r, tp)} / {L.zh(col, tp)}: {v:g} is far from the median {e:.0f} of {int(nn)} reports "
        f"(robust z of ln value {zz:+.1f}; rule: |z| ≥ {t['outlier_z_info']})"
        for r, col, v, e, nn, zz, tp in zip(m["row"], m["column"], m["value"], m["expected"], n[hit], m["z"],
                                            m["template"])])
    return m, severity


def check_corpus(tables: dict) -> list[tuple]:
    """Cross-report findings as corpus finding records (report_id, region, year, check, …)."""
    cells = _cells(tables)
    region = tables["reports"].drop_duplicates("report_id").set_index("report_id")["region"]
    out: list[tuple] = []
    for check, result in (("carry_over_mismatch", carry_over_mismatch(cells)),
                          ("change_mismatch", change_mismatch(cells)),
                          ("year_over_year", year_over_year(cells)), ("outlier", outlier(cells))):
        df, severity = result if isinstance(result, tuple) else (result, None)
        df = df.assign(publisher_region=df["report_id"].map(region))
        out += _records(df, check, severity)
    return out
