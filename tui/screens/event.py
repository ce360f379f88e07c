"""EventScreen: one event on the whole screen, its details beside its agenda and checklist.

The agenda is where sessions are added, edited, reordered day by day and given speakers;
the checklist is where its planning tasks are added, ticked off, reordered and deleted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from functools import partial
from typing import Any, cast

from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import OptionList, Static

from tui.context import Convener, UsesConvener
from tui.display import time_span
from tui.domain.agenda import overlapping
from tui.domain.dates import format_span
from tui.domain.errors import ConvenerError, NotFound
from tui.domain.models import Event, Occurrence, Session, Task
from tui.domain.recurrence import OCCURRENCE_MARK
from tui.domain.task_watch import WatchReport
from tui.domain.tasks import counted_from, due_on
from tui.domain.text import clean, clean_line, clipped, quoted
from tui.key_bar import KeyBar
from tui.keys import with_key
from tui.messages import ReadsAgainOnDataChanged
from tui.modals.confirm import ConfirmScreen
from tui.screens import save_flows
from tui.typeahead import focus_for_typed_keys, release_keys
from tui.widgets.app_header import AppHeader
from tui.widgets.event_pane import EventPane
from tui.widgets.frames import ScrollBarsInFrame
from tui.widgets.session_list import SessionList
from tui.widgets.task_list import TaskList
from tui.worker_errors import ReportsWorkerErrors


class EventScreen(
    UsesConvener, ReadsAgainOnDataChanged, ReportsWorkerErrors, ScrollBarsInFrame, Screen[None]
):
    """The opened event: details and description beside the agenda."""

    BINDINGS = [
        Binding(
            "backspace",
            "back",
            "Back",
            id="event.back",
            tooltip="Back to where the event was opened (the calendar, a record)",
        ),
        Binding(
            "escape",
            "back",
            "Back",
            id="event.escape",
            tooltip="Back to where the event was opened (the calendar, a record)",
            show=False,
        ),
        Binding("e", "edit_event", "Edit event", id="event.edit", tooltip="Edit the event"),
        Binding(
            "E",
            "edit_in_editor",
            "Edit in $EDITOR",
            id="event.edit_in_editor",
            tooltip="Edit the event as TOML in $VISUAL or $EDITOR",
            show=False,
        ),
        Binding(
            "d",
            "delete_event",
            "Delete event",
            id="event.delete",
            tooltip="Move the event to the trash (asks first; u undoes)",
            show=False,
        ),
        Binding("a", "agenda", "Agenda", id="event.agenda", tooltip="Go to the agenda (sessions)"),
        Binding(
            "x",
            "export_agenda",
            "Export",
            id="event.export",
            tooltip="Export the event's agenda as Markdown to the export folder",
        ),
        Binding(
            "t",
            "tasks",
            "Checklist",
            id="event.tasks",
            tooltip="Go to the checklist (the event's planning tasks)",
        ),
        # The agenda's and the checklist's own n come first where they have the focus:
        # this one answers n in the details, which has nothing new of its own to add.
        Binding(
            "n",
            "new_here",
            "New",
            id="event.new",
            tooltip="In the details: says where n adds a session or a task",
            show=False,
        ),
    ]
    """
    | key | does |
    |---|---|
    | backspace, escape | back to where the event was opened (the calendar, a record) |
    | e | edit the event |
    | E | edit the event as TOML in $VISUAL or $EDITOR |
    | d | delete the event (to the trash; asks first) |
    | a | go to the agenda |
    | x | export the agenda (this date's, for a series) to the export folder |
    | t | go to the checklist |
    | n | in the agenda, a new session; in the checklist, a new task; in the details, says so |
    | tab | between the details, the agenda and the checklist |
    """

    @dataclass
    class TasksLoaded(Message):
        """An event's checklist, read off the UI thread."""

        event_id: int
        tasks: list[tuple[Task, date | None]]
        today: date
        keep: int | None
        owners: dict[int, str] = field(default_factory=dict)
        """The owners' names by person id."""
        counted: dict[int, date] = field(default_factory=dict)
        """On a series: the first day of the occurrence each relative task counts from."""
        empty: str = ""
        """Said under an empty checklist (see TaskList.show)."""
        cancelled: bool = False
        """The event is cancelled: its open tasks are not late (see TaskList.show)."""

    @dataclass
    class AgendaLoaded(Message):
        """An event's sessions, read off the UI thread."""

        event_id: int
        sessions: list[Session]
        days: list[date]
        keep: int | None
        warn_for: int | None

    def __init__(self, occurrence: Occurrence) -> None:
        super().__init__()
        self._occurrence = occurrence

    @property
    def occurrence(self) -> Occurrence:
        """The occurrence shown."""
        return self._occurrence

    def compose(self) -> ComposeResult:
        yield AppHeader()
        with Horizontal(id="event-panes"):
            yield EventPane(id="event-details", classes="-with-agenda")
            with Vertical(id="event-work"):
                yield SessionList(id="sessions")
                yield TaskList(id="tasks")
                yield Static("", id="task-watch", markup=False, classes="-empty")
        yield KeyBar()

    def on_mount(self) -> None:
        agenda = self.query_one(SessionList)
        agenda.border_title = "Agenda"
        agenda.border_subtitle = "n add · e edit · J/K move · d delete"
        checklist = self.query_one(TaskList)
        checklist.border_title = "Checklist"
        checklist.border_subtitle = (
            "n add · space done · e edit · J/K move · d delete · c kind's · C drop kind's"
        )
        self.query_one("#task-watch", Static).border_title = "Watching the guest list"
        self.refresh_data()
        agenda.focus()

    def refresh_data(self, keep: int | None = None, *, warn_for: int | None = None) -> None:
        """Read the event and its agenda again (after an edit or an undo).

        `warn_for`: a session just saved; a notification names the sessions it overlaps.
        """
        try:
            event = self.convener.planner.event(self._occurrence.event.id or 0)
        except NotFound:
            self.query_one(EventPane).occurrence = self._occurrence
            self.query_one(SessionList).show([], [], None)
            self.query_one(TaskList).show([], self.convener.planner.today(), None)
            return
        if not event.repeat:
            self._occurrence = Occurrence(event, event.start_date, event.end_date)
        else:
            self._occurrence = replace(self._occurrence, event=event)
        self.query_one(EventPane).occurrence = self._occurrence
        agenda = self.query_one(SessionList)
        current = agenda.session
        keep = keep if keep is not None else (current.id if current else None)
        self.load_agenda(event, keep, warn_for)
        self._reload_tasks()

    @work(thread=True, exclusive=True, exit_on_error=False, group="tasks")
    def load_tasks(self, event: Event, keep: int | None) -> None:
        """Read the checklist off the UI thread, each task with its due day."""
        assert event.id is not None
        planner = self.convener.planner
        today = planner.today()
        moved = planner.moved_occurrences(event)
        tasks = [(task, due_on(task, event, today, moved)) for task in planner.tasks_for(event.id)]
        owners = planner.checklist.owner_names([task for task, _ in tasks])
        # A series: which of its dates each relative task counts from.
        counted = {
            task.id: counted_from(task, event, today, moved)
            for task, _ in tasks
            if event.repeat and task.id is not None and task.due_offset is not None
        }
        empty = ""
        if not tasks and event.uid and OCCURRENCE_MARK in event.uid:
            # A series' date changed on its own: its tasks are the series' (counted from
            # this date), not on this event.
            empty = "The series' own tasks count from this date: see them on the series."
        cancelled = event.status == "cancelled"
        self.post_message(
            self.TasksLoaded(event.id, tasks, today, keep, owners, counted, empty, cancelled)
        )

    @on(TasksLoaded)
    def show_tasks(self, message: TasksLoaded) -> None:
        """Fill the checklist (on the UI thread), if it is still this event's."""
        if message.event_id == self._occurrence.event.id:
            checklist = self.query_one(TaskList)
            checklist.show(
                message.tasks,
                message.today,
                message.keep,
                message.owners,
                message.counted,
                message.empty,
                cancelled=message.cancelled,
            )
            self.watch_highlighted()

    @work(thread=True, exclusive=True, exit_on_error=False, group="agenda")
    def load_agenda(self, event: Event, keep: int | None, warn_for: int | None = None) -> None:
        """Read the sessions off the UI thread."""
        assert event.id is not None
        sessions = self.convener.planner.sessions_for(event.id)
        days = [event.start_date]
        self.post_message(self.AgendaLoaded(event.id, sessions, days, keep, warn_for))

    @on(AgendaLoaded)
    def show_agenda(self, message: AgendaLoaded) -> None:
        """Fill the agenda (on the UI thread), if it is still this event's; say which
        sessions a just-saved one overlaps."""
        if message.event_id != self._occurrence.event.id:
            return
        sessions = message.sessions
        self.query_one(SessionList).show(sessions, message.days, message.keep)
        if message.warn_for is None:
            return
        clashes = overlapping(sessions).get(message.warn_for, [])
        saved = next((s for s in sessions if s.id == message.warn_for), None)
        if clashes and saved is not None:
            self.warn_overlap(saved, clashes)

    def warn_overlap(self, session: Session, clashes: Sequence[Session]) -> None:
        """Say which sessions a saved one overlaps."""
        names = ", ".join(
            f"{c.title} ({time_span(c.start_time, c.end_time).strip()})" for c in clashes[:3]
        )
        more = f" and {len(clashes) - 3} more" if len(clashes) > 3 else ""
        self.notify(
            clean_line(f"{session.title} overlaps {names}{more}"),
            title="Overlapping sessions",
            severity="warning",
            markup=False,
        )

    def action_back(self) -> None:
        """Close this screen."""
        self.dismiss(None)

    def action_export_agenda(self) -> None:
        """The event's agenda (this date's, for a series) to the export folder."""
        self.convener.export_occurrence(self._occurrence, "agenda")

    def action_new_here(self) -> None:
        """n where no pane adds anything (the details): say where it does."""
        self.notify(
            "n adds a session in the agenda (a) or a task in the checklist (t);"
            " e edits this event.",
            markup=False,
        )

    def action_agenda(self) -> None:
        """Focus the agenda (keys typed in the same burst go to it)."""
        focus_for_typed_keys(self.query_one(SessionList))

    def action_tasks(self) -> None:
        """Focus the checklist (keys typed in the same burst go to it)."""
        focus_for_typed_keys(self.query_one(TaskList))

    @on(TaskList.Requested)
    def task_request(self, message: TaskList.Requested) -> None:
        """Do what a checklist key asked for."""
        from tui.screens.forms.task import TaskFormScreen

        planner = self.convener.planner
        event = self._occurrence.event
        task = message.task
        if message.what == "new":
            self.app.push_screen(TaskFormScreen(planner, event, None), self._task_saved)
            return
        if message.what == "checklist":
            self._apply_checklist(event)
            return
        if message.what == "drop":
            self.drop_checklist(event)
            return
        if task is None or task.id is None:
            release_keys(self.app)  # no form opens: what was typed ahead goes on here
            self.notify("No task here: n adds one, c the kind's checklist.", markup=False)
            return
        try:
            if message.what == "edit":
                self.app.push_screen(TaskFormScreen(planner, event, task), self._task_saved)
            elif message.what == "done":
                changed = planner.set_task_done(task.id, task.done_on is None)
                self._reload_tasks(changed.id)
            elif message.what == "delete":
                save_flows.delete_task(self, task, self._reload_tasks)
            elif planner.move_task(task.id, -1 if message.what == "up" else 1) is None:
                edge = "first" if message.what == "up" else "last"
                self.notify(f"Already the {edge} task.", markup=False)
            else:
                self._reload_tasks(task.id)
        except ConvenerError as error:
            self.notify(clean(str(error)), severity="error", markup=False)

    def _apply_checklist(self, event: Event) -> None:
        planner = self.convener.planner
        assert event.id is not None
        try:
            added = planner.apply_checklist(event.id)
        except ConvenerError as error:
            self.notify(clean(str(error)), severity="error", markup=False)
            return
        if not planner.checklists.get(event.kind):
            self.notify(f"There is no checklist for the kind {event.kind}.", markup=False)
        elif not added:
            self.notify(f"The {event.kind} checklist is already here.", markup=False)
        else:
            count = f"{len(added)} task{'s' if len(added) != 1 else ''}"
            self.notify(f"Added the {event.kind} checklist: {count} (u undoes)", markup=False)
        self._reload_tasks()

    def _task_saved(self, task: Task | None) -> None:
        if task is not None:
            self._reload_tasks(task.id)

    def _reload_tasks(self, keep: int | None = None) -> None:
        try:
            event = self.convener.planner.event(self._occurrence.event.id or 0)
        except NotFound:
            return
        if keep is None:  # the highlighted task stays highlighted
            current = self.query_one(TaskList).highlighted_task
            keep = current.id if current else None
        self.load_tasks(event, keep)
        self.convener.read_due()  # the header's "overdue · due this week" follows

    def _saved(self, _: object) -> None:
        self.refresh_data()

    def action_edit_event(self) -> None:
        """Edit the event (one occurrence or the series, when it repeats)."""
        save_flows.edit_event(self, self._occurrence, self._event_saved)

    def _event_saved(self, event: Event) -> None:
        if event.id != self._occurrence.event.id:
            # One occurrence became its own event: show that one.
            self._occurrence = Occurrence(event, event.start_date, event.end_date)
        self.refresh_data()

    def action_edit_in_editor(self) -> None:
        """The event as TOML in $EDITOR."""
        try:
            event = self.convener.planner.event(self._occurrence.event.id or 0)
        except NotFound as error:
            self.notify(clean(str(error)), severity="warning", markup=False)
            return
        save_flows.edit_in_editor(self, event, self._saved)

    def action_delete_event(self) -> None:
        """Move the event to the trash (asks first), then go back."""

        def gone() -> None:
            self.dismiss(None)
            self.convener.refresh_screens(skip=self)

        save_flows.delete_event(self, self._occurrence, gone)

    @on(SessionList.Requested)
    def agenda_request(self, message: SessionList.Requested) -> None:
        event = self._occurrence.event
        session = message.session
        if message.what == "new":
            day = message.day or event.start_date
            save_flows.edit_session(self, event, None, day, self._session_saved)
            return
        if session is None:
            if message.what in ("edit", "editor", "delete", "up", "down"):
                self.notify("No session here: n adds one.", markup=False)
            return
        if message.what == "edit":
            save_flows.edit_session(
                self, event, session, session.date, partial(self._session_saved, before=session)
            )
        elif message.what == "editor":
            save_flows.edit_in_editor(self, session, partial(self._session_saved, before=session))
        elif message.what == "delete":
            self._delete_session(session)
        else:
            self._move_session(session, -1 if message.what == "up" else 1)

    def _session_saved(self, session: Session, before: Session | None = None) -> None:
        self.refresh_data(keep=session.id, warn_for=session.id)
        had = {s.person_id for s in before.speakers} if before is not None else set()
        self.offer_speakers_as_guests(session, had)

    def offer_speakers_as_guests(self, session: Session, had: set[int] | None = None) -> None:
        """Ask (y/n) to put the session's new speakers who are not guests on the guest list
        (`had`: the speakers it had before, not asked about again)."""
        planner = self.convener.planner
        try:
            missing = [
                s for s in planner.speakers_not_invited(session) if s.person_id not in (had or ())
            ]
        except ConvenerError as error:
            self.notify(clean(str(error)), severity="error", markup=False)
            return
        if not missing:
            return
        # Asked right after the session's save: a yes joins that save's undo step (one u
        # takes back the session and the guest lines it brought).
        saved_step = planner.step_just_made()
        names = ", ".join(s.name for s in missing[:4])
        more = f" and {len(missing) - 4} more" if len(missing) > 4 else ""
        which = "is" if len(missing) == 1 else "are"

        def answer(yes: bool | None) -> None:
            if not yes:
                return
            try:
                added = planner.invite_speakers(
                    session.event_id, [s.person_id for s in missing], joining=saved_step
                )
            except ConvenerError as error:
                self.notify(clean(str(error)), severity="error", markup=False)
                return
            joined = saved_step is not None and planner.step_just_made() == saved_step
            undoes = "u undoes this with the session's save" if joined else "u undoes"
            self.notify(
                clean_line(
                    f"Added {len(added)} to the guest list as speaker"
                    f"{'s' if len(added) != 1 else ''} ({undoes})"
                ),
                markup=False,
            )
            self.convener.refresh_screens()  # this one too: its details count the guests

        question = clean_line(
            f"{names}{more} {which} not on the guest list. Add as speaker"
            f"{'s' if len(missing) != 1 else ''}?"
        )
        self.app.push_screen(ConfirmScreen(question), answer)

    def _move_session(self, session: Session, step: int) -> None:
        assert session.id is not None
        try:
            moved = self.convener.planner.move_session(session.id, step)
        except ConvenerError as error:
            self.notify(clean(str(error)), severity="error", markup=False)
            return
        if moved is None:
            edge = "first" if step < 0 else "last"
            self.notify(f"Already the {edge} session of the event.", markup=False)
            return
        if moved.date != session.date:
            self.notify(f"Moved to {format_span(moved.date, moved.date)}.", markup=False)
        self.refresh_data(keep=session.id, warn_for=session.id)

    def _delete_session(self, session: Session) -> None:
        planner = self.convener.planner
        speakers = len(session.speakers)
        # The speakers' places go with it; the people stay (the question read as if they
        # went to the trash too).
        if speakers == 1:
            with_it = " Its speaker's place goes with it; the person stays."
        else:
            with_it = f" Its {speakers} speakers' places go with it; the people stay."
        with_it = with_it if speakers else ""

        def answer(yes: bool | None) -> None:
            if not yes:
                return
            try:
                planner.delete(session)
            except ConvenerError as error:
                self.notify(clean(str(error)), severity="error", markup=False)
                return
            self.notify(
                clean_line(f"Moved {clipped(session.title)} to the trash (u undoes)"), markup=False
            )
            self.refresh_data()

        title = quoted(clipped(session.title))
        question = clean_line(f"Move the session {title} to the trash?{with_it}")
        self.app.push_screen(ConfirmScreen(question), answer)

    # -- the checklist: what a task watches, dropping the kind's (issue 21) -------------

    @on(OptionList.OptionHighlighted, "#tasks")
    def watch_highlighted(self) -> None:
        """Show what the highlighted task watches on the guest list (nothing: hidden)."""
        task = self.query_one(TaskList).highlighted_task
        if task is None or task.watch is None:
            self.show_watch(None, None)
            return
        self.load_watch(task)

    @work(thread=True, exclusive=True, exit_on_error=False, group="watch")
    def load_watch(self, task: Task) -> None:
        """Read the guest list for a watching task off the UI thread."""
        report = self.convener.planner.checklist.report(task)
        self.app.call_from_thread(self.show_watch, task.id, report)

    def show_watch(self, task_id: int | None, report: WatchReport | None) -> None:
        """Fill the panel under the checklist, if the answer is for the highlighted task."""
        from tui.screens.forms.task import watch_text

        tasks = self.query_one(TaskList)
        current = tasks.highlighted_task
        panel = self.query_one("#task-watch", Static)
        if report is None or current is None or current.id != task_id:
            panel.update("")
            panel.set_class(True, "-empty")
            return
        panel.update(watch_text(report))
        panel.set_class(False, "-empty")
        # The panel takes rows from the checklist: the highlighted task stays in sight.
        self.call_after_refresh(tasks.scroll_to_highlight)

    def drop_checklist(self, event: Event) -> None:
        """Drop the kind's template items still as added, in one undo step."""
        planner = self.convener.planner
        assert event.id is not None
        try:
            dropped = planner.checklist.drop_checklist(event.id)
        except ConvenerError as error:
            self.notify(clean(str(error)), severity="error", markup=False)
            return
        if not planner.checklists.get(event.kind):
            self.notify(f"There is no checklist for the kind {event.kind}.", markup=False)
        elif not dropped:
            self.notify(
                f"Nothing of the {event.kind} checklist to drop (done or changed tasks stay).",
                markup=False,
            )
        else:
            count = f"{len(dropped)} task{'s' if len(dropped) != 1 else ''}"
            self.notify(
                f"Dropped the {event.kind} checklist: {count}; done or changed ones stay"
                " (u undoes)",
                markup=False,
            )
        self._reload_tasks()

    def checklist_commands(self) -> list[SystemCommand]:
        """The palette's checklist entries: each runs what its key does."""
        checklist = self.query_one(TaskList)
        keymap = self.convener.settings.keys

        def keyed(help_text: str, binding_id: str) -> str:
            return with_key(help_text, binding_id, [TaskList], keymap, " in the checklist")

        def run(what: str) -> None:
            checklist.focus()
            checklist.action_request(what)

        return [
            SystemCommand(
                "Checklist: add a task",
                keyed("Title, due, owner, watch", "tasks.new"),
                partial(run, "new"),
            ),
            SystemCommand(
                "Checklist: apply the kind's checklist",
                keyed("Add the event kind's tasks that are missing", "tasks.checklist"),
                partial(run, "checklist"),
            ),
            SystemCommand(
                "Checklist: drop the kind's checklist",
                keyed("Remove the kind's tasks not done and never changed, at once", "tasks.drop"),
                partial(run, "drop"),
            ),
        ]


def open_over(host: Screen[Any], event_id: int) -> None:
    """Open an event (a series: its next occurrence) on its own screen above `host`, a
    record's or a list's related items: backspace there comes back to `host` as it was
    (it went to the calendar, the record closed and the way back lost)."""
    try:
        occurrence = cast("Convener", host.app).planner.occurrence_to_open(event_id)
    except NotFound as error:
        host.notify(clean(str(error)), severity="warning", markup=False)
        return
    host.app.push_screen(EventScreen(occurrence))
