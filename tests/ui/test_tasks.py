"""Pilot tests: the opened event's checklist (add, bad due kept on the form, done with
space, reorder, delete and undo, the kind's checklist once) and the start notification."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from rich.text import Text
from textual.widgets import Input, Static

from tui.app import ConvenerApp
from tui.domain.models import Event
from tui.domain.planner import Planner
from tui.modals.confirm import ConfirmScreen
from tui.screens.forms.task import TaskFormScreen
from tui.screens.main import MainScreen
from tui.widgets.task_list import TaskList

from ..conftest import TODAY
from .conftest import settle, wait_until
from .test_agenda import SIZE, open_event


def _workshop(planner: Planner) -> Event:
    return planner.save(
        Event(
            title="Checklist workshop",
            kind="workshop",
            start_date=TODAY + timedelta(days=30),
            end_date=TODAY + timedelta(days=31),
            access="public",
        )
    )


async def test_checklist_keys_add_tick_move_delete_and_apply(
    app: ConvenerApp, planner: Planner
) -> None:
    event = _workshop(planner)
    assert event.id is not None
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_event(app, pilot, event.id)
        checklist = screen.query_one(TaskList)
        await pilot.press("t")
        assert checklist.has_focus
        await pilot.press("n")
        await settle(app, pilot)
        assert isinstance(app.screen, TaskFormScreen)
        app.screen.query_one("#task-title", Input).value = "Visa [b]letters[/]"
        app.screen.query_one("#task-due", Input).value = "soonish"
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, TaskFormScreen)  # kept open, the problem said
        error = str(app.screen.query_one("#task-error", Static).render())
        assert "due 'soonish'" in error
        assert planner.tasks_for(event.id) == []
        app.screen.query_one("#task-due", Input).value = "2 weeks before"
        await pilot.press("enter")
        assert await wait_until(pilot, lambda: len(checklist.tasks) == 1)
        [task] = planner.tasks_for(event.id)
        assert task.title == "Visa [b]letters[/]" and task.due_offset == -14
        await pilot.press("c")
        assert await wait_until(pilot, lambda: len(checklist.tasks) == 7)
        await pilot.press("c")
        await settle(app, pilot)
        assert len(planner.tasks_for(event.id)) == 7  # never twice
        checklist.highlighted = 0
        await pilot.press("space")
        assert await wait_until(pilot, lambda: checklist.tasks[0].done_on == TODAY)
        await pilot.press("J")
        assert await wait_until(pilot, lambda: checklist.tasks[1].title == task.title)
        # d asks first, as every delete does (it went without asking); n keeps the task.
        await pilot.press("d")
        assert await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert "Move 'Visa [b]letters[/]' to the trash?" in str(
            app.screen.query_one("#confirm-question", Static).render()
        )
        await pilot.press("n")
        await settle(app, pilot)
        assert screen.is_current and checklist.has_focus
        assert len(planner.tasks_for(event.id)) == 7
        await pilot.press("d")
        assert await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        assert await wait_until(pilot, lambda: len(checklist.tasks) == 6)
        assert task.title not in [t.title for t in planner.tasks_for(event.id)]
        assert any(
            n.message == "Moved Visa [b]letters[/] to the trash (u undoes; 4 shows the trash)"
            for n in app._notifications
        )
        await pilot.press("u")
        assert await wait_until(pilot, lambda: len(checklist.tasks) == 7)


async def test_on_start_a_notification_says_what_is_overdue_and_due_today(
    app: ConvenerApp, planner: Planner
) -> None:
    event = _workshop(planner)
    assert event.id is not None
    for title, due in [
        ("Late", "5 weeks before"),
        ("Later", "6 weeks before"),
        ("Now", "30 days before"),
    ]:
        planner.save_task(planner.task_from_text(event.id, title, due))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        messages = [n.message for n in app._notifications]
        assert "2 tasks overdue, 1 due today" in messages


async def test_what_is_due_is_read_once_the_first_screen_shows_its_data(
    app: ConvenerApp, planner: Planner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Read while starting, its queries and imports held up the first frame."""
    event = _workshop(planner)
    assert event.id is not None
    planner.save_task(planner.task_from_text(event.id, "Soon", "28 days before"))
    reads: list[bool] = []  # for each read: had the calendar's first frame been painted?

    def counted(read: Callable[[], object]) -> Callable[[], None]:
        def read_due() -> None:
            screen = app.screen
            reads.append(
                isinstance(screen, MainScreen) and screen.is_mounted and not screen._first_frame
            )
            read()

        return read_due

    monkeypatch.setattr(app, "say_what_is_due", counted(app.say_what_is_due))
    monkeypatch.setattr(app, "read_due", counted(app.read_due))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert reads == [True, True]
        assert await wait_until(pilot, lambda: "1 task due this week" in app.sub_title)


async def test_no_notification_when_nothing_is_due(app: ConvenerApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert not any(
            "due today" in n.message or "overdue" in n.message for n in app._notifications
        )


async def test_escape_on_a_changed_task_form_asks_before_throwing_it_away(
    app: ConvenerApp, planner: Planner
) -> None:
    from tui.modals.confirm import ConfirmScreen

    event = _workshop(planner)
    assert event.id is not None
    async with app.run_test(size=SIZE) as pilot:
        await open_event(app, pilot, event.id)
        await pilot.press("t", "n")
        await settle(app, pilot)
        assert isinstance(app.screen, TaskFormScreen)
        await pilot.press("escape")  # nothing typed: closes at once
        await settle(app, pilot)
        assert not isinstance(app.screen, (TaskFormScreen, ConfirmScreen))
        await pilot.press("n")
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, TaskFormScreen)
        await pilot.press(*"Visa", "tab", *"2 weeks before")
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")  # keep it
        await settle(app, pilot)
        assert app.screen is form
        assert form.query_one("#task-due", Input).value == "2 weeks before"
        await pilot.press("escape")
        await settle(app, pilot)
        await pilot.press("y")
        await settle(app, pilot)
        assert not isinstance(app.screen, (TaskFormScreen, ConfirmScreen))
        assert planner.tasks_for(event.id) == []


async def test_a_due_day_in_words_counts_from_the_planners_day(
    app: ConvenerApp, planner: Planner
) -> None:
    """ "tomorrow" on a day fixed by CONVENER_TODAY is the day after that day (it was the
    computer's tomorrow), and the app's clock is put back when it closes."""
    from tui.domain import dates

    event = _workshop(planner)
    assert event.id is not None
    async with app.run_test(size=SIZE) as pilot:
        await open_event(app, pilot, event.id)
        await pilot.press("t", "n")
        await settle(app, pilot)
        assert isinstance(app.screen, TaskFormScreen)
        app.screen.query_one("#task-title", Input).value = "Call the venue"
        app.screen.query_one("#task-due", Input).value = "tomorrow"
        await settle(app, pilot)
        preview = str(app.screen.query_one("#task-error", Static).render())
        tomorrow = TODAY + timedelta(days=1)
        assert f"{tomorrow:%A} {tomorrow.day} {tomorrow:%B %Y}" in preview
        await pilot.press("enter")
        await settle(app, pilot)
        [task] = planner.tasks_for(event.id)
        assert task.due_date == tomorrow
    assert dates._counted_from is None


async def test_a_series_checklist_says_which_date_a_task_counts_from(
    app: ConvenerApp, planner: Planner
) -> None:
    from dataclasses import replace
    from datetime import date

    call = planner.save(
        Event(
            title="Partners' call",
            kind="meeting",
            start_date=date(2026, 10, 1),
            end_date=date(2026, 10, 1),
            access="public",
            repeat="FREQ=WEEKLY",
        )
    )
    assert call.id is not None
    task = planner.task_from_text(call.id, "Agenda out", "2 days before")
    planner.save_task(replace(task, created_at="2026-10-20T09:00:00+00:00"))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_event(app, pilot, call.id)
        checklist = screen.query_one(TaskList)
        assert await wait_until(pilot, lambda: len(checklist.tasks) == 1)
        line = str(checklist.get_option_at_index(0).prompt)
        assert "17 Nov (2 days before, for Thu 19 Nov)" in line, line


async def test_a_task_due_today_says_so_in_the_checklist(
    app: ConvenerApp, planner: Planner
) -> None:
    """Overdue ones said "overdue"; one due today only changed colour (`due` says today)."""
    event = _workshop(planner)
    assert event.id is not None
    planner.save_task(planner.task_from_text(event.id, "Book the room", TODAY.isoformat()))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_event(app, pilot, event.id)
        checklist = screen.query_one(TaskList)
        assert await wait_until(pilot, lambda: len(checklist.tasks) == 1)
        assert str(checklist.get_option_at_index(0).prompt).endswith("  today")


async def test_a_cancelled_events_checklist_marks_no_task_overdue(
    app: ConvenerApp, planner: Planner
) -> None:
    """The header and `convener due` leave a cancelled event's tasks out: so does the list."""
    event = planner.save(
        Event(
            title="Called-off workshop",
            kind="workshop",
            start_date=TODAY + timedelta(days=30),
            end_date=TODAY + timedelta(days=30),
            status="cancelled",
        )
    )
    assert event.id is not None
    late = (TODAY - timedelta(days=3)).isoformat()
    planner.save_task(planner.task_from_text(event.id, "Book the room", late))
    planner.save_task(planner.task_from_text(event.id, "Order lunch", TODAY.isoformat()))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_event(app, pilot, event.id)
        checklist = screen.query_one(TaskList)
        assert await wait_until(pilot, lambda: len(checklist.tasks) == 2)
        for index in range(2):
            prompt = checklist.get_option_at_index(index).prompt
            assert isinstance(prompt, Text)
            assert str(prompt).endswith("  event cancelled")
            assert "overdue" not in str(prompt) and "red" not in str(prompt.spans)


async def test_checklist_lines_wrap_again_when_the_scroll_bar_comes() -> None:
    """Tasks added until the list scrolls: its scroll bar takes two columns, and each line is
    measured again at the narrower width (a line wrapped at the wider one lost its end)."""
    from textual.app import App, ComposeResult

    from tui.domain.models import Task

    class Checklist(App[None]):
        CSS = "TaskList { height: 8; }"  # a pane's height: no resize when the bar comes

        def compose(self) -> ComposeResult:
            yield TaskList()

    # Two lines at 36 columns, three at 34.
    title = "Seating plan and dietary needs to the venue, with a copy to Kelsey"
    tasks = [(Task(id=n, event_id=1, title=title), None) for n in range(1, 7)]
    app = Checklist()
    async with app.run_test(size=(40, 9)) as pilot:
        checklist = app.query_one(TaskList)
        checklist.show(tasks[:2], TODAY, None)
        await pilot.pause()
        assert not checklist.show_vertical_scrollbar
        checklist.show(tasks, TODAY, None)
        await pilot.pause()
        await pilot.pause()
        assert checklist.show_vertical_scrollbar
        width = checklist.scrollable_content_region.width
        assert width == 34
        for index, option in enumerate(checklist.options):
            text = option.prompt.plain if isinstance(option.prompt, Text) else str(option.prompt)
            wrapped = Text(text).wrap(app.console, width)
            assert checklist._heights[index] == len(wrapped), (index, width)
