"""Bad input raises ReportError naming the file and the reason; layouts are detected."""

from __future__ import annotations

import pandas as pd
import pytest

import gkdata
from gkdata.layouts import detect

from conftest import SEEDS


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


@pytest.mark.parametrize("seed, cut_at", [("000", "\t6.属于四类过程性信息"), ("004", "(六)其他处理 |"),
                                          ("001", "(五)不予处理")])
def test_truncated_inside_table_three(seed, cut_at):
    text = SEEDS[seed].read_text(encoding="utf-8")
    truncated = text[: text.index(cut_at)].encode()
    with pytest.raises(gkdata.ReportError, match=r"cut\.txt: the file ends inside table 三 .* truncated"):
        gkdata.read_report(truncated, name="cut.txt")


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
def test_layout_is_detected(seed, layout):
    assert detect(SEEDS[seed].read_text(encoding="utf-8")) == layout


def test_a_corrupted_cell_is_na_with_a_finding():
    text = SEEDS["003"].read_text(encoding="utf-8").replace("\t11492", "\t约11492")
    r = gkdata.read_report(text.encode())
    cell = r.disclosure.set_index(["item", "measure"]).loc[("administrative_licensing", "decisions"), "value"]
    assert cell is pd.NA
    f = r.findings[r.findings["check"] == "invalid_value"]
    assert len(f) == 1 and "约11492" in f["message"].iloc[0]
