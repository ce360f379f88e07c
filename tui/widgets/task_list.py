"""TaskList: an event's planning checklist, to add, edit, tick off, reorder and delete."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui.display import safe_line
from tui.domain.models import Task
from tui.domain.tasks import due_words
from tui.typeahead import hold_keys
from tui.widgets.scrolling import RewrapsWithScrollBar


def _short(day: date, today: date) -> str:
    """ "25 Aug", with the year when it is not this year's ("7 Jan 2027")."""
    return f"{day.day} {day:%b}" + (f" {day.year}" if day.year != today.year else "")


class TaskList(RewrapsWithScrollBar, OptionList):
    """The checklist: a line per task with its box, due day and how it was given."""

    BINDINGS = [
        Binding("n,a", "request('new')", "New task", id="tasks.new", tooltip="Add a task"),
        Binding(
            "e,enter",
            "request('edit')",
            "Edit",
            id="tasks.edit",
            tooltip="Edit the highlighted task (title, due date, owner, watch, notes)",
        ),
        Binding(
            "space",
            "request('done')",
            "Done",
            id="tasks.done",
            tooltip="Tick the highlighted task off (done today), or open it again",
        ),
        Binding(
            "d",
            "request('delete')",
            "Delete",
            id="tasks.delete",
            tooltip="Move the highlighted task to the trash (asks first; u undoes)",
        ),
        Binding("K,ctrl+up", "request('up')", "Move up", id="tasks.up", tooltip="Move the task up"),
        Binding(
            "J,ctrl+down",
            "request('down')",
            "Move down",
            id="tasks.down",
            tooltip="Move the task down",
        ),
        Binding(
            "c",
            "request('checklist')",
            "Checklist",
            id="tasks.checklist",
            tooltip="Apply the checklist of the event's kind: add what is missing of it (tasks"
            " already there are not added twice; u undoes)",
        ),
        Binding(
            "C",
            "request('drop')",
            "Drop checklist",
            id="tasks.drop",
            tooltip="Drop the kind's checklist: its tasks not done and never changed go to the"
            " trash in one step (u undoes)",
        ),
        Binding("j", "cursor_down", "Down", id="tasks.j", tooltip="Next", show=False),
        Binding("k", "cursor_up", "Up", id="tasks.k", tooltip="Previous", show=False),
    ]
    """
    | key | does |
    |---|---|
    | up/k, down/j | move |
    | n, a | add a task (due: a date, or "8 weeks before", "2 days after") |
    | e, enter | edit the task |
    | space | done today, or open again |
    | d | delete the task (to the trash; asks first; u undoes) |
    | K / ctrl+up, J / ctrl+down | move the task up / down the checklist |
    | c | add the checklist of the event's kind (what is missing of it) |
    | C | drop the kind's checklist: its tasks not done and never changed (u undoes) |
    """

    @dataclass
    class Requested(Message):
        """A key asked for something to be done to the highlighted task."""

        what: str
        task: Task | None

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.tasks: list[Task] = []

    def show(
        self,
        tasks: Sequence[tuple[Task, date | None]],
        today: date,
        keep: int | None,
        owners: Mapping[int, str] | None = None,
        counted: Mapping[int, date] | None = None,
        empty: str = "",
        *,
        cancelled: bool = False,
    ) -> None:
        """Fill the list with (task, due day) pairs; keep the highlight on task `keep`;
        `owners`: the owners' names by person id; `counted`: on a series, the first day
        of the occurrence a relative task counts from ("2 days before, for Fri 4 Dec");
        `empty`: said under "No tasks yet" (a series' date changed on its own);
        `cancelled`: the event is cancelled, so no open task is overdue or due today (the
        header and `convener due` leave them out too): they say "event cancelled"."""
        self.tasks = [task for task, _ in tasks]
        self.clear_options()
        target: int | None = None
        for task, due in tasks:
            done = task.done_on is not None
            line = Text("[x] " if done else "[ ] ", style="green" if done else "bold")
            line.append(safe_line(task.title), style="dim strike" if done else "")
            if due is not None:
                words = due_words(task)
                day = counted.get(task.id) if counted and task.id is not None else None
                if day is not None:
                    words += f", for {day:%a} {day.day} {day:%b}"
                when = _short(due, today)
                shown = f"  {when}" + (f" ({words})" if task.due_offset is not None else "")
                waiting = not done and not cancelled  # a cancelled event's tasks wait for nothing
                late = waiting and due < today
                due_today = waiting and due == today
                style = "bold red" if late else "yellow" if due_today else "dim"
                tag = (
                    "  overdue"
                    if late
                    else "  today"
                    if due_today
                    else "  event cancelled"
                    if cancelled and not done
                    else ""
                )
                line.append(shown + tag, style=style)
            if done and task.done_on is not None:
                line.append(f"  done {_short(task.done_on, today)}", style="dim")
            owner = owners.get(task.owner_id) if owners and task.owner_id is not None else None
            if owner:
                line.append(f"  · {safe_line(owner)}", style="cyan")
            self.add_option(Option(line, id=f"task:{task.id}"))
            if task.id == keep:
                target = self.option_count - 1
        if not self.tasks:
            said = "No tasks yet: n adds one, c the kind's checklist."
            self.add_option(
                Option(Text(said + (f"\n{empty}" if empty else ""), style="dim"), disabled=True)
            )
            return
        self.highlighted = target if target is not None else 0

    @property
    def highlighted_task(self) -> Task | None:
        """The highlighted task, if any."""
        if self.highlighted is None or not self.tasks:
            return None
        option_id = self.get_option_at_index(self.highlighted).id or ""
        _, _, value = option_id.partition(":")
        return next((t for t in self.tasks if str(t.id) == value), None)

    def action_request(self, what: str) -> None:
        """Ask the screen to act on the highlighted task."""
        if what in ("new", "edit"):
            hold_keys(self.app)  # what is typed next is for the form, not for this list
        self.post_message(self.Requested(what, self.highlighted_task))
