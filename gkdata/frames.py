"""Records -> DataFrames with the project's dtypes: ordered categoricals for keys,
nullable Int64/Float64 for values. One place, so a report, a corpus and a
Parquet round trip all get the same columns.
"""

from __future__ import annotations

from array import array

import numpy as np
import pandas as pd

from . import labels as L
from .findings import SEVERITIES
from .narrative import PATTERNS
from .wide import wide as printed


def _cat(values) -> pd.CategoricalDtype:
    return pd.CategoricalDtype(list(values), ordered=True)


ITEM = _cat(L.keys("disclosure_item"))
MEASURE = _cat(L.keys("disclosure_measure"))
UNIT = _cat(["件", "项", "个", "万元"])
ROW = _cat(L.keys("application_row"))
APPLICANT = _cat(L.keys("applicant"))
PROCEEDING = _cat(L.keys("proceeding"))
OUTCOME = _cat(L.keys("outcome"))
SEVERITY = _cat(list(SEVERITIES))
NARRATIVE_KEY = _cat(list(PATTERNS))

LEVEL = _cat(["part", "total"])
GROUP = _cat(L.RESULT_GROUPS)

# table -> ((column, dtype), ...): the schema of every long table
COLUMNS: dict[str, tuple[tuple[str, object], ...]] = {
    "disclosure": (("item", ITEM), ("measure", MEASURE), ("value", "Float64"), ("unit", UNIT), ("level", LEVEL)),
    "applications": (("row", ROW), ("applicant", APPLICANT), ("value", "Int64"), ("level", LEVEL),
                     ("group", GROUP)),
    "appeals": (("proceeding", PROCEEDING), ("outcome", OUTCOME), ("value", "Int64"), ("level", LEVEL)),
    "narrative": (("key", NARRATIVE_KEY), ("value", "Int64"), ("unit", "string"), ("sentence", "string")),
    "findings": (("check", "string"), ("severity", SEVERITY), ("table", "string"), ("row", "string"),
                 ("column", "string"), ("expected", "Float64"), ("actual", "Float64"), ("message", "string")),
}
# The columns that say which cell a value is, per table (the first two of each).
KEYS = {name: tuple(c for c, _ in cols[:2]) for name, cols in COLUMNS.items() if name not in ("narrative", "findings")}
# Columns that follow from a cell's keys, so a report's records do not hold them: :func:`pack` adds
# them (and :func:`unplain` checks them). ``level``: ``total`` for a printed total of other cells of its
# table (a 总计 column, 三(七) 办理结果总计), else ``part``; ``group``: a table-三 row's result group
# (:data:`gkdata.labels.RESULT_GROUPS`, NA outside the results). So the parts sum to the totals.
DERIVED = {"disclosure": ("level",), "applications": ("level", "group"), "appeals": ("level",)}
_DIMENSION = {"item": "disclosure_item", "measure": "disclosure_measure", "row": "application_row",
              "applicant": "applicant", "proceeding": "proceeding", "outcome": "outcome"}


def _codes(dtype: pd.CategoricalDtype) -> dict:
    # a value outside the categories is a KeyError, never a silent NA
    return {None: -1, **{c: i for i, c in enumerate(dtype.categories)}}


_CODES = {dtype: _codes(dtype) for cols in COLUMNS.values() for _, dtype in cols
          if isinstance(dtype, pd.CategoricalDtype)}
_NUMBERS = {"Int64": "q", "Float64": "d"}  # array typecodes


def _pack(values: tuple, dtype: object) -> tuple:
    """One column as pieces that concatenate: (codes) | (numbers, NA mask) | (texts)."""
    if isinstance(dtype, pd.CategoricalDtype):  # int8 codes: no key dimension has 128 labels
        return (array("b", map(_CODES[dtype].__getitem__, values)),)
    if dtype in _NUMBERS:
        return array(_NUMBERS[dtype], [0 if v is None else v for v in values]), bytearray(v is None for v in values)
    return (list(values),)


def _derived_codes(name: str) -> dict[tuple[int, int], tuple[int, ...]]:
    """(key code, key code) -> the codes of the table's :data:`DERIVED` columns."""
    dims = [(dict(COLUMNS[name])[k], _DIMENSION[k]) for k in KEYS[name]]
    (a_dtype, a_dim), (b_dtype, b_dim) = dims
    out = {}
    for i, a in enumerate(a_dtype.categories):
        for j, b in enumerate(b_dtype.categories):
            total = L.is_total(a_dim, a) or L.is_total(b_dim, b)
            codes = [int(total)]
            if "group" in DERIVED[name]:
                group = L.result_group(a)
                codes.append(-1 if group is None else GROUP.categories.get_loc(group))
            out[i, j] = tuple(codes)
    return out


_DERIVED_CODES = {name: _derived_codes(name) for name in DERIVED}

def _derive(name: str, a: array, b: array) -> list[array]:
    """The codes of the :data:`DERIVED` columns of a table from its two key columns' codes."""
    lookup, n = _DERIVED_CODES[name], len(DERIVED[name])
    rows = [lookup.get((i, j), (-1,) * n) for i, j in zip(a, b)]  # a key that is NA: NA
    return [array("b", (r[k] for r in rows)) for k in range(n)]


def _stored(name: str) -> tuple[tuple[str, object], ...]:
    """The columns of a table that its records hold (all but the :data:`DERIVED`)."""
    derived = DERIVED.get(name, ())
    return tuple(c for c in COLUMNS[name] if c[0] not in derived)


def pack(name: str, records: list[tuple]) -> tuple[tuple, ...]:
    """Records of one table as compact columns, in the column order of :data:`COLUMNS`.

    Records hold the stored columns (not the :data:`DERIVED`, which are added from the keys).
    A worker sends these rather than tuples, and a corpus grows by appending
    them (:class:`Columns`), so 100,000 reports are held as bytes, not objects.
    """
    stored = _stored(name)
    cols = list(zip(*records)) if records else [()] * len(stored)
    packed = {col: _pack(values, dtype) for (col, dtype), values in zip(stored, cols)}
    if name in DERIVED:
        a, b = (packed[k][0] for k in KEYS[name])
        packed.update({col: (codes,) for col, codes in zip(DERIVED[name], _derive(name, a, b))})
    return tuple(packed[col] for col, _ in COLUMNS[name])


class Columns:
    """One long table grown by appending packed records; compact until :meth:`arrays`.

    >>> c = Columns("appeals")
    >>> c.append(pack("appeals", [("review", "maintained", 3), ("review", "corrected", None)]))
    >>> c.arrays()["value"]
    <IntegerArray>
    [3, <NA>]
    Length: 2, dtype: Int64
    """

    def __init__(self, name: str):
        self.name = name
        self.pieces = [tuple(piece[:0] for piece in _pack((), dtype)) for _, dtype in COLUMNS[name]]
        self.rows = 0

    def append(self, packed: tuple[tuple, ...]) -> None:
        for pieces, new in zip(self.pieces, packed):
            for piece, more in zip(pieces, new):
                piece += more
        self.rows += len(packed[0][0]) if packed else 0

    def arrays(self) -> dict[str, pd.api.extensions.ExtensionArray]:
        """The columns with the dtypes of :data:`COLUMNS` (numbers and masks without a copy)."""
        out = {}
        for (col, dtype), pieces in zip(COLUMNS[self.name], self.pieces):
            if isinstance(dtype, pd.CategoricalDtype):
                out[col] = pd.Categorical.from_codes(np.frombuffer(pieces[0], np.int8), dtype=dtype)
            elif dtype in _NUMBERS:
                values, mask = np.frombuffer(pieces[0], pieces[0].typecode), np.frombuffer(pieces[1], bool)
                out[col] = (pd.arrays.IntegerArray if dtype == "Int64" else pd.arrays.FloatingArray)(values, mask)
            else:
                out[col] = pd.array(pieces[0], dtype=dtype)
        return out


def frame(name: str, records: list[tuple], extra: dict[str, object] | None = None) -> pd.DataFrame:
    """Build one long table from records in the column order of :data:`COLUMNS`.

    ``extra`` columns (already the right length) go first, e.g. a corpus's report_id.
    """
    columns = Columns(name)
    columns.append(pack(name, records))
    return pd.DataFrame({**(extra or {}), **columns.arrays()})


def wide(table: str, records: list[tuple], lang: str = "key", template: str | None = None) -> pd.DataFrame:
    """A table's records as printed (:mod:`gkdata.wide`): first key column down, second across, template order;
    ``lang="zh"`` labels them in Chinese."""
    if lang not in ("key", "zh"):
        raise ValueError(f"lang must be 'key' or 'zh', not {lang!r}")
    index, columns = KEYS[table]
    grid = printed(records)
    if lang == "zh":
        grid = grid.zh(template)
    return pd.DataFrame(grid.values, index=pd.Index(grid.rows, name=index), columns=pd.Index(grid.columns, name=columns),
                        dtype=dict(COLUMNS[table])["value"])


def plain(name: str, packed: tuple[tuple, ...]) -> list[list]:
    """Packed columns as plain data (bytes, lists of texts) for a data-only store: see :func:`unplain`."""
    return [[bytes(p) if isinstance(p, (array, bytearray)) else p for p in pieces] for pieces in packed]


def unplain(name: str, data: object) -> tuple[tuple, ...]:
    """:func:`pack`'s columns back from :func:`plain` data, checked piece by piece.

    Raises ValueError unless every column has the shape, type and length of the
    table's schema and every category code is one of its categories: data read
    back from a file must not become a wrong cell or a crash later on.

    >>> packed = pack("appeals", [("review", "maintained", 3)])
    >>> unplain("appeals", plain("appeals", packed)) == packed
    True
    >>> unplain("appeals", [[b"\\x7f"], [b"\\x00"], [b"", b""], [b"\\x00"]])
    Traceback (most recent call last):
    ValueError: appeals.proceeding: a category code out of range
    """
    columns = COLUMNS[name]
    if not isinstance(data, list) or len(data) != len(columns):
        raise ValueError(f"{name}: not {len(columns)} columns")
    out, rows = [], None
    for (col, dtype), pieces in zip(columns, data):
        where = f"{name}.{col}"
        if isinstance(dtype, pd.CategoricalDtype):
            codes = array("b", _bytes(pieces, 1, where)[0])
            if codes and not (-1 <= min(codes) and max(codes) < len(dtype.categories)):
                raise ValueError(f"{where}: a category code out of range")
            n, col_pieces = len(codes), (codes,)
        elif dtype in _NUMBERS:
            numbers, mask = _bytes(pieces, 2, where)
            n, width = len(mask), array(_NUMBERS[dtype]).itemsize
            if len(numbers) != n * width or any(b > 1 for b in mask):
                raise ValueError(f"{where}: numbers and NA mask do not match")
            col_pieces = (array(_NUMBERS[dtype], numbers), bytearray(mask))
        else:
            if not (isinstance(pieces, list) and len(pieces) == 1 and isinstance(pieces[0], list)
                    and all(v is None or isinstance(v, str) for v in pieces[0])):
                raise ValueError(f"{where}: not a list of texts")
            n, col_pieces = len(pieces[0]), (pieces[0],)
        if rows is not None and n != rows:
            raise ValueError(f"{name}: columns of different lengths")
        rows = n
        out.append(col_pieces)
    if name in DERIVED:  # they follow from the keys: any other value is a wrong cell
        at = {col: i for i, (col, _) in enumerate(columns)}
        a, b = (out[at[k]][0] for k in KEYS[name])
        if any(out[at[col]][0] != codes for col, codes in zip(DERIVED[name], _derive(name, a, b))):
            raise ValueError(f"{name}: a {'/'.join(DERIVED[name])} that does not follow from its keys")
    return tuple(out)


def _bytes(pieces: object, n: int, where: str) -> list[bytes]:
    if not (isinstance(pieces, list) and len(pieces) == n and all(isinstance(p, bytes) for p in pieces)):
        raise ValueError(f"{where}: not {n} byte strings")
    return pieces
