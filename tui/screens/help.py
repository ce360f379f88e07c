"""HelpScreen: every key of the screen it was opened from, generated from the bindings."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widgets import Static

from tui.key_bar import KeyBar
from tui.keys import key_label
from tui.widgets.scrolling import KeyScroll

# Names for the areas the bindings come from, in the order the help lists them.
AREA_NAMES = {
    "ConvenerApp": "Everywhere",
    "MainScreen": "Main screen",
    "CalendarPane": "Calendar",
    "MonthGrid": "Month grid",
    "AgendaList": "Agenda list",
    "SessionList": "Agenda (sessions)",
    "Picks": "Linked records",
    "TrashScreen": "Trash",
    "SessionFormScreen": "Session form",
    "EventFormScreen": "Event form",
    "GuestList": "Guest list",
    "RelatedPane": "Related items",
    "RelatedList": "Related list",
    "RecordsScreen": "Lists",
    "RecordTable": "List",
    "RecordPicker": "Pick",
    "GuestTable": "Guest lines",
    "InviteScreen": "Invite",
    "ChooseScreen": "Choose",
    "InvitationFormScreen": "Guest form",
    "FormScreen": "Form",
    "EventScreen": "Event screen",
    "EventPane": "Event details",
    "ImportScreen": "Import",
    "GoToDateScreen": "Go to date",
    "ConfirmScreen": "Question",
    "UnfinishedEditScreen": "Unfinished edit",
    "SearchScreen": "Search",
    "RecordScreen": "Record",
    "PipelineTable": "Pipeline table",
    "FilterScreen": "Filter",
    "TimeGridScreen": "Time grid",
    "WeekGrid": "Week and day grid",
    "PipelineScreen": "Upcoming pipeline",
    "TaskList": "Checklist",
    "TaskFormScreen": "Task form",
    "HelpScreen": "Help",
}


def _bindings(node_type: type[DOMNode]) -> list[Binding]:
    found: list[Binding] = []
    for item in node_type.__dict__.get("BINDINGS", []):
        if isinstance(item, Binding):
            found.append(item)
    return found


def collect(nodes: Iterable[DOMNode], keymap: Mapping[str, str]) -> list[tuple[str, list[Binding]]]:
    """(area, bindings) for each distinct class among `nodes` that declares bindings."""
    seen: set[type[DOMNode]] = set()
    areas: list[tuple[str, list[Binding]]] = []
    for node in nodes:
        for node_type in type(node).__mro__:
            if not isinstance(node_type, type) or not issubclass(node_type, DOMNode):
                continue
            if node_type in seen or node_type.__module__.startswith("textual."):
                continue
            seen.add(node_type)
            bindings = _bindings(node_type)
            if bindings:
                remapped = [
                    Binding(
                        keymap.get(b.id, b.key) if b.id else b.key,
                        b.action,
                        b.description,
                        id=b.id,
                        tooltip=b.tooltip,
                    )
                    for b in bindings
                ]
                areas.append((AREA_NAMES.get(node_type.__name__, node_type.__name__), remapped))
    return areas


def help_table(areas: list[tuple[str, list[Binding]]]) -> Table:
    """A two-column table of keys and what they do, grouped by area."""
    table = Table(box=None, show_header=False, padding=(0, 2), expand=True)
    table.add_column("key", style="bold", no_wrap=True, min_width=14)
    table.add_column("does", ratio=1)
    for index, (area, bindings) in enumerate(areas):
        if index:
            table.add_row("", "")
        table.add_row(Text(area, style="bold underline"), "")
        for binding in bindings:
            does = Text(binding.description or binding.action)
            if binding.tooltip:
                does.append(f" — {binding.tooltip}", style="dim")
            table.add_row(key_label(binding.key), does)
    return table


class HelpScreen(Screen[None]):
    """The keys of the screen underneath, and of the app."""

    BINDINGS = [
        Binding("backspace", "back", "Back", id="help.back", tooltip="Close the help"),
        Binding("escape", "back", "Back", id="help.escape", tooltip="Close the help", show=False),
        Binding(
            "question_mark,f1",
            "back",
            "Back",
            id="help.toggle",
            tooltip="Close the help",
            show=False,
        ),
        # h j k l move on every screen (SPEC): here j and k scroll the keys.
        Binding("j", "scroll(1)", "Down", id="help.down", tooltip="Scroll down", show=False),
        Binding("k", "scroll(-1)", "Up", id="help.up", tooltip="Scroll up", show=False),
    ]

    def __init__(self, areas: list[tuple[str, list[Binding]]]) -> None:
        super().__init__()
        self._areas = areas

    def compose(self) -> ComposeResult:
        with KeyScroll(id="help-scroll"):
            yield Static(Text("Keys", style="bold"), id="help-title")
            yield Static(help_table(self._areas), id="help-table")
            yield Static(
                Text("ctrl+p opens the command palette with every action by name.", style="dim"),
                id="help-palette",
            )
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#help-scroll").focus()

    def action_back(self) -> None:
        """Close the help."""
        self.dismiss(None)

    def action_scroll(self, lines: int) -> None:
        """Scroll the keys by `lines` (j and k, as down and up do)."""
        scroll = self.query_one("#help-scroll", KeyScroll)
        scroll._key_scroll(scroll.scroll_target_y + lines)
