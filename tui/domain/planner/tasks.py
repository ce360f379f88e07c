"""Planning tasks: an event's checklist, due dates, what is due."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import TYPE_CHECKING

from tui.domain import validate
from tui.domain.errors import InvalidInput
from tui.domain.models import (
    Event,
    Task,
)
from tui.domain.planner.base import (
    describe,
    sanitised,
)
from tui.domain.planner.records import Records
from tui.domain.reminders import Reminders
from tui.domain.text import fold

if TYPE_CHECKING:
    from tui.domain.tasks import DueTask

# The rules of due dates and watches (tui.domain.tasks, task_watch) are imported where
# used: the app's first screen reads no task (issue 24).


class Tasks(Records):
    """Planning tasks: an event's checklist, due dates, what is due."""

    def tasks_for(self, event_id: int) -> list[Task]:
        """An event's checklist, in its order."""
        return self.store.tasks_for(event_id)

    def due_of(self, task: Task) -> date | None:
        """The day a task is due (a relative one counted from its event as it is now; on a
        repeating event, from the occurrence it is about today)."""
        from tui.domain.tasks import due_on

        event = self.store.get(Event, task.event_id, include_deleted=True)
        return due_on(task, event, self.today(), self.store.moved_occurrences(event))

    def moved_occurrences(self, series: Event) -> list[tuple[date, date]]:
        """The first and last days of a series' occurrences changed on their own: still
        dates of the series for its tasks (see tasks.cycle_occurrence)."""
        return self.store.moved_occurrences(series)

    def task_from_text(self, event_id: int, title: str, due: str, notes: str = "") -> Task:
        """A new task as typed: a title and a due date ("8 weeks before", "2027-01-15")."""
        from tui.domain.tasks import parse_due

        due_date, offset, anchor = parse_due(due)
        return Task(
            event_id=event_id,
            title=validate.required_text(title, "title"),
            due_date=due_date,
            due_offset=offset,
            due_anchor=anchor,
            notes=notes or None,
        )

    def save_task(self, task: Task) -> Task:
        """Add a task at the end of its event's checklist, or edit one (one undo step)."""
        task = sanitised(task)
        event = self.event(task.event_id)
        if task.owner_id is not None and not self.person(task.owner_id).is_staff:
            raise InvalidInput(
                f"{self.person(task.owner_id).name[:60]} is not staff; a task's owner is a staff"
                " person"
            )
        verb = "Add" if task.id is None else "Edit"
        with self.store.transaction(f"{verb} {describe(task)} of {event.title}"):
            if task.id is None:
                position = len(self.store.tasks_for(task.event_id))
                return self.store.insert(replace(task, position=position))
            old = self.store.get(Task, task.id)
            return self.store.update(replace(task, position=old.position))

    def set_task_done(self, task_id: int, done: bool) -> Task:
        """Tick a task off (done today) or open it again."""
        task = self.store.get(Task, task_id)
        event = self.store.get(Event, task.event_id, include_deleted=True)
        # Words that read after "Undone: " as the other steps' do ("Tick off task ...").
        verb = "Tick off" if done else "Reopen"
        with self.store.transaction(f"{verb} {describe(task)} of {event.title}"):
            return self.store.update(replace(task, done_on=self.today() if done else None))

    def move_task(self, task_id: int, step: int) -> Task | None:
        """Move a task up (-1) or down (+1) its checklist; None at either end."""
        task = self.store.get(Task, task_id)
        tasks = self.store.tasks_for(task.event_id)
        index = next(i for i, t in enumerate(tasks) if t.id == task_id)
        target = index + step
        if not 0 <= target < len(tasks):
            return None
        tasks[index], tasks[target] = tasks[target], tasks[index]
        with self.store.transaction(f"Move {describe(task)}"):
            for position, item in enumerate(tasks):
                if item.position != position:
                    self.store.update(replace(item, position=position))
        return self.store.get(Task, task_id)

    def due(self, days: int = 7, today: date | None = None) -> list[DueTask]:
        """Open tasks due within `days` days of today, and overdue ones, in due order."""
        day = today or self.today()
        until = day + timedelta(days=max(days, 0))
        return self._due_tasks(self.store.open_tasks_until(until, today=day), day)

    def due_between(self, start: date, end: date) -> list[DueTask]:
        """Open tasks due on a day of [start, end], in due order."""
        # The range in the query: not every overdue task since the first one, each read
        # with its event, to keep the ones in the range (an agenda's tasks, issue 24).
        today = self.today()
        return self._due_tasks(self.store.open_tasks_until(end, since=start, today=today), today)

    def _due_tasks(self, rows: list[tuple[Task, Event, date]], today: date) -> list[DueTask]:
        """Each task with the day of the occurrence it counts from (a series' days changed
        on their own read once per series)."""
        from tui.domain.tasks import DueTask, counted_from

        moved: dict[int | None, list[tuple[date, date]]] = {}
        found = []
        for task, event, due in rows:
            if event.repeat and event.id not in moved:
                moved[event.id] = self.store.moved_occurrences(event)
            day = counted_from(task, event, today, moved.get(event.id, []))
            found.append(DueTask(task, event, due, day))
        return found

    def apply_checklist(self, event_id: int) -> list[Task]:
        """Add the event kind's checklist to its tasks, as one undo step; a task whose title
        is already on the checklist is not added again. Returns the tasks added."""
        event = self.event(event_id)
        template = self.checklists.get(event.kind, ())
        have = {fold(task.title) for task in self.store.tasks_for(event_id)}
        wanted = [item for item in template if fold(item.title) not in have]
        if not wanted:
            return []
        from tui.domain.task_watch import parse_watch
        from tui.domain.tasks import parse_due

        added: list[Task] = []
        with self.store.transaction(f"Apply the {event.kind} checklist to {event.title}"):
            position = len(have)
            for item in wanted:
                due_date, offset, anchor = parse_due(item.due)
                task = Task(
                    event_id=event_id,
                    title=item.title,
                    due_date=due_date,
                    due_offset=offset,
                    due_anchor=anchor,
                    position=position,
                    watch=parse_watch(item.watch),
                )
                added.append(self.store.insert(task))
                position += 1
        return added

    # -- reminders (issue 21; owners, watches and templates: planner.checklist) --------

    reminders: Reminders = Reminders()
    """When exported to-dos and events ring (config [reminders]); set by whoever builds the
    Planner from settings."""
