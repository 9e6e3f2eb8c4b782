"""gkdata: 政府信息公开工作年度报告 as tidy, checked pandas tables.

>>> import gkdata
>>> r = gkdata.read_report("data/raw/004_8b07afbb35c54ec3.txt")
>>> r.findings["check"].tolist()[:2]
['balance', 'balance']
"""

from __future__ import annotations

from . import labels
from .corpus import Corpus, read_reports
from .errors import ReportError
from .report import Report, ReportMeta, read_report

__version__ = "0.1.0"

__all__ = ["Corpus", "Report", "ReportError", "ReportMeta", "labels", "read_report", "read_reports"]
