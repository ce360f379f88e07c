"""The [keys] table of config.toml: only ids the app has, only keys that can be pressed."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from pathlib import Path

from textual.binding import Binding

import tui
from tui.app import ConvenerApp
from tui.binding_ids import BINDING_IDS
from tui.config import load_settings
from tui.domain.planner import Planner
from tui.screens.help import HelpScreen
from tui.screens.main import MainScreen

from .conftest import settle, wait_until


def test_the_ids_a_config_may_name_are_the_apps_binding_ids() -> None:
    declared: set[str] = set()
    for found in pkgutil.walk_packages(tui.__path__, "tui."):
        if found.name in ("tui.__main__", "tui.launch"):
            continue  # they start the program
        module = importlib.import_module(found.name)
        for value in vars(module).values():
            if inspect.isclass(value) and value.__module__ == module.__name__:
                for binding in value.__dict__.get("BINDINGS", []):
                    if isinstance(binding, Binding) and binding.id:
                        declared.add(binding.id)
    assert sorted(declared - BINDING_IDS) == [], "add these ids to tui/binding_ids.py"
    assert sorted(BINDING_IDS - declared) == [], "no binding has these ids any more"


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
