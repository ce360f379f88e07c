"""Pilot tests: the upcoming pipeline (5), and as the start screen."""

from __future__ import annotations

from datetime import timedelta

import pytest
from rich.text import Text
from textual.pilot import Pilot

from tui.app import ConvenerApp
from tui.config import Settings
from tui.domain.filters import EventFilter
from tui.domain.planner import Planner
from tui.screens.event import EventScreen
from tui.screens.main import MainScreen
from tui.screens.pipeline import PipelineScreen

from ..conftest import TODAY
from .conftest import settle, wait_until


async def open_pipeline(app: ConvenerApp, pilot: Pilot[int]) -> PipelineScreen:
    """5 from the calendar, then wait until the pipeline shows its rows."""
    await pilot.press("5")
    assert await wait_until(pilot, lambda: isinstance(app.screen, PipelineScreen))
    screen = app.screen
    assert isinstance(screen, PipelineScreen)
    assert await wait_until(pilot, lambda: bool(screen.rows))
    return screen


SIZE = (120, 40)


async def test_5_shows_every_coming_convening_by_date_and_enter_opens_one(
    app: ConvenerApp,
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = await open_pipeline(app, pilot)
        starts = [row.occurrence.start_date for row in screen.rows]
        assert starts == sorted(starts) and all(r.occurrence.end_date >= TODAY for r in screen.rows)
        assert screen.table.row_count == len(screen.rows)
        # The columns an officer reads: days to go, status, access, the bar, pending.
        first = [str(cell) for cell in screen.table.get_row_at(0)]
        row = screen.rows[0]
        assert row.occurrence.event.status in first and row.occurrence.event.access in first
        assert any("█" in cell or "░" in cell for cell in first)
        await pilot.press("j")
        assert screen.table.cursor_row == 1
        await pilot.press("enter")
        assert await wait_until(pilot, lambda: isinstance(app.screen, EventScreen))
        assert isinstance(app.screen, EventScreen)
        assert app.screen.occurrence.event.id == screen.rows[1].occurrence.event.id
        await pilot.press("escape")
        assert await wait_until(pilot, lambda: app.screen is screen)
        await pilot.press("escape")
        assert await wait_until(pilot, lambda: isinstance(app.screen, MainScreen))


async def test_the_pipeline_uses_the_calendars_filter_and_F_clears_it(
    app: ConvenerApp, planner: Planner
) -> None:
    app.event_filter = EventFilter(kind="dinner")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = await open_pipeline(app, pilot)
        assert {r.occurrence.event.kind for r in screen.rows} == {"dinner"}
        chips = str(screen.query_one("#pipeline-chips").render())
        assert "kind: dinner" in chips
        await pilot.press("F")
        assert await wait_until(
            pilot, lambda: len({r.occurrence.event.kind for r in screen.rows}) > 1
        )
        assert app.event_filter.is_empty
        # The calendar follows: its filter chips are gone too.
        main = app.screen_stack[0]
        assert isinstance(main, MainScreen)
        assert not main.query_one("#filter-chips").display


async def test_start_screen_pipeline_opens_on_it_and_escape_reaches_the_calendar(
    planner: Planner,
) -> None:
    from tui.domain.models import Event

    day = TODAY + timedelta(days=30)
    event = planner.save_event(Event("Visa workshop", day, day))
    assert event.id is not None
    planner.save_task(planner.task_from_text(event.id, "Book", "28 days before"))
    app = ConvenerApp(planner, Settings(timezone="UTC", start_screen="pipeline"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, PipelineScreen)
        # What is due is read once the calendar underneath gave way (see first_screen_shown).
        assert await wait_until(pilot, lambda: "1 task due this week" in app.sub_title)
        await pilot.press("1")
        assert await wait_until(pilot, lambda: isinstance(app.screen, MainScreen))


async def test_a_coming_event_added_shows_with_its_days_to_go(
    app: ConvenerApp, planner: Planner
) -> None:
    from tui.domain.models import Event

    day = TODAY + timedelta(days=3)
    planner.save_event(Event("Fresh [Draft] dinner", day, day, capacity=12))
    # Begun two days ago, still running: 'on now', not 'today' beside an earlier date.
    begun = TODAY - timedelta(days=2)
    planner.save_event(Event("Running retreat", begun, TODAY + timedelta(days=1)))
    planner.save_event(Event("Today's lunch", TODAY, TODAY))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = await open_pipeline(app, pilot)

        def cells_of(title: str) -> list[str]:
            (index,) = [
                i for i, r in enumerate(screen.rows) if r.occurrence.event.title.startswith(title)
            ]
            return [str(cell) for cell in screen.table.get_row_at(index)]

        cells = cells_of("Fresh")
        assert "in 3 d" in cells and "0/12" in " ".join(cells)
        assert any("[Draft]" in cell for cell in cells)  # user text shown as typed
        assert "on now" in cells_of("Running retreat")
        assert "today" in cells_of("Today's lunch")


async def test_at_80_columns_every_column_of_the_pipeline_fits(app: ConvenerApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = await open_pipeline(app, pilot)
        table = screen.table
        assert table.virtual_size.width <= table.size.width
        headings = [str(column.label) for column in table.columns.values()]
        assert headings[-1] == "Pend." and "RSVP yes/cap" in headings
        # No Access column: its room goes to the titles (12 cells made them all alike).
        assert "Access" not in headings
        convening = next(c for c in table.columns.values() if str(c.label) == "Convening")
        assert convening.width >= 20
        # 90 to 117 columns: the title's width is the same, the set of columns is not.
        await pilot.resize_terminal(90, 30)
        await settle(app, pilot)
        await pilot.resize_terminal(117, 30)
        assert await wait_until(
            pilot, lambda: [str(c.label) for c in screen.table.columns.values()][-1] == "Pending"
        )
        assert "Access" in [str(c.label) for c in screen.table.columns.values()]
        await pilot.resize_terminal(120, 40)
        assert await wait_until(
            pilot, lambda: [str(c.label) for c in screen.table.columns.values()][-1] == "Pending"
        )
        await pilot.resize_terminal(160, 40)  # room for the next task beside the title
        assert await wait_until(
            pilot, lambda: [str(c.label) for c in screen.table.columns.values()][-1] == "Next task"
        )
        assert screen.table.virtual_size.width <= screen.table.size.width

        def task_column() -> int:
            return list(screen.table.columns.values())[-1].width

        at_160 = task_column()
        await pilot.resize_terminal(200, 40)  # a wide window: the next task takes a share
        assert await wait_until(pilot, lambda: task_column() >= at_160 + 13)
        assert screen.table.virtual_size.width <= screen.table.size.width


@pytest.mark.parametrize("size", [(120, 24), (160, 24), (80, 24)])
async def test_more_rows_than_the_window_fit_beside_the_scroll_bar_and_end_goes_last(
    app: ConvenerApp, planner: Planner, size: tuple[int, int]
) -> None:
    from tui.domain.models import Event

    for number in range(40):
        day = TODAY + timedelta(days=number % 20 + 1)
        planner.save_event(Event(f"Coming roundtable {number}", day, day))
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        screen = await open_pipeline(app, pilot)
        await settle(app, pilot)
        table = screen.table
        assert len(screen.rows) > table.size.height  # the scroll bar shows
        # Every column beside the bar: no sideways scrolling by a cell or two.
        assert table.virtual_size.width <= table.scrollable_content_region.width
        assert table.max_scroll_x == 0
        await pilot.press("end")
        assert table.cursor_row == len(screen.rows) - 1
        await pilot.press("home")
        assert table.cursor_row == 0


async def test_the_pipeline_shows_each_convenings_next_task_and_overdue_ones(
    app: ConvenerApp,
) -> None:
    from tui.domain.models import Task

    planner = app.planner
    coming = [
        o.event
        for o in planner.occurrences_between(TODAY, TODAY + timedelta(days=60))
        if o.event.repeat is None and o.start_date > TODAY
    ]
    late, soon = coming[0], coming[1]
    assert late.id is not None and soon.id is not None
    planner.save_task(
        Task(event_id=late.id, title="Book the venue", due_date=TODAY - timedelta(days=3))
    )
    planner.save_task(
        Task(event_id=late.id, title="Send invitations", due_offset=-1, due_anchor="start")
    )
    planner.save_task(
        Task(event_id=soon.id, title="Numbers to the caterer", due_date=soon.start_date)
    )
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app, pilot)
        screen = await open_pipeline(app, pilot)
        by_event = {row.occurrence.event.id: row for row in screen.rows}
        assert by_event[late.id].overdue == 1
        next_task = by_event[late.id].next_task
        assert next_task is not None
        assert next_task.task.title == "Book the venue"
        assert by_event[soon.id].overdue == 0
        shown = [str(screen.table.get_row_at(i)[-1]) for i in range(screen.table.row_count)]
        assert "⚠ 1 overdue: Book the venue" in shown
        day = soon.start_date
        assert any(s.startswith("Numbers to the caterer · ") and str(day.day) in s for s in shown)
        await pilot.resize_terminal(100, 30)  # narrower: the title says it instead
        assert await wait_until(
            pilot, lambda: "Next task" not in [str(c.label) for c in screen.table.columns.values()]
        )
        titles = [str(screen.table.get_row_at(i)[2]) for i in range(screen.table.row_count)]
        assert any(t.startswith("⚠1 ") for t in titles)


async def test_the_header_says_what_is_overdue_and_due_this_week(app: ConvenerApp) -> None:
    from tui.domain.models import Task

    planner = app.planner
    event = next(
        o.event
        for o in planner.occurrences_between(TODAY, TODAY + timedelta(days=60))
        if o.event.repeat is None and o.start_date > TODAY
    )
    assert event.id is not None
    planner.save_task(Task(event_id=event.id, title="Late", due_date=TODAY - timedelta(days=1)))
    planner.save_task(Task(event_id=event.id, title="Soon", due_date=TODAY + timedelta(days=3)))
    planner.save_task(Task(event_id=event.id, title="Later", due_date=TODAY + timedelta(days=30)))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert await wait_until(pilot, lambda: "overdue" in app.sub_title)
        assert app.sub_title.endswith("· 1 task overdue · 1 due this week")
        [late] = [t for t in planner.tasks_for(event.id) if t.title == "Late"]
        assert late.id is not None
        planner.set_task_done(late.id, True)
        app.refresh_screens()  # as after any change in the app
        assert await wait_until(pilot, lambda: "overdue" not in app.sub_title)
        assert app.sub_title.endswith("· 1 task due this week")


async def test_g_goes_to_the_first_convening_on_or_after_a_typed_date_and_t_to_the_nearest(
    app: ConvenerApp,
) -> None:
    from textual.widgets import Input, Static

    from tui.modals.goto import GoToDateScreen
    from tui.screens.records import RecordsScreen

    from .test_typeahead import burst

    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = await open_pipeline(app, pilot)
        assert len(screen.rows) > 2
        target = len(screen.rows) - 1
        day = screen.rows[target].occurrence.start_date
        first = next(i for i, r in enumerate(screen.rows) if r.occurrence.end_date >= day)
        # The date typed after g in one write is the date: its digits switch no screen.
        burst(app, ["g", *day.isoformat()])
        assert await wait_until(pilot, lambda: isinstance(app.screen, GoToDateScreen))
        goto = app.screen
        assert await wait_until(
            pilot, lambda: goto.query_one("#goto-input", Input).value == day.isoformat()
        )
        assert not any(isinstance(s, RecordsScreen) for s in app.screen_stack)
        await pilot.press("enter")
        assert await wait_until(pilot, lambda: app.screen is screen)
        await settle(app, pilot)
        assert screen.table.cursor_row == first > 0
        # t: back to the nearest coming convening.
        await pilot.press("t")
        assert screen.table.cursor_row == 0
        # A bad date is said as the calendar says it, and nothing moves.
        await pilot.press("g", *"Feb 30, 2024", "enter")
        assert await wait_until(pilot, lambda: isinstance(app.screen, GoToDateScreen))
        error = str(app.screen.query_one("#goto-error", Static).content)
        assert "not a date on the calendar" in error
        await pilot.press("escape")
        assert await wait_until(pilot, lambda: app.screen is screen)
        assert screen.table.cursor_row == 0
        # A day past every convening says so and leaves the cursor where it was.
        await pilot.press("j", "g", *"2199-01-01", "enter")
        assert await wait_until(pilot, lambda: app.screen is screen)
        await settle(app, pilot)
        assert screen.table.cursor_row == 1
        assert any("No convening" in n.message for n in app._notifications)


async def test_the_pipelines_help_lists_enter_t_and_g(app: ConvenerApp) -> None:
    from tui.screens.help import HelpScreen

    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await open_pipeline(app, pilot)
        await pilot.press("question_mark")
        assert await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))
        assert isinstance(app.screen, HelpScreen)
        keys = {b.key for b in dict(app.screen._areas)["Upcoming pipeline"]}
        assert {"enter", "t", "g"} <= keys


async def test_the_rsvp_figure_is_accepted_of_capacity_with_or_without_one(
    app: ConvenerApp, planner: Planner
) -> None:
    from tui.domain.models import Event, Invitation, Person

    day = TODAY + timedelta(days=4)
    event = planner.save_event(Event("Open-ended salon", day, day))
    assert event.id is not None
    for name, status in [("Ana Uno", "accepted"), ("Ben Dos", "accepted"), ("Cy Tres", "invited")]:
        person = planner.save(Person(name=name))
        assert person.id is not None
        planner.save(Invitation(event_id=event.id, person_id=person.id, status=status))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = await open_pipeline(app, pilot)
        (index,) = [i for i, r in enumerate(screen.rows) if r.occurrence.event.id == event.id]
        rsvp = [str(cell) for cell in screen.table.get_row_at(index) if "█" in str(cell)]
        assert rsvp and rsvp[0].endswith(" 2/–") and "yes" not in rsvp[0]
        headings = [str(column.label) for column in screen.table.columns.values()]
        assert "RSVP accepted/cap." in headings


async def test_a_pipeline_longer_than_its_rows_reads_on_for_end_and_g(
    app: ConvenerApp, planner: Planner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """'the next 500 of 1428': end went to the 500th and g to a later date said there was
    no convening then. Here the rows are 4 at a time."""
    from functools import partial

    from tui.domain import pipeline
    from tui.domain.models import Event
    from tui.screens import pipeline as pipeline_screen

    monkeypatch.setattr(pipeline_screen, "upcoming", partial(pipeline.upcoming, limit=4))
    far = TODAY + timedelta(days=200)
    planner.save_event(Event("The farthest one", far, far))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = await open_pipeline(app, pilot)
        total = screen._last.pipeline.total if screen._last else 0
        assert len(screen.rows) == 4 and total > 4
        title = str(screen.query_one("#pipeline-title").render())
        assert f"the next 4 of {total}" in title
        every = pipeline.upcoming(planner, limit=10_000).rows
        await pilot.press("end")
        assert await wait_until(pilot, lambda: screen.rows[-1].occurrence == every[-1].occurrence)
        assert screen.table.cursor_row == 3
        assert "home: the nearest" in str(screen.query_one("#pipeline-title").render())
        await pilot.press("home")
        assert await wait_until(
            pilot, lambda: screen._last is not None and screen._last.pipeline.first == 0
        )
        assert screen.table.cursor_row == 0
        # g to a day past the rows shown reads the rows from there.
        # Through the date box, as typed: its closing reads the pipeline again, and the
        # cursor went to the first of the new rows, not the day asked for.
        await pilot.press("g", *(far - timedelta(days=1)).isoformat(), "enter")
        assert await wait_until(
            pilot,
            lambda: (
                screen.table.cursor_row >= 0
                and screen.rows[screen.table.cursor_row].occurrence.event.title
                == "The farthest one"
            ),
        )
        # And to the last one's day from the nearest rows: its rows are the last four,
        # it the fourth of them (the first of the new rows is not the day asked for).
        await pilot.press("home")
        assert await wait_until(
            pilot, lambda: screen._last is not None and screen._last.pipeline.first == 0
        )
        await pilot.press("g", *every[-1].occurrence.start_date.isoformat(), "enter")
        assert await wait_until(
            pilot, lambda: screen._last is not None and screen._last.pipeline.first > 0
        )
        await settle(app, pilot)
        assert screen.rows[screen.table.cursor_row].occurrence == every[-1].occurrence


async def test_an_evening_past_midnight_is_one_evening_and_a_cancelled_one_says_so(
    app: ConvenerApp, planner: Planner
) -> None:
    from datetime import time

    from tui.domain.models import Event

    day = TODAY + timedelta(days=3)
    after = day + timedelta(days=1)
    planner.save_event(Event("Late dinner", day, after, start_time=time(20), end_time=time(1, 30)))
    planner.save_event(Event("Night vigil", day, after, start_time=time(23), end_time=time(1)))
    planner.save_event(Event("Summit", day, day + timedelta(days=2), start_time=time(9)))
    planner.save_event(Event("Long day", day, after, start_time=time(9), end_time=time(17)))
    planner.save_event(Event("Dropped roundtable", day, day, status="cancelled"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = await open_pipeline(app, pilot)

        def cells_of(title: str) -> list[Text]:
            (index,) = [i for i, r in enumerate(screen.rows) if r.occurrence.event.title == title]
            return list(screen.table.get_row_at(index))

        assert str(cells_of("Late dinner")[2]) == "Late dinner (until 01:30 next day)"
        assert str(cells_of("Night vigil")[2]) == "Night vigil (until 01:00 next day)"
        assert str(cells_of("Summit")[2]) == "Summit (3 days)"
        assert str(cells_of("Long day")[2]) == "Long day (2 days)"
        # Still listed (its guests may need word of it), and marked plainly, not greyed.
        status = cells_of("Dropped roundtable")[3]
        assert str(status) == "cancelled" and "dim" not in str(status.style)
        assert "bold" in str(status.style)


async def test_an_empty_pipeline_says_why_and_what_to_do(empty_app: ConvenerApp) -> None:
    async with empty_app.run_test(size=(80, 24)) as pilot:
        await settle(empty_app, pilot)
        await pilot.press("5")
        assert await wait_until(pilot, lambda: isinstance(empty_app.screen, PipelineScreen))
        screen = empty_app.screen
        assert isinstance(screen, PipelineScreen)
        said = screen.query_one("#pipeline-empty")
        assert await wait_until(pilot, lambda: said.display)
        assert str(said.render()).startswith("Nothing coming in the next year: n in the calendar")
        assert not screen.table.display
        await pilot.press("escape")  # the way back still works with nothing focused
        assert await wait_until(pilot, lambda: isinstance(empty_app.screen, MainScreen))


async def test_a_filter_matching_nothing_says_so_and_F_brings_the_rows_back(
    app: ConvenerApp,
) -> None:
    app.event_filter = EventFilter(kind="launch", program_area="No such area")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("5")
        assert await wait_until(pilot, lambda: isinstance(app.screen, PipelineScreen))
        screen = app.screen
        assert isinstance(screen, PipelineScreen)
        said = screen.query_one("#pipeline-empty")
        assert await wait_until(pilot, lambda: said.display)
        assert str(said.render()) == "No convening matches the filter: F clears it, f changes it."
        await pilot.press("F")
        assert await wait_until(pilot, lambda: bool(screen.rows))
        assert not said.display and screen.table.display and screen.table.has_focus
        await pilot.press("j")
        assert screen.table.cursor_row == 1


async def test_tab_on_the_pipeline_says_it_is_one_list(app: ConvenerApp) -> None:
    """tab moved nothing and said nothing there (one list, no other pane)."""
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_pipeline(app, pilot)
        await pilot.press("tab")
        await pilot.pause()
        assert app.screen is screen
        assert any(n.message.startswith("The pipeline is one list") for n in app._notifications)
