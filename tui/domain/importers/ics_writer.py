"""Writing parsed iCalendar events: by UID, people by email then name, guests per person."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from tui.domain.importers.calendar_ics import IcsEvent
from tui.domain.importers.report import ImportReport, save_if_changed
from tui.domain.models import Event, Person

if TYPE_CHECKING:
    from tui.domain.service import Planner


def _person(planner: Planner, person: Person, report: ImportReport) -> Person:
    found: Person | None = None
    if person.email:
        matches = planner.store.listing(
            Person, order_by="id", where="lower(email) = lower(?)", params=[person.email]
        )
        found = matches[0] if matches else None
    if found is None:
        found = next(iter(planner.store.by_key(Person, person.name)), None)
    if found is None:
        saved = planner.save(person)
        report.note("added", "person", person.name)
        return saved
    if person.email and not found.email:
        return save_if_changed(
            planner, found, replace(found, email=person.email), report, "person", found.name
        )
    return found


def write_ics(planner: Planner, events: list[IcsEvent], report: ImportReport) -> None:
    """Add or update each event (matched by UID) with its organizer and guests."""
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
            person = _person(planner, guest.person, report)
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
