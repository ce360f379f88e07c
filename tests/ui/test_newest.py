"""NewestOnly: one read at a time, the newest of those asked for meanwhile next."""

from __future__ import annotations

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
