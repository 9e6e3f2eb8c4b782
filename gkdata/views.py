"""Corpus tables for people: Chinese headers and labels, the main totals, outcome shares.

Shared by :mod:`gkdata.excel`, :mod:`gkdata.plots` and the notebooks, so each
header and each derived figure is defined once. Category labels come from the
one label table (:mod:`gkdata.labels`); this module adds only the names of the
corpus columns. Values are never filled in: an unknown cell stays NA here and
an empty cell in Excel.

>>> import gkdata
>>> c = gkdata.read_reports("data/raw")
>>> t = totals(c.applications).set_index("region")
>>> int(t.loc["阿里地区", "new_received"]), int(t.loc["阿里地区", "results_total"])
(17, 671)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from . import frames
from . import labels as L
from .labels import COLUMN_ZH, SEVERITY_ZH, TABLE_ZH

if TYPE_CHECKING:
    from .corpus import Corpus

# The rows whose 总计 column sums a report up, in display order.
MAIN_ROWS = {
    "applications": ("new_received", "carried_over", "results_total", "granted", "carried_forward"),
    "appeals": ("review", "litigation_direct", "litigation_after_review"),
}
# 三、本年度办理结果 (一)…(六): a row belongs to the group it is or whose key it extends.
OUTCOME_GROUPS = ("granted", "partially_granted", "denied", "unable", "not_processed", "other_handling")


def label(key: str | None, template: str | None = None) -> str | None:
    """The Chinese label of a key; a key outside the label table (e.g. a narrative figure) as it is.

    >>> label("new_made", "2021"), label("new_made"), label("applications_received")
    ('本年制发件数', '本年新制作数量', 'applications_received')
    """
    if key is None or pd.isna(key):
        return None
    try:
        return L.zh(key, template if template in L.TEMPLATES else None)
    except KeyError:
        return key


def _templates(corpus: Corpus) -> pd.Series:
    r = corpus.reports.dropna(subset=["report_id"]).drop_duplicates("report_id")
    return r.set_index("report_id")["template"]


def chinese(corpus: Corpus, name: str) -> pd.DataFrame:
    """A corpus table for reading: keys as Chinese labels (each report's template), Chinese headers.

    >>> import gkdata
    >>> d = chinese(gkdata.read_reports("data/raw"), "disclosure")
    >>> d.columns.tolist()
    ['报告编号', '地区', '年度', '项目', '指标', '数值', '单位']
    >>> print(*d[d["地区"] == "会宁县"].iloc[-1][["项目", "指标", "数值", "单位"]])
    政府集中采购 采购总金额 75647.67 万元
    """
    t = getattr(corpus, name)
    template = t["report_id"].map(_templates(corpus)) if "report_id" in t else pd.Series(None, index=t.index)
    cols = {}
    for col in t.columns:
        s = t[col]
        if col in ("item", "measure", "row", "applicant", "proceeding", "outcome", "column"):
            s = pd.Series([label(k, tp) for k, tp in zip(s.astype("string"), template)], index=t.index, dtype="string")
        elif col == "severity":
            s = s.astype("string").map(SEVERITY_ZH)
        elif col == "table" and name == "findings":
            s = s.map(TABLE_ZH).fillna(s).astype("string")
        cols[COLUMN_ZH.get(col, col)] = s
    return pd.DataFrame(cols)


def printed(corpus: Corpus, name: str) -> pd.DataFrame:
    """Each report's table as printed, stacked: one row per report and printed row, columns across.

    Columns: report_id, region, year, the row label (Chinese, the report's template),
    then the Chinese labels of the columns (applicants or outcomes).

    >>> import gkdata
    >>> a = printed(gkdata.read_reports("data/raw"), "applications")
    >>> a.columns.tolist()[3:]
    ['项目', '自然人', '商业企业', '科研机构', '社会公益组织', '法律服务机构', '其他', '总计']
    >>> a[(a["地区"] == "阿里地区") & (a["项目"] == "办理结果总计")]["总计"].tolist()
    [671]
    """
    index, columns = frames.KEYS[name]
    t = getattr(corpus, name)
    keys = ["report_id", "region", "year", index]
    wide = t.pivot(index=["report_id", index], columns=columns, values="value")
    order = t[keys].drop_duplicates(["report_id", index])  # the reports' and rows' own order
    wide = wide.reindex(pd.MultiIndex.from_frame(order[["report_id", index]]))
    wide.columns = [label(c) for c in wide.columns]
    template = order["report_id"].map(_templates(corpus))
    rows = pd.DataFrame({
        COLUMN_ZH["report_id"]: order["report_id"].to_numpy(), COLUMN_ZH["region"]: order["region"].to_numpy(),
        COLUMN_ZH["year"]: order["year"].to_numpy(),
        COLUMN_ZH[index]: [label(k, tp) for k, tp in zip(order[index].astype("string"), template)],
    })
    return pd.concat([rows, wide.reset_index(drop=True)], axis=1)


def totals(applications: pd.DataFrame, appeals: pd.DataFrame | None = None) -> pd.DataFrame:
    """The 总计 column of the main rows (:data:`MAIN_ROWS`), one row per report, keyed by row key.

    Columns: report_id, region, year, then new_received, carried_over,
    results_total, granted, carried_forward (and review, litigation_direct,
    litigation_after_review when ``appeals`` is given), Int64 with NA kept.
    """
    out = applications[["report_id", "region", "year"]].drop_duplicates("report_id").set_index("report_id")
    for name, long in (("applications", applications), ("appeals", appeals)):
        if long is None:
            continue
        index, columns = frames.KEYS[name]
        rows = list(MAIN_ROWS[name])
        t = long[(long[columns] == "total") & long[index].isin(rows)]
        wide = t.pivot(index="report_id", columns=index, values="value")
        wide.columns = wide.columns.astype("string")
        out = out.join(wide.reindex(columns=rows))
    return out.reset_index()


def outcome_group(row: str) -> str | None:
    """The result group (三(一)…(六)) a row of table 三 belongs to; None outside the results.

    >>> outcome_group("denied_state_secret"), outcome_group("other_handling_fee_unpaid"), outcome_group("new_received")
    ('denied', 'other_handling', None)
    """
    for group in OUTCOME_GROUPS:
        if row == group or row.startswith(group + "_"):
            return group
    return None


def outcome_shares(applications: pd.DataFrame) -> pd.DataFrame:
    """Each report's results by group (总计 column) and each group's share of their sum.

    A group with an unknown row has an unknown count, and then every share of
    that report is unknown too (NA), since the sum is not known.

    >>> import gkdata
    >>> s = outcome_shares(gkdata.read_reports("data/raw").applications)
    >>> print(s[s["region"] == "会宁县"][["group", "value", "share"]].head(2).to_string(index=False))
                group  value  share
              granted      7    0.7
    partially_granted      3    0.3
    """
    t = applications[applications["applicant"] == "total"]
    group = t["row"].astype("string").map(outcome_group)
    t = t.assign(group=pd.Categorical(group, categories=OUTCOME_GROUPS, ordered=True)).dropna(subset=["group"])
    keys = ["report_id", "group"]
    out = t.groupby(keys, sort=False, observed=True)["value"].sum(skipna=False).reset_index()
    whole = out.groupby("report_id", sort=False)["value"].transform(lambda s: s.sum(skipna=False))
    out["share"] = (out["value"] / whole.mask(whole == 0)).astype("Float64")  # no results: no shares
    meta = applications[["report_id", "region", "year"]].drop_duplicates("report_id")
    return meta.merge(out, on="report_id")


def by_year(corpus: Corpus) -> pd.DataFrame:
    """Region × year: one row per region and main total (:data:`MAIN_ROWS`), one column per year.

    Only reports with a known region and year; regions keep their first-seen
    order. A region with two reports for one year that disagree gets NA, not
    either report's number.

    >>> import gkdata
    >>> t = by_year(gkdata.read_reports("data/raw"))
    >>> print(*t[t["地区"] == "阿里地区"].iloc[2])
    阿里地区 办理结果总计 <NA> 671
    """
    order = [*MAIN_ROWS["applications"], *MAIN_ROWS["appeals"]]
    t = totals(corpus.applications, corpus.appeals).dropna(subset=["region", "year"])
    long = t.melt(id_vars=["region", "year"], value_vars=order, var_name="total")
    long["region"] = pd.Categorical(long["region"], categories=long["region"].unique())
    long["total"] = pd.Categorical(long["total"], categories=order)
    cells = long.groupby(["region", "total", "year"], observed=True)["value"]
    wide = cells.first().where(cells.nunique(dropna=False) == 1).unstack("year").reset_index()
    wide["total"] = wide["total"].map(L.zh)
    wide.columns = [COLUMN_ZH["region"], COLUMN_ZH["row"], *map(str, wide.columns[2:])]
    return wide


def carry_over(applications: pd.DataFrame) -> pd.DataFrame:
    """The carry-over chain (总计 column): each report's 上年结转 beside its region's 结转下年度 of the year before.

    ``previous_carried_forward`` is NA when the corpus has no report of that
    region for the year before; ``agrees`` is NA when either side is unknown.

    >>> import gkdata
    >>> print(*carry_over(gkdata.read_reports("data/raw").applications).iloc[-1])
    阿里地区 2020 1 0 <NA> <NA>
    """
    t = totals(applications).dropna(subset=["region", "year"])
    t = t[["region", "year", "carried_over", "carried_forward"]]
    before = t[["region", "year", "carried_forward"]].rename(columns={"carried_forward": "previous_carried_forward"})
    out = t.merge(before.assign(year=before["year"] + 1), on=["region", "year"], how="left")
    out["agrees"] = out["carried_over"] == out["previous_carried_forward"]
    return out.sort_values(["region", "year"], ignore_index=True)
