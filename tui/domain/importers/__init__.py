"""Importing files: tell the format, parse (pure), then write one file in one transaction."""

from __future__ import annotations

import re
import stat
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui.domain.errors import Cancelled, ConvenerError, InvalidInput, StorageError
from tui.domain.importers.bundle import Bundle, parse_bundle, parse_text
from tui.domain.importers.calendar_ics import PROGRESS_EVERY, IcsReader
from tui.domain.importers.event_page import parse_page
from tui.domain.importers.guests_csv import parse_guests_csv, write_guests
from tui.domain.importers.ics_writer import write_ics, write_todos
from tui.domain.importers.page_writer import write_page
from tui.domain.importers.report import ImportReport, differs, save_if_changed
from tui.domain.models import Event, Organisation, Person, Publication, Session, Speaker

if TYPE_CHECKING:
    from tui.domain.planner import Planner

MAX_BYTES = 10 * 1024 * 1024
"""Files above this size are refused: no page, list or document of ours is that big."""

SUPPORTED = (
    ".txt (event or publication page), .ics, .toml, .json, .csv (guest list),"
    " .eml, .mbox or a Maildir folder (replies)"
)


def _checked_size(path: Path, large: bool) -> int:
    """The size of a regular file that may be read; InvalidInput for anything else."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise InvalidInput("no such file") from None
    except PermissionError:
        raise InvalidInput("cannot be read (permission denied)") from None
    except OSError as error:  # a symlink loop, a name too long, an unreadable disk
        raise InvalidInput(f"cannot be read ({error.strerror or error})") from None
    if stat.S_ISDIR(info.st_mode):
        raise InvalidInput("is a folder, not a file")
    if not stat.S_ISREG(info.st_mode):
        # /dev/zero never ends and a FIFO waits for a writer: only plain files are read.
        raise InvalidInput("is not a plain file (a device, a pipe or a socket)")
    size = info.st_size
    if size > MAX_BYTES and not large:
        raise InvalidInput(f"is {size // (1024 * 1024)} MB; files over 10 MB need --large")
    return size


def _read(path: Path, amount: int = -1) -> bytes:
    try:
        with path.open("rb") as file:
            return file.read(amount)
    except FileNotFoundError:
        raise InvalidInput("no such file") from None
    except IsADirectoryError:
        raise InvalidInput("is a folder, not a file") from None
    except PermissionError:
        raise InvalidInput("cannot be read (permission denied)") from None
    except OSError as error:
        raise InvalidInput(f"cannot be read ({error.strerror or error})") from None


def _refuse_binary(head: bytes) -> None:
    """InvalidInput naming the line of the first NUL byte, which no text file has."""
    nul = head.find(b"\x00")
    if nul >= 0:
        raise InvalidInput("is a binary file, not text", line=head[:nul].count(b"\n") + 1)


def _likely_line(text: str | None, message: str) -> int:
    """The line an error without one most likely points at: where the value it quotes is,
    else where the record it names ("events[2]") begins, else the first line."""
    if not text:
        return 1
    for quoted in re.findall(r"'([^'\n]{1,200})'", message):
        found = text.find(quoted)
        if found >= 0:
            return text.count("\n", 0, found) + 1
    record = re.match(r"(\w+)\[(\d+)\](?:: (\w+))?", message)
    if record:
        section, index, key = record.group(1), int(record.group(2)), record.group(3)
        headers = [m.start() for m in re.finditer(rf"^[ \t]*\[\[{section}\]\]", text, re.M)]
        if index < len(headers):
            start = headers[index]
            field = re.compile(rf"^[ \t]*{key}[ \t]*=", re.M) if key else None
            found_key = field.search(text, start) if field else None
            following = headers[index + 1] if index + 1 < len(headers) else len(text)
            if found_key is not None and found_key.start() < following:
                start = found_key.start()
            return text.count("\n", 0, start) + 1
        key = text.find(f'"{section}"')
        if key >= 0:
            return text.count("\n", 0, key) + 1
    version = re.search(r"^\s*\"?convener\"?\s*[=:]", text, re.M)
    if "version" in message and version:
        return text.count("\n", 0, version.start()) + 1
    return 1


def read_text(path: Path, *, large: bool = False) -> str:
    """A file's text as UTF-8 (a BOM is fine); InvalidInput for binary or oversized files."""
    _checked_size(path, large)
    # What is read counts, not what stat said: a file that grows is cut off at the limit.
    data = _read(path, -1 if large else MAX_BYTES + 1)
    if len(data) > MAX_BYTES and not large:
        raise InvalidInput("is over 10 MB; files over 10 MB need --large")
    _refuse_binary(data[:8192])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise InvalidInput("is not UTF-8 text", line=line) from None


class FileLines:
    """A UTF-8 text file's lines, read as they are needed (a large file is never whole in
    memory); `done` is how many bytes were read so far, out of `size`."""

    def __init__(self, path: Path, *, large: bool = False) -> None:
        self.path = path
        self.large = large
        self.size = _checked_size(path, large)
        _refuse_binary(_read(path, 8192))
        self.done = 0

    def __iter__(self) -> Iterator[str]:
        try:
            file = self.path.open("rb")
        except OSError:
            raise InvalidInput("cannot be read") from None
        with file:
            pending: tuple[int, bytes] | None = None  # a line cut inside a character
            for number, raw in enumerate(file, start=1):
                self.done += len(raw)
                if self.done > MAX_BYTES and not self.large:
                    raise InvalidInput("is over 10 MB; files over 10 MB need --large", line=number)
                if pending is not None:
                    if raw[:1] not in (b" ", b"\t"):
                        raise InvalidInput("is not UTF-8 text", line=pending[0])
                    # RFC 5545 folds at 75 octets, which can split a character: a reader
                    # joins the folded line before it decodes it.
                    first, head = pending
                    raw, pending = head.rstrip(b"\r\n") + raw[1:], None
                    number = first
                try:
                    yield raw.decode("utf-8-sig" if number == 1 else "utf-8")
                except UnicodeDecodeError as error:
                    if error.reason == "unexpected end of data" or error.end >= len(
                        raw.rstrip(b"\r\n")
                    ):
                        pending = (number, raw)
                        continue
                    raise InvalidInput("is not UTF-8 text", line=number) from None
            if pending is not None:
                raise InvalidInput("is not UTF-8 text", line=pending[0])


Progress = Callable[[int, int], None]
"""Called now and then during an import with (bytes read, bytes in the file); it may raise
Cancelled to stop, and then nothing of that file is written."""


def _reporting(events: Iterator[Any], lines: FileLines, progress: Progress | None) -> Iterator[Any]:
    for count, item in enumerate(events, start=1):
        yield item
        if progress is not None and count % PROGRESS_EVERY == 0:
            progress(lines.done, lines.size)


def import_path(
    planner: Planner,
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
        from tui.domain.mail.replies import import_replies, is_mail_source

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
        line = _likely_line(text, error.message) if opened else None
        raise error.located(name, line) from None


def _upsert(planner: Planner, record: Any, report: ImportReport, kind: str, label: str) -> Any:
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


def check_references(planner: Planner, bundle: Bundle) -> None:
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


def write_bundle(planner: Planner, bundle: Bundle, report: ImportReport) -> None:
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
