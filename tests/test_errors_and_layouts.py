"""Bad input raises ReportError naming the file and the reason; layouts are detected."""

from __future__ import annotations

import pandas as pd
import pytest

import gkdata
from gkdata import labels

from conftest import SEEDS, expected


def test_empty_file(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"  \n\n")
    with pytest.raises(gkdata.ReportError, match=r"empty\.txt: the file is empty"):
        gkdata.read_report(path)


def test_binary_file(tmp_path):
    path = tmp_path / "scan.txt"
    path.write_bytes(bytes(range(256)) * 20)
    with pytest.raises(gkdata.ReportError, match=r"scan\.txt: the file is binary"):
        gkdata.read_report(path)


def test_news_article():
    text = "县政府召开常务会议\n\n会议研究了春耕生产工作，强调要抓好粮食安全。\n".encode()
    with pytest.raises(gkdata.ReportError, match=r"news\.txt: no numbered sections"):
        gkdata.read_report(text, name="news.txt")


def test_report_without_tables():
    text = "一、总体情况\n\n今年工作很好。\n\n五、存在的主要问题及改进情况\n\n无。\n".encode()
    with pytest.raises(gkdata.ReportError, match="none of the statistical tables"):
        gkdata.read_report(text, name="prose.txt")


@pytest.mark.parametrize("seed, cut_at, first_lost", [
    ("000", "\t6.属于四类过程性信息", "denied_process_info"),  # cut inside row 6, after its empty first cells
    ("004", "(六)其他处理 |", "not_processed_confirmation"),  # its trailing pipes may be empty cells: unsure
    ("001", "(五)不予处理", "unable_unclear_after_correction"),
])
def test_a_report_cut_inside_table_three_keeps_the_rows_before_the_cut(seed, cut_at, first_lost):
    text = SEEDS[seed].read_text(encoding="utf-8")
    r = gkdata.read_report(text[: text.index(cut_at)].encode(), name="cut.txt")
    rows = labels.application_rows("2019")
    got = r.wide("applications")
    want = expected(seed)["applications"]
    lost = rows.index(first_lost)
    for row in rows[:lost]:
        assert [None if pd.isna(v) else v for v in got.loc[row]] == want[row], row
    assert got.loc[list(rows[lost:])].isna().all().all()
    cut = r.findings[r.findings["check"] == "truncated"]
    assert len(cut) == 1 and cut["severity"].iloc[0] == "error" and cut["table"].iloc[0] == "applications"
    assert cut["row"].iloc[0] == rows[lost - 1] and labels.zh(rows[lost - 1]) in cut["message"].iloc[0]
    assert r.disclosure.equals(gkdata.read_report(SEEDS[seed]).disclosure)  # the table before the cut is whole
    assert r.appeals["value"].isna().all()


def test_missing_file(tmp_path):
    with pytest.raises(gkdata.ReportError, match="nope.txt: cannot read the file"):
        gkdata.read_report(tmp_path / "nope.txt")


def test_gb18030_and_bom_decode_to_the_same_tables():
    text = SEEDS["004"].read_text(encoding="utf-8")
    utf8 = gkdata.read_report(text.encode("utf-8"))
    for data, encoding in ((text.encode("gb18030"), "gb18030"), (b"\xef\xbb\xbf" + text.encode(), "utf-8")):
        other = gkdata.read_report(data)
        assert other.meta.encoding == encoding
        assert other.applications.equals(utf8.applications)


def test_crlf_line_endings():
    text = SEEDS["000"].read_text(encoding="utf-8")
    a = gkdata.read_report(text.replace("\n", "\r\n").encode())
    assert a.applications.equals(gkdata.read_report(SEEDS["000"]).applications)


@pytest.mark.parametrize("seed, layout", [("000", "tabbed"), ("001", "blank-line"), ("002", "tabbed"),
                                          ("003", "tabbed"), ("004", "pipe")])
def test_layout_is_detected_from_the_text(seed, layout):
    """From the text alone: the same bytes under any name read the same way."""
    data = SEEDS[seed].read_bytes()
    assert gkdata.read_report(data, name="report.dat").meta.layout == layout


def test_a_corrupted_cell_is_na_with_a_finding():
    text = SEEDS["003"].read_text(encoding="utf-8").replace("\t11492", "\t约11492")
    r = gkdata.read_report(text.encode())
    cell = r.disclosure.set_index(["item", "measure"]).loc[("administrative_licensing", "decisions"), "value"]
    assert cell is pd.NA
    f = r.findings[r.findings["check"] == "invalid_value"]
    assert len(f) == 1 and "约11492" in f["message"].iloc[0]
