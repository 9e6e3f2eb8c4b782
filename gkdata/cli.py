"""The ``gkdata`` command line.

Examples::

    gkdata build
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
from .errors import BuildError, ReportError
from .report import Report, read_report

app = typer.Typer(help="政府信息公开工作年度报告 -> tidy, checked tables.", no_args_is_help=True,
                  add_completion=False, epilog="Examples: gkdata build · gkdata show data/raw/003_e0c0fba79554bc10.txt"
                  " · gkdata check data/raw/*.txt · gkdata COMMAND --help")


console = Console()
if not console.is_terminal:  # piped or captured: do not squeeze the Chinese tables into 80 columns
    console = Console(width=200)
# What went wrong goes to stderr, so stdout holds only the results; a message is one line, never wrapped.
errors = Console(stderr=True, soft_wrap=True)
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
        errors.print(f"[bold red]error[/] {e}", highlight=False)
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
            errors.print(f"[bold red]unreadable[/] {e}", highlight=False)
            failed = True
            continue
        errors = sum(f.severity == "error" for f in report.finding_records)
        failed |= errors > 0
        console.print(f"[bold]{file}[/] {report!r}", highlight=False)
        print_findings(report)
    raise typer.Exit(1 if failed else 0)


@app.command()
def excel(out: Annotated[Path, typer.Argument(help="the workbook to write, e.g. summary.xlsx")],
          source: Annotated[Path, typer.Option("--from", help="built tables (gkdata build) or a folder of reports")]
          = Path("data/processed")) -> None:
    """Write a formatted workbook (概览, 申请, 公开, 复议诉讼, 问题, 对比) for people.

    Example: gkdata excel summary.xlsx --from data/processed
    """
    from . import excel as xl  # openpyxl only when asked for
    from .corpus import read_reports

    if (source / "reports.parquet").exists():
        from .store import load
        corpus = load(source)
    else:  # not built yet: read the reports themselves
        corpus = read_reports(source)
    if corpus.reports.empty:
        errors.print(f"[bold red]error[/] {source} holds neither built tables (reports.parquet) nor report files")
        raise typer.Exit(2)
    console.print(f"{corpus!r} -> {xl.to_excel(corpus, out)}", highlight=False)


@app.command("build")
def build_cmd(
    raw: Annotated[Path, typer.Argument(help="folder of reports, read recursively")] = Path("data/raw"),
    out: Annotated[Path, typer.Argument(help="folder the tables are written to (replaced as a whole)")]
    = Path("data/processed"),
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, help="parse in this many processes (or dask workers)")]
    = 1,
    executor: Annotated[str, typer.Option(help="processes (a local process pool) or dask")] = "processes",
    scheduler: Annotated[str | None, typer.Option(help="address of a running dask scheduler, for --executor dask")]
    = None,
    timeout: Annotated[float, typer.Option(help="seconds one file may take to parse; a file over it is a failed row "
                                           "(0: no limit)", min=0)] = 60.0,
) -> None:
    """Parse every report under RAW into Parquet and CSV tables in OUT, one line of summary at the end.

    Files parsed before (same content, same parser version) come from OUT/.cache.
    OUT changes only when the build completes.

    Examples:

        gkdata build

        gkdata build data/raw data/processed --jobs 2

        gkdata build --executor dask --scheduler tcp://10.0.0.5:8786
    """
    from rich.progress import Progress  # the build's imports (pandera) only when building

    from .batch import build

    with Progress(console=console, disable=not console.is_terminal) as bar:
        task = bar.add_task("parsing", total=None)
        try:
            built = build(raw, out, jobs, executor, scheduler, progress=lambda done, total: bar.update(
                task, completed=done, total=total, description="checking, writing" if done == total else "parsing"),
                timeout=timeout or None)
        except (OSError, ValueError, ImportError, BuildError) as e:
            bar.stop()
            errors.print(f"[bold red]error[/] {e}", highlight=False)
            raise typer.Exit(2) from None
    console.print(str(built), highlight=False)


@app.command()
def synth(out: Annotated[Path, typer.Argument(help="the folder to write the reports to")],
          n: Annotated[int, typer.Option(help="how many reports")] = 1000,
          seed: Annotated[int, typer.Option(help="random seed: the same seed writes the same corpus")] = 0) -> None:
    """Write N synthetic reports (every layout and template, some with anomalies) and manifest.jsonl.

    Example: gkdata synth --n 1000 data/synthetic
    """
    from .synth import write_corpus

    paths = write_corpus(out, n, seed)
    console.print(f"wrote {len(paths)} reports and {out / 'manifest.jsonl'}", highlight=False)
