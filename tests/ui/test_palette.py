"""The palette's key hints are read off the bindings, so a remapped key shows in it."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot

from tui.app import MAIN_SCREEN_COMMANDS, ConvenerApp
from tui.config import Settings
from tui.domain.models import ItemRef
from tui.domain.planner import Planner
from tui.keys import key_for, with_key
from tui.modals.confirm import ConfirmScreen
from tui.screens.main import MainScreen
from tui.screens.trash import TrashScreen
from tui.widgets.calendar_pane import CalendarPane
from tui.widgets.guest_list import GuestList

from .conftest import settle, wait_until

OWNERS = (ConvenerApp, MainScreen, CalendarPane, GuestList)


def test_every_palette_command_names_a_binding_that_exists() -> None:
    for _title, _help, action, binding_id in MAIN_SCREEN_COMMANDS:
        assert hasattr(MainScreen, f"action_{action}")
        if binding_id is not None:
            key_for(binding_id, OWNERS, {})  # raises KeyError for an unknown id


@pytest.mark.parametrize(
    ("binding_id", "keymap", "shown"),
    [
        ("main.today", {}, "Go to today (t)"),
        ("main.today", {"main.today": "T"}, "Go to today (T)"),
        ("main.next_month", {}, "Go to today (])"),
        ("main.next_month", {"main.next_month": "right_square_bracket,N"}, "Go to today (] / N)"),
    ],
)
def test_the_hint_is_the_key_the_config_gives(
    binding_id: str, keymap: dict[str, str], shown: str
) -> None:
    assert with_key("Go to today", binding_id, OWNERS, keymap) == shown


def test_an_unknown_binding_id_is_an_error_not_a_blank_hint() -> None:
    with pytest.raises(KeyError):
        key_for("main.nothing", OWNERS, {})


async def test_a_key_remapped_in_the_config_shows_in_the_palette(planner: Planner) -> None:
    keys = {"main.today": "T", "app.undo": "U", "guests.export_csv": "C"}
    app = ConvenerApp(planner, Settings(timezone="UTC", keys=keys))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        helps = {c.title: c.help for c in app.get_system_commands(app.screen)}
        assert helps["Calendar: today"] == "Go to today (T)"
        assert helps["Edit: undo"] == "Undo the last change (U)"
        assert helps["Guests: export CSV"].endswith("(C in the guest list)")
        # Keys left alone keep their defaults.
        assert helps["Calendar: next month"] == "Same day, next month (])"
        screen = app.screen
        assert isinstance(screen, MainScreen)
        await pilot.press("right_square_bracket")
        await settle(app, pilot)
        assert screen.calendar.day != planner.today()
        await pilot.press("T")  # and the key the palette names is the one that works
        await settle(app, pilot)
        assert screen.calendar.day == planner.today()


async def test_the_default_palette_reads_as_before(app: ConvenerApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        helps = {c.title: c.help for c in app.get_system_commands(app.screen)}
        assert helps["Calendar: today"] == "Go to today (t)"
        assert helps["Go: pipeline"] == "Every coming convening with its replies (5)"
        assert helps["Mail: queue invitations"] == (
            "For the marked guests, or the highlighted one (m in the guest list)"
        )
        assert helps["Event: open"] == "Open the selected event and its agenda (enter)"


async def test_a_task_in_the_palette_says_its_event(app: ConvenerApp, planner: Planner) -> None:
    """Two same-titled tasks of two events: each line names its event."""
    from textual.command import CommandList, CommandPalette
    from textual.widgets import Input

    from .conftest import wait_until

    events = [planner.event(1), planner.event(10)]
    for event in events:
        assert event.id is not None
        planner.save_task(planner.task_from_text(event.id, "Send the briefing book", ""))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+p")
        assert await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette))
        palette = app.screen
        palette.query_one(Input).value = "briefing book"

        def lines() -> list[str]:
            found = palette.query_one(CommandList)
            prompts = [str(found.get_option_at_index(i).prompt) for i in range(found.option_count)]
            firsts = [p.splitlines()[0] for p in prompts if p]
            return [line for line in firsts if "Send the briefing book" in line]

        assert await wait_until(pilot, lambda: len(lines()) == 2)
        for event in events:
            assert any(line.endswith(f" — {event.title}") for line in lines()), lines()


async def palette_lines(app: ConvenerApp, pilot: Pilot[int], query: str) -> list[str]:
    """Open the palette, type `query`, and return the first line of each entry shown."""
    from textual.command import CommandList, CommandPalette
    from textual.widgets import Input

    await pilot.press("ctrl+p")
    assert await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette))
    palette = app.screen
    palette.query_one(Input).value = query

    def lines() -> list[str]:
        found = palette.query_one(CommandList)
        prompts = [str(found.get_option_at_index(i).prompt) for i in range(found.option_count)]
        return [p.splitlines()[0] for p in prompts if p]

    await wait_until(pilot, lambda: bool(lines()), within=5)
    await settle(app, pilot)
    return lines()


async def test_the_palette_has_one_help_entry(app: ConvenerApp) -> None:
    """Textual's own "Keys" (its help panel) stood beside "Help: keys": one is kept, ours."""
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Keys" not in titles
        assert titles.count("Help: keys") == 1
        shown = await palette_lines(app, pilot, "keys")
        assert [line for line in shown if line.startswith(("Keys", "Help"))] == ["Help: keys"]
        await pilot.press("enter")
        await settle(app, pilot)
        from tui.screens.help import HelpScreen

        assert isinstance(app.screen, HelpScreen)


async def test_the_trash_screens_keys_are_in_the_palette(app: ConvenerApp) -> None:
    """On the trash screen the palette restores and empties, as r and D do."""
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        app.planner.delete(app.planner.event(10))
        await pilot.press("4")
        await settle(app, pilot)
        helps = {c.title: c.help for c in app.get_system_commands(app.screen)}
        assert isinstance(app.screen, TrashScreen)
        trash: TrashScreen = app.screen
        assert helps["Trash: restore"].endswith("(r / enter)")
        assert helps["Trash: empty"].endswith("(D)")
        assert "Trash: restore" in await palette_lines(app, pilot, "trash: restore")
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen is trash
        assert app.planner.event(10).deleted_at is None
        assert ItemRef("event", 10) not in [i.ref for i in trash.items]
        app.planner.delete(app.planner.event(10))
        trash.refresh_data()
        await settle(app, pilot)
        assert "Trash: empty" in await palette_lines(app, pilot, "trash: empty")
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmScreen)  # asks first, as D does
        await pilot.press("y")
        await settle(app, pilot)
        assert trash.items == []
