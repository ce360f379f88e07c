"""Pilot tests: keys typed in one burst right after `n` or `e` on the checklist (as tmux
sends them) reach the task form in order, the tab moving to the due field."""

from __future__ import annotations

from textual import events
from textual.widgets import Input
from textual.widgets.input import Selection

from tui.app import ConvenerApp
from tui.domain.planner import Planner
from tui.screens.event import EventScreen
from tui.screens.forms.event import EventFormScreen
from tui.screens.forms.session import SessionFormScreen
from tui.screens.forms.task import TaskFormScreen
from tui.screens.main import MainScreen
from tui.widgets.session_list import SessionList
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
        character = {"tab": "\t", "space": " ", "slash": "/", "plus": "+"}.get(key, key)
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
        # (The form is the screen a moment before its fields are mounted.)
        assert await wait_until(
            pilot,
            lambda: (
                [box.value for box in form.query("#task-due").results(Input)] == ["2 days before"]
            ),
        )
        assert form.query_one("#task-title", Input).value == "Book the deck"
        assert len(planner.tasks_for(event.id)) == 1


def _title(app: ConvenerApp) -> str | None:
    """The title box of the open form, once it is there."""
    found = app.screen.query("#field-title").results(Input)
    return next((box.value for box in found), None)


async def test_a_burst_of_two_tasks_adds_both_in_order(app: ConvenerApp, planner: Planner) -> None:
    """`n title enter n title2 enter` in one write: the second `n` reaches the checklist
    under the closed form and opens the next form; nothing lands in the first title."""
    event = _workshop(planner)
    assert event.id is not None
    async with app.run_test(size=SIZE) as pilot:
        await open_event(app, pilot, event.id)
        await pilot.press("t")
        burst(
            app,
            [
                "n", *_typed("Book venue"), "enter",
                "n", *_typed("Send invitations"), "tab", *_typed("2 weeks before"), "enter",
                "n", *_typed("Readout"), "enter",
            ],
        )  # fmt: skip
        checklist = app.screen.query_one(TaskList)
        assert await wait_until(pilot, lambda: len(checklist.tasks) == 3)
        tasks = planner.tasks_for(event.id)
        assert [t.title for t in tasks] == ["Book venue", "Send invitations", "Readout"]
        assert tasks[1].due_offset == -14
        assert not isinstance(app.screen, TaskFormScreen)


async def test_bursts_reach_the_event_and_session_forms(app: ConvenerApp, planner: Planner) -> None:
    """The same holding for forms other keys open: `n` on the agenda (the session form)
    and `n` on the calendar (the event form) take what follows in one write."""
    event = _workshop(planner)
    assert event.id is not None
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_event(app, pilot, event.id)
        screen.query_one(SessionList).focus()
        burst(app, ["n", *_typed("Opening remarks")])
        assert await wait_until(pilot, lambda: isinstance(app.screen, SessionFormScreen))
        assert await wait_until(pilot, lambda: _title(app) == "Opening remarks")
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, SessionFormScreen))
        if not isinstance(app.screen, EventScreen):  # "discard changes?" asked
            await pilot.press("y")
        assert await wait_until(pilot, lambda: isinstance(app.screen, EventScreen))
        await pilot.press("escape")
        assert await wait_until(pilot, lambda: isinstance(app.screen, MainScreen))
        burst(app, ["n", *_typed("Donor dinner"), "tab", *_typed("conf")])
        assert await wait_until(pilot, lambda: isinstance(app.screen, EventFormScreen))
        assert await wait_until(pilot, lambda: _title(app) == "Donor dinner")
        # The tab moved on before the next letters were routed: they went to the Kind.
        assert await wait_until(pilot, lambda: app.focused is app.screen.query_one("#field-kind"))
        await pilot.pause()
        assert _title(app) == "Donor dinner"


async def test_a_search_or_a_date_typed_in_one_go_after_its_key_lands_in_its_box(
    app: ConvenerApp,
) -> None:
    """`/citi` and `g+2w` in one write each: the letters after `/` are the query (they
    were lost while the search screen opened), those after `g` the date."""
    from tui.modals.goto import GoToDateScreen
    from tui.screens.search import SearchScreen

    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        burst(app, ["slash", *_typed("citi")])
        assert await wait_until(pilot, lambda: isinstance(app.screen, SearchScreen))
        search = app.screen
        assert await wait_until(
            pilot, lambda: search.query_one("#search-input", Input).value == "citi"
        )
        await pilot.press("escape")
        assert await wait_until(pilot, lambda: isinstance(app.screen, MainScreen))
        burst(app, ["g", "plus", "2", "w"])
        assert await wait_until(pilot, lambda: isinstance(app.screen, GoToDateScreen))
        goto = app.screen
        assert await wait_until(pilot, lambda: goto.query_one("#goto-input", Input).value == "+2w")


async def test_keys_typed_in_one_go_after_a_focus_key_go_to_the_widget_it_focused(
    app: ConvenerApp, planner: Planner
) -> None:
    """`t n Visa letters` on the event screen: the `n` is the checklist's (a new task),
    not the agenda's that had the focus (a new session)."""
    event = _workshop(planner)
    assert event.id is not None
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_event(app, pilot, event.id)
        screen.query_one(SessionList).focus()
        await pilot.pause()
        burst(app, ["t", "n", *_typed("Visa letters")])
        assert await wait_until(pilot, lambda: isinstance(app.screen, TaskFormScreen))
        assert await wait_until(
            pilot,
            lambda: (
                next((box.value for box in app.screen.query("#task-title").results(Input)), None)
                == "Visa letters"
            ),
            within=3,  # under the hold's own limit (5 s): a hold never let go would fail
        )


async def test_a_text_box_editing_key_acts_where_it_was_typed_among_the_letters(
    app: ConvenerApp,
) -> None:
    """`ctrl+a xy` in one write: the cursor goes home, then the letters (they came at the
    end, as Textual ran the box's key only once it had bubbled up past them)."""
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("n")
        assert await wait_until(pilot, lambda: isinstance(app.screen, EventFormScreen))
        assert await wait_until(pilot, lambda: _title(app) is not None)
        box = app.screen.query_one("#field-title", Input)
        box.value = "abc"
        box.cursor_position = 3
        await pilot.pause()
        burst(app, ["ctrl+a", "x", "y", "ctrl+e", "z", "backspace", "backspace", "q"])
        assert await wait_until(pilot, lambda: _title(app) == "xyabq", within=3)


async def test_ctrl_s_right_behind_typed_text_saves_that_text(app: ConvenerApp) -> None:
    """`tab tab tab tab 555-0001 ctrl+s` in one write on a person's form (a paste, a
    script): ctrl+s, a priority key, ran before the digits reached the phone box, and the
    person was saved without them."""
    from tui.domain.models import Person
    from tui.screens.forms.person import PersonFormScreen
    from tui.screens.records import RecordsScreen

    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        assert await wait_until(pilot, lambda: isinstance(app.screen, RecordsScreen))
        await pilot.press("e")
        assert await wait_until(pilot, lambda: isinstance(app.screen, PersonFormScreen))
        form = app.screen
        assert isinstance(form, PersonFormScreen)
        person = form.person
        assert person is not None and person.id is not None
        await pilot.pause()
        burst(app, ["tab", "tab", "tab", "tab", *"555-0001", "ctrl+s"])
        assert await wait_until(pilot, lambda: not isinstance(app.screen, PersonFormScreen))
        assert app.planner.store.get(Person, person.id).phone == "555-0001"
        # A new event named and saved in one write: saved with its title.
        await pilot.press("escape")
        assert await wait_until(pilot, lambda: isinstance(app.screen, MainScreen))
        burst(app, ["n", *_typed("Burst event A"), "ctrl+s"])
        assert await wait_until(
            pilot,
            lambda: (
                isinstance(app.screen, MainScreen)
                and any(e.title == "Burst event A" for e in app.planner.events())
            ),
        )


async def test_a_paste_of_several_lines_into_a_one_line_field_keeps_them_all(
    app: ConvenerApp,
) -> None:
    """Textual kept a paste's first line only (a title of "Line one"); the lines and tabs
    are joined by spaces, at the cursor, and a selection is replaced."""
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("n")
        assert await wait_until(pilot, lambda: isinstance(app.screen, EventFormScreen))
        box = app.screen.query_one("#field-title", Input)
        box.focus()
        box.value = "Draft: "
        box.cursor_position = len(box.value)
        await pilot.pause()
        box.post_message(events.Paste("Line one\r\nLine two\tTabbed end\n"))
        assert await wait_until(pilot, lambda: box.value != "Draft: ")
        assert box.value == "Draft: Line one Line two Tabbed end"
        box.selection = Selection(0, 6)  # "Draft:"
        box.post_message(events.Paste("Final"))
        assert await wait_until(pilot, lambda: box.value.startswith("Final"))
        assert box.value == "Final Line one Line two Tabbed end"


async def test_a_key_the_field_leaves_to_its_screen_acts_before_the_enter_typed_after_it(
    app: ConvenerApp,
) -> None:
    """`down enter` in one write in a field whose screen binds down: the field's enter ran
    at once while the down went up to the App behind it, so the screen saw enter first
    (the search opened its first result, and the down then moved the calendar a week).
    A plain App: Convener's own holds keys typed after an enter until it is read."""
    from textual.app import App, ComposeResult
    from textual.binding import Binding
    from textual.screen import Screen

    seen: list[str] = []

    class Field(Screen[int]):
        BINDINGS = [Binding("down", "down", "Down")]

        def compose(self) -> ComposeResult:
            yield Input()

        def action_down(self) -> None:
            seen.append("down")

        def on_input_submitted(self) -> None:
            seen.append("enter")

    class OneField(App[int]):
        def on_mount(self) -> None:
            self.push_screen(Field())

    one = OneField()
    async with one.run_test() as pilot:
        assert await wait_until(pilot, lambda: isinstance(one.focused, Input))
        driver = one._driver
        assert driver is not None
        for key in ("down", "enter"):
            event = events.Key(key, "\r" if key == "enter" else None)
            event.set_sender(one)
            driver.send_message(event)
        assert await wait_until(pilot, lambda: len(seen) == 2, within=3)
        assert seen == ["down", "enter"]
