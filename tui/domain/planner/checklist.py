"""The checklist's planner part: owners, what tasks watch on the guest list, dropping a
kind's template, and what is due for whom.

Reached as `planner.checklist` (a property of the tasks part); it goes through the
planner's store like the other parts do.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING

from tui.domain.errors import InvalidInput, NotFound
from tui.domain.models import Person, Task
from tui.domain.task_watch import WatchReport, parse_watch, watch_report
from tui.domain.tasks import DueTask, parse_due
from tui.domain.text import fold

if TYPE_CHECKING:
    from tui.domain.planner.parts import Parts


@dataclass(frozen=True)
class DueLine:
    """An open task due soon with its owner's name and what its watch sees."""

    item: DueTask
    owner: str | None
    report: WatchReport | None


class ChecklistPart:
    """Owners, watches and templates of planning tasks."""

    def __init__(self, planner: Parts) -> None:
        self._planner = planner

    # -- owners -----------------------------------------------------------------------

    def staff(self) -> list[Person]:
        """The staff people a task may be given to, by name."""
        return self._planner.store.staff_people()

    def owner_name(self, task: Task) -> str | None:
        """The name of the task's owner (None when it has none)."""
        if task.owner_id is None:
            return None
        return self._planner.store.owner_names([task.owner_id]).get(task.owner_id)

    def owner_names(self, tasks: Sequence[Task]) -> dict[int, str]:
        """The owners' names of these tasks, by person id (one query)."""
        return self._planner.store.owner_names(
            [task.owner_id for task in tasks if task.owner_id is not None]
        )

    def staff_named(self, text: str) -> list[Person]:
        """Staff whose name holds every word of `text` (accents and case aside)."""
        words = fold(text).split()
        if not words:
            raise InvalidInput("--owner: give a staff person's name", value=text)
        found = [p for p in self.staff() if all(w in fold(p.name).split() for w in words)]
        found = found or [p for p in self.staff() if all(w in fold(p.name) for w in words)]
        if not found:
            raise NotFound(
                f"no staff person named {text.strip()[:60]!r} (a task's owner is a staff person)",
                value=text[:60],
            )
        return found

    # -- the form ---------------------------------------------------------------------

    def task_from_form(
        self,
        event_id: int,
        title: str,
        due: str,
        notes: str = "",
        owner_id: int | None = None,
        watch: str = "",
    ) -> Task:
        """A task as typed on the form: title, due ("8 weeks before"), notes, its owner (a
        staff person's id) and what it watches ("replies after 14 days", "needs")."""
        draft = self._planner.task_from_text(event_id, title, due, notes)
        return replace(draft, owner_id=owner_id, watch=parse_watch(watch))

    # -- watches ----------------------------------------------------------------------

    def report(self, task: Task) -> WatchReport | None:
        """What the task watches on its event's guest list now (None: it watches nothing)."""
        if task.watch is None:
            return None
        planner = self._planner
        return watch_report(
            task.watch,
            planner.guest_lines(task.event_id),
            planner.tasks_for(task.event_id),
            planner.today(),
        )

    def due_lines(
        self, days: int = 7, owner: str | None = None, today: date | None = None
    ) -> list[DueLine]:
        """Open tasks due within `days` days and overdue ones, each with its owner's name and
        what it watches; `owner`: only the tasks of the staff named so."""
        due = self._planner.due(days, today=today)
        if owner is not None:
            wanted = {p.id for p in self.staff_named(owner)}
            due = [item for item in due if item.task.owner_id in wanted]
        names = self._planner.store.owner_names(
            [item.task.owner_id for item in due if item.task.owner_id is not None]
        )
        return [
            DueLine(
                item,
                names.get(item.task.owner_id) if item.task.owner_id is not None else None,
                self.report(item.task),
            )
            for item in due
        ]

    # -- templates --------------------------------------------------------------------

    def untouched(self, event_id: int) -> list[Task]:
        """The event's tasks that are its kind's template items as added: same title, due
        and watch, not done, no owner and no notes."""
        planner = self._planner
        event = planner.event(event_id)
        template = {
            fold(item.title): (parse_due(item.due), parse_watch(item.watch))
            for item in planner.checklists.get(event.kind, ())
        }
        found: list[Task] = []
        for task in planner.tasks_for(event_id):
            wanted = template.get(fold(task.title))
            if wanted is None or task.done_on is not None or task.owner_id or task.notes:
                continue
            (due_date, offset, anchor), watch = wanted
            same_due = (task.due_date, task.due_offset) == (due_date, offset) and (
                offset is None or task.due_anchor == anchor
            )
            if same_due and task.watch == watch:
                found.append(task)
        return found

    def drop_checklist(self, event_id: int) -> list[Task]:
        """Move the kind's template items still as added (`untouched`) to the trash, as one
        undo step; returns them. Done, edited and the officer's own tasks stay."""
        planner = self._planner
        event = planner.event(event_id)
        dropping = self.untouched(event_id)
        if dropping:
            with planner.store.transaction(f"Drop the {event.kind} checklist of {event.title}"):
                for task in dropping:
                    assert task.id is not None
                    planner.store.set_deleted(Task, task.id, True)
        return dropping
