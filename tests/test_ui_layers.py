"""The UI's layers (issue 19): the app sits above its screens, panes post requests
upward, and what screens need from the app is one protocol."""

from __future__ import annotations

import ast
from pathlib import Path

from tui.app import ConvenerApp
from tui.context import Convener

TUI = Path(__file__).resolve().parent.parent / "tui"


def imported_modules(path: Path) -> list[str]:
    """Every module a file imports, at the top or inside a function."""
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
    return names


def modules_under(*folders: str) -> list[Path]:
    return sorted(path for folder in folders for path in (TUI / folder).rglob("*.py"))


def test_screens_panes_and_dialogs_never_import_the_app() -> None:
    files = [*modules_under("screens", "widgets", "modals"), TUI / "commands.py"]
    assert len(files) > 30
    offenders = [
        f"{path.relative_to(TUI)}: {name}"
        for path in files
        for name in imported_modules(path)
        if name == "tui.app"
    ]
    assert offenders == []


def test_panes_never_import_screens() -> None:
    offenders = [
        f"{path.relative_to(TUI)}: {name}"
        for path in modules_under("widgets", "modals")
        for name in imported_modules(path)
        if name.startswith("tui.screens")
    ]
    assert offenders == []


def test_panes_never_open_screens_themselves() -> None:
    opening = [
        str(path.relative_to(TUI))
        for path in modules_under("widgets")
        if "push_screen(" in path.read_text(encoding="utf-8")
    ]
    assert opening == []


def as_context(app: ConvenerApp) -> Convener:
    """mypy checks here that the app gives everything the protocol promises."""
    return app


def test_the_app_gives_every_member_of_the_context() -> None:
    members = {name: v for name, v in vars(Convener).items() if not name.startswith("_")}
    methods = [name for name, v in members.items() if not isinstance(v, property)]
    properties = [name for name, v in members.items() if isinstance(v, property)]
    attributes = list(Convener.__annotations__)
    assert {"open_ref", "refresh_screens"} <= set(methods)
    assert {"planner", "settings"} <= set(attributes)
    assert "reads_at_once" in properties
    missing = [name for name in methods if not callable(getattr(ConvenerApp, name, None))]
    missing += [n for n in properties if not isinstance(getattr(ConvenerApp, n, None), property)]
    # Attributes are set in __init__ (names the constructor's code stores).
    missing += [name for name in attributes if name not in ConvenerApp.__init__.__code__.co_names]
    assert missing == []
