"""gkdata: 政府信息公开工作年度报告 as tidy, checked pandas tables.

>>> import gkdata
>>> r = gkdata.read_report("data/raw/004_8b07afbb35c54ec3.txt")
>>> r.findings["check"].tolist()[:2]
['balance', 'balance']
"""

from __future__ import annotations

import importlib

from . import labels
from .errors import ReportError
from .report import Report, ReportMeta, read_report

__version__ = "0.1.0"

__all__ = ["Corpus", "Report", "ReportError", "ReportMeta", "build", "labels", "load", "read_report",
           "read_reports", "to_excel"]

# name -> module, imported on first use, not with `import gkdata`: pandas comes with the first
# DataFrame, openpyxl with to_excel, pandera with build and load
_LAZY = {"Corpus": "corpus", "read_reports": "corpus", "to_excel": "excel", "build": "batch", "load": "store"}


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module 'gkdata' has no attribute {name!r}")
