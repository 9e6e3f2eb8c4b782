"""Traditional-character mirrors (renderings.md part C): simplify, strip_pinyin, is_traditional."""

from __future__ import annotations

import time

import pytest

from gkdata.hanzi import is_traditional, simplify, strip_pinyin

from conftest import SEEDS

# The opening of a report as a traditional-character mirror prints it (written for this test).
TRADITIONAL = """北京市某某區人民政府2023年政府信息公開工作年度報告
本報告根據《中華人民共和國政府信息公開條例》（以下簡稱《條例》）和國務院辦公廳政府信息與政務公開辦公室關於政府信息公開工作年度報告的有關要求編制。報告全文由總體情況、主動公開政府信息情況、收到和處理政府信息公開申請情況、政府信息公開行政復議、行政訴訟情況、存在的主要問題及改進情況、其他需要報告的事項六部分組成。本報告中所列數據的統計期限自2023年1月1日起至2023年12月31日止。
一、總體情況
2023年，我區認真貫徹落實黨中央、國務院關於全面推進政務公開工作的決策部署，主動公開政府信息13717條。
二、主動公開政府信息情況
第二十條第（一）項
信息內容\t本年制發件數\t本年廢止件數\t現行有效件數
規章\t0\t0\t0
行政規範性檔案\t5\t1\t31
"""
SIMPLIFIED = """北京市某某区人民政府2023年政府信息公开工作年度报告
本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和国务院办公厅政府信息与政务公开办公室关于政府信息公开工作年度报告的有关要求编制。报告全文由总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议、行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项六部分组成。本报告中所列数据的统计期限自2023年1月1日起至2023年12月31日止。
一、总体情况
2023年，我区认真贯彻落实党中央、国务院关于全面推进政务公开工作的决策部署，主动公开政府信息13717条。
二、主动公开政府信息情况
第二十条第（一）项
信息内容\t本年制发件数\t本年废止件数\t现行有效件数
规章\t0\t0\t0
行政规范性档案\t5\t1\t31
"""


@pytest.mark.parametrize("text, expected", [
    ("規範性檔案", "规范性档案"),          # 檔案 becomes 档案, not 文件: characters, not vocabulary
    ("總計", "总计"),
    ("結轉下年度繼續辦理", "结转下年度继续办理"),
    ("總體情況", "总体情况"),
    ("上年結轉政府信息公開申請數量", "上年结转政府信息公开申请数量"),
    ("本年新收政府信息公開申請數量", "本年新收政府信息公开申请数量"),
    ("（一）予以公開", "（一）予以公开"),
    ("(三)不予公開", "(三)不予公开"),
    ("本機關不掌握相關政府信息", "本机关不掌握相关政府信息"),
    ("申請人逾期未按收費通知要求繳納費用", "申请人逾期未按收费通知要求缴纳费用"),
    ("商業企業", "商业企业"),
    ("科研機構", "科研机构"),
    ("社會公益組織", "社会公益组织"),
    ("法律服務機構", "法律服务机构"),
    ("行政複議", "行政复议"),
    ("行政訴訟", "行政诉讼"),
    ("未經複議直接起訴", "未经复议直接起诉"),
    ("複議後起訴", "复议后起诉"),
    ("結果維持", "结果维持"),
    ("結果糾正", "结果纠正"),
    ("尚未審結", "尚未审结"),
    ("行政事業性收費", "行政事业性收费"),
    ("政府集中採購", "政府集中采购"),
    ("採購總金額(萬元)", "采购总金额(万元)"),
    ("本年增/減", "本年增/减"),
    ("處理決定數量", "处理决定数量"),
    ("乾燥", "干燥"),
    ("乾隆", "乾隆"),                      # the phrase table keeps a character that has two forms
    ("答覆", "答复"),
])
def test_simplify(text, expected):
    assert simplify(text) == expected


@pytest.mark.parametrize("text", [
    "152790元", "11212.974705万", "1,234", "１２", "-5", "\xa0\xa00", "\u3000\u30000", "abc ABC 123",
    "\t0\t0\n", "(一)", "（二）", "“引号”《书名》：；、。", "", " ", "规范性文件", "总计",
])
def test_simplify_leaves_digits_ascii_punctuation_and_simplified_text(text):
    assert simplify(text) == text


def test_simplify_keeps_layout_characters_and_odd_code_points():
    assert simplify("總計\t0\r\n結轉|5|") == "总计\t0\r\n结转|5|"
    assert simplify("a\x00總\ud800計") == "a\x00总\ud800计"  # NUL and a lone surrogate survive


def test_a_mirror_simplifies_to_the_report():
    assert simplify(TRADITIONAL) == SIMPLIFIED


@pytest.mark.parametrize("seed", sorted(SEEDS))
def test_a_simplified_report_is_unchanged(seed):
    text = SEEDS[seed].read_text(encoding="utf-8")
    assert simplify(text) == text


@pytest.mark.parametrize("text, expected", [
    ("數(shù)量", "數量"),
    ("項(xiàng)", "項"),
    ("報(bào)告", "報告"),
    ("報(bào)告(gào)", "報告"),
    ("數量(shùliàng)", "數量"),            # one gloss for a word
    ("本年新制作數（shù）量", "本年新制作數量"),  # full-width parentheses
    ("數(shu\u0300)量", "數量"),            # a combining tone mark
    ("綠(lǜ)", "綠"),
    ("數(shu)量", "數量"),                  # no tone mark: one syllable with an initial
    ("項(xiang)目", "項目"),
])
def test_strip_pinyin(text, expected):
    assert strip_pinyin(text) == expected


@pytest.mark.parametrize("text", [
    "(一)予以公开", "（二）", "采购总金额(万元)", "(区分处理的,只计这一情形)", "(2023年办件量)",
    "(单位:万元)", "（单位：万元）", "附件(a)", "人工智能(ai)", "中国(china)", "下载(pdf)", "手机(app)",
    "信息(xinxi)",      # several syllables without a tone mark: could be a word
    "表 (shù)",         # not right after a character
    "(shù)",            # nothing before it
    "x(shù)",
    "數(SHÙ)量",         # not lowercase
    "數(shù量",          # not closed
    "數(zzz)", "數(shǔx)", "數(q)", "數(ùù)", "數()",
    "數(" + "shù" * 9 + ")",  # more letters than a gloss has
])
def test_strip_pinyin_keeps_real_parentheticals(text):
    assert strip_pinyin(text) == text


def test_strip_then_simplify():
    assert simplify(strip_pinyin("數(shù)量")) == "数量"
    assert simplify(strip_pinyin("本年新制作數(shù)量\t5\t項(xiàng)")) == "本年新制作数量\t5\t项"


def test_strip_pinyin_is_linear():
    for text in ("數(" * 200_000, "數(shù" * 100_000, "數(shù)" * 100_000, "(" * 300_000, "數(a" + "a" * 300_000):
        start = time.perf_counter()
        strip_pinyin(text)
        assert time.perf_counter() - start < 2.0


@pytest.mark.parametrize("seed", sorted(SEEDS))
def test_the_seeds_are_not_traditional(seed):
    text = SEEDS[seed].read_text(encoding="utf-8")
    assert not is_traditional(text[:4000]) and not is_traditional(text)


@pytest.mark.parametrize("text", [
    TRADITIONAL, TRADITIONAL[:4000], "總計", "結轉下年度繼續辦理", "規範性檔案", "二、主動公開政府信息情況",
    "數(shù)量", "行政複議",
])
def test_traditional_text_is_traditional(text):
    assert is_traditional(text)


@pytest.mark.parametrize("text", [
    SIMPLIFIED, "总计", "乾县", "乾安县人民政府", "", "2023", "abc", "\t0\t0",
    # a simplified report that quotes a traditional name once
    SIMPLIFIED + "\n附：臺灣同胞來函一件。" + "政府信息公开工作" * 20,
])
def test_simplified_text_is_not_traditional(text):
    assert not is_traditional(text)


def test_a_long_mirror_is_traditional_from_its_opening():
    assert is_traditional(TRADITIONAL * 10)
    assert not is_traditional(SIMPLIFIED * 10)
