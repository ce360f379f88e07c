"""The key bar: the current screen's keys on the bottom line, following the focus."""

from __future__ import annotations

from textual.widgets import Footer

from tui.app import ConvenerApp
from tui.key_bar import KeyBar
from tui.widgets.calendar_pane import CalendarPane
from tui.widgets.guest_list import GuestList

from .conftest import settle, wait_until


def bar_text(app: ConvenerApp) -> str:
    bar = app.screen.query_one(KeyBar)
    return "".join(strip.text for strip in bar.render_lines(bar.region.reset_offset))


async def test_the_bar_shows_the_focused_panes_keys_and_a_click_presses_one(
    app: ConvenerApp,
) -> None:
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app, pilot)
        assert not app.screen.query(Footer)  # one line of text, not a widget per key
        text = bar_text(app)
        assert " ⏎ Open " in text and " t Today " in text and " g Go to " in text
        assert text.rstrip().endswith("▏^p Commands")
        assert len(text) == 160
        # The guest list's own keys come with the focus.
        app.screen.query_one(GuestList).query_one("#guests-table").focus()
        assert await wait_until(pilot, lambda: " Invite " in bar_text(app))
        assert " Promote " in bar_text(app) and " ⏎ Open " not in bar_text(app)
        # Back in the calendar, a click on "t Today" goes back to today.
        calendar = app.screen.query_one(CalendarPane)
        calendar.query_one("#grid").focus()
        assert await wait_until(pilot, lambda: " ⏎ Open " in bar_text(app))
        today = calendar.day
        await pilot.press("j", "j")
        await settle(app, pilot)
        assert calendar.day != today
        column = bar_text(app).index(" t Today ") + 1
        await pilot.click(KeyBar, offset=(column, 0))
        await settle(app, pilot)
        assert calendar.day == today


async def test_a_form_shows_its_own_keys_and_the_screen_its_own_again_after(
    app: ConvenerApp,
) -> None:
    """At 80x24 the form's keys are on the bottom line, not those of the screen behind it
    (they showed there, keys the form does not take), the form whole above them."""
    from textual.containers import Vertical

    from tui.domain.models import ItemRef
    from tui.screens.event import EventScreen
    from tui.screens.forms.event import EventFormScreen
    from tui.screens.forms.task import TaskFormScreen

    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        main = bar_text(app)
        assert " t Today " in main
        await pilot.press("n")
        await settle(app, pilot)
        assert isinstance(app.screen, EventFormScreen)
        assert await wait_until(pilot, lambda: " ^s Save " in bar_text(app))
        assert " esc Cancel " in bar_text(app) and " t Today " not in bar_text(app)
        assert app.screen.query_one(KeyBar).region.y == 23
        await pilot.press("escape")
        await settle(app, pilot)
        assert bar_text(app) == main
        # The task form (a form of its own) too, over the event screen.
        app.open_ref(ItemRef("event", 11))
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, EventScreen)
        await pilot.press("t", "n")
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, TaskFormScreen)
        assert await wait_until(pilot, lambda: " ^s Save " in bar_text(app))
        assert " New task " not in bar_text(app)
        assert form.query_one(Vertical).region.bottom <= 23  # whole, above the keys
        await pilot.press("escape")
        await settle(app, pilot)
        assert " New task " in bar_text(app)


async def test_a_narrow_bar_shows_whole_keys_only(app: ConvenerApp) -> None:
    """At 80 columns the keys that do not fit are left out whole ("[ Prev mo" named no
    key); the palette's key stays at the end."""
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        text = bar_text(app)
        assert len(text) == 80 and text.rstrip().endswith("▏^p Commands")
        keys = text.split("▏")[0].rstrip()
        assert keys.endswith((" Today", " Go to", " Open", " Prev month", " Next month")), keys
        assert " ⏎ Open " in text and "Prev mo▏" not in text
