"""Pilot tests: keys typed in one burst right after `n` or `e` on the checklist (as tmux
sends them) reach the task form in order, the tab moving to the due field."""

from __future__ import annotations

from textual import events
from textual.widgets import Input

from tui.app import ConvenerApp
from tui.domain.planner import Planner
from tui.screens.forms.task import TaskFormScreen
from tui.widgets.task_list import TaskList

from .conftest import wait_until
from .test_agenda import SIZE, open_event
from .test_tasks import _workshop


def burst(app: ConvenerApp, keys: list[str]) -> None:
    """Queue every key at once, without letting the app run between them (a terminal's
    one write), unlike pilot.press which waits for each key to be handled."""
    driver = app._driver
    assert driver is not None
    for key in keys:
        character = "\t" if key == "tab" else " " if key == "space" else key
        event = events.Key(key, character if len(character) == 1 else None)
        event.set_sender(app)
        driver.send_message(event)


def _typed(text: str) -> list[str]:
    return ["space" if c == " " else c for c in text]


async def test_bursts_after_n_and_e_fill_the_form_in_order(
    app: ConvenerApp, planner: Planner
) -> None:
    event = _workshop(planner)
    assert event.id is not None
    async with app.run_test(size=SIZE) as pilot:
        await open_event(app, pilot, event.id)
        await pilot.press("t")
        burst(app, ["n", *_typed("Visa letters"), "tab", *_typed("1 week before"), "enter"])
        checklist = app.screen.query_one(TaskList)
        assert await wait_until(pilot, lambda: len(checklist.tasks) == 1)
        [task] = planner.tasks_for(event.id)
        assert task.title == "Visa letters"
        assert task.due_offset == -7
        # "d" and "e" are checklist keys too (delete, edit): they must reach the form. The
        # title is selected on focus, so the letters replace it, as when typed slowly.
        burst(app, ["e", *_typed("Book the deck"), "tab", *_typed("2 days before")])
        assert await wait_until(pilot, lambda: isinstance(app.screen, TaskFormScreen))
        form = app.screen
        assert await wait_until(
            pilot, lambda: form.query_one("#task-due", Input).value == "2 days before"
        )
        assert form.query_one("#task-title", Input).value == "Book the deck"
        assert len(planner.tasks_for(event.id)) == 1
