"""A large iCalendar file read in a process of its own while this one writes what it read.

Importing a large calendar is two jobs of about the same size, both Python: reading the
file into events (unfolding, splitting and parsing lines) and writing them (checking each
record, matching guests to people, building rows, SQLite's inserts). One process does
them in turn; a thread beside the writer gains nothing (SQLite lets go of the GIL for
each row's step and then waits to get it back: measured, no overlap). Here a second
Python reads while the first writes, on another core, and hands the events over in
batches (issue 24: the generator's 10k-event file 4.65 -> 3.5 s, 100k 33.7 -> 29.1 s).

For files of APART_BYTES and more: for a smaller one, starting a Python (about 0.1 s)
costs more than it saves. The reader is `python -m` this module with the file's path,
started as a plain subprocess: not multiprocessing's "fork" (the app imports from a
worker thread, and a forked copy of a process with threads and an open SQLite connection
is not safe), nor its "spawn" (it runs the main script again in the reader, and a script
without a `__main__` guard would start a second import). The events come back on its
standard output as a stream of pickles, read only from the process this one started.

What the reader refuses (a bad line, a file over the limits) is raised here as the same
InvalidInput, with its line; any other failure of the reader is a ReaderFailed, one line,
its traceback a note (for the crash log). The reader is stopped when this side stops
reading (an error while writing, a cancelled import, an exit), and stops when this
process dies (its output pipe breaks).
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

PIPE_BYTES = 1024 * 1024
"""The pipe's room: a few batches (the most Linux lets a user ask for, by default)."""


class ReaderFailed(RuntimeError):
    """The reading process failed in a way that is not the file's fault (a bug). Its
    message is one line (the reader's error); its traceback is a note, which the crash
    log keeps."""


def _failed(traceback_text: str) -> ReaderFailed:
    lines = traceback_text.strip().splitlines()
    error = ReaderFailed(f"the file's reader failed ({lines[-1][:200] if lines else 'no word'})")
    error.add_note(f"The reader's traceback:\n{traceback_text}")
    return error


def read_apart(path: str, large: bool, batch_size: int, out: IO[bytes]) -> None:
    """The reading process's work: each batch of events, then the end (with the file's
    to-dos and its count of events), or what stopped it, pickled onto `out`."""
    try:
        lines = FileLines(Path(path), large=large)
        reader = IcsReader(lines, large=large)
        batch: list[IcsEvent] = []
        for item in reader:
            batch.append(item)
            if len(batch) >= batch_size:
                pickle.dump(("events", lines.done, batch), out, protocol=5)
                batch = []
        message: tuple[Any, ...] = ("end", lines.done, batch, reader.todos, reader.events)
    except ConvenerError as error:
        message = ("refused", error.message, error.line, error.value)
    except Exception:  # a bug: reported on the importing side, which logs it
        message = ("failed", traceback.format_exc(limit=20))
    pickle.dump(message, out, protocol=5)
    out.flush()


def main(argv: list[str]) -> int:
    """`python -m tui.domain.importers.reading_apart PATH LARGE BATCH`."""
    # Ctrl-C reaches the whole process group: the importing process stops this one.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # The pickles go to the output as it was; anything else printed goes nowhere.
    out = os.fdopen(os.dup(1), "wb")
    nowhere = os.open(os.devnull, os.O_WRONLY)
    os.dup2(nowhere, 1)
    path, large, batch = argv
    try:
        read_apart(path, large == "large", int(batch), out)
        out.close()
    except OSError:  # the importing process has gone: nothing is waiting for this
        return 1
    return 0


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
    manager) when done: a reader still running is stopped."""

    def __init__(self, lines: FileLines, *, large: bool = False) -> None:
        self.size = lines.size
        self.done = 0
        self.events = 0
        self.todos: list[IcsTodo] = []
        self._ended = False
        """True once the reader sent the end: it is leaving of itself."""
        # The same modules as here, wherever this process found them.
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
        self._process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                __name__,
                str(lines.path),
                "large" if large else "limited",
                str(BATCH),
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        assert self._process.stdout is not None
        self._output: IO[bytes] = self._process.stdout
        _widen(self._output)

    def __enter__(self) -> ReaderApart:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __iter__(self) -> Iterator[IcsEvent]:
        while True:
            try:
                message = pickle.load(self._output)
            except Exception:  # EOF or a cut pickle: the reader died without a word
                status = self._process.wait()
                raise InvalidInput(f"its reader stopped (exit status {status})") from None
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
                raise _failed(message[1])

    def close(self) -> None:
        """Stop the reader if it still runs (unless it said all: it is leaving), and wait
        for it."""
        if not self._ended and self._process.poll() is None:
            self._process.terminate()
        self._output.close()
        self._process.wait()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
