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
from functools import cache
from typing import TYPE_CHECKING, BinaryIO

import pandas as pd
import pyarrow as arrow
from pyarrow import compute, csv, parquet

from . import frames
from .corpus import STATUSES, TABLE_COLUMNS, Corpus
from .errors import BuildError

if TYPE_CHECKING:  # pandera (a second of import) only for a full validation: see validate
    import pandera.pandas as pa

TABLES = tuple(TABLE_COLUMNS)  # reports, disclosure, applications, appeals, narrative, findings
MANIFEST = "manifest.json"  # written by every build; marks a folder as a build output


class SchemaError(ValueError):
    """A table does not match the corpus schema; the message names the file and the columns."""


# Columns that are never empty, beyond the dtypes: what says which report and which cell a row is.
_NOT_NULL = {"reports": ("path", "status", "size"),
             **{t: ("report_id", *frames.KEYS.get(t, ())) for t in TABLES if t != "reports"}}
_MUST = "dtype must be"


def _exact(dtype: object) -> pa.Check:
    import pandera.pandas as pa

    # pandera accepts object or NaN-backed str columns as "string"; load must give back exactly the declared dtype
    want = pd.api.types.pandas_dtype(dtype)
    return pa.Check(lambda s: s.dtype == want, name=f"dtype {want}", error=f"{_MUST} {want!r}")


def schema(table: str) -> pa.DataFrameSchema:
    """The pandera schema of one corpus table, derived from :data:`~gkdata.corpus.TABLE_COLUMNS`.

    >>> schema("appeals").columns["outcome"].dtype
    DataType(category)
    """
    import pandera.pandas as pa

    checks = {("reports", "status"): [pa.Check.isin(STATUSES)]}
    return pa.DataFrameSchema(
        {col: pa.Column(dtype, [_exact(dtype), *checks.get((table, col), [])],
                        nullable=col not in _NOT_NULL[table], unique=(table, col) == ("reports", "path"))
         for col, dtype in TABLE_COLUMNS[table]},
        strict=True, ordered=True, name=table)


def validate(df: pd.DataFrame, table: str, file: str | os.PathLike) -> pd.DataFrame:
    """``df`` if every row matches the schema of ``table`` (pandera, :func:`schema`); else :class:`SchemaError`
    naming ``file`` and the columns."""
    import pandera.pandas as pa

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
        raise _mismatch(file, table, problems) from None


def _mismatch(file: str | os.PathLike, table: str, problems: list[str]) -> SchemaError:
    return SchemaError(f"{file}: does not match the {table} schema: " + " | ".join(problems))


@cache
def _dtypes(table: str) -> dict[str, object]:
    """Column -> pandas dtype of ``table``."""
    return {col: pd.api.types.pandas_dtype(dtype) for col, dtype in TABLE_COLUMNS[table]}


@cache
def _arrow_schema(table: str) -> arrow.Schema:
    """The Arrow types a build writes for ``table`` (what :class:`Writer` makes of its dtypes)."""
    empty = pd.DataFrame({col: pd.Series(dtype=dtype) for col, dtype in TABLE_COLUMNS[table]})
    return arrow.Schema.from_pandas(empty, preserve_index=False)


def _same_kind(got: arrow.DataType, want: arrow.DataType) -> bool:
    """Types that read back as the same dtype: a text column may be string or large_string, a dictionary's
    indices any integer (its categories and their order are checked once read)."""
    if arrow.types.is_dictionary(want):
        return arrow.types.is_dictionary(got) and _same_kind(got.value_type, want.value_type) \
            and got.ordered == want.ordered
    text = (arrow.types.is_string, arrow.types.is_large_string)
    return got.equals(want) or any(t(got) for t in text) and any(t(want) for t in text)


def _layout_problems(schema: arrow.Schema, table: str) -> list[str]:
    """What is wrong with a Parquet file's columns (names, order, Arrow types), from its footer alone.

    >>> problems = _layout_problems(arrow.schema([("proceeding", arrow.string())]), "appeals")
    >>> problems[0], problems[-1]
    ("column 'report_id': column_in_dataframe (not in the file)", "column 'proceeding': dtype must be \
dictionary<values=large_string, indices=int8, ordered=1>, not string")
    """
    want = _arrow_schema(table)
    names = set(schema.names)
    problems = [f"column {c!r}: column_in_dataframe (not in the file)" for c in want.names if c not in names]
    problems += [f"column {c!r}: column_in_schema (not a column of the table)" for c in schema.names
                 if c not in want.names]
    for field in want:
        if field.name in names and not _same_kind(got := schema.field(field.name).type, field.type):
            problems.append(f"column {field.name!r}: {_MUST} {field.type}, not {got}")
    present = [c for c in want.names if c in names]
    if not problems and list(schema.names) != present:
        at = next(i for i, (a, b) in enumerate(zip(schema.names, present)) if a != b)
        problems.append(f"column {schema.names[at]!r}: column_ordered (the table's order is {', '.join(want.names)})")
    return problems


def _null_counts(meta: parquet.FileMetaData) -> dict[str, int]:
    """Empty cells per column, from the row groups' statistics (a column without them in some row group is left
    out: its rows are looked at)."""
    counts: dict[str, int] = {}
    missing: set[str] = set()
    for i in range(meta.num_row_groups):
        group = meta.row_group(i)
        for j in range(group.num_columns):
            column = group.column(j)
            stats = column.statistics
            if stats is None or not stats.has_null_count:
                missing.add(column.path_in_schema)
            else:
                counts[column.path_in_schema] = counts.get(column.path_in_schema, 0) + stats.null_count
    return {c: n for c, n in counts.items() if c not in missing}


def check(df: pd.DataFrame, table: str, file: str | os.PathLike, null_counts: Mapping[str, int] | None = None,
          ) -> pd.DataFrame:
    """``df`` if it has the columns and exact dtypes of ``table`` (categories and their order included), no empty
    cell where the schema allows none, and, in ``reports``, a known status and each path once; else
    :class:`SchemaError` naming ``file`` and the columns. What :func:`validate` checks row by row, at the cost of
    the dtypes: empty cells are counted from ``null_counts`` (a Parquet file's statistics) where given.

    >>> empty = pd.DataFrame({col: pd.Series(dtype=dtype) for col, dtype in TABLE_COLUMNS["appeals"]})
    >>> check(empty, "appeals", "appeals.parquet").columns[:4].tolist()
    ['report_id', 'region', 'year', 'proceeding']
    >>> check(empty.drop(columns="region").assign(year=1.0), "appeals", "appeals.parquet")
    Traceback (most recent call last):
    gkdata.store.SchemaError: appeals.parquet: does not match the appeals schema: column 'year': dtype must be \
Int64Dtype(), not dtype('float64') | column 'region': column_in_dataframe (not in the frame)
    """
    columns, dtypes = _dtypes(table), dict(zip(df.columns, df.dtypes))
    problems = [f"column {c!r}: {_MUST} {want!r}, not {dtypes[c]!r}" for c, want in columns.items()
                if c in dtypes and dtypes[c] != want]
    if list(df.columns) != list(columns):
        problems.append(next(f"column {a!r}: column_in_dataframe (not in the frame)" if a not in df.columns else
                             f"column {b!r}: column_in_schema (not a column of the table)" if b not in columns else
                             f"column {b!r}: column_ordered (the table's order is {', '.join(columns)})"
                             for a, b in zip([*columns, None], [*df.columns, None]) if a != b))
    else:
        for c in _NOT_NULL[table]:
            if (n := (null_counts or {}).get(c)) is None:
                n = int(df[c].isna().sum())
            if n:
                problems.append(f"column {c!r}: not_nullable ({n} empty cells)")
        if table == "reports":
            if len(odd := df.loc[~df["status"].isin(STATUSES), "status"].drop_duplicates()):
                problems.append(f"column 'status': isin({STATUSES}) ({', '.join(map(str, odd[:3]))})")
            if len(twice := df.loc[df["path"].duplicated(), "path"].drop_duplicates()):
                problems.append(f"column 'path': field_uniqueness ({', '.join(twice[:3])})")
    if problems:
        raise _mismatch(file, table, problems)
    return df


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
        # the columns, dtypes and empty cells (check): the frames are the build's own, pandera's row checks per
        # chunk would cost more than all the rest of the writing
        data = arrow.Table.from_pandas(check(df, table, stem.with_suffix(".parquet")), preserve_index=False)
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
        if arrow.types.is_dictionary(column.type):  # categoricals: the categories are the texts, the codes stay
            column = arrow.chunked_array([arrow.DictionaryArray.from_arrays(
                c.indices, _quoted(c.dictionary), ordered=c.type.ordered) for c in column.chunks], column.type)
        elif arrow.types.is_string(column.type) or arrow.types.is_large_string(column.type):
            column = arrow.chunked_array([_quoted(c) for c in column.chunks], column.type)
        columns.append(column)
    return arrow.table(columns, names=data.column_names)


def _quoted(texts: arrow.Array) -> arrow.Array:
    """Formula-looking texts prefixed with ``'`` (the number test only where a text starts like a formula)."""
    risky = compute.match_substring_regex(texts, _FORMULA)
    if not compute.any(risky).as_py():  # nearly always: one pass over the texts
        return texts
    risky = compute.and_kleene(risky, compute.invert(compute.match_substring_regex(texts, _NUMBER)))
    quote, empty = arrow.scalar("'", texts.type), arrow.scalar("", texts.type)
    return compute.if_else(risky, compute.binary_join_element_wise(quote, texts, empty), texts)


def read_table(out: str | os.PathLike, table: str, validate: bool = False) -> pd.DataFrame:
    """One table of a built corpus, checked against the schema: its columns and Arrow types from the file's
    footer before its rows are read, then :func:`check`; ``validate``: every row too (:func:`validate`)."""
    path = Path(out) / f"{table}.parquet"
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such table; build the corpus first (gkdata build RAW {out})")
    try:
        meta = parquet.read_metadata(path)
        layout = _layout_problems(meta.schema.to_arrow_schema(), table)
        df = None if layout else pd.read_parquet(path)  # a file of other columns is not read: it may be any size
    except (OSError, arrow.ArrowException) as e:
        raise SchemaError(f"{path}: not a readable Parquet file ({e})") from None
    if df is None:
        raise _mismatch(path, table, layout)
    if df.empty:  # Parquet keeps no categories for a column without rows; with no rows, nothing is lost
        df = df.astype(dict(TABLE_COLUMNS[table]))
    check(df, table, path, _null_counts(meta))
    return _validate(df, table, path) if validate else df


_validate = validate  # read_table's argument of the same name hides it


def load(out: str | os.PathLike = "data/processed", lazy: bool = False, validate: bool = False) -> Corpus:
    """Read a built corpus back, each table checked against the schema (:func:`read_table`), dtypes as built.

    ``lazy``: read each table when it is first used (a large corpus's tables take memory).
    ``validate``: check every row as well (pandera; by default the columns, dtypes, categories and the files'
    counts of empty cells are checked, and the reports' statuses and paths).

    >>> import tempfile, gkdata
    >>> tmp = tempfile.TemporaryDirectory()
    >>> _ = gkdata.build("data/raw", f"{tmp.name}/processed")
    >>> load(f"{tmp.name}/processed")
    <Corpus 5 files · 5 reports · 0 failed>
    >>> load(f"{tmp.name}/processed", validate=True).applications.equals(load(f"{tmp.name}/processed").applications)
    True
    >>> tmp.cleanup()
    """
    tables = _Tables(out, validate)
    return Corpus(tables if lazy else dict(tables))


class _Tables(Mapping):
    """The tables of a built corpus, each read on first use."""

    def __init__(self, out: str | os.PathLike, validate: bool = False):
        self.out, self.validate, self.read = Path(out), validate, {}

    def __getitem__(self, table: str) -> pd.DataFrame:
        if table not in TABLES:
            raise KeyError(table)
        if table not in self.read:
            self.read[table] = read_table(self.out, table, self.validate)
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
