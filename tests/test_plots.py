"""Every chart renders to PNG without a missing-glyph warning, its Chinese text in Noto Sans SC, from one
report to a few hundred generated ones: no legend entry per report, labels clear of each other."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import matplotlib as mpl
import matplotlib.pyplot as plt
import pylopdf_fonts_zh_cn
import pytest
import seaborn as sns
from matplotlib import font_manager

import gkdata
from gkdata import plots, synth, views

from conftest import RAW, SEEDS

CJK = re.compile(r"[\u4e00-\u9fff]")
NOTO = Path(pylopdf_fonts_zh_cn.sans_path()).name

CHARTS = {
    "applicants": lambda c: plots.applicants(c),
    "outcomes": lambda c: plots.outcomes(c),
    "disclosure": lambda c: plots.disclosure(c),
    "outliers": lambda c: plots.outliers(c),
    "over_years": lambda c: plots.over_years(c),
    "received_vs_processed": lambda c: plots.received_vs_processed(c),
}


@pytest.fixture(scope="module")
def corpus():
    return gkdata.read_reports(RAW)


@pytest.fixture(scope="module")
def many(tmp_path_factory):
    """200 generated reports (publishers with 1–5 years, both templates, some with anomalies)."""
    folder = tmp_path_factory.mktemp("synth")
    synth.write_corpus(folder, 200, seed=4)
    return gkdata.read_reports(folder)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def chinese_texts(fig) -> list:
    return [t for t in fig.findobj(mpl.text.Text) if t.get_visible() and CJK.search(t.get_text())]


def render(ax, path: Path) -> list:
    ax.figure.savefig(path)  # drawing is when a missing glyph warns (an error here, see filterwarnings)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    return chinese_texts(ax.figure)


def assert_noto(texts) -> None:
    for t in texts:
        found = font_manager.findfont(t.get_fontproperties(), fallback_to_default=False)
        assert Path(found).name == NOTO, (t.get_text(), found)


def labels_overlap(ax) -> list[tuple[str, str]]:
    """Pairs of annotations (the labels a chart places) whose text boxes intersect."""
    fig = ax.figure
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    boxes = [(a.get_text(), mpl.text.Text.get_window_extent(a, renderer)) for a in ax.texts
             if isinstance(a, mpl.text.Annotation)]
    return [(a, b) for i, (a, p) in enumerate(boxes) for b, q in boxes[i + 1:] if p.overlaps(q)]


@pytest.mark.filterwarnings("error::UserWarning")
@pytest.mark.parametrize("name", CHARTS)
def test_chart_renders_in_noto_sans_sc(corpus, tmp_path, name):
    ax = CHARTS[name](corpus) if name != "over_years" else plots.over_years(corpus, "会宁县")
    texts = render(ax, tmp_path / f"{name}.png")
    assert CJK.search(ax.get_title())
    assert CJK.search(ax.get_xlabel() + ax.get_ylabel())
    assert len(texts) >= 3
    assert_noto(texts)


@pytest.mark.filterwarnings("error::UserWarning")
@pytest.mark.parametrize("name", CHARTS)
def test_chart_of_one_report(tmp_path, name):
    """A Report, or one of its tables alone (no report_id, region or year), draws like a corpus of one."""
    r = gkdata.read_report(SEEDS["004"])
    table = r.disclosure if name in ("disclosure", "outliers") else r.applications
    for data in (r, table):
        ax = CHARTS[name](data)
        assert_noto(render(ax, tmp_path / f"{name}.png"))
    if name == "applicants":
        assert [t.get_text() for t in plots.applicants(r).get_yticklabels()] == ["阿里地区 2020"]
        assert [t.get_text() for t in plots.applicants(r.applications).get_yticklabels()] == ["本报告"]


@pytest.mark.filterwarnings("error::UserWarning")
@pytest.mark.parametrize("name", CHARTS)
def test_chart_of_many_reports(many, tmp_path, name):
    """200 reports: no legend entry per report, at most TOP + 1 named rows, labels clear of each other."""
    ax = CHARTS[name](many)
    assert_noto(render(ax, tmp_path / f"{name}.png"))
    legend = ax.get_legend()
    assert legend is None or len(legend.get_texts()) <= 10
    assert len(ax.get_yticklabels()) <= plots.TOP + 1 or name in ("over_years", "received_vs_processed")
    assert labels_overlap(ax) == []


def test_many_reports_show_the_largest_and_the_rest(many):
    totals = views.totals(many.applications).dropna(subset=["new_received"])
    ax = plots.applicants(many)
    names = [t.get_text() for t in ax.get_yticklabels()]
    assert len(names) == plots.TOP + 1
    assert names[-1] == f"其余 {len(many.reports) - 1 - plots.TOP:,} 份报告"  # (manifest.jsonl is unsupported)
    top = totals.loc[totals["new_received"].idxmax()]
    assert names[0] == f"{top['region']} {top['year']}"
    assert ax.get_title() == f"本年新收申请数量：按申请人类型（总计最大的 {plots.TOP} 份，共 200 份）"
    rest = plots.outcomes(many).get_yticklabels()[-1].get_text()
    assert rest.startswith(f"其余 {200 - plots.TOP} 份报告（合计）")
    assert plots.disclosure(many).get_yticklabels()[-1].get_text() == f"其余 {200 - plots.TOP} 份报告：中位数"


def test_received_vs_processed_names_the_largest_gaps(many):
    ax = plots.received_vs_processed(many)
    t = views.totals(many.applications)
    received = (t["new_received"] + t["carried_over"]).astype("Float64")
    processed = (t["results_total"] + t["carried_forward"]).astype("Float64")
    off = t[(received != processed).fillna(False)]
    named = [a.get_text() for a in ax.texts]
    assert 0 < len(named) <= min(plots.LABELS, len(off))
    gap = (processed - received).abs()[off.index]
    first = off.loc[gap.idxmax()]
    name = plots._names(views.ids(many).set_index("report_id"))[first["report_id"]]  # 青山区（包头市） 2020
    assert name.startswith(f"{first['region']}") and name.endswith(f" {first['year']}")
    assert named[0].startswith(f"{name}：")


def test_charts_change_no_setting(corpus):
    before = dict(mpl.rcParams)
    for name, draw in CHARTS.items():
        draw(corpus) if name != "over_years" else plots.over_years(corpus, "会宁县")
    assert dict(mpl.rcParams) == before


@pytest.mark.filterwarnings("error::UserWarning")
def test_font_survives_a_seaborn_theme(corpus, tmp_path):
    with mpl.rc_context():
        sns.set_theme()  # resets font.sans-serif to its defaults
        texts = render(plots.applicants(corpus.applications), tmp_path / "themed.png")
        assert {Path(font_manager.findfont(t.get_fontproperties())).name for t in texts} == {NOTO}


@pytest.mark.filterwarnings("error::UserWarning")
def test_style_gives_your_own_seaborn_chart_chinese(tmp_path):
    """The README's example: a seaborn chart of the long table under plots.style(), saved after the block."""
    a = gkdata.read_report(SEEDS["004"]).applications
    parts = views.trim(a[(a["level"] == "part") & a["group"].notna()])
    before = dict(mpl.rcParams)
    with plt.style.context(plots.style()):
        ax = sns.barplot(parts.assign(办理结果=parts["group"].map(gkdata.labels.zh)), x="办理结果", y="value",
                         estimator="sum", errorbar=None)
        ax.set_title("阿里地区 2020：办理结果")
    assert dict(mpl.rcParams) == before
    texts = render(ax, tmp_path / "own.png")
    assert {t.get_text() for t in ax.get_xticklabels()} == {"予以公开", "部分公开", "不予公开", "无法提供",
                                                            "不予处理", "其他处理"}
    assert_noto(texts)
    assert sum(p.get_height() for p in ax.patches) == 653  # the result rows' parts (办理结果总计 says 671)


def annotations(ax) -> list[str]:
    return [t.get_text().strip() for t in ax.texts]


def test_received_vs_processed_names_ali(corpus):
    ax = plots.received_vs_processed(corpus.applications)
    assert annotations(ax) == ["阿里地区 2020：收到 18，办理 671"]
    # 开阳县 (上年结转 unknown) and the unfilled 卞路口乡 template are left out, and the legend says so
    assert ax.get_legend().get_title().get_text() == "3 份报告，2 份数字不明未画出"


def test_outliers_label_huining(corpus):
    ax = plots.outliers(corpus.disclosure)
    assert "会宁县 2020：131,483" in annotations(ax)
    assert ax.get_xscale() == "symlog"


def test_disclosure_cells(corpus):
    ax = plots.disclosure(corpus)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["行政许可", "其他对外管理\n服务事项", "行政处罚", "行政强制"]
    cells = [t.get_text() for t in ax.texts]
    # 会宁县's row (the fourth): its 其他对外管理服务事项 decisions; 卞路口乡's (an unfilled template) unknown
    assert cells[12:16] == ["11,492", "131,483", "852", "2,028"]
    assert cells[8:12] == ["不明"] * 4


def test_applicants_unknown_breakdown_is_not_zero(corpus):
    ax = plots.applicants(corpus.applications)
    # 巴青县 0, 开阳县 10 (only the total is known), 卞路口乡 unknown (an unfilled template), 会宁县 10, 阿里地区 17
    assert annotations(ax) == ["0", "10", "不明", "10", "17"]
    hatched = [p for p in ax.patches if p.get_hatch()]
    assert [(p.get_y() + p.get_height() / 2, p.get_width()) for p in hatched] == [(1, 10)]


def test_same_name_places_are_told_apart_and_never_drawn_as_one(many, tmp_path):
    """铁东区 of 鞍山市 and 铁东区 of 四平市: named apart on the charts, and their years are never one line."""
    names = plots._names(views.ids(many).set_index("report_id"))
    assert {"铁东区（鞍山市） 2020", "铁东区（四平市） 2020"} <= set(names) and "铁东区 2020" not in set(names)
    who = views.ids(many)
    alone = who.groupby("region")["place"].nunique().eq(1)
    one = who[who["region"] == alone[alone].index[0]]  # a name one place bears stays bare
    assert names[one["report_id"]].tolist() == [f"{r} {y}" for r, y in zip(one["region"], one["year"])]
    with pytest.raises(ValueError, match=r"铁东区 is the name of 2 places .*210302\|county\|铁东区"):
        plots.over_years(many, "铁东区")
    ax = plots.over_years(many, "铁东区", place="220303|county|铁东区")
    render(ax, tmp_path / "tiedong.png")
    assert ax.get_title() == "铁东区（四平市）：历年申请与办理"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2020", "2021", "2022", "2023", "2024"]
    ax = plots.applicants(many, top=200)
    shown = {t.get_text() for t in ax.get_yticklabels()}
    assert {"铁东区（鞍山市） 2020", "铁东区（四平市） 2020"} <= shown


def test_over_years_needs_a_known_region(corpus):
    with pytest.raises(ValueError, match="no report"):
        plots.over_years(corpus.applications, "不存在县")


def test_over_years_of_many_regions_is_the_median_report(many):
    ax = plots.over_years(many)
    assert ax.get_title().startswith("历年申请与办理：每年报告的中位数")
    t = views.totals(many.applications)
    year = int(t["year"].min())
    line = ax.get_lines()[0]  # 本年新收申请数量
    assert line.get_ydata()[0] == float(t[t["year"] == year]["new_received"].astype(float).median())


def test_a_chart_says_which_table_it_needs(corpus):
    with pytest.raises(ValueError, match="disclosure"):
        plots.outliers(corpus.applications)


def test_plots_is_an_attribute_of_gkdata():
    code = ("import sys, gkdata; print('matplotlib' in sys.modules); p = gkdata.plots; "
            "print(p.__name__, 'plots' in dir(gkdata), 'views' in dir(gkdata), 'trim' in dir(gkdata))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "gkdata.plots", "True", "True", "True"]  # matplotlib only when asked for
    for name in gkdata.__all__:
        assert getattr(gkdata, name) is not None, name


@pytest.mark.filterwarnings("error::UserWarning")
def test_outliers_past_a_few_thousand_values_draw_their_density(many, monkeypatch, tmp_path):
    """Past DOTS values an item is drawn as its density (an aggregate, as for 100,000 reports), still one
    label for each item's largest value."""
    dots = plots.outliers(many)
    monkeypatch.setattr(plots, "DOTS", 20)
    ax = plots.outliers(many)
    render(ax, tmp_path / "density.png")
    assert ax.get_legend().get_texts()[0].get_text() == "密度（每份报告一个数）"
    def points(ax) -> int:
        return sum(len(c.get_offsets()) for c in ax.collections if isinstance(c, mpl.collections.PathCollection))

    assert points(dots) >= 400 and points(ax) < 30  # a shape per item, dots only for the named and the flagged
    largest = [a for a in annotations(ax) if a in annotations(dots)]
    assert len(largest) >= len(ax.get_yticklabels())  # each item's largest value is named
    assert labels_overlap(ax) == []
