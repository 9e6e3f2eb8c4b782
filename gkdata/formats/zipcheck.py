"""Zip checks shared by the ``.docx`` reader and ``.zip`` archives: nothing is inflated that a real file
would not hold.

Before zipfile lists a zip, its central directory entries are counted
(zipfile builds an object for each, :data:`~gkdata.limits.MAX_ZIP_MEMBERS`),
and the members' declared sizes together are held to a cap (:func:`listing`);
a member over 1 MiB may not be compressed past a ratio (:func:`check_ratio`);
a member is inflated at most one byte past the size it declares — more is a
lying size, which zipfile would only notice after inflating all of it — and
its CRC is checked (:func:`inflate`; :func:`inflated` counts without keeping
the bytes). Each refusal is a :class:`~gkdata.ReportError` naming the member and the cap.

>>> import io, zipfile
>>> buf = io.BytesIO()
>>> with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
...     z.writestr("big.txt", b" " * 3 * 2**20)
>>> check(buf.getvalue(), "a.zip", "the archive", "MAX_ARCHIVE", "MAX_ARCHIVE_RATIO")  # doctest: +ELLIPSIS
Traceback (most recent call last):
gkdata.errors.ReportError: a.zip: the member 'big.txt' is compressed 1,0...:1 (a zip bomb; over gkdata.limits.MAX_ARCHIVE_RATIO = 100:1)
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Callable

from .. import limits
from ..errors import ReportError

CENTRAL = b"PK\x01\x02"  # a central directory entry's signature: zipfile makes one ZipInfo per entry
LOCAL = b"PK\x03\x04"
RATIO_OVER = 2**20  # the ratio cap holds for members larger than this (a small file of spaces compresses well)


def listing(data: bytes, source: str, what: str, total: str) -> list[zipfile.ZipInfo]:
    """The members of a zip, counted before zipfile lists them, their declared sizes together held to the cap
    named ``total`` (a constant of :mod:`gkdata.limits`); ``what`` names the zip ("the package").
    zipfile's errors on a damaged zip are raised as they are."""
    limits.check(data.count(CENTRAL), "MAX_ZIP_MEMBERS", source, what, "members")
    infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    limits.check(sum(i.file_size for i in infos), total, source, f"{what} uncompressed")
    return infos


def check_ratio(info: zipfile.ZipInfo, source: str, part: str, cap: str) -> None:
    """Refuse a member over 1 MiB compressed more than the cap named ``cap`` : 1 (a zip bomb)."""
    limit = getattr(limits, cap)
    if info.file_size > RATIO_OVER and info.file_size > limit * info.compress_size:
        raise ReportError(source, f"{part} is compressed {info.file_size // max(info.compress_size, 1):,}:1"
                                  f" (a zip bomb; over gkdata.limits.{cap} = {limit}:1)")


def _start(data: bytes, info: zipfile.ZipInfo, source: str, part: str) -> int:
    at = info.header_offset
    if data[at:at + 4] != LOCAL:
        raise ReportError(source, f"{part} has no local header where the directory says")
    if info.flag_bits & 1:
        raise ReportError(source, f"{part} is encrypted")
    return at + 30 + sum(struct.unpack_from("<HH", data, at + 26))


def inflate(data: bytes, info: zipfile.ZipInfo, source: str, part: str, what: str) -> bytes:
    """A stored or deflated member's bytes, inflated at most one byte past its declared size (zipfile would
    inflate all of it into memory, then cut it at that size): more is a lying size; its CRC is checked as
    zipfile does. ``part`` names the member, ``what`` the zip, in messages."""
    start = _start(data, info, source, part)
    raw = memoryview(data)[start:start + info.compress_size]
    if info.compress_type == zipfile.ZIP_STORED:
        out = bytes(raw)
    else:
        out = zlib.decompressobj(-15).decompress(raw, info.file_size + 1)
        if len(out) > info.file_size:
            raise ReportError(source, f"{part} inflates to more than the {info.file_size:,} bytes it declares")
    if len(out) != info.file_size or zlib.crc32(out) != info.CRC:
        raise ReportError(source, f"{part} is damaged (its size or CRC is not the one {what} lists)")
    return out


def inflated(data: bytes, info: zipfile.ZipInfo) -> int:
    """How many bytes a deflated member inflates to, counted 1 MiB at a time and only up to one step
    past its declared size: :func:`inflate`'s check, for a zip checked whole before any member is kept."""
    start = info.header_offset + 30 + sum(struct.unpack_from("<HH", data, info.header_offset + 26))
    inflate_, rest, size = zlib.decompressobj(-15), memoryview(data)[start:start + info.compress_size], 0
    while True:
        out = inflate_.decompress(rest, 2**20)
        size, rest = size + len(out), inflate_.unconsumed_tail
        if size > info.file_size or not (out or rest):
            return size


def _member(info: zipfile.ZipInfo) -> str:
    return f"the member {info.filename!r}"


def check(data: bytes, source: str, what: str, total: str, ratio: str,
          part: Callable[[zipfile.ZipInfo], str] = _member) -> list[zipfile.ZipInfo]:
    """A zip checked whole before any member is read, as an archive is: :func:`listing`, then each member's
    :func:`check_ratio` (cap ``ratio``) and, for a deflated one, its inflated size (no lying size; an
    encrypted member is not inflated, it cannot be without its password). Raises :class:`ReportError` for
    the first one over a cap; zipfile's, ``struct``'s and zlib's errors on damaged data as they are."""
    infos = listing(data, source, what, total)
    for info in infos:
        name = part(info)
        check_ratio(info, source, name, ratio)
        if info.compress_type == zipfile.ZIP_DEFLATED and not info.flag_bits & 1 \
                and inflated(data, info) > info.file_size:
            raise ReportError(source, f"{name} inflates to more than the {info.file_size:,} bytes it declares")
    return infos
