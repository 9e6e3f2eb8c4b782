"""Bytes -> text: encoding, BOM, line endings and Word debris."""

from __future__ import annotations

import re

from .errors import ReportError

_BOOKMARK = re.compile(r"\[bookmark:[^\]]*\]")
# Control characters that never occur in a text report (TAB, LF, CR are fine).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def decode(data: bytes, source: str) -> tuple[str, str]:
    """Return ``(text, encoding)``: UTF-8 (with or without BOM), else GB18030.

    Line endings become ``\\n`` and ``[bookmark: …]`` debris from Word exports
    is removed. Raises :class:`ReportError` for an empty or binary file.
    """
    if not data.strip():
        raise ReportError(source, "the file is empty")
    if b"\x00" in data[:4096]:
        raise ReportError(source, "the file is binary (it contains NUL bytes), not a text report")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes nearly any byte string
        raise ReportError(source, "the text is neither UTF-8 nor GB18030")
    sample = text[:4096]
    if len(_CONTROL.findall(sample)) > max(8, len(sample) // 100):
        raise ReportError(source, "the file is binary (control characters throughout), not a text report")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _BOOKMARK.sub("", text), "utf-8" if encoding == "utf-8-sig" else encoding
