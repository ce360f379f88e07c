"""Importing: a file parsed by tui/domain/importers/ is written here, in one transaction,
as the planner writes anything (the importers parse to models; they never write)."""

from __future__ import annotations

import stat
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from tui.domain.errors import Cancelled, ConvenerError, InvalidInput, NeedsEvent, StorageError
from tui.domain.importers import (
    MAX_BYTES,
    SUPPORTED,
    TOLD_BY_SUFFIX,
    FileLines,
    Progress,
    likely_line,
    read_text,
    reading_apart,
    told_format,
)
from tui.domain.importers.bundle import Bundle, parse_bundle, parse_text
from tui.domain.importers.calendar_ics import PROGRESS_EVERY, IcsReader
from tui.domain.importers.event_page import parse_page
from tui.domain.importers.guests_csv import GuestRow, parse_guests_csv
from tui.domain.importers.reading_apart import ReaderApart
from tui.domain.importers.report import FILE_KINDS, ImportReport, changed_fields, differs
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
from tui.domain.planner.ics_writer import write_ics, write_todos
from tui.domain.planner.merging import save_if_changed
from tui.domain.planner.page_writer import write_page
from tui.domain.text import fold

if TYPE_CHECKING:
    from tui.domain.planner.parts import Parts
    from tui.domain.store import Store


def _reporting(
    events: Iterator[Any], lines: FileLines | ReaderApart, progress: Progress | None
) -> Iterator[Any]:
    for count, item in enumerate(events, start=1):
        yield item
        if progress is not None and count % PROGRESS_EVERY == 0:
            progress(lines.done, lines.size)


@contextmanager
def _ics_reader(
    lines: FileLines, large: bool
) -> Iterator[tuple[IcsReader | ReaderApart, FileLines | ReaderApart]]:
    """The file's events, read here or, for a large file, by a process of its own beside
    the writing (see reading_apart); and what tells how far the reading is."""
    apart: ReaderApart | None = None
    if lines.size >= reading_apart.APART_BYTES and ReaderApart.possible():
        try:
            apart = ReaderApart(lines, large=large)
        except (OSError, ValueError):  # no Python to start, no process left: read here
            apart = None
    if apart is None:
        yield IcsReader(lines, large=large), lines
        return
    with apart:
        yield apart, apart


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
        if _is_folder(path):
            return import_folder(
                planner, path, event_id=event_id, partial=partial, large=large, progress=progress
            )
        # What the content makes unmistakable (an .ics saved as .txt), else the name.
        suffix = told_format(path)
        from tui.domain.mail.replies import is_mail_source
        from tui.domain.planner.mail import import_replies

        if is_mail_source(path, suffix):
            limit = -1 if large else MAX_BYTES
            return _read_as(import_replies(planner, path, limit=limit, told=suffix), suffix)
        if suffix == ".ics":
            lines = FileLines(path, large=large)
            opened = True
            report = ImportReport(name)
            with (
                _ics_reader(lines, large) as (reader, meter),
                planner.store.roomy(),
                planner.store.transaction(f"Import {path.name}"),
            ):
                write_ics(planner, _reporting(iter(reader), meter, progress), report)
                write_todos(planner, reader.todos, report)
            return _read_as(report, suffix)
        text = read_text(path, large=large)
        opened = True
        if suffix == ".txt":
            page = parse_page(text, partial=partial, today=planner.today())
            report = ImportReport(name)
            report.skipped.extend(page.skipped)
            with planner.store.transaction(f"Import {path.name}"):
                write_page(planner, page, report)
            return _read_as(report, suffix)
        if suffix in (".toml", ".json"):
            bundle = parse_bundle(parse_text(text, suffix), today=planner.today())
            report = ImportReport(name)
            with planner.store.roomy(), planner.store.transaction(f"Import {path.name}"):
                write_bundle(planner, bundle, report)
            return _read_as(report, suffix)
        if suffix == ".csv":
            rows, ignored = parse_guests_csv(text)  # an empty file is said as such first
            if event_id is None:
                raise NeedsEvent("a guest list needs the event it belongs to")
            event = planner.event(event_id)
            report = ImportReport(name)
            report.skipped.extend(ignored)
            with (
                planner.store.roomy(),
                planner.store.transaction(f"Import guests for {event.title} from {path.name}"),
            ):
                write_guests(planner, event_id, rows, report)
            return _read_as(report, suffix)
        raise InvalidInput(f"cannot import {path.suffix.lower()} files (expected {SUPPORTED})")
    except StorageError:
        raise
    except Cancelled as error:
        raise error.located(name) from None
    except ConvenerError as error:
        # Every refusal names a line: where the problem is, or 1 for the file as a whole.
        line = likely_line(text, error.message) if opened else None
        raise error.located(name, line) from None


def _read_as(report: ImportReport, suffix: str) -> ImportReport:
    """`report` of one file, counted as one file of its kind (a page, a calendar)."""
    report.files = {FILE_KINDS.get(suffix, "file"): 1}
    return report


FOLDER_FORMATS = (".txt", ".ics", ".toml", ".json", ".csv", ".mbox")
"""What a folder's files are imported as, each on its own (told_format's names); its
.eml files and reply .ics files are read together as its mail."""

FOLDER_KINDS = (
    "pages .txt/.md, calendars .ics, guest lists .csv, Convener files .toml/.json, mail .eml/.mbox"
)


def told_by_suffix(path: Path) -> bool:
    """Whether a file's name says a kind a folder's import reads (.txt, .ics, .eml, …)."""
    told = TOLD_BY_SUFFIX.get(path.suffix.lower()) if path.suffix else None
    return told is not None and (told in FOLDER_FORMATS or told == ".eml")


def _is_folder(path: Path) -> bool:
    try:
        return stat.S_ISDIR(path.stat().st_mode)
    except OSError:  # not there, or not to be looked at: the file's import says which
        return False


def import_folder(
    planner: Parts,
    path: Path,
    *,
    event_id: int | None = None,
    partial: bool = False,
    large: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Import what a folder holds: a Maildir as mail; else each page, calendar, guest
    list, Convener file and mailbox on its own (all or nothing per file), then its mails
    and reply calendars together (one undo step, in the order they were sent). A file
    refused is said, and the others are imported; a text that is no page at all (a
    README) and files of other kinds are passed over, said in one line."""
    from tui.domain.importers.event_page import NotAPage
    from tui.domain.mail.replies import cannot_read, is_maildir, is_reply_calendar
    from tui.domain.planner.mail import import_replies

    limit = -1 if large else MAX_BYTES
    if is_maildir(path):
        report = import_replies(planner, path, limit=limit)
        report.files = {"mail folder": 1}
        return report
    try:
        entries = sorted(entry for entry in path.iterdir() if not entry.name.startswith("."))
    except OSError as error:
        raise InvalidInput(cannot_read(error)) from None
    report = ImportReport(str(path), folder=True)
    files: list[Path] = []
    mail: list[Path] = []
    passed: list[str] = []
    for entry in entries:
        try:
            if entry.is_dir():
                passed.append(entry.name + "/")
                continue
            if not entry.is_file():
                why = "a link to nothing" if entry.is_symlink() and not entry.exists() else None
                why = why or "not a plain file (a device, a pipe or a socket)"
                if told_by_suffix(entry):
                    report.skipped.append(f"{entry.name}: {why}; passed over")
                else:
                    passed.append(entry.name)
                continue
        except OSError as error:  # not to be looked at (no permission on a link's target)
            report.skipped.append(f"{entry.name}: {cannot_read(error)}; passed over")
            continue
        told = told_format(entry)
        if not entry.suffix and told == ".txt":
            # Named without a kind and not told by its content (LICENSE, a photo's copy):
            # by itself it would be read as a page; in a folder, it is passed over.
            passed.append(entry.name)
        elif told == ".eml" or (told == ".ics" and is_reply_calendar(entry)):
            mail.append(entry)
        elif told in FOLDER_FORMATS:
            files.append(entry)
        else:
            passed.append(entry.name)
    if not files and not mail:
        raise InvalidInput(f"holds nothing to import (no {FOLDER_KINDS})")
    for entry in files:
        try:
            part = import_path(
                planner, entry, event_id=event_id, partial=partial, large=large, progress=progress
            )
        except (StorageError, Cancelled):
            raise
        except NotAPage:
            report.skipped.append(f"{entry.name}: not an event or publication page; passed over")
            continue
        except ConvenerError as error:
            where = entry.name + (f":{error.line}" if error.line is not None else "")
            report.skipped.append(f"{where}: {error.message}; refused, nothing of it written")
            report.refused.append(where)
            continue
        report.absorb(part, entry.name)
    if mail:
        # Each line of the mail's report names its file already.
        replies = import_replies(planner, path, limit=limit, files=mail)
        replies.files = {"mail": len(mail)}
        report.absorb(replies, "")
    if passed:
        count = len(passed)
        shown = ", ".join(passed[:5]) + (", …" if count > 5 else "")
        what = "file" if count == 1 else "files"
        report.skipped.append(f"{count} {what} of other kinds ({shown}); passed over")
    return report


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
    for owners in bundle.task_owners.values():
        for owner in owners:
            if owner is not None:
                known(Person, owner, "tasks")


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
                session = planner.save(_own_uid(planner, session))
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
                planner.save(_own_uid(planner, invitation))
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
        owners = bundle.task_owners.get(event_uid, [])
        for index, task in enumerate(tasks):
            owner = owners[index] if index < len(owners) else None
            owner_id = resolve(Person, owner, "tasks") if owner else None
            task = replace(task, event_id=event_id, owner_id=owner_id)
            same = next(
                (
                    t
                    for t in existing_tasks
                    if (task.uid and t.uid == task.uid) or (not task.uid and t.title == task.title)
                ),
                None,
            )
            if same is None:
                planner.save_task(_own_uid(planner, task))
                report.note("added", "task", task.title)
                continue
            task = replace(
                task,
                id=same.id,
                uid=same.uid,
                created_at=same.created_at,
                position=same.position,
                owner_id=owner_id if owner else same.owner_id,
            )
            if differs(same, task):
                planner.save_task(task)
                report.note("updated", "task", task.title)
            else:
                report.unchanged += 1


Part = TypeVar("Part", Session, Invitation, Task)


def _own_uid(planner: Parts, record: Part) -> Part:
    """A session, guest or task new to its event, with a UID of its own when the file's
    is another event's (a file copied from last year's event as a template): the copy is
    added beside the original, which keeps its UID."""
    if record.uid and planner.store.by_uid(type(record), record.uid) is not None:
        return replace(record, uid=None)
    return record


def _other_address(store: Store, person_id: int, email: str) -> bool:
    """True when the person has an e-mail address and it is not `email` (lower case)."""
    rows = store._rows("select email from people where id = ?", [person_id])
    stored = rows[0]["email"] if rows else None
    return bool(stored) and str(stored).strip().lower() != email


def _say_namesake(report: ImportReport, row: GuestRow) -> None:
    line = f"{row.name} <{row.email}>: a new person (someone of that name is here, another e-mail)"
    if line not in report.namesakes:
        report.namesakes.append(line)


def _matching_session(existing: list[Session], new: Session) -> Session | None:
    for session in existing:
        if new.uid and session.uid == new.uid:
            return session
    for session in existing:
        if session.date == new.date and session.title == new.title:
            return session
    return None


def write_guests(planner: Parts, event_id: int, rows: list[GuestRow], report: ImportReport) -> None:
    """Put each row on the event's guest list: people by email, then by name, else new.

    Matching reads the file's people and the guest list once, not a query per row; new
    people and new guest lines are each written in one statement (a 100,000-row list in
    seconds), every row still checked and a refusal still naming its line.
    """
    store = planner.store
    emails = store.people_by_email()
    keys = [fold(row.name) for row in rows]
    names = store.people_by_keys(keys)
    organisations: dict[str, int | None] = {}
    # People the file adds, written together before the guest lines that need their ids.
    new_people: list[Person] = []
    new_lines: list[int | None] = []
    pending_email: dict[str, int] = {}
    pending_name: dict[str, int] = {}
    chosen: list[tuple[int, int]] = []
    """Per row: (0, person id) for a person already there, (1, index in new_people)."""
    for row, key in zip(rows, keys, strict=True):
        try:
            email = row.email.lower() if row.email else None
            if email and email in pending_email:
                chosen.append((1, pending_email[email]))
                continue
            known = emails.get(email) if email else None
            if known is None:
                known = names.get(key)
                if known is not None and email and _other_address(store, known, email):
                    known = None  # a namesake: someone else, whose address is the row's
                    _say_namesake(report, row)
            if known is None and key in pending_name and email:
                # Someone this file adds, named again with another address: another person.
                named = new_people[pending_name[key]].email
                if named and named.lower() != email:
                    _say_namesake(report, row)
                    key = f"{key}\x00{email}"  # not found by name again
            if known is None and key in pending_name:
                # Someone this file adds, named again: what this row knows fills the gaps.
                index = pending_name[key]
                person = new_people[index]
                if not person.email and row.email:
                    person = replace(person, email=row.email)
                    pending_email.setdefault(row.email.lower(), index)
                if person.organisation_id is None:
                    organisation_id = _organisation_cached(
                        planner, row.organisation, report, organisations
                    )
                    person = replace(person, organisation_id=organisation_id)
                new_people[index] = person
                chosen.append((1, index))
                continue
            if known is not None:
                person = _filled(planner, store.get(Person, known), row, report, organisations)
                assert person.id is not None
                if person.email:
                    emails.setdefault(person.email.lower(), person.id)
                chosen.append((0, person.id))
                continue
            organisation_id = _organisation_cached(planner, row.organisation, report, organisations)
            report.note("added", "person", row.name)
            index = len(new_people)
            new_people.append(
                Person(name=row.name, email=row.email, organisation_id=organisation_id)
            )
            new_lines.append(row.line)
            pending_name.setdefault(key, index)
            if email:
                pending_email.setdefault(email, index)
            chosen.append((1, index))
        except ConvenerError as error:
            raise InvalidInput(error.message, line=row.line, value=error.value) from None
    added = planner.add_many(new_people, new_lines)
    guest_list = store.guest_list_by_person(event_id)
    new_guests: dict[int, Invitation] = {}
    guest_lines: dict[int, int | None] = {}
    for row, (is_new, value) in zip(rows, chosen, strict=True):
        person_id = added[value] if is_new else value
        assert person_id is not None
        try:
            if person_id in new_guests:  # the same guest twice in the file: the last wins
                merged = replace(new_guests[person_id], **row.fields)
                if differs(new_guests[person_id], merged):
                    report.note("updated", "guest", row.name)
                    changed = changed_fields(new_guests[person_id], merged)
                    report.changes.append(f"{row.name}: {', '.join(changed)}")
                else:
                    report.unchanged += 1
                new_guests[person_id] = merged
                guest_lines[person_id] = row.line
                continue
            existing = guest_list.get(person_id)
            if existing is None:
                new_guests[person_id] = Invitation(
                    event_id=event_id, person_id=person_id, **row.fields
                )
                guest_lines[person_id] = row.line
                report.note("added", "guest", row.name)
                continue
            if existing.deleted_at is not None:
                assert existing.id is not None
                store.set_deleted(Invitation, existing.id, False)
            merged = replace(existing, deleted_at=None, **row.fields)
            guest_list[person_id] = save_if_changed(
                planner, existing, merged, report, "guest", row.name
            )
        except ConvenerError as error:
            raise InvalidInput(error.message, line=row.line, value=error.value) from None
    planner.add_many(list(new_guests.values()), list(guest_lines.values()))


def _filled(
    planner: Parts,
    found: Person,
    row: GuestRow,
    report: ImportReport,
    organisations: dict[str, int | None],
) -> Person:
    """Fill in what the file knows and the record lacks; never overwrite what is there."""
    filled = replace(found, email=found.email or row.email)
    if found.organisation_id is None:
        organisation_id = _organisation_cached(planner, row.organisation, report, organisations)
        filled = replace(filled, organisation_id=organisation_id)
    if filled == found:
        return found
    return planner.save(filled)


def _organisation_cached(
    planner: Parts, name: str | None, report: ImportReport, known: dict[str, int | None]
) -> int | None:
    """`_organisation_id`, asked once per name in a file."""
    if not name:
        return None
    if name not in known:
        known[name] = _organisation_id(planner, name, report)
    return known[name]


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
