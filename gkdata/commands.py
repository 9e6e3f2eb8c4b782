"""The ``gkdata`` commands as a typer app: arguments, options, help and the commands that need typer's
full parsing (``excel``, ``build``, ``synth``); ``show`` and ``check`` are :mod:`gkdata.cli`'s, which
``gkdata`` also runs without this module when their arguments are plain.

>>> from typer.testing import CliRunner
>>> CliRunner().invoke(app, ["show", "data/raw/nope.txt"]).exit_code
2
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from . import cli

app = typer.Typer(help="政府信息公开工作年度报告 -> tidy, checked tables.", no_args_is_help=True,
                  add_completion=False, epilog="Examples: gkdata build · gkdata show data/raw/003_e0c0fba79554bc10.txt"
                  " · gkdata check data/raw/*.txt · gkdata COMMAND --help")


def _exit(code: int) -> None:
    if code:
        raise typer.Exit(code)


@app.command()
def show(file: Annotated[Path, typer.Argument(help="a report file")]) -> None:
    """Print a report's tables as printed (Chinese labels) and its findings.

    The tables fit the terminal's width (COLUMNS when set): labels fold onto more lines, and a
    table too wide is printed in parts; a number is never cut.

    Example: gkdata show data/raw/003_e0c0fba79554bc10.txt
    """
    _exit(cli.run(cli.show, file))


class Format(str, Enum):
    text = "text"
    json = "json"


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
    _exit(cli.run(cli.check, files, errors_only, output.value))


@app.command()
def excel(out: Annotated[Path, typer.Argument(help="the workbook to write, e.g. summary.xlsx")],
          source: Annotated[Path, typer.Option("--from", help="built tables (gkdata build) or a folder of reports")]
          = Path("data/processed")) -> None:
    """Write a formatted workbook (概览, 申请, 公开, 复议诉讼, 问题, 对比) for people.

    Example: gkdata excel summary.xlsx --from data/processed
    """
    _exit(cli.run(_excel, out, source))


def _excel(out: Path, source: Path) -> int:
    from . import excel as xl  # openpyxl only when asked for
    from .corpus import read_reports

    cli.must_exist([source], "file or folder")
    try:
        if (source / "reports.parquet").exists():
            from .store import load
            corpus = load(source)
        else:  # not built yet: read the reports themselves
            corpus = read_reports(source)
    except OSError as e:
        cli.fail(cli.os_error(e))
    except ValueError as e:  # built tables that do not match the schema
        cli.fail(str(e))
    if corpus.reports.empty:
        cli.fail(f"{source} holds neither built tables (reports.parquet) nor report files")
    try:
        written = xl.to_excel(corpus, out)
    except OSError as e:
        cli.fail(f"{out}: the workbook could not be written ({cli.os_error(e)})")
    cli.stdout().print(escape(f"{corpus!r} -> {written}"), highlight=False, soft_wrap=True)
    return 0


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
    _exit(cli.run(cli.build, raw, out, jobs, executor, scheduler, timeout))


@app.command()
def synth(out: Annotated[Path, typer.Argument(help="the folder to write the reports to")],
          n: Annotated[int, typer.Option(min=1, help="how many reports")] = 1000,
          seed: Annotated[int, typer.Option(help="random seed: the same seed writes the same corpus")] = 0) -> None:
    """Write N synthetic reports (every layout and template, some with anomalies) and manifest.jsonl.

    Example: gkdata synth --n 1000 data/synthetic
    """
    _exit(cli.run(_synth, out, n, seed))


def _synth(out: Path, n: int, seed: int) -> int:
    from .synth import write_corpus

    try:
        paths = write_corpus(out, n, seed)
    except OSError as e:
        cli.fail(cli.os_error(e))
    cli.stdout().print(escape(f"wrote {len(paths)} reports and {out / 'manifest.jsonl'}"), highlight=False,
                       soft_wrap=True)
    return 0
