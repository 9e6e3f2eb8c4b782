"""A :class:`~gkdata.corpus.Corpus` on disk, and a folder replaced whole or not at all.

Each table is one Parquet file (the data, with its dtypes) plus a CSV copy in
UTF-8 with a BOM, so Excel opens the Chinese text. Tables are checked against
the one schema, :data:`gkdata.corpus.TABLE_COLUMNS`, when written and when
loaded: a file that does not match is an error naming the file and column.
"""

from __future__ import annotations

import codecs
import os
import re
import secrets
import shutil
import stat
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

import pandas as pd
import pandera.pandas as pa
import pyarrow as arrow
from pyarrow import compute, csv, parquet

from . import frames
from .corpus import STATUSES, TABLE_COLUMNS, Corpus
from .errors import BuildError

TABLES = tuple(TABLE_COLUMNS)  # reports, disclosure, applications, appeals, narrative, findings
MANIFEST = "manifest.json"  # written by every build; marks a folder as a build output


class SchemaError(ValueError):
    """A table does not match the corpus schema; the message names the file and the columns."""


# Columns that are never empty, beyond the dtypes: what says which report and which cell a row is.
_NOT_NULL = {"reports": ("path", "status", "size"),
             **{t: ("report_id", *frames.KEYS.get(t, ())) for t in TABLES if t != "reports"}}
_CHECKS = {("reports", "status"): [pa.Check.isin(STATUSES)]}


_MUST = "dtype must be"


def _exact(dtype: object) -> pa.Check:
    # pandera accepts object or NaN-backed str columns as "string"; load must give back exactly the declared dtype
    want = pd.api.types.pandas_dtype(dtype)
    return pa.Check(lambda s: s.dtype == want, name=f"dtype {want}", error=f"{_MUST} {want!r}")


def schema(table: str) -> pa.DataFrameSchema:
    """The pandera schema of one corpus table, derived from :data:`~gkdata.corpus.TABLE_COLUMNS`.

    >>> schema("appeals").columns["outcome"].dtype
    DataType(category)
    """
    return pa.DataFrameSchema(
        {col: pa.Column(dtype, [_exact(dtype), *_CHECKS.get((table, col), [])],
                        nullable=col not in _NOT_NULL[table], unique=(table, col) == ("reports", "path"))
         for col, dtype in TABLE_COLUMNS[table]},
        strict=True, ordered=True, name=table)


def validate(df: pd.DataFrame, table: str, file: str | os.PathLike) -> pd.DataFrame:
    """``df`` if it matches the schema of ``table``; else :class:`SchemaError` naming ``file`` and the columns."""
    try:
        return schema(table).validate(df, lazy=True)
    except pa.errors.SchemaErrors as e:
        cases = e.failure_cases
        # a table-level failure (a column missing, extra or out of order) names the column as its failure case
        where = cases["column"].where(cases["schema_context"] != "DataFrameSchema", cases["failure_case"])
        problems = [f"column {col!r}: " + "; ".join(
            f"{check}, not {df[col].dtype!r}" if check.startswith(_MUST)  # fails for the column as a whole
            else f"{check} ({', '.join(map(str, g['failure_case'].drop_duplicates()[:3]))})"
            for check, g in group.groupby("check", sort=False))
            for col, group in cases.groupby(where, sort=False)]
        raise SchemaError(f"{file}: does not match the {table} schema: " + " | ".join(problems)) from None


def write(corpus: Corpus, folder: str | os.PathLike) -> None:
    """Write every table as ``<table>.parquet`` and ``<table>.csv`` (UTF-8 with BOM) into ``folder``.

    The bytes depend only on the tables: no index, no timestamps.
    """
    with Writer(folder) as writer:
        for table in TABLES:
            writer(table, corpus.tables[table])


class Writer:
    """Writes tables into a folder in parts: ``writer(table, frame)`` appends a frame (checked
    against the schema) to ``<table>.parquet`` as a row group and to ``<table>.csv``."""

    def __init__(self, folder: str | os.PathLike):
        self.folder = Path(folder)
        self.open: dict[str, tuple[parquet.ParquetWriter, BinaryIO]] = {}
        self.rows = dict.fromkeys(TABLES, 0)  # written so far

    def __call__(self, table: str, df: pd.DataFrame) -> None:
        stem = self.folder / table
        data = arrow.Table.from_pandas(validate(df, table, stem.with_suffix(".parquet")), preserve_index=False)
        if table not in self.open:  # the schema keeps the pandas dtypes in its metadata
            f = open(stem.with_suffix(".csv"), "wb")
            f.write(codecs.BOM_UTF8)
            self.open[table] = parquet.ParquetWriter(stem.with_suffix(".parquet"), data.schema), f
        rows, text = self.open[table]
        rows.write_table(data)
        # Arrow's CSV writer: ten times pandas' speed on millions of rows
        csv.write_csv(for_spreadsheets(data), text,
                      csv.WriteOptions(include_header=text.tell() == len(codecs.BOM_UTF8)))
        self.rows[table] += len(df)

    def close(self) -> None:
        """Finish the files (a Parquet file is readable only once closed)."""
        for rows, text in self.open.values():
            rows.close()
            text.close()
        self.open.clear()

    def __enter__(self) -> Writer:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


# A text a spreadsheet would run as a formula (OWASP "CSV injection"): it starts with = + - @, TAB or CR ...
_FORMULA = r"^[=+\-@\t\r]"
_NUMBER = r"^[-+]?[0-9][0-9,]*(\.[0-9]+)?%?$"  # ... unless it is a signed number, which stays a number


def for_spreadsheets(data: arrow.Table) -> arrow.Table:
    """The table with every formula-looking text cell prefixed with ``'``, which spreadsheets show as text;
    what the CSV copies hold (the Parquet files keep the text as read).

    >>> t = arrow.table({"t": ["=HYPERLINK(x)", "-5", "-1+2", "@SUM(A1)", "规章", None]})
    >>> for_spreadsheets(t)["t"].to_pylist()
    ["'=HYPERLINK(x)", '-5', "'-1+2", "'@SUM(A1)", '规章', None]
    """
    columns = []
    for column in data.columns:
        if arrow.types.is_dictionary(column.type):  # categoricals: the categories are the texts
            column = arrow.chunked_array([c.dictionary_decode() for c in column.chunks], column.type.value_type)
        if arrow.types.is_string(column.type) or arrow.types.is_large_string(column.type):
            risky = compute.and_kleene(compute.match_substring_regex(column, _FORMULA),
                                       compute.invert(compute.match_substring_regex(column, _NUMBER)))
            quote, empty = arrow.scalar("'", column.type), arrow.scalar("", column.type)
            column = compute.if_else(risky, compute.binary_join_element_wise(quote, column, empty), column)
        columns.append(column)
    return arrow.table(columns, names=data.column_names)


def read_table(out: str | os.PathLike, table: str) -> pd.DataFrame:
    """One table of a built corpus, checked against the schema."""
    path = Path(out) / f"{table}.parquet"
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such table; build the corpus first (gkdata build RAW {out})")
    try:
        df = pd.read_parquet(path)
    except (OSError, arrow.ArrowException) as e:
        raise SchemaError(f"{path}: not a readable Parquet file ({e})") from None
    if df.empty:  # Parquet keeps no categories for a column without rows; with no rows, nothing is lost
        df = df.astype(dict(TABLE_COLUMNS[table]))
    return validate(df, table, path)


def load(out: str | os.PathLike = "data/processed", lazy: bool = False) -> Corpus:
    """Read a built corpus back, each table checked against the schema, dtypes as built.

    ``lazy``: read each table when it is first used (a large corpus's tables take memory).

    >>> import tempfile, gkdata
    >>> tmp = tempfile.TemporaryDirectory()
    >>> _ = gkdata.build("data/raw", f"{tmp.name}/processed")
    >>> load(f"{tmp.name}/processed")
    <Corpus 5 files · 5 reports · 0 failed>
    >>> tmp.cleanup()
    """
    tables = _Tables(out)
    return Corpus(tables if lazy else dict(tables))


class _Tables(Mapping):
    """The tables of a built corpus, each read on first use."""

    def __init__(self, out: str | os.PathLike):
        self.out, self.read = Path(out), {}

    def __getitem__(self, table: str) -> pd.DataFrame:
        if table not in TABLES:
            raise KeyError(table)
        if table not in self.read:
            self.read[table] = read_table(self.out, table)
        return self.read[table]

    def __iter__(self) -> Iterator[str]:
        return iter(TABLES)

    def __len__(self) -> int:
        return len(TABLES)


@contextmanager
def replacing(out: str | os.PathLike) -> Iterator[Path]:
    """A new, empty folder beside ``out`` that takes the place of ``out`` when the block ends.

    If the block raises (or the process dies), ``out`` is left as it was and
    the new folder is removed (after ``kill -9``: at the next build).
    One block at a time replaces an ``out`` (a lock file beside it, ``.<out>.lock``):
    a second one raises :class:`~gkdata.errors.BuildError` at once.
    ``out`` keeps its permissions; top-level hidden files the block does not write
    (``.gitkeep``) are kept. Refuses to replace a folder that is not a build output
    (no manifest.json), or one that holds files a build does not write (a workbook
    saved there), naming them: they are the user's.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     with replacing(f"{tmp}/out") as new:
    ...         _ = (new / "a.csv").write_text("x")
    ...     sorted(p.name for p in Path(tmp).iterdir()), (Path(tmp) / "out" / "a.csv").read_text()
    (['.out.lock', 'out'], 'x')
    """
    from filelock import FileLock, Timeout

    out = Path(os.path.abspath(out))
    out.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(out.with_name(f".{out.name}.lock"))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        raise BuildError(f"{out}: another build is writing it (it holds {lock.lock_file}); "
                         "wait for that build to end, or build into another folder") from None
    try:
        _recover(out)
        _check_ours(out)
        new = out.with_name(f".{out.name}.build-{os.getpid()}-{secrets.token_hex(4)}")
        new.mkdir()  # with the user's umask, as the folder would get if made by hand
        if out.exists():
            new.chmod(stat.S_IMODE(out.stat().st_mode))
        try:
            yield new
            _check_ours(out)  # again: a file may have been saved into out while the build ran
            for p in out.glob(".*") if out.exists() else ():
                if p.is_file() and not (new / p.name).exists():
                    shutil.copy2(p, new / p.name)
            old = out.with_name(f".{out.name}.old-{os.getpid()}")
            if out.exists():
                os.rename(out, old)
            os.rename(new, out)  # only here does out change: a rename, so readers see old or new
            shutil.rmtree(old, ignore_errors=True)
        except BaseException:
            shutil.rmtree(new, ignore_errors=True)
            raise
    finally:
        lock.release()


# What a build writes into OUT; anything else there is someone else's.
_OURS = frozenset({MANIFEST, ".cache", *(f"{t}.{ext}" for t in TABLES for ext in ("parquet", "csv"))})


def _check_ours(out: Path) -> None:
    if not out.exists():
        return
    if not out.is_dir() or (not (out / MANIFEST).exists() and any(not p.name.startswith(".") for p in out.iterdir())):
        raise FileExistsError(f"{out}: exists and is not a gkdata build output (no {MANIFEST}); "
                              "refusing to replace it: give a new or empty folder")
    theirs = sorted(p.name + "/" * p.is_dir() for p in out.iterdir()
                    if p.name not in _OURS and not (p.name.startswith(".") and p.is_file()))
    if theirs:
        shown = ", ".join(theirs[:5]) + (f" and {len(theirs) - 5} more" if len(theirs) > 5 else "")
        raise FileExistsError(f"{out}: holds files a build does not write ({shown}); a build replaces the folder "
                              "as a whole, so move them out of it first (or build into another folder)")


_LEFTOVER = re.compile(r"^\.(?P<name>.+)\.(?P<kind>build|old)-(?P<pid>\d+)(-.*)?$")


def _recover(out: Path) -> None:
    """Clean up after a build that was killed: put back an ``out`` that was moved aside
    just before the swap, and remove its unfinished folders."""
    for p in sorted(out.parent.iterdir()):
        m = _LEFTOVER.match(p.name)
        if not m or m["name"] != out.name or _alive(int(m["pid"])):
            continue
        if m["kind"] == "old" and not out.exists():
            os.rename(p, out)
        else:
            shutil.rmtree(p, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True
