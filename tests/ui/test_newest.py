"""NewestOnly: one read at a time, the newest of those asked for meanwhile next."""

from __future__ import annotations

import functools
from typing import Any, cast

from textual.worker import Worker

from tui.worker_errors import NewestOnly


class FakeRead:
    def __init__(self, name: str) -> None:
        self.name = name
        self.is_finished = False


def test_reads_asked_for_while_one_runs_collapse_to_the_newest() -> None:
    started: list[FakeRead] = []

    def start(name: str) -> Any:
        def begin() -> Worker[Any]:
            read = FakeRead(name)
            started.append(read)
            return cast(Worker[Any], read)

        return begin

    reads = NewestOnly()
    reads.run(start("week 1"))
    reads.run(start("week 2"))
    reads.run(start("week 3"))
    assert [r.name for r in started] == ["week 1"]  # one at a time
    reads.ended(cast(Worker[Any], FakeRead("someone else's")))  # not ours: nothing starts
    assert len(started) == 1
    started[0].is_finished = True
    reads.ended(cast(Worker[Any], started[0]))
    assert [r.name for r in started] == ["week 1", "week 3"]  # week 2 never read
    started[1].is_finished = True
    reads.ended(cast(Worker[Any], started[1]))
    assert len(started) == 2  # nothing waited
    reads.run(start("week 4"))  # idle: starts at once
    assert [r.name for r in started][-1] == "week 4"


class Pane:
    """A pane whose read is a worker method (as @work makes it: __wrapped__ is the body)."""

    def __init__(self, fails: bool = False) -> None:
        self.answers: list[str] = []
        self.fails = fails

    def _body(self, week: str) -> None:
        if self.fails:
            raise OSError("disk gone")
        self.answers.append(week)

    @functools.wraps(_body)
    def read(self, week: str) -> Worker[Any]:
        started.append(week)
        return cast(Worker[Any], FakeRead(week))


started: list[str] = []


def test_while_the_first_screen_waits_its_reads_are_made_at_once() -> None:
    started.clear()
    at_once = [True]
    reported: list[BaseException] = []
    pane = Pane()
    reads = NewestOnly(lambda: at_once[0], reported.append)
    reads.run(pane.read, "week 1")
    assert pane.answers == ["week 1"] and started == []  # on this thread, no worker
    at_once[0] = False  # the first screen is shown: reads go to workers again
    reads.run(pane.read, "week 2")
    assert pane.answers == ["week 1"] and started == ["week 2"]
    failing = Pane(fails=True)
    at_once[0] = True
    NewestOnly(lambda: True, reported.append).run(failing.read, "week 3")
    assert [str(error) for error in reported] == ["disk gone"]  # said, not raised
