"""Formats: input bytes -> report text.

Plain text is decoded as it is. Other formats (HTML, Word, PDF) register a
converter here that renders their tables in the ``tabbed`` text layout (one
TAB-prefixed line per cell, rows separated by an empty line, a vertically
merged cell repeated as an empty cell) and their prose as plain lines, so
that sections, labels, numbers and checks are written once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from ..decode import decode


class Converter(NamedTuple):
    sniff: Callable[[bytes, str], bool]  # (data, source name) -> is this format?
    convert: Callable[[bytes, str], tuple[str, str]]  # (data, source name) -> (tabbed text, encoding)


# format name (becomes meta.layout) -> converter; tried in order
CONVERTERS: dict[str, Converter] = {}


def to_text(data: bytes, source: str) -> tuple[str, str, str | None]:
    """``(text, encoding, layout)``: layout is the format name, or None for plain text."""
    for name, conv in CONVERTERS.items():
        if conv.sniff(data, source):
            text, encoding = conv.convert(data, source)
            return text, encoding, name
    text, encoding = decode(data, source)
    return text, encoding, None
