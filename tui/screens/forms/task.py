"""TaskFormScreen: a task's title, due date ("8 weeks before" or a date), owner (a staff
person, chosen by letter), what it watches on the guest list, and notes."""

from __future__ import annotations

from dataclasses import replace

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from tui.display import safe_line
from tui.domain.errors import ConvenerError, InvalidInput
from tui.domain.models import Event, Task
from tui.domain.planner import Planner
from tui.domain.task_watch import WatchReport, parse_watch, watch_words
from tui.domain.tasks import counted_from, due_on, due_words, parse_due
from tui.key_bar import KeyBar
from tui.typeahead import TakesTypedKeys, field_moves, release_keys
from tui.widgets.letter_select import LetterSelect


class TaskFormScreen(TakesTypedKeys, ModalScreen[Task | None]):
    """Add or edit one task; saved on enter or ctrl+s, its due day shown as typed."""

    BINDINGS = [
        Binding(
            "escape",
            "cancel",
            "Cancel",
            id="task_form.cancel",
            tooltip="Close, not saved (asks first when something changed)",
        ),
        Binding("ctrl+s", "save", "Save", id="task_form.save", tooltip="Save the task"),
        *field_moves("task_form"),
    ]
    """
    | key | does |
    |---|---|
    | tab | next field |
    | a letter (on Owner) | the next staff person whose name starts with it |
    | enter, ctrl+s | save |
    | escape | close without saving (asks first when something changed) |
    """

    DEFAULT_CSS = """
    TaskFormScreen { align: center middle; }
    TaskFormScreen > Vertical {
        width: 70; max-width: 100%; height: auto; padding: 0 2;
        border: thick $primary; background: $surface;
    }
    TaskFormScreen #task-error { color: $error; height: auto; }
    TaskFormScreen #task-hint { color: $text-muted; }
    TaskFormScreen #task-report { height: auto; max-height: 10; }
    TaskFormScreen LetterSelect { margin: 0 0 0 0; }
    """

    def __init__(self, planner: Planner, event: Event, task: Task | None) -> None:
        super().__init__()
        self._planner = planner
        self._event = event
        self._editing = task
        self._initial: tuple[object, ...] = ()

    def compose(self) -> ComposeResult:
        task = self._editing
        with Vertical():
            yield Label(
                f"{'Edit' if task else 'New'} task of {self._event.title}"[:120], markup=False
            )
            yield Input(task.title if task else "", placeholder="Title", id="task-title")
            yield Input(
                due_words(task) if task else "",
                placeholder="Due: 8 weeks before, 2 days after, 2027-01-15 (or blank)",
                id="task-due",
            )
            staff = self._planner.checklist.staff()
            owner_id = task.owner_id if task else None
            options = [("Owner: nobody", "")]
            options += [(f"Owner: {safe_line(p.name)[:60]}", str(p.id)) for p in staff]
            if owner_id is not None and all(p.id != owner_id for p in staff):
                name = self._planner.checklist.owner_name(task) if task else None
                options.append((f"Owner: {safe_line(name or '?')[:50]} (not staff)", str(owner_id)))
            owner = LetterSelect(
                options,
                words=["nobody", *(p.name for p in staff), *[""] * (len(options) - 1 - len(staff))],
                value=str(owner_id) if owner_id is not None else "",
                allow_blank=False,
                id="task-owner",
            )
            owner.enter_submits = True  # enter saves here as on every field of this form
            yield owner
            yield Input(
                watch_words(task.watch) if task else "",
                placeholder="Watch: replies after 14 days, needs (blank: none)",
                id="task-watch",
            )
            yield Input(
                (task.notes or "") if task else "",
                placeholder="Notes (optional)",
                id="task-notes",
            )
            yield Static("", id="task-error", markup=False)
            yield Static("", id="task-report", markup=False)
            yield Static(
                "enter: save · tab: next field · on Owner a letter picks a staff person"
                " · escape: cancel",
                id="task-hint",
            )
        yield KeyBar()  # the form's keys, not those of the screen behind it

    def _typed(self) -> tuple[object, ...]:
        """What the fields hold now (to tell whether anything was changed)."""
        boxes = ("#task-title", "#task-due", "#task-watch", "#task-notes")
        return (
            *(self.query_one(box, Input).value for box in boxes),
            self.query_one("#task-owner", LetterSelect).value,
        )

    def on_mount(self) -> None:
        self._initial = self._typed()
        self.query_one("#task-title", Input).focus()
        release_keys(self.app)  # keys typed ahead now go to the title, in order
        if self._editing is not None and self._editing.watch:
            self.query_one("#task-report", Static).update(
                watch_text(self._planner.checklist.report(self._editing))
            )

    def _draft(self) -> Task:
        owner = self.query_one("#task-owner", LetterSelect).value
        assert self._event.id is not None
        draft = self._planner.checklist.task_from_form(
            self._event.id,
            self.query_one("#task-title", Input).value,
            self.query_one("#task-due", Input).value,
            self.query_one("#task-notes", Input).value,
            owner_id=int(owner) if isinstance(owner, str) and owner else None,
            watch=self.query_one("#task-watch", Input).value,
        )
        if self._editing is None:
            return draft
        return replace(
            self._editing,
            title=draft.title,
            due_date=draft.due_date,
            due_offset=draft.due_offset,
            due_anchor=draft.due_anchor,
            notes=draft.notes,
            owner_id=draft.owner_id,
            watch=draft.watch,
        )

    @on(Input.Changed, "#task-due")
    def check_due(self, message: Input.Changed) -> None:
        error = self.query_one("#task-error", Static)
        if not message.value.strip():
            error.update("")
            return
        try:
            due_date, offset, anchor = parse_due(message.value)
        except InvalidInput as problem:
            error.update(Text(problem.message))
            return
        made = self._editing.created_at if self._editing is not None else None
        probe = Task(
            event_id=0,
            title="",
            due_date=due_date,
            due_offset=offset,
            due_anchor=anchor,
            created_at=made,
        )
        today = self._planner.today()
        moved = self._planner.moved_occurrences(self._event) if self._event.repeat else []
        day = due_on(probe, self._event, today, moved)
        if day is None:
            return
        said = f"→ due {day:%A} {day.day} {day:%B %Y}"
        if offset is not None and self._event.repeat:
            # A repeating event: which of its occurrences the words count from.
            first = counted_from(probe, self._event, today, moved)
            said += f", counted from {first:%a} {first.day} {first:%b %Y}"
        error.update(Text(said, style="green"))

    @on(Input.Changed, "#task-watch")
    def check_watch(self, message: Input.Changed) -> None:
        error = self.query_one("#task-error", Static)
        try:
            parse_watch(message.value)
        except InvalidInput as problem:
            error.update(Text(problem.message))
            return
        error.update("")

    @on(Input.Submitted)
    def submitted(self) -> None:
        self.action_save()

    def on_letter_select_submitted(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        """Check and save the task; a problem stays on the form, said in one line."""
        try:
            saved = self._planner.save_task(self._draft())
        except ConvenerError as problem:
            self.query_one("#task-error", Static).update(Text(problem.message[:200]))
            self.app.bell()
            return
        self.dismiss(saved)

    def has_unsaved_changes(self) -> bool:
        """What quitting asks about (see ConvenerApp.action_quit)."""
        return self.is_mounted and self._typed() != self._initial

    def action_cancel(self) -> None:
        """Close without saving; ask first when something was typed or picked."""
        from tui.modals.confirm import close_or_ask

        close_or_ask(self, self._typed() != self._initial)


def watch_text(report: WatchReport | None, most: int = 8) -> Text:
    """What a watching task sees, for the form and the event screen: the headline, then
    the guests to chase (at most `most`, then how many more)."""
    if report is None:
        return Text("")
    shown = Text(safe_line(report.headline), style="bold")
    for name in report.names[:most]:
        shown.append("\n  " + safe_line(name))
    if len(report.names) > most:
        shown.append(f"\n  … and {len(report.names) - most} more", style="dim")
    return shown
