"""Word 97 ``.doc``, WPS ``.wps``, Excel 97 ``.xls`` and WPS ``.et``: converted by LibreOffice, then read
as their modern forms.

When ``soffice`` is on PATH, each file is converted in a temporary folder of
its own (``soffice --headless --convert-to …``): a document to ``.docx``, read
by the Word reader (merged cells as they are, which the docx reader reads
exactly), a workbook to HTML, read by the HTML reader (LibreOffice Calc's
HTML export writes each sheet as a ``<table>`` with its merged cells as
``rowspan``/``colspan`` and every number as the sheet shows it; gkdata has no
workbook reader, and an ``.xlsx`` would need one). Each conversion has a
LibreOffice profile of its own (``-env:UserInstallation``), so parallel
workers never share one (a shared profile makes a second instance hand its
work to the first, or fail), and runs in a process group of its own under
:data:`~gkdata.limits.CONVERT_SECONDS`: over it, the whole group is killed
(``soffice`` starts ``oosplash``, which starts ``soffice.bin``). Where
``timeout`` (coreutils) and ``prlimit`` (util-linux) are found, the group
is also killed if this process dies first, and no file it writes may grow
past twice :data:`~gkdata.limits.MAX_BYTES`, 128 MiB (a guard for the disk). The
converted file is held to the same limits as one given directly (its size,
then the reader's own caps).

Without ``soffice`` such a file is not read: :func:`missing` says how to
convert it, for :func:`gkdata.formats.unsupported` (an ``unsupported`` row)
and for :func:`gkdata.read_report` (a :class:`~gkdata.ReportError`) alike.
"""

from __future__ import annotations

import os
import shutil
import signal
from pathlib import Path
from typing import TYPE_CHECKING

from .. import limits
from ..errors import ReportError

if TYPE_CHECKING:
    import subprocess

# suffix -> (what it is, the modern form LibreOffice writes, the format that reads that form)
KINDS = {
    ".doc": ("a Word 97 .doc file", "docx", "docx"),
    ".wps": ("a WPS Writer .wps file", "docx", "docx"),
    ".xls": ("an Excel 97 .xls workbook", "html", "html"),
    ".et": ("a WPS Spreadsheets .et workbook", "html", "html"),
}
DOCUMENTS = (".doc", ".wps")  # read as .docx (the registry's "doc" format)
WORKBOOKS = (".xls", ".et")  # read as HTML (the registry's "xls" format)
INSTALL = ("apt-get install libreoffice-writer-nogui libreoffice-calc-nogui, brew install --cask libreoffice, "
           "or https://www.libreoffice.org")


def soffice() -> str | None:
    """LibreOffice's ``soffice`` on PATH (looked up at each call: PATH may change), or None."""
    return shutil.which("soffice")


def missing(name: str) -> str | None:
    """Why a file of this name cannot be read here (LibreOffice is not installed), None if it can.

    >>> missing("r.docx") is None
    True
    >>> import os; path = os.environ["PATH"]; os.environ["PATH"] = ""
    >>> print(missing("2020/报告.doc"))
    a Word 97 .doc file: gkdata reads it with LibreOffice, which is not installed (no soffice on PATH): install it (apt-get install libreoffice-writer-nogui libreoffice-calc-nogui, brew install --cask libreoffice, or https://www.libreoffice.org), or save the file as .docx
    >>> os.environ["PATH"] = path
    """
    kind = KINDS.get(suffix(name))
    if kind is None or soffice():
        return None
    modern = ".docx" if kind[1] == "docx" else ".html (a web page), or copy its tables into a .docx"
    return (f"{kind[0]}: gkdata reads it with LibreOffice, which is not installed (no soffice on PATH): "
            f"install it ({INSTALL}), or save the file as {modern}")


def _guards(seconds: float) -> list[str]:
    """Commands to run ``soffice`` under: a file size limit, and a time limit that holds even if the
    process that started it dies (a build's worker stopped over its own time limit)."""
    out = []
    if prlimit := shutil.which("prlimit"):
        # a guard for the disk (LibreOffice aborts at the limit); what it writes is held to MAX_BYTES after
        out += [prlimit, f"--fsize={max(2 * limits.MAX_BYTES, 2**27)}", "--"]
    if timeout := shutil.which("timeout"):
        out += [timeout, "-s", "KILL", f"{seconds + 5:g}"]
    return out


def _kill(proc: subprocess.Popen) -> None:
    """Kill the process group ``proc`` leads (LibreOffice's processes), and reap ``proc``."""
    try:
        if hasattr(os, "killpg"):
            os.killpg(proc.pid, signal.SIGKILL)
        else:  # Windows: no process groups
            proc.kill()
    except (ProcessLookupError, PermissionError):
        pass
    proc.wait()


def to_modern(data: bytes, source: str) -> tuple[bytes, str]:
    """The file converted by LibreOffice: (the bytes of its modern form, that form's format name).

    Raises :class:`ReportError` when LibreOffice is missing, runs over
    :data:`~gkdata.limits.CONVERT_SECONDS`, or writes nothing (a damaged file), and when what it
    writes is over :data:`~gkdata.limits.MAX_BYTES`.
    """
    import subprocess  # here: a report that needs no LibreOffice starts without them
    import tempfile

    ext = suffix(source)
    what, target, reader = KINDS[ext]
    if (why := missing(source)) is not None:
        raise ReportError(source, why)
    seconds = limits.CONVERT_SECONDS
    with tempfile.TemporaryDirectory(prefix="gkdata-soffice-") as tmp:
        folder = Path(tmp)
        src = folder / f"input{ext}"  # never the user's name: it is only a name
        src.write_bytes(data)
        command = [*_guards(seconds), soffice() or "soffice", "--headless", "--norestore", "--nologo",
                   "--nodefault", "--nolockcheck", f"-env:UserInstallation={(folder / 'profile').as_uri()}",
                   "--convert-to", target, "--outdir", str(folder / "out"), str(src)]
        env = {**os.environ, "TMPDIR": tmp, "HOME": tmp, "SAL_USE_VCLPLUGIN": "svp"}
        with open(folder / "log", "wb") as log:
            try:
                proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                        cwd=tmp, env=env, start_new_session=True)
            except OSError as e:
                raise ReportError(source, f"{what}: LibreOffice could not be started ({e})") from e
            try:
                code = proc.wait(seconds)
            except subprocess.TimeoutExpired:
                _kill(proc)
                raise ReportError(source, f"{what}: LibreOffice took longer than {seconds:g} s to convert it "
                                          "(gkdata.limits.CONVERT_SECONDS); stopped") from None
            except BaseException:
                _kill(proc)
                raise
            _kill(proc)  # whatever it left running (the group is gone once soffice.bin exits)
        out = folder / "out" / f"input.{target}"
        if not out.is_file():
            with open(folder / "log", "rb") as log:  # its last words
                log.seek(max(0, log.seek(0, os.SEEK_END) - 600))
                said = log.read().decode("utf-8", errors="replace").strip()
            said = " ".join(line for line in said.splitlines() if "javaldx" not in line)
            how = f"exit code {code}" if code >= 0 else f"stopped by signal {_signal(-code)}"
            raise ReportError(source, f"{what}: LibreOffice could not convert it to .{target} ({how}"
                                      f"{': ' + said if said else ''}); is it damaged?")
        limits.check(out.stat().st_size, "MAX_BYTES", source, f"the .{target} LibreOffice made of it")
        return limits.read_regular(out, source), reader


def _signal(code: int) -> str:
    try:
        return signal.Signals(code).name
    except ValueError:
        return str(code)


def read(data: bytes, source: str) -> tuple[list, str]:
    """The blocks of the file's modern form, read by that form's reader; its encoding."""
    from . import docx, html

    modern, reader = to_modern(data, source)
    try:
        return (docx if reader == "docx" else html).read(modern, source)
    except ReportError as e:
        raise ReportError(source, f"the .{reader} LibreOffice made of it: {e.reason}") from e


def _sniff(suffixes: tuple[str, ...]):
    return lambda data, source: source.lower().endswith(suffixes)  # by name only: unsupported() decides alike


from . import Converter, suffix  # noqa: E402  (formats imports this module after defining them)

DOC = Converter(_sniff(DOCUMENTS), read, DOCUMENTS)
XLS = Converter(_sniff(WORKBOOKS), read, WORKBOOKS)
