"""A corpus as a formatted workbook for people: ``to_excel(corpus, "summary.xlsx")``.

Sheets: 概览 (one row per input file with its main totals and finding counts),
申请 and 复议诉讼 (each report's table as printed, one row per printed row, so
the sheet both reads like the report and filters by 地区 / 年度 / 项目),
公开 (long: the two templates have different measures), 问题 (findings in Chinese,
coloured by severity, each linked to its cell) and 对比 (:func:`gkdata.views.compare`, like with
like by place: places within a year when each place has one year, else years within each place).
Every sheet has 地区 and 年度 first and the report's place (省份 and 级别 on every sheet, to filter and
group by under the autofilter), 发布机关 and 报告编号 last.

A cell that a finding points to is marked in its own sheet: filled with the colour of
the finding's severity, with a comment holding the finding's check and message
(a finding about a whole table marks its first row's label, one about the whole
report its 地区 in 概览). Sheets print landscape, fitted to the page width, the
header row repeated on every page.

A sheet holds at most :data:`MAX_ROWS` rows (Excel's limit); a table with more goes on
over further sheets (申请 (2), 申请 (3) …), split between reports.

Unknown values are empty cells, never 0, "nan" or "<NA>"; text is always
stored as text, so a title or message starting with "=" cannot run as a formula.

The workbook's frame (styles, comments, links, page setup) is written by openpyxl and
the cells of each sheet are streamed into it as XML made a column at a time by Arrow's
string kernels, each text once in the shared strings: 2,000 reports (1.5 million cells)
take about 3 seconds and make 5 MB.
"""

from __future__ import annotations

import math
import os
import re
import unicodedata
import uuid
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.xml.constants import REL_NS, SHARED_STRINGS, SHEET_MAIN_NS

from . import views
from . import labels as L

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

    from .corpus import Corpus

COUNT, MONEY, YEAR = "#,##0", "#,##0.00", "0"
MAX_WIDTH = 60  # characters; longer text wraps
MAX_ROWS = 1_048_576  # rows of an Excel sheet, its header row included
_FORMULA_START = ("=", "+", "-", "@")  # what a spreadsheet would read as a formula when the cell is edited
_HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
SEVERITY_COLOURS = {"error": "F8CBAD", "warning": "FFE699", "info": "DDEBF7"}
_SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}
_YES_NO = {True: "是", False: "否"}
_ID_FIRST = (views.COLUMN_ZH["region"], views.COLUMN_ZH["year"])
# where from (to filter and group by province and level), who and which report: last, those a sheet has
_ID_LAST = (*views.PLACE_ZH.values(), views.COLUMN_ZH["publisher"], views.COLUMN_ZH["report_id"])
_SHEET_PLACE = ("province", "level")  # the place columns of the sheets of cells (概览 and 对比 have all)


def text_width(text: str) -> int:
    """Display width in a spreadsheet column: CJK and full-width characters count 2.

    >>> text_width("办理结果总计"), text_width("1,437.47"), text_width("Ａ\U00020000")
    (12, 8, 4)
    """
    if text.isascii():
        return len(text)
    if max(text) > "\uffff":  # beyond the BMP (rare): a character at a time
        return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return 2 * len(text) - len(_wide().sub("", text))


@cache
def _wide() -> re.Pattern:
    """Runs of the BMP's wide and full-width characters (East Asian Width W and F): a class of BMP
    characters only is a bitmap to the regex engine, so a width costs no Python call per character."""
    ranges, start = [], None
    for cp in range(0x10000 + 1):  # the last step closes the last range
        wide = cp < 0x10000 and unicodedata.east_asian_width(chr(cp)) in "WF"
        if wide and start is None:
            start = cp
        elif not wide and start is not None:
            ranges.append(f"{re.escape(chr(start))}-{re.escape(chr(cp - 1))}")
            start = None
    return re.compile(f"[{''.join(ranges)}]+")


# -- the sheets as frames -----------------------------------------------------------------------------


@dataclass
class _Sheet:
    """One sheet's table: its Chinese headers and values, how many key columns stay in view, and the
    marks (row, column) -> [(severity, text)] and links (row, column) -> target of its cells."""

    name: str
    df: pd.DataFrame
    frozen: int
    money_rows: np.ndarray | None = None  # rows whose numbers are 万元
    row_severity: list | None = None  # a fill for the whole row (问题): a severity, or NA
    marks: dict[tuple[int, int], list[tuple[str, str]]] = field(default_factory=dict)
    links: dict[tuple[int, int], tuple[str, int, int]] = field(default_factory=dict)  # -> (sheet, row, col)
    wrap: tuple[str, ...] = ()  # columns whose long text wraps


def _arrange(df: pd.DataFrame) -> pd.DataFrame:
    """地区 and 年度 first; the place, 发布机关 and 报告编号 last."""
    first = [c for c in _ID_FIRST if c in df]
    last = [c for c in _ID_LAST if c in df]
    return df[first + [c for c in df.columns if c not in first and c not in last] + last]


def _with_ids(df: pd.DataFrame, who: pd.DataFrame) -> pd.DataFrame:
    """``df`` with each report's 省份, 级别 and 发布机关 (``who``: :func:`gkdata.views.ids`)."""
    rid = df[views.COLUMN_ZH["report_id"]]
    publisher = rid.map(who.set_index("report_id")["publisher"]).astype("string")
    return df.assign(**views.place_columns(who, rid, _SHEET_PLACE), **{views.COLUMN_ZH["publisher"]: publisher})


def overview(corpus: Corpus) -> pd.DataFrame:
    """概览: one row per input file (failed ones too) with its main totals and finding counts."""
    reports = corpus.reports
    sums = views.totals(corpus.applications, corpus.appeals).drop(columns=["region", "year"])
    t = reports.merge(sums, on="report_id", how="left")
    total_keys = [c for c in sums.columns if c != "report_id"]
    head = ["region", "year", "template", "layout"]
    tail = ["errors", "warnings", "is_template", "status", "error", "title", "path"]
    out = t[head + total_keys + tail].rename(columns={**views.COLUMN_ZH, **{k: L.zh(k) for k in total_keys}})
    place = views.place_columns(views.ids(corpus), t["report_id"])  # (a failed file has none)
    return out.assign(**place, **{views.COLUMN_ZH[c]: t[c] for c in ("publisher", "report_id")})


def _sheets(corpus: Corpus) -> tuple[list[_Sheet], dict[str, pd.DataFrame], pd.DataFrame]:
    """The six sheets, per sheet the keys of its rows (to find the cell a finding points to), and the
    findings in Chinese."""
    Z = views.COLUMN_ZH
    who = views.ids(corpus)
    over = overview(corpus)
    apps = views.printed(corpus, "applications", keys=True)
    appeals = views.printed(corpus, "appeals", keys=True)
    disclosure = views.chinese(corpus, "disclosure").drop(columns=Z["level"])
    disclosure_keys = corpus.disclosure[["report_id", "item", "measure"]].astype("string").reset_index(drop=True)
    found = views.chinese(corpus, "findings")
    keys = {
        "概览": pd.DataFrame({"report_id": over[Z["report_id"]]}),
        "申请": pd.DataFrame({"report_id": apps[Z["report_id"]], "row": apps.pop("key")}),
        "公开": disclosure_keys.rename(columns={"item": "row", "measure": "column"}),
        "复议诉讼": pd.DataFrame({"report_id": appeals[Z["report_id"]], "row": appeals.pop("key")}),
    }
    sheets = [
        _Sheet("概览", _arrange(over), 2, wrap=(Z["title"], Z["error"], Z["path"])),
        _Sheet("申请", _arrange(_with_ids(apps, who)), 3),
        _Sheet("公开", _arrange(_with_ids(disclosure, who)), 3,
               money_rows=(disclosure[Z["unit"]] == "万元").fillna(False).to_numpy(bool)),
        _Sheet("复议诉讼", _arrange(_with_ids(appeals, who)), 3),
        _Sheet("问题", _arrange(_with_ids(found.assign(位置=pd.array([None] * len(found), dtype="string")), who)), 3,
               row_severity=corpus.findings["severity"].astype("string").tolist(),
               wrap=(Z["message"], Z["message"] + "（英文）")),
        _Sheet("对比", _arrange(views.compare(corpus)), 2),
    ]
    return sheets, keys, found


# -- the cells findings point to ------------------------------------------------------------------------

_SHEET_OF = {"applications": "申请", "appeals": "复议诉讼", "disclosure": "公开"}


def _mark(sheets: list[_Sheet], keys: dict[str, pd.DataFrame], corpus: Corpus, zh: pd.DataFrame) -> None:
    """Mark, in its own sheet, the cell each finding points to, and link the finding to it
    (``zh``: the findings in Chinese)."""
    by = {s.name: s for s in sheets}
    f = corpus.findings.reset_index(drop=True)
    Z = views.COLUMN_ZH
    where: dict[str, dict] = {}  # sheet -> (report_id, row[, column]) -> frame row
    for name, k in keys.items():
        cols = [c for c in ("report_id", "row", "column") if c in k]
        first: dict = {}
        for n in range(1, len(cols) + 1):  # the report's first row, (report_id, row)'s first row …
            d = k[cols[:n]].reset_index(drop=True).drop_duplicates()
            first.update(zip(zip(*(d[c].to_numpy(dtype=object, na_value=None) for c in cols[:n])), d.index))
        where[name] = first
    label_col = {"申请": Z["row"], "复议诉讼": Z["proceeding"], "公开": Z["item"], "概览": Z["region"]}
    problems = by["问题"]
    at_col = list(problems.df.columns).index("位置")
    texts = [f"【{a}】{b}：{c}" for a, b, c in zip(zh[Z["severity"]].tolist(), zh[Z["check"]].tolist(),
                                                  zh[Z["message"]].tolist())]
    columns = {name: {c: j for j, c in enumerate(sheet.df.columns)} for name, sheet in by.items()}
    fields = [f[c].to_numpy(dtype=object, na_value=None) for c in ("report_id", "table", "row", "column", "severity")]
    for i, (rid, table, row, column, severity) in enumerate(zip(*fields)):
        if rid is None:
            continue
        sheet = _SHEET_OF.get(table) if isinstance(table, str) else None
        cells = where.get(sheet or "概览", {})
        if sheet == "公开" and row is not None and column is not None and (rid, row, column) in cells:
            r, col = cells[rid, row, column], Z["value"]
        elif sheet in ("申请", "复议诉讼") and row is not None and (rid, row) in cells:
            r = cells[rid, row]
            col = views.label(column) if column is not None else label_col[sheet]
        elif sheet and row is not None and (rid, row) in cells:
            r, col = cells[rid, row], label_col[sheet]
        elif sheet and (rid,) in cells:  # the whole table
            r, col = cells[(rid,)], label_col[sheet]
        else:  # the whole report, or its prose
            sheet, cells = "概览", where["概览"]
            if (rid,) not in cells:
                continue
            r, col = cells[(rid,)], label_col["概览"]
        c = columns[sheet].get(col)
        if c is None:
            continue
        by[sheet].marks.setdefault((r, c), []).append((str(severity), texts[i]))
        problems.links[(i, at_col)] = (sheet, r, c)


# -- splitting over sheets at Excel's row limit -----------------------------------------------------------


def _split(sheet: _Sheet, report_ids: pd.Series | None) -> list[tuple[str, int, int]]:
    """(name, first row, end row) of each part of a sheet that fits :data:`MAX_ROWS`; parts end
    between reports where a report's rows fit one sheet."""
    n, cap = len(sheet.df), MAX_ROWS - 1
    if n <= cap:
        return [(sheet.name, 0, n)]
    starts = np.flatnonzero((report_ids != report_ids.shift()).fillna(True).to_numpy(bool)) if report_ids is not None \
        else np.arange(n)
    parts, start = [], 0
    while start < n:
        end = min(start + cap, n)
        if end < n:
            fits = starts[(starts > start) & (starts <= end)]
            end = int(fits[-1]) if len(fits) else end  # a report of more rows than a sheet: cut it
        parts.append((sheet.name if not parts else f"{sheet.name} ({len(parts) + 1})", start, end))
        start = end
    return parts


# -- writing ------------------------------------------------------------------------------------------------

_ESCAPE = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
KINDS = ("header", "text", "wrap", "count", "money", "year", "quoted", "link")
FILLS = (None, *SEVERITY_COLOURS)
_K = {k: i for i, k in enumerate(KINDS)}
_F = {f: i for i, f in enumerate(FILLS)}
_CHUNK = 32_768  # rows made at a time: bounded memory for a sheet of a million rows


class _Styles:
    """Every cell format of the workbook (a kind of :data:`KINDS` with a fill of :data:`FILLS`), registered
    with openpyxl once: ``ids[kind, fill]`` is its style id."""

    def __init__(self, wb: Workbook):
        ws = wb.create_sheet("_styles")  # a scratch sheet: the formats stay registered with the workbook
        self.ids = np.zeros((len(KINDS), len(FILLS)), dtype=np.int64)
        for k, kind in enumerate(KINDS):
            for f, fill in enumerate(FILLS):
                cell = ws.cell(k * len(FILLS) + f + 1, 1)
                if kind == "header":
                    cell.font = Font(bold=True)
                    cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
                    cell.border = Border(bottom=Side(style="thin", color="8EA9DB"))
                elif kind in ("count", "money", "year"):
                    cell.number_format = {"count": COUNT, "money": MONEY, "year": YEAR}[kind]
                elif kind == "wrap":
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
                elif kind == "quoted":
                    cell.quotePrefix = True
                elif kind == "link":
                    cell.font = Font(color="0563C1", underline="single")
                colour = _HEADER_FILL.fgColor.rgb[-6:] if kind == "header" else SEVERITY_COLOURS.get(fill or "")
                if colour:
                    cell.fill = PatternFill("solid", fgColor=colour)
                self.ids[k, f] = cell.style_id
        wb.remove(ws)
        self.text = pa.array([str(i) for i in range(int(self.ids.max()) + 1)])  # an id as XML text


def _text(value: str) -> str:
    """A text as the XML of a string item (``<t>``)."""
    value = ILLEGAL_CHARACTERS_RE.sub("", value).encode("utf-8", "replace").decode().translate(_ESCAPE)
    space = ' xml:space="preserve"' if value != value.strip() or "\n" in value else ""
    return f"<t{space}>{value}</t>"


class _Strings:
    """The workbook's shared strings: each text once, the cells holding its number (as Excel writes them;
    a repeated 地区 or 项目 costs a few bytes a cell)."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}

    def ids(self, texts: list[str]) -> np.ndarray:
        return np.array([self.index.setdefault(t, len(self.index)) for t in texts], dtype=np.int64)

    def xml(self) -> Iterator[bytes]:
        yield (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="{SHEET_MAIN_NS}" '
               f'uniqueCount="{len(self.index)}">').encode()
        texts = list(self.index)
        for a in range(0, len(texts), _CHUNK):
            yield "".join(f"<si>{_text(t)}</si>" for t in texts[a:a + _CHUNK]).encode()
        yield b"</sst>"


def _is_number(s: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(s.dtype) and not pd.api.types.is_bool_dtype(s.dtype)


def _column_xml(values: pd.Series, letter: str, rows: pa.Array, kind: np.ndarray, fill: np.ndarray,
                styles: _Styles, strings: _Strings) -> pa.Array:
    """The XML of one column's cells, one string a row, made by Arrow's string kernels (not a Python
    string per cell: a million cells a second). ``kind`` and ``fill`` index :data:`KINDS` and
    :data:`FILLS` per row; a number that is not whole gets the money format in a count column, text a
    spreadsheet would take for a formula stays text when edited (``quoted``), and an empty cell is
    written only when it is filled (a finding's mark, a coloured row). (``kind`` is the caller's copy: changed.)"""
    if _is_number(values):
        numbers = values.to_numpy(dtype=float, na_value=np.nan)
        known = np.isfinite(numbers)
        whole = known & (numbers == np.trunc(numbers)) & (np.abs(numbers) < 2 ** 53)
        kind[known & ~whole & (kind == _K["count"])] = _K["money"]
        value = pc.if_else(pa.array(whole), pa.array(np.where(whole, numbers, 0).astype(np.int64)).cast(pa.string()),
                           pa.array(numbers).cast(pa.string()))
        head, tail = '"><v>', "</v></c>"
    else:
        codes, uniques = pd.factorize(values)
        known = codes >= 0
        texts = [_YES_NO[bool(v)] if isinstance(v, (bool, np.bool_)) else str(v) for v in uniques]
        formula = np.array([t.startswith(_FORMULA_START) for t in texts] + [False])[codes]
        kind[formula & ((kind == _K["text"]) | (kind == _K["wrap"]))] = _K["quoted"]
        value = pa.array(strings.ids(texts)).cast(pa.string()).take(pa.array(codes, mask=~known))
        head, tail = '" t="s"><v>', "</v></c>"
    sid = styles.text.take(pa.array(styles.ids[kind, fill]))
    cells = pc.binary_join_element_wise(f'<c r="{letter}', rows, '" s="', sid, head, value, tail, "")
    filled = ~known & (fill != 0)
    empty = pc.binary_join_element_wise(f'<c r="{letter}', rows, '" s="', sid, '"/>', "") if filled.any() else ""
    return pc.if_else(pa.array(known), cells, pc.if_else(pa.array(filled), empty, ""))


def _widths(df: pd.DataFrame, money: np.ndarray | None, wrap: tuple[str, ...]) -> list[float]:
    """Column widths: the widest value (a header wraps onto two lines rather than widen its column)."""
    out = []
    for col in df.columns:
        s = df[col]
        head = text_width(str(col))
        if pd.api.types.is_numeric_dtype(s.dtype) and not pd.api.types.is_bool_dtype(s.dtype):
            v = s.to_numpy(dtype=float, na_value=np.nan)
            v = v[np.isfinite(v)]
            big = float(np.abs(v).max()) if len(v) else 0.0
            data = len(f"{big:,.2f}") + 1 if (money is not None and money.any()) or (len(v) and
                                                                                    (v != np.round(v)).any()) \
                else len(f"{big:,.0f}") + (1 if (v < 0).any() else 0)
        else:
            data = 0
            for t in sorted(map(str, set(s.to_numpy(dtype=object, na_value=None).tolist()) - {None}), key=len,
                            reverse=True):
                if 2 * len(t) <= data or data >= MAX_WIDTH:
                    break  # no shorter text is wider
                data = max(data, text_width(t))
        width = max(data, min(head, max(8, math.ceil(head / 2))))
        out.append(min(width, MAX_WIDTH) + 2)
    return out


def _rows_xml(sheet: _Sheet, start: int, end: int, styles: _Styles, strings: _Strings) -> Iterator[bytes]:
    """The rows of one part of a sheet as XML: the header, then ``start:end`` of its frame."""
    df = sheet.df
    header = "".join(f'<c r="{get_column_letter(j)}1" s="{styles.ids[_K["header"], 0]}" t="s"><v>{i}</v></c>'
                     for j, i in enumerate(strings.ids([str(h) for h in df.columns]), 1))
    yield f'<row r="1" ht="32" customHeight="1">{header}</row>'.encode()
    marks: dict[int, tuple[np.ndarray, np.ndarray]] = {}  # column -> (rows, the worst severity of their findings)
    for (i, j), found in sheet.marks.items():
        worst = min((m[0] for m in found), key=lambda s: _SEVERITY_RANK.get(s, 9))
        marks.setdefault(j, ([], []))[0].append(i)
        marks[j][1].append(_F.get(worst, 0))
    marks = {j: (np.array(r), np.array(f)) for j, (r, f) in marks.items()}
    links: dict[int, np.ndarray] = {}
    for (i, j) in sheet.links:
        links.setdefault(j, []).append(i)
    links = {j: np.array(r) for j, r in links.items()}
    row_fill = np.array([_F.get(f, 0) if isinstance(f, str) else 0 for f in sheet.row_severity or ()], dtype=np.int64)
    base = []  # each column's kind, as a scalar or per frame row
    for col in df.columns:
        if col == views.COLUMN_ZH["year"]:
            base.append(_K["year"])
        elif not _is_number(df[col]):
            base.append(_K["wrap"] if col in sheet.wrap else _K["text"])
        elif sheet.money_rows is not None:
            base.append(np.where(sheet.money_rows, _K["money"], _K["count"]))
        else:
            base.append(_K["count"])
    for a in range(start, end, _CHUNK):
        b = min(a + _CHUNK, end)
        rows = pa.array(np.arange(a - start + 2, b - start + 2)).cast(pa.string())
        fill0 = row_fill[a:b] if len(row_fill) else np.zeros(b - a, dtype=np.int64)
        cells = []
        for j, col in enumerate(df.columns):
            kind = base[j][a:b].copy() if isinstance(base[j], np.ndarray) else np.full(b - a, base[j])
            fill = fill0.copy()
            if j in marks:  # a marked cell: its finding's colour
                r, f = marks[j]
                inside = (r >= a) & (r < b)
                fill[r[inside] - a] = f[inside]
            if j in links:
                r = links[j]
                kind[r[(r >= a) & (r < b)] - a] = _K["link"]
            cells.append(_column_xml(df[col].iloc[a:b], get_column_letter(j + 1), rows, kind, fill, styles, strings))
        xml = pc.binary_join_element_wise('<row r="', rows, '">', *cells, "</row>", "")
        yield pc.binary_join(pa.ListArray.from_arrays(pa.array([0, len(xml)], pa.int32()), xml), "")[0].as_buffer()


def _frame(ws: Worksheet, sheet: _Sheet, n: int, widths: list[float]) -> None:
    """The sheet's frame in openpyxl: widths, frozen panes, filter, page setup."""
    for j, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(j)].width = w
    ws.freeze_panes = ws.cell(2, sheet.frozen + 1)
    last = get_column_letter(len(sheet.df.columns))
    ws.auto_filter.ref = f"A1:{last}{n + 1}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages down as it takes
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_title_rows = "1:1"  # the header row on every page
    ws.print_options.gridLines = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.oddHeader.center.text = "&A"
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


def to_excel(corpus: Corpus, path: str | os.PathLike) -> Path:
    """Write the corpus as a formatted workbook; the file appears complete or not at all.

    >>> import gkdata, tempfile, openpyxl
    >>> out = to_excel(gkdata.read_reports("data/raw"), tempfile.mkdtemp() + "/summary.xlsx")
    >>> openpyxl.load_workbook(out).sheetnames
    ['概览', '申请', '公开', '复议诉讼', '问题', '对比']
    """
    path = Path(path)
    sheets, keys, found = _sheets(corpus)
    _mark(sheets, keys, corpus, found)
    # parts: Excel's row limit
    parts: list[tuple[_Sheet, str, int, int]] = []
    for s in sheets:
        rid = s.df[views.COLUMN_ZH["report_id"]] if views.COLUMN_ZH["report_id"] in s.df else None
        parts += [(s, name, a, b) for name, a, b in _split(s, rid)]
    place = {}  # (sheet, frame row) -> (part name, sheet row)
    for s, name, a, b in parts:
        for (i, j) in s.marks:
            if a <= i < b:
                place[s.name, i] = (name, i - a + 2)
    wb = Workbook()
    wb.remove(wb.active)
    styles = _Styles(wb)
    for s, name, a, b in parts:  # the 问题 rows name the cell their finding marks
        if s.links:
            at: list[str | None] = [None] * len(s.df)
            for (i, j), (target, r, c) in s.links.items():
                where_name, row = place.get((target, r), (target, r + 2))
                at[i] = f"{where_name}!{get_column_letter(c + 1)}{row}"
            s.df["位置"] = pd.array(at, dtype="string")
    for s, name, a, b in parts:
        ws = wb.create_sheet(name)
        _frame(ws, s, b - a, _widths(s.df.iloc[a:b], s.money_rows, s.wrap))
        for (i, j), marks in s.marks.items():
            if a <= i < b:
                text = "\n".join(m[1] for m in marks)
                lines = sum(1 + text_width(line) // 48 for line in text.split("\n"))
                ws.cell(i - a + 2, j + 1).comment = Comment(text, "gkdata", height=min(400, 22 + 15 * lines),
                                                            width=320)
        for (i, j), (target, r, c) in s.links.items():
            if a <= i < b:
                where_name, row = place.get((target, r), (target, r + 2))
                cell = f"{get_column_letter(c + 1)}{row}"
                ws.cell(i - a + 2, j + 1).hyperlink = Hyperlink(ref=f"{get_column_letter(j + 1)}{i - a + 2}",
                                                                location=f"'{where_name}'!{cell}",
                                                                display=f"{where_name}!{cell}")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    frame = tmp.with_name(tmp.name + ".frame")
    try:
        wb.save(frame)
        _fill(frame, tmp, [(s, a, b) for s, _, a, b in parts], styles)
        os.replace(tmp, path)  # atomic: readers never see a half-written workbook
    finally:
        tmp.unlink(missing_ok=True)
        frame.unlink(missing_ok=True)
    return path


_SHEET_DATA = re.compile(rb"<sheetData\s*/>|<sheetData>.*?</sheetData>", re.S)
_DIMENSION = re.compile(rb'<dimension ref="[^"]*"\s*/>')


def _fill(frame: Path, out: Path, parts: list[tuple[_Sheet, int, int]], styles: _Styles) -> None:
    """Copy the workbook openpyxl wrote, streaming each sheet's rows into its sheetData, then add the
    shared strings they use."""
    strings = _Strings()
    with zipfile.ZipFile(frame) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as dst:
        for info in src.infolist():
            m = re.fullmatch(r"xl/worksheets/sheet(\d+)\.xml", info.filename)
            data = src.read(info.filename)
            if info.filename in _DECLARE:  # the shared strings' part: its type and its place in the workbook
                end, entry = _DECLARE[info.filename]
                data = data.replace(end, entry + end, 1)
            if not m:
                dst.writestr(info, data)
                continue
            sheet, a, b = parts[int(m.group(1)) - 1]
            cut = _SHEET_DATA.search(data)
            head, tail = data[:cut.start()], data[cut.end():]
            last = f"{get_column_letter(len(sheet.df.columns))}{b - a + 1}"
            head = _DIMENSION.sub(f'<dimension ref="A1:{last}"/>'.encode(), head, count=1)
            with dst.open(info.filename, "w", force_zip64=True) as f:  # (by name: compressed as the archive is)
                f.write(head + b"<sheetData>")
                for rows in _rows_xml(sheet, a, b, styles, strings):
                    f.write(rows)
                f.write(b"</sheetData>" + tail)
        with dst.open(_SHARED_STRINGS, "w", force_zip64=True) as f:
            for chunk in strings.xml():
                f.write(chunk)


_SHARED_STRINGS = "xl/sharedStrings.xml"  # (openpyxl writes text inline, so it declares no shared strings)
_DECLARE = {
    "[Content_Types].xml": (b"</Types>", f'<Override PartName="/{_SHARED_STRINGS}" ContentType="{SHARED_STRINGS}"/>'.encode()),
    "xl/_rels/workbook.xml.rels": (b"</Relationships>", f'<Relationship Type="{REL_NS}/sharedStrings" '
                                                        f'Target="sharedStrings.xml" Id="rIdSharedStrings"/>'.encode()),
}
