"""Pilot tests: every key of the main screen, the calendar pane and the screens they open."""

from __future__ import annotations

import io
import threading
from dataclasses import replace
from datetime import date, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from textual import events
from textual.binding import Binding
from textual.command import CommandPalette
from textual.message import Message
from textual.pilot import Pilot
from textual.widgets import Input, RichLog, Static
from textual.worker import Worker

import tui.screens.main as main_screen
from tui.app import ConvenerApp
from tui.domain.dates import ambiguous_reading, count_days, format_span, grid_window
from tui.domain.models import Event, ItemRef, Occurrence
from tui.modals.goto import GoToDateScreen
from tui.screens.event import EventScreen
from tui.screens.help import HelpScreen
from tui.screens.main import MainScreen
from tui.widgets.calendar_pane import AgendaList, CalendarPane
from tui.widgets.event_pane import EventPane
from tui.widgets.guest_table import GuestTable
from tui.widgets.month_grid import MonthGrid

from ..conftest import TODAY
from .conftest import settle, wait_until

SIZE = (120, 40)


def plain(renderable: object) -> str:
    """What a Rich renderable shows, as plain text."""
    console = Console(width=200, record=True, file=io.StringIO())
    console.print(renderable)
    return console.export_text()


def grid(app: ConvenerApp) -> MonthGrid:
    return app.screen.query_one(MonthGrid)


def details(app: ConvenerApp) -> EventPane:
    return app.screen.query_one("#details", EventPane)


def shown_title(app: ConvenerApp) -> str | None:
    occurrence = details(app).occurrence
    return occurrence.event.title if occurrence else None


def log_words(log: RichLog) -> str:
    """A report's text as words: its lines wrap at a space, wherever a path's length
    (the test's tmp folder) puts it, so that joining them would glue two words."""
    return " ".join(" ".join(strip.text for strip in log.lines).split())


async def back_to_today(app: ConvenerApp, pilot: Pilot[int]) -> None:
    """'t', between the cases of one walk: the cursor is back on today."""
    await pilot.press("t")
    await settle(app, pilot)
    assert grid(app).cursor == TODAY


MOVES: list[tuple[list[str], date]] = [
    (["right"], date(2026, 11, 19)),
    (["l", "l"], date(2026, 11, 20)),
    (["left"], date(2026, 11, 17)),
    (["h"], date(2026, 11, 17)),
    (["down"], date(2026, 11, 25)),
    (["j", "j"], date(2026, 12, 2)),
    (["up"], date(2026, 11, 11)),
    (["k"], date(2026, 11, 11)),
    (["right_square_bracket"], date(2026, 12, 18)),
    (["left_square_bracket"], date(2026, 10, 18)),
    (["right_square_bracket", "right_square_bracket", "t"], TODAY),
]


async def test_opens_on_today_then_movement_keys_select_events_and_switch_months(
    app: ConvenerApp,
) -> None:
    # Was test_opens_on_today_with_the_weeks_events, test_movement_keys (eleven apps, one per
    # case), test_moving_onto_an_event_selects_it and test_month_switch_loads_that_months_events:
    # one app; "t" brings the cursor back to today before each case (asserted), every
    # assertion kept.
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, MainScreen)
        assert grid(app).cursor == TODAY and grid(app).today == TODAY
        assert app.focused is grid(app)
        # The sample dinner is next Tuesday: the grid marks it and the details show it
        # once the cursor is on its week.
        pane = app.screen.query_one(CalendarPane)
        marked = grid(app).event_days
        assert any(day > TODAY for day in marked)
        assert pane.view == "week"
        for keys, expected in MOVES:
            await back_to_today(app, pilot)
            await pilot.press(*keys)
            await settle(app, pilot)
            assert grid(app).cursor == expected, keys
        # Moving onto an event selects it.
        await back_to_today(app, pilot)
        await pilot.press("j")  # the dinner's week
        await settle(app, pilot)
        assert shown_title(app) == "Policy Dinner: Cities and Atrocity Prevention"
        assert details(app).details is not None
        head = str(app.screen.query_one("#details-head", Static).content)
        assert head.startswith("Policy Dinner: Cities and Atrocity Prevention")
        # A month switch loads that month's events.
        await back_to_today(app, pilot)
        await pilot.press("right_square_bracket")
        await settle(app, pilot)
        december = {d for d in grid(app).event_days if d.month == 12}
        assert (
            date(2026, 12, 1) in december and date(2026, 12, 3) in december
        )  # the retreat spans three days


async def dinner_week_shown(app: ConvenerApp, pilot: Pilot[int], within: float = 30) -> bool:
    """Press j (from today's week to the dinner's) and wait until its panes are shown and
    no frame is held; its details' head names it."""
    screen = app.screen
    assert isinstance(screen, MainScreen)
    await pilot.press("j")
    # (Right after the key the hold may not have begun yet: the agenda comes first.)
    shown = await wait_until(
        pilot,
        lambda: shown_title(app) == DINNER and app._batch_count == 0 and not screen._holding,
        within=within,
    )
    return shown and details_head(app).startswith(DINNER)


async def test_a_new_selection_paints_its_panes_together_and_a_dialog_is_never_held(
    app: ConvenerApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        # A week change holds the frames until the three panes have answered, then lets go.
        assert await dinner_week_shown(app, pilot)
        # Frames held (and nothing else to let them go): a dialog coming up releases them.
        monkeypatch.setattr(screen, "_check_panes", lambda: None)
        screen._hold_frames()
        assert app._batch_count == 1 and screen._holding
        await pilot.press("question_mark")
        assert await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))
        assert await wait_until(pilot, lambda: app._batch_count == 0)
        assert not screen._holding


async def test_a_hold_whose_panes_the_app_took_down_ends_without_an_error(
    app: ConvenerApp,
) -> None:
    """Quitting, Textual removes the screen's panes while its timers still tick: the hold's
    poll looked for them and failed (NoMatches, seen once in a run of the suite)."""
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        screen._hold_frames()
        assert screen._hold_poll is not None
        # As Textual's prune does: the screen marked, then its children removed.
        screen._pruning = True
        await screen.query_one("#side").remove()
        screen._check_panes()  # the poll's next look
        assert screen._hold_poll is None and not screen._polling_panes
        assert not screen._holding and app._batch_count == 0  # the app's frames let go
        assert screen._release_when_quiet()
        screen._pruning = False


async def test_the_held_frame_goes_out_as_the_panes_reads_end_not_at_the_next_look(
    app: ConvenerApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        # The timed look would come only in an hour: each pane's read, as it ends, says so
        # (read on workers: nothing is read ahead here).
        monkeypatch.setattr(main_screen, "PANE_POLL", 3600.0)
        monkeypatch.setattr(screen, "_read_neighbours_soon", lambda tries=0: None)
        screen._stop_neighbours()
        await app.workers.wait_for_complete()
        app.planner.read_ahead = None
        assert await dinner_week_shown(app, pilot, within=5)


def count_workers(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """From now on, the group of each worker started."""
    started: list[str] = []
    start = Worker._start

    def counted(worker: Worker[Any], *args: Any, **kwargs: Any) -> Any:
        started.append(worker.group)
        return start(worker, *args, **kwargs)

    monkeypatch.setattr(Worker, "_start", counted)
    return started


DINNER = "Policy Dinner: Cities and Atrocity Prevention"


def details_head(app: ConvenerApp) -> str:
    return str(app.screen.query_one("#details-head", Static).content)


async def test_the_next_weeks_panes_are_read_ahead_and_shown_without_a_worker(
    app: ConvenerApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    started = count_workers(monkeypatch)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        # Once the screen is still, the panes of the next selections are read ahead.
        assert await wait_until(pilot, lambda: app.answers_ahead, within=10)
        await app.workers.wait_for_complete()  # all of them (the first answer came first)
        started.clear()
        painted: list[int] = []
        paint = screen._compositor_refresh

        def count_frames() -> None:
            painted.append(1)
            paint()

        monkeypatch.setattr(screen, "_compositor_refresh", count_frames)
        # The dinner's week: its panes from the answers, at once, in the same frame as
        # the grid's cursor and the week's lines (not the cursor in a frame of its own).
        assert await dinner_week_shown(app, pilot, within=10)
        await settle(app, pilot)
        assert len(painted) == 1
        assert not main_screen.PANE_GROUPS & set(started)
        assert details_head(app).startswith(DINNER)
        occurrence = details(app).occurrence
        assert occurrence is not None and occurrence.event.id is not None
        assert screen.guests.event_id == occurrence.event.id
        assert screen.guests.table.row_count > 0
        assert screen.related.current == ItemRef("event", occurrence.event.id)


async def test_a_held_frame_goes_out_when_its_widgets_are_done_not_at_the_next_poll(
    app: ConvenerApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        # The poll would look again only after 30 s: the frame must go on the screen's
        # idle moment once the panes' widgets have handed in their changes.
        monkeypatch.setattr(main_screen, "PAINT_POLL", 30.0)
        # The first look after the panes' answers finds a widget not done yet (as a
        # week of many lines at 100k does, whatever this machine's pace); the next look,
        # on the screen's next idle moment, finds them done. (Here the test's pilot
        # keeps a callback in every widget's queue as it waits, so the real look would
        # wait for the hold's limit.)
        looks: list[bool] = []

        def first_look_busy(on: Any) -> bool:
            looks.append(done := bool(looks))
            return done

        monkeypatch.setattr(main_screen, "nothing_pending", first_look_busy)
        assert await dinner_week_shown(app, pilot, within=5)
        assert looks[0] is False and looks[-1] is True


async def test_answers_read_ahead_lapse_when_another_process_writes(
    app: ConvenerApp, monkeypatch: pytest.MonkeyPatch, sample_db: Path
) -> None:
    from tui.domain.planner import Planner
    from tui.domain.store import Store

    started = count_workers(monkeypatch)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert await wait_until(pilot, lambda: app.answers_ahead, within=10)
        # Another process renames the dinner (j's selection) once its panes were read
        # ahead: the app's look at data_version lapses those answers, before (or without)
        # the screens reading again.
        other = Store(sample_db)
        try:
            elsewhere = Planner(other, today=lambda: TODAY)
            dinner = next(e for e in elsewhere.events() if e.title == DINNER)
            elsewhere.save(replace(dinner, title="Renamed elsewhere"))
        finally:
            other.close()
        monkeypatch.setattr(app, "refresh_screens", lambda skip=None: None)
        app.notice_outside_changes()
        assert not app.answers_ahead
        started.clear()
        await pilot.press("j")
        assert await wait_until(
            pilot, lambda: details_head(app).startswith("Renamed elsewhere"), within=10
        )
        assert "details" in started  # read on a worker, not taken from the lapsed answers


async def test_go_to_a_month_written_alone_goes_to_its_first_day(app: ConvenerApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        for typed, day in (("June 2027", date(2027, 6, 1)), ("2026-09", date(2026, 9, 1))):
            await pilot.press("g", *typed)
            await pilot.pause()
            preview = str(app.screen.query_one("#goto-error", Static).content)
            assert preview == f"→ {day:%A} 1 {day:%B %Y}"
            await pilot.press("enter")
            await settle(app, pilot)
            assert grid(app).cursor == day


async def test_go_to_says_how_a_date_that_reads_two_ways_was_read(app: ConvenerApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("g", *"12/06/2024")
        await pilot.pause()
        assert isinstance(app.screen, GoToDateScreen)
        preview = str(app.screen.query_one("#goto-error", Static).content)
        reading = app.screen.query_one("#goto-reading", Static)
        assert preview == "→ Wednesday 12 June 2024"
        assert reading.display
        assert str(reading.content) == ambiguous_reading("12/06/2024", day_first=True)
        assert str(reading.content).startswith("read as 12 June 2024 (day-first;")
        await pilot.press("backspace", *"3")  # 12/06/2023: still two ways
        await pilot.pause()
        assert str(reading.content).startswith("read as 12 June 2023")
        await pilot.press("ctrl+u", *"13/06/2024")  # one way only: nothing to say
        await pilot.pause()
        assert not reading.display
        assert str(app.screen.query_one("#goto-error", Static).content) == "→ Thursday 13 June 2024"
        await pilot.press("ctrl+u", *"12/06/2024", "enter")
        await settle(app, pilot)
        assert grid(app).cursor == date(2024, 6, 12)


async def test_go_to_a_bad_date_then_words_other_forms_and_a_range(app: ConvenerApp) -> None:
    # Was four tests, an app each (a bad date, a date in words, other forms, a range): one app
    # walks them all, "t" back to today between them (asserted), every assertion kept.
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        # A bad date says so and moves nothing.
        await pilot.press("g", *"Feb 30, 2024", "enter")
        await pilot.pause()
        assert isinstance(app.screen, GoToDateScreen)
        error = str(app.screen.query_one("#goto-error", Static).content)
        assert "not a date on the calendar" in error
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert grid(app).cursor == TODAY
        # A date in words.
        await pilot.press("g")
        await pilot.pause()
        assert isinstance(app.screen, GoToDateScreen)
        await pilot.press(*"June 12, 2024", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, MainScreen)
        assert grid(app).cursor == date(2024, 6, 12)
        assert shown_title(app) == "City Action for Peace Workshop – Washington, DC"
        # Other forms.
        for typed in ["12 Jun 2024", "2024-06-12"]:
            await back_to_today(app, pilot)
            await pilot.press("g", *typed, "enter")
            await settle(app, pilot)
            assert grid(app).cursor == date(2024, 6, 12), typed
        # A range goes to its first day.
        await back_to_today(app, pilot)
        await pilot.press("g", *"Feb 4-6, 2020", "enter")
        await settle(app, pilot)
        assert grid(app).cursor == date(2020, 2, 4)
        assert shown_title(app) == "Peace in Our Cities: Senior Staff Planning and Strategy Retreat"


async def test_enter_opens_the_event_and_backspace_returns(app: ConvenerApp) -> None:
    seen: list[Message] = []
    async with app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        await settle(app, pilot)
        await pilot.press("j")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, EventScreen)
        assert any(isinstance(m, CalendarPane.OpenRequested) for m in seen)
        opened = app.screen.query_one(EventPane)
        assert (
            opened.details
            and opened.details.event.title == "Policy Dinner: Cities and Atrocity Prevention"
        )
        await pilot.press("backspace")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)


def type_in_one_go(app: ConvenerApp, *keys: str) -> None:
    """Keys as a terminal sends a burst: queued together, none waiting for the last one's
    work (Pilot's press lets the app go idle after each)."""
    for key in keys:
        app.post_message(events.Key(key, key if len(key) == 1 else None))


async def test_keys_typed_in_one_go_act_on_the_new_week_s_event(app: ConvenerApp) -> None:
    """`j enter` in one write opened the previous week's event: the new week's lines came
    a frame after the key, and enter read the selection before them."""
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        calendar = app.screen.query_one(CalendarPane)
        await pilot.press("j")
        await settle(app, pilot)
        before = calendar.selected_occurrence
        assert before is not None
        assert before.event.title == "Policy Dinner: Cities and Atrocity Prevention"
        type_in_one_go(app, "j", "enter")
        await settle(app, pilot)
        after = calendar.selected_occurrence
        assert after is not None and after.event.id != before.event.id
        assert isinstance(app.screen, EventScreen)
        opened = app.screen.query_one(EventPane)
        assert opened.details is not None and opened.details.event.id == after.event.id
        await pilot.press("backspace")
        await settle(app, pilot)
        # `j e` within the month (the week's lines were not read yet when e ran): the
        # editor opens on the new week's event.
        type_in_one_go(app, "j", "e")
        await settle(app, pilot)
        later = calendar.selected_occurrence
        assert later is not None and later.event.id not in (before.event.id, after.event.id)
        assert app.screen.query_one("#field-title", Input).value == later.event.title
        await pilot.press("escape")
        await settle(app, pilot)
        # Into another month (its weeks still to be read): `e` waits for them, and what is
        # typed after it goes to the form it opens (X is not the calendar's export key).
        type_in_one_go(app, "k", "k", "e", "X")
        await settle(app, pilot)
        assert calendar.selected_occurrence == before
        assert "X" in app.screen.query_one("#field-title", Input).value
        assert not any("Exported" in n.message for n in app._notifications)


async def test_enter_in_the_agenda_list_opens_the_event(app: ConvenerApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("j", "tab")
        await settle(app, pilot)
        assert isinstance(app.focused, AgendaList)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, EventScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)


async def test_agenda_keys_move_between_events(app: ConvenerApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("v")  # the whole month
        await settle(app, pilot)
        pane = app.screen.query_one(CalendarPane)
        assert pane.view == "month" and len(pane.shown) >= 3
        await pilot.press("tab")
        first = shown_title(app)
        await pilot.press("j")
        await settle(app, pilot)
        second = shown_title(app)
        assert second != first
        await pilot.press("k")
        await settle(app, pilot)
        assert shown_title(app) == first


async def test_v_cycles_views_and_an_empty_day_has_nothing_to_open_or_export(
    app: ConvenerApp,
) -> None:
    # Was test_v_cycles_day_week_month, test_enter_on_an_empty_day_says_so and
    # test_export_with_nothing_selected_says_so, an app each: one app, every assertion kept.
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        pane = app.screen.query_one(CalendarPane)
        views = []
        for _ in range(3):
            await pilot.press("v")
            await pilot.pause()
            views.append(pane.view)
        assert views == ["month", "day", "week"]
        await pilot.press("v", "v")  # day view: today has no event
        await pilot.pause()
        assert pane.view == "day"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert any("No event on this day." in n.message for n in app._notifications)
        await pilot.press("x")
        await pilot.pause()
        assert any("No event selected" in n.message for n in app._notifications)


async def test_tab_moves_between_panes(app: ConvenerApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert isinstance(app.focused, MonthGrid)
        await pilot.press("tab")
        assert isinstance(app.focused, AgendaList)
        await pilot.press("tab")
        assert isinstance(app.focused, GuestTable)
        await pilot.press("tab")
        assert isinstance(app.focused, EventPane)
        await pilot.press("shift+tab")
        assert isinstance(app.focused, GuestTable)
        await pilot.press("shift+tab")
        assert isinstance(app.focused, AgendaList)


async def test_help_lists_every_key_of_the_screen(app: ConvenerApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        areas = dict(app.screen._areas)
        assert {"Everywhere", "Main screen", "Calendar", "Month grid", "Agenda list"} <= set(areas)
        keys = {b.key for bindings in areas.values() for b in bindings}
        assert {"t", "g", "left_square_bracket", "right_square_bracket", "v", "left,h", "q"} <= keys
        # Moving between the panes is a key of the help too.
        assert {"tab", "shift+tab"} <= {b.key for b in areas["Everywhere"]}
        await pilot.press("backspace")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        # F1 opens and closes it as ? does.
        await pilot.press("f1")
        assert await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))
        await pilot.press("f1")
        assert await wait_until(pilot, lambda: isinstance(app.screen, MainScreen))


async def test_j_and_k_scroll_the_help_as_down_and_up_do(app: ConvenerApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("question_mark")
        assert await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))
        scroll = app.screen.query_one("#help-scroll")
        assert scroll.max_scroll_y > 2  # the keys are longer than 24 rows
        await pilot.press("j", "j")
        assert scroll.scroll_target_y == 2
        await pilot.press("k")
        assert scroll.scroll_target_y == 1
        await pilot.press("down")
        assert scroll.scroll_target_y == 2


def test_every_area_of_the_help_has_a_name_not_a_class_name() -> None:
    import importlib
    import inspect
    import pkgutil

    import tui
    from tui.screens.help import AREA_NAMES

    unnamed = []
    for found in pkgutil.walk_packages(tui.__path__, "tui."):
        if found.name in ("tui.__main__", "tui.launch"):
            continue  # they start the program
        module = importlib.import_module(found.name)
        for name, value in vars(module).items():
            if (
                inspect.isclass(value)
                and value.__module__ == module.__name__
                and value.__dict__.get("BINDINGS")
                and name not in AREA_NAMES
            ):
                unnamed.append(name)
    assert unnamed == []


def test_every_binding_has_a_description_tooltip_and_id() -> None:
    from tui.modals.goto import GoToDateScreen as Goto
    from tui.screens.forms.task import TaskFormScreen
    from tui.widgets.task_list import TaskList

    for owner in (
        ConvenerApp,
        MainScreen,
        CalendarPane,
        MonthGrid,
        AgendaList,
        EventScreen,
        HelpScreen,
        Goto,
        TaskList,
        TaskFormScreen,
    ):
        for binding in owner.BINDINGS:
            assert isinstance(binding, Binding)
            assert binding.description and binding.tooltip and binding.id, (
                owner.__name__,
                binding.key,
            )


async def test_palette_lists_calendar_commands_and_exports_runs_one_and_opens(
    app: ConvenerApp,
) -> None:
    # Was three tests, an app each (the calendar commands and ctrl+p, the three exports, a
    # command runs the same action): one app, every assertion kept.
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert {
            "Calendar: today",
            "Calendar: go to date",
            "Calendar: next month",
            "Event: open",
        } <= set(titles)
        assert {
            "Export: event agenda",
            "Export: briefing book",
            "Export: officer's agenda",
            "Export: briefing book with private details",
        } <= set(titles)
        command = next(
            c for c in app.get_system_commands(app.screen) if c.title == "Calendar: next month"
        )
        await command.callback()
        await settle(app, pilot)
        assert grid(app).cursor == date(2026, 12, 18)
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)


@pytest.mark.parametrize("key", ["q", "ctrl+c"])
async def test_quit_keys(app: ConvenerApp, key: str) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press(key)
        await pilot.pause()
        assert not app.is_running


async def test_empty_database_greets_with_how_to_start(empty_app: ConvenerApp) -> None:
    async with empty_app.run_test(size=SIZE) as pilot:
        await settle(empty_app, pilot)
        head = str(empty_app.screen.query_one("#details-head", Static).content)
        assert "Your database is empty" in head and "convener import" in head
        await pilot.press("right_square_bracket", "enter")
        await pilot.pause()
        assert isinstance(empty_app.screen, MainScreen)


async def test_resizing_keeps_the_app_usable(app: ConvenerApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.resize_terminal(60, 20)
        await pilot.press("j")
        await settle(app, pilot)
        await pilot.resize_terminal(200, 60)
        await pilot.pause()
        assert shown_title(app) == "Policy Dinner: Cities and Atrocity Prevention"


HOSTILE = "[Draft] [/] [@click=app.quit]x[/] \x1b]0;X\x07 \u202eevil"


async def test_hostile_text_shows_as_typed_minus_control_characters(app: ConvenerApp) -> None:
    app.planner.save(
        Event(
            title=HOSTILE,
            start_date=TODAY,
            end_date=TODAY,
            location="[bold]Room[/bold]",
            description="[red]x[/red] \x1b[2J",
            program_area="[/]",
        )
    )
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        pane = app.screen.query_one(CalendarPane)
        assert any(o.event.title.startswith("[Draft]") for o in pane.shown)
        await pilot.press("v", "v")  # the day: only the hostile event
        await settle(app, pilot)
        head = str(app.screen.query_one("#details-head", Static).content)
        expected = "[Draft] [/] [@click=app.quit]x[/] evil"  # the title sequence goes whole
        assert head.startswith(expected)
        facts = plain(app.screen.query_one("#details-facts", Static).content)
        assert "[bold]Room[/bold]" in facts and "[/]" in facts
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, EventScreen)
        await pilot.press("backspace")
        await pilot.pause()
        assert app.is_running


async def test_import_key_imports_pages_with_progress_and_reloads(
    empty_app: ConvenerApp, tmp_path: Path
) -> None:
    from textual.widgets import Input, ProgressBar, RichLog

    from tui.screens.import_files import STEPS, ImportScreen

    pages = Path(__file__).resolve().parents[1] / "fixtures" / "pages"
    async with empty_app.run_test(size=SIZE) as pilot:
        await settle(empty_app, pilot)
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(empty_app.screen, ImportScreen)
        empty_app.screen.query_one(Input).value = f"{pages}/*.txt /no/such/file.txt"
        await pilot.press("enter")
        await pilot.pause()
        assert "no such file: /no/such/file.txt" in str(
            empty_app.screen.query_one("#import-error", Static).content
        )
        empty_app.screen.query_one(Input).value = f"{pages}/*.txt"
        await pilot.press("enter")
        await settle(empty_app, pilot)
        bar = empty_app.screen.query_one(ProgressBar)
        assert bar.total == 2 * STEPS and bar.progress == 2 * STEPS
        log_text = log_words(empty_app.screen.query_one(RichLog))
        assert "added 4 events" in log_text and "Imported 2 pages." in log_text
        assert "Backup" not in log_text  # the database was empty: nothing to lose
        await pilot.press("escape")
        await settle(empty_app, pilot)
        assert isinstance(empty_app.screen, MainScreen)
        assert not empty_app.planner.is_empty()
        await pilot.press("g", *"2024-06-12", "enter")
        await settle(empty_app, pilot)
        assert shown_title(empty_app) == "City Action for Peace Workshop – Washington, DC"
        # Into a database with records: a copy of it first, and the report says where.
        page = tmp_path / "dinner.txt"
        page.write_text("March 3, 2027 | Washington D.C., DC, USA\nLaunch dinner\n")
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(empty_app.screen, ImportScreen)
        empty_app.screen.query_one(Input).value = str(page)
        await pilot.press("enter")
        await settle(empty_app, pilot)
        log_text = log_words(empty_app.screen.query_one(RichLog))
        backups = list((empty_app.planner.database_path.parent / "backups").glob("*.db"))
        assert len(backups) == 1
        assert "Backup of the database before this import:" in log_text
        # The path wraps where the test's tmp folder puts it, a long name mid-word.
        assert backups[0].name in "".join(log_text.split())


async def test_an_import_that_fails_unexpectedly_says_so_and_the_dialog_closes(
    app: ConvenerApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from textual.widgets import Input, RichLog

    from tui.screens.import_files import ImportScreen

    def broken(paths: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(app.planner, "backup_before_import", broken)
    page = tmp_path / "dinner.txt"
    page.write_text("March 3, 2027\nLaunch dinner\n")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, ImportScreen)
        app.screen.query_one(Input).value = str(page)
        await pilot.press("enter")
        await settle(app, pilot)
        log_text = log_words(app.screen.query_one(RichLog))
        assert "Import stopped: something went wrong (RuntimeError: disk on fire)" in log_text
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, MainScreen)


async def test_the_import_report_fits_a_small_window_and_scrolls(empty_app: ConvenerApp) -> None:
    from textual.widget import Widget
    from textual.widgets import Input, RichLog

    fixtures = Path(__file__).resolve().parents[1] / "fixtures"
    async with empty_app.run_test(size=(80, 24)) as pilot:
        await settle(empty_app, pilot)
        await pilot.press("i")
        await pilot.pause()
        typed = f"{fixtures}/pages/*.txt {fixtures}/ics/*.ics {fixtures}/malformed/calendar-*.ics"
        empty_app.screen.query_one(Input).value = typed
        await pilot.press("enter")
        await settle(empty_app, pilot)
        log = empty_app.screen.query_one(RichLog)
        assert "not made partners" in log_words(log)
        # Lines were cut at 78 cells (RichLog's least width) in a 74-cell log.
        width = log.scrollable_content_region.width
        assert max(strip.cell_length for strip in log.lines) <= width
        # The report ran past the bottom of the dialog, its last lines out of reach: it
        # now takes the rows left, ends in sight, and the keys scroll it.
        dialog = log.parent
        assert isinstance(dialog, Widget) and log.region.bottom <= dialog.region.bottom
        assert len(log.lines) > log.scrollable_content_region.height
        assert log.scroll_offset.y + log.scrollable_content_region.height >= len(log.lines)
        # The path box keeps the focus (another path can be typed); ctrl+home goes up.
        assert empty_app.screen.query_one("#import-input", Input).has_focus
        await pilot.press("ctrl+home")
        await settle(empty_app, pilot)
        assert await wait_until(pilot, lambda: log.scroll_offset.y == 0)


def _calendar_file(tmp_path: Path, count: int) -> Path:
    events = "".join(
        f"BEGIN:VEVENT\r\nUID:big-{n}\r\nSUMMARY:Briefing {n}\r\n"
        f"DTSTART;VALUE=DATE:{20260101 + n % 28}\r\n"
        f"ATTENDEE;CN=Guest {n}:mailto:guest{n}@example.org\r\nEND:VEVENT\r\n"
        for n in range(count)
    )
    path = tmp_path / "big.ics"
    path.write_text(f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n{events}END:VCALENDAR\r\n")
    return path


def _held_import(app: ConvenerApp, monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """Hold each file's import at its progress calls until the event returned is set."""
    gate = threading.Event()
    real = app.planner.import_file

    def held(path: Path, **options: Any) -> Any:
        told = options["progress"]

        def progress(done: int, total: int) -> None:
            told(done, total)  # raises Cancelled once escape was pressed
            gate.wait(10)

        return real(path, **{**options, "progress": progress})

    monkeypatch.setattr(app.planner, "import_file", held)
    return gate


async def test_an_import_cancelled_after_a_file_was_imported_names_the_backup(
    app: ConvenerApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from textual.widgets import Input

    from tui.domain.planner import importing

    monkeypatch.setattr(importing, "PROGRESS_EVERY", 50)
    page = tmp_path / "a-dinner.txt"
    page.write_text("March 3, 2027 | Washington D.C., DC, USA\nLaunch dinner\n")
    big = _calendar_file(tmp_path, 400)
    gate = _held_import(app, monkeypatch)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("i")
        await pilot.pause()
        app.screen.query_one(Input).value = f"{page} {big}"
        await pilot.press("enter")
        reading = app.screen.query_one("#import-reading", Static)
        await wait_until(pilot, lambda: "Reading big.ics" in str(reading.content))
        await pilot.press("escape")
        gate.set()
        [backup] = (app.planner.database_path.parent / "backups").glob("*-before-import.db")
        told = f"the database as it was before: {backup}"
        await wait_until(pilot, lambda: any(told in n.message for n in app._notifications))
        assert any(told in n.message for n in app._notifications)


async def test_an_import_cancelled_with_nothing_written_leaves_no_backup(
    app: ConvenerApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rows the cancelled file wrote, rolled back, counted as written: the backup made
    before the import stayed (the README: one whose import wrote nothing is removed)."""
    from textual.widgets import Input

    from tui.domain.planner import importing

    monkeypatch.setattr(importing, "PROGRESS_EVERY", 50)
    big = _calendar_file(tmp_path, 200)
    # Its events twice: the second of a UID writes the batch before it (rows written in
    # the file's transaction, then rolled back by the cancel).
    head, body = big.read_text().split("BEGIN:VEVENT", 1)
    events = "BEGIN:VEVENT" + body.rsplit("END:VCALENDAR", 1)[0]
    big.write_text(head + events + events + "END:VCALENDAR\r\n")
    gate = threading.Event()
    real = app.planner.import_file
    calls: list[int] = []

    def held(path: Path, **options: Any) -> Any:
        told = options["progress"]

        def progress(done: int, total: int) -> None:
            told(done, total)  # raises Cancelled once escape was pressed
            calls.append(done)
            if len(calls) >= 6:  # held once events were written in the file's transaction
                gate.wait(10)

        return real(path, **{**options, "progress": progress})

    monkeypatch.setattr(app.planner, "import_file", held)
    backups = app.planner.database_path.parent / "backups"
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("i")
        await pilot.pause()
        app.screen.query_one(Input).value = str(big)
        await pilot.press("enter")
        await wait_until(pilot, lambda: len(calls) >= 6)
        assert app.planner.changes_made() > 0
        assert len(list(backups.glob("*-before-import.db"))) == 1  # made before the import
        await pilot.press("escape")
        gate.set()
        told = "Import cancelled: nothing of big.ics was written"
        await wait_until(pilot, lambda: any(told in n.message for n in app._notifications))
        [message] = [n.message for n in app._notifications if told in n.message]
        assert "as it was before" not in message
        assert list(backups.glob("*-before-import.db")) == []


@pytest.mark.slow
async def test_a_folder_import_cancelled_says_its_files_read_before_were_kept(
    app: ConvenerApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from textual.widgets import Input

    from tui.domain.planner import importing

    monkeypatch.setattr(importing, "PROGRESS_EVERY", 50)
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "a-dinner.txt").write_text(
        "March 3, 2027 | Washington D.C., DC, USA\nLaunch dinner\n"
    )
    _calendar_file(tmp_path, 400).rename(folder / "big.ics")
    gate = _held_import(app, monkeypatch)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("i")
        await pilot.pause()
        app.screen.query_one(Input).value = str(folder)
        await pilot.press("enter")
        reading = app.screen.query_one("#import-reading", Static)
        await wait_until(pilot, lambda: "big.ics" in str(reading.content), within=10)
        await pilot.press("escape")
        gate.set()
        told = "Import cancelled in the folder pages/"
        await wait_until(pilot, lambda: any(told in n.message for n in app._notifications))
        [message] = [n.message for n in app._notifications if told in n.message]
        assert "its files read before it were kept" in message
        assert any(e.title == "Launch dinner" for e in app.planner.events())


async def test_a_large_calendar_shows_how_far_it_has_read_and_escape_cancels_it(
    empty_app: ConvenerApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from textual.widgets import Input, ProgressBar

    from tui.domain.planner import importing
    from tui.screens.import_files import STEPS, ImportScreen

    monkeypatch.setattr(importing, "PROGRESS_EVERY", 50)
    path = _calendar_file(tmp_path, 400)
    gate = _held_import(empty_app, monkeypatch)
    async with empty_app.run_test(size=SIZE) as pilot:
        await settle(empty_app, pilot)
        await pilot.press("i")
        await pilot.pause()
        empty_app.screen.query_one(Input).value = str(path)
        await pilot.press("enter")
        reading = empty_app.screen.query_one("#import-reading", Static)
        bar = empty_app.screen.query_one(ProgressBar)
        # The worker is held inside its first progress call, so this state stays put.
        await wait_until(pilot, lambda: "Reading big.ics" in str(reading.content))
        await wait_until(pilot, lambda: bool(bar.progress))
        assert "escape cancels" in str(reading.content)
        assert bar.progress is not None and 0 < bar.progress < STEPS
        await pilot.press("escape")
        await wait_until(pilot, lambda: "Cancelling" in str(reading.content))
        assert isinstance(empty_app.screen, ImportScreen)  # stays until the import stopped
        assert "Cancelling" in str(reading.content)
        gate.set()
        # notify() posts a message: the toast can land a frame after the screen closed.
        told = "nothing of big.ics was written"
        await wait_until(
            pilot,
            lambda: (
                isinstance(empty_app.screen, MainScreen)
                and any(told in n.message for n in empty_app._notifications)
            ),
        )
        assert isinstance(empty_app.screen, MainScreen)
        notes = [n.message for n in empty_app._notifications]
        assert any(told in m for m in notes), notes
        assert empty_app.planner.is_empty()
        assert empty_app.planner.history() == []


async def test_a_large_calendar_imports_whole_from_the_app(
    empty_app: ConvenerApp, tmp_path: Path
) -> None:
    from textual.widgets import Input, RichLog

    path = _calendar_file(tmp_path, 300)
    async with empty_app.run_test(size=SIZE) as pilot:
        await settle(empty_app, pilot)
        await pilot.press("i")
        await pilot.pause()
        empty_app.screen.query_one(Input).value = str(path)
        await pilot.press("enter")
        log = empty_app.screen.query_one(RichLog)
        for _ in range(200):
            await pilot.pause(0.02)
            if any("Imported" in strip.text for strip in log.lines):
                break
        text = log_words(log)
        assert "added 300 events, 300 people, 300 guests" in text
        assert len(empty_app.planner.events()) == 300


async def test_an_unexpected_error_in_one_file_is_said_and_the_import_finishes(
    empty_app: ConvenerApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from textual.widgets import Input, RichLog

    from tui.screens.import_files import ImportScreen

    first, second = _calendar_file(tmp_path, 3), tmp_path / "second.ics"
    second.write_text(first.read_text().replace("UID:", "UID:b-"))
    real = empty_app.planner.import_file

    def breaking(path: Path, **options: Any) -> Any:
        if path == first:
            raise RuntimeError("the disk went away")
        return real(path, **options)

    monkeypatch.setattr(empty_app.planner, "import_file", breaking)
    async with empty_app.run_test(size=SIZE) as pilot:
        await settle(empty_app, pilot)
        await pilot.press("i")
        await pilot.pause()
        empty_app.screen.query_one(Input).value = f"{first} {second}"
        await pilot.press("enter")
        log = empty_app.screen.query_one(RichLog)
        await wait_until(pilot, lambda: any("Imported" in s.text for s in log.lines))
        text = log_words(log)
        assert (
            "big.ics: not imported: something went wrong (RuntimeError: the disk went away)" in text
        )
        assert "Imported 1 calendar; 1 file refused (nothing written from it)" in text
        assert len(empty_app.planner.events()) == 3  # the second file, whole
        await pilot.press("escape")  # the screen is not stuck: escape closes it
        await wait_until(pilot, lambda: not isinstance(empty_app.screen, ImportScreen))
        assert isinstance(empty_app.screen, MainScreen)


async def test_import_of_a_bad_file_says_so_and_writes_nothing(
    empty_app: ConvenerApp, tmp_path: Path
) -> None:
    from textual.widgets import Input, RichLog

    bad = tmp_path / "notes.txt"
    bad.write_text("Shopping list\nmilk\n")
    async with empty_app.run_test(size=SIZE) as pilot:
        await settle(empty_app, pilot)
        await pilot.press("i")
        await pilot.pause()
        empty_app.screen.query_one(Input).value = str(bad)
        await pilot.press("enter")
        await settle(empty_app, pilot)
        log_text = log_words(empty_app.screen.query_one(RichLog))
        assert "is not an event or publication page" in log_text and "1 file refused" in log_text
        await pilot.press("escape")
        await pilot.pause()
        assert empty_app.planner.is_empty()


async def test_x_on_an_occurrence_of_a_series_names_the_file_by_its_day(
    app: ConvenerApp, isolated_paths: Path
) -> None:
    [call] = [e for e in app.planner.events() if e.repeat]
    assert call.id is not None
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.open_ref(ItemRef("event", call.id))
        await settle(app, pilot)
        selected = app.screen.calendar.selected_occurrence  # type: ignore[attr-defined]
        assert selected is not None and selected.start_date != call.start_date
        await pilot.press("x")
        await settle(app, pilot)
        day = selected.start_date.isoformat()
        [exported] = (isolated_paths / "documents").glob("*.md")
        assert exported.name[:10] == day
        # Its text is that date's too, the series said after the rule.
        text = exported.read_text()
        when = format_span(selected.start_date, selected.start_date)
        assert f"- **When:** {when}, " in text
        first = format_span(call.start_date, call.start_date)
        assert f"(one date of a series that began on {first})" in text


async def test_x_on_the_events_own_screen_exports_its_agenda(
    app: ConvenerApp, isolated_paths: Path
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.open_ref(ItemRef("event", 10))
        await settle(app, pilot)
        await pilot.press("enter")  # the dinner's own screen
        assert await wait_until(pilot, lambda: isinstance(app.screen, EventScreen))
        await pilot.press("x")
        await settle(app, pilot)
        [exported] = (isolated_paths / "documents").glob("*.md")
        assert "policy-dinner" in exported.name and not exported.name.endswith("private.md")
        assert exported.read_text().startswith("# Policy Dinner")
        assert isinstance(app.screen, EventScreen)  # still there


async def test_x_exports_the_selected_event_and_asks_before_replacing(
    app: ConvenerApp, isolated_paths: Path
) -> None:
    from tui.modals.confirm import ConfirmScreen

    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("j")  # the dinner's week
        await settle(app, pilot)
        await pilot.press("x")
        await settle(app, pilot)
        exported = (
            isolated_paths
            / "documents"
            / "2026-11-24-policy-dinner-cities-and-atrocity-prevention.md"
        )
        assert exported.read_text().startswith("# Policy Dinner: Cities and Atrocity Prevention")
        assert any(
            str(exported) in n.message and "left out" in n.message for n in app._notifications
        )
        exported.write_text("old")
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await settle(app, pilot)
        assert exported.read_text() == "old"
        # A no (or escape) is said: it closed the question and nothing told what happened.
        assert any(
            n.message == f"Not exported: {exported.name} is kept as it was."
            for n in app._notifications
        )
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("y")
        await settle(app, pilot)
        assert exported.read_text().startswith("# Policy Dinner")


async def test_the_two_briefing_books_get_different_file_names(
    app: ConvenerApp, isolated_paths: Path
) -> None:
    """Issue 18: the private briefing book never replaces the public one (or the reverse)."""
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("j")  # the dinner's week
        await settle(app, pilot)
        commands = {c.title: c.callback for c in app.get_system_commands(app.screen)}
        commands["Export: briefing book"]()
        await settle(app, pilot)
        commands["Export: briefing book with private details"]()
        await settle(app, pilot)
        folder = isolated_paths / "documents"
        stem = "2026-11-24-policy-dinner-cities-and-atrocity-prevention"
        public = folder / f"{stem}-briefing.md"
        private = folder / f"{stem}-briefing-private.md"
        assert await wait_until(pilot, lambda: public.exists() and private.exists())
        assert "## Guests' needs" in private.read_text()
        assert "## Guests' needs" not in public.read_text()
        assert "## Needs summary" in public.read_text()


async def test_shift_x_exports_the_range_on_screen(app: ConvenerApp, isolated_paths: Path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("v")  # the month
        await settle(app, pilot)
        await pilot.press("X")
        await settle(app, pilot)
        exported = isolated_paths / "documents" / "agenda-2026-11-01-to-2026-11-30.md"
        text = exported.read_text()
        assert text.startswith("# Agenda: Sun 1 – Mon 30 November 2026")
        assert "Policy Dinner" in text


async def test_a_very_long_description_shows_a_preview_and_the_next_event_its_own(
    empty_app: ConvenerApp,
) -> None:
    from tui.widgets.event_pane import PREVIEW_CHARS

    planner = empty_app.planner
    long_text = ("A paragraph of the long description. " * 20 + "\n\n") * 130  # ~99,000
    planner.save(Event(title="Long one", start_date=TODAY, end_date=TODAY, description=long_text))
    planner.save(
        Event(
            title="Short one",
            start_date=TODAY + timedelta(days=1),
            end_date=TODAY + timedelta(days=1),
            description="Only this.",
        )
    )
    async with empty_app.run_test(size=SIZE) as pilot:
        await settle(empty_app, pilot)
        details = empty_app.screen.query_one(EventPane)
        assert "Long one" in str(details.query_one("#details-head", Static).content)
        text = details.description
        assert len(text) < PREVIEW_CHARS + 200
        assert "more characters: e shows the whole description" in text
        await pilot.press("l")  # the next day: the short event, with its own description
        await settle(empty_app, pilot)
        assert "Short one" in str(details.query_one("#details-head", Static).content)
        assert details.description == "Only this."
        shown = details.query_one("#details-description", Static)
        assert "Only this." in "".join(
            strip.text for strip in shown.render_lines(shown.region.reset_offset)
        )


async def test_the_app_sees_another_process_write_without_a_key_pressed(
    app: ConvenerApp, sample_db: Path
) -> None:
    from tui.domain.planner import Planner
    from tui.domain.store import Store

    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        refreshed: list[int] = []
        original = screen.refresh_data

        def counted() -> None:
            refreshed.append(1)
            original()

        screen.refresh_data = counted  # type: ignore[method-assign]
        # Another writer on the same file, as `convener import` in another terminal.
        other = Store(sample_db)
        try:
            Planner(other, today=lambda: TODAY).save(
                Event(title="Written elsewhere", start_date=TODAY, end_date=TODAY)
            )
        finally:
            other.close()
        assert await wait_until(
            pilot,
            lambda: any(o.event.title == "Written elsewhere" for o in screen.calendar.shown),
            within=10,
        )
        assert len(refreshed) == 1
        # The app's own writes do not count as another's: the next look finds nothing new.
        app.planner.save(Event(title="Written here", start_date=TODAY, end_date=TODAY))
        app.notice_outside_changes()
        assert len(refreshed) == 1


async def test_the_app_s_own_outbox_writes_are_not_taken_for_another_process_s(
    app: ConvenerApp,
) -> None:
    """The outbox is files: its folder is looked at with SQLite's data_version. A message
    another process queued is news (the header and the guest list count again); one this
    process queued was told as it was saved, and the next look does not do it all again."""
    from tui.domain.mail.spool import outbox_beside

    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        outbox = outbox_beside(app.planner.database_path)
        outbox.mkdir(parents=True, exist_ok=True)
        app.notice_outside_changes()
        seen = app._outside_seen
        (outbox / "elsewhere.eml").write_text("Subject: queued by another process\n\nHi\n")
        app.notice_outside_changes()
        assert app._outside_seen == seen + 1
        (outbox / "here.eml").write_text("Subject: queued here\n\nHi\n")
        app.planner.outbox_changed()  # as this process's queueing says
        app.notice_outside_changes()
        assert app._outside_seen == seen + 1
        (outbox / "elsewhere-2.eml").write_text("Subject: another one\n\nHi\n")
        app.notice_outside_changes()
        assert app._outside_seen == seen + 2


async def test_a_description_shows_as_markdown_and_plain_text_reads_the_same(
    empty_app: ConvenerApp,
) -> None:
    planner = empty_app.planner
    plain = "Held under the\nChatham House Rule.\n\nCome ready to share one example."
    marked = "The retreat will agree:\n\n- the *priorities*\n- a [plan](https://example.org)"
    for offset, (title, text) in enumerate([("Plain one", plain), ("Marked one", marked)]):
        day = TODAY + timedelta(days=offset)
        planner.save(Event(title=title, start_date=day, end_date=day, description=text))
    async with empty_app.run_test(size=SIZE) as pilot:
        await settle(empty_app, pilot)
        details = empty_app.screen.query_one(EventPane)
        shown = details.query_one("#details-description", Static)

        def lines() -> list[str]:
            region = shown.region.reset_offset
            return [strip.text.rstrip() for strip in shown.render_lines(region)]

        assert "Plain one" in str(details.query_one("#details-head", Static).content)
        # A line break inside a paragraph is a space, as Markdown has it.
        assert any("Held under the Chatham House Rule." in line for line in lines())
        assert any("Come ready to share one example." in line for line in lines())
        await pilot.press("l")
        await settle(empty_app, pilot)
        assert "Marked one" in str(details.query_one("#details-head", Static).content)
        text = "\n".join(lines())
        assert "• the priorities" in text  # a list, emphasis without its stars
        assert "plan (https://example.org)" in text  # a link shows where it goes


async def test_windows_asked_for_while_one_is_read_collapse_to_the_newest(
    app: ConvenerApp,
) -> None:
    """A held key crossing months asks for window after window: one is read at a time,
    and of those asked for meanwhile only the newest is read next."""
    import threading

    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        calendar = app.screen.query_one(CalendarPane)
        planner = app.planner
        original = planner.occurrences_between
        gate = threading.Event()
        read: list[date] = []

        def slow(start: date, end: date, *args: Any) -> Any:
            read.append(start)
            gate.wait(10)
            return original(start, end, *args)

        planner.occurrences_between = slow  # type: ignore[method-assign,assignment]
        windows = [
            (TODAY + timedelta(weeks=6 * n), TODAY + timedelta(weeks=6 * n + 6)) for n in (1, 2, 3)
        ]
        for window in windows:
            calendar.load_window(window)
        assert await wait_until(pilot, lambda: len(read) == 1)
        gate.set()
        assert await wait_until(pilot, lambda: len(read) == 2)
        await settle(app, pilot)
        assert read == [windows[0][0], windows[2][0]]  # the middle one was never read


def _at_nine(title: str, day: date, zone: str, end: time | None = None) -> Occurrence:
    """A one-day event at 09:00 in `zone`, as its occurrence on `day`."""
    event = Event(
        title=title,
        start_date=day,
        end_date=day,
        start_time=time(9, 0),
        end_time=end,
        timezone=zone,
    )
    return Occurrence(event, day, day)


def test_an_agenda_line_says_when_its_time_is_not_the_officer_s_clock() -> None:
    from datetime import time
    from zoneinfo import ZoneInfo

    from tui.display import agenda_line, when_lines, zone_mark
    from tui.domain.models import Occurrence

    day = date(2026, 12, 8)
    occurrence = _at_nine("Geneva workshop", day, "Europe/Zurich", time(17, 0))
    # From London the event's 09:00 is not the officer's 09:00: its zone says so.
    london = ZoneInfo("Europe/London")
    assert zone_mark(occurrence, london) == "CET"
    assert plain(agenda_line(occurrence, None, "CET")).rstrip() == (
        "Tue 08 Dec  09:00 CET Geneva workshop"
    )
    assert when_lines(occurrence, london)[1] == "your time: Tue 8 Dec 08:00–16:00 (Europe/London)"
    # The same clock (Zurich itself, or Berlin) needs no mark.
    for zone in ("Europe/Zurich", "Europe/Berlin"):
        assert zone_mark(occurrence, ZoneInfo(zone)) == ""
        assert len(when_lines(occurrence, ZoneInfo(zone))) == 1
    floating = Event(title="Call", start_date=day, end_date=day, start_time=time(9, 0))
    assert zone_mark(Occurrence(floating, day, day), ZoneInfo("UTC")) == ""
    # A list's time column is as wide as its widest mark: the titles line up.
    lines = [
        plain(agenda_line(occurrence, None, "AEDT", 11)).rstrip(),
        plain(agenda_line(Occurrence(floating, day, day), None, "", 11)).rstrip(),
    ]
    assert lines == ["Tue 08 Dec  09:00 AEDT Geneva workshop", "Tue 08 Dec  09:00      Call"]
    assert lines[0].index("Geneva") == lines[1].index("Call")


def test_without_a_configured_zone_the_officer_s_is_the_computer_s_named_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Today's fixed offset (CET in winter) was taken for the officer's zone: a Berlin
    event in July was marked 'CEST' and said to be at 08:00 'your time'."""

    from tui.display import officer_zone, when_lines, zone_mark

    monkeypatch.setenv("TZ", "Europe/Berlin")
    zone = officer_zone(None)
    assert getattr(zone, "key", None) == "Europe/Berlin"
    occurrence = _at_nine("Berlin meeting", date(2027, 7, 8), "Europe/Berlin")
    assert zone_mark(occurrence, zone) == ""
    assert len(when_lines(occurrence, zone)) == 1


async def test_the_first_screen_reads_its_week_at_a_glance_and_the_rest_after(
    app: ConvenerApp,
) -> None:
    """The start reads the agenda's week and the six weeks' marks (Planner.glance); the
    rest of the six weeks comes once the first frame is painted. A key that leaves the
    week before the rest came waits for it, and then shows the right week."""
    import threading

    planner = app.planner
    glances: list[tuple[date, date]] = []
    full_reads: list[date] = []
    gate = threading.Event()
    glance, original = planner.glance, planner.occurrences_between

    def counted_glance(window: Any, shown: Any, *args: Any) -> Any:
        glances.append(shown)
        return glance(window, shown, *args)

    def held(start: date, end: date, *args: Any) -> Any:
        full_reads.append(start)
        gate.wait(10)
        return original(start, end, *args)

    planner.glance = counted_glance  # type: ignore[method-assign,assignment]
    planner.occurrences_between = held  # type: ignore[method-assign,assignment]
    async with app.run_test(size=SIZE) as pilot:
        calendar = app.screen.query_one(CalendarPane)
        assert await wait_until(pilot, lambda: bool(full_reads))  # the first frame is out
        week = calendar.range
        window = grid_window(grid(app).cursor, app.settings.first_weekday)
        assert glances == [week] and full_reads == [window[0]]
        assert [o.event.id for o in calendar.shown] == [o.event.id for o in original(*week)]
        marks = count_days(((o.start_date, o.end_date) for o in original(*window)), *window)
        assert marks and grid(app).event_days == marks
        assert calendar.shows_its_day
        await pilot.press("j")  # the next week, in the same six weeks
        assert calendar.range != week and not calendar.shows_its_day
        gate.set()
        await settle(app, pilot)
        assert calendar.shows_its_day and calendar.range[0] == week[0] + timedelta(days=7)
        next_week = [o.event.id for o in original(*calendar.range)]
        assert next_week and [o.event.id for o in calendar.shown] == next_week
        assert glances == [week]  # read at a glance once, at the start


def test_a_file_two_patterns_match_is_imported_once(tmp_path: Path) -> None:
    from tui.screens.import_files import expand_paths

    for name in ("a.toml", "b.toml"):
        (tmp_path / name).write_text("convener = 1\n")
    typed = f"{tmp_path}/*.toml {tmp_path}/b.toml {tmp_path}/./a.toml"
    assert [p.name for p in expand_paths(typed)] == ["a.toml", "b.toml"]


async def test_going_back_a_day_selects_that_days_event_not_the_later_one(
    empty_app: ConvenerApp,
) -> None:
    # Back from Friday to Thursday kept Friday's lunch selected (it still "ran on or
    # after" Thursday): the grid showed Thursday, the event pane Friday's event.
    from datetime import date

    from tui.domain.models import Event
    from tui.widgets.calendar_pane import CalendarPane

    planner = empty_app.planner
    for title, day in (("Thursday call", date(2030, 1, 10)), ("Friday lunch", date(2030, 1, 11))):
        planner.save(Event(title=title, start_date=day, end_date=day))
    async with empty_app.run_test(size=SIZE) as pilot:
        await settle(empty_app, pilot)
        calendar = empty_app.screen.query_one(CalendarPane)
        calendar.go_to(date(2030, 1, 11))
        await settle(empty_app, pilot)
        assert shown_title(empty_app) == "Friday lunch"
        calendar.go_to(date(2030, 1, 10))
        await settle(empty_app, pilot)
        assert shown_title(empty_app) == "Thursday call"
        calendar.go_to(date(2030, 1, 9))  # before both: the first coming one
        await settle(empty_app, pilot)
        assert shown_title(empty_app) == "Thursday call"


def test_a_cancelled_events_agenda_line_is_struck_through() -> None:
    """Its "[cancelled]" after the title is the first thing a narrow pane cuts: the
    title itself says it, as in the week grid."""

    from tui.display import agenda_line
    from tui.domain.models import Occurrence

    day = date(2026, 12, 8)
    on = _at_nine("Geneva workshop", day, "Europe/Zurich", None)
    off = Occurrence(replace(on.event, status="cancelled"), day, day)

    def title_style(occurrence: Occurrence) -> str:
        line = agenda_line(occurrence, None)
        start = line.plain.index("Geneva")
        return " ".join(str(span.style) for span in line.spans if span.start <= start < span.end)

    assert "strike" not in title_style(on)
    assert "strike" in title_style(off)
    assert agenda_line(off, None).plain.endswith("[cancelled]")


async def test_the_next_event_shows_from_its_top_in_a_scrolled_event_pane(
    app: ConvenerApp,
) -> None:
    """A stray `down` in the event pane scrolled it, and the next event opened with its
    title out of view."""
    from tui.domain.models import ItemRef
    from tui.widgets.event_pane import EventPane

    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        app.open_ref(ItemRef("event", 1))
        await settle(app, pilot)
        pane = app.screen.query_one(EventPane)
        assert await wait_until(pilot, lambda: pane.max_scroll_y > 2)
        pane.scroll_to(y=2, animate=False, immediate=True)  # as a stray `down` or two
        assert await wait_until(pilot, lambda: pane.scroll_y == 2)
        app.open_ref(ItemRef("event", 10))
        await settle(app, pilot)
        assert pane.border_title == "Event #10"
        assert pane.scroll_y == 0


async def test_quitting_before_the_first_frame_closes_cleanly(
    app: ConvenerApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The first frame waits for its event's panes; the officer quits (or a signal comes)
    # while they are read: the screen closes without an error of its own.
    monkeypatch.setattr(main_screen, "START_HOLD_LIMIT", 30.0)
    gate = threading.Event()
    reading = threading.Event()
    real = app.planner.glance

    def slow(*args: Any) -> Any:
        reading.set()
        gate.wait(10)
        return real(*args)

    monkeypatch.setattr(app.planner, "glance", slow)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        assert await wait_until(pilot, reading.is_set, within=10)
        assert screen._first_frame
        app.exit()
        gate.set()
    assert app._exception is None
    assert app.return_code == 0
