"""tui.collector: the garbage collector's passes made on still moments."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from tui import collector
from tui.app import ConvenerApp
from tui.collector import FULL_EVERY, LEAST_NEW, STILL_AFTER, YOUNG_THRESHOLD, Pacer

from .conftest import wait_until


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def passes(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[list[int], Clock, list[int]]]:
    """The passes asked of the collector, a clock the test moves, the young count it sees;
    the collector's thresholds put back after."""
    made: list[int] = []
    clock = Clock()
    young = [0]
    monkeypatch.setattr(collector, "monotonic", clock)

    def collect(generation: int = 2) -> int:
        made.append(generation)
        return 0

    monkeypatch.setattr(gc, "collect", collect)
    monkeypatch.setattr(gc, "get_count", lambda: (young[0], 0, 0))
    before = gc.get_threshold()
    yield made, clock, young
    gc.set_threshold(*before)


def test_passes_wait_for_a_still_moment_with_new_objects(
    passes: tuple[list[int], Clock, list[int]],
) -> None:
    made, clock, young = passes
    pacer = Pacer()
    young[0] = LEAST_NEW * 5
    pacer.look()
    assert made == []  # not started: the collector is not this process's to pace
    pacer.start()
    assert gc.get_threshold()[0] == YOUNG_THRESHOLD
    pacer.input_seen()
    clock.now += STILL_AFTER / 2
    pacer.look()
    assert made == []  # a key a moment ago
    clock.now += STILL_AFTER
    pacer.look()
    assert made == [1]  # the young generations
    young[0] = LEAST_NEW - 1
    pacer.look()
    assert made == [1]  # too little new to be worth a pass
    young[0] = LEAST_NEW
    for _ in range(FULL_EVERY - 1):
        pacer.look()
    assert made == [1] * (FULL_EVERY - 1) + [2]  # every FULL_EVERY-th pass, everything


def test_the_moment_is_still_after_still_after(passes: tuple[list[int], Clock, list[int]]) -> None:
    _, clock, _ = passes
    pacer = Pacer()
    pacer.input_seen()
    assert pacer.still_in() == pytest.approx(STILL_AFTER)
    clock.now += STILL_AFTER / 3
    assert pacer.still_in() == pytest.approx(STILL_AFTER * 2 / 3)
    clock.now += STILL_AFTER
    assert pacer.still_in() == 0.0


async def test_a_key_is_seen_and_a_look_follows_once_still_none_while_idle(
    app: ConvenerApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        # A test run's collector is on: the app leaves it as it is, and sets no timer.
        assert not app.collector.pacing
        await pilot.press("j")
        assert app._collector_timer is None
        looks: list[float] = []
        monkeypatch.setattr(app.collector, "look", lambda: looks.append(app.collector.still_in()))
        app.collector.pacing = True  # as when `convener` started it (thresholds untouched)
        app.collector.last_input = 0.0
        await pilot.press("j", "k")
        # (Whether its timer is still waiting by now depends on how long the two presses
        # took: on a loaded machine the look had already come. The look itself tells.)
        assert app.collector.last_input > 0.0
        assert await wait_until(
            pilot, lambda: bool(looks) and app._collector_timer is None, within=10
        )
        # Once, and only when the moment was still (twice on a loaded machine, when the
        # moment between the two keys was still already: each look after its key).
        assert looks in ([0.0], [0.0, 0.0])
        assert app._collector_timer is None  # nothing more while idle
