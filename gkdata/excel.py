"""A corpus as a formatted workbook for people: ``to_excel(corpus, "summary.xlsx")``.

Sheets: 概览 (one row per input file with its main totals and finding counts),
申请 and 复议诉讼 (each report's table as printed, one row per printed row, so
the sheet both reads like the report and filters by 地区 / 年度 / 项目),
公开 (long: the two templates have different measures), 问题 (findings,
coloured by severity) and 对比 (region × year for the main totals).

Unknown values are empty cells, never 0, "nan" or "<NA>"; text is always
stored as text, so a title or message starting with "=" cannot run as a formula.
"""

from __future__ import annotations

import os
import unicodedata
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from . import labels as L
from . import views

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

    from .corpus import Corpus

COUNT, MONEY, YEAR = "#,##0", "#,##0.00", "0"
MAX_WIDTH = 60  # characters; longer text wraps
_FORMULA_START = ("=", "+", "-", "@")  # what a spreadsheet would read as a formula when the cell is edited
_HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
_SEVERITY_FILL = {views.SEVERITY_ZH[s]: PatternFill("solid", fgColor=c)
                  for s, c in (("error", "F8CBAD"), ("warning", "FFE699"), ("info", "DDEBF7"))}
_YES_NO = {True: "是", False: "否"}


def text_width(text: str) -> int:
    """Display width in a spreadsheet column: CJK and full-width characters count 2.

    >>> text_width("办理结果总计"), text_width("1,437.47")
    (12, 8)
    """
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _number_format(value: float, money: bool) -> str:
    return MONEY if money or not float(value).is_integer() else COUNT


def _plain(value: object) -> object:
    """A cell value openpyxl writes as is: None for NA, Python numbers, 是/否 for booleans."""
    if value is None or value is pd.NA or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, (bool, np.bool_)):
        return _YES_NO[bool(value)]
    if isinstance(value, (np.integer, np.floating)):
        return value.item()
    return value


def write_sheet(ws: Worksheet, df: pd.DataFrame, frozen_columns: int = 2) -> None:
    """Write a frame with one bold header row, frozen header and key columns, autofilter and fitted widths.

    A row whose 单位 is 万元 shows two decimals; other whole numbers get thousands separators.
    """
    headers = [str(c) for c in df.columns]
    widths = [text_width(h) for h in headers]
    for j, h in enumerate(headers, 1):
        cell = ws.cell(1, j, h)
        cell.data_type = "s"
        cell.font, cell.fill = Font(bold=True), _HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center")
    money = (df["单位"] == "万元").fillna(False).tolist() if "单位" in df else [False] * len(df)
    for i, (row, is_money) in enumerate(zip(df.itertuples(index=False, name=None), money), 2):
        for j, value in enumerate(map(_plain, row), 1):
            if value is None:
                continue  # NA: an empty cell
            if isinstance(value, str):
                value = ILLEGAL_CHARACTERS_RE.sub("", value)
                cell = ws.cell(i, j, value)
                cell.data_type = "s"  # openpyxl would store "=…" as a formula
                cell.quotePrefix = value.startswith(_FORMULA_START)  # and Excel keeps it text when edited
                shown = value
            else:
                cell = ws.cell(i, j, value)
                cell.number_format = YEAR if headers[j - 1] == views.COLUMN_ZH["year"] else \
                    _number_format(value, is_money)
                shown = f"{value:,.2f}" if cell.number_format == MONEY else f"{value:,.0f}"
            widths[j - 1] = max(widths[j - 1], text_width(shown))
            if text_width(shown) > MAX_WIDTH:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    for j, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(j)].width = min(w, MAX_WIDTH) + 2
    ws.freeze_panes = ws.cell(2, frozen_columns + 1)
    ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(df) + 1}"


def overview(corpus: Corpus) -> pd.DataFrame:
    """概览: one row per input file (failed ones too) with its main totals and finding counts."""
    reports = corpus.reports
    sums = views.totals(corpus.applications, corpus.appeals).drop(columns=["region", "year"])
    t = reports.merge(sums, on="report_id", how="left")
    total_keys = [c for c in sums.columns if c != "report_id"]
    head = ["region", "year", "template", "layout"]
    tail = ["errors", "warnings", "is_template", "status", "error", "title", "path", "report_id"]
    out = t[head + total_keys + tail]
    return out.rename(columns={**views.COLUMN_ZH, **{k: L.zh(k) for k in total_keys}})


def _colour_by_severity(ws: Worksheet) -> None:
    """Fill each finding's row with its severity's colour."""
    column = [c.value for c in ws[1]].index(views.COLUMN_ZH["severity"])
    for row in ws.iter_rows(min_row=2):
        if fill := _SEVERITY_FILL.get(row[column].value):
            for cell in row:
                cell.fill = fill


def to_excel(corpus: Corpus, path: str | os.PathLike) -> Path:
    """Write the corpus as a formatted workbook; the file appears complete or not at all.

    >>> import gkdata, tempfile, openpyxl
    >>> out = to_excel(gkdata.read_reports("data/raw"), tempfile.mkdtemp() + "/summary.xlsx")
    >>> openpyxl.load_workbook(out).sheetnames
    ['概览', '申请', '公开', '复议诉讼', '问题', '对比']
    """
    path = Path(path)
    wb = Workbook()
    wb.remove(wb.active)
    sheets = {
        "概览": (overview(corpus), 2),
        "申请": (views.printed(corpus, "applications").drop(columns=views.COLUMN_ZH["report_id"]), 3),
        "公开": (views.chinese(corpus, "disclosure").drop(columns=views.COLUMN_ZH["report_id"]), 2),
        "复议诉讼": (views.printed(corpus, "appeals").drop(columns=views.COLUMN_ZH["report_id"]), 3),
        "问题": (views.chinese(corpus, "findings").drop(columns=views.COLUMN_ZH["report_id"]), 2),
        "对比": (views.by_year(corpus), 2),
    }
    for name, (df, frozen) in sheets.items():
        write_sheet(wb.create_sheet(name), df, frozen)
    _colour_by_severity(wb["问题"])
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        wb.save(tmp)
        os.replace(tmp, path)  # atomic: readers never see a half-written workbook
    finally:
        tmp.unlink(missing_ok=True)
    return path
