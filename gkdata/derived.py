"""Data gkdata makes from a dependency's files, made once and kept between runs in a cache folder.

The gazetteer's index (:mod:`gkdata.places`) and the table of traditional characters
(:mod:`gkdata.hanzi`) take longer to make than a command that reads one report takes to run, so
they are made the first time and read from the folder after. A file's name holds a hash of the
files it is made from: a new version of the dependency gets its own. The folder is
``$GKDATA_CACHE``, else ``$XDG_CACHE_HOME/gkdata``, else ``~/.cache/gkdata``; when it cannot be
written, :func:`cached` says so (None) and the caller makes the data in memory.
"""

from __future__ import annotations

import os
import zlib
from collections.abc import Callable, Iterable
from contextlib import suppress
from pathlib import Path


def folder() -> Path:
    """The cache folder (module doc)."""
    if home := os.environ.get("GKDATA_CACHE"):
        return Path(home)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache", "gkdata")


def cached(name: str, sources: Iterable[Path], make: Callable[[Path], None]) -> Path | None:
    """The file ``name`` (``stem.suffix``) that ``make(path)`` writes from ``sources``: the one made before from the
    same bytes, else made now (written aside and moved in whole, so a process never reads half a file); None when
    the folder cannot be written or a source cannot be read."""
    key = 0
    try:
        for source in sources:
            key = zlib.crc32(source.read_bytes(), key)
        stem, _, suffix = name.rpartition(".")
        target = folder() / f"{stem}-{key:08x}.{suffix}"
    except (OSError, RuntimeError):  # a source that cannot be read; no home folder (no HOME, no password entry)
        return None
    if target.exists():
        return target
    aside = target.with_name(f".{target.name}.{os.getpid()}")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        make(aside)
        os.replace(aside, target)
    except OSError:
        with suppress(OSError):  # what was written of it, if anything
            aside.unlink()
        return None
    return target
