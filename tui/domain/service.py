"""Planner: the use cases the app and the command line share, in the officer's words.

Every change passes through here, so this is the one place for undo entries and for the
backup before destructive work.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, fields, replace
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from tui.domain import agenda, validate
from tui.domain.checklists import ChecklistItem, shipped_checklists
from tui.domain.errors import Conflict, InvalidInput, NotFound
from tui.domain.filters import CHOICES, EventFilter, FilterMatcher
from tui.domain.guests import (
    REPLIES,
    NeedsSummary,
    RsvpPicture,
    first_waitlisted,
    needs_of,
    rsvp_picture,
)
from tui.domain.models import (
    INVITATION_ROLES,
    INVITATION_STATUSES,
    RESPONSE_VIA,
    Event,
    EventDetails,
    GuestLine,
    Invitation,
    ItemRef,
    Occurrence,
    Organisation,
    Person,
    PersonSummary,
    Publication,
    RecordKind,
    Session,
    Speaker,
    Task,
)
from tui.domain.privacy import guests_may_leave
from tui.domain.related import LinkKey, RelatedItem, Subject, subject_of
from tui.domain.search import SearchHit, fts_query
from tui.domain.store import KINDS, AnyRecord, Record, Store
from tui.domain.tasks import DueTask, due_on, parse_due
from tui.domain.text import clean, clean_line, fold

if TYPE_CHECKING:
    from tui.domain.mail.compose import Organizer
    from tui.domain.mail.outbox import QueueReport
    from tui.domain.mail.send import SendReport
    from tui.domain.mail.settings import MailSettings

RANK_LIMIT = 2000
"""A search matching more rows than this is not ranked by bm25 (see Planner.search)."""

MAX_PER_DAY = 24
"""The most occurrences a day is walked for: rules stored before BYHOUR was refused."""
"""At most this many occurrences of one repeating event are expanded for one range."""

# Fields kept on one line; every other text field may hold line breaks.
_MULTILINE = {"description", "notes", "bio", "summary", "travel", "repeat"}


_TEXT_FIELDS: dict[type[Any], tuple[str, ...]] = {}


def sanitised(record: Record) -> Record:
    """The record with every text field cleaned of control characters."""
    names = _TEXT_FIELDS.get(type(record))
    if names is None:
        stamps = ("uid", "created_at", "updated_at", "deleted_at", "speakers")
        names = tuple(f.name for f in fields(record) if f.name not in stamps)
        _TEXT_FIELDS[type(record)] = names
    changes: dict[str, Any] = {}
    for name in names:
        value = getattr(record, name)
        if isinstance(value, str):
            cleaned = clean(value).strip() if name in _MULTILINE else clean_line(value)
            if cleaned != value:
                changes[name] = cleaned or None
    return replace(record, **changes) if changes else record


def _count(n: int, noun: str) -> str:
    plural = {"person": "people"}.get(noun, noun + "s")
    return f"{n} {noun if n == 1 else plural}"


def describe(record: AnyRecord) -> str:
    """A record in a few words for the undo history: 'event "Nairobi workshop"'."""
    kind = type(record).__name__.lower()
    name = getattr(record, "title", None) or getattr(record, "name", None)
    if name:
        return f'{kind} "{name}"'
    return f"{kind} {record.id}" if record.id is not None else kind


_GUEST_FIELDS = (
    ("role", "role"),
    ("response_via", "reply by"),
    ("plus_ones", "plus-ones"),
    ("invited_on", "invited on"),
    ("responded_on", "replied on"),
)
_GUEST_TEXTS = (
    ("dietary", "dietary"),
    ("access_needs", "access needs"),
    ("interpretation", "interpretation"),
    ("travel", "travel"),
    ("notes", "notes"),
)


def guest_changes(old: Invitation, new: Invitation) -> list[str]:
    """A guest-list line's changes in words: 'accepted -> invited', 'role observer -> speaker'."""
    changes: list[str] = []
    if old.status != new.status:
        changes.append(f"{old.status} -> {new.status}")
    for name, words in _GUEST_FIELDS:
        before, after = getattr(old, name), getattr(new, name)
        if before != after:
            changes.append(f"{words} {_plain(before)} -> {_plain(after)}")
    for name, words in _GUEST_TEXTS:
        if (getattr(old, name) or "") != (getattr(new, name) or ""):
            changes.append(f"{words} changed")
    return changes


def _plain(value: object) -> str:
    if value is None or value == "":
        return "none"
    return value.isoformat() if isinstance(value, date) else str(value)


def _names(names: Sequence[str], most: int = 3) -> str:
    """'Ada Okafor', 'Ada Okafor and Ben Ito', 'Ada Okafor, Ben Ito and 3 more'."""
    if len(names) <= most:
        return " and ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)
    return f"{', '.join(names[: most - 1])} and {len(names) - most + 1} more"


def split_name_email(text: str) -> tuple[str, str | None]:
    """ "Ana Ruiz <ana@example.org>" -> ("Ana Ruiz", "ana@example.org"); an email alone too."""
    text = clean_line(text)
    if "<" in text and text.endswith(">"):
        name, _, email = text[:-1].partition("<")
        return name.strip(), email.strip() or None
    if "@" in text and " " not in text:
        return text.split("@")[0].replace(".", " ").title(), text
    return text, None


def split_invite_line(text: str) -> tuple[str, str | None]:
    """An invite line's person and organisation: "Ana Ruiz <ana@example.org>, GI-TOC" ->
    ("Ana Ruiz <ana@example.org>", "GI-TOC"); "Ana Ruiz, GI-TOC" likewise; no comma, no
    organisation."""
    text = clean_line(text)
    if ">" in text:
        cut = text.rindex(">") + 1
        rest = text[cut:].strip()
        if rest.startswith(","):
            return text[:cut].strip(), rest[1:].strip() or None
        return text, None
    if "," in text:
        person, _, organisation = text.rpartition(",")
        return person.strip(), organisation.strip() or None
    return text, None


def _title_matches(title: str, words: list[str]) -> bool:
    """True when every word is in the title (the last one as a prefix), accents ignored."""
    title_words = fold(title).split()
    if not words:
        return False
    *whole, last = words
    return all(w in title_words for w in whole) and any(t.startswith(last) for t in title_words)


def with_exdate(repeat: str, day: date) -> str:
    """A repeat rule that leaves `day` out ("RRULE:...\nEXDATE:20270105,...")."""
    rule_lines: list[str] = []
    exdates: list[str] = []
    for line in (line.strip() for line in repeat.splitlines()):
        if not line:
            continue
        name, sep, value = line.partition(":")
        if sep and name.upper() == "EXDATE":
            exdates.extend(v.strip() for v in value.split(",") if v.strip())
        elif sep and name.upper() == "RRULE":
            rule_lines.append(f"RRULE:{value}")
        elif sep and name.upper() in {"RDATE", "EXRULE"}:
            rule_lines.append(line)
        else:
            rule_lines.append(f"RRULE:{line}")
    stamp = day.strftime("%Y%m%d")
    if stamp not in exdates:
        exdates.append(stamp)
    return "\n".join([*rule_lines, "EXDATE:" + ",".join(sorted(exdates))])


_PERIOD_DAYS = {"DAILY": 1, "WEEKLY": 7, "MONTHLY": 31, "YEARLY": 366}


def repeat_bound(repeat: str, start: date) -> date | None:
    """A day no occurrence of the rule falls after, read off its text; None if unbounded.

    UNTIL bounds any rule. COUNT bounds a plain rule (no BY... parts, which can skip
    periods: the 31st of each month) at COUNT periods of INTERVAL after the start.
    """
    line = next(
        (
            part.removeprefix("RRULE:")
            for part in repeat.upper().splitlines()
            if part.strip() and not part.startswith(("EXDATE", "RDATE", "EXRULE"))
        ),
        "",
    )
    parts = dict(item.split("=", 1) for item in line.split(";") if "=" in item)
    until = parts.get("UNTIL", "")
    if len(until) >= 8 and until[:8].isdigit():
        try:
            return date(int(until[:4]), int(until[4:6]), int(until[6:8])) + timedelta(days=1)
        except ValueError:
            return None
    count, freq = parts.get("COUNT", ""), parts.get("FREQ", "")
    if not count.isdigit() or freq not in _PERIOD_DAYS or any(k.startswith("BY") for k in parts):
        return None
    interval = int(parts["INTERVAL"]) if parts.get("INTERVAL", "").isdigit() else 1
    try:
        return start + timedelta(days=_PERIOD_DAYS[freq] * max(1, interval) * int(count))
    except OverflowError:
        return None


def repeat_anchor(repeat: str, start: date, window_start: date) -> date:
    """A later first day for the rule that yields the same occurrences from `window_start`
    on, so a series begun years ago is not walked from its beginning on every screen.

    Only for rules where that is exact: no COUNT (it counts from the real start), no
    BYSETPOS/BYWEEKNO/BYYEARDAY, and, for months and years, a start day that every month
    has (<= 28). The shift is whole multiples of INTERVAL periods.
    """
    if window_start <= start:
        return start
    lines = [part for part in repeat.upper().splitlines() if part.strip()]
    rules = [part.removeprefix("RRULE:") for part in lines if not part.startswith(("EX", "RD"))]
    if len(rules) != 1:
        return start
    parts = dict(item.split("=", 1) for item in rules[0].split(";") if "=" in item)
    if "COUNT" in parts or any(k in parts for k in ("BYSETPOS", "BYWEEKNO", "BYYEARDAY")):
        return start
    interval = int(parts["INTERVAL"]) if parts.get("INTERVAL", "").isdigit() else 1
    freq = parts.get("FREQ")
    if freq in ("DAILY", "WEEKLY"):
        step = (1 if freq == "DAILY" else 7) * max(1, interval)
        periods = (window_start - start).days // step - 1
        return start + timedelta(days=step * periods) if periods > 0 else start
    if freq in ("MONTHLY", "YEARLY") and start.day <= 28:
        months = (window_start.year - start.year) * 12 + window_start.month - start.month
        step = max(1, interval) * (12 if freq == "YEARLY" else 1)
        periods = months // step - 1
        if periods <= 0:
            return start
        total = start.month - 1 + step * periods
        return date(start.year + total // 12, total % 12 + 1, start.day)
    return start


@lru_cache(maxsize=4096)
def _parsed_rule(repeat: str, start: date) -> Any:
    """The rule parsed once per text and start (month after month reuses it)."""
    from dateutil.rrule import rrulestr

    try:
        return rrulestr(repeat, dtstart=datetime.combine(start, time()), cache=True)
    except (ValueError, TypeError):
        return None


@dataclass(frozen=True)
class TrashItem:
    """One record in the trash."""

    ref: ItemRef
    label: str
    detail: str
    deleted_at: str


class Planner:
    """The narrow API over the store that the UI and the CLI call."""

    def __init__(
        self,
        store: Store,
        today: Callable[[], date] = date.today,
        own_zone: str | None = None,
        checklists: Mapping[str, Sequence[ChecklistItem]] | None = None,
    ) -> None:
        self.store = store
        self.today = today
        self.checklists: Mapping[str, Sequence[ChecklistItem]] = (
            checklists if checklists is not None else shipped_checklists()
        )
        """Each event kind's checklist template (the shipped ones, or config's)."""
        self.own_zone = own_zone
        """The officer's own time zone (IANA name): exports give times in it too where the
        event's zone differs. None: the event's zone only."""

    # -- calendar ---------------------------------------------------------------------

    def occurrences_between(
        self, start: date, end: date, event_filter: EventFilter | None = None
    ) -> list[Occurrence]:
        """Events touching [start, end], repeating ones expanded only over that range."""
        found = [
            Occurrence(e, e.start_date, e.end_date) for e in self.store.events_between(start, end)
        ]
        for event in self.store.repeating_events_until(end):
            found.extend(self._expand(event, start, end))
        found.sort(key=lambda o: (o.start_date, o.event.start_time or time.min, o.event.title))
        if event_filter is not None and not event_filter.is_empty:
            found = FilterMatcher(self.store, event_filter).occurrences(found)
        return found

    def filter_choices(self) -> dict[str, list[str]]:
        """The values each filter can take, from what is in the database."""
        return {
            "program_area": self.store.program_areas(),
            "partner": self.store.partner_names(),
            **{key: list(values) for key, values in CHOICES.items()},
        }

    def events_matching(self, event_ids: Sequence[int], event_filter: EventFilter) -> set[int]:
        """Which of these events pass the filter."""
        matcher = FilterMatcher(self.store, event_filter)
        passing = set()
        for event_id in event_ids:
            try:
                if matcher.matches(self.event(event_id)):
                    passing.add(event_id)
            except NotFound:
                continue
        return passing

    def _expand(self, event: Event, start: date, end: date) -> list[Occurrence]:
        span = event.end_date - event.start_date
        last = repeat_bound(event.repeat or "", event.start_date)
        if last is not None and last + span < start:
            return []  # a series that ended before the range: nothing to expand
        anchor = repeat_anchor(event.repeat or "", event.start_date, start - span)
        rule = _parsed_rule(event.repeat or "", anchor)
        if rule is None:
            dates = (
                [event.start_date] if event.start_date <= end and event.end_date >= start else []
            )
        else:
            window_start = datetime.combine(start - span, time())
            window_end = datetime.combine(end, time())
            # A checked rule gives one day at most per day of the window, so the window
            # bounds the walk and no series stops short of the range asked for (a fixed
            # cap of 1,000 silently cut a daily series over a three-year agenda). A rule
            # stored before rules were checked (BYHOUR) may give a day several times: each
            # day is shown once.
            days = (window_end - window_start).days + 2
            seen: dict[date, None] = {}
            for moment in rule.xafter(window_start, count=days * MAX_PER_DAY, inc=True):
                if moment > window_end:
                    break
                seen[moment.date()] = None
            dates = list(seen)
        return [Occurrence(event, day, day + span) for day in dates]

    def days_with_events(self, start: date, end: date) -> dict[date, int]:
        """How many events fall on each day of [start, end] (multi-day events count daily)."""
        counts: dict[date, int] = {}
        for occurrence in self.occurrences_between(start, end):
            day = max(occurrence.start_date, start)
            last = min(occurrence.end_date, end)
            while day <= last:
                counts[day] = counts.get(day, 0) + 1
                day += timedelta(days=1)
        return counts

    def next_event_on_or_after(self, day: date, horizon_days: int = 366) -> Occurrence | None:
        """The first event from `day` on, looking at most `horizon_days` ahead."""
        occurrences = self.occurrences_between(day, day + timedelta(days=horizon_days))
        upcoming = [o for o in occurrences if o.start_date >= day]
        return upcoming[0] if upcoming else (occurrences[0] if occurrences else None)

    # -- reading records --------------------------------------------------------------

    def event(self, event_id: int) -> Event:
        """One event (NotFound when missing or in the trash)."""
        return self.store.get(Event, event_id)

    def person(self, person_id: int) -> Person:
        """One person."""
        return self.store.get(Person, person_id)

    def organisation(self, organisation_id: int) -> Organisation:
        """One organisation."""
        return self.store.get(Organisation, organisation_id)

    def publication(self, publication_id: int) -> Publication:
        """One publication."""
        return self.store.get(Publication, publication_id)

    def event_details(self, event_id: int) -> EventDetails:
        """An event with its contacts, partners, related items, sessions and RSVP counts."""
        event = self.event(event_id)
        return EventDetails(
            event=event,
            contacts=tuple(self.store.contacts_for(event_id)),
            partners=tuple(self.store.partners_for(event_id)),
            related_events=tuple(self.store.related_events(event_id)),
            related_publications=tuple(self.store.publications_for_event(event_id)),
            sessions=tuple(self.store.sessions_for(event_id)),
            invitation_counts=self.store.invitation_counts([event_id]).get(event_id, {}),
        )

    def invitations_for(self, event_id: int) -> list[Invitation]:
        """An event's guest list."""
        return self.store.invitations_for(event_id)

    def events(
        self, start: date | None = None, end: date | None = None, limit: int | None = None
    ) -> list[Event]:
        """Events in date order, optionally only those touching [start, end]."""
        if start is not None or end is not None:
            first = start or date(1, 1, 1)
            last = end or date(9999, 12, 31)
            seen: dict[int, Event] = {}
            for occurrence in self.occurrences_between(first, last):
                assert occurrence.event.id is not None
                seen.setdefault(occurrence.event.id, occurrence.event)
            result = list(seen.values())
            return result[:limit] if limit is not None else result
        return self.store.listing(Event, order_by="start_date, start_time, title", limit=limit)

    def people(self, limit: int | None = None, offset: int = 0) -> list[Person]:
        """People by name."""
        return self.store.listing(Person, order_by="name_key, id", limit=limit, offset=offset)

    def organisations(self, limit: int | None = None, offset: int = 0) -> list[Organisation]:
        """Organisations by name."""
        return self.store.listing(Organisation, order_by="name_key, id", limit=limit, offset=offset)

    def publications(self, limit: int | None = None, offset: int = 0) -> list[Publication]:
        """Publications, newest first."""
        return self.store.listing(
            Publication, order_by="published desc nulls last, title_key", limit=limit, offset=offset
        )

    def counts(self) -> dict[str, int]:
        """How many live records of each kind there are."""
        return {kind: self.store.count(cls) for kind, cls in KINDS.items()}

    def is_empty(self) -> bool:
        """True when there are no events, people, organisations or publications yet."""
        # Not count(*): at 100k events that reads the whole table on every start.
        return not any(
            self.store.any_live(kind) for kind in (Event, Person, Organisation, Publication)
        )

    def contacts_for(self, event_id: int) -> list[PersonSummary]:
        """The staff contacts of an event."""
        return self.store.contacts_for(event_id)

    def partners_for(self, event_id: int) -> list[Organisation]:
        """The partner organisations of an event."""
        return self.store.partners_for(event_id)

    def related_events(self, event_id: int) -> list[Event]:
        """Events related to an event."""
        return self.store.related_events(event_id)

    def related_publications_of_event(self, event_id: int) -> list[Publication]:
        """Publications related to an event."""
        return self.store.publications_for_event(event_id)

    def related_publications_of_publication(self, publication_id: int) -> list[Publication]:
        """Publications related to a publication."""
        return self.store.related_publications(publication_id)

    def events_of_publication(self, publication_id: int) -> list[Event]:
        """Events related to a publication."""
        return self.store.events_for_publication(publication_id)

    def sessions_for(self, event_id: int) -> list[Session]:
        """An event's agenda."""
        return self.store.sessions_for(event_id)

    def invitation_counts(self, event_ids: Sequence[int]) -> dict[int, dict[str, int]]:
        """Guest-list counts per status for each event."""
        return self.store.invitation_counts(event_ids)

    def needs_summary(self, event_id: int) -> NeedsSummary:
        """What the caterer and the venue need to know, from accepted guests only."""
        return needs_of(self.store.invitations_for(event_id))

    def guests_with_people(self, event_id: int) -> list[tuple[Invitation, Person]]:
        """The guest list with each guest's person record (people in the trash left out)."""
        result = []
        for invitation in self.store.invitations_for(event_id):
            try:
                result.append((invitation, self.person(invitation.person_id)))
            except NotFound:
                continue
        return result

    def organisation_name(self, organisation_id: int | None) -> str | None:
        """An organisation's name, or None when unknown or in the trash."""
        if organisation_id is None:
            return None
        try:
            return self.organisation(organisation_id).name
        except NotFound:
            return None

    # -- guest list -------------------------------------------------------------------

    def guest_lines(self, event_id: int) -> list[GuestLine]:
        """An event's guest list with names and organisations, by name."""
        return self.store.guest_lines(event_id)

    def rsvp(self, event_id: int, lines: Sequence[GuestLine] | None = None) -> RsvpPicture:
        """Counts per status, the RSVP bar's parts and the capacity of an event."""
        if lines is None:
            lines = self.guest_lines(event_id)
        return rsvp_picture(lines, self.event(event_id).capacity)

    def find_people(self, text: str, limit: int = 30) -> list[Person]:
        """People for a picker: by name as typed (words in any order, last one a prefix)."""
        email = text.strip() if "@" in text else None
        query = fts_query(text)
        if query is None and email is None:
            return self.people(limit=limit)
        return self.store.people_matching(query, email, limit)

    def add_person(self, text: str) -> Person:
        """A new person from what was typed in a picker: "Name" or "Name <email>"."""
        name, email = split_name_email(text)
        return self.save(Person(name=validate.required_text(name, "name"), email=email))

    def invite_new_person(
        self, event_id: int, text: str, organisation_id: int | None = None
    ) -> Person:
        """Add a person from an invite line and invite them, as one step.

        The line is "Name", "Name <email>" or either followed by ", Organisation" (a name
        or short name; a new one is added). `organisation_id` is used when the line names
        none.
        """
        person_text, organisation = split_invite_line(text)
        name, _ = split_name_email(person_text)
        with self.store.transaction(f"Invite {name} (new) to {self.event(event_id).title}"):
            person = self.add_person(person_text)
            assert person.id is not None
            if organisation:
                organisation_id = self._organisation_id(organisation)
            if organisation_id is not None:
                self.organisation(organisation_id)
                person = self.save(replace(person, organisation_id=organisation_id))
            self.invite(event_id, [cast(int, person.id)])
        return person

    def invite_with_organisation(
        self, event_id: int, person_id: int, organisation: int | str | None
    ) -> Person:
        """Invite someone and, when they have no organisation yet, give them one (an id, or
        a name or short name, added when new), as one step."""
        person = self.person(person_id)
        with self.store.transaction(f"Invite {person.name} to {self.event(event_id).title}"):
            if person.organisation_id is None and organisation not in (None, ""):
                organisation_id = (
                    self._organisation_id(organisation)
                    if isinstance(organisation, str)
                    else self.organisation(organisation).id
                )
                person = self.save(replace(person, organisation_id=organisation_id))
            self.invite(event_id, [person_id])
        return person

    def _organisation_id(self, text: str) -> int:
        """The organisation with this name or short name (case as typed first); a new one
        when there is none."""
        name = clean_line(text)
        found = self.store.by_key(Organisation, name) or self.store.listing(
            Organisation, order_by="id", limit=1, where="short_name = ?", params=[name]
        )
        if not found:
            found = self.store.listing(
                Organisation,
                order_by="id",
                limit=1,
                where="lower(name) = lower(?) or lower(short_name) = lower(?)",
                params=[name, name],
            )
        organisation = found[0] if found else self.save(Organisation(name=name))
        assert organisation.id is not None
        return organisation.id

    def invite(self, event_id: int, person_ids: Sequence[int]) -> list[Invitation]:
        """Put people on an event's guest list (to invite); lines in the trash come back."""
        event = self.event(event_id)
        added: list[Invitation] = []
        names = [self._person_name(i) for i in person_ids]
        with self.store.transaction(f"Invite {_names(names) or 'nobody'} to {event.title}"):
            for person_id in person_ids:
                self.person(person_id)
                line = self.store.invitation_for(event_id, person_id, include_deleted=True)
                if line is None:
                    added.append(
                        self.store.insert(Invitation(event_id=event_id, person_id=person_id))
                    )
                elif line.deleted_at is not None:
                    fresh = replace(line, status="to-invite", deleted_at=None)
                    added.append(self.store.update(fresh))
        return added

    def speakers_not_invited(self, session: Session) -> list[Speaker]:
        """A session's speakers who are not on its event's guest list (a line in the trash
        counts as not there)."""
        once = {speaker.person_id: speaker for speaker in reversed(session.speakers)}
        return [
            speaker
            for speaker in reversed(once.values())
            if self.store.invitation_for(session.event_id, speaker.person_id) is None
        ]

    def invite_speakers(self, event_id: int, person_ids: Sequence[int]) -> list[Invitation]:
        """Put people on the guest list with the role speaker (to invite), as one step."""
        event = self.event(event_id)
        label = f"Add {_count(len(person_ids), 'speaker')} to the guest list of {event.title}"
        with self.store.transaction(label):
            self.invite(event_id, person_ids)
            lines = [self.store.invitation_for(event_id, p) for p in person_ids]
            invited = [line for line in lines if line is not None]
            for line in invited:
                if line.role != "speaker":
                    self.store.update(replace(line, role="speaker"))
            return [self.store.get(Invitation, cast(int, line.id)) for line in invited]

    def set_guest_status(
        self,
        invitation_ids: Sequence[int],
        status: str,
        *,
        via: str | None = None,
        on: date | None = None,
    ) -> int:
        """Change the status of guest-list lines in one step; returns how many changed.

        A reply (accepted, declined, tentative, waitlisted) stamps the day it came (today
        unless `on`) and how (`via`, cleared when not known); "invited" stamps the day sent.
        """
        status = validate.choice(status, "status", INVITATION_STATUSES) or "to-invite"
        via = validate.choice(via, "reply by", RESPONSE_VIA)
        day = on or self.today()

        def change(line: Invitation) -> Invitation:
            updated = replace(line, status=status)
            if status in REPLIES and (line.status != status or via or on):
                updated = replace(updated, responded_on=day, response_via=via)
            elif status == "invited" and (line.status != status or on):
                updated = replace(updated, invited_on=day)
            return updated

        return self._change_lines(invitation_ids, f"Mark {{n}} {status}", change)

    def set_reply_via(self, invitation_ids: Sequence[int], via: str) -> int:
        """Record how the replies came (the day stays, or becomes today when unknown)."""
        checked = validate.choice(via, "reply by", RESPONSE_VIA)
        today = self.today()
        return self._change_lines(
            invitation_ids,
            f"Replies of {{n}} by {checked}",
            lambda line: replace(
                line, response_via=checked, responded_on=line.responded_on or today
            ),
        )

    def set_guest_role(self, invitation_ids: Sequence[int], role: str) -> int:
        """Change the role of guest-list lines in one step; returns how many changed."""
        role = validate.choice(role, "role", INVITATION_ROLES) or "participant"
        return self._change_lines(
            invitation_ids, f"Make {{n}} {role}", lambda line: replace(line, role=role)
        )

    def _change_lines(
        self,
        invitation_ids: Sequence[int],
        label: str,
        change: Callable[[Invitation], Invitation],
    ) -> int:
        """Apply `change` to each line in one undo step; returns how many lines changed."""
        lines = [self.store.get(Invitation, i) for i in invitation_ids]
        updates = [(line, change(line)) for line in lines]
        names = [self._person_name(line.person_id) for line in lines]
        if len(lines) == 1 and (words := guest_changes(*updates[0])):
            # One guest: say who and what changed ("Ada Okafor: invited -> accepted").
            step = f"{names[0]}: {', '.join(words)}"
        else:
            step = f"{label.format(n=_count(len(lines), 'guest'))}: {_names(names)}"
        changed = 0
        with self.store.transaction(step):
            for line, updated in updates:
                if updated != line:
                    self.store.update(updated)
                    changed += 1
        return changed

    def remove_guests(self, invitation_ids: Sequence[int]) -> int:
        """Move guest-list lines to the trash in one step; returns how many."""
        lines = [self.store.get(Invitation, i) for i in invitation_ids]
        names = _names([self._person_name(line.person_id) for line in lines])
        where = self._event_title(lines[0].event_id) if lines else ""
        with self.store.transaction(f"Remove {names} from the guest list of {where}"):
            for invitation_id in invitation_ids:
                self.store.get(Invitation, invitation_id)
                self.store.set_deleted(Invitation, invitation_id, True)
        return len(invitation_ids)

    def promote_from_waitlist(self, event_id: int) -> GuestLine | None:
        """Accept the guest longest on the waitlist; None when nobody is waiting."""
        line = first_waitlisted(self.guest_lines(event_id))
        if line is None:
            return None
        with self.store.transaction(f"Promote {line.name} from the waitlist"):
            self.set_guest_status([line.id], "accepted")
        return line

    def guests_csv(self, event_id: int, *, include_private: bool = False) -> str:
        """The guest list as CSV; an invitation-only event's only when asked for."""
        from tui.domain.exporters.guests_csv import guests_csv

        event = self.event(event_id)
        if not guests_may_leave(event, include_private):
            raise InvalidInput(
                f"{event.title!r} is invitation-only: its guest list leaves only with"
                " --include-private",
                value=str(event_id),
            )
        return guests_csv(self.guest_lines(event_id))

    # -- related items ----------------------------------------------------------------

    def subject(self, ref: ItemRef) -> Subject:
        """A record with everything linked to it, grouped (NotFound when gone)."""
        return subject_of(self, ref)

    def find_records(self, kind: str, text: str, limit: int = 40) -> list[RelatedItem]:
        """Records of one kind for a picker: by words typed, else the first few by name."""
        if kind == "person":
            return [
                RelatedItem(ItemRef("person", cast(int, p.id)), p.name, p.email or "")
                for p in self.find_people(text, limit)
            ]
        query = fts_query(text)
        if query is not None:
            rows = self.store.search(query, limit, ranked=True, kind=kind)
            return [
                RelatedItem(ItemRef(cast(RecordKind, kind), row["record_id"]), row["title"])
                for row in rows
            ]
        if kind == "event":
            return [
                RelatedItem(ItemRef("event", cast(int, e.id)), e.title, e.start_date.isoformat())
                for e in self.store.listing(Event, order_by="start_date desc", limit=limit)
            ]
        if kind == "publication":
            return [
                RelatedItem(ItemRef("publication", cast(int, p.id)), p.title, p.published or "")
                for p in self.publications(limit=limit)
            ]
        return [
            RelatedItem(ItemRef("organisation", cast(int, o.id)), o.name, o.short_name or "")
            for o in self.organisations(limit=limit)
        ]

    def add_link(self, key: LinkKey) -> bool:
        """Link two records (one undo step); True when the link is new."""
        with self.store.transaction(f"Link {self._link_words(key, 'to')}"):
            return self.store.link(key.name, key.left, key.right)

    def remove_link(self, key: LinkKey) -> bool:
        """Remove a link (one undo step); True when there was one."""
        with self.store.transaction(f"Unlink {self._link_words(key, 'from')}"):
            return self.store.unlink(key.name, key.left, key.right)

    # -- search -----------------------------------------------------------------------

    def search(self, text: str, limit: int = 60) -> list[SearchHit]:
        """Every kind of record matching `text`, best first; [] when nothing or no words."""
        query = fts_query(text)
        if query is None:
            return []
        words = fold(text).split()
        # Ranking every match costs in proportion to how many there are (50,000 rows of a
        # large database match "peace": 40 ms). So bm25 ranks only a query that matches at
        # most RANK_LIMIT rows; a broad one takes titles and names that match first, in
        # index order, then other matches, and is put in order here.
        broad = len(text.strip()) < 3 or self.store.match_count(query, RANK_LIMIT + 1) > RANK_LIMIT
        if not broad:
            rows = self.store.search(query, limit * 2, ranked=True)
        else:
            rows = self.store.search(f"title : ({query})", limit * 2, ranked=False)
            if len(rows) < limit:
                seen = {(row["kind"], row["record_id"]) for row in rows}
                rows += [
                    row
                    for row in self.store.search(query, limit * 2, ranked=False)
                    if (row["kind"], row["record_id"]) not in seen
                ]
            rows.sort(key=lambda row: len(row["title"] or ""))
        # Titles and names first: bm25 weights alone let a long description outrank a title.
        rows.sort(key=lambda row: not _title_matches(row["title"], words))
        hits: list[SearchHit] = []
        for row in rows[:limit]:
            event_id = None
            start: date | None = None
            end: date | None = None
            repeats = False
            try:
                if row["kind"] == "session":
                    session = self.store.get(Session, row["record_id"])
                    event_id, start, end = session.event_id, session.date, session.date
                elif row["kind"] == "task":
                    task = self.store.get(Task, row["record_id"])
                    event_id = task.event_id
                    start = end = self.due_of(task)
                elif row["kind"] == "event":
                    event = self.event(row["record_id"])
                    start, end, repeats = event.start_date, event.end_date, bool(event.repeat)
            except NotFound:
                continue
            hits.append(
                SearchHit(
                    kind=row["kind"],
                    id=row["record_id"],
                    title=row["title"],
                    snippet=row["snippet"] or "",
                    event_id=event_id,
                    start_date=start,
                    end_date=end,
                    repeats=repeats,
                )
            )
        return hits

    def search_total(self, text: str) -> int:
        """How many records match `text` in all (search() returns at most its limit)."""
        query = fts_query(text)
        if query is None:
            return 0
        return self.store.match_count(query, 2**62)

    def occurrence_to_open(self, event_id: int) -> Occurrence:
        """The occurrence of an event to show when it is opened from elsewhere (search, a
        link): the event itself, or a series' next occurrence from today (else its last)."""
        event = self.event(event_id)
        if not event.repeat:
            return Occurrence(event, event.start_date, event.end_date)
        today = self.today()
        upcoming = self._expand(event, max(today, event.start_date), today + timedelta(days=3660))
        if upcoming:
            return upcoming[0]
        past = self._expand(event, event.start_date, today)
        return past[-1] if past else Occurrence(event, event.start_date, event.end_date)

    # -- exports ----------------------------------------------------------------------

    def agenda_markdown(self, event_id: int, *, include_private: bool = False) -> str:
        """The event agenda as Markdown."""
        from tui.domain.exporters import markdown

        return markdown.event_agenda(self, event_id, include_private=include_private)

    def briefing_markdown(self, event_id: int, *, include_private: bool = False) -> str:
        """The briefing book as Markdown."""
        from tui.domain.exporters import markdown

        return markdown.briefing_book(self, event_id, include_private=include_private)

    def events_ics(self, events: Sequence[Event], *, include_private: bool = False) -> str:
        """Events as iCalendar text."""
        from tui.domain.exporters.calendar_ics import to_ics

        return to_ics(self, events, include_private=include_private)

    def officer_agenda_markdown(self, start: date, end: date) -> str:
        """The officer's agenda of a date range as Markdown."""
        from tui.domain.exporters import markdown

        return markdown.officer_agenda(self, start, end)

    # -- changing records -------------------------------------------------------------

    def save(self, record: Record) -> Record:
        """Add (no id) or update (id) any record, its text cleaned first."""
        record = sanitised(record)
        if isinstance(record, Event):
            validate.check_span(record.start_date, record.end_date)
        verb = "Add" if record.id is None else "Edit"
        with self.store.transaction(self.in_words(verb, record), single=True):
            return self.store.insert(record) if record.id is None else self.store.update(record)

    def delete(self, record: AnyRecord) -> None:
        """Move a record to the trash."""
        if record.id is None:
            raise NotFound("the record was never saved")
        with self.store.transaction(self.in_words("Delete", record)):
            self.store.set_deleted(type(record), record.id, True)

    def restore(self, record: AnyRecord) -> None:
        """Bring a record back from the trash."""
        if record.id is None:
            raise NotFound("the record was never saved")
        with self.store.transaction(self.in_words("Restore", record)):
            self.store.set_deleted(type(record), record.id, False)

    def save_event(
        self,
        event: Event,
        contacts: Sequence[int] | None = None,
        partners: Sequence[int] | None = None,
    ) -> Event:
        """Save an event and (when given) its staff contacts and partners, in that order."""
        verb = "Add" if event.id is None else "Edit"
        with self.store.transaction(f"{verb} {describe(sanitised(event))}"):
            saved = self.save(event)
            assert saved.id is not None
            if contacts is not None:
                self._replace_links(
                    "contact", saved.id, [c.id for c in self.contacts_for(saved.id)], contacts
                )
            if partners is not None:
                current = [cast(int, o.id) for o in self.partners_for(saved.id)]
                self._replace_links("partner", saved.id, current, partners)
            return saved

    def _replace_links(
        self, name: str, left: int, current: Sequence[int], wanted: Sequence[int]
    ) -> None:
        if list(current) == list(wanted):
            return
        for right in current:
            self.store.unlink(name, left, right)
        for position, right in enumerate(dict.fromkeys(wanted)):
            self.store.link(name, left, right, position)

    def add_organisation(self, text: str) -> Organisation:
        """A new organisation from what was typed in a picker (its name)."""
        return self.save(Organisation(name=validate.required_text(text, "name")))

    def save_person(self, person: Person, organisation: str | None) -> Person:
        """Save a person with their organisation given by name (added when new): one step."""
        name = clean_line(organisation or "")
        with self.store.transaction(f"{'Add' if person.id is None else 'Edit'} {describe(person)}"):
            organisation_id = self._organisation_id(name) if name else None
            return self.save(replace(person, organisation_id=organisation_id))

    @contextmanager
    def unless_changed(self, record: AnyRecord | None) -> Iterator[None]:
        """A write transaction that first checks `record` was not changed elsewhere since
        it was read (Conflict if it was). The check and the write are one IMMEDIATE
        transaction: no other process can write in between. None checks nothing."""
        with self.store.transaction():
            if record is not None and self.changed_elsewhere(record):
                raise Conflict(
                    f"{self.named(record)} was changed elsewhere since you opened it; not saved"
                )
            yield

    def changed_elsewhere(self, record: AnyRecord) -> bool:
        """True when the stored record was changed (or trashed) since `record` was read."""
        if record.id is None:
            return False
        rows = self.store.stamps(type(record), record.id)
        if rows is None:
            return True
        updated_at, deleted_at = rows
        return updated_at != record.updated_at or deleted_at is not None

    def goes_with(self, record: AnyRecord) -> list[str]:
        """What leaves with a record when it goes to the trash ("16 guests", "4 sessions")."""
        if isinstance(record, Event) and record.id is not None:
            guests = len(self.guest_lines(record.id))
            sessions = len(self.sessions_for(record.id))
            parts = [_count(guests, "guest"), _count(sessions, "session")]
            return [p for p in parts if not p.startswith("0 ")]
        if isinstance(record, Person) and record.id is not None:
            invited = len([e for e, part in self.store.events_for_person(record.id)])
            return [f"their place on {invited} guest lists or agendas"] if invited else []
        return []

    def outside_changes(self, *, wait: bool = True) -> int | None:
        """A number that changes when another process writes to the database (SQLite's
        data_version); None when it cannot be read right now without waiting."""
        return self.store.data_version(wait=wait)

    def named(self, record: AnyRecord) -> str:
        """A record in words for a message: 'event "X"', "Ada Okafor's line on the guest list
        of Policy Dinner" (never 'invitation 4')."""
        if isinstance(record, Invitation):
            name = self._person_name(record.person_id)
            return f"{name}'s line on the guest list of {self._event_title(record.event_id)}"
        return describe(record)

    def in_words(self, verb: str, record: AnyRecord) -> str:
        """An undo step named in words: 'Edit event "X"', 'Ada Okafor: accepted -> invited'."""
        if not isinstance(record, Invitation):
            return f"{verb} {describe(record)}"
        name = self._person_name(record.person_id)
        event = self._event_title(record.event_id)
        if verb == "Edit" and record.id is not None:
            try:
                old = self.store.get(Invitation, record.id, include_deleted=True)
            except NotFound:
                old = record
            words = guest_changes(old, record)
            if not words:
                return f"Edit {name} on the guest list of {event}"
            return f"{name}: {', '.join(words)}"
        if verb == "Add":
            return f"Invite {name} to {event}"
        if verb == "Delete":
            return f"Remove {name} from the guest list of {event}"
        return f"{verb} {name} on the guest list of {event}"

    def _person_name(self, person_id: int) -> str:
        try:
            return self.store.get(Person, person_id, include_deleted=True).name
        except NotFound:
            return f"person {person_id}"

    def _event_title(self, event_id: int) -> str:
        try:
            return self.store.get(Event, event_id, include_deleted=True).title
        except NotFound:
            return f"event {event_id}"

    def _link_words(self, key: LinkKey, joiner: str) -> str:
        """'partner Impact:Peace to "Workshop"' for a link's undo step."""
        kinds: dict[str, tuple[type[Any], type[Any], str]] = {
            "contact": (Event, Person, "staff contact"),
            "partner": (Event, Organisation, "partner"),
            "related_event": (Event, Event, "related event"),
            "event_publication": (Event, Publication, "publication"),
            "related_publication": (Publication, Publication, "related publication"),
        }
        left_cls, right_cls, words = kinds.get(key.name, (None, None, key.name.replace("_", " ")))
        if left_cls is None or right_cls is None:
            return words

        def named(cls: type[Any], record_id: int) -> str:
            try:
                record = self.store.get(cls, record_id, include_deleted=True)
            except NotFound:
                return f"{cls.__name__.lower()} {record_id}"
            return str(getattr(record, "title", None) or getattr(record, "name", ""))

        return f"{words} {named(right_cls, key.right)} {joiner} {named(left_cls, key.left)}"

    def undo(self) -> str | None:
        """Reverse the latest change (a bulk change is one); its description, or None."""
        return self.store.undo()

    def history(self, limit: int = 20) -> list[tuple[str, str]]:
        """The latest changes that undo would reverse, newest first: (what, when UTC)."""
        return self.store.history(limit)

    def link(self, name: str, left: int, right: int, position: int | None = None) -> bool:
        """Link two records ("contact", "partner", "related_event", ...); True when new."""
        return self.store.link(name, left, right, position)

    def unlink(self, name: str, left: int, right: int) -> bool:
        """Remove a link; True when there was one."""
        return self.store.unlink(name, left, right)

    def set_speakers(self, session_id: int, speakers: Sequence[Speaker]) -> None:
        """Replace a session's speakers."""
        self.store.set_speakers(session_id, speakers)

    # -- agenda sessions --------------------------------------------------------------

    def save_session(self, session: Session, speakers: Sequence[Speaker] | None = None) -> Session:
        """Add or edit an agenda session with its speakers, in one step.

        The day must fall within the event; a new session takes its place on its day by
        its start time (after the sessions without one that are already there).
        """
        session = sanitised(session)
        validate.required_text(session.title, "title")
        event = self.event(session.event_id)
        if not event.start_date <= session.date <= event.end_date:
            raise InvalidInput(
                f"date {session.date.isoformat()} is not a day of the event"
                f" ({event.start_date.isoformat()} to {event.end_date.isoformat()})",
                value=session.date.isoformat(),
            )
        if session.start_time and session.end_time and session.end_time < session.start_time:
            raise InvalidInput(
                f"end_time {session.end_time:%H:%M} is before start_time {session.start_time:%H:%M}"
            )
        verb = "Add" if session.id is None else "Edit"
        with self.store.transaction(f"{verb} {describe(session)}"):
            if session.id is None:
                saved = self.store.insert(replace(session, position=self._slot_for(session)))
            else:
                old = self.store.get(Session, session.id)
                # The order on the day is the agenda's, not that of a copy read earlier.
                position = old.position if old.date == session.date else self._slot_for(session)
                session = replace(session, position=position)
                saved = self.store.update(session)
            assert saved.id is not None
            if speakers is not None:
                self.store.set_speakers(saved.id, speakers)
            return self.store.get(Session, saved.id)

    def _slot_for(self, session: Session) -> int:
        """The position a session takes on its day, by start time; later ones move down."""
        day = [
            s
            for s in self.sessions_for(session.event_id)
            if s.date == session.date and s.id != session.id
        ]
        index = len(day)
        if session.start_time is not None:
            for i, other in enumerate(day):
                if other.start_time is not None and other.start_time > session.start_time:
                    index = i
                    break
        for i, other in enumerate(day):
            wanted = i if i < index else i + 1
            if other.position != wanted:
                self.store.update(replace(other, position=wanted))
        return index

    def move_session(self, session_id: int, step: int) -> Session | None:
        """Move a session earlier (-1) or later (+1) in the agenda, as one undo step.

        Within its day it changes places with its neighbour and takes the neighbour's
        time slot (see agenda.swap_slots), so the day stays in time order. The first of a
        day moving earlier goes to the event's previous day (the last of a day, later: the
        next day), keeping its times. Returns the session as moved; None at the first or
        last day's edge.
        """
        session = self.store.get(Session, session_id)
        event = self.event(session.event_id)
        sessions = self.sessions_for(session.event_id)
        day = [s for s in sessions if s.date == session.date]
        index = next(i for i, s in enumerate(day) if s.id == session_id)
        target = index + step
        with self.store.transaction(f"Move {describe(session)}"):
            if 0 <= target < len(day):
                upper, lower = sorted((index, target))
                first, second = agenda.swap_slots(day[upper], day[lower])
                day[upper], day[lower] = first, second
                for position, item in enumerate(day):
                    self.store.update(replace(item, position=position))
                return self.store.get(Session, session_id)
            other_day = session.date + timedelta(days=step)
            if not event.start_date <= other_day <= event.end_date:
                return None
            there = [s for s in sessions if s.date == other_day]
            moved = replace(session, date=other_day)
            if moved.start_time is None:
                # Untimed: the end of the day it came down from, the start of the one below.
                order = [*there, moved] if step < 0 else [moved, *there]
                for position, item in enumerate(order):
                    self.store.update(replace(item, position=position))
            else:
                self.store.update(replace(moved, position=self._slot_for(moved)))
            return self.store.get(Session, session_id)

    # -- planning tasks ---------------------------------------------------------------

    def tasks_for(self, event_id: int) -> list[Task]:
        """An event's checklist, in its order."""
        return self.store.tasks_for(event_id)

    def due_of(self, task: Task) -> date | None:
        """The day a task is due (a relative one counted from its event as it is now)."""
        return due_on(task, self.store.get(Event, task.event_id, include_deleted=True))

    def task_from_text(self, event_id: int, title: str, due: str, notes: str = "") -> Task:
        """A new task as typed: a title and a due date ("8 weeks before", "2027-01-15")."""
        due_date, offset, anchor = parse_due(due)
        return Task(
            event_id=event_id,
            title=validate.required_text(title, "title"),
            due_date=due_date,
            due_offset=offset,
            due_anchor=anchor,
            notes=notes or None,
        )

    def save_task(self, task: Task) -> Task:
        """Add a task at the end of its event's checklist, or edit one (one undo step)."""
        task = sanitised(task)
        event = self.event(task.event_id)
        if task.owner_id is not None and not self.person(task.owner_id).is_staff:
            raise InvalidInput(
                f"{self.person(task.owner_id).name[:60]} is not staff; a task's owner is a staff"
                " person"
            )
        verb = "Add" if task.id is None else "Edit"
        with self.store.transaction(f"{verb} {describe(task)} of {event.title}"):
            if task.id is None:
                position = len(self.store.tasks_for(task.event_id))
                return self.store.insert(replace(task, position=position))
            old = self.store.get(Task, task.id)
            return self.store.update(replace(task, position=old.position))

    def set_task_done(self, task_id: int, done: bool) -> Task:
        """Tick a task off (done today) or open it again."""
        task = self.store.get(Task, task_id)
        verb = "Done" if done else "Not done"
        with self.store.transaction(f"{verb}: {describe(task)}"):
            return self.store.update(replace(task, done_on=self.today() if done else None))

    def move_task(self, task_id: int, step: int) -> Task | None:
        """Move a task up (-1) or down (+1) its checklist; None at either end."""
        task = self.store.get(Task, task_id)
        tasks = self.store.tasks_for(task.event_id)
        index = next(i for i, t in enumerate(tasks) if t.id == task_id)
        target = index + step
        if not 0 <= target < len(tasks):
            return None
        tasks[index], tasks[target] = tasks[target], tasks[index]
        with self.store.transaction(f"Move {describe(task)}"):
            for position, item in enumerate(tasks):
                if item.position != position:
                    self.store.update(replace(item, position=position))
        return self.store.get(Task, task_id)

    def due(self, days: int = 7, today: date | None = None) -> list[DueTask]:
        """Open tasks due within `days` days of today, and overdue ones, in due order."""
        day = today or self.today()
        until = day + timedelta(days=max(days, 0))
        return [
            DueTask(task, event, due) for task, event, due in self.store.open_tasks_until(until)
        ]

    def due_between(self, start: date, end: date) -> list[DueTask]:
        """Open tasks due on a day of [start, end], in due order."""
        return [item for item in self.due(0, today=end) if item.due >= start]

    def apply_checklist(self, event_id: int) -> list[Task]:
        """Add the event kind's checklist to its tasks, as one undo step; a task whose title
        is already on the checklist is not added again. Returns the tasks added."""
        event = self.event(event_id)
        template = self.checklists.get(event.kind, ())
        have = {fold(task.title) for task in self.store.tasks_for(event_id)}
        wanted = [item for item in template if fold(item.title) not in have]
        if not wanted:
            return []
        added: list[Task] = []
        with self.store.transaction(f"Apply the {event.kind} checklist to {event.title}"):
            position = len(have)
            for item in wanted:
                due_date, offset, anchor = parse_due(item.due)
                task = Task(
                    event_id=event_id,
                    title=item.title,
                    due_date=due_date,
                    due_offset=offset,
                    due_anchor=anchor,
                    position=position,
                )
                added.append(self.store.insert(task))
                position += 1
        return added

    # -- repeating events -------------------------------------------------------------

    def edit_occurrence(self, series: Event, day: date, edited: Event) -> Event:
        """Make one occurrence of a series its own event (`edited`), in one step.

        The series skips that day from now on; the new event keeps the series' staff
        contacts and partners. Its guests and sessions stay with the series.
        """
        if series.id is None or not series.repeat:
            raise InvalidInput("only an occurrence of a repeating event can be edited alone")
        edited = replace(edited, id=None, uid=None, repeat=None)
        with self.store.transaction(f"Edit one occurrence of {describe(series)}"):
            self.store.update(replace(series, repeat=with_exdate(series.repeat, day)))
            new = self.save(edited)
            assert new.id is not None
            for position, contact in enumerate(self.contacts_for(series.id)):
                self.store.link("contact", new.id, contact.id, position)
            for position, partner in enumerate(self.partners_for(series.id)):
                assert partner.id is not None
                self.store.link("partner", new.id, partner.id, position)
            return new

    def skip_occurrence(self, series: Event, day: date) -> Event:
        """Leave one day out of a repeating event (its other occurrences stay)."""
        if series.id is None or not series.repeat:
            raise InvalidInput("only an occurrence of a repeating event can be skipped")
        with self.store.transaction(f"Delete one occurrence of {describe(series)}"):
            return self.store.update(replace(series, repeat=with_exdate(series.repeat, day)))

    # -- trash ------------------------------------------------------------------------

    def trash(self, limit: int = 1000) -> list[TrashItem]:
        """What is in the trash, latest first."""
        return [
            TrashItem(
                ref=ItemRef(row["kind"], row["id"]),
                label=clean_line(row["label"] or ""),
                detail=clean_line(row["detail"] or ""),
                deleted_at=row["deleted_at"],
            )
            for row in self.store.trashed(limit)
        ]

    def restore_ref(self, ref: ItemRef) -> AnyRecord:
        """Bring one record back out of the trash; returns it."""
        record: AnyRecord = self.store.get(KINDS[ref.kind], ref.id, include_deleted=True)
        if record.deleted_at is None:
            raise InvalidInput(f"{self.named(record)} is not in the trash")
        self.restore(record)
        return record

    def empty_trash(self, backup_directory: Path) -> tuple[Path, int]:
        """Write a backup, then delete the trash for good; (the backup, how many records)."""
        backup = self.backup(backup_directory)
        return backup, self.store.purge_trash()

    def folder(self, name: str) -> Path:
        """A folder beside the database in use (edits/, backups/): made 0700 when missing."""
        from tui.domain.store import private_folder

        base = Path(self.store.path).parent if self.store.path != ":memory:" else Path.cwd()
        folder = base / name
        private_folder(folder)
        folder.chmod(0o700)
        return folder

    def backup(self, directory: Path) -> Path:
        """A consistent copy of the database in `directory`."""
        return self.store.backup(directory)

    # -- import -----------------------------------------------------------------------

    def import_file(
        self,
        path: Path,
        *,
        event_id: int | None = None,
        partial: bool = False,
        large: bool = False,
        progress: Callable[[int, int], None] | None = None,
    ) -> Any:
        """Import one file in one transaction; returns an ImportReport.

        `progress(bytes read, bytes in the file)` is called now and then while a calendar
        is read; raising Cancelled from it stops the import with nothing written.
        """
        from tui.domain.importers import import_path

        return import_path(
            self, path, event_id=event_id, partial=partial, large=large, progress=progress
        )

    # -- mail (tui/domain/mail/) -----------------------------------------------------

    def queue_mail(
        self,
        event_id: int,
        kind: str,
        outbox: Path,
        organizer: Organizer,
        *,
        statuses: Sequence[str] | None = None,
        templates: Path | None = None,
        only: Sequence[int] | None = None,
    ) -> QueueReport:
        """Write an invitation, update or cancellation per guest into the outbox."""
        from tui.domain.mail.outbox import queue_messages

        return queue_messages(
            self, event_id, kind, outbox, organizer,
            statuses=statuses, templates=templates, only=only,
        )  # fmt: skip

    def send_mail(
        self,
        outbox: Path,
        settings: MailSettings,
        *,
        host: str | None = None,
        port: int | None = None,
        password: str | None = None,
    ) -> SendReport:
        """Send the outbox; the guests of sent invitations become invited (one undo step)."""
        from tui.domain.mail.send import send_outbox

        return send_outbox(self, outbox, settings, host=host, port=port, password=password)

    def outbox_count(self, outbox: Path) -> int:
        """How many messages wait in the outbox."""
        from tui.domain.mail.outbox import queued

        return len(queued(outbox))

    def event_by_id_text(self, text: str) -> Event:
        """An event from an id typed on the command line."""
        try:
            event_id = validate.int_value(text, "event id", minimum=1)
        except InvalidInput:
            raise InvalidInput(
                f"{text[:40]!r} is not an event id (a whole number)", value=text[:40]
            ) from None
        assert event_id is not None
        try:
            return self.event(event_id)
        except NotFound:
            raise NotFound(
                f"no event with id {event_id} (see convener list events)", value=text
            ) from None

    # -- exports of any size: streamed (issue 24) ---------------------------------------

    def event_ids_between(self, start: date, end: date) -> list[int]:
        """The ids of the events touching [start, end] (a repeating one when one of its
        occurrences does), ordered as `events(start, end)` orders them; only the repeating
        series are read as records."""
        keyed: list[tuple[str, str, str, int]] = self.store.event_keys_between(start, end)
        for event in self.store.repeating_events_until(end):
            first = self._first_occurrence(event, start, end)
            if first is not None and event.id is not None:
                when = event.start_time.isoformat() if event.start_time else ""
                keyed.append((first.start_date.isoformat(), when, event.title, event.id))
        keyed.sort(key=lambda key: key[:3])
        return [key[3] for key in keyed]

    def events_ics_chunks(
        self,
        event_ids: Sequence[int] | None = None,
        *,
        include_private: bool = False,
        batch: int = 500,
    ) -> Iterator[str]:
        """The events (all live ones when `event_ids` is None) as iCalendar text in chunks,
        read `batch` events at a time: time grows with the events, memory with the batch."""
        from tui.domain.exporters.calendar_ics import IcsEntry, ics_chunks, zones_of

        ids = list(event_ids) if event_ids is not None else self.store.live_event_ids()
        batches = [ids[i : i + batch] for i in range(0, len(ids), batch)]
        zones: set[str] = set()
        for part in batches:
            zones |= zones_of(self.store.events_by_ids(part))

        def entries() -> Iterator[IcsEntry]:
            for part in batches:
                events = self.store.events_by_ids(part)
                guests_of = [
                    e.id
                    for e in events
                    if e.id is not None and guests_may_leave(e, include_private)
                ]
                organizers, guests, tasks = self.store.ics_parts(part, guests_of)
                for event in events:
                    assert event.id is not None
                    yield IcsEntry(
                        event,
                        organizers.get(event.id),
                        guests.get(event.id, []),
                        tasks.get(event.id, []),
                    )

        return ics_chunks(entries(), zones, include_private=include_private)

    def add_many(
        self, records: Sequence[Record], lines: Sequence[int | None] = ()
    ) -> list[int]:
        """Add many new records of one kind in one statement (a large import), each cleaned
        and checked as `save` does; a refusal names its line (`lines[i]`). Returns their
        ids, in order."""
        # The store's checked() cleans every text field of a person and a guest line the
        # way sanitised() does (the same functions, multi-line fields alike): once is enough.
        if records and type(records[0]) in (Person, Invitation):
            cleaned = list(records)
        else:
            cleaned = [sanitised(record) for record in records]
        for index, record in enumerate(cleaned):
            if isinstance(record, Event):
                try:
                    validate.check_span(record.start_date, record.end_date)
                except InvalidInput as error:
                    line = lines[index] if index < len(lines) else None
                    raise InvalidInput(error.message, line=line, value=error.value) from None
        with self.store.transaction("Add records"):
            return self.store.insert_records(cleaned, lines)

    def search_total_upto(self, text: str, cap: int) -> int:
        """How many records match `text`, counted up to `cap` (cheap however many match)."""
        query = fts_query(text)
        if query is None:
            return 0
        return self.store.match_count(query, cap)

    def _first_occurrence(self, event: Event, start: date, end: date) -> Occurrence | None:
        """A series' first occurrence touching [start, end], looked for a year at a time
        from the later of `start` and the series' own start: a daily series is not
        expanded over the three centuries an export of everything asks for."""
        step = timedelta(days=366)
        span = event.end_date - event.start_date
        bound = repeat_bound(event.repeat or "", event.start_date)
        if bound is not None:
            end = min(end, bound + span)  # nothing of the series after its last day
        window = max(start, event.start_date - span)
        while window <= end:
            last = min(end, window + step)
            occurrences = self._expand(event, window, last)
            if occurrences:
                return occurrences[0]
            if last >= end:
                return None
            window = last + timedelta(days=1)
        return None
