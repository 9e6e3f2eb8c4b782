"""A table as printed, from a report's records: rows × columns in template order, without pandas.

:meth:`gkdata.Report.wide` makes a DataFrame of it; ``gkdata show`` prints it as it is, so
showing one report needs no pandas.
"""

from __future__ import annotations

from typing import NamedTuple

from . import labels as L


class Wide(NamedTuple):
    """A table's cells by row and column; a cell the records do not hold is None (NA)."""

    rows: list[str]  # keys of the first key column, in the order the records first give them
    columns: list[str]  # keys of the second, likewise
    values: list[list[float | int | None]]  # one list per row, a value per column

    def zh(self, template: str | None) -> Wide:
        """The same table labelled in Chinese, as in the report."""
        return self._replace(rows=[L.zh(k, template) for k in self.rows],
                             columns=[L.zh(k, template) for k in self.columns])


def wide(records: list[tuple]) -> Wide:
    """Records ``(row key, column key, value, …)`` as printed: first key down, second across.

    >>> w = wide([("review", "maintained", 3), ("review", "total", None), ("litigation_direct", "maintained", 1)])
    >>> w.rows, w.columns, w.values
    (['review', 'litigation_direct'], ['maintained', 'total'], [[3, None], [1, None]])
    >>> w.zh(None).rows
    ['行政复议', '未经复议直接起诉']
    """
    rows: dict[str, dict[str, float | int | None]] = {}
    columns: dict[str, None] = {}
    for row, column, value, *_ in records:
        rows.setdefault(row, {})[column] = value
        columns[column] = None
    return Wide(list(rows), list(columns), [[cells.get(c) for c in columns] for cells in rows.values()])
