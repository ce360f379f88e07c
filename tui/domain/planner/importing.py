"""Importing: a file parsed by tui/domain/importers/ is written here, in one transaction,
as the planner writes anything (the importers parse to models; they never write)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui.domain.errors import Cancelled, ConvenerError, InvalidInput, StorageError
from tui.domain.importers import (
    MAX_BYTES,
    SUPPORTED,
    FileLines,
    Progress,
    likely_line,
    read_text,
)
from tui.domain.importers.bundle import Bundle, parse_bundle, parse_text
from tui.domain.importers.calendar_ics import PROGRESS_EVERY, IcsReader
from tui.domain.importers.event_page import parse_page
from tui.domain.importers.guests_csv import GuestRow, parse_guests_csv
from tui.domain.importers.report import ImportReport, differs
from tui.domain.models import (
    Event,
    Invitation,
    Organisation,
    Person,
    Publication,
    Session,
    Speaker,
)
from tui.domain.planner.ics_writer import write_ics, write_todos
from tui.domain.planner.merging import save_if_changed
from tui.domain.planner.page_writer import write_page

if TYPE_CHECKING:
    from tui.domain.planner.parts import Parts


def _reporting(events: Iterator[Any], lines: FileLines, progress: Progress | None) -> Iterator[Any]:
    for count, item in enumerate(events, start=1):
        yield item
        if progress is not None and count % PROGRESS_EVERY == 0:
            progress(lines.done, lines.size)


def import_path(
    planner: Parts,
    path: Path,
    *,
    event_id: int | None = None,
    partial: bool = False,
    large: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Import one file; all or nothing. Errors name the file (and line when known)."""
    name = str(path)
    text: str | None = None
    opened = False  # a file that cannot be opened has no line to name
    try:
        suffix = path.suffix.lower()
        from tui.domain.mail.replies import is_mail_source
        from tui.domain.planner.mail import import_replies

        if is_mail_source(path):
            return import_replies(planner, path, limit=-1 if large else MAX_BYTES)
        if suffix in (".ics", ".ical", ".ifb", ".icalendar"):
            lines = FileLines(path, large=large)
            opened = True
            report = ImportReport(name)
            with planner.store.transaction(f"Import {path.name}"):
                reader = IcsReader(lines, large=large)
                write_ics(planner, _reporting(iter(reader), lines, progress), report)
                write_todos(planner, reader.todos, report)
            return report
        text = read_text(path, large=large)
        opened = True
        if suffix in (".txt", ".text", ".md", ""):
            page = parse_page(text, partial=partial, today=planner.today())
            report = ImportReport(name)
            report.skipped.extend(page.skipped)
            with planner.store.transaction(f"Import {path.name}"):
                write_page(planner, page, report)
            return report
        if suffix in (".toml", ".json"):
            bundle = parse_bundle(parse_text(text, suffix), today=planner.today())
            report = ImportReport(name)
            with planner.store.transaction(f"Import {path.name}"):
                write_bundle(planner, bundle, report)
            return report
        if suffix == ".csv":
            if event_id is None:
                raise InvalidInput("a guest list needs the event it belongs to: add --event ID")
            event = planner.event(event_id)
            rows, ignored = parse_guests_csv(text)
            report = ImportReport(name)
            report.skipped.extend(ignored)
            with planner.store.transaction(f"Import guests for {event.title} from {path.name}"):
                write_guests(planner, event_id, rows, report)
            return report
        raise InvalidInput(f"cannot import {suffix} files (expected {SUPPORTED})")
    except StorageError:
        raise
    except Cancelled as error:
        raise error.located(name) from None
    except ConvenerError as error:
        # Every refusal names a line: where the problem is, or 1 for the file as a whole.
        line = likely_line(text, error.message) if opened else None
        raise error.located(name, line) from None


def _upsert(planner: Parts, record: Any, report: ImportReport, kind: str, label: str) -> Any:
    existing = planner.store.by_uid(type(record), record.uid) if record.uid else None
    if existing is None:
        saved = planner.save(record)
        report.note("added", kind, label)
        return saved
    # Sample data stays marked as such when a document without the mark brings it back.
    merged = replace(
        record,
        id=existing.id,
        created_at=existing.created_at,
        is_sample=existing.is_sample or record.is_sample,
    )
    return save_if_changed(planner, existing, merged, report, kind, label)


def check_references(planner: Parts, bundle: Bundle) -> None:
    """Every uid a link, speaker or guest names is in the bundle or the database: checked
    before anything is written, so a bad reference costs no write at all."""
    kinds: dict[type[Any], set[str]] = {
        Organisation: {o.uid for o in bundle.organisations if o.uid},
        Person: {p.uid for p, _ in bundle.people if p.uid},
        Publication: {p.uid for p in bundle.publications if p.uid},
        Event: {e.uid for e in bundle.events if e.uid},
    }

    def known(cls: type[Any], uid: str, where: str) -> None:
        if uid not in kinds[cls] and planner.store.by_uid(cls, uid) is None:
            raise InvalidInput(f"{where}: no {cls.__name__.lower()} with uid {uid!r}")
        kinds[cls].add(uid)

    for person, organisation_uid in bundle.people:
        if organisation_uid:
            known(Organisation, organisation_uid, person.name)
    for name, left_uid, right_uid in bundle.links:
        left_cls, right_cls = LINK_KINDS[name]
        known(left_cls, left_uid, name)
        known(right_cls, right_uid, f"{name} of {left_uid}")
    for specs in bundle.sessions.values():
        for spec in specs:
            for uid, _ in spec.speakers:
                known(Person, uid, spec.session.title)
    for guests in bundle.invitations.values():
        for guest in guests:
            known(Person, guest.person_uid, "invitations")


LINK_KINDS: dict[str, tuple[type[Any], type[Any]]] = {
    "contact": (Event, Person),
    "partner": (Event, Organisation),
    "related_event": (Event, Event),
    "event_publication": (Event, Publication),
    "related_publication": (Publication, Publication),
}


def write_bundle(planner: Parts, bundle: Bundle, report: ImportReport) -> None:
    """Write a parsed bundle: records by uid (added or updated), then links, sessions, guests."""
    check_references(planner, bundle)
    ids: dict[str, int] = {}

    def resolve(cls: type[Any], uid: str, where: str) -> int:
        if uid in ids:
            return ids[uid]
        found = planner.store.by_uid(cls, uid)
        if found is None or found.id is None:
            raise InvalidInput(f"{where}: no {cls.__name__.lower()} with uid {uid!r}")
        return int(found.id)

    for organisation in bundle.organisations:
        saved = _upsert(planner, organisation, report, "organisation", organisation.name)
        ids[saved.uid] = saved.id
    for person, organisation_uid in bundle.people:
        if organisation_uid:
            person = replace(
                person, organisation_id=resolve(Organisation, organisation_uid, person.name)
            )
        saved = _upsert(planner, person, report, "person", person.name)
        ids[saved.uid] = saved.id
    for publication in bundle.publications:
        saved = _upsert(planner, publication, report, "publication", publication.title)
        ids[saved.uid] = saved.id
    for event in bundle.events:
        saved = _upsert(planner, event, report, "event", event.title)
        ids[saved.uid] = saved.id

    kinds = LINK_KINDS
    positions: dict[tuple[str, str], int] = {}
    for name, left_uid, right_uid in bundle.links:
        left_cls, right_cls = kinds[name]
        left = resolve(left_cls, left_uid, name)
        right = resolve(right_cls, right_uid, f"{name} of {left_uid}")
        position = positions.get((name, left_uid), 0)
        positions[(name, left_uid)] = position + 1
        ordered = name in ("contact", "partner")
        if planner.link(name, left, right, position if ordered else None):
            report.linked += 1

    for event_uid, specs in bundle.sessions.items():
        event_id = ids[event_uid]
        existing_sessions = planner.store.sessions_for(event_id)
        for spec in specs:
            session = replace(spec.session, event_id=event_id)
            match = _matching_session(existing_sessions, session)
            if match is not None:
                # The agenda keeps its own order on the day (a deleted session leaves a gap
                # in the positions; new ones take their place by start time): a document
                # changes what a session says, not where it stands.
                session = replace(
                    session,
                    id=match.id,
                    uid=match.uid,
                    created_at=match.created_at,
                    position=match.position,
                )
                if differs(match, session):
                    session = planner.save(session)
                    report.note("updated", "session", session.title)
                else:
                    report.unchanged += 1
            else:
                session = planner.save(session)
                report.note("added", "session", session.title)
            assert session.id is not None
            speakers = [
                Speaker(person_id=resolve(Person, uid, session.title), name="", role=role)
                for uid, role in spec.speakers
            ]
            current = [(s.person_id, s.role) for s in planner.store.speakers_for(session.id)]
            if current != [(s.person_id, s.role) for s in speakers]:
                planner.set_speakers(session.id, speakers)

    for event_uid, guests in bundle.invitations.items():
        event_id = ids[event_uid]
        existing_guests = {g.person_id: g for g in planner.store.invitations_for(event_id)}
        for guest in guests:
            person_id = resolve(Person, guest.person_uid, "invitations")
            invitation = replace(guest.invitation, event_id=event_id, person_id=person_id)
            label = f"{guest.person_uid} at {event_uid}"
            old = existing_guests.get(person_id)
            if old is None:
                planner.save(invitation)
                report.note("added", "invitation", label)
                continue
            invitation = replace(invitation, id=old.id, uid=old.uid, created_at=old.created_at)
            if differs(old, invitation):
                planner.save(invitation)
                report.note("updated", "invitation", label)
            else:
                report.unchanged += 1

    for event_uid, tasks in bundle.tasks.items():
        event_id = ids[event_uid]
        existing_tasks = planner.store.tasks_for(event_id)
        for task in tasks:
            task = replace(task, event_id=event_id)
            same = next(
                (
                    t
                    for t in existing_tasks
                    if (task.uid and t.uid == task.uid) or (not task.uid and t.title == task.title)
                ),
                None,
            )
            if same is None:
                planner.save_task(task)
                report.note("added", "task", task.title)
                continue
            task = replace(
                task,
                id=same.id,
                uid=same.uid,
                created_at=same.created_at,
                position=same.position,
                owner_id=same.owner_id,
            )
            if differs(same, task):
                planner.save_task(task)
                report.note("updated", "task", task.title)
            else:
                report.unchanged += 1


def _matching_session(existing: list[Session], new: Session) -> Session | None:
    for session in existing:
        if new.uid and session.uid == new.uid:
            return session
    for session in existing:
        if session.date == new.date and session.title == new.title:
            return session
    return None


def write_guests(
    planner: Parts, event_id: int, rows: list[GuestRow], report: ImportReport
) -> None:
    """Put each row on the event's guest list: people by email, then by name, else new."""
    store = planner.store
    emails = store.people_by_email()
    for row in rows:
        try:
            person = _person_for(planner, row, report, emails)
            assert person.id is not None
            existing = store.invitation_for(event_id, person.id, include_deleted=True)
            if existing is None:
                planner.save(Invitation(event_id=event_id, person_id=person.id, **row.fields))
                report.note("added", "guest", row.name)
                continue
            if existing.deleted_at is not None:
                assert existing.id is not None
                store.set_deleted(Invitation, existing.id, False)
            merged = replace(existing, deleted_at=None, **row.fields)
            save_if_changed(planner, existing, merged, report, "guest", row.name)
        except ConvenerError as error:
            raise InvalidInput(error.message, line=row.line, value=error.value) from None


def _person_for(
    planner: Parts, row: GuestRow, report: ImportReport, emails: dict[str, int]
) -> Person:
    """The person a row names: by e-mail (the file's map, kept up to date), then by name,
    else a new one."""
    store = planner.store
    found: Person | None = None
    if row.email and row.email.lower() in emails:
        found = store.get(Person, emails[row.email.lower()])
    if found is None:
        named = store.by_key(Person, row.name)
        found = named[0] if named else None
    if found is None:
        organisation_id = _organisation_id(planner, row.organisation, report)
        report.note("added", "person", row.name)
        added = planner.save(
            Person(name=row.name, email=row.email, organisation_id=organisation_id)
        )
        if added.email and added.id is not None:
            emails.setdefault(added.email.lower(), added.id)
        return added
    # Fill in what the file knows and the record lacks; never overwrite what is there.
    filled = replace(found, email=found.email or row.email)
    if found.organisation_id is None:
        organisation_id = _organisation_id(planner, row.organisation, report)
        filled = replace(filled, organisation_id=organisation_id)
    if filled == found:
        return found
    saved = planner.save(filled)
    if saved.email and saved.id is not None:
        emails.setdefault(saved.email.lower(), saved.id)
    return saved


def _organisation_id(planner: Parts, name: str | None, report: ImportReport) -> int | None:
    if not name:
        return None
    matches = planner.store.by_key(Organisation, name)
    if not matches:
        matches = planner.store.listing(
            Organisation, order_by="id", limit=1, where="short_name = ?", params=[name]
        )
    if matches:
        return matches[0].id
    report.note("added", "organisation", name)
    return planner.save(Organisation(name=name)).id
