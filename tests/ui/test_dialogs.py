"""Dialogs over the screens: notifications never cover a question's buttons, and the
bottom line shows the keys of the dialog in front."""

from __future__ import annotations

from textual.widgets import Button
from textual.widgets._toast import Toast

from tui.app import ConvenerApp
from tui.modals.confirm import ConfirmScreen

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
