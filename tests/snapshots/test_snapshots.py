"""A few SVG snapshots guard the look (fixed clock, sample data, UTC as the officer's zone).

When one changes, read the report (snapshot_report.html) before `--snapshot-update`.
"""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from tui.app import ConvenerApp
from tui.config import Settings
from tui.domain.service import Planner

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
