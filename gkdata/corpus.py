"""Many reports -> one :class:`Corpus` of long tables.

Corpus tables are the one-report tables with ``report_id``, ``region`` and
``year`` prepended; ``reports`` has one row per input file, including the
files that failed. A bad file never stops a batch.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from . import checks, frames
from .errors import ReportError
from .report import TABLES, Report, read_report

SUFFIXES = (".txt",)  # the inputs read_report understands
PER_REPORT = (*TABLES, "narrative", "findings")

REPORTS_COLUMNS = {
    "report_id": "string", "path": "string", "sha256": "string", "size": "Int64", "status": "string",
    "error": "string", "region": "string", "year": "Int64", "template": "string", "layout": "string",
    "title": "string", "publisher": "string", "encoding": "string", "is_template": "boolean",
    "errors": "Int64", "warnings": "Int64", "parse_seconds": "Float64",
}


@dataclass(frozen=True)
class Outcome:
    """What reading one file gave: a report, or the reason it failed."""

    path: str
    size: int
    seconds: float
    report: Report | None = None
    error: str | None = None


def report_id(sha256: str) -> str:
    """A stable id for a report: the start of its content hash (same bytes, same id)."""
    return sha256[:12]


def read_one(path: str | os.PathLike) -> Outcome:
    """Read one file; a :class:`ReportError` becomes a failed outcome, never an exception."""
    start = time.perf_counter()
    size = os.path.getsize(path) if os.path.exists(path) else 0
    try:
        report = read_report(path)
    except ReportError as e:
        return Outcome(str(path), size, time.perf_counter() - start, error=e.reason)
    return Outcome(str(path), size, time.perf_counter() - start, report=report)


def find_inputs(paths: str | os.PathLike | Iterable[str | os.PathLike]) -> list[Path]:
    """Input files: a file, or every supported file under a folder (recursively), sorted."""
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out += sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUFFIXES)
        else:
            out.append(p)
    return out


class Corpus:
    """Long tables of many reports: ``reports``, ``disclosure``, ``applications``,
    ``appeals``, ``narrative`` and ``findings``.

    >>> c = read_reports("data/raw")
    >>> c
    <Corpus 5 files · 5 reports · 0 failed>
    >>> c.applications.columns[:4].tolist()
    ['report_id', 'region', 'year', 'row']
    """

    def __init__(self, tables: dict[str, pd.DataFrame]):
        self.tables = tables

    def __getattr__(self, name: str) -> pd.DataFrame:
        tables = self.__dict__.get("tables", {})
        if name in tables:
            return tables[name]
        raise AttributeError(name)

    def __repr__(self) -> str:
        r = self.tables["reports"]
        ok = r[r["status"] == "ok"]
        return (f"<Corpus {len(r)} files · {ok['report_id'].nunique()} reports · "
                f"{int((r['status'] == 'failed').sum())} failed>")

    @classmethod
    def from_outcomes(cls, outcomes: list[Outcome]) -> Corpus:
        """Assemble the long tables from per-file outcomes (records, not per-report frames)."""
        rows, seen = [], set()
        records: dict[str, list[tuple]] = {t: [] for t in PER_REPORT}
        ids: dict[str, list[tuple]] = {t: [] for t in PER_REPORT}
        for o in outcomes:
            r = o.report
            row = dict(path=o.path, size=o.size, parse_seconds=round(o.seconds, 6), error=o.error,
                       status="failed" if r is None else "ok")
            if r is not None:
                m = r.meta
                rid = report_id(m.sha256)
                sev = [f.severity for f in r.finding_records]
                row.update(report_id=rid, sha256=m.sha256, region=m.region, year=m.year, template=m.template,
                           layout=m.layout, title=m.title, publisher=m.publisher, encoding=m.encoding,
                           is_template=m.is_template, errors=sev.count("error"), warnings=sev.count("warning"))
                if rid in seen:
                    row.update(status="duplicate", error="same content as an earlier file")
                else:
                    seen.add(rid)
                    key = (rid, m.region, m.year)
                    for t in PER_REPORT:
                        recs = r.records[t] if t != "findings" else r.finding_records
                        records[t] += [tuple(x) for x in recs]
                        ids[t] += [key] * len(recs)
            rows.append(row)
        reports = pd.DataFrame(rows, columns=list(REPORTS_COLUMNS)).astype(REPORTS_COLUMNS)
        tables = {"reports": reports}
        for t in PER_REPORT:
            rid, region, year = zip(*ids[t]) if ids[t] else ((), (), ())
            extra = {"report_id": pd.array(rid, dtype="string"), "region": pd.array(region, dtype="string"),
                     "year": pd.array(year, dtype="Int64")}
            tables[t] = frames.frame(t, records[t], extra)
        tables["findings"] = _with_cross_report(tables)
        return cls(tables)


def _with_cross_report(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The findings table plus the cross-report checks (carry-over chain, year over year, outliers)."""
    found = checks.check_corpus(tables)
    if not found:
        return tables["findings"]
    rid, region, year, *rest = zip(*found)
    extra = {"report_id": pd.array(rid, dtype="string"), "region": pd.array(region, dtype="string"),
             "year": pd.array(year, dtype="Int64")}
    cross = frames.frame("findings", list(zip(*rest)), extra)
    return pd.concat([tables["findings"], cross], ignore_index=True)


def read_reports(paths: str | os.PathLike | Iterable[str | os.PathLike]) -> Corpus:
    """Read every report under a folder (or a list of files) into one :class:`Corpus`.

    Files that are not readable reports become ``status == "failed"`` rows of
    ``corpus.reports`` with the reason in ``error``.
    """
    return Corpus.from_outcomes([read_one(p) for p in find_inputs(paths)])
