"""The aligner's rules, one at a time: what proves a column, and how labels are matched."""

from __future__ import annotations

from pathlib import Path

import pytest

import gkdata
from gkdata import tables
from gkdata.match import match
from gkdata.layouts import split

from conftest import SEEDS

KAIYANG = SEEDS["001"].read_text(encoding="utf-8")  # blank-line: empty cells dropped


def _blank_line(text: str, row: str, cells: list[str]) -> str:
    """开阳县 with one table-三 row's printed cells replaced (one paragraph each)."""
    lines = text.split("\n")
    at = lines.index(row)
    end = at + 1
    while end < len(lines) and (not lines[end].strip() or tables.looks_numeric(lines[end])):
        end += 1
    return "\n".join(lines[:at + 1] + [""] + [x for c in cells for x in (c, "")] + lines[end:])


def _row(report: gkdata.Report, key: str) -> list:
    return [v for r, _, v in report.records["applications"] if r == key]


def test_a_dropped_cell_row_whose_last_value_is_not_the_sum_stays_na():
    """`5 3`: 总计 is blank, so neither number can be placed (3 is not 5)."""
    r = gkdata.read_report(_blank_line(KAIYANG, "(一)予以公开", ["5", "3"]).encode())
    assert _row(r, "granted") == [None] * 7
    f = [f for f in r.finding_records if f.check == "ambiguous_columns" and "granted" in tables.ambiguous_rows(f)]
    assert len(f) == 1  # the table's one finding, which names the row with its cells and keeps no 总计 of it
    part = next(p for p in f[0].message.split(" · ") if p.startswith("表三 予以公开: "))
    assert part == "表三 予以公开: 2 cells for 7 columns ('5' '3')"


def test_a_dropped_cell_row_whose_last_value_is_the_sum_keeps_its_total():
    r = gkdata.read_report(_blank_line(KAIYANG, "(一)予以公开", ["5", "3", "8"]).encode())
    assert _row(r, "granted") == [None] * 6 + [8]


@pytest.mark.parametrize("spans", ["first", "grid"])
def test_empty_cells_after_a_label_are_its_colspan_only_in_the_templates_number(spans):
    """A row of TAB cells may print its label's merged grid columns as empty cells (一、 spans 3 label columns:
    two; (一) spans 2: one). A stray empty cell among a row's cells is not one of them, even when the row's
    first value is blank too: the row is NA with a finding, never its values shifted by one."""
    from gkdata import synth

    s = synth.generate(77036, layout=synth.Rendering("tab-rows", spans=spans), template="2019")
    truth = [s.tables.applications["carried_over", c] for c in synth.APPLICANTS]
    assert truth[0] is None and truth.count(None) == 3  # a blank first value, and blanks later on
    lines = s.text.split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("二、上年结转") or "\t二、上年结转" in line)
    cells = lines[at].split("\t")
    assert cells.count("") + cells.count(" ") >= 3 + 2 * (spans == "grid")
    r = gkdata.read_report(s.data)
    assert _row(r, "carried_over") == truth  # the colspan's empty cells (grid) dropped, the blank first value kept
    first = next(i for i, c in enumerate(cells) if c.strip() == "0")
    lines[at] = "\t".join(cells[:first + 1] + [""] + cells[first + 1:])  # a stray empty cell after the first 0
    r = gkdata.read_report("\n".join(lines).encode())
    got = _row(r, "carried_over")
    assert all(v is None for v in got[:-1])
    assert any(f.check == "ambiguous_columns" and "carried_over" in tables.ambiguous_rows(f) for f in r.finding_records)


def test_a_row_with_all_its_cells_is_placed_by_position():
    r = gkdata.read_report(_blank_line(KAIYANG, "(一)予以公开", ["5", "0", "0", "1", "0", "2", "8"]).encode())
    assert _row(r, "granted") == [5, 0, 0, 1, 0, 2, 8]


@pytest.mark.parametrize("cell, key", [
    ("5.属于三类内容事务信息", "denied_internal_affairs"),  # one character off
    ("1.本机关不掌握相关政", "unable_not_held"),  # cut: what is left starts one label only
    ("（二）部分公开（区分处理的，只计这一情况，不计其他情形）", "partially_granted"),
    ("商业 企业", "commercial_enterprise"),
    ("上年结转政府信息公开数量", "carried_over"),
    ("（本列数据的钩稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "note"),  # 勾 written 钩
    ("商業企業", "commercial_enterprise"),  # traditional
])
def test_near_labels_match_their_label(cell, key):
    found = match(cell, "applications", "2019")
    assert found is not None and found[0].key == key


@pytest.mark.parametrize("cell, template, key", [
    ("本年处理绝对数量", "2021", "decisions"),  # two characters off in eight
    ("现行有效件", "2021", "currently_valid"),  # cut
    ("规范性文件", "2021", "normative_documents"),  # the 2019 name in a 2021 table
    ("行政規範性檔案", "2021", "normative_documents"),  # traditional, 文件 as 檔案
    ("本年新制作數(shù)量", "2019", "new_made"),  # a pinyin gloss
    ("本年增／减", "2019", "change"),  # full-width slash
    ("采购总金额(万元)", "2019", "amount"),  # a unit after the label
])
def test_table_two_labels_as_printed(cell, template, key):
    found = match(cell, "disclosure", template)
    assert found is not None and found[0].key == key


def test_a_text_as_near_to_two_labels_matches_neither():
    # 行政许罚: one edit from 行政许可 and one from 行政处罚
    assert match("行政许罚", "disclosure", "2019") is None
    text = SEEDS["003"].read_text(encoding="utf-8").replace("\t行政处罚", "\t行政许罚", 1)
    r = gkdata.read_report(text.encode())
    f = r.findings[r.findings["check"] == "unknown_label"]
    assert len(f) == 1 and "行政许罚" in f["message"].iloc[0] and "行政许可" in f["message"].iloc[0]
    assert [v for i, _, v, _ in r.records["disclosure"] if i == "administrative_penalty"] == [None] * 3


def test_short_or_far_texts_match_nothing():
    for cell in ("其他主动公开文件", "行政确认", "政府网站", "2020年"):
        assert match(cell, "disclosure", "2019") is None, cell


def test_a_header_unit_that_cannot_be_read_leaves_the_amount_na():
    lines = ["二、主动公开政府信息情况", "第二十条第(九)项 | |", "信息内容 | 采购项目数量 | 采购总金额(单位: |",
             "政府集中采购 | 6 | 2464912 |", "五、存在的主要问题及改进情况", "无。"]
    r = gkdata.read_report("\n".join(lines).encode())
    cells = {(i, m): v for i, m, v, _ in r.records["disclosure"]}
    assert cells["centralized_procurement", "projects"] == 6
    assert cells["centralized_procurement", "amount"] is None
    assert "unread_unit" in set(r.findings["check"])


def test_header_lines_laid_out_in_columns_join_into_their_labels():
    lines = ["信息内容        采购项目     采购总金额(单位:", "                数量         元)",
             "政府集中采购       6            2464912"]
    rows = tables.headers_joined(split(lines), "disclosure")
    assert rows[0].cells == ("信息内容", "采购项目数量", "采购总金额(单位:元)")
    assert rows[1].cells == ("政府集中采购", "6", "2464912")


def test_a_unit_that_contradicts_its_column_is_na_with_a_finding():
    text = SEEDS["004"].read_text(encoding="utf-8").replace("1618 |", "1618万元 |", 1)
    r = gkdata.read_report(text.encode())
    cells = {(i, m): v for i, m, v, _ in r.records["disclosure"]}
    assert cells["administrative_licensing", "prev_year_items"] is None
    assert cells["administrative_licensing", "change"] == 17  # the rest of the row as printed
    f = r.findings[r.findings["check"] == "wrong_unit"]
    assert len(f) == 1 and "1618万元" in f["message"].iloc[0]


HUBEI = Path(__file__).resolve().parent / "fixtures" / "hubei_local_rows.txt"


def test_a_traditional_page_with_instructions_and_a_local_extra_row():
    """Labels with notes (``本年增/減(…如-8)``), a local row kept out of the template rows, 檔案 for 文件."""
    r = gkdata.read_report(HUBEI)
    cells = {(i, m): v for i, m, v, _ in r.records["disclosure"]}
    assert r.meta.traditional and r.meta.region == "武汉市某局"
    assert [cells["normative_documents", m] for m in ("new_made", "new_published", "total_published")] == [2, 2, 19]
    assert [cells["administrative_licensing", m] for m in ("prev_year_items", "change", "decisions")] == [8, 5, 93]
    assert cells["administrative_coercion", "decisions"] is None  # printed as -
    assert cells["centralized_procurement", "amount"] == 12.5
    assert -8 not in cells.values()
    local = r.findings[r.findings["check"] == "unplaced_value"]
    assert len(local) == 1 and "其他主動公開檔案" in local["message"].iloc[0] and "186 86 255" in local["message"].iloc[0]


def test_an_example_figure_in_a_wrapped_header_is_never_data():
    text = HUBEI.read_text(encoding="utf-8").replace(
        "本年增/減(指2020年增加或減少的事項數,減用負值表示,如-8) | 處理決定數量(指2020年辦件量) | ||\n行政許可",
        "本年增/減(指2020年增加或減少的事項數,減用負值表示,如 |\n-8\n) | 處理決定數量(指2020年辦件量) | ||\n行政許可")
    assert "如 |\n-8" in text
    r = gkdata.read_report(text.encode())
    cells = {(i, m): v for i, m, v, _ in r.records["disclosure"]}
    assert [cells["administrative_licensing", m] for m in ("prev_year_items", "change", "decisions")] == [8, 5, 93]
    assert -8 not in cells.values()


def test_a_block_printed_in_the_other_templates_columns_is_read_by_its_own_columns():
    """A 2021 report whose 第二十条第(一)项 block keeps the 2019 columns (renderings.md C, mixed templates)."""
    text = (Path(__file__).resolve().parent / "fixtures" / "renderings" / "pipe_rows.txt").read_text(encoding="utf-8")
    mixed = text.replace("信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |",
                         "信息内容 | 本年新制作数量 | 本年新公开数量 | 对外公开总数量 |", 1)
    assert mixed != text
    r = gkdata.read_report(mixed.encode())
    assert r.meta.template == "2021"  # table 三's (六) sub-rows decide
    cells = {(i, m): v for i, m, v, _ in r.records["disclosure"]}
    assert [cells["regulations", m] for m in ("new_made", "new_published", "total_published")] == [1, 0, 4]
    assert [cells["normative_documents", m] for m in ("new_made", "new_published", "total_published")] == [9, 2, 57]
    assert ("regulations", "repealed") not in cells  # never read as the 2021 columns
    assert cells["administrative_licensing", "decisions"] == 1863
    conflict = r.findings[(r.findings["check"] == "template_conflict") & (r.findings["table"] == "disclosure")]
    assert set(conflict["row"]) == {"regulations", "normative_documents"}
    assert "第二十条第(一)项" in conflict["message"].iloc[0]
