"""Events as iCalendar (models -> text), with a VTIMEZONE for every zone used."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from tui import __version__
from tui.domain.dates import zone_info
from tui.domain.exporters.markdown_text import strip_controls
from tui.domain.models import Event, Invitation, Person, Task
from tui.domain.privacy import guests_may_leave
from tui.domain.recurrence import split_occurrence_uid, without_exdates
from tui.domain.reminders import Reminders
from tui.domain.task_watch import watch_words
from tui.domain.tasks import due_on, due_words

STATUS = {
    "planned": "TENTATIVE",
    "confirmed": "CONFIRMED",
    "held": "CONFIRMED",
    "postponed": "TENTATIVE",
    "cancelled": "CANCELLED",
}
CLASS = {"public": "PUBLIC", "closed": "PRIVATE", "invitation-only": "CONFIDENTIAL"}
PARTSTAT = {
    "to-invite": "NEEDS-ACTION",
    "invited": "NEEDS-ACTION",
    "accepted": "ACCEPTED",
    "attended": "ACCEPTED",
    "declined": "DECLINED",
    "no-show": "DECLINED",
    "tentative": "TENTATIVE",
    "waitlisted": "NEEDS-ACTION",
}
ROLE = {"moderator": "CHAIR", "observer": "NON-PARTICIPANT", "press": "NON-PARTICIPANT"}


@dataclass(frozen=True)
class CalendarEntry:
    """One event as the iCalendar export writes it (the planner gathers it)."""

    event: Event
    organizer: Person | None = None
    """The first staff contact with an e-mail address."""
    guests: Sequence[tuple[Invitation, Person]] = ()
    """The guest list with each person (left empty where the privacy gate keeps it back)."""
    tasks: Sequence[Task] = field(default_factory=tuple)
    owners: Mapping[int, Person] = field(default_factory=dict)
    """The tasks' owners by person id (X-CONVENER-OWNER)."""
    series: Event | None = None
    """The series this event is one changed occurrence of, when the series is written in
    the same calendar: the VEVENT takes the series' UID and a RECURRENCE-ID."""
    moved: Sequence[tuple[date, date]] = ()
    """For a series: the first and last days of its occurrences changed on their own,
    which its relative to-dos still count from (see tasks.cycle_occurrence)."""
    own_days: frozenset[date] = frozenset()
    """For a series: the days whose changed occurrence is written in the same calendar
    (RECURRENCE-ID), which its rule then no longer leaves out."""


DEFAULT_REMINDERS = Reminders()
"""To-dos ring at 09:00 on their due day; events carry no alarm."""


def to_ics(
    entries: Sequence[CalendarEntry],
    *,
    include_private: bool = False,
    stamp: datetime | None = None,
    reminders: Reminders = DEFAULT_REMINDERS,
    today: date | None = None,
) -> str:
    """A VCALENDAR of `events`. Guests appear only for events whose access allows it
    (an invitation-only event's guests need `include_private`). Open to-dos and events
    carry display alarms as `reminders` say. A repeating event's relative to-do is due
    by the occurrence it is about on `today` (see tasks.cycle_occurrence)."""
    return "".join(
        ics_chunks(
            entries,
            zones_of(entry.event for entry in entries),
            include_private=include_private,
            stamp=stamp,
            reminders=reminders,
            today=today,
        )
    )


def zones_of(events: Iterable[Event]) -> set[str]:
    """The time zones the events' VEVENTs name (a VTIMEZONE is written for each)."""
    return {e.timezone for e in events if e.timezone and e.start_time is not None}


def ics_chunks(
    entries: Iterable[CalendarEntry],
    zones: Iterable[str],
    *,
    include_private: bool = False,
    stamp: datetime | None = None,
    reminders: Reminders = DEFAULT_REMINDERS,
    today: date | None = None,
) -> Iterator[str]:
    """A VCALENDAR as text chunks: the head and a VTIMEZONE per zone, then one chunk per
    event (its VEVENT and VTODOs), then the end. Nothing is kept from one event to the
    next, so a calendar of any size is written in the memory of one event."""
    from icalendar import Calendar, Timezone

    calendar = Calendar()
    calendar.add("prodid", f"-//Convener//Convener {__version__}//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    for zone in sorted(set(zones) - {"UTC"}):
        try:
            calendar.add_component(Timezone.from_tzid(zone))
        except ValueError:
            continue  # a zone icalendar does not know gets no VTIMEZONE (as before)
    whole = calendar.to_ical().decode()
    head, end = whole[: -len(_END)], whole[-len(_END) :]
    assert end == _END
    yield head
    moment = stamp or datetime(2000, 1, 1, tzinfo=UTC)
    ring = reminders.task_trigger()
    for entry in entries:
        event = entry.event
        item = _vevent(entry, include_private, moment)
        for lead in reminders.for_kind(event.kind):
            item.add_component(_alarm(-lead, strip_controls(event.title)))
        parts = [item.to_ical().decode()]
        for task in entry.tasks:
            owner = entry.owners.get(task.owner_id) if task.owner_id is not None else None
            todo = _todo(task, event, moment, owner, entry.series, today, entry.moved)
            if (
                ring is not None
                and task.done_on is None
                and due_on(task, event, today, entry.moved)
            ):
                todo.add_component(_alarm(ring, strip_controls(task.title), related="END"))
            parts.append(todo.to_ical().decode())
        yield "".join(parts)
    yield _END


_END = "END:VCALENDAR\r\n"


def add_when(item: Any, event: Event) -> None:
    """DTSTART and DTEND of an event's VEVENT, the export's and the invitations' alike (a
    timed event over several days: its days at its times, repeated daily)."""
    if is_daily_span(event):
        # A two-day 09:00-17:00 workshop is two days at those times, not one 32-hour
        # block: the first day's times, repeated daily for each day of the event. The
        # end date travels along so that `convener import` reads back one event.
        assert event.start_time is not None and event.end_time is not None
        zone = zone_info(event.timezone) if event.timezone else None
        item.add("dtstart", datetime.combine(event.start_date, event.start_time, zone))
        item.add("dtend", datetime.combine(event.start_date, event.end_time, zone))
        days = (event.end_date - event.start_date).days + 1
        item.add("rrule", {"FREQ": "DAILY", "COUNT": days})
        item.add("x-convener-end-date", event.end_date.isoformat())
    elif event.start_time is not None:
        zone = zone_info(event.timezone) if event.timezone else None
        start = datetime.combine(event.start_date, event.start_time, zone)
        item.add("dtstart", start)
        end_time = event.end_time or event.start_time
        end = datetime.combine(event.end_date, end_time, zone)
        if end > start:
            item.add("dtend", end)
    else:
        item.add("dtstart", event.start_date)
        # DTEND of a DATE is exclusive.
        item.add("dtend", event.end_date + timedelta(days=1))


def add_recurrence_id(item: Any, series: Event, day: date) -> None:
    """RECURRENCE-ID of the series' occurrence on `day`: of DTSTART's type, the series'
    start time in its zone for a timed series."""
    if series.start_time is not None:
        zone = zone_info(series.timezone) if series.timezone else None
        item.add("recurrence-id", datetime.combine(day, series.start_time, zone))
    else:
        item.add("recurrence-id", day)


def add_repeat(item: Any, event: Event) -> None:
    """The RRULE and EXDATE lines of a repeating event's VEVENT."""
    if event.repeat:
        lines = event.repeat.splitlines()
        for line in lines:
            name, _, value = line.partition(":") if ":" in line else ("RRULE", "", line)
            if name.upper() == "RRULE" or ":" not in line:
                item.add("rrule", _rrule(value, event))
            elif name.upper() == "EXDATE":
                # Of DTSTART's type (RFC 5545 3.8.5.1): for a timed series the skipped day
                # at the start time in the event's zone (a date alone is ignored by
                # Nextcloud, sabre/vobject and Google, which then show the day).
                zone = zone_info(event.timezone) if event.timezone else None
                for day in value.split(","):
                    skipped = date(int(day[:4]), int(day[4:6]), int(day[6:8]))
                    if event.start_time is not None:
                        item.add("exdate", datetime.combine(skipped, event.start_time, zone))
                    else:
                        item.add("exdate", skipped)


def _vevent(entry: CalendarEntry, include_private: bool, moment: datetime) -> Any:
    from icalendar import Event as VEvent
    from icalendar import vCalAddress, vText

    event = entry.event
    item = VEvent()
    day = split_occurrence_uid(event.uid) if entry.series is not None else None
    if entry.series is not None and day is not None:
        # One changed occurrence of a series written beside it (RFC 5545 3.8.4.4).
        item.add("uid", entry.series.uid)
        add_recurrence_id(item, entry.series, day[1])
    else:
        item.add("uid", event.uid)
    if entry.own_days and event.repeat:
        event = replace(event, repeat=without_exdates(event.repeat, set(entry.own_days)))
    # The record's last change: the same data gives the same bytes.
    changed = datetime.fromisoformat(event.updated_at) if event.updated_at else moment
    item.add("dtstamp", changed.astimezone(UTC).replace(microsecond=0))
    item.add("summary", strip_controls(event.title))
    add_when(item, event)
    for name, value in (
        ("location", ", ".join(p for p in (event.venue, event.location) if p) or None),
        ("description", event.description),
        ("url", event.url),
    ):
        if value:
            item.add(name, strip_controls(value))
    if event.program_area:
        item.add("categories", [strip_controls(event.program_area)])
    item.add("status", STATUS[event.status])
    item.add("class", CLASS[event.access])
    # Exactly what Convener keeps, so a round trip through our own export is exact.
    item.add("x-convener-status", event.status)
    item.add("x-convener-kind", event.kind)
    item.add("x-convener-access", event.access)
    # LOCATION joins venue and place for other clients; these keep them apart for us.
    if event.venue:
        item.add("x-convener-venue", strip_controls(event.venue))
    if event.location:
        item.add("x-convener-location", strip_controls(event.location))
    # What no iCalendar property holds: kept for our own import (an export imported again
    # into another database lost them; into this one it marked linked events known).
    if event.summary:
        # vText: escaped (a summary of several lines; icalendar writes a str as it is).
        item.add("x-convener-summary", vText(strip_controls(event.summary)))
    if event.capacity is not None:
        item.add("x-convener-capacity", str(event.capacity))
    if event.link_only:
        item.add("x-convener-link-only", "TRUE")
    add_repeat(item, event)
    if entry.organizer is not None and entry.organizer.email:
        organizer = vCalAddress(f"mailto:{entry.organizer.email}")
        organizer.params["cn"] = strip_controls(entry.organizer.name)
        item.add("organizer", organizer)
    if guests_may_leave(event, include_private):
        for invitation, person in entry.guests:
            address = vCalAddress(
                f"mailto:{person.email}" if person.email else f"urn:convener:{person.uid}"
            )
            address.params["cn"] = strip_controls(person.name)
            address.params["partstat"] = PARTSTAT[invitation.status]
            address.params["role"] = ROLE.get(invitation.role, "REQ-PARTICIPANT")
            # PARTSTAT and ROLE have no word for waitlisted, to-invite, attended, press...
            address.params["x-convener-status"] = invitation.status
            address.params["x-convener-role"] = invitation.role
            item.add("attendee", address, encode=False)
    return item


def _todo(
    task: Task,
    event: Event,
    moment: datetime,
    owner: Person | None = None,
    series: Event | None = None,
    today: date | None = None,
    moved: Sequence[tuple[date, date]] = (),
) -> Any:
    """A planning task as a VTODO: DUE its day, RELATED-TO its event's UID. A relative due
    date travels as X-CONVENER-DUE too, so that our own import keeps it relative.

    The task of an occurrence written as its `series`' RECURRENCE-ID is RELATED-TO the
    series' UID, the one in the file (RELATED-TO names a UID, not an instance), and
    X-CONVENER-RECURRENCE-ID=<day> on it says which occurrence, for our own import.

    The owner goes as X-CONVENER-OWNER;X-CONVENER-UID=<person's UID>:<name>, not as
    ATTENDEE/ORGANIZER: on a shared CalDAV server a VTODO with an ATTENDEE is a scheduling
    object (RFC 6638), so the server would mail the owner an assignment for each task and
    each change, and ATTENDEE needs an e-mail address a staff person may not have;
    ORGANIZER says who assigns, not who does. Other clients step over an X- property."""
    from icalendar import Todo, vText

    item = Todo()
    item.add("uid", task.uid)
    changed = datetime.fromisoformat(task.updated_at) if task.updated_at else moment
    item.add("dtstamp", changed.astimezone(UTC).replace(microsecond=0))
    item.add("summary", strip_controls(task.title))
    due = due_on(task, event, today, moved)
    if due is not None:
        item.add("due", due)
    if task.due_offset is not None:
        item.add("x-convener-due", due_words(task))
    if task.watch:
        item.add("x-convener-watch", watch_words(task.watch))
    day = split_occurrence_uid(event.uid) if series is not None else None
    if series is not None and day is not None:
        item.add(
            "related-to", series.uid, parameters={"X-CONVENER-RECURRENCE-ID": f"{day[1]:%Y%m%d}"}
        )
    else:
        item.add("related-to", event.uid)
    if owner is not None:
        parameters = {"X-CONVENER-UID": owner.uid} if owner.uid else {}
        # As TEXT, so that a comma in a name is escaped as RFC 5545 3.3.11 asks.
        item.add("x-convener-owner", vText(strip_controls(owner.name)), parameters=parameters)
    if task.notes:
        item.add("description", strip_controls(task.notes))
    if task.done_on is not None:
        item.add("status", "COMPLETED")
        item.add("completed", datetime.combine(task.done_on, time(12), UTC))
    else:
        item.add("status", "NEEDS-ACTION")
    return item


def may_go_as_override(event: Event) -> bool:
    """True for an occurrence changed on its own that can be written as its series'
    RECURRENCE-ID: one span, no rule of its own (a changed occurrence made a two-day
    09:00-17:00 event would need a DAILY rule, which an override cannot carry)."""
    return (
        split_occurrence_uid(event.uid) is not None
        and not event.repeat
        and not is_daily_span(event)
    )


def is_daily_span(event: Event) -> bool:
    """A timed event over several days (not repeating): the same hours on each day."""
    return (
        event.end_date > event.start_date
        and not event.repeat
        and event.start_time is not None
        and event.end_time is not None
        and event.end_time > event.start_time
    )


def _rrule(text: str, event: Event) -> dict[str, object]:
    """The rule as icalendar wants it; UNTIL takes DTSTART's value type (RFC 5545 3.3.10):
    a date-time, in UTC when the start has a zone, for an event with a start time."""
    from icalendar import vRecur

    rule: dict[str, object] = dict(vRecur.from_ical(text))
    until = rule.get("UNTIL")
    values = until if isinstance(until, list) else [until] if until is not None else []
    if event.start_time is not None and values:
        zone = zone_info(event.timezone) if event.timezone else None
        fixed: list[object] = []
        for value in values:
            if isinstance(value, date) and not isinstance(value, datetime):
                end_of_day = datetime.combine(value, time(23, 59, 59), zone)
                value = end_of_day.astimezone(UTC) if zone else end_of_day
            fixed.append(value)
        rule["UNTIL"] = fixed
    return rule


def _alarm(trigger: timedelta, text: str, related: str | None = None) -> Any:
    """A display VALARM: `trigger` from the start (or, RELATED=END, from a to-do's DUE; for
    a DUE that is a date, from the start of that day, so PT9H rings at 09:00 local)."""
    from icalendar import Alarm

    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", text or "Reminder")
    if related:
        alarm.add("trigger", trigger, parameters={"RELATED": related})
    else:
        alarm.add("trigger", trigger)
    return alarm
