"""Writing parsed iCalendar events: by UID, people by email then name, guests per person."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING

from tui.domain.errors import InvalidInput
from tui.domain.importers.calendar_ics import IcsEvent, IcsGuest, IcsTodo
from tui.domain.importers.report import ImportReport
from tui.domain.models import Event, Person, Task
from tui.domain.planner.merging import save_if_changed
from tui.domain.recurrence import OCCURRENCE_MARK, with_exdate
from tui.domain.text import fold

if TYPE_CHECKING:
    from tui.domain.planner.parts import Parts


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


class _Seen:
    """Texts seen, as a Bloom filter: `in` is never False for a text added, and rarely True
    for another (about 1% at a million texts). Two megabytes, however many are added.

    An import asks the database whether an event's UID or a guest's name is there only
    when this says it may be: a new UID or name (most of a large calendar's) costs no
    query into a large index (a tenth of a 100k import's time under cProfile).
    """

    BITS = 1 << 24
    """A power of two, at least 8."""

    def __init__(self, texts: Iterable[str] = ()) -> None:
        self.bits = bytearray(self.BITS // 8)
        self.mask = self.BITS - 1
        self.shift = self.BITS.bit_length() - 1
        for text in texts:
            self.add(text)

    def _spots(self, text: str) -> tuple[int, int]:
        code = hash(text)
        return code & self.mask, (code >> self.shift) & self.mask

    def add(self, text: str) -> None:
        for spot in self._spots(text):
            self.bits[spot >> 3] |= 1 << (spot & 7)

    def __contains__(self, text: str) -> bool:
        bits = self.bits
        return all(bits[spot >> 3] & (1 << (spot & 7)) for spot in self._spots(text))


class _Batch:
    """New events, the people they bring and their guest lines and organizers, written a
    batch at a time: one statement per kind (see Store.insert_rows), not one per row.

    Until a batch is written its events and people are known by references: a written
    record's id, or -(1 + its place in the batch). Each is checked and reported when it
    is read, as `save` would: a refusal names the same record at the same point, and
    everything the batch writes ends up as row-by-row saving left it (ids in file order).
    """

    EVENTS = 500
    LINES = 5_000
    """A batch is written at this many events or guest lines: larger ones were no faster
    (within the noise of a shared machine) and cost memory (10k.ics, before the look-up
    filters: 52 MB peak at 1,000 and 20,000, 45 MB here, 42 MB at 200 and 4,000 with more
    system time)."""

    def __init__(self, planner: Parts, report: ImportReport) -> None:
        self.planner = planner
        self.report = report
        self.emails = planner.store.people_by_email()
        """Lower-cased emails of written people -> their ids (read once per file)."""
        self.uids = _Seen(planner.store.each_value("events", "uid"))
        self.keys = _Seen(planner.store.each_value("people", "name_key", live=True))
        """The events' UIDs (in the trash too) and live people's name keys, written or
        in the batch: what may be in the database (see _Seen)."""
        self.people: list[Person] = []
        self.people_email: dict[str, int] = {}
        self.people_key: dict[str, int] = {}
        """The batch's people by lower-cased email and by name key: their place in it."""
        self.events: list[Event] = []
        self.event_uids: set[str] = set()
        self.occurrences: list[str] = []
        """UIDs of the batch's events that are one changed occurrence of a series."""
        self.lines: list[tuple[int, int, str, str]] = []
        """(event, person, status, role) of new guest lines."""
        self.contacts: list[tuple[int, int, int]] = []
        """(event, person, position) of organizers."""
        self.written_people: list[int] = []
        """The ids the last write gave the batch's people, in order."""

    def waits_for(self, item: IcsEvent) -> bool:
        """True when reading `item` needs what the batch holds written first: an event it
        updates (the same UID twice), the series it changes, its own changed occurrences."""
        uid = item.event.uid or ""
        if uid in self.event_uids or (item.series is not None and item.series in self.event_uids):
            return True
        if item.event.repeat and self.occurrences:
            own = uid + OCCURRENCE_MARK
            return any(occurrence.startswith(own) for occurrence in self.occurrences)
        return False

    def add_event(self, event: Event) -> int:
        """A new event (cleaned and checked now), reported as added; its reference."""
        prepared = self.planner.prepared(event)
        self.report.note("added", "event", event.title)
        self.events.append(prepared)
        uid = prepared.uid or ""
        self.event_uids.add(uid)
        self.uids.add(uid)
        if OCCURRENCE_MARK in uid:
            self.occurrences.append(uid)
        return -len(self.events)

    def person(self, guest: IcsGuest) -> tuple[int, str]:
        """(reference, name) of the person an attendee is: by email (case aside), else by
        name, else added.

        Written people are matched by email in a map read once per file and kept up to
        date here, by name with one indexed read of the first of that name; the batch's
        own people come after them (their ids will be higher), as row-by-row saving
        matched them.
        """
        email = guest.email.lower() if guest.email else None
        if email is not None:
            if email in self.emails:
                return self.emails[email], guest.name
            if email in self.people_email:
                return -1 - self.people_email[email], guest.name
        key = fold(guest.name)
        found = self.planner.store.first_with_key(key) if key in self.keys else None
        if found is not None:
            person_id, name, has_email = found
            if guest.email and not has_email:
                record = self.planner.store.get(Person, person_id)
                save_if_changed(
                    self.planner,
                    record,
                    replace(record, email=guest.email),
                    self.report,
                    "person",
                    record.name,
                )
                self.emails.setdefault(guest.email.lower(), person_id)
            return person_id, name
        index = self.people_key.get(key)
        if index is not None:
            person = self.people[index]
            if guest.email and not person.email:
                # As saving the email over the person would: checked, reported as changed.
                self.people[index] = self.planner.prepared(replace(person, email=guest.email))
                self.report.note("updated", "person", person.name)
                self.report.changes.append(f"{person.name}: email")
                if guest.email.lower() not in self.emails:
                    self.people_email.setdefault(guest.email.lower(), index)
            return -1 - index, person.name
        person = self.planner.prepared(guest.person)
        self.report.note("added", "person", guest.name)
        index = len(self.people)
        self.people.append(person)
        if person.email and person.email.lower() not in self.emails:
            self.people_email.setdefault(person.email.lower(), index)
        stored = key if person.name == guest.name else fold(person.name)
        self.people_key.setdefault(stored, index)
        self.keys.add(stored)
        return -1 - index, person.name

    def known(self, uid: str) -> Event | None:
        """The event with this UID already written (in the trash too), or None."""
        return self.planner.store.by_uid(Event, uid) if uid in self.uids else None

    def full(self) -> bool:
        return len(self.events) >= self.EVENTS or len(self.lines) >= self.LINES

    def written(self, reference: int) -> int:
        """The id of a person the last write added (or of one written before)."""
        return reference if reference > 0 else self.written_people[-1 - reference]

    def flush(self) -> None:
        """Write what the batch holds: people, events, then organizers and guest lines."""
        people = self.planner.add_prepared(self.people) if self.people else []
        for email, index in self.people_email.items():
            self.emails.setdefault(email, people[index])
        events = self.planner.add_prepared(self.events) if self.events else []

        def person(reference: int) -> int:
            return reference if reference > 0 else people[-1 - reference]

        def event(reference: int) -> int:
            return reference if reference > 0 else events[-1 - reference]

        store = self.planner.store
        if self.contacts:
            store.link_many("contact", [(event(e), person(p), n) for e, p, n in self.contacts])
        if self.lines:
            store.insert_rows(
                "invitations",
                ("event_id", "person_id", "status", "role"),
                [[event(e), person(p), status, role] for e, p, status, role in self.lines],
            )
        self.written_people = people
        self.people, self.people_email, self.people_key = [], {}, {}
        self.events, self.event_uids, self.occurrences = [], set(), []
        self.lines, self.contacts = [], []


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
    """Add or update each event (matched by UID) with its organizer and guests.

    New events go by batches (see _Batch); an event already here is merged and saved on
    its own, after the batch so far is written.
    """
    batch = _Batch(planner, report)
    for item in events:
        if batch.waits_for(item):
            batch.flush()
        incoming = item.event
        if incoming.repeat and incoming.uid:
            incoming = replace(incoming, repeat=_without_overridden(planner, incoming))
        if batch.known(incoming.uid or "") is None:
            reference = batch.add_event(incoming)
            if item.series is not None and item.occurrence is not None:
                _leave_out(planner, item.series, item.occurrence)
            new_lines: dict[int, tuple[str, str]] = {}
            for position, guest in enumerate(item.guests):
                person, name = batch.person(guest)
                if guest.status is None:  # the organizer: a contact of the event
                    batch.contacts.append((reference, person, position))
                    report.linked += 1  # a new event has no contacts yet
                elif person not in new_lines:  # the same guest twice in a file: one line
                    new_lines[person] = (guest.status, guest.role)
                    report.note("added", "invitation", name)
            batch.lines.extend((reference, p, s, r) for p, (s, r) in new_lines.items())
            if batch.full():
                batch.flush()
            continue
        batch.flush()  # what this event's merge reads (its guests, its people) is written
        _merge(planner, item, incoming, batch, report)
    batch.flush()


def _merge(
    planner: Parts, item: IcsEvent, incoming: Event, batch: _Batch, report: ImportReport
) -> None:
    """An event already here: what the file says over it; its guests and organizer too."""
    existing = planner.store.by_uid(Event, incoming.uid or "")
    assert existing is not None
    # What iCalendar does not carry (capacity, venue, notes...) is kept, unless our own
    # export carried it (X-CONVENER-CAPACITY, -SUMMARY, -LINK-ONLY).
    merged = replace(
        incoming,
        id=existing.id,
        created_at=existing.created_at,
        capacity=incoming.capacity if incoming.capacity is not None else existing.capacity,
        venue=incoming.venue or existing.venue,
        location=_without_venue(incoming.location, existing.venue)
        if incoming.venue is None
        else incoming.location,
        notes=existing.notes,
        summary=incoming.summary or existing.summary,
        # Known only from a link while every file says so: one that knows it whole (any
        # other calendar's, or ours without the mark) makes it known here too.
        link_only=existing.link_only and incoming.link_only,
        is_sample=existing.is_sample,
    )
    event = save_if_changed(planner, existing, merged, report, "event", incoming.title)
    assert event.id is not None
    if item.series is not None and item.occurrence is not None:
        _leave_out(planner, item.series, item.occurrence)
    guests = {g.person_id: g for g in planner.store.invitations_for(event.id)}
    new_lines: dict[int, tuple[str, str]] = {}
    for position, guest in enumerate(item.guests):
        reference, name = batch.person(guest)
        if reference < 0:  # a person this event adds: written now, for its id
            batch.flush()
        person_id = batch.written(reference)
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
    batch.lines.extend((event.id, p, s, r) for p, (s, r) in new_lines.items())
