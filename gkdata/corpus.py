"""Many reports -> one :class:`Corpus` of long tables.

Corpus tables are the one-report tables with ``report_id``, ``region`` and
``year`` prepended; ``reports`` has one row per input file, including the
files that failed and those in a format that is not read. A bad file never stops a batch.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
import sys
import tempfile
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping
from itertools import repeat
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from . import archives, corpus_checks, formats, frames
from .errors import ReportError
from .limits import read_regular
from .outcome import Outcome, read_one
from .report import TABLES, ReportMeta

SUFFIXES = formats.SUFFIXES  # the inputs read_report understands (each format claims its own)
PER_REPORT = (*TABLES, "narrative", "findings")

STATUSES = ("ok", "failed", "duplicate", "unsupported")

# No timings here: the same inputs must give the same tables (a build keeps them in its manifest).
REPORTS_COLUMNS = {
    "report_id": "string", "path": "string", "sha256": "string", "size": "Int64", "status": "string",
    "error": "string", "region": "string", "year": "Int64", "template": "string", "layout": "string",
    "title": "string", "publisher": "string",
    # where the publisher is (gkdata.places; ReportMeta's fields of the same names)
    "province": "string", "prefecture": "string", "county": "string", "adcode": "string", "level": "string",
    "place_candidates": "string",
    "encoding": "string", "is_template": "boolean", "errors": "Int64", "warnings": "Int64",
}
PLACE_COLUMNS = ("province", "prefecture", "county", "adcode", "level", "place_candidates")
# Prepended to every per-report table, so a row says which report it is from.
ID_COLUMNS: tuple[tuple[str, str], ...] = (("report_id", "string"), ("region", "string"), ("year", "Int64"))
# table -> ((column, dtype), ...) of every corpus table: the one schema that a build
# writes and checks, and that load reads back (see gkdata.store).
TABLE_COLUMNS: dict[str, tuple[tuple[str, object], ...]] = {
    "reports": tuple(REPORTS_COLUMNS.items()),
    **{t: ID_COLUMNS + frames.COLUMNS[t] for t in PER_REPORT},
}


class Result(NamedTuple):
    """One file's outcome in compact form: what a worker sends back, the build cache keeps,
    and a corpus appends (tables packed by :func:`gkdata.frames.pack`, no Report object)."""

    path: str
    size: int
    seconds: float
    sha256: str | None
    error: str | None
    meta: ReportMeta | None
    tables: dict[str, tuple] | None  # PER_REPORT table -> packed columns
    counts: tuple[int, int] = (0, 0)  # findings that are errors, warnings
    unsupported: bool = False  # a format that is not read (the reason in error); never parsed nor cached


def compact(o: Outcome) -> Result:
    """The :class:`Result` of an outcome."""
    r = o.report
    if r is None:
        return Result(o.path, o.size, o.seconds, o.sha256, o.error, None, None)
    sev = [f.severity for f in r.finding_records]
    tables = {t: frames.pack(t, r.records[t] if t != "findings" else r.finding_records) for t in PER_REPORT}
    counts = (sev.count("error"), sev.count("warning"))
    return Result(o.path, o.size, o.seconds, o.sha256, o.error, r.meta, tables, counts)


def report_id(sha256: str) -> str:
    """A stable id for a report: the start of its content hash (same bytes, same id)."""
    return sha256[:12]


def find_inputs(paths: str | os.PathLike | Iterable[str | os.PathLike]) -> list[Path]:
    """Input files: a file, or every file under a folder (recursively), sorted.

    Every file is an input, a format that is not read too (it becomes an
    ``unsupported`` row), except hidden files and folders (``.cache``, ``.git``,
    ``.DS_Store`` …), macOS's ``__MACOSX`` folders and the folders of a build's output (they hold
    a ``manifest.json`` and a ``reports.parquet``), which are no files a user put there as reports.
    An archive (``.zip``) is one input here, whose members :func:`read_inputs` reads by the same
    rules (:mod:`gkdata.archives`): an archive gives the rows of the folder it unpacks to.

    A path that does not exist is no input of any kind: it raises :class:`FileNotFoundError`
    naming it, before any file is read (a link to nothing does exist: it becomes a failed row).

    >>> find_inputs(["data/raw/004_8b07afbb35c54ec3.txt", "data/raw/nope.txt"])
    Traceback (most recent call last):
    FileNotFoundError: [Errno 2] no such file or folder: 'data/raw/nope.txt'
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    paths = [Path(p) for p in paths]
    if missing := next((p for p in paths if not os.path.lexists(p)), None):
        raise FileNotFoundError(errno.ENOENT, "no such file or folder", str(missing))
    return [f for p in paths for f in ([p / name for name in input_names(p)] if p.is_dir() else [p])]


def input_names(folder: str | os.PathLike) -> list[str]:
    """The inputs under a folder (:func:`find_inputs`) as paths relative to it, texts with ``/``, in the order of
    their :class:`~pathlib.Path` (part by part): what a build holds of a million files.

    >>> input_names("data")[:2]
    ['raw/000_83d950f2ae04f609.txt', 'raw/001_d822c2f35621c521.txt']
    """
    def walk(at: str, prefix: str) -> Iterator[str]:
        try:
            with os.scandir(at) as found:
                entries = sorted(found, key=lambda e: e.name)
        except OSError:  # a folder that cannot be listed has no inputs (as os.walk has it)
            return
        if {"manifest.json", "reports.parquet"} <= {e.name for e in entries}:  # gkdata.store.MANIFEST: an output
            return
        for e in entries:  # sorted by name, a folder's files in their place: the order of Paths, part by part
            if archives.hidden([e.name]):
                continue
            if e.is_dir():
                if not e.is_symlink():  # a link to a folder is not followed (nor listed), as by os.walk
                    yield from walk(e.path, f"{prefix}{e.name}/")
            else:  # every entry that is no folder: a FIFO or a link to a device becomes a failed row saying so
                yield prefix + e.name

    return list(walk(os.fspath(folder), ""))


def read_input(path: str | os.PathLike, name: str | None = None) -> Result:
    """One input file that is no archive as :func:`read_reports` and :func:`gkdata.build` take it: parsed,
    or ``unsupported`` (the reason in ``error``) when :func:`gkdata.formats.unsupported` says it is not
    read, hashed then but not read whole (an archive may be large). An archive has a row per member:
    see :func:`read_inputs`.

    >>> read_input("data/raw/004_8b07afbb35c54ec3.txt").meta.region
    '阿里地区'
    >>> print(read_input("README.md").error)
    not a report format gkdata reads (.md); it reads .txt, .pdf, .docx, .html, .htm, .shtml, .xhtml, .zip (its members), and .doc, .wps, .xls, .et with LibreOffice
    """
    name = name or str(path)
    if formats.is_archive(name):
        raise ValueError(f"{name}: an archive gives a row per member: read it with read_inputs")
    reason = formats.unsupported(name)
    if reason is None:
        return compact(read_one(path, name))
    size, sha256 = 0, None
    try:  # without blocking on a FIFO, and hashing regular files only (not a device's endless bytes)
        with open(path, "rb", opener=lambda p, flags: os.open(p, flags | os.O_NONBLOCK)) as f:
            if stat.S_ISREG(os.fstat(f.fileno()).st_mode):
                sha256 = hashlib.file_digest(f, "sha256").hexdigest()
                size = f.tell()
    except OSError:
        pass  # unsupported, and unreadable too: the format is the reason given
    return Result(name, size, 0.0, sha256, reason, None, None, unsupported=True)


def archive_rows(path: str | os.PathLike, name: str) -> Iterator[Result | archives.Member]:
    """An archive's rows, in order: a :class:`Result` for each that is not parsed (the archive's one failed
    row when it is not read as a whole; a member that is unsupported or cannot be read), and the
    :class:`~gkdata.archives.Member` (its bytes, name and hash) of each member to parse.

    The archive is read whole (at most :data:`~gkdata.limits.MAX_BYTES`), and one member at a time is inflated.
    """
    try:
        data = read_regular(path, name)
    except ReportError as e:  # not a regular file, too large, unreadable: a failed row saying so
        yield Result(name, 0, 0.0, None, e.reason, None, None)
        return
    try:
        found = archives.members(data, name)
    except ReportError as e:
        yield Result(name, len(data), 0.0, hashlib.sha256(data).hexdigest(), e.reason, None, None)
        return
    for m in found:
        yield m if m.reason is None else Result(m.name, m.size, 0.0, m.sha256, m.reason, None, None,
                                                unsupported=m.unsupported)


def read_inputs(path: str | os.PathLike, name: str | None = None) -> Iterator[Result]:
    """The rows of one input file: its :func:`read_input`, or for an archive (``.zip``) a row per
    member, named ``archive.zip/member`` (see :mod:`gkdata.archives`), as :func:`gkdata.build` makes them.

    >>> [r.path for r in read_inputs("data/raw/004_8b07afbb35c54ec3.txt")]
    ['data/raw/004_8b07afbb35c54ec3.txt']
    """
    name = name or str(path)
    if not formats.is_archive(name):
        yield read_input(path, name)
        return
    for row in archive_rows(path, name):
        yield row if isinstance(row, Result) else compact(read_one(row.data, row.name))


class Corpus:
    """Long tables of many reports: ``reports``, ``disclosure``, ``applications``,
    ``appeals``, ``narrative`` and ``findings``.

    >>> c = read_reports("data/raw")
    >>> c
    <Corpus 5 files · 5 reports · 0 failed>
    >>> c.applications.columns[:4].tolist()
    ['report_id', 'region', 'year', 'row']
    """

    def __init__(self, tables: Mapping[str, pd.DataFrame]):  # a dict, or tables read on first use
        self.tables = tables

    def __getattr__(self, name: str) -> pd.DataFrame:
        tables = self.__dict__.get("tables", {})
        if name in tables:
            return tables[name]
        raise AttributeError(name)

    def __repr__(self) -> str:
        r = self.tables["reports"]
        ok = r[r["status"] == "ok"]
        unsupported = int((r["status"] == "unsupported").sum())
        return (f"<Corpus {len(r)} files · {ok['report_id'].nunique()} reports · "
                f"{int((r['status'] == 'failed').sum())} failed" + (f" · {unsupported} unsupported" * bool(unsupported))
                + ">")

    @classmethod
    def assemble(cls, results: Iterable[Result], reports: int = 0) -> Corpus:
        """Append per-file results, in order, into the long tables; then add the cross-report findings
        (``reports``: about how many there are, see :class:`~gkdata.corpus_checks.CrossReport`).

        Results are consumed one at a time and their packed columns appended, so
        no frame or record is kept per report (:func:`stream` also writes as it goes).
        """
        parts: dict[str, list[pd.DataFrame]] = {t: [] for t in TABLE_COLUMNS}
        stream(results, lambda t, df: parts[t].append(df), chunk=sys.maxsize, reports=reports)
        return cls({t: pd.concat(dfs, ignore_index=True) for t, dfs in parts.items()})


CHUNK = 1000  # reports per chunk that :func:`stream` hands on (a Parquet row group each; what a build holds at once)


def stream(results: Iterable[Result], write: Callable[[str, pd.DataFrame], None], chunk: int | None = None,
           reports: int = 0, scratch: str | os.PathLike | None = None) -> None:
    """:meth:`Corpus.assemble` for a corpus too large to hold: ``write(table, frame)`` gets each
    table every ``chunk`` (:data:`CHUNK`) reports, ``reports`` too, then the cross-report findings.

    The frames, concatenated per table, are the tables ``assemble`` makes. Memory does not grow with the
    corpus: the value cells the cross-report checks need go to files in a temporary folder in ``scratch``
    (:class:`~gkdata.corpus_checks.CrossReport`, ``reports`` about how many reports there are).
    """
    parts = _Assembly()
    with tempfile.TemporaryDirectory(prefix=".cells-", dir=scratch) as folder:
        cross = corpus_checks.CrossReport(folder, reports)

        def hand_on() -> None:
            rows, tables = parts.flush()
            write("reports", rows)
            for t, df in tables.items():
                write(t, df)
            cross.add(rows, tables)

        for res in results:
            parts.add(res)
            if parts.pending >= (chunk or CHUNK):
                hand_on()
        if parts.rows or not parts.flushed:  # every table is written at least once, if empty
            hand_on()
        for found in cross.findings():  # in slices: a large corpus has hundreds of thousands
            write("findings", _cross_report(found))


class _Assembly:
    """Results appended into packed columns; :meth:`flush` turns what came since the last flush into frames."""

    def __init__(self) -> None:
        self.seen: set[int] = set()  # report ids (as numbers: a million of them are held) of the reports kept
        self.flushed = 0  # flushes so far
        self._restart()

    def _restart(self) -> None:
        self.rows: list[dict] = []  # one per file, for the reports table
        self.ids: list[tuple[str, str | None, int | None]] = []  # (report_id, region, year) per kept report
        self.columns = {t: frames.Columns(t) for t in PER_REPORT}
        self.owner = {t: array("i") for t in PER_REPORT}  # row -> index into ids

    @property
    def pending(self) -> int:
        return len(self.ids)

    def add(self, res: Result) -> None:
        m = res.meta
        row = dict(path=res.path, size=res.size, sha256=res.sha256, error=res.error,
                   status="unsupported" if res.unsupported else "failed" if m is None else "ok")
        if m is not None:
            rid = report_id(m.sha256)
            row.update(report_id=rid, region=m.region, year=m.year, template=m.template,
                       layout=m.layout, title=m.title, publisher=m.publisher, encoding=m.encoding,
                       is_template=m.is_template, errors=res.counts[0], warnings=res.counts[1],
                       **{c: getattr(m, c) for c in PLACE_COLUMNS})
            if int(rid, 16) in self.seen:
                row.update(status="duplicate", error="same content as an earlier file")
            else:
                self.seen.add(int(rid, 16))
                for t in PER_REPORT:
                    before = self.columns[t].rows
                    self.columns[t].append(res.tables[t])
                    self.owner[t].extend(repeat(len(self.ids), self.columns[t].rows - before))
                self.ids.append((rid, m.region, m.year))
        self.rows.append(row)

    def flush(self) -> tuple[pd.DataFrame, dict[str, pd.DataFrame]]:
        """The rows of ``reports`` since the last flush, and of each per-report table."""
        per_report = _id_arrays(self.ids)
        out = {}
        for t in PER_REPORT:  # popped: each table's buffers go as soon as its frame holds the data
            owner = np.frombuffer(self.owner.pop(t), np.int32)
            out[t] = pd.DataFrame({**{c: a.take(owner) for c, a in per_report.items()}, **self.columns.pop(t).arrays()})
        reports = pd.DataFrame(self.rows, columns=list(REPORTS_COLUMNS)).astype(REPORTS_COLUMNS)
        self.flushed += 1
        self._restart()
        return reports, out


def _cross_report(found: list[tuple]) -> pd.DataFrame:
    """The cross-report findings (carry-over chain, year over year, outliers) as rows of the findings table."""
    n = len(ID_COLUMNS)
    return frames.frame("findings", [f[n:] for f in found], _id_arrays([f[:n] for f in found]))


def _id_arrays(keys: list[tuple]) -> dict[str, pd.api.extensions.ExtensionArray]:
    """The :data:`ID_COLUMNS` from one (report_id, region, year) each."""
    cols = list(zip(*keys)) if keys else [()] * len(ID_COLUMNS)
    return {c: pd.array(list(v), dtype=dtype) for (c, dtype), v in zip(ID_COLUMNS, cols)}


def read_reports(paths: str | os.PathLike | Iterable[str | os.PathLike]) -> Corpus:
    """Read every report under a folder (or a list of files) into one :class:`Corpus`.

    Files that are not readable reports become ``status == "failed"`` rows of
    ``corpus.reports`` with the reason in ``error``; files in a format that is
    not read (:func:`gkdata.formats.unsupported`: not one of :data:`SUFFIXES`, or a
    ``.doc``/``.wps``/``.xls``/``.et`` without LibreOffice), ``status == "unsupported"`` rows;
    each member of a ``.zip`` is a row of its own (:func:`read_inputs`). A path that does not exist
    raises :class:`FileNotFoundError` naming it (:func:`find_inputs`).

    >>> read_reports("data/rwa")
    Traceback (most recent call last):
    FileNotFoundError: [Errno 2] no such file or folder: 'data/rwa'
    """
    inputs = find_inputs(paths)
    return Corpus.assemble((row for p in inputs for row in read_inputs(p)), len(inputs))
