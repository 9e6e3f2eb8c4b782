"""The ``gkdata`` command line.

Results go to stdout, everything that went wrong to stderr (one line each, ``error …``
or ``warning …``); a command that could not do what was asked exits 2, ``check`` exits 1
when a file has an error finding or cannot be read.

Examples::

    gkdata build
    gkdata show data/raw/003_e0c0fba79554bc10.txt
    gkdata check data/raw/*.txt
    gkdata check --errors-only data/raw/*.txt
    gkdata check --format json data/raw/*.txt
"""

from __future__ import annotations

import json
import os
from collections import Counter
from enum import Enum
from pathlib import Path
from typing import Annotated, NoReturn

import pandas as pd
import typer
from rich.cells import cell_len
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from . import labels as L
from .errors import BuildError, ReportError
from .findings import INFO, SEVERITIES
from .report import Report, read_report

app = typer.Typer(help="政府信息公开工作年度报告 -> tidy, checked tables.", no_args_is_help=True,
                  add_completion=False, epilog="Examples: gkdata build · gkdata show data/raw/003_e0c0fba79554bc10.txt"
                  " · gkdata check data/raw/*.txt · gkdata COMMAND --help")

PIPED_WIDTH = 200  # piped or captured without COLUMNS: do not squeeze the Chinese tables into 80 columns


def _stdout() -> Console:
    """The console for results: the terminal's width (``COLUMNS`` when set), else :data:`PIPED_WIDTH`."""
    out = Console()
    columns = os.environ.get("COLUMNS", "")
    if not (columns.isdigit() and int(columns) > 0) and not out.is_terminal:
        out = Console(width=PIPED_WIDTH)
    return out


console = _stdout()
# What went wrong goes to stderr, so stdout holds only the results; a message is one line, never wrapped.
errors = Console(stderr=True, soft_wrap=True)
_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


@app.callback()
def _main() -> None:
    global console
    console = _stdout()  # per command: the width of the terminal (or COLUMNS) it runs in now


def _fail(message: str, code: int = 2) -> NoReturn:
    """Say what went wrong on stderr and stop with ``code``."""
    errors.print(f"[bold red]error[/] {escape(message)}", highlight=False)
    raise typer.Exit(code)


def _warn(message: str) -> None:
    errors.print(f"[yellow]warning[/] {escape(message)}", highlight=False)


def _os_error(e: OSError) -> str:
    """An OSError as ``PATH: reason`` (its own text when it names no file)."""
    return f"{e.filename}: {e.strerror}" if e.filename is not None and e.strerror else str(e)


def _must_exist(paths: list[Path], what: str = "file") -> None:
    """Stop (exit 2) naming the first path that does not exist, before anything is read."""
    for p in paths:
        if not os.path.lexists(p):
            _fail(f"{p}: no such {what}")


# -- show: the tables as printed, wrapped at the console's width ------------------------------------------


def _fmt(v) -> str:
    """A value as shown: integers with thousands separators, amounts with every decimal they have."""
    if pd.isna(v):
        return ""
    return f"{int(v):,}" if not isinstance(v, float) or v == int(v) else format(v, ",")


_BORDER = 3  # a column's padding (one space each side) and the border on its right
_KEEP = 4  # a label this wide (two CJK characters) or narrower is never folded


def _folded(width: int) -> int:
    """The width a label folds to: about half, in whole CJK characters (two cells each)."""
    return width if width <= _KEEP else 2 * -(-width // 4)


def _layout(label_width: int, needs: list[tuple[int, int]], width: int) -> tuple[int, list[int], list[list[int]]]:
    """How a table of a label column and value columns fits ``width``: the label column's width, each value
    column's width and the value columns of each part (a table whose columns do not fit side by side is
    printed in parts, each with the row labels).

    ``needs``: per value column, (widest value, header label width). A value column is never narrower than its
    widest value, so no number is cut; labels fold onto more lines, nothing of them is cut: the header labels
    first (the widest first, to about half), then the row labels.

    >>> _layout(36, [(3, 6), (3, 12)], 80)  # fits as it is
    (36, [6, 12], [[0, 1]])
    >>> _layout(36, [(3, 6), (3, 12)], 60)  # 社会公益组织 folds: 社会公 / 益组织
    (36, [6, 6], [[0, 1]])
    >>> _layout(36, [(3, 6), (3, 12)], 40)  # and the row labels
    (20, [4, 6], [[0, 1]])
    >>> _layout(20, [(13, 10)] * 4, 40)  # a number keeps its width: two parts
    (20, [13, 13, 13, 13], [[0], [1], [2], [3]])
    """
    def total(label: int, cols: list[int]) -> int:
        return 1 + label + _BORDER + sum(c + _BORDER for c in cols)

    cols = [max(v, h) for v, h in needs]
    for j in sorted(range(len(needs)), key=lambda j: -needs[j][1]):
        if total(label_width, cols) <= width:
            return label_width, cols, [list(range(len(needs)))]
        cols[j] = max(needs[j][0], _folded(needs[j][1]))
    least = min(label_width, max(_KEEP, _folded(label_width)))
    if (room := width - total(0, cols)) >= least:
        return min(label_width, room), cols, [list(range(len(needs)))]
    # in parts, each as many columns as fit beside the labels (at least one); the labels whole unless
    # folding them makes fewer parts
    best: tuple[int, list[list[int]]] | None = None
    for label in dict.fromkeys((label_width, least)):
        label = max(2, min(label, width - total(0, [max(cols, default=0)])))
        parts: list[list[int]] = [[]]
        for j, w in enumerate(cols):
            if parts[-1] and total(label, [cols[i] for i in parts[-1]] + [w]) > width:
                parts.append([])
            parts[-1].append(j)
        if best is None or len(parts) < len(best[1]):
            best = label, parts
    return best[0], cols, best[1]


def _wide_tables(report: Report, name: str, title: str, width: int) -> list[Table]:
    """A table as printed (Chinese labels), as one or more rich Tables that fit ``width``."""
    wide = report.wide(name, lang="zh")
    labels = [str(label) for label in wide.index]
    headers = [str(col) for col in wide.columns]
    cells = [[_fmt(v) for v in row] for row in wide.itertuples(index=False)]
    needs = [(max((cell_len(row[j]) for row in cells), default=0), cell_len(h)) for j, h in enumerate(headers)]
    label_width, widths, parts = _layout(max(map(cell_len, labels), default=0), needs, width)
    out = []
    for k, part in enumerate(parts):
        table = Table(title=title if k == 0 else f"{title}（续）", title_justify="left")
        table.add_column("", width=label_width, overflow="fold")
        for j in part:
            table.add_column(headers[j], justify="right", width=widths[j], overflow="fold")
        for label, row in zip(labels, cells):
            table.add_row(label, *(row[j] for j in part))
        out.append(table)
    return out


def _where(f) -> str:
    if f.check == "ambiguous_columns":  # one finding for its table: the message names each row
        return ""
    return " / ".join(L.zh(x) if x and _known(x) else x for x in (f.row, f.column) if x)


def print_findings(report: Report, severities: tuple[str, ...] = SEVERITIES) -> None:
    for f in report.finding_records:
        if f.severity in severities:
            console.print(f"  [{_STYLE[f.severity]}]{f.severity:7}[/] {f.check:24} {escape(_where(f))}  "
                          f"{escape(f.message)}", highlight=False, soft_wrap=True)


def _known(key: str) -> bool:
    try:
        L.zh(key)
    except KeyError:
        return False
    return True


TITLES = {"disclosure": "二、主动公开政府信息情况", "applications": "三、收到和处理政府信息公开申请情况",
          "appeals": "四、政府信息公开行政复议、行政诉讼情况"}


@app.command()
def show(file: Annotated[Path, typer.Argument(help="a report file")]) -> None:
    """Print a report's tables as printed (Chinese labels) and its findings.

    The tables fit the terminal's width (COLUMNS when set): labels fold onto more lines, and a
    table too wide is printed in parts; a number is never cut.

    Example: gkdata show data/raw/003_e0c0fba79554bc10.txt
    """
    _must_exist([file])
    try:
        report = read_report(file)
    except ReportError as e:
        _fail(str(e))
    console.print(f"[bold]{escape(repr(report))}[/]", soft_wrap=True)
    for name, title in TITLES.items():
        for table in _wide_tables(report, name, title, console.width):
            console.print(table)
    if len(report.narrative):
        console.print(report.narrative[["key", "value", "unit"]].to_string(index=False), soft_wrap=True)
    print_findings(report)


# -- check: findings of many files, a summary, text or JSON --------------------------------------------------


class Format(str, Enum):
    text = "text"
    json = "json"


def _finding_dict(f) -> dict:
    return {k: (None if isinstance(v, float) and v != v else v) for k, v in f._asdict().items()}


def _report_dict(report: Report) -> dict:
    """The fields of a report's repr."""
    m, found = report.meta, report.finding_records
    return {"region": m.region, "year": m.year, "template": m.template, "layout": m.layout,
            "is_template": m.is_template, "findings": len(found),
            "errors": sum(f.severity == "error" for f in found)}


def _summary(read: list[tuple[Path, Report | None, str | None]]) -> dict:
    found = [f for _, r, _ in read if r is not None for f in r.finding_records]
    severities = Counter(f.severity for f in found)
    by_check = Counter(f.check for f in found)
    return {
        "files": len(read),
        "read": sum(r is not None for _, r, _ in read),
        "unreadable": sum(r is None for _, r, _ in read),
        "with_errors": sum(r is not None and any(f.severity == "error" for f in r.finding_records)
                           for _, r, _ in read),
        **{f"{s}s" if s != "info" else s: severities[s] for s in SEVERITIES},
        # most frequent first, then by name
        "by_check": dict(sorted(by_check.items(), key=lambda kv: (-kv[1], kv[0]))),
    }


def _print_summary(s: dict, read: list[tuple[Path, Report | None, str | None]]) -> None:
    console.print(f"{s['files']} files · {s['read']} read · {s['unreadable']} unreadable · "
                  f"{s['with_errors']} with errors · findings: {s['errors']} error, {s['warnings']} warning, "
                  f"{s['info']} info", highlight=False, soft_wrap=True)
    worst: dict[str, str] = {}  # per check, the most severe of its findings
    for f in (f for _, r, _ in read if r is not None for f in r.finding_records):
        if SEVERITIES.index(f.severity) < SEVERITIES.index(worst.get(f.check, INFO)):
            worst[f.check] = f.severity
    for check, n in s["by_check"].items():
        severity = worst.get(check, INFO)
        console.print(f"  {n:>7,} [{_STYLE[severity]}]{severity:7}[/] {check}", highlight=False, soft_wrap=True)


@app.command()
def check(
    files: Annotated[list[Path], typer.Argument(help="report files")],
    errors_only: Annotated[bool, typer.Option("--errors-only", help="print only error findings (and the files that "
                                              "have them) and unreadable files; the summary counts all")] = False,
    output: Annotated[Format, typer.Option("--format", help="text, or json: one JSON document on stdout "
                                           "({files: [{path, report, findings} or {path, error}], summary})",
                                           case_sensitive=False)] = Format.text,
) -> None:
    """Print the findings of each file, then a summary (files, unreadable, errors, warnings, counts by check).

    Exits 1 when any file has an error finding or cannot be read (each unreadable file is named on
    stderr), 2 when a path does not exist.

    Examples:

        gkdata check data/raw/*.txt

        gkdata check --errors-only data/raw/*.txt

        gkdata check --format json data/raw/*.txt > findings.json
    """
    from .corpus import read_one  # a reader bug on one file makes it unreadable, with the reason, never a crash

    _must_exist(files)
    shown = ("error",) if errors_only else SEVERITIES
    read: list[tuple[Path, Report | None, str | None]] = []
    for file in files:
        outcome = read_one(file)
        read.append((file, outcome.report, outcome.error))
        if outcome.report is None:
            errors.print(f"[bold red]unreadable[/] {escape(f'{file}: {outcome.error}')}", highlight=False)
        elif output is Format.text and (not errors_only or any(f.severity in shown
                                                               for f in outcome.report.finding_records)):
            console.print(f"[bold]{escape(str(file))}[/] {escape(repr(outcome.report))}", highlight=False,
                          soft_wrap=True)
            print_findings(outcome.report, shown)
    summary = _summary(read)
    if output is Format.json:
        docs = [{"path": str(p), "error": e} if r is None else
                {"path": str(p), "report": _report_dict(r),
                 "findings": [_finding_dict(f) for f in r.finding_records if f.severity in shown]}
                for p, r, e in read if r is None or not errors_only or any(f.severity == "error"
                                                                           for f in r.finding_records)]
        typer.echo(json.dumps({"files": docs, "summary": summary}, ensure_ascii=False, indent=1, allow_nan=False))
    else:
        _print_summary(summary, read)
    raise typer.Exit(1 if summary["unreadable"] or summary["with_errors"] else 0)


@app.command()
def excel(out: Annotated[Path, typer.Argument(help="the workbook to write, e.g. summary.xlsx")],
          source: Annotated[Path, typer.Option("--from", help="built tables (gkdata build) or a folder of reports")]
          = Path("data/processed")) -> None:
    """Write a formatted workbook (概览, 申请, 公开, 复议诉讼, 问题, 对比) for people.

    Example: gkdata excel summary.xlsx --from data/processed
    """
    from . import excel as xl  # openpyxl only when asked for
    from .corpus import read_reports

    _must_exist([source], "file or folder")
    try:
        if (source / "reports.parquet").exists():
            from .store import load
            corpus = load(source)
        else:  # not built yet: read the reports themselves
            corpus = read_reports(source)
    except OSError as e:
        _fail(_os_error(e))
    except ValueError as e:  # built tables that do not match the schema
        _fail(str(e))
    if corpus.reports.empty:
        _fail(f"{source} holds neither built tables (reports.parquet) nor report files")
    try:
        written = xl.to_excel(corpus, out)
    except OSError as e:
        _fail(f"{out}: the workbook could not be written ({_os_error(e)})")
    console.print(escape(f"{corpus!r} -> {written}"), highlight=False, soft_wrap=True)


def _cpus() -> int:
    """The CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on Linux
        return os.cpu_count() or 1


@app.command("build")
def build_cmd(
    raw: Annotated[Path, typer.Argument(help="folder of reports, read recursively")] = Path("data/raw"),
    out: Annotated[Path, typer.Argument(help="folder the tables are written to (replaced as a whole)")]
    = Path("data/processed"),
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, help="parse in this many processes (or dask workers); "
                                      "at most the CPUs here, unless on a dask scheduler's cluster")] = 1,
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

    cpus = _cpus()
    if jobs > cpus and scheduler is None:  # workers on this machine: more than its CPUs only adds start-up time
        _warn(f"--jobs {jobs} is more than the {cpus} CPUs here; parsing in {cpus}")
        jobs = cpus
    with Progress(console=console, disable=not console.is_terminal) as bar:
        task = bar.add_task("parsing", total=None)
        try:
            built = build(raw, out, jobs, executor, scheduler, progress=lambda done, total: bar.update(
                task, completed=done, total=total, description="checking, writing" if done == total else "parsing"),
                timeout=timeout or None)
        except (OSError, ValueError, ImportError, BuildError) as e:
            bar.stop()
            _fail(str(e))
    console.print(escape(str(built)), highlight=False, soft_wrap=True)


@app.command()
def synth(out: Annotated[Path, typer.Argument(help="the folder to write the reports to")],
          n: Annotated[int, typer.Option(min=1, help="how many reports")] = 1000,
          seed: Annotated[int, typer.Option(help="random seed: the same seed writes the same corpus")] = 0) -> None:
    """Write N synthetic reports (every layout and template, some with anomalies) and manifest.jsonl.

    Example: gkdata synth --n 1000 data/synthetic
    """
    from .synth import write_corpus

    try:
        paths = write_corpus(out, n, seed)
    except OSError as e:
        _fail(_os_error(e))
    console.print(escape(f"wrote {len(paths)} reports and {out / 'manifest.jsonl'}"), highlight=False, soft_wrap=True)
