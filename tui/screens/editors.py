"""The editor's forms: event, person, organisation, publication."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, time
from functools import lru_cache
from typing import Any

from tui.domain import validate
from tui.domain.dates import ambiguous_reading, parse_date_range
from tui.domain.errors import InvalidInput
from tui.domain.models import (
    ACCESS_LEVELS,
    EVENT_KINDS,
    EVENT_STATUSES,
    ORGANISATION_KINDS,
    SPEAKER_ROLES,
    Event,
    Organisation,
    Person,
    Publication,
    Session,
    Speaker,
)
from tui.screens.form import Field, FormScreen
from tui.widgets.picks import Pick

REPEAT_HINT = "e.g. FREQ=WEEKLY;COUNT=6 or FREQ=MONTHLY;UNTIL=20271231"


@lru_cache(maxsize=1)
def zone_names() -> tuple[str, ...]:
    """Every IANA time zone name, for completion."""
    from zoneinfo import available_timezones

    return tuple(sorted(available_timezones()))


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def event_dates(starts: str, ends: str, *, day_first: bool) -> tuple[date, date]:
    """Start and end from what was typed: a date or a range, and an optional end date."""
    if not starts.strip():
        raise InvalidInput("starts: a date is required (e.g. June 12, 2024 or Feb 4-6, 2020)")
    try:
        start, end = parse_date_range(starts, day_first=day_first)
    except InvalidInput as error:
        raise InvalidInput(f"starts: {error.message}", value=starts) from None
    if ends.strip():
        end = validate.date_value(ends, "ends", day_first=day_first) or end
    validate.check_span(start, end)
    return start, end


@dataclass(frozen=True)
class EventEdit:
    """What the event form returns: the event and its staff contacts and partners by id."""

    event: Event
    contacts: list[int]
    partners: list[int]


class EventFormScreen(FormScreen[EventEdit]):
    """A new event, or every field of one, with its staff contacts and partners."""

    def __init__(
        self,
        event: Event | None,
        day: date,
        *,
        day_first: bool = True,
        contacts: Sequence[Pick] = (),
        partners: Sequence[Pick] = (),
        template: Event | None = None,
        title: str | None = None,
    ) -> None:
        self.event = event
        self.day_first = day_first
        source = template or event or Event(title="", start_date=day, end_date=day)
        same_day = source.end_date == source.start_date

        def read_as(text: str) -> str | None:
            return ambiguous_reading(text, day_first=day_first)

        def dates_check(_: str) -> None:
            values = self.values()
            event_dates(values["starts"], values["ends"], day_first=day_first)

        fields = [
            Field(
                "title", "Title", source.title, check=lambda t: validate.required_text(t, "title")
            ),
            Field("kind", "Kind", source.kind, EVENT_KINDS, allow_blank=False),
            Field("status", "Status", source.status, EVENT_STATUSES, allow_blank=False),
            Field(
                "starts",
                "Starts",
                source.start_date.isoformat(),
                check=dates_check,
                placeholder="2024-06-12, June 12, 2024, Feb 4-6, 2020, 12/06/2024",
                hint=read_as,
            ),
            Field(
                "ends",
                "Ends",
                "" if same_day else source.end_date.isoformat(),
                check=dates_check,
                hint=read_as,
                placeholder="blank: the same day (or the end of a range typed above)",
            ),
            Field(
                "start_time",
                "From",
                _text(source.start_time),
                check=lambda t: validate.time_value(t, "from"),
                placeholder="9:30, 2pm, 14:00",
            ),
            Field(
                "end_time",
                "To",
                _text(source.end_time),
                check=lambda t: validate.time_value(t, "to"),
            ),
            Field(
                "timezone",
                "Time zone",
                source.timezone or "",
                check=lambda t: validate.timezone_value(t),
                placeholder="e.g. Europe/Zurich (completes as you type; → accepts)",
                suggestions=zone_names(),
            ),
            Field("location", "Location", source.location or ""),
            Field("venue", "Venue", source.venue or ""),
            Field("program_area", "Program area", source.program_area or ""),
            Field("contacts", "Staff contacts", picks="person", picked=contacts),
            Field("partners", "Partners", picks="organisation", picked=partners),
            Field("access", "Access", source.access, ACCESS_LEVELS, allow_blank=False),
            Field(
                "capacity",
                "Capacity",
                _text(source.capacity),
                check=lambda t: validate.int_value(t, "capacity"),
            ),
            Field(
                "repeat",
                "Repeats",
                source.repeat or "",
                check=self._check_repeat,
                placeholder=REPEAT_HINT,
            ),
            Field("summary", "Summary", source.summary or "", multiline=True),
            Field("description", "Description", source.description or "", multiline=True),
            Field("url", "Web page", source.url or ""),
            Field("notes", "Notes", source.notes or "", multiline=True),
        ]
        if title is None:
            title = f"Edit event: {event.title}" if event else "New event"
        super().__init__(title, fields)

    def _check_repeat(self, text: str) -> None:
        values = self.values()
        try:
            start, _ = event_dates(values["starts"], values["ends"], day_first=self.day_first)
        except InvalidInput:
            start = date.today()
        validate.repeat_value(text, start)

    def build(self, values: dict[str, str]) -> EventEdit:
        """The event with the checked values (not yet saved), and its links."""
        start, end = event_dates(values["starts"], values["ends"], day_first=self.day_first)
        data: dict[str, Any] = {**values, "start_date": start, "end_date": end}
        checked = validate.event_fields(data, day_first=self.day_first)
        checked.pop("link_only", None)
        event = (
            Event(**checked)
            if self.event is None
            else replace(self.event, **checked, link_only=False)
        )
        contacts = [p.id for p in self.picked("contacts")]
        partners = [p.id for p in self.picked("partners")]
        return EventEdit(event, contacts, partners)

    def field_of(self, error: Any) -> str | None:
        """Dates and times are named differently in the checks than in the form."""
        message = str(getattr(error, "message", ""))
        for prefix, name in (
            ("end date", "ends"),
            ("start_date", "starts"),
            ("end_time", "end_time"),
            ("start_time", "start_time"),
            ("repeat", "repeat"),
            ("timezone", "timezone"),
        ):
            if message.startswith(prefix):
                return name
        return super().field_of(error)


class PersonFormScreen(FormScreen[Person]):
    """A new person, or every field of one (the organisation by name)."""

    def __init__(self, person: Person | None, organisation: str = "") -> None:
        self.person = person
        source = person or Person(name="")
        fields = [
            Field("name", "Name", source.name, check=lambda t: validate.required_text(t, "name")),
            Field("role", "Role", source.role or "", placeholder="e.g. Program Officer"),
            Field(
                "organisation",
                "Organisation",
                organisation,
                placeholder="its name; a new one is added",
            ),
            Field("email", "Email", source.email or ""),
            Field("phone", "Phone", source.phone or ""),
            Field("program_area", "Program area", source.program_area or ""),
            Field(
                "is_staff",
                "Staff",
                "yes" if source.is_staff else "no",
                ("yes", "no"),
                allow_blank=False,
            ),
            Field("bio", "Bio", source.bio or "", multiline=True),
            Field("notes", "Notes", source.notes or "", multiline=True),
        ]
        super().__init__(f"Edit person: {person.name}" if person else "New person", fields)

    def build(self, values: dict[str, str]) -> Person:
        """The person with the checked values; the organisation is resolved on save."""
        checked = validate.person_fields(values)
        if self.person is None:
            return Person(**checked)
        return replace(self.person, **checked)


class OrganisationFormScreen(FormScreen[Organisation]):
    """A new organisation, or every field of one."""

    def __init__(self, organisation: Organisation | None) -> None:
        self.organisation = organisation
        source = organisation or Organisation(name="")
        fields = [
            Field("name", "Name", source.name, check=lambda t: validate.required_text(t, "name")),
            Field("short_name", "Short name", source.short_name or "", placeholder="e.g. GI-TOC"),
            Field("kind", "Kind", source.kind or "", ORGANISATION_KINDS),
            Field("website", "Website", source.website or ""),
            Field("notes", "Notes", source.notes or "", multiline=True),
        ]
        title = f"Edit organisation: {organisation.name}" if organisation else "New organisation"
        super().__init__(title, fields)

    def build(self, values: dict[str, str]) -> Organisation:
        """The organisation with the checked values."""
        checked = validate.organisation_fields(values)
        if self.organisation is None:
            return Organisation(**checked)
        return replace(self.organisation, **checked)


class PublicationFormScreen(FormScreen[Publication]):
    """A new publication, or every field of one."""

    def __init__(self, publication: Publication | None) -> None:
        self.publication = publication
        source = publication or Publication(title="")
        fields = [
            Field(
                "title", "Title", source.title, check=lambda t: validate.required_text(t, "title")
            ),
            Field(
                "type", "Type", source.type or "", placeholder="e.g. Readout and Recommendations"
            ),
            Field(
                "published",
                "Published",
                source.published or "",
                check=lambda t: validate.month_value(t, "published"),
                placeholder="June 2024 or 2024-06",
            ),
            Field("program_area", "Program area", source.program_area or ""),
            Field("url", "Web page", source.url or ""),
            Field("summary", "Summary", source.summary or "", multiline=True),
        ]
        title = f"Edit publication: {publication.title}" if publication else "New publication"
        super().__init__(title, fields)

    def build(self, values: dict[str, str]) -> Publication:
        """The publication with the checked values."""
        checked = validate.publication_fields(values)
        checked.pop("link_only", None)
        if self.publication is None:
            return Publication(**checked)
        return replace(self.publication, **checked, link_only=False)


@dataclass(frozen=True)
class SessionEdit:
    """What the session form returns: the session and its speakers in order."""

    session: Session
    speakers: list[Speaker]


class SessionFormScreen(FormScreen[SessionEdit]):
    """A new agenda session of an event, or every field of one, with its speakers."""

    def __init__(
        self, event: Event, session: Session | None, day: date, *, day_first: bool = True
    ) -> None:
        assert event.id is not None
        self.event = event
        self.session = session
        self.day_first = day_first
        source = session or Session(event_id=event.id, date=day, title="")

        def date_check(text: str) -> None:
            self._day(text)

        def times_check(_: str) -> None:
            values = self.values()
            validate.session_fields(
                {**values, "date": source.date.isoformat(), "title": "-"},
                day_first=day_first,
            )

        fields = [
            Field(
                "title", "Title", source.title, check=lambda t: validate.required_text(t, "title")
            ),
            Field(
                "date",
                "Day",
                source.date.isoformat(),
                check=date_check,
                placeholder="a day of the event: 2027-02-04, Feb 4, 2027, 4/2/2027",
                hint=lambda text: ambiguous_reading(text, day_first=day_first),
            ),
            Field(
                "start_time",
                "From",
                _text(source.start_time),
                check=times_check,
                placeholder="9:30, 2pm, 14:00",
            ),
            Field("end_time", "To", _text(source.end_time), check=times_check),
            Field("room", "Room", source.room or ""),
            Field(
                "speakers",
                "Speakers",
                picks="person",
                picked=[Pick(s.person_id, s.name, s.role) for s in source.speakers],
                roles=SPEAKER_ROLES,
            ),
            Field("description", "Description", source.description or "", multiline=True),
        ]
        heading = f"Edit session: {session.title}" if session else "New session"
        super().__init__(f"{heading} · {event.title}", fields)

    def _day(self, text: str) -> date:
        day = validate.date_value(text, "day", day_first=self.day_first)
        if day is None:
            raise InvalidInput("day: a date is required")
        if not self.event.start_date <= day <= self.event.end_date:
            first = self.event.start_date.isoformat()
            last = self.event.end_date.isoformat()
            span = first if first == last else f"{first} to {last}"
            raise InvalidInput(f"day: not a day of the event ({span})", value=text)
        return day

    def build(self, values: dict[str, str]) -> SessionEdit:
        """The session with the checked values, and its speakers."""
        day = self._day(values["date"])
        checked = validate.session_fields(
            {**values, "date": day.isoformat()}, day_first=self.day_first
        )
        session = (
            Session(event_id=self.event.id or 0, **checked)
            if self.session is None
            else replace(self.session, **checked)
        )
        speakers = [Speaker(p.id, p.name, p.role or "speaker") for p in self.picked("speakers")]
        return SessionEdit(session, speakers)

    def field_of(self, error: Any) -> str | None:
        """Times are named differently in the checks than in the form."""
        message = str(getattr(error, "message", ""))
        for prefix, name in (("end_time", "end_time"), ("start_time", "start_time")):
            if message.startswith(prefix):
                return name
        return super().field_of(error)
