"""Corpus -> findings across reports: the carry-over chain, year over year, outliers.

Within-report identities are in :mod:`gkdata.checks`; these need many reports
(a publisher's earlier years, or peers), so they run on a corpus's long tables.

A publisher's history is the reports of one place (:mod:`gkdata.places`): the same ``adcode``,
``level`` and ``region`` (the publisher without its organ suffix, so ``开阳县人民政府`` of 2019 and
``开阳县`` of 2020 are one government, and ``会宁县财政局`` and ``会宁县教育局`` two departments).
Two 城关区, one in 拉萨市 and one in 兰州市, are two histories. A report whose name fits several
places (``place_candidates``) is in no history but its own: it is compared with no other year, since
which place's years they would be is not known. A publisher the gazetteer has no place for is keyed
on its name, as printed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import labels as L
from .findings import CHECKS, THRESHOLDS

_DIMS = {"applications": ("row", "applicant"), "disclosure": ("item", "measure"), "appeals": ("proceeding", "outcome")}
# The dtypes of a finding's columns. Cells keep codes (a large corpus has millions); only findings get text.
_FOUND = {"report_id": "string", "year": "Int64", "row": "string", "column": "string", "value": "Float64",
          "template": "string", "expected": "Float64"}


def _cells(tables: dict) -> pd.DataFrame:
    """Every known value of the corpus as (report_id, publisher, year, template, table, row, column, value).

    The text columns are categoricals and ``publisher`` is an integer id, so no string is made per cell.
    """
    reports = tables["reports"]
    usable = reports[(reports["status"] == "ok") & ~reports["is_template"].fillna(False)]
    ids = pd.Index(usable["report_id"])
    # a publisher id per usable report (-1: none), and a last -1 for get_indexer's -1 (not a usable report)
    publisher = np.append(pd.factorize(history(usable))[0], -1).astype(np.int32)
    template = pd.Categorical(usable["template"])
    pos, year, value, rows, cols, n = [], [], [], [], [], []
    for name, (a, b) in _DIMS.items():
        t, rid = tables[name], tables[name]["report_id"]
        # A report's rows are together: look up the report of each run of rows, not of every row.
        run = np.flatnonzero((rid != rid.shift()).fillna(True).to_numpy(bool))
        p = np.repeat(ids.get_indexer(rid.iloc[run]).astype(np.int32), np.diff(np.append(run, len(rid))))
        keep = np.flatnonzero(t["value"].notna().to_numpy() & t["year"].notna().to_numpy() & (publisher[p] >= 0))
        pos.append(p[keep])
        year.append(t["year"].to_numpy("int32", na_value=0)[keep])
        value.append(t["value"].to_numpy("float64", na_value=np.nan)[keep])
        rows.append(t[a].array[keep])
        cols.append(t[b].array[keep])
        n.append(len(keep))
    pos = np.concatenate(pos)
    return pd.DataFrame({
        "report_id": pd.Categorical.from_codes(pos, dtype=pd.CategoricalDtype(ids)),
        "publisher": publisher[pos], "year": np.concatenate(year),
        "template": pd.Categorical.from_codes(template.codes[pos], dtype=template.dtype),
        "table": pd.Categorical.from_codes(np.repeat(np.arange(len(_DIMS)), n), categories=list(_DIMS)),
        "row": pd.api.types.union_categoricals(rows, ignore_order=True),
        "column": pd.api.types.union_categoricals(cols, ignore_order=True),
        "value": np.concatenate(value),
    }, copy=False)


def history(reports: pd.DataFrame) -> pd.Series:
    """Which publisher's history each report is in (module doc): a key per report, NA for none.

    >>> r = pd.DataFrame({"report_id": ["a", "b", "c", "d"], "publisher": ["城关区", "城关区", "城关区", "壬县"],
    ...                   "region": ["城关区"] * 3 + ["壬县"], "adcode": ["540102", "620102", None, None],
    ...                   "level": ["county", "county", "county", None],
    ...                   "place_candidates": [None, None, "540102 620102", None]}, dtype="string")
    >>> history(r).tolist()
    ['540102|county|城关区', '620102|county|城关区', 'only|c', 'name|壬县']
    """
    name = "name|" + reports["publisher"].fillna(reports["region"])
    if "adcode" not in reports:  # tables from before places
        return name
    placed = reports["adcode"].notna() & reports["level"].notna()
    key = reports["adcode"] + "|" + reports["level"] + "|" + reports["region"].fillna(reports["publisher"])
    alone = "only|" + reports["report_id"]
    return key.where(placed, alone.where(reports["place_candidates"].notna(), name))


def _found(df: pd.DataFrame) -> pd.DataFrame:
    """The findings' rows of cells with the dtypes of the long tables (text, nullable numbers)."""
    return df.astype({c: dtype for c, dtype in _FOUND.items() if c in df})


def _records(df: pd.DataFrame, check: str, severity: pd.Series | str | None = None) -> list[tuple]:
    sev = severity if severity is not None else CHECKS[check][0]
    sev = sev if isinstance(sev, pd.Series) else pd.Series(sev, index=df.index)
    return list(zip(df["report_id"], df["publisher_region"], df["year"], [check] * len(df), sev, df["table"],
                    df["row"], df["column"], df["expected"], df["actual"], df["message"]))


def _against_last_year(cur: pd.DataFrame, last: pd.DataFrame, on: list[str]) -> pd.DataFrame:
    """Rows of ``cur`` whose value differs from ``last``'s ``expected`` of the year before."""
    last = last.assign(year=last["year"] + 1).drop_duplicates(on)[[*on, "expected"]]
    m = cur.merge(last, on=on)
    return _found(m[m["value"] != m["expected"]]).assign(actual=lambda d: d["value"])


def carry_over_mismatch(cells: pd.DataFrame) -> pd.DataFrame:
    """This year's 上年结转 against the same publisher's 结转下年度 of the year before."""
    apps = cells["table"] == "applications"
    last = cells[apps & (cells["row"] == "carried_forward")].assign(expected=lambda d: d["value"])
    m = _against_last_year(cells[apps & (cells["row"] == "carried_over")], last, ["publisher", "year", "column"])
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


def _zh(key: str, template: object) -> str:
    """The label of a key in a report's template; a report whose template was not recognised has NA."""
    return L.zh(key, template if isinstance(template, str) else None)


def _firsts(key: np.ndarray) -> np.ndarray:
    """Where each run of equal values begins, in a sorted array."""
    return np.r_[True, key[1:] != key[:-1]][:len(key)]


def _histories(cells: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Rows of ``cells`` with a value ≥ 0 by history (publisher, table, row, column), then year, one per year;
    and their history ids. Integers and a sort rather than a self-join: a large corpus has millions of cells.
    """
    at = np.flatnonzero((cells["value"] >= 0) & cells["row"].notna() & cells["column"].notna())
    key = cells["publisher"].to_numpy()[at].astype(np.int64)
    for x in ("table", "row", "column"):  # (in place: a large corpus's arrays are big)
        key *= len(cells[x].cat.categories)
        key += cells[x].cat.codes.to_numpy()[at]
    year = cells["year"].to_numpy()[at]
    year -= year.min() if len(year) else 0
    span = year.max(initial=0) + 1
    key *= span
    key += year
    # A stable sort keeps data order within a year: of two reports of a publisher's year, the first counts.
    order = np.argsort(key, kind="stable")
    order = order[_firsts(key[order])]
    key = key[order]
    key //= span
    return at[order], key


def year_over_year(cells: pd.DataFrame) -> pd.DataFrame:
    """Values ≥ 10× away from the median of the same publisher's earlier years."""
    at, key = _histories(cells)  # a signed change has no ratio: values ≥ 0 only
    value = cells["value"].to_numpy()[at]
    # how many years its history has before this one: the row less the row where its history starts
    earlier = np.arange(len(key), dtype=np.int32)
    earlier -= np.maximum.accumulate(np.where(_firsts(key), earlier, 0))
    del key  # (a large corpus's arrays are big: free them as soon as they are done with)
    expected = np.full(len(value), np.nan)
    for n in range(1, earlier.max(initial=0) + 1):  # a publisher has few years: a short loop
        rows = np.flatnonzero(earlier == n)
        expected[rows] = np.median(value[rows[:, None] - np.arange(1, n + 1)], axis=1)
    del earlier
    t = THRESHOLDS
    hit = ((np.abs(np.log((value + 1) / (expected + 1))) >= np.log(t["year_over_year_factor"])) &
           (np.abs(value - expected) >= t["year_over_year_min_change"]))  # NaN (no earlier year): no hit
    found = np.flatnonzero(hit)[np.argsort(at[hit])]  # in data order
    m = _found(cells.iloc[at[found]].assign(expected=expected[found]))
    return m.assign(actual=m["value"], message=[
        f"{_zh(r, tp)} / {_zh(col, tp)}: {v:g} against a median of {e:g} in earlier years "
        f"(rule: ≥ {t['year_over_year_factor']:g}× and ≥ {t['year_over_year_min_change']} apart)"
        for r, col, v, e, tp in zip(m["row"], m["column"], m["value"], m["expected"], m["template"])])


def outlier(cells: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
    """Positive values whose ln is far from their peers' (robust z with the MAD)."""
    k = ["table", "row", "column"]
    c = cells[cells["value"] > 0]
    c["ln"] = np.log(c["value"])
    g = c.groupby(k, observed=True)["ln"]
    med = g.transform("median")
    mad = (c["ln"] - med).abs().groupby([c[x] for x in k], observed=True).transform("median")
    n = g.transform("size")
    z = (c["ln"] - med) / (1.4826 * mad)
    t = THRESHOLDS
    hit = (n >= t["outlier_min_peers"]) & (mad > 0) & (z.abs() >= t["outlier_z_info"])
    m = _found(c[hit]).assign(expected=np.exp(med[hit]), actual=lambda d: d["value"], z=z[hit])
    severity = pd.Series(np.where(m["z"].abs() >= t["outlier_z_warning"], "warning", "info"), index=m.index)
    m = m.assign(message=[
        f"{_zh(r, tp)} / {_zh(col, tp)}: {v:g} is far from the median {e:.0f} of {int(nn)} reports "
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
