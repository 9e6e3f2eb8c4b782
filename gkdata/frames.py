"""Records -> DataFrames with the project's dtypes: ordered categoricals for keys,
nullable Int64/Float64 for values. One place, so a report, a corpus and a
Parquet round trip all get the same columns.
"""

from __future__ import annotations

import pandas as pd

from . import labels as L
from .findings import SEVERITIES
from .narrative import PATTERNS


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

# table -> ((column, dtype), ...): the schema of every long table
COLUMNS: dict[str, tuple[tuple[str, object], ...]] = {
    "disclosure": (("item", ITEM), ("measure", MEASURE), ("value", "Float64"), ("unit", UNIT)),
    "applications": (("row", ROW), ("applicant", APPLICANT), ("value", "Int64")),
    "appeals": (("proceeding", PROCEEDING), ("outcome", OUTCOME), ("value", "Int64")),
    "narrative": (("key", NARRATIVE_KEY), ("value", "Int64"), ("unit", "string"), ("sentence", "string")),
    "findings": (("check", "string"), ("severity", SEVERITY), ("table", "string"), ("row", "string"),
                 ("column", "string"), ("expected", "Float64"), ("actual", "Float64"), ("message", "string")),
}
# The columns that say which cell a value is, per table (the first two of each).
KEYS = {name: tuple(c for c, _ in cols[:2]) for name, cols in COLUMNS.items() if name not in ("narrative", "findings")}


def frame(name: str, records: list[tuple], extra: dict[str, object] | None = None) -> pd.DataFrame:
    """Build one long table from records in the column order of :data:`COLUMNS`.

    ``extra`` columns (already the right length) go first, e.g. a corpus's report_id.
    """
    cols = list(zip(*records)) if records else [()] * len(COLUMNS[name])
    data = dict(extra or {})
    for (col, dtype), values in zip(COLUMNS[name], cols):
        data[col] = pd.array(list(values), dtype=dtype)
    return pd.DataFrame(data)


def wide(long: pd.DataFrame, table: str, lang: str = "key", template: str | None = None) -> pd.DataFrame:
    """A long table as printed: first key column down, second across, template order."""
    index, columns = KEYS[table]
    out = long.pivot(index=index, columns=columns, values="value")
    out = out.loc[long[index].unique(), long[columns].unique()]
    out.index = pd.Index(list(out.index), name=index)
    out.columns = pd.Index(list(out.columns), name=columns)
    if lang == "zh":
        out = out.rename(index=lambda k: L.zh(k, template), columns=lambda k: L.zh(k, template))
    elif lang != "key":
        raise ValueError(f"lang must be 'key' or 'zh', not {lang!r}")
    return out
