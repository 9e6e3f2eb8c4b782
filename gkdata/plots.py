"""Small charts of corpus tables, titled and labelled in Chinese with units.

Each function takes a long corpus table (``corpus.applications`` or
``corpus.disclosure``), draws on ``ax`` (or a new figure) and returns the
axes. Unknown values are not drawn as 0: a report whose breakdown is unknown
is marked as such. Text uses Noto Sans SC from ``pylopdf_fonts_zh_cn``,
registered once, so the charts never depend on the system's fonts.

>>> import gkdata
>>> from gkdata import plots
>>> ax = plots.received_vs_processed(gkdata.read_reports("data/raw").applications)
>>> ax.get_title()
'收到与办理的申请（两者应相等）'
"""

from __future__ import annotations

from functools import cache

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pylopdf_fonts_zh_cn
import seaborn as sns
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.ticker import StrMethodFormatter

from . import views
from . import labels as L

APPLICANT_COLUMNS = list(L.keys("applicant")[:-1])  # the six applicant columns, without 总计
OFF = "#c0392b"  # what does not add up
ON = "#4c72b0"


@cache
def _register_font() -> str:
    path = pylopdf_fonts_zh_cn.sans_path()
    font_manager.fontManager.addfont(str(path))
    return font_manager.FontProperties(fname=path).get_name()


def use_chinese_font() -> str:
    """Make Noto Sans SC the sans-serif font (added to matplotlib once) and return its name.

    Every chart calls it, so a later ``sns.set_theme()`` cannot bring the boxes back.

    >>> use_chinese_font()
    'Noto Sans SC'
    """
    name = _register_font()
    mpl.rcParams["font.family"] = "sans-serif"
    mpl.rcParams["font.sans-serif"] = [name, *(f for f in mpl.rcParams["font.sans-serif"] if f != name)]
    return name


def _axes(ax: Axes | None, size: tuple[float, float]) -> Axes:
    use_chinese_font()
    if ax is None:
        _, ax = plt.subplots(figsize=size, layout="constrained")
    return ax


def _names(t: pd.DataFrame) -> list[str]:
    """A report's name on a chart: region and year on two lines."""
    return [f"{r if pd.notna(r) else '?'}\n{y if pd.notna(y) else '?'}" for r, y in zip(t["region"], t["year"])]


def _reports(long: pd.DataFrame) -> pd.DataFrame:
    return long[["report_id", "region", "year"]].drop_duplicates("report_id").reset_index(drop=True)


def _stack(ax: Axes, pos: np.ndarray, parts: pd.DataFrame, horizontal: bool = False) -> np.ndarray:
    """Stack the columns of ``parts`` (keys, in order) at ``pos`` for the reports whose every part
    is known; return which reports those are (the others get a note, never a guessed bar)."""
    known = parts.notna().all(axis=1).to_numpy()
    base = np.zeros(known.sum())
    draw, along = (ax.barh, "left") if horizontal else (ax.bar, "bottom")
    for col, colour in zip(parts.columns, sns.color_palette("Set2", parts.shape[1])):
        size = parts[col][known].to_numpy(dtype=float)
        draw(pos[known], size, color=colour, label=L.zh(col), **{along: base})
        base += size
    return known


def applicants(applications: pd.DataFrame, row: str = "new_received", ax: Axes | None = None) -> Axes:
    """Stacked bars: one row of table 三 per report, split by applicant type.

    A report whose applicant columns are not all known shows only its 总计,
    as a hatched outline.
    """
    ax = _axes(ax, (9, 4.5))
    reports = _reports(applications)
    t = applications[applications["row"] == row]
    wide = t.pivot(index="report_id", columns="applicant", values="value").reindex(reports["report_id"])
    wide.columns = wide.columns.astype("string")
    x = np.arange(len(reports))
    known = _stack(ax, x, wide[APPLICANT_COLUMNS])
    total = wide["total"].astype("Float64")
    unsplit = ~known & total.notna().to_numpy()
    if unsplit.any():
        ax.bar(x[unsplit], total[unsplit].to_numpy(dtype=float), fill=False, hatch="//", edgecolor="grey",
               label="申请人类型不明（只知总计）")
    for i, v in zip(x, total):
        ax.text(i, 0 if pd.isna(v) else v, "不明" if pd.isna(v) else f"{v:,.0f}", ha="center", va="bottom",
                color="grey" if pd.isna(v) else "black")
    ax.set_xticks(x, _names(reports))
    ax.set_title(f"{L.zh(row)}：按申请人类型")
    ax.set_ylabel("申请数量（件）")
    ax.legend(title="申请人", fontsize="small", loc="upper left", bbox_to_anchor=(1, 1))
    return ax


def outcomes(applications: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """100 % bars: each report's results by group (予以公开 … 其他处理), as shares of their sum."""
    ax = _axes(ax, (9, 4.5))
    shares = views.outcome_shares(applications)
    reports = _reports(applications)
    y = np.arange(len(reports))
    wide = shares.pivot(index="report_id", columns="group", values="share").reindex(reports["report_id"])
    counts = shares.pivot(index="report_id", columns="group", values="value").reindex(reports["report_id"])
    known = _stack(ax, y, 100 * wide[list(views.OUTCOME_GROUPS)], horizontal=True)
    for i in y[~known]:
        none = bool(counts.iloc[i].notna().all() and (counts.iloc[i] == 0).all())
        ax.text(1, i, "本年无办理结果" if none else "构成不明（有数字不明）", va="center", color="grey")
    ax.set_yticks(y, _names(reports))
    ax.set_ylim(len(reports) - 0.5, -0.5)  # first report on top
    ax.set_xlim(0, 100)
    ax.set_title("办理结果构成")
    ax.set_xlabel("占各项办理结果之和的比例（%）")
    ax.legend(title="办理结果", fontsize="small", loc="upper left", bbox_to_anchor=(1, 1))
    return ax


def _measure(disclosure: pd.DataFrame, measure: str) -> tuple[pd.DataFrame, list[str], str]:
    """The known values of one measure of table 二 with Chinese item and report names, the items
    in printed order, and the unit(s)."""
    t = disclosure[(disclosure["measure"] == measure) & disclosure["value"].notna()]
    t = t.assign(item_zh=t["item"].astype("string").map(views.label), report=_names(t),
                 value=t["value"].astype(float))
    order = [views.label(i) for i in t["item"].cat.categories if i in set(t["item"])]
    return t, order, "、".join(t["unit"].dropna().astype("string").unique())


def disclosure(disclosure: pd.DataFrame, measure: str = "decisions", ax: Axes | None = None) -> Axes:
    """Grouped bars: one measure of table 二 for each item, the reports side by side."""
    ax = _axes(ax, (10, 4.5))
    t, order, units = _measure(disclosure, measure)
    sns.barplot(t, x="item_zh", y="value", hue="report", order=order, ax=ax, palette="Set2")
    ax.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
    ax.set_title(f"主动公开：{views.label(measure)}")
    ax.set_xlabel(views.COLUMN_ZH["item"])
    ax.set_ylabel(f"{views.label(measure)}（{units}）")
    ax.legend(title="报告", fontsize="small", loc="upper left", bbox_to_anchor=(1, 1))
    return ax


def outliers(disclosure: pd.DataFrame, measure: str = "decisions", ax: Axes | None = None) -> Axes:
    """Dots on a log scale: one measure of table 二, every report, one line per item.

    The largest value of each item is labelled, so an outlier such as 会宁县's
    131,483 其他对外管理服务事项 decisions reads at a glance. Zeros stay on the
    axis (symmetric log, linear below 1).
    """
    ax = _axes(ax, (10, 4.5))
    t, order, units = _measure(disclosure, measure)
    sns.stripplot(t, x="value", y="item_zh", hue="report", order=order, ax=ax, palette="Set2", size=8,
                  jitter=0.15)
    ax.set_xscale("symlog", linthresh=1)
    top = t.loc[t.groupby("item_zh")["value"].idxmax()]
    for _, r in top[top["value"] > 0].iterrows():
        ax.annotate(f"{r['region']} {r['value']:,.0f}", (r["value"], order.index(r["item_zh"])),
                    xytext=(6, -12), textcoords="offset points", fontsize="small")
    ax.set_xlim(0, max(10.0, t["value"].max()) * 4)  # room for the largest value's label
    ax.set_title(f"主动公开：{views.label(measure)}（对数刻度）")
    ax.set_xlabel(f"{views.label(measure)}（{units}，对数刻度）")
    ax.set_ylabel(views.COLUMN_ZH["item"])
    ax.legend(title="报告", fontsize="small", loc="upper left", bbox_to_anchor=(1, 1))
    return ax


def over_years(applications: pd.DataFrame, region: str, ax: Axes | None = None) -> Axes:
    """Lines: a region's main totals of table 三 (总计 column) year by year."""
    ax = _axes(ax, (8, 4.5))
    t = views.totals(applications)
    t = t[t["region"] == region].dropna(subset=["year"]).sort_values("year")
    if t.empty:
        raise ValueError(f"no report of {region!r} with a known year")
    for row, colour in zip(views.MAIN_ROWS["applications"], sns.color_palette("Set2")):
        ax.plot(t["year"].astype(int), t[row].astype(float), marker="o", color=colour, label=L.zh(row))
    years = t["year"].astype(int).unique()
    ax.set_xticks(years, [str(y) for y in years])
    ax.set_title(f"{region}：历年申请与办理")
    ax.set_xlabel("年度")
    ax.set_ylabel("申请数量（件）")
    ax.legend(fontsize="small", loc="upper left", bbox_to_anchor=(1, 1))
    return ax


def received_vs_processed(applications: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Scatter: applications received (本年新收 + 上年结转) against processed (办理结果总计 + 结转下年度).

    Every report should lie on the identity line; one that does not is red
    and named (阿里地区 2020: 18 received, 671 processed). Reports with an
    unknown part are left out, and the chart says how many.
    """
    ax = _axes(ax, (6.5, 6))
    every = views.totals(applications)
    t = every.assign(received=every["new_received"] + every["carried_over"],
                     processed=every["results_total"] + every["carried_forward"])
    t = t.dropna(subset=["received", "processed"])
    off = (t["received"] != t["processed"]).to_numpy(dtype=bool)
    x, y = t["received"].to_numpy(dtype=float), t["processed"].to_numpy(dtype=float)
    top = max(1.0, x.max(initial=0), y.max(initial=0)) * 1.08
    ax.plot([0, top], [0, top], color="grey", linestyle="--", linewidth=1, label="收到 = 办理")
    ax.scatter(x[~off], y[~off], color=ON, s=40, label="相等")
    ax.scatter(x[off], y[off], color=OFF, s=60, label="不相等")
    for name, xi, yi in zip(np.array(_names(t), dtype=object)[off], x[off], y[off]):
        ax.annotate(f"{name.replace(chr(10), ' ')}：收到 {xi:,.0f}，办理 {yi:,.0f}", (xi, yi), xytext=(8, -4),
                    textcoords="offset points", color=OFF)
    ax.set_xlim(0, top)
    ax.set_ylim(0, top)
    ax.set_aspect("equal")
    ax.set_title("收到与办理的申请（两者应相等）")
    ax.set_xlabel("收到：本年新收 + 上年结转（件）")
    ax.set_ylabel("办理：办理结果总计 + 结转下年度（件）")
    left_out = len(every) - len(t)
    ax.legend(title=f"{len(t)} 份报告" + (f"，{left_out} 份数字不明未画出" if left_out else ""), loc="lower right")
    return ax
