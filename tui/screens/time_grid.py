"""TimeGridScreen: the week (or day) as a time grid, in the officer's zone or an event's."""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Label

from tui.context import UsesConvener
from tui.display import officer_zone, safe_line, time_span, zone_label
from tui.domain.dates import MONTH_NAMES, format_span, runs_through, when_words
from tui.domain.filters import EventFilter
from tui.domain.models import Occurrence, Session
from tui.domain.timegrid import GridLayout, event_zone, lay_out, week_days
from tui.key_bar import KeyBar
from tui.messages import ReadsAgainOnDataChanged
from tui.screens.filters import ChoosesFilter
from tui.widgets.app_header import AppHeader
from tui.widgets.week_grid import ALL_DAY, SLOT, WeekGrid

GridResult = tuple[date, Occurrence | None]
"""Where the officer was when they went back: the day and the event under the cursor."""


class GridStatus(Label):
    """The line under the grid that names the event under the cursor: the longest of its
    wordings that fits, chosen again when its width changes (a resize kept the one fitted
    to the width before, cut off or needlessly short, until the next key)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._wordings: tuple[tuple[Text, int], ...] = ()
        """What to say, the longest first, each with the cells that must show."""
        self._said: Text | None = None

    def say(self, *wordings: Text, keep: str = "") -> None:
        """Show the first of `wordings` that fits, up to the end of `keep` (the title: what
        follows it may be cut) or whole; the last when none does."""
        self._wordings = tuple((w, _cells_through(w.plain, keep)) for w in wordings)
        self._fit()

    def _fit(self) -> None:
        room = self.size.width  # inside its padding; 0 before the first layout
        chosen = next(
            (w for w, needed in self._wordings if room <= 0 or needed <= room),
            self._wordings[-1][0],
        )
        if chosen is not self._said:
            self._said = chosen
            self.update(chosen)

    def on_resize(self, event: events.Resize) -> None:
        if self._wordings:
            self._fit()


def _cells_through(text: str, keep: str) -> int:
    """The cells of `text` up to the end of `keep` in it (all of them without it)."""
    at = text.find(keep) if keep else -1
    return cell_len(text[: at + len(keep)] if at >= 0 else text)


class TimeGridScreen(
    ChoosesFilter, UsesConvener, ReadsAgainOnDataChanged, Screen[GridResult | None]
):
    """A week (or a day) on a time grid; `v` goes back to the lists on that day."""

    BINDINGS = [
        Binding("v", "back", "Lists", id="grid.back", tooltip="Back to the month grid and lists"),
        Binding(
            "escape,backspace",
            "back",
            "Back",
            id="grid.escape",
            tooltip="Back to the month grid and lists",
            show=False,
        ),
        Binding("w", "toggle_days", "Week/Day", id="grid.days", tooltip="Week grid or day grid"),
        Binding(
            "z",
            "toggle_zone",
            "Zone",
            id="grid.zone",
            tooltip="Your time zone, or the selected event's",
        ),
        Binding(
            "left_square_bracket",
            "shift(-1)",
            "Prev",
            id="grid.previous",
            tooltip="Previous week (a day in the day grid)",
        ),
        Binding(
            "right_square_bracket",
            "shift(1)",
            "Next",
            id="grid.next",
            tooltip="Next week (a day in the day grid)",
        ),
        Binding("t", "today", "Today", id="grid.today", tooltip="Go to today"),
        Binding(
            "f",
            "filter_events",
            "Filter",
            id="grid.filter",
            tooltip="Show only events of a program area, partner, status, access or kind",
            show=False,
        ),
        Binding(
            "F",
            "clear_filter",
            "Clear filter",
            id="grid.clear_filter",
            tooltip="Show every event again",
            show=False,
        ),
        Binding(
            "g", "go_to_date", "Go to", id="grid.goto", tooltip="Go to a date typed in any form"
        ),
        Binding(
            "n",
            "new_event",
            "New",
            id="grid.new",
            tooltip="A new event at the time under the cursor",
            show=False,
        ),
        Binding(
            "e",
            "edit_event",
            "Edit",
            id="grid.edit",
            tooltip="Edit the event under the cursor",
            show=False,
        ),
        Binding(
            "d",
            "delete_event",
            "Delete",
            id="grid.delete",
            tooltip="Move the event under the cursor to the trash (asks first; u undoes)",
            show=False,
        ),
        Binding(
            "x",
            "export_agenda",
            "Export",
            id="grid.export",
            tooltip="Export the agenda of the event under the cursor as Markdown",
            show=False,
        ),
    ]
    """
    | key | does |
    |---|---|
    | v, escape, backspace | back to the month grid and lists, on the day under the cursor |
    | w | week grid or day grid (a convening's sessions inside its block) |
    | z | your time zone, or the selected event's |
    | [ / ] | previous / next week (day) |
    | t | today |
    | g | go to a date |
    | f / F | filter the events shown (the calendar's filter too) / clear the filter |
    | n / e / d | a new event on the cursor's day / edit / delete the event under the cursor |
    | x | export the agenda of the event under the cursor (that date's, for a series) |
    """

    @dataclass
    class Loaded(Message):
        """The occurrences of the days shown, laid out off the UI thread."""

        days: tuple[date, ...]
        zone: tzinfo
        occurrences: list[Occurrence]
        layout: GridLayout

    def __init__(self, day: date, selected: Occurrence | None = None, *, days: int = 7) -> None:
        super().__init__()
        self._day = day
        self._selected = selected
        self._single = days == 1
        self._zone: tzinfo | None = None
        self._own_zone: tzinfo | None = None
        self._event_zone_of: Occurrence | None = None
        """The event whose zone is shown (None: the officer's own)."""
        self._wanted: tuple[date, ...] = ()
        self._to_now = False
        """True when the days asked for should show with the cursor on now (t)."""
        self._shown = False
        """True once a week has been shown (a resume then reads it again)."""

    @property
    def grid(self) -> WeekGrid:
        """The grid."""
        return self.query_one("#week-grid", WeekGrid)

    @property
    def own_zone(self) -> tzinfo:
        """The officer's zone (config, else the computer's), read once."""
        if self._own_zone is None:
            self._own_zone = officer_zone(self.convener.settings.timezone)
        return self._own_zone

    @property
    def zone(self) -> tzinfo:
        """The zone the grid is drawn in."""
        return self._zone or self.own_zone

    def compose(self) -> ComposeResult:
        settings = self.convener.settings
        yield AppHeader()
        yield Label("", id="grid-title", markup=False)
        yield Label("", id="grid-chips", markup=False)
        yield WeekGrid(
            self._days_for(self._day),
            self.convener.planner.today(),
            self.zone,
            (settings.day_start, settings.day_end),
            id="week-grid",
        )
        yield GridStatus("", id="grid-status", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        self.grid.focus()
        self.load(self._days_for(self._day))

    def _days_for(self, day: date) -> tuple[date, ...]:
        if self._single:
            return (day,)
        return week_days(day, self.convener.settings.first_weekday)

    # -- loading -----------------------------------------------------------------------

    def load(self, days: tuple[date, ...]) -> None:
        """Show `days`: only their occurrences are read (a day either side for zones)."""
        self._wanted = days
        self._set_title()
        self._show_filter()
        self.read_days(days, self.zone, self.convener.event_filter)

    @work(thread=True, exclusive=True, exit_on_error=False, group="time-grid")
    def read_days(self, days: tuple[date, ...], zone: tzinfo, event_filter: EventFilter) -> None:
        """Read and lay out the days off the UI thread."""
        planner = self.convener.planner
        occurrences = planner.occurrences_between(
            days[0] - timedelta(days=1), days[-1] + timedelta(days=1), event_filter
        )
        sessions: dict[int, list[Session]] = {}
        if len(days) == 1:
            # A day either side: a session's day can change with the zone shown.
            near = {days[0] - timedelta(days=1), days[0], days[0] + timedelta(days=1)}
            for occurrence in occurrences:
                event_id = occurrence.event.id
                if (
                    event_id is not None
                    and occurrence.start_date <= max(near)
                    and (occurrence.end_date >= min(near))
                ):
                    on_day = [s for s in planner.sessions_for(event_id) if s.date in near]
                    if on_day:
                        sessions[event_id] = on_day
        layout = lay_out(occurrences, days, zone, sessions)
        self.post_message(self.Loaded(days, zone, occurrences, layout))

    @on(Loaded)
    def show_days(self, message: Loaded) -> None:
        if message.days != self._wanted or message.zone is not self.zone:
            return  # an older answer: a newer week (or zone) was asked for since
        self._shown = True
        grid = self.grid
        grid.zone = message.zone
        grid.now = self.convener.clock().astimezone(message.zone).replace(tzinfo=None)
        grid.show(message.days, message.occurrences, message.layout)
        if self._to_now and grid.now is not None and grid.now.date() in message.days:
            grid.place_cursor_at(grid.now)
        elif self._selected is not None:
            grid.place_cursor(self._day, self._selected)
        elif self._day in message.days:
            grid.place_cursor(self._day)
        self._selected = None
        self._to_now = False

    # -- the cursor --------------------------------------------------------------------

    @on(WeekGrid.Moved, "#week-grid")
    def show_cursor(self, message: WeekGrid.Moved) -> None:
        self._day = message.day
        status = self.query_one("#grid-status", GridStatus)
        where = f"{message.day:%a} {message.day.day} {MONTH_NAMES[message.day.month - 1][:3]}"
        if message.row != ALL_DAY:
            minutes = message.row * SLOT
            where += f" {minutes // 60:02d}:{minutes % 60:02d}"
        else:
            where += " all day"
        occurrence = message.occurrence
        if occurrence is None:
            status.say(Text(f"{where} · no event · J/K: the day's events", style="dim"))
            return
        event = occurrence.event
        # When first, then what: a narrow window cuts the title, not the times (the
        # line read "Policy Dinner: Cities and Atrocity Prevention · Tue 8 … · 19:00–2…").
        first, last = occurrence.start_date, occurrence.end_date
        short_times = ""
        if runs_through(first, last, event.start_time, event.end_time):
            # From its first day's start to its last day's end, not those hours each day.
            parts = [f"{when_words(first, last, event.start_time, event.end_time)}"]
            if event.timezone:
                parts[0] += f" {event.timezone}"
        else:
            parts = [format_span(first, last)]
            times = time_span(event.start_time, event.end_time)
            if times:
                parts.append(f"{times} {event.timezone or ''}".strip())
                zone = event_zone(event.timezone)
                if zone is not None and event.start_time is not None:
                    # "EST" for "America/New_York", on the event's date (EDT in summer).
                    abbreviation = datetime.combine(first, event.start_time, zone).tzname()
                    if abbreviation and abbreviation != event.timezone:
                        short_times = f"{times} {abbreviation}"
        parts.append(safe_line(event.title))
        if event.location or event.venue:
            parts.append(safe_line(event.venue or event.location))
        parts.append(event.status)
        wordings = [Text(" · ".join(parts))]
        if first == last:
            # The title is the one name of an event cut to "Budg…" in a narrow grid: the
            # day (in the grid's heading already) gives up its month and year first, then
            # the zone its name ("Policy Dinner: Cities and Atrocit…" at 80 columns).
            parts[0] = f"{first:%a} {first.day} {MONTH_NAMES[first.month - 1][:3]}"
            wordings.append(Text(" · ".join(parts)))
            if short_times:
                parts[1] = short_times
                wordings.append(Text(" · ".join(parts)))
        status.say(*wordings, keep=safe_line(event.title))

    @on(WeekGrid.WeekLeft, "#week-grid")
    def follow_cursor(self, message: WeekGrid.WeekLeft) -> None:
        self._day = message.day
        self.load(self._days_for(message.day))

    @on(WeekGrid.OpenRequested, "#week-grid")
    def open_event(self, message: WeekGrid.OpenRequested) -> None:
        from tui.screens.event import EventScreen

        self.app.push_screen(EventScreen(message.occurrence))

    # -- keys --------------------------------------------------------------------------

    def action_back(self) -> None:
        """Back to the lists, on the day (and event) under the cursor."""
        self.dismiss((self._day, self.grid.selected))

    def action_toggle_days(self) -> None:
        """The week grid or the day grid of the cursor's day."""
        self._single = not self._single
        self._selected = self.grid.selected
        self.load(self._days_for(self._day))

    def action_toggle_zone(self) -> None:
        """Your zone, or the zone of the event under the cursor; the cursor keeps its
        moment (and its event), on the day that moment falls on in the new zone."""
        before = self.zone
        if self._zone is not None:
            self._zone, self._event_zone_of = None, None
        else:
            selected = self.grid.selected
            zone = event_zone(selected.event.timezone) if selected is not None else None
            if selected is None:
                self.notify(
                    "No event under the cursor: J / K move to one, z then shows its zone.",
                    markup=False,
                )
                return
            if zone is None:
                self.notify(
                    safe_line(f"{selected.event.title[:80]} has no time zone of its own."),
                    markup=False,
                )
                return
            self._zone, self._event_zone_of = zone, selected
        self._selected = self.grid.selected
        # The moment under the cursor, in the zone now shown: the dinner at 00:00 on
        # Wednesday in UTC is Tuesday 19:00 in New York, and the cursor follows it there
        # (it stayed on Wednesday, an empty day in that zone).
        grid = self.grid
        if grid.row != ALL_DAY:
            moment = datetime.combine(grid.cursor_day, time()) + timedelta(minutes=grid.row * SLOT)
            with suppress(OverflowError, ValueError):
                shown = moment.replace(tzinfo=before).astimezone(self.zone)
                self._day = shown.date()
        self.load(self._days_for(self._day) if self._day not in self._wanted else self._wanted)

    def action_shift(self, step: int) -> None:
        """A week (in the day grid, a day) back or on."""
        try:
            self._day = self._day + timedelta(days=step * (1 if self._single else 7))
        except OverflowError:
            self.app.bell()
            return
        self.load(self._days_for(self._day))

    def action_today(self) -> None:
        """Today's week (or today), the cursor on now (it went to 00:00, the now line out
        of sight)."""
        self._day = self.convener.planner.today()
        self._to_now = True
        self.load(self._days_for(self._day))

    def action_go_to_date(self) -> None:
        """Ask for a date and show its week (or the day)."""
        from tui.modals.goto import GoToDateScreen

        def arrive(day: date | None) -> None:
            if day is not None:
                self._day = day
                self.load(self._days_for(day))

        screen = GoToDateScreen(self.convener.planner.today(), self.convener.settings.day_first)
        self.app.push_screen(screen, arrive)

    def on_screen_resume(self) -> None:
        # Back from the event screen, where the event may have been edited or deleted.
        if self._shown:
            self.refresh_data()

    def refresh_data(self) -> None:
        """Read the days again (after an undo, an edit on the event screen)."""
        self._selected = self.grid.selected
        self.load(self._wanted or self._days_for(self._day))

    # -- the event under the cursor (SPEC: n, e, d, x on every screen) ------------------

    def action_new_event(self) -> None:
        """A new event on the day under the cursor, at the time under it (in the
        officer's own zone: with an event's zone shown, the day only)."""
        from tui.screens import save_flows

        at = None
        row = self.grid.row
        if row != ALL_DAY and self._zone is None:
            at = time(row * SLOT // 60, row * SLOT % 60)
        save_flows.new_event(self, self._day, lambda _event: self.refresh_data(), at)

    def action_edit_event(self) -> None:
        """Every field of the event under the cursor (one date or the series)."""
        from tui.screens import save_flows

        occurrence = self._under_cursor()
        if occurrence is not None:
            save_flows.edit_event(self, occurrence, lambda _event: self.refresh_data())

    def action_delete_event(self) -> None:
        """Move the event under the cursor to the trash, saying what goes with it."""
        from tui.screens import save_flows

        occurrence = self._under_cursor()
        if occurrence is not None:
            save_flows.delete_event(self, occurrence, self.refresh_data)

    def action_export_agenda(self) -> None:
        """The agenda of the event under the cursor (that date's, for a series) to the
        export folder, as x does on the calendar (asking before replacing a file)."""
        occurrence = self._under_cursor()
        if occurrence is not None:
            self.convener.export_occurrence(occurrence, "agenda")

    def _under_cursor(self) -> Occurrence | None:
        occurrence = self.grid.selected
        if occurrence is None:
            self.notify("No event here: move to one first (J/K: the day's events).", markup=False)
        return occurrence

    # -- the filter --------------------------------------------------------------------

    def _show_filter(self) -> None:
        """Say under the title which filter hides events, as the calendar does."""
        chips = self.convener.event_filter.chips()
        label = self.query_one("#grid-chips", Label)
        label.display = bool(chips)
        label.update(Text("Filter: " + " · ".join(f"[{c}]" for c in chips) + "   F clears"))

    def _apply(self, event_filter: EventFilter) -> None:
        # The calendar underneath reads again with it (the main screen imports this one:
        # it is told through the app, not named here).
        self.convener.event_filter = event_filter
        self.convener.refresh_screens(skip=self)
        self._selected = self.grid.selected
        self.load(self._wanted or self._days_for(self._day))

    # -- the title ---------------------------------------------------------------------

    def _set_title(self) -> None:
        days = self._wanted
        first, last = days[0], days[-1]
        if len(days) == 1:
            label = f"{first:%A} {first.day} {MONTH_NAMES[first.month - 1]} {first.year}"
        else:
            week = first.isocalendar().week if first.weekday() == 0 else last.isocalendar().week
            label = (
                f"Week {week} · {first.day} {MONTH_NAMES[first.month - 1][:3]} – "
                f"{last.day} {MONTH_NAMES[last.month - 1][:3]} {last.year}"
            )
        zone = zone_label(self.zone)
        if self._event_zone_of is not None:
            whose = f"in {zone}, the zone of {safe_line(self._event_zone_of.event.title)}"
        else:
            whose = f"in {zone} (your zone)"
        title = Text(f"{label} · {whose} · z: zone", no_wrap=True, overflow="ellipsis")
        self.query_one("#grid-title", Label).update(title)
