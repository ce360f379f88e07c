"""The stable `--json` shape of SPEC.md: each record's fields by name, its links nested."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import fields
from datetime import date, time
from typing import Any

from tui.domain.models import (
    Event,
    EventDetails,
    Invitation,
    Organisation,
    Person,
    PersonSummary,
    Publication,
)
from tui.domain.privacy import guests_may_leave
from tui.domain.text import clean

_INTERNAL = {"is_sample", "link_only"}


def _plain(value: Any) -> Any:
    if isinstance(value, (date, time)):
        return value.isoformat() if isinstance(value, date) else value.strftime("%H:%M")
    if isinstance(value, str):
        return clean(value)
    return value


def _fields(record: Any) -> dict[str, Any]:
    # The record's own fields, read as they are: dataclasses.asdict deep-copied every
    # value (most of `list events --json`'s time at 10k events). A field that is a record
    # of its own (a session's speakers) is left out here and written by the caller.
    values = {f.name: getattr(record, f.name) for f in fields(record)}
    # id and uid first, as in SPEC's example; then the fields in model order.
    data = {"id": values.pop("id"), "uid": values.pop("uid")}
    data.update((name, _plain(value)) for name, value in values.items() if name != "speakers")
    # deleted_at stays (SPEC: every record has it): null in the listings, which show no
    # record in the trash.
    data["sample"] = data.pop("is_sample", False)
    if "link_only" in data:
        data["link_only"] = bool(data["link_only"])
    return data


def _event_link(event: Event) -> dict[str, Any]:
    return {
        "id": event.id,
        "uid": event.uid,
        "title": clean(event.title),
        "start_date": event.start_date.isoformat(),
        "end_date": event.end_date.isoformat(),
    }


def _publication_link(publication: Publication) -> dict[str, Any]:
    return {
        "id": publication.id,
        "uid": publication.uid,
        "title": clean(publication.title),
        "program_area": _plain(publication.program_area),
        "type": _plain(publication.type),
    }


def _person_link(person: PersonSummary) -> dict[str, Any]:
    return {
        "id": person.id,
        "name": clean(person.name),
        "role": _plain(person.role),
        "program_area": _plain(person.program_area),
        "is_staff": person.is_staff,
    }


def _organisation_link(organisation: Organisation) -> dict[str, Any]:
    return {
        "id": organisation.id,
        "uid": organisation.uid,
        "name": clean(organisation.name),
        "short_name": _plain(organisation.short_name),
    }


def event_record(
    details: EventDetails,
    guests: Sequence[tuple[Invitation, Person]],
    *,
    include_private: bool,
) -> dict[str, Any]:
    """One event with contacts, partners, related items, sessions and invitations.

    An invitation-only event's invitations are left out unless `include_private`; the
    record then says so (`"invitations_left_out": true`).
    """
    event = details.event
    data = _fields(event)
    data["contacts"] = [_person_link(p) for p in details.contacts]
    data["partners"] = [_organisation_link(o) for o in details.partners]
    data["related_events"] = [_event_link(e) for e in details.related_events]
    data["related_publications"] = [_publication_link(p) for p in details.related_publications]
    data["sessions"] = [
        {
            **_fields(session),
            "speakers": [
                {"id": s.person_id, "name": clean(s.name), "role": s.role} for s in session.speakers
            ],
        }
        for session in details.sessions
    ]
    data["invitations"] = (
        [{**_fields(invitation), "name": clean(person.name)} for invitation, person in guests]
        if guests_may_leave(event, include_private)
        else []
    )
    if not guests_may_leave(event, include_private):
        data["invitations_left_out"] = True
    for session in data["sessions"]:
        session.pop("event_id", None)
    for invitation in data["invitations"]:
        invitation.pop("event_id", None)
    return data


def person_record(
    person: Person,
    organisation: Organisation | None,
    contact_for: Sequence[Event],
    events: Sequence[tuple[Event, str]],
    *,
    include_private: bool,
) -> dict[str, Any]:
    """One person with their organisation (None: none; `"in_trash": true` when it is
    there, the link kept for when it is restored) and the events
    they are linked to (`events`: each with their part, as person_events reads them).

    Their places as a guest of invitation-only events are left out unless
    `include_private` (a speaker's or a contact's part is public)."""
    data = _fields(person)
    data["organisation"] = (
        {**_organisation_link(organisation), "in_trash": organisation.deleted_at is not None}
        if organisation is not None
        else None
    )
    data["contact_for"] = [_event_link(e) for e in contact_for]
    data["events"] = person_events(events, include_private)
    if len(data["events"]) < len(events):
        data["events_left_out"] = True  # guest places on invitation-only events
    return data


def person_events(
    events: Sequence[tuple[Event, str]], include_private: bool
) -> list[dict[str, Any]]:
    """The events a person is linked to with their part ("guest: accepted", "speaker");
    guest places on invitation-only events only with `include_private`."""
    return [
        {**_event_link(event), "part": part}
        for event, part in events
        if not part.startswith("guest") or guests_may_leave(event, include_private)
    ]


def organisation_record(
    organisation: Organisation, people: Sequence[Person], partnered: Sequence[Event]
) -> dict[str, Any]:
    """One organisation with its people and the events it partnered."""
    data = _fields(organisation)
    data["people"] = [{"id": p.id, "name": clean(p.name), "role": _plain(p.role)} for p in people]
    data["partnered"] = [_event_link(e) for e in partnered]
    return data


def publication_record(
    publication: Publication,
    related_events: Sequence[Event],
    related_publications: Sequence[Publication],
) -> dict[str, Any]:
    """One publication with its related events and publications."""
    data = _fields(publication)
    data["related_events"] = [_event_link(e) for e in related_events]
    data["related_publications"] = [_publication_link(p) for p in related_publications]
    return data


def dumps(records: list[dict[str, Any]]) -> str:
    """JSON text, stable: the same data gives the same bytes."""
    return json.dumps(records, ensure_ascii=False, indent=2) + "\n"
