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
MAX_HTML_BYTES = 8 * 2**20  # an HTML page: a Word-saved report is 0.5–3 MB, and its walk takes up to ~0.5 s a MB
MAX_HTML_TAGS = 200_000  # tags in a page ("<"), scripts' embedded markup included: a Word-saved report has ~50,000
MAX_ZIP_MEMBERS = 10_000  # members of a zip (a .docx, an archive): zipfile builds an object per member before any
# check; Word writes ~20 parts, and an archive of a province's reports holds hundreds
MAX_PACKAGE = 128 * 2**20  # a .docx's members together, uncompressed (as declared; only the parts read are
# inflated, each held to MAX_XML_PART and to its declared size): Word's packages with photos are ~20 MB
MAX_XML_PART = 8 * 2**20  # one XML part of a .docx, uncompressed: a real document.xml is 0.1–5 MB; ~0.3 s a MB
MAX_XML_RATIO = 100  # compression ratio of an XML part over 1 MiB: Word's XML compresses 5–15:1, a zip bomb 1000:1
MAX_ARCHIVE = 2**30  # a .zip's members together, uncompressed: each is checked, then read, one at a time (~3 s a GiB)
MAX_ARCHIVE_RATIO = 100  # compression ratio of an archive's member over 1 MiB: reports compress 2–15:1, a bomb 1000:1
CONVERT_SECONDS = 30.0  # LibreOffice converting one .doc/.wps/.xls/.et: ~1–3 s (its start); within a build's 60 s
MAX_PDF_PAGES = 1000  # pages of a PDF, counted before any is parsed: real reports are under ~100
PDF_SECONDS = 10.0  # PDF reading, checked between pages: ~7 ms a page (pdfium), a 100-page report ~1 s; reports have 5–30
# What pdfium may build, measured from the file before a page is loaded (gkdata/formats/pdf_streams.py): it
# inflates a page's streams whole and makes ~350 bytes an object drawn (2 KB of nested forms made 490 MB)
MAX_PDF_STREAM = 32 * 2**20  # one stream, decoded: a page's content is 10 KB–1 MB, an embedded CJK font up to ~20 MB
MAX_PDF_DECODED = 256 * 2**20  # all the file's streams but images, decoded (~1 s to inflate and count)
MAX_PDF_OBJECTS = 500_000  # objects its content could make (operator letters, over-counted ~2x; forms where drawn):
# ~200 MB and ~3 s in pdfium at the cap; a 30-page report counts ~20,000
MAX_PDF_PAGE_TEXTS = 20_000  # text objects of one page, counted (forms walked) after it loads, before its text is read:
# pdfium's text extraction is quadratic in text drawn over itself (20,000: ~3 s); a dense page has ~3,000

_KINDS = ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
          (stat.S_ISDIR, "a directory"), (stat.S_ISSOCK, "a socket"))


def check(size: int, cap: str, source: str, what: str, unit: str = "bytes", stopped: bool = False) -> None:
    """Raise :class:`ReportError` when ``size`` is over the cap named ``cap`` (a constant here).

    >>> check(70_000_000, "MAX_BYTES", "x.pdf", "the file")
    Traceback (most recent call last):
    gkdata.errors.ReportError: x.pdf: the file: 70,000,000 bytes, over the cap of 67,108,864 bytes (gkdata.limits.MAX_BYTES)

    ``stopped``: ``size`` is where a read or a count stopped, past the cap; the message says only "over the cap".
    """
    limit = globals()[cap]
    if size > limit:
        shown = "" if stopped else f"{size:,} {unit}, "
        raise ReportError(source, f"{what}: {shown}over the cap of {limit:,} {unit} (gkdata.limits.{cap})")


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
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            kind = next((kind for test, kind in _KINDS if test(st.st_mode)), "of an unknown kind")
            raise ReportError(name, f"not a regular file ({kind})")
        check(st.st_size, "MAX_BYTES", name, "the file")
        with open(fd, "rb", closefd=False) as f:
            data = f.read(MAX_BYTES + 1)
    except OSError as e:
        raise ReportError(name, f"cannot read the file ({e.strerror or e})") from e
    finally:
        os.close(fd)
    check(len(data), "MAX_BYTES", name, "the file", stopped=True)
    return data
