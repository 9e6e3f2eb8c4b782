"""Rows of cells -> labelled tables (template logic, the same for every layout).

The cells of a table are cut into *segments*: a label cell and the value
cells that follow it up to the next label. A segment's values are placed in
columns by position only when their count proves the positions; otherwise
the cells stay NA and an ``ambiguous_columns`` finding quotes the raw cells.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from . import labels as L
from .cache import text_cache
from .findings import Finding, finding
from .layouts import Grid
from .numbers import BLANK, Kind, Parsed, clean, is_value, looks_numeric, parse

# A label may carry a note after it: 规章(设区的市…), 本年增/减(指…), 1.申请人…、行政机关…
_NOTE_START = tuple("(:,、;")
_HEADER_UNIT = re.compile(r"\((?:单位:)?(万元|元)\)")


@dataclass(slots=True)
class Segment:
    label: L.Label | None  # None: a table caption (第二十条第(N)项) or a row the template lacks
    role: str  # row | header | unknown
    text: str  # the label cell as printed
    values: list[tuple[str, bool]] = field(default_factory=list)  # (cell, from a row that has labels)


@lru_cache(maxsize=None)
def vocabulary(table: str, template: str) -> tuple[tuple[str, L.Label, str], ...]:
    """(normalised text, label, role) for one table, longest text first."""
    if table == "disclosure":
        rows = [lab for lab in L.DISCLOSURE_ITEMS if template in lab.templates]
        headers = [lab for lab in L.DISCLOSURE_MEASURES if template in lab.templates] + list(L.DISCLOSURE_HEADERS)
    elif table == "applications":
        rows = [lab for lab in L.APPLICATION_ROWS if template in lab.templates]
        headers = list(L.APPLICATION_HEADERS)
    else:
        rows, headers = [], list(L.APPEALS_HEADERS)
    vocab: dict[str, tuple[L.Label, str]] = {}
    for role, labs in (("header", headers), ("row", rows)):
        for lab in labs:
            for text in (lab.zh, *lab.variants):
                vocab.setdefault(L.normalize(text), (lab, role))
    header_texts = {t for t, (_, role) in vocab.items() if role == "header"}
    for lab in rows:  # rows written without their numbering, where that stays unique
        bare = L._unnumbered(L.normalize(lab.zh))
        if bare not in header_texts:
            vocab.setdefault(bare, (lab, "row"))
    return tuple(sorted(((t, lab, role) for t, (lab, role) in vocab.items()), key=lambda x: -len(x[0])))


@text_cache()  # cells repeat across rows and reports: '0', the same labels
def match(cell: str, table: str, template: str) -> tuple[L.Label | None, str] | None:
    """The label a cell holds, or None. Captions match with label None."""
    norm = L.normalize(cell)
    if not norm or is_value(cell):
        return None
    if table == "disclosure" and L.CAPTION.match(norm):
        return None, "header"
    for text, lab, role in vocabulary(table, template):
        if norm == text or (norm.startswith(text) and norm[len(text)].startswith(_NOTE_START)):
            return lab, role
    bare = L._unnumbered(norm)
    if bare != norm:  # numbered in another style (1、予以公开, 七、总计): numbering marks a row, not a header
        for text, lab in _bare_rows(table, template):
            if bare == text or (bare.startswith(text) and bare[len(text)].startswith(_NOTE_START)):
                return lab, "row"
    return None


@lru_cache(maxsize=None)
def _bare_rows(table: str, template: str) -> tuple[tuple[str, L.Label], ...]:
    """(row label without numbering, label), longest first; a bare 总计 is (七)总计 here."""
    rows = {L._unnumbered(text): lab for text, lab, role in reversed(vocabulary(table, template)) if role == "row"}
    return tuple(sorted(rows.items(), key=lambda x: -len(x[0])))


@text_cache()
def _kind(cell: str, table: str, template: str) -> tuple[L.Label | None, str] | bool:
    """A cell's ``(label, role)``; else True for a value (readable or not), False for other text."""
    m = match(cell, table, template)
    return m if m is not None else looks_numeric(cell)


def segments(grid: Grid, table: str, template: str) -> list[Segment]:
    """Cut a table's cells into label + values segments.

    Text that is neither a label nor a value (a row the template lacks, a unit
    line, prose) opens an ``unknown`` segment, so its numbers never land in the
    row before it.
    """
    out: list[Segment] = []
    for row in grid.rows:
        kinds = [_kind(cell, table, template) for cell in row]
        last = len(kinds) - 1  # the row's last label
        while last >= 0 and kinds[last].__class__ is bool:
            last -= 1
        for i, (cell, kind) in enumerate(zip(row, kinds)):
            if kind.__class__ is tuple:
                out.append(Segment(kind[0], kind[1], cell))
            elif i <= last:
                continue  # merged-cell continuations and debris before a row's label
            elif kind:
                if out:
                    out[-1].values.append((cell, last >= 0))
            elif out and not out[-1].values and (joined := _rejoin(out[-1], cell, table, template)):
                out[-1] = joined
            else:
                out.append(Segment(None, "unknown", cell))
    return out


def _rejoin(seg: Segment, cell: str, table: str, template: str) -> Segment | None:
    """``seg`` with the next cell appended, when the two read as one label.

    A scraped page breaks a label at its line wraps (``采购总`` / ``金额(元)``,
    ``采购总金额`` / ``(元)``, ``(二)部分公开(区分处理的,`` / ``只计这一情形…)``):
    an unknown start becomes the label, a header keeps its tail (whose unit
    decides how its amounts read), and a known label swallows the rest of itself.
    """
    joined = seg.text + cell
    m = match(joined, table, template)
    if m is not None and (seg.role == "unknown" or (seg.role == "header" and m[0] is not None and m[0] == seg.label)):
        return Segment(m[0], m[1], joined)
    if seg.label is not None and L.normalize(joined) in {L.normalize(t) for t in (seg.label.zh, *seg.label.variants)}:
        return Segment(seg.label, seg.role, joined)
    return None


@text_cache()
def _owners(cell: str) -> tuple[str, ...]:
    """The tables (in either template) that have the label a cell holds."""
    return tuple(t for t in ("disclosure", "applications", "appeals")
                 if any(match(cell, t, template) for template in L.TEMPLATES))


def by_content(grid: Grid) -> dict[str, Grid]:
    """A section's rows split among the tables (二 disclosure, 三 applications, 四 appeals) whose labels they hold.

    A row goes to the table most of its labels belong to (a label of several
    tables, like 总计, does not vote); a row without such a label (numbers, a
    heading typed into the table) stays with the table before it. So a page
    that prints all three tables as one, or under one heading, is still read.
    """
    parts: dict[str, list[list[str]]] = {}
    current = None
    for row in grid.rows:
        votes: dict[str, int] = {}
        for cell in row:
            if cell and len(owners := _owners(cell)) == 1:
                votes[owners[0]] = votes.get(owners[0], 0) + 1
        best = sorted(votes.values(), reverse=True)
        if best and (len(best) == 1 or best[0] > best[1]):
            current = max(votes, key=votes.__getitem__)
        if current:
            parts.setdefault(current, []).append(row)
    return {name: Grid(rows, grid.keeps_blanks) for name, rows in parts.items()}


_MARKERS = {t: tuple(L.normalize(m) for m in ms) for t, ms in L.TEMPLATE_MARKERS.items()}


@text_cache()
def _template_marked(cell: str) -> str | None:
    """The template one of whose marker labels a cell starts with, if any."""
    norm = L.normalize(cell)
    return next((t for t, ms in _MARKERS.items() if norm.startswith(ms)), None)


def detect_template(grids: list[Grid]) -> tuple[str | None, list[Finding]]:
    """The template whose marker labels occur (report-format.md §1)."""
    hits = dict.fromkeys(L.TEMPLATE_MARKERS, 0)
    for grid in grids:
        for row in grid.rows:
            for cell in row:
                if t := _template_marked(cell):
                    hits[t] += 1
    if not any(hits.values()):
        return None, []
    template = "2021" if hits["2021"] > hits["2019"] else "2019"
    found = []
    if hits["2019"] and hits["2021"]:
        found.append(finding("template_conflict",
                             f"labels of both templates occur (2019: {hits['2019']}, 2021: {hits['2021']}); "
                             f"read as the {template} template"))
    return template, found


# -- placing values --------------------------------------------------------------------


def _trim(values: list[str], n: int, keeps_blanks: bool) -> list[str]:
    if not keeps_blanks:
        return [v for v in values if clean(v)]
    values = list(values)
    while len(values) > n and not clean(values[-1]):
        values.pop()
    return values


def place(values: list[str], kinds: list[Kind], keeps_blanks: bool, *, table: str, row: str | None,
          columns: list[str], names: list[str], where: str, total_last: bool = False,
          default_money_unit: str = "万元") -> tuple[list[Parsed], list[Finding]]:
    """Put a segment's cells into the ``columns`` of one row (``names``: their display labels).

    Positional only when the cell count equals the column count. Otherwise every
    cell is NA, except (``total_last``) a last value that equals the sum of the
    others, which is provably the 总计 column.
    """
    n = len(columns)
    cells = _trim(values, n, keeps_blanks)
    if len(cells) == n:
        parsed = [parse(c, k, default_money_unit) for c, k in zip(cells, kinds)]
        found = [
            finding("invalid_value", f"{where} / {names[i]}: {cells[i]!r} is not a number this column can hold",
                    table, row, columns[i])
            for i, p in enumerate(parsed) if p.status == "invalid"
        ]
        return parsed, found
    if not cells:
        return [BLANK] * n, []
    out = [BLANK] * n
    placed = ""
    nums = [parse(c, "count") for c in cells]
    if total_last and 2 <= len(cells) <= n and all(p.status == "ok" for p in nums):
        *parts, last = [p.value for p in nums]
        if last == sum(parts):
            out[-1] = nums[-1]
            placed = f"; the last, {last}, equals the sum of the others and is kept as {names[-1]}"
    raw = " ".join(repr(c) for c in cells)
    message = (f"{where}: {len(cells)} cells for {n} columns ({raw}); "
               f"empty cells were dropped, so which columns they belong to is unknown{placed}")
    return out, [finding("ambiguous_columns", message, table, row)]


def _header_unit(segs: list[Segment], measure_key: str) -> str | None:
    for seg in segs:
        if seg.role == "header" and seg.label is not None and seg.label.key == measure_key:
            m = _HEADER_UNIT.search(L.normalize(seg.text))
            if m:
                return m.group(1)
    return None


def _numbers(seg: Segment) -> str:
    """The segment's cells that read as numbers or blanks, for a finding; empty if none."""
    return " ".join(v for v, _ in seg.values if clean(v) and is_value(v))


def _rows_by_key(segs: list[Segment], table: str) -> tuple[dict[str, Segment], list[Finding]]:
    found: list[Finding] = []
    by_key: dict[str, Segment] = {}
    for seg in segs:
        if seg.role == "row" and not seg.label.group:
            if seg.label.key not in by_key:
                by_key[seg.label.key] = seg
            elif numbers := _numbers(seg):
                found.append(finding("unplaced_value", f"{L.zh(seg.label.key)} appears twice; the second "
                                     f"row's cells ({numbers}) are not used", table, seg.label.key))
        elif table == "appeals" or not (numbers := _numbers(seg)):
            continue
        elif seg.role == "unknown":
            found.append(finding("unplaced_value", f"{seg.text!r} is not a row of the template; its numbers "
                                 f"({numbers}) are not used", table))
        else:
            where = seg.text if seg.label is None else seg.label.display()
            found.append(finding("unplaced_value", f"numbers after {where!r} stand where no data cell is: "
                                 f"{numbers}", table))
    return by_key, found


# -- the three tables --------------------------------------------------------------------


def disclosure(grid: Grid, template: str) -> tuple[list[tuple], list[Finding]]:
    """Table 二 -> records (item, measure, value, unit)."""
    segs = segments(grid, "disclosure", template)
    by_key, found = _rows_by_key(segs, "disclosure")
    records = []
    for item, measures in L.DISCLOSURE_LAYOUT[template]:
        labs = [L.measure(m, template) for m in measures]
        header_unit = _header_unit(segs, "amount") if "amount" in measures else None
        seg = by_key.get(item)
        if seg is None:
            found.append(finding("missing_row", f"row {L.zh(item)} not found in table 二", "disclosure", item))
            values = [BLANK] * len(measures)
        else:
            values, more = place([v for v, _ in seg.values], [lab.kind for lab in labs], grid.keeps_blanks,
                                 table="disclosure", row=item, columns=list(measures),
                                 names=[lab.zh for lab in labs], where=f"表二 {L.zh(item)}",
                                 default_money_unit=header_unit or "万元")
            found += more
        for lab, p in zip(labs, values):
            if lab.kind == "money" and p.status == "ok" and p.unit is None and header_unit is None:
                found.append(finding("assumed_unit", f"{L.zh(item)} {lab.zh} {p.value:g} has no unit in the cell or "
                                     f"header; taken as 万元", "disclosure", item, lab.key))
            records.append((item, lab.key, p.value, lab.unit))
    return records, found


def applications(grid: Grid, template: str) -> tuple[list[tuple], list[Finding]]:
    """Table 三 -> records (row, applicant, value)."""
    segs = segments(grid, "applications", template)
    by_key, found = _rows_by_key(segs, "applications")
    columns = L.keys("applicant")
    names = [L.zh(c) for c in columns]
    records = []
    for row in L.application_rows(template):
        seg = by_key.get(row)
        if seg is None:
            found.append(finding("missing_row", f"row {L.zh(row)} not found in table 三", "applications", row))
            values = [BLANK] * len(columns)
        else:
            values, more = place([v for v, _ in seg.values], ["count"] * len(columns), grid.keeps_blanks,
                                 table="applications", row=row, columns=columns, names=names,
                                 where=f"表三 {L.zh(row)}", total_last=True)
            found += more
        records += [(row, col, p.value) for col, p in zip(columns, values)]
    return records, found


def appeals(grid: Grid, template: str) -> tuple[list[tuple], list[Finding]]:
    """Table 四 -> records (proceeding, outcome, value): one data row of 15 cells."""
    segs = segments(grid, "appeals", template)
    cells = segs[-1].values if segs else []
    columns = [(p, o) for p in L.keys("proceeding") for o in L.keys("outcome")]
    raw = [c for c, _ in cells]
    if grid.keeps_blanks and len(raw) > len(columns):
        raw = [c for c, in_label_row in cells if clean(c) or not in_label_row]
    values, found = place(raw, ["count"] * len(columns), grid.keeps_blanks, table="appeals", row=None,
                          columns=[o for _, o in columns], names=[L.zh(p) + L.zh(o) for p, o in columns],
                          where="表四")
    return [(p, o, v.value) for (p, o), v in zip(columns, values)], found
