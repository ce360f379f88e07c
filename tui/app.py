"""ConvenerApp: builds the screens, holds the planner and settings, global keys and palette."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import events, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import Provider
from textual.driver import Driver
from textual.message import Message
from textual.notifications import Notification, SeverityLevel
from textual.screen import Screen
from textual.timer import Timer
from textual.worker import Worker, WorkerState

from tui import __version__
from tui.collector import Pacer
from tui.config import Settings
from tui.domain.errors import NotFound, describe
from tui.domain.filters import EventFilter
from tui.domain.models import ItemRef, Occurrence
from tui.domain.planner import Planner
from tui.domain.read_ahead import ReadAhead
from tui.domain.text import clean
from tui.keys import screen_commands, with_key
from tui.messages import DataChanged
from tui.screens.main import MainScreen
from tui.stylecache import KeptStylesheet
from tui.terminal_width import narrow_variation_selectors, without_variation_selectors
from tui.typeahead import KeyHoldingApp
from tui.widgets.strips import lazy_strip_caches

if TYPE_CHECKING:
    from tui.domain.mail.send import Handover


def records_provider() -> type[Provider]:
    """The palette's provider of records, imported when the palette first opens: it and
    the search screen it shares code with are 8 ms of imports the first screen does not
    need (issue 24)."""
    from tui.commands import RecordsProvider

    return RecordsProvider


MAIN_SCREEN_COMMANDS: list[tuple[str, str, str, str | None]] = [
    ("Calendar: today", "Go to today", "today", "main.today"),
    ("Calendar: go to date", "Type a date in any accepted form", "go_to_date", "main.goto"),
    ("Calendar: next month", "Same day, next month", "next_month", "main.next_month"),
    (
        "Calendar: previous month",
        "Same day, previous month",
        "previous_month",
        "main.previous_month",
    ),
    ("Calendar: week grid", "The selected week as a time grid", "week_grid", "calendar.week_grid"),
    (
        "Calendar: day grid",
        "The selected day as a time grid, with a convening's sessions",
        "day_grid",
        None,
    ),
    # enter is the agenda list's own key (selecting a row), not a binding a config remaps.
    ("Event: open", "Open the selected event and its agenda (enter)", "open_event", None),
    ("Event: new", "A new event on the selected day", "new_event", "main.new"),
    ("Event: edit", "Every field of the selected event", "edit_event", "main.edit"),
    (
        "Event: edit in $EDITOR",
        "The selected event as TOML in your editor",
        "edit_in_editor",
        "main.edit_in_editor",
    ),
    ("Event: delete", "Move the selected event to the trash", "delete_event", "main.delete"),
    (
        "Export: event agenda",
        "The selected event's agenda as Markdown",
        "export_agenda",
        "main.export",
    ),
    (
        "Export: officer's agenda",
        "The day, week or month on screen as Markdown",
        "export_range",
        "main.export_range",
    ),
    (
        "Filter: choose",
        "Program area, partner, status, access, kind",
        "filter_events",
        "main.filter",
    ),
    ("Filter: clear", "Show every event again", "clear_filter", "main.clear_filter"),
    (
        "Data: import files",
        "Pages, iCalendar, Convener TOML or JSON",
        "import_files",
        "main.import",
    ),
]
"""Palette commands of the main screen: (title, help, MainScreen action, id of the binding
whose key the help ends with, as the [keys] config has it)."""

QUIT_UNSAVED = "A form holds changes not saved. Quit and lose them?"

SAVED_SETTLE = 0.2
"""Seconds after a save before the header's counts are read again (one read a burst)."""

OUTSIDE_CHANGES_POLL = 0.5
"""Seconds between looks for changes other processes made to the database."""

FREEZE_AFTER = 2.0
"""Seconds after start when what starting made is set aside from the garbage collector."""


def collect_garbage_again() -> bool:
    """Turn the garbage collector back on if the command line started the app with it off
    (tui.launch); True when it did (this process owns the collector: see tui.collector).
    What starting made is set aside first (no pass walks it until _freeze_start): turned
    on as it was, its first pass walked all of it, 30-60 ms just after the first frame. A
    collector that is on (tests, a library user) is left alone."""
    import gc

    if gc.isenabled():
        return False
    gc.freeze()
    gc.enable()
    return True


def _line_of(run: Callable[[], tuple[str, bool]]) -> tuple[str, bool]:
    """`run()`'s (line, failed); a fault of ours as one line, as a failed worker's is."""
    try:
        return run()
    except Exception as error:
        return describe(error), True


def warnings_notes(warnings: list[str]) -> list[str]:
    """The config's problems as the app says them at start, a toast each: two in full, or
    past two the first in full, then how many more and where all of them are read (six
    toasts of four lines each ran off an 80x24 screen, the first ones never seen)."""
    if len(warnings) <= 2:
        return warnings
    more = len(warnings) - 1
    return [
        f"{warnings[0]} (and {more} more problems in the config: `convener check` prints"
        " each, one line apiece)"
    ]


class RunEnded(Message):
    """A run on a thread of its own ended (a send, a sync): what happened, in one line,
    and whether it failed."""

    def __init__(self, line: str, failed: bool, attention: bool = False) -> None:
        super().__init__()
        self.line = line
        self.failed = failed
        self.attention = attention  # it did not fail, but something needs the officer


class ConvenerApp(KeyHoldingApp):
    """The Convener terminal app."""

    CSS_PATH = ["styles/app.tcss"]
    TITLE = "Convener"
    ENABLE_COMMAND_PALETTE = True
    COMMANDS = App.COMMANDS | {records_provider}

    BINDINGS = [
        Binding(
            "question_mark,f1",
            "show_keys",
            "Keys",
            id="app.help",
            tooltip="Every key of this screen",
        ),
        # Textual's own (not shown in its help): named here so that the help lists them.
        Binding(
            "tab",
            "app.focus_next",
            "Next pane",
            id="app.next",
            tooltip="The next pane, list or field",
            show=False,
        ),
        Binding(
            "shift+tab",
            "app.focus_previous",
            "Previous pane",
            id="app.previous",
            tooltip="The previous pane, list or field",
            show=False,
        ),
        Binding(
            "slash", "search", "Search", id="app.search", tooltip="Search everything as you type"
        ),
        Binding(
            "u",
            "undo",
            "Undo",
            id="app.undo",
            tooltip="Undo the last change (again and again; a bulk change is one step)",
        ),
        Binding(
            "1", "show_calendar", "Calendar", id="app.calendar", tooltip="The calendar", show=False
        ),
        Binding(
            "2",
            "show_people",
            "People",
            id="app.people",
            tooltip="People and organisations",
            show=False,
        ),
        Binding(
            "3",
            "show_publications",
            "Publications",
            id="app.publications",
            tooltip="Publications",
            show=False,
        ),
        Binding(
            "4",
            "show_trash",
            "Trash",
            id="app.trash",
            tooltip="Deleted records: restore, or empty after a backup",
            show=False,
        ),
        Binding(
            "5",
            "show_pipeline",
            "Pipeline",
            id="app.pipeline",
            tooltip="Every coming convening: days to go, status, access, replies",
            show=False,
        ),
        Binding("q", "quit", "Quit", id="app.quit", tooltip="Quit Convener"),
        Binding(
            "ctrl+c",
            "quit",
            "Quit",
            id="app.quit_ctrl_c",
            tooltip="Quit Convener",
            show=False,
            priority=True,
        ),
        # The footer already shows the palette key at its right; listed here for the help.
        Binding(
            "ctrl+p",
            "command_palette",
            "Commands",
            id="app.palette",
            tooltip="Every action by name",
            show=False,
        ),
    ]
    """
    | key | does |
    |---|---|
    | ? | the keys of this screen |
    | / | search everything |
    | u | undo the last change |
    | 1, 2, 3 | calendar; people and organisations; publications |
    | 4 | the trash |
    | 5 | the upcoming pipeline |
    | ctrl+p | command palette |
    | q, ctrl+c | quit |
    """

    def __init__(
        self,
        planner: Planner,
        settings: Settings | None = None,
        *,
        warnings: Iterable[str] = (),
        database_label: str | None = None,
        kept_styles: Path | None = None,
        keep_caches: bool = False,
    ) -> None:
        lazy_strip_caches()
        narrow_variation_selectors()
        super().__init__()
        if "TEXTUAL_ANIMATIONS" not in os.environ:
            # Keys move at once: End on a long description scrolled for 0.85 s, PageUp for
            # 0.6 s, a frame every few ms over an SSH link (TEXTUAL_ANIMATIONS=full asks).
            self.animation_level = "none"
        # Stylesheets parsed in an earlier run are read from `kept_styles` (tui.stylecache;
        # the command line passes the user's cache folder and saves it after the run).
        # The theme's variables as App.__init__ just made them (made again: 1-2 ms).
        variables = self.stylesheet._variables
        self.stylesheet: KeptStylesheet = KeptStylesheet(variables=variables, path=kept_styles)
        self.planner = planner
        self.settings = settings or Settings()
        self._warnings = list(warnings)
        self._started = False
        """True once the first screen is shown (see first_screen_shown)."""
        self._keep_caches = keep_caches
        """Save the parsed stylesheets and dataclass methods once the first screen is shown
        (the command line passes True, but for the demo; see _save_caches)."""
        self._due_again: Timer | None = None
        """Set while the header's counts wait to be read again after a save."""
        self._data_version: int | None = None
        """SQLite's data_version when the app last read other processes' changes."""
        self._outbox_look: object = None
        """The outbox folder's look when the app last read it (see notice_outside_changes)."""
        self._outbox_writes_seen = 0
        """This process's own outbox writes counted when the app last looked at it."""
        self._outside_seen = 0
        """How many times the app saw another process's change (database or outbox)."""
        self._sync_thread: threading.Thread | None = None
        """The sync running, from sync now until its line is shown (see action_sync_now)."""
        self._sending: Handover | None = None
        """The send run of the outbox, from send until its line is shown (quitting stops it)."""
        self.said_at_exit: list[str] = []
        """Lines for the terminal once the app has closed (the command line prints them)."""
        self.collector = Pacer()
        """The garbage collector's passes, made on still moments (see tui.collector)."""
        self._collector_timer: Timer | None = None
        """The look for a still moment after the last key or click (none while idle)."""
        self._due_parts: tuple[str | None, str | None, str] = (None, None, "")
        """The header's counts as last read: what is due, the sync's state, the outbox."""
        self.clock: Callable[[], datetime] = self._now
        """The moment now (tests fix it; the time grid's now line reads it)."""
        self.event_filter = EventFilter.from_mapping(self.settings.filters)
        """The filter every list of events uses (starts as the saved default view)."""
        self._base_sub_title = (
            f"{database_label} · v{__version__}" if database_label else f"v{__version__}"
        )
        self.sub_title = self._base_sub_title

    def get_driver_class(self) -> type[Driver]:
        """Textual's driver for this terminal, writing no variation selector 16 (see
        tui.terminal_width)."""
        return without_variation_selectors(super().get_driver_class())

    def get_default_screen(self) -> MainScreen:
        """The calendar is the app's first screen itself, not a screen pushed over Textual's
        empty default one: that one was made, styled and laid out for nothing at every
        start (issue 24: a twelfth of the instructions to the first frame)."""
        return MainScreen()

    def on_mount(self) -> None:
        # Dates typed in words ("tomorrow" in a form) count from the planner's day.
        from contextlib import ExitStack

        from tui.domain.dates import counting_from

        self._counting = ExitStack()
        self._counting.enter_context(counting_from(self.planner.today))
        if self.settings.keys:
            self.set_keymap(self.settings.keys)
        if self.settings.theme in self.available_themes:
            self.theme = self.settings.theme
        else:
            self._warnings.append(
                f"config: unknown theme {self.settings.theme!r}; using the default"
            )
        if self.settings.start_screen == "pipeline":
            self.action_show_pipeline()
        for note in warnings_notes(self._warnings):
            self.notify(clean(note), severity="warning", markup=False, timeout=20)
        # After the panes have their data, not right after the first frame: a full
        # collection there ran on the UI thread just as the side panes were due.
        self.set_timer(FREEZE_AFTER, self._freeze_start)
        self._data_version = self.planner.outside_changes()
        from tui.mail_actions import outbox_look

        self._outbox_look = outbox_look(self.planner)
        self._outbox_writes_seen = self.planner.outbox_writes
        self.set_interval(OUTSIDE_CHANGES_POLL, self.notice_outside_changes, name="outside")

    async def on_event(self, event: events.Event) -> None:
        if isinstance(
            event, events.Key | events.MouseDown | events.MouseScrollDown | events.MouseScrollUp
        ):
            self.collector.input_seen()  # no collector's pass now (tui.collector)
            if self.collector.pacing and self._collector_timer is None:
                self._collector_timer = self.set_timer(
                    self.collector.still_in(), self._collect_when_still
                )
        await super().on_event(event)

    def _collect_garbage_again(self) -> None:
        """collect_garbage_again, and the collector paced from then on when this process
        owns it (tui.collector)."""
        if collect_garbage_again():
            self.collector.start()

    def _collect_when_still(self) -> None:
        """The collector's pass once no key or click came for a moment; a timer only
        after input, none while the app sits idle (tui.collector)."""
        wait = self.collector.still_in()
        if wait > 0:
            self._collector_timer = self.set_timer(wait, self._collect_when_still)
            return
        self._collector_timer = None
        self.collector.look()

    def _unnotify(self, notification: Notification, refresh: bool = True) -> None:
        super()._unnotify(notification, refresh)
        # A toast that came as a dialog closed (the invite picker's "1 added to the guest
        # list") was left on the terminal when it expired: its removal found the screen's
        # map unchanged and painted nothing there. The screen is painted again instead.
        self.screen.refresh()

    @property
    def reads_at_once(self) -> bool:
        """True while the first screen waits for the reads made ahead of it (see
        tui.first_screen): the panes make theirs at once, their answers waiting."""
        ahead = self.planner.read_ahead
        return not self._started and ahead is not None and ahead.is_open

    @property
    def answers_ahead(self) -> bool:
        """True while answers read ahead of the calendar's next selections wait (see
        MainScreen._read_neighbours): a pane's read is tried from them first."""
        ahead = self.planner.read_ahead
        return self._started and ahead is not None and ahead.has_answers

    def read_ahead_from_here(self) -> ReadAhead:
        """A new read-ahead for the planner (the answers kept before dropped), whose answers
        lapse when this process writes or the app sees another's write."""
        return self.planner.reading_ahead(lambda: self._outside_seen)

    def first_screen_shown(self) -> None:
        """The calendar's first screen is painted with its data (or gave way to another
        screen): what is due is read now. Read while starting, its queries and imports
        (30-40 ms at 100k events) held up the first frame."""
        if self._started:
            return
        self._started = True
        if self.planner.read_ahead is not None:
            self.planner.read_ahead.close()  # later reads read (tui.first_screen)
            self.planner.read_ahead = None
        self._collect_garbage_again()
        self.say_what_is_due()
        self.read_due()
        # From now on every change saved (here, in a worker, by a sync) reads the header's
        # counts again: "sync: in step" stayed after the officer's own edits.
        self.planner.after_each_save(self._saved)
        if self._keep_caches:
            self.run_worker(self._save_caches, thread=True, exit_on_error=False, group="caches")

    def _save_caches(self) -> None:
        """Keep what this start parsed and compiled (tui.stylecache, tui.codecache) now,
        not only when the app quits: a session that ends with its terminal (closed,
        killed) never quit, and every start after it parsed and compiled it all again
        (50 ms). The command line saves again on quitting what the session added."""
        from tui.codecache import keep_compiled_methods

        try:
            self.stylesheet.save()
            keep_compiled_methods()
        except Exception:  # a cache never stops the program: the next start parses
            pass

    class Saved(Message):
        """Something was saved (posted from whichever thread wrote it)."""

    def _saved(self) -> None:
        self.post_message(ConvenerApp.Saved())

    def on_convener_app_saved(self, _: Saved) -> None:
        # One read for a burst of saves (a guest's status set for twenty marked lines).
        if self._due_again is None:
            self._due_again = self.set_timer(SAVED_SETTLE, self._read_due_again)

    def _read_due_again(self) -> None:
        self._due_again = None
        self.read_due()

    def say_what_is_due(self) -> None:
        """On start: "3 tasks overdue, 2 due today" when there are any (`convener due`
        lists them)."""
        from tui.domain.errors import ConvenerError
        from tui.domain.tasks import due_summary

        try:
            today = self.planner.today()
            summary = due_summary(self.planner.due(0, today=today), today)
        except ConvenerError as error:
            self.notify(clean(str(error)), severity="warning", markup=False)
            return
        if summary:
            self.notify(summary, title="Planning tasks", severity="warning", markup=False)

    @work(thread=True, exclusive=True, exit_on_error=False, group="due")
    def read_due(self) -> None:
        """The header says what is overdue and due this week, what waits in the outbox and
        the sync's state, on every screen; read again after each change (off the UI
        thread: it reads every open task due this week)."""
        from tui.domain.tasks import WEEK_DAYS, week_summary
        from tui.mail_actions import outbox_words
        from tui.sync_actions import sync_status

        today = self.planner.today()
        summary = week_summary(self.planner.due(WEEK_DAYS, today=today), today)
        outbox = outbox_words(self.planner)
        status = sync_status(self.planner, self.settings)
        self.call_from_thread(self._show_due, summary, status, outbox)

    def _show_due(self, summary: str | None, sync: str | None = None, outbox: str = "") -> None:
        self._due_parts = (summary, sync, outbox)
        self._show_sub_title()

    def _show_sub_title(self) -> None:
        """The header's line from the counts last read; while a sync runs, it says so
        rather than the state before it."""
        from tui.sync_actions import SYNCING

        summary, sync, outbox = self._due_parts
        if self.sync_running:
            sync = SYNCING
        parts = [self._base_sub_title, summary, outbox, f"sync: {sync}" if sync else None]
        self.sub_title = " · ".join(p for p in parts if p)

    def notice_outside_changes(self) -> None:
        """Show what another process wrote (`convener import` in another terminal): SQLite's
        data_version is polled, a few microseconds, and the screens read their data again
        only when it moved. The outbox is files, which no data_version follows (`convener
        mail invitations` writes no row): its folder is looked at on the same tick, and
        what counts it (the header, the guest list) reads it again when it changed."""
        from tui.mail_actions import outbox_look

        version = self.planner.outside_changes(wait=False)
        if version is None:
            return  # busy with our own work: ask again next tick
        look = outbox_look(self.planner)
        writes, self._outbox_writes_seen = self._outbox_writes_seen, self.planner.outbox_writes
        if version != self._data_version:
            self._data_version, self._outbox_look = version, look
            self._outside_seen += 1
            self.refresh_screens()
        elif look != self._outbox_look:
            self._outbox_look = look
            if writes != self._outbox_writes_seen:
                return  # this process's own write: told as it was saved (outbox_changed)
            self._outside_seen += 1
            self.outbox_changed()

    def outbox_changed(self) -> None:
        """Have the header and the guest list count the outbox again (messages queued,
        sent or put back, here or by another process)."""
        self.read_due()
        for screen in self.screen_stack:
            if isinstance(screen, MainScreen):
                screen.post_message(DataChanged("outbox"))

    def _now(self) -> datetime:
        """Now; on a day fixed by CONVENER_TODAY, that day at the wall clock's time."""
        real = datetime.now(UTC)
        today = self.planner.today()
        if today == date.today():
            return real
        return datetime.combine(today, datetime.now().time()).astimezone(UTC)

    def _freeze_start(self) -> None:
        """Set what starting made (modules, styles, widgets) aside from the garbage
        collector: its full passes then walk only what the session makes, and a key no
        longer waits 30-60 ms on one. The code the start took from tui.codecache is let
        go first."""
        import gc

        from tui.codecache import settle_compiled_methods

        settle_compiled_methods()
        self._collect_garbage_again()
        gc.unfreeze()  # what collect_garbage_again set aside is looked at once, here
        gc.collect()
        gc.freeze()

    # -- opening records --------------------------------------------------------------

    def action_search(self) -> None:
        """Search everything; the chosen result opens."""
        from tui.screens.search import SearchScreen

        if isinstance(self.screen, SearchScreen):
            return

        def chosen(ref: ItemRef | None) -> None:
            if ref is not None:
                self.open_ref(ref)

        self.push_screen(SearchScreen(), chosen)

    def open_ref(self, ref: ItemRef) -> None:
        """Open a record: an event in the calendar, anything else on its own screen."""
        from tui.screens.record import RecordScreen

        if ref.kind == "event":
            self.open_event(ref.id)
            return
        self.push_screen(RecordScreen(ref))

    def open_event(self, event_id: int) -> None:
        """Show an event in the calendar, selected (a series: its next occurrence); one the
        filter hides opens on its own screen, since the calendar cannot show it."""
        from tui.screens.event import EventScreen

        try:
            occurrence = self.planner.occurrence_to_open(event_id)
        except NotFound as error:
            self.notify(clean(str(error)), severity="warning", markup=False)
            return
        self._to_main()
        hidden = not self.event_filter.is_empty and not self.planner.events_matching(
            [event_id], self.event_filter
        )
        if isinstance(self.screen, MainScreen):
            self.screen.calendar.go_to(occurrence.start_date, select_event_id=event_id)
        if hidden:
            self.push_screen(EventScreen(occurrence))
            self.notify(
                "The calendar's filter hides this event (F clears the filter).", markup=False
            )

    # -- screens ----------------------------------------------------------------------

    def _to_main(self) -> None:
        while not isinstance(self.screen, MainScreen) and len(self.screen_stack) > 1:
            self.pop_screen()

    def export_occurrence(self, occurrence: Occurrence, form: str = "agenda") -> None:
        """Export an event's agenda (or briefing book) to the export folder, as x does on
        the calendar: from the event's own screen too (SPEC: x on every screen)."""
        for screen in self.screen_stack:
            if isinstance(screen, MainScreen):
                screen.export_occurrence(occurrence, form)
                return

    def action_show_calendar(self) -> None:
        """Back to the calendar."""
        self._to_main()

    def action_show_people(self) -> None:
        """People and organisations."""
        self._show_records("person")

    def action_show_publications(self) -> None:
        """Publications."""
        self._show_records("publication")

    def action_show_trash(self) -> None:
        """The trash."""
        from tui.screens.trash import TrashScreen

        if isinstance(self.screen, TrashScreen):
            return
        self._to_main()
        self.push_screen(TrashScreen())

    def action_show_pipeline(self) -> None:
        """The coming convenings."""
        from tui.screens.pipeline import PipelineScreen

        if isinstance(self.screen, PipelineScreen):
            return
        self._to_main()
        self.push_screen(PipelineScreen())

    def _show_records(self, kind: str) -> None:
        from tui.screens.records import RecordsScreen

        current = self.screen
        if isinstance(current, RecordsScreen) and (
            current.kind == kind or {current.kind, kind} == {"person", "organisation"}
        ):
            return
        self._to_main()
        self.push_screen(RecordsScreen(kind))

    # -- undo -------------------------------------------------------------------------

    def action_undo(self) -> None:
        """Undo the last change, whatever screen made it."""

        self.undo_last()

    @work(thread=True, exclusive=True, exit_on_error=False, group="undo")
    def undo_last(self) -> None:
        """Reverse the latest step off the UI thread, then show everything afresh."""
        from tui.mail_actions import after_undo

        cancelled = self.planner.cancelled_event_uids()
        label = self.planner.undo()
        self.call_from_thread(self.undone, label, after_undo(self.planner, label, cancelled))

    def undone(self, label: str | None, note: str = "") -> None:
        """Say what was undone (`note`: what it means for the outbox) and have every screen
        read its data again."""
        if label is None:
            self.notify("Nothing to undo.", markup=False)
            return
        self.notify(clean(f"Undone: {label}" + (f"; {note}" if note else "")), markup=False)
        self.refresh_screens()

    def refresh_screens(self, skip: Screen[Any] | None = None) -> None:
        """Have every open screen (but `skip`) read its data again after a change."""
        if self._started:
            self.planner.read_ahead = None  # read before the change (they lapsed already)
        self.read_due()
        for screen in self.screen_stack:
            if screen is not skip:
                screen.post_message(DataChanged())

    # -- keys and palette -------------------------------------------------------------

    def on_unmount(self) -> None:
        counting = getattr(self, "_counting", None)
        if counting is not None:
            counting.close()
        if self._sending is not None:
            from tui.mail_actions import stop_sending

            said = stop_sending(self.planner, self._sending)
            self._sending = None
            if said:
                self.said_at_exit.append(said)

    async def action_quit(self) -> None:
        """Quit; while a form holds what was typed and not saved, only after a yes (q types
        into a form, but ctrl+c quits from anywhere)."""
        from tui.modals.confirm import ConfirmScreen

        unsaved = any(getattr(s, "has_unsaved_changes", lambda: False)() for s in self.screen_stack)
        if not unsaved or isinstance(self.screen, ConfirmScreen):
            self.exit()
            return

        def answer(yes: bool | None) -> None:
            if yes:
                self.exit()

        self.push_screen(ConfirmScreen(QUIT_UNSAVED), answer)

    def action_show_keys(self) -> None:
        """Show every key of the current screen (generated from the bindings)."""
        from tui.screens.help import HelpScreen, collect

        if isinstance(self.screen, HelpScreen):
            return
        nodes = [self, self.screen, *self.screen.query("*")]
        self.push_screen(HelpScreen(collect(nodes, self.settings.keys)))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        from tui.widgets.calendar_pane import CalendarPane
        from tui.widgets.guest_list import GuestList

        keymap = self.settings.keys
        owners = (ConvenerApp, MainScreen, CalendarPane, GuestList)

        def keyed(help_text: str, binding_id: str, where: str = "") -> str:
            return with_key(help_text, binding_id, owners, keymap, where)

        # Textual's own "Keys" (its help panel) left out: "Help: keys" is the help here,
        # and two help entries side by side read as a mistake.
        for command in super().get_system_commands(screen):
            if command.callback not in (self.action_show_help_panel, self.action_hide_help_panel):
                yield command
        yield SystemCommand(
            "Help: keys", keyed("Every key of this screen", "app.help"), self.action_show_keys
        )
        yield SystemCommand(
            "Edit: undo", keyed("Undo the last change", "app.undo"), self.action_undo
        )
        yield SystemCommand(
            "Go: calendar", keyed("The calendar", "app.calendar"), self.action_show_calendar
        )
        yield SystemCommand(
            "Go: people and organisations",
            keyed("Lists with their links", "app.people"),
            self.action_show_people,
        )
        yield SystemCommand(
            "Go: publications",
            keyed("With their links", "app.publications"),
            self.action_show_publications,
        )
        yield SystemCommand(
            "Go: trash",
            keyed("Restore deleted records, or empty the trash", "app.trash"),
            self.action_show_trash,
        )
        yield SystemCommand(
            "Go: pipeline",
            keyed("Every coming convening with its replies", "app.pipeline"),
            self.action_show_pipeline,
        )
        yield SystemCommand(
            "Search: everything",
            keyed("Events, people, organisations, publications", "app.search"),
            self.action_search,
        )
        yield SystemCommand(
            "Mail: send the outbox",
            "Send the queued invitations through your mail server (the mail table of the config)",
            self.action_send_outbox,
        )
        yield SystemCommand(
            "Sync: sync now",
            "Share changes with the team's server (the sync table of the config), take theirs",
            self.action_sync_now,
        )
        yield SystemCommand(
            "Sync: changed elsewhere",
            "Records changed both here and on the server: keep mine or take theirs",
            self.action_settle_conflicts,
        )
        from tui.screens.event import EventScreen

        if isinstance(screen, EventScreen):
            yield from screen.checklist_commands()
        from tui.screens.trash import TrashScreen

        if isinstance(screen, TrashScreen):
            yield from screen.palette_commands()
        from tui.screens.pipeline import PipelineScreen
        from tui.screens.time_grid import TimeGridScreen

        if isinstance(screen, TimeGridScreen | PipelineScreen):
            prefix = "Pipeline" if isinstance(screen, PipelineScreen) else "Time grid"
            for title, help_text, action in screen_commands(screen, prefix, keymap):
                yield SystemCommand(title, help_text, partial(screen.run_action, action))
        if not isinstance(screen, MainScreen):
            return
        yield SystemCommand(
            "Mail: queue invitations",
            keyed(
                "For the marked guests, or the highlighted one",
                "guests.mail",
                " in the guest list",
            ),
            partial(screen.guests.run_action, "mail_invitations"),
        )
        yield SystemCommand(
            "Mail: queue updates",
            "Tell the selected event's guests who answered what changed (its time, place,"
            " agenda): an update each, waiting in the outbox",
            partial(screen.queue_event_mail, "update"),
        )
        yield SystemCommand(
            "Mail: cancel the event",
            "Mark the selected event cancelled and queue a cancellation to each guest"
            " invited or answered (asks first)",
            partial(screen.queue_event_mail, "cancel"),
        )
        # Each calls the same action its key does.
        for title, help_text, action, binding_id in MAIN_SCREEN_COMMANDS:
            text = keyed(help_text, binding_id) if binding_id else help_text
            yield SystemCommand(title, text, partial(screen.run_action, action))
        yield SystemCommand(
            "Calendar: day, week or month",
            keyed("Change the range of the agenda list", "calendar.view"),
            partial(screen.calendar.run_action, "cycle_view"),
        )
        yield SystemCommand(
            "Guests: export CSV",
            keyed(
                "The selected event's guest list as CSV in the export folder",
                "guests.export_csv",
                " in the guest list",
            ),
            partial(screen.guests.run_action, "export_csv"),
        )
        yield SystemCommand(
            "Guests: import CSV",
            keyed(
                "Read a guest-list CSV into the selected event",
                "guests.import_csv",
                " in the guest list",
            ),
            partial(screen.guests.run_action, "import_csv"),
        )
        yield SystemCommand(
            "Export: briefing book",
            "Agenda, speakers' bios, anonymous needs counts, confirmed guests (left out for"
            " an invitation-only event); file …-briefing.md",
            partial(screen.export_event, "briefing", include_private=False),
        )
        yield SystemCommand(
            "Export: briefing book with private details",
            "Adds the guest list and each guest's dietary, access, interpretation and"
            " travel needs by name; file …-briefing-private.md",
            partial(screen.export_event, "briefing", include_private=True),
        )

    # -- errors -----------------------------------------------------------------------

    def action_send_outbox(self) -> None:
        """Send the outbox off the UI thread; say what went out, then show the new statuses.
        One run at a time: pressed again while one waits on the server, it says so."""
        from tui.mail_actions import not_here

        refused = not_here()
        if refused:
            self.notify(refused, markup=False, timeout=10)
            return
        if self._sending is not None:
            self.notify("The outbox is being sent already.", markup=False)
            return
        from tui.domain.mail.send import Handover

        self.notify("Sending the outbox…", markup=False)
        # A daemon thread, not a thread worker, as for sync: quitting while the server
        # took the connection and never answers waited for its timeout (30 s). Quitting
        # stops the run instead (see on_unmount): nothing is sent twice or lost.
        self._sending = Handover()
        threading.Thread(
            target=self._send_outbox, args=(self._sending,), name="convener-send", daemon=True
        ).start()

    def _send_outbox(self, handover: Handover) -> None:
        from tui.mail_actions import send_outbox

        try:
            line, failed, attention = send_outbox(self.planner, self.settings, handover)
        except Exception as error:  # a fault of ours, as one line
            line, failed, attention = describe(error), True, False
        if handover.stopped:
            return  # the app quit meanwhile: stop_sending said what happened
        self._tell_from_thread(ConvenerApp.SendDone(line, failed, attention))

    def _tell_from_thread(self, message: RunEnded) -> None:
        """Post a run's end from its own thread (SendDone, SyncDone)."""
        try:
            self.post_message(message)
        except RuntimeError:
            pass  # the app has quit meanwhile (its loop is closed): nobody to tell

    class SendDone(RunEnded):
        """A send run ended (posted from its thread); failed: nothing was sent or the
        run stopped early."""

    def on_convener_app_send_done(self, message: SendDone) -> None:
        self._sending = None
        self._after_send(message.line, message.failed, message.attention)

    def _after_send(self, line: str, failed: bool = False, attention: bool = False) -> None:
        severity: SeverityLevel = "error" if failed else "warning" if attention else "information"
        self.notify(clean(line), severity=severity, markup=False, timeout=10)
        # Every screen, the header and the answers read ahead of the next selections
        # (counted before the send) read again: guests sent to are invited now, and the
        # guest list's border counts what is left in the outbox.
        self.refresh_screens()

    def on_worker_state_changed(self, message: Worker.StateChanged) -> None:
        """A failed load says so in one line and leaves the app running."""
        if message.state == WorkerState.ERROR:
            self.report_worker_error(message.worker.error)

    def report_worker_error(self, error: BaseException | None) -> None:
        """One line for any worker that failed, the App's or a screen's or a pane's."""
        text = describe(error) if error is not None else "something went wrong"
        self.notify(clean(text), severity="error", markup=False, timeout=10)

    # -- sync (tui/sync_actions.py) ----------------------------------------------------

    def action_sync_now(self) -> None:
        """Sync with the team's server off the UI thread; one line says what happened. One
        sync at a time: pressed again while one waits on the network, it says so."""
        from tui.sync_actions import not_here

        if self._sync_thread is not None:
            self.notify("A sync is already running.", markup=False)
            return
        refused = not_here()
        if refused:
            self.notify(refused, markup=False, timeout=10)
            return
        self.notify("Syncing…", markup=False)
        # A daemon thread, not a thread worker: the process waits for a worker's thread
        # when it exits, and a server that took the connection and never answered left
        # the terminal blank after q until the request's timeout. Cut off by quitting, a
        # sync is as one killed: the next one reconciles (tui/domain/sync/engine.py).
        self._sync_thread = threading.Thread(
            target=self._sync_now, name="convener-sync", daemon=True
        )
        self._sync_thread.start()
        self._show_sub_title()  # "sync: syncing…"

    def _sync_now(self) -> None:
        from tui.sync_actions import sync_now

        self._tell_from_thread(
            ConvenerApp.SyncDone(*_line_of(lambda: sync_now(self.planner, self.settings)))
        )

    class SyncDone(RunEnded):
        """A sync ended (posted from its thread); failed: it did not sync (the server
        failed or refused)."""

    def on_convener_app_sync_done(self, message: SyncDone) -> None:
        self._sync_thread = None
        severity: SeverityLevel = "error" if message.failed else "information"
        self.notify(clean(message.line), severity=severity, markup=False, timeout=10)
        self.refresh_screens()  # the header's state is read again with the rest

    @property
    def sync_running(self) -> bool:
        """True while this app's sync runs (from sync now to the line saying how it went)."""
        return self._sync_thread is not None

    def action_settle_conflicts(self) -> None:
        """Pick a record changed both here and elsewhere, then keep mine or take theirs."""
        from tui.modals.choose import ChooseScreen
        from tui.sync_actions import (
            KEEP_MINE,
            TAKE_THEIRS,
            conflict_choices,
            conflict_question,
            settle,
        )

        choices = conflict_choices(self.planner)
        if not choices:
            self.notify("Nothing was changed both here and elsewhere.", markup=False)
            return

        def decided(uid: str, choice: str | None) -> None:
            if choice is None:
                return
            self.notify(clean(settle(self.planner, uid, choice)), markup=False)
            self.refresh_screens()

        def picked(label: str | None) -> None:
            if label is None:
                return
            uid = choices[label]
            question = f"Changed elsewhere: {conflict_question(self.planner, uid)}"
            self.push_screen(
                ChooseScreen(question, (KEEP_MINE, TAKE_THEIRS), wide=True),
                lambda choice: decided(uid, choice),
            )

        self.push_screen(
            ChooseScreen("Changed here and elsewhere", list(choices), wide=True), picked
        )
