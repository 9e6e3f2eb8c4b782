"""Corpus -> findings across reports: the carry-over chain, year over year, outliers.

Within-report identities are in :mod:`gkdata.checks`; these need many reports
(a publisher's earlier years, or peers), so they run on a corpus's long tables.

A publisher's history is the reports of one place (:mod:`gkdata.places`): the same ``adcode``,
``level`` and ``region`` (the publisher without its organ suffix, so ``开阳县人民政府`` of 2019 and
``开阳县`` of 2020 are one government, and ``会宁县财政局`` and ``会宁县教育局`` two departments).
Two 城关区, one in 拉萨市 and one in 兰州市, are two histories. A report whose name fits several
places (``place_candidates``) is in no history but its own: it is compared with no other year, since
which place's years they would be is not known. A publisher the gazetteer has no place for is keyed
on its name, as printed.

A corpus of any size is checked in bounded memory (:class:`CrossReport`): its cells wait in files, a
bucket of histories at a time is checked, and the peers of a cell are counted by distinct value.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd
import pyarrow as arrow

from . import frames
from . import labels as L
from .findings import CHECKS, THRESHOLDS

_DIMS = {"applications": ("row", "applicant"), "disclosure": ("item", "measure"), "appeals": ("proceeding", "outcome")}
# The dtypes of a finding's columns. Cells keep codes (a large corpus has millions); only findings get text.
_FOUND = {"report_id": "string", "year": "Int64", "row": "string", "column": "string", "value": "Float64",
          "template": "string", "expected": "Float64"}


def history(reports: pd.DataFrame) -> pd.Series:
    """Which publisher's history each report is in (module doc): a key per report, NA for none.

    >>> r = pd.DataFrame({"report_id": ["a", "b", "c", "d"], "publisher": ["城关区", "城关区", "城关区", "壬县"],
    ...                   "region": ["城关区"] * 3 + ["壬县"], "adcode": ["540102", "620102", None, None],
    ...                   "level": ["county", "county", "county", None],
    ...                   "place_candidates": [None, None, "540102 620102", None]}, dtype="string")
    >>> history(r).tolist()
    ['540102|county|城关区', '620102|county|城关区', 'only|c', 'name|壬县']
    """
    name = "name|" + reports["publisher"].fillna(reports["region"])
    if "adcode" not in reports:  # tables from before places
        return name
    placed = reports["adcode"].notna() & reports["level"].notna()
    key = reports["adcode"] + "|" + reports["level"] + "|" + reports["region"].fillna(reports["publisher"])
    alone = "only|" + reports["report_id"]
    return key.where(placed, alone.where(reports["place_candidates"].notna(), name))


def _found(df: pd.DataFrame) -> pd.DataFrame:
    """The findings' rows of cells with the dtypes of the long tables (text, nullable numbers)."""
    return df.astype({c: dtype for c, dtype in _FOUND.items() if c in df})


def _records(df: pd.DataFrame, check: str, severity: pd.Series | str | None = None) -> list[tuple]:
    sev = severity if severity is not None else CHECKS[check][0]
    sev = sev if isinstance(sev, pd.Series) else pd.Series(sev, index=df.index)
    return list(zip(df["report_id"], df["publisher_region"], df["year"], [check] * len(df), sev, df["table"],
                    df["row"], df["column"], df["expected"], df["actual"], df["message"]))


def _against_last_year(cur: pd.DataFrame, last: pd.DataFrame, on: list[str]) -> pd.DataFrame:
    """Rows of ``cur`` whose value differs from ``last``'s ``expected`` of the year before."""
    last = last.assign(year=last["year"] + 1).drop_duplicates(on)[[*on, "expected"]]
    m = cur.merge(last, on=on)
    return _found(m[m["value"] != m["expected"]]).assign(actual=lambda d: d["value"])


def carry_over_mismatch(cells: pd.DataFrame) -> pd.DataFrame:
    """This year's 上年结转 against the same publisher's 结转下年度 of the year before."""
    apps = cells["table"] == "applications"
    last = cells[apps & (cells["row"] == "carried_forward")].assign(expected=lambda d: d["value"])
    m = _against_last_year(cells[apps & (cells["row"] == "carried_over")], last, ["publisher", "year", "column"])
    return m.assign(message=[f"{L.zh(c)}: 上年结转 is {v:g}, but the {y - 1} report carried forward {e:g}"
                             for c, v, y, e in zip(m["column"], m["value"], m["year"], m["expected"])])


def change_mismatch(cells: pd.DataFrame) -> pd.DataFrame:
    """This year's 上一年项目数量 against last year's 上一年项目数量 + 本年增/减 (2019 template)."""
    t = cells[cells["table"] == "disclosure"]
    items = t[t["column"] == "prev_year_items"]
    on = ["publisher", "year", "row"]
    last = items.merge(t[t["column"] == "change"][[*on, "value"]], on=on, suffixes=("", "_change"))
    m = _against_last_year(items, last.assign(expected=last["value"] + last["value_change"]), on)
    return m.assign(message=[
        f"{L.zh(r)}: 上一年项目数量 is {v:g}, but the {y - 1} report gives {e:g} after its 本年增/减"
        for r, v, y, e in zip(m["row"], m["value"], m["year"], m["expected"])])


def _zh(key: str, template: object) -> str:
    """The label of a key in a report's template; a report whose template was not recognised has NA."""
    return L.zh(key, template if isinstance(template, str) else None)


def _firsts(key: np.ndarray) -> np.ndarray:
    """Where each run of equal values begins, in a sorted array."""
    return np.r_[True, key[1:] != key[:-1]][:len(key)]


def _histories(cells: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Rows of ``cells`` with a value ≥ 0 by history (publisher, table, row, column), then year, one per year;
    and their history ids. Integers and a sort rather than a self-join: a large corpus has millions of cells.
    """
    at = np.flatnonzero((cells["value"] >= 0) & cells["row"].notna() & cells["column"].notna())
    key = cells["publisher"].to_numpy()[at].astype(np.int64)
    for x in ("table", "row", "column"):  # (in place: a large corpus's arrays are big)
        key *= len(cells[x].cat.categories)
        key += cells[x].cat.codes.to_numpy()[at]
    year = cells["year"].to_numpy()[at]
    year -= year.min() if len(year) else 0
    span = year.max(initial=0) + 1
    key *= span
    key += year
    # A stable sort keeps data order within a year: of two reports of a publisher's year, the first counts.
    order = np.argsort(key, kind="stable")
    order = order[_firsts(key[order])]
    key = key[order]
    key //= span
    return at[order], key


def year_over_year(cells: pd.DataFrame) -> pd.DataFrame:
    """Values ≥ 10× away from the median of the same publisher's earlier years."""
    at, key = _histories(cells)  # a signed change has no ratio: values ≥ 0 only
    value = cells["value"].to_numpy()[at]
    # how many years its history has before this one: the row less the row where its history starts
    earlier = np.arange(len(key), dtype=np.int32)
    earlier -= np.maximum.accumulate(np.where(_firsts(key), earlier, 0))
    del key  # (a large corpus's arrays are big: free them as soon as they are done with)
    expected = np.full(len(value), np.nan)
    for n in range(1, earlier.max(initial=0) + 1):  # a publisher has few years: a short loop
        rows = np.flatnonzero(earlier == n)
        expected[rows] = np.median(value[rows[:, None] - np.arange(1, n + 1)], axis=1)
    del earlier
    t = THRESHOLDS
    hit = ((np.abs(np.log((value + 1) / (expected + 1))) >= np.log(t["year_over_year_factor"])) &
           (np.abs(value - expected) >= t["year_over_year_min_change"]))  # NaN (no earlier year): no hit
    found = np.flatnonzero(hit)[np.argsort(at[hit])]  # in data order
    m = _found(cells.iloc[at[found]].assign(expected=expected[found]))
    return m.assign(actual=m["value"], message=[
        f"{_zh(r, tp)} / {_zh(col, tp)}: {v:g} against a median of {e:g} in earlier years "
        f"(rule: ≥ {t['year_over_year_factor']:g}× and ≥ {t['year_over_year_min_change']} apart)"
        for r, col, v, e, tp in zip(m["row"], m["column"], m["value"], m["expected"], m["template"])])


def outlier(cells: pd.DataFrame, peers: Peers) -> pd.DataFrame:
    """Positive values whose ln is far from their peers' (robust z with the MAD); a ``severity`` column."""
    c = cells[cells["value"] > 0]
    group = _group(c["table"].cat.codes.to_numpy(), c["row"].cat.codes.to_numpy(), c["column"].cat.codes.to_numpy())
    med, mad, n = peers.median[group], peers.mad[group], peers.n[group]
    ln = np.log(c["value"].to_numpy())
    with np.errstate(divide="ignore", invalid="ignore"):  # mad 0 or NaN: no hit, as the rule says
        z = (ln - med) / (1.4826 * mad)
    t = THRESHOLDS
    hit = (n >= t["outlier_min_peers"]) & (mad > 0) & (np.abs(z) >= t["outlier_z_info"])
    m = _found(c[hit]).assign(expected=np.exp(med[hit]), actual=lambda d: d["value"], z=z[hit],
                              severity=np.where(np.abs(z[hit]) >= t["outlier_z_warning"], "warning", "info"))
    return m.assign(message=[
        f"{_zh(r, tp)} / {_zh(col, tp)}: {v:g} is far from the median {e:.0f} of {int(nn)} reports "
        f"(robust z of ln value {zz:+.1f}; rule: |z| ≥ {t['outlier_z_info']})"
        for r, col, v, e, nn, zz, tp in zip(m["row"], m["column"], m["value"], m["expected"], n[hit], m["z"],
                                            m["template"])])


# Cells are keyed by codes over the keys of all three tables, so one column holds every table's rows.
_TABLE = pd.CategoricalDtype(list(_DIMS))
_ROW, _COLUMN = (pd.CategoricalDtype(pd.Index(dict.fromkeys(
    c for t in _DIMS for c in dict(frames.COLUMNS[t])[_DIMS[t][k]].categories)), ordered=False) for k in (0, 1))
# table -> its key columns' codes -> codes of _ROW / _COLUMN
_RECODE = {t: tuple(np.asarray(dtype.categories.get_indexer(dict(frames.COLUMNS[t])[_DIMS[t][k]].categories), np.int8)
                    for k, dtype in enumerate((_ROW, _COLUMN))) for t in _DIMS}
_GROUPS = len(_DIMS) * len(_ROW.categories) * len(_COLUMN.categories)
_ROWS_BITS = 40  # a cell's position: its table's index (of _DIMS) above the row's number in that table


def _group(table: np.ndarray, row: np.ndarray, column: np.ndarray) -> np.ndarray:
    """The peer group (table, row, column) of each cell, as one integer."""
    return (table.astype(np.int32) * len(_ROW.categories) + row) * len(_COLUMN.categories) + column


class Peers(NamedTuple):
    """Per peer group (:func:`_group`): the median of ln value, its MAD and how many values, of every positive
    value of the corpus (NaN and 0 for a group without one)."""

    median: np.ndarray
    mad: np.ndarray
    n: np.ndarray

    @classmethod
    def of(cls, counts: pd.Series) -> Peers:
        """From how often each value occurs in each group (a Series by (group, value), sorted): exact order
        statistics of the distinct values, which are few (a corpus has millions of cells, mostly the same
        small counts), so no cell is held for them.

        The same numbers as pandas' medians of the values themselves (1, 2, 4 and 4 in group 0):

        >>> p = Peers.of(pd.Series([1, 1, 2], pd.MultiIndex.from_tuples([(0, 1.0), (0, 2.0), (0, 4.0)])))
        >>> ln = np.log(pd.Series([1.0, 2.0, 4.0, 4.0]))
        >>> bool(p.median[0] == ln.median()), bool(p.mad[0] == (ln - ln.median()).abs().median()), int(p.n[0])
        (True, True, 4)
        """
        median, mad, n = np.full(_GROUPS, np.nan), np.full(_GROUPS, np.nan), np.zeros(_GROUPS, np.int64)
        group = counts.index.get_level_values(0).to_numpy()
        ln = np.log(counts.index.get_level_values(1).to_numpy(np.float64))
        count = counts.to_numpy(np.int64)
        starts = np.flatnonzero(_firsts(group))
        for a, b in zip(starts, [*starts[1:], len(group)]):
            g, size = group[a], count[a:b].sum()
            median[g] = _median(ln[a:b], count[a:b], size)
            deviation = np.abs(ln[a:b] - median[g])
            order = np.argsort(deviation, kind="stable")
            mad[g], n[g] = _median(deviation[order], count[a:b][order], size), size
        return cls(median, mad, n)


def _median(sorted_values: np.ndarray, counts: np.ndarray, size: int) -> float:
    """The median of values given in order with how often each occurs (as pandas takes it: the mean of the two
    middle ones of an even number)."""
    ends = np.cumsum(counts)
    low, high = sorted_values[np.searchsorted(ends, [(size - 1) // 2, size // 2], side="right")]
    return (high + low) / 2


# What a bucket's files hold: a row per usable report, and a row per value cell of those reports.
_SCHEMAS = {"reports": arrow.schema([("rep", arrow.int32()), ("report_id", arrow.string()),
                                     ("region", arrow.string()), ("year", arrow.int64()),
                                     ("template", arrow.string()), ("history", arrow.string())]),
            "cells": arrow.schema([("pos", arrow.int64()), ("rep", arrow.int32()), ("table", arrow.int8()),
                                   ("row", arrow.int8()), ("column", arrow.int8()), ("value", arrow.float64())])}
BUCKET = 10_000  # reports per bucket of cells: what the checks of a publisher's years hold in memory at once


class CrossReport:
    """The cross-report checks of a corpus handed on in chunks (:meth:`add`), in bounded memory.

    The value cells of each chunk go to Arrow files in ``folder``, a bucket per :data:`BUCKET` reports by the
    hash of their publisher's :func:`history` (so a history is in one bucket, checked there); the peers of
    :func:`outlier` are counted as they come (:class:`Peers`). ``reports`` is about how many reports there
    will be (it sets the number of buckets, not the findings). :meth:`findings` reads one bucket at a time.
    """

    def __init__(self, folder: str | os.PathLike, reports: int = 0):
        self.folder, self.buckets = Path(folder), max(1, -(-reports // BUCKET))
        self.files: dict[tuple[int, str], arrow.ipc.RecordBatchStreamWriter] = {}
        self.rows = dict.fromkeys(_DIMS, 0)  # rows of each table handed on so far
        self.reports = 0  # usable reports so far
        self.counts: list[pd.Series] = []  # (group, value) -> count, per chunk until merged
        self.counted = 0  # entries in counts when they were last merged

    def add(self, reports: pd.DataFrame, tables: Mapping[str, pd.DataFrame]) -> None:
        """A chunk: its rows of ``reports``, and the rows of its reports in each table (in the order written)."""
        usable = reports[(reports["status"] == "ok") & ~reports["is_template"].fillna(False)]
        key = history(usable)
        usable, key = usable[key.notna()], key[key.notna()]
        ids = pd.Index(usable["report_id"])
        bucket = (pd.util.hash_pandas_object(key, index=False).to_numpy() % self.buckets).astype(np.int32)
        rep = np.arange(self.reports, self.reports + len(usable), dtype=np.int32)
        self.reports += len(usable)
        self._write("reports", bucket, pd.DataFrame({
            "rep": rep, "report_id": usable["report_id"].array, "region": usable["region"].array,
            "year": usable["year"].array, "template": usable["template"].array, "history": key.array}))
        has_year = np.append(usable["year"].notna().to_numpy(), False)  # a last False for get_indexer's -1
        for i, (name, (a, b)) in enumerate(_DIMS.items()):
            t, rid = tables[name], tables[name]["report_id"]
            # A report's rows are together: look up the report of each run of rows, not of every row.
            run = np.flatnonzero((rid != rid.shift()).fillna(True).to_numpy(bool))
            p = np.repeat(ids.get_indexer(rid.iloc[run]).astype(np.int32), np.diff(np.append(run, len(rid))))
            keep = np.flatnonzero(t["value"].notna().to_numpy() & has_year[p])
            p = p[keep]
            row, col = (_RECODE[name][k][t[c].cat.codes.to_numpy()[keep]] for k, c in enumerate((a, b)))
            value = t["value"].to_numpy("float64", na_value=np.nan)[keep]
            self._write("cells", bucket[p], pd.DataFrame({
                "pos": (keep + self.rows[name]).astype(np.int64) | (i << _ROWS_BITS), "rep": rep[p],
                "table": np.full(len(keep), i, np.int8), "row": row, "column": col, "value": value}))
            self.rows[name] += len(t)
            positive = value > 0
            self.counts.append(pd.Series(value[positive]).groupby(
                _group(np.full(positive.sum(), i), row[positive], col[positive])).value_counts())
        if sum(map(len, self.counts)) > 2 * self.counted + 100_000:  # merged now and then: memory for distinct values
            self.counts = [self._counts()]
            self.counted = len(self.counts[0])

    def _write(self, kind: str, bucket: np.ndarray, df: pd.DataFrame) -> None:
        rows = arrow.Table.from_pandas(df, _SCHEMAS[kind], preserve_index=False)
        for b in np.unique(bucket).tolist():
            if (b, kind) not in self.files:
                self.files[b, kind] = arrow.ipc.new_stream(str(self.folder / f"{kind}-{b}.arrow"), rows.schema)
            self.files[b, kind].write_table(rows.filter(arrow.array(bucket == b)))

    def _counts(self) -> pd.Series:
        counts = [c for c in self.counts if len(c)]
        return pd.concat(counts).groupby(level=[0, 1]).sum() if counts else pd.Series([], pd.MultiIndex.from_arrays(
            [np.array([], np.int32), np.array([], np.float64)]), dtype="int64")

    def findings(self) -> Iterator[list[tuple]]:
        """Cross-report findings as corpus finding records (report_id, region, year, check, …), each check's in
        the order of the cells (table by table, row by row), in lists of at most :data:`SLICE`.

        Each bucket's findings wait in a file (:class:`_Found`) until all are known, so that a corpus's
        findings (hundreds of thousands for a million reports) are never all in memory.
        """
        for f in self.files.values():
            f.close()
        peers = Peers.of(self._counts())
        self.counts = []
        found = {check: _Found(self.folder / f"found-{check}") for check in _CHECKS}
        for b in range(self.buckets):
            if (b, "cells") not in self.files:
                continue
            cells, region = self._bucket(b)
            for check, run in _CHECKS.items():
                df = run(cells, peers)
                found[check].add(df.assign(publisher_region=df["report_id"].map(region)))
            del cells
        for check, kept in found.items():
            for df in kept.in_order():
                yield _records(df, check, df["severity"] if "severity" in df else None)

    def _bucket(self, b: int) -> tuple[pd.DataFrame, pd.Series]:
        """One bucket's cells as the checks take them, and its reports' regions by report_id."""
        def read(kind: str) -> pd.DataFrame:
            with arrow.OSFile(str(self.folder / f"{kind}-{b}.arrow")) as source:
                return arrow.ipc.open_stream(source).read_pandas()

        reports, cells = read("reports"), read("cells")
        at = np.searchsorted(reports["rep"].to_numpy(), cells["rep"].to_numpy())
        ids = pd.CategoricalDtype(pd.Index(reports["report_id"], dtype="string"))
        template = pd.Categorical(reports["template"])
        year = reports["year"].to_numpy("int32", na_value=0)
        return pd.DataFrame({
            "pos": cells["pos"],
            "report_id": pd.Categorical.from_codes(at, dtype=ids),
            "publisher": pd.factorize(reports["history"])[0].astype(np.int32)[at], "year": year[at],
            "template": pd.Categorical.from_codes(template.codes[at], dtype=template.dtype),
            "table": pd.Categorical.from_codes(cells["table"].to_numpy(), dtype=_TABLE),
            "row": pd.Categorical.from_codes(cells["row"].to_numpy(), dtype=_ROW),
            "column": pd.Categorical.from_codes(cells["column"].to_numpy(), dtype=_COLUMN),
            "value": cells["value"].to_numpy(),
        }, copy=False), pd.Series(reports["region"].to_numpy(), index=reports["report_id"].to_numpy())


SLICE = 50_000  # findings per list that CrossReport.findings hands on


class _Found:
    """One check's findings, bucket by bucket, handed back in the order of their cells' positions.

    Each bucket's findings are sorted by position and written to a file of their own, their positions kept
    (8 bytes a finding). :meth:`in_order` cuts the positions of all buckets into slices of :data:`SLICE`;
    within each bucket a slice is a run of rows that follows the last, so each file is read once, in step.
    """

    _COLUMNS = ["pos", "report_id", "publisher_region", "year", "table", "row", "column", "expected", "actual",
                "message"]
    _BATCH = 1024  # rows per batch written: what a bucket's reader holds ahead of the slice it is in

    def __init__(self, stem: Path) -> None:
        self.stem = stem
        self.positions: list[np.ndarray] = []

    def add(self, df: pd.DataFrame) -> None:
        df = df.sort_values("pos", kind="stable")
        columns = self._COLUMNS + ["severity"] * ("severity" in df)
        table = arrow.Table.from_pandas(df[columns].astype({"table": "string"}), preserve_index=False)
        with arrow.ipc.new_stream(f"{self.stem}-{len(self.positions)}.arrow", table.schema) as out:
            out.write_table(table, max_chunksize=self._BATCH)
        self.positions.append(df["pos"].to_numpy(np.int64))

    def in_order(self) -> Iterator[pd.DataFrame]:
        """The findings of every bucket as frames of at most :data:`SLICE` rows, sorted by position (a stable
        sort of the buckets' findings one after another)."""
        every = np.sort(np.concatenate(self.positions)) if self.positions else np.array([], np.int64)
        readers = [_Rows(f"{self.stem}-{b}.arrow") for b in range(len(self.positions))]
        taken = [0] * len(readers)
        try:
            for start in range(0, len(every), SLICE):
                end = every[start + SLICE] if start + SLICE < len(every) else None  # the next slice's first
                pieces = []
                for b, (reader, pos) in enumerate(zip(readers, self.positions)):
                    upto = len(pos) if end is None else int(np.searchsorted(pos, end))
                    if upto > taken[b]:
                        pieces.append(reader.take(upto - taken[b]))
                        taken[b] = upto
                df = pd.concat(pieces, ignore_index=True) if len(pieces) > 1 else pieces[0]
                yield df.sort_values("pos", kind="stable", ignore_index=True)
        finally:  # also when the findings are not all taken
            for reader in readers:
                reader.close()


class _Rows:
    """The rows of an Arrow stream file, taken a number at a time."""

    def __init__(self, path: str) -> None:
        self.source = arrow.OSFile(path)
        self.reader = arrow.ipc.open_stream(self.source)
        self.ahead: list[arrow.RecordBatch] = []
        self.rows = 0  # in ahead

    def take(self, n: int) -> pd.DataFrame:
        while self.rows < n:
            batch = self.reader.read_next_batch()
            self.ahead.append(batch)
            self.rows += batch.num_rows
        rows = arrow.Table.from_batches(self.ahead, self.reader.schema)
        rest = rows.slice(n)
        self.ahead, self.rows = rest.to_batches(), rest.num_rows
        return rows.slice(0, n).to_pandas()

    def close(self) -> None:
        self.source.close()


_CHECKS = {"carry_over_mismatch": lambda cells, _: carry_over_mismatch(cells),
           "change_mismatch": lambda cells, _: change_mismatch(cells),
           "year_over_year": lambda cells, _: year_over_year(cells), "outlier": outlier}


def check_corpus(tables: Mapping[str, pd.DataFrame]) -> list[tuple]:
    """Cross-report findings of a corpus's tables as corpus finding records (report_id, region, year, check, …).

    The seeds are five publishers' single years, none an outlier among so few peers: nothing to find.

    >>> import gkdata
    >>> check_corpus(gkdata.read_reports("data/raw").tables)
    []
    """
    with tempfile.TemporaryDirectory() as folder:
        cross = CrossReport(folder, len(tables["reports"]))
        cross.add(tables["reports"], tables)
        return [f for part in cross.findings() for f in part]
