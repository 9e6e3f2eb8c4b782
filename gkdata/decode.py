"""Bytes -> text: encoding, BOM, line endings and Word debris."""

from __future__ import annotations

import codecs
import re

from .errors import ReportError

_BOOKMARK = re.compile(r"\[bookmark:[^\]]*\]")
# Control characters that never occur in a text report (TAB, LF, CR are fine).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
# GB2312 and GBK are subsets of GB18030: decoding with the superset loses nothing.
_SUPERSET = {"gb2312": "gb18030", "gbk": "gb18030", "hz": "gb18030"}


def _codec(name: str | None) -> str | None:
    """Python's name of an encoding label (``GB2312`` -> ``gb18030``), or None if unknown."""
    try:
        codec = codecs.lookup(name.strip()).name if name else None
    except LookupError:
        return None
    return _SUPERSET.get(codec, codec)


def _try(data: bytes, encoding: str | None) -> str | None:
    try:
        return data.decode(encoding) if encoding else None
    except (UnicodeDecodeError, LookupError):
        return None


def _detect(data: bytes, source: str, declared: str | None) -> tuple[str, str]:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            if (text := _try(data, encoding)) is None:
                raise ReportError(source, f"the file starts with a {encoding} byte-order mark but is not {encoding}")
            return text, "utf-8" if encoding == "utf-8-sig" else encoding
    if b"\x00" in data[:4096]:
        raise ReportError(source, "the file is binary (it contains NUL bytes), not a text report")
    # UTF-8 first: it is the common case, and Chinese text in GBK is practically never valid UTF-8,
    # so a page that declares GBK but is UTF-8 is still read right.
    for encoding in ("utf-8", _codec(declared)):
        if (text := _try(data, encoding)) is not None:
            return text, encoding
    from charset_normalizer import from_bytes  # only for the rare non-UTF-8 file

    best = from_bytes(data).best()
    encoding = _codec(best.encoding if best else None)
    if (text := _try(data, encoding)) is None:
        raise ReportError(source, "the text is in no encoding that could be recognised (not UTF-8, GB18030, …)")
    return text, encoding


def decode(data: bytes, source: str, declared: str | None = None) -> tuple[str, str]:
    """Return ``(text, encoding)``.

    A byte-order mark decides (UTF-8, UTF-16, UTF-32); else UTF-8; else the
    encoding the document declares (an HTML ``<meta charset>``); else the one
    charset-normalizer detects (GBK text is read as GB18030, its superset).
    Line endings become ``\\n`` and ``[bookmark: …]`` debris from Word exports
    is removed. Raises :class:`ReportError` for an empty or binary file.

    >>> decode("一、总体情况".encode("gbk") * 20, "x.txt")[1]
    'gb18030'
    >>> decode(b"\\xef\\xbb\\xbf" + "规章".encode(), "x.txt")
    ('规章', 'utf-8')
    """
    if not data.strip():
        raise ReportError(source, "the file is empty")
    text, encoding = _detect(data, source, declared)
    sample = text[:4096]
    if len(_CONTROL.findall(sample)) > max(8, len(sample) // 100):
        raise ReportError(source, "the file is binary (control characters throughout), not a text report")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _BOOKMARK.sub("", text), encoding
