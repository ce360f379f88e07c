"""What screens, panes and dialogs need from the app, as one small protocol.

They type `self.app` through `UsesConvener.convener` instead of importing `tui.app`
(which imports the screens: the app sits above them, not beneath). `ConvenerApp`
satisfies `Convener`; tests/test_architecture.py has mypy check it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol, cast

if TYPE_CHECKING:
    from tui.config import Settings
    from tui.domain.filters import EventFilter
    from tui.domain.models import ItemRef, Occurrence
    from tui.domain.planner import Planner
    from tui.domain.read_ahead import ReadAhead


class Convener(Protocol):
    """The app as its screens see it."""

    planner: Planner
    """Every read and write goes through it."""
    settings: Settings
    """The officer's settings (read-only to screens)."""
    event_filter: EventFilter
    """The filter every list of events uses."""
    clock: Callable[[], datetime]
    """The moment now (tests fix it)."""

    def open_ref(self, ref: ItemRef) -> None:
        """Open a record: an event in the calendar, anything else on its own screen."""

    def refresh_screens(self, skip: Any = None) -> None:
        """Have every open screen (but `skip`) read its data again after a change."""

    def first_screen_shown(self) -> None:
        """The first screen is painted with its data: start what could wait for it."""

    @property
    def reads_at_once(self) -> bool:
        """True while the first screen waits for the reads made ahead of it."""

    @property
    def answers_ahead(self) -> bool:
        """True while answers read ahead of the calendar's next selections wait."""

    def read_ahead_from_here(self) -> ReadAhead:
        """A new read-ahead for the planner (see ConvenerApp.read_ahead_from_here)."""

    def read_due(self) -> Any:
        """Read again what is overdue and due this week, for the header."""

    def action_show_calendar(self) -> None:
        """Back to the calendar."""

    def export_occurrence(self, occurrence: Occurrence, form: str = "agenda") -> None:
        """Export an event's agenda (or briefing book) as x does on the calendar."""

    def report_worker_error(self, error: BaseException | None) -> None:
        """One line for a worker that failed."""


class UsesConvener:
    """Mixin for a screen, pane, dialog or palette provider: `self.convener` is the app,
    typed as `Convener`."""

    app: Any

    @property
    def convener(self) -> Convener:
        """The app, typed."""
        return cast("Convener", self.app)
