"""One iMIP message (RFC 6047): a plain-text letter from a template plus a text/calendar part.

Pure: models in, an `EmailMessage` out. Only what the guest should see goes in: the event's
public details, its agenda, and the guest themselves; never other guests, needs or notes.
"""

from __future__ import annotations

import string
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

from tui import __version__
from tui.domain.errors import InvalidInput
from tui.domain.models import Event, Invitation, Person, Session
from tui.domain.text import clean, clean_line

KINDS = ("invitation", "update", "cancel")
"""What a message does: the first invitation, a changed event, a cancelled one."""
METHODS = {"invitation": "REQUEST", "update": "REQUEST", "cancel": "CANCEL"}

DEFAULT_TEMPLATES = {
    "invitation": """Subject: Invitation: $event_title

Dear $guest_name,

$organizer_name invites you to $event_title.

When:  $when
Where: $place
$agenda
$rsvp

With best regards,
$organizer_name
""",
    "update": """Subject: Updated: $event_title

Dear $guest_name,

The details of $event_title have changed. It now takes place:

When:  $when
Where: $place
$agenda
The calendar entry attached replaces the one you have.

With best regards,
$organizer_name
""",
    "cancel": """Subject: Cancelled: $event_title

Dear $guest_name,

We are sorry to tell you that $event_title ($when) will not take place.
The calendar entry attached removes it from your calendar.

With best regards,
$organizer_name
""",
}
"""The shipped letters; `templates/<kind>.txt` or `templates/<kind>-<event kind>.txt` in the
config folder replace them. A first line "Subject: ..." sets the subject."""

FIELDS = (
    "guest_name",
    "event_title",
    "event_kind",
    "dates",
    "times",
    "timezone",
    "when",
    "place",
    "agenda",
    "rsvp",
    "organizer_name",
    "organizer_email",
)

MAIL_POLICY = policy.default.clone(max_line_length=998)
"""Headers are not folded at 78: Python's folding drops the space between two encoded words
("Violence – Zürich" came back as "Violence  –Zürich"). RFC 5322 allows 998."""

RSVP_LINE = (
    "Please reply with your calendar's Accept, Tentative or Decline buttons"
    " (or answer this e-mail) by $reply_by."
)


@dataclass(frozen=True)
class Organizer:
    """The officer who sends: the From of the message and the event's ORGANIZER."""

    address: str
    name: str | None = None


def template_for(kind: str, event_kind: str, folder: Path | None) -> tuple[str, str]:
    """(the template's text, where it came from): the officer's own for this kind of event,
    else their own for every event, else the shipped one."""
    if folder is not None:
        for name in (f"{kind}-{event_kind}.txt", f"{kind}.txt"):
            path = folder / name
            if path.is_file():
                try:
                    return path.read_text(encoding="utf-8-sig"), str(path)
                except (OSError, UnicodeDecodeError) as error:
                    raise InvalidInput(
                        f"cannot read the template: {error}", file=str(path)
                    ) from None
    return DEFAULT_TEMPLATES[kind], f"the shipped {kind} template"


def _day(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def dates_text(event: Event) -> str:
    """'Tuesday 8 December 2026' or 'Tuesday 15 December – Wednesday 16 December 2026'."""
    if event.end_date == event.start_date:
        return _day(event.start_date)
    first = f"{event.start_date:%A} {event.start_date.day} {event.start_date:%B}"
    if event.start_date.year != event.end_date.year:
        first += f" {event.start_date.year}"
    return f"{first} – {_day(event.end_date)}"


def times_text(event: Event) -> str:
    """'09:30–13:00 (Europe/Zurich)', or '' for an all-day event."""
    if event.start_time is None:
        return ""
    text = f"{event.start_time:%H:%M}"
    if event.end_time is not None:
        text += f"–{event.end_time:%H:%M}"
    if event.timezone:
        text += f" ({event.timezone})"
    return text


def place_text(event: Event) -> str:
    """Venue and location, or 'to be announced'."""
    return ", ".join(p for p in (event.venue, event.location) if p) or "to be announced"


def agenda_text(event: Event, sessions: Sequence[Session]) -> str:
    """The sessions, a line each, with their speakers' names; '' when there is no agenda."""
    if not sessions:
        return ""
    lines = ["", "Agenda:"]
    several_days = event.start_date != event.end_date
    for session in sessions:
        when = f"{session.date:%a %d %b} " if several_days else ""
        if session.start_time is not None:
            when += f"{session.start_time:%H:%M}"
            if session.end_time is not None:
                when += f"–{session.end_time:%H:%M}"
        line = f"  {when.strip():<12}  {session.title}" if when.strip() else f"  {session.title}"
        if session.room:
            line += f" ({session.room})"
        names = ", ".join(s.name for s in session.speakers if s.name)
        if names:
            line += f" — {names}"
        lines.append(line)
    return "\n".join(lines) + "\n"


def letter(
    kind: str,
    template: str,
    source: str,
    event: Event,
    sessions: Sequence[Session],
    guest: Person,
    organizer: Organizer,
    today: date | None = None,
) -> tuple[str, str]:
    """(subject, body) of the letter: the template filled in."""
    reply_by = event.start_date - timedelta(days=7)
    by = _day(reply_by) if today is None or reply_by > today else "return"
    values = {
        "guest_name": guest.name,
        "event_title": event.title,
        "event_kind": event.kind,
        "dates": dates_text(event),
        "times": times_text(event),
        "timezone": event.timezone or "",
        "when": ", ".join(p for p in (dates_text(event), times_text(event)) if p),
        "place": place_text(event),
        "agenda": agenda_text(event, sessions),
        "rsvp": string.Template(RSVP_LINE).substitute(reply_by=by),
        "organizer_name": organizer.name or organizer.address,
        "organizer_email": organizer.address,
    }
    values = {key: clean(value) for key, value in values.items()}
    try:
        text = string.Template(template).substitute(values)
    except KeyError as error:
        raise InvalidInput(
            f"{source}: unknown field ${error.args[0]} (known: {', '.join(FIELDS)})"
        ) from None
    except ValueError as error:
        raise InvalidInput(f"{source}: {error} (write $$ for a dollar sign)") from None
    subject = f"{kind.capitalize()}: {event.title}"
    first, _, rest = text.partition("\n")
    if first.lower().startswith("subject:"):
        subject = first.split(":", 1)[1].strip() or subject
        text = rest.lstrip("\n")
    return clean_line(subject), text.rstrip() + "\n"


def calendar_text(
    kind: str,
    event: Event,
    guest: Person,
    organizer: Organizer,
    sequence: int,
    stamp: datetime,
    description: str | None = None,
    changed: Sequence[tuple[date, Event]] = (),
) -> str:
    """The VCALENDAR (METHOD:REQUEST or CANCEL) of one guest's copy of the event.

    `changed`: occurrences of a repeating event changed on their own (day, the event it
    became), each sent as the series' VEVENT with that RECURRENCE-ID, so that the guest's
    calendar moves that day rather than drops it (a cancellation drops the whole series)."""
    from icalendar import Calendar, vCalAddress
    from icalendar import Event as VEvent

    from tui.domain.exporters.calendar_ics import add_recurrence_id, add_repeat, add_when
    from tui.domain.recurrence import without_exdates

    calendar = Calendar()
    calendar.add("prodid", f"-//Convener//Convener {__version__}//EN")
    calendar.add("version", "2.0")
    calendar.add("method", METHODS[kind])
    changed = changed if kind != "cancel" and event.repeat else ()
    series = event
    if changed and event.repeat:
        series = replace(event, repeat=without_exdates(event.repeat, {day for day, _ in changed}))
    for day, shown in [(None, series), *changed]:
        item = VEvent()
        item.add("uid", event.uid)
        if day is not None:
            add_recurrence_id(item, event, day)
        item.add("sequence", sequence)
        item.add("dtstamp", stamp.astimezone(UTC).replace(microsecond=0))
        # As the calendar export writes them: a two-day 09:00-17:00 workshop is two days at
        # those times (not one 32-hour block), and a repeating event carries its rule.
        add_when(item, shown)
        if day is None:
            add_repeat(item, shown)
        item.add("summary", clean_line(shown.title))
        place = ", ".join(p for p in (shown.venue, shown.location) if p)
        if place:
            item.add("location", clean_line(place))
        text = description if day is None else shown.summary
        if text:
            item.add("description", clean(text))
        if shown.url:
            item.add("url", clean_line(shown.url))
        cancelled = kind == "cancel" or (day is not None and shown.status == "cancelled")
        item.add("status", "CANCELLED" if cancelled else "CONFIRMED")
        organizer_address = vCalAddress(f"mailto:{organizer.address}")
        if organizer.name:
            organizer_address.params["cn"] = clean_line(organizer.name)
        item.add("organizer", organizer_address)
        attendee = vCalAddress(f"mailto:{guest.email}")
        attendee.params["cn"] = clean_line(guest.name)
        attendee.params["role"] = "REQ-PARTICIPANT"
        attendee.params["partstat"] = "NEEDS-ACTION"
        attendee.params["rsvp"] = "TRUE" if kind != "cancel" else "FALSE"
        item.add("attendee", attendee, encode=False)
        calendar.add_component(item)
    calendar.add_missing_timezones()
    return str(calendar.to_ical().decode())


def _cte(text: str) -> str:
    """7bit when it can be, else 8bit (readable in the outbox; made quoted-printable at send
    time for a server without 8BITMIME). Never base64: the officer may read and edit it."""
    longest = max((len(line.encode()) for line in text.splitlines()), default=0)
    if longest > 990:
        return "quoted-printable"
    return "7bit" if text.isascii() else "8bit"


def compose(
    kind: str,
    event: Event,
    sessions: Sequence[Session],
    invitation: Invitation,
    guest: Person,
    organizer: Organizer,
    sequence: int,
    template: tuple[str, str],
    stamp: datetime,
    today: date | None = None,
    changed: Sequence[tuple[date, Event]] = (),
) -> EmailMessage:
    """The whole message for one guest, ready to be written to the outbox (`changed`: see
    calendar_text)."""
    if not guest.email:
        raise InvalidInput(f"{guest.name} has no e-mail address")
    subject, body = letter(kind, template[0], template[1], event, sessions, guest, organizer, today)
    ics = calendar_text(kind, event, guest, organizer, sequence, stamp, event.summary, changed)
    message = EmailMessage(policy=MAIL_POLICY)
    try:
        message["From"] = Address(
            display_name=clean_line(organizer.name or ""), addr_spec=organizer.address
        )
        message["To"] = Address(display_name=clean_line(guest.name), addr_spec=guest.email)
    except (ValueError, IndexError) as error:
        raise InvalidInput(
            f"{guest.name}: the address {guest.email!r} cannot be used: {error}"
        ) from None
    message["Subject"] = subject
    message["Date"] = format_datetime(stamp)
    message["Message-ID"] = make_msgid("convener", domain=organizer.address.rpartition("@")[2])
    message["X-Convener-Kind"] = kind
    message["X-Convener-Event"] = event.uid or ""
    message["X-Convener-Guest"] = invitation.uid or ""
    message["X-Convener-Sequence"] = str(sequence)
    message.set_content(body, cte=_cte(body))
    message.add_alternative(
        ics, subtype="calendar", params={"method": METHODS[kind]}, cte=_cte(ics)
    )
    return message
