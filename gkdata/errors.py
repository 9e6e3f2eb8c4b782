"""The one exception gkdata raises for input that is not a readable report."""

from __future__ import annotations


class ReportError(ValueError):
    """A file is not a readable 政府信息公开工作年度报告.

    The message names the file and the reason, e.g.
    ``ReportError: data/raw/x.txt: the file is empty``.
    """

    def __init__(self, source: str, reason: str):
        self.source = source
        self.reason = reason
        super().__init__(f"{source}: {reason}")

    def __reduce__(self):  # keep it picklable for process pools
        return (type(self), (self.source, self.reason))


class BuildError(RuntimeError):
    """A build cannot be done as asked (another build is writing the same OUT, the disk is full);
    the message says why, and OUT is as it was before the build."""
