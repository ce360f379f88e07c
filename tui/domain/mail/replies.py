"""Reading iMIP replies (RFC 6047 / 5546 METHOD:REPLY) from .eml, .mbox, Maildir and .ics.

A reply names the event by its UID and the guest by the ATTENDEE's address; its PARTSTAT
becomes the guest's status. Whatever cannot be matched, or would be a guess (a COUNTER
proposal, a DELEGATED reply), is listed and changes nothing.
"""

from __future__ import annotations

import mailbox
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from email import policy
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from tui.domain.errors import InvalidInput
from tui.domain.importers.report import ImportReport
from tui.domain.models import Event
from tui.domain.text import clean_line

MAIL_SUFFIXES = (".eml", ".mbox", ".mbx")
STATUSES = {"ACCEPTED": "accepted", "DECLINED": "declined", "TENTATIVE": "tentative"}
ICS_TYPES = ("text/calendar", "application/ics", "text/x-vcalendar", "application/x-ics")


@dataclass(frozen=True)
class Reply:
    """One attendee's answer in one calendar part."""

    method: str
    uid: str
    address: str
    partstat: str
    when: datetime | date | None
    delegated_to: str | None = None
    proposed: datetime | date | None = None
    """For a COUNTER: the start the guest proposes."""
    occurrence: str | None = None
    """RECURRENCE-ID: the reply is for one date of a repeating event only."""
    comment: str | None = None
    """What the guest wrote with the answer (COMMENT: "I may be late")."""
    stamp: datetime | None = None
    """DTSTAMP: when the guest's calendar wrote the answer (aware, UTC)."""

    @property
    def written(self) -> datetime | None:
        """When the answer was written, aware: its DTSTAMP, else its mail's Date (None when
        neither says a time)."""
        if self.stamp is not None:
            return self.stamp
        when = self.when
        if not isinstance(when, datetime):
            return None
        return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def _address(value: Any) -> str:
    text = str(value).strip()
    if text.lower().startswith("mailto:"):
        text = text[7:]
    return text.strip().lower()


def _calendar_texts(message: Message) -> Iterator[tuple[str, str | None]]:
    """(calendar text, method from the Content-Type) of every calendar part of a mail."""
    for part in message.walk():
        if part.is_multipart():
            continue
        content_type = part.get_content_type()
        name = (part.get_filename() or "").lower()
        if content_type not in ICS_TYPES and not name.endswith((".ics", ".ical", ".vcs")):
            continue
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes):
            continue
        charset = part.get_content_charset() or "utf-8"
        try:
            text = payload.decode(charset)
        except (LookupError, UnicodeDecodeError):
            text = payload.decode("utf-8", errors="replace")
        method = part.get_param("method")
        yield text, str(method).upper() if isinstance(method, str) else None


def replies_in_calendar(
    text: str, method_hint: str | None, sent: datetime | None
) -> tuple[str, list[Reply]]:
    """(the METHOD, the replies) of one calendar text; InvalidInput when it cannot be read."""
    from icalendar import Calendar

    try:
        calendar = Calendar.from_ical(text)
    except (ValueError, IndexError, KeyError) as error:
        if "END:VCALENDAR" not in text.upper():
            raise InvalidInput("the calendar part is cut off (no END:VCALENDAR)") from None
        said = clean_line(str(error))
        said = said if len(said) <= 60 else said[:59] + "…"
        raise InvalidInput(f"the calendar part is not valid iCalendar ({said})") from None
    method = str(calendar.get("METHOD") or method_hint or "").upper()
    if method not in ("REPLY", "COUNTER"):
        return method, []
    events = list(calendar.walk("VEVENT"))
    if not events:
        raise InvalidInput(f"a calendar {method} without a VEVENT: nothing to match")
    replies: list[Reply] = []
    for item in events:
        uid = str(item.get("UID") or "").strip()
        attendees = item.get("ATTENDEE")
        if attendees is None:
            continue
        if not isinstance(attendees, list):
            attendees = [attendees]
        stamp = item.get("DTSTAMP")
        stamped = stamp.dt if stamp is not None else None
        when: datetime | date | None = sent or stamped
        written = None
        if isinstance(stamped, datetime):
            # DTSTAMP is UTC (RFC 5545 3.8.7.2); one written without its Z is taken as UTC.
            aware = stamped if stamped.tzinfo is not None else stamped.replace(tzinfo=UTC)
            written = aware.astimezone(UTC)
        proposed = None
        occurrence = None
        if item.get("RECURRENCE-ID") is not None:
            occurrence = str(item.decoded("RECURRENCE-ID"))
        if method == "COUNTER" and item.get("DTSTART") is not None:
            start = item.decoded("DTSTART")
            proposed = start if isinstance(start, date) else None
        comments = item.get("COMMENT")
        if comments is not None and not isinstance(comments, list):
            comments = [comments]
        comment = " ".join(str(c).strip() for c in comments or [] if str(c).strip()) or None
        for attendee in attendees:
            params = getattr(attendee, "params", {})
            delegated = params.get("DELEGATED-TO")
            replies.append(
                Reply(
                    method=method,
                    uid=uid,
                    address=_address(attendee),
                    partstat=str(params.get("PARTSTAT", "NEEDS-ACTION")).upper(),
                    when=when,
                    delegated_to=_address(delegated) if delegated else None,
                    proposed=proposed,
                    occurrence=occurrence,
                    comment=comment,
                    stamp=written,
                )
            )
    return method, replies


def replies_in_message(message: Message) -> tuple[list[Reply], str | None]:
    """(the replies in a mail, why it is not a reply when it is not one)."""
    sent = None
    if message.get("Date"):
        try:
            sent = parsedate_to_datetime(str(message["Date"]))
        except (TypeError, ValueError, IndexError):
            sent = None
    replies: list[Reply] = []
    methods: list[str] = []
    for text, hint in _calendar_texts(message):
        method, found = replies_in_calendar(text, hint, sent)
        methods.append(method or "none")
        for reply in found:
            if reply not in replies:  # Gmail sends the same calendar inline and attached
                replies.append(reply)
    if replies:
        return replies, None
    if methods:
        return [], f"not a reply (METHOD:{methods[0]})"
    return [], "not a calendar reply"


def message_subject(message: Message) -> str:
    subject = clean_line(str(message.get("Subject", "") or ""))[:60]
    return f"{subject!r}" if subject else "(no subject)"


def parse_mail(data: bytes) -> EmailMessage:
    """A mail from its bytes; InvalidInput when it is not one."""
    message = BytesParser(policy=policy.default).parsebytes(data)
    if not message.keys() or not (message.get("From") or message.get("Content-Type")):
        raise InvalidInput("is not an e-mail message (no From: or Content-Type: header)")
    return message


def reply_day(when: datetime | date | None, event: Event, today: date) -> date:
    if when is None:
        return today
    if isinstance(when, datetime):
        if when.tzinfo is not None and event.timezone:
            return when.astimezone(ZoneInfo(event.timezone)).date()
        return when.date()
    return when


def is_reply_calendar(path: Path) -> bool:
    """True for a .ics file whose calendar is a METHOD:REPLY (or COUNTER)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(65536).upper()
    except OSError:
        return False
    return b"METHOD:REPLY" in head or b"METHOD:COUNTER" in head


def is_mail_source(path: Path, told: str | None = None) -> bool:
    """True for what import_replies reads: a mail file, a mailbox, a Maildir, a reply .ics.

    Anything but a folder or a plain file (a FIFO would wait for a writer), or a path that
    cannot be looked at, is not: the general import refuses it in one line. `told`: the
    format the file's content told (tui.domain.importers.told_format), over its name's."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    if stat.S_ISDIR(mode):
        return True
    if not stat.S_ISREG(mode):
        return False
    suffix = told or path.suffix.lower()
    if suffix in MAIL_SUFFIXES:
        return True
    return suffix in (".ics", ".ical") and is_reply_calendar(path)


def read_bytes_within(path: Path, limit: int) -> bytes:
    try:
        size = path.stat().st_size
        if 0 <= limit < size:
            raise InvalidInput(f"is {size // (1024 * 1024)} MB; files over 10 MB need --large")
        return path.read_bytes()
    except FileNotFoundError:
        raise InvalidInput("no such file") from None
    except PermissionError:
        raise InvalidInput("cannot be read (permission denied)") from None


def mbox_messages(path: Path, report: ImportReport) -> Iterator[tuple[str, Message]]:
    box = mailbox.mbox(path, factory=None, create=False)
    try:
        for number, key in enumerate(box.iterkeys(), start=1):
            data = box.get_bytes(key)
            message = BytesParser(policy=policy.default).parsebytes(data)
            yield f"{path.name} message {number}", message
    finally:
        box.close()


def _any_reply(files: list[Path]) -> bool:
    """Whether any of these .ics files is a reply (METHOD:REPLY or COUNTER, looked for in
    its first 64 KB)."""
    for file in files:
        try:
            with file.open("rb") as handle:
                head = handle.read(65536)
        except OSError:
            continue
        utf16 = head.startswith((b"\xff\xfe", b"\xfe\xff"))
        text = head.decode("utf-16" if utf16 else "utf-8", errors="ignore").upper()
        if "METHOD:REPLY" in text or "METHOD:COUNTER" in text:
            return True
    return False


def folder_messages(path: Path, report: ImportReport) -> Iterator[tuple[str, Message]]:
    if (path / "cur").is_dir() and (path / "new").is_dir():
        box = mailbox.Maildir(path, factory=None, create=False)
        for key in sorted(box.iterkeys()):
            data = box.get_bytes(key)
            yield f"{path.name}/{key}", BytesParser(policy=policy.default).parsebytes(data)
        return
    files = sorted(p for p in path.iterdir() if p.suffix.lower() in (".eml", ".ics"))
    if not files:
        raise InvalidInput("is a folder without mail (no cur/ and new/, no .eml files)")
    if all(file.suffix.lower() == ".ics" for file in files) and not _any_reply(files):
        # Calendars only: read as a folder of mail it imported nothing, said "skipped 2"
        # and exited 0 (`convener import FOLDER` meant for its events).
        count = len(files)
        what = "calendar" if count == 1 else "calendars"
        raise InvalidInput(
            f"a folder is imported as mail replies, and its {count} .ics {what} hold"
            f" none: import the files themselves by name ({path.name}/*.ics)"
        )
    for file in files:
        if file.suffix.lower() == ".ics":
            from tui.domain.importers import read_text

            try:
                text = read_text(file)  # UTF-8 or UTF-16, a binary file said as such
            except InvalidInput as error:
                report.skipped.append(f"{file.name}: {error.message}")
                continue
            upper = text.upper()
            if "METHOD:REPLY" not in upper and "METHOD:COUNTER" not in upper:
                report.skipped.append(
                    f"{file.name}: a calendar, not a reply; import the file itself for its events"
                )
                continue
            wrapper = EmailMessage()
            wrapper.set_content(text, subtype="calendar", params={"method": "REPLY"})
            yield file.name, wrapper
            continue
        try:
            yield file.name, parse_mail(file.read_bytes())
        except (InvalidInput, OSError) as error:
            report.skipped.append(f"{file.name}: {getattr(error, 'message', error)}")
