"""Writing parsed iCalendar events: by UID, people by email then name, guests per person."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Any

from tui.domain.errors import InvalidInput
from tui.domain.importers.calendar_ics import IcsEvent, IcsGuest, IcsTodo
from tui.domain.importers.report import ImportReport
from tui.domain.migrations import OCCURRENCE_MARK
from tui.domain.models import Event, Person, Task
from tui.domain.planner.merging import save_if_changed
from tui.domain.recurrence import with_exdate
from tui.domain.text import fold

if TYPE_CHECKING:
    from tui.domain.planner.parts import Parts


def _person(
    planner: Parts, guest: IcsGuest, report: ImportReport, emails: dict[str, int]
) -> tuple[int, str]:
    """(id, name) of the person an attendee is: by email (case aside), else by name, else
    added.

    `emails` maps lower-cased emails to people's ids, read once per file and kept up to
    date here: looking each attendee up in the table was a scan per attendee, and reading
    the whole person back when only the id is needed doubled an import's reads.
    """
    if guest.email and guest.email.lower() in emails:
        return emails[guest.email.lower()], guest.name
    found = next(iter(planner.store.by_key(Person, guest.name)), None)
    if found is None:
        saved = planner.save(guest.person)
        report.note("added", "person", guest.name)
        assert saved.id is not None
        if saved.email:
            emails.setdefault(saved.email.lower(), saved.id)
        return saved.id, saved.name
    assert found.id is not None
    if guest.email and not found.email:
        save_if_changed(
            planner, found, replace(found, email=guest.email), report, "person", found.name
        )
        emails.setdefault(guest.email.lower(), found.id)
    return found.id, found.name


def _without_venue(location: str | None, venue: str | None) -> str | None:
    """LOCATION as another client sends it back ("Venue, Place"): the place alone when it
    begins with the venue we keep apart, so the venue is not added again at each import."""
    if location and venue and location.startswith(venue + ", "):
        return location[len(venue) + 2 :] or None
    return location


def _without_overridden(planner: Parts, event: Event) -> str | None:
    """A series' rule leaving out the days of its occurrences that are events of their own
    (RECURRENCE-ID), wherever they came in this file or an earlier import."""
    uid = event.uid or ""
    repeat = event.repeat
    for own in planner.store.uids_with_prefix(uid + OCCURRENCE_MARK):
        day = own[len(uid + OCCURRENCE_MARK) :]
        if repeat and len(day) == 8 and day.isdigit():
            repeat = with_exdate(repeat, date(int(day[:4]), int(day[4:6]), int(day[6:])))
    return repeat


def _leave_out(planner: Parts, series_uid: str, day: date) -> None:
    series = planner.store.by_uid(Event, series_uid)
    if series is not None and series.repeat:
        repeat = with_exdate(series.repeat, day)
        if repeat != series.repeat:
            planner.save(replace(series, repeat=repeat))


class _Lines:
    """New guest-list lines, written a batch at a time (see Store.insert_rows)."""

    BATCH = 5000

    def __init__(self, planner: Parts) -> None:
        self.planner = planner
        self.rows: list[list[Any]] = []

    def add(self, event_id: int, lines: dict[int, tuple[str, str]]) -> None:
        """New lines of one event: person id -> (status, role), both from fixed lists."""
        for person_id, (status, role) in lines.items():
            self.rows.append([event_id, person_id, status, role])
        if len(self.rows) >= self.BATCH:
            self.flush()

    def flush(self) -> None:
        columns = ("event_id", "person_id", "status", "role")
        self.planner.store.insert_rows("invitations", columns, self.rows)
        self.rows = []


def owner_id(planner: Parts, todo: IcsTodo, report: ImportReport) -> int | None:
    """The staff person X-CONVENER-OWNER names: by UID, else the one staff person of that
    name (another database's copy of a colleague); None, and a note, when not here."""
    if todo.owner_uid is None and todo.owner_name is None:
        return None
    person = planner.store.by_uid(Person, todo.owner_uid) if todo.owner_uid else None
    if person is None or person.deleted_at is not None or not person.is_staff:
        wanted = fold(todo.owner_name or "")
        named = [p for p in planner.store.staff_people() if wanted and fold(p.name) == wanted]
        person = named[0] if len(named) == 1 else None
    if person is None or person.id is None:
        label = (todo.owner_name or todo.owner_uid or "")[:60]
        report.skipped.append(
            f"line {todo.line}: to-do {todo.title[:60]!r}: owner {label!r} is not staff here"
            " (the task is kept without one)"
        )
        return None
    return person.id


def write_todos(planner: Parts, todos: Iterable[IcsTodo], report: ImportReport) -> None:
    """Each VTODO whose RELATED-TO is a known event becomes (or updates, by UID) one of its
    tasks; any other is skipped, and the report says which."""
    from tui.domain.task_watch import parse_watch
    from tui.domain.tasks import parse_due

    for todo in todos:
        event = planner.store.by_uid(Event, todo.event_uid) if todo.event_uid else None
        label = todo.title[:60] or "(no title)"
        if event is None or event.id is None or event.deleted_at is not None:
            related = f"no event with UID {todo.event_uid[:60]!r}" if todo.event_uid else "no event"
            report.skipped.append(f"line {todo.line}: to-do {label!r} ({related} here)")
            continue
        try:
            due_date, offset, anchor = (
                parse_due(todo.due_text) if todo.due_text else (todo.due_date, None, None)
            )
            task = Task(
                event_id=event.id,
                title=todo.title,
                uid=todo.uid,
                due_date=due_date,
                due_offset=offset,
                due_anchor=anchor,
                done_on=todo.done_on,
                notes=todo.notes,
                watch=parse_watch(todo.watch),
                owner_id=owner_id(planner, todo, report),
            )
            existing = planner.store.by_uid(Task, todo.uid) if todo.uid else None
            if existing is None:
                planner.save_task(task)
                report.note("added", "task", label)
            else:
                merged = replace(
                    task,
                    id=existing.id,
                    created_at=existing.created_at,
                    position=existing.position,
                    event_id=existing.event_id if existing.event_id == event.id else event.id,
                    # Another calendar carries no owner and no watch: ours stay.
                    owner_id=task.owner_id if task.owner_id is not None else existing.owner_id,
                    watch=task.watch if todo.watch is not None else existing.watch,
                )
                save_if_changed(planner, existing, merged, report, "task", label)
        except InvalidInput as error:
            raise InvalidInput(
                f"to-do {todo.uid or label!r}: {error.message}", line=todo.line
            ) from None


def write_ics(planner: Parts, events: Iterable[IcsEvent], report: ImportReport) -> None:
    """Add or update each event (matched by UID) with its organizer and guests."""
    emails = planner.store.people_by_email()
    lines = _Lines(planner)
    for item in events:
        incoming = item.event
        if incoming.repeat and incoming.uid:
            incoming = replace(incoming, repeat=_without_overridden(planner, incoming))
        existing = planner.store.by_uid(Event, incoming.uid or "")
        if existing is None:
            event = planner.save(incoming)
            report.note("added", "event", incoming.title)
        else:
            # What iCalendar does not carry (capacity, venue, notes...) is kept.
            merged = replace(
                incoming,
                id=existing.id,
                created_at=existing.created_at,
                capacity=existing.capacity,
                venue=incoming.venue or existing.venue,
                location=_without_venue(incoming.location, existing.venue)
                if incoming.venue is None
                else incoming.location,
                notes=existing.notes,
                summary=existing.summary,
                link_only=False,
                is_sample=existing.is_sample,
            )
            event = save_if_changed(planner, existing, merged, report, "event", incoming.title)
        assert event.id is not None
        if item.series is not None and item.occurrence is not None:
            _leave_out(planner, item.series, item.occurrence)
        if existing is not None:
            lines.flush()  # its guests may still be waiting in the batch
        guests = (
            {g.person_id: g for g in planner.store.invitations_for(event.id)}
            if existing is not None
            else {}  # a new event has no guests yet: no need to ask
        )
        new_lines: dict[int, tuple[str, str]] = {}
        for position, guest in enumerate(item.guests):
            person_id, name = _person(planner, guest, report, emails)
            if guest.status is None:  # the organizer: a contact of the event
                if planner.link("contact", event.id, person_id, position):
                    report.linked += 1
                continue
            old = guests.get(person_id)
            if old is None:
                if person_id not in new_lines:  # the same guest twice in a file: one line
                    new_lines[person_id] = (guest.status, guest.role)
                    report.note("added", "invitation", name)
            else:
                # Keep what the file does not say (dates, needs, notes); take status and role.
                merged_line = replace(old, status=guest.status, role=guest.role)
                save_if_changed(planner, old, merged_line, report, "invitation", name)
        lines.add(event.id, new_lines)
    lines.flush()
