"""Parse results as plain data (MessagePack): what a worker sends back and the build cache keeps.

Values only — texts, numbers, byte strings — so a cache file that someone else
wrote can at worst hold wrong data, never run code (unpickling would run it);
and every field is checked when read back, so a damaged or tampered entry is
refused and the file is parsed again.

>>> from gkdata.corpus import read_input
>>> res = read_input("data/raw/004_8b07afbb35c54ec3.txt")
>>> load(dump(res)) == res
True
>>> load(b"\\x93\\x01\\x02\\x03")
Traceback (most recent call last):
ValueError: not a gkdata parse result (version 1)
"""

from __future__ import annotations

from dataclasses import fields
from typing import get_type_hints

import msgpack

from . import frames
from .corpus import PER_REPORT, Result
from .report import ReportMeta

VERSION = 1  # of this layout; a cache of another layout is not read
_META = [(f.name, get_type_hints(ReportMeta)[f.name]) for f in fields(ReportMeta)]
_NOT_OURS = f"not a gkdata parse result (version {VERSION})"


def dump(res: Result) -> bytes:
    """The result as MessagePack bytes."""
    meta = None if res.meta is None else [getattr(res.meta, name) for name, _ in _META]
    tables = None if res.tables is None else [frames.plain(t, res.tables[t]) for t in PER_REPORT]
    return msgpack.packb([VERSION, res.path, res.size, res.seconds, res.sha256, res.error, meta, tables,
                          list(res.counts), res.unsupported], use_bin_type=True)


def load(blob: bytes) -> Result:
    """The result :func:`dump` wrote; ValueError for anything else (damaged, tampered, another version)."""
    try:
        data = msgpack.unpackb(blob, raw=False, strict_map_key=True, use_list=True)
    except Exception as e:  # msgpack's errors for bytes that are not MessagePack at all
        raise ValueError(f"{_NOT_OURS}: {type(e).__name__}") from None
    if not (isinstance(data, list) and len(data) == 10 and data[0] == VERSION):
        raise ValueError(_NOT_OURS)
    _, path, size, seconds, sha256, error, meta, tables, counts, unsupported = data
    if not (isinstance(path, str) and _int(size) and isinstance(seconds, (int, float)) and _text(sha256)
            and _text(error) and isinstance(counts, list) and len(counts) == 2 and all(map(_int, counts))
            and isinstance(unsupported, bool) and (meta is None) == (tables is None)):
        raise ValueError(f"{_NOT_OURS}: a field of the wrong type")
    if meta is not None:
        if not (isinstance(meta, list) and len(meta) == len(_META)
                and all(isinstance(v, hint) for v, (_, hint) in zip(meta, _META))):
            raise ValueError(f"{_NOT_OURS}: the report's meta")
        if not (isinstance(tables, list) and len(tables) == len(PER_REPORT)):
            raise ValueError(f"{_NOT_OURS}: the report's tables")
        meta = ReportMeta(**dict(zip((name for name, _ in _META), meta)))
        tables = {t: frames.unplain(t, cols) for t, cols in zip(PER_REPORT, tables)}
    return Result(path, size, float(seconds), sha256, error, meta, tables, tuple(counts), unsupported)


def _int(v: object) -> bool:
    return isinstance(v, int) and not isinstance(v, bool) and v >= 0


def _text(v: object) -> bool:
    return v is None or isinstance(v, str)
