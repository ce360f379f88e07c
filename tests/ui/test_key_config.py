"""The [keys] table of config.toml: only ids the app has, only keys that can be pressed."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from pathlib import Path
from typing import Any

import pytest
from textual.binding import Binding
from textual.screen import Screen

import tui
from tui.app import ConvenerApp
from tui.binding_ids import BINDING_IDS, CHAINS, OWNERS
from tui.config import load_settings
from tui.domain.planner import Planner
from tui.screens.help import HelpScreen
from tui.screens.main import MainScreen

from .conftest import settle, wait_until


def declared_bindings() -> dict[str, dict[str, str]]:
    """Every class of tui/ with bindings that have ids: class name -> {id: key}."""
    declared: dict[str, dict[str, str]] = {}
    for found in pkgutil.walk_packages(tui.__path__, "tui."):
        if found.name in ("tui.__main__", "tui.launch"):
            continue  # they start the program
        module = importlib.import_module(found.name)
        for value in vars(module).values():
            if inspect.isclass(value) and value.__module__ == module.__name__:
                for binding in value.__dict__.get("BINDINGS", []):
                    if isinstance(binding, Binding) and binding.id:
                        declared.setdefault(value.__name__, {})[binding.id] = binding.key
    return declared


def test_the_ids_a_config_may_name_are_the_apps_binding_ids() -> None:
    declared = {binding_id for ids in declared_bindings().values() for binding_id in ids}
    assert sorted(declared - BINDING_IDS) == [], "add these ids to tui/binding_ids.py"
    assert sorted(BINDING_IDS - declared) == [], "no binding has these ids any more"


def test_the_owners_and_keys_the_clash_check_knows_are_the_apps() -> None:
    """tui/binding_ids.py says which class has which binding on which key (the command
    line checks [keys] without loading Textual)."""
    assert declared_bindings() == OWNERS


def binding_chains(screen: Screen[Any]) -> set[tuple[str, ...]]:
    """For each widget of the screen, the classes of OWNERS a key pressed there reaches
    (the widget's, its ancestors', the screen's, the app's), outermost first."""
    chains = set()
    for node in screen.walk_children(with_self=True):
        chain = []
        for ancestor in reversed(node.ancestors_with_self):
            chain += [c.__name__ for c in type(ancestor).__mro__ if c.__name__ in OWNERS]
        chains.add(tuple(chain))
    return chains


async def test_the_places_the_clash_check_knows_are_the_screens_as_built(
    app: ConvenerApp,
) -> None:
    """Every screen's widgets reach only bindings of one of CHAINS' tuples: a pane added
    to a screen, or a screen with keys of its own, is added there too."""
    from tests.ui.test_mail import DINNER
    from tui.domain.models import ItemRef
    from tui.screens.event import EventScreen
    from tui.screens.forms.task import TaskFormScreen
    from tui.screens.time_grid import TimeGridScreen

    known = [chain for chains in CHAINS.values() for chain in chains]
    seen: set[str] = set()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)

        def check() -> None:
            seen.add(type(app.screen).__name__)
            for chain in binding_chains(app.screen):
                assert any(set(chain) <= set(place) for place in known), chain

        openers = [
            lambda: None,
            lambda: app.push_screen(EventScreen(app.planner.occurrence_to_open(DINNER))),
            lambda: app.push_screen(TimeGridScreen(app.planner.today())),
            lambda: app.push_screen(TaskFormScreen(app.planner, app.planner.event(DINNER), None)),
            app.action_show_people,
            lambda: app.open_ref(ItemRef("person", 1)),
            app.action_show_pipeline,
            app.action_show_trash,
            app.action_search,
            app.action_show_keys,
        ]
        for open_screen in openers:
            app._to_main()
            await settle(app, pilot)
            open_screen()
            await settle(app, pilot)
            check()
        app._to_main()
        await settle(app, pilot)
        await pilot.press("n")  # the event form, with its pickers
        assert await wait_until(pilot, lambda: type(app.screen).__name__ == "EventFormScreen")
        check()
    assert len(seen) == 11


@pytest.mark.parametrize(
    ("entries", "said", "kept"),
    [
        (
            {"main.today": "y", "main.goto": "y"},
            "keys 'keys.main.today' and 'keys.main.goto' are both 'y' in the main screen,"
            " where a key does one thing; both entries are left out (main.today stays on t,"
            " main.goto on g)",
            {},
        ),
        (
            {"main.today": "n", "main.goto": "G"},
            "key 'keys.main.today': 'n' is already the key of main.new and guests.invite in"
            " the main screen; that entry is left out (main.today stays on t)",
            {"main.goto": "G"},
        ),
        (
            {"app.search": "ctrl+q"},
            "key 'keys.app.search': 'ctrl+q' is already the key of quit (the app's own key)"
            " in every screen; that entry is left out (app.search stays on /)",
            {},
        ),
    ],
    ids=["two entries", "an entry on another's key", "the app's own key"],
)
def test_two_bindings_on_one_key_in_one_place_are_said_and_keep_their_keys(
    tmp_path: Path, entries: dict[str, str], said: str, kept: dict[str, str]
) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        "[keys]\n" + "".join(f'"{k}" = "{v}"\n' for k, v in entries.items()), encoding="utf-8"
    )
    settings, warnings = load_settings(path)
    assert warnings == [f"{path}: {said}"]
    assert settings.keys == kept


@pytest.mark.parametrize(
    "entries",
    [
        {"main.today": "g", "main.goto": "t"},  # swapped: each on a key of its own
        {"calendar.view": "m"},  # the guest list's m is another pane's
        {"guests.invite": "n"},  # its own key
        {"main.new": "n,ctrl+n"},  # n is the guest list's too, as by default
    ],
)
def test_keys_apart_in_every_place_are_no_clash(tmp_path: Path, entries: dict[str, str]) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        "[keys]\n" + "".join(f'"{k}" = "{v}"\n' for k, v in entries.items()), encoding="utf-8"
    )
    settings, warnings = load_settings(path)
    assert warnings == [] and settings.keys == entries


def test_an_own_key_given_back_may_clash_in_turn_and_is_said_too(tmp_path: Path) -> None:
    """goto and search both on x: both go back to their own keys, and g is then goto's
    again, on which today was put: today goes back to t as well."""
    path = tmp_path / "config.toml"
    path.write_text(
        '[keys]\n"main.today" = "g"\n"main.goto" = "y"\n"app.search" = "y"\n', encoding="utf-8"
    )
    settings, warnings = load_settings(path)
    assert settings.keys == {}
    assert [w.split(": ", 1)[1].split(";")[0] for w in warnings] == [
        "keys 'keys.main.goto' and 'keys.app.search' are both 'y' in the main screen, where"
        " a key does one thing",
        "key 'keys.main.today': 'g' is already the key of main.goto in the main screen",
    ]


async def test_a_clash_is_said_in_the_app_and_both_keys_keep_working(
    planner: Planner, tmp_path: Path
) -> None:
    path = tmp_path / "config.toml"
    path.write_text('timezone = "UTC"\n[keys]\n"main.today" = "y"\n"main.goto" = "y"\n')
    settings, warnings = load_settings(path)
    app = ConvenerApp(planner, settings, warnings=warnings)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        shown = [str(n.message) for n in app._notifications]
        assert any("'keys.main.today' and 'keys.main.goto'" in m for m in shown)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        await pilot.press("right_square_bracket")
        await settle(app, pilot)
        assert screen.calendar.day != planner.today()
        await pilot.press("t")
        await settle(app, pilot)
        assert screen.calendar.day == planner.today()
        await pilot.press("g")
        assert await wait_until(pilot, lambda: type(app.screen).__name__ == "GoToDateScreen")


async def test_a_bad_key_entry_is_said_and_the_default_key_still_works(
    planner: Planner, tmp_path: Path
) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        'timezone = "UTC"\n[keys]\n"main.today" = "ctrl+shift+alt+nonsense"\n'
        '"main.nonexistent" = "z"\n"main.goto" = "G"\n',
        encoding="utf-8",
    )
    settings, warnings = load_settings(path)
    assert settings.keys == {"main.goto": "G"}
    assert len(warnings) == 2
    assert "'keys.main.today'" in warnings[0] and "'nonsense'" in warnings[0]
    assert "'keys.main.nonexistent'" in warnings[1]
    app = ConvenerApp(planner, settings, warnings=warnings)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        shown = [str(n.message) for n in app._notifications]
        assert any("keys.main.today" in message for message in shown)
        assert any("keys.main.nonexistent" in message for message in shown)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        await pilot.press("right_square_bracket")
        await settle(app, pilot)
        assert screen.calendar.day != planner.today()
        await pilot.press("t")  # the default key stands
        await settle(app, pilot)
        assert screen.calendar.day == planner.today()
        await pilot.press("question_mark")
        assert await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))
        help_keys = {
            binding.id: binding.key
            for _, bindings in app.screen._areas  # type: ignore[attr-defined]
            for binding in bindings
        }
        assert help_keys["main.today"] == "t"
        assert help_keys["main.goto"] == "G"


async def test_many_config_problems_are_one_toast_naming_the_first_and_the_count(
    planner: Planner, tmp_path: Path
) -> None:
    """Six problems were six toasts of four lines: the first ones ran off a small screen.
    Past two, the first is said in full with how many more and where each is listed."""
    path = tmp_path / "config.toml"
    path.write_text(
        'timezone = "UTC"\n[keys]\n"main.nonexistent" = "z"\n"main.other" = "x"\n'
        '"main.third" = "w"\n"main.goto" = "G"\n',
        encoding="utf-8",
    )
    settings, warnings = load_settings(path)
    assert len(warnings) == 3
    app = ConvenerApp(planner, settings, warnings=warnings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        shown = [str(n.message) for n in app._notifications if "config" in str(n.message)]
        assert len(shown) == 1
        assert shown[0].startswith(warnings[0])
        assert "(and 2 more problems in the config: `convener check` prints each" in shown[0]
