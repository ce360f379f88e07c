"""The garbage collector's passes made while the officer looks, not while a key is answered.

Python makes a pass of its collector every 700 new objects. A week change at 100k events
makes some 3,000: four passes ran inside each key, one in ten of them over the middle
generation (1.6 ms), one in a hundred over everything (6 ms, what starting made set aside
by gc.freeze), the slowest keys' tail (issue 24). Once the app runs, the passes wait for a
still moment instead (no key, no click for STILL_AFTER seconds; the app looks once after
each burst of input, never while it sits idle): the young generations then, everything
every FULL_EVERY-th time. The automatic threshold is raised, not taken
away: with no still moment (a key held down) a pass still comes every YOUNG_THRESHOLD
new objects, and what is garbage is still freed as soon as nothing refers to it (only
cycles wait for a pass). That bound is memory: cycles a held key left waiting were
freed in the end, but the allocator kept the room they took. At 100k events a session's
peak was about 1 MB lower at 10,000 than at 25,000, with keys as fast; at 5,000 it was 2 MB
lower, but a week change's median went from 24 to 35-40 ms.

Only a collector the command line turned off for the start (tui.launch) is paced: a test
run's, or a library user's, is left as it is.
"""

from __future__ import annotations

import gc
from time import monotonic

YOUNG_THRESHOLD = 10_000
"""New objects between two automatic passes while the app runs (Python's own: 700)."""
STILL_AFTER = 0.15
"""Seconds without a key or a click after which a pass may be made."""
LEAST_NEW = 1_000
"""New objects below which a still moment makes no pass (the app left alone)."""
FULL_EVERY = 10
"""One pass in this many goes over every generation (Python's own ratio)."""


class Pacer:
    """Makes the collector's passes on still moments (see the module's note)."""

    def __init__(self) -> None:
        self.last_input = monotonic()
        self.passes = 0
        """Passes made on still moments."""
        self.pacing = False

    def start(self) -> None:
        """Pace the collector from now on (it is on, and this process owns it)."""
        _, middle, old = gc.get_threshold()
        gc.set_threshold(YOUNG_THRESHOLD, middle, old)
        self.pacing = True

    def input_seen(self) -> None:
        """A key or a click came: no pass for STILL_AFTER seconds."""
        self.last_input = monotonic()

    def still_in(self) -> float:
        """Seconds until the moment is still (0: it is)."""
        return max(0.0, STILL_AFTER - (monotonic() - self.last_input))

    def look(self) -> None:
        """Make a pass if the moment is still and enough new objects wait."""
        if not self.pacing or not gc.isenabled():
            return
        if monotonic() - self.last_input < STILL_AFTER or gc.get_count()[0] < LEAST_NEW:
            return
        self.passes += 1
        gc.collect(2 if self.passes % FULL_EVERY == 0 else 1)
