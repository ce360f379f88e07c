"""Records as small frozen dataclasses; dates are date/time objects in memory."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Literal

EVENT_KINDS = (
    "workshop",
    "roundtable",
    "conference",
    "dinner",
    "retreat",
    "launch",
    "meeting",
    "webinar",
    "other",
)
EVENT_STATUSES = ("planned", "confirmed", "held", "postponed", "cancelled")
ACCESS_LEVELS = ("invitation-only", "public", "closed")
ORGANISATION_KINDS = (
    "foundation",
    "NGO",
    "university",
    "government",
    "multilateral",
    "city network",
    "other",
)
INVITATION_STATUSES = (
    "to-invite",
    "invited",
    "accepted",
    "declined",
    "tentative",
    "waitlisted",
    "attended",
    "no-show",
)
INVITATION_ROLES = ("participant", "speaker", "moderator", "observer", "staff", "press")
RESPONSE_VIA = ("email", "phone", "letter", "in person")
SPEAKER_ROLES = ("speaker", "moderator", "presenter")

RecordKind = Literal[
    "event", "person", "organisation", "publication", "session", "invitation", "task"
]


@dataclass(frozen=True)
class ItemRef:
    """A pointer to any record, for related-items navigation."""

    kind: RecordKind
    id: int


@dataclass(frozen=True)
class Organisation:
    """A partner: city network, NGO, university, multilateral body..."""

    name: str
    id: int | None = None
    uid: str | None = None
    short_name: str | None = None
    kind: str | None = None
    website: str | None = None
    notes: str | None = None
    is_sample: bool = False
    created_at: str | None = None
    updated_at: str | None = None
    deleted_at: str | None = None


@dataclass(frozen=True)
class Person:
    """Someone the officer works with; `is_staff` marks the foundation's own staff."""

    name: str
    id: int | None = None
    uid: str | None = None
    role: str | None = None
    organisation_id: int | None = None
    program_area: str | None = None
    email: str | None = None
    phone: str | None = None
    bio: str | None = None
    notes: str | None = None
    is_staff: bool = False
    is_sample: bool = False
    created_at: str | None = None
    updated_at: str | None = None
    deleted_at: str | None = None


@dataclass(frozen=True)
class Publication:
    """A readout, brief or report; `published` is YYYY-MM."""

    title: str
    id: int | None = None
    uid: str | None = None
    program_area: str | None = None
    type: str | None = None
    published: str | None = None
    url: str | None = None
    summary: str | None = None
    link_only: bool = False
    is_sample: bool = False
    created_at: str | None = None
    updated_at: str | None = None
    deleted_at: str | None = None


@dataclass(frozen=True)
class Event:
    """A convening. Times are local to the event's `timezone` (an IANA name)."""

    title: str
    start_date: date
    end_date: date
    id: int | None = None
    uid: str | None = None
    kind: str = "other"
    status: str = "planned"
    start_time: time | None = None
    end_time: time | None = None
    timezone: str | None = None
    location: str | None = None
    venue: str | None = None
    program_area: str | None = None
    access: str = "invitation-only"
    capacity: int | None = None
    repeat: str | None = None
    summary: str | None = None
    description: str | None = None
    url: str | None = None
    notes: str | None = None
    link_only: bool = False
    is_sample: bool = False
    created_at: str | None = None
    updated_at: str | None = None
    deleted_at: str | None = None


@dataclass(frozen=True)
class Speaker:
    """A person on a session, with their part in it."""

    person_id: int
    name: str
    role: str = "speaker"


@dataclass(frozen=True)
class Session:
    """One item of an event's agenda."""

    event_id: int
    date: date
    title: str
    id: int | None = None
    uid: str | None = None
    start_time: time | None = None
    end_time: time | None = None
    description: str | None = None
    room: str | None = None
    position: int = 0
    speakers: tuple[Speaker, ...] = ()
    created_at: str | None = None
    updated_at: str | None = None
    deleted_at: str | None = None


TASK_ANCHORS = ("start", "end")
"""What a relative due date counts from: the event's first day or its last."""


@dataclass(frozen=True)
class Task:
    """One item of an event's planning checklist.

    Due on `due_date`, or `due_offset` days from the event's start or end (`due_anchor`,
    negative before): a relative one moves when the event moves.
    """

    event_id: int
    title: str
    id: int | None = None
    uid: str | None = None
    due_date: date | None = None
    due_offset: int | None = None
    due_anchor: str | None = None
    done_on: date | None = None
    owner_id: int | None = None
    notes: str | None = None
    position: int = 0
    watch: str | None = None
    """What it watches on the guest list: "replies:N" or "needs" (task_watch.py)."""
    created_at: str | None = None
    updated_at: str | None = None
    deleted_at: str | None = None


@dataclass(frozen=True)
class Invitation:
    """One line of an event's guest list."""

    event_id: int
    person_id: int
    id: int | None = None
    uid: str | None = None
    status: str = "to-invite"
    role: str = "participant"
    invited_on: date | None = None
    responded_on: date | None = None
    response_via: str | None = None
    plus_ones: int = 0
    dietary: str | None = None
    access_needs: str | None = None
    interpretation: str | None = None
    travel: str | None = None
    notes: str | None = None
    responded_at: datetime | None = None
    """When the mailed reply recorded was written (aware: its DTSTAMP, else its Date);
    None for a reply marked by hand. Two mailed answers of one day are put in order by it."""
    created_at: str | None = None
    updated_at: str | None = None
    deleted_at: str | None = None


@dataclass(frozen=True)
class GuestLine:
    """A guest-list line as the pane shows it: the invitation with the guest's name."""

    invitation: Invitation
    name: str
    email: str | None = None
    organisation: str | None = None

    @property
    def id(self) -> int:
        """The invitation's id."""
        assert self.invitation.id is not None
        return self.invitation.id


@dataclass(frozen=True)
class Occurrence:
    """An event as it falls in a range: itself, or one date of its repeat rule."""

    event: Event
    start_date: date
    end_date: date

    @property
    def is_repeat(self) -> bool:
        """True for an occurrence other than the first of a repeating event."""
        return self.start_date != self.event.start_date


@dataclass(frozen=True)
class PersonSummary:
    """A person as shown in a list of links (a contact, a speaker)."""

    id: int
    name: str
    role: str | None = None
    program_area: str | None = None
    is_staff: bool = False
    organisation: str | None = None


@dataclass(frozen=True)
class EventDetails:
    """An event with everything linked to it, for the details pane and exports."""

    event: Event
    contacts: tuple[PersonSummary, ...] = ()
    partners: tuple[Organisation, ...] = ()
    related_events: tuple[Event, ...] = ()
    related_publications: tuple[Publication, ...] = ()
    sessions: tuple[Session, ...] = ()
    invitation_counts: dict[str, int] = field(default_factory=dict)
    moved: tuple[tuple[date, date], ...] = ()
    """For a series: its dates changed on their own (the day left out, the first day of
    the event it became), by day."""
    series_day: date | None = None
    """For an occurrence changed on its own: the day of its series it took the place of."""
    occurrence_day: date | None = None
    """For a series shown as one of its dates (an export of the occurrence selected): the
    first day of that occurrence."""
