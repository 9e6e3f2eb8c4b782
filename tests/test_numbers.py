"""Number rules: as the reports write them, and never a blank turned into 0."""

from __future__ import annotations

import pytest

from gkdata.numbers import BLANKS, clean, is_value, looks_numeric, parse


@pytest.mark.parametrize("text, kind, value", [
    ("339", "count", 339),
    ("\xa0\xa00", "count", 0),
    ("\u3000\u30000", "count", 0),
    ("    131483", "count", 131483),
    ("１２", "count", 12),          # full-width digits
    ("1,234", "count", 1234),       # thousands separator
    ("1，234", "count", 1234),      # full-width comma
    ("5件", "count", 5),
    ("增50", "change", 50),
    ("减114", "change", -114),
    ("-5", "change", -5),
    ("－57", "change", -57),        # full-width minus
    ("0", "change", 0),
    ("14374700元", "money", 1437.47),
    ("75647.67万元", "money", 75647.67),
    ("11212.974705万", "money", 11212.974705),
    ("1379", "money", 1379),
])
def test_numbers(text, kind, value):
    p = parse(text, kind)
    assert (p.value, p.status) == (value, "ok")
    assert type(p.value) is (float if kind == "money" else int)


@pytest.mark.parametrize("text", ["", "\t ", "-", "—", "/", "无", None])
def test_blanks_stay_blank(text):
    assert parse(text, "count") == (None, "blank", None)


@pytest.mark.parametrize("text, kind", [
    ("[bookmark: _GoBack]", "count"),
    ("约50", "count"),
    ("3.5", "count"),
    ("-5", "count"),          # a count is never negative
    ("增5", "count"),
    ("1,23", "count"),        # not a thousands grouping
    # ("12万元", "count") was here: a unit that contradicts the column is now "wrong_unit", see below
    ("-3元", "money"),
    ("五十", "count"),
    ("9" * 16, "count"),      # more digits than any real count (and than Int64 holds)
    ("9" * 5000, "count"),    # beyond int()'s 4300-digit limit: invalid, not a ValueError
    ("9" * 16 + "元", "money"),
])
def test_not_a_number_for_this_column(text, kind):
    assert parse(text, kind).status == "invalid" and parse(text, kind).value is None


def test_money_unit_from_header():
    assert parse("14374700", "money", default_money_unit="元").value == 1437.47
    assert parse("1379", "money", default_money_unit="万元").value == 1379.0


# -- values as real reports print them (renderings.md part D, report-format.md §7.5) ------------


@pytest.mark.parametrize("text", [
    "", " ", "/", "／", "-", "--", "－", "–", "−", "—", "——", "―", "无", "空", "暂无", "\\", "＼",
    "\xa0/\xa0", "\u3000—\u3000", " 无 ", "\u200b", "&nbsp;",
])
@pytest.mark.parametrize("kind", ["count", "change", "money"])
def test_every_way_of_writing_nothing_is_blank(text, kind):
    assert parse(text, kind) == (None, "blank", None)
    assert is_value(text)


@pytest.mark.parametrize("text, value", [
    ("\xa012\xa0", 12),
    ("\u30001 234", 1234),        # an inner space goes (as before)
    ("１２３", 123),               # full-width digits
    ("１，２３４", 1234),          # full-width digits and comma
    ("12,345,678", 12345678),
    ("\u200b7", 7),               # a zero-width space from a web page
    ("5.00", 5),                  # zero decimals: still the whole number
    ("0", 0),
])
def test_counts_with_padding_and_wide_forms(text, value):
    assert parse(text, "count") == (value, "ok", None)


@pytest.mark.parametrize("text, value, unit", [
    ("31批次", 31, "批次"),
    ("5件", 5, "件"),
    ("3项", 3, "项"),
    ("2个", 2, "个"),
    ("4条", 4, "条"),
    ("12次", 12, "次"),
    ("6人次", 6, "人次"),
    ("2起", 2, "起"),
    ("1,200件", 1200, "件"),
    ("\xa031 批次", 31, "批次"),
])
def test_counts_with_a_unit_in_the_cell(text, value, unit):
    assert parse(text, "count") == (value, "ok", unit)


@pytest.mark.parametrize("text, value, unit", [
    ("152790元", 15.279, "元"),
    ("251000元", 25.1, "元"),
    ("17.27万元", 17.27, "万元"),
    ("11212.974705万", 11212.974705, "万"),
    ("190.457379", 190.457379, None),
    ("1,379.50万元", 1379.5, "万元"),
    ("１２.５万元", 12.5, "万元"),
    ("0.00", 0.0, None),
    ("1.2亿元", 12000.0, "亿元"),
    (" 75647.67 万元 ", 75647.67, "万元"),
])
def test_amounts_with_a_unit_in_the_cell(text, value, unit):
    p = parse(text, "money")
    assert (p.value, p.status, p.unit) == (value, "ok", unit) and type(p.value) is float


def test_a_unit_in_the_cell_wins_over_the_header():
    assert parse("17.27万元", "money", "元").value == 17.27
    assert parse("152790元", "money", "万元").value == 15.279
    assert parse("152790", "money", "元") == (15.279, "ok", None)


@pytest.mark.parametrize("text, kind, unit", [
    ("5件", "money", "件"),
    ("31批次", "money", "批次"),
    ("3万元", "count", "万元"),
    ("12万元", "count", "万元"),
    ("152790元", "count", "元"),
    ("3万元", "change", "万元"),
    ("12%", "count", "%"),
    ("12％", "money", "%"),
    ("12.5%", "change", "%"),
    ("15个工作日", "count", "个工作日"),
    ("3人", "count", "人"),
])
def test_a_unit_that_contradicts_the_column_is_wrong_unit(text, kind, unit):
    assert parse(text, kind) == (None, "wrong_unit", unit)
    assert is_value(text)  # a value, not a label


@pytest.mark.parametrize("text, value", [
    ("未增未减", 0),
    ("无变化", 0),
    ("不变", 0),
    ("持平", 0),
    (" 未增减 ", 0),
    ("增2", 2),
    ("增 2", 2),
    ("减3", -3),
    ("增加2", 2),
    ("减少3", -3),
    ("新增4", 4),
    ("+19", 19),
    ("＋19", 19),
    ("-5", -5),
    ("－5", -5),       # full-width hyphen-minus
    ("−5", -5),        # U+2212 minus sign
    ("–5", -5),        # en dash, as word processors print a typed minus
    ("﹣5", -5),       # small hyphen-minus
    ("0", 0),
    ("-0", 0),
    ("减0", 0),
    ("增2项", 2),
    ("减少1个", -1),
    ("-1,200", -1200),
])
def test_changes_in_words_and_odd_signs(text, value):
    p = parse(text, "change")
    assert (p.value, p.status) == (value, "ok") and type(p.value) is int


@pytest.mark.parametrize("text", ["未增未减", "无变化", "+19", "－5", "−5", "增2", "减少3", "新增4"])
def test_changes_are_not_counts(text):
    assert parse(text, "count") == (None, "invalid", None)


@pytest.mark.parametrize("text, kind", [
    ("1,23", "change"),
    ("12,34", "money"),
    ("1,2345", "count"),
    (",123", "count"),
    ("1,,234", "count"),
    ("增-3", "change"),      # two signs
    ("+-3", "change"),
    ("—5", "change"),        # an em dash is a blank, not a minus
    ("3.5件", "count"),
    ("增2.5", "change"),
    ("+19万元", "money"),    # an amount is never a change
    ("增长2", "change"),
    ("约50", "change"),
    ("50左右", "count"),
    ("2023年", "count"),
    ("①", "count"),          # NFKC makes a list marker a digit; it is none
    ("⑴", "count"),
    ("5²", "count"),
    ("一", "count"),         # a Chinese numeral (or a dash typed as 一): not certain either way
    ("无增加", "count"),
    ("不变", "money"),
])
def test_more_cells_that_are_no_number_of_their_column(text, kind):
    assert parse(text, kind).status == "invalid" and parse(text, kind).value is None


def test_long_decimals_stay_exact():
    assert parse("190.457379", "money").value == 190.457379
    assert parse("0.000001万元", "money").value == 1e-06
    assert parse("1元", "money").value == 0.0001
    assert parse("123456789012.345", "money").value == 123456789012.345


def test_clean_and_helpers():
    assert clean("\u3000１，２３４\xa0") == "1,234"
    assert clean("\u2212\u20135") == "--5"
    assert "—" in BLANKS and "无" in BLANKS
    assert looks_numeric("12%") and looks_numeric("约50") and not looks_numeric("总计")
    assert not is_value("约50") and not is_value("①")
