"""Pilot tests (issue 21): the task form's owner chosen by letter and its watch; what a
watching task sees shown when it is highlighted; C drops the kind's untouched checklist
(u undoes); the palette's checklist entries run the same actions."""

from __future__ import annotations

from datetime import timedelta

from textual.pilot import Pilot
from textual.widgets import Input, Static

from tui.app import ConvenerApp
from tui.domain.models import Invitation, Person
from tui.domain.planner import Planner
from tui.screens.event import EventScreen
from tui.screens.forms.task import TaskFormScreen
from tui.widgets.letter_select import LetterSelect
from tui.widgets.task_list import TaskList

from ..conftest import TODAY
from .conftest import settle, wait_until
from .test_agenda import SIZE, open_event
from .test_tasks import _workshop


def _invite(planner: Planner, event_id: int, name: str, days_ago: int) -> None:
    """A new guest invited `days_ago` days before the fixed today, without a reply."""
    guest = planner.save(Person(name=name))
    assert guest.id is not None
    planner.save(
        Invitation(
            event_id=event_id,
            person_id=guest.id,
            status="invited",
            invited_on=TODAY - timedelta(days=days_ago),
        )
    )


async def _new_task_form(
    app: ConvenerApp, pilot: Pilot[int], event_id: int, title: str
) -> tuple[EventScreen, TaskFormScreen]:
    """The event's screen, and on it the new-task form (t, n) with `title` typed."""
    screen = await open_event(app, pilot, event_id)
    await pilot.press("t", "n")
    await settle(app, pilot)
    form = app.screen
    assert isinstance(form, TaskFormScreen)
    form.query_one("#task-title", Input).value = title
    return screen, form


def _workshop_and_owner(planner: Planner) -> tuple[int, Person]:
    """The workshop's id and a staff person to own its tasks (Zora, typed as z)."""
    event = _workshop(planner)
    assert event.id is not None
    return event.id, planner.save(Person(name="Zora Zimmermann", is_staff=True))


async def test_the_form_takes_an_owner_by_letter_and_a_watch(
    app: ConvenerApp, planner: Planner
) -> None:
    event_id, zed = _workshop_and_owner(planner)
    async with app.run_test(size=SIZE) as pilot:
        screen, form = await _new_task_form(app, pilot, event_id, "Chase the embassy guests")
        form.query_one("#task-owner", LetterSelect).focus()
        await pilot.press("z")
        assert form.query_one("#task-owner", LetterSelect).value == str(zed.id)
        form.query_one("#task-watch", Input).value = "gossip"
        await pilot.pause()
        assert "watch 'gossip'" in str(form.query_one("#task-error", Static).render())
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is form and planner.tasks_for(event_id) == []  # kept, not saved
        form.query_one("#task-watch", Input).value = "replies after 7 days"
        await pilot.press("ctrl+s")
        checklist = screen.query_one(TaskList)
        assert await wait_until(pilot, lambda: len(checklist.tasks) == 1)
        [task] = planner.tasks_for(event_id)
        assert (task.owner_id, task.watch) == (zed.id, "replies:7")
        line = checklist.get_option_at_index(0).prompt
        assert "· Zora Zimmermann" in str(line)


async def test_a_highlighted_watching_task_shows_who_to_chase(
    app: ConvenerApp, planner: Planner
) -> None:
    event = _workshop(planner)
    assert event.id is not None
    for name, days in (("Silent Sam", 20), ("Fresh Fay", 1)):
        _invite(planner, event.id, name, days)
    planner.save_task(planner.task_from_text(event.id, "Book", ""))
    planner.save_task(planner.checklist.task_from_form(event.id, "Chase", "", watch="replies"))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_event(app, pilot, event.id)
        await pilot.press("t")
        await settle(app, pilot)
        panel = screen.query_one("#task-watch", Static)
        assert panel.has_class("-empty")  # "Book" watches nothing
        await pilot.press("down")
        assert await wait_until(pilot, lambda: not panel.has_class("-empty"))
        shown = str(panel.render())
        assert "1 guest without a reply after 14 days" in shown
        assert "Silent Sam" in shown and "Fresh Fay" not in shown
        await pilot.press("e")  # the opened task says the same on its form
        assert await wait_until(pilot, lambda: isinstance(app.screen, TaskFormScreen))
        report = str(app.screen.query_one("#task-report", Static).render())
        assert "1 guest without a reply after 14 days" in report and "Silent Sam" in report
        await pilot.press("escape")
        await settle(app, pilot)
        await pilot.press("up")
        assert await wait_until(pilot, lambda: panel.has_class("-empty"))


async def test_shift_c_and_the_palette_drop_the_untouched_checklist_u_and_c_bring_it_back(
    app: ConvenerApp, planner: Planner
) -> None:
    event = _workshop(planner)
    assert event.id is not None
    planner.apply_checklist(event.id)
    first = planner.tasks_for(event.id)[0]
    assert first.id is not None
    planner.set_task_done(first.id, True)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_event(app, pilot, event.id)
        checklist = screen.query_one(TaskList)
        await pilot.press("t")
        assert await wait_until(pilot, lambda: len(checklist.tasks) == 6)
        await pilot.press("C")
        assert await wait_until(pilot, lambda: len(checklist.tasks) == 1)
        assert [t.title for t in planner.tasks_for(event.id)] == [first.title]  # done stays
        await pilot.press("u")
        assert await wait_until(pilot, lambda: len(checklist.tasks) == 6)
        # The palette's entries run the same actions as c and C.
        commands = {c.title: c for c in app.get_system_commands(app.screen)}
        assert "Checklist: add a task" in commands
        commands["Checklist: drop the kind's checklist"].callback()
        assert await wait_until(pilot, lambda: len(checklist.tasks) == 1)
        commands["Checklist: apply the kind's checklist"].callback()
        assert await wait_until(pilot, lambda: len(checklist.tasks) == 6)


async def test_the_watch_panel_leaves_the_highlighted_task_in_sight_in_a_small_window(
    app: ConvenerApp, planner: Planner
) -> None:
    event = _workshop(planner)
    assert event.id is not None
    for number in range(6):
        _invite(planner, event.id, f"Silent Guest {number}", 20)
    for number in range(7):
        planner.save_task(planner.task_from_text(event.id, f"Plain task {number}", ""))
    planner.save_task(
        planner.checklist.task_from_form(event.id, "Chase the quiet ones", "", watch="replies")
    )
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_event(app, pilot, event.id)
        checklist = screen.query_one(TaskList)
        await pilot.press("t")
        assert await wait_until(pilot, lambda: len(checklist.tasks) == 8)
        await pilot.press("end")
        panel = screen.query_one("#task-watch", Static)
        assert await wait_until(pilot, lambda: not panel.has_class("-empty"))
        await settle(app, pilot)
        shown = "\n".join(
            checklist.render_line(y).text for y in range(checklist.scrollable_content_region.height)
        )
        assert "Chase the quiet ones" in shown, shown


async def test_enter_on_the_owner_saves_the_task_as_on_its_other_fields(
    app: ConvenerApp, planner: Planner
) -> None:
    event_id, zed = _workshop_and_owner(planner)
    async with app.run_test(size=SIZE) as pilot:
        screen, form = await _new_task_form(app, pilot, event_id, "Book the room")
        owner = form.query_one("#task-owner", LetterSelect)
        owner.focus()
        await pilot.press("space")  # space opens the list, as before
        await settle(app, pilot)
        assert owner.expanded
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is form and not owner.expanded
        await pilot.press("z", "enter")  # the form's hint: "enter: save"
        checklist = screen.query_one(TaskList)
        assert await wait_until(pilot, lambda: len(checklist.tasks) == 1)
        [task] = planner.tasks_for(event_id)
        assert (task.title, task.owner_id) == ("Book the room", zed.id)
