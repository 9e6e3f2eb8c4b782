"""Every chart renders to PNG without a missing-glyph warning, its Chinese text in Noto Sans SC."""

from __future__ import annotations

import re
from pathlib import Path

import matplotlib as mpl
import matplotlib.pyplot as plt
import pylopdf_fonts_zh_cn
import pytest
import seaborn as sns
from matplotlib import font_manager

import gkdata
from gkdata import plots

from conftest import RAW

CJK = re.compile(r"[\u4e00-\u9fff]")
NOTO = Path(pylopdf_fonts_zh_cn.sans_path()).name

CHARTS = {
    "applicants": lambda c: plots.applicants(c.applications),
    "outcomes": lambda c: plots.outcomes(c.applications),
    "disclosure": lambda c: plots.disclosure(c.disclosure),
    "outliers": lambda c: plots.outliers(c.disclosure),
    "over_years": lambda c: plots.over_years(c.applications, "会宁县"),
    "received_vs_processed": lambda c: plots.received_vs_processed(c.applications),
}


@pytest.fixture(scope="module")
def corpus():
    return gkdata.read_reports(RAW)


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


@pytest.mark.filterwarnings("error::UserWarning")
@pytest.mark.parametrize("name", CHARTS)
def test_chart_renders_in_noto_sans_sc(corpus, tmp_path, name):
    ax = CHARTS[name](corpus)
    texts = render(ax, tmp_path / f"{name}.png")
    assert CJK.search(ax.get_title())
    assert CJK.search(ax.get_xlabel() + ax.get_ylabel())
    assert len(texts) >= 3
    for t in texts:
        found = font_manager.findfont(t.get_fontproperties(), fallback_to_default=False)
        assert Path(found).name == NOTO, (t.get_text(), found)
        assert font_manager.FontProperties(fname=found).get_name() == "Noto Sans SC"


@pytest.mark.filterwarnings("error::UserWarning")
def test_font_survives_a_seaborn_theme(corpus, tmp_path):
    with mpl.rc_context():
        sns.set_theme()  # resets font.sans-serif to its defaults
        texts = render(plots.applicants(corpus.applications), tmp_path / "themed.png")
        assert {Path(font_manager.findfont(t.get_fontproperties())).name for t in texts} == {NOTO}


def annotations(ax) -> list[str]:
    return [t.get_text() for t in ax.texts]


def test_received_vs_processed_names_ali(corpus):
    ax = plots.received_vs_processed(corpus.applications)
    assert annotations(ax) == ["阿里地区 2020：收到 18，办理 671"]
    # 开阳县 (上年结转 unknown) and the unfilled 卞路口乡 template are left out, and the legend says so
    assert ax.get_legend().get_title().get_text() == "3 份报告，2 份数字不明未画出"


def test_outliers_label_huining(corpus):
    assert "会宁县 131,483" in annotations(plots.outliers(corpus.disclosure))
    assert plots.outliers(corpus.disclosure).get_xscale() == "symlog"


def test_applicants_unknown_breakdown_is_not_zero(corpus):
    ax = plots.applicants(corpus.applications)
    # 巴青县 0, 开阳县 10 (only the total is known), 卞路口乡 unknown (an unfilled template), 会宁县 10, 阿里地区 17
    assert annotations(ax) == ["0", "10", "不明", "10", "17"]
    hatched = [p for p in ax.patches if p.get_hatch()]
    assert [(p.get_x() + p.get_width() / 2, p.get_height()) for p in hatched] == [(1, 10)]


def test_over_years_needs_a_known_region(corpus):
    with pytest.raises(ValueError, match="no report"):
        plots.over_years(corpus.applications, "不存在县")
