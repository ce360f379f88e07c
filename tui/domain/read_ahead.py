"""Reads made before they are asked for (issue 24).

The app's first screen read its week and its first event's panes on worker threads once
its widgets were mounted: at 100k events 40 ms between its widgets being mounted and its
first frame, most of it threads taking turns on the GIL with the screen laying itself
out. The command line now makes the same reads before it imports Textual (16 ms at 100k
events; a thread beside the import was starved by it: 180 ms). The planner's readers
marked `answered_ahead` give an answer read ahead, once, to the first call with the same
arguments; any other call, and every call once the first screen is shown (`close`),
reads as always.

An answer is not given when anything was written since it was read (the store's count of
rows changed): it is never older than what a read at that moment would see, but for
changes other processes made in the fraction of a second between (the app picks those up
as it always does, through SQLite's data_version).

Once the first screen is shown, the calendar reads its neighbours ahead in the same way:
the selections the next key would make (a week or a day on, the next line of the agenda)
are read on a worker thread while the officer looks, and a pane whose read finds all its
answers waiting applies them at once, on the UI thread, without a worker thread taking
turns on the GIL with the screen (issue 24). Such a read is made answers only
(`only_answers`): anything it would have to read (a store query, an answer not kept)
raises NotReadAhead instead, and the pane reads on a worker as always; the UI thread
never waits on the database. These answers also lapse when another process wrote since
(`version`: the app's last look at SQLite's data_version).
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar, cast

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")

_MISSING = object()


class NotReadAhead(Exception):
    """A read made answers only (see only_answers) needed something not read ahead."""


_here = threading.local()


def answers_only() -> bool:
    """True while this thread reads from answers only (see only_answers)."""
    return bool(getattr(_here, "answers_only", False))


@contextmanager
def only_answers() -> Iterator[None]:
    """Within: this thread's reads take answers read ahead, or raise NotReadAhead (the
    store raises it too, rather than be asked; see the module's note)."""
    before = answers_only()
    _here.answers_only = True
    try:
        yield
    finally:
        _here.answers_only = before


class ReadAhead:
    """Answers read before the app asks for them, each given once."""

    def __init__(
        self, changes: Callable[[], int], version: Callable[[], int | None] | None = None
    ) -> None:
        self._changes = changes
        """The store's count of rows written: an answer read before a write is not given."""
        self._at = changes()
        self._version = version
        """The data_version last seen of other processes' writes: an answer read before
        one is not given either."""
        self._version_at = version() if version is not None else None
        self._answers: dict[Hashable, Any] = {}
        self._lock = threading.Lock()
        self._reading: int | None = None
        """The thread reading ahead (its nested reads read; other threads' take)."""
        self._closed = False
        self.given = 0
        """How many answers were given (a test sees that each read ahead was used)."""

    def read(self, reader: Callable[..., T], *args: Hashable) -> T:
        """Call `reader(*args)` (a planner method marked `answered_ahead`) and keep its
        answer for the first call with the same arguments."""
        self._reading = threading.get_ident()
        try:
            answer = reader(*args)
        finally:
            self._reading = None
        with self._lock:
            if not self._closed:
                self._answers[(reader.__name__, *args)] = answer
        return answer

    def take(self, key: tuple[Hashable, ...], read: Callable[[], T]) -> T:
        """The answer kept under `key`, once; else `read()` (raising NotReadAhead instead
        in a read made answers only)."""
        if self._closed or self._reading == threading.get_ident():
            return _read(read)
        with self._lock:
            try:
                answer = self._answers.pop(key, _MISSING)
            except TypeError:  # an argument that cannot be a key: never read ahead
                answer = _MISSING
        if answer is _MISSING or self._lapsed():
            return _read(read)
        self.given += 1
        return cast(T, answer)

    def _lapsed(self) -> bool:
        """True when something was written since the answers were read."""
        if self._changes() != self._at:
            return True
        return self._version is not None and self._version() != self._version_at

    @property
    def has_answers(self) -> bool:
        """True while answers wait that may still be given."""
        return not self._closed and bool(self._answers) and not self._lapsed()

    @property
    def is_open(self) -> bool:
        """True until closed: the answers may still be asked for."""
        return not self._closed

    def close(self) -> None:
        """Give no more answers (the first screen is shown); those not taken are dropped."""
        with self._lock:
            self._closed = True
            self._answers.clear()


def _read(read: Callable[[], T]) -> T:
    """`read()`, unless this thread reads from answers only (see only_answers)."""
    if answers_only():
        raise NotReadAhead
    return read()


def answered_ahead(method: F) -> F:
    """Mark a planner reader whose answer may have been read ahead (see ReadAhead). A call
    with keywords, or with an argument that cannot be a key, is never answered ahead."""
    name = method.__name__

    @functools.wraps(method)
    def answer(self: Any, *args: Hashable, **kwargs: Any) -> Any:
        ahead: ReadAhead | None = self.read_ahead
        if ahead is None or kwargs:
            return _read(functools.partial(method, self, *args, **kwargs))
        return ahead.take((name, *args), functools.partial(method, self, *args))

    return cast(F, answer)
