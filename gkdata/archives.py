"""``.zip`` archives: each member an input of its own, named ``archive.zip/member``.

An archive is checked as a whole before any member is read
(:func:`gkdata.formats.zipcheck.check`): at most
:data:`~gkdata.limits.MAX_ZIP_MEMBERS` members, at most
:data:`~gkdata.limits.MAX_ARCHIVE` bytes declared together, no member over
1 MiB compressed past :data:`~gkdata.limits.MAX_ARCHIVE_RATIO` : 1, and no
deflated member inflating past the size it declares. A zip bomb, or an
archive zipfile cannot read (damaged, cut short), is one failed row for the
archive, its reason saying why; nothing of it is held in memory beyond one
member at a time.

Then each member is one row, in path order, as the files of the folder it
unpacks to would be (:func:`gkdata.corpus.find_inputs`): hidden members
(``.``-names, in any folder) and ``__MACOSX/`` are skipped, and so are
folders; a member in a format that is not read is an ``unsupported`` row, a
nested archive one saying to unpack it; a member over
:data:`~gkdata.limits.MAX_BYTES`, encrypted, compressed by a method other than
stored or deflated, or whose data fails its CRC check is a failed row of its
own. Member names are only names: one with ``..`` or a leading ``/`` is never
a path on this machine, and nothing is extracted to disk.

Names: a zip that does not flag its names as UTF-8 (bit 11) holds them in
the encoding of the machine that made it — GBK on a Chinese Windows — and
zipfile reads them as cp437; they are re-encoded and read as UTF-8, then
GB18030 (an Info-ZIP Unicode path field, where there is one, comes first).

>>> import io, zipfile
>>> buf = io.BytesIO()
>>> with zipfile.ZipFile(buf, "w") as z:
...     z.writestr("2020/report.txt", "一、总体情况")
...     z.writestr("2020/notes.md", "")
...     z.writestr("__MACOSX/2020/._report.txt", b"")
>>> [(m.name, m.reason) for m in members(buf.getvalue(), "raw.zip")]  # doctest: +NORMALIZE_WHITESPACE
[('raw.zip/2020/notes.md', 'not a report format gkdata reads (.md); it reads .txt, .pdf, .docx, .html, .htm,
   .shtml, .xhtml, .zip (its members), and .doc, .wps, .xls, .et with LibreOffice'), ('raw.zip/2020/report.txt', None)]
"""

from __future__ import annotations

import hashlib
import struct
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import PurePath, PurePosixPath
from typing import NamedTuple

from . import formats, limits
from .errors import ReportError
from .formats import zipcheck

_END = b"PK\x05\x06"  # the end of central directory record: the last thing in a zip, but for its comment
_OUTPUT = {"manifest.json", "reports.parquet"}  # a build's output folder holds both (gkdata.store.MANIFEST)
_METHODS = {zipfile.ZIP_BZIP2: "bzip2", zipfile.ZIP_LZMA: "LZMA", 9: "Deflate64", 93: "Zstandard", 95: "XZ",
            98: "PPMd", 99: "AES"}
_NESTED = "an archive inside an archive: unpack it, and give gkdata the folder (not read)"


class Member(NamedTuple):
    """One member of an archive, as an input."""

    name: str  # archive name + "/" + the member's name in it
    size: int  # its size uncompressed (as declared)
    data: bytes | None  # its bytes, None when they could not be read
    sha256: str | None
    reason: str | None = None  # why it is not read (see ``unsupported``) or could not be; None: parse it
    unsupported: bool = False  # a format that is not read (an unsupported row), not a failure


def hidden(parts: tuple[str, ...] | list[str]) -> bool:
    """Whether a path of these parts is no input: a hidden file or folder, or macOS's ``__MACOSX``
    (a member's ``..`` is only part of its name).

    >>> hidden(("2020", ".DS_Store")), hidden(("__MACOSX", "2020", "._r.docx")), hidden(("..", "r.txt"))
    (True, True, False)
    """
    return any((p.startswith(".") and p not in (".", "..")) or p == "__MACOSX" for p in parts)


def _unicode_path(info: zipfile.ZipInfo, raw: bytes) -> str | None:
    """The name in an Info-ZIP Unicode Path extra field (0x7075), if one is there for this very name."""
    extra, i = info.extra, 0
    while i + 4 <= len(extra):
        kind, size = struct.unpack_from("<HH", extra, i)
        body = extra[i + 4:i + 4 + size]
        ours = len(body) > 5 and body[0] == 1 and struct.unpack_from("<L", body, 1)[0] == zlib.crc32(raw)
        if kind == 0x7075 and ours:  # version 1, for a name of this CRC (not one renamed since)
            try:
                return body[5:].decode("utf-8")
            except UnicodeDecodeError:
                return None
        i += 4 + size
    return None


def member_name(info: zipfile.ZipInfo) -> str:
    """A member's name as its maker wrote it (see the module's note on GBK names); ``/`` between folders.

    >>> member_name(zipfile.ZipInfo("政府信息公开\\\\2020.txt".encode("gbk").decode("cp437")))
    '政府信息公开/2020.txt'
    """
    name = info.filename
    if not info.flag_bits & 0x800:
        try:
            raw = name.encode("cp437")
        except UnicodeEncodeError:  # not what zipfile decoded (a ZipInfo made by hand): keep it
            raw = None
        if raw is not None:
            name = _unicode_path(info, raw) or next(
                (s for enc in ("utf-8", "gb18030") if (s := _decoded(raw, enc)) is not None), name)
    return name.replace("\\", "/")  # a Windows tool's separator (zipfile converts it on Windows only)


def _decoded(raw: bytes, encoding: str) -> str | None:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError:
        return None


def _readable(info: zipfile.ZipInfo) -> str | None:
    """Why a member's bytes are not read, None if they are read."""
    if info.flag_bits & 1:
        return "the member is encrypted: unpack the archive with its password"
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        method = _METHODS.get(info.compress_type, f"method {info.compress_type}")
        return (f"the member is compressed with {method}, which gkdata does not inflate (only stored and deflated, "
                "whose output it can bound): unpack the archive")
    try:
        limits.check(info.file_size, "MAX_BYTES", "", "the member")
    except ReportError as e:
        return e.reason
    return None


def members(data: bytes, name: str) -> Iterator[Member]:
    """The members of the archive ``data`` (named ``name``), each read when the iterator reaches it.

    Raises :class:`ReportError` at once, before any member, for an archive that is not read as a
    whole: damaged, a zip bomb (see the module), or one that holds no file.
    """
    end = data.rfind(_END, max(0, len(data) - 2**16 - 22))  # zipfile would take any end record in the last 64 KiB
    if end < 0 or end + 22 > len(data) or end + 22 + struct.unpack_from("<H", data, end + 20)[0] != len(data):
        # cut short: zipfile may find a stored inner zip's end record and read it as this one
        raise ReportError(name, "not a readable .zip archive (its end record, after the list of its members, is "
                                "missing: the file was cut short, or is no zip)")
    try:
        infos = zipcheck.check(data, name, "the archive", "MAX_ARCHIVE", "MAX_ARCHIVE_RATIO",
                               lambda info: f"the member {member_name(info)!r}")
    except ReportError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, struct.error, zlib.error, EOFError, ValueError,
            NotImplementedError, OverflowError) as e:
        raise ReportError(name, f"not a readable .zip archive ({type(e).__name__}: {e})") from None
    entries = [(n, i) for i in infos if not i.is_dir() and not (n := member_name(i)).endswith("/")]
    entries = [(n, i) for n, i in entries if not hidden(PurePosixPath(n).parts)]
    folders: dict[PurePosixPath, set[str]] = {}
    for n, _ in entries:
        folders.setdefault(PurePosixPath(n).parent, set()).add(PurePosixPath(n).name)
    outputs = [f for f, files in folders.items() if _OUTPUT <= files]  # a build's output, as find_inputs skips
    entries = [(n, i) for n, i in entries if not any(PurePosixPath(n).is_relative_to(f) for f in outputs)]
    if not entries:
        raise ReportError(name, "the archive holds no files (hidden ones and __MACOSX/ aside)")
    entries.sort(key=lambda e: PurePosixPath(e[0]).parts)  # as find_inputs sorts a folder's files
    return _read(data, name, entries)


def _read(data: bytes, name: str, entries: list[tuple[str, zipfile.ZipInfo]]) -> Iterator[Member]:
    for inner, info in entries:
        full = f"{name}/{inner}"
        nested = PurePath(inner).suffix.lower() in formats.ARCHIVE_SUFFIXES + formats.OTHER_ARCHIVES
        reason = _NESTED if nested else formats.unsupported(inner)
        cannot = _readable(info)
        content, sha256 = None, None
        if cannot is None:
            try:  # at most its declared size, its CRC checked (zipcheck)
                content = zipcheck.inflate(data, info, name, "the member", "the archive")
                sha256 = hashlib.sha256(content).hexdigest()
            except ReportError as e:
                cannot = e.reason
            except (zlib.error, struct.error) as e:
                cannot = f"the member is damaged ({type(e).__name__}: {e})"
        if reason is not None:  # not read: the format is the reason given, as for a file
            yield Member(full, info.file_size, None, sha256, reason, unsupported=True)
        elif cannot is not None:
            yield Member(full, info.file_size, None, None, cannot)
        else:
            yield Member(full, info.file_size, content, sha256)
