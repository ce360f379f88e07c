"""TaskFormScreen: a task's title, due date ("8 weeks before" or a date) and notes."""

from __future__ import annotations

from dataclasses import replace

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from tui.domain.errors import ConvenerError, InvalidInput
from tui.domain.models import Event, Task
from tui.domain.planner import Planner
from tui.domain.tasks import due_on, due_words, parse_due


class TaskFormScreen(ModalScreen[Task | None]):
    """Add or edit one task; saved on enter or ctrl+s, its due day shown as typed."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="task_form.cancel", tooltip="Close, not saved"),
        Binding("ctrl+s", "save", "Save", id="task_form.save", tooltip="Save the task"),
    ]
    """
    | key | does |
    |---|---|
    | tab | next field |
    | enter, ctrl+s | save |
    | escape | close without saving |
    """

    DEFAULT_CSS = """
    TaskFormScreen { align: center middle; }
    TaskFormScreen > Vertical {
        width: 70; max-width: 100%; height: auto; padding: 1 2;
        border: thick $primary; background: $surface;
    }
    TaskFormScreen #task-error { color: $error; height: auto; }
    TaskFormScreen #task-hint { color: $text-muted; }
    """

    def __init__(self, planner: Planner, event: Event, task: Task | None) -> None:
        super().__init__()
        self._planner = planner
        self._event = event
        self._editing = task

    def compose(self) -> ComposeResult:
        task = self._editing
        with Vertical():
            yield Label(
                f"{'Edit' if task else 'New'} task of {self._event.title}"[:120], markup=False
            )
            yield Input(task.title if task else "", placeholder="Title", id="task-title")
            yield Input(
                due_words(task) if task else "",
                placeholder="Due: 8 weeks before, 2 days after, 2027-01-15 (blank: none)",
                id="task-due",
            )
            yield Input(
                (task.notes or "") if task else "",
                placeholder="Notes (optional)",
                id="task-notes",
            )
            yield Static("", id="task-error", markup=False)
            yield Static("enter: save · tab: next field · escape: cancel", id="task-hint")

    def on_mount(self) -> None:
        self.query_one("#task-title", Input).focus()

    def _draft(self) -> Task:
        title = self.query_one("#task-title", Input).value
        due = self.query_one("#task-due", Input).value
        notes = self.query_one("#task-notes", Input).value
        assert self._event.id is not None
        draft = self._planner.task_from_text(self._event.id, title, due, notes)
        if self._editing is None:
            return draft
        return replace(
            self._editing,
            title=draft.title,
            due_date=draft.due_date,
            due_offset=draft.due_offset,
            due_anchor=draft.due_anchor,
            notes=draft.notes,
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
        probe = Task(event_id=0, title="", due_date=due_date, due_offset=offset, due_anchor=anchor)
        day = due_on(probe, self._event)
        if day is not None:
            error.update(Text(f"→ due {day:%A} {day.day} {day:%B %Y}", style="green"))

    @on(Input.Submitted)
    def submitted(self) -> None:
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

    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(None)
