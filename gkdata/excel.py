"""A corpus as a formatted workbook for people: ``to_excel(corpus, "summary.xlsx")``.

Sheets: 概览 (one row per input file with its main totals and finding counts),
申请 and 复议诉讼 (each report's table as printed, one row per printed row, so
the sheet both reads like the report and filters by 地区 / 年度 / 项目),
公开 (long: the two templates have different measures), 问题 (findings in Chinese,
coloured by severity, each linked to its cell) and 对比 (:func:`gkdata.views.compare`:
regions within a year when each region has one year, else years within each region).
Every sheet has 地区 and 年度 first and 发布机关 and 报告编号 last.

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
the cells of each sheet are streamed into it as XML, a few microseconds a row: 2,000
reports take a few seconds.
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
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.properties import PageSetupProperties

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
_ID_LAST = (views.COLUMN_ZH["publisher"], views.COLUMN_ZH["report_id"])


def text_width(text: str) -> int:
    """Display width in a spreadsheet column: CJK and full-width characters count 2.

    >>> text_width("办理结果总计"), text_width("1,437.47")
    (12, 8)
    """
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


# -- the sheets as frames -----------------------------------------------------------------------------


@dataclass
class _Sheet:
    """One sheet's table: its Chinese headers and values, how many key columns stay in view, and the
    marks (row, column) -> [(severity, text)] and links (row, column) -> target of its cells."""

    name: str
    df: pd.DataFrame
    frozen: int
    money_rows: np.ndarray | None = None  # rows whose numbers are 万元
    row_severity: list[str | None] | None = None  # a fill for the whole row (问题)
    marks: dict[tuple[int, int], list[tuple[str, str]]] = field(default_factory=dict)
    links: dict[tuple[int, int], tuple[str, int, int]] = field(default_factory=dict)  # -> (sheet, row, col)
    wrap: tuple[str, ...] = ()  # columns whose long text wraps


def _arrange(df: pd.DataFrame) -> pd.DataFrame:
    """地区 and 年度 first, 发布机关 and 报告编号 last."""
    first = [c for c in _ID_FIRST if c in df]
    last = [c for c in _ID_LAST if c in df]
    return df[first + [c for c in df.columns if c not in first and c not in last] + last]


def _with_publisher(df: pd.DataFrame, publisher: pd.Series) -> pd.DataFrame:
    rid = views.COLUMN_ZH["report_id"]
    return df.assign(**{views.COLUMN_ZH["publisher"]: df[rid].map(publisher).astype("string")})


def overview(corpus: Corpus) -> pd.DataFrame:
    """概览: one row per input file (failed ones too) with its main totals and finding counts."""
    reports = corpus.reports
    sums = views.totals(corpus.applications, corpus.appeals).drop(columns=["region", "year"])
    t = reports.merge(sums, on="report_id", how="left")
    total_keys = [c for c in sums.columns if c != "report_id"]
    head = ["region", "year", "template", "layout"]
    tail = ["errors", "warnings", "is_template", "status", "error", "title", "path", "publisher", "report_id"]
    out = t[head + total_keys + tail]
    return out.rename(columns={**views.COLUMN_ZH, **{k: L.zh(k) for k in total_keys}})


def _sheets(corpus: Corpus) -> tuple[list[_Sheet], dict[str, pd.DataFrame], pd.DataFrame]:
    """The six sheets, per sheet the keys of its rows (to find the cell a finding points to), and the
    findings in Chinese."""
    Z = views.COLUMN_ZH
    publisher = views.ids(corpus).set_index("report_id")["publisher"]
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
        _Sheet("申请", _arrange(_with_publisher(apps, publisher)), 3),
        _Sheet("公开", _arrange(_with_publisher(disclosure, publisher)), 3,
               money_rows=(disclosure[Z["unit"]] == "万元").fillna(False).to_numpy(bool)),
        _Sheet("复议诉讼", _arrange(_with_publisher(appeals, publisher)), 3),
        _Sheet("问题", _arrange(_with_publisher(found.assign(位置=pd.array([None] * len(found), dtype="string")),
                                                 publisher)), 3,
               row_severity=list(corpus.findings["severity"].astype("string").fillna("").replace("", None)),
               wrap=(Z["message"], Z["message"] + "（英文）")),
        _Sheet("对比", views.compare(corpus), 2),
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
        cols = [k[c].to_numpy(dtype=object, na_value=None) for c in ("report_id", "row", "column") if c in k]
        first: dict = {}
        for i, key in enumerate(zip(*cols)):
            first.setdefault(key, i)
            if len(cols) > 2:
                first.setdefault(key[:2], i)  # (report_id, row) of a long sheet: its first row
            first.setdefault(key[:1], i)  # the report's first row
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


class _Styles:
    """The cell formats of the workbook, registered with openpyxl once each: (kind, fill) -> xf id."""

    def __init__(self, wb: Workbook):
        self.ws = wb.create_sheet("_styles")  # a scratch sheet, removed before saving
        self.ids: dict[tuple, int] = {}
        self.n = 0

    def __call__(self, kind: str, fill: str | None = None) -> int:
        key = (kind, fill)
        if key not in self.ids:
            self.n += 1
            cell = self.ws.cell(self.n, 1)
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
            self.ids[key] = cell.style_id
        return self.ids[key]


def _text(value: str) -> str:
    value = ILLEGAL_CHARACTERS_RE.sub("", value).translate(_ESCAPE)
    space = ' xml:space="preserve"' if value != value.strip() or "\n" in value else ""
    return f"<is><t{space}>{value}</t></is>"


def _column_cells(values: pd.Series, letter: str, rows: range, sids: list[int] | int, money: int | None,
                  quoted: list[int] | int) -> list[str]:
    """The XML of one column's cells in ``rows`` ('' for an empty one), each with its style id
    (``money``: the id for a number that is not whole, when the column's own is for counts;
    ``quoted``: for text a spreadsheet would take for a formula, kept as text when edited)."""
    n = len(rows)
    sid = sids if isinstance(sids, list) else [sids] * n
    s = values
    if pd.api.types.is_numeric_dtype(s.dtype) and not pd.api.types.is_bool_dtype(s.dtype):
        numbers = s.to_numpy(dtype=float, na_value=np.nan)
        known = np.isfinite(numbers)
        whole = (known & (numbers == np.trunc(numbers)) & (np.abs(numbers) < 2 ** 53)).tolist()
        if money is not None:
            sid = [a if w else money for a, w in zip(sid, whole)]
        return [(f'<c r="{letter}{r}" s="{si}"><v>{int(v) if w else repr(v)}</v></c>' if k else "")
                for r, v, w, k, si in zip(rows, numbers.tolist(), whole, known.tolist(), sid)]
    objects = s.to_numpy(dtype=object, na_value=None)
    bodies: dict[object, tuple[str, bool]] = {}
    for v in set(objects.tolist()) - {None}:
        text = _YES_NO[bool(v)] if isinstance(v, (bool, np.bool_)) else str(v)
        bodies[v] = (_text(text), text.startswith(_FORMULA_START))
    quote = quoted if isinstance(quoted, list) else [quoted] * n
    bodies[None] = None
    return [f'<c r="{letter}{r}" s="{qi if b[1] else si}" t="inlineStr">{b[0]}</c>' if b else ""
            for r, b, si, qi in zip(rows, map(bodies.__getitem__, objects.tolist()), sid, quote)]


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


def _rows_xml(sheet: _Sheet, start: int, end: int, style) -> Iterator[str]:
    """The rows of one part of a sheet as XML: the header, then ``start:end`` of its frame."""
    df = sheet.df
    header = "".join(f'<c r="{get_column_letter(j)}1" s="{style("header")}" t="inlineStr">{_text(str(h))}</c>'
                     for j, h in enumerate(df.columns, 1))
    yield f'<row r="1" ht="32" customHeight="1">{header}</row>'
    marks: dict[int, dict[int, str]] = {}  # column -> row -> the worst severity of its findings
    for (i, j), found in sheet.marks.items():
        marks.setdefault(j, {})[i] = min((m[0] for m in found), key=lambda s: _SEVERITY_RANK.get(s, 9))
    links: dict[int, set[int]] = {}
    for (i, j) in sheet.links:
        links.setdefault(j, set()).add(i)
    chunk = 20_000
    for a in range(start, end, chunk):
        b = min(a + chunk, end)
        rows = range(a - start + 2, b - start + 2)
        fills = sheet.row_severity[a:b] if sheet.row_severity else None
        columns = []
        for j, col in enumerate(df.columns):
            numeric = pd.api.types.is_numeric_dtype(df[col].dtype) and not pd.api.types.is_bool_dtype(df[col].dtype)
            money = None
            if col == views.COLUMN_ZH["year"]:
                kinds: list[str] | str = "year"
            elif not numeric:
                kinds = "wrap" if col in sheet.wrap else "text"
            elif sheet.money_rows is not None:
                kinds = np.where(sheet.money_rows[a:b], "money", "count").tolist()
            else:
                kinds, money = "count", style("money")
            if fills is None and isinstance(kinds, str):
                sids: list[int] | int = style(kinds)
            else:
                kk = [kinds] * (b - a) if isinstance(kinds, str) else kinds
                ff = fills or [None] * (b - a)
                sids = [style(k, f) for k, f in zip(kk, ff)]
                if fills is not None and money is not None:
                    money = None  # (a coloured row: its numbers as counts)
            quoted = style("quoted") if fills is None else [style("quoted", f) for f in fills]
            cells = _column_cells(df[col].iloc[a:b], get_column_letter(j + 1), rows, sids, money, quoted)
            for i, worst in marks.get(j, {}).items():  # a marked cell: its finding's colour
                if a <= i < b:
                    kind = kinds if isinstance(kinds, str) else kinds[i - a]
                    sid = style(kind, worst)
                    cells[i - a] = _SID.sub(f' s="{sid}"', cells[i - a], count=1) if cells[i - a] \
                        else f'<c r="{get_column_letter(j + 1)}{i - start + 2}" s="{sid}"/>'
            for i in links.get(j, ()):
                if a <= i < b and cells[i - a]:
                    cells[i - a] = _SID.sub(f' s="{style("link", fills[i - a] if fills else None)}"', cells[i - a],
                                            count=1)
            columns.append(cells)
        for r, cells in zip(rows, zip(*columns)):
            yield f'<row r="{r}">{"".join(cells)}</row>'


_SID = re.compile(r' s="\d+"')


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
    style = _Styles(wb)
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
    for s, name, a, b in parts:  # every cell format the rows use, before openpyxl writes the styles
        for kind in ("header", "text", "wrap", "count", "money", "year", "quoted", "link"):
            for fill in (None, *SEVERITY_COLOURS):
                style(kind, fill)
    wb.remove(style.ws)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    frame = tmp.with_name(tmp.name + ".frame")
    try:
        wb.save(frame)
        _fill(frame, tmp, [(s, a, b) for s, _, a, b in parts], style)
        os.replace(tmp, path)  # atomic: readers never see a half-written workbook
    finally:
        tmp.unlink(missing_ok=True)
        frame.unlink(missing_ok=True)
    return path


_SHEET_DATA = re.compile(rb"<sheetData\s*/>|<sheetData>.*?</sheetData>", re.S)
_DIMENSION = re.compile(rb'<dimension ref="[^"]*"\s*/>')


def _fill(frame: Path, out: Path, parts: list[tuple[_Sheet, int, int]], style) -> None:
    """Copy the workbook openpyxl wrote, streaming each sheet's rows into its (empty) sheetData."""
    with zipfile.ZipFile(frame) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            m = re.fullmatch(r"xl/worksheets/sheet(\d+)\.xml", info.filename)
            if not m:
                dst.writestr(info, data)
                continue
            sheet, a, b = parts[int(m.group(1)) - 1]
            cut = _SHEET_DATA.search(data)
            head, tail = data[:cut.start()], data[cut.end():]
            last = f"{get_column_letter(len(sheet.df.columns))}{b - a + 1}"
            head = _DIMENSION.sub(f'<dimension ref="A1:{last}"/>'.encode(), head, count=1)
            with dst.open(zipfile.ZipInfo(info.filename, date_time=info.date_time), "w", force_zip64=True) as f:
                f.write(head + b"<sheetData>")
                buffer = []
                for row in _rows_xml(sheet, a, b, style):
                    buffer.append(row)
                    if len(buffer) >= 2000:
                        f.write("".join(buffer).encode("utf-8", "replace"))
                        buffer.clear()
                f.write("".join(buffer).encode("utf-8", "replace") + b"</sheetData>" + tail)
