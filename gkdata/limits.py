"""Caps on what one input may cost, so every read ends in seconds with a Report or a ReportError.

Each cap is several times what the largest real report needs, and small
enough that reading up to it stays within a few seconds and a few hundred MB
(measured: reading text takes ~4 s and ~170 MB per million characters of
table rows; lxml holds ~300 bytes per HTML element). An input over a cap
raises :class:`~gkdata.ReportError` naming its size and the cap, before the
work it would cost is done.
"""

from __future__ import annotations

import os
import stat

from .errors import ReportError

MAX_BYTES = 64 * 2**20  # any input file: the largest real reports (a PDF with photos) are ~20 MB
MAX_CHARS = 1_000_000  # converted text: real reports are 10k–200k characters, and reading takes ~4 s a million
MAX_GRID_CELLS = 100_000  # grid slots one table's cells cover: a real table has under ~2,000
MAX_HTML_TAGS = 200_000  # tags in a page ("<"), scripts' embedded markup included: a Word-saved report has ~50,000
MAX_ZIP_MEMBERS = 10_000  # members of a .docx: zipfile builds an object per member before any check; Word writes ~20
MAX_PACKAGE = 128 * 2**20  # a .docx's members together, uncompressed: python-docx holds all of them in memory
MAX_XML_PART = 16 * 2**20  # one XML part of a .docx, uncompressed: a real document.xml is 0.1–5 MB
MAX_XML_RATIO = 100  # compression ratio of an XML part over 1 MiB: Word's XML compresses 5–15:1, a zip bomb 1000:1
MAX_PDF_PAGES = 1000  # pages of a PDF, counted before any is parsed: real reports are under ~100
PDF_SECONDS = 20.0  # PDF parse time, checked between pages: pdfplumber takes ~0.3 s a page, so ~60 dense pages

_KINDS = ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
          (stat.S_ISDIR, "a directory"), (stat.S_ISSOCK, "a socket"))


def check(size: int, cap: str, source: str, what: str, unit: str = "bytes") -> None:
    """Raise :class:`ReportError` when ``size`` is over the cap named ``cap`` (a constant here), saying
    "<what> is <size> <unit>, over the cap of …"; a ``size`` of cap + 1 is one read only up to there."""
    limit = globals()[cap]
    if size > limit:
        shown = "" if size == limit + 1 else f"{size:,} {unit}, "
        raise ReportError(source, f"{what} is {shown}over the cap of {limit:,} {unit} (gkdata.limits.{cap})")


def read_regular(path: str | os.PathLike, name: str) -> bytes:
    """The bytes of a regular file, at most :data:`MAX_BYTES` of them.

    Opened non-blocking, so a FIFO never blocks, and checked with ``fstat`` on
    the open file: a FIFO, a device (a symlink to ``/dev/zero``), a directory
    or a socket raises :class:`ReportError` naming what it is, and so does a
    file over the cap, which is never read whole (a file growing while read
    stops at MAX_BYTES + 1).
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as e:
        raise ReportError(name, f"cannot read the file ({e.strerror or e})") from e
    with open(fd, "rb") as f:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            kind = next((kind for test, kind in _KINDS if test(st.st_mode)), "of an unknown kind")
            raise ReportError(name, f"not a regular file ({kind})")
        check(st.st_size, "MAX_BYTES", name, "the file")
        try:
            data = f.read(MAX_BYTES + 1)
        except OSError as e:
            raise ReportError(name, f"cannot read the file ({e.strerror or e})") from e
    check(len(data), "MAX_BYTES", name, "the file")
    return data
