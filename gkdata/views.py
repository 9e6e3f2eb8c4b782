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

import re
from typing import TYPE_CHECKING

import pandas as pd

from . import frames
from . import labels as L
from .corpus_checks import history
from .findings import THRESHOLDS
from .labels import COLUMN_ZH, SEVERITY_ZH, TABLE_ZH
from .narrative import COUNTERPARTS

if TYPE_CHECKING:
    from .corpus import Corpus

# The place of a report (gkdata.places; the ``reports`` columns), in Chinese.
PLACE_ZH = {"province": "省份", "prefecture": "地市", "county": "区县", "adcode": "区划代码", "level": "级别"}
PLACE_LEVEL_ZH = {"province": "省级", "prefecture": "地级", "county": "县级", "township": "乡级", "department": "部门"}
# The rows whose 总计 column sums a report up, in display order.
MAIN_ROWS = {
    "applications": ("new_received", "carried_over", "results_total", "granted", "carried_forward"),
    "appeals": ("review", "litigation_direct", "litigation_after_review"),
}
# 三、本年度办理结果 (一)…(六): a row belongs to the group it is or whose key it extends.
OUTCOME_GROUPS = L.RESULT_GROUPS
# The figures read from the prose (gkdata.narrative.PATTERNS), in Chinese.
NARRATIVE_ZH = {lab.key: lab.zh for lab in L.NARRATIVE_LABELS}


def label(key: str | None, template: str | None = None) -> str | None:
    """The Chinese label of a key; a key outside the label table (e.g. a narrative figure) as it is.

    >>> label("new_made", "2021"), label("new_made"), label("applications_received"), label("weird")
    ('本年制发件数', '本年新制作数量', '收到申请数', 'weird')
    """
    if key is None or pd.isna(key):
        return None
    try:
        return L.zh(key, template if template in L.TEMPLATES else None)
    except KeyError:
        return NARRATIVE_ZH.get(key, key)


def trim(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with only the categories its rows use in each categorical column (order kept).

    The key columns of the long tables hold every label of both templates, so that a
    report, a corpus and a Parquet round trip share dtypes; pandas and seaborn show every
    category (a 2019 report's table 三 would get the 2021 rows as empty bars or legend
    entries). Trim a table, or a selection of it, before charting or grouping it.

    >>> import gkdata
    >>> a = gkdata.read_report("data/raw/004_8b07afbb35c54ec3.txt").applications
    >>> len(a["row"].cat.categories), len(trim(a)["row"].cat.categories)
    (26, 23)
    """
    cats = [c for c in df.columns if isinstance(df[c].dtype, pd.CategoricalDtype)]
    return df.assign(**{c: df[c].cat.remove_unused_categories() for c in cats})


def _templates(corpus: Corpus) -> pd.Series:
    r = corpus.reports.dropna(subset=["report_id"]).drop_duplicates("report_id")
    return r.set_index("report_id")["template"]


_KEY_COLUMNS = ("item", "measure", "row", "applicant", "proceeding", "outcome", "column", "group", "key")


def _labels(keys: pd.Series, template: pd.Series) -> pd.Series:
    """Chinese labels of a column of keys, each in its report's template (computed once per key and template)."""
    k = keys.astype("string")
    frame = pd.DataFrame({"k": k, "t": template.astype("string").where(template.isin(L.TEMPLATES))})
    pairs = frame.drop_duplicates()
    names = [label(a if pd.notna(a) else None, b if pd.notna(b) else None) for a, b in zip(pairs["k"], pairs["t"])]
    lookup = pd.Series(names, index=pd.MultiIndex.from_frame(pairs), dtype="string")
    out = lookup.reindex(pd.MultiIndex.from_frame(frame)).to_numpy()
    return pd.Series(out, index=keys.index, dtype="string")


def chinese(corpus: Corpus, name: str) -> pd.DataFrame:
    """A corpus table for reading: keys as Chinese labels (each report's template), Chinese headers.

    In ``findings`` the check is named in Chinese (:func:`gkdata.labels.check_zh`), ``说明`` is
    the message in Chinese (:func:`message_zh`) and ``说明（英文）`` the message as the reader wrote it.

    >>> import gkdata
    >>> c = gkdata.read_reports("data/raw")
    >>> d = chinese(c, "disclosure")
    >>> d.columns.tolist()
    ['报告编号', '地区', '年度', '项目', '指标', '数值', '单位', '层级']
    >>> print(*d[d["地区"] == "会宁县"].iloc[-1][["项目", "指标", "数值", "单位"]])
    政府集中采购 采购总金额 75647.67 万元
    >>> f = chinese(c, "findings")
    >>> print(*f[f["地区"] == "阿里地区"].iloc[2][["检查", "说明"]])
    收到与办理不平衡 总计：本年新收 + 上年结转 = 18，但办理结果总计 + 结转下年度 = 671
    """
    t = getattr(corpus, name)
    template = t["report_id"].map(_templates(corpus)) if "report_id" in t else pd.Series(None, index=t.index)
    cols = {}
    for col in t.columns:
        s = t[col]
        if col in _KEY_COLUMNS and not (col == "key" and name != "narrative"):
            s = _labels(s, template)
        elif col == "severity":
            s = s.astype("string").map(SEVERITY_ZH).astype("string")
        elif col == "level" and name in frames.KEYS:  # a cell's level (part or total)
            s = s.astype("string").map(L.LEVEL_ZH).astype("string")
        elif col == "table" and name == "findings":
            s = s.map(TABLE_ZH).fillna(s).astype("string")
        elif col == "check":
            s = s.map(L.check_zh).astype("string")
        elif col == "message" and name == "findings":
            cols[COLUMN_ZH["message"]] = pd.Series(message_zh(t, template), index=t.index, dtype="string")
            cols[COLUMN_ZH["message"] + "（英文）"] = s
            continue
        cols[COLUMN_ZH.get(col, col)] = s
    return pd.DataFrame(cols)


def _num(x: object) -> str:
    if x is None or pd.isna(x):
        return "?"
    return f"{int(x):,}" if float(x).is_integer() else f"{x:,.2f}"


_QUOTED = re.compile(r"'([^']*)'")
_CELLS = re.compile(r"\(((?:'[^']*' ?)+)\)")
# one row of an ambiguous_columns message: "表三 予以公开: 3 cells for 7 columns ('7' '1' '8')[, the last … 总计]"
_AMBIGUOUS_ROW = re.compile(r"(表[二三四][^:·—]*?): \d+ cells for \d+ columns \(((?:'[^']*' ?)+)\)"
                            r"(, the last, [^,]+, equals the sum of the others and is kept as 总计)?")
_TABLE_NO = {"disclosure": "表二", "applications": "表三", "appeals": "表四", "narrative": "正文"}


def _counterpart_zh(key: str) -> str:
    """Where the tables state a prose figure (narrative.COUNTERPARTS), in Chinese: 表四 未经复议直接起诉 + 复议后起诉 总计."""
    table, rows = COUNTERPARTS[key]
    return f"{_TABLE_NO[table]} {' + '.join(L.zh(r) for r in rows)} 总计"


def _message_zh(check: str, table: str | None, row: str | None, column: str | None, expected: object,
                actual: object, year: object, english: str, template: str | None) -> str:
    """One finding's message in Chinese, from its fields (and the text it quotes)."""
    tab = _TABLE_NO.get(table, "") if table else ""
    r = label(row, template) if row else ""
    c = label(column, template) if column else ""
    e, a = _num(expected), _num(actual)
    quotes = _QUOTED.findall(english or "")
    q = f"“{quotes[0]}”" if quotes else ""
    cells = _CELLS.search(english or "")
    where = " ".join(x for x in (tab, r) if x)
    at = f"{where} / {c}" if c else where
    last = f"{int(year) - 1} 年" if year is not None and pd.notna(year) else "上一年"
    t = THRESHOLDS
    messages = {
        "balance": f"{c}：本年新收 + 上年结转 = {e}，但办理结果总计 + 结转下年度 = {a}",
        "row_sum": f"{c}：办理结果总计为 {a}，但其上各项办理结果之和为 {e}",
        "column_sum": f"{r}：总计为 {a}，但各类申请人之和为 {e}",
        "appeals_sum": f"{r}：总计为 {a}，但结果维持 + 结果纠正 + 其他结果 + 尚未审结 = {e}",
        "published_exceeds_total": f"{r}：本年新公开数量 {e} 超过对外公开总数量 {a}，累计总数不应少于本年新增",
        "narrative_mismatch": (f"正文称{r}为 {a}，而{_counterpart_zh(row)}为 {e}" if row in COUNTERPARTS
                               else f"正文中{r}为 {a}，但其各分项之和为 {e}"),
        "carry_over_mismatch": f"{c}：上年结转为 {a}，但{last}报告的结转下年度为 {e}",
        "change_mismatch": f"{r}：上一年项目数量为 {a}，但{last}报告的上一年项目数量加本年增/减为 {e}",
        "year_over_year": (f"{r} / {c}：{a}，而往年的中位数为 {e}（规则：相差 {t['year_over_year_factor']:g} 倍以上"
                           f"且至少 {t['year_over_year_min_change']}）"),
        "outlier": (f"{r} / {c}：{a}，远离同类报告的中位数 {e}（规则：取对数后的稳健 z 值 |z| ≥ "
                    f"{t['outlier_z_info']:g}）"),
        "ambiguous_columns": _ambiguous_zh(english, where, cells),
        "invalid_value": f"{at}：单元格内容{q}不是该列可填的数字，记为空值",
        "wrong_unit": f"{at}：单元格{q}的单位与该列不符，记为空值",
        "unplaced_value": f"{where}：{q + '之后' if q else ''}有数字不在任何数据单元格中，未予采用",
        "unknown_label": f"{where}：行标签{q}与两个标签同样接近，不按任何一个读取，其数字未予采用",
        "missing_row": f"{tab}：未找到模板中的“{r}”一行",
        "missing_table": f"报告中没有{tab}（{TABLE_ZH.get(table, '')}）",
        "truncated": (f"文本在{tab}中截断（{'“' + r + '”之后' if r else '第一行数据之前'}）：截断处所在行及其后各行"
                      "记为空值（文件不完整）"),
        "empty_table": f"{tab}存在但没有任何数字，各单元格记为空值，而非 0",
        "unfilled_template": "报告是未填写的模板，表中的数字是模板自带的，不是发布机关的数据，记为空值",
        "assumed_unit": f"{r} {c}：单元格和表头都没有单位，按万元计",
        "unread_unit": f"{r} {c}：表头声明的单位无法完整读出，金额记为空值",
        "template_conflict": (f"表二 {r}：按另一模板的列印制，按其自身的列读取" if r
                              else "同时出现两种模板的标签，按本报告的模板读取"),
        "place_ambiguous": _place_zh(english),
    }
    return messages.get(check, english)


_PLACES = re.compile(r"^(.+?) fits (\d+) places: (.+?)(?: … \(\d+ in all\))?; the report (names more than one)?")


def _place_zh(english: str) -> str:
    m = _PLACES.match(english or "")
    if not m:
        return "发布机关的名称可对应多个地方，报告未写明是哪一个，地方不明，各地方不同的字段记为空值"
    who, n, shown, more = m.groups()
    said = "报告提到的不止其中一个" if more else "报告没有写明省、地、县，无法区分"
    return f"“{who}”可对应 {n} 个地方：{shown}；{said}，地方不明，各地方不同的字段记为空值"


def _ambiguous_zh(english: str, where: str, cells: re.Match | None) -> str:
    rows = _AMBIGUOUS_ROW.findall(english or "")
    if len(rows) > 1 or (rows and rows[0][2]):
        said = "；".join(f"{w}（{c.strip()}" + ("，末一个数等于其余之和，作为总计保留" if kept else "") + "）"
                        for w, c, kept in rows)
        return f"{said}：这些行的空单元格丢失，数字无法确定属于哪一列，记为空值"
    return (f"{where}：这一行的空单元格丢失，数字" + (f"（{cells.group(1).strip()}）" if cells else "")
            + "无法确定属于哪一列，记为空值")


def message_zh(findings: pd.DataFrame, template: pd.Series | None = None) -> list[str]:
    """The findings' messages in Chinese, made from their fields (check, table, row, column, expected,
    actual, year) so each reads as a sentence in Chinese; a check without a Chinese sentence keeps its message.

    ``template`` (per row) names the labels as the report's template prints them.
    """
    n = len(findings)
    year = findings["year"] if "year" in findings else [None] * n
    tp = template if template is not None else [None] * n
    return [_message_zh(*(None if x is None or x is pd.NA or (isinstance(x, float) and x != x) else x for x in row),
                        e, t if isinstance(t, str) else None)
            for *row, e, t in zip(findings["check"], findings["table"], findings["row"], findings["column"],
                                  findings["expected"], findings["actual"], year, findings["message"], tp)]


def ids(corpus: Corpus) -> pd.DataFrame:
    """One row per report read: report_id, region, year, publisher, template, its place (:data:`PLACE_ZH`:
    province, prefecture, county, adcode, level; NA where not known, e.g. in tables from before places) and
    ``place``, the key of its place's reports over the years (:func:`gkdata.corpus_checks.history`: two
    城关区 are two places).

    >>> import gkdata
    >>> print(*ids(gkdata.read_reports("data/raw")).iloc[0][["region", "province", "level", "place"]])
    巴青县 西藏自治区 county 540628|county|巴青县
    """
    r = corpus.reports.dropna(subset=["report_id"])
    r = r[r["status"] == "ok"].drop_duplicates("report_id")
    out = r[["report_id", "region", "year", "publisher", "template"]]
    out = out.assign(**{c: r[c] if c in r else pd.array([None] * len(r), dtype="string") for c in PLACE_ZH},
                     place=history(r).astype("string"))
    return out.reset_index(drop=True)


def place_columns(who: pd.DataFrame, report_id: pd.Series, columns: tuple[str, ...] = tuple(PLACE_ZH)) -> dict:
    """The place ``columns`` (of :func:`ids`) of each ``report_id``, under Chinese headers, the level in Chinese.

    >>> import gkdata
    >>> who = ids(gkdata.read_reports("data/raw"))
    >>> cols = place_columns(who, who["report_id"], ("province", "level"))
    >>> list(cols), cols["级别"].tolist()[:2]
    (['省份', '级别'], ['县级', '县级'])
    """
    at = pd.Index(who["report_id"]).get_indexer(report_id)  # -1: not a report read (a failed file)
    out = {}
    for c in columns:
        s = who[c].astype("string")
        s = (s.map(PLACE_LEVEL_ZH) if c == "level" else s).astype("string").array
        out[PLACE_ZH[c]] = pd.array(s.take(at, allow_fill=True), dtype="string")
    return out


def printed(corpus: Corpus, name: str, keys: bool = False) -> pd.DataFrame:
    """Each report's table as printed, stacked: one row per report and printed row, columns across.

    Columns: report_id, region, year, the row label (Chinese, the report's template),
    then the Chinese labels of the columns (applicants or outcomes); with ``keys`` the
    row's key last (``key``), to find a cell by report and row.

    >>> import gkdata
    >>> a = printed(gkdata.read_reports("data/raw"), "applications")
    >>> a.columns.tolist()[3:]
    ['项目', '自然人', '商业企业', '科研机构', '社会公益组织', '法律服务机构', '其他', '总计']
    >>> a[(a["地区"] == "阿里地区") & (a["项目"] == "办理结果总计")]["总计"].tolist()
    [671]
    """
    index, columns = frames.KEYS[name]
    t = getattr(corpus, name)
    id_cols = ["report_id", "region", "year", index]
    wide = t.pivot(index=["report_id", index], columns=columns, values="value")
    order = t[id_cols].drop_duplicates(["report_id", index])  # the reports' and rows' own order
    wide = wide.reindex(pd.MultiIndex.from_frame(order[["report_id", index]]))
    wide.columns = [label(c) for c in wide.columns]
    template = order["report_id"].map(_templates(corpus))
    rows = pd.DataFrame({
        COLUMN_ZH["report_id"]: order["report_id"].to_numpy(), COLUMN_ZH["region"]: order["region"].to_numpy(),
        COLUMN_ZH["year"]: order["year"].to_numpy(),
        COLUMN_ZH[index]: _labels(order[index], template).to_numpy(),
    })
    out = pd.concat([rows, wide.reset_index(drop=True)], axis=1)
    if keys:
        out["key"] = order[index].astype("string").to_numpy()
    return out


def totals(applications: pd.DataFrame, appeals: pd.DataFrame | None = None) -> pd.DataFrame:
    """The 总计 column of the main rows (:data:`MAIN_ROWS`), one row per report, keyed by row key.

    Columns: report_id, region, year (and place and name, where ``applications`` has them), then new_received,
    carried_over, results_total, granted, carried_forward (and review, litigation_direct,
    litigation_after_review when ``appeals`` is given), Int64 with NA kept.
    """
    ids = ["report_id", "region", "year", *(c for c in ("place", "name") if c in applications)]
    out = applications[ids].drop_duplicates("report_id").set_index("report_id")
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
    """The result group (三(一)…(六)) a row of table 三 belongs to; None outside the results
    (the ``group`` column of the applications table, :func:`gkdata.labels.result_group`).

    >>> outcome_group("denied_state_secret"), outcome_group("other_handling_fee_unpaid"), outcome_group("new_received")
    ('denied', 'other_handling', None)
    """
    return L.result_group(row)


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
    if "group" not in t:  # a table from before the group column
        t = t.assign(group=pd.Categorical(t["row"].astype("string").map(outcome_group), categories=OUTCOME_GROUPS,
                                          ordered=True))
    t = t.dropna(subset=["group"])
    keys = ["report_id", "group"]
    by = t.groupby(keys, sort=False, observed=True)["value"]
    out = by.sum().where(by.count() == by.size())
    out = out.reset_index()  # a group with an unknown row: unknown
    per = out.groupby("report_id", sort=False)["value"]
    whole = per.transform("sum").where(per.transform("count") == per.transform("size"))  # (vectorised)
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


def compare(corpus: Corpus) -> pd.DataFrame:
    """对比: the main totals (:data:`MAIN_ROWS`) of each report with a known region and year, a row each,
    like compared with like: places (:func:`ids`' ``place``, never the name alone: two 城关区 are two).

    When each place has one year (as the seeds do), places are compared within each year: by year, the
    most 本年新收 first, with its rank in the year (``本年新收排名``) and among the year's reports of its
    level (``本年新收同级排名``: counties with counties; NA where the level is not known). When a place
    has several years, years are compared within each place: by place (first seen first), then year,
    with the change of 本年新收 and 办理结果总计 (``本年新收较上年``, ``办理结果总计较上年``) against
    the place's report of the year before (NA without one, or with two that disagree). Columns: 地区,
    年度, the totals, those, the place (省份, 地市, 区划代码, 级别), 发布机关, 报告编号.

    >>> import gkdata
    >>> t = compare(gkdata.read_reports("data/raw"))
    >>> print(t[["地区", "年度", "本年新收申请数量", "本年新收排名", "本年新收同级排名", "级别"]].to_string(index=False))
      地区   年度  本年新收申请数量  本年新收排名  本年新收同级排名 级别
     开阳县 2019        10       1         1 县级
     巴青县 2019         0       2         2 县级
    卞路口乡 2019      <NA>    <NA>      <NA> 乡级
    阿里地区 2020        17       1         1 地级
     会宁县 2020        10       2         1 县级
    """
    rows = [*MAIN_ROWS["applications"], *MAIN_ROWS["appeals"]]
    who = ids(corpus)
    t = totals(corpus.applications, corpus.appeals).merge(who[["report_id", "publisher", "level", "place"]],
                                                          on="report_id", how="left")
    t = t.dropna(subset=["region", "year"]).reset_index(drop=True)
    several = bool(len(t)) and t.groupby("place")["year"].nunique().max() > 1
    extra: dict[str, pd.Series] = {}
    if several:
        first_seen = pd.Categorical(t["place"], categories=t["place"].unique())
        t = t.assign(_p=first_seen).sort_values(["_p", "year"], kind="stable").drop(columns="_p")
        changed = ["new_received", "results_total"]
        years = t.groupby(["place", "year"])[changed]
        before = years.first().where(years.nunique(dropna=False) == 1).reset_index()  # two that disagree: NA
        m = t.merge(before.assign(year=before["year"] + 1), on=["place", "year"], how="left",
                    suffixes=("", "_before"))
        t = m
        for k in changed:
            extra[f"{L.zh(k).removesuffix('申请数量')}较上年"] = (m[k] - m[f"{k}_before"]).astype("Int64")
    else:
        t = t.assign(_n=t["new_received"].astype("Float64").fillna(-1))
        t = t.sort_values(["year", "_n"], ascending=[True, False], kind="stable").drop(columns="_n")
        for name, within in (("本年新收排名", ["year"]), ("本年新收同级排名", ["year", "level"])):
            rank = t.groupby(within)["new_received"].rank(method="min", ascending=False)
            extra[name] = rank.reindex(t.index).astype("Float64").astype("Int64")
    t = t.reset_index(drop=True)
    out = pd.DataFrame({COLUMN_ZH["region"]: t["region"], COLUMN_ZH["year"]: t["year"]})
    for k in rows:
        out[L.zh(k)] = t[k]
    for name, s in extra.items():
        out[name] = s.reset_index(drop=True)
    out = out.assign(**place_columns(who, t["report_id"], ("province", "prefecture", "adcode", "level")))
    out[COLUMN_ZH["publisher"]] = t["publisher"]
    out[COLUMN_ZH["report_id"]] = t["report_id"]
    return out


GROUPED = ("new_received", "results_total", "granted")  # the totals :func:`grouped` summarises


def grouped(corpus: Corpus, by: str | tuple[str, ...] = "province") -> pd.DataFrame:
    """The reports by place (``by``: columns of :data:`PLACE_ZH`, e.g. ``("province", "level")``), like for like:
    per group the reports, those with an error finding, and per total of :data:`GROUPED` (总计 column) how many
    reports know it and their median. An unknown total is left out of the median, never read as 0; a report
    whose place is not known (a name several places share) is in the group of NA, last.

    >>> import gkdata
    >>> t = grouped(gkdata.read_reports("data/raw"), ("province", "level"))
    >>> print(t[["省份", "级别", "报告数", "本年新收申请数量（已知）", "本年新收申请数量（中位数）"]].to_string(index=False))
       省份 级别  报告数  本年新收申请数量（已知）  本年新收申请数量（中位数）
      河南省 乡级    1             0           <NA>
      甘肃省 县级    1             1           10.0
    西藏自治区 地级    1             1           17.0
    西藏自治区 县级    1             1            0.0
      贵州省 县级    1             1           10.0
    """
    by = (by,) if isinstance(by, str) else tuple(by)
    who = ids(corpus)
    t = who[["report_id", *by]].merge(totals(corpus.applications), on="report_id", how="left")
    wrong = set(corpus.findings.loc[corpus.findings["severity"] == "error", "report_id"].dropna())
    t["error"] = t["report_id"].isin(wrong)
    if "level" in by:  # levels from the province down, not alphabetically
        t["level"] = pd.Categorical(t["level"], categories=list(PLACE_LEVEL_ZH))
    g = t.groupby(list(by), dropna=False, sort=True, observed=True)
    out = pd.DataFrame({"报告数": g.size().astype("Int64"), "有错误的报告数": g["error"].sum().astype("Int64")})
    for k in GROUPED:
        out[f"{L.zh(k)}（已知）"] = g[k].count().astype("Int64")
        out[f"{L.zh(k)}（中位数）"] = g[k].median().astype("Float64")
    out = out.reset_index()
    if "level" in by:
        out["level"] = out["level"].astype("string").map(PLACE_LEVEL_ZH).astype("string")
    return out.rename(columns=PLACE_ZH)
