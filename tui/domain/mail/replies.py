"""Reading iMIP replies (RFC 6047 / 5546 METHOD:REPLY) from .eml, .mbox, Maildir and .ics.

A reply names the event by its UID and the guest by the ATTENDEE's address; its PARTSTAT
becomes the guest's status. Whatever cannot be matched, or would be a guess (a COUNTER
proposal, a DELEGATED reply), is listed and changes nothing.
"""

from __future__ import annotations

import mailbox
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from email import policy
from email.errors import MessageError
from email.header import decode_header, make_header
from email.message import Message
from email.parser import BytesParser
from email.utils import getaddresses, parsedate_to_datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tui.domain.errors import InvalidInput
from tui.domain.importers.report import ImportReport
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
    sent: datetime | None = None
    """The mail's Date, aware (None: not in a mail, or a Date that cannot be read)."""
    stamp: datetime | None = None
    """DTSTAMP: when the guest's calendar wrote the answer (aware, UTC)."""
    senders: tuple[str, ...] | None = None
    """The mail's From addresses, lower case (None: a bare calendar, not in a mail)."""
    delegated_to: str | None = None
    proposed: datetime | date | None = None
    """For a COUNTER: the start the guest proposes."""
    occurrence: str | None = None
    """RECURRENCE-ID: the reply is for one date of a repeating event only."""
    comment: str | None = None
    """What the guest wrote with the answer (COMMENT: "I may be late")."""

    @property
    def written(self) -> datetime | None:
        """When the answer was given, aware: the mail's Date (SPEC: responded_on is the
        mail's date), else its DTSTAMP when the mail has no usable Date (or there is no
        mail: a bare .ics); None when neither says a time."""
        return self.sent if self.sent is not None else self.stamp


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
        except (LookupError, ValueError):  # an unknown charset, or one with a NUL in its name
            text = payload.decode("utf-8", errors="replace")
        method = part.get_param("method")
        yield text, str(method).upper() if isinstance(method, str) else None


def replies_in_calendar(
    text: str,
    method_hint: str | None,
    sent: datetime | None,
    senders: tuple[str, ...] | None = None,
) -> tuple[str, list[Reply]]:
    """(the METHOD, the replies) of one calendar text; InvalidInput when it cannot be read.
    `sent`, `senders`: the Date and From addresses of the mail it came in (None: none)."""
    from icalendar import Calendar

    try:
        calendar = Calendar.from_ical(text)
    except (ValueError, IndexError, KeyError, AttributeError, TypeError) as error:
        # icalendar's own words ("'VTIMEZONE' object has no attribute 'to_tz'") are not
        # for the officer: the line it quotes, when it quotes one, is.
        if "END:VCALENDAR" not in text.upper():
            raise InvalidInput("the calendar part is cut off (no END:VCALENDAR)") from None
        quoted = re.search(r"parts: '([^'\n]{1,200})'", str(error))
        where = ""
        if quoted is not None:
            line = clean_line(quoted.group(1))
            where = f" (at {line if len(line) <= 50 else line[:49] + '…'!r})"
        raise InvalidInput(f"the calendar part is not valid iCalendar{where}") from None
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
        stamped = _value(item, "DTSTAMP")
        written = None
        if isinstance(stamped, datetime) and _reasonable(stamped):
            # DTSTAMP is UTC (RFC 5545 3.8.7.2); one written without its Z is taken as UTC.
            aware = stamped if stamped.tzinfo is not None else stamped.replace(tzinfo=UTC)
            written = aware.astimezone(UTC)
        proposed = None
        occurrence = None
        if item.get("RECURRENCE-ID") is not None:
            recurrence = _value(item, "RECURRENCE-ID")
            # One that cannot be read is still for one date only: never the whole line.
            occurrence = str(recurrence) if recurrence is not None else "a date it names"
        if method == "COUNTER":
            start = _value(item, "DTSTART")
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
                    sent=sent,
                    stamp=written,
                    senders=senders,
                    delegated_to=_address(delegated) if delegated else None,
                    proposed=proposed,
                    occurrence=occurrence,
                    comment=comment,
                )
            )
    return method, replies


def _value(item: Any, name: str) -> Any:
    """The decoded value of a property of a calendar component; None when it is missing
    or cannot be read (a DTSTAMP of 'yesterday' is no time, not an error to show)."""
    if item.get(name) is None:
        return None
    try:
        return item.decoded(name)
    except (ValueError, TypeError, KeyError, IndexError, AttributeError):
        return None


def _reasonable(moment: datetime) -> bool:
    """A time a reply could have been written at (the years a convening can be in)."""
    return 1900 <= moment.year <= 2200


def mail_date(message: Message) -> datetime | None:
    """The mail's Date, aware; None when it has none or one that cannot be read (a Date
    without a zone, "-0000", is UTC: RFC 5322 3.3)."""
    header = message.get("Date")
    if not header:
        return None
    try:
        sent = parsedate_to_datetime(str(header))
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if not _reasonable(sent):
        return None
    return sent if sent.tzinfo is not None else sent.replace(tzinfo=UTC)


def mail_senders(message: Message) -> tuple[str, ...]:
    """The addresses of the mail's From:, lower case (none when it has no From:)."""
    found: list[str] = []
    for header in message.get_all("From") or []:
        try:
            pairs = getaddresses([str(header)])
        except (ValueError, IndexError, TypeError):  # no address to be read in it
            continue
        for _, address in pairs:
            address = address.strip().lower()
            if "@" in address and address not in found:
                found.append(address)
    return tuple(found)


def replies_in_message(message: Message) -> tuple[list[Reply], str | None]:
    """(the replies in a mail, why it is not a reply when it is not one)."""
    sent = mail_date(message)
    senders = mail_senders(message)
    replies: list[Reply] = []
    methods: list[str] = []
    for text, hint in _calendar_texts(message):
        method, found = replies_in_calendar(text, hint, sent, senders)
        methods.append(method or "none")
        for reply in found:
            if reply not in replies:  # Gmail sends the same calendar inline and attached
                replies.append(reply)
    if replies:
        return replies, None
    if methods:
        if "REPLY" in methods:  # a reply that names nobody: no attendee's answer in it
            return [], "a reply (METHOD:REPLY) that names no attendee: no answer to record"
        return [], f"not a reply (METHOD:{methods[0]})"
    return [], "not a calendar reply"


def header_text(message: Message, name: str) -> str:
    """A header's text, encoded words decoded ("=?utf-8?B?…?="); as written when they
    cannot be."""
    raw = message.get(name)
    if raw is None:
        return ""
    try:
        return str(make_header(decode_header(str(raw))))
    except (MessageError, LookupError, UnicodeError, ValueError, IndexError, TypeError):
        return str(raw)


def message_subject(message: Message) -> str:
    subject = clean_line(header_text(message, "Subject"))[:60]
    return f"{subject!r}" if subject else "(no subject)"


NOT_MAIL = "is not an e-mail message (no From: or Content-Type: header)"
"""What bytes that are no mail are said to be, wherever they come from: an .eml, a
mailbox that is not one, a message of a mailbox or of a Maildir."""


def parse_mail(data: bytes) -> Message:
    """A mail from its bytes; InvalidInput when it is not one.

    Read with the compat32 policy: its headers stay text until asked for. The default
    policy parses each header as it is read, and the standard library's parser raises
    IndexError or AttributeError on some malformed addresses ("From: <"), which then
    reached the officer as an unexpected error."""
    message = BytesParser(policy=policy.compat32).parsebytes(data)
    if not message.keys() or not (message.get("From") or message.get("Content-Type")):
        raise InvalidInput(NOT_MAIL)
    return message


def reply_day(when: datetime | date | None, zone: str | None, today: date) -> date:
    """The day of an answer given at `when`, in `zone` (the officer's: SPEC's dates are
    theirs) when it is a known zone, else as the moment was written (the sender's own
    offset for a mail's Date); today when no time is known."""
    if when is None:
        return today
    if isinstance(when, datetime):
        if when.tzinfo is not None and zone:
            try:
                return when.astimezone(ZoneInfo(zone)).date()
            except (ValueError, KeyError, ZoneInfoNotFoundError):
                pass
        return when.date()
    return when


def is_reply_calendar(path: Path) -> bool:
    """True for a .ics file whose calendar is a METHOD:REPLY (or COUNTER), looked for in
    its first 64 KB (UTF-8, or UTF-16 after its byte-order mark)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(65536)
    except OSError:
        return False
    utf16 = head.startswith((b"\xff\xfe", b"\xfe\xff"))
    text = head.decode("utf-16" if utf16 else "utf-8", errors="ignore").upper()
    return "METHOD:REPLY" in text or "METHOD:COUNTER" in text


def is_mail_source(path: Path, told: str | None = None) -> bool:
    """True for a file import_replies reads: a mail file, a mailbox, a reply .ics (a folder
    is told apart by the folder import: a Maildir, or files of any kind).

    Anything but a plain file (a FIFO would wait for a writer), or a path that cannot be
    looked at, is not: the general import refuses it in one line. `told`: the format the
    file's content told (tui.domain.importers.told_format), over its name's."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
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
    except OSError as error:
        raise InvalidInput(cannot_read(error)) from None


def cannot_read(error: OSError) -> str:
    """Why a file could not be read, in words (never "[Errno 2] …" nor the exception's name)."""
    if isinstance(error, FileNotFoundError):
        return "no such file"
    if isinstance(error, PermissionError):
        return "cannot be read (permission denied)"
    if isinstance(error, IsADirectoryError):
        return "is a folder, not a file"
    return f"cannot be read ({error.strerror or 'the system refused'})"


def _message(data: bytes, where: str, report: ImportReport) -> Message | None:
    """The mail in `data`; None, said in the report in the words of a refused .eml, when
    the bytes are no mail."""
    try:
        return parse_mail(data)
    except InvalidInput as error:
        report.skipped.append(f"{where}: {error.message}")
        return None


def mbox_messages(path: Path, report: ImportReport, limit: int = -1) -> list[tuple[str, Message]]:
    """The mails of an mbox file. A file that does not start as a mailbox does ("From "
    and an address) is read as one mail, refused as an .eml would be when it is none:
    random bytes named .mbox imported as "nothing new"."""
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(4096)
    except OSError as error:
        raise InvalidInput(cannot_read(error)) from None
    if not head.strip() and size <= len(head):
        raise InvalidInput("is empty: no mail in it")
    if not head.lstrip(b"\r\n").startswith(b"From "):
        return [(path.name, parse_mail(read_bytes_within(path, limit)))]
    if 0 <= limit < size:
        raise InvalidInput(f"is {size // (1024 * 1024)} MB; files over 10 MB need --large")
    try:
        box = mailbox.mbox(path, factory=None, create=False)
    except OSError as error:
        raise InvalidInput(cannot_read(error)) from None
    found: list[tuple[str, Message]] = []
    try:
        for number, key in enumerate(box.iterkeys(), start=1):
            where = f"{path.name} message {number}"
            message = _message(box.get_bytes(key), where, report)
            if message is not None:
                found.append((where, message))
    except OSError as error:
        raise InvalidInput(cannot_read(error)) from None
    finally:
        box.close()
    return found


def is_maildir(path: Path) -> bool:
    """A Maildir folder: mails in cur/ and new/."""
    return (path / "cur").is_dir() and (path / "new").is_dir()


def maildir_messages(path: Path, report: ImportReport) -> list[tuple[str, Message]]:
    """The mails of a Maildir; one that cannot be read or is no mail is said and passed."""
    box = mailbox.Maildir(path, factory=None, create=False)
    found: list[tuple[str, Message]] = []
    try:
        keys = sorted(box.iterkeys())
    except OSError as error:
        raise InvalidInput(cannot_read(error)) from None
    for key in keys:
        where = f"{path.name}/{key}"
        try:
            data = box.get_bytes(key)
        except (OSError, KeyError) as error:  # gone meanwhile, or a link to nowhere
            why = cannot_read(error) if isinstance(error, OSError) else "no such file"
            report.skipped.append(f"{where}: {why}")
            continue
        message = _message(data, where, report)
        if message is not None:
            found.append((where, message))
    return found


def mail_files_messages(files: list[Path], report: ImportReport) -> list[tuple[str, Message | str]]:
    """The mails of these .eml files, and the texts of these reply .ics files (a bare
    calendar: no sender, no Date); one that cannot be read is said and passed."""
    from tui.domain.importers import read_text

    found: list[tuple[str, Message | str]] = []
    for file in files:
        if file.suffix.lower() in (".ics", ".ical"):
            try:
                found.append((file.name, read_text(file)))  # UTF-8 or UTF-16, binary said
            except InvalidInput as error:
                report.skipped.append(f"{file.name}: {error.message}")
            continue
        try:
            data = file.read_bytes()
        except OSError as error:
            report.skipped.append(f"{file.name}: {cannot_read(error)}")
            continue
        message = _message(data, file.name, report)
        if message is not None:
            found.append((file.name, message))
    return found
