"""Planner: the use cases the app and the command line share, in the officer's words.

Every change passes through here, so this is the one place for undo entries and for the
backup before destructive work.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields, replace
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from tui.domain import validate
from tui.domain.errors import InvalidInput, NotFound
from tui.domain.filters import CHOICES, EventFilter, FilterMatcher
from tui.domain.models import (
    Event,
    EventDetails,
    Invitation,
    Occurrence,
    Organisation,
    Person,
    PersonSummary,
    Publication,
    Session,
    Speaker,
)
from tui.domain.search import SearchHit, fts_query
from tui.domain.store import KINDS, Record, Store
from tui.domain.text import clean, clean_line, fold

ACCEPTED = ("accepted", "attended")
"""Statuses that count as coming (needs summary, confirmed guests)."""

MAX_OCCURRENCES = 1000
"""At most this many occurrences of one repeating event are expanded for one range."""

# Fields kept on one line; every other text field may hold line breaks.
_MULTILINE = {"description", "notes", "bio", "summary", "travel", "repeat"}


def sanitised(record: Record) -> Record:
    """The record with every text field cleaned of control characters."""
    changes: dict[str, Any] = {}
    for item in fields(record):
        value = getattr(record, item.name)
        if isinstance(value, str) and item.name not in (
            "uid",
            "created_at",
            "updated_at",
            "deleted_at",
        ):
            cleaned = clean(value).strip() if item.name in _MULTILINE else clean_line(value)
            if cleaned != value:
                changes[item.name] = cleaned or None
    return replace(record, **changes) if changes else record


@dataclass(frozen=True)
class NeedsSummary:
    """Counts for the caterer and the venue, from accepted guests only."""

    guests: int
    plus_ones: int
    dietary: dict[str, int]
    access_needs: dict[str, int]
    interpretation: dict[str, int]

    @property
    def total(self) -> int:
        """Guests plus their plus-ones."""
        return self.guests + self.plus_ones


def _tally(values: list[str | None]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for value in values:
        if value:
            for part in (p.strip() for p in value.split(",")):
                if part:
                    key = part.lower()
                    counts[key] = counts.get(key, 0) + 1
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def needs_of(invitations: Sequence[Invitation]) -> NeedsSummary:
    """The needs summary of a guest list (accepted and attended guests only)."""
    coming = [i for i in invitations if i.status in ACCEPTED]
    return NeedsSummary(
        guests=len(coming),
        plus_ones=sum(i.plus_ones for i in coming),
        dietary=_tally([i.dietary for i in coming]),
        access_needs=_tally([i.access_needs for i in coming]),
        interpretation=_tally([i.interpretation for i in coming]),
    )


def _title_matches(title: str, words: list[str]) -> bool:
    """True when every word is in the title (the last one as a prefix), accents ignored."""
    title_words = fold(title).split()
    if not words:
        return False
    *whole, last = words
    return all(w in title_words for w in whole) and any(t.startswith(last) for t in title_words)


class Planner:
    """The narrow API over the store that the UI and the CLI call."""

    def __init__(self, store: Store, today: Callable[[], date] = date.today) -> None:
        self.store = store
        self.today = today

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
        from dateutil.rrule import rrulestr

        span = event.end_date - event.start_date
        try:
            rule = rrulestr(event.repeat or "", dtstart=datetime.combine(event.start_date, time()))
        except (ValueError, TypeError):
            rule = None
        if rule is None:
            dates = (
                [event.start_date] if event.start_date <= end and event.end_date >= start else []
            )
        else:
            window_start = datetime.combine(start - span, time())
            window_end = datetime.combine(end, time())
            dates = []
            for moment in rule.xafter(window_start, count=MAX_OCCURRENCES, inc=True):
                if moment > window_end:
                    break
                dates.append(moment.date())
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
        store = self.store
        return (
            store.count(Event) == 0
            and store.count(Person) == 0
            and store.count(Organisation) == 0
            and store.count(Publication) == 0
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

    # -- search -----------------------------------------------------------------------

    def search(self, text: str, limit: int = 60) -> list[SearchHit]:
        """Every kind of record matching `text`, best first; [] when nothing or no words."""
        query = fts_query(text)
        if query is None:
            return []
        # Very short queries match a great deal: skip ranking to stay instant.
        ranked = len(text.strip()) >= 3
        rows = self.store.search(query, limit * 2 if ranked else limit, ranked=ranked)
        # Titles and names first: bm25 weights alone let a long description outrank a title.
        words = fold(text).split()
        rows.sort(key=lambda row: not _title_matches(row["title"], words))
        hits: list[SearchHit] = []
        for row in rows[:limit]:
            event_id = None
            if row["kind"] == "session":
                try:
                    event_id = self.store.get(Session, row["record_id"]).event_id
                except NotFound:
                    continue
            hits.append(
                SearchHit(
                    kind=row["kind"],
                    id=row["record_id"],
                    title=row["title"],
                    snippet=row["snippet"] or "",
                    event_id=event_id,
                )
            )
        return hits

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
        return self.store.insert(record) if record.id is None else self.store.update(record)

    def delete(self, record: Record) -> None:
        """Move a record to the trash."""
        if record.id is None:
            raise NotFound("the record was never saved")
        self.store.set_deleted(type(record), record.id, True)

    def restore(self, record: Record) -> None:
        """Bring a record back from the trash."""
        if record.id is None:
            raise NotFound("the record was never saved")
        self.store.set_deleted(type(record), record.id, False)

    def link(self, name: str, left: int, right: int, position: int | None = None) -> bool:
        """Link two records ("contact", "partner", "related_event", ...); True when new."""
        return self.store.link(name, left, right, position)

    def unlink(self, name: str, left: int, right: int) -> bool:
        """Remove a link; True when there was one."""
        return self.store.unlink(name, left, right)

    def set_speakers(self, session_id: int, speakers: Sequence[Speaker]) -> None:
        """Replace a session's speakers."""
        self.store.set_speakers(session_id, speakers)

    def backup(self, directory: Path) -> Path:
        """A consistent copy of the database in `directory`."""
        return self.store.backup(directory)

    # -- import -----------------------------------------------------------------------

    def import_file(
        self, path: Path, *, event_id: int | None = None, partial: bool = False, large: bool = False
    ) -> Any:
        """Import one file in one transaction; returns an ImportReport."""
        from tui.domain.importers import import_path

        return import_path(self, path, event_id=event_id, partial=partial, large=large)

    def event_by_id_text(self, text: str) -> Event:
        """An event from an id typed on the command line."""
        try:
            event_id = int(text)
        except ValueError:
            raise InvalidInput(
                f"{text!r} is not an event id (a whole number)", value=text
            ) from None
        try:
            return self.event(event_id)
        except NotFound:
            raise NotFound(
                f"no event with id {event_id} (see convener list events)", value=text
            ) from None
