"""A large iCalendar file read in a process of its own while this one writes what it read.

Importing a large calendar is two jobs of about the same size, both Python: reading the
file into events (unfolding, splitting and parsing lines) and writing them (checking each
record, matching guests to people, building rows, SQLite's inserts). One process does
them in turn; a thread beside the writer gains nothing (SQLite lets go of the GIL for
each row's step and then waits to get it back: measured, no overlap). Here a second
Python reads while the first writes, on another core, and hands the events over in
batches (issue 24: the generator's 10k-event file 4.65 -> 3.5 s, 100k 33.7 -> 29.1 s).

For files of APART_BYTES and more: for a smaller one, starting a Python (about 0.1 s)
costs more than it saves. The reader is `python -P -m` this module with the file's path,
started as a plain subprocess: not multiprocessing's "fork" (the app imports from a
worker thread, and a forked copy of a process with threads and an open SQLite connection
is not safe), nor its "spawn" (it runs the main script again in the reader, and a script
without a `__main__` guard would start a second import). It finds this process's modules
(its sys.path), never the working folder's (-P). The events come back on its standard
output as a stream of pickles, read only from the process this one started, after a
first word that it is ready: a reader that dies before (its Python or its modules did
not load), or that cannot be started at all, leaves the file to be read here.

What the reader refuses (a bad line, a file over the limits) is raised here as the same
InvalidInput, with its line, after the events it read before it (the writer may refuse
one of those first, as it would reading here); any other failure of the reader is a
ReaderFailed, one line, its traceback a note (for the crash log); a reader that dies
midway is an InvalidInput with its exit status. The reader is stopped when this side
stops reading (an error while writing, a cancelled import, an exit), and when this
process dies (at once on Linux; elsewhere at its next batch, its pipe broken).
"""

from __future__ import annotations

import os
import pickle
import signal
import subprocess
import sys
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from tui.domain.errors import ConvenerError, InvalidInput
from tui.domain.importers import FileLines
from tui.domain.importers.calendar_ics import IcsEvent, IcsReader, IcsTodo

APART_BYTES = 4 * 1024 * 1024
"""Files this large and larger are read in a process of their own."""

BATCH = 100
"""Events handed over at a time (30 to 400 took the same time, within the noise)."""

GONE_WITHIN = 1.0
"""Seconds a reader whose output broke off is given to be seen gone (it died: its exit
status is said) before it is taken to be alive and sending what it should not (stopped)."""

PIPE_BYTES = 1024 * 1024
"""The pipe's room: a few batches (the most Linux lets a user ask for, by default)."""


class ReaderFailed(RuntimeError):
    """The reading process failed in a way that is not the file's fault (a bug). Its
    message is one line (the reader's error); its traceback is a note, which the crash
    log keeps."""


def _failed(path: Path, traceback_text: str) -> ReaderFailed:
    lines = traceback_text.strip().splitlines()
    last = lines[-1][:200] if lines else "no word"
    error = ReaderFailed(f"the reader of {path.name[:100]} failed ({last})")
    error.add_note(f"The reader's traceback:\n{traceback_text}")
    return error


def read_apart(path: str, large: bool, batch_size: int, out: IO[bytes]) -> None:
    """The reading process's work: each batch of events, then the end (with the file's
    to-dos and its count of events), or what stopped it, pickled onto `out`. What stops
    it goes after the events read before it, as the writer would have met them."""
    batch: list[IcsEvent] = []
    done = 0
    try:
        lines = FileLines(Path(path), large=large)
        reader = IcsReader(lines, large=large)
        for item in reader:
            batch.append(item)
            if len(batch) >= batch_size:
                pickle.dump(("events", lines.done, batch), out, protocol=5)
                batch = []
            done = lines.done
        message: tuple[Any, ...] = ("end", lines.done, batch, reader.todos, reader.events)
    except ConvenerError as error:
        message = ("refused", error.message, error.line, error.value)
    except Exception:  # a bug: reported on the importing side, which logs it
        message = ("failed", traceback.format_exc(limit=20))
    if message[0] != "end" and batch:
        pickle.dump(("events", done, batch), out, protocol=5)
    pickle.dump(message, out, protocol=5)
    out.flush()


def _leave_with(parent: int) -> None:
    """Be stopped when the importing process dies (Linux), not at the next batch it would
    not take: a file of many to-dos sends nothing until its end."""
    try:
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # another system: the broken pipe stops it
        return
    if os.getppid() != parent:  # it died before that was asked
        sys.exit(1)


def main(argv: list[str]) -> int:
    """`python -P -m tui.domain.importers.reading_apart PATH LARGE BATCH PARENT`."""
    # Ctrl-C reaches the whole process group: the importing process stops this one.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    path, large, batch, parent = argv
    _leave_with(int(parent))
    # The pickles go to the output as it was; anything else printed goes nowhere.
    out = os.fdopen(os.dup(1), "wb")
    nowhere = os.open(os.devnull, os.O_WRONLY)
    os.dup2(nowhere, 1)
    try:
        pickle.dump(("ready",), out, protocol=5)
        read_apart(path, large == "large", int(batch), out)
        out.close()
    except OSError:  # the importing process has gone: nothing is waiting for this
        return 1
    return 0


def command(path: Path, large: bool) -> list[str]:
    """The reader's command line: this Python, and this module found where this process
    found it (-P: never in the working folder, where a `tui` or `traceback.py` of the
    officer's would be found first)."""
    return [
        sys.executable,
        "-P",
        "-m",
        __name__,
        os.path.abspath(path),
        "large" if large else "limited",
        str(BATCH),
        str(os.getpid()),
    ]


def _widen(pipe: IO[bytes]) -> None:
    """Let the reader run a few batches ahead (on Linux): in the usual 64 KB, a batch of
    150 KB waited for this side to take the last one whole, and the two took turns more
    than they worked together (the 10k-event import: 4.0 s, and 3.5 s with the room)."""
    try:
        import fcntl

        fcntl.fcntl(pipe.fileno(), fcntl.F_SETPIPE_SZ, PIPE_BYTES)
    except (ImportError, AttributeError, OSError):  # another system, a lower limit: as is
        pass


class ReaderApart:
    """IcsReader's events, to-dos and count, read by another process; and the `done` and
    `size` (bytes) a progress bar reads from FileLines. Close it (it is a context
    manager) when done: a reader still running is stopped.

    A reader that dies before it is ready (its Python or its modules failed to load)
    leaves the file to be read here, by the same iteration: nothing was written yet."""

    def __init__(self, lines: FileLines, *, large: bool = False) -> None:
        self.path = lines.path
        self.large = large
        self.size = lines.size
        self.done = 0
        self.events = 0
        self.todos: list[IcsTodo] = []
        self._ended = False
        """True once the reader sent the end: it is leaving of itself."""
        self.read_here = False
        """True when the reader died before it was ready, and the file was read here."""
        # The same modules as here, wherever this process found them.
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
        self._process = subprocess.Popen(
            command(lines.path, large),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        assert self._process.stdout is not None
        self._output: IO[bytes] = self._process.stdout
        _widen(self._output)

    @staticmethod
    def possible() -> bool:
        """Whether a reader can be started: a Python to run (not a frozen app's own)."""
        return bool(sys.executable) and not getattr(sys, "frozen", False)

    def __enter__(self) -> ReaderApart:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _next(self) -> tuple[Any, ...]:
        try:
            message: tuple[Any, ...] = pickle.load(self._output)
        except Exception as error:  # the reader died, or sent what is not ours
            try:  # a dead one is gone at once; a live one is stopped (it may be blocked)
                status: int | None = self._process.wait(timeout=GONE_WITHIN)
            except subprocess.TimeoutExpired:
                status = None
            self.close()
            if status is None:
                raise ReaderFailed(
                    f"the reader of {self.path.name[:100]} sent what cannot be read"
                    f" ({type(error).__name__})"
                ) from None
            stopped = f"its reader stopped (exit status {status}) before the end"
            raise InvalidInput(stopped) from None
        return message

    def __iter__(self) -> Iterator[IcsEvent]:
        try:
            first = self._next()
        except (InvalidInput, ReaderFailed):
            first = ("not ready",)
        if first != ("ready",):
            self.close()
            yield from self._read_here()
            return
        while True:
            message = self._next()
            kind = message[0]
            if kind == "events":
                self.done = message[1]
                self.events += len(message[2])
                yield from message[2]
            elif kind == "end":
                _, self.done, last, self.todos, count = message
                self.events += len(last)
                yield from last
                self.events = count
                self._ended = True
                return
            elif kind == "refused":
                _, text, line, value = message
                raise InvalidInput(text, line=line, value=value)
            else:
                raise _failed(self.path, message[1])

    def _read_here(self) -> Iterator[IcsEvent]:
        self.read_here = True
        lines = FileLines(self.path, large=self.large)
        reader = IcsReader(lines, large=self.large)
        for item in reader:
            self.done = lines.done
            self.events = reader.events
            yield item
        self.done, self.todos, self.events = lines.done, reader.todos, reader.events

    def close(self) -> None:
        """Stop the reader if it still runs (unless it said all: it is leaving), and wait
        for it."""
        if not self._ended and self._process.poll() is None:
            self._process.terminate()
        self._output.close()
        self._process.wait()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
