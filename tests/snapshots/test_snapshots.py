"""A few SVG snapshots guard the look (fixed clock, sample data, UTC as the officer's zone).

When one changes, read the report (snapshot_report.html) before `--snapshot-update`.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

from textual.pilot import Pilot

from tui.app import ConvenerApp
from tui.config import Settings
from tui.domain.models import Event
from tui.domain.planner import Planner

from ..conftest import TODAY

SIZE = (120, 40)


async def _settle(pilot: Pilot[Any]) -> None:
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def test_main_screen_with_the_sample_data(planner: Planner, snap_compare: Any) -> None:
    async def select_dinner(pilot: Pilot[Any]) -> None:
        await _settle(pilot)
        await pilot.press("j")
        await _settle(pilot)

    app = ConvenerApp(planner, Settings(timezone="UTC"))
    assert snap_compare(app, terminal_size=SIZE, run_before=select_dinner)


def test_empty_database(empty_planner: Planner, snap_compare: Any) -> None:
    app = ConvenerApp(empty_planner, Settings(timezone="UTC"))
    assert snap_compare(app, terminal_size=SIZE, run_before=_settle)


def test_help_screen(planner: Planner, snap_compare: Any) -> None:
    async def open_help(pilot: Pilot[Any]) -> None:
        await _settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()

    app = ConvenerApp(planner, Settings(timezone="UTC"))
    assert snap_compare(app, terminal_size=SIZE, run_before=open_help)


# The calendar views of issue 20, each at one of the three sizes the layout is fitted to.

NOW = datetime(2026, 11, 18, 14, 10, tzinfo=UTC)


def _fixed_now(app: ConvenerApp) -> ConvenerApp:
    app.clock = lambda: NOW
    return app


def _add_week(planner: Planner) -> None:
    wednesday = TODAY
    for title, day, start, end in [
        ("Board call", wednesday, time(9, 0), time(10, 30)),
        ("Press briefing [Draft]", wednesday, time(10, 0), time(11, 0)),
        ("Partner visit", wednesday + timedelta(days=1), time(14, 0), time(15, 30)),
    ]:
        planner.save_event(
            Event(title, day, day, start_time=start, end_time=end, timezone="UTC", kind="meeting")
        )
    friday = wednesday + timedelta(days=2)
    planner.save_event(Event("Staff retreat", friday, friday + timedelta(days=3), kind="retreat"))


def test_main_screen_narrow_80x24(planner: Planner, snap_compare: Any) -> None:
    app = ConvenerApp(planner, Settings(timezone="UTC", week_numbers=True))
    assert snap_compare(app, terminal_size=(80, 24), run_before=_settle)


def test_main_screen_wide_200x60(planner: Planner, snap_compare: Any) -> None:
    async def select_dinner(pilot: Pilot[Any]) -> None:
        await _settle(pilot)
        await pilot.press("j")
        await _settle(pilot)

    app = ConvenerApp(planner, Settings(timezone="UTC"))
    assert snap_compare(app, terminal_size=(200, 60), run_before=select_dinner)


def test_week_grid_120x40(planner: Planner, snap_compare: Any) -> None:
    _add_week(planner)

    async def open_week(pilot: Pilot[Any]) -> None:
        await _settle(pilot)
        await pilot.press("w")
        await _settle(pilot)
        await pilot.press("J")
        await _settle(pilot)

    app = _fixed_now(ConvenerApp(planner, Settings(timezone="UTC")))
    assert snap_compare(app, terminal_size=SIZE, run_before=open_week)


def test_day_grid_run_of_show_80x24(planner: Planner, snap_compare: Any) -> None:
    retreat_day = TODAY + timedelta(days=13)  # the sample retreat's first day

    async def open_day(pilot: Pilot[Any]) -> None:
        from tui.screens.time_grid import TimeGridScreen

        await _settle(pilot)
        await pilot.app.push_screen(TimeGridScreen(retreat_day, None, days=1))
        await _settle(pilot)

    app = _fixed_now(ConvenerApp(planner, Settings(timezone="America/New_York")))
    assert snap_compare(app, terminal_size=(80, 24), run_before=open_day)


def test_pipeline_120x40(planner: Planner, snap_compare: Any) -> None:
    async def open_pipeline(pilot: Pilot[Any]) -> None:
        await _settle(pilot)
        await pilot.press("5")
        await _settle(pilot)

    app = ConvenerApp(planner, Settings(timezone="UTC"))
    assert snap_compare(app, terminal_size=SIZE, run_before=open_pipeline)
