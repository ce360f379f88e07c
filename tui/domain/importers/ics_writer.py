"""Writing parsed iCalendar events: by UID, people by email then name, guests per person."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from tui.domain.importers.calendar_ics import IcsEvent
from tui.domain.importers.report import ImportReport, save_if_changed
from tui.domain.models import Event, Person

if TYPE_CHECKING:
    from tui.domain.service import Planner


def _person(
    planner: Planner, person: Person, report: ImportReport, emails: dict[str, int]
) -> Person:
    """The person an attendee is: by email (case aside), else by name, else added.

    `emails` maps lower-cased emails to people's ids, read once per file and kept up to
    date here: looking each attendee up in the table was a scan per attendee.
    """
    found: Person | None = None
    if person.email and person.email.lower() in emails:
        found = planner.store.get(Person, emails[person.email.lower()])
    if found is None:
        found = next(iter(planner.store.by_key(Person, person.name)), None)
    if found is None:
        saved = planner.save(person)
        report.note("added", "person", person.name)
        if saved.email and saved.id is not None:
            emails.setdefault(saved.email.lower(), saved.id)
        return saved
    if person.email and not found.email:
        updated = save_if_changed(
            planner, found, replace(found, email=person.email), report, "person", found.name
        )
        if updated.id is not None:
            emails.setdefault(person.email.lower(), updated.id)
        return updated
    return found


def _emails(planner: Planner) -> dict[str, int]:
    rows = planner.store._rows(
        "select lower(email) as email, min(id) as id from people"
        " where email is not null and deleted_at is null group by lower(email)"
    )
    return {row["email"]: row["id"] for row in rows}


def write_ics(planner: Planner, events: list[IcsEvent], report: ImportReport) -> None:
    """Add or update each event (matched by UID) with its organizer and guests."""
    emails = _emails(planner)
    for item in events:
        incoming = item.event
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
                venue=existing.venue,
                notes=existing.notes,
                summary=existing.summary,
                link_only=False,
                is_sample=existing.is_sample,
            )
            event = save_if_changed(planner, existing, merged, report, "event", incoming.title)
        assert event.id is not None
        guests = {g.person_id: g for g in planner.store.invitations_for(event.id)}
        for position, guest in enumerate(item.guests):
            person = _person(planner, guest.person, report, emails)
            assert person.id is not None
            if guest.invitation is None:
                if planner.link("contact", event.id, person.id, position):
                    report.linked += 1
                continue
            old = guests.get(person.id)
            line = replace(guest.invitation, event_id=event.id, person_id=person.id)
            if old is None:
                planner.save(line)
                report.note("added", "invitation", person.name)
            else:
                # Keep what the file does not say (dates, needs, notes); take status and role.
                merged_line = replace(old, status=line.status, role=line.role)
                save_if_changed(planner, old, merged_line, report, "invitation", person.name)
