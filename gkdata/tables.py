"""Rows of cells -> labelled tables: the one aligner, driven by the label table.

Labels are recognised by :mod:`gkdata.match`, the one matcher. The rows of a
table are cut into *segments*: a label cell and the value
cells that follow it up to the next label. Label fragments are joined here
(:func:`_join`), whatever split them: a wrapped line, a narrow cell, a
converter that ran cells together. A segment's values are placed in columns
only where the text proves the columns — every cell of the row printed in
place (:data:`~gkdata.layouts.rows.Row.blanks` ``kept``), character positions
that line up with the table's full rows, or a count that fits one way only —
otherwise the cells stay NA and an ``ambiguous_columns`` finding quotes them: one finding per
table, naming each such row with its cells (:func:`one_ambiguous`; its ``row`` is the first of them,
:func:`ambiguous_rows` gives them all).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from collections.abc import Sequence
from itertools import islice
from typing import NamedTuple

from . import labels as L
from .cache import text_cache
from .findings import Finding, finding
from .layouts import Row, aligned
from .match import (NOTE_START, cut_labels, label_starts, match, near_miss, row_starts, run_together, spelt,
                    vocabulary)
from .numbers import BLANK, Kind, Parsed, clean, is_value, looks_numeric, parse

_HEADER_UNIT = re.compile(r"\((?:单位:)?(万元|元)\)")
_STRAY_UNIT = re.compile(r"^\(?(?:单位:?)?(?:万元|元)\)?$|\((?:单位:?)?(?:万元|元)\)")


class Value(NamedTuple):
    """One value cell of a segment and where it was printed."""

    text: str
    row: int  # index of its Row among the table's rows
    glued: bool = False  # run onto its label with no separator: the digits of several cells


@dataclass(slots=True)
class Segment:
    label: L.Label | None  # None: a table caption (第二十条第(N)项) or a row the template lacks
    role: str  # row | header | unknown
    text: str  # the label cell as printed
    row: int  # index of the Row holding the label
    values: list[Value] = field(default_factory=list)
    end: int = -1  # index of the last Row holding a line of the label (a wrapped label goes on below)
    span: tuple[int, int] | None = None  # the label cell's display columns, in a row laid out in columns

    def __post_init__(self) -> None:
        if self.end < self.row:
            self.end = self.row


@text_cache()
def _kind(cell: str, table: str, template: str) -> tuple[L.Label | None, str] | bool:
    """A cell's ``(label, role)``; else True for a value (readable or not), False for other text."""
    m = match(cell, table, template)
    return m if m is not None else looks_numeric(cell) or _RUN.fullmatch(cell) is not None  # 无/3: cells run together


def _texts(label: L.Label) -> tuple[str, ...]:
    return tuple(L.normalize(t) for t in (label.zh, *label.variants))


def _continues(seg: Segment, cell: str) -> bool:
    """Whether a text cell is the rest of the segment's label: a wrapped line, an open note's tail."""
    if seg.label is None or seg.role == "unknown":
        return False
    joined = L.normalize(seg.text + cell)
    if any(t.startswith(joined) for t in _texts(seg.label)):
        return True
    head = L.normalize(seg.text)
    return head.count("(") > head.count(")")  # a note in brackets goes on until it closes


MAX_JOIN_BACK = 3  # segments: a label line may continue a label this far back, past labels beside it


MAX_COLUMN_BACK = 40  # segments: how far up a group label's lines may go on in its column


@text_cache()
def _group_texts(table: str, template: str) -> tuple[str, ...]:
    """The (normalised) texts of a table's group labels (三、本年度办理结果, (三)不予公开 …)."""
    return tuple(text for text, lab, _ in vocabulary(table, template) if lab.group)


def _join_column(out: list[Segment], cell: str, span: tuple[int, int], row: int, table: str, template: str) -> bool:
    """Take a text cell of a row laid out in columns as a line of the group label whose column it stands in;
    True if taken.

    A merged group label (``三、本年度办理结果``) set in a narrow cell wraps over many lines, and centred in
    its cell they stand beside the rows it spans (``度办 1.本机关不掌握相关政 0 0 1``). The cell goes on the
    nearest label above in the same columns where that is a group label (or the start of one) it continues.
    A cell that starts a group label, left of the columns of the row being read, opens that group label
    before the row (the values after it on the line are still that row's)."""
    a, b = span
    groups = _group_texts(table, template)
    for seg in reversed(out[-MAX_COLUMN_BACK:]):
        if seg.span is None or not (seg.span[0] < b and a < seg.span[1]):
            continue
        if seg.role == "row" and seg.label is not None and seg.label.group and _continues(seg, cell):
            pass
        elif seg.role == "unknown" and not seg.values and any(t.startswith(L.normalize(seg.text + cell)) for t in groups):
            m = match(seg.text + cell, table, template)
            if m is not None and m[0] is not None and m[0].group:
                seg.label, seg.role = m
        else:
            break
        seg.text += cell
        seg.end = row
        seg.span = (min(seg.span[0], a), max(seg.span[1], b))
        return True
    last = out[-1] if out else None
    norm = L.normalize(cell)
    if (last is not None and last.role == "row" and last.span is not None and b <= last.span[0] and norm
            and any(t.startswith(norm) for t in groups)):
        group = Segment(None, "unknown", cell, row, span=span)
        if (m := match(cell, table, template)) is not None and m[0] is not None and m[0].group:
            group.label, group.role = m
        out.insert(len(out) - 1, group)
        return True
    return False


def _goes_on(out: list[Segment], cell: str, span: tuple[int, int]) -> bool:
    """Whether a cell of a row laid out in columns is the next line of the row label above it in the same
    columns, which it was cut from: the label so far is only the start of its text, and with the cell it
    still is (``1.申请人`` / ``无正当理``, ``4.无正当理由大量`` / ``反复申请``)."""
    last = out[-1] if out else None
    if (last is None or last.role != "row" or last.label is None or last.span is None
            or not (last.span[0] < span[1] and span[0] < last.span[1])):
        return False
    return L.normalize(last.text) not in _texts(last.label) and _continues(last, cell)


def _beside(out: list[Segment], seg: Segment) -> bool:
    """Whether a group label stands left of the columns of the data row being read (so that the values
    after it on its line are that row's): a group label's line, centred in its merged cell, beside the
    rows it spans."""
    last = out[-1] if out else None
    return (seg.label is not None and seg.label.group and seg.span is not None and last is not None
            and last.role == "row" and last.label is not None and not last.label.group and last.span is not None
            and seg.span[1] <= last.span[0])


def _join(out: list[Segment], cell: str, table: str, template: str, row: int,
          span: tuple[int, int] | None = None) -> bool:
    """Join a text cell to the segment before it, when the two read as one label; True if joined.

    A page breaks labels at its line wraps (``采购总`` / ``金额(元)``, ``(二)部分公开(区分处理的,`` /
    ``只计这一情形…)``): an unknown start becomes the label, a header keeps its tail
    (whose unit decides how its amounts read), a label swallows the rest of itself. In a row laid out
    in columns (``span``), a group label's lines go on in its column past the rows beside it.
    """
    if not out:
        return False
    if span is not None and _join_column(out, cell, span, row, table, template):
        return True
    seg = out[-1]
    if _continues(seg, cell):
        seg.text += cell
        seg.end = row
        return True
    for back in range(2, min(MAX_JOIN_BACK, len(out)) + 1):
        # labels printed side by side and wrapped together: a merged group label beside a row label,
        # (（六）其他 处 / 理 beside 2.申请人逾期未 / 按收费通知要求): each line goes on its own label
        earlier = out[-back]
        if earlier.values or out[-back + 1].values:
            break
        if _continues(earlier, cell):
            earlier.text += cell
            earlier.end = row
            if not earlier.label.group and all(s.label is not None and s.label.group for s in out[-back + 1:]):
                out.append(out.pop(-back))  # the row label goes on after the group's, and its values follow
            return True
    if seg.values:
        return False
    joined = seg.text + cell
    if seg.role == "unknown":
        m = match(joined, table, template)
    else:  # a header's tail must read as that header exactly, not as a near miss: 采购项目数量 + 采购 is not it
        m = spelt(L.normalize(joined), table, template)
    if m is not None and (seg.role == "unknown" or (seg.role == "header" and m[0] is not None and m[0] == seg.label)):
        seg.label, seg.role, seg.text, seg.end = m[0], m[1], joined, row
        return True
    return False


def headers_joined(rows: list[Row], table: str) -> list[Row]:
    """A table's rows with the lines of each header laid out in columns joined (:func:`aligned.merge_headers`)."""
    def is_row_label(cell: str) -> bool:
        return any((m := match(cell, table, t)) is not None and m[1] == "row" for t in L.TEMPLATES)

    def is_label(cell: str) -> bool:  # as spelt (a caption too, a label with its note)
        return any(spelt(L.normalize(cell), table, t) is not None for t in L.TEMPLATES)

    def starts_label(text: str) -> bool:  # the start of a label, or a label and the start of its note
        norm = L.normalize(text)
        return norm in label_starts(table) or any(norm.startswith(t) and norm[len(t):len(t) + 1] in NOTE_START
                                             for template in L.TEMPLATES for t, _, _ in vocabulary(table, template))

    return aligned.merge_headers(rows, is_row_label, is_label, starts_label)


def segments(rows: list[Row], table: str, template: str) -> list[Segment]:
    """Cut a table's rows into label + values segments.

    Text that is neither a label nor a value (a row the template lacks, a unit
    line, prose) opens an ``unknown`` segment, so its numbers never land in the
    row before it.
    """
    out: list[Segment] = []
    for ri, row in enumerate(rows):
        if len(row.cells) == 1 and out and is_value(cell := row.cells[0]):  # a value is never a label
            out[-1].values.append(Value(cell, ri))  # a stream's value cell: the commonest row of all
            continue
        spans = row.spans if row.rendering == "aligned" and row.spans is not None else None
        kinds = [_kind(cell, table, template) for cell in row.cells]
        last = len(kinds) - 1  # the row's last label
        while last >= 0 and kinds[last].__class__ is bool:
            last -= 1
        if last < 0 and len(kinds) > 1:  # no label: empty cells before the row's first text are merged positions
            first = next((i for i, c in enumerate(row.cells) if c), 0)
            if kinds[first] is False:
                last = first - 1
        for i, (cell, kind) in enumerate(zip(row.cells, kinds)):
            if kind is True and is_value(cell):  # most cells: a number or a blank
                if i > last and out:
                    out[-1].values.append(Value(cell, ri))
                continue
            if cell[-1:] in _RUN_END and not is_value(cell) and (pieces := run_together(cell, table, template)):
                texts, digits = pieces  # cells run together: 规章000, 三、本年度办理结果(一)予以公开4200107
                for text in texts:
                    lab, role = match(text, table, template)
                    out.append(Segment(lab, role, text, ri))
                if digits:
                    out[-1].values.append(Value(digits, ri, glued=True))
            elif kind.__class__ is tuple:
                if spans and _join_column(out, cell, spans[i], ri, table, template):
                    continue  # the rest of a group label begun above in its column (三、 / 本年度办, (六) / 其他)
                if spans and _goes_on(out, cell, spans[i]):
                    out[-1].text += cell  # a label's next line that reads as another label too (反复申请)
                    out[-1].end = ri
                    continue
                seg = Segment(kind[0], kind[1], cell, ri, span=spans[i] if spans else None)
                if spans and i == last and _beside(out, seg):
                    out.insert(len(out) - 1, seg)  # a group label's line beside the row being read: values are its
                else:
                    out.append(seg)
            elif i <= last:
                if spans and not kind and cell:  # before the row's label: a group label's line in its column
                    _join_column(out, cell, spans[i], ri, table, template)
                continue  # merged-cell continuations and debris before a row's label
            elif not kind and _join(out, cell, table, template, ri, spans[i] if spans else None):
                continue
            elif pieces := run_together(cell, table, template):  # header labels run together
                for text in pieces[0]:
                    lab, role = match(text, table, template)
                    out.append(Segment(lab, role, text, ri))
            elif kind:
                if out:
                    out[-1].values.append(Value(cell, ri))  # meant as a value, unreadable: a finding says so
            else:
                out.append(Segment(None, "unknown", cell, ri, span=spans[i] if spans else None))
    return out


# -- which table a row belongs to ---------------------------------------------------------------


@text_cache()
def owners(cell: str) -> tuple[str, ...]:
    """The tables (in either template) that have the label a cell holds as spelt, cut, or run together
    (a misspelt label does not vote: the labels around it do)."""
    norm = L.normalize(cell)
    if not norm or is_value(cell):
        return ()
    return tuple(t for t in L.TABLES
                 if any(spelt(norm, t, template) or cut_labels(t, template).get(norm) or run_together(cell, t, template)
                        for template in L.TEMPLATES))


@text_cache()
def _owner(cell: str) -> str | None:
    """The one table a label cell belongs to; None for values, labels of several tables (总计) and
    labels that begin a label of another table (其他, the start of 其他结果 as well)."""
    if not cell or is_value(cell):
        return None
    own = owners(cell)
    if len(own) != 1:
        return None
    norm = L.normalize(cell)
    return None if any(norm in label_starts(t) for t in L.TABLES if t != own[0]) else own[0]


def vote(row: Row) -> str | None:
    """The table most of a row's labels belong to (a label of several tables, like 总计, does not vote)."""
    if len(row.cells) == 1:  # a stream's cell: its own label's table, if any
        return _owner(row.cells[0])
    votes: dict[str, int] = {}
    for cell in row.cells:
        if own := _owner(cell):
            votes[own] = votes.get(own, 0) + 1
    if not votes:
        return None
    if len(votes) == 1:
        return next(iter(votes))
    best = sorted(votes.values(), reverse=True)
    return max(votes, key=votes.__getitem__) if best[0] > best[1] else None


_MARKERS = {t: tuple(L.normalize(m) for m in ms) for t, ms in L.TEMPLATE_MARKERS.items()}


@text_cache()
def _template_marked(cell: str) -> str | None:
    """The template one of whose marker labels a cell holds, if any (cells may run together)."""
    norm = L.normalize(cell)
    return next((t for t, ms in _MARKERS.items() if any(m in norm for m in ms)), None)


@text_cache()
def _template_of(cell: str, table: str) -> tuple[str, bool] | None:
    """The template a cell's label belongs to alone, and whether it says so exactly: a marker label (exact),
    or a label only one template has, matched exactly or loosely (cut or misspelt)."""
    if marked := _template_marked(cell):
        return marked, True
    if is_value(cell):
        return None
    found = {t for t in L.TEMPLATES if (m := match(cell, table, t)) is not None and m[0] is not None
             and m[0].templates == (t,)}
    if len(found) != 1:
        return None
    t = found.pop()
    norm = L.normalize(cell)
    return t, any(norm == text or norm.startswith(text) for text, _, _ in vocabulary(table, t))


def detect_template(tables: dict[str, list[Row]]) -> tuple[str | None, list[Finding]]:
    """The template whose own labels occur (report-format.md §1); table 三's rows decide where they say.

    Table 三 differs only in （六）其他处理's sub-rows, so where it shows them (or
    their absence under 2019 labels) it decides; otherwise table 二's labels do.
    A ``template_conflict`` finding names the tables whose labels disagree.
    """
    hits = {name: dict.fromkeys(L.TEMPLATES, 0) for name in tables}
    for name, rows in tables.items():
        loose = dict.fromkeys(L.TEMPLATES, 0)  # cut or misspelt labels: counted only where no exact one is
        before = ""  # the text cell before, which a wrapped label's line continues (本年 / 处理决定数量)
        for row in rows:
            for cell in row.cells:
                if is_value(cell):
                    before = ""
                    continue
                joined = _template_of(before + cell, name) if before else None
                found = joined if joined and joined[1] else _template_of(cell, name)
                if found:
                    (hits[name] if found[1] else loose)[found[0]] += 1
                before = cell
        if not any(hits[name].values()):
            hits[name] = loose
    votes = {name: max(h, key=h.__getitem__) for name, h in hits.items() if any(h.values()) and len(set(h.values())) > 1}
    if "applications" in votes:
        template = votes["applications"]
    elif votes:
        total = {t: sum(h[t] for h in hits.values()) for t in L.TEMPLATES}
        template = max(total, key=total.__getitem__)
    else:
        return None, []
    found = []
    mixed = {name: h for name, h in hits.items() if all(h.values())}
    differ = {name: t for name, t in votes.items() if t != template}
    if mixed or differ:
        said = "; ".join(f"table {L.TABLE_ZH[n][0]}: 2019 labels {h['2019']}, 2021 labels {h['2021']}"
                         for n, h in hits.items() if n in mixed or n in differ)
        found.append(finding("template_conflict", f"labels of both templates occur ({said}); read as the "
                             f"{template} template, which table 三's rows follow where it has them"))
    return template, found


# -- placing values --------------------------------------------------------------------


class Columns(NamedTuple):
    """What placing one segment's values needs to know about its table."""

    keys: list[str]
    names: list[str]  # display labels, for findings
    kinds: list[Kind]
    template: str = "2019"
    total_last: bool = False  # the last column is the sum of the others (表三 总计)
    default_money_unit: str = "万元"
    counted: bool = False  # every row of the table counts right with its empty lines as cells


def counts_right(by_key: dict[str, Segment], rows: list[Row], widths: dict[str, int]) -> bool:
    """Whether a table's rows were printed with one empty line per empty cell: every row of ``counted``
    cells holds exactly its number of cells, blanks included. The last row is no evidence either way
    (a cut may have shortened it); it is still placed only if it counts right itself."""
    filled = sorted(((key, seg) for key, seg in by_key.items() if seg.values), key=lambda x: x[1].row)
    evidence = filled[:-1] if len(filled) > 1 else filled
    return bool(evidence) and all(rows[seg.row].blanks == "counted" and len(seg.values) == widths[key]
                                  and all(rows[v.row].blanks == "counted" for v in seg.values)
                                  for key, seg in evidence)


_BLANK_PART = r"|[/—无-]"  # a blank cell among cells run together: 规章/—58


_PART = {  # how one cell of each kind is written when cells run together
    "count": re.compile(r"0|[1-9]\d*" + _BLANK_PART),
    "change": re.compile(r"[-+增减]?(?:0|[1-9]\d*)" + _BLANK_PART),
    "money": re.compile(r"(?:0|[1-9]\d*)(?:\.\d+)?" + _BLANK_PART),
}


_UNIT_END = re.compile(r"(万元|万|元)$")


_RUN = re.compile(r"[-\d/—无]+")  # a data row of counts run together, blanks included


_RUN_END = frozenset("0123456789/—无-元万")  # how a label with its row's cells run onto it can end


def _splits(run: str, kinds: list[Kind]) -> list[str] | None:
    """The one way to cut a run of cells written together into one cell per column, or None.

    A cell is a number without leading zeros (``0`` alone is zero); a change may
    start with ``-``, an amount have decimals and the run end with its unit.

    >>> _splits("000", ["count"] * 3), _splits("1000", ["count"] * 3), _splits("1234", ["count"] * 3)
    (['0', '0', '0'], ['10', '0', '0'], None)
    >>> _splits("6-18", ["count", "change", "count"]), _splits("586.4万元", ["count", "money"])
    (None, None)
    >>> _splits("6-1", ["count", "change"])  # 6-18 above also cuts as 6|-|18 (a lone - is a blank)
    ['6', '-1']
    >>> _splits("/—58", ["count"] * 3), _splits("154增50", ["count", "change", "count"])
    (['/', '—', '58'], ['154', '增5', '0'])
    """
    n = len(kinds)
    unit = ""
    if m := _UNIT_END.search(run):
        if kinds[-1] != "money":
            return None
        run, unit = run[:m.start()], m.group(1)
    if not 0 < n <= len(run):
        return None
    ends = [[[j for j in range(i + 1, len(run) + 1) if _PART[kinds[k]].fullmatch(run, i, j)] for i in range(len(run))]
            for k in range(n)]
    # ways[k][i]: the cuts of run[i:] into the cells k… (0, 1 or 2 = more than one)
    ways = [[0] * (len(run) + 1) for _ in range(n + 1)]
    ways[n][len(run)] = 1
    for k in range(n - 1, -1, -1):
        for i in range(len(run) - 1, -1, -1):
            ways[k][i] = min(2, sum(ways[k + 1][j] for j in ends[k][i]))
    if ways[0][0] != 1:
        return None
    out, i = [], 0
    for k in range(n):
        j = next(j for j in ends[k][i] if ways[k + 1][j])
        out.append(run[i:j])
        i = j
    out[-1] += unit
    return out


def place(seg: Segment, rows: list[Row], cols: Columns, models: dict[int, list[tuple[int, int]]], where: str,
          table: str, row_key: str | None) -> tuple[list[Parsed], list[Finding]]:
    """Put a segment's cells into the columns of one row.

    Positional only where the text proves it (see the module docstring). Otherwise
    every cell is NA, except (``total_last``) a last value that equals the sum of
    the others, which is provably the 总计 column.
    """
    n = len(cols.keys)
    values = seg.values
    if not cols.counted:  # empty lines read as empty cells, where the table does not count right: nothing
        values = [v for v in values if v.text or rows[v.row].blanks != "counted"]
    if not values:
        return [BLANK] * n, []
    cells = [v.text for v in values]
    source = rows[values[0].row]
    one_row = all(v.row == values[0].row for v in values)
    placed: list[str] | None = None
    if one_row and values[0].row == seg.row and source.blanks != "dropped":
        kept = list(cells)
        while len(kept) > n and not clean(kept[-1]):
            kept.pop()  # padding after the row's cells
        # the rest of a label cell that spans several grid columns (a colspan), printed as empty cells: exactly
        # as many as the template's label spans, else an empty cell that could be any of them is not dropped
        span = L.label_colspan(table, row_key) - 1
        if span > 0 and len(kept) == n + span and not any(clean(c) for c in kept[:span]):
            kept = kept[span:]
        if len(kept) == n:
            placed = kept
        elif source.blanks == "kept":
            return _ambiguous(kept, n, cols, where, table, row_key, dropped=False)
    if placed is None and cols.counted and len(cells) == n:
        placed = cells
    if placed is None and seg.label is not None and source.blanks in _STREAM and any(
            rows[v.row].blanks == "marked" for v in values):
        placed = _marked(values, rows, n)
    if placed is None:
        cells = [c for c in cells if clean(c)]
        if len(cells) == n:
            placed = cells
        elif len(values) == 1 and values[0].glued and (split := _splits(values[0].text, cols.kinds)):
            placed = split
        elif one_row and (by_pos := _positioned(values, source, models.get(n) or _header_model(
                rows, values[0].row, cols.keys, table, cols.template))) is not None:
            placed = by_pos
        elif not cells:
            return [BLANK] * n, []
        elif len(values) == 1 and values[0].glued:
            return _ambiguous(cells, n, cols, where, table, row_key, dropped=False,
                              why="its cells ran together and can be cut into columns in more than one way")
        else:
            return _ambiguous(cells, n, cols, where, table, row_key, dropped=True)
    parsed = [parse(c, k, cols.default_money_unit) if c is not None else BLANK for c, k in zip(placed, cols.kinds)]
    found = [
        finding("invalid_value", f"{where} / {cols.names[i]}: {placed[i]!r} is not a number this column can hold",
                table, row_key, cols.keys[i]) if p.status == "invalid" else
        finding("wrong_unit", f"{where} / {cols.names[i]}: {placed[i]!r} is in {p.unit}, which this column cannot "
                "hold; left NA", table, row_key, cols.keys[i])
        for i, p in enumerate(parsed) if p.status in ("invalid", "wrong_unit")
    ]
    return parsed, found


_STREAM = frozenset(("dropped", "marked"))


def _marked(values: list[Value], rows: list[Row], n: int) -> list[str] | None:
    """A stream row's cells with the lines of pipes between its label and its last value as empty
    cells, when that makes one cell per column (pipes after the last value prove nothing)."""
    filled = [i for i, v in enumerate(values) if clean(v.text)]
    inner = values[:filled[-1] + 1] if filled else []
    if len(inner) == n and all(rows[v.row].blanks in ("dropped", "marked") for v in inner):
        return [v.text for v in inner]
    return None


def _positioned(values: list[Value], row: Row, model: list[tuple[int, int]] | None) -> list[str | None] | None:
    """Values placed by their display columns, where each overlaps exactly one column of the table's model
    and the row's label ends before the first column."""
    if model is None or row.rendering != "aligned":
        return None
    out: list[str | None] = [None] * len(model)
    start = len(row.cells) - len(values)  # a segment's values are the row's last cells
    if start and row.spans[start - 1][1] > model[0][0]:
        return None
    for v, (a, b) in zip(values, row.spans[start:]):
        hits = [i for i, (x, y) in enumerate(model) if a < y and x < b]
        if len(hits) != 1 or out[hits[0]] is not None:
            return None
        out[hits[0]] = v.text
    return out


def _header_model(rows: list[Row], before: int, keys: list[str], table: str,
                  template: str) -> list[tuple[int, int]] | None:
    """The display columns of the header labels above a row, where the nearest header laid out in columns
    names exactly the row's columns, in order (``本年制发件数 本年废止件数 现行有效件数``)."""
    wanted = set(keys)
    for row in reversed(rows[:before]):
        if row.rendering != "aligned" or row.spans is None:
            continue
        hits = [(m[0].key, span) for cell, span in zip(row.cells, row.spans)
                if (m := match(cell, table, template)) is not None and m[0] is not None and m[1] == "header"
                and m[0].key in wanted]
        if not hits:
            continue
        if [k for k, _ in hits] != keys:
            return None
        model = [span for _, span in hits]
        return model if all(model[i][1] < model[i + 1][0] for i in range(len(model) - 1)) else None
    return None


SEEDS = 64  # distinct layouts of full rows a column model is grown from (see column_models)


def column_models(segs: list[Segment], rows: list[Row], widths: dict[str, int]) -> dict[int, list[tuple[int, int]]]:
    """Per value count, the display columns of a table's full rows, where they line up.

    Each column spans the printed extent of its cell in the full rows (all cells
    printed) that agree with each other; the model holds only when at least two
    rows agree and their columns are in order and apart — text laid out in
    columns, not one space apart.
    """
    found: dict[int, dict[tuple[tuple[int, int], ...], int]] = {}  # value count -> layout -> rows
    for seg in segs:
        values = seg.values
        if not values or seg.role != "row" or any(v.row != values[0].row for v in values) \
                or len(values) != widths.get(seg.label.key):  # a full row: every one of its own columns printed
            continue
        row = rows[values[0].row]
        if row.rendering != "aligned" or not all(clean(v.text) for v in values):
            continue
        layout = tuple(row.spans[len(row.cells) - len(values):])
        counts = found.setdefault(len(values), {})
        counts[layout] = counts.get(layout, 0) + 1
    models = {}
    for n, counts in found.items():
        best: list[tuple[int, int]] | None = None
        support = 0
        # the largest group of full rows whose cells overlap column by column; rows laid out alike are
        # taken together (a model only grows, so a repeat agrees where its first did), and a group is
        # grown from the first SEEDS layouts only: a real table has a few dozen rows, hostile text may have
        # thousands, and trying each against each would take the square of them
        for seed in islice(counts, SEEDS):
            model, agree = list(seed), 0
            for other, k in counts.items():
                if all(a < y and x < b for (a, b), (x, y) in zip(other, model)):
                    model = [(min(a, x), max(b, y)) for (a, b), (x, y) in zip(other, model)]
                    agree += k
            if agree > support:
                best, support = model, agree
        if support >= 2 and all(best[i][1] < best[i + 1][0] for i in range(n - 1)):
            models[n] = best
    return models


def _ambiguous(cells: list[str], n: int, cols: Columns, where: str, table: str, row_key: str | None,
               dropped: bool, why: str | None = None) -> tuple[list[Parsed], list[Finding]]:
    out = [BLANK] * n
    placed = ""
    nums = [parse(c, "count") for c in cells]
    if dropped and cols.total_last and 2 <= len(cells) <= n and all(p.status == "ok" for p in nums):
        *parts, last = [p.value for p in nums]
        if last == sum(parts):
            out[-1] = nums[-1]
            placed = f", the last, {last}, equals the sum of the others and is kept as {cols.names[-1]}"
    raw = " ".join(repr(c) for c in cells)
    why = why or ("empty cells were dropped, so which columns they belong to is unknown" if dropped
                  else "the row does not have one cell per column")
    message = f"{where}: {len(cells)} cells for {n} columns ({raw}){placed}{_WHY}{why}"
    return out, [finding("ambiguous_columns", message, table, row_key)]


# An ambiguous_columns message: per reason, the rows it holds for (``表三 予以公开: 2 cells for 7 columns
# ('5' '3')``, joined by _PARTS), then _WHY and the reason; the reasons joined by _REASONS. No reason holds
# these separators, nor does a row's part (its cells are numbers, quoted).
_WHY, _PARTS, _REASONS = " — ", " · ", "; "


def one_ambiguous(found: list[Finding]) -> list[Finding]:
    """A table's findings with its ``ambiguous_columns`` findings, one per row, made one: the message
    names every row and its cells (grouped by reason), the ``row`` is the first row's (so the finding
    goes with that row where a cut drops the rows after it), and it stands where that row's stood.

    >>> rows = [finding("ambiguous_columns", f"表三 {r}: 2 cells for 7 columns ('1' '2') — empty cells were dropped, "
    ...                 "so which columns they belong to is unknown", "applications", k)
    ...         for r, k in (("予以公开", "granted"), ("重复申请", "not_processed_duplicate"))]
    >>> [f.row for f in one_ambiguous(rows)]
    ['granted']
    >>> print(one_ambiguous(rows)[0].message)
    表三 予以公开: 2 cells for 7 columns ('1' '2') · 表三 重复申请: 2 cells for 7 columns ('1' '2') — empty cells were dropped, so which columns they belong to is unknown
    """
    rows = [f for f in found if f.check == "ambiguous_columns"]
    if len(rows) < 2:
        return found
    reasons: dict[str, list[str]] = {}
    for f in rows:
        part, why = f.message.rsplit(_WHY, 1)
        reasons.setdefault(why, []).append(part)
    message = _REASONS.join(_PARTS.join(parts) + _WHY + why for why, parts in reasons.items())
    first, merged = rows[0], {id(f) for f in rows[1:]}
    return [first._replace(message=message) if f is first else f for f in found if id(f) not in merged]


_TABLE_PREFIX = {"disclosure": "表二", "applications": "表三", "appeals": "表四"}  # the ``where`` of place's findings


def ambiguous_rows(f: Finding) -> tuple[str, ...]:
    """The rows an ``ambiguous_columns`` finding names (row keys, in table order); table 四's one data row
    has no key, so a finding of table 四 names none.

    >>> import gkdata
    >>> r = gkdata.read_report("data/raw/001_d822c2f35621c521.txt")
    >>> [ambiguous_rows(f) for f in r.finding_records if f.check == "ambiguous_columns"]
    [('new_received', 'granted', 'denied_internal_affairs', 'results_total')]
    """
    if f.check != "ambiguous_columns" or f.table not in ("disclosure", "applications"):
        return ()
    keys = L.keys("disclosure_item" if f.table == "disclosure" else "application_row")
    prefix = _TABLE_PREFIX[f.table]
    starts = (f.message, *(p for sep in (_PARTS, _REASONS) for p in f.message.split(sep)[1:]))
    return tuple(k for k in keys if any(p.startswith(f"{prefix} {L.zh(k)}: ") for p in starts))


UNREAD_UNIT = "?"  # a header that declares a unit the text does not show whole


def _header_unit(segs: list[Segment], measure_key: str) -> str | None:
    """The unit a column header declares (``采购总金额(万元)``); :data:`UNREAD_UNIT` when it declares
    one that cannot be read (``采购总金额(单位:`` cut off), None when it declares none."""
    declared = None
    for seg in segs:
        if seg.role == "header" and seg.label is not None and seg.label.key == measure_key:
            text = L.normalize(seg.text)
            if m := _HEADER_UNIT.search(text):
                return m.group(1)
            if "单位" in text or text.count("(") > text.count(")"):
                declared = UNREAD_UNIT
        elif seg.role == "unknown" and _STRAY_UNIT.search(L.normalize(seg.text)):
            declared = UNREAD_UNIT  # a unit in text no header holds: whose column it is, the text does not say
    return declared


def _numbers(seg: Segment) -> str:
    """The segment's cells that read as numbers or blanks, for a finding; empty if none."""
    return " ".join(v.text for v in seg.values if clean(v.text) and is_value(v.text))


def _rows_by_key(segs: list[Segment], table: str, template: str) -> tuple[dict[str, Segment], list[Finding]]:
    """Each template row's segment; a repeated row keeps the first that holds numbers."""
    found: list[Finding] = []
    by_key: dict[str, Segment] = {}
    for seg in segs:
        if seg.role == "row" and not seg.label.group:
            key = seg.label.key
            if key not in by_key or (not _numbers(by_key[key]) and _numbers(seg)):
                by_key[key] = seg
            elif numbers := _numbers(seg):
                found.append(finding("unplaced_value", f"{L.zh(key)} appears twice; the second "
                                     f"row's cells ({numbers}) are not used", table, key))
        elif table == "appeals" or not (numbers := _numbers(seg)):
            continue
        elif seg.role == "unknown" and (near := near_miss(seg.text, table, template)):
            found.append(finding("unknown_label", f"{seg.text!r} is as near to {' and '.join(near)} as to any "
                                 f"one label, so it is read as neither; its numbers ({numbers}) are not used", table))
        elif seg.role == "unknown":
            found.append(finding("unplaced_value", f"{seg.text!r} is not a row of the template; its numbers "
                                 f"({numbers}) are not used", table))
        else:
            where = seg.text if seg.label is None else seg.label.display()
            found.append(finding("unplaced_value", f"numbers after {where!r} stand where no data cell is: "
                                 f"{numbers}", table))
    return by_key, found


# -- the three tables --------------------------------------------------------------------


class Read(NamedTuple):
    """One table as read: its records, the reader's findings, and the segment of each row found."""

    records: list[tuple]
    findings: list[Finding]
    rows: dict[str, Segment]  # row key -> its segment (table 四: its one data row under "data")
    source: list[Row]  # the rows read (headers joined), which segments index
    glued: int = 0  # rows whose cells ran together (``规章000``), for the rendering's name
    open_end: str | None = None  # the last row with values, where nothing after it proves it ended


def _open_end(segs: list[Segment], rows: list[Row], table: str, template: str, widths: dict[str, int]) -> str | None:
    """In text laid out in columns, where a row spans lines: the last data row with values, unless a later
    data row's label (or its start), another result group's label (or its start), a caption or a header shows it
    ended. Other text after it (its own group's label printed mid-span, a wrapped label's start) does not, so a text
    cut there may have cut that row."""
    for i in range(len(segs) - 1, -1, -1):
        seg = segs[i]
        if seg.values and seg.role == "row" and seg.label is not None and not seg.label.group:
            if rows[seg.row].rendering != "aligned" or sum(bool(v.text) for v in seg.values) >= widths[seg.label.key]:
                return None  # one line or one stream per row, or all its cells printed: nothing of it was cut
            # all segments: one in another column (a group's label) may be listed before a row above it
            ended = any(s.row > seg.row and (s.role == "header" or s.role == "row" and _ends(seg, [s.label])
                                             or s.role == "unknown" and _ends(seg, row_starts(s.text, table, template)))
                        for s in segs)
            return None if ended else seg.label.key
        if seg.role == "row" and seg.label is not None and not seg.label.group:
            return None  # a data row without values is last: it ended whatever came before
    return None


def _ends(seg: Segment, labels: Sequence[L.Label]) -> bool:
    """Whether text that is (or starts) one of ``labels`` shows that the data row ``seg`` ended: a data row's
    label, or the label of another result group (三(四) 无法提供 after 三(三)'s rows). The row's own group, or
    三、本年度办理结果, may be printed anywhere in its span, so it shows nothing."""
    if not labels:
        return False
    own = L.result_group(seg.label.key)
    return any(not lab.group for lab in labels) or all(L.result_group(lab.key) not in (None, own) for lab in labels)


def _glued(segs: list[Segment]) -> int:
    return sum(any(v.glued for v in seg.values) for seg in segs)


def _block_templates(segs: list[Segment]) -> dict[str, str]:
    """Item -> the template whose own header labels head its 第二十条 block, where they say one template only."""
    out: dict[str, str] = {}
    said: set[str] = set()
    for seg in segs:
        if seg.role == "header" and seg.label is None:  # a caption: a new block
            said = set()
        elif seg.role in ("header", "unknown") and (t := _template_of(seg.text, "disclosure")) and t[1]:
            said.add(t[0])
        elif seg.role == "row" and seg.label is not None and len(said) == 1:
            out.setdefault(seg.label.key, next(iter(said)))
    return out


def disclosure(rows: list[Row], template: str) -> Read:
    """Table 二 -> records (item, measure, value, unit).

    Each 第二十条 block is read by its own header labels: a report may print
    one block in the other template's columns (2019's 上一年项目数量 … beside
    2021's 本年处理决定数量); its rows are then read in that template's measures
    and a ``template_conflict`` finding names the block.
    """
    segs = segments(rows, "disclosure", template)
    by_key, found = _rows_by_key(segs, "disclosure", template)
    other = next(t for t in L.TEMPLATES if t != template)
    own = _block_templates(segs)
    moved = {item for item, t in own.items() if t == other}
    layouts = {template: dict(L.DISCLOSURE_LAYOUT[template])}
    readings = {template: (segs, by_key)}
    if moved or any(_template_of(cell, "disclosure") == (other, True) for row in rows for cell in row.cells):
        o_segs = segments(rows, "disclosure", other)
        o_by_key, _ = _rows_by_key(o_segs, "disclosure", other)
        # where the report's own template reads the block's headers as its own (本年 / 处理决定数量 joined), it stays
        moved |= {item for item, t in _block_templates(o_segs).items()
                  if t == other and item in o_by_key and own.get(item) != template}
        layouts[other] = dict(L.DISCLOSURE_LAYOUT[other])
        readings[other] = (o_segs, o_by_key)
    widths = {item: len(ms) for item, ms in L.DISCLOSURE_LAYOUT[template]}
    models = column_models(segs, rows, widths)
    counted = counts_right(by_key, rows, widths)
    records = []
    for item in L.keys("disclosure_item"):  # printed order, both templates' items
        reading = other if item in moved and item in layouts.get(other, {}) else template
        if item not in layouts[reading]:
            continue
        measures = layouts[reading][item]
        item_segs, item_by_key = readings[reading]
        labs = [L.measure(m, reading) for m in measures]
        header_unit = _header_unit(item_segs, "amount") if "amount" in measures else None
        seg = item_by_key.get(item)
        if seg is None:
            found.append(finding("missing_row", f"row {L.zh(item)} not found in table 二", "disclosure", item))
            values = [BLANK] * len(measures)
        else:
            if reading != template:
                found.append(finding("template_conflict", f"表二 {L.caption(item)}: {L.zh(item)} is printed under the "
                                     f"{reading} template's columns in a report read as {template}; read by its own "
                                     "columns", "disclosure", item))
            cols = Columns(list(measures), [lab.zh for lab in labs], [lab.kind for lab in labs], reading,
                           default_money_unit=header_unit if header_unit in ("万元", "元") else "万元",
                           counted=counted)
            values, more = place(seg, rows, cols, models if reading == template else {}, f"表二 {L.zh(item)}",
                                 "disclosure", item)
            found += more
        for lab, p in zip(labs, values):
            if lab.kind == "money" and p.status == "ok" and p.unit is None and header_unit == UNREAD_UNIT:
                found.append(finding("unread_unit", f"{L.zh(item)} {lab.zh}: the header declares a unit that cannot "
                                     f"be read whole, so {p.value:g} is left NA", "disclosure", item, lab.key))
                p = BLANK
            elif lab.kind == "money" and p.status == "ok" and p.unit is None and header_unit is None:
                found.append(finding("assumed_unit", f"{L.zh(item)} {lab.zh} {p.value:g} has no unit in the cell or "
                                     f"header; taken as 万元", "disclosure", item, lab.key))
            records.append((item, lab.key, p.value, lab.unit))
    return Read(records, one_ambiguous(found), by_key, rows, _glued(segs),
                _open_end(segs, rows, "disclosure", template, widths))


def applications(rows: list[Row], template: str) -> Read:
    """Table 三 -> records (row, applicant, value)."""
    segs = segments(rows, "applications", template)
    by_key, found = _rows_by_key(segs, "applications", template)
    keys = list(L.keys("applicant"))
    widths = dict.fromkeys(L.application_rows(template), len(keys))
    models = column_models(segs, rows, widths)
    counted = counts_right(by_key, rows, widths)
    cols = Columns(keys, [L.zh(c) for c in keys], ["count"] * len(keys), template, total_last=True, counted=counted)
    records = []
    for row in L.application_rows(template):
        seg = by_key.get(row)
        if seg is None:
            found.append(finding("missing_row", f"row {L.zh(row)} not found in table 三", "applications", row))
            values = [BLANK] * len(keys)
        else:
            values, more = place(seg, rows, cols, models, f"表三 {L.zh(row)}", "applications", row)
            found += more
        records += [(row, col, p.value) for col, p in zip(keys, values)]
    return Read(records, one_ambiguous(found), by_key, rows, _glued(segs),
                _open_end(segs, rows, "applications", template, widths))


def appeals(rows: list[Row], template: str) -> Read:
    """Table 四 -> records (proceeding, outcome, value): one data row of 15 cells after its headers."""
    segs = segments(rows, "appeals", template)
    columns = [(p, o) for p in L.keys("proceeding") for o in L.keys("outcome")]
    labelled = {seg.row for seg in segs}
    # lines of pipes after the header rows stand for merged positions as much as for empty data cells
    values = [v for seg in segs for v in seg.values if v.text or rows[v.row].blanks != "marked"]
    if len(values) > len(columns):  # empty cells of header rows are merged positions, not data
        values = [v for v in values if clean(v.text) or v.row not in labelled]
    if len(values) == 1 and len(values[0].text) >= len(columns) and _RUN.fullmatch(values[0].text):
        values = [values[0]._replace(glued=True)]  # longer than any count: the row's cells run together
    counted = False
    if segs and values and all(rows[v.row].blanks == "counted" for v in values):
        tail = segs[-1].values  # with its empty lines as cells: the data row after the last header
        counted = len(tail) == len(columns)
        values = tail if counted else values
    data = Segment(None, "row", "表四", values[0].row if values else -1, values)
    cols = Columns([o for _, o in columns], [L.zh(p) + L.zh(o) for p, o in columns], ["count"] * len(columns),
                   template, counted=counted)
    parsed, found = place(data, rows, cols, {}, "表四", "appeals", None)
    return Read([(p, o, v.value) for (p, o), v in zip(columns, parsed)], found, {"data": data} if values else {},
                rows, _glued(segs))


READERS = {"disclosure": disclosure, "applications": applications, "appeals": appeals}
