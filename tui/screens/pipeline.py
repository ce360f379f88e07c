"""PipelineScreen: every coming convening at a glance, nearest first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Label

from tui.context import UsesConvener
from tui.display import safe_line
from tui.domain.dates import MONTH_NAMES
from tui.domain.filters import EventFilter
from tui.domain.pipeline import Pipeline, PipelineRow, rsvp_cells, upcoming
from tui.domain.timegrid import is_overnight
from tui.key_bar import KeyBar
from tui.messages import ReadsAgainOnDataChanged
from tui.screens.filters import ChoosesFilter
from tui.widgets.app_header import AppHeader

BAR = 10
"""Cells of the RSVP bar."""
BAR_STYLES = {
    "accepted": "green",
    "tentative": "yellow",
    "pending": "grey50",
    "declined": "red",
    "empty": "grey23",
}
NARROW_BAR = 5


TASK_WIDTH = 24
"""The next-task column (wide windows only)."""
TASK_COLUMN_FROM = 140
"""From this width the next task has a column; narrower, the title starts with '⚠N'."""


def task_text(row: PipelineRow, today: date) -> Text:
    """'⚠ 2 overdue: Book venue' in red, 'Send invitations 12 Dec', or a dim dash."""
    if row.next_task is None:
        return Text("–", style="dim")
    title = safe_line(row.next_task.task.title)
    if row.overdue:
        return Text(
            f"⚠ {row.overdue} overdue: {title}", style="bold red", no_wrap=True, overflow="ellipsis"
        )
    due = row.next_task.due
    when = "today" if due == today else f"{due.day} {MONTH_NAMES[due.month - 1][:3]}"
    return Text(f"{title} · {when}", no_wrap=True, overflow="ellipsis")


def status_text(status: str) -> Text:
    """The status cell: a cancelled convening is still listed (its guests may need word
    of it, its tasks are closed) and says so plainly; a postponed one is muted."""
    if status == "cancelled":
        return Text("cancelled", style="bold red")
    return Text(status, style="dim italic" if status == "postponed" else "")


def fixed_width(narrow: bool) -> int:
    """Width of every column but the title, with the table's gaps."""
    if narrow:  # no Access column: the titles had 12 cells at 80 columns, all alike
        return 11 + 8 + 10 + (NARROW_BAR + 7) + 5 + 6 * 2
    return 11 + 8 + 10 + 16 + (BAR + 8) + 8 + 7 * 2


def shows_tasks(width: int) -> bool:
    """Is there room for the next-task column beside a readable title?"""
    return width >= TASK_COLUMN_FROM


def task_width(width: int) -> int:
    """The next-task column: TASK_WIDTH, and a third of what a wide window has over
    TASK_COLUMN_FROM, up to 60 (at 200 columns "⚠ 3 overdue: Book the r…" was cut beside
    a title column half empty)."""
    return min(60, TASK_WIDTH + max(0, width - TASK_COLUMN_FROM) // 3)


def title_width(width: int) -> int:
    """The title column: what the others leave (under 100 columns they take less room)."""
    tasks = task_width(width) + 2 if shows_tasks(width) else 0
    return max(12, width - fixed_width(width < 100) - tasks)


def rsvp_text(row: PipelineRow, bar: int = BAR) -> Text:
    """The bar and 'accepted/capacity': '9/16', or '12/–' with no capacity set (it said
    '12 yes' beside a full bar, which read as twelve places filled of twelve)."""
    text = Text(no_wrap=True)
    for part, size in rsvp_cells(row, bar):
        char = "░" if part == "empty" else "█"
        text.append(char * size, style=BAR_STYLES[part])
    if row.capacity:
        text.append(
            f" {row.accepted}/{row.capacity}",
            style="bold red" if row.accepted > row.capacity else "",
        )
    elif row.invited:
        text.append(f" {row.accepted}/")
        text.append("–", style="dim")
    else:
        text.append(" no list" if bar > NARROW_BAR else " –", style="dim")
    return text


def to_go(days: int, running: bool = False) -> Text:
    """'today', 'on now' (begun on an earlier day, still running), 'tomorrow', 'in 12 d',
    or 'in 9 w' when far."""
    if running:
        return Text("on now", style="bold")
    if days == 0:
        return Text("today", style="bold")
    if days == 1:
        return Text("tomorrow", style="bold")
    if days < 60:
        return Text(f"in {days} d")
    return Text(f"in {days // 7} w", style="dim")


class PipelineTable(DataTable[Text]):
    """The convenings, a row each: home and end go to the first and last convening (a
    DataTable's go to its first and last column, which here are always in view)."""

    BINDINGS = [
        Binding(
            "home",
            "screen.first",
            "First",
            id="pipeline.first",
            tooltip="The first convening listed",
            show=False,
        ),
        Binding(
            "end",
            "screen.last",
            "Last",
            id="pipeline.last",
            tooltip="The last convening listed",
            show=False,
        ),
    ]


class PipelineScreen(ChoosesFilter, UsesConvener, ReadsAgainOnDataChanged, Screen[None]):
    """Coming convenings: date, days to go, status, access, RSVP against capacity, pending."""

    BINDINGS = [
        Binding(
            "tab,shift+tab",
            "one_pane",
            "Panes",
            id="pipeline.panes",
            tooltip="No other pane here: says the pipeline is one list",
            show=False,
        ),
        Binding(
            "escape,backspace",
            "back",
            "Back",
            id="pipeline.back",
            tooltip="Back to the calendar",
        ),
        Binding(
            "f",
            "filter_events",
            "Filter",
            id="pipeline.filter",
            tooltip="Show only events of a program area, partner, status, access or kind",
        ),
        Binding(
            "F",
            "clear_filter",
            "Clear filter",
            id="pipeline.clear_filter",
            tooltip="Show every event again",
        ),
        Binding(
            "j", "cursor_down", "Down", id="pipeline.down", tooltip="Next convening", show=False
        ),
        Binding("k", "cursor_up", "Up", id="pipeline.up", tooltip="Previous convening", show=False),
        # The table's own enter opens the row; named here so that the help lists it.
        Binding(
            "enter",
            "open_event",
            "Open",
            id="pipeline.open",
            tooltip="Open the highlighted convening",
            show=False,
        ),
        Binding(
            "t",
            "today",
            "Today",
            id="pipeline.today",
            tooltip="The nearest coming convening",
            show=False,
        ),
        Binding(
            "g",
            "go_to_date",
            "Go to",
            id="pipeline.goto",
            tooltip="The first convening on or after a date typed in any accepted form",
            show=False,
        ),
    ]
    """
    | key | does |
    |---|---|
    | up/k, down/j | previous / next convening |
    | home, end | the first / the last convening listed |
    | enter | open the convening |
    | t | the nearest coming convening |
    | g | the first convening on or after a date |
    | f / F | filter (the calendar's filter) / clear it |
    | escape, backspace | back to the calendar |
    """

    @dataclass
    class Loaded(Message):
        """The pipeline, read off the UI thread."""

        pipeline: Pipeline
        event_filter: EventFilter

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[PipelineRow] = []
        self._shown_layout: tuple[int, bool, bool] | None = None
        """The columns' layout the rows were laid out for (see _layout_key)."""
        self._last: PipelineScreen.Loaded | None = None
        self._place: date | str | None = None
        """Where the cursor goes when the next rows show: None keeps its row, "first",
        "last", or the first convening running on or after a day. Kept here, not in the
        read: the read for `g` was replaced by the one the date box's closing starts
        (on_screen_resume), and the cursor stayed on the new rows' first."""
        self._window: tuple[date | None, bool] = (None, False)
        """Which rows are read: from a day (None: today), or the last ones."""

    @property
    def table(self) -> DataTable[Text]:
        """The table of convenings."""
        return cast("DataTable[Text]", self.query_one("#pipeline-table", DataTable))

    @property
    def rows(self) -> list[PipelineRow]:
        """The rows shown, in order."""
        return list(self._rows)

    def compose(self) -> ComposeResult:
        yield AppHeader()
        yield Label("Coming convenings", id="pipeline-title", markup=False)
        yield Label("", id="pipeline-chips", markup=False)
        table = PipelineTable(id="pipeline-table", cursor_type="row", zebra_stripes=True)
        yield table
        empty = Label("", id="pipeline-empty", markup=False)
        empty.display = False
        yield empty
        yield KeyBar()

    def on_mount(self) -> None:
        self.table.focus()
        self.refresh_data()

    def on_screen_resume(self) -> None:
        # Back from the event screen or the filter: read the pipeline again.
        if self._last is not None:
            self.refresh_data()

    def refresh_data(self) -> None:
        """Read the pipeline again (after an edit, an undo, a new filter)."""
        event_filter = self.convener.event_filter
        chips = event_filter.chips()
        label = self.query_one("#pipeline-chips", Label)
        label.display = bool(chips)
        label.update(Text("Filter: " + " · ".join(f"[{c}]" for c in chips) + "   F clears"))
        self.read_pipeline(event_filter)

    @work(thread=True, exclusive=True, exit_on_error=False, group="pipeline")
    def read_pipeline(self, event_filter: EventFilter) -> None:
        """Read the coming convenings off the UI thread (the window of rows asked for)."""
        from_day, last = self._window
        pipeline = upcoming(self.convener.planner, event_filter, from_day=from_day, last=last)
        self.post_message(self.Loaded(pipeline, event_filter))

    @on(Loaded)
    def show_pipeline(self, message: Loaded) -> None:
        if message.event_filter != self.convener.event_filter:
            return
        self._last = message
        pipeline = message.pipeline
        self._rows = pipeline.rows
        room = self._room()
        narrow = self.size.width < 100
        width = title_width(room)
        bar = NARROW_BAR if narrow else BAR
        self._shown_layout = self._layout_key()
        table = self.table
        keep = table.cursor_row
        table.clear(columns=True)
        table.add_column("When", width=11)
        table.add_column("To go", width=8)
        table.add_column("Convening", width=width)
        table.add_column("Status", width=10)
        if not narrow:
            table.add_column("Access", width=16)
        # What the figure after the bar counts: accepted of the capacity ("12/–": none set).
        rsvp = "RSVP yes/cap" if narrow else "RSVP accepted/cap."
        table.add_column(rsvp, width=bar + (7 if narrow else 8))
        table.add_column("Pend." if narrow else "Pending", width=5 if narrow else 8)
        tasks = shows_tasks(room)
        if tasks:
            table.add_column("Next task", width=task_width(room))
        for row in pipeline.rows:
            occurrence, event = row.occurrence, row.occurrence.event
            day = occurrence.start_date
            when = f"{day:%a} {day.day:>2} {MONTH_NAMES[day.month - 1][:3]}"
            if day.year != self.convener.planner.today().year:
                when = f"{day.day:>2} {MONTH_NAMES[day.month - 1][:3]} {day.year}"
            muted = event.status in ("cancelled", "postponed")
            title = Text(safe_line(event.title), no_wrap=True, overflow="ellipsis")
            if muted:
                title.stylize("dim strike")
            if is_overnight(occurrence) and event.end_time is not None:
                # One evening past midnight (a dinner 20:00-01:30), not two days.
                title.append(f" (until {event.end_time:%H:%M} next day)", style="dim")
            elif occurrence.end_date != occurrence.start_date:
                title.append(f" ({(occurrence.end_date - day).days + 1} days)", style="dim")
            if not tasks and row.overdue:  # no room for the task column: the title says it
                title = Text.assemble((f"⚠{row.overdue} ", "bold red"), title)
                title.no_wrap, title.overflow = True, "ellipsis"
            cells = [
                Text(when),
                to_go(row.days_to_go, running=day < self.convener.planner.today()),
                title,
                status_text(event.status),
                *([] if narrow else [Text(event.access)]),
                rsvp_text(row, bar),
                Text(
                    str(row.pending) if row.pending else "–", style="bold" if row.pending else "dim"
                ),
            ]
            if tasks:
                cells.append(task_text(row, self.convener.planner.today()))
            table.add_row(*cells)
        self._show_empty(not pipeline.rows, message.event_filter)
        if pipeline.rows:
            place, self._place = self._place, None
            table.move_cursor(row=min(self._row_for(place, keep), len(pipeline.rows) - 1))
        shown = len(pipeline.rows)
        end = pipeline.until
        until = f"{end.day} {MONTH_NAMES[end.month - 1][:3]} {end.year}"
        summary = (
            "nothing coming"
            if shown == 0
            else f"{shown} coming until {until}"
            if shown == pipeline.total
            else f"the next {shown} of {pipeline.total} until {until} (end: the last)"
            if pipeline.first == 0
            else f"{pipeline.first + 1}–{pipeline.first + shown} of {pipeline.total}"
            f" until {until} (home: the nearest)"
        )
        self.query_one("#pipeline-title", Label).update(
            Text(f"Coming convenings: {summary} · enter opens · f filters")
        )

    def _show_empty(self, empty: bool, event_filter: EventFilter) -> None:
        """Nothing to list: the body says why and what to do instead of staying blank."""
        label = self.query_one("#pipeline-empty", Label)
        table = self.table
        if empty:
            said = (
                "Nothing coming in the next year: n in the calendar (escape) adds an event,"
                " i imports files."
                if event_filter.is_empty
                else "No convening matches the filter: F clears it, f changes it."
            )
            label.update(Text(said))
        was_hidden = not table.display
        label.display = empty
        table.display = not empty
        if not empty and was_hidden:
            table.focus()  # hidden, it lost the focus; j, k and enter need it back

    def _row_for(self, place: date | str | None, keep: int) -> int:
        """The row the cursor goes to once rows are shown (see _place)."""
        if place == "first":
            return 0
        if place == "last":
            return len(self._rows) - 1
        if isinstance(place, date):
            return next(
                (i for i, row in enumerate(self._rows) if row.occurrence.end_date >= place),
                len(self._rows) - 1,
            )
        return keep

    def _read_window(self, from_day: date | None, last: bool, place: date | str) -> None:
        """Read another window of rows (a pipeline longer than LIMIT), the cursor at `place`."""
        self._window = (from_day, last)
        self._place = place
        self.read_pipeline(self.convener.event_filter)

    def on_resize(self) -> None:
        # The title column takes the width there is: lay the rows out again for it.
        if self._last is not None and self._layout_key() != self._shown_layout:
            self.show_pipeline(self._last)

    def _layout_key(self) -> tuple[int, bool, bool]:
        """What the columns depend on: the title's width, the next-task column, and the
        narrow set (no Access, a short bar) under 100 columns."""
        room = self._room()
        return title_width(room), shows_tasks(room), self.size.width < 100

    def _room(self) -> int:
        """The width the columns may fill: the screen's, less the scroll bar when the rows
        run past the table (on 10k events the last column went under it, and the table
        scrolled sideways by a cell)."""
        table = self.table
        visible = table.size.height - 1 if table.size.height else self.size.height - 5
        scrolls = len(self._rows) > visible
        return self.size.width - (table.styles.scrollbar_size_vertical if scrolls else 0)

    @on(DataTable.RowSelected, "#pipeline-table")
    def open_event(self, message: DataTable.RowSelected) -> None:
        self._open_row(message.cursor_row)

    def _open_row(self, index: int) -> None:
        from tui.screens.event import EventScreen

        if 0 <= index < len(self._rows):
            self.app.push_screen(EventScreen(self._rows[index].occurrence))

    def action_open_event(self) -> None:
        """Open the highlighted convening."""
        self._open_row(self.table.cursor_row)

    def action_first(self) -> None:
        """The nearest coming convening (the first rows read again when others show)."""
        pipeline = self._last.pipeline if self._last is not None else None
        if pipeline is not None and pipeline.first > 0:
            self._read_window(None, False, "first")
            return
        if self._rows:
            self.table.move_cursor(row=0)

    def action_last(self) -> None:
        """The last coming convening (the last rows read when the list is longer than
        the rows shown: 'the next 500 of 1428')."""
        pipeline = self._last.pipeline if self._last is not None else None
        if pipeline is not None and pipeline.first + len(pipeline.rows) < pipeline.total:
            self._read_window(None, True, "last")
            return
        if self._rows:
            self.table.move_cursor(row=len(self._rows) - 1)

    def action_today(self) -> None:
        """The cursor to the nearest coming convening (the pipeline starts today)."""
        if not self._rows:
            self.notify("Nothing coming.", markup=False)
            return
        self.action_first()

    def action_go_to_date(self) -> None:
        """Ask for a date (as the calendar's go to) and move to the first convening on or
        after it: one running that day counts."""
        from tui.modals.goto import GoToDateScreen

        def arrive(day: date | None) -> None:
            if day is not None:
                self.go_to(day)

        planner = self.convener.planner
        # It takes typed keys: a date typed after g is held for its box, so its digits
        # never reach the app's screen keys (1-5).
        self.app.push_screen(
            GoToDateScreen(planner.today(), self.convener.settings.day_first), arrive
        )

    def go_to(self, day: date) -> None:
        """The cursor to the first convening on or after `day`; a day past them all says so.
        Beyond the rows shown (a long pipeline), the rows from that day are read."""
        pipeline = self._last.pipeline if self._last is not None else None
        shown = self._rows
        before = pipeline is not None and pipeline.first > 0 and shown
        after = pipeline is not None and pipeline.first + len(shown) < pipeline.total
        if (before and shown[0].occurrence.end_date > day) or (
            after and shown[-1].occurrence.end_date < day
        ):
            self._read_window(day, False, day)
            return
        for index, row in enumerate(shown):
            if row.occurrence.end_date >= day:
                self.table.move_cursor(row=index)
                return
        when = f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"
        self.notify(f"No convening in the pipeline on or after {when}.", markup=False)

    def action_cursor_down(self) -> None:
        """Next convening."""
        self.table.action_cursor_down()

    def action_cursor_up(self) -> None:
        """Previous convening."""
        self.table.action_cursor_up()

    def action_back(self) -> None:
        """Back to the calendar."""
        self.convener.action_show_calendar()

    def action_one_pane(self) -> None:
        """tab has no other pane to go to here: said, not silent."""
        self.notify(
            "The pipeline is one list: j/k move, enter opens, escape goes back to the calendar.",
            markup=False,
        )

    def _apply(self, event_filter: EventFilter) -> None:
        from tui.screens.main import MainScreen

        for screen in self.app.screen_stack:
            if isinstance(screen, MainScreen):
                screen.apply_filter(event_filter)
                break
        else:
            self.convener.event_filter = event_filter
        self._window = (None, False)  # another filter, other rows: from the nearest
        self.refresh_data()
