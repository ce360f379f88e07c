"""The agenda session form: times, room, speakers and their roles."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from tui.domain import validate
from tui.domain.dates import ambiguous_reading
from tui.domain.errors import InvalidInput
from tui.domain.models import (
    SPEAKER_ROLES,
    Event,
    Session,
)
from tui.screens.forms.base import TO_WITHOUT_FROM, Field, FormScreen, field_text
from tui.widgets.picks import Pick


@dataclass(frozen=True)
class SessionEdit:
    """What the session form returns: the session and its speakers in order (a new one
    typed in the picker is added when this is saved: see Pick.new)."""

    session: Session
    speakers: list[Pick]


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

        def end_time_check(text: str) -> None:
            # To's own problems: not a time, without From, or before From (From's own are
            # said under From).
            end = validate.time_value(text, "to")
            try:
                start = validate.time_value(self.values()["start_time"], "from")
            except InvalidInput:
                return
            if end is not None and start is None:
                raise InvalidInput(TO_WITHOUT_FROM, value=text)
            if start and end and end < start:
                raise InvalidInput(f"to: {end:%H:%M} is before {start:%H:%M}", value=text)

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
                field_text(source.start_time),
                check=lambda t: validate.time_value(t, "from"),
                placeholder="9:30, 2pm, 14:00",
                checked_with=("end_time",),
            ),
            Field("end_time", "To", field_text(source.end_time), check=end_time_check),
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

    def draft_of(self) -> tuple[str, int | None] | None:
        """A stored session's text is kept as typed (tui.form_drafts); a new one's is not
        (it belongs to its event: offered on another event's new session, it would not)."""
        if self.session is None or self.session.id is None:
            return None
        return "session", self.session.id

    def edits_a_record(self) -> bool:
        """Opened on a stored record (see FormScreen.edits_a_record)."""
        return self.session is not None and self.session.id is not None

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
        speakers = [replace(p, role=p.role or "speaker") for p in self.picked("speakers")]
        return SessionEdit(session, speakers)

    def field_of(self, error: Any) -> str | None:
        """Times are named differently in the checks than in the form."""
        message = str(getattr(error, "message", ""))
        for prefix, name in (("end_time", "end_time"), ("start_time", "start_time")):
            if message.startswith(prefix):
                return name
        return super().field_of(error)
