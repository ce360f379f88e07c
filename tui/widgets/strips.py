"""Textual's Strip with its caches made when first used.

Every Strip (one line of a widget) makes seven small caches when it is created: for its
crops, styles, divisions, filters, extensions and offsets. Most strips never use one of
them, and a widget keeps its lines' strips while they stay on screen: 2,574 strips held
18,064 empty caches after a few keys at 100k events (2.5 MB of the app's 63 MB peak, and
a seventh of each strip's making, issue 24). Here each cache slot gets its cache the first
time it is read; a strip that is never cropped or styled has none.

The patch is class-wide (the compositor, not only Convener's widgets, makes strips) and is
made once, by `lazy_strip_caches()`, when the app starts. It replaces Strip.__init__ with
one that sets the same slots as Textual 8.2's but the caches; the version is pinned, and
tests/ui/test_strips.py fails if a new Strip makes a slot this one does not.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.segment import Segment
from textual.cache import FIFOCache
from textual.strip import Strip

CACHE_SIZES = {
    "_divide_cache": 4,
    "_crop_cache": 16,
    "_style_cache": 16,
    "_filter_cache": 4,
    "_line_length_cache": 4,
    "_crop_extend_cache": 4,
    "_offsets_cache": 4,
}
"""Strip's cache slots and their sizes, as Textual 8.2's Strip.__init__ makes them."""

TEXTUAL_INIT = Strip.__init__
"""Textual's own Strip.__init__ (the guard test compares it with ours)."""


class _CacheOnFirstUse:
    """A Strip cache slot that makes its FIFOCache when first read."""

    __slots__ = ("_size", "_slot")

    def __init__(self, slot: Any, size: int) -> None:
        self._slot = slot
        self._size = size

    def __get__(self, strip: Strip | None, owner: type | None = None) -> Any:
        if strip is None:
            return self
        try:
            return self._slot.__get__(strip, owner)
        except AttributeError:
            cache: FIFOCache[Any, Any] = FIFOCache(self._size)
            self._slot.__set__(strip, cache)
            return cache

    def __set__(self, strip: Strip, value: Any) -> None:
        self._slot.__set__(strip, value)


def _init(self: Strip, segments: Iterable[Segment], cell_length: int | None = None) -> None:
    self._segments = list(segments)
    self._cell_length = cell_length
    self._render_cache = None
    self._link_ids = None
    self._cell_count = None


def lazy_strip_caches() -> None:
    """Make Strip's caches on first use (see the module's note); once, idempotent."""
    if Strip.__init__ is _init:
        return
    for name, size in CACHE_SIZES.items():
        slot = Strip.__dict__[name]
        if isinstance(slot, _CacheOnFirstUse):
            continue
        setattr(Strip, name, _CacheOnFirstUse(slot, size))
    Strip.__init__ = _init  # type: ignore[method-assign]
