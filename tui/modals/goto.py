"""GoToDateScreen: type a date in any accepted form; a bad one is said beside the field."""

from __future__ import annotations

import re
from datetime import date

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from tui.domain.dates import MONTHS, ambiguous_reading, parse_date_range
from tui.domain.errors import InvalidInput
from tui.key_bar import KeyBar
from tui.modals import DialogScreen
from tui.typeahead import TakesTypedKeys, release_keys


class GoToDateScreen(TakesTypedKeys, DialogScreen[date | None]):
    """Ask for a date; dismiss with it, or with None on escape."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="goto.cancel", tooltip="Close without moving"),
    ]
    """
    | key | does |
    |---|---|
    | enter | go to the typed date |
    | escape | close without moving |
    """

    DEFAULT_CSS = """
    GoToDateScreen { align: center middle; }
    GoToDateScreen > Vertical {
        width: 60; height: auto; padding: 1 2;
        border: thick $primary; background: $surface;
    }
    GoToDateScreen #goto-error { color: $error; height: auto; }
    GoToDateScreen #goto-reading { color: $text-warning; height: auto; }
    GoToDateScreen #goto-hint { color: $text-muted; }
    """

    def __init__(self, today: date, day_first: bool) -> None:
        super().__init__()
        self._today = today
        self._day_first = day_first

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Go to date", markup=False)
            yield Input(
                placeholder="2024-06-12, June 12, 2024, next monday, +2w, -3d", id="goto-input"
            )
            yield Static("", id="goto-error", markup=False)
            # How a date that reads two ways (12/06/2024) was read, as the event form says it.
            reading = Static("", id="goto-reading", markup=False)
            reading.display = False
            yield reading
            yield Static("enter: go · escape: cancel", id="goto-hint", markup=False)
        yield KeyBar()  # its own keys, not those of the screen behind it

    def on_mount(self) -> None:
        self.query_one("#goto-input", Input).focus()
        release_keys(self.app)  # `g+2w` typed in one go: what follows g is the date

    def _parse(self, text: str) -> date:
        # A range ("Feb 4-6, 2020", as pages write them) goes to its first day.
        try:
            return parse_date_range(text, day_first=self._day_first, today=self._today)[0]
        except InvalidInput:
            month = _month_of(text)
            if month is None:
                raise
            return month

    @on(Input.Changed, "#goto-input")
    def check(self, message: Input.Changed) -> None:
        error = self.query_one("#goto-error", Static)
        reading = self.query_one("#goto-reading", Static)
        reading.display = False
        if not message.value.strip():
            error.update("")
            return
        try:
            day = self._parse(message.value)
        except InvalidInput as problem:
            error.update(Text(problem.message))
        else:
            error.update(Text(f"→ {day:%A} {day.day} {day:%B %Y}", style="green"))
            read_as = ambiguous_reading(message.value, day_first=self._day_first)
            if read_as:
                reading.update(Text(read_as))
                reading.display = True

    @on(Input.Submitted, "#goto-input")
    def submit(self, message: Input.Submitted) -> None:
        try:
            day = self._parse(message.value)
        except InvalidInput as problem:
            self.query_one("#goto-error", Static).update(Text(problem.message))
            self.app.bell()
            return
        self.dismiss(day)

    def action_cancel(self) -> None:
        """Close without moving."""
        self.dismiss(None)


def _month_of(text: str) -> date | None:
    """The first day of a month written alone: "June 2027", "jun 2027", "2027-06"."""
    words = text.strip().replace(",", " ").lower().split()
    name = words[0].rstrip(".") if words else ""
    if len(words) == 2 and name in MONTHS and re.fullmatch(r"\d{4}", words[1]):
        month, year = MONTHS[name], int(words[1])
    elif len(words) == 1 and re.fullmatch(r"\d{4}-\d{1,2}", words[0]):
        year, month = (int(part) for part in words[0].split("-"))
    else:
        return None
    if not (1 <= year <= 9999 and 1 <= month <= 12):
        return None
    return date(year, month, 1)
