"""A cache for functions of cell text that keeps short text only.

Cells repeat across rows and reports (``0``, the same labels), so caching
their matching and parsing pays; a long cell (a paragraph, a mangled line)
rarely repeats, and cached it would stay in memory long after its report.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache, wraps
from typing import TypeVar

R = TypeVar("R")
LONGEST = 200  # characters; every label and number is shorter


def text_cache(maxsize: int = 8192) -> Callable[[Callable[..., R]], Callable[..., R]]:
    """Like ``functools.lru_cache``, for a function whose first argument is a text (or None).

    >>> @text_cache()
    ... def size(text):
    ...     return len(text)
    >>> size("0"), size("x" * 1000), size.cache_info().currsize
    (1, 1000, 1)
    """
    def decorate(fn: Callable[..., R]) -> Callable[..., R]:
        cached = lru_cache(maxsize)(fn)

        @wraps(fn)
        def call(text, *args, **kwargs) -> R:
            if text is not None and len(text) > LONGEST:
                return fn(text, *args, **kwargs)
            return cached(text, *args, **kwargs)

        call.cache_info = cached.cache_info  # type: ignore[attr-defined]
        call.cache_clear = cached.cache_clear  # type: ignore[attr-defined]
        return call

    return decorate
