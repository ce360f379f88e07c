"""EventScreen: one event on the whole screen; backspace or escape goes back."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header

from tui.domain.models import Occurrence
from tui.widgets.event_details import EventDetails


class EventScreen(Screen[None]):
    """The opened event: details, agenda and description at full width."""

    BINDINGS = [
        Binding("backspace", "back", "Back", id="event.back", tooltip="Back to the calendar"),
        Binding(
            "escape", "back", "Back", id="event.escape", tooltip="Back to the calendar", show=False
        ),
    ]
    """
    | key | does |
    |---|---|
    | backspace, escape | back to the calendar |
    """

    def __init__(self, occurrence: Occurrence) -> None:
        super().__init__()
        self._occurrence = occurrence

    def compose(self) -> ComposeResult:
        yield Header()
        yield EventDetails(id="event-details")
        yield Footer()

    def on_mount(self) -> None:
        details = self.query_one(EventDetails)
        details.occurrence = self._occurrence
        details.focus()

    def action_back(self) -> None:
        """Close this screen."""
        self.dismiss(None)
