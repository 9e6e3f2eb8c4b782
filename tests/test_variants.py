"""Label and layout variants seen in real reports beyond the seeds, on a seed with cells edited."""

from __future__ import annotations

import gkdata

from conftest import SEEDS

HUINING = SEEDS["003"].read_text(encoding="utf-8")


def test_provincial_table_two_with_notes_an_extra_row_and_dashes():
    """Hubei-style table 二: notes after labels, an extra row, `-` for an empty cell."""
    text = (HUINING
            .replace("\t规章\n\t0\n\t0\n\t0", "\t规章(设区的市、自治州人民政府应提供相关数据)\n\t-\n\t-\n\t-")
            .replace("\t规范性文件\n\t3\n\t3\n\t3\n",
                     "\t规范性文件\n\t3\n\t3\n\t3\n\n\t其他主动公开文件(行政机关制定发布的其他文件)\n\t5\n\t5\n\t12\n")
            .replace("\t上一年项目数量", "\t上一年项目数量(指2019年事项数)", 1)
            .replace("\t本年增/减", "\t本年增/减(指2020年增加或减少的事项数,减用负值表示,如-8)", 1))
    r = gkdata.read_report(text.encode(), name="hubei.txt")
    d = r.wide("disclosure")
    assert d.loc["regulations", ["new_made", "new_published", "total_published"]].isna().all()
    assert d.loc["normative_documents", ["new_made", "new_published", "total_published"]].tolist() == [3, 3, 3]
    assert d.loc["administrative_licensing", ["prev_year_items", "change", "decisions"]].tolist() == [267, 50, 11492]
    f = r.findings
    assert f["check"].tolist() == ["unplaced_value"]
    assert "其他主动公开文件" in f["message"].iloc[0] and "5 5 12" in f["message"].iloc[0]


def test_numbering_spacing_and_punctuation_variants():
    text = (HUINING.replace("\t（一）予以公开", "\t( 一 ) 予以公开")
            .replace("\t1.属于国家秘密", "\t1、属于国家秘密")
            .replace("\t2.重复申请", "\t（2）重复申请")
            .replace("\t3.危及“三安全一稳定”", "\t3．危及\"三安全一稳定\""))
    r = gkdata.read_report(text.encode())
    assert r.findings.empty
    assert r.applications.equals(gkdata.read_report(SEEDS["003"]).applications)


def test_a_row_label_wrapped_over_two_cells_keeps_its_numbers():
    ali = SEEDS["004"].read_text(encoding="utf-8")
    text = ali.replace("(二)部分公开(区分处理的,只计这一情形,不计其他情形) |",
                       "(二)部分公开(区分处理的, |\n只计这一情形,不计其他情形) |")
    assert text != ali
    r = gkdata.read_report(text.encode())
    assert r.applications.equals(gkdata.read_report(SEEDS["004"]).applications)
    assert r.findings.equals(gkdata.read_report(SEEDS["004"]).findings)
