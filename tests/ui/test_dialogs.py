"""Dialogs over the screens: notifications never cover a question's buttons, and the
bottom line shows the keys of the dialog in front."""

from __future__ import annotations

from textual.widgets import Button
from textual.widgets._toast import Toast

from tui.app import ConvenerApp
from tui.key_bar import KeyBar
from tui.modals.confirm import ConfirmScreen
from tui.modals.pick import RecordPicker
from tui.screens.forms.event import EventFormScreen
from tui.widgets.picks import Picks

from .conftest import settle, wait_until

LONG = (
    "Exported Roundtable on Subnational Diplomacy and Urban Violence – Zürich to"
    " /home/officer/Documents/convener/2026-12-22-roundtable-on-subnational-diplomacy.md"
    " (guest details left out: invitation-only)"
)


async def test_a_toast_never_covers_a_questions_buttons_at_80x24(app: ConvenerApp) -> None:
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(app, pilot)
        for _ in range(2):  # two toasts stacked reach higher still
            app.notify(LONG, markup=False, timeout=60)
        app.push_screen(ConfirmScreen("Move 'Policy Dinner' with its 12 guests to the trash?"))
        assert await wait_until(pilot, lambda: bool(app.screen.query(Toast)))
        await settle(app, pilot)
        dialog = app.screen
        assert isinstance(dialog, ConfirmScreen)
        toasts = list(dialog.query(Toast))
        buttons = list(dialog.query(Button))
        # The toasts reach over where the buttons are...
        assert any(t.region.overlaps(b.region) for t in toasts for b in buttons)
        # ...but every cell of each button shows the button.
        for button in buttons:
            region = button.region
            for y in range(region.y, region.bottom):
                for x in range(region.x, region.right):
                    widget, _ = dialog.get_widget_at(x, y)
                    assert widget is button, (button.id, x, y, widget)
        # Where the dialog is not, the toasts show.
        toast = toasts[-1]
        corner = toast.region.bottom_right - (1, 1)
        assert dialog.get_widget_at(*corner)[0] is toast


def bottom_line(app: ConvenerApp) -> str:
    """The window's bottom line: the text of the key bar drawn there, by whatever screen
    is in front (a dialog without one of its own showed the keys of the screen behind)."""
    widget, _ = app.screen.get_widget_at(0, app.size.height - 1)
    assert isinstance(widget, KeyBar), widget
    return "".join(strip.text for strip in widget.render_lines(widget.region.reset_offset))


async def test_a_picker_over_a_form_shows_its_own_keys(app: ConvenerApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("n")
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, EventFormScreen)
        assert await wait_until(pilot, lambda: " ^s Save " in bottom_line(app))
        form.query_one("#field-contacts", Picks).focus()
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, RecordPicker)
        assert await wait_until(pilot, lambda: " esc Cancel " in bottom_line(app))
        assert " ^s Save " not in bottom_line(app)  # the form's, which the picker does not take
        await pilot.press("escape")
        await settle(app, pilot)
        front: object = app.screen  # (not the picker mypy narrowed it to above)
        assert front is form
        assert await wait_until(pilot, lambda: " ^s Save " in bottom_line(app))


async def test_a_question_shows_its_own_keys(app: ConvenerApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert " t Today " in bottom_line(app)
        app.push_screen(ConfirmScreen("Discard your changes?"))
        await settle(app, pilot)
        assert await wait_until(pilot, lambda: " y Yes " in bottom_line(app))
        assert " n No " in bottom_line(app) and " t Today " not in bottom_line(app)
