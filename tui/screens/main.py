"""MainScreen: the calendar pane beside the selected event; coordinates the panes."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Footer, Header

from tui.screens.event import EventScreen
from tui.screens.goto import GoToDateScreen
from tui.screens.import_files import ImportScreen
from tui.widgets.calendar_pane import CalendarPane
from tui.widgets.event_details import EventDetails

if TYPE_CHECKING:
    from tui.app import ConvenerApp


class MainScreen(Screen[None]):
    """Calendar on the left, the selected event on the right."""

    BINDINGS = [
        Binding("t", "today", "Today", id="main.today", tooltip="Go to today in the calendar"),
        Binding(
            "g",
            "go_to_date",
            "Go to",
            id="main.goto",
            tooltip="Go to a date typed in any accepted form",
        ),
        Binding(
            "left_square_bracket",
            "previous_month",
            "Prev month",
            id="main.previous_month",
            tooltip="Same day, previous month",
        ),
        Binding(
            "right_square_bracket",
            "next_month",
            "Next month",
            id="main.next_month",
            tooltip="Same day, next month",
        ),
        Binding(
            "i",
            "import_files",
            "Import",
            id="main.import",
            tooltip="Import pages or Convener files",
        ),
    ]
    """
    | key | does |
    |---|---|
    | t | today |
    | g | go to a date |
    | [ / ] | previous / next month |
    | i | import files |
    """

    def __init__(self) -> None:
        super().__init__()

    @property
    def convener(self) -> ConvenerApp:
        """The app, typed."""
        return cast("ConvenerApp", self.app)

    def compose(self) -> ComposeResult:
        app = self.convener
        yield Header()
        with Horizontal(id="panes"):
            yield CalendarPane(app.planner.today(), app.settings.first_weekday, id="calendar")
            yield EventDetails(empty_database=app.planner.is_empty(), id="details")
        yield Footer()

    @property
    def calendar(self) -> CalendarPane:
        """The calendar pane."""
        return self.query_one("#calendar", CalendarPane)

    @property
    def details(self) -> EventDetails:
        """The selected event's details pane."""
        return self.query_one("#details", EventDetails)

    def on_mount(self) -> None:
        self.calendar.grid.focus()

    @on(CalendarPane.EventHighlighted, "#calendar")
    def show_event(self, message: CalendarPane.EventHighlighted) -> None:
        self.details.occurrence = message.occurrence

    @on(CalendarPane.OpenRequested, "#calendar")
    def open_event(self, message: CalendarPane.OpenRequested) -> None:
        self.app.push_screen(EventScreen(message.occurrence))

    def action_today(self) -> None:
        """Move the calendar to today."""
        self.calendar.go_to(self.convener.planner.today())

    def action_previous_month(self) -> None:
        """Same day of the previous month."""
        self.calendar.shift_month(-1)

    def action_next_month(self) -> None:
        """Same day of the next month."""
        self.calendar.shift_month(1)

    def action_go_to_date(self) -> None:
        """Ask for a date and move there."""

        def arrive(day: date | None) -> None:
            if day is not None:
                self.calendar.go_to(day)

        screen = GoToDateScreen(self.convener.planner.today(), self.convener.settings.day_first)
        self.app.push_screen(screen, arrive)

    def action_import_files(self) -> None:
        """Ask for files and import them; the calendar reloads when anything came in."""

        def done(changed: bool | None) -> None:
            if changed:
                self.details.empty_database = self.convener.planner.is_empty()
                self.calendar.reload()

        self.app.push_screen(ImportScreen(), done)

    def action_open_event(self) -> None:
        """Open the highlighted event on its own screen."""
        occurrence = self.calendar.selected_occurrence
        if occurrence is None:
            self.notify("No event selected.", markup=False)
            return
        self.app.push_screen(EventScreen(occurrence))
