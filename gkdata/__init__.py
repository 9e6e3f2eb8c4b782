"""gkdata: 政府信息公开工作年度报告 as tidy, checked pandas tables.

>>> import gkdata
>>> r = gkdata.read_report("data/raw/004_8b07afbb35c54ec3.txt")
>>> r.findings["check"].tolist()[:2]
['balance', 'balance']
>>> gkdata.plots.style()["font.family"]
['Noto Sans SC']
>>> {"plots", "views", "read_reports", "to_excel", "trim"} <= set(dir(gkdata))
True
"""

from __future__ import annotations

import importlib

from . import labels
from .errors import ReportError
from .report import Report, ReportMeta, read_report

__version__ = "0.1.0"

__all__ = ["Corpus", "Report", "ReportError", "ReportMeta", "build", "labels", "load", "read_report",
           "read_reports", "to_excel", "trim", "excel", "plots", "synth", "views"]

# name -> module, imported on first use, not with `import gkdata`: pandas comes with the first
# DataFrame, openpyxl with to_excel, matplotlib with plots, pandera with build and load
_LAZY = {"Corpus": "corpus", "read_reports": "corpus", "to_excel": "excel", "build": "batch", "load": "store",
         "trim": "views"}
# the modules for users, each an attribute of gkdata (imported on first use)
_MODULES = ("corpus", "excel", "frames", "plots", "store", "synth", "views")


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    if name in _MODULES:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'gkdata' has no attribute {name!r}")


def __dir__() -> list[str]:
    """The public names (those imported on first use too), so completion and ``dir(gkdata)`` list them."""
    return sorted({*__all__, *_MODULES, "__version__"})
