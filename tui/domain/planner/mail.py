"""Mail, the planner's part: queueing an event's messages into the outbox, marking the
guests of sent invitations, applying replies. tui/domain/mail/ composes, reads and sends."""

from __future__ import annotations

import glob
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.utils import parsedate_to_datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from tui.domain.dates import format_moment, format_span
from tui.domain.errors import ConvenerError, InvalidInput
from tui.domain.importers.report import ImportReport
from tui.domain.mail.compose import KINDS, MAIL_POLICY, Organizer, compose, template_for
from tui.domain.mail.outbox import (
    DATABASE,
    RECIPIENTS,
    WITHDRAWN,
    QueueReport,
    clear_pending,
    message_key,
    of_database,
    pending,
    read_headers,
    sent_keys,
    slug,
    waiting_keys,
    write_private_bytes,
)
from tui.domain.mail.replies import (
    STATUSES,
    Reply,
    mail_files_messages,
    maildir_messages,
    mbox_messages,
    message_subject,
    parse_mail,
    read_bytes_within,
    replies_in_calendar,
    replies_in_message,
    reply_day,
)
from tui.domain.mail.send import Handover, SendReport
from tui.domain.mail.spool import CLAIMED, SENDING, on_its_way, queued
from tui.domain.models import INVITATION_STATUSES, Event, Invitation, Person
from tui.domain.store import private_folder
from tui.domain.text import clean_line

if TYPE_CHECKING:
    from tui.domain.planner.parts import Parts


def check_statuses(statuses: Sequence[str]) -> None:
    """InvalidInput naming the first of `statuses` that is not a guest status (checked
    before the config, as the officer's own typing: see mail_cli)."""
    for status in statuses:
        if status not in INVITATION_STATUSES:
            raise InvalidInput(
                f"--status: {status!r} is not a guest status"
                f" (one of {', '.join(INVITATION_STATUSES)})",
                value=status,
            )


def queue_messages(
    planner: Parts,
    event_id: int,
    kind: str,
    folder: Path,
    organizer: Organizer,
    *,
    statuses: Sequence[str] | None = None,
    templates: Path | None = None,
    only: Iterable[int] | None = None,
) -> QueueReport:
    """Write one message per guest in `statuses` (or the invitation ids in `only`)."""
    if kind not in KINDS:
        raise InvalidInput(f"cannot compose a {kind!r} message")
    check_statuses(statuses or ())
    event = planner.event(event_id)
    assert event.id is not None
    wanted = set(statuses or RECIPIENTS[kind])
    chosen = set(only) if only is not None else None
    report = QueueReport(folder, kind=kind)
    if only is None:
        report.statuses = tuple(s for s in INVITATION_STATUSES if s in wanted)
    database = planner.store.database_uid()
    waiting = waiting_keys(folder, database)
    recipients = []
    addressed: dict[str, str] = {}  # address -> the guest whose message goes there
    for invitation, person in planner.guests_with_people(event.id):
        if chosen is not None:
            if invitation.id not in chosen:
                continue
        elif invitation.status not in wanted:
            continue
        if not person.email:
            report.without_email.append(person.name)
            continue
        address = person.email.strip().lower()
        if address in addressed:
            report.same_address.append((person.name, addressed[address]))
            continue
        addressed[address] = person.name
        found = waiting.get((kind, event.uid or "", invitation.uid or ""))
        if found is not None and kind == "invitation":
            report.already_queued.append((person.name, found))
            continue
        recipients.append((invitation, person))
    template = template_for(kind, event.kind, templates)
    sessions = planner.sessions_for(event.id)
    changed = changed_occurrences(planner, event) if kind != "cancel" else []
    today = planner.today()

    def message_for(
        line: Invitation, guest: Person, sequence: int, stamp: datetime
    ) -> EmailMessage:
        message = compose(
            kind, event, sessions, line, guest, organizer, sequence, template, stamp, today, changed
        )
        message[DATABASE] = database  # sent (and marked) by this database only
        return message

    if kind != "invitation":
        # Run again with nothing changed, an update (or cancellation) waiting for a guest
        # says what a new one would: it stays, and no second one goes with a higher SEQUENCE.
        # With none waiting, the last one sent to the guest is what they hold: saying the
        # same, nothing new goes (`mail update` after `mail send` queued a second round).
        sent = sent_keys(folder, database)
        fresh = []
        for invitation, person in recipients:
            key = (kind, event.uid or "", invitation.uid or "")
            found = waiting.get(key)
            make = partial(message_for, invitation, person)
            if found is not None:
                if _says_the_same(found, make):
                    report.already_queued.append((person.name, found))
                    continue
            elif (went := sent.get(key)) is not None and _says_the_same(went, make):
                report.already_sent.append((person.name, went))
                continue
            fresh.append((invitation, person))
        recipients = fresh
    # A cancellation withdraws what still waits to go for the event: an invitation queued
    # for a guest not yet invited went out after the cancellation (`mail send`). The whole
    # event's (for every guest) unless it was asked for some guests only (--status, marks).
    whole = statuses is None and only is None
    cancelled = {line.uid for line, _ in recipients}
    withdrawn = (
        sorted(
            path
            for (old_kind, event_uid, guest_uid), path in waiting.items()
            if old_kind in ("invitation", "update")
            and event_uid == event.uid
            and (whole or guest_uid in cancelled)
            and not on_its_way(path)
        )
        if kind == "cancel"
        else []
    )
    if not recipients:
        report.sequence = planner.store.mail_sequence(event.id)
        (_set_aside if whole else _remove)(withdrawn, report.withdrawn, folder)
        return report
    # An update or a cancellation replaces what guests hold: it needs a higher SEQUENCE.
    if kind == "invitation":
        sequence = planner.store.mail_sequence(event.id)
    else:
        sequence = planner.store.next_mail_sequence(event.id)
    report.sequence = sequence
    superseded: set[Path] = set()
    if kind != "invitation":
        superseded = {
            path
            for (old_kind, event_uid, guest_uid), path in waiting.items()
            if old_kind in ("update", "cancel")
            and event_uid == event.uid
            and any(guest_uid == line.uid for line, _ in recipients)
            and not on_its_way(path)
        }
    stamp = datetime.now(UTC)
    try:
        private_folder(folder)
        for invitation, person in recipients:
            message = message_for(invitation, person, sequence, stamp)
            if kind == "cancel" and whole:
                # The whole event is off: held at sending if it is on again (see held).
                message[WHOLE_EVENT] = "cancelled"
            suffix = f"-s{sequence}" if kind != "invitation" else ""
            name = f"{kind}-{event.id}-{slug(event.title)}-{invitation.id}{suffix}.eml"
            path = _own_name(folder / name, database)
            write_private_bytes(path, message.as_bytes(policy=MAIL_POLICY))
            report.queued.append((person.name, path))
    except OSError as error:
        raise InvalidInput(
            f"cannot write in the outbox: {error.strerror}", file=str(folder)
        ) from None
    if kind == "cancel" and whole:
        # Set aside, not deleted: undoing the cancellation puts them back (restore_withdrawn).
        # Some guests' places cancelled is no step to undo: theirs go as before.
        _set_aside(sorted(superseded), report.replaced, folder)
        _set_aside([path for path in withdrawn if path not in superseded], report.withdrawn, folder)
    else:
        _remove(sorted(superseded), report.replaced, folder)
    return report


def _own_name(path: Path, database: str) -> Path:
    """`path`, or beside it a name with the database's uid in it when another database's
    message has this name (two sample databases number their events and guests alike:
    the second one's invitation replaced the first one's, unsent)."""
    claims = path.parent.glob(f"{glob.escape(path.name)}{CLAIMED}*")
    for taken in (path, path.with_name(path.name + SENDING), *claims):
        headers = read_headers(taken) if taken.exists() else None
        if headers is not None and str(headers.get(DATABASE, "") or "") != database:
            return path.with_name(f"{path.stem}-{database[:8]}{path.suffix}")
    return path


FUTURE_SLACK = timedelta(days=1)
"""How far past this machine's clock a reply's date may be (another clock a little fast,
a zone written wrong) before it is refused as dated in the future."""

WHOLE_EVENT = "X-Convener-Whole-Event"
"""Header of a cancellation of the whole event (not of some guests' places)."""


def held(planner: Parts, folder: Path) -> dict[Path, str]:
    """Queued messages of this database sending holds back, each with why: those of an
    event this database has not (a message without the database's stamp, of another
    database in the same folder: sent from here, a dinner still on in that one could be
    called off), and cancellations of a whole event that is no longer cancelled (the
    cancel was undone, the status set back). A guest told an event is off when it is on
    is the one mistake mail cannot take back. Messages stamped by another database are
    not held but left alone (see others)."""
    return survey(planner, folder)[0]


def others(planner: Parts, folder: Path) -> int:
    """How many queued messages another database stamped (left alone here)."""
    return survey(planner, folder)[1]


def survey(
    planner: Parts, folder: Path, waiting: list[Path] | None = None
) -> tuple[dict[Path, str], int]:
    """(held, another database's count) of the queued messages (`waiting`, or the
    folder's), each message's headers read once (see held and others)."""
    from tui.domain.mail.spool import queued

    found: dict[Path, str] = {}
    theirs = 0
    database = planner.store.database_uid()
    for path in queued(folder) if waiting is None else waiting:
        headers = read_headers(path)
        if headers is None:
            continue
        if not of_database(headers, database):
            theirs += 1
            continue
        uid = str(headers.get("X-Convener-Event", "") or "")
        if not uid:
            continue  # not one of ours (written by hand): sent as it is
        event = planner.store.by_uid(Event, uid)
        if event is None:
            found[path] = (
                f"{path.name}: not sent, its event is not in this database (the outbox of"
                " another database in this folder?): send it from that one, or delete it"
            )
            continue
        if headers.get(WHOLE_EVENT) is None or headers.get("X-Convener-Kind") != "cancel":
            continue
        if event.status != "cancelled":
            found[path] = (
                f"{path.name}: not sent, {event.title} is {event.status} again (its"
                " cancellation undone?): delete it, or cancel the event again"
            )
    return found, theirs


def _remove(paths: list[Path], removed: list[Path], folder: Path) -> None:
    """Remove unsent messages from the outbox, each added to `removed` once gone: those a
    new update or cancellation supersedes, those a cancellation withdraws."""
    try:
        for path in paths:
            path.unlink(missing_ok=True)
            removed.append(path)
    except OSError as error:
        raise InvalidInput(
            f"cannot remove from the outbox: {error.strerror}", file=str(folder)
        ) from None


def _set_aside(paths: list[Path], removed: list[Path], folder: Path) -> None:
    """Move unsent messages a cancellation withdraws or supersedes into withdrawn/ (each
    added to `removed` once moved; a message of the same name set aside before is
    replaced: the one waiting is the newer)."""
    if not paths:
        return
    aside = folder / WITHDRAWN
    try:
        private_folder(aside)
        for path in paths:
            try:
                os.replace(path, aside / path.name)
            except FileNotFoundError:
                pass  # sent or removed meanwhile by another run: nothing waits
            removed.append(path)
    except OSError as error:
        raise InvalidInput(
            f"cannot set messages aside in the outbox: {error.strerror}", file=str(folder)
        ) from None


def restore_withdrawn(planner: Parts, folder: Path, events: Iterable[str]) -> list[Path]:
    """Put back into the outbox the messages the cancellation of these events (uids: those
    an undo put on again) set aside: what waited before the cancellation waits again.
    One stays aside when its event is gone or still cancelled, when a message of its kind
    waits again for the same guest, or when one of its kind went to that guest since with
    a SEQUENCE as high (it says as much or more). The paths put back, in name order."""
    wanted = set(events)
    aside = folder / WITHDRAWN
    if not aside.is_dir():
        return []
    database = planner.store.database_uid()
    waiting = waiting_keys(folder, database)
    sent = sent_keys(folder, database)
    restored: list[Path] = []
    for path in sorted(aside.glob("*.eml")):
        headers = read_headers(path)
        if headers is None or not of_database(headers, database):
            continue
        key = message_key(headers)
        if key[1] not in wanted:
            continue  # another event's (its cancellation was not this undo's)
        event = planner.store.by_uid(Event, key[1]) if key[1] else None
        if event is None or event.status == "cancelled" or key in waiting:
            continue
        went = sent.get(key)
        if went is not None and _sequence(went) >= _sequence(path):
            continue
        target = folder / path.name
        if target.exists():
            continue
        try:
            os.replace(path, target)
        except OSError as error:
            raise InvalidInput(
                f"cannot put a withdrawn message back in the outbox: {error.strerror}",
                file=str(folder),
            ) from None
        waiting[key] = target
        restored.append(target)
    return restored


def _sequence(path: Path) -> int:
    """The SEQUENCE a message of ours was written with (-1 when it cannot be read)."""
    headers = read_headers(path)
    try:
        return int(str(headers.get("X-Convener-Sequence", ""))) if headers is not None else -1
    except ValueError:
        return -1


def _says_the_same(path: Path, make: Callable[[int, datetime], EmailMessage]) -> bool:
    """Whether the message waiting at `path` is the one `make` writes with its SEQUENCE and
    stamp (what the guest reads: subject, addresses, every part); False when it is being
    sent or cannot be read, so that a new one replaces it."""
    if on_its_way(path):
        return False
    try:
        waiting = BytesParser(policy=MAIL_POLICY).parsebytes(path.read_bytes())
        sequence = int(str(waiting.get("X-Convener-Sequence", "")))
        stamp = parsedate_to_datetime(str(waiting.get("Date", "")))
        fresh = make(sequence, stamp)
    except (OSError, ValueError, TypeError, InvalidInput):
        return False
    return _reading(waiting) == _reading(fresh)


def _reading(message: Message) -> list[object]:
    """What a guest reads of a message: its headers but the Message-ID, and its parts."""
    # Not the Message-ID, nor the Content-Type's boundary: new with every message; nor
    # the database's stamp, which one queued before it was written lacks.
    skipped = ("message-id", "content-type", DATABASE.lower())
    headers = [(k.lower(), str(v)) for k, v in message.items() if k.lower() not in skipped]
    parts = [
        (part.get_content_type(), part.get_payload(decode=True))
        for part in message.walk()
        if not part.is_multipart()
    ]
    return [sorted(headers), parts]


def changed_occurrences(planner: Parts, event: Event) -> list[tuple[date, Event]]:
    """The occurrences of a repeating event changed on their own, not in the trash, that
    can go as its RECURRENCE-ID (see may_go_as_override): (day of the series, the event
    it became), by day. The others stay left out of the series (its EXDATE)."""
    from tui.domain.exporters.calendar_ics import may_go_as_override
    from tui.domain.recurrence import OCCURRENCE_MARK, split_occurrence_uid

    if not event.repeat or not event.uid:
        return []
    changed = []
    for uid in planner.store.uids_with_prefix(event.uid + OCCURRENCE_MARK):
        split = split_occurrence_uid(uid)
        found = planner.store.by_uid(Event, uid)
        if (
            split is not None
            and isinstance(found, Event)
            and found.deleted_at is None
            and may_go_as_override(found)
        ):
            changed.append((split[1], found))
    return sorted(changed, key=lambda pair: pair[0])


def invitation_by_uid(planner: Parts, uid: str) -> Invitation | None:
    """The guest-list line a message was written for."""
    found = planner.store.by_uid(Invitation, uid) if uid else None
    return found if isinstance(found, Invitation) else None


def in_time_order(found: list[tuple[str, list[Reply]]]) -> list[tuple[str, Reply]]:
    """Every reply of an import, the earliest given first (a mailbox is not always in
    order; by the mail's Date, else DTSTAMP; two of one time by their DTSTAMP): applied
    so, a guest's later answer is the one kept. Replies without a time keep their place at
    the start, in the order found."""
    flat = [(where, reply) for where, replies in found for reply in replies]
    never = datetime.min.replace(tzinfo=UTC)
    return sorted(flat, key=lambda item: (item[1].written or never, item[1].stamp or never))


def _answer_zone(planner: Parts, event: Event) -> str | None:
    """The zone the day of an answer is told in: the officer's (SPEC's dates are theirs),
    else the event's."""
    return planner.own_zone or event.timezone


def _sent_by_the_guest(reply: Reply, guest: Person) -> bool:
    """Whether the mail a reply came in is from the attendee it answers for (RFC 6047
    3.1, 3.2.3: a REPLY from anyone else is not to be trusted): its From is the ATTENDEE's
    address, or the guest's own recorded e-mail. A bare calendar (no mail) has no sender
    to check: the officer chose the file."""
    if reply.senders is None:
        return True
    recorded = (guest.email or "").strip().lower()
    return any(sender in (reply.address, recorded) for sender in reply.senders if sender)


def apply_replies(
    planner: Parts,
    replies: list[Reply],
    report: ImportReport,
    source: str,
) -> None:
    """Update each matching guest; list, one line each, what cannot be matched or applied."""
    for reply in replies:
        found = planner.store.by_uid(Event, reply.uid) if reply.uid else None
        event = found if isinstance(found, Event) and found.deleted_at is None else None
        who = reply.address or "(no address)"
        if isinstance(found, Event) and event is None:
            report.skipped.append(
                f"{source}: reply from {who} for {found.title}, which is in the trash;"
                " not applied (restore the event, then import the reply again)"
            )
            continue
        if event is None or event.id is None:
            report.skipped.append(f"{source}: reply from {who} for an unknown event ({reply.uid})")
            continue
        line = _guest_line(planner, event.id, reply.address)
        guest = planner.person(line.person_id) if line is not None else None
        if guest is not None and not _sent_by_the_guest(reply, guest):
            by = ", ".join(reply.senders or ()) or "an unknown sender (no address in From:)"
            report.skipped.append(f"{source}: reply for {who} sent by {by}: not applied")
            continue
        if event.status == "cancelled" and reply.partstat in STATUSES:
            report.skipped.append(
                f"{source}: {who} answered {reply.partstat} for {event.title}, which is"
                " cancelled; not applied"
            )
            continue
        if line is None or guest is None:
            report.skipped.append(
                f"{source}: reply from {who}, who is not on the guest list of {event.title}"
            )
            continue
        if reply.method == "COUNTER":
            report.skipped.append(
                f"{source}: {who} proposes another time for {event.title}"
                f" ({_proposed(reply, event)}); not applied, answer it yourself"
            )
            continue
        if reply.partstat == "DELEGATED":
            report.skipped.append(
                f"{source}: {who} delegated {event.title} to {reply.delegated_to or 'someone'};"
                " not applied, invite the delegate yourself"
            )
            continue
        status = STATUSES.get(reply.partstat)
        if status is not None and reply.occurrence is not None:
            report.skipped.append(
                f"{source}: {who} answered {reply.partstat} for {event.title} on"
                f" {reply.occurrence} only; not applied to the whole guest line"
            )
            continue
        if status is None:
            report.skipped.append(
                f"{source}: {who} answered {reply.partstat} for {event.title}; nothing to record"
            )
            continue
        written = reply.written
        zone = _answer_zone(planner, event)
        label = f"{guest.name} at {event.title}"
        if written is not None and written > datetime.now(UTC) + FUTURE_SLACK:
            # Kept, it would outrank every real reply after it ("an older reply than the
            # one recorded") until that day: a sender's clock set wrong, or a forged Date.
            report.skipped.append(
                f"{source}: {label}: a reply ({status}) dated {format_moment(written, zone)},"
                " in the future: not applied (the sender's clock is wrong?); set it yourself"
                " if the answer stands"
            )
            continue
        # The day of the moment kept (the mail's Date, else DTSTAMP), in the officer's
        # zone: the time and the day recorded always agree, so a later reply of the same
        # day can be told from an earlier one (see _recorded_time).
        day = reply_day(written, zone, planner.today())
        recorded = _recorded_time(line, zone)
        if written is not None and recorded is not None:
            if written < recorded or (written == recorded and line.status != status):
                # Older, or written at the very same second as the answer recorded.
                if line.status == status:
                    report.skipped.append(_already(source, label, line, zone))
                    continue
                short = written.year == recorded.year  # else the years are said
                said = f"({status}, {format_moment(written, zone, short=short)})"
                kept = f"({line.status}, {format_moment(recorded, zone, short=short)})"
                if written < recorded:
                    report.skipped.append(
                        f"{source}: {label}: an older reply {said} than the one recorded"
                        f" {kept}: not applied"
                    )
                else:
                    report.skipped.append(
                        f"{source}: {label}: a reply {said} sent at the same time as the one"
                        f" recorded {kept}, so which came last cannot be told: not applied; set"
                        " it yourself if this one is the newer"
                    )
                continue
        elif line.responded_on is not None and line.status != status:
            if day < line.responded_on:
                report.skipped.append(
                    f"{source}: {label}: an older reply ({status}, {format_span(day, day)})"
                    f" than the one recorded ({line.status},"
                    f" {format_span(line.responded_on, line.responded_on)}): not applied"
                )
                continue
            if day == line.responded_on:
                # One of the two has only its day (a reply marked by hand, a reply without
                # DTSTAMP or Date): which came last is not known.
                report.skipped.append(
                    f"{source}: {label}: this reply ({status}) and the one recorded"
                    f" ({line.status}) are both of {format_span(day, day)}, and which came"
                    f" last cannot be told: not applied; set it yourself if this one is the"
                    " newer"
                )
                continue
        updated = replace(
            line, status=status, responded_on=day, response_via="email", responded_at=written
        )
        assert line.id is not None
        if updated == line:
            report.skipped.append(_already(source, label, line, zone))
            continue
        planner.store.update(updated)
        report.note("updated", "guest", label, record=line.id)
        said = f"; wrote: {clean_line(reply.comment)[:200]!r}" if reply.comment else ""
        report.changes.append(f"{label}: {line.status} -> {status} ({day.isoformat()}){said}")


def _already(source: str, label: str, line: Invitation, zone: str | None) -> str:
    """The line of a reply that says what is recorded already (the same mail imported
    again, or the same answer said twice)."""
    when = line.responded_at or line.responded_on
    at = f", {format_moment(when, zone, short=True)}" if when is not None else ""
    return f"{source}: {label}: already recorded ({line.status}{at}): nothing to change"


def _recorded_time(line: Invitation, zone: str | None) -> datetime | None:
    """When the answer recorded on a guest line was given, if a mail import recorded it
    and it still fits the line (by e-mail, on the day recorded): a change by hand or from a
    shared server since leaves it out, and then only the day is known."""
    at = line.responded_at
    if at is None or line.response_via != "email" or line.responded_on is None:
        return None
    if reply_day(at, zone, line.responded_on) != line.responded_on:
        return None
    return at


def _proposed(reply: Reply, event: Event) -> str:
    """The start a COUNTER proposes, in words, in the event's zone when it has one."""
    if reply.proposed is None:
        return "no time given"
    return format_moment(reply.proposed, event.timezone)


def _guest_line(planner: Parts, event_id: int, address: str) -> Invitation | None:
    if not address:
        return None
    for person in planner.store.people_matching(None, address, 20):
        assert person.id is not None
        line = planner.store.invitation_for(event_id, person.id)
        if line is not None:
            return line
    return None


def import_replies(
    planner: Parts,
    path: Path,
    *,
    limit: int,
    told: str | None = None,
    files: list[Path] | None = None,
) -> ImportReport:
    """Apply the replies of one mail, mailbox, Maildir or reply .ics, or of the mail files
    of a folder (`files`: its .eml and reply .ics files): one transaction (one undo step).
    A single broken mail is refused; in a mailbox it is listed."""
    from tui.domain.importers import read_text

    report = ImportReport(str(path))
    suffix = told or path.suffix.lower()
    label = f"Import replies from {path.name}"
    messages: list[tuple[str, Message | str]]
    if files is not None:
        messages = mail_files_messages(files, report)
    elif path.is_dir():
        messages = list(maildir_messages(path, report))
    elif suffix in (".ics", ".ical"):
        text = read_text(path, large=limit < 0)  # UTF-8 or UTF-16, binary said as such
        _, replies = replies_in_calendar(text, None, None)
        with planner.store.transaction(label):
            apply_replies(planner, replies, report, path.name)
        return report
    elif suffix in (".mbox", ".mbx"):
        messages = list(mbox_messages(path, report, limit))
    else:
        message = parse_mail(read_bytes_within(path, limit))
        replies, why = replies_in_message(message)
        if why:
            report.skipped.append(f"{path.name} {message_subject(message)}: {why}")
        with planner.store.transaction(label):
            apply_replies(planner, replies, report, path.name)
        return report
    found: list[tuple[str, list[Reply]]] = []
    for where, mail in messages:
        try:
            if isinstance(mail, str):  # a bare reply calendar: no mail around it
                replies = replies_in_calendar(mail, None, None)[1]
                why = None if replies else "not a reply"
            else:
                replies, why = replies_in_message(mail)
        except InvalidInput as error:
            report.skipped.append(f"{where}: {error.message}")
            continue
        if why:
            subject = message_subject(mail) if not isinstance(mail, str) else "(a calendar)"
            report.skipped.append(f"{where} {subject}: {why}")
        if replies:
            found.append((where, replies))
    with planner.store.transaction(label):
        for where, reply in in_time_order(found):
            apply_replies(planner, [reply], report, where)
    return report


def mark_sent(
    planner: Parts,
    folder: Path,
    report: SendReport,
    earlier: set[tuple[str, str]] | frozenset[tuple[str, str]] = frozenset(),
) -> None:
    """Every guest invited by a sent message (this run's and a stopped run's): one step.
    `earlier`: the journal's entries before this run (a stopped run's), counted apart."""
    database = planner.store.database_uid()
    entries = pending(folder, database)
    if not entries:
        return
    today = planner.today()
    count = len(entries)
    label = f"Send {count} message{'s' if count != 1 else ''} by e-mail"
    with planner.store.transaction(label):
        for kind, uid in entries:
            if kind != "invitation":
                continue
            line = invitation_by_uid(planner, uid)
            if line is None:
                continue
            if line.status in ("to-invite", "invited"):
                updated = replace(line, status="invited", invited_on=today)
            else:
                updated = replace(line, invited_on=line.invited_on or today)
            if updated != line:
                planner.store.update(updated)
                report.marked += 1
                report.marked_earlier += (kind, uid) in earlier
    clear_pending(folder, database)


def stop_sending(planner: Parts, folder: Path, handover: Handover, why: str) -> str:
    """Stop a send run that waits on the server (the app quitting, ctrl+c: `why`): the
    message it was handing over goes back to the outbox unless its text had left (see
    Handover), and the guests of the messages that went out are marked invited now, one
    undo step (an invitation sent and its guest still to-invite would be queued again).
    One line for the officer; a message that may have gone out is named, with what to do
    ("" when the run had ended by itself)."""
    flight = handover.stop()
    if handover.finished:
        return ""
    report = SendReport()
    try:
        mark_sent(planner, folder, report)
    except ConvenerError:
        pass  # the journal stays: the next send marks them
    sent = handover.taken
    words = f"sending stopped by {why}: {sent} message{'s' if sent != 1 else ''} sent"
    if report.marked:
        words += f" ({report.marked} guest{'s' if report.marked != 1 else ''} marked invited)"
    if flight is None:
        database = planner.store.database_uid()
        try:
            left = sum(_ours(path, database) for path in queued(folder))
        except OSError:
            return f"{words}; the rest stays in the outbox, to send next time"
        return f"{words}, {left} left in the outbox to send next time"
    name = flight.name.removesuffix(SENDING)
    return (
        f"{words}; {name} may have gone out (the mail server had it and had not answered):"
        f" kept in {folder} with {SENDING} added to its name, never sent again by itself"
        f" (take the {SENDING} off to send it, or move it into sent/)"
    )


def _ours(path: Path, database: str) -> bool:
    headers = read_headers(path)
    return headers is not None and of_database(headers, database)
