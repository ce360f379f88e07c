"""NewestOnly: a pane's reads off the UI thread, one at a time, the newest waiting.

A held key (`j` at a terminal's repeat rate) changes the selection 30 times a second, and
each pane started a read per change, each in a thread of its own with its answer queued
for the screen; the answers of all but the last were thrown away, and at 100k events the
reads in flight and their answers held 15-20 MB at the peak (issue 24). Here a read asked
for while one runs waits; a newer one replaces it; it starts when the running one ends.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.worker import Worker


class NewestOnly:
    """One read at a time; of those asked for meanwhile, only the newest runs next."""

    def __init__(self) -> None:
        self._running: Worker[Any] | None = None
        self._waiting: Callable[[], Worker[Any]] | None = None

    def run(self, start: Callable[[], Worker[Any]]) -> None:
        """Start the read now, or once the running one has ended (replacing any waiting)."""
        if self._running is not None and not self._running.is_finished:
            self._waiting = start
            return
        self._waiting = None
        self._running = start()

    def ended(self, worker: Worker[Any]) -> None:
        """Call on the owner's Worker.StateChanged: starts the waiting read, if any."""
        if worker is not self._running or not worker.is_finished:
            return
        start, self._waiting = self._waiting, None
        if start is not None:
            self._running = start()
