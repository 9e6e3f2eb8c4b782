"""Cell text -> value, exactly as the reports write numbers.

A cell is one of three things: a number (``ok``), a blank (``blank``: empty,
``-``, ``—``, ``/``, ``无``) or something that is not a number this column can
hold (``invalid``). Blanks and invalid cells give ``None``; a blank never
becomes 0. Money normalises to 万元.

>>> parse("增50", "change")
Parsed(value=50, status='ok', unit=None)
>>> parse("14374700元", "money").value
1437.47
>>> parse("\\xa0\\xa00", "count").value
0
>>> parse("", "count")
Parsed(value=None, status='blank', unit=None)
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Literal, NamedTuple

from .cache import text_cache

Kind = Literal["count", "change", "money"]
Status = Literal["ok", "blank", "invalid"]

BLANKS = frozenset({"", "-", "--", "—", "——", "/", "无", "空", "\\"})
# More digits than any real count or amount has; it also keeps values within Int64 and exact in Float64.
MAX_DIGITS = 15

_NUMBER = re.compile(
    r"""^(?P<sign>[+\-增减])?
        (?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)
        (?P<unit>万元|万|元|件|项|个|条)?$""",
    re.VERBOSE,
)
_COUNT_UNITS = {None, "件", "项", "个", "条"}
_MONEY_UNITS = {None, "万元", "万", "元"}


class Parsed(NamedTuple):
    value: int | float | None
    status: Status
    unit: str | None  # the unit written in the cell, if any


BLANK = Parsed(None, "blank", None)


@text_cache()
def clean(text: str) -> str:
    """The cell text without padding, full-width forms or inner spaces."""
    t = unicodedata.normalize("NFKC", text)
    return "".join(t.split()).replace("−", "-")


@text_cache()
def parse(text: str | None, kind: Kind = "count", default_money_unit: str = "万元") -> Parsed:
    """Parse one cell. ``kind`` says what the column holds.

    ``count``: a non-negative whole number (``1,234``, ``１２``, ``5件``).
    ``change``: a signed whole number (``-5``, ``增50``, ``减114``).
    ``money``: an amount, normalised to 万元 (``元`` ÷ 10000; a bare number is
    taken in ``default_money_unit``, from the column header).
    """
    if text is None:
        return BLANK
    t = clean(text)
    if t in BLANKS:
        return BLANK
    m = _NUMBER.match(t)
    if m is None:
        return Parsed(None, "invalid", None)
    sign, num, unit = m.group("sign"), m.group("num").replace(",", ""), m.group("unit")
    if len(num) > MAX_DIGITS + ("." in num):
        return Parsed(None, "invalid", unit)
    negative = sign in ("-", "减")
    if kind == "money":
        if unit not in _MONEY_UNITS or negative:
            return Parsed(None, "invalid", unit)
        try:
            amount = Decimal(num)
        except InvalidOperation:  # pragma: no cover - the regex admits only digits
            return Parsed(None, "invalid", unit)
        if (unit or default_money_unit) == "元":
            amount /= 10000
        return Parsed(float(amount), "ok", unit)
    if "." in num or unit not in _COUNT_UNITS:
        return Parsed(None, "invalid", unit)
    if sign and kind != "change":
        # a sign in a count column is not a count; 增/减 belong to change columns
        return Parsed(None, "invalid", unit)
    value = int(num)
    return Parsed(-value if negative else value, "ok", unit)


@text_cache()
def is_value(text: str) -> bool:
    """Whether a cell reads as a number or a blank in some column (not a label)."""
    t = clean(text)
    return t in BLANKS or _NUMBER.match(t) is not None


@text_cache()
def looks_numeric(text: str) -> bool:
    """Whether a cell is meant as a value, readable or not (``约50``), rather than a label.

    >>> looks_numeric("约11492"), looks_numeric("其他主动公开文件(指2020年)")
    (True, False)
    """
    t = clean(text)
    return is_value(t) or sum(c.isdigit() for c in t) * 2 >= len(t)
