"""iCalendar files (text -> events with their people), read with the `icalendar` library.

Read as a stream, one VEVENT at a time: its content lines are split (icalendar's own
Contentline for any line with quoting) and only the properties Convener keeps are parsed,
by icalendar's value types. A 100 MB calendar never sits in memory whole.

Outlook's Windows zone names, Google's X-WR-TIMEZONE with UTC times, Apple's and khal's
files, folded lines, CRLF, floating times and DATE values all read. What cannot be read
is an error naming the event's UID and the line; an unknown TZID is an error, never a
silently naive time.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from tui.domain import validate
from tui.domain.errors import InvalidInput
from tui.domain.models import INVITATION_ROLES, INVITATION_STATUSES, Event, Person
from tui.domain.recurrence import OCCURRENCE_MARK, occurrence_uid

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


@dataclass(slots=True)
class IcsGuest:
    """An ATTENDEE (or the ORGANIZER): who, and for attendees their answer and part."""

    name: str
    email: str | None
    status: str | None = None
    """None for the organizer, who becomes a contact of the event, not a guest."""
    role: str = "participant"

    @property
    def person(self) -> Person:
        """The guest as a new person (for when nobody by that email or name exists)."""
        return Person(name=self.name, email=self.email)


@dataclass
class IcsEvent:
    """One VEVENT as an event and its people."""

    event: Event
    guests: list[IcsGuest] = field(default_factory=list)
    series: str | None = None
    """For a VEVENT with RECURRENCE-ID (one changed occurrence of a repeating event): the
    series' UID. The occurrence becomes its own event, as when an officer edits one
    occurrence, and the series leaves that day out."""
    occurrence: date | None = None
    """The day of the series this VEVENT replaces (its RECURRENCE-ID)."""


WANTED = frozenset(
    {
        "UID", "SUMMARY", "DTSTART", "DTEND", "DURATION", "LOCATION", "DESCRIPTION", "URL",
        "CATEGORIES", "STATUS", "CLASS", "RRULE", "EXDATE", "ATTENDEE", "ORGANIZER",
        "RECURRENCE-ID",
        "X-CONVENER-STATUS", "X-CONVENER-KIND", "X-CONVENER-ACCESS", "X-CONVENER-END-DATE",
        "X-CONVENER-VENUE", "X-CONVENER-LOCATION", "X-CONVENER-SUMMARY", "X-CONVENER-CAPACITY",
        "X-CONVENER-LINK-ONLY",
    }
)  # fmt: skip
"""The VEVENT properties Convener keeps; the rest of an event's lines are only stepped over."""

TODO_WANTED = frozenset(
    {
        "UID", "SUMMARY", "DUE", "RELATED-TO", "STATUS", "COMPLETED", "DESCRIPTION",
        "X-CONVENER-DUE", "X-CONVENER-WATCH", "X-CONVENER-OWNER",
    }
)  # fmt: skip
"""The VTODO properties Convener keeps (a task of a known event)."""


@dataclass(slots=True)
class IcsTodo:
    """One VTODO: a planning task for the event whose UID is `event_uid` (RELATED-TO)."""

    uid: str | None
    title: str
    event_uid: str | None
    line: int
    due_date: date | None = None
    due_text: str | None = None
    """X-CONVENER-DUE: a relative due date as Convener wrote it ("8 weeks before")."""
    done_on: date | None = None
    notes: str | None = None
    watch: str | None = None
    """X-CONVENER-WATCH: what the task watches on the guest list ("replies after 14 days")."""
    owner_uid: str | None = None
    owner_name: str | None = None
    """X-CONVENER-OWNER: the owner's name, its X-CONVENER-UID parameter the person's UID."""


PROGRESS_EVERY = 200
"""Events between two calls of the progress callback."""


@dataclass(slots=True)
class _Prop:
    """One content line of an event: its raw value (still escaped), parameters and line."""

    value: str
    params: dict[str, str]
    line: int

    def text(self) -> str:
        if "\\" not in self.value:  # nothing escaped: most values
            return self.value.strip()
        from icalendar.parser import unescape_backslash

        return str(unescape_backslash(self.value)).strip()


@dataclass
class _VEvent:
    """The properties of one VEVENT as read, by upper-cased name, in file order."""

    line: int
    props: dict[str, list[_Prop]] = field(default_factory=dict)

    def first(self, name: str) -> _Prop | None:
        found = self.props.get(name)
        return found[0] if found else None

    def all(self, name: str) -> list[_Prop]:
        return self.props.get(name, [])

    def text(self, name: str) -> str | None:
        prop = self.first(name)
        return (prop.text() or None) if prop is not None else None


_LINE = re.compile(
    r'([A-Za-z0-9-]+)((?:;[A-Za-z0-9-]+=(?:"[^"]*"|[^";:,]*)(?:,(?:"[^"]*"|[^";:,]*))*)*):'
)
"""NAME, then ;KEY=value parameters (plain, or quoted with anything but a quote), then ':'."""
_PARAM = re.compile(r';([A-Za-z0-9-]+)=((?:"[^"]*"|[^";:,]*)(?:,(?:"[^"]*"|[^";:,]*))*)')


def _content_line(line: str, number: int) -> tuple[str, dict[str, str], str]:
    """(NAME, parameters, raw value) of one unfolded line.

    RFC 5545's grammar is matched here; a line it does not fit, or one with RFC 6868
    caret escapes or backslashes before the value, goes to icalendar's own Contentline.
    """
    match = _LINE.match(line)
    if match is not None:
        head = match.group(2)
        if not head:
            return match.group(1).upper(), {}, line[match.end() :]
        if "\\" not in head and "^" not in head:
            params = {key.upper(): value.replace('"', "") for key, value in _PARAM.findall(head)}
            return match.group(1).upper(), params, line[match.end() :]
    from icalendar.parser import Contentline

    try:
        name, parsed, value = Contentline(line).raw_parts()  # type: ignore[no-untyped-call]
    except ValueError:
        shown = line if len(line) <= 40 else line[:39] + "…"
        raise InvalidInput(f"cannot read the line {shown!r}", line=number) from None
    return (
        name.upper(),
        {str(k).upper(): ",".join(v) if isinstance(v, list) else str(v) for k, v in parsed.items()},
        value,
    )


class IcsReader:
    """Events read one VEVENT at a time from lines of an iCalendar file.

    Only the event being read is held, never the whole file: a 100 MB calendar imports in
    constant memory. `done` counts the bytes read so far (for progress bars).
    """

    def __init__(self, lines: Iterable[str], *, large: bool = False) -> None:
        self._lines = lines
        self._large = large
        self.events = 0
        self.todos: list[IcsTodo] = []
        """The VTODOs read so far: written after the events, whose UIDs they name."""

    def _logical(self) -> Iterator[tuple[int, str]]:
        """Unfolded lines with the number of their first physical line; blank ones skipped."""
        pending: list[str] = []
        start = 0
        for number, raw in enumerate(self._lines, start=1):
            line = raw.rstrip("\r\n")
            if line[:1] in (" ", "\t") and pending:
                pending.append(line[1:])
                continue
            if pending:
                yield start, "".join(pending)
            if line.strip():
                pending, start = [line], number
            else:
                pending = []
        if pending:
            yield start, "".join(pending)

    def __iter__(self) -> Iterator[IcsEvent]:
        stack: list[tuple[str, int]] = []  # (component, line of its BEGIN)
        components = 0
        zone: ZoneInfo | None = None
        current: _VEvent | None = None
        wanted = WANTED
        for number, line in self._logical():
            # Only B, b, E and e upper-case to B or E: other lines skip the look.
            if line[:1] in "BbEe" and line[:6].upper().startswith(("BEGIN:", "END:")):
                kind, _, what = line.partition(":")
                what = what.strip().upper()
                if kind.upper() == "BEGIN":
                    if not stack and what != "VCALENDAR":
                        raise InvalidInput("is not an iCalendar file (no BEGIN:VCALENDAR)", line=1)
                    components += 1
                    if components > MAX_COMPONENTS and not self._large:
                        raise InvalidInput(
                            f"has more than {MAX_COMPONENTS:,} components; import it with --large",
                            line=number,
                        )
                    stack.append((what, number))
                    if what in ("VEVENT", "VTODO") and len(stack) == 2:
                        current = _VEvent(number)
                        wanted = WANTED if what == "VEVENT" else TODO_WANTED
                    continue
                if not stack or stack[-1][0] != what:
                    expected = f"END:{stack[-1][0]}" if stack else "nothing"
                    raise InvalidInput(f"END:{what} where {expected} was expected", line=number)
                stack.pop()
                if what == "VEVENT" and current is not None and len(stack) == 1:
                    self.events += 1
                    yield _event(current, zone)
                    current = None
                elif what == "VTODO" and current is not None and len(stack) == 1:
                    self.todos.append(_todo(current))
                    current = None
                elif what == "VCALENDAR":
                    zone = None
                continue
            if not stack:
                if number == 1 or not components:
                    raise InvalidInput("is not an iCalendar file (no BEGIN:VCALENDAR)", line=1)
                raise InvalidInput("text after END:VCALENDAR", line=number)
            depth = len(stack)
            if depth == 1:
                if line[:14].upper() == "X-WR-TIMEZONE:":
                    zone = _calendar_zone(line[14:].strip())
                elif ":" not in line:
                    _content_line(line, number)  # says which line cannot be read
                continue
            if current is None or depth != 2:
                if ":" not in line:
                    _content_line(line, number)
                continue  # a VTIMEZONE, a VJOURNAL, an alarm inside the event...
            colon = line.find(":")
            semicolon = line.find(";", 0, colon)
            if colon > 0:
                head = line[: semicolon if semicolon > 0 else colon]
                name = head.upper()
                if name not in wanted:
                    continue  # a property Convener does not keep: not worth parsing
                if semicolon < 0 and head.isascii():
                    # NAME:value, the name one of ours (so letters, digits and dashes):
                    # what _content_line would return, without matching it again.
                    current.props.setdefault(name, []).append(_Prop(line[colon + 1 :], {}, number))
                    continue
            name, params, value = _content_line(line, number)
            if name in wanted:
                current.props.setdefault(name, []).append(_Prop(value, params, number))
        if stack:
            what, begun = stack[-1]
            raise InvalidInput(f"ends inside this BEGIN:{what}, with no END:{what}", line=begun)
        if not components:
            raise InvalidInput("is not an iCalendar file (no BEGIN:VCALENDAR)", line=1)
        if not self.events and not self.todos:
            raise InvalidInput("has no events (VEVENT) to import", line=1)


def parse_ics(text: str, *, large: bool = False) -> list[IcsEvent]:
    """Read every VEVENT of a text; InvalidInput names the UID and line of what cannot be read."""
    return list(IcsReader(text.splitlines(), large=large))


_DAY = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:T\d{6}Z?)?$")


def _related_event(component: _VEvent) -> str | None:
    """The UID of the event a VTODO is RELATED-TO: with X-CONVENER-RECURRENCE-ID (our export
    of a changed occurrence's task), that occurrence of the series named."""
    related = component.first("RELATED-TO")
    if related is None:
        return None
    uid = related.text()
    day = _DAY.match(related.params.get("X-CONVENER-RECURRENCE-ID", "").strip())
    if uid and day is not None:
        try:
            return occurrence_uid(uid, date(int(day[1]), int(day[2]), int(day[3])))
        except ValueError:
            return uid  # not a day: the series itself
    return uid or None


def _todo(component: _VEvent) -> IcsTodo:
    """A VTODO as read: its day values checked; InvalidInput names its UID and the line."""
    uid = component.text("UID")

    def day(name: str) -> date | None:
        prop = component.first(name)
        if prop is None or not prop.value.strip():
            return None
        found = _DAY.match(prop.value.strip())
        try:
            if found is None:
                raise ValueError
            value = date(int(found[1]), int(found[2]), int(found[3]))
            return validate.date_value(value, name.lower())
        except (ValueError, InvalidInput):
            raise InvalidInput(
                f"to-do {uid or '(no UID)'}: {name} {prop.value.strip()[:40]!r} is not a date",
                line=prop.line,
            ) from None

    owner = component.first("X-CONVENER-OWNER")
    done = day("COMPLETED")
    if done is None and (component.text("STATUS") or "").upper() == "COMPLETED":
        done = day("DUE")  # completed, but not said when: the day it was due
    return IcsTodo(
        uid=uid,
        title=component.text("SUMMARY") or "",
        event_uid=_related_event(component),
        line=component.line,
        due_date=day("DUE"),
        due_text=component.text("X-CONVENER-DUE"),
        done_on=done,
        notes=component.text("DESCRIPTION"),
        watch=component.text("X-CONVENER-WATCH"),
        owner_uid=(owner.params.get("X-CONVENER-UID") or None) if owner is not None else None,
        owner_name=(owner.text() or None) if owner is not None else None,
    )


def _calendar_zone(name: str) -> ZoneInfo | None:
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (KeyError, ValueError, OSError):
        raise InvalidInput(f"X-WR-TIMEZONE {name!r} is not a known time zone", value=name) from None


def _event(component: _VEvent, default_zone: ZoneInfo | None) -> IcsEvent:
    """The event a VEVENT describes; a date beyond what Python's calendar holds is refused."""
    try:
        return _read_event(component, default_zone)
    except OverflowError:
        raise InvalidInput(
            "an event's dates are out of range (years 1900-2200 are kept)", line=component.line
        ) from None


def _read_event(component: _VEvent, default_zone: ZoneInfo | None) -> IcsEvent:
    from icalendar.prop import vDDDTypes, vDuration

    uid = component.text("UID")
    if uid is None:
        raise InvalidInput("an event has no UID", line=component.line)

    shown = uid if len(uid) <= 40 else uid[:39] + "…"

    def fail(message: str, prop: _Prop | None = None) -> InvalidInput:
        where = prop.line if prop is not None else component.line
        return InvalidInput(f"event {shown}: {message}", line=where)

    def moment(prop: _Prop, name: str) -> Any:
        try:
            return vDDDTypes.from_ical(prop.value.strip())  # type: ignore[no-untyped-call]
        except (ValueError, TypeError) as error:
            raise fail(f"{name} cannot be read ({error})", prop) from None

    start_prop = component.first("DTSTART")
    if start_prop is None:
        raise fail("has no DTSTART")
    tzid = start_prop.params.get("TZID")
    start_value = moment(start_prop, "DTSTART")
    try:
        start_day, start_time, zone, unknown = _moment(start_value, default_zone, tzid)
    except (TypeError, ValueError) as error:
        raise fail(f"DTSTART cannot be read ({error})", start_prop) from None
    if unknown or (tzid and zone is None and start_time is not None):
        raise fail(f"TZID {tzid!r} is not a known time zone", start_prop)

    end_day, end_time = start_day, None
    end_prop = component.first("DTEND")
    duration = component.first("DURATION")
    if end_prop is not None:
        end_value = moment(end_prop, "DTEND")
        if start_time is None:
            # DTEND of a DATE is exclusive: an event on the 8th ends on the 9th.
            end_day = (
                end_value.date() if isinstance(end_value, datetime) else end_value
            ) - timedelta(days=1)
            if end_day < start_day - timedelta(days=1):
                raise fail("ends before it starts", end_prop)
            end_day = max(end_day, start_day)  # DTEND = DTSTART: a day, as clients mean it
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
        try:
            delta = vDuration.from_ical(duration.value.strip())  # type: ignore[no-untyped-call]
        except (ValueError, TypeError) as error:
            raise fail(f"DURATION cannot be read ({error})", duration) from None
        try:
            if start_time is None:
                end_day = start_day + max(timedelta(0), delta - timedelta(days=1))
            else:
                finish = datetime.combine(start_day, start_time) + delta
                end_day, end_time = finish.date(), finish.time()
        except OverflowError:
            raise fail("DURATION is too long (an event lasts a year at most)", duration) from None
    if end_day < start_day or (
        end_day == start_day and end_time and start_time and end_time < start_time
    ):
        raise fail("ends before it starts", end_prop or duration)

    program = None
    if component.all("CATEGORIES"):
        from icalendar.parser import split_on_unescaped_comma

        names = [
            str(name).strip()
            for prop in component.all("CATEGORIES")
            for name in split_on_unescaped_comma(prop.value)
        ]
        program = ", ".join(n for n in names if n) or None
    status = component.text("X-CONVENER-STATUS") or STATUS.get(
        (component.text("STATUS") or "").upper()
    )
    access = CLASS.get((component.text("CLASS") or "PUBLIC").upper(), "public")
    repeat = _repeat(component, start_day, zone if start_time is not None else None, fail)
    span_end = _daily_span_end(component, repeat, start_day, start_time)
    if span_end is not None:
        # Our own export of a multi-day timed event (one occurrence a day): one event again.
        end_day, repeat = span_end, None
    series = day = None
    recurrence = component.first("RECURRENCE-ID")
    if recurrence is not None:
        value = moment(recurrence, "RECURRENCE-ID")
        try:
            day = _moment(value, default_zone, recurrence.params.get("TZID"))[0]
        except (TypeError, ValueError) as error:
            raise fail(f"RECURRENCE-ID cannot be read ({error})", recurrence) from None
        series, uid = uid, f"{uid}{OCCURRENCE_MARK}{day.strftime('%Y%m%d')}"
        repeat = None
    url = component.first("URL")
    capacity = None
    stated = component.first("X-CONVENER-CAPACITY")
    if stated is not None:
        try:
            capacity = validate.int_value(stated.value, "capacity", maximum=validate.MAX_CAPACITY)
        except InvalidInput as error:
            raise fail(error.message, stated) from None
    event = Event(
        uid=uid,
        title=component.text("SUMMARY") or "Untitled event",
        start_date=start_day,
        end_date=end_day,
        start_time=start_time,
        end_time=end_time,
        timezone=zone if start_time is not None else None,
        # Our own export keeps venue and place apart; LOCATION joins them for other clients.
        location=(
            component.text("X-CONVENER-LOCATION")
            if component.first("X-CONVENER-VENUE") or component.first("X-CONVENER-LOCATION")
            else component.text("LOCATION")
        ),
        venue=component.text("X-CONVENER-VENUE"),
        description=component.text("DESCRIPTION"),
        url=(url.value.strip() or None) if url is not None else None,
        program_area=program,
        status=status or "planned",
        kind=component.text("X-CONVENER-KIND") or "other",
        access=component.text("X-CONVENER-ACCESS") or access,
        repeat=repeat,
        summary=component.text("X-CONVENER-SUMMARY"),
        capacity=capacity,
        link_only=(component.text("X-CONVENER-LINK-ONLY") or "").upper() == "TRUE",
    )
    guests = [_guest(a) for a in component.all("ATTENDEE")]
    organizer = component.first("ORGANIZER")
    if organizer is not None:
        guests.append(_person(organizer))
    return IcsEvent(event, [g for g in guests if g is not None], series, day)


def _daily_span_end(
    component: _VEvent, repeat: str | None, start: date, start_time: Any
) -> date | None:
    """The end date of a multi-day event Convener exported as daily occurrences, else None.

    Only when X-CONVENER-END-DATE agrees with the rule (FREQ=DAILY;COUNT=days): a rule
    edited elsewhere stays a repeating event.
    """
    marker = component.text("X-CONVENER-END-DATE")
    if not marker or not repeat or start_time is None:
        return None
    try:
        end = date.fromisoformat(marker.strip())
    except ValueError:
        return None
    days = (end - start).days + 1
    rule = repeat.strip().upper().removeprefix("RRULE:")
    if days < 2 or rule != f"FREQ=DAILY;COUNT={days}":
        return None
    return end


def _repeat(component: _VEvent, start: date, zone_name: str | None, fail: Any) -> str | None:
    from icalendar.prop import vDDDLists, vRecur

    rule_prop = component.first("RRULE")
    if rule_prop is None:
        return None
    zone = ZoneInfo(zone_name) if zone_name else None
    try:
        rule = vRecur.from_ical(rule_prop.value.strip())
    except (ValueError, TypeError) as error:
        raise fail(f"RRULE cannot be read ({error})", rule_prop) from None
    until = rule.get("UNTIL")
    if until:
        # Convener keeps a rule over dates: an UNTIL date-time (RFC 5545 wants one when
        # DTSTART has a time) becomes its day in the event's own zone.
        days = []
        for value in until if isinstance(until, list) else [until]:
            if isinstance(value, datetime):
                value = (value.astimezone(zone) if value.tzinfo and zone else value).date()
            days.append(value)
        rule = rule.copy()
        rule["UNTIL"] = days
    body = "RRULE:" + str(rule.to_ical().decode())
    exdates: list[str] = []
    for prop in component.all("EXDATE"):
        try:
            values = vDDDLists.from_ical(prop.value.strip())  # type: ignore[no-untyped-call]
        except (ValueError, TypeError) as error:
            raise fail(f"EXDATE cannot be read ({error})", prop) from None
        for value in values:
            if isinstance(value, datetime) and value.tzinfo and zone:
                value = value.astimezone(zone)
            exdates.append(value.strftime("%Y%m%d"))
    repeat = body + "\nEXDATE:" + ",".join(exdates) if exdates else body
    try:
        return validate.repeat_value(repeat, start)  # the form it keeps; sub-daily refused
    except InvalidInput as error:
        raise fail(error.message, rule_prop) from None


def _person(
    address: _Prop, status: str | None = None, role: str = "participant"
) -> IcsGuest | None:
    address_text = address.value.strip()
    mailto = address_text[:7].lower() == "mailto:"
    if mailto:
        address_text = address_text[7:]
    # A mailto: address is checked as an e-mail (the store refuses a bad one); another
    # scheme (urn:uuid:…) names the guest without one.
    email = address_text.strip() if mailto or "@" in address_text else None
    name = address.params.get("CN", "").strip() or email
    if not name:
        return None
    return IcsGuest(name, email, status, role)


_GUEST_PARTS: dict[tuple[str | None, str, str | None, str], tuple[str, str]] = {}
"""(status, role) by the parameters they are read from: a file has a handful of these
combinations and a hundred thousand attendees. Kept small (a file of odd values)."""


def _guest(attendee: _Prop) -> IcsGuest | None:
    params = attendee.params
    key = (
        params.get("X-CONVENER-STATUS"),
        params.get("PARTSTAT", "NEEDS-ACTION"),
        params.get("X-CONVENER-ROLE"),
        params.get("ROLE", "REQ-PARTICIPANT"),
    )
    parts = _GUEST_PARTS.get(key)
    if parts is None:
        # Our own export says the exact status and role beside the standard ones; the store
        # checks them as it checks a form's.
        try:
            status = validate.choice(key[0], "guest status", INVITATION_STATUSES) or PARTSTAT.get(
                key[1].upper(), "invited"
            )
            part = validate.choice(key[2], "guest role", INVITATION_ROLES) or ROLES.get(
                key[3].upper(), "participant"
            )
        except InvalidInput as error:
            raise InvalidInput(error.message, line=attendee.line) from None
        parts = (status, part)
        if len(_GUEST_PARTS) < 256:
            _GUEST_PARTS[key] = parts
    return _person(attendee, *parts)


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
