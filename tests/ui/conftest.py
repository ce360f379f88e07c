from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.screen import Screen

from tui.app import ConvenerApp
from tui.config import Settings
from tui.domain.models import ItemRef
from tui.domain.planner import Planner


@pytest.fixture
def app(planner: Planner) -> ConvenerApp:
    """The app over the sample data, fixed clock, default settings, UTC as the officer's zone."""
    return ConvenerApp(planner, Settings(timezone="UTC"))


@pytest.fixture
def empty_app(empty_planner: Planner) -> ConvenerApp:
    """The app over an empty database."""
    return ConvenerApp(empty_planner, Settings(timezone="UTC"))


async def settle(app: ConvenerApp, pilot: Pilot[int]) -> None:
    """Let loads finish and their messages land (never sleep)."""
    for _ in range(3):
        await app.workers.wait_for_complete()
        await pilot.pause()


async def wait_until(pilot: Pilot[int], condition: Callable[[], bool], within: float = 30) -> bool:
    """Let the app run until the condition holds (checked each frame); False after `within` s.

    A deadline, not a sleep: the test goes on the moment the condition holds, and a loaded
    machine only makes it wait longer.
    """
    deadline = time.monotonic() + within
    while not condition():
        if time.monotonic() > deadline:
            return False
        await pilot.pause(0.01)
    return True


def count_layouts(screen: Screen[Any]) -> list[int]:
    """From now on, one entry per layout of `screen` (Textual's _refresh_layout)."""
    layouts: list[int] = []
    original = screen._refresh_layout

    def counted(*args: Any, **kwargs: Any) -> None:
        layouts.append(1)
        original(*args, **kwargs)

    screen._refresh_layout = counted  # type: ignore[method-assign]
    return layouts


async def press_on_event(app: ConvenerApp, pilot: Pilot[int], event_id: int, key: str) -> None:
    """Select an event in the calendar (open_ref), then press `key` on it."""
    await settle(app, pilot)
    app.open_ref(ItemRef("event", event_id))
    await settle(app, pilot)
    await pilot.press(key)
    await settle(app, pilot)
