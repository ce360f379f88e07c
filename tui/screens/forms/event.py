"""The event form (and reading its dates), the form behind n and e in the calendar."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from typing import Any

from tui.domain import validate
from tui.domain.dates import ambiguous_reading, parse_date_range
from tui.domain.errors import InvalidInput
from tui.domain.models import (
    ACCESS_LEVELS,
    EVENT_KINDS,
    EVENT_STATUSES,
    Event,
)
from tui.screens.forms.base import TO_WITHOUT_FROM, Field, FormScreen, field_text
from tui.widgets.picks import Pick

REPEAT_HINT = "e.g. FREQ=WEEKLY;COUNT=6 or FREQ=MONTHLY;UNTIL=20271231"


@lru_cache(maxsize=1)
def zone_names() -> tuple[str, ...]:
    """Every IANA time zone name, for completion."""
    from zoneinfo import available_timezones

    return tuple(sorted(available_timezones()))


def start_dates(starts: str, *, day_first: bool) -> tuple[date, date]:
    """What Starts holds: a date, or a range (its first and last day)."""
    if not starts.strip():
        raise InvalidInput("starts: a date is required (e.g. June 12, 2024 or Feb 4-6, 2020)")
    try:
        start, end = parse_date_range(starts, day_first=day_first)
    except InvalidInput as error:
        raise InvalidInput(f"starts: {error.message}", value=starts) from None
    _check_length("starts", start, end)
    return start, end


def _check_length(name: str, start: date, end: date) -> None:
    """At most MAX_SPAN_DAYS days (the save refuses more), said under `name`."""
    if (end - start).days >= validate.MAX_SPAN_DAYS:
        raise InvalidInput(
            f"{name}: the event would last {(end - start).days + 1:,} days;"
            f" at most {validate.MAX_SPAN_DAYS} can be saved",
            value=end.isoformat(),
        )


def _range_disagrees(starts: str, start: date, end: date, ends: date | None) -> InvalidInput | None:
    """A range typed in Starts whose last day is not the date Ends holds: which one is
    meant cannot be told (the range was cut to Ends without a word)."""
    if start == end or ends is None or ends == end:
        return None
    return InvalidInput(
        f"starts: the range ends {end.isoformat()}; Ends says {ends.isoformat()}",
        value=starts,
    )


def check_starts(starts: str, ends: str, *, day_first: bool) -> None:
    """Starts' own problems: not a date or range, too long, or a range Ends disagrees with
    (a wrong Ends is said under Ends)."""
    start, end = start_dates(starts, day_first=day_first)
    try:
        given = validate.date_value(ends, "ends", day_first=day_first)
    except InvalidInput:
        return
    problem = _range_disagrees(starts, start, end, given)
    if problem is not None:
        raise problem


def event_dates(starts: str, ends: str, *, day_first: bool) -> tuple[date, date]:
    """Start and end from what was typed: a date or a range, and an optional end date
    (which, with a range, must be the range's last day)."""
    start, end = start_dates(starts, day_first=day_first)
    if ends.strip():
        given = validate.date_value(ends, "ends", day_first=day_first)
        problem = _range_disagrees(starts, start, end, given)
        if problem is not None:
            raise problem
        end = given or end
    validate.check_span(start, end)
    _check_length("ends", start, end)
    return start, end


def check_ends(starts: str, ends: str, *, day_first: bool) -> None:
    """Ends' own problems: not a date, before the start or too far from it (what is wrong
    with Starts, a range typed there included, is said under Starts, not here)."""
    if not ends.strip():
        return
    given = validate.date_value(ends, "ends", day_first=day_first)
    try:
        start, end = start_dates(starts, day_first=day_first)
    except InvalidInput:
        return
    if _range_disagrees(starts, start, end, given) is not None:
        return  # said under Starts
    event_dates(starts, ends, day_first=day_first)


def check_end_time(values: dict[str, str], *, day_first: bool) -> None:
    """To's own problems: not a time, without From, or before From on a one-day event."""
    end_time = validate.time_value(values["end_time"], "to")
    try:
        start_time = validate.time_value(values["start_time"], "from")
    except InvalidInput:
        return  # said under From
    if end_time is not None and start_time is None:
        raise InvalidInput(TO_WITHOUT_FROM, value=values["end_time"])
    try:
        start, end = event_dates(values["starts"], values["ends"], day_first=day_first)
    except InvalidInput:
        return  # said under the dates
    if start_time and end_time and start == end and end_time < start_time:
        raise InvalidInput(
            f"to: {end_time:%H:%M} is before {start_time:%H:%M} (past midnight: give the"
            " next day as Ends)",
            value=values["end_time"],
        )


@dataclass(frozen=True)
class EventEdit:
    """What the event form returns: the event and its staff contacts and partners (a new
    one typed in the picker is added when this is saved: see Pick.new)."""

    event: Event
    contacts: list[Pick]
    partners: list[Pick]


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
        self._opened_on = source.start_date
        same_day = source.end_date == source.start_date

        def read_as(text: str) -> str | None:
            return ambiguous_reading(text, day_first=day_first)

        def ends_check(ends: str) -> None:
            check_ends(self.values()["starts"], ends, day_first=day_first)

        def end_time_check(_: str) -> None:
            check_end_time(self.values(), day_first=day_first)

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
                check=lambda t: check_starts(t, self.values()["ends"], day_first=day_first),
                checked_with=("ends", "end_time", "repeat"),
                placeholder="2024-06-12, June 12, 2024, Feb 4-6, 2020, 12/06/2024",
                hint=read_as,
            ),
            Field(
                "ends",
                "Ends",
                "" if same_day else source.end_date.isoformat(),
                check=ends_check,
                checked_with=("starts", "end_time"),
                hint=read_as,
                placeholder="blank: the same day, or the end of a range in Starts",
            ),
            Field(
                "start_time",
                "From",
                field_text(source.start_time),
                check=lambda t: validate.time_value(t, "from"),
                placeholder="9:30, 2pm, 14:00",
                checked_with=("end_time",),
            ),
            Field(
                "end_time",
                "To",
                field_text(source.end_time),
                check=end_time_check,
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
                field_text(source.capacity),
                check=lambda t: validate.int_value(t, "capacity", maximum=validate.MAX_CAPACITY),
            ),
            Field(
                "repeat",
                "Repeats",
                source.repeat or "",
                check=self._check_repeat,
                hint=self._repeat_words,
                placeholder=REPEAT_HINT,
            ),
            Field("summary", "Summary", source.summary or "", multiline=True),
            Field("description", "Description", source.description or "", multiline=True),
            Field(
                "url",
                "Web page",
                source.url or "",
                check=lambda t: validate.url_value(t, "web page"),
            ),
            Field("notes", "Notes", source.notes or "", multiline=True),
        ]
        if title is None:
            title = f"Edit event: {event.title}" if event else "New event"
        super().__init__(title, fields)

    def _repeat_start(self) -> date:
        # Against the start (Starts re-checks this field as it changes); while Starts is
        # wrong, against the day the form opened with (not the computer's today).
        try:
            start, _ = start_dates(self.values()["starts"], day_first=self.day_first)
        except InvalidInput:
            start = self._opened_on
        return start

    def _check_repeat(self, text: str) -> None:
        validate.repeat_value(text, self._repeat_start())

    def _repeat_words(self, text: str) -> str | None:
        """A rule that holds, said in words under it ("monthly on the first Thursday"),
        as the event pane says it; nothing for a blank or wrong one (its error says)."""
        from tui.domain.repeat_words import describe_repeat

        start = self._repeat_start()
        try:
            rule = validate.repeat_value(text, start)
        except InvalidInput:
            return None
        if rule is None:
            return None
        words = describe_repeat(rule, start)
        return None if words == " ".join(rule.split()) else f"repeats {words}"

    def draft_of(self) -> tuple[str, int | None] | None:
        """The event's text is kept as typed (tui.form_drafts); a new one's too."""
        return "event", self.event.id if self.event is not None else None

    def edits_a_record(self) -> bool:
        """Opened on a stored record (see FormScreen.edits_a_record)."""
        return self.event is not None and self.event.id is not None

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
        return EventEdit(event, self.picked("contacts"), self.picked("partners"))

    def field_of(self, error: Any) -> str | None:
        """Dates and times are named differently in the checks than in the form."""
        message = str(getattr(error, "message", ""))
        for prefix, name in (
            ("end date", "ends"),
            ("start_date", "starts"),
            ("end_time", "end_time"),
            ("start_time", "start_time"),
            ("end time", "end_time"),
            ("start time", "start_time"),
            ("repeat", "repeat"),
            ("timezone", "timezone"),
            ("the agenda", "ends"),
        ):
            if message.startswith(prefix):
                return name
        return super().field_of(error)
