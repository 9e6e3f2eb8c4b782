"""One file read, never raising: :func:`read_one` -> :class:`Outcome`, a report or the reason there is none.

What ``gkdata check`` reads each file with and a build parses each file with; it needs no
pandas, so checking one file starts fast.
"""

from __future__ import annotations

import hashlib
import os
import time
from dataclasses import dataclass

from .errors import ReportError
from .limits import read_regular
from .report import Report, read_report


@dataclass(frozen=True)
class Outcome:
    """What reading one file gave: a report, or the reason it failed."""

    path: str
    size: int
    seconds: float
    report: Report | None = None
    error: str | None = None
    sha256: str | None = None  # of the bytes read; None when the file could not be read


def read_one(source: str | os.PathLike | bytes, name: str | None = None) -> Outcome:
    """Read one file (a path, or its bytes and a ``name``); a bad file becomes a
    failed outcome with the reason, never an exception.

    >>> read_one(b"\\x00\\x01", name="scan.txt").error
    'the file is binary (it contains NUL bytes), not a text report'
    >>> read_one("data/raw/004_8b07afbb35c54ec3.txt").report.meta.region
    '阿里地区'
    """
    name = name or str(source)
    start = time.perf_counter()
    data, report, error = None, None, None
    try:
        data = source if isinstance(source, bytes) else read_regular(source, name)
        report = read_report(data, name=name)
    except ReportError as e:
        error = e.reason
    except Exception as e:  # a reader bug on one odd file must not stop a batch; the row says so
        error = f"unexpected {type(e).__name__} while reading ({e}); a gkdata bug, please report it with this file"
    return Outcome(name, 0 if data is None else len(data), time.perf_counter() - start, report, error,
                   None if data is None else hashlib.sha256(data).hexdigest())
