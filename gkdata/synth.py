"""Synthetic reports: tables -> a complete report text in any layout, with the findings it must give.

:func:`generate` draws realistic tables (most counts small, heavy tails, many
zeros), may inject one anomaly of a check kind, and renders the report in
one of the three text layouts and either template. The result carries the
text, the tables as printed (``None`` where a cell is blank) and the
findings the checks must raise. Every label comes from :mod:`gkdata.labels`;
tables are laid out as :class:`gkdata.formats.Cell` grids, so the span rules
are the converters' own.

>>> s = generate(7, template="2021", layout="pipe", anomaly="appeals_sum")
>>> s.layout, s.tables.template, [e.check for e in s.expected]
('pipe', '2021', ['appeals_sum'])
>>> import gkdata
>>> r = gkdata.read_report(s.data)
>>> [f.check for f in r.finding_records if f.severity == "error"]
['appeals_sum']
"""

from __future__ import annotations

import json
import math
import os
import random
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from decimal import Decimal
from itertools import groupby
from pathlib import Path
from typing import NamedTuple

from . import formats
from . import labels as L
from .formats import Cell
from .narrative import PARTS

LAYOUTS = ("tabbed", "blank-line", "pipe")
# Anomalies one report shows, and the one a multi-year corpus shows (checks.py names).
ANOMALIES = ("balance", "row_sum", "column_sum", "appeals_sum", "published_exceeds_total", "narrative_mismatch")
CARRY_OVER = "carry_over_mismatch"
MONEY_STYLES = ("万元", "万", "元", "header_万元", "header_元", "bare")

APPLICANTS = L.keys("applicant")
PEOPLE = APPLICANTS[:-1]  # the six applicant columns, without 总计
BALANCE_ROWS = ("new_received", "carried_over", "results_total", "carried_forward")
Values = dict[tuple[str, str], int | float | None]


class Expected(NamedTuple):
    """A finding the checks must give: which check, at which cell."""

    check: str
    table: str | None
    row: str | None
    column: str | None


@dataclass(frozen=True)
class Style:
    """How a publisher writes its report (each option mimics a seed or a report seen elsewhere)."""

    money: str = "万元"  # 万元 | 万 | 元 (unit in the cell), header_万元 | header_元 (in the header), bare (none)
    changes: str = "signed"  # signed (-5) | words (增5, 减5)
    blank_zeros: float = 0.0  # the chance that a 0 is printed as an empty cell
    typos: bool = False  # heading typos and label variants seen in real reports
    full_width: bool = True  # （一） and ， rather than (一) and ,
    wrap: bool = False  # labels wrapped over two lines (tabbed) or header paragraphs (blank-line)
    vertical: bool = False  # merged group labels written one character per line (tabbed)
    padding: bool = False  # NBSP / ideographic-space padding around numbers (tabbed)

    @classmethod
    def random(cls, rng: random.Random) -> Style:
        """A style drawn at random: plain more often than not."""
        return cls(money=rng.choice(MONEY_STYLES), changes=rng.choice(("signed", "words")),
                   blank_zeros=rng.choice((0.0, 0.0, 0.0, 0.5, 1.0)), typos=rng.random() < 0.3,
                   full_width=rng.random() < 0.6, wrap=rng.random() < 0.3, vertical=rng.random() < 0.2,
                   padding=rng.random() < 0.2)


@dataclass(frozen=True)
class Tables:
    """The numbers of one report by cell key; ``None`` is a blank cell; money in 万元."""

    template: str
    disclosure: Values  # (item, measure) -> value
    applications: Values  # (row, applicant) -> value
    appeals: Values  # (proceeding, outcome) -> value
    narrative: dict[str, int]  # figures stated in the prose, narrative.PATTERNS keys


@dataclass(frozen=True)
class Synthetic:
    """A generated report: its text, its tables as printed and the findings it must give."""

    text: str
    tables: Tables
    expected: tuple[Expected, ...]
    layout: str
    style: Style
    publisher: str
    year: int
    anomaly: str | None

    @property
    def data(self) -> bytes:
        """The report as a file holds it (UTF-8)."""
        return self.text.encode("utf-8")


# -- drawing the numbers ------------------------------------------------------------------

# applicant -> (chance of no application, median count otherwise, before the publisher's size)
_APPLICANT_MIX = {
    "natural_person": (0.25, 6), "commercial_enterprise": (0.7, 2), "research_institution": (0.97, 1),
    "public_interest_org": (0.96, 1), "legal_service_org": (0.85, 1), "other_org": (0.85, 2),
}
_RESULT_WEIGHT = {"granted": 40, "partially_granted": 10, "unable_not_held": 20}  # other result rows: 2


def _count(rng: random.Random, p_zero: float, median: float) -> int:
    """0 with chance ``p_zero``, else a log-normal count ≥ 1: most small, a heavy tail."""
    if rng.random() < p_zero:
        return 0
    return max(1, round(rng.lognormvariate(math.log(max(median, 0.5)), 0.6)))


def _money(rng: random.Random, p_zero: float, median_yuan: float) -> float:
    """An amount in 万元 from a whole number of 元 (so 元 and 万元 print it exactly)."""
    yuan = _count(rng, p_zero, median_yuan)
    return float(Decimal(yuan).scaleb(-4))


def _change(rng: random.Random, items: int) -> int:
    """A signed change of an item count that leaves it ≥ 0."""
    step = _count(rng, 0.4, 1 + items / 20)
    return -min(step, items) if rng.random() < 0.4 else step


def publisher_size(publisher: str) -> float:
    """How big a publisher is (scales every count), the same in each of its years."""
    return random.Random(publisher).lognormvariate(0, 1)


def _disclosure(rng: random.Random, template: str, size: float, last: Tables | None) -> Values:
    d: Values = {}
    for item, measures in L.DISCLOSURE_LAYOUT[template]:
        if "new_made" in measures:
            made = _count(rng, 0.8 if item == "regulations" else 0.2, 15 * size)
        if "new_published" in measures:  # 2019: this year's made, published, and the published stock
            published = made if rng.random() < 0.7 else rng.randint(0, made)
            d[item, "new_made"], d[item, "new_published"] = made, published
            d[item, "total_published"] = published + _count(rng, 0.3, 40 * size)
        if "repealed" in measures:  # 2021: made, repealed, and the stock in force
            d[item, "new_made"], d[item, "repealed"] = made, _count(rng, 0.85, 1 + made / 5)
            d[item, "currently_valid"] = made + _count(rng, 0.3, 40 * size)
        if "prev_year_items" in measures:  # chained: last year's items plus its change
            if last and (item, "prev_year_items") in last.disclosure:  # a blank is 0
                items = (last.disclosure[item, "prev_year_items"] or 0) + (last.disclosure[item, "change"] or 0)
            else:
                items = _count(rng, 0.2, 150 * size)
            d[item, "prev_year_items"], d[item, "change"] = items, _change(rng, items)
        if "decisions" in measures:
            d[item, "decisions"] = _count(rng, 0.15, 400 * size)
        if "projects" in measures:
            d[item, "projects"] = projects = _count(rng, 0.4, 15 * size)
            d[item, "amount"] = _money(rng, 0.0, 200_000 * projects) if projects else 0.0
        if item == "administrative_fees" and "amount" in measures:
            d[item, "amount"] = _money(rng, 0.3, 300_000 * size)
    return d


def _applications(rng: random.Random, template: str, size: float, last: Tables | None) -> Values:
    rows = L.application_rows(template)
    parts = [r for r in rows if r not in BALANCE_ROWS]
    weights = [_RESULT_WEIGHT.get(r, 2) * rng.random() for r in parts]  # each publisher its own mix
    a: Values = {}
    for c in PEOPLE:
        p_zero, median = _APPLICANT_MIX[c]
        new = _count(rng, p_zero, median * size)
        over = (last.applications["carried_forward", c] or 0) if last else _count(rng, 0.85, 1)
        forward = min(new + over, _count(rng, 0.85, 1 + (new + over) / 30))
        done = Counter(rng.choices(parts, weights, k=new + over - forward))
        a.update({(r, c): done[r] for r in parts})
        a["new_received", c], a["carried_over", c], a["carried_forward", c] = new, over, forward
        a["results_total", c] = new + over - forward
    for r in rows:
        a[r, "total"] = sum(a[r, c] for c in PEOPLE)
    return a


def _appeals(rng: random.Random, size: float) -> Values:
    a: Values = {}
    for p in L.keys("proceeding"):
        outcomes = L.keys("outcome")[:-1]
        for o in outcomes:
            a[p, o] = _count(rng, 0.85 if p == "review" else 0.92, math.sqrt(size))
        a[p, "total"] = sum(a[p, o] for o in outcomes)
    return a


# figure stated in the prose -> (chance of 0, median before the publisher's size)
_FIGURES = {
    "proactive_website": (0.02, 1500), "proactive_new_media": (0.2, 600), "proactive_reading_points": (0.5, 80),
    "proactive_other": (0.5, 80), "consultations_onsite": (0.3, 100), "consultations_online": (0.3, 60),
    "consultations_phone": (0.3, 80),
}


def _narrative(rng: random.Random, applications: Values, size: float) -> dict[str, int]:
    n: dict[str, int] = {}
    for total, parts in PARTS.items():
        if rng.random() < 0.75:  # not every report states them
            figures = {k: _count(rng, _FIGURES[k][0], _FIGURES[k][1] * size) for k in parts}
            n |= {total: sum(figures.values()), **figures}
    n["applications_received"] = applications["new_received", "total"] or 0
    return n


# -- anomalies: each changes the numbers and says which findings that must raise ------------


def _nudge(rng: random.Random, value: int, floor: int = 0) -> int:
    """A nonzero change to ``value`` that keeps it ≥ ``floor``."""
    d = rng.randint(1, 9)
    return -d if rng.random() < 0.5 and value - d >= floor else d


def _balance(t: Tables, rng: random.Random) -> set[Expected]:
    c, d = rng.choice(PEOPLE), rng.randint(1, 9)
    for col in (c, "total"):  # the 总计 column moves too, so every row still adds up across
        t.applications["carried_forward", col] += d
    return {Expected("balance", "applications", "results_total", col) for col in (c, "total")}


def _row_sum(t: Tables, rng: random.Random) -> set[Expected]:
    row = rng.choice([r for r in L.application_rows(t.template) if r not in BALANCE_ROWS])
    c, d = rng.choice(PEOPLE), rng.randint(1, 9)
    for col in (c, "total"):
        t.applications[row, col] += d
    return {Expected("row_sum", "applications", "results_total", col) for col in (c, "total")}


def _column_sum(t: Tables, rng: random.Random) -> set[Expected]:
    row = rng.choice(L.application_rows(t.template))
    # ≥ 1: a 总计 left blank beside printed applicant cells is outside what a reader can prove (see with_blanks)
    t.applications[row, "total"] += _nudge(rng, t.applications[row, "total"], floor=1)
    found = {Expected("column_sum", "applications", row, "total")}
    if row not in ("new_received", "carried_over", "carried_forward"):  # a result row, or their total
        found.add(Expected("row_sum", "applications", "results_total", "total"))
    if row in BALANCE_ROWS:
        found.add(Expected("balance", "applications", "results_total", "total"))
    return found


def _appeals_sum(t: Tables, rng: random.Random) -> set[Expected]:
    p = rng.choice(L.keys("proceeding"))
    t.appeals[p, "total"] += _nudge(rng, t.appeals[p, "total"])
    return {Expected("appeals_sum", "appeals", p, "total")}


def _published_exceeds_total(t: Tables, rng: random.Random) -> set[Expected]:
    if t.template != "2019":
        raise ValueError("published_exceeds_total needs the 2019 template (2021 has no 对外公开总数量)")
    item = rng.choice(("regulations", "normative_documents"))
    published = t.disclosure[item, "new_published"] = t.disclosure[item, "new_published"] or rng.randint(1, 30)
    t.disclosure[item, "total_published"] = rng.randint(0, published - 1)
    return {Expected("published_exceeds_total", "disclosure", item, "total_published")}


def _carry_over(t: Tables, rng: random.Random) -> set[Expected]:
    c, d = rng.choice(PEOPLE), rng.randint(1, 9)
    for col in (c, "total"):  # carried forward moves with it, so this year still balances
        t.applications["carried_over", col] += d
        t.applications["carried_forward", col] += d
    return {Expected(CARRY_OVER, "applications", "carried_over", col) for col in (c, "total")}


def _narrative_mismatch(t: Tables, rng: random.Random) -> set[Expected]:
    key = rng.choice([k for k in ("proactive_total", "consultations_total", "applications_received")
                      if k in t.narrative])
    t.narrative[key] += rng.randint(1, 50)
    return {Expected("narrative_mismatch", "narrative", key, "total" if key == "applications_received" else None)}


_INJECT: dict[str, Callable[[Tables, random.Random], set[Expected]]] = {
    "balance": _balance, "row_sum": _row_sum, "column_sum": _column_sum, "appeals_sum": _appeals_sum,
    "published_exceeds_total": _published_exceeds_total, "narrative_mismatch": _narrative_mismatch,
    CARRY_OVER: _carry_over,
}


def draw(rng: random.Random, template: str, publisher: str, anomaly: str | None = None,
         last: Tables | None = None) -> tuple[Tables, set[Expected]]:
    """Consistent tables of one report, then the anomaly; ``last`` is the publisher's previous year.

    >>> t, found = draw(random.Random(1), "2019", "会宁县")
    >>> t.applications["new_received", "total"] + t.applications["carried_over", "total"] == (
    ...     t.applications["results_total", "total"] + t.applications["carried_forward", "total"]), found
    (True, set())
    """
    if anomaly is not None and anomaly not in _INJECT:
        raise ValueError(f"unknown anomaly {anomaly!r}; one of {sorted(_INJECT)}")
    size = publisher_size(publisher)
    t = Tables(template, _disclosure(rng, template, size, last), _applications(rng, template, size, last),
               _appeals(rng, size), {})
    found = _INJECT[anomaly](t, rng) if anomaly and anomaly != "narrative_mismatch" else set()
    t.narrative.update(_narrative(rng, t.applications, size))  # from the final tables: it agrees with them
    if anomaly == "narrative_mismatch":
        found = _narrative_mismatch(t, rng)
    return t, found


def with_blanks(t: Tables, p: float, rng: random.Random) -> Tables:
    """Print each 0 as an empty cell with chance ``p``.

    A 总计 of 0 is left blank only when its whole row is: a blank 总计 beside printed
    applicant cells would let a layout that drops empty cells read an applicant
    as the 总计 (report-format.md §7.3 keeps a last value equal to the sum of the others).
    """
    def blank(values: Values) -> Values:
        return {k: None if v == 0 and rng.random() < p else v for k, v in values.items()}

    apps = blank(t.applications)
    for r in {r for r, _ in apps}:
        if apps[r, "total"] is None and any(apps[r, c] is not None for c in PEOPLE):
            apps[r, "total"] = 0
    return Tables(t.template, blank(t.disclosure), apps, blank(t.appeals), t.narrative)


# -- printing cells ----------------------------------------------------------------------

_FULL_WIDTH = str.maketrans({"(": "（", ")": "）", ",": "，", ":": "："})
_QUOTED = re.compile(r'"([^"]*)"')
_CJK = re.compile(r"[\u4e00-\u9fff]")
_NUMBERED = re.compile(r"^(?:[一二三四五六七八九十]+、|\([一二三四五六七八九十]+\)|\d+\.)")
_PADS = ("\xa0\xa0{}", "{}\xa0", " {}", "\u3000\u3000{}", "\xa0{}\xa0\xa0")


def _depth(label: L.Label) -> int:
    """Nesting of a table-三 row label: 一、 0, (一) 1, 1. 2 (its first grid column)."""
    return 0 if "、" in label.zh[:3] else 1 if label.zh.startswith("(") else 2


class _Printer:
    """Cell text as one layout writes it: labels (with typos, wraps) and values (units, blanks)."""

    def __init__(self, layout: str, style: Style, rng: random.Random):
        self.layout, self.style, self.rng = layout, style, rng

    def label(self, lab: L.Label | str, role: str = "row") -> str:
        """A label cell; ``role`` is row, header or group (a merged label over several rows)."""
        rng, style = self.rng, self.style
        text = lab if isinstance(lab, str) else lab.zh
        if style.typos and not isinstance(lab, str) and lab.variants and rng.random() < 0.3:
            text = rng.choice(lab.variants)
        if style.full_width:
            text = text.translate(_FULL_WIDTH)
        text = _QUOTED.sub(r"“\1”", text)  # the template's curly quotes
        if self.layout == "tabbed" and role == "group" and style.vertical:
            head = _NUMBERED.match(L.normalize(text))
            k = len(head.group(0)) if head else 1
            k += rng.random() < 0.5  # 三、 / 本 年 … or (三)不 / 予 公 开
            return "\n\n".join([text[:k], *text[k:]])
        if style.typos and len(text) > 4 and rng.random() < 0.05:  # (四)无法 提供
            i = rng.randrange(1, len(text))
            text = text[:i] + " " + text[i:]
        wraps = (self.layout == "tabbed" or (self.layout == "blank-line" and role == "header"))
        if style.wrap and wraps and len(_CJK.findall(text)) >= 4 and rng.random() < 0.15:
            i = rng.randrange(2, len(text) - 1)
            if _CJK.search(text[:i]):  # a first line of only digits would read as a value
                return text[:i] + "\n" + text[i:]
        return text

    def value(self, v: int | float | None, kind: str = "count") -> str:
        if v is None:
            return " " if self.layout == "tabbed" and self.rng.random() < 0.5 else ""
        money = self.style.money
        if kind == "money":
            wan = Decimal(repr(v))
            number = wan * 10000 if money in ("元", "header_元") else wan
            text = format(number.normalize(), "f") + (money if money in ("万元", "万", "元") else "")
        elif kind == "change" and self.style.changes == "words" and v:
            text = f"{'增' if v > 0 else '减'}{abs(v)}"
        else:
            text = str(v)
        if self.layout == "tabbed" and self.style.padding and self.rng.random() < 0.5:
            text = self.rng.choice(_PADS).format(text)
        return text

    def money_header(self, lab: L.Label, template: str) -> str:
        """An amount's header: the unit the 2021 template prints, or the publisher's."""
        unit = self.style.money.removeprefix("header_") if self.style.money.startswith("header_") else None
        if template == "2021":
            unit = unit or lab.unit
        head = self.label(lab, "header")
        return head if unit is None else head + self.rng.choice(("（单位：{}）", "({})")).format(unit)


def disclosure_cells(t: Tables, p: _Printer) -> list[Cell]:
    """Table 二 as a grid: per block a caption, a 信息内容 header row and its item rows (4 columns)."""
    content = next(lab for lab in L.DISCLOSURE_HEADERS if lab.key == "content")
    cells, r = [], 0
    for _, block in groupby(L.DISCLOSURE_LAYOUT[t.template], key=lambda im: L.ARTICLE_20[im[0]]):
        block = list(block)
        measures = [L.measure(m, t.template) for m in block[0][1]]
        spans = [1] * (len(measures) - 1) + [4 - len(measures)]  # a short block merges its last column rightwards
        cells.append(Cell(r, 0, p.label(L.caption(block[0][0]), "header"), colspan=4))
        cells.append(Cell(r + 1, 0, p.label(content, "header")))
        cells += [Cell(r + 1, 1 + j, p.money_header(m, t.template) if m.kind == "money" else p.label(m, "header"),
                       colspan=s) for j, (m, s) in enumerate(zip(measures, spans))]
        r += 2
        for item, _ in block:
            lab = next(x for x in L.DISCLOSURE_ITEMS if x.key == item and t.template in x.templates)
            cells.append(Cell(r, 0, p.label(lab)))
            cells += [Cell(r, 1 + j, p.value(t.disclosure[item, m.key], m.kind), colspan=s)
                      for j, (m, s) in enumerate(zip(measures, spans))]
            r += 1
    return cells


def application_cells(t: Tables, p: _Printer) -> list[Cell]:
    """Table 三 as a grid: 3 label columns (nested groups) and 7 applicant columns."""
    head = {lab.key: lab for lab in L.APPLICATION_HEADERS}
    cells = [Cell(0, 0, p.label(head["note"].zh, "header"), rowspan=3, colspan=3),  # its variant only matches
             Cell(0, 3, p.label(head["applicant_situation"], "header"), colspan=7),
             Cell(1, 3, p.label(head["natural_person"], "header"), rowspan=2),
             Cell(1, 4, p.label(head["legal_person"], "header"), colspan=5),
             Cell(1, 9, p.label(head["total"], "header"), rowspan=2)]
    cells += [Cell(2, 4 + j, p.label(head[c], "header")) for j, c in enumerate(APPLICANTS[1:-1])]
    rows = [lab for lab in L.APPLICATION_ROWS if t.template in lab.templates]
    r = 3
    for i, lab in enumerate(rows):
        depth = _depth(lab)
        if lab.group:  # spans the data rows nested under it and sits in the first one's row
            under = 0
            for sub in rows[i + 1:]:
                if _depth(sub) <= depth:
                    break
                under += not sub.group
            cells.append(Cell(r, depth, p.label(lab, "group"), rowspan=under))
            continue
        cells.append(Cell(r, depth, p.label(lab), colspan=3 - depth))
        cells += [Cell(r, 3 + j, p.value(t.applications[lab.key, c])) for j, c in enumerate(APPLICANTS)]
        r += 1
    return cells


def appeals_cells(t: Tables, p: _Printer) -> list[Cell]:
    """Table 四 as a grid: 15 columns under 行政复议 (5) and 行政诉讼 (2 × 5), one data row."""
    head = {lab.key: lab for lab in L.APPEALS_HEADERS}
    outcomes = [head[o] for o in L.keys("outcome")]
    cells = [Cell(0, 0, p.label(head["review"], "header"), colspan=5),
             Cell(0, 5, p.label(head["litigation"], "header"), colspan=10)]
    cells += [Cell(1, j, p.label(o, "header"), rowspan=2) for j, o in enumerate(outcomes)]
    cells += [Cell(1, 5, p.label(head["litigation_direct"], "header"), colspan=5),
              Cell(1, 10, p.label(head["litigation_after_review"], "header"), colspan=5)]
    cells += [Cell(2, 5 + j, p.label(o, "header")) for j, o in enumerate(outcomes * 2)]
    keys = [(pr, o) for pr in L.keys("proceeding") for o in L.keys("outcome")]
    cells += [Cell(3, j, p.value(t.appeals[key])) for j, key in enumerate(keys)]
    return cells


# -- the three layouts: a table's cells -> lines --------------------------------------------


def _rows(cells: list[Cell]) -> list[list[Cell]]:
    return [list(row) for _, row in groupby(sorted(cells, key=lambda c: (c.row, c.col)), key=lambda c: c.row)]


def tabbed_lines(cells: list[Cell]) -> list[str]:
    """One ``\\t`` line per cell, merged cells repeated as empty cells, rows split by an empty line."""
    return formats.render([cells]).split("\n")[:-1]


def blank_line_lines(cells: list[Cell]) -> list[str]:
    """One paragraph per non-empty cell (and per wrapped line of a header); empty cells dropped."""
    return [part for c in sorted(cells, key=lambda c: (c.row, c.col)) for part in c.text.split("\n") if part.strip()]


def pipe_lines(cells: list[Cell]) -> list[str]:
    """``text |`` per cell; after each row but the last, one ``|`` per grid position a span covers."""
    width = max(c.col + c.colspan for c in cells)
    rows = _rows(cells)
    lines: list[str] = []
    for i, row in enumerate(rows):
        lines += [f"{c.text} |" for c in row]
        if i < len(rows) - 1 and width > len(row):
            lines.append("|" * (width - len(row)))
    return lines


_TABLE_LINES = {"tabbed": tabbed_lines, "blank-line": blank_line_lines, "pipe": pipe_lines}


# -- prose ---------------------------------------------------------------------------------


def _overview(t: Tables, publisher: str, year: int) -> list[str]:
    n = t.narrative
    out = [f"{year}年，{publisher}坚持以公开为常态、不公开为例外，认真贯彻落实《中华人民共和国政府信息公开条例》，"
           "持续推进决策、执行、管理、服务、结果公开，政府信息公开工作取得新成效。"]
    if "proactive_total" in n:
        out.append(f"（一）主动公开情况。全年主动公开政府信息{n['proactive_total']}条，其中政府网站公开政府信息"
                   f"{n['proactive_website']}条，政务新媒体公开政府信息{n['proactive_new_media']}条，公开查阅点公开政府信息"
                   f"{n['proactive_reading_points']}条，其他方式公开政府信息{n['proactive_other']}条。")
    out.append(f"（二）依申请公开情况。全年共收到政府信息公开申请{n['applications_received']}件，均已在法定期限内答复。")
    if "consultations_total" in n:
        out.append(f"（三）平台建设。接受政府信息公开咨询{n['consultations_total']}人次（其中现场咨询"
                   f"{n['consultations_onsite']}人次，网上咨询{n['consultations_online']}人次，电话咨询"
                   f"{n['consultations_phone']}人次），政府门户网站运行平稳。")
    out.append("（四）监督保障。将政务公开工作纳入年度绩效考核，定期通报各单位信息发布情况，确保公开工作落到实处。")
    return out


_PROBLEMS = ["一是主动公开的意识还不够强，部分单位信息更新不够及时。",
             "二是政策解读的形式比较单一，图解、视频等解读方式运用不多。",
             "下一步，我们将进一步健全工作机制，加强业务培训，提升政府信息公开工作的质量和实效。"]


def _other(t: Tables, rng: random.Random) -> list[str]:
    if t.template == "2021":
        return [rng.choice(("本年度未收取信息处理费。", f"本年度收取信息处理费{rng.randint(1, 9) * 10}元。"))]
    return ["无其他需要报告的事项。"]


def _heading(lab: L.Label, style: Style, rng: random.Random) -> str:
    text = rng.choice(lab.variants) if style.typos and lab.variants and rng.random() < 0.5 else lab.zh
    return text + ("\xa0" if style.typos and rng.random() < 0.2 else "")


def render(t: Tables, layout: str, *, publisher: str, year: int, style: Style = Style(), seed: int = 0) -> str:
    """The full text of a report with these tables, in one layout.

    >>> t, _ = draw(random.Random(3), "2019", "巴青县")
    >>> text = render(t, "tabbed", publisher="巴青县", year=2019)
    >>> "\\n三、收到和处理政府信息公开申请情况\\n\\t（本列数据的勾稽关系为：" in text
    True
    """
    if layout not in _TABLE_LINES:
        raise ValueError(f"unknown layout {layout!r}; one of {LAYOUTS}")
    rng = random.Random(seed)
    printer = _Printer(layout, style, rng)
    title = f"{publisher}{year}{rng.choice(('年', '年度'))}政府信息公开工作年度报告"
    preamble = (f"本报告根据《中华人民共和国政府信息公开条例》要求编制，所列数据的统计期限为{year}年1月1日至"
                f"{year}年12月31日。如对本报告有疑问，请与{publisher}联系。")
    overview = _overview(t, publisher, year)
    bodies: list[list[str]] = [
        overview, _TABLE_LINES[layout](disclosure_cells(t, printer)),
        _TABLE_LINES[layout](application_cells(t, printer)), _TABLE_LINES[layout](appeals_cells(t, printer)),
        _PROBLEMS, _other(t, rng)]
    sections = [[_heading(lab, style, rng), *body] for lab, body in zip(L.SECTIONS, bodies)]
    date = f"{year + 1}-03-{rng.randint(10, 31)}"
    if layout == "blank-line":  # a scraped page: site chrome, a byline and a teaser around the report
        head = ["政务资讯网", "反馈", "取消", "热门搜词", f"{title}简介", f"{date} 作者:佚名", f"导读:{L.SECTIONS[0].zh} {overview[0]}"]
        tail = ["*文章为作者独立观点，不代表本站立场。", "热门推荐", "相关阅读"]
        return "\n\n".join([*head, preamble, *(line for s in sections for line in s), *tail]) + "\n"
    if layout == "pipe":  # an exported page: document metadata before the title
        head = [f"- 索引号:{publisher}/{year + 1}-{rng.randint(1, 99):05d}", "- 发文字号:", f"- 发文机构:{publisher}",
                f"- 名 称:{title}", "- 公文种类 :其他", f"- 发布日期:{date} 10:00", title, f"发布时间:{date} 10:00 浏览次数:"]
        return "\n".join([*head, preamble, *(line for s in sections for line in s), f"{year + 1}年3月10日"]) + "\n"
    if rng.random() < 0.3:  # a title broken after its year, or indented
        title = title.replace("政府信息公开工作", "\n政府信息公开工作", 1)
    lines = ["  " * (rng.random() < 0.3) + title, "", preamble]
    for heading, *body in sections:
        prose = not body or not body[0].startswith("\t")
        lines += [heading, *(line for b in body for line in ([b, ""] if prose and rng.random() < 0.5 else [b]))]
    return "\n".join(lines) + "\n"


# -- reports and corpora --------------------------------------------------------------------

_PLACE = "安宁平和顺德兴华阳泉山川江河湖海东西南北中新永长乐昌盛丰富康泰清源云龙凤林松柏金石玉城明光宜春"
_KIND = ("县", "市", "区", "县人民政府", "市人民政府办公室", "乡", "镇人民政府", "区人民政府")


def publisher_name(i: int) -> str:
    """A distinct made-up publisher per number.

    >>> publisher_name(0), publisher_name(1) != publisher_name(0)
    ('安安县', True)
    """
    n, p = len(_PLACE), len(_KIND)
    name = _PLACE[i % n] + _PLACE[i // n % n] + (_PLACE[i // n // n % n] if i >= n * n else "")
    return name + _KIND[i // (n * n * n) % p if i >= n * n * n else i % p]


def _template_of(year: int, rng: random.Random) -> str:
    """The template a report of a year uses; a few 2021+ reports keep the old form."""
    return "2021" if year >= 2021 and rng.random() > 0.05 else "2019"


def generate(seed: int, *, template: str | None = None, layout: str | None = None, anomaly: str | None = None,
             style: Style | None = None, publisher: str | None = None, year: int | None = None,
             last: Synthetic | None = None) -> Synthetic:
    """One synthetic report; every choice left ``None`` is drawn from ``seed``.

    ``last`` is the same publisher's report of the year before: its 结转下年度 becomes
    this year's 上年结转 and its items plus changes this year's 上一年项目数量 (the
    ``carry_over_mismatch`` anomaly breaks the first chain, as a cross-report check sees).

    >>> s = generate(1, template="2019", layout="tabbed", anomaly="balance")
    >>> sorted(e.column for e in s.expected)[-1], s.year in (2019, 2020)
    ('total', True)
    """
    rng = random.Random(seed)
    publisher = publisher or (last.publisher if last else publisher_name(rng.randrange(10_000)))
    year = year or (last.year + 1 if last else None)
    if year is None:
        year = rng.choice((2019, 2020) if template == "2019" else (2021, 2022, 2023) if template else range(2019, 2024))
    template = template or _template_of(year, rng)
    layout = layout or rng.choice(LAYOUTS)
    style = style or Style.random(rng)
    numbers, found = draw(rng, template, publisher, anomaly, last.tables if last else None)
    if last:  # a 总计 broken last year (column_sum) does not carry into this year's, which adds up
        found |= {Expected(CARRY_OVER, "applications", "carried_over", c) for c in APPLICANTS
                  if numbers.applications["carried_over", c] != (last.tables.applications["carried_forward", c] or 0)}
    printed = with_blanks(numbers, style.blank_zeros, rng)
    amount = ("centralized_procurement", "amount")
    if template == "2019" and style.money == "bare" and printed.disclosure[amount] is not None:
        found.add(Expected("assumed_unit", "disclosure", "centralized_procurement", "amount"))
    text = render(printed, layout, publisher=publisher, year=year, style=style, seed=rng.randrange(2 ** 32))
    return Synthetic(text, printed, tuple(sorted(found, key=str)), layout, style, publisher, year, anomaly)



def series(seed: int, years: int, *, first_year: int = 2019, publisher: str | None = None,
           anomaly_rate: float = 0.1) -> Iterator[Synthetic]:
    """One publisher's reports for consecutive years, chained (carry-over, item counts).

    A report has an anomaly with chance ``anomaly_rate``; after the first year
    that may be ``carry_over_mismatch``, which only a corpus check sees.

    >>> a, b = series(5, 2, first_year=2020, anomaly_rate=0)
    >>> a.tables.applications["carried_forward", "total"] == b.tables.applications["carried_over", "total"]
    True
    """
    rng = random.Random(seed)
    publisher = publisher or publisher_name(rng.randrange(10_000))
    layout = rng.choice(LAYOUTS)  # a publisher mostly keeps its website, so its layout
    last = None
    for year in range(first_year, first_year + years):
        template = _template_of(year, rng)
        kinds = [k for k in ANOMALIES if template == "2019" or k != "published_exceeds_total"]
        anomaly = rng.choice(kinds + [CARRY_OVER] * (last is not None)) if rng.random() < anomaly_rate else None
        last = generate(rng.randrange(2 ** 32), template=template, layout=layout if rng.random() < 0.8 else None,
                        anomaly=anomaly, publisher=publisher, year=year, last=last)
        yield last


def write_corpus(out_dir: str | os.PathLike, n: int, seed: int = 0, *, anomaly_rate: float = 0.1) -> list[Path]:
    """Write ``n`` reports of publishers with 1–5 consecutive years each, and ``manifest.jsonl``.

    Files are ``<publisher number>_<year>.txt``; each manifest line names one
    file with its publisher, year, template, layout, style, anomaly and the
    findings it must give (``carry_over_mismatch`` across its publisher's years).

    >>> import tempfile
    >>> paths = write_corpus(tempfile.mkdtemp(), 3, seed=1)
    >>> len(paths), (paths[0].parent / "manifest.jsonl").read_text().count("\\n")
    (3, 3)
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    paths: list[Path] = []
    with (out / "manifest.jsonl").open("w", encoding="utf-8") as manifest:
        for i in range(n):
            if len(paths) == n:
                break
            years = min(rng.randint(1, 5), n - len(paths))
            for s in series(rng.randrange(2 ** 32), years, first_year=rng.randint(2019, 2025 - years),
                            publisher=publisher_name(i), anomaly_rate=anomaly_rate):
                path = out / f"{i:05d}_{s.year}.txt"
                path.write_bytes(s.data)
                paths.append(path)
                manifest.write(json.dumps({
                    "file": path.name, "publisher": s.publisher, "year": s.year, "template": s.tables.template,
                    "layout": s.layout, "style": asdict(s.style), "anomaly": s.anomaly,
                    "expected": [list(e) for e in s.expected]}, ensure_ascii=False) + "\n")
    return paths
