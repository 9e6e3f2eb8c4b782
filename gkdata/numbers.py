"""Cell text -> value, exactly as the reports write numbers.

A cell is one of four things: a number (``ok``), a blank (``blank``: empty,
``-``, ``—``, ``/``, ``无`` …), a number whose unit contradicts its column
(``wrong_unit``: ``5件`` under an amount, ``3万元`` or ``12%`` under a count;
``unit`` says what the cell wrote, so the caller can quote it) or something
else that is not a number this column can hold (``invalid``). Only ``ok``
gives a value; a blank never becomes 0. Money normalises to 万元.

>>> parse("增50", "change")
Parsed(value=50, status='ok', unit=None)
>>> parse("14374700元", "money").value
1437.47
>>> parse("\\xa0\\xa00", "count").value
0
>>> parse("", "count")
Parsed(value=None, status='blank', unit=None)
>>> parse("152790元", "money")
Parsed(value=15.279, status='ok', unit='元')
>>> parse("31批次", "count")
Parsed(value=31, status='ok', unit='批次')
>>> parse("未增未减", "change")
Parsed(value=0, status='ok', unit=None)
>>> parse("5件", "money")
Parsed(value=None, status='wrong_unit', unit='件')
>>> parse("12％", "count")
Parsed(value=None, status='wrong_unit', unit='%')
>>> parse("减少3项", "change"), parse("−5", "change").value, parse("+19", "count").status
(Parsed(value=-3, status='ok', unit='项'), -5, 'invalid')
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from typing import Literal, NamedTuple

from .cache import text_cache

Kind = Literal["count", "change", "money"]
Status = Literal["ok", "blank", "invalid", "wrong_unit"]

# Cells that say "nothing here" (after clean(): dashes of every width are "-").
BLANKS = frozenset({"", "-", "--", "---", "—", "——", "―", "――", "/", "//", "\\", "无", "空", "暂无", "&nbsp;"})
# A change column that says in words that nothing changed: certainly 0 (not a blank).
NO_CHANGE = frozenset({"未增未减", "无增无减", "不增不减", "未增减", "无增减", "无变化", "未变化", "没有变化",
                       "无变动", "未变动", "不变", "持平"})
# More digits than any real count or amount has; it also keeps values within Int64 and exact in Float64.
MAX_DIGITS = 15

# 万元 per unit written in a money cell (or its column header).
_MONEY_UNITS = {"万元": Decimal(1), "万": Decimal(1), "元": Decimal("0.0001"), "千元": Decimal("0.1"),
                "亿元": Decimal(10000), "亿": Decimal(10000)}
# Units a count of documents, items, decisions or cases is written with. 次/批次 (decisions,
# inspections) and 人次 (penalties per person) are seen in 行政处罚/行政强制 rows; 起/宗 count cases.
_COUNT_UNITS = frozenset({"件", "项", "个", "条", "次", "批次", "人次", "起", "宗", "份"})
# Units no column of the tables holds: always wrong_unit.
_OTHER_UNITS = ("%", "‰", "个工作日", "工作日", "天", "人", "家", "户")
_UNITS = sorted({*_MONEY_UNITS, *_COUNT_UNITS, *_OTHER_UNITS}, key=lambda u: (-len(u), u))  # longest first, in one order
_ALLOWED = {"count": _COUNT_UNITS, "change": _COUNT_UNITS, "money": frozenset(_MONEY_UNITS)}

_NUMBER = re.compile(
    rf"""^(?P<sign>[+\-]|增加|新增|增|减少|减)?
        (?P<num>[0-9]{{1,3}}(?:,[0-9]{{3}})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?)
        (?P<unit>{"|".join(map(re.escape, _UNITS))})?$""",
    re.VERBOSE,
)
_NEGATIVE = frozenset({"-", "减", "减少"})
# Characters NFKC turns into digits that are no written figure: ①, ⑴, ⒈, ², ₃, ❶ … (list markers, footnotes).
_FAKE_DIGITS = re.compile("[\u00b2\u00b3\u00b9\u2070-\u209f\u2460-\u24ff\u2776-\u2793\u3251-\u325f\u32b1-\u32bf"
                          "\U0001f100-\U0001f10c]")
# After NFKC: every dash-like minus is "-"; zero-width characters of web pages go. Replaced one by one:
# str.translate looks up every character of a non-ASCII text in a dict (50 ms for a line of 200,000).
_DASHES = (("\u2010", "-"), ("\u2011", "-"), ("\u2012", "-"), ("\u2013", "-"), ("\u2212", "-"),
           ("\u200b", ""), ("\u200c", ""), ("\u200d", ""), ("\u2060", ""), ("\ufeff", ""))


class Parsed(NamedTuple):
    value: int | float | None
    status: Status
    unit: str | None  # the unit written in the cell, if any


BLANK = Parsed(None, "blank", None)
_INVALID = Parsed(None, "invalid", None)
_ZERO = Parsed(0, "ok", None)


@text_cache()
def clean(text: str) -> str:
    """The cell text without padding, full-width forms, inner spaces or odd minus signs.

    >>> clean("\\u3000１，２３４\\xa0"), clean("－5"), clean("\\u22125"), clean("\\u20135\\u200b")
    ('1,234', '-5', '-5', '-5')
    """
    t = unicodedata.normalize("NFKC", text)
    for char, replacement in _DASHES:
        if char in t:
            t = t.replace(char, replacement)
    return "".join(t.split())


@text_cache()
def parse(text: str | None, kind: Kind = "count", default_money_unit: str = "万元") -> Parsed:
    """Parse one cell. ``kind`` says what the column holds.

    ``count``: a non-negative whole number (``1,234``, ``１２``, ``5件``, ``31批次``).
    ``change``: a signed whole number (``-5``, ``－5``, ``+19``, ``增50``, ``减少3``), or
    ``未增未减``/``无变化``/``不变`` for 0.
    ``money``: an amount, normalised to 万元 (``元`` ÷ 10000; a bare number is
    taken in ``default_money_unit``, from the column header).

    A whole number written with zero decimals (``5.00``) is that number; any
    other fraction in a count is invalid.

    >>> parse("190.457379", "money").value, parse("17.27万元", "money").value
    (190.457379, 17.27)
    >>> parse("1,23", "count").status, parse("3万元", "count"), parse("①", "count").status
    ('invalid', Parsed(value=None, status='wrong_unit', unit='万元'), 'invalid')
    """
    if text is None:
        return BLANK
    if _FAKE_DIGITS.search(text):
        return _INVALID
    t = clean(text)
    if t.isdigit() and t.isascii() and len(t) <= MAX_DIGITS:  # most cells: a plain whole number
        return Parsed(float(Decimal(t) * _MONEY_UNITS.get(default_money_unit, Decimal(1))) if kind == "money"
                      else int(t), "ok", None)
    if t in BLANKS:
        return BLANK
    if t in NO_CHANGE:
        return _ZERO if kind == "change" else _INVALID
    m = _NUMBER.match(t)
    if m is None:
        return _INVALID
    sign, num, unit = m.group("sign"), m.group("num").replace(",", ""), m.group("unit")
    if len(num) > MAX_DIGITS + ("." in num):
        return Parsed(None, "invalid", unit)
    if unit is not None and unit not in _ALLOWED[kind]:
        return Parsed(None, "wrong_unit", unit)
    if kind == "money":
        if sign:  # an amount is never negative, nor written as a change
            return Parsed(None, "invalid", unit)
        amount = Decimal(num) * _MONEY_UNITS.get(unit or default_money_unit, Decimal(1))
        return Parsed(float(amount), "ok", unit)
    if sign and kind != "change":
        # a sign in a count column is not a count; 增/减 belong to change columns
        return Parsed(None, "invalid", unit)
    whole, _, fraction = num.partition(".")
    if fraction.strip("0"):
        return Parsed(None, "invalid", unit)
    value = int(whole)
    return Parsed(-value if sign in _NEGATIVE else value, "ok", unit)


@text_cache()
def is_value(text: str) -> bool:
    """Whether a cell reads as a number or a blank in some column (not a label).

    A number with a unit no column holds (``12%``) is still a value, not a label.

    >>> is_value("31批次"), is_value("未增未减"), is_value("—"), is_value("总计"), is_value("2023年")
    (True, True, True, False, False)
    """
    if _FAKE_DIGITS.search(text):
        return False
    t = clean(text)
    return t in BLANKS or t in NO_CHANGE or _NUMBER.match(t) is not None


@text_cache()
def looks_numeric(text: str) -> bool:
    """Whether a cell is meant as a value, readable or not (``约50``), rather than a label.

    >>> looks_numeric("约11492"), looks_numeric("其他主动公开文件(指2020年)")
    (True, False)
    """
    t = clean(text)
    return is_value(t) or sum(map(str.isdigit, t)) * 2 >= len(t)
