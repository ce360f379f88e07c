"""The trash screen: what it says about emptying (u undoes it), and rows that give the
name the room."""

from __future__ import annotations

from tui.app import ConvenerApp
from tui.domain.models import ItemRef
from tui.modals.confirm import ConfirmScreen
from tui.screens.trash import TrashScreen

from .conftest import settle, wait_until


async def test_emptying_the_trash_says_u_undoes_it_and_u_does(app: ConvenerApp) -> None:
    """It said "Deleted 1 record for good" and u brought the record back."""
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        app.planner.delete(app.planner.event(10))
        await pilot.press("4")
        await settle(app, pilot)
        trash = app.screen
        assert isinstance(trash, TrashScreen)
        await pilot.press("D")
        await settle(app, pilot)
        dialog = app.screen
        assert isinstance(dialog, ConfirmScreen)
        question = str(dialog.query_one("#confirm-question").render())
        assert "for good" not in question and "u undoes it" in question
        await pilot.press("y")
        await settle(app, pilot)
        assert await wait_until(pilot, lambda: not trash.items)
        said = [str(n.message) for n in app._notifications]
        emptied = [line for line in said if line.startswith("Emptied the trash")]
        assert emptied and "u to undo" in emptied[0], said
        assert not any("for good" in line for line in said), said
        # What it says is so: u brings the record back into the trash.
        await pilot.press("u")
        await settle(app, pilot)
        assert await wait_until(pilot, lambda: len(trash.items) == 1)
        assert trash.items[0].ref == ItemRef("event", 10)
