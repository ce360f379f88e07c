"""Records: reading events, people, organisations and publications; saving an event with
its contacts and partners, a person with their organisation."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from typing import Any, cast

from tui.domain import validate
from tui.domain.errors import InvalidInput, NotFound
from tui.domain.guests import (
    NeedsSummary,
    needs_of,
)
from tui.domain.models import (
    Event,
    EventDetails,
    Invitation,
    Organisation,
    Person,
    PersonSummary,
    Publication,
    RecordKind,
    Session,
    Speaker,
)
from tui.domain.planner.base import (
    PlannerBase,
    describe,
    sanitised,
    split_name_email,
)
from tui.domain.read_ahead import answered_ahead
from tui.domain.store import KINDS
from tui.domain.text import clean_line

IN_TRASH = " (in the trash)"
"""After the name of a person's organisation that is in the trash, in their form."""


EDITED_KINDS: dict[str, type[Event | Person | Organisation | Publication | Session]] = {
    "event": Event,
    "person": Person,
    "organisation": Organisation,
    "publication": Publication,
    "session": Session,
}
"""The records edited in $EDITOR, by the names their edit files give them."""


class Records(PlannerBase):
    """Records: reading events, people, organisations and publications; saving an event with"""

    @answered_ahead
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

    def record_of(
        self, kind: str, record_id: int
    ) -> Event | Person | Organisation | Publication | Session:
        """One record of the kinds edited in $EDITOR, by its kind's name ('event', 'person',
        'organisation', 'publication', 'session'); NotFound when missing, in the trash or
        of no such kind."""
        model: Any = EDITED_KINDS.get(kind)  # one of the five: store.get's type is its own
        if model is None:
            raise NotFound(f"no {kind} #{record_id}")
        found: Event | Person | Organisation | Publication | Session = self.store.get(
            model, record_id
        )
        return found

    @answered_ahead
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
            moved=tuple(self.store.moved_days(event)) if event.repeat else (),
            series_day=_series_day(event),
        )

    def invitations_for(self, event_id: int) -> list[Invitation]:
        """An event's guest list."""
        return self.store.invitations_for(event_id)

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

    def changes_made(self) -> int:
        """How many rows this planner has written so far: a screen that kept this count
        tells whether anything was written since (see MainScreen's resume)."""
        return self.store.changes_made()

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
        # One read of the people, not one per guest (a `list events --json` of 10k events
        # made 300,000 of them).
        invitations = self.store.invitations_for(event_id)
        people = self.store.people_by_ids([i.person_id for i in invitations])
        return [(i, people[i.person_id]) for i in invitations if i.person_id in people]

    def organisation_name(self, organisation_id: int | None) -> str | None:
        """An organisation's name, or None when unknown or in the trash."""
        organisation = self.live_organisation(organisation_id)
        return organisation.name if organisation is not None else None

    def live_organisation(self, organisation_id: int | None) -> Organisation | None:
        """An organisation, or None when there is none or it is in the trash."""
        if organisation_id is None:
            return None
        try:
            return self.organisation(organisation_id)
        except NotFound:
            return None

    def organisation_field(self, organisation_id: int | None) -> str:
        """A person's organisation as their form and their TOML show it: its name, or when
        it is in the trash its short name (else name) and "(in the trash)", so the form's
        field shows it whole (the link stays until the field is changed); "" for none."""
        if organisation_id is None:
            return ""
        try:
            organisation = self.store.get(Organisation, organisation_id, include_deleted=True)
        except NotFound:
            return ""
        if organisation.deleted_at is not None:
            return f"{clean_line(organisation.short_name or organisation.name)}{IN_TRASH}"
        return organisation.name

    def any_organisation(self, organisation_id: int | None) -> Organisation | None:
        """An organisation, in the trash or not; None when there is none."""
        if organisation_id is None:
            return None
        try:
            return self.store.get(Organisation, organisation_id, include_deleted=True)
        except NotFound:
            return None

    def save_event(
        self,
        event: Event,
        contacts: Sequence[int] | None = None,
        partners: Sequence[int] | None = None,
    ) -> Event:
        """Save an event and (when given) its staff contacts and partners, in that order."""
        verb = "Add" if event.id is None else "Edit"
        self.check_agenda_fits(event)
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

    def check_agenda_fits(self, event: Event) -> None:
        """Refuse new days that leave sessions outside the event even after they move
        with it (a three-day retreat made one day): the officer moves or deletes them first.
        A new event has no agenda yet."""
        from tui.domain.agenda import left_outside
        from tui.domain.dates import format_span

        if event.id is None:
            return
        old = self.store.get(Event, event.id)
        spans = (old.start_date, old.end_date), (event.start_date, event.end_date)
        if spans[0] == spans[1]:
            return
        outside = left_outside(self.store.sessions_for(event.id), *spans)
        if not outside:
            return
        # Named by the days they are on now, the ones the officer sees in the agenda.
        days = sorted({s.date for s in outside})
        where = ", ".join(format_span(day, day) for day in days[:3])
        sessions = "1 session" if len(outside) == 1 else f"{len(outside)} sessions"
        raise InvalidInput(
            f"the agenda has {sessions} that would fall outside the new days ({where}"
            f"{' ...' if len(days) > 3 else ''}): move or delete them first, or keep its length"
        )

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
        organisation = self.typed_record("organisation", text)
        assert isinstance(organisation, Organisation)
        return self.save(organisation)

    def typed_record(self, kind: RecordKind, text: str) -> Person | Organisation:
        """The person ("Name" or "Name <email>") or organisation (its name) typed in a
        picker, checked as saving it would check it, but not saved: a form adds it when it
        is saved (add_typed)."""
        if kind == "person":
            name, email = split_name_email(text)
            return validate.checked(Person(name=validate.required_text(name, "name"), email=email))
        if kind == "organisation":
            return validate.checked(Organisation(name=validate.required_text(text, "name")))
        raise InvalidInput(f"a new {kind} cannot be added here")

    def add_typed(self, record: Person | Organisation) -> int:
        """Add a record typed in a form's picker (typed_record) as part of the step that
        saves the form: call it inside that step, before the form's own record is saved,
        so that the step keeps that record's name and one undo takes both back."""
        with self.store.transaction():
            # One call per kind: the store's record type is one kind at a time.
            if isinstance(record, Person):
                stored_id = self.store.insert(sanitised(record)).id
            else:
                stored_id = self.store.insert(sanitised(record)).id
        assert stored_id is not None
        return stored_id

    def save_person(self, person: Person, organisation: str | None) -> Person:
        """Save a person with their organisation given by name (added when new): one step."""
        name = clean_line(organisation or "")
        with self.store.transaction(f"{'Add' if person.id is None else 'Edit'} {describe(person)}"):
            if person.organisation_id is not None and name.endswith(IN_TRASH):
                # The form showed the organisation in the trash and it was left as it was:
                # the link stays (restoring the organisation gives it back).
                if name == self.organisation_field(person.organisation_id):
                    return self.save(person)
            organisation_id = self._organisation_id(name) if name else None
            return self.save(replace(person, organisation_id=organisation_id))

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

    def link(self, name: str, left: int, right: int, position: int | None = None) -> bool:
        """Link two records ("contact", "partner", "related_event", ...); True when new."""
        return self.store.link(name, left, right, position)

    def unlink(self, name: str, left: int, right: int) -> bool:
        """Remove a link; True when there was one."""
        return self.store.unlink(name, left, right)

    def set_speakers(self, session_id: int, speakers: Sequence[Speaker]) -> None:
        """Replace a session's speakers."""
        self.store.set_speakers(session_id, speakers)

    def event_by_id_text(self, text: str) -> Event:
        """An event from an id typed on the command line."""
        try:
            event_id = validate.int_value(text, "event id", minimum=1)
        except InvalidInput:
            raise InvalidInput(
                f"{text[:40]!r} is not an event id (a whole number from 1 up; see convener"
                " list events)",
                value=text[:40],
            ) from None
        assert event_id is not None
        try:
            return self.event(event_id)
        except NotFound:
            raise NotFound(
                f"no event with id {event_id} (see convener list events)", value=text
            ) from None


def _series_day(event: Event) -> date | None:
    """The day of its series an occurrence changed on its own took the place of."""
    from tui.domain.recurrence import OCCURRENCE_MARK, split_occurrence_uid

    if not event.uid or OCCURRENCE_MARK not in event.uid:
        return None
    split = split_occurrence_uid(event.uid)
    return split[1] if split is not None else None
