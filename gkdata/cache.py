"""A cache for functions of cell text that keeps short text only.

Cells repeat across rows and reports (``0``, the same labels), so caching
their matching and parsing pays; a long cell (a paragraph, a mangled line)
rarely repeats, and cached it would stay in memory long after its report.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TypeVar

R = TypeVar("R")
LONGEST = 200  # characters; every label and number is shorter


def text_cache(maxsize: int = 8192) -> Callable[[Callable[..., R]], Callable[..., R]]:
    """Memoise a function whose first argument is a text (or None), for calls by position.

    A plain dict, emptied when it reaches ``maxsize`` (cells of one kind of
    report refill it at once): a hit costs one lookup, which matters because
    every cell of every report passes through several such functions.

    >>> @text_cache()
    ... def size(text):
    ...     return len(text)
    >>> size("0"), size("x" * 1000), len(size.cache)
    (1, 1000, 1)
    """
    def decorate(fn: Callable[..., R]) -> Callable[..., R]:
        cache: dict[object, R] = {}

        def remember(key: object, text: str | None, value: R) -> R:
            if text is None or len(text) <= LONGEST:
                if len(cache) >= maxsize:
                    cache.clear()
                cache[key] = value
            return value

        def call(*args, **kwargs) -> R:
            if kwargs:  # keyword calls are rare (tests, notebooks); the readers pass positions
                return fn(*args, **kwargs)
            try:
                return cache[args]
            except KeyError:
                pass
            return remember(args, args[0], fn(*args))

        def call_one(text, /, **kwargs) -> R:  # a function of the text alone, keyed by it: no tuple to pack
            if kwargs:
                return fn(text, **kwargs)
            try:
                return cache[text]
            except KeyError:
                pass
            return remember(text, text, fn(text))

        memo = wraps(fn)(call_one if fn.__code__.co_argcount == 1 else call)
        memo.cache = cache  # type: ignore[attr-defined]
        return memo

    return decorate
