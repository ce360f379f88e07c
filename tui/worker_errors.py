"""Worker failures said in one line, wherever the worker ran.

Textual posts `Worker.StateChanged` to the widget or screen that started the worker and
does not bubble it, so the App's handler never hears of a screen's or a pane's failed
worker: an export to a full disk or a failing load said nothing. Every class that starts
workers takes this mixin, which hands a failure to the App's one reporter, and the end
of a read to the NewestOnly that waits for it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from textual.message import Message
from textual.worker import Worker, WorkerState

from tui.domain.read_ahead import NotReadAhead, only_answers


class ReadEnded(Message):
    """A worker of a widget has ended (succeeded, failed or was cancelled); it bubbles,
    unlike Worker.StateChanged, so that a screen waiting for its panes' reads hears of
    each at once (see MainScreen._hold_frames). Its answer, posted by the worker before
    it ended, is already applied: both went through the widget's queue, in that order."""

    def __init__(self, group: str) -> None:
        super().__init__()
        self.group = group


class ReportsWorkerErrors:
    """Mixin for a screen or widget with workers: a failed one is reported by the App;
    the reads it makes one at a time (`reads_one_at_a_time`) hear when one ends."""

    app: Any
    post_message: Callable[[Message], bool]
    _newest_reads: tuple[NewestOnly, ...] = ()

    def reads_one_at_a_time(self) -> NewestOnly:
        """A NewestOnly for this widget's reads (see NewestOnly)."""
        reads = NewestOnly(self._reads_at_once, self._report, self._answers_ahead)
        self._newest_reads = (*self._newest_reads, reads)
        return reads

    def _reads_at_once(self) -> bool:
        """True while the App's first screen waits for reads made ahead of it (see
        tui.first_screen): a read is made at once, its answer waiting."""
        return bool(getattr(self.app, "reads_at_once", False))

    def _answers_ahead(self) -> bool:
        """True while answers read ahead wait (the calendar's neighbours, see
        tui.domain.read_ahead): a read tries them first."""
        return bool(getattr(self.app, "answers_ahead", False))

    def _report(self, error: BaseException) -> None:
        self.app.report_worker_error(error)

    def on_worker_state_changed(self, message: Worker.StateChanged) -> None:
        if message.state == WorkerState.ERROR:
            self.app.report_worker_error(message.worker.error)
        for reads in self._newest_reads:
            reads.ended(message.worker)
        if message.worker.is_finished:
            self.post_message(ReadEnded(message.worker.group))


class NewestOnly:
    """A pane's reads off the UI thread, one at a time; of those asked for meanwhile,
    only the newest runs next.

    A held key (`j` at a terminal's repeat rate) changes the selection 30 times a second,
    and each pane started a read per change, each in a thread of its own with its answer
    queued for the screen, all but the last thrown away: at 100k events the reads in
    flight and their answers held several MB at the peak (issue 24)."""

    def __init__(
        self,
        at_once: Callable[[], bool] = lambda: False,
        report: Callable[[BaseException], None] | None = None,
        answers: Callable[[], bool] = lambda: False,
    ) -> None:
        self._running: Worker[Any] | None = None
        self._waiting: Callable[[], Worker[Any]] | None = None
        self._at_once = at_once
        """True while reads are made at once, on the UI thread (see run)."""
        self._report = report
        self._answers = answers
        """True while answers read ahead wait: a read is tried from them first (see run)."""

    def run(self, read: Callable[..., Worker[Any]], *args: Any) -> None:
        """Start the read `read(*args)` (a method decorated with @work) now, or once the
        running one has ended (replacing any waiting).

        While the first screen waits for its data, read ahead of it (tui.first_screen),
        the read is made at once on the UI thread: its answers wait, and a worker thread
        taking turns on the GIL with the screen being laid out cost the first frame 15 ms.
        Once it is shown, a read whose answers were all read ahead (the calendar's
        neighbours) is made at once from them; one that would have to read anything
        (NotReadAhead) runs on a worker as always. A failure is reported as a worker's is."""
        if self._running is None:
            lenient = self._at_once()
            if (lenient or self._answers()) and self._made_at_once(read, args, lenient):
                return
        start = partial(read, *args)
        if self._running is not None and not self._running.is_finished:
            self._waiting = start
            return
        self._waiting = None
        self._running = start()

    def _made_at_once(
        self, read: Callable[..., Worker[Any]], args: tuple[Any, ...], lenient: bool
    ) -> bool:
        """Make the read at once, on this thread; False when it was not made (it needed
        what was not read ahead, or is not a method under @work)."""
        # The method as written, under @work's wrapper (functools.wraps keeps it).
        made: Callable[..., object] | None = getattr(read, "__wrapped__", None)
        owner = getattr(read, "__self__", None)
        if made is None or owner is None:
            return False
        try:
            if lenient:
                made(owner, *args)
            else:
                with only_answers():
                    made(owner, *args)
        except NotReadAhead:
            return False
        except Exception as error:  # a worker's failure is reported, not raised
            if self._report is None:
                raise
            self._report(error)
        return True

    def ended(self, worker: Worker[Any]) -> None:
        """A worker of the owner changed state: if it was the running read and has
        ended, the waiting read starts."""
        if worker is not self._running or not worker.is_finished:
            return
        start, self._waiting = self._waiting, None
        if start is not None:
            self._running = start()
