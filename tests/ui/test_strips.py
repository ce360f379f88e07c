"""Strip's caches are made on first use (tui/widgets/strips.py): the same slots as
Textual's own Strip, the same cache sizes, and the caches still cache."""

from __future__ import annotations

import pytest
from rich.segment import Segment
from textual.strip import Strip

from tui.widgets.strips import CACHE_SIZES, TEXTUAL_INIT, lazy_strip_caches


def set_slots(strip: Strip) -> set[str]:
    """The slots that hold a value (read under the lazy caches, which would make one)."""
    found = set()
    for name in Strip.__slots__:
        slot = Strip.__dict__[name]
        member = getattr(slot, "_slot", slot)
        try:
            member.__get__(strip, Strip)
        except AttributeError:
            continue
        found.add(name)
    return found


def test_textual_s_strip_makes_the_caches_we_make_lazily_and_nothing_else() -> None:
    lazy_strip_caches()
    segments = [Segment("hello "), Segment("world")]
    theirs = Strip.__new__(Strip)
    TEXTUAL_INIT(theirs, segments, 11)
    ours = Strip(segments, 11)
    # Textual's makes every slot; ours every slot but the caches (made when first read).
    assert set_slots(theirs) == set(Strip.__slots__)
    assert set_slots(ours) == set(Strip.__slots__) - set(CACHE_SIZES)
    for name, size in CACHE_SIZES.items():
        assert getattr(theirs, name)._maxsize == size, name
    assert ours.text == theirs.text and ours.cell_length == theirs.cell_length


def test_a_strip_s_cache_is_made_once_and_caches() -> None:
    lazy_strip_caches()
    lazy_strip_caches()  # idempotent
    strip = Strip([Segment("convening")], 9)
    assert "_crop_cache" not in set_slots(strip)
    first = strip.crop(2, 6)
    assert "_crop_cache" in set_slots(strip)
    assert strip.crop(2, 6) is first
    assert first.text == "nven"
    assert strip._crop_cache._maxsize == 16


@pytest.mark.parametrize("name", sorted(CACHE_SIZES))
def test_each_cache_slot_reads_and_writes(name: str) -> None:
    lazy_strip_caches()
    strip = Strip([Segment("x")], 1)
    cache = getattr(strip, name)
    assert getattr(strip, name) is cache
    assert cache._maxsize == CACHE_SIZES[name]
