"""The ``gkdata`` command line.

Examples::

    gkdata show data/raw/003_e0c0fba79554bc10.txt
    gkdata check data/raw/*.txt
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import pandas as pd
import typer
from rich.console import Console
from rich.table import Table

from . import labels as L
from .errors import ReportError
from .report import Report, read_report

app = typer.Typer(help="政府信息公开工作年度报告 -> tidy, checked tables.", no_args_is_help=True,
                  add_completion=False)
console = Console()
if not console.is_terminal:  # piped or captured: do not squeeze the Chinese tables into 80 columns
    console = Console(width=200)
_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def _fmt(v) -> str:
    if pd.isna(v):
        return ""
    return f"{v:,.2f}" if isinstance(v, float) and v != int(v) else f"{int(v):,}"


def _wide_table(report: Report, name: str, title: str) -> Table:
    wide = report.wide(name, lang="zh")
    table = Table(title=title, title_justify="left")
    table.add_column("")
    for col in wide.columns:
        table.add_column(str(col), justify="right")
    for label, row in wide.iterrows():
        table.add_row(str(label), *(_fmt(v) for v in row.tolist()))
    return table


def print_findings(report: Report) -> None:
    for f in report.finding_records:
        where = " / ".join(L.zh(x) if x and _known(x) else x for x in (f.row, f.column) if x)
        console.print(f"  [{_STYLE[f.severity]}]{f.severity:7}[/] {f.check:24} {where}  {f.message}",
                      highlight=False, soft_wrap=True)


def _known(key: str) -> bool:
    try:
        L.zh(key)
    except KeyError:
        return False
    return True


@app.command()
def show(file: Annotated[Path, typer.Argument(help="a report file")]) -> None:
    """Print a report's tables as printed (Chinese labels) and its findings.

    Example: gkdata show data/raw/003_e0c0fba79554bc10.txt
    """
    try:
        report = read_report(file)
    except ReportError as e:
        console.print(f"[bold red]error[/] {e}")
        raise typer.Exit(2) from None
    console.print(f"[bold]{report!r}[/]")
    for name, title in (("disclosure", "二、主动公开政府信息情况"), ("applications", "三、收到和处理政府信息公开申请情况"),
                        ("appeals", "四、政府信息公开行政复议、行政诉讼情况")):
        console.print(_wide_table(report, name, title))
    if len(report.narrative):
        console.print(report.narrative[["key", "value", "unit"]].to_string(index=False))
    print_findings(report)


@app.command()
def check(files: Annotated[list[Path], typer.Argument(help="report files")]) -> None:
    """Print the findings of each file; exit 1 when any file has an error (or cannot be read).

    Example: gkdata check data/raw/*.txt
    """
    failed = False
    for file in files:
        try:
            report = read_report(file)
        except ReportError as e:
            console.print(f"[bold red]unreadable[/] {e}")
            failed = True
            continue
        errors = sum(f.severity == "error" for f in report.finding_records)
        failed |= errors > 0
        console.print(f"[bold]{file}[/] {report!r}", highlight=False)
        print_findings(report)
    raise typer.Exit(1 if failed else 0)
