"""Hostile inputs at full size: each must end with a Report or a ReportError, within 15 s and 1 GiB.

The files are the ones measured on the unguarded reader (issue #15): an 18 KB
page of huge spans (3 GB), a 120 KB script (over a minute of CPU), a 3 MB
.docx inflating to 1 GB, a billion laughs, 100,000 PDF pages, a 300 KB PDF
page inflating to 300 MB, 2 KB of PDF forms drawing forms, a FIFO, a
symlink to /dev/zero, 50 MB of table cells, and the cases found while guarding
them. They are written to a temporary folder (never the repository) by the
builders in ``tests/test_hostile_inputs.py`` and each is read in a child held to
:data:`SECONDS` of wall time and :data:`MEMORY` of address space::

    python benchmarks/hostile.py                # every case
    python benchmarks/hostile.py docx-bomb fifo  # some

One line per case: outcome (Report, ReportError and its reason, or how it
failed), seconds, and the child's peak RSS. Exits 1 if any case ended
otherwise than with a Report or a ReportError within the limits.
"""

from __future__ import annotations

import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import test_hostile_inputs as H  # noqa: E402  (the builders)
from gkdata import limits  # noqa: E402

SECONDS = 15
MEMORY = H.MEMORY  # 1 GiB of address space


class Case(NamedTuple):
    name: str
    file: str  # the file's name (its suffix tells the format)
    write: Callable[[Path], None]  # makes the file at this path


def _data(build: Callable[[], bytes]) -> Callable[[Path], None]:
    return lambda path: path.write_bytes(build())


def _sparse(size: int) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        with open(path, "wb") as f:
            f.truncate(size)
    return write


def _word_cells(size: int) -> bytes:
    """A .docx whose document.xml (under ``size`` bytes) is tables of one-number cells: numbers vary, so it
    compresses as real XML does and passes the ratio check; a table (1000 rows) is under the grid cap."""
    rng = random.Random(0)
    rows: list[bytes] = []
    total = 2**12  # the document's head and tail, the tables' tags
    while True:
        row = ("<w:tr>" + "".join(f"<w:tc><w:p><w:r><w:t>{rng.randrange(10**6)}</w:t></w:r></w:p></w:tc>"
                                  for _ in range(10)) + "</w:tr>").encode()
        if total + len(row) > size:
            break
        rows.append(row)
        total += len(row)
    head, tail = H.document_xml("").split(b"</w:body>")
    tables = (b"<w:tbl>" + b"".join(rows[i:i + 1000]) + b"</w:tbl>" for i in range(0, len(rows), 1000))
    return H.docx_package([head, *tables, b"</w:body>" + tail])


def _prose_page(size: int) -> bytes:
    """An HTML page of ``size`` bytes of one paragraph, a line break after each character: the most white space
    to collapse, each run between two Chinese characters (looked at one by one)."""
    return b"<html><body><p>" + "规\n".encode() * ((size - 40) // 4) + b"</p></body></html>"


def _ruled_grid(n: int) -> bytes:
    """A PDF page ruled into n × n cells of 10 pt, a character in each: pdfplumber's table finder is
    quadratic in the ruling's crossings (the time budget is checked between pages, not inside one)."""
    size = 10 * n
    lines = b"".join(b"0 %d m %d %d l %d 0 m %d %d l " % (10 * i, size, 10 * i, 10 * i, 10 * i, size) for i in range(n + 1))
    text = b"".join(b"1 0 0 1 %d %d Tm (x) Tj " % (10 * c + 3, 10 * r + 3) for r in range(n) for c in range(n))
    content = lines + b"S BT /F1 3 Tf " + text + b"ET"
    stream = b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content)
    return H.pdf_file([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Count 1 /Kids [5 0 R] >>", stream,
                       H.SHARED[1], H.page(b"/MediaBox [0 0 %d %d]" % (size, size))])


GB = 2**30
CASES = [
    Case("html-spans", "spans.html", _data(H.span_page)),
    Case("html-backticks", "script.html", _data(H.backtick_page)),
    Case("html-tags-at-cap", "tags.html", _data(lambda: b"<html><body>" + (
        b"<table><tr><td>1</td><td>2</td></tr></table>" * (limits.MAX_HTML_TAGS // 10 - 1)) + b"</body></html>")),
    Case("html-text-at-cap", "prose.html", _data(lambda: _prose_page(limits.MAX_HTML_BYTES))),
    Case("docx-bomb", "bomb.docx", _data(lambda: H.docx_package(H.paragraphs(GB)))),
    Case("docx-lying-size", "lying.docx", _data(lambda: H.declare(H.docx_package(H.paragraphs(GB)),
                                                                    "word/document.xml", 4096))),
    Case("docx-laughs", "laughs.docx", _data(lambda: H.docx_package([H.laughs()]))),
    Case("docx-cells-at-cap", "cells.docx", _data(lambda: _word_cells(limits.MAX_XML_PART))),
    Case("zip-members", "members.docx", _data(lambda: H.many_members(1_300_000))),
    Case("pdf-pages", "pages.pdf", _data(lambda: H.many_pages(100_000))),
    Case("pdf-pages-count-lies", "lies.pdf", _data(lambda: H.many_pages(100_000, count=5))),
    Case("pdf-deep-tree", "deep.pdf", _data(lambda: H.deep_tree(50_000))),
    Case("pdf-30000-chars", "line.pdf", _data(lambda: H.one_line(30_000))),
    Case("pdf-ruled-grid-100", "grid.pdf", _data(lambda: _ruled_grid(100))),
    Case("pdf-inflates-300mb", "inflates.pdf", _data(lambda: H.content_bomb(300))),
    Case("pdf-3m-text-objects", "objects.pdf", _data(lambda: H.content_bomb(100, b"BT /F1 1 Tf 1 1 Td (x) Tj ET\n"))),
    Case("pdf-nested-forms", "forms.pdf", _data(lambda: H.nested_forms(7, 10))),
    Case("pdf-text-over-itself", "over.pdf", _data(lambda: H.nested_forms(2, 300))),
    Case("fifo", "x.txt", os.mkfifo),
    Case("dev-zero", "zero.txt", lambda path: path.symlink_to("/dev/zero")),
    Case("file-over-cap", "big.txt", _sparse(limits.MAX_BYTES + 1)),
    Case("text-cells-50mb", "cells.txt", _data(lambda: H.table_text(50 * 2**20))),
    Case("text-cells-at-cap", "cells-at-cap.txt", _data(lambda: H.table_text(int(limits.MAX_CHARS * 1.6)))),
]


def _limit() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def run(case: Case, folder: Path) -> tuple[bool, str, float, float]:
    """(ended well, outcome, seconds, peak RSS in MB) of reading the case's file in a limited child.

    The peak is the child's own (VmHWM, since its exec); for a child that did not end well, wait4's
    ru_maxrss, which also counts the RSS it was forked with."""
    path = folder / case.file
    case.write(path)
    with open(folder / f"{case.name}.out", "w+") as log:
        start = time.monotonic()
        proc = subprocess.Popen([sys.executable, "-c", H.CHILD, str(path)], stdout=log, stderr=log,
                                preexec_fn=_limit)
        timer = threading.Timer(SECONDS, proc.kill)
        timer.start()
        _, status, usage = os.wait4(proc.pid, 0)  # this child's rusage (RUSAGE_CHILDREN: the maximum of all)
        proc.returncode = os.waitstatus_to_exitcode(status)
        timer.cancel()
        seconds = time.monotonic() - start
        log.seek(0)
        lines = log.read().strip().splitlines()
    path.unlink()
    if proc.returncode == -9 and seconds >= SECONDS:
        return False, f"killed after {SECONDS} s", seconds, usage.ru_maxrss / 1024
    if proc.returncode != 0:
        return False, f"failed (exit {proc.returncode}): {lines[-1] if lines else ''}", seconds, usage.ru_maxrss / 1024
    kind, reason, _, peak = json.loads(lines[-1])
    return True, f"{kind}: {reason}", seconds, peak / 1024


# A build of every hostile file at once with two workers, then a rebuild from a cache whose every entry was
# replaced by a pickle that would create a file if it were unpickled. (That no worker outlives a killed build,
# and that a second build into the same OUT stops, tests/test_build_safety.py shows.)
BUILD = """
import json, pickle, sqlite3, sys
from pathlib import Path
import gkdata
from gkdata import batch

raw, out = map(Path, sys.argv[1:])
built = gkdata.build(raw, out, jobs=2, timeout=%(seconds)d)
marker = out.parent / "cache-ran-code"
class RunsCode:
    def __reduce__(self):
        return Path.touch, (marker,)
with sqlite3.connect(out / ".cache" / f"v{batch.PARSER_VERSION}.sqlite") as db:
    db.execute("UPDATE results SET result = ?", (pickle.dumps(RunsCode()),))
again = gkdata.build(raw, out, jobs=2, timeout=%(seconds)d)
r = again.corpus.reports
print(json.dumps({"rows": len(r), "status": {k: int(v) for k, v in r["status"].value_counts().items()},
                  "from_cache": again.from_cache, "cache_ran_code": marker.exists()}))
""" % {"seconds": SECONDS}


def build_all(folder: Path) -> tuple[bool, str, float, float]:
    """Every case's file in one RAW, built: each must get a row; the tampered cache must run nothing;
    the CSV copies must hold no formula-looking text."""
    import csv
    import re

    raw, out = folder / "raw", folder / "out"
    raw.mkdir()
    for case in CASES:
        case.write(raw / f"{case.name}-{case.file}")
    (raw / "=HYPERLINK(1).txt").write_bytes(H.SEEDS["003"].read_bytes())
    start = time.monotonic()
    # not held to MEMORY: its workers are (each read is, above); Arrow reserves address space it never uses
    proc = subprocess.run([sys.executable, "-c", BUILD, str(raw), str(out)], capture_output=True, text=True,
                          timeout=len(CASES) * SECONDS * 2)
    seconds = time.monotonic() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    if proc.returncode != 0:
        return False, f"failed (exit {proc.returncode}): {proc.stderr.strip().splitlines()[-1:]}", seconds, peak
    got = json.loads(proc.stdout.strip().splitlines()[-1])
    risky = []
    for table in out.glob("*.csv"):
        with open(table, encoding="utf-8-sig", newline="") as f:
            risky += [c for row in csv.reader(f) for c in row
                      if re.match(r"[=+\-@\t\r]", c) and not re.fullmatch(r"-?\d+(\.\d+)?", c)]
    files = len(CASES) + 1
    ok = got["rows"] == files and not got["cache_ran_code"] and not risky
    return ok, f"{got} (files {files}; formula-looking CSV cells: {len(risky)})", seconds, peak


def main(names: list[str]) -> int:
    cases = [c for c in CASES if not names or c.name in names]
    failed = 0
    with tempfile.TemporaryDirectory(prefix="gkdata-hostile-") as tmp:
        for case in cases:
            ok, outcome, seconds, rss = run(case, Path(tmp))
            failed += not ok
            print(f"{case.name:22} {seconds:6.2f} s {rss:7.0f} MB  {'' if ok else 'FAILED '}{outcome}", flush=True)
        print(f"{len(cases) - failed} of {len(cases)} ended with a Report or a ReportError within {SECONDS} s and "
              f"{MEMORY // 2**20} MiB")
        if not names or "build" in names:
            ok, outcome, seconds, rss = build_all(Path(tmp))
            failed += not ok
            print(f"{'build-all-then-tampered-cache':22} {seconds:6.2f} s {rss:7.0f} MB  "
                  f"{'' if ok else 'FAILED '}{outcome}", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
