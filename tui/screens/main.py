"""MainScreen: the calendar pane beside the selected event; coordinates the panes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path
from time import monotonic
from typing import TYPE_CHECKING, Any, cast

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.css.query import NoMatches
from textual.geometry import Size
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Label
from textual.worker import get_current_worker

from tui import config
from tui.config import save_settings
from tui.context import UsesConvener
from tui.domain.dates import format_span
from tui.domain.errors import ConvenerError, NotFound
from tui.domain.filters import EventFilter
from tui.domain.models import Event, ItemRef, Occurrence
from tui.domain.privacy import guests_may_leave
from tui.domain.text import clean
from tui.files import export_name, write_private
from tui.first_screen import read_panes
from tui.key_bar import KeyBar
from tui.messages import DataChanged
from tui.modals import OpensDialogs
from tui.typeahead import release_keys
from tui.widgets.app_header import AppHeader
from tui.widgets.calendar_pane import CalendarPane
from tui.widgets.event_pane import EventPane
from tui.widgets.frames import (
    PAINT_POLL,
    Backdrop,
    PaintsWhenSettled,
    Panes,
    ScrollBarsInFrame,
    Side,
    nothing_pending,
)
from tui.widgets.guest_list import GuestList
from tui.widgets.related_pane import RelatedPane
from tui.worker_errors import ReadEnded, ReportsWorkerErrors

if TYPE_CHECKING:
    from tui.screens.filters import FilterChoice

NARROW = 100
GUESTS_BESIDE_CALENDAR = 115
"""Under this width (and from NARROW), the guest list with focus takes the calendar's room
too: beside it, it had no room for its Role and Replied columns (README: every column
while it has focus)."""
"""Below this many columns the main screen shows one pane at a time, under a tab bar."""
WIDE = 180
"""From this many columns on the calendar widens (longer titles in its agenda)."""
PANES = ("calendar", "guests", "side")
PANE_LABELS = {"calendar": "Calendar", "guests": "Guests", "side": "Event"}
PANE_GROUPS = frozenset({"details", "guests", "related"})
"""The worker groups that load the selected event's panes."""
PANE_HOLD_LIMIT = 0.15
"""Seconds at most that frames wait for the panes of a new selection."""
PANE_POLL = 0.005
"""Seconds between looks whether the held panes are loaded, besides each read's end."""
START_HOLD_LIMIT = 0.5
"""Seconds at most that the first frame waits for the calendar and the first event's
panes (painted empty first, the screen was rendered whole twice while starting)."""
NEIGHBOURS_AFTER = 0.05
"""Seconds of a still screen after which the next selections' panes are read ahead."""
NEIGHBOURS_TRIES = 20
"""Looks, NEIGHBOURS_AFTER apart, for the six weeks' records to be read (after a start)."""
NEIGHBOURS_READ = 6
"""At most this many next selections are read ahead (a week and a day each way, the
agenda's next and previous lines): about 1.5 ms of a worker thread each at 100k events."""


class MainScreen(
    UsesConvener,
    OpensDialogs,
    ReportsWorkerErrors,
    ScrollBarsInFrame,
    PaintsWhenSettled,
    Backdrop,
    Screen[None],
):
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
        Binding("n", "new_event", "New", id="main.new", tooltip="New event on the selected day"),
        Binding("e", "edit_event", "Edit", id="main.edit", tooltip="Edit the selected event"),
        Binding(
            "E",
            "edit_in_editor",
            "Edit in $EDITOR",
            id="main.edit_in_editor",
            tooltip="Edit the selected event as TOML in $VISUAL or $EDITOR",
            show=False,
        ),
        Binding(
            "d",
            "delete_event",
            "Delete",
            id="main.delete",
            tooltip="Move the selected event to the trash (asks first; u undoes)",
            show=False,
        ),
        Binding(
            "i",
            "import_files",
            "Import",
            id="main.import",
            tooltip="Import pages, calendars, Convener files, replies or a folder of them",
        ),
        Binding(
            "x",
            "export_agenda",
            "Export",
            id="main.export",
            tooltip="Export the selected event's agenda to Markdown",
        ),
        Binding(
            "X",
            "export_range",
            "Export range",
            id="main.export_range",
            tooltip="Export the officer's agenda of the day, week or month on screen",
            show=False,
        ),
        Binding(
            "f",
            "filter_events",
            "Filter",
            id="main.filter",
            tooltip="Show only events of a program area, partner, status, access or kind",
        ),
        Binding(
            "backspace,alt+left",
            "back",
            "Back",
            id="main.back",
            tooltip="Previous subject of the related-items pane",
            show=False,
        ),
        Binding(
            "alt+right",
            "forward",
            "Forward",
            id="main.forward",
            tooltip="Next subject of the related-items pane",
            show=False,
        ),
        Binding(
            "F",
            "clear_filter",
            "Clear filter",
            id="main.clear_filter",
            tooltip="Show every event again",
        ),
    ]
    """
    | key | does |
    |---|---|
    | t | today |
    | g | go to a date |
    | [ / ] | previous / next month |
    | n | new event on the selected day |
    | e | edit the selected event (a repeating one: this occurrence or the series) |
    | E | edit the selected event as TOML in $VISUAL or $EDITOR |
    | d | delete the selected event (to the trash) |
    | i | import files |
    | x | export the selected event's agenda |
    | X | export the agenda of the range on screen |
    | f | filter the events shown |
    | F | clear the filter |
    | backspace, alt+left | back in the related-items history |
    | alt+right | forward in the related-items history |
    """

    def __init__(self) -> None:
        super().__init__()
        self._highlighted: Occurrence | None = None
        self._last_pane = "calendar"
        """The pane shown in a narrow window when focus is elsewhere (a dialog)."""
        self._holding = False
        """True while frames wait for the new selection's panes (see _hold_frames)."""
        self._hold_started = 0.0
        self._hold_limit = PANE_HOLD_LIMIT
        self._awaiting_selection = False
        """True from the start until the calendar has made its first selection."""
        self._first_frame = False
        """True while the app's first frame waits for its data (see on_mount)."""
        self._hold_poll: Timer | None = None
        self._neighbours_timer: Timer | None = None
        """Starts the reads of the next selections' panes (see _read_neighbours_soon)."""
        self._polling_panes = False
        """True while _hold_poll looks whether the panes are loaded (not yet whether
        their answers are applied)."""
        self._hold_marks = 0
        self._awaiting_quiet = False
        """True once the panes' answers are applied and the frame waits only for their
        widgets to hand in their changes (see on_idle)."""
        self._resumed = False
        """True once the screen has been shown (see _on_screen_resume)."""
        self._changes_at_suspend: int | None = None
        """The store's count of rows written when another screen came over this one."""
        self._read_at = -1
        """The store's count of rows written when the panes were last read again."""

    def compose(self) -> ComposeResult:
        app = self.convener
        yield AppHeader()
        yield Label("", id="pane-tabs", markup=False)
        with Panes(id="panes"):
            yield CalendarPane(
                app.planner.today(),
                app.settings.first_weekday,
                on_new_lines=self._selection_coming,
                id="calendar",
            )
            yield GuestList(id="guests")
            empty = app.planner.is_empty()
            # An empty database's welcome takes the whole side: the related items have
            # nothing to show, and under them its last lines were cut off.
            with Side(id="side", classes="-welcome" if empty else ""):
                yield EventPane(empty_database=empty, id="details")
                yield RelatedPane(id="related")
        yield KeyBar()

    @property
    def calendar(self) -> CalendarPane:
        """The calendar pane."""
        return self.query_one("#calendar", CalendarPane)

    @property
    def guests(self) -> GuestList:
        """The guest-list pane."""
        return self.query_one("#guests", GuestList)

    @property
    def related(self) -> RelatedPane:
        """The related-items pane."""
        return self.query_one("#related", RelatedPane)

    @property
    def details(self) -> EventPane:
        """The selected event's details pane."""
        return self.query_one("#details", EventPane)

    def on_mount(self) -> None:
        self.calendar.grid.focus()
        self.fit_panes(self.size.width)
        # The first frame comes with the week's agenda and its first event's panes.
        self._awaiting_selection = True
        self._first_frame = True
        self._hold_frames(START_HOLD_LIMIT)

    def say_unfinished_edits(self) -> None:
        """Name the edits in $EDITOR a killed app left behind (E on each offers it back)."""
        from tui.edit_files import FOLDER, unfinished_edits

        app = self.convener
        planner = app.planner
        folder = planner.database_path.parent / FOLDER
        if str(planner.database_path) == ":memory:" or not folder.is_dir():
            return  # the common case: no more is imported or read
        from tui.display import officer_zone
        from tui.edit_files import waiting_note
        from tui.form_drafts import drafts_note, form_drafts
        from tui.screens.save_flows import edits_to_name

        uid = planner.database_uid()
        zone = officer_zone(app.settings.timezone)
        notes = []
        edits = unfinished_edits(folder, database=uid)
        if edits:
            waiting, gone = edits_to_name(planner, edits)
            notes.append(waiting_note(waiting, zone, gone))
        notes.append(drafts_note(form_drafts(folder, uid), zone))
        for note in notes:
            if note is not None:
                self.notify(clean(note), severity="warning", markup=False, timeout=20)

    # -- any window size ----------------------------------------------------------------

    def on_resize(self, event: events.Resize) -> None:
        self.fit_panes(event.size.width)

    def fit_panes(self, width: int) -> None:
        """Lay the panes out by the width there is.

        Under NARROW columns one pane shows at a time under a tab bar (tab and shift+tab
        move between them, as always); from WIDE on the calendar widens so that titles
        read whole.
        """
        if width <= 0:
            return
        panes = self.query_one("#panes")
        narrow = width < NARROW
        panes.set_class(narrow, "-narrow")
        panes.set_class(width >= WIDE, "-wide")
        panes.set_class(width < GUESTS_BESIDE_CALENDAR, "-guests-alone")
        self.query_one("#pane-tabs").display = narrow
        self._show_active_pane()

    def _active_pane(self) -> str:
        focused = self.focused
        if focused is not None:
            for name in PANES:
                pane = self.query_one(f"#{name}")
                if pane in focused.ancestors_with_self:
                    self._last_pane = name
                    break
        return self._last_pane

    def _show_active_pane(self) -> None:
        if not self.is_mounted:
            return
        active = self._active_pane()
        narrow = self.query_one("#panes").has_class("-narrow")
        for name in PANES:
            self.query_one(f"#{name}").set_class(narrow and name != active, "-tucked")
        if narrow:
            tabs = Text(no_wrap=True, overflow="ellipsis")
            for name in PANES:
                label = f" {PANE_LABELS[name]} "
                tabs.append(label, style="bold reverse" if name == active else "dim")
                tabs.append(" ")
            tabs.append(" tab / shift+tab: next / previous pane", style="dim")
            self.query_one("#pane-tabs", Label).update(tabs)

    @on(CalendarPane.EventHighlighted, "#calendar")
    def show_event(self, message: CalendarPane.EventHighlighted) -> None:
        # The panes start loading at once, off the UI thread, so that they arrive with the
        # agenda's frame rather than a frame later; a held key's older loads are
        # cancelled by the newer (exclusive workers) and their answers dropped.
        self._highlighted = message.occurrence
        self._awaiting_selection = False
        self._hold_frames()
        self._follow_highlight(message.occurrence)
        # Panes that read at once (the first screen; answers read ahead) have their
        # answers queued now: the frame need not wait for the next look (5 ms at most).
        # Those reading on a worker are looked at again as each read ends (ReadEnded).
        self.call_later(self._check_panes)

    # -- one frame for the panes of a new selection -------------------------------------

    def _selection_coming(self) -> None:
        """The agenda is about to show new lines, and a selection among them follows in a
        message: frames wait from now, for that selection's panes too."""
        self._awaiting_selection = True
        self._hold_frames()

    def _screen_resized(self, size: Size) -> None:
        if self._first_frame and size == self.outer_size:
            # While the first frame waits for its data, the screen's own Resize (posted by
            # each layout that sizes it) laid the whole screen out again at once, two or
            # three times, 10 ms of a start at 100k events: it is laid out once, when the
            # frame is released. A change of size is laid out at once, as always.
            self._layout_required = True
            return
        super()._screen_resized(size)

    def _compositor_refresh(self) -> None:
        if self._first_frame:
            # The screen's first layout paints at once, batch or not: while starting,
            # the empty panes are not painted; the whole screen is, once they are filled.
            self._repaint_required = True
            return
        super()._compositor_refresh()

    def _hold_frames(self, limit: float | None = None) -> None:
        """Lay out and paint the new selection's three panes together, once.

        Each pane loads off the UI thread and answers in its own message; painted as they
        came, a week change laid the whole screen out once per pane (most of a key's CPU).
        Frames wait (the App's batch) until no pane load runs and the answers they posted
        are applied, or PANE_HOLD_LIMIT has passed: a held key still shows a frame that
        often. A selection made while holding joins the same hold."""
        if self._holding:
            return
        self._stop_neighbours()
        self._holding = True
        self._hold_started = monotonic()
        self._hold_limit = PANE_HOLD_LIMIT if limit is None else limit
        self.app._begin_batch()
        self._poll_panes()

    def _poll_panes(self) -> None:
        """Look whether the panes are loaded as each of their reads ends (ReadEnded), and
        every 5 ms besides (a selection on its way, the hold's time limit; see
        _check_panes)."""
        if self._hold_poll is not None:
            self._hold_poll.stop()
        self._awaiting_quiet = False
        self._polling_panes = True
        self._hold_poll = self.set_interval(PANE_POLL, self._check_panes)

    @on(ReadEnded)
    def _read_ended(self, message: ReadEnded) -> None:
        # Looked at every 5 ms only, the panes' reads waited 2.5 ms on average (up to 5)
        # for the frame they were held for (a week change at 100k events, issue 24).
        message.stop()
        if self._polling_panes and message.group in PANE_GROUPS:
            self._check_panes()

    def _panes_loading(self) -> bool:
        """True while a selection is on its way or a pane's load runs, within the hold's
        time limit."""
        loading = self._awaiting_selection or any(
            worker.group in PANE_GROUPS and not worker.is_finished for worker in self.app.workers
        )
        return loading and monotonic() - self._hold_started < self._hold_limit

    def _taken_down(self) -> bool:
        """True once the screen is being taken down (the app quitting: Textual removes its
        panes while its timers still run): a poll that looked at them found none."""
        if not (self._pruning or self._closing or self._closed):
            return False
        if self._hold_poll is not None:
            self._hold_poll.stop()
            self._hold_poll = None
        self._polling_panes = self._awaiting_quiet = False
        self._stop_neighbours()
        if self._holding:  # the app's frames are let go (nothing of this screen to paint)
            self._holding = False
            self.app._end_batch()
        return True

    def _check_panes(self) -> None:
        if self._hold_poll is None or not self._polling_panes or self._taken_down():
            return
        if self._panes_loading():
            return
        self._polling_panes = False
        self._hold_poll.stop()
        self._hold_poll = None
        # A finished load's answer may still wait in its pane's queue: a callback queued
        # behind it on each pane releases the frames once all three have been applied.
        panes: list[Widget] = [self.details, self.guests, self.related]
        self._hold_marks = len(panes)
        for pane in panes:
            pane.call_later(self._pane_applied)

    def _pane_applied(self) -> None:
        self._hold_marks -= 1
        if self._hold_marks > 0 or self._taken_down():
            return
        if not self._release_when_quiet():
            self._awaiting_quiet = True
            self._hold_poll = self.set_interval(PAINT_POLL, self._release_when_quiet)

    def on_idle(self) -> None:
        # The widgets hand their changes in to this screen, each on its own idle moment:
        # the last of them leaves the screen idle, and the frame goes then. Looked at
        # only by the poll, it waited for the poll's next look (1-3 ms of a week change
        # at 100k, issue 24); the poll stays for what does not pass through here. Not
        # for the first frame: its widgets are still being mounted when the screen
        # idles, and a release then painted it before its layout.
        if self._awaiting_quiet and not self._first_frame:
            self._release_when_quiet()

    def _release_when_quiet(self) -> bool:
        """Release the frames once nothing is pending (or the hold's time is up). True when
        done with: released, or handed back to waiting for the panes."""
        if self._taken_down():
            return True
        if self._panes_loading():
            # A newer selection came while this one's panes were applied (a held key): its
            # panes are waited for as the first's were, or the frame showed the new agenda
            # beside the old panes and the screen was laid out again when they came.
            self._poll_panes()
            return True
        if nothing_pending(self) or monotonic() - self._hold_started >= self._hold_limit:
            self._release_frames()
            return True
        return False

    def _release_frames(self) -> None:
        self._polling_panes = False
        self._awaiting_quiet = False
        if self._hold_poll is not None:
            self._hold_poll.stop()
            self._hold_poll = None
        if self._first_frame:
            self.call_after_refresh(self.convener.first_screen_shown)
            # Edits a killed app left are named once the calendar is shown (their module's
            # import and the folder's look are not the first frame's work).
            self.call_after_refresh(self.say_unfinished_edits)
            # The six weeks were read at a glance for this frame: the rest now.
            self.call_after_refresh(self.calendar.complete_window)
            if self._layout_required:
                # The layout paints the whole screen: the repaint asked for while the
                # first frame waited would paint (and send) it all a second time.
                self._repaint_required = False
        self._first_frame = False
        self._read_neighbours_soon()
        if self._holding:
            self._holding = False
            self.app._end_batch()
            # The held frame is laid out and painted now. Left to the screen's update
            # timer, it waited for the timer's next 1/60 s tick (up to 17 ms after the
            # key's first frame, the grid's cursor) or, without a prompt, for the
            # screen's next message (40-100 ms of a week change).
            self.paint_now()

    # -- the next selections' panes, read while the officer looks ----------------------

    def _read_neighbours_soon(self, tries: int = NEIGHBOURS_TRIES) -> None:
        """Read the panes of the selections the next key would make once the screen is
        still (see tui.domain.read_ahead): a held key's frames come faster than this."""
        self._stop_neighbours()
        if tries > 0:
            self._neighbours_timer = self.set_timer(
                NEIGHBOURS_AFTER, lambda: self._read_neighbours(tries - 1)
            )

    def _stop_neighbours(self) -> None:
        if self._neighbours_timer is not None:
            self._neighbours_timer.stop()
            self._neighbours_timer = None

    def _read_neighbours(self, tries: int) -> None:
        self._neighbours_timer = None
        if self._holding or not self.is_current or not self.is_mounted or self._taken_down():
            return
        calendar = self.calendar
        if self.convener.reads_at_once or not calendar.window_complete:
            # The first screen's answers are still being taken, or the six weeks were
            # read at a glance (the rest comes next): a week on is not known yet.
            self._read_neighbours_soon(tries)
            return
        event_ids = [o.event.id for o in calendar.next_selections() if o.event.id is not None]
        if event_ids:
            self._read_ahead(event_ids[:NEIGHBOURS_READ])

    @work(thread=True, exclusive=True, exit_on_error=False, group="neighbours")
    def _read_ahead(self, event_ids: list[int]) -> None:
        """Read the panes of `event_ids` ahead, nearest first, each kept for the first read
        asking the same (the panes' own reads, made at once from them)."""
        app = self.convener
        ahead = app.read_ahead_from_here()
        worker = get_current_worker()
        for event_id in event_ids:
            if worker.is_cancelled:
                return
            try:
                read_panes(app.planner, ahead, event_id)
            except Exception:  # the pane's own read meets it again, and says so
                continue

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        # Screen's own handler (called after this one) restyles every widget when the
        # screen comes back. The first time is right after they were styled as they were
        # mounted: the same styles again, 10-15 ms of the start. Later resumes are left as
        # Textual has them.
        if not self._resumed:
            self._resumed = True
            event.refresh_styles = False
        # Back from a screen that wrote (a person deleted in the lists, an event's page):
        # what is shown here may be stale (the guest list kept a trashed person's line,
        # and its keys still changed it). Read everything again. (Here, not in an
        # on_screen_resume: Textual calls one of the two per class.)
        seen, self._changes_at_suspend = self._changes_at_suspend, None
        if seen is not None and seen != self.convener.planner.changes_made():
            # After the dialog's own answer: a form that saved reads the panes itself
            # (and selects what it saved); read once, not twice.
            self.call_after_refresh(self._catch_up)

    def _catch_up(self) -> None:
        """Read everything again unless it was read since the last write."""
        if self._read_at != self.convener.planner.changes_made():
            self.refresh_data()

    def on_screen_suspend(self) -> None:
        # A dialog or another screen comes up: it must paint at once.
        self._release_frames()
        self._stop_neighbours()
        self._changes_at_suspend = self.convener.planner.changes_made()

    def on_unmount(self) -> None:
        # Closed before its first frame went out (quit, an error, a signal while the
        # panes were read): the frames are released, but nothing is shown any more.
        self._first_frame = False
        self._release_frames()
        self._stop_neighbours()

    def _follow_highlight(self, occurrence: Occurrence | None) -> None:
        if occurrence is not self._highlighted:
            return
        self.details.occurrence = occurrence
        self.guests.event_id = occurrence.event.id if occurrence is not None else None
        if occurrence is not None and occurrence.event.id is not None:
            self.related.selected(ItemRef("event", occurrence.event.id))
        elif occurrence is None:
            start, end = self.calendar.range
            when = format_span(start, end)
            note = f"No event on {when}." if start == end else f"No event in {when}."
            self.details.say_nothing(note)
            self.related.clear(note)

    @on(RelatedPane.EventOpened, "#related")
    def select_related_event(self, message: RelatedPane.EventOpened) -> None:
        try:
            occurrence = self.convener.planner.occurrence_to_open(message.event_id)
        except NotFound as error:
            self.notify(clean(str(error)), severity="warning", markup=False)
            return
        selected = self.calendar.selected_occurrence
        if selected is None or selected.event.id != message.event_id:
            self.calendar.go_to(occurrence.start_date, select_event_id=message.event_id)

    def action_back(self) -> None:
        """The previous subject of the related-items pane."""
        self.related.step(-1)

    def action_forward(self) -> None:
        """The next subject of the related-items pane."""
        self.related.step(1)

    def watch_focused(self, widget: Widget | None) -> None:
        # Working on the guest list wants every column: the event pane steps aside.
        if not self.is_mounted:
            return
        try:
            wide = widget is not None and self.guests in widget.ancestors_with_self
            self.query_one("#panes").set_class(wide, "-guests-wide")
            self._show_active_pane()
        except NoMatches:
            # The app is closing: its panes are being taken down, and losing the focus
            # on the way is not a change to show (it ended the app's run in a traceback
            # at quit, SIGHUP or q alike, when a pane went before the focus did).
            return

    @on(GuestList.FormRequested, "#guests")
    def open_guest_form(self, message: GuestList.FormRequested) -> None:
        """Open the form a guest-list key asked for (edit a line, invite, import a CSV)."""
        from tui.screens.forms.invitation import InvitationFormScreen  # forms load when asked
        from tui.screens.import_files import ImportScreen
        from tui.screens.invite import InviteScreen

        form: Screen[Any]
        if message.what == "edit" and message.line is not None:
            day_first = self.convener.settings.day_first
            form = InvitationFormScreen(message.line, day_first=day_first)
        elif message.what == "invite":
            form = InviteScreen(message.event_id, message.event.title)
        elif message.what == "import":
            form = ImportScreen(event_id=message.event_id, event_title=message.event.title)
        else:
            release_keys(self.app)  # no form opens: what was typed ahead goes on here
            return
        self.app.push_screen(form, message.done)

    def on_data_changed(self, message: DataChanged) -> None:
        """The guest list changed its event's guests: re-read the counts and the links
        beside it; anything else: read everything shown again."""
        message.stop()
        if message.origin is self.guests:
            self.details.occurrence = self.details.occurrence  # re-read the RSVP counts
            self.related.reload()
        elif message.kind == "outbox":
            self.guests.reload()  # its border counts the outbox; nothing else shows it
        elif message.origin is self.related:
            self.details.occurrence = self.details.occurrence  # its publications, partners
        else:
            self.refresh_data()

    def refresh_data(self) -> None:
        """Read everything shown again (after an undo, an import)."""
        self._read_at = self.convener.planner.changes_made()
        empty = self.convener.planner.is_empty()
        self.details.empty_database = empty
        self.query_one("#side").set_class(empty, "-welcome")
        self.calendar.reload()
        self.guests.reload()
        self.related.reload()
        self.details.occurrence = self.details.occurrence

    @on(CalendarPane.OpenRequested, "#calendar")
    def open_event(self, message: CalendarPane.OpenRequested) -> None:
        from tui.screens.event import EventScreen

        self.app.push_screen(EventScreen(message.occurrence))

    @on(CalendarPane.TimeGridRequested, "#calendar")
    def open_time_grid(self, message: CalendarPane.TimeGridRequested) -> None:
        self.show_time_grid(message.day, message.occurrence)

    def show_time_grid(self, day: date, occurrence: Occurrence | None, days: int = 7) -> None:
        """The week (or day) of `day` as a time grid; back on the day and event left there."""
        from tui.screens.time_grid import GridResult, TimeGridScreen

        def back(result: GridResult | None) -> None:
            if result is not None:
                day, selected = result
                self.calendar.go_to(day, select_event_id=selected.event.id if selected else None)

        self.app.push_screen(TimeGridScreen(day, occurrence, days=days), back)

    def action_week_grid(self) -> None:
        """The selected week as a time grid."""
        day = self.calendar.day
        self.calendar.with_selection(lambda selected: self.show_time_grid(day, selected))

    def action_day_grid(self) -> None:
        """The selected day as a time grid (a convening's sessions inside its block)."""
        day = self.calendar.day
        self.calendar.with_selection(lambda selected: self.show_time_grid(day, selected, days=1))

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
        from tui.modals.goto import GoToDateScreen

        def arrive(day: date | None) -> None:
            if day is not None:
                self.calendar.go_to(day)

        screen = GoToDateScreen(self.convener.planner.today(), self.convener.settings.day_first)
        self.app.push_screen(screen, arrive)

    def action_import_files(self) -> None:
        """Ask for files and import them; the calendar reloads when anything came in."""
        from tui.screens.import_files import ImportScreen

        def done(changed: bool | None) -> None:
            if changed:
                self.refresh_data()

        self.app.push_screen(ImportScreen(), done)

    # -- editing --------------------------------------------------------------------

    def action_new_event(self) -> None:
        """A new event on the selected day."""
        from tui.screens import save_flows

        save_flows.new_event(self, self.calendar.day, self.event_saved)

    def action_edit_event(self) -> None:
        """Every field of the selected event (one occurrence or the series, when it repeats)."""
        from tui.screens import save_flows

        self._with_selected_event(
            lambda occurrence: save_flows.edit_event(self, occurrence, self.event_saved)
        )

    def action_edit_in_editor(self) -> None:
        """The selected event as TOML in $EDITOR."""
        self._with_selected_event(self._edit_in_editor)

    def _edit_in_editor(self, occurrence: Occurrence) -> None:
        from tui.screens import save_flows

        try:
            event = self.convener.planner.event(occurrence.event.id or 0)
        except NotFound as error:
            self.notify(clean(str(error)), severity="warning", markup=False)
            return
        if not event.repeat:
            save_flows.edit_in_editor(self, event, self.event_saved)
            return
        # The file holds the series (its first day, its rule): said before, as `e` asks.
        from tui.modals.confirm import ConfirmScreen

        def answer(yes: bool | None) -> None:
            if yes:
                save_flows.edit_in_editor(self, event, self.event_saved)

        first = f"{event.start_date:%a} {event.start_date.day} {event.start_date:%b %Y}"
        question = (
            f"{event.title} repeats: $EDITOR edits the whole series (from {first}), not only"
            f" this date (e edits one date). Edit the series?"
        )
        self.app.push_screen(ConfirmScreen(clean(question)), answer)

    def event_saved(self, event: Event) -> None:
        """Show a saved event: the calendar moves to it and selects it."""
        self.refresh_data()
        # A series stays on the occurrence it was edited from, not its first day.
        day = self.calendar.day if event.repeat else event.start_date
        self.calendar.go_to(day, select_event_id=event.id)

    def action_delete_event(self) -> None:
        """Move the selected event to the trash, saying what goes with it."""
        from tui.screens import save_flows

        self._with_selected_event(
            lambda occurrence: save_flows.delete_event(self, occurrence, self.refresh_data)
        )

    # -- filters --------------------------------------------------------------------

    def action_filter_events(self) -> None:
        """Choose a filter; optionally save it as the default view."""
        from tui.screens.filters import FilterScreen

        def chosen(choice: FilterChoice | None) -> None:
            if choice is None:
                return
            self.apply_filter(choice.event_filter)
            if choice.save_as_default:
                app = self.convener
                app.settings = replace(app.settings, filters=choice.event_filter.as_mapping())
                try:
                    where = save_settings(app.settings)
                except OSError as error:
                    self.notify(
                        f"Could not save the default view: {error.strerror}",
                        severity="error",
                        markup=False,
                    )
                else:
                    self.notify(f"Default view saved to {where}", markup=False)

        screen = FilterScreen(self.convener.event_filter, self.convener.planner.filter_choices())
        self.app.push_screen(screen, chosen)

    def action_clear_filter(self) -> None:
        """Show every event again."""
        if self.convener.event_filter.is_empty:
            self.notify("No filter to clear.", markup=False)
            return
        self.apply_filter(EventFilter())

    def apply_filter(self, event_filter: EventFilter) -> None:
        """Use `event_filter` for every list of events and reload the calendar."""
        self.convener.event_filter = event_filter
        self.calendar.reload()

    # -- exports --------------------------------------------------------------------

    def _export_folder(self) -> Path:
        return self.convener.settings.export_dir or config.documents_dir()

    def _with_selected_event(self, act: Callable[[Occurrence], None]) -> None:
        """`act` on the selected event (see CalendarPane.with_selection), or say there is
        none."""

        def then(occurrence: Occurrence | None) -> None:
            if occurrence is None:
                self.notify("No event selected: move to one first.", markup=False)
                return
            act(occurrence)

        self.calendar.with_selection(then)

    def queue_event_mail(self, kind: str) -> None:
        """Queue updates ("update") or cancellations ("cancel", after a yes: it also
        marks the event cancelled) for the selected event's guests."""

        def queue(occurrence: Occurrence) -> None:
            event = occurrence.event
            if event.id is None:
                return
            event_id = event.id
            if kind != "cancel":
                self._queue_event_mail(event_id, kind)
                return
            from tui.mail_actions import not_here, sender
            from tui.modals.confirm import ConfirmScreen

            try:  # no question it cannot act on: without a sender (the demo), say so at once
                sender(self.convener.settings)
            except ConvenerError as error:
                line = not_here() or f"Nothing queued: {error}"
                self.notify(clean(line), severity="warning", markup=False)
                return

            def answer(yes: bool | None) -> None:
                if yes:
                    self._queue_event_mail(event_id, kind)

            question = (
                f"Cancel {event.title} and queue a cancellation to each guest invited or"
                " answered? (u puts its status back; the mail waits in the outbox)"
            )
            if event.repeat:
                # The whole series goes: said, with the way to call off one date.
                question = (
                    f"Cancel the whole series {event.title} (every date) and queue a"
                    " cancellation to each guest invited or answered? For one date only:"
                    " e on it, this occurrence only, status cancelled, then Mail: queue"
                    " updates. (u puts its status back; the mail waits in the outbox)"
                )
            self.app.push_screen(ConfirmScreen(clean(question)), answer)

        self._with_selected_event(queue)

    @work(thread=True, exit_on_error=False, group="mail")
    def _queue_event_mail(self, event_id: int, kind: str) -> None:
        """Write the messages off the UI thread; say what happened, show the new status."""
        from tui.mail_actions import queue_event_messages

        line = queue_event_messages(self.convener.planner, self.convener.settings, event_id, kind)
        self.app.call_from_thread(self._queued_event_mail, line)

    def _queued_event_mail(self, line: str) -> None:
        self.notify(clean(line), markup=False, timeout=10)
        self.refresh_data()

    def action_export_agenda(self) -> None:
        """The selected event's agenda, to the export folder."""
        self.export_event("agenda", include_private=False)

    def export_event(self, form: str, *, include_private: bool) -> None:
        """Export the selected event as its agenda or its briefing book."""
        self._with_selected_event(
            lambda occurrence: self._export_event(occurrence, form, include_private)
        )

    def export_occurrence(self, occurrence: Occurrence, form: str) -> None:
        """Export `occurrence` (an event's or one date of a series) as its agenda or its
        briefing book, without private details (the event's own screen asks: x)."""
        self._export_event(occurrence, form, include_private=False)

    def _export_event(self, occurrence: Occurrence, form: str, include_private: bool) -> None:
        event = occurrence.event
        day = occurrence.start_date
        name = export_name(event, form, include_private=include_private, day=day)
        # A series' occurrence is exported as that date (the file is named for it too).
        on = day if event.repeat else None
        self._export(self._export_folder() / name, ("event", form, event.id, include_private, on))

    def action_export_range(self) -> None:
        """The officer's agenda of the range on screen, to the export folder."""
        start, end = self.calendar.range
        name = f"agenda-{start.isoformat()}-to-{end.isoformat()}.md"
        self._export(self._export_folder() / name, ("range", start, end))

    def _export(self, target: Path, request: tuple[object, ...]) -> None:
        def answer(replace: bool | None) -> None:
            if replace:
                self.write_export(target, request, True)
            else:  # a no, or escape: said, as a key that did nothing would not be
                self.notify(f"Not exported: {target.name} is kept as it was.", markup=False)

        if target.exists():
            from tui.modals.confirm import ConfirmScreen

            question = f"{target} exists. Replace it?"
            self.app.push_screen(ConfirmScreen(question), answer)
        else:
            self.write_export(target, request, False)

    @work(thread=True, exit_on_error=False, group="export")
    def write_export(self, target: Path, request: tuple[object, ...], force: bool) -> None:
        """Build the Markdown and write it atomically, off the UI thread."""

        planner = self.convener.planner
        note = ""
        if request[0] == "range":
            start, end = cast(date, request[1]), cast(date, request[2])
            text = planner.officer_agenda_markdown(start, end)
        else:
            form, event_id, include_private = request[1], cast(int, request[2]), bool(request[3])
            day = cast("date | None", request[4])
            event = planner.event(event_id)
            if form == "briefing":
                text = planner.briefing_markdown(event_id, include_private=include_private, day=day)
            else:
                text = planner.agenda_markdown(event_id, include_private=include_private, day=day)
            if not guests_may_leave(event, include_private):
                note = " (guest details left out: invitation-only)"
        write_private(target, text, force=force)
        if config.is_sealed():
            note += " (the demo's own folder: removed when the demo ends)"
        self.app.call_from_thread(
            self.notify, f"Exported to {target}{note}", markup=False, timeout=8
        )

    def action_open_event(self) -> None:
        """Open the highlighted event on its own screen."""
        self._with_selected_event(self._open_event)

    def _open_event(self, occurrence: Occurrence) -> None:
        from tui.screens.event import EventScreen

        self.app.push_screen(EventScreen(occurrence))
