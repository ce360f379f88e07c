"""iCalendar files (text -> events with their people), read with the `icalendar` library.

Outlook's Windows zone names, Google's X-WR-TIMEZONE with UTC times, Apple's and khal's
files, folded lines, CRLF, floating times and DATE values all read. What cannot be read
is an error naming the event's UID and the line; an unknown TZID is an error, never a
silently naive time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from tui.domain.errors import InvalidInput
from tui.domain.models import Event, Invitation, Person

MAX_COMPONENTS = 10_000
"""Files with more components than this need --large (a typo'd file can be huge)."""

PARTSTAT = {
    "NEEDS-ACTION": "invited",
    "ACCEPTED": "accepted",
    "DECLINED": "declined",
    "TENTATIVE": "tentative",
    "DELEGATED": "invited",
}
ROLES = {
    "CHAIR": "moderator",
    "REQ-PARTICIPANT": "participant",
    "OPT-PARTICIPANT": "participant",
    "NON-PARTICIPANT": "observer",
}
STATUS = {"CONFIRMED": "confirmed", "TENTATIVE": "planned", "CANCELLED": "cancelled"}
CLASS = {"PUBLIC": "public", "PRIVATE": "closed", "CONFIDENTIAL": "invitation-only"}


@dataclass
class IcsGuest:
    """An ATTENDEE (or the ORGANIZER) as a person and, for attendees, a guest-list line."""

    person: Person
    invitation: Invitation | None
    """None for the organizer, who becomes a contact of the event."""


@dataclass
class IcsEvent:
    """One VEVENT as an event and its people."""

    event: Event
    guests: list[IcsGuest] = field(default_factory=list)


class _Lines:
    """Where each VEVENT and each of its properties starts in the file (physical lines)."""

    def __init__(self, text: str) -> None:
        self.events: dict[str, int] = {}
        self.properties: dict[tuple[str, str], int] = {}
        begin: int | None = None
        current: dict[str, int] = {}
        uid: str | None = None
        for number, line in enumerate(text.splitlines(), start=1):
            if not line or line[0] in " \t":
                continue  # a folded continuation belongs to the line above
            upper = line.upper()
            if upper.startswith("BEGIN:VEVENT"):
                begin, current, uid = number, {}, None
            elif upper.startswith("END:VEVENT") and begin is not None:
                if uid is not None:
                    self.events[uid] = begin
                    for prop, prop_line in current.items():
                        self.properties[(uid, prop)] = prop_line
                begin = None
            elif begin is not None:
                name = re.split(r"[;:]", upper, maxsplit=1)[0]
                current.setdefault(name, number)
                if name == "UID":
                    uid = line.split(":", 1)[-1].strip()

    def of(self, uid: str, prop: str | None = None) -> int | None:
        """The line of a property of the event with this UID (or of its BEGIN)."""
        if prop is not None and (uid, prop) in self.properties:
            return self.properties[(uid, prop)]
        return self.events.get(uid)


def _zone_name(zone: tzinfo | None) -> str | None:
    if zone is None:
        return None
    key = getattr(zone, "key", None)
    if key:
        return str(key)
    from icalendar.timezone import tzids_from_tzinfo

    for candidate in tzids_from_tzinfo(zone):
        if "/" in candidate or candidate == "UTC":
            return candidate
    return None


def _known_zone(tzid: str | None) -> ZoneInfo | None:
    """An IANA zone for a TZID: itself, or Outlook's Windows name mapped (CLDR's table)."""
    if not tzid:
        return None
    from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

    for name in (tzid, WINDOWS_TO_OLSON.get(tzid), tzid.strip("/")):
        if name:
            try:
                return ZoneInfo(name)
            except (KeyError, ValueError, OSError):
                continue
    return None


def _moment(
    value: Any, default_zone: ZoneInfo | None, tzid: str | None = None
) -> tuple[date, time | None, str | None, bool]:
    """(date, time, zone name, had a TZID that could not be resolved)."""
    known = _known_zone(tzid)
    if isinstance(value, datetime) and known is not None:
        # The TZID says which zone; a VTIMEZONE in the file only described it.
        local = value.replace(tzinfo=None) if value.tzinfo is None else value.astimezone(known)
        clock = local.time().replace(second=0, microsecond=0, tzinfo=None)
        return local.date(), clock, known.key, False
    if isinstance(value, datetime) and tzid:
        return value.date(), value.time(), None, True
    if isinstance(value, datetime):
        if value.tzinfo is None:
            if default_zone is not None:  # floating time in a file that names its zone
                return value.date(), value.time().replace(second=0), default_zone.key, False
            return value.date(), value.time().replace(second=0), None, False
        name = _zone_name(value.tzinfo)
        if name == "UTC" and default_zone is not None:
            local = value.astimezone(default_zone)
            return (
                local.date(),
                local.time().replace(second=0, tzinfo=None),
                default_zone.key,
                False,
            )
        if name is None:
            return value.date(), value.time(), None, True
        return value.date(), value.time().replace(second=0, tzinfo=None), name, False
    if isinstance(value, date):
        return value, None, None, False
    raise TypeError(type(value).__name__)


def parse_ics(text: str, *, large: bool = False, file: str | None = None) -> list[IcsEvent]:
    """Read every VEVENT; InvalidInput names the UID and line of what cannot be read."""
    from icalendar import Calendar

    if "BEGIN:VCALENDAR" not in text[:4096].upper():
        raise InvalidInput("is not an iCalendar file (no BEGIN:VCALENDAR)", line=1)
    if not large and text.upper().count("BEGIN:") > MAX_COMPONENTS:
        raise InvalidInput(f"has more than {MAX_COMPONENTS:,} components; import it with --large")
    try:
        calendars = Calendar.from_ical(text, multiple=True)
    except (ValueError, IndexError, KeyError) as error:
        raise InvalidInput(f"is not valid iCalendar: {error}") from None
    lines = _Lines(text)
    found: list[IcsEvent] = []
    for calendar in calendars:
        default_zone = _calendar_zone(calendar)
        for component in calendar.walk("VEVENT"):
            found.append(_event(component, default_zone, lines))
    if not found:
        raise InvalidInput("has no events (VEVENT) to import")
    return found


def _calendar_zone(calendar: Any) -> ZoneInfo | None:
    name = calendar.get("X-WR-TIMEZONE")
    if not name:
        return None
    try:
        return ZoneInfo(str(name))
    except (KeyError, ValueError, OSError):
        raise InvalidInput(f"X-WR-TIMEZONE {str(name)!r} is not a known time zone") from None


def _text(component: Any, name: str) -> str | None:
    value = component.get(name)
    if value is None:
        return None
    return str(value).strip() or None


def _event(component: Any, default_zone: ZoneInfo | None, lines: _Lines) -> IcsEvent:
    uid = _text(component, "UID")
    if uid is None:
        raise InvalidInput("an event has no UID", line=None)

    def fail(message: str, prop: str | None = None) -> InvalidInput:
        shown = uid if len(uid) <= 40 else uid[:39] + "…"
        return InvalidInput(f"event {shown}: {message}", line=lines.of(uid, prop))

    for prop, message in getattr(component, "errors", []) or []:
        raise fail(f"{prop} cannot be read ({message})", prop)
    start_prop = component.get("DTSTART")
    if start_prop is None:
        raise fail("has no DTSTART")
    try:
        tzid = start_prop.params.get("TZID")
        start_day, start_time, zone, unknown = _moment(start_prop.dt, default_zone, tzid)
    except (TypeError, ValueError) as error:
        raise fail(f"DTSTART cannot be read ({error})", "DTSTART") from None
    if unknown or (start_prop.params.get("TZID") and zone is None and start_time is not None):
        raise fail(f"TZID {start_prop.params.get('TZID')!r} is not a known time zone", "DTSTART")

    end_day, end_time = start_day, None
    end_prop = component.get("DTEND")
    duration = component.get("DURATION")
    if end_prop is not None:
        try:
            end_value = end_prop.dt
        except Exception:  # a broken property reported by icalendar
            raise fail("DTEND cannot be read", "DTEND") from None
        if start_time is None:
            # DTEND of a DATE is exclusive: an event on the 8th ends on the 9th.
            end_day = (
                end_value.date() if isinstance(end_value, datetime) else end_value
            ) - timedelta(days=1)
            end_day = max(end_day, start_day)
        else:
            if isinstance(end_value, datetime) and zone:
                end_zone = _known_zone(end_prop.params.get("TZID"))
                if end_value.tzinfo is None and end_zone is not None:
                    end_value = end_value.replace(tzinfo=end_zone)
                if end_value.tzinfo is not None:
                    end_value = end_value.astimezone(ZoneInfo(zone))
            if isinstance(end_value, datetime):
                end_day, end_time = (
                    end_value.date(),
                    end_value.time().replace(second=0, tzinfo=None),
                )
    elif duration is not None:
        delta = duration.dt
        if start_time is None:
            end_day = start_day + max(timedelta(0), delta - timedelta(days=1))
        else:
            finish = datetime.combine(start_day, start_time) + delta
            end_day, end_time = finish.date(), finish.time()
    if end_day < start_day or (
        end_day == start_day and end_time and start_time and end_time < start_time
    ):
        raise fail("ends before it starts", "DTEND")

    categories = component.get("CATEGORIES")
    program = None
    if categories is not None:
        groups = categories if isinstance(categories, list) else [categories]
        names = [str(c) for group in groups for c in getattr(group, "cats", [group])]
        program = ", ".join(n for n in names if n) or None
    status = _text(component, "X-CONVENER-STATUS") or STATUS.get(
        (_text(component, "STATUS") or "").upper()
    )
    access = CLASS.get((_text(component, "CLASS") or "PUBLIC").upper(), "public")
    repeat = _repeat(component, fail)
    event = Event(
        uid=uid,
        title=_text(component, "SUMMARY") or "Untitled event",
        start_date=start_day,
        end_date=end_day,
        start_time=start_time,
        end_time=end_time,
        timezone=zone if start_time is not None else None,
        location=_text(component, "LOCATION"),
        description=_text(component, "DESCRIPTION"),
        url=_text(component, "URL"),
        program_area=program,
        status=status or "planned",
        kind=_text(component, "X-CONVENER-KIND") or "other",
        access=_text(component, "X-CONVENER-ACCESS") or access,
        repeat=repeat,
    )
    guests = [_guest(a, fail) for a in _list(component.get("ATTENDEE"))]
    organizer = component.get("ORGANIZER")
    if organizer is not None:
        person = _person(organizer)
        if person is not None:
            guests.append(IcsGuest(person, None))
    return IcsEvent(event, [g for g in guests if g is not None])


def _list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _repeat(component: Any, fail: Any) -> str | None:
    rule = component.get("RRULE")
    if rule is None:
        return None
    until = rule.get("UNTIL")
    if until:
        # Convener keeps a rule over dates: an UNTIL date-time (RFC 5545 wants one when
        # DTSTART has a time) becomes its day in the event's own zone.
        start = getattr(component.get("DTSTART"), "dt", None)
        zone = getattr(start, "tzinfo", None)
        days = []
        for value in until if isinstance(until, list) else [until]:
            if isinstance(value, datetime):
                value = (value.astimezone(zone) if value.tzinfo and zone else value).date()
            days.append(value)
        rule = rule.copy()
        rule["UNTIL"] = days
    body = "RRULE:" + str(rule.to_ical().decode())
    exdates: list[str] = []
    for group in _list(component.get("EXDATE")):
        for item in getattr(group, "dts", []):
            value = item.dt
            exdates.append(value.strftime("%Y%m%d"))
    if not exdates:
        return body.removeprefix("RRULE:")  # the plain form validate.repeat_value keeps
    return body + "\nEXDATE:" + ",".join(exdates)


def _person(address: Any) -> Person | None:
    address_text = str(address)
    if address_text.lower().startswith("mailto:"):
        address_text = address_text[7:]
    email = address_text.strip() if "@" in address_text else None
    name = str(address.params.get("CN", "")).strip() or email
    if not name:
        return None
    return Person(name=name, email=email)


def _guest(attendee: Any, fail: Any) -> IcsGuest | None:
    person = _person(attendee)
    if person is None:
        return None
    partstat = str(attendee.params.get("PARTSTAT", "NEEDS-ACTION")).upper()
    role = str(attendee.params.get("ROLE", "REQ-PARTICIPANT")).upper()
    invitation = Invitation(
        event_id=0,
        person_id=0,
        status=PARTSTAT.get(partstat, "invited"),
        role=ROLES.get(role, "participant"),
    )
    return IcsGuest(person, invitation)
