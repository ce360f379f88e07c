"""The trash: what is in it, restoring, emptying it after a backup."""

from __future__ import annotations

from pathlib import Path

from tui.domain.errors import InvalidInput
from tui.domain.models import (
    Event,
    ItemRef,
    Organisation,
    Person,
    Publication,
)
from tui.domain.planner.base import (
    TrashItem,
    _count,
)
from tui.domain.planner.records import Records
from tui.domain.store import KINDS, AnyRecord
from tui.domain.text import clean_line, joined


class Trash(Records):
    """The trash: what is in it, restoring, emptying it after a backup."""

    def goes_with(self, record: AnyRecord) -> list[str]:
        """What leaves with a record when it goes to the trash ("16 guests", "4 sessions",
        "3 tasks"; "its place as partner of 2 events", "the affiliation of 3 people")."""
        if isinstance(record, Event) and record.id is not None:
            guests = len(self.store.guest_lines(record.id))
            sessions = len(self.sessions_for(record.id))
            tasks = len(self.store.tasks_for(record.id))
            parts = [_count(guests, "guest"), _count(sessions, "session"), _count(tasks, "task")]
            return [p for p in parts if not p.startswith("0 ")]
        if isinstance(record, Person) and record.id is not None:
            invited = len(self.store.events_for_person(record.id))
            contact = len(self.store.events_for_contact(record.id))
            owned = self.store.open_tasks_owned(record.id)
            places = [
                f"on {invited} guest lists or agendas" if invited else "",
                f"as staff contact of {_count(contact, 'event')}" if contact else "",
                f"as owner of {_count(owned, 'open task')}" if owned else "",
            ]
            places = [p for p in places if p]
            if not places:
                return []
            return [f"their place {joined(places)}"]
        if isinstance(record, Organisation) and record.id is not None:
            people = self.store.listing(
                Person, order_by="id", where="organisation_id = ?", params=[record.id]
            )
            partnered = len(self.store.events_for_partner(record.id))
            return [
                part
                for part in (
                    f"its place as partner of {_count(partnered, 'event')}" if partnered else "",
                    f"the affiliation of {_count(len(people), 'person')}" if people else "",
                )
                if part
            ]
        if isinstance(record, Publication) and record.id is not None:
            events = len(self.store.events_for_publication(record.id))
            publications = len(self.store.related_publications(record.id))
            related = [
                _count(n, noun)
                for n, noun in ((events, "event"), (publications, "publication"))
                if n
            ]
            return (
                [f"its place among the related items of {' and '.join(related)}"] if related else []
            )
        return []

    def trash(self, limit: int = 1000) -> list[TrashItem]:
        """What is in the trash, latest first."""
        return [
            TrashItem(
                ref=ItemRef(row["kind"], row["id"]),
                label=clean_line(row["label"] or ""),
                detail=clean_line(row["detail"] or ""),
                deleted_at=row["deleted_at"],
            )
            for row in self.store.trashed(limit)
        ]

    def restore_ref(self, ref: ItemRef) -> AnyRecord:
        """Bring one record back out of the trash; returns it."""
        record: AnyRecord = self.store.get(KINDS[ref.kind], ref.id, include_deleted=True)
        if record.deleted_at is None:
            raise InvalidInput(f"{self.named(record)} is not in the trash")
        event_id = getattr(record, "event_id", None)
        if isinstance(event_id, int) and not isinstance(record, Event):
            event = self.store.get(Event, event_id, include_deleted=True)
            if event.deleted_at is not None:
                # Restored alone, it would hang on an event nobody can see (said "Restored").
                named = self.named(record)
                title = clean_line(event.title)[:80]
                # A guest's line is named with its event already (it read the title twice).
                whose = "that event is" if title in named else f"it belongs to {title}, which is"
                raise InvalidInput(f"{named}: {whose} in the trash too: restore the event first")
        self.restore(record)
        return record

    def empty_trash(self, backup_directory: Path) -> tuple[Path, int]:
        """Write a backup, then delete the trash for good; (the backup, how many records)."""
        backup = self.backup(backup_directory)
        return backup, self.store.purge_trash()
