"""CalendarPane: the month grid above the agenda of the selected day, week or month."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial
from time import monotonic

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Label, OptionList

from tui.context import UsesConvener
from tui.display import TIME_COLUMN, agenda_line, officer_zone, zone_mark
from tui.domain.dates import (
    MONTH_NAMES,
    add_months,
    count_days,
    grid_window,
    month_bounds,
    week_of,
)
from tui.domain.models import Occurrence
from tui.domain.planner.calendar import first_to_select
from tui.typeahead import hold_keys, release_keys
from tui.widgets.frames import PaneLabel, SameMiddleLines
from tui.widgets.line_list import LazyOption, LineList
from tui.widgets.month_grid import MonthGrid
from tui.worker_errors import ReportsWorkerErrors

VIEWS = ("day", "week", "month")


WAIT_AT_MOST = 2.0
"""Seconds a key's action waits for its day's weeks to be read, at most: later (a read
that failed, then a reload) it is dropped rather than acted on out of the blue."""


class AgendaList(ReportsWorkerErrors, LineList):
    """The events of the selected range, a line each; j/k move, enter opens."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", id="agenda.down", tooltip="Next event", show=False),
        Binding("k", "cursor_up", "Up", id="agenda.up", tooltip="Previous event", show=False),
    ]
    """
    | key | does |
    |---|---|
    | up/k, down/j | previous / next event |
    | enter | open the event |
    """


class CalendarPane(UsesConvener, ReportsWorkerErrors, SameMiddleLines, Vertical):
    """Month grid and agenda list; posts which event is selected."""

    BINDINGS = [
        Binding(
            "v",
            "cycle_view",
            "Day/Week/Month",
            id="calendar.view",
            tooltip="Show the agenda of the selected day, its week or its month",
        ),
        Binding(
            "w",
            "time_grid",
            "Week grid",
            id="calendar.week_grid",
            tooltip="The selected week as a time grid (hours down, days across)",
        ),
    ]
    """
    | key | does |
    |---|---|
    | v | agenda of the day, the week or the month |
    | w | the week as a time grid (v comes back) |
    """

    view: reactive[str] = reactive("week")
    """Which range the agenda list shows: day, week or month."""
    selected_event_id: reactive[int | None] = reactive(None)
    """The event highlighted in the agenda (None when the range is empty)."""

    @dataclass
    class EventHighlighted(Message):
        """An event (or none) became the selection."""

        pane: CalendarPane
        event_id: int | None
        occurrence: Occurrence | None

        @property
        def control(self) -> CalendarPane:
            """The pane."""
            return self.pane

    @dataclass
    class OpenRequested(Message):
        """Open an event on its own screen."""

        pane: CalendarPane
        occurrence: Occurrence

        @property
        def control(self) -> CalendarPane:
            """The pane."""
            return self.pane

    @dataclass
    class TimeGridRequested(Message):
        """Show the selected day's week on the time grid."""

        pane: CalendarPane
        day: date
        occurrence: Occurrence | None

        @property
        def control(self) -> CalendarPane:
            """The pane."""
            return self.pane

    @dataclass
    class WindowLoaded(Message):
        """Occurrences for the six weeks the grid shows, loaded off the UI thread."""

        window: tuple[date, date]
        occurrences: list[Occurrence]
        event_days: dict[date, int]
        covers: tuple[date, date] | None = None
        """The range `occurrences` are all of (the agenda's, at the start); None: the
        whole window."""

    def __init__(
        self,
        today: date,
        first_weekday: int,
        *,
        on_new_lines: Callable[[], None] | None = None,
        **kwargs: object,
    ) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._on_new_lines = on_new_lines
        """Called before the agenda's lines are replaced, and so before its EventHighlighted
        is posted: the screen holds its frames from then on, not from when that message
        reaches it (the screen's update timer could lay out the new lines in between)."""
        self._today = today
        self._first_weekday = first_weekday
        self._window: tuple[date, date] | None = None
        self._occurrences: list[Occurrence] = []
        self._covers: tuple[date, date] | None = None
        """While only the agenda's range of the window is read (the first screen): that
        range; None once the whole window is (see complete_window)."""
        self._loads = 0
        """Counts the windows loaded: a new load means the agenda lines are rebuilt."""
        self._agenda_key: tuple[object, ...] | None = None
        self._agenda_deferred = False
        self._shown: list[Occurrence] = []
        self._pending_select: int | None = None
        """An event go_to was asked to select, kept until lines holding it are shown (or
        the officer moves on: another day, another line)."""
        self._pending_day: date | None = None
        self._highlight_set: int | None = None
        """The agenda line _show_agenda highlighted (its message is not the officer's)."""
        self._window_reads = self.reads_one_at_a_time()
        self._when_read: tuple[date, float, Callable[[Occurrence | None], None]] | None = None
        """What a key asked to do with a day's selection before its weeks were read: the
        day, when, and what (see with_selection)."""

    def compose(self) -> ComposeResult:
        grid = MonthGrid(self._today, self._today, self._first_weekday, id="grid")
        grid.set_reactive(MonthGrid.week_numbers, self.convener.settings.week_numbers)
        if grid.week_numbers:
            grid.add_class("-week-numbers")
        yield grid
        yield PaneLabel("", id="agenda-title", markup=False)
        yield PaneLabel("", id="filter-chips", markup=False)
        yield AgendaList(id="agenda")

    @property
    def grid(self) -> MonthGrid:
        """The month grid."""
        return self.query_one("#grid", MonthGrid)

    @property
    def agenda(self) -> AgendaList:
        """The agenda list."""
        return self.query_one("#agenda", AgendaList)

    @property
    def day(self) -> date:
        """The selected day."""
        return self.grid.cursor

    def on_mount(self) -> None:
        self.agenda.border_title = "Agenda"
        self.show_filter()
        # The first screen needs the agenda's week and the six weeks' marks, not the
        # records of every event in them: the rest is read once it shows.
        self.load_window(grid_window(self.day, self._first_weekday), glance=True)

    # -- public: the screen moves us --------------------------------------------------

    def go_to(self, day: date, select_event_id: int | None = None) -> None:
        """Move the cursor to `day` (and select an event there when given)."""
        self._pending_select = select_event_id
        self._pending_day = day
        if self.grid.cursor == day:
            self._show_agenda()
        self.grid.cursor = day

    def shift_month(self, months: int) -> None:
        """Move the cursor by whole months."""
        try:
            self.go_to(add_months(self.day, months))
        except (ValueError, OverflowError):
            self.app.bell()

    def reload(self) -> None:
        """Load the shown weeks again (after data or the filter changed)."""
        self._window = None
        self.show_filter()
        self.load_window(grid_window(self.day, self._first_weekday))

    def show_filter(self) -> None:
        """The active filters as chips above the agenda (hidden when none)."""
        chips = self.convener.event_filter.chips()
        label = self.query_one("#filter-chips", Label)
        label.display = bool(chips)
        label.update(Text("Filter: " + " · ".join(f"[{chip}]" for chip in chips) + "   F clears"))

    @property
    def range(self) -> tuple[date, date]:
        """The range the agenda list shows."""
        return self._range_of(self.day)

    def _range_of(self, day: date) -> tuple[date, date]:
        """The range the agenda list shows with the cursor on `day`."""
        if self.view == "day":
            return day, day
        if self.view == "week":
            return week_of(day, self._first_weekday)
        return month_bounds(day)

    @property
    def window_complete(self) -> bool:
        """True when the six weeks on screen are read in full (not at a glance)."""
        return self._window is not None and self._covers is None

    def next_selections(self) -> list[Occurrence]:
        """The occurrences the next key would select (a week or a day on or back, the next
        or previous line of the agenda), nearest first, without the selected one: those
        whose lines are read (the panes read theirs ahead: MainScreen._read_neighbours)."""
        chosen: list[Occurrence] = []
        selected = self.selected_event_id
        shown = self._shown
        index = self._highlight_set
        candidates: list[Occurrence | None] = []
        for step in (7, -7, 1, -1):
            try:
                candidates.append(self._selection_on(self.day + timedelta(days=step)))
            except OverflowError:
                continue
        if index is not None and shown:
            candidates += [shown[i] for i in (index + 1, index - 1) if 0 <= i < len(shown)]
        for occurrence in candidates:
            if occurrence is None or occurrence.event.id in (None, selected):
                continue
            if all(o.event.id != occurrence.event.id for o in chosen):
                chosen.append(occurrence)
        return chosen

    def _selection_on(self, day: date) -> Occurrence | None:
        """The occurrence the agenda would select with the cursor moved to `day` now;
        None when none, or when that day's lines are not among the occurrences read."""
        if self._window is None or grid_window(day, self._first_weekday) != self._window:
            return None
        start, end = self._range_of(day)
        if self._covers is not None and not (self._covers[0] <= start and end <= self._covers[1]):
            return None
        shown = [o for o in self._occurrences if o.end_date >= start and o.start_date <= end]
        found = _running_on(shown, self.selected_event_id, day, asked=False)
        index = found if found is not None else first_to_select(shown, day)
        return None if index is None else shown[index]

    @property
    def shown(self) -> list[Occurrence]:
        """The occurrences in the agenda list, in order."""
        return list(self._shown)

    # -- loading ----------------------------------------------------------------------

    def load_window(self, window: tuple[date, date], *, glance: bool = False) -> None:
        """Read the six weeks on screen off the UI thread, one read at a time (a held key
        crossing months asked for window after window: see NewestOnly). At a glance: the
        days marked, and only the agenda's range of events (see Planner.glance)."""
        shown = self.range if glance else None
        self._window_reads.run(self._read_window, window, shown)

    def complete_window(self) -> None:
        """Read the rest of the six weeks read at a glance (the screen calls this once its
        first frame is painted; a move off the agenda's range asks for it at once)."""
        if self._covers is not None and self._window is not None:
            self.load_window(self._window)

    @work(thread=True, exclusive=True, exit_on_error=False, group="calendar")
    def _read_window(self, window: tuple[date, date], shown: tuple[date, date] | None) -> None:
        """Query only the six weeks on screen (see load_window)."""
        planner = self.convener.planner
        event_filter = self.convener.event_filter
        if shown is not None:
            occurrences, event_days = planner.glance(window, shown, event_filter)
        else:
            occurrences = planner.occurrences_between(*window, event_filter)
            event_days = count_days(((o.start_date, o.end_date) for o in occurrences), *window)
        self.post_message(self.WindowLoaded(window, occurrences, event_days, shown))

    def on_calendar_pane_window_loaded(self, message: CalendarPane.WindowLoaded) -> None:
        # Only the newest window counts: an older load that finishes late is dropped.
        if message.window != grid_window(self.day, self._first_weekday):
            return
        completing = (
            message.covers is None and self._covers is not None and self._window == message.window
        )
        self._window = message.window
        self._occurrences = message.occurrences
        self._covers = message.covers
        if completing:
            self.grid.take_counts(message.event_days)
        else:
            self.grid.event_days = message.event_days
        if not completing:
            self._loads += 1
        if not self._covered():
            self.complete_window()
        elif not completing or self._agenda_range_key() != self._agenda_key:
            # The rest of a window read at a glance, for the same range, changes nothing
            # shown: the same records (a change saved meanwhile reads it all again).
            self._show_agenda()
        self._act_waiting()

    def _covered(self) -> bool:
        """True when the agenda's range is among the occurrences read."""
        if self._covers is None:
            return True
        start, end = self.range
        return self._covers[0] <= start and end <= self._covers[1]

    @on(MonthGrid.DayChanged)
    def day_changed(self, message: MonthGrid.DayChanged) -> None:
        message.stop()
        if message.day != self._pending_day:
            self._pending_select = None  # the officer moved on before the lines came
        if self._when_read is not None and self._when_read[0] != self.day:
            self._drop_waiting()  # the cursor left the day (days it passed through are fine)
        window = grid_window(message.day, self._first_weekday)
        if window != self._window:
            self.load_window(window)
        elif not self._covered():
            self.complete_window()  # off the range read at a glance, before the rest came
        elif self._agenda_range_key() != self._agenda_key:
            # A new week's (or month's) lines: the grid's cursor is painted first and the
            # list follows in the next frame; a held key rebuilds it once, not per day.
            # After a still moment, when the panes' answers were read ahead, everything
            # comes in one frame: the cursor's own frame cost the week's 3-5 ms (issue 24).
            if self.convener.answers_ahead and not self._agenda_deferred:
                self._show_agenda()
            elif not self._agenda_deferred:
                self._agenda_deferred = True
                self.call_after_refresh(self._deferred_agenda)
        elif not self._agenda_deferred:
            self._show_agenda()

    def _deferred_agenda(self) -> None:
        if not self._agenda_deferred:
            return  # already shown: a key asked for the selection first (selected_occurrence)
        self._agenda_deferred = False
        self._show_agenda()

    def _agenda_range_key(self) -> tuple[date, date, str, int]:
        start, end = self.range
        return (start, end, self.view, self._loads)

    def watch_view(self) -> None:
        if not self.is_mounted:
            return
        if self._covered():
            self._show_agenda()
        else:
            self.complete_window()

    def _show_agenda(self) -> None:
        start, end = self.range
        agenda = self.agenda
        previous = self.selected_event_id
        # A move within the same week or month keeps the list: only the highlight moves
        # (rebuilding a month of lines on every key press is what made keys feel slow).
        key = self._agenda_range_key()
        if key != self._agenda_key:
            if self._on_new_lines is not None:
                self._on_new_lines()
            self._agenda_key = key
            self._shown = [
                o for o in self._occurrences if o.end_date >= start and o.start_date <= end
            ]
            # One line per event, built when it scrolls into view: a week at 100k events
            # is about 190 lines, of which the pane shows a screenful.
            day = start if self.view == "day" else None
            # Each line's zone mark is known before any is built: the time column is as
            # wide as the widest ('09:00 AEDT'), so that every title lines up.
            own_zone = officer_zone(self.convener.settings.timezone)
            marks = [zone_mark(occurrence, own_zone) for occurrence in self._shown]
            column = max([TIME_COLUMN, *(len(m) + 7 for m in marks if m)])
            agenda.clear_options()
            agenda.add_options(
                [
                    LazyOption(partial(agenda_line, occurrence, day, mark, column), id=f"o{index}")
                    for index, (occurrence, mark) in enumerate(zip(self._shown, marks, strict=True))
                ]
            )
            self._set_agenda_title(start, end)
        if not self._shown:
            if self._window is not None:
                self._pending_select = None  # read, and not among these lines (filtered)
            self._highlight(None)
            return
        asked = self._pending_select is not None
        wanted = self._pending_select if asked else previous
        # The event asked for, on or after the day; the one selected before only while it
        # runs on the day (going back to Thursday kept Friday's lunch selected, the
        # event pane showing Friday's while the grid showed Thursday).
        found = _running_on(self._shown, wanted, self.day, asked=asked)
        if found is not None or self._window is not None:
            # An event to select that is not among the lines while the weeks are read
            # again (just saved: on a day with other events, the older lines came first
            # and the new event was left unselected) waits for the new lines.
            self._pending_select = None
        # Else the first event still running on or after the selected day, else the last one.
        index = found if found is not None else first_to_select(self._shown, self.day)
        assert index is not None
        self._highlight_set = index
        agenda.highlighted = index
        self._highlight(self._shown[index])

    def _set_agenda_title(self, start: date, end: date) -> None:
        if self.view == "day":
            label = f"{start:%A} {start.day} {MONTH_NAMES[start.month - 1]} {start.year}"
        elif self.view == "week":
            first, last = MONTH_NAMES[start.month - 1][:3], MONTH_NAMES[end.month - 1][:3]
            label = f"Week of {start.day} {first} – {end.day} {last} {end.year}"
        else:
            label = f"{MONTH_NAMES[start.month - 1]} {start.year}"
        count = len(self._shown)
        summary = "no events" if count == 0 else f"{count} event{'s' if count != 1 else ''}"
        if count == 0 and not self.convener.event_filter.is_empty:
            # Not "no events" when the saved filter hides them (the chips say which).
            summary = "no events match the filter"
        elif count == 0 and self.convener.planner.is_empty():
            # In a narrow window the welcome is on the Event tab: the first screen says
            # where to begin (i imports) instead of only "no events".
            summary = "no events yet: i imports files (the Event pane says how)"
        self.agenda.border_title = f"Agenda · {self.view}"
        self.query_one("#agenda-title", Label).update(Text(f"{label}: {summary}"))

    def _highlight(self, occurrence: Occurrence | None) -> None:
        event_id = occurrence.event.id if occurrence else None
        self.selected_event_id = event_id
        self.post_message(self.EventHighlighted(self, event_id, occurrence))

    @on(OptionList.OptionHighlighted, "#agenda")
    def agenda_moved(self, message: OptionList.OptionHighlighted) -> None:
        message.stop()
        index = message.option_index
        if index != self._highlight_set:
            self._pending_select = None  # the officer's own move: no later pull back
        if 0 <= index < len(self._shown) and self._shown[index].event.id != self.selected_event_id:
            self._highlight(self._shown[index])

    @on(OptionList.OptionSelected, "#agenda")
    def agenda_chosen(self, message: OptionList.OptionSelected) -> None:
        message.stop()
        index = message.option_index
        if 0 <= index < len(self._shown):
            self.post_message(self.OpenRequested(self, self._shown[index]))

    @on(MonthGrid.OpenRequested)
    def grid_open(self, message: MonthGrid.OpenRequested) -> None:
        message.stop()
        self.with_selection(self._open)

    def _open(self, selected: Occurrence | None) -> None:
        if selected is None:
            self.app.notify("No event on this day.", markup=False)
            return
        self.post_message(self.OpenRequested(self, selected))

    def with_selection(self, act: Callable[[Occurrence | None], None]) -> None:
        """Call `act` with the selected day's selected occurrence: now, or once the day's
        weeks are read when they are still being read (`j enter` into a new month, typed
        in one go), if the cursor is still on that day then. A key that acts on the
        selection goes through here: read before the new week's lines, it acted on the
        week before's event."""
        if self.shows_its_day:
            act(self.selected_occurrence)
            return
        self._drop_waiting()
        # The keys typed after this one wait with it (a form it opens takes them).
        hold_keys(self.app)
        self._when_read = (self.day, monotonic(), act)

    def _act_waiting(self) -> None:
        """Run what a key asked of the selection once its weeks are read: only on that
        day, on this screen (no dialog came up meanwhile) and soon after the key."""
        waiting, self._when_read = self._when_read, None
        if waiting is None:
            return
        day, asked, act = waiting
        app = self.app
        on_top = app.screen
        if day == self.day and self.screen is on_top and monotonic() - asked < WAIT_AT_MOST:
            act(self.selected_occurrence)
        if app.screen is on_top:
            release_keys(app)  # nothing opened that takes them: they go on from here

    def _drop_waiting(self) -> None:
        if self._when_read is not None:
            self._when_read = None
            release_keys(self.app)

    @property
    def shows_its_day(self) -> bool:
        """False while the weeks around the selected day are still being read."""
        return self._window == grid_window(self.day, self._first_weekday) and self._covered()

    @property
    def selected_occurrence(self) -> Occurrence | None:
        """The highlighted occurrence in the agenda list: of the selected day's week, never
        of the week before (`j enter` typed in one go opened the previous week's event).
        None while that week is still being read."""
        if not self.shows_its_day:
            return None
        if self._agenda_range_key() != self._agenda_key:
            # The new week's lines, now: deferred to the next frame, or not even asked for
            # yet (a key's action can run before the grid's move reaches this pane).
            self._agenda_deferred = False
            self._show_agenda()
        index = self.agenda.highlighted
        if index is None or not 0 <= index < len(self._shown):
            return None
        return self._shown[index]

    def action_time_grid(self) -> None:
        """Ask for the week of the selected day as a time grid."""
        day = self.day

        def ask(selected: Occurrence | None) -> None:
            self.post_message(self.TimeGridRequested(self, day, selected))

        self.with_selection(ask)

    def action_cycle_view(self) -> None:
        """Day, week, month, and round again."""
        self.view = VIEWS[(VIEWS.index(self.view) + 1) % len(VIEWS)]


def _running_on(
    shown: list[Occurrence], wanted: int | None, day: date, *, asked: bool
) -> int | None:
    """Where among the lines `wanted` (an event id) is, running on or after `day` (asked
    for: going to it) or on it (the one selected before: kept while it runs on the day)."""
    return next(
        (
            i
            for i, o in enumerate(shown)
            if o.event.id == wanted and o.end_date >= day and (asked or o.start_date <= day)
        ),
        None,
    )
