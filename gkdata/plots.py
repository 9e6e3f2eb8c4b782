"""Charts of the report tables, titled and labelled in Chinese with units, from one report to thousands.

Every chart takes one report (a :class:`~gkdata.Report`, or one of its tables) or many (a
:class:`~gkdata.corpus.Corpus`, or one of its long tables), draws on ``ax`` (or a new figure)
and returns the axes. No legend has an entry per report: up to ``top`` reports are drawn and
named one by one; with more, the ``top`` that matter most (the largest, the anomalies) are named,
each label clear of the others, and the rest are drawn as a distribution (a box: the middle half,
whiskers 5 %–95 %), computed by aggregation, so a chart of 100,000 reports draws in the time of
one of 2,000. Unknown values are never drawn as 0: a report whose breakdown is unknown is marked
as such, and the charts say how many reports they leave out.

Text is in Noto Sans SC from ``pylopdf_fonts_zh_cn`` (never a system font), set on each chart's
own text only: drawing a chart changes no matplotlib setting. For Chinese in your own matplotlib
or seaborn charts use :func:`style`: ``plt.style.use(plots.style())`` for the session, or
``with plt.style.context(plots.style()):`` around one chart.

>>> import gkdata
>>> from gkdata import plots
>>> ax = plots.received_vs_processed(gkdata.read_reports("data/raw"))
>>> ax.get_title()
'收到与办理的申请（两者应相等）'
>>> plots.applicants(gkdata.read_report("data/raw/004_8b07afbb35c54ec3.txt")).get_yticklabels()[0].get_text()
'阿里地区 2020'
"""

from __future__ import annotations

import functools
from functools import cache
from typing import TYPE_CHECKING

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pylopdf_fonts_zh_cn
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.text import Text
from matplotlib.ticker import FuncFormatter

from . import frames, views
from . import labels as L

if TYPE_CHECKING:
    from .corpus import Corpus
    from .report import Report

    Data = Report | Corpus | pd.DataFrame

APPLICANT_COLUMNS = list(L.keys("applicant")[:-1])  # the six applicant columns, without 总计
TOP = 15  # reports drawn one by one; with more, the largest TOP, and the rest as a distribution
LABELS = 8  # anomalies named on a chart at most
DOTS = 3000  # values of one row drawn as dots at most; more are drawn as their density
OFF = "#c0392b"  # what does not add up
ON = "#4c72b0"
REST = "#9a9a9a"  # the reports not named: a distribution
PALETTE = plt.get_cmap("Set2").colors


@cache
def _register_font() -> str:
    path = pylopdf_fonts_zh_cn.sans_path()
    font_manager.fontManager.addfont(str(path))
    return font_manager.FontProperties(fname=path).get_name()


def style() -> dict[str, object]:
    """A matplotlib style that writes Chinese in Noto Sans SC (added to matplotlib once, from
    ``pylopdf_fonts_zh_cn``): for your own charts, ``plt.style.use(plots.style())`` or
    ``with plt.style.context(plots.style()):``; after ``sns.set_theme()``, which resets the fonts,
    or as ``sns.set_theme(rc=plots.style())``.

    The font is named, not a generic family, so text drawn under the style keeps it
    when the figure is shown or saved later.

    >>> style()["font.family"]
    ['Noto Sans SC']
    """
    name = _register_font()
    return {"font.family": [name], "font.sans-serif": [name, *mpl.rcParamsDefault["font.sans-serif"]]}


def _chart(draw):
    """Draw under :func:`style`, then set the font on every text of the chart, so that it does not
    depend on the settings in force when the figure is shown or saved, and none is changed."""

    @functools.wraps(draw)
    def chart(*args, **kwargs) -> Axes:
        with mpl.rc_context(style()):
            ax = draw(*args, **kwargs)
            name = _register_font()
            for text in ax.findobj(mpl.text.Text):  # tick labels drawn later copy the first tick's
                text.set_fontfamily([name])
        return ax

    return chart


def _axes(ax: Axes | None, size: tuple[float, float]) -> Axes:
    if ax is None:
        _, ax = plt.subplots(figsize=size, layout="constrained")
    return ax


def _rows_size(width: float, rows: int) -> tuple[float, float]:
    """A figure size for a chart of ``rows`` horizontal rows."""
    return width, min(10.0, 1.4 + 0.36 * max(rows, 2))


# -- input: one report or a corpus -------------------------------------------------------------------

_IDS = {"report_id": "string", "region": "string", "year": "Int64"}


def _table(data: Data, name: str) -> pd.DataFrame:
    """The long table ``name`` of a report or a corpus, with report_id, region and year (NA when a
    table of one report is given alone)."""
    from .report import Report

    if isinstance(data, Report):
        from .corpus import report_id

        m = data.meta
        t = getattr(data, name)
        return t.assign(report_id=pd.array([report_id(m.sha256)] * len(t), dtype="string"),
                        region=pd.array([m.region] * len(t), dtype="string"),
                        year=pd.array([m.year] * len(t), dtype="Int64"),
                        name=pd.array([_name(m.region, m.year)] * len(t), dtype="string"))
    if isinstance(data, pd.DataFrame):
        t = data
    elif hasattr(data, "tables"):  # a Corpus: each report's place, and a name that tells same-name places apart
        t = getattr(data, name)
        who = views.ids(data).set_index("report_id")
        rid = t["report_id"].astype("string")
        t = t.assign(place=rid.map(who["place"]).astype("string"), name=rid.map(_names(who)).astype("string"))
    else:
        raise TypeError(f"a chart takes a Report, a Corpus or a long table, not {type(data).__name__}")
    missing = [c for c in (*frames.KEYS[name], "value") if c not in t]
    if missing:
        raise ValueError(f"this chart draws table {L.TABLE_ZH[name]} ({name}): the table given has no "
                         f"{', '.join(missing)} column")
    if "report_id" not in t:  # one report's table
        t = t.assign(**{c: pd.array([None] * len(t), dtype=d) for c, d in _IDS.items()})
        t["report_id"] = pd.array(["report"] * len(t), dtype="string")
    return t


def _findings(data: Data) -> pd.DataFrame | None:
    from .report import Report

    if isinstance(data, Report):
        return data.findings
    if isinstance(data, pd.DataFrame):
        return None
    return getattr(data, "findings", None)


def _name(region: object, year: object) -> str:
    """A report's name on a chart: region and year."""
    r = region if isinstance(region, str) else None
    y = None if year is None or pd.isna(year) else int(year)
    return " ".join(str(x) for x in (r, y) if x is not None) or "本报告"


def _names(who: pd.DataFrame) -> pd.Series:
    """Each report's name on a chart (``who``: :func:`gkdata.views.ids` by report_id): region and year, and
    where one region name is the name of several places in the data, the place's prefecture (or province):
    two 白云区 are 白云区（广州市） and 白云区（贵阳市）."""
    shared = who.groupby(who["region"].fillna(""))["place"].transform("nunique") > 1
    where = who["prefecture"].fillna(who["province"]).fillna("地点不明")
    region = who["region"].where(~shared, who["region"] + "（" + where + "）")
    return pd.Series([_name(r, y) for r, y in zip(region, who["year"])], index=who.index, dtype="string")


def _reports(long: pd.DataFrame) -> pd.DataFrame:
    r = long[["report_id", "region", "year", *(["name"] if "name" in long else [])]]
    r = r.drop_duplicates("report_id").reset_index(drop=True)
    return r if "name" in r else r.assign(name=[_name(a, b) for a, b in zip(r["region"], r["year"])])


def _top(reports: pd.DataFrame, size: pd.Series, top: int) -> tuple[pd.DataFrame, pd.Index]:
    """All reports when there are at most ``top``; else the ``top`` largest by ``size`` (NA last).
    Returns the reports shown and the ids of the rest."""
    if len(reports) <= top:
        return reports, pd.Index([], dtype="string")
    s = size.reindex(reports["report_id"]).astype("Float64").to_numpy(dtype=float, na_value=-np.inf)
    order = np.argsort(-s, kind="stable")
    shown = reports.iloc[order[:top]].reset_index(drop=True)
    return shown, pd.Index(reports["report_id"].iloc[order[top:]])


def _count(v: float) -> str:
    return f"{v:,.0f}" if float(v).is_integer() else f"{v:,.2f}"


# -- drawing helpers -----------------------------------------------------------------------------------


def _box(ax: Axes, y: float, values: np.ndarray, height: float = 0.5, color: str = REST) -> dict[str, float]:
    """A horizontal box at ``y``: the middle half of ``values``, the median, whiskers at 5 % and 95 %."""
    p5, q1, med, q3, p95 = np.percentile(values, [5, 25, 50, 75, 95])
    ax.barh(y, q3 - q1, left=q1, height=height, color=color, alpha=0.35, edgecolor=color, zorder=2)
    ax.vlines(med, y - height / 2, y + height / 2, color="black", linewidth=1.5, zorder=3)
    ax.hlines([y, y], [p5, q3], [q1, p95], color=color, linewidth=1.2, zorder=2)
    ax.vlines([p5, p95], y - height / 4, y + height / 4, color=color, linewidth=1.2, zorder=2)
    return {"median": med, "q1": q1, "q3": q3, "p5": p5, "p95": p95}


# Where a label may go around its point (points: distance, angle), nearest first; past the first
# ring a thin line leads from the label to its point.
_OFFSETS = [(r * np.cos(np.radians(a)), r * np.sin(np.radians(a)))
            for r in (6, 18, 32, 50, 75, 105, 140) for a in (30, -30, 150, -150, 90, -90, 0, 180, 60, 120, -60, -120)]


def _place(ax: Axes, points: list[tuple[float, float]], texts: list[str], color: str | list[str] = "black",
           fontsize: str = "small", avoid: np.ndarray | None = None, sizes: np.ndarray | float = 30) -> int:
    """Label points (data coordinates) in order, each at the first offset around it where the label
    lies inside the axes, clear of the labels placed before (with a few pixels to spare) and of the
    dots at ``avoid`` (data coordinates, marker ``sizes`` in points², as ``scatter`` takes them);
    returns how many found no room."""
    fig = ax.figure
    fig.draw_without_rendering()  # the final layout, so positions in pixels are those drawn
    renderer = fig.canvas.get_renderer()
    inside = ax.get_window_extent(renderer)
    pad = 3
    dots = ax.transData.transform(np.asarray(avoid, dtype=float).reshape(-1, 2)) if avoid is not None \
        else np.empty((0, 2))
    radius = np.broadcast_to(np.sqrt(sizes) / 2 * fig.dpi / 72, len(dots))  # a marker's radius in pixels
    placed, left_out = [], 0
    colors = [color] * len(texts) if isinstance(color, str) else color
    for (x, y), text, color in zip(points, texts, colors):
        for dx, dy in _OFFSETS:
            far = dx * dx + dy * dy > 100
            a = ax.annotate(text, (x, y), xytext=(dx, dy), textcoords="offset points", fontsize=fontsize,
                            color=color, ha="left" if dx > 1 else "right" if dx < -1 else "center",
                            va="bottom" if dy > 1 else "top" if dy < -1 else "center", zorder=5,
                            arrowprops=dict(arrowstyle="-", color=color, lw=0.6, shrinkA=0, shrinkB=3)
                            if far else None)
            a.set_in_layout(False)
            a.update_positions(renderer)
            box = Text.get_window_extent(a, renderer).padded(pad)  # the text, without its leader line
            clear = (box.x0 >= inside.x0 and box.x1 <= inside.x1 and box.y0 >= inside.y0 and box.y1 <= inside.y1
                     and not any(box.overlaps(p) for p in placed)
                     and not ((dots[:, 0] + radius > box.x0) & (dots[:, 0] - radius < box.x1)
                              & (dots[:, 1] + radius > box.y0) & (dots[:, 1] - radius < box.y1)).any())
            if clear:
                placed.append(box)
                break
            a.remove()
        else:
            left_out += 1
    return left_out


def _legend_outside(ax: Axes, **kwargs) -> None:
    ax.legend(fontsize="small", loc="upper left", bbox_to_anchor=(1.01, 1), borderaxespad=0, **kwargs)


# -- the charts ------------------------------------------------------------------------------------------


@_chart
def applicants(data: Data, row: str = "new_received", top: int = TOP, ax: Axes | None = None) -> Axes:
    """Stacked bars: one row of table 三 per report, split by applicant type.

    A report whose applicant columns are not all known shows only its 总计, as a
    hatched outline; one whose 总计 is unknown says 不明. With more than ``top``
    reports, the ``top`` with the largest 总计 are drawn, and the 总计 of the rest as a box.
    """
    t = _table(data, "applications")
    reports = _reports(t)
    wide = t[t["row"] == row].pivot(index="report_id", columns="applicant", values="value")
    wide.columns = wide.columns.astype("string")
    wide = wide.reindex(index=reports["report_id"], columns=[*APPLICANT_COLUMNS, "total"])
    shown, rest = _top(reports, wide["total"], top)
    n = len(shown) + bool(len(rest))
    ax = _axes(ax, _rows_size(9, n))
    parts = wide.loc[shown["report_id"], APPLICANT_COLUMNS]
    y = np.arange(len(shown))
    known = parts.notna().all(axis=1).to_numpy()
    left = np.zeros(known.sum())
    for col, colour in zip(APPLICANT_COLUMNS, PALETTE):
        size = parts[col][known].to_numpy(dtype=float)
        ax.barh(y[known], size, left=left, color=colour, label=L.zh(col), height=0.7)
        left += size
    total = wide.loc[shown["report_id"], "total"].astype("Float64")
    unsplit = ~known & total.notna().to_numpy()
    if unsplit.any():
        ax.barh(y[unsplit], total[unsplit].to_numpy(dtype=float), fill=False, hatch="//", edgecolor="grey",
                height=0.7, label="申请人类型不明（只知总计）")
    for i, v in zip(y, total):
        ax.text(0 if pd.isna(v) else v, i, " 不明" if pd.isna(v) else f" {v:,.0f}", va="center", ha="left",
                color="grey" if pd.isna(v) else "black", fontsize="small")
    names = list(shown["name"])
    title = f"{L.zh(row)}：按申请人类型"
    if len(rest):
        others = wide.loc[rest, "total"].dropna().to_numpy(dtype=float)
        unknown = len(rest) - len(others)
        names.append(f"其余 {len(rest):,} 份报告")
        if len(others):
            s = _box(ax, len(shown), others, height=0.5)
            ax.text(s["p95"], len(shown), f"  中位数 {s['median']:,.0f}（中间一半 {s['q1']:,.0f}–{s['q3']:,.0f}）"
                    + (f"，{unknown:,} 份不明" if unknown else ""), va="center", fontsize="small", color="dimgrey")
        title += f"（总计最大的 {len(shown)} 份，共 {len(reports):,} 份）"
    ax.set_yticks(np.arange(n), names)
    ax.set_ylim(n - 0.5, -0.6)  # first on top
    hi = np.nanmax(np.r_[wide.loc[shown["report_id"], "total"].to_numpy(dtype=float, na_value=np.nan), 1.0])
    ax.set_xlim(0, hi * 1.25)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    ax.set_title(title)
    ax.set_xlabel("申请数量（件）")
    handles, _ = ax.get_legend_handles_labels()
    if len(rest):
        handles += [Patch(facecolor=REST, alpha=0.35, edgecolor=REST, label="其余报告的总计：中间一半"),
                    Line2D([], [], color=REST, label="其余报告：5%–95%")]
    _legend_outside(ax, title="申请人", handles=handles)
    return ax


@_chart
def outcomes(data: Data, top: int = TOP, ax: Axes | None = None) -> Axes:
    """100 % bars: each report's results by group (予以公开 … 其他处理), as shares of their sum.

    With more than ``top`` reports, the ``top`` with the most results are drawn, and the
    rest pooled into one bar (their results added up).
    """
    t = _table(data, "applications")
    shares = views.outcome_shares(t)
    reports = _reports(t)
    counts = shares.pivot(index="report_id", columns="group", values="value")
    counts = counts.reindex(index=reports["report_id"], columns=list(views.OUTCOME_GROUPS))
    whole = counts.sum(axis=1, skipna=False)
    shown, rest = _top(reports, whole, top)
    rows = counts.loc[shown["report_id"]]
    names = list(shown["name"])
    title = "办理结果构成"
    if len(rest):
        pool = counts.loc[rest]
        known = pool.notna().all(axis=1)
        rows = pd.concat([rows, pool[known].sum().to_frame("rest").T])
        names.append(f"其余 {len(rest):,} 份报告（合计）" + (f"\n另有 {(~known).sum():,} 份构成不明" if (~known).any() else ""))
        title += f"（办理结果最多的 {len(shown)} 份，共 {len(reports):,} 份）"
    ax = _axes(ax, _rows_size(9.5, len(rows)))
    y = np.arange(len(rows))
    total = rows.sum(axis=1, skipna=False).astype("Float64")
    known = (rows.notna().all(axis=1) & (total > 0).fillna(False)).to_numpy(dtype=bool)
    pct = 100 * rows[known].astype(float).div(total[known].astype(float), axis=0)
    left = np.zeros(known.sum())
    for group, colour in zip(views.OUTCOME_GROUPS, PALETTE):
        size = pct[group].to_numpy()
        ax.barh(y[known], size, left=left, color=colour, label=L.zh(group), height=0.7)
        for yi, li, si in zip(y[known], left, size):
            if si >= 8:
                ax.text(li + si / 2, yi, f"{si:.0f}%", ha="center", va="center", fontsize="x-small")
        left += size
    for i in y[~known]:
        r = rows.iloc[i]
        none = bool(r.notna().all() and (r == 0).all())
        ax.text(1, i, "本年无办理结果" if none else "构成不明（有数字不明）", va="center", color="grey")
    ax.set_yticks(y, names)
    ax.set_ylim(len(rows) - 0.5, -0.5)  # first on top
    ax.set_xlim(0, 100)
    ax.set_title(title)
    ax.set_xlabel("占各项办理结果之和的比例（%）")
    _legend_outside(ax, title="办理结果")
    return ax


def _measure(disclosure: pd.DataFrame, measure: str) -> tuple[pd.DataFrame, list[str], str]:
    """The rows of one measure of table 二, the items it has in printed order, and the unit(s)."""
    t = disclosure[disclosure["measure"] == measure]
    present = set(t["item"].astype("string"))
    order = [i for i in disclosure["item"].cat.categories if i in present]
    return t, order, "、".join(t["unit"].dropna().astype("string").unique())


def _wrap(text: str, width: int = 6) -> str:
    return "\n".join(text[i:i + width] for i in range(0, len(text), width))


@_chart
def disclosure(data: Data, measure: str = "decisions", top: int = TOP, ax: Axes | None = None) -> Axes:
    """A table of colours: one measure of table 二, a row per report, a column per item, each cell
    with its value; the colour is the value's size within its column (log scale).

    An unknown value says 不明, an item the report's template does not have is blank (—).
    With more than ``top`` reports, the ``top`` with the largest sum over the items are drawn,
    and a last row gives the median of the rest.
    """
    t = _table(data, "disclosure")
    t, items, units = _measure(t, measure)
    if not items:
        raise ValueError(f"no report has the measure {measure!r} in table 二")
    reports = _reports(t)
    values = t.pivot(index="report_id", columns="item", values="value").astype("Float64")
    values.columns = values.columns.astype("string")
    values = values.reindex(index=reports["report_id"], columns=items)
    has = t.assign(one=1).pivot_table(index="report_id", columns="item", values="one", aggfunc="size",
                                      observed=True)
    has.columns = has.columns.astype("string")
    has = has.reindex(index=reports["report_id"], columns=items).notna()
    shown, rest = _top(reports, values.sum(axis=1, skipna=True), top)
    grid = values.loc[shown["report_id"]].to_numpy(dtype=float, na_value=np.nan)
    in_template = has.loc[shown["report_id"]].to_numpy()
    names = list(shown["name"])
    title = f"主动公开：{views.label(measure)}（{units}）"
    if len(rest):
        median = values.loc[rest].astype(float).median(axis=0, skipna=True).to_numpy()
        grid = np.vstack([grid, median])
        in_template = np.vstack([in_template, has.loc[rest].any(axis=0).to_numpy()])
        names.append(f"其余 {len(rest):,} 份报告：中位数")
        title += f"\n合计最大的 {len(shown)} 份，共 {len(reports):,} 份"
    ax = _axes(ax, (min(11.0, 3.0 + 1.1 * len(items)), min(10.0, 1.6 + 0.42 * len(grid))))
    top_of_column = np.nanmax(np.where(np.isnan(grid), -np.inf, grid), axis=0)
    scale = np.log1p(np.maximum(top_of_column, 0))
    with np.errstate(invalid="ignore", divide="ignore"):
        shade = np.where(scale > 0, np.log1p(np.maximum(grid, 0)) / scale, 0.0)
    shade = np.where(np.isnan(grid), np.nan, shade)
    cmap = mpl.colormaps["Blues"].with_extremes(bad="white")  # not in the report's template
    ax.imshow(np.ma.masked_invalid(0.08 + 0.8 * shade), aspect="auto", cmap=cmap, vmin=0, vmax=1,
              interpolation="nearest")
    for i, j in zip(*np.nonzero(np.isnan(grid) & in_template)):  # unknown: grey
        ax.add_patch(mpl.patches.Rectangle((j - 0.5, i - 0.5), 1, 1, color="#e4e4e4", linewidth=0))
    money = views.label(measure) in ("采购总金额", "本年收费金额") or "万元" in units
    for i in range(grid.shape[0]):
        for j in range(grid.shape[1]):
            v = grid[i, j]
            if not in_template[i, j]:
                text, colour = "—", "#bbbbbb"
            elif np.isnan(v):
                text, colour = "不明", "grey"
            else:
                text = f"{v:,.2f}" if money and not float(v).is_integer() else f"{v:,.0f}"
                colour = "white" if shade[i, j] > 0.6 else "black"
            ax.text(j, i, text, ha="center", va="center", fontsize="small", color=colour)
    if len(rest):
        ax.axhline(len(shown) - 0.5, color="white", linewidth=3)
    ax.set_xticks(np.arange(len(items)), [_wrap(views.label(i)) for i in items])
    ax.set_yticks(np.arange(len(names)), names)
    ax.tick_params(length=0)
    ax.xaxis.tick_top()
    for side in ax.spines.values():
        side.set_visible(False)
    ax.set_title(title)
    ax.set_xlabel("颜色：同一列中的相对大小（对数）；不明：数字未知；—：该报告的模板没有此项", fontsize="small")
    return ax


@_chart
def outliers(data: Data, measure: str = "decisions", top: int = 1, ax: Axes | None = None) -> Axes:
    """Each item of table 二 on a log scale: the spread of one measure over all reports (dots, or
    their density past a few thousand, and a box: the middle half, whiskers 5 %–95 %).

    The ``top`` largest values of each item are named, so an outlier such as 会宁县's 131,483
    其他对外管理服务事项 decisions reads at a glance; values the ``outlier`` check flagged (when a
    report or corpus is given, with its findings) are red, and the most extreme named too. Zeros stay
    on the axis (symmetric log, linear below 1).
    """
    t = _table(data, "disclosure")
    t, items, units = _measure(t, measure)
    t = t[t["value"].notna()]
    t = t.assign(value=t["value"].astype(float), item=t["item"].astype("string"))
    if t.empty:
        raise ValueError(f"no known value of the measure {measure!r} in table 二")
    items = [i for i in items if i in set(t["item"])]
    ax = _axes(ax, _rows_size(10, len(items) + 1))
    ax.set_xscale("symlog", linthresh=1, linscale=0.5)
    found = _findings(data)
    flagged = pd.DataFrame(columns=["report_id", "row", "z"])
    if found is not None and len(found):
        f = found[(found["check"] == "outlier") & (found["table"] == "disclosure") & (found["column"] == measure)]
        if len(f):
            rid = f["report_id"] if "report_id" in f else pd.Series(t["report_id"].iloc[0], index=f.index)
            ratio = np.abs(np.log((f["actual"].astype(float) + 1) / (f["expected"].astype(float) + 1)))
            flagged = pd.DataFrame({"report_id": rid.astype("string").to_numpy(),
                                    "row": f["row"].astype("string").to_numpy(), "z": ratio.to_numpy()})
    rng = np.random.default_rng(0)  # the same jitter every time
    reports = _reports(t).set_index("report_id")["name"]
    label_at, label_text, red_at, red_text = [], [], [], []
    many = boxes = False
    for i, item in enumerate(items):
        rows = t[t["item"] == item]
        v = rows["value"].to_numpy()
        if len(v) <= DOTS:
            ax.scatter(v, i + rng.uniform(-0.22, 0.22, len(v)), s=14 if len(v) < 50 else 6, color=REST,
                       alpha=0.8 if len(v) < 50 else 0.35, linewidths=0, zorder=1)
        else:  # a density, by aggregation: a violin of counts over log bins
            many = True
            positive = v[v > 0]
            edges = np.geomspace(min(1.0, positive.min(initial=1.0)), max(v.max(), 1) * 1.01, 60)
            counts, _ = np.histogram(positive, edges)
            zeros = int((v == 0).sum())
            peak = max(counts.max(initial=0), zeros, 1)
            half = 0.4 * counts / peak
            ax.fill_between(np.sqrt(edges[:-1] * edges[1:]), i - half, i + half, step="mid", color=REST, alpha=0.45,
                            linewidth=0, zorder=1)
            if zeros:  # the zeros, at 0
                ax.fill_between([-0.12, 0.12], i - 0.4 * zeros / peak, i + 0.4 * zeros / peak, color=REST, alpha=0.45,
                                linewidth=0, zorder=1)
        if len(v) >= 5:
            _box(ax, i, v, height=0.36, color=ON)
            boxes = True
        hi = rows.nlargest(top, "value")
        for _, r in hi[hi["value"] > 0].iterrows():
            ax.scatter([r["value"]], [i], s=30, color=ON, zorder=4)
            label_at.append((r["value"], i))
            label_text.append(f"{reports[r['report_id']]}：{r['value']:,.0f}")
        odd = flagged[flagged["row"] == item]
        if len(odd):
            hits = rows.merge(odd, on="report_id").sort_values("z", ascending=False)
            ax.scatter(hits["value"], np.full(len(hits), i), s=24, color=OFF, zorder=3)
            for _, r in hits.head(2).iterrows():
                if (r["value"], i) not in label_at:
                    red_at.append((r["value"], i))
                    red_text.append(f"{reports[r['report_id']]}：{r['value']:,.0f}")
    ax.set_yticks(np.arange(len(items)), [views.label(i) for i in items])
    ax.set_ylim(len(items) - 0.4, -0.6)
    ax.set_xlim(-0.3, max(10.0, t["value"].max()) * 6)  # a dot at 0 whole; room for the largest value's label
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    n = t["report_id"].nunique()
    ax.set_title(f"主动公开：{views.label(measure)}（对数刻度，{n:,} 份报告）")
    ax.set_xlabel(f"{views.label(measure)}（{units}，对数刻度）")
    ax.set_ylabel(views.COLUMN_ZH["item"])
    handles = [Line2D([], [], marker="o", linestyle="", color=REST, label="密度（每份报告一个数）" if many
                      else "每点一份报告")]
    if boxes:
        handles.append(Patch(facecolor=ON, alpha=0.35, edgecolor=ON, label="中间一半；线：5%–95%"))
    handles += [Line2D([], [], marker="o", linestyle="", color=ON, label=f"每项最大的 {top} 个" if top > 1 else "每项最大值")]
    if len(flagged):
        handles.append(Line2D([], [], marker="o", linestyle="", color=OFF, label=f"异常值（{len(flagged):,} 个）"))
    _legend_outside(ax, handles=handles)
    texts = label_text + red_text
    once = [k for k, text in enumerate(texts) if text not in texts[:k]]  # (one label for one name and value)
    _place(ax, [(label_at + red_at)[k] for k in once], [texts[k] for k in once],
           [(["black"] * len(label_at) + [OFF] * len(red_at))[k] for k in once])
    return ax


@_chart
def over_years(data: Data, region: str | None = None, ax: Axes | None = None, place: str | None = None) -> Axes:
    """Lines: a region's main totals of table 三 (总计 column) year by year.

    Without ``region``: the one region of the data, or, for many regions, the median report of each
    year with the middle half shaded (and how many reports each year has). A region name that several places
    of a corpus bear (城关区) is one of them only with its ``place`` (the ``place`` column of
    :func:`gkdata.views.ids`); else ValueError names them: their years are never drawn as one line.
    """
    t = views.totals(_table(data, "applications"))
    if region is None and t["region"].dropna().nunique() <= 1 and t["year"].dropna().nunique() <= 1:
        region = t["region"].dropna().iloc[0] if t["region"].notna().any() else None
        one = True  # one report, or one region's reports of one year (or of no known year)
    else:
        one = region is not None
        t = t.dropna(subset=["year"])
        if region is not None:
            t = t[t["region"] == region]
            places = t["place"].dropna().unique().tolist() if "place" in t else []
            if place is not None:
                t = t[t["place"] == place]
            elif len(places) > 1:
                raise ValueError(f"{region} is the name of {len(places)} places in this corpus ("
                                 + ", ".join(sorted(places)) + "): say which with place=")
    if t.empty:
        raise ValueError(f"no report of {region!r} with a known year" if region else "no report with a known year")
    ax = _axes(ax, (8.5, 4.5))
    year = t["year"].astype("Float64").fillna(-1).astype(int)
    years = np.sort(year.unique())
    x = np.arange(len(years))
    for row, colour in zip(views.MAIN_ROWS["applications"], PALETTE):
        by_year = t[row].astype("Float64").groupby(year)
        if one:
            line = by_year.first().reindex(years).to_numpy(dtype=float, na_value=np.nan)
        else:
            q = {p: by_year.quantile(p).reindex(years).to_numpy(dtype=float, na_value=np.nan)
                 for p in (0.25, 0.5, 0.75)}
            ax.fill_between(x, q[0.25], q[0.75], color=colour, alpha=0.2, linewidth=0)
            line = q[0.5]
        ax.plot(x, line, marker="o", color=colour, label=L.zh(row))
    names = ["年度不明" if y < 0 else str(y) for y in years]
    if one:
        ax.set_xticks(x, names)
        shown = t["name"].iloc[0].rsplit(" ", 1)[0] if place is not None and "name" in t else region  # 铁东区（四平市）
        ax.set_title(f"{shown or '本报告'}：历年申请与办理")
    else:
        n = year.value_counts().reindex(years)
        ax.set_xticks(x, [f"{y}\n{k:,} 份" for y, k in zip(names, n)])
        ax.set_title(f"历年申请与办理：每年报告的中位数（阴影：中间一半，共 {len(t):,} 份）")
    ax.set_xlabel("年度")
    ax.set_ylabel("申请数量（件）")
    ax.set_xlim(-0.5 if len(x) > 1 else -1, len(x) - 0.5 if len(x) > 1 else 1)
    _legend_outside(ax)
    return ax


@_chart
def received_vs_processed(data: Data, top: int = LABELS, ax: Axes | None = None) -> Axes:
    """Scatter: applications received (本年新收 + 上年结转) against processed (办理结果总计 + 结转下年度).

    Every report should lie on the identity line; one that does not is red, and the ``top``
    with the largest gap are named (阿里地区 2020: 18 received, 671 processed). Reports at the
    same point are one dot, larger the more they are. Reports with an unknown part are left out,
    and the chart says how many. Symmetric log scales (linear below 1).
    """
    every = views.totals(_table(data, "applications"))
    t = every.assign(received=every["new_received"] + every["carried_over"],
                     processed=every["results_total"] + every["carried_forward"])
    t = t.dropna(subset=["received", "processed"])
    t = t.assign(received=t["received"].astype(float), processed=t["processed"].astype(float),
                 off=(t["received"] != t["processed"]).astype(bool))
    ax = _axes(ax, (7.5, 6.5))
    hi = max(1.0, t["received"].max() if len(t) else 0, t["processed"].max() if len(t) else 0) * 3
    ax.set_xscale("symlog", linthresh=1, linscale=0.5)
    ax.set_yscale("symlog", linthresh=1, linscale=0.5)
    ax.plot([0, hi], [0, hi], color="grey", linestyle="--", linewidth=1, zorder=1)
    points = t.groupby(["received", "processed", "off"], observed=True).size().rename("n").reset_index()
    sizes = 24 + 16 * np.sqrt(points["n"].to_numpy() - 1)
    for off, colour in ((False, ON), (True, OFF)):
        p = (points["off"] == off).to_numpy()
        ax.scatter(points["received"][p], points["processed"][p], s=sizes[p], color=colour,
                   alpha=0.75, linewidths=0, zorder=3 if off else 2)
    ax.set_xlim(-0.3, hi)  # a dot at 0 is drawn whole
    ax.set_ylim(-0.3, hi)
    ax.set_aspect("equal")
    count = FuncFormatter(lambda v, _: f"{v:,.0f}")
    ax.xaxis.set_major_formatter(count)
    ax.yaxis.set_major_formatter(count)
    ax.set_title("收到与办理的申请（两者应相等）")
    ax.set_xlabel("收到：本年新收 + 上年结转（件）")
    ax.set_ylabel("办理：办理结果总计 + 结转下年度（件）")
    off = t[t["off"]].assign(gap=lambda d: (d["processed"] - d["received"]).abs())
    off = off.sort_values(["gap", "processed"], ascending=False)
    named = off.head(top)
    left_out = len(every) - len(t)
    equal = len(t) - len(off)
    handles = [Line2D([], [], color="grey", linestyle="--", label="收到 = 办理"),
               Line2D([], [], marker="o", linestyle="", color=ON, label=f"相等（{equal:,} 份）"),
               Line2D([], [], marker="o", linestyle="", color=OFF, label=f"不相等（{len(off):,} 份"
                      + (f"，标出差距最大的 {len(named)} 份）" if len(off) > len(named) else "）"))]
    title = f"{len(t):,} 份报告" + (f"，{left_out:,} 份数字不明未画出" if left_out else "")
    if len(points) and points["n"].max() > 1:
        title += "\n点越大，同一位置的报告越多"
    legend = ax.legend(handles=handles, title=title, loc="lower right", fontsize="small")
    names = named["name"].tolist() if "name" in named else [_name(r, y) for r, y in zip(named["region"],
                                                                                         named["year"])]
    left_out = _place(ax, list(zip(named["received"], named["processed"])),
           [f"{n}：收到 {x:,.0f}，办理 {y:,.0f}" for n, x, y in zip(names, named["received"], named["processed"])],
           color=OFF, avoid=points[["received", "processed"]].to_numpy(), sizes=sizes)
    if left_out:  # no room for every label: the legend says how many are named
        legend.get_texts()[2].set_text(f"不相等（{len(off):,} 份，标出差距最大的 {len(named) - left_out} 份）")
    return ax
