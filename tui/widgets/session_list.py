"""SessionList: an event's sessions day by day, to add, edit, reorder and delete."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from rich.table import Table
from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui.display import safe_line, time_span
from tui.domain.agenda import overlapping
from tui.domain.dates import format_span
from tui.domain.models import Session
from tui.typeahead import hold_keys
from tui.widgets.scrolling import RewrapsWithScrollBar

TIME_COLUMN = 13
"""The width of a session's time ('09:00–10:30' and a space)."""


class SessionList(RewrapsWithScrollBar, OptionList):
    """The agenda: a heading per day, a line per session with its room and speakers."""

    BINDINGS = [
        Binding("n", "request('new')", "New session", id="sessions.new", tooltip="Add a session"),
        Binding(
            "e,enter",
            "request('edit')",
            "Edit",
            id="sessions.edit",
            tooltip="Edit the highlighted session and its speakers",
        ),
        Binding(
            "E",
            "request('editor')",
            "Edit in $EDITOR",
            id="sessions.editor",
            tooltip="Edit the highlighted session as TOML in $VISUAL or $EDITOR",
            show=False,
        ),
        Binding(
            "d",
            "request('delete')",
            "Delete",
            id="sessions.delete",
            tooltip="Move the highlighted session to the trash (asks first)",
        ),
        Binding(
            "K,ctrl+up",
            "request('up')",
            "Move up",
            id="sessions.up",
            tooltip="Move the session earlier: it takes the slot of the one above (the first"
            " of a day goes to the day before)",
        ),
        Binding(
            "J,ctrl+down",
            "request('down')",
            "Move down",
            id="sessions.down",
            tooltip="Move the session later: it takes the slot of the one below (the last of"
            " a day goes to the day after)",
        ),
        Binding("j", "cursor_down", "Down", id="sessions.j", tooltip="Next", show=False),
        Binding("k", "cursor_up", "Up", id="sessions.k", tooltip="Previous", show=False),
    ]
    """
    | key | does |
    |---|---|
    | up/k, down/j | move |
    | n | add a session (on the highlighted day) |
    | e, enter | edit the session, its speakers (a picker) and their roles |
    | E | edit the session as TOML in $VISUAL or $EDITOR |
    | d | delete the session (to the trash; asks first) |
    | K / ctrl+up, J / ctrl+down | earlier / later: trade slots with the neighbour (or change day) |
    """

    @dataclass
    class Requested(Message):
        """A key asked for something to be done to the highlighted session."""

        what: str
        session: Session | None
        day: date | None

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.sessions: list[Session] = []
        self._days: list[date] = []

    def show(self, sessions: Sequence[Session], days: Sequence[date], keep: int | None) -> None:
        """Fill the list; keep the highlight on session `keep` (an id) when it is there."""
        self.sessions = list(sessions)
        self._days = list(days)
        self.clear_options()
        target: int | None = None
        current: date | None = None
        clashes = overlapping(self.sessions)
        for session in self.sessions:
            if session.date != current:
                current = session.date
                heading = Text(format_span(current, current), style="bold underline")
                self.add_option(Option(heading, id=f"day:{current.isoformat()}", disabled=True))
            # The time in a column of its own: a title, room or speaker that wraps goes on
            # under the title, not under the time (it wrapped to the pane's edge).
            line = Table.grid()
            line.add_column(width=TIME_COLUMN, no_wrap=True)
            line.add_column(ratio=1)
            what = Text(safe_line(session.title))
            if session.room:
                what.append(f" · {safe_line(session.room)}", style="dim")
            if session.id in clashes:
                others = ", ".join(safe_line(c.title) for c in clashes[session.id])
                what.append(f"  ⚠ overlaps {others}", style="bold yellow")
            line.add_row(Text(time_span(session.start_time, session.end_time), style="bold"), what)
            for speaker in session.speakers:
                name = Text(f"{safe_line(speaker.name)} ({speaker.role})", style="italic")
                line.add_row("", name)
            self.add_option(Option(line, id=f"session:{session.id}"))
            if session.id == keep:
                target = self.option_count - 1
        if not self.sessions:
            self.add_option(
                Option(Text("No sessions yet: n adds the first.", style="dim"), disabled=True)
            )
            return
        if target is None:
            target = next(
                i for i in range(self.option_count) if not self.get_option_at_index(i).disabled
            )
        self.highlighted = target

    @property
    def session(self) -> Session | None:
        """The highlighted session, if any."""
        if self.highlighted is None or not self.sessions:
            return None
        option_id = self.get_option_at_index(self.highlighted).id or ""
        kind, _, value = option_id.partition(":")
        if kind != "session":
            return None
        return next((s for s in self.sessions if str(s.id) == value), None)

    def action_request(self, what: str) -> None:
        """Ask the screen to act on the highlighted session."""
        session = self.session
        day = session.date if session else (self._days[0] if self._days else None)
        if what == "new" or (what == "edit" and session is not None):
            hold_keys(self.app)  # what is typed next is for the form, not for this list
        self.post_message(self.Requested(what, session, day))
