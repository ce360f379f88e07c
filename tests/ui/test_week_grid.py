"""Pilot tests: the week and day time grids (w from the calendar)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from tui.app import ConvenerApp
from tui.domain.dates import format_span
from tui.domain.filters import EventFilter
from tui.domain.models import Event, Session
from tui.domain.planner import Planner
from tui.screens.event import EventScreen
from tui.screens.main import MainScreen
from tui.screens.time_grid import TimeGridScreen
from tui.widgets.calendar_pane import CalendarPane
from tui.widgets.week_grid import ALL_DAY, WeekGrid

from ..conftest import TODAY
from .conftest import settle, wait_until

SIZE = (120, 40)
MONDAY = TODAY - timedelta(days=TODAY.weekday())
NOW = datetime(2026, 11, 18, 14, 10, tzinfo=UTC)


def add(
    planner: Planner, title: str, day: date, start: time | None, end: time | None, **kw: Any
) -> Event:
    return planner.save_event(
        Event(
            title=title,
            start_date=day,
            end_date=kw.pop("last", day),
            start_time=start,
            end_time=end,
            **kw,
        )
    )


def week(app: ConvenerApp) -> WeekGrid:
    return app.screen.query_one(WeekGrid)


async def open_grid(app: ConvenerApp, pilot: object) -> WeekGrid:
    from textual.pilot import Pilot

    assert isinstance(pilot, Pilot)
    app.clock = lambda: NOW
    await settle(app, pilot)
    await pilot.press("w")
    assert await wait_until(
        pilot,
        lambda: isinstance(app.screen, TimeGridScreen) and bool(app.screen.query(WeekGrid)),
    )
    grid = week(app)
    assert await wait_until(pilot, lambda: bool(grid.days) and grid.days[0] == MONDAY)
    await settle(app, pilot)
    return grid


async def test_w_shows_the_selected_week_with_dates_today_and_a_now_line(
    app: ConvenerApp, planner: Planner
) -> None:
    add(planner, "Board call", TODAY, time(9, 0), time(10, 0), timezone="UTC")
    async with app.run_test(size=SIZE) as pilot:
        grid = await open_grid(app, pilot)
        assert grid.days == tuple(MONDAY + timedelta(days=i) for i in range(7))
        assert grid.today == TODAY
        assert grid.now == datetime(2026, 11, 18, 14, 10)
        assert [b.occurrence.event.title for b in grid.layout_.blocks] == ["Board call"]
        text = grid.plain()
        assert "Wed 18" in text and "Board call" in text and "14:10─" in text
        # The time rides on the now line; the gutter keeps the hour (it read "14:10").
        [now_row] = [line for line in text.splitlines() if "14:10─" in line]
        assert now_row.startswith("14:00 ▸")
        title = app.screen.query_one("#grid-title").render()
        assert "Week 47" in str(title) and "UTC (your zone)" in str(title)


async def test_hjkl_move_the_cursor_enter_on_an_empty_slot_says_so_and_help_lists_keys(
    app: ConvenerApp,
) -> None:
    # Was three tests, an app each (test_hjkl_move_the_cursor_and_past_sunday_the_next_week_loads,
    # test_enter_on_an_empty_slot_says_so, test_help_in_the_grid_lists_its_keys_by_area): one
    # app walks them in that order, every assertion kept.
    from tui.screens.help import HelpScreen

    async with app.run_test(size=SIZE) as pilot:
        grid = await open_grid(app, pilot)
        assert grid.cursor_day == TODAY
        row = grid.row
        await pilot.press("j", "j", "k")
        assert grid.row == row + 1
        await pilot.press("l")
        assert grid.cursor_day == TODAY + timedelta(days=1)
        await pilot.press("h", "h")
        assert grid.cursor_day == TODAY - timedelta(days=1)
        await pilot.press("l", "l", "l", "l", "l", "l")  # Tue .. Sun, then on into Monday
        next_monday = MONDAY + timedelta(days=7)
        assert await wait_until(pilot, lambda: grid.days[0] == next_monday)
        assert grid.cursor_day == next_monday
        await pilot.press("left_square_bracket")
        assert await wait_until(pilot, lambda: grid.days[0] == MONDAY)
        await pilot.press("right_square_bracket", "right_square_bracket")
        assert await wait_until(pilot, lambda: grid.days[0] == MONDAY + timedelta(days=14))
        await pilot.press("t")
        assert await wait_until(pilot, lambda: grid.days[0] == MONDAY)
        await settle(app, pilot)
        # Enter on an empty slot says so.
        grid.row = 3  # 01:30, where nothing is
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TimeGridScreen)
        assert any("No event here" in str(n.message) for n in app._notifications)
        # Help lists the grid's keys by area.
        await pilot.press("question_mark")
        assert await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))
        assert isinstance(app.screen, HelpScreen)
        areas = dict(app.screen._areas)
        assert {"Time grid", "Week and day grid", "Everywhere"} <= set(areas)
        keys = {b.key for b in areas["Week and day grid"]} | {b.key for b in areas["Time grid"]}
        assert {"down,j", "left,h", "J", "enter", "w", "z", "v"} <= keys


async def test_overlapping_events_sit_side_by_side_and_enter_opens_the_one_picked(
    app: ConvenerApp, planner: Planner
) -> None:
    add(planner, "Morning panel", TODAY, time(9, 0), time(11, 0))
    add(planner, "Press call", TODAY, time(10, 0), time(10, 30))
    async with app.run_test(size=SIZE) as pilot:
        grid = await open_grid(app, pilot)
        lanes = {b.occurrence.event.title: (b.lane, b.lanes) for b in grid.layout_.blocks}
        assert lanes["Morning panel"] == (0, 2) and lanes["Press call"] == (1, 2)
        await pilot.press(*["k"] * 40)  # up to the all-day row: nothing there today
        assert grid.row == ALL_DAY and grid.selected is None
        await pilot.press("J")
        assert grid.selected is not None and grid.selected.event.title == "Morning panel"
        await pilot.press("J")
        assert grid.selected is not None and grid.selected.event.title == "Press call"
        # No later one that day: J says so in a line (a bell alone seemed a dead key).
        await pilot.press("J")
        await pilot.pause()
        assert grid.selected is not None and grid.selected.event.title == "Press call"
        on = f"{TODAY:%a} {TODAY.day} {TODAY:%b}"
        said = [str(n.message) for n in app._notifications]
        assert f"No later event on {on} (K: the one before)." in said
        status = str(app.screen.query_one("#grid-status").render())
        # When first, then what: a narrow window cuts the title, not the times.
        assert status.startswith(format_span(TODAY, TODAY) + " · 10:00–10:30")
        assert "Press call" in status
        await pilot.press("enter")
        assert await wait_until(pilot, lambda: isinstance(app.screen, EventScreen))
        assert isinstance(app.screen, EventScreen)
        assert app.screen.occurrence.event.title == "Press call"
        await pilot.press("escape")
        assert await wait_until(pilot, lambda: isinstance(app.screen, TimeGridScreen))


async def test_all_day_and_multi_day_events_are_bars_above_the_hours(
    app: ConvenerApp, planner: Planner
) -> None:
    add(planner, "Retreat", MONDAY + timedelta(days=5), None, None, last=MONDAY + timedelta(days=8))
    async with app.run_test(size=SIZE) as pilot:
        grid = await open_grid(app, pilot)
        bars = {b.occurrence.event.title: (b.first, b.last) for b in grid.layout_.bars}
        assert bars["Retreat"] == (5, 6)
        await pilot.press("l", "l", "l")  # Saturday
        while grid.row != ALL_DAY:
            await pilot.press("k")
        assert grid.selected is not None and grid.selected.event.title == "Retreat"


async def test_a_repeating_event_appears_on_each_occurrence(
    app: ConvenerApp, planner: Planner
) -> None:
    add(
        planner,
        "Stand-up",
        MONDAY - timedelta(days=7),
        time(8, 0),
        time(8, 15),
        repeat="FREQ=DAILY;COUNT=30",
    )
    async with app.run_test(size=SIZE) as pilot:
        grid = await open_grid(app, pilot)
        days = sorted(b.day for b in grid.layout_.blocks if b.occurrence.event.title == "Stand-up")
        assert days == list(grid.days)


async def test_the_calendar_filter_applies_to_the_grid(app: ConvenerApp, planner: Planner) -> None:
    add(planner, "A dinner", TODAY, time(19, 0), time(21, 0), kind="dinner")
    add(planner, "A webinar", TODAY, time(12, 0), time(13, 0), kind="webinar")
    app.event_filter = EventFilter(kind="dinner")
    async with app.run_test(size=SIZE) as pilot:
        grid = await open_grid(app, pilot)
        titles = {b.occurrence.event.title for b in grid.layout_.blocks}
        assert "A dinner" in titles and "A webinar" not in titles


async def test_the_grid_says_a_filter_is_on_and_F_clears_it_for_the_calendar_too(
    app: ConvenerApp, planner: Planner
) -> None:
    from tui.screens.filters import FilterScreen

    add(planner, "A dinner", TODAY, time(19, 0), time(21, 0), kind="dinner")
    add(planner, "A webinar", TODAY, time(12, 0), time(13, 0), kind="webinar")
    app.event_filter = EventFilter(kind="dinner")
    async with app.run_test(size=SIZE) as pilot:
        grid = await open_grid(app, pilot)
        screen = app.screen
        chips = screen.query_one("#grid-chips")
        assert chips.display and str(chips.render()) == "Filter: [kind: dinner]   F clears"
        await pilot.press("F")

        def titles() -> set[str]:
            return {b.occurrence.event.title for b in grid.layout_.blocks}

        assert await wait_until(pilot, lambda: "A webinar" in titles())
        assert app.event_filter.is_empty and not chips.display
        main = app.screen_stack[0]
        assert isinstance(main, MainScreen) and not main.query_one("#filter-chips").display
        await pilot.press("F")  # nothing to clear: it says so, the grid stays
        await pilot.pause()
        assert app.screen is screen and "A dinner" in titles()
        await pilot.press("f")
        assert await wait_until(pilot, lambda: isinstance(app.screen, FilterScreen))
        await pilot.press("escape")
        assert await wait_until(pilot, lambda: app.screen is screen)
        assert app.event_filter.is_empty and not chips.display


async def test_z_shows_the_week_in_the_selected_events_zone_and_back(
    app: ConvenerApp, planner: Planner
) -> None:
    add(planner, "NY call", TODAY, time(9, 0), time(10, 0), timezone="America/New_York")
    async with app.run_test(size=SIZE) as pilot:
        grid = await open_grid(app, pilot)
        (block,) = [b for b in grid.layout_.blocks if b.occurrence.event.title == "NY call"]
        assert block.start == 14 * 60  # 09:00 in New York is 14:00 UTC
        await pilot.press(*["k"] * 40)
        await pilot.press("z")  # nothing selected: it says so and stays in UTC
        assert any("No event under the cursor" in str(n.message) for n in app._notifications)
        while grid.selected is None or grid.selected.event.title != "NY call":
            await pilot.press("J")
        await pilot.press("z")
        assert await wait_until(
            pilot,
            lambda: any(b.start == 9 * 60 for b in week(app).layout_.blocks),
        )
        assert "America/New_York" in str(app.screen.query_one("#grid-title").render())
        assert grid.selected is not None and grid.selected.event.title == "NY call"
        await pilot.press("z")
        assert await wait_until(pilot, lambda: any(b.start == 14 * 60 for b in grid.layout_.blocks))


async def test_z_in_the_day_grid_follows_the_event_to_its_own_day(
    app: ConvenerApp, planner: Planner
) -> None:
    # 19:00 in New York is 00:00 the next day in UTC: the day grid on that next day shows
    # the dinner; z moves to the dinner's own day, and back.
    add(planner, "NY dinner", TODAY, time(19, 0), time(21, 0), timezone="America/New_York")
    async with app.run_test(size=SIZE) as pilot:
        grid = await open_grid(app, pilot)
        next_day = TODAY + timedelta(days=1)
        # The week opens on the dinner, selected in the calendar: on the next day in UTC.
        assert grid.cursor_day == next_day
        assert grid.selected is not None and grid.selected.event.title == "NY dinner"
        await pilot.press("w")  # the day grid, of that day
        assert await wait_until(pilot, lambda: week(app).days == (next_day,))
        await settle(app, pilot)
        assert [b.start for b in grid.layout_.blocks] == [0]  # 00:00 UTC
        assert grid.selected is not None and grid.selected.event.title == "NY dinner"
        await pilot.press("z")
        assert await wait_until(pilot, lambda: week(app).days == (TODAY,))
        await settle(app, pilot)
        assert grid.selected is not None and grid.selected.event.title == "NY dinner"
        assert grid.row * 30 == 19 * 60
        await pilot.press("z")
        assert await wait_until(pilot, lambda: week(app).days == (next_day,))
        await settle(app, pilot)
        assert grid.selected is not None and grid.selected.event.title == "NY dinner"


async def test_the_day_grid_shows_a_convenings_sessions_with_rooms_and_speakers(
    app: ConvenerApp, planner: Planner
) -> None:
    event = add(
        planner,
        "Summit",
        TODAY,
        time(9, 0),
        time(17, 0),
        last=TODAY + timedelta(days=1),
        timezone="UTC",
    )
    assert event.id is not None
    planner.save_session(
        Session(
            event.id,
            TODAY,
            "Opening plenary",
            start_time=time(9, 30),
            end_time=time(10, 30),
            room="Hall A",
        )
    )
    async with app.run_test(size=SIZE) as pilot:
        grid = await open_grid(app, pilot)
        assert any(b.occurrence.event.title == "Summit" for b in grid.layout_.bars)
        await pilot.press("w")
        assert await wait_until(pilot, lambda: len(week(app).days) == 1)
        grid = week(app)
        assert grid.days == (TODAY,)
        (block,) = [b for b in grid.layout_.blocks if b.occurrence.event.title == "Summit"]
        assert [s.title for s in block.sessions] == ["Opening plenary"]
        text = grid.plain()
        assert "Opening plenary · Hall A" in text
        await pilot.press("right_square_bracket")
        assert await wait_until(pilot, lambda: week(app).days == (TODAY + timedelta(days=1),))
        await pilot.press("w")
        assert await wait_until(pilot, lambda: len(week(app).days) == 7)


async def test_v_goes_back_to_the_lists_on_the_day_and_event_left(
    app: ConvenerApp, planner: Planner
) -> None:
    add(planner, "Thursday lunch", TODAY + timedelta(days=1), time(12, 0), time(13, 0))
    async with app.run_test(size=SIZE) as pilot:
        grid = await open_grid(app, pilot)
        await pilot.press("l", "J")
        assert grid.selected is not None
        await pilot.press("v")
        assert await wait_until(pilot, lambda: isinstance(app.screen, MainScreen))
        calendar = app.screen.query_one(CalendarPane)
        assert calendar.day == TODAY + timedelta(days=1)
        assert await wait_until(
            pilot,
            lambda: (
                calendar.selected_occurrence is not None
                and calendar.selected_occurrence.event.title == "Thursday lunch"
            ),
        )


def test_every_new_binding_has_a_description_tooltip_and_a_unique_id() -> None:
    from textual.binding import Binding

    from tui.screens.pipeline import PipelineScreen

    ids = [b.id for b in ConvenerApp.BINDINGS if isinstance(b, Binding)]
    for owner in (TimeGridScreen, WeekGrid, PipelineScreen, CalendarPane):
        for binding in owner.BINDINGS:
            assert isinstance(binding, Binding)
            assert binding.description and binding.tooltip and binding.id, binding.key
            ids.append(binding.id)
    assert len(ids) == len(set(ids))


async def test_back_from_the_event_screen_the_grid_reads_the_week_again(
    app: ConvenerApp, planner: Planner
) -> None:
    from dataclasses import replace

    event = add(planner, "Old title", TODAY, time(9, 0), time(10, 0))
    async with app.run_test(size=SIZE) as pilot:
        grid = await open_grid(app, pilot)
        while grid.selected is None or grid.selected.event.id != event.id:
            await pilot.press("J")
        await pilot.press("enter")
        assert await wait_until(pilot, lambda: isinstance(app.screen, EventScreen))
        planner.save_event(replace(planner.event(event.id or 0), title="New title"))
        await pilot.press("escape")
        assert await wait_until(
            pilot,
            lambda: any(b.occurrence.event.title == "New title" for b in week(app).layout_.blocks),
        )


async def test_many_bars_leave_room_for_the_hours_and_say_how_many_more(
    app: ConvenerApp, planner: Planner
) -> None:
    for number in range(5):
        add(planner, f"Holiday {number}", TODAY, None, None)
    add(planner, "Lunch", TODAY, time(12, 0), time(13, 0))
    async with app.run_test(size=(80, 24)) as pilot:
        grid = await open_grid(app, pilot)
        assert grid.layout_.bar_rows == 5
        text = grid.plain()
        assert "+3 more" in text and "Holiday 0" in text and "Holiday 4" not in text
        assert "12:00" in text  # the hours still show at 80x24
        # J still reaches every bar, the hidden ones too.
        await pilot.press(*["k"] * 40)
        assert grid.row == ALL_DAY and grid.selected is not None
        seen = {grid.selected.event.title}
        for _ in range(6):
            await pilot.press("J")
            if grid.selected is not None:
                seen.add(grid.selected.event.title)
        assert {f"Holiday {n}" for n in range(5)} <= seen


async def test_z_on_an_event_without_a_zone_says_so_in_one_line(
    app: ConvenerApp, planner: Planner
) -> None:
    add(planner, "Floating " + "x" * 300, TODAY, time(9, 0), time(10, 0))
    async with app.run_test(size=SIZE) as pilot:
        grid = await open_grid(app, pilot)
        while grid.selected is None or not grid.selected.event.title.startswith("Floating"):
            await pilot.press("J")
        await pilot.press("z")
        await pilot.pause()
        (said,) = [str(n.message) for n in app._notifications if "no time zone" in str(n.message)]
        assert len(said) < 200 and "\n" not in said
        assert "(your zone)" in str(app.screen.query_one("#grid-title").render())


async def test_the_palette_offers_the_grids_and_the_pipeline(app: ConvenerApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        commands = {c.title: c for c in app.get_system_commands(app.screen)}
        assert {"Calendar: week grid", "Calendar: day grid", "Go: pipeline"} <= set(commands)
        import inspect

        result = commands["Calendar: day grid"].callback()
        if inspect.isawaitable(result):
            await result
        assert await wait_until(pilot, lambda: isinstance(app.screen, TimeGridScreen))
        assert await wait_until(
            pilot,
            lambda: bool(app.screen.query(WeekGrid)) and week(app).days == (TODAY,),
        )


async def test_t_puts_the_cursor_on_now(app: ConvenerApp) -> None:
    # It went to today at 00:00, the now line (14:10) out of sight below.
    async with app.run_test(size=(80, 24)) as pilot:
        grid = await open_grid(app, pilot)
        await pilot.press("right_square_bracket")
        assert await wait_until(pilot, lambda: grid.days[0] == MONDAY + timedelta(days=7))
        await pilot.press("t")
        assert await wait_until(pilot, lambda: grid.days[0] == MONDAY)
        await settle(app, pilot)
        assert (grid.cursor_day, grid.row * 30) == (TODAY, 14 * 60)
        assert "14:10─" in grid.plain()  # the now line is in sight


async def test_wide_characters_in_titles_keep_every_column_in_place(
    app: ConvenerApp, planner: Planner
) -> None:
    """A title in Chinese, with emoji or a flag took one cell a character in the grid, and
    every column after it shifted (the terminal draws them two cells wide): each line now
    has the grid's width in cells, and the days after keep their places."""
    from rich.cells import cell_len

    add(planner, "北京城市和平论坛 🕊️ 🇨🇭 roundtable", TODAY, time(9, 0), time(11, 0))
    add(planner, "Café in Zürich", TODAY + timedelta(days=1), time(9, 0), time(10, 0))
    async with app.run_test(size=SIZE) as pilot:
        grid = await open_grid(app, pilot)
        lines = [grid.render_line(y).text for y in range(grid.size.height)]
        assert all(cell_len(line) == grid.size.width for line in lines)
        block = next(line for line in lines if "北京" in line)
        after = next(line for line in lines if "Café" in line)
        column_width = grid._geometry[0]
        # Each day's block starts one day's column after the other's, in cells.
        at = cell_len(block[: block.index("北京")])
        assert cell_len(after[: after.index("Café")]) - at == column_width
        assert "…" in block[block.index("北京") :]  # cut where its block ends, and said


def test_placing_text_over_half_a_wide_character_leaves_a_space() -> None:
    from rich.style import Style

    from tui.widgets.week_grid import place

    plain = Style()
    chars, styles = [" "] * 8, [plain] * 8
    place(chars, styles, 0, "中文x", plain, 8)
    assert chars[:5] == ["中", "", "文", "", "x"]
    place(chars, styles, 1, "a", plain, 1)  # over the second half of 中
    assert chars[:3] == [" ", "a", "文"]
    place(chars, styles, 2, "b", plain, 1)  # over the first half of 文
    assert chars[:5] == [" ", "a", "b", " ", "x"]
    place(chars, styles, 6, "中文", plain, 2)  # only one fits: the second is not halved
    assert chars[6:] == ["中", ""]
    place(chars, styles, 0, "e\u0301🎤", plain, 3)
    assert chars[:3] == ["e\u0301", "🎤", ""]  # the accent on its letter
    # A character with variation selector 16 is one cell in the app (tui.terminal_width).
    place(chars, styles, 0, "e\u0301🕊\ufe0fz", plain, 3)
    assert chars[:3] == ["e\u0301", "🕊\ufe0f", "z"]


async def test_w_puts_the_cursor_on_the_selected_event_on_its_day_in_the_zone_shown(
    app: ConvenerApp, planner: Planner
) -> None:
    """A New York dinner at 21:00 is 02:00 the next day in UTC: the grid opened on its
    own date's empty 07:00, not on the dinner."""
    from tui.domain.models import ItemRef

    dinner = add(planner, "NY dinner", TODAY, time(21, 0), time(23, 0), timezone="America/New_York")
    assert dinner.id is not None
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.open_ref(ItemRef("event", dinner.id))
        await settle(app, pilot)
        grid = await open_grid(app, pilot)
        assert await wait_until(pilot, lambda: grid.selected is not None)
        assert grid.selected is not None and grid.selected.event.title == "NY dinner"
        assert grid.cursor_day == TODAY + timedelta(days=1)


async def test_k_from_the_first_hour_steps_up_through_each_bar_of_the_day_and_j_back(
    app: ConvenerApp, planner: Planner
) -> None:
    add(planner, "Retreat", MONDAY, None, None, last=MONDAY + timedelta(days=6))
    add(planner, "Holiday", TODAY, None, None)
    async with app.run_test(size=SIZE) as pilot:
        grid = await open_grid(app, pilot)
        rows = {b.occurrence.event.title: b.row for b in grid.layout_.bars}
        assert rows == {"Retreat": 0, "Holiday": 1}
        while grid.row == ALL_DAY:  # the calendar's event can put the cursor on a bar
            await pilot.press("j")
        await pilot.press(*["k"] * (grid.row + 1))  # from 07:00 to the row of bars
        assert grid.row == ALL_DAY and grid.selected is not None
        assert grid.selected.event.title == "Holiday"  # the lowest bar first
        await pilot.press("k")
        assert grid.row == ALL_DAY and grid.selected.event.title == "Retreat"
        await pilot.press("k")  # nothing above the top bar: it stays
        assert grid.row == ALL_DAY and grid.selected.event.title == "Retreat"
        await pilot.press("j")
        assert grid.row == ALL_DAY and grid.selected.event.title == "Holiday"
        await pilot.press("j")
        assert grid.row == 0


async def test_n_e_and_d_work_on_the_grid_as_on_every_screen(
    app: ConvenerApp, planner: Planner
) -> None:
    from tui.modals.confirm import ConfirmScreen
    from tui.screens.forms.event import EventFormScreen

    add(planner, "Press call", TODAY, time(10, 0), time(10, 30))
    async with app.run_test(size=SIZE) as pilot:
        grid = await open_grid(app, pilot)
        await pilot.press(*["k"] * 40)  # the all-day row: nothing there today
        await pilot.press("e")
        await settle(app, pilot)
        assert isinstance(app.screen, TimeGridScreen)  # said, not opened
        assert any("No event here" in n.message for n in app._notifications)
        await pilot.press("J")
        assert grid.selected is not None and grid.selected.event.title == "Press call"
        await pilot.press("e")
        assert await wait_until(pilot, lambda: isinstance(app.screen, EventFormScreen))
        await pilot.press("escape")
        assert await wait_until(pilot, lambda: isinstance(app.screen, TimeGridScreen))
        await pilot.press("d")
        assert await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await settle(app, pilot)
        assert await wait_until(pilot, lambda: isinstance(app.screen, TimeGridScreen))
        assert "Press call" not in [e.title for e in planner.events()]
        assert await wait_until(
            pilot,
            lambda: all(b.occurrence.event.title != "Press call" for b in grid.layout_.blocks),
        )
        await pilot.press("n")
        assert await wait_until(pilot, lambda: isinstance(app.screen, EventFormScreen))


async def test_x_exports_the_agenda_of_the_date_under_the_cursor_and_asks_before_replacing(
    app: ConvenerApp, planner: Planner, isolated_paths: Path
) -> None:
    """x on the grid did nothing; it exports as x on the calendar does: one date of a
    series as that date, a file already there replaced only after a yes."""
    from tui.modals.confirm import ConfirmScreen

    add(
        planner,
        "Stand-up",
        MONDAY - timedelta(days=7),
        time(10, 0),
        time(10, 15),
        repeat="FREQ=DAILY;COUNT=30",
    )
    async with app.run_test(size=SIZE) as pilot:
        grid = await open_grid(app, pilot)
        await pilot.press(*["k"] * 40)  # the all-day row: nothing there today
        await pilot.press("x")
        await settle(app, pilot)
        assert any("No event here" in n.message for n in app._notifications)
        assert not list((isolated_paths / "documents").glob("*.md"))
        await pilot.press("J")
        assert grid.selected is not None and grid.selected.event.title == "Stand-up"
        assert grid.selected.start_date == TODAY
        await pilot.press("x")
        await settle(app, pilot)
        [exported] = (isolated_paths / "documents").glob("*.md")
        assert exported.name == f"{TODAY.isoformat()}-stand-up.md"
        text = exported.read_text()
        assert text.startswith("# Stand-up")
        assert f"- **When:** {format_span(TODAY, TODAY)}, " in text
        assert "one date of a series" in text
        assert any(str(exported) in n.message for n in app._notifications)
        exported.write_text("old")
        await pilot.press("x")
        assert await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("n")
        await settle(app, pilot)
        assert exported.read_text() == "old"
        assert isinstance(app.screen, TimeGridScreen)
        await pilot.press("x")
        assert await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await settle(app, pilot)
        assert exported.read_text().startswith("# Stand-up")
        assert isinstance(app.screen, TimeGridScreen)


OVERLAPPING = {
    "Budget review with the board": (time(9, 0), time(11, 0)),
    "Press call on the launch of the cities report": (time(9, 30), time(10, 30)),
    "Grantee check-in": (time(10, 0), time(11, 30)),
}


def drawn_titles(text: str) -> list[str]:
    """Every piece of a title drawn in the grid's day columns, as it reads."""
    pieces = []
    for line in text.splitlines()[1:]:
        for cell in line[8:].split("│"):
            for piece in cell.split("  "):
                piece = piece.strip(" ─")
                if piece and not piece[0].isdigit() and not piece.startswith("+"):
                    pieces.append(piece)
    return pieces


async def test_overlapping_events_in_a_narrow_window_are_readable_counted_and_each_reachable(
    app: ConvenerApp, planner: Planner
) -> None:
    # At 80x24 three overlapping events took a third of a nine-cell column each: "B…",
    # "P…", "G…". Now the column shows one readable block, "+2" beside it for the others,
    # and the cursor reaches each (J), drawn in place of the first, named in full below.
    for title, (start, end) in OVERLAPPING.items():
        add(planner, title, TODAY, start, end)
    async with app.run_test(size=(80, 24)) as pilot:
        grid = await open_grid(app, pilot)
        text = grid.plain()
        assert "+2" in text and "Budget" in text
        assert all(len(piece.rstrip("…")) >= 4 for piece in drawn_titles(text)), text
        await pilot.press(*["k"] * 40)  # the all-day row: nothing there today
        seen = []
        for _ in OVERLAPPING:
            await pilot.press("J")
            await pilot.pause()
            selected = grid.selected
            assert selected is not None
            title = selected.event.title
            seen.append(title)
            text = grid.plain()
            assert title[:5] in text, text  # drawn, though its lane has no room
            assert all(len(piece.rstrip("…")) >= 4 for piece in drawn_titles(text)), text
            label = app.screen.query_one("#grid-status")
            status = str(label.render())
            # Named in full where it shows: the day gives up its month and year for it.
            assert title in status, status
            assert status.index(title) + len(title) <= label.size.width, status
        assert sorted(seen) == sorted(OVERLAPPING)
        await pilot.press("enter")
        assert await wait_until(pilot, lambda: isinstance(app.screen, EventScreen))
        assert isinstance(app.screen, EventScreen)
        assert app.screen.occurrence.event.title == seen[-1]


async def test_at_120_columns_the_overlapping_events_are_counted_and_the_day_grid_has_them_all(
    app: ConvenerApp, planner: Planner
) -> None:
    for title, (start, end) in OVERLAPPING.items():
        add(planner, title, TODAY, start, end)
    async with app.run_test(size=SIZE) as pilot:
        grid = await open_grid(app, pilot)
        text = grid.plain()
        # Two lanes of a 15-cell column read "Budge…" and "Press…": one lane, and a count.
        assert "Budget review" in text and "+2" in text
        assert all(len(piece.rstrip("…")) >= 4 for piece in drawn_titles(text)), text
        # The day grid has the room: all three side by side, nothing counted.
        await pilot.press("w")
        assert await wait_until(pilot, lambda: len(grid.days) == 1)
        await settle(app, pilot)
        text = grid.plain()
        assert all(title[:10] in text for title in OVERLAPPING), text
        assert "+1" not in text and "+2" not in text


async def test_the_status_line_is_fitted_again_when_the_window_is_resized(
    app: ConvenerApp, planner: Planner
) -> None:
    # It was fitted only when the cursor moved: after 200 -> 80 columns it kept the long
    # date and cut the title ("Press call on the laun…"); back at 200 it kept the short one.
    for title, (start, end) in OVERLAPPING.items():
        add(planner, title, TODAY, start, end)
    title = "Press call on the launch of the cities report"
    long_date = format_span(TODAY, TODAY)
    async with app.run_test(size=(200, 60)) as pilot:
        grid = await open_grid(app, pilot)
        await pilot.press(*["k"] * 40, "J", "J")
        assert grid.selected is not None and grid.selected.event.title == title
        label = app.screen.query_one("#grid-status")

        def status() -> str:
            return str(label.render())

        assert await wait_until(pilot, lambda: title in status())
        assert long_date in status()
        for size in ((80, 24), (200, 60), (120, 40), (80, 24)):
            await pilot.resize_terminal(*size)
            await settle(app, pilot)
            assert label.size.width == size[0] - 2  # inside its padding
            text = status()
            assert title in text, (size, text)
            assert text.index(title) + len(title) <= label.size.width, (size, text)
            # The long date whenever it fits with the whole title, the short one when not.
            assert (long_date in text) == (size[0] >= 120), (size, text)


def column_text(grid: WeekGrid, day: date) -> list[str]:
    """The rows of one day's column, as they read (the day's cells, no rule)."""
    index = grid.days.index(day)
    width = grid._geometry[0]
    x = 8 + index * width
    return [line[x : x + width - 1] for line in grid.plain().splitlines()]


async def test_a_count_of_events_left_out_does_not_cut_a_title_to_a_few_letters(
    app: ConvenerApp, planner: Planner
) -> None:
    # At 80 columns a day is nine cells: a title on a row that also counted the events
    # left out (" +1") kept five letters ("Press… +1"). The count goes to the row under
    # the title (beside its time) when the block has one, else right after the cut title.
    for title, (start, end) in OVERLAPPING.items():
        add(planner, title, TODAY, start, end)
    thursday = TODAY + timedelta(days=1)
    add(planner, "Briefing of the speakers", thursday, time(9, 0), time(9, 30))
    add(planner, "Travel desk", thursday, time(9, 0), time(9, 30))
    add(planner, "Visa letters", thursday, time(9, 0), time(9, 30))
    async with app.run_test(size=(80, 40)) as pilot:  # 80 columns, the rows under in sight
        grid = await open_grid(app, pilot)
        await pilot.press(*["k"] * 40)  # the all-day row: nothing there today
        seen = []
        for _ in OVERLAPPING:
            await pilot.press("J")
            await pilot.pause()
            assert grid.selected is not None
            seen.append(grid.selected.event.title)
            rows = column_text(grid, TODAY)
            titled = [row for row in rows if row[:1].isalpha()]
            # Seven letters at least of each title shown ("Press ca…", "Grantee…").
            assert titled and all(len(row.split("…")[0].rstrip()) >= 7 for row in titled), rows
            assert grid.selected.event.title[:7] in "".join(titled), rows
            # The events left out are still counted, on the rows under the titles.
            assert any("+" in row for row in rows), rows
            assert not any("+" in row for row in titled), rows
        assert sorted(seen) == sorted(OVERLAPPING)
        # A block of one row keeps the count on its title's row, right after the "…".
        await pilot.press("l", *["k"] * 40, "J")
        await pilot.pause()
        assert grid.selected is not None
        assert grid.selected.event.title == "Briefing of the speakers"
        rows = column_text(grid, thursday)
        assert [row for row in rows if row[:1].isalpha()] == ["Briefi…+2"], rows  # "Brief… +2"


async def test_in_a_narrow_window_the_status_line_gives_the_zones_abbreviation_for_the_title(
    app: ConvenerApp, planner: Planner
) -> None:
    # At 80 columns "Wed 18 Nov · 09:00–10:00 Europe/London · " left the title 34 cells:
    # "… Cities and Atrocit…". The zone's name gives way to its abbreviation on that date.
    title = "Policy Dinner: Cities and Atrocity Prevention"
    add(
        planner, title, TODAY, time(9, 0), time(10, 0), timezone="Europe/London",
        venue="The Hay-Adams, Lafayette Room",
    )  # fmt: skip
    async with app.run_test(size=(80, 24)) as pilot:
        grid = await open_grid(app, pilot)
        await pilot.press(*["k"] * 40, "J")
        assert grid.selected is not None and grid.selected.event.title == title
        label = app.screen.query_one("#grid-status")
        assert await wait_until(pilot, lambda: title in str(label.render()))
        text = str(label.render())
        assert text.startswith(f"Wed 18 Nov · 09:00–10:00 GMT · {title}"), text
        assert text.index(title) + len(title) <= label.size.width, text
        await pilot.resize_terminal(200, 60)
        await settle(app, pilot)
        text = str(label.render())
        assert "09:00–10:00 Europe/London" in text and title in text, text
        # The longest wording whose title shows whole, though the venue after it is cut.
        await pilot.resize_terminal(120, 40)
        await settle(app, pilot)
        text = str(label.render())
        start = f"Wed 18 November 2026 · 09:00–10:00 Europe/London · {title} · The Hay"
        assert text.startswith(start) and len(text) > label.size.width, text


async def test_the_palette_in_the_grid_and_the_pipeline_has_their_own_keys(
    app: ConvenerApp, planner: Planner
) -> None:
    """ctrl+p in the week grid or the pipeline listed only the general entries (export,
    zone, filter and go-to were "No matches found" there): each screen's own keys are
    entries now, with their keys, and one runs what its key does."""
    add(planner, "Board call", TODAY, time(9, 0), time(10, 0), timezone="UTC")
    async with app.run_test(size=SIZE) as pilot:
        grid = await open_grid(app, pilot)
        commands = {c.title: c for c in app.get_system_commands(app.screen)}
        assert commands["Time grid: export"].help.endswith("(x)")
        assert commands["Time grid: zone"].help == "Your time zone, or the selected event's (z)"
        assert "Time grid: go to" in commands and "Time grid: filter" in commands
        days = len(grid.days)
        await commands["Time grid: week/day"].callback()
        await pilot.pause()
        assert len(app.screen.query_one(type(grid)).days) != days  # the day grid now
        await pilot.press("escape")
        await pilot.press("5")
        assert await wait_until(pilot, lambda: type(app.screen).__name__ == "PipelineScreen")
        titles = {c.title for c in app.get_system_commands(app.screen)}
        assert {"Pipeline: filter", "Pipeline: go to", "Pipeline: open"} <= titles


async def test_n_on_a_time_slot_fills_the_new_event_s_times(app: ConvenerApp) -> None:
    """`n` on Wed 09:00 opened the form with that day and no time: the slot's time is the
    new event's start now, an hour its length (to 23:59 at the day's last slot); on the
    all-day row the day only."""
    from textual.widgets import Input

    from tui.screens.forms.event import EventFormScreen

    async with app.run_test(size=SIZE) as pilot:
        grid = await open_grid(app, pilot)
        for row, (start, end) in ((18, ("09:00", "10:00")), (47, ("23:30", "23:59"))):
            grid.row = row
            await pilot.press("n")
            assert await wait_until(pilot, lambda: isinstance(app.screen, EventFormScreen))
            form = app.screen
            assert form.query_one("#field-starts", Input).value == TODAY.isoformat()
            assert form.query_one("#field-start_time", Input).value == start
            assert form.query_one("#field-end_time", Input).value == end
            await pilot.press("escape")
            assert await wait_until(pilot, lambda: isinstance(app.screen, TimeGridScreen))
        grid.row = ALL_DAY
        await pilot.press("n")
        assert await wait_until(pilot, lambda: isinstance(app.screen, EventFormScreen))
        assert app.screen.query_one("#field-start_time", Input).value == ""
