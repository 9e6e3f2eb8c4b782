"""Number rules: as the reports write them, and never a blank turned into 0."""

from __future__ import annotations

import pytest

from gkdata.numbers import parse


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
    ("12万元", "count"),
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
