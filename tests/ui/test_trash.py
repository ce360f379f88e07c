"""The trash screen: what it says about emptying (u undoes it), and rows that give the
name the room."""

from __future__ import annotations

import re

from textual.widgets import OptionList

from tui.app import ConvenerApp
from tui.domain.models import ItemRef
from tui.modals.confirm import ConfirmScreen
from tui.screens.trash import TrashScreen

from .conftest import settle, wait_until

TIME_END = re.compile(r"\d{1,2} [A-Z][a-z]{2}( \d{4})? \d\d:\d\d$")
"""A row ends with when it was deleted: "6 Dec 19:58"."""


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


def rows(trash: TrashScreen) -> list[str]:
    """The trash list's rows as text, as drawn."""
    options = trash.query_one("#trash-list", OptionList)
    lines = options.render_lines(options.region.reset_offset)
    # Inside the border: the first line is the border with its title.
    return [strip.text[1:-1].rstrip() for strip in lines[1 : 1 + options.option_count]]


async def test_at_80_columns_a_trash_row_gives_the_name_its_room(app: ConvenerApp) -> None:
    """The name showed a few letters ("Peace in Our Cities …") beside a detail and a
    "deleted 2026-12-06 19:58 UTC" that kept their width."""
    dinner = app.planner.event(10).title  # "Policy Dinner: Cities and Atrocity Prevention"
    session = app.planner.sessions_for(9)[0]
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app.planner.delete(app.planner.event(10))
        app.planner.delete(session)  # its detail is long: "agenda of Launch: Guiding …"
        await pilot.press("4")
        await settle(app, pilot)
        trash = app.screen
        assert isinstance(trash, TrashScreen)
        assert await wait_until(pilot, lambda: len(trash.items) == 2)
        options = trash.query_one("#trash-list", OptionList)
        assert options.virtual_size.height == 2  # one row each
        shown = rows(trash)
        assert any(dinner in row for row in shown), shown
        assert any(session.title in row for row in shown), shown
        # When it was deleted stays, at the right edge.
        assert all(TIME_END.search(row) for row in shown), shown


async def test_wide_a_trash_row_shows_the_detail_and_says_deleted(app: ConvenerApp) -> None:
    dinner = app.planner.event(10).title
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app, pilot)
        app.planner.delete(app.planner.event(10))
        app.planner.delete(app.planner.sessions_for(9)[0])
        await pilot.press("4")
        await settle(app, pilot)
        trash = app.screen
        assert isinstance(trash, TrashScreen)
        assert await wait_until(pilot, lambda: len(trash.items) == 2)
        shown = rows(trash)
        assert any(dinner in row and "deleted " in row for row in shown), shown
        assert any("agenda of Launch: Guiding" in row for row in shown), shown


async def test_every_key_in_the_trash_does_its_thing_or_says_why_not(app: ConvenerApp) -> None:
    """In an empty trash enter, e, d and n said nothing (r said "Nothing to restore.")."""
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("4")
        await settle(app, pilot)
        trash = app.screen
        assert isinstance(trash, TrashScreen) and not trash.items
        for key, said in (
            ("enter", "Nothing to restore: the trash is empty."),
            ("r", "Nothing to restore: the trash is empty."),
            ("e", "The trash is empty: nothing to edit."),
            ("d", "The trash is empty: nothing to delete."),
            ("n", "New records are made where they live"),
        ):
            before = len(app._notifications)
            await pilot.press(key)
            await settle(app, pilot)
            new = [str(n.message) for n in list(app._notifications)[before:]]
            assert any(line.startswith(said) for line in new), (key, new)
            assert app.screen is trash
        # With a record in it: enter restores it (before the list's own enter), e and d
        # say what to do instead.
        app.planner.delete(app.planner.event(10))
        assert isinstance(trash, TrashScreen)
        trash.refresh_data()
        assert await wait_until(pilot, lambda: bool(trash.items))
        await pilot.press("e")
        await settle(app, pilot)
        assert "r restores it, then e edits it" in str(list(app._notifications)[-1].message)
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.planner.event(10).deleted_at is None
