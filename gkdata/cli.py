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

:func:`main` is the ``gkdata`` program. ``show`` and ``check``, what one runs on a file at a
time, start fast: their arguments are read here and their tables printed from the report's
records as plain text (drawn as rich draws a table, styled only on a terminal), without typer,
rich or pandas; anything else (``--help``, an option they do not have, the other commands) goes
to the typer app, :mod:`gkdata.commands` (``gkdata.cli.app``).
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections import Counter
from pathlib import Path
from collections.abc import Callable
from typing import TYPE_CHECKING, NoReturn, TextIO
from unicodedata import east_asian_width

from . import labels as L
from .errors import ReportError
from .findings import INFO, SEVERITIES
from .outcome import read_one
from .report import Report, read_report
from .wide import wide

if TYPE_CHECKING:
    from rich.console import Console

PIPED_WIDTH = 200  # piped or captured without COLUMNS: do not squeeze the Chinese tables into 80 columns
FORMATS = ("text", "json")  # check --format


def main(argv: list[str] | None = None) -> int:
    """Run ``gkdata`` with ``argv`` (``sys.argv[1:]``) and return its exit code.

    >>> main(["show", "data/raw/nope.txt"])  # says so on stderr: error data/raw/nope.txt: no such file
    2
    """
    args = sys.argv[1:] if argv is None else list(argv)
    plain = _plain(args)
    if plain is None:
        from .commands import app

        try:
            app(args=args, prog_name="gkdata")  # click's standalone mode: it exits, with the code
        except SystemExit as e:
            return e.code if isinstance(e.code, int) else int(e.code is not None)
        return 0
    command, values, options = plain
    return run(command, *values, **options)


def _choice(*allowed: str) -> Callable[[str], str]:
    def read(value: str) -> str:
        if value.lower() not in allowed:
            raise ValueError(value)
        return value.lower()

    return read


def _at_least(least: float, kind: type) -> Callable[[str], float]:
    def read(value: str) -> float:
        if not kind(value) >= least:
            raise ValueError(value)
        return kind(value)

    return read


def _plain(args: list[str]) -> tuple[Callable[..., int], list, dict] | None:
    """The command, its paths and its options, when ``args`` are ``show``, ``check`` or ``build`` with paths and
    options of theirs written plainly (``--jobs 2``, ``--format=json``); None for anything else (``--help``, a
    value out of range, other commands), which typer reads, and explains when it is wrong.

    >>> command, paths, options = _plain(["check", "a.txt", "--format=JSON", "b.txt", "--errors-only"])
    >>> command.__name__, paths, options
    ('check', [[PosixPath('a.txt'), PosixPath('b.txt')]], {'output': 'json', 'errors_only': True})
    >>> _plain(["build", "raw", "-j", "2"])[1:]
    ([PosixPath('raw')], {'jobs': 2})
    >>> _plain(["show", "--help"]), _plain(["check", "--format", "xml", "a.txt"]), _plain(["build", "--jobs", "0"])
    (None, None, None)
    """
    if not args or args[0] not in _COMMANDS:
        return None
    command, (least, most), known = _COMMANDS[args[0]]
    paths, options = [], {}
    rest = iter(args[1:])
    for arg in rest:
        name, eq, value = arg.partition("=")
        if name in known:
            option, read = known[name]
            if read is None:  # a flag
                if eq:
                    return None
                options[option] = True
                continue
            try:
                options[option] = read(value if eq else next(rest))
            except (StopIteration, ValueError):
                return None
        elif arg.startswith("-"):  # --help, --, an option the command does not have
            return None
        else:
            paths.append(Path(arg))
    if not least <= len(paths) <= (most or len(paths)):
        return None
    return command, [paths] if most is None else paths, options


class Stop(Exception):
    """What ends a command early: its exit code (the reason is already on stderr)."""

    def __init__(self, code: int):
        super().__init__(code)
        self.code = code


def width() -> int:
    """The width results are laid out to: ``COLUMNS`` when set, else the terminal's, else :data:`PIPED_WIDTH`."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    return shutil.get_terminal_size().columns if sys.stdout.isatty() else PIPED_WIDTH


def stdout() -> Console:
    """A rich console for results (the commands other than ``show`` and ``check``), :func:`width` wide."""
    from rich.console import Console

    return Console(width=width())


_SGR = {"bold": "1", "italic": "3", "bold red": "1;31", "yellow": "33", "cyan": "36"}  # ANSI codes of the styles
_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def styled(text: str, style: str, stream: TextIO) -> str:
    """``text`` in a style (:data:`_SGR`) on a terminal; as it is in a pipe or a file, or with ``NO_COLOR`` set."""
    if not stream.isatty() or "NO_COLOR" in os.environ or os.environ.get("TERM") == "dumb":
        return text
    return f"\x1b[{_SGR[style]}m{text}\x1b[0m"


def say(word: str, style: str, message: str) -> None:
    """A line on stderr, so stdout holds only the results: ``word`` styled, then the message (never wrapped)."""
    print(f"{styled(word, style, sys.stderr)} {message}", file=sys.stderr)


def fail(message: str, code: int = 2) -> NoReturn:
    """Say what went wrong on stderr and stop with ``code``."""
    say("error", "bold red", message)
    raise Stop(code)


def warn(message: str) -> None:
    say("warning", "yellow", message)


def os_error(e: OSError) -> str:
    """An OSError as ``PATH: reason`` (its own text when it names no file)."""
    return f"{e.filename}: {e.strerror}" if e.filename is not None and e.strerror else str(e)


def must_exist(paths: list[Path], what: str = "file") -> None:
    """Stop (exit 2) naming the first path that does not exist, before anything is read."""
    for p in paths:
        if not os.path.lexists(p):
            fail(f"{p}: no such {what}")


# -- show: the tables as printed, wrapped at the console's width ------------------------------------------


def _fmt(v: float | int | None) -> str:
    """A value as shown: integers with thousands separators, amounts with every decimal they have.

    >>> _fmt(131483), _fmt(79.0), _fmt(11212.974705), _fmt(None)
    ('131,483', '79', '11,212.974705', '')
    """
    if v is None:
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


def _cells(text: str) -> int:
    """The columns ``text`` takes on a terminal: two for a wide character (CJK, full-width), one for any other."""
    return len(text) if text.isascii() else sum(2 if east_asian_width(c) in "WF" else 1 for c in text)


def _fold(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` columns, cut between any two characters, as rich folds a word
    (and as rich does, a character wider than the column takes a line and shows as blank; a column of no width
    shows one blank line)."""
    if width < 1:
        return [""]
    if _cells(text) <= width:  # most cells
        return [text]
    lines, start, used = [], 0, 0
    for i, c in enumerate(text):
        if used + (w := _cells(c)) > width and i:
            lines.append(text[start:i])
            start, used = i, 0
        used += w
    lines.append(text[start:])
    return [line if _cells(line) <= width else "" for line in lines]


def _squeezed(widths: list[int], width: int) -> list[int]:
    """The columns' widths in a table ``width`` wide: as :func:`_layout` made them when they fit, else each
    column narrower by about as much as the others (as rich does, at a width too narrow for a number)."""
    room = width - len(widths) - 1  # less the borders
    cols = [max(1, min(w + 2, room)) for w in widths]  # with their padding
    excess = sum(cols) - room
    if excess > 0:
        for i, c in enumerate(cols):
            give = min(c, round(excess / (len(cols) - i)))
            cols[i], excess = c - give, excess - give
    return [max(0, c - 2) for c in cols]


def _drawn(title: str, header: list[str], rows: list[list[str]], widths: list[int], width: int) -> list[str]:
    """A table's lines as rich draws them (its heavy-head box): the title above, folded to the table's width;
    every cell folded to its column's width, the first column aligned left, the others right."""
    widths = _squeezed(widths, width)
    out = sys.stdout

    def rule(left: str, fill: str, cross: str, right: str) -> str:
        return left + cross.join(fill * (w + 2) for w in widths) + right

    def cells(row: list[str], bar: str, header: bool = False) -> list[str]:
        folded = [_fold(text, w) for text, w in zip(row, widths)]
        height = max(map(len, folded))
        if header:  # at the bottom of its row
            folded = [[""] * (height - len(texts)) + texts for texts in folded]
        lines = []
        for k in range(height):
            parts = []
            for j, (texts, w) in enumerate(zip(folded, widths)):
                text = texts[k] if k < len(texts) else ""
                pad = " " * (w - _cells(text))
                text = styled(text, "bold", out) if header and text else text
                parts.append(f" {text}{pad} " if j == 0 else f" {pad}{text} ")
            lines.append(bar + bar.join(parts) + bar)
        return lines

    across = 1 + sum(w + 3 for w in widths)
    lines = [styled(t + " " * (across - _cells(t)), "italic", out) for t in _fold(title, across)]
    lines += [rule("┏", "━", "┳", "┓"), *cells(header, "┃", header=True), rule("┡", "━", "╇", "┩")]
    for row in rows:
        lines += cells(row, "│")
    return [*lines, rule("└", "─", "┴", "┘")]


def _wide_tables(report: Report, name: str, title: str, width: int) -> list[str]:
    """A table as printed (Chinese labels), drawn in one or more parts that fit ``width``: its lines."""
    table = wide(report.records[name]).zh(report.meta.template)
    labels, headers = table.rows, table.columns
    cells = [[_fmt(v) for v in row] for row in table.values]
    needs = [(max((_cells(row[j]) for row in cells), default=0), _cells(h)) for j, h in enumerate(headers)]
    label_width, widths, parts = _layout(max(map(_cells, labels), default=0), needs, width)
    out = []
    for k, part in enumerate(parts):
        out += _drawn(title if k == 0 else f"{title}（续）", ["", *(headers[j] for j in part)],
                      [[label, *(row[j] for j in part)] for label, row in zip(labels, cells)],
                      [label_width, *(widths[j] for j in part)], width)
    return out


def _narrative_lines(figures: list[tuple]) -> list[str]:
    """The figures stated in the prose (key, value, unit), a line each under a header, columns right-aligned.

    >>> print("\\n".join(_narrative_lines([("website_posts", 8646, "条"), ("messages_received", 37, "条")])))
                  key value unit
        website_posts  8646   条
    messages_received    37   条
    """
    rows = [("key", "value", "unit"), *((key, "" if value is None else str(value), unit or "")
                                         for key, value, unit, *_ in figures)]
    widths = [max(_cells(row[j]) for row in rows) for j in range(3)]
    return [" ".join(" " * (w - _cells(c)) + c for c, w in zip(row, widths)) for row in rows]


def _where(f) -> str:
    if f.check == "ambiguous_columns":  # one finding for its table: the message names each row
        return ""
    return " / ".join(L.zh(x) if x and _known(x) else x for x in (f.row, f.column) if x)


def print_findings(report: Report, severities: tuple[str, ...] = SEVERITIES) -> None:
    for f in report.finding_records:
        if f.severity in severities:
            print(f"  {styled(f'{f.severity:7}', _STYLE[f.severity], sys.stdout)} {f.check:24} {_where(f)}  "
                  f"{f.message}")


def _known(key: str) -> bool:
    try:
        L.zh(key)
    except KeyError:
        return False
    return True


TITLES = {"disclosure": "二、主动公开政府信息情况", "applications": "三、收到和处理政府信息公开申请情况",
          "appeals": "四、政府信息公开行政复议、行政诉讼情况"}


def run(command: Callable[..., int], *args, **options) -> int:
    """``command(*args, **options)``: its exit code, or that of the :class:`Stop` that ended it."""
    try:
        return command(*args, **options)
    except Stop as e:
        return e.code


def show(file: Path) -> int:
    """``gkdata show FILE``: a report's tables as printed (Chinese labels) and its findings; the exit code.

    >>> import contextlib, io
    >>> with contextlib.redirect_stdout(io.StringIO()) as out:
    ...     code = show(Path("data/raw/003_e0c0fba79554bc10.txt"))
    >>> code, out.getvalue().splitlines()[0]
    (0, '<Report 会宁县 2020 · template 2019 · tabbed · 0 findings>')
    """
    must_exist([file])
    try:
        report = read_report(file)
    except ReportError as e:
        fail(str(e))
    lines = [styled(repr(report), "bold", sys.stdout)]
    for name, title in TITLES.items():
        lines += _wide_tables(report, name, title, width())
    if report.records["narrative"]:
        lines += _narrative_lines(report.records["narrative"])
    print("\n".join(lines))
    print_findings(report)
    return 0


# -- check: findings of many files, a summary, text or JSON --------------------------------------------------


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
    print(f"{s['files']} files · {s['read']} read · {s['unreadable']} unreadable · "
          f"{s['with_errors']} with errors · findings: {s['errors']} error, {s['warnings']} warning, {s['info']} info")
    worst: dict[str, str] = {}  # per check, the most severe of its findings
    for f in (f for _, r, _ in read if r is not None for f in r.finding_records):
        if SEVERITIES.index(f.severity) < SEVERITIES.index(worst.get(f.check, INFO)):
            worst[f.check] = f.severity
    for check, n in s["by_check"].items():
        severity = worst.get(check, INFO)
        print(f"  {n:>7,} {styled(f'{severity:7}', _STYLE[severity], sys.stdout)} {check}")


def check(files: list[Path], errors_only: bool = False, output: str = "text") -> int:
    """``gkdata check FILE…``: each file's findings (``output`` text) or one JSON document (json), then a summary;
    the exit code: 1 when a file has an error finding or cannot be read, 2 when a path does not exist.

    >>> import contextlib, io
    >>> with contextlib.redirect_stdout(io.StringIO()) as out:
    ...     code = check([Path("data/raw/004_8b07afbb35c54ec3.txt")], output="json")
    >>> code, json.loads(out.getvalue())["summary"]["errors"]
    (1, 7)
    """
    must_exist(files)
    shown = ("error",) if errors_only else SEVERITIES
    read: list[tuple[Path, Report | None, str | None]] = []
    for file in files:
        outcome = read_one(file)
        read.append((file, outcome.report, outcome.error))
        if outcome.report is None:
            say("unreadable", "bold red", f"{file}: {outcome.error}")
        elif output == "text" and (not errors_only or any(f.severity in shown for f in outcome.report.finding_records)):
            print(f"{styled(str(file), 'bold', sys.stdout)} {outcome.report!r}")
            print_findings(outcome.report, shown)
    summary = _summary(read)
    if output == "json":
        docs = [{"path": str(p), "error": e} if r is None else
                {"path": str(p), "report": _report_dict(r),
                 "findings": [_finding_dict(f) for f in r.finding_records if f.severity in shown]}
                for p, r, e in read if r is None or not errors_only or any(f.severity == "error"
                                                                           for f in r.finding_records)]
        print(json.dumps({"files": docs, "summary": summary}, ensure_ascii=False, indent=1, allow_nan=False))
    else:
        _print_summary(summary, read)
    return 1 if summary["unreadable"] or summary["with_errors"] else 0


def build(raw: Path = Path("data/raw"), out: Path = Path("data/processed"), jobs: int = 1,
          executor: str = "processes", scheduler: str | None = None, timeout: float = 60.0) -> int:
    """``gkdata build [RAW] [OUT]``: parse every report under ``raw`` into tables in ``out`` (:func:`gkdata.build`),
    with a progress bar on a terminal and a line of summary; the exit code. ``timeout`` 0: no limit."""
    from rich.markup import escape
    from rich.progress import Progress

    from . import batch
    from .errors import BuildError

    console = stdout()
    cpus = _cpus()
    if jobs > cpus and scheduler is None:  # workers on this machine: more than its CPUs only adds start-up time
        warn(f"--jobs {jobs} is more than the {cpus} CPUs here; parsing in {cpus}")
        jobs = cpus
    with Progress(console=console, disable=not console.is_terminal) as bar:
        task = bar.add_task("parsing", total=None)
        try:
            built = batch.build(raw, out, jobs, executor, scheduler, progress=lambda done, total: bar.update(
                task, completed=done, total=total, description="checking, writing" if done == total else "parsing"),
                timeout=timeout or None)
        except (OSError, ValueError, ImportError, BuildError) as e:
            bar.stop()
            fail(str(e))
    console.print(escape(str(built)), highlight=False, soft_wrap=True)
    return 0


def _cpus() -> int:
    """The CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on Linux
        return os.cpu_count() or 1


# command -> (its function, the least and most paths it takes (None: any number, given as one list),
# its options: name -> (parameter, how its value is read; None: a flag)); see _plain
_JOBS = ("jobs", _at_least(1, int))
_COMMANDS: dict[str, tuple[Callable[..., int], tuple[int, int | None], dict]] = {
    "show": (show, (1, 1), {}),
    "check": (check, (1, None), {"--errors-only": ("errors_only", None), "--format": ("output", _choice(*FORMATS))}),
    "build": (build, (0, 2), {"--jobs": _JOBS, "-j": _JOBS, "--executor": ("executor", str),
                              "--scheduler": ("scheduler", str), "--timeout": ("timeout", _at_least(0, float))}),
}


def __getattr__(name: str):
    if name == "app":  # the typer app of every command, imported only when asked for
        from .commands import app

        return app
    raise AttributeError(f"module 'gkdata.cli' has no attribute {name!r}")
