"""A large calendar read by a process of its own while this one writes: the same rows, the
same refusals, progress and cancelling as reading it here (tui/domain/importers/
reading_apart.py). The files here are small: the size that sends a file apart is lowered."""

from __future__ import annotations

import io
import pickle
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tui.domain.errors import Cancelled, InvalidInput, describe
from tui.domain.importers import FileLines, calendar_ics, reading_apart
from tui.domain.importers.reading_apart import ReaderApart, ReaderFailed, read_apart
from tui.domain.importers.report import ImportReport
from tui.domain.models import Event
from tui.domain.planner import Planner, importing
from tui.domain.store import Store

from .test_ics_batches import TRICKY, _calendar, _content, _vevent

FILLS_THE_PIPE = 8000
"""Events whose batches (1.9 MB pickled) cannot all wait in the reader's pipe (1 MiB): a
reader stopped early has not said all. With 3000 (0.7 MB) a slow moment of the test let
the reader finish before it was killed, and the test failed (once in a run of the suite)."""


def _many(count: int, *extra: str) -> str:
    return _calendar(
        *(
            _vevent(f"e{n}", f"ATTENDEE;CN=Guest {n % 7}:mailto:g{n % 7}@example.org")
            for n in range(count)
        ),
        *extra,
    )


@pytest.fixture
def apart(monkeypatch: pytest.MonkeyPatch) -> list[ReaderApart]:
    """Every file goes apart, two events at a time; the readers made are listed."""
    monkeypatch.setattr(reading_apart, "APART_BYTES", 0)
    monkeypatch.setattr(reading_apart, "BATCH", 2)
    made: list[ReaderApart] = []
    start = ReaderApart.__init__

    def init(self: ReaderApart, *args: Any, **kwargs: Any) -> None:
        start(self, *args, **kwargs)
        made.append(self)

    monkeypatch.setattr(ReaderApart, "__init__", init)
    return made


def _import(tmp_path: Path, name: str, body: str) -> tuple[Planner, object]:
    path = tmp_path / f"{name}.ics"
    path.write_text(body, encoding="utf-8")
    planner = Planner(Store(tmp_path / f"{name}.db"))
    try:
        return planner, planner.import_file(path, large=True)
    except InvalidInput as error:
        return planner, error


@pytest.mark.parametrize("body", [TRICKY, _many(9)], ids=["tricky", "nine"])
def test_a_file_read_apart_writes_the_rows_and_report_reading_it_here_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, apart: list[ReaderApart], body: str
) -> None:
    monkeypatch.setattr(reading_apart, "APART_BYTES", 1 << 40)
    here, report_here = _import(tmp_path, "here", body)
    assert apart == []
    monkeypatch.setattr(reading_apart, "APART_BYTES", 0)
    there, report_there = _import(tmp_path, "apart", body)
    assert len(apart) == 1 and apart[0]._process.returncode == 0 and not apart[0].read_here
    assert isinstance(report_here, ImportReport) and isinstance(report_there, ImportReport)
    assert _content(there) == _content(here)
    assert report_there.summary().split(": ", 1)[1] == report_here.summary().split(": ", 1)[1]
    assert report_there.changes == report_here.changes


def test_a_refusal_read_apart_names_the_same_line_and_keeps_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, apart: list[ReaderApart]
) -> None:
    bad = "BEGIN:VEVENT\r\nUID:bad\r\nSUMMARY:Bad\r\nDTSTART:2027-13-45\r\nEND:VEVENT\r\n"
    body = _many(5, bad)
    planner, error = _import(tmp_path, "apart", body)
    assert len(apart) == 1
    monkeypatch.setattr(reading_apart, "APART_BYTES", 1 << 40)
    _, error_here = _import(tmp_path, "here", body)
    assert isinstance(error, InvalidInput) and isinstance(error_here, InvalidInput)
    assert str(error).replace("apart.ics", "here.ics") == str(error_here)
    assert error.line == body[: body.index("DTSTART:2027-13-45")].count("\n") + 1
    assert planner.store.count(Event) == 0
    assert apart[0]._process.returncode is not None


def test_progress_rises_to_the_end_and_cancelling_stops_the_reader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, apart: list[ReaderApart]
) -> None:
    monkeypatch.setattr(importing, "PROGRESS_EVERY", 1)
    path = tmp_path / "many.ics"
    path.write_text(_many(40), encoding="utf-8")
    size = path.stat().st_size
    seen: list[tuple[int, int]] = []
    planner = Planner(Store(tmp_path / "progress.db"))
    planner.import_file(path, large=True, progress=lambda done, total: seen.append((done, total)))
    assert len(seen) == 40 and {total for _, total in seen} == {size}
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)
    assert 0 < seen[0][0] < size and seen[-1][0] <= size

    def cancel(done: int, total: int) -> None:
        raise Cancelled("cancelled")

    # Cancelled at the first event of a file the reader is far from done with.
    path.write_text(_many(FILLS_THE_PIPE), encoding="utf-8")
    cancelled = Planner(Store(tmp_path / "cancelled.db"))
    with pytest.raises(Cancelled):
        cancelled.import_file(path, large=True, progress=cancel)
    assert cancelled.store.count(Event) == 0
    # The second reader was stopped, not waited for to the end.
    assert len(apart) == 2 and apart[1]._process.returncode == -signal.SIGTERM


def test_a_reader_that_dies_midway_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "many.ics"
    path.write_text(_many(FILLS_THE_PIPE), encoding="utf-8")
    with ReaderApart(FileLines(path, large=True), large=True) as reader:
        events = iter(reader)
        next(events)  # ready, and its first batch taken
        reader._process.kill()
        with pytest.raises(InvalidInput, match=r"its reader stopped \(exit status -9\) before"):
            list(events)
        assert not reader.read_here


def test_a_reader_that_dies_before_it_is_ready_leaves_the_file_read_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, apart: list[ReaderApart]
) -> None:
    # As when its Python or its modules fail to load.
    monkeypatch.setattr(
        reading_apart, "command", lambda path, large: [sys.executable, "-c", "raise SystemExit(3)"]
    )
    planner, report = _import(tmp_path, "here", _many(5))
    assert isinstance(report, ImportReport) and planner.store.count(Event) == 5
    assert len(apart) == 1 and apart[0].read_here and apart[0]._process.returncode == 3
    assert apart[0].events == 5 and apart[0].done == apart[0].size


def test_a_tui_in_the_working_folder_is_not_the_reader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, apart: list[ReaderApart]
) -> None:
    shadow = tmp_path / "shadow"
    (shadow / "tui").mkdir(parents=True)
    (shadow / "tui" / "__init__.py").write_text("raise SystemExit(4)\n", encoding="utf-8")
    (shadow / "traceback.py").write_text("raise SystemExit(5)\n", encoding="utf-8")
    monkeypatch.chdir(shadow)
    _, report = _import(tmp_path, "apart", _many(5))
    assert isinstance(report, ImportReport) and "added 5 events" in report.summary()
    assert apart[0]._process.returncode == 0 and not apart[0].read_here


def test_what_a_refusal_follows_is_written_first_as_when_read_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, apart: list[ReaderApart]
) -> None:
    """The writer refuses an event the reader read before a line the reader refuses: the
    writer's refusal is the one said, both ways."""
    long = _vevent("long", day="20270110").replace("DTEND:20270110", "DTEND:20370110")
    bad = "BEGIN:VEVENT\r\nUID:bad\r\nSUMMARY:Bad\r\nDTSTART:2027-13-45\r\nEND:VEVENT\r\n"
    body = _calendar(_vevent("first"), long, bad)
    monkeypatch.setattr(reading_apart, "BATCH", 100)
    _, there = _import(tmp_path, "apart", body)
    monkeypatch.setattr(reading_apart, "APART_BYTES", 1 << 40)
    _, here = _import(tmp_path, "here", body)
    assert isinstance(here, InvalidInput) and "lasts" in str(here)
    assert str(there).replace("apart.ics", "here.ics") == str(here)


def test_what_the_reader_sends_for_a_refusal_and_for_a_bug(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def messages(path: Path) -> list[tuple[Any, ...]]:
        out = io.BytesIO()
        read_apart(str(path), False, 1, out)
        out.seek(0)
        found = []
        while out.tell() < len(out.getvalue()):
            found.append(pickle.load(out))
        return found

    good = tmp_path / "good.ics"
    good.write_text(_many(3), encoding="utf-8")
    sent = messages(good)
    assert [m[0] for m in sent] == ["events", "events", "events", "end"]
    assert sent[-1][1] == good.stat().st_size and sent[-1][4] == 3

    ((kind, text, _, _),) = messages(tmp_path / "gone.ics")
    assert kind == "refused" and text and "\n" not in text

    def broken(self: object) -> Any:
        raise RuntimeError("a bug in the reader")

    monkeypatch.setattr(calendar_ics.IcsReader, "__iter__", broken)
    ((kind, text),) = messages(good)
    assert kind == "failed" and "RuntimeError: a bug in the reader" in text


def _stub(tmp_path: Path, *messages: bytes) -> ReaderApart:
    """A ReaderApart reading `messages`, its process one that waits for its input."""
    reader = ReaderApart.__new__(ReaderApart)
    reader.path = tmp_path / "stub.ics"
    reader._ended = False
    reader._output = io.BytesIO(b"".join(messages))
    reader._process = subprocess.Popen(
        [sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE
    )
    return reader


READY = pickle.dumps(("ready",))


def test_a_bug_in_the_reader_is_one_line_with_its_traceback_kept_for_the_crash_log(
    tmp_path: Path,
) -> None:
    text = 'Traceback (most recent call last):\n  File "x.py", line 1\nRuntimeError: a bug\n'
    reader = _stub(tmp_path, READY, pickle.dumps(("failed", text)))
    with reader, pytest.raises(ReaderFailed) as raised:
        list(reader)
    assert str(raised.value) == "the reader of stub.ics failed (RuntimeError: a bug)"
    assert describe(raised.value).count("\n") == 0
    assert raised.value.__notes__ == [f"The reader's traceback:\n{text}"]
    assert reader._process.returncode == -signal.SIGTERM


def test_what_is_not_a_pickle_from_a_live_reader_stops_it_and_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # It did hang: the importer waited for a reader blocked on a full pipe.
    monkeypatch.setattr(reading_apart, "GONE_WITHIN", 0.05)
    reader = _stub(tmp_path, READY, b"not a pickle at all")
    with pytest.raises(ReaderFailed, match="sent what cannot be read"):
        list(reader)
    assert reader._process.returncode == -signal.SIGTERM


def test_a_reader_that_cannot_be_started_leaves_the_file_read_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, apart: list[ReaderApart]
) -> None:
    def no_process(*args: object, **kwargs: object) -> None:
        raise OSError("no processes left")

    monkeypatch.setattr(subprocess, "Popen", no_process)
    planner, report = _import(tmp_path, "here", _many(3))
    assert isinstance(report, ImportReport) and "added 3 events" in report.summary()
    assert planner.store.count(Event) == 3 and apart == []
