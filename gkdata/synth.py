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

Besides the seeds' three layouts, :class:`Rendering` writes every rendering real
pages use (renderings.md part A: ``pipe-rows``, ``tab-rows``, ``aligned``,
``spaced``, ``run-together`` and the seed layouts' variants), any heading style
(part B), and a text cut off inside a table (A7). The result records what it
printed where (:attr:`Synthetic.printed`), so a test can tell which cells a
rendering makes certain. The ``pdf`` rendering (:data:`DOCUMENTS`) writes a PDF file
instead (:mod:`gkdata.synth_pdf`: ruled or not, vertical header labels, tables over
page breaks); :attr:`Synthetic.data` is then the file.

>>> s = generate(7, template="2021", layout=Rendering("pipe-rows", edges=True, rules=True))
>>> s.layout, sum(line.startswith("|---|") for line in s.text.splitlines())
('pipe-rows', 3)
"""

from __future__ import annotations

import json
import math
import os
import random
import re
from collections import Counter
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, fields
from decimal import Decimal
from itertools import groupby
from pathlib import Path
from typing import NamedTuple

from . import formats, layouts
from . import labels as L
from .formats import Cell
from .narrative import PARTS

LAYOUTS = ("tabbed", "blank-line", "pipe")  # the seeds' layouts: what generate draws when none is given
# Every layout name meta.layout reports: the seeds' (and their variants) and the renderings of renderings.md A.
RENDERINGS = layouts.RENDERINGS
DOCUMENTS = ("pdf",)  # renderings written as a file of that format (gkdata.synth_pdf), read as meta.layout pdf
TABLES = L.TABLES
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


# Heading styles (renderings.md B): the template's numbering, another one, none, or no headings at all.
NUMBERINGS = ("template", "paren", "arabic", "part", "bare", "none")
HEADING_MARKS = ("", "## ", "**")


@dataclass(frozen=True)
class Rendering:
    """How the tables (and headings) are written out as text: one layout of :data:`RENDERINGS` and its options.

    Each option's first value in :data:`VARIANTS` is the default; a layout's
    options not listed there are ignored by it.
    """

    layout: str = "tabbed"
    # pipe-rows: a row per line, `` | `` between cells
    edges: bool = False  # a leading ``| `` too (markdown)
    rules: bool = False  # markdown: a ``|---|`` line under each table's first row
    # pipe-rows: cell (``| |`` in place) | run (bare pipes at the row's end) | pad (in place, row padded with ``| |``);
    # pipe: cell (`` |`` line) | run (a row's consecutive empty cells as one ``|||`` line) | drop (not written)
    empty: str = "cell"
    spans: str = "first"  # pipe-rows, tab-rows: a merged cell in its first row only (first) | every grid position (grid)
    split: bool = False  # pipe: the cell's text on one line, its ``|`` on the next
    counted: bool = False  # blank-line: each empty cell adds one more empty line
    align: str = "left"  # aligned: values and headers left in their columns, or centred
    valign: str = "top"  # aligned: a row's cells at the top of a wrapped label, or in its middle
    vertical: bool = False  # aligned: narrow value columns, header labels one character per line
    numbering: str = "template"  # headings: one of NUMBERINGS
    mark: str = ""  # headings: one of HEADING_MARKS
    cut: bool = False  # the text ends inside a table (a page of two, a cut download)
    rotate: int = 0  # pdf: landscape pages stored portrait, turned by /Rotate 90 or 270 (content drawn turned back)

    def __post_init__(self):
        if self.layout not in RENDERINGS + DOCUMENTS:
            raise ValueError(f"unknown layout {self.layout!r}; one of {RENDERINGS + DOCUMENTS}")
        for f, allowed in {**VARIANTS.get(self.layout, {}), **_ANY}.items():
            if getattr(self, f) not in allowed:
                raise ValueError(f"{self.layout}: {f}={getattr(self, f)!r}, not one of {allowed}")

    @classmethod
    def random(cls, layout: str, rng: random.Random, *, cut: bool = False) -> Rendering:
        """A rendering of ``layout`` with options drawn at random (the default as often as not)."""
        options = {f: v[0] if rng.random() < 0.5 else rng.choice(v) for f, v in VARIANTS.get(layout, {}).items()}
        options |= {f: v[0] if rng.random() < 0.6 else rng.choice(v) for f, v in _ANY.items() if f != "cut"}
        return cls(layout, **options, cut=cut)

    def __repr__(self) -> str:
        return "Rendering(" + ", ".join([repr(self.layout), *(f"{k}={v!r}" for k, v in self.options.items())]) + ")"

    @property
    def options(self) -> dict[str, object]:
        """The options that differ from the defaults (what a manifest or a failing example names)."""
        return {f.name: getattr(self, f.name) for f in fields(self)
                if f.name != "layout" and getattr(self, f.name) != f.default}


# layout -> its options and their values (the default first)
VARIANTS: dict[str, dict[str, tuple]] = {
    "pipe-rows": {"edges": (False, True), "rules": (False, True), "empty": ("cell", "run", "pad"),
                  "spans": ("first", "grid")},
    "tab-rows": {"spans": ("first", "grid")},
    "pipe": {"empty": ("cell", "run", "drop"), "split": (False, True)},
    "blank-line": {"counted": (False, True)},
    "aligned": {"align": ("left", "center"), "valign": ("top", "middle"), "vertical": (False, True)},
    # pdf: rules = the cells' borders drawn; split = a row may break across a page (gkdata.synth_pdf)
    "pdf": {"rules": (False, True), "vertical": (False, True), "valign": ("top", "middle"), "align": ("left", "center"),
            "split": (False, True), "rotate": (0, 90, 270)},
}
_ANY = {"numbering": NUMBERINGS, "mark": HEADING_MARKS, "cut": (False, True)}


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
    rendering: Rendering = Rendering()
    printed: dict[str, Printed] | None = None  # table -> its grid as printed and which key each value cell holds
    cut: tuple[str, int] | None = None  # (table, grid row) the text ends in: that row and all after are unread
    seed: int | None = None  # generate(seed, template=, layout=rendering, anomaly=, style=) writes it again
    seat: str | None = None  # the publisher's full name with the places it is in, printed in the preamble
    document: bytes | None = None  # the file of a document rendering (DOCUMENTS: a PDF); text is what it shows

    def __repr__(self) -> str:  # what a failing test needs to write the report again, not its tables
        return (f"generate({self.seed}, template={self.tables.template!r}, layout={self.rendering!r}, "
                f"anomaly={self.anomaly!r}, style={self.style!r})  # cut={self.cut}")

    def _repr_pretty_(self, p, cycle) -> None:  # hypothesis prints examples with this
        p.text(repr(self))

    @property
    def data(self) -> bytes:
        """The report as a file holds it (UTF-8 text, or the document of a PDF rendering)."""
        return self.document if self.document is not None else self.text.encode("utf-8")

    def unread(self) -> dict[str, set]:
        """The cells the text holds no whole row for, by table: at and after the cut (none without a cut)."""
        if self.cut is None:
            return {name: set() for name in TABLES}
        table, row = self.cut
        after = TABLES.index(table)
        out = {}
        for i, name in enumerate(TABLES):
            keys = self.printed[name].keys
            out[name] = (set() if i < after else set(keys.values()) if i > after
                         else {k for (r, _), k in keys.items() if r >= row})
        return out


class Printed(NamedTuple):
    """One table as laid out: its cells (text as printed) and the key of each value cell by (row, col)."""

    cells: tuple[Cell, ...]
    keys: dict[tuple[int, int], tuple[str, str]]

    def rows(self) -> dict[int, list[tuple[tuple[str, str], str]]]:
        """Grid row -> its value cells as (key, printed text), left to right."""
        text = {(c.row, c.col): c.text for c in self.cells}
        out: dict[int, list] = {}
        for (r, c), k in sorted(self.keys.items()):
            out.setdefault(r, []).append((k, text[r, c]))
        return out


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
_PADDED = ("tabbed", "tab-rows", "pipe-rows")  # renderings where a cell's own padding stays inside its cell
_RUN_BLANKS = ("/", "—", "无")  # the blanks run-together prints (numbers.BLANKS)


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
            # spaced, aligned and pdf split cells at spaces: never 1 .属于… or 1. 属于… there (a lone 1 is a value)
            if self.layout not in ("spaced", "aligned", "pdf") or not re.fullmatch(r"[\d.]*", text[:i]):
                text = text[:i] + " " + text[i:]
        wraps = (self.layout == "tabbed" or (self.layout == "blank-line" and role == "header"))
        if style.wrap and wraps and len(_CJK.findall(text)) >= 4 and rng.random() < 0.15:
            i = rng.randrange(2, len(text) - 1)
            if _CJK.search(text[:i]):  # a first line of only digits would read as a value
                return text[:i] + "\n" + text[i:]
        return text

    def value(self, v: int | float | None, kind: str = "count") -> str:
        if v is None:
            if self.layout == "run-together":  # an empty cell would be invisible: 规章/12 3, not 规章123
                return self.rng.choice(_RUN_BLANKS)
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
        if self.layout in _PADDED and self.style.padding and self.rng.random() < 0.5:
            text = self.rng.choice(_PADS).format(text)
        return text

    def money_header(self, lab: L.Label, template: str) -> str:
        """An amount's header: the unit the 2021 template prints, or the publisher's."""
        unit = self.style.money.removeprefix("header_") if self.style.money.startswith("header_") else None
        if template == "2021":
            unit = unit or lab.unit
        head = self.label(lab, "header")
        return head if unit is None else head + self.rng.choice(("（单位：{}）", "({})")).format(unit)


def disclosure_cells(t: Tables, p: _Printer, keys: dict | None = None) -> list[Cell]:
    """Table 二 as a grid: per block a caption, a 信息内容 header row and its item rows (4 columns).

    ``keys``, when given, gets the (item, measure) of each value cell by its (row, col).
    """
    keys = {} if keys is None else keys
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
            keys.update({(r, 1 + j): (item, m.key) for j, m in enumerate(measures)})
            r += 1
    return cells


def application_cells(t: Tables, p: _Printer, keys: dict | None = None) -> list[Cell]:
    """Table 三 as a grid: 3 label columns (nested groups) and 7 applicant columns."""
    keys = {} if keys is None else keys
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
        depth = L.depth(lab)
        if lab.group:  # spans the data rows nested under it and sits in the first one's row
            under = 0
            for sub in rows[i + 1:]:
                if L.depth(sub) <= depth:
                    break
                under += not sub.group
            cells.append(Cell(r, depth, p.label(lab, "group"), rowspan=under))
            continue
        cells.append(Cell(r, depth, p.label(lab), colspan=L.label_colspan("applications", lab.key)))
        cells += [Cell(r, 3 + j, p.value(t.applications[lab.key, c])) for j, c in enumerate(APPLICANTS)]
        keys.update({(r, 3 + j): (lab.key, c) for j, c in enumerate(APPLICANTS)})
        r += 1
    return cells


def appeals_cells(t: Tables, p: _Printer, keys: dict | None = None) -> list[Cell]:
    """Table 四 as a grid: 15 columns under 行政复议 (5) and 行政诉讼 (2 × 5), one data row."""
    keys = {} if keys is None else keys
    head = {lab.key: lab for lab in L.APPEALS_HEADERS}
    outcomes = [head[o] for o in L.keys("outcome")]
    cells = [Cell(0, 0, p.label(head["review"], "header"), colspan=5),
             Cell(0, 5, p.label(head["litigation"], "header"), colspan=10)]
    cells += [Cell(1, j, p.label(o, "header"), rowspan=2) for j, o in enumerate(outcomes)]
    cells += [Cell(1, 5, p.label(head["litigation_direct"], "header"), colspan=5),
              Cell(1, 10, p.label(head["litigation_after_review"], "header"), colspan=5)]
    cells += [Cell(2, 5 + j, p.label(o, "header")) for j, o in enumerate(outcomes * 2)]
    order = [(pr, o) for pr in L.keys("proceeding") for o in L.keys("outcome")]
    cells += [Cell(3, j, p.value(t.appeals[key])) for j, key in enumerate(order)]
    keys.update({(3, j): key for j, key in enumerate(order)})
    return cells


# -- renderings: a table's cells -> lines ---------------------------------------------------
#
# Each takes the table's cells, the rendering, a random source (for its own choices only) and
# the value cells' keys by (row, col); an empty value cell is one whose text is blank.


def _rows(cells: list[Cell]) -> list[list[Cell]]:
    return [list(row) for _, row in groupby(sorted(cells, key=lambda c: (c.row, c.col)), key=lambda c: c.row)]


def _row_texts(cells: list[Cell], spans: str = "first") -> list[list[str]]:
    """Each grid row's cell texts: the cells that start in it (first), or every grid position (grid:
    a position a merged cell covers is an empty cell)."""
    if spans == "first":
        return [[c.text for c in row] for row in _rows(cells)]
    grid = [[""] * max(c.col + c.colspan for c in cells) for _ in range(max(c.row + c.rowspan for c in cells))]
    for c in cells:
        grid[c.row][c.col] = c.text
    return grid


def tabbed_lines(cells: list[Cell], r: Rendering | None = None, rng: random.Random | None = None,
                 keys: dict | None = None) -> list[str]:
    """One ``\\t`` line per cell, merged cells repeated as empty cells, rows split by an empty line."""
    return formats.render([cells]).split("\n")[:-1]


_EMPTY_LINE = "\x00"  # blank-line (counted): an empty cell, written as one more empty line


def blank_line_lines(cells: list[Cell], r: Rendering | None = None, rng: random.Random | None = None,
                     keys: dict | None = None) -> list[str]:
    """One paragraph per non-empty cell (and per wrapped line of a header); empty cells dropped, or
    (``counted``) each written as one more empty line."""
    counted = r is not None and r.counted
    return [part for c in sorted(cells, key=lambda c: (c.row, c.col))
            for part in (c.text.split("\n") if c.text.strip() else [_EMPTY_LINE] if counted else [])
            if part.strip()]


def pipe_lines(cells: list[Cell], r: Rendering | None = None, rng: random.Random | None = None,
               keys: dict | None = None) -> list[str]:
    """``text |`` per cell; after each row but the last, one ``|`` per grid position a span covers.

    Variants: the ``|`` on the line after the text (``split``); an empty cell as a `` |`` line (the
    seed's), a row's consecutive empty cells as one ``|||`` line (``empty="run"``), or not written.
    """
    r = r or Rendering("pipe")
    width = max(c.col + c.colspan for c in cells)
    rows = _rows(cells)
    lines: list[str] = []
    for i, row in enumerate(rows):
        run = 0
        for c in row:
            if not c.text.strip() and r.empty != "cell":
                run += r.empty == "run"
                continue
            if run:
                lines.append("|" * run)
                run = 0
            if r.split:
                lines += [c.text, "|"] if c.text.strip() else ["|"]
            else:
                lines.append(f"{c.text} |")
        if run:
            lines.append("|" * run)
        if i < len(rows) - 1 and width > len(row):
            lines.append("|" * (width - len(row)))
    return lines


def pipe_rows_lines(cells: list[Cell], r: Rendering | None = None, rng: random.Random | None = None,
                    keys: dict | None = None) -> list[str]:
    """A row per line, ``text |`` per cell: ``一、本年新收… | 12 | | 0 |``.

    Options: a leading ``| `` (``edges``) and a ``|---|`` rule under the first row (``rules``);
    empty cells as ``| |`` in place (``cell``), or so and each row padded to the grid's width with
    trailing ``| |`` (``pad``), or dropped and counted as bare pipes at the row's end (``run``:
    ``| 5 | 5 ||||||``, their positions lost); a merged cell in its first row only (``first``) or
    every grid position a cell (``grid``).
    """
    r = r or Rendering("pipe-rows")
    width = max(c.col + c.colspan for c in cells)
    lines = []
    for i, texts in enumerate(_row_texts(cells, r.spans)):
        shown = [t for t in texts if t.strip()] if r.empty == "run" else texts
        line = "".join((" " + t if t.strip() else "") + " |" for t in shown).lstrip()
        if r.empty == "run":
            line += "|" * (len(texts) - len(shown))
        elif r.empty == "pad":
            line += " |" * (width - len(shown))
        lines.append("| " + line if r.edges else line)
        if i == 0 and r.edges and r.rules:
            lines.append("|" + "---|" * max(len(shown), width if r.empty == "pad" else 0))
    return lines


def tab_rows_lines(cells: list[Cell], r: Rendering | None = None, rng: random.Random | None = None,
                   keys: dict | None = None) -> list[str]:
    """A row per line, TAB between cells, an empty cell an empty field (text copied from a browser)."""
    return ["\t".join(texts) for texts in _row_texts(cells, (r or Rendering("tab-rows")).spans)]


def spaced_lines(cells: list[Cell], r: Rendering | None = None, rng: random.Random | None = None,
                 keys: dict | None = None) -> list[str]:
    """A row per line, one space between cells, empty cells dropped (a PDF's text without -layout)."""
    return [" ".join(t.strip() for t in texts if t.strip()) for texts in _row_texts(cells)]


def run_together_lines(cells: list[Cell], r: Rendering | None = None, rng: random.Random | None = None,
                       keys: dict | None = None) -> list[str]:
    """A row per line, the cells run together with no separator: ``规章000``."""
    return ["".join(t.strip() for t in texts) for texts in _row_texts(cells)]


def display_width(text: str) -> int:
    """Columns a monospaced text layer gives ``text``: a wide (CJK) character takes two.

    >>> display_width("规章 12"), display_width("（一）")
    (7, 6)
    """
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in "WF"


def _wrap(text: str, width: int, vertical: bool = False) -> list[str]:
    """``text`` in lines of at most ``width`` columns, broken before a wide character only (a run of
    narrow ones — ``1.``, ``(``, ``,`` — stays with the wide character after it, or the last one), so
    no line is only digits; ``vertical``: one wide character per line.

    >>> _wrap("1.属于国家秘密", 8), _wrap("本年增/减", 2, vertical=True)
    (['1.属于国', '家秘密'], ['本', '年', '增', '/减'])
    """
    tokens: list[str] = []
    pending = ""
    for ch in text:
        if _wide(ch):
            tokens.append(pending + ch)
            pending = ""
        else:
            pending += ch
    if pending:
        if tokens:
            tokens[-1] += pending
        else:
            tokens.append(pending)
    if vertical:
        return [t.strip() for t in tokens if t.strip()]
    lines, cur = [], ""
    for tok in tokens:
        if cur.strip() and display_width(cur + tok) > width:
            lines.append(cur.rstrip())
            cur = tok.lstrip()
        else:
            cur += tok
    lines.append(cur.rstrip())
    return [line for line in lines if line]


def aligned_lines(cells: list[Cell], r: Rendering | None = None, rng: random.Random | None = None,
                  keys: dict | None = None) -> list[str]:
    """Cells at character columns, as ``pdftotext -layout`` writes a PDF table.

    A wide character takes two columns; an empty cell is a gap; a long label wraps onto the next
    lines of its column; header labels wrap in their columns, interleaved across them (one
    character per line with ``vertical``). ``valign`` puts a row's cells at the top of its wrapped
    label or in its middle, ``align`` values and headers at the left of their columns or centred.
    """
    r = r or Rendering("aligned")
    rng = rng or random.Random(0)
    keys = keys or {}
    ncols = max(c.col + c.colspan for c in cells)
    nrows = max(c.row + c.rowspan for c in cells)
    first_value = min((c for _, c in keys), default=ncols)
    data_rows = {row for row, _ in keys}
    label_cap, head_cap = rng.randint(14, 24), rng.randint(8, 12)
    gap, indent = rng.randint(2, 4), rng.choice((0, 0, 1, 2))

    def role(c: Cell) -> str:
        if (c.row, c.col) in keys:
            return "value"
        return "header" if c.row not in data_rows and c.col >= first_value else "label"

    wrapped: dict[Cell, list[str]] = {}
    widths = [1] * ncols
    for c in cells:  # one-column cells fix the widths
        if c.colspan > 1:
            continue
        kind = role(c)
        if kind == "value":
            wrapped[c] = [c.text.strip()] if c.text.strip() else []
        elif kind == "header":
            wrapped[c] = _wrap(c.text, 2, vertical=True) if r.vertical else _wrap(c.text, head_cap)
        else:
            wrapped[c] = _wrap(c.text, label_cap)
        widths[c.col] = max(widths[c.col], *(display_width(line) for line in wrapped[c] or [""]))
    for c in sorted((c for c in cells if c.colspan > 1), key=lambda c: c.colspan):  # then the merged ones
        span = sum(widths[c.col:c.col + c.colspan]) + gap * (c.colspan - 1)
        wrapped[c] = [c.text.strip()] if role(c) == "value" and c.text.strip() else (
            [] if role(c) == "value" else _wrap(c.text, span))
        need = max((display_width(line) for line in wrapped[c]), default=0)
        widths[c.col + c.colspan - 1] += max(0, need - span)
    xs = [indent]
    for w in widths[:-1]:
        xs.append(xs[-1] + w + gap)

    heights = [1] * nrows
    for c in cells:
        if c.rowspan == 1:
            heights[c.row] = max(heights[c.row], len(wrapped[c]))
    for c in cells:
        if c.rowspan > 1 and len(wrapped[c]) > sum(heights[c.row:c.row + c.rowspan]):
            heights[c.row + c.rowspan - 1] += len(wrapped[c]) - sum(heights[c.row:c.row + c.rowspan])
    tops = [0]
    for h in heights:
        tops.append(tops[-1] + h)
    canvas: list[list[str | None]] = [[] for _ in range(tops[-1])]

    def put(y: int, x: int, text: str) -> None:
        line = canvas[y]
        for ch in text:
            w = 2 if _wide(ch) else 1
            line.extend([None] * (x + w - len(line)))
            if any(line[x + k] is not None for k in range(w)):
                raise AssertionError(f"aligned: {text!r} overlaps at line {y}, column {x}")
            line[x] = ch
            if w == 2:
                line[x + 1] = ""
            x += w

    for c in cells:
        lines = wrapped[c]
        height = tops[c.row + c.rowspan] - tops[c.row]
        # the cell a cut text ends in shows its start, so the text ends in that cell's first row
        top = tops[c.row] + (0 if r.valign == "top" or _CUT in c.text else (height - len(lines)) // 2)
        span = sum(widths[c.col:c.col + c.colspan]) + gap * (c.colspan - 1)
        for k, line in enumerate(lines):
            shift = (span - display_width(line)) // 2 if r.align == "center" and role(c) != "label" else 0
            put(top + k, xs[c.col] + shift, line)
    out = ["".join(" " if ch is None else ch for ch in line).rstrip() for line in canvas]
    return [line for line in out if line.strip()]


_TABLE_LINES: dict[str, Callable[..., list[str]]] = {
    "tabbed": tabbed_lines, "blank-line": blank_line_lines, "pipe": pipe_lines, "pipe-rows": pipe_rows_lines,
    "tab-rows": tab_rows_lines, "aligned": aligned_lines, "spaced": spaced_lines, "run-together": run_together_lines,
}


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


_NUMERALS = "一二三四五六"


def _numbered(text: str, i: int, rd: Rendering, style: Style, rng: random.Random) -> str | None:
    """Section heading ``i`` (0-based) in the rendering's numbering and mark; None: no heading.

    >>> r = random.Random(0)
    >>> [_numbered("三、收到和处理政府信息公开申请情况", 2, Rendering(numbering=n, mark="**"), Style(), r)
    ...  for n in ("paren", "arabic", "bare")]
    ['**（三）收到和处理政府信息公开申请情况**', '**3.收到和处理政府信息公开申请情况**', '**收到和处理政府信息公开申请情况**']
    """
    if rd.numbering == "none":
        return None
    title = re.sub(r"^[一二三四五六七八九十]+、", "", text)
    head = {"template": text, "bare": title, "arabic": f"{i + 1}.{title}",
            "paren": ("（{}）" if style.full_width else "({})").format(_NUMERALS[i]) + title}.get(rd.numbering)
    if head is None:  # part
        head = f"第{_NUMERALS[i]}部分{rng.choice(('', ' ', '：'))}{title}"
    return f"**{head.strip()}**" if rd.mark == "**" else rd.mark + head


_CUT = "\x01"  # where a cut text ends (placed in a cell, removed with all after it)


def _place_cut(printed: dict[str, Printed], rng: random.Random) -> tuple[str, int, Cell, Cell]:
    """Choose where the text ends: a table, one of its data rows, a cell of that row and a point in it.

    The text keeps at least a character of the row — a label's first Chinese character, or
    (for a value first in its row) one character — so the text ends inside that row, never
    between two rows (where no reader could tell whether the last row was whole).
    """
    def shown(table: Printed, row: int) -> list[Cell]:
        return sorted((c for c in table.cells if c.row == row and c.text.strip()), key=lambda c: c.col)

    rows = [(name, r) for name in TABLES for r in sorted({r for r, _ in printed[name].keys}) if shown(printed[name], r)]
    name = rng.choice(sorted({n for n, _ in rows}, key=TABLES.index))  # each table alike, however many rows
    table = printed[name]
    row = rng.choice([r for n, r in rows if n == name])
    cells = shown(table, row)
    i = rng.randrange(len(cells))
    c = cells[i]
    if (c.row, c.col) in table.keys:
        at = rng.randint(1 if i == 0 else 0, len(c.text))
    else:
        first = next(j for j, ch in enumerate(c.text) if _CJK.match(ch)) + 1
        at = rng.choice(([0] if i else []) + list(range(first, len(c.text) + 1)))
    return name, row, c, c._replace(text=c.text[:at] + _CUT + c.text[at:])


def render(t: Tables, layout: str | Rendering, *, publisher: str, year: int, style: Style = Style(),
           seed: int = 0, seat: str | None = None) -> str:
    """The full text of a report with these tables, in one layout (a name of RENDERINGS or a Rendering).

    >>> t, _ = draw(random.Random(3), "2019", "巴青县")
    >>> text = render(t, "tabbed", publisher="巴青县", year=2019)
    >>> "\\n三、收到和处理政府信息公开申请情况\\n\\t（本列数据的勾稽关系为：" in text
    True
    >>> text = render(t, "pipe-rows", publisher="巴青县", year=2019)
    >>> "\\n一、本年新收政府信息公开申请数量 | 1 | 1 | 0 | 0 | 0 | 0 | 2 |\\n" in text
    True
    """
    return _render(t, layout, publisher=publisher, year=year, style=style, seed=seed, seat=seat)[0]


def _render(t: Tables, layout: str | Rendering, *, publisher: str, year: int, style: Style, seed: int,
            seat: str | None = None) -> tuple[str, dict[str, Printed], tuple[str, int] | None]:
    """The text, each table as printed, and where the text was cut (table, grid row) if it was."""
    rd = layout if isinstance(layout, Rendering) else Rendering(layout) if layout in RENDERINGS + DOCUMENTS else None
    if rd is None:
        raise ValueError(f"unknown layout {layout!r}; one of {RENDERINGS + DOCUMENTS}")
    layout = rd.layout
    rng = random.Random(seed)
    xr = random.Random(f"{seed}:{rd}")  # the renderings' own choices; the seed layouts' streams stay as they were
    printer = _Printer(layout, style, rng)
    title = f"{publisher}{year}{rng.choice(('年', '年度'))}政府信息公开工作年度报告"
    preamble = (f"本报告根据《中华人民共和国政府信息公开条例》要求编制，所列数据的统计期限为{year}年1月1日至"
                f"{year}年12月31日。如对本报告有疑问，请与{publisher}联系。")
    if seat:  # where the publisher is (as real reports name their province): what tells same-name places apart
        preamble += f"本报告电子版可在{seat}网站查阅。"
    overview = _overview(t, publisher, year)
    printed: dict[str, Printed] = {}
    for name, build in zip(TABLES, (disclosure_cells, application_cells, appeals_cells)):
        keys: dict = {}
        printed[name] = Printed(tuple(build(t, printer, keys)), keys)
    shown = {name: list(p.cells) for name, p in printed.items()}
    cut = None
    if rd.cut:
        name, row, old, new = _place_cut(printed, xr)
        shown[name] = [new if c == old else c for c in shown[name]]
        cut = (name, row)
    if layout in DOCUMENTS:  # a PDF: the same blocks laid out on pages (its text: a Drawn, the file in .data)
        from .synth_pdf import write_pdf

        headings = [_numbered(_heading(lab, style, rng), i, rd, style, xr) for i, lab in enumerate(L.SECTIONS)]
        bodies = [overview, *(shown[name] for name in TABLES), _PROBLEMS, _other(t, rng)]
        return write_pdf(title, preamble, headings, bodies, printed, rd, xr), printed, cut
    to_lines = _TABLE_LINES[layout]
    tables = [to_lines(shown[name], rd, xr, printed[name].keys) for name in TABLES]
    bodies: list[list[str]] = [overview, *tables, _PROBLEMS, _other(t, rng)]
    headings = [_heading(lab, style, rng) for lab in L.SECTIONS]
    headings = [_numbered(h, i, rd, style, xr) for i, h in enumerate(headings)]
    sections = [[h, *body] if h is not None else body for h, body in zip(headings, bodies)]
    date = f"{year + 1}-03-{rng.randint(10, 31)}"
    if layout == "blank-line":  # a scraped page: site chrome, a byline and a teaser around the report
        head = ["政务资讯网", "反馈", "取消", "热门搜词", f"{title}简介", f"{date} 作者:佚名", f"导读:{L.SECTIONS[0].zh} {overview[0]}"]
        tail = ["*文章为作者独立观点，不代表本站立场。", "热门推荐", "相关阅读"]
        text = "\n\n".join([*head, preamble, *(line for s in sections for line in s), *tail]) + "\n"
        return _cut(text.replace("\n\n" + _EMPTY_LINE, "\n")), printed, cut
    index = [] if layout == "tabbed" else [
        f"- 索引号:{publisher}/{year + 1}-{rng.randint(1, 99):05d}", "- 发文字号:", f"- 发文机构:{publisher}",
        f"- 名 称:{title}", "- 公文种类 :其他", f"- 发布日期:{date} 10:00", title, f"发布时间:{date} 10:00 浏览次数:"]
    if layout == "pipe":  # an exported page: document metadata before the title
        return _cut("\n".join([*index, preamble, *(line for s in sections for line in s),
                               f"{year + 1}年3月10日"]) + "\n"), printed, cut
    if layout != "tabbed":  # a page saved or copied as text: maybe its index block, then the report
        lines = index if xr.random() < 0.3 else [title, ""]
        lines.append(preamble)
        tabled = {id(b) for b in tables}
        for section, body in zip(sections, bodies):
            if id(body) in tabled:  # a table between blank lines (always in markdown)
                around = [""] if rd.edges or xr.random() < 0.5 else []
                lines += [*section[:len(section) - len(body)], *around, *body, *around]
            else:
                lines += [line for b in section for line in ([b, ""] if xr.random() < 0.4 else [b])]
        return _cut("\n".join(lines) + "\n"), printed, cut
    if rng.random() < 0.3:  # a title broken after its year, or indented
        title = title.replace("政府信息公开工作", "\n政府信息公开工作", 1)
    lines = ["  " * (rng.random() < 0.3) + title, "", preamble]
    for heading, body in zip(headings, bodies):
        prose = not body or not body[0].startswith("\t")
        lines += [heading] if heading is not None else []
        lines += [line for b in body for line in ([b, ""] if prose and rng.random() < 0.5 else [b])]
    return _cut("\n".join(lines) + "\n"), printed, cut


def _cut(text: str) -> str:
    return text[:text.index(_CUT)] if _CUT in text else text


# -- reports and corpora --------------------------------------------------------------------

# Publishers are real places of the gazetteer (gkdata.places): governments, their departments and
# townships, with their codes, so a generated corpus has real geography and the same names in several
# places (城关区 in 拉萨市 and in 兰州市, 82 城关镇). Each report prints its publisher's full name with the
# places it is in (its seat), as real reports name their province, so that the reader can tell them apart.

class Publisher(NamedTuple):
    """A generated publisher: ``name`` as its title prints it, ``seat`` its full name with the places it is in
    (``甘肃省兰州市城关区人民政府``) and the place the reader must find (:class:`gkdata.places.Place` fields)."""

    name: str
    seat: str
    adcode: str  # the 6-digit code of its province, prefecture or county (a township's: its county's)
    level: str  # province | prefecture | county | township | department


_DEPARTMENTS = {  # the departments of a government, by its level (a municipality's are a prefecture's)
    "county": ("财政局", "教育局", "民政局", "司法局", "自然资源局", "住房和城乡建设局", "交通运输局", "农业农村局",
               "水利局", "卫生健康局", "市场监督管理局", "人力资源和社会保障局", "应急管理局", "统计局", "审计局",
               "文化和旅游局", "退役军人事务局", "医疗保障局", "人民政府办公室"),
    "prefecture": ("财政局", "教育局", "民政局", "司法局", "自然资源局", "生态环境局", "住房和城乡建设局", "交通运输局",
                   "农业农村局", "水利局", "卫生健康委员会", "市场监督管理局", "人力资源和社会保障局", "应急管理局",
                   "统计局", "审计局", "发展和改革委员会", "文化和旅游局", "人民政府办公室"),
    "province": ("财政厅", "教育厅", "民政厅", "司法厅", "自然资源厅", "生态环境厅", "住房和城乡建设厅", "交通运输厅",
                 "农业农村厅", "水利厅", "卫生健康委员会", "市场监督管理局", "人力资源和社会保障厅", "应急管理厅",
                 "统计局", "审计厅", "发展和改革委员会", "文化和旅游厅", "人民政府办公厅"),
}
# More departments, drawn only once the pools above are spent (so every publisher number below that keeps
# its publisher): a national corpus has about a million reports, more than the places and the departments
# above have years.
_MORE_DEPARTMENTS = {
    "county": ("发展和改革局", "工业和信息化局", "公安局", "科学技术局", "商务局", "林业局", "生态环境分局",
               "体育局", "信访局", "档案局", "城市管理局", "粮食和物资储备局", "乡村振兴局"),
    "prefecture": ("工业和信息化局", "公安局", "科学技术局", "商务局", "林业局", "体育局", "信访局", "档案局",
                   "城市管理局", "粮食和物资储备局", "乡村振兴局", "退役军人事务局", "医疗保障局"),
    "province": ("工业和信息化厅", "公安厅", "科学技术厅", "商务厅", "林业局", "体育局", "信访局", "档案局",
                 "粮食和物资储备局", "乡村振兴局", "退役军人事务厅", "医疗保障局", "外事办公室"),
}
_MUNICIPALITIES = ("110000", "120000", "310000", "500000")
# the kind of publisher of each number, by the number modulo 8: a government by its name alone (most
# titles), a government by its organ's name, a department, a township
_SLOTS = ("bare", "bare", "bare", "organ", "department", "department", "township", "department")
_NAME = re.compile("[\u4e00-\u9fff]+")  # names a title prints as they are (no rarer ideographs)


def _organ(d) -> str:
    """The name of a division's government organ: 人民政府, 行政公署 (地区, 盟), 办事处 (街道)."""
    if d.level == 4:
        return "办事处" if d.name.endswith("街道") else "人民政府"
    return "行政公署" if d.level == 2 and d.name.endswith(("地区", "盟")) else "人民政府"


class _Publishers:
    """Publisher number -> :class:`Publisher`, drawn once in a fixed order from the gazetteer.

    Three shuffled pools (governments; departments; townships) are taken from by :data:`_SLOTS`, the next
    pool when one runs out, so every number gives another place or department (as many as the gazetteer
    has: about 100,000), then the :data:`_MORE_DEPARTMENTS` of every government (about 40,000 more).
    Among the governments, the counties whose name another county shares come early, every other one
    from the fourth on: a corpus of a few dozen publishers has several same-name places.
    """

    def __init__(self) -> None:
        from . import places

        self.places = places
        rng = random.Random("gkdata.synth.publishers")
        ok = [d for d in places.divisions() if _NAME.fullmatch(d.name) and d.code[:2] not in ("81", "82")]
        governments = [d for d in ok if d.level <= 3]
        names = Counter(d.name for d in governments if d.level == 3)
        shared = [d for d in governments if d.level == 3 and names[d.name] > 1]
        groups = [list(g) for _, g in groupby(sorted(shared, key=lambda d: (d.name, d.code)), key=lambda d: d.name)]
        rng.shuffle(groups)
        rest = [d for d in governments if not (d.level == 3 and names[d.name] > 1)]
        rng.shuffle(rest)
        same = [d for g in groups for d in g]
        order = rest[:3]
        for i, d in enumerate(rest[3:]):
            if i % 2 == 0 and same:
                order.append(same.pop(0))
            order.append(d)
        departments = [(d, k) for d in governments
                       for k in range(len(_DEPARTMENTS[self._kind(d)]))]
        rng.shuffle(departments)
        townships = [d for d in ok if d.level == 4]
        rng.shuffle(townships)
        self.pools = {"government": iter(order), "department": iter(departments), "township": iter(townships)}
        more = [(d, k) for d in governments for k in range(len(_MORE_DEPARTMENTS[self._kind(d)]))]
        random.Random("gkdata.synth.more departments").shuffle(more)  # its own draw: the pools above stay
        self.more = iter(more)
        self.drawn: list[Publisher] = []

    @staticmethod
    def _kind(d) -> str:
        return "prefecture" if d.code in _MUNICIPALITIES else ("province", "prefecture", "county")[d.level - 1]

    def __getitem__(self, i: int) -> Publisher:
        while len(self.drawn) <= i:
            self.drawn.append(self._next(len(self.drawn)))
        return self.drawn[i]

    def _next(self, i: int) -> Publisher:
        slot = _SLOTS[i % len(_SLOTS)]
        first = "government" if slot in ("bare", "organ") else slot
        for pool in (first, *(p for p in self.pools if p != first)):
            item = next(self.pools[pool], None)
            if item is not None:
                return getattr(self, f"_{pool}")(item, slot, i)
        if (item := next(self.more, None)) is not None:
            d, k = item
            return self._named_department(d, _MORE_DEPARTMENTS[self._kind(d)][k])
        raise IndexError(f"no publisher number {i}: the gazetteer has no more places")

    def _government(self, d, slot: str, i: int) -> Publisher:
        organ = _organ(d)
        p = self.places.place_of(d.code)
        return Publisher(d.name + organ * (slot == "organ"), self.places.full_name(d.code) + organ, p.adcode, p.level)

    def _department(self, item, slot: str, i: int) -> Publisher:
        d, k = item
        return self._named_department(d, _DEPARTMENTS[self._kind(d)][k])

    def _named_department(self, d, name: str) -> Publisher:
        p = self.places.place_of(d.code)
        return Publisher(d.name + name, self.places.full_name(d.code) + name, p.adcode, "department")

    def _township(self, d, slot: str, i: int) -> Publisher:
        organ = _organ(d)
        above = self.places.division(d.parent)
        name = d.name + organ if i // len(_SLOTS) % 2 == 0 else above.name + d.name  # 城关镇人民政府, 会宁县城关镇
        return Publisher(name, self.places.full_name(d.code) + organ, self.places.place_of(d.code).adcode, "township")


_PUBLISHERS: _Publishers | None = None


def publisher_of(i: int) -> Publisher:
    """The publisher of a number: a real government, department or township (:class:`Publisher`).

    >>> publisher_of(0)
    Publisher(name='宁化县', seat='福建省三明市宁化县人民政府', adcode='350424', level='county')
    """
    global _PUBLISHERS
    if _PUBLISHERS is None:
        _PUBLISHERS = _Publishers()
    return _PUBLISHERS[i]


def publisher_at(code: str, department: str | None = None) -> Publisher:
    """The publisher of a division by its code (:func:`gkdata.places.division`): its government, or one
    of its departments (``department="财政局"``).

    >>> publisher_at("620422"), publisher_at("620422", "财政局").seat
    (Publisher(name='会宁县', seat='甘肃省白银市会宁县人民政府', adcode='620422', level='county'), '甘肃省白银市会宁县财政局')
    """
    from . import places

    d = places.division(code)
    if d is None:
        raise KeyError(f"no division {code!r} in the gazetteer")
    p = places.place_of(code)
    if department:
        return Publisher(d.name + department, places.full_name(code) + department, p.adcode, "department")
    return Publisher(d.name, places.full_name(code) + _organ(d), p.adcode, p.level)


def publisher_name(i: int) -> str:
    """The name of publisher number ``i`` (:func:`publisher_of`); numbers 0, 1 and 2 are counties named
    alone, so their region is their name. Two numbers may name two places of one name (``城关区``).

    >>> publisher_name(0) == publisher_of(0).name, publisher_name(1) != publisher_name(0)
    (True, True)
    """
    return publisher_of(i).name


def _template_of(year: int, rng: random.Random) -> str:
    """The template a report of a year uses; a few 2021+ reports keep the old form."""
    return "2021" if year >= 2021 and rng.random() > 0.05 else "2019"


def generate(seed: int, *, template: str | None = None, layout: str | Rendering | None = None,
             anomaly: str | None = None, style: Style | None = None, publisher: str | Publisher | None = None,
             year: int | None = None, last: Synthetic | None = None) -> Synthetic:
    """One synthetic report; every choice left ``None`` is drawn from ``seed``.

    ``layout`` is a name of :data:`RENDERINGS` (with its default options) or a
    :class:`Rendering`; left ``None``, one of the seeds' :data:`LAYOUTS` is drawn.

    ``publisher``: a name, or a :class:`Publisher` (whose seat the text prints, so the reader finds its
    place); left ``None``, the last report's, else one of :func:`publisher_of` drawn from ``seed``. A name
    that fits several places and has no seat gives a ``place_ambiguous`` finding.

    ``last`` is the same publisher's report of the year before: its 结转下年度 becomes
    this year's 上年结转 and its items plus changes this year's 上一年项目数量 (the
    ``carry_over_mismatch`` anomaly breaks the first chain, as a cross-report check sees).

    >>> s = generate(1, template="2019", layout="tabbed", anomaly="balance")
    >>> sorted(e.column for e in s.expected)[-1], s.year in (2019, 2020)
    ('total', True)
    """
    rng = random.Random(seed)
    seat = last.seat if last and not publisher else None
    publisher = publisher or (last.publisher if last else publisher_of(rng.randrange(10_000)))
    if isinstance(publisher, Publisher):
        publisher, seat = publisher.name, publisher.seat
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
    if not seat and len(_places().readings(publisher)) > 1:  # nothing in the text says which place it is
        found.add(Expected("place_ambiguous", None, None, None))
    rendering = layout if isinstance(layout, Rendering) else Rendering(layout)
    text, cells, cut = _render(printed, rendering, publisher=publisher, year=year, style=style,
                               seed=rng.randrange(2 ** 32), seat=seat)
    return Synthetic(str(text), printed, tuple(sorted(found, key=str)), rendering.layout, style, publisher, year,
                     anomaly, rendering, cells, cut, seed, seat, getattr(text, "data", None))


def _places():
    from . import places

    return places


def _pick(name: str, rng: random.Random) -> str | Rendering:
    """A seed layout as it is, another rendering with options drawn at random."""
    return name if name in LAYOUTS else Rendering.random(name, random.Random(rng.randrange(2 ** 32)))


def series(seed: int, years: int, *, first_year: int = 2019, publisher: str | Publisher | None = None,
           anomaly_rate: float = 0.1, renderings: Sequence[str] = LAYOUTS) -> Iterator[Synthetic]:
    """One publisher's reports for consecutive years, chained (carry-over, item counts).

    A report has an anomaly with chance ``anomaly_rate``; after the first year
    that may be ``carry_over_mismatch``, which only a corpus check sees. The
    publisher's layout is one of ``renderings`` (e.g. :data:`RENDERINGS`; options drawn).

    >>> a, b = series(5, 2, first_year=2020, anomaly_rate=0)
    >>> a.tables.applications["carried_forward", "total"] == b.tables.applications["carried_over", "total"]
    True
    """
    rng = random.Random(seed)
    publisher = publisher or publisher_of(rng.randrange(10_000))
    layout = _pick(rng.choice(renderings), rng)  # a publisher mostly keeps its website, so its layout
    seeds_only = tuple(renderings) == LAYOUTS
    last = None
    for year in range(first_year, first_year + years):
        template = _template_of(year, rng)
        kinds = [k for k in ANOMALIES if template == "2019" or k != "published_exceeds_total"]
        anomaly = rng.choice(kinds + [CARRY_OVER] * (last is not None)) if rng.random() < anomaly_rate else None
        seed_i = rng.randrange(2 ** 32)
        other = layout if rng.random() < 0.8 else None if seeds_only else _pick(rng.choice(renderings), rng)
        last = generate(seed_i, template=template, layout=other,
                        anomaly=anomaly, publisher=publisher, year=year, last=last)
        yield last


NATIONAL = (7, 7)  # write_corpus's years for a national corpus: every publisher's reports of 2019–2025


def write_corpus(out_dir: str | os.PathLike, n: int, seed: int = 0, *, anomaly_rate: float = 0.1,
                 renderings: Sequence[str] = LAYOUTS, years: tuple[int, int] = (1, 5)) -> list[Path]:
    """Write ``n`` reports of publishers with ``years`` (the fewest, the most) consecutive years each within
    2019–2025 (:data:`NATIONAL`: all seven, as a national corpus has them), and ``manifest.jsonl``.

    Files are ``<publisher number>_<year>.txt``; each manifest line names one
    file with its publisher (its name, seat, and the adcode and level the reader must find: real places,
    :func:`publisher_of`), year, template, layout (and its rendering's options),
    style, anomaly and the findings it must give (``carry_over_mismatch`` across
    its publisher's years). Layouts are drawn from ``renderings``.

    >>> import tempfile
    >>> paths = write_corpus(tempfile.mkdtemp(), 3, seed=1)
    >>> len(paths), (paths[0].parent / "manifest.jsonl").read_text().count("\\n")
    (3, 3)
    """
    if not 1 <= years[0] <= years[1] <= 7:
        raise ValueError(f"years must be (fewest, most) with 1 ≤ fewest ≤ most ≤ 7 (2019–2025), not {years!r}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    paths: list[Path] = []
    with (out / "manifest.jsonl").open("w", encoding="utf-8") as manifest:
        for i in range(n):
            if len(paths) == n:
                break
            count = min(rng.randint(*years), n - len(paths))
            for s in series(rng.randrange(2 ** 32), count, first_year=rng.randint(2019, max(2019, 2025 - count)),
                            publisher=publisher_of(i), anomaly_rate=anomaly_rate, renderings=renderings):
                path = out / f"{i:05d}_{s.year}{'.pdf' if s.document else '.txt'}"
                path.write_bytes(s.data)
                paths.append(path)
                manifest.write(json.dumps({
                    "file": path.name, "publisher": s.publisher, "seat": s.seat, "adcode": publisher_of(i).adcode,
                    "level": publisher_of(i).level, "year": s.year, "template": s.tables.template,
                    "layout": s.layout, "rendering": s.rendering.options, "style": asdict(s.style),
                    "anomaly": s.anomaly,
                    "expected": [list(e) for e in s.expected]}, ensure_ascii=False) + "\n")
    return paths
