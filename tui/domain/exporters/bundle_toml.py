"""One event as a Convener document, in TOML or JSON: the bundle format `convener import`
reads.

The event with its sessions and speakers, staff contacts, partners, related events and
publications, and (when it may leave) its guest list, with every person and organisation
these name, so that importing the file into another database gives the same event; into
the same one, nothing new.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import date, time
from typing import Any

import tomli_w

from tui.domain.file_formats import FORMAT_VERSION
from tui.domain.models import (
    EventDetails,
    Invitation,
    Organisation,
    Person,
    Publication,
    Task,
)
from tui.domain.privacy import LEFT_OUT, guests_may_leave
from tui.domain.task_watch import watch_words
from tui.domain.tasks import due_words

_LEFT_OUT = {
    "id",
    "created_at",
    "updated_at",
    "deleted_at",
    "is_sample",
    "event_id",
    "person_id",
}


def _fields(record: Any, *skip: str) -> dict[str, Any]:
    """A record's fields as TOML values: no ids or stamps, no empty values (TOML has no null)."""
    return {
        f.name: getattr(record, f.name)
        for f in fields(record)
        if f.name not in _LEFT_OUT and f.name not in skip and getattr(record, f.name) is not None
    }


@dataclass(frozen=True)
class EventBundle:
    """What one event's document is written from (the planner gathers it)."""

    details: EventDetails
    tasks: Sequence[Task]
    invitations: Sequence[Invitation]
    """The guest list (left empty where the privacy gate keeps it back)."""
    people: Mapping[int, Person]
    """Every person the event names (contacts, speakers, guests), trashed ones too."""
    organisations: Mapping[int, Organisation]
    """Every organisation it names (partners, its people's), trashed ones too."""


def event_document(bundle: EventBundle, *, include_private: bool) -> dict[str, Any]:
    """The bundle of one event (see the module's docstring)."""
    details = bundle.details
    event = details.event
    people: dict[int, Person] = {}
    organisations: dict[int, Organisation] = {}

    def person(person_id: int) -> str:
        found = bundle.people[person_id]
        people[person_id] = found
        if found.organisation_id is not None:
            organisation(found.organisation_id)
        return str(found.uid)

    def organisation(organisation_id: int) -> str:
        found = bundle.organisations[organisation_id]
        organisations[organisation_id] = found
        return str(found.uid)

    record = _fields(event, "speakers")
    record["contacts"] = [person(p.id) for p in details.contacts]
    record["partners"] = [organisation(o.id or 0) for o in details.partners]
    record["related_events"] = [str(e.uid) for e in details.related_events]
    record["related_publications"] = [str(p.uid) for p in details.related_publications]
    record["sessions"] = [
        {
            **_fields(session, "speakers", "position"),
            "speakers": [{"person": person(s.person_id), "role": s.role} for s in session.speakers],
        }
        for session in details.sessions
    ]
    record["tasks"] = [
        {
            "uid": task.uid,
            "title": task.title,
            **({"due": due_words(task)} if task.due_offset is not None else {}),
            **({"due": task.due_date} if task.due_date is not None else {}),
            **({"done_on": task.done_on} if task.done_on is not None else {}),
            **({"notes": task.notes} if task.notes else {}),
            **({"watch": watch_words(task.watch)} if task.watch else {}),
            **({"owner": person(task.owner_id)} if task.owner_id is not None else {}),
        }
        for task in bundle.tasks
    ]
    private = not guests_may_leave(event, include_private)
    if not private:
        record["invitations"] = [
            {**_fields(line), "person": person(line.person_id)} for line in bundle.invitations
        ]
    # Related events and publications travel as plain records: the links need them there.
    related = [_fields(e) for e in details.related_events]
    publications: list[Publication] = list(details.related_publications)
    document: dict[str, Any] = {"convener": FORMAT_VERSION}
    if organisations:
        document["organisations"] = [_fields(o) for o in organisations.values()]
    if people:
        document["people"] = [
            {
                **_fields(p, "organisation_id"),
                **(
                    {"organisation": organisations[p.organisation_id].uid}
                    if p.organisation_id is not None
                    else {}
                ),
            }
            for p in people.values()
        ]
    if publications:
        document["publications"] = [_fields(p) for p in publications]
    document["events"] = [{k: v for k, v in record.items() if v != []}, *related]
    return document


def event_toml(bundle: EventBundle, *, include_private: bool) -> str:
    """The event's bundle as TOML text, with a comment saying what it is."""
    event = bundle.details.event
    document = event_document(bundle, include_private=include_private)
    head = [
        f"# {' '.join(event.title.split())}: a Convener document (convener import reads it).",
    ]
    if not guests_may_leave(event, include_private):
        head.append(f"# {LEFT_OUT[0].upper()}{LEFT_OUT[1:]}.")
    return "\n".join(head) + "\n" + tomli_w.dumps(document, multiline_strings=True)


def event_json(bundle: EventBundle, *, include_private: bool) -> str:
    """The event's bundle as JSON: the TOML document's content, dates and times as text
    ("2024-06-12", "19:00"), which `convener import` reads back the same."""
    import json

    def plain(value: object) -> str:
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, time):
            return value.strftime("%H:%M")
        raise TypeError(f"{type(value).__name__} is not JSON")

    document = event_document(bundle, include_private=include_private)
    return json.dumps(document, ensure_ascii=False, indent=2, default=plain) + "\n"
