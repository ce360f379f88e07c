"""Records <-> documents: what one shared resource holds, in plain JSON values.

A document is `{"fields": {...}, "members": {key: {...}}}`. Fields are the record's own
values with links written as the linked records' uids (ids are local to one database);
members are the lines that merge one by one: an event's guests and a session's speakers,
keyed by the person's uid. Reading and writing go through the Store, so what the server
sends is checked by the same validation as a form (validate.checked).
"""

from __future__ import annotations

from dataclasses import fields, replace
from datetime import date, time
from typing import Any

from tui.domain.errors import InvalidInput
from tui.domain.models import (
    Event,
    Invitation,
    Organisation,
    Person,
    Publication,
    Session,
    Speaker,
    Task,
)
from tui.domain.store import Store

Document = dict[str, Any]
"""{"fields": {name: value}, "members": {key: {name: value}}}."""

MODELS: dict[str, type[Any]] = {
    "event": Event,
    "person": Person,
    "organisation": Organisation,
    "publication": Publication,
    "session": Session,
    "task": Task,
}
# Pulled in this order, so that what a record links to is there before it.
ORDER = ("organisation", "person", "publication", "event", "session", "task")
_LOCAL = {"id", "uid", "created_at", "updated_at", "deleted_at", "is_sample", "speakers"}
_REFERENCES = {
    # field -> (its name in the document, the linked kind)
    "organisation_id": ("organisation", Organisation),
    "event_id": ("event", Event),
    "owner_id": ("owner", Person),
    "person_id": ("person", Person),
}
LINK_FIELDS = {
    "contacts": "person",
    "partners": "organisation",
    "related_events": "event",
    "publications": "publication",
    "related_publications": "publication",
}
"""Document fields that list other records' uids, with the kind they name."""
_GUEST_LOCAL = {
    "id",
    "uid",
    "event_id",
    "person_id",
    "created_at",
    "updated_at",
    "deleted_at",
}
# responded_at travels: an officer whose copy lacked the time of a mailed answer could not
# tell a later mail of the same day from an older one, and did not apply it while the
# officer who imported the first one did (apply_replies trusts it only if it still fits).


def _plain(value: Any) -> Any:
    if isinstance(value, time):
        return value.isoformat(timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    return value


def plain_fields(record: Any) -> dict[str, Any]:
    """A record's own values as document fields, without its links (what a record read
    from another client's resource, which can name none, brings)."""
    return {
        item.name: _plain(getattr(record, item.name))
        for item in fields(record)
        if item.name not in _LOCAL and item.name not in _REFERENCES
    }


def _typed(cls: type[Any], name: str, value: Any) -> Any:
    """A document value as the model field wants it (dates and times from ISO text)."""
    if value is None:
        return None
    kind = {f.name: str(f.type) for f in fields(cls)}.get(name, "")
    if kind.startswith("datetime"):
        from tui.domain import validate

        return validate.moment_value(value, name)
    try:
        if kind.startswith("date"):
            return date.fromisoformat(value)
        if kind.startswith("time"):
            return time.fromisoformat(value)
    except (TypeError, ValueError):
        raise InvalidInput(f"{name}: {str(value)[:40]!r} is not a date or time") from None
    return value


MAIL_SEQUENCE = "mail_sequence"
"""The event's iMIP SEQUENCE as last mailed by any officer of the team: it travels with
the event, so that an update one officer mails after another's is newer for the guests'
calendars (each kept their own, and both sent SEQUENCE:1)."""


class Records:
    """Reads and writes documents of one database."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def _uid_of(self, cls: type[Any], record_id: int | None) -> str | None:
        if record_id is None:
            return None
        rows = self.store._rows(f"select uid from {_table(cls)} where id = ?", [record_id])
        return str(rows[0]["uid"]) if rows else None

    def _id_of(self, cls: type[Any], uid: Any) -> int | None:
        if not uid:
            return None
        rows = self.store._rows(
            f"select id from {_table(cls)} where uid = ? and deleted_at is null", [uid]
        )
        return int(rows[0]["id"]) if rows else None

    def live(self, kind: str, uid: str) -> Any | None:
        """The record with this uid unless it is missing or in the trash."""
        record = self.store.by_uid(MODELS[kind], uid)
        return None if record is None or record.deleted_at else record

    def read(self, kind: str, uid: str) -> Document | None:
        """The document of a live record; None when it is missing or in the trash."""
        record = self.live(kind, uid)
        if record is None:
            return None
        values: dict[str, Any] = {}
        for item in fields(record):
            if item.name in _LOCAL:
                continue
            value = getattr(record, item.name)
            if item.name in _REFERENCES:
                name, cls = _REFERENCES[item.name]
                values[name] = self._uid_of(cls, value)
            else:
                values[item.name] = _plain(value)
        members: dict[str, Any] = {}
        if isinstance(record, Event):
            self._read_event_links(record, values)
            members = self._read_guests(record)
            assert record.id is not None
            sequence = self.store.mail_sequence(record.id)
            if sequence:  # absent until an update is mailed: older documents stay as they were
                values[MAIL_SEQUENCE] = sequence
        elif isinstance(record, Session):
            for position, speaker in enumerate(record.speakers):
                person = self._uid_of(Person, speaker.person_id)
                if person:
                    members[person] = {"role": speaker.role, "position": position}
        elif isinstance(record, Publication):
            assert record.id is not None
            values["related_publications"] = sorted(
                p.uid or "" for p in self.store.related_publications(record.id)
            )
        return {"fields": values, "members": members}

    def _read_event_links(self, event: Event, values: dict[str, Any]) -> None:
        assert event.id is not None
        contacts = self.store.contacts_for(event.id)
        values["contacts"] = [self._uid_of(Person, c.id) for c in contacts]
        values["partners"] = [o.uid for o in self.store.partners_for(event.id)]
        values["related_events"] = sorted(e.uid or "" for e in self.store.related_events(event.id))
        values["publications"] = sorted(
            p.uid or "" for p in self.store.publications_for_event(event.id)
        )

    def _read_guests(self, event: Event) -> dict[str, Any]:
        assert event.id is not None
        guests: dict[str, Any] = {}
        for invitation in self.store.invitations_for(event.id):
            person = self._uid_of(Person, invitation.person_id)
            if person is None:
                continue
            line = {
                f.name: _plain(getattr(invitation, f.name))
                for f in fields(invitation)
                if f.name not in _GUEST_LOCAL
            }
            line["uid"] = invitation.uid
            guests[person] = line
        return guests

    def write(self, kind: str, uid: str, document: Document) -> None:
        """Create or update the record `uid` to hold `document` (inside the caller's
        transaction); InvalidInput when a value would not pass a form."""
        cls = MODELS[kind]
        values: dict[str, Any] = {}
        document_fields = document.get("fields", {})
        for item in fields(cls):
            if item.name in _LOCAL:
                continue
            if item.name in _REFERENCES:
                name, linked = _REFERENCES[item.name]
                if name in document_fields:
                    values[item.name] = self._id_of(linked, document_fields[name])
            elif item.name in document_fields:
                values[item.name] = _typed(cls, item.name, document_fields[item.name])
        if kind in ("session", "task") and values.get("event_id") is None:
            raise InvalidInput("its event is not here")
        existing = self.store.by_uid(cls, uid)
        if existing is None:
            record = self.store.insert(cls(uid=uid, **values))
        else:
            record = self.store.update(replace(existing, deleted_at=None, **values))
        assert record.id is not None
        if isinstance(record, Event):
            self._write_event_links(record.id, document_fields)
            self._write_guests(record.id, document.get("members", {}))
            sequence = document_fields.get(MAIL_SEQUENCE)
            if isinstance(sequence, int) and not isinstance(sequence, bool):
                self.store.raise_mail_sequence(record.id, sequence)
        elif isinstance(record, Session):
            members = sorted(
                document.get("members", {}).items(), key=lambda item: item[1].get("position", 0)
            )
            speakers = []
            for person, line in members:
                person_id = self._id_of(Person, person)
                if person_id is not None:
                    speakers.append(Speaker(person_id, "", str(line.get("role") or "speaker")))
            self.store.set_speakers(record.id, speakers)
        elif isinstance(record, Publication):
            self._set_links(
                "related_publication",
                record.id,
                Publication,
                [p.id for p in self.store.related_publications(record.id) if p.id is not None],
                document_fields.get("related_publications", []),
            )

    def _set_links(
        self, name: str, left: int, cls: type[Any], current: list[int], wanted: list[Any]
    ) -> None:
        ids = [i for i in (self._id_of(cls, uid) for uid in wanted) if i is not None]
        for right in current:
            if right not in ids:
                self.store.unlink(name, left, right)
        for position, right in enumerate(ids):
            if name in ("contact", "partner"):
                self.store.unlink(name, left, right)
                self.store.link(name, left, right, position)
            elif not (name.startswith("related_") and right == left):
                self.store.link(name, left, right)

    def _write_event_links(self, event_id: int, values: dict[str, Any]) -> None:
        store = self.store
        self._set_links(
            "contact",
            event_id,
            Person,
            [c.id for c in store.contacts_for(event_id)],
            values.get("contacts", []),
        )
        self._set_links(
            "partner",
            event_id,
            Organisation,
            [o.id for o in store.partners_for(event_id) if o.id is not None],
            values.get("partners", []),
        )
        self._set_links(
            "related_event",
            event_id,
            Event,
            [e.id for e in store.related_events(event_id) if e.id is not None],
            values.get("related_events", []),
        )
        self._set_links(
            "event_publication",
            event_id,
            Publication,
            [p.id for p in store.publications_for_event(event_id) if p.id is not None],
            values.get("publications", []),
        )

    def _write_guests(self, event_id: int, members: dict[str, Any]) -> None:
        wanted: set[int] = set()
        for person, line in members.items():
            person_id = self._id_of(Person, person)
            if person_id is None:
                continue  # a guest whose person this database does not have (yet)
            wanted.add(person_id)
            values = {
                name: _typed(Invitation, name, line[name])
                for name in (f.name for f in fields(Invitation))
                if name not in _GUEST_LOCAL and name in line
            }
            existing = self.store.invitation_for(event_id, person_id, include_deleted=True)
            if existing is None:
                self.store.insert(
                    Invitation(
                        event_id=event_id, person_id=person_id, uid=line.get("uid"), **values
                    )
                )
            else:
                # The line's uid from the server: a line both sides added keeps the
                # server's (see merge), or each push would send its own again (unless
                # another line here has it).
                uid = line.get("uid")
                if (
                    isinstance(uid, str)
                    and uid
                    and uid != existing.uid
                    and not self.store._rows("select 1 from invitations where uid = ?", [uid])
                ):
                    self.store._write(
                        "update invitations set uid = ? where id = ?", [uid, existing.id]
                    )
                candidate = replace(existing, deleted_at=None, **values)
                if candidate != existing:
                    self.store.update(candidate)
        for invitation in self.store.invitations_for(event_id):
            if invitation.person_id not in wanted and invitation.id is not None:
                self.store.set_deleted(Invitation, invitation.id, True)

    def knows(self, kind: str, uid: str) -> bool:
        """Is there a record of this kind and uid here (in the trash too)?"""
        table = _table(MODELS[kind])
        return bool(self.store._rows(f"select 1 from {table} where uid = ?", [uid]))

    def trash(self, kind: str, uid: str) -> bool:
        """Move the record to the trash (a delete from the server); True when it was live."""
        record = self.live(kind, uid)
        if record is None or record.id is None:
            return False
        self.store.set_deleted(MODELS[kind], record.id, True)
        return True


def _table(cls: type[Any]) -> str:
    from tui.domain.store import TABLES

    return TABLES[cls]
