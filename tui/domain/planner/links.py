"""Related items: the links between events, people, organisations and publications."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, cast

from tui.domain.dates import format_span
from tui.domain.errors import NotFound
from tui.domain.guests import ACCEPTED
from tui.domain.models import (
    INVITATION_STATUSES,
    Event,
    ItemRef,
    Person,
    RecordKind,
)
from tui.domain.planner.guests import Guests
from tui.domain.read_ahead import answered_ahead

if TYPE_CHECKING:
    # Imported where used: related items are built only when a record's links are shown
    # (its five dataclasses cost a command line that shows none ~2.5 ms at start).
    from tui.domain.related import LinkKey, RelatedItem, Subject
    from tui.domain.store import Store


class Links(Guests):
    """Related items: the links between events, people, organisations and publications."""

    def find_records(self, kind: str, text: str, limit: int = 40) -> list[RelatedItem]:
        """Records of one kind for a picker: by words typed, else the first few by name."""
        from tui.domain.related import RelatedItem

        if kind == "person":
            return [
                RelatedItem(ItemRef("person", cast(int, p.id)), p.name, p.email or "")
                for p in self.find_people(text, limit)
            ]
        from tui.domain.search import fts_query  # not needed at start

        query = fts_query(text)
        if query is not None:
            rows = self.store.search(query, limit, ranked=True, kind=kind)
            # The same detail as before a word was typed (two events of one title told
            # apart by their dates).
            details = self.store.pick_details(kind, [row["record_id"] for row in rows])
            return [
                RelatedItem(
                    ItemRef(cast(RecordKind, kind), row["record_id"]),
                    row["title"],
                    details.get(row["record_id"], ""),
                )
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

    @answered_ahead
    def subject(self, ref: ItemRef) -> Subject:
        """A record with everything linked to it, grouped (NotFound when gone)."""
        return subject_of(self, ref)


def subject_of(planner: Links, ref: ItemRef) -> Subject:
    """The record `ref` points at with its related items; NotFound when gone."""
    builders = {
        "event": _event_subject,
        "person": _person_subject,
        "organisation": _organisation_subject,
        "publication": _publication_subject,
    }
    if ref.kind not in builders:
        raise NotFound(f"a {ref.kind} has no related items of its own")
    return builders[ref.kind](planner, ref.id)


def _event_subject(planner: Links, event_id: int) -> Subject:
    from tui.domain.related import (
        LinkKey,
        RelatedItem,
        Subject,
        cast_id,
        event_item,
        group_of,
        publication_item,
    )

    event = planner.event(event_id)
    store = planner.store
    contacts = [
        RelatedItem(
            ItemRef("person", c.id),
            c.name,
            c.role or "",
            LinkKey("contact", event_id, c.id),
        )
        for c in store.contacts_for(event_id)
    ]
    partners = [
        RelatedItem(
            ItemRef("organisation", cast_id(o.id)),
            o.name,
            o.short_name or "",
            LinkKey("partner", event_id, cast_id(o.id)),
        )
        for o in store.partners_for(event_id)
    ]
    related = [
        event_item(e, LinkKey("related_event", event_id, cast_id(e.id)))
        for e in store.related_events(event_id)
    ]
    publications = [
        publication_item(p, LinkKey("event_publication", event_id, cast_id(p.id)))
        for p in store.publications_for_event(event_id)
    ]
    speakers: list[RelatedItem] = []
    for session in store.sessions_for(event_id):
        for speaker in session.speakers:
            speakers.append(
                RelatedItem(
                    ItemRef("person", speaker.person_id),
                    speaker.name,
                    f"{speaker.role}: {session.title}",
                )
            )
    order = {status: n for n, status in enumerate(INVITATION_STATUSES)}
    guests = sorted(
        planner.guest_lines(event_id),
        key=lambda g: (g.invitation.status not in ACCEPTED, order.get(g.invitation.status, 99)),
    )
    guest_items = [
        RelatedItem(ItemRef("person", g.invitation.person_id), g.name, g.invitation.status)
        for g in guests
    ]
    series, changed = _series_items(store, event)
    groups = [
        group_of("Series", series),
        group_of("Days changed on their own", changed),
        group_of("Staff contacts", contacts),
        group_of("Partners", partners),
        group_of("Related events", related),
        group_of("Related publications", publications),
        group_of("Speakers", speakers),
        group_of("Guests", guest_items),
    ]
    when = format_span(event.start_date, event.end_date)
    if event.repeat:
        when = f"repeats from {when}"  # the series' first day, not the occurrence selected
    summary = " · ".join(part for part in (when, event.location, event.kind) if part)
    return Subject(ItemRef("event", event_id), event.title, summary, tuple(g for g in groups if g))


def _series_items(store: Store, event: Event) -> tuple[list[RelatedItem], list[RelatedItem]]:
    """For a day of a series changed on its own: the series it belongs to; for a series:
    its days changed on their own (those in the trash left out), by day."""
    from tui.domain.recurrence import OCCURRENCE_MARK, split_occurrence_uid
    from tui.domain.related import event_item

    split = split_occurrence_uid(event.uid)
    if split is not None:
        series = store.by_uid(Event, split[0])
        if isinstance(series, Event) and series.deleted_at is None:
            day = format_span(split[1], split[1])
            return [event_item(series, detail=f"this event is its {day}")], []
    if not event.repeat or not event.uid:
        return [], []
    changed: list[tuple[date, RelatedItem]] = []
    for uid in store.uids_with_prefix(event.uid + OCCURRENCE_MARK):
        own = split_occurrence_uid(uid)
        found = store.by_uid(Event, uid)
        if own is not None and isinstance(found, Event) and found.deleted_at is None:
            became = format_span(found.start_date, found.end_date)
            detail = f"{format_span(own[1], own[1])}: {became}"
            if found.status == "cancelled":
                detail += " (cancelled)"
            changed.append((own[1], event_item(found, detail=detail)))
    return [], [item for _, item in sorted(changed, key=lambda pair: pair[0])]


def _person_subject(planner: Links, person_id: int) -> Subject:
    from tui.domain.related import LinkKey, RelatedItem, Subject, cast_id, event_item, group_of

    person = planner.person(person_id)
    store = planner.store
    organisation: list[RelatedItem] = []
    if person.organisation_id is not None:
        try:
            org = planner.organisation(person.organisation_id)
            organisation.append(
                RelatedItem(ItemRef("organisation", person.organisation_id), org.name)
            )
        except NotFound:
            pass
    contact_for = [
        event_item(e, LinkKey("contact", cast_id(e.id), person_id))
        for e in store.events_for_contact(person_id)
    ]
    spoke: list[RelatedItem] = []
    invited: list[RelatedItem] = []
    for event, part in store.events_for_person(person_id):
        if part.startswith("guest: "):
            invited.append(event_item(event, detail=part.removeprefix("guest: ")))
        else:
            spoke.append(event_item(event, detail=part))
    groups = [
        group_of("Organisation", organisation),
        group_of("Staff contact for", contact_for),
        group_of("Spoke at", spoke),
        group_of("Invited to", invited),
    ]
    summary = " · ".join(p for p in (person.role, person.email) if p)
    return Subject(
        ItemRef("person", person_id), person.name, summary, tuple(g for g in groups if g)
    )


def _organisation_subject(planner: Links, organisation_id: int) -> Subject:
    from tui.domain.related import LinkKey, RelatedItem, Subject, cast_id, event_item, group_of

    organisation = planner.organisation(organisation_id)
    store = planner.store
    people = [
        RelatedItem(ItemRef("person", cast_id(p.id)), p.name, p.role or "")
        for p in store.listing(
            Person, order_by="name_key", where="organisation_id = ?", params=[organisation_id]
        )
    ]
    partnered = [
        event_item(e, LinkKey("partner", cast_id(e.id), organisation_id))
        for e in store.events_for_partner(organisation_id)
    ]
    groups = [group_of("People", people), group_of("Partner of", partnered)]
    summary = " · ".join(p for p in (organisation.short_name, organisation.kind) if p)
    return Subject(
        ItemRef("organisation", organisation_id),
        organisation.name,
        summary,
        tuple(g for g in groups if g),
    )


def _publication_subject(planner: Links, publication_id: int) -> Subject:
    from tui.domain.related import LinkKey, Subject, cast_id, event_item, group_of, publication_item

    publication = planner.publication(publication_id)
    store = planner.store
    events = [
        event_item(e, LinkKey("event_publication", cast_id(e.id), publication_id))
        for e in store.events_for_publication(publication_id)
    ]
    publications = [
        publication_item(p, LinkKey("related_publication", publication_id, cast_id(p.id)))
        for p in store.related_publications(publication_id)
    ]
    groups = [group_of("Related events", events), group_of("Related publications", publications)]
    summary = " · ".join(
        p for p in (publication.type, publication.published, publication.program_area) if p
    )
    return Subject(
        ItemRef("publication", publication_id),
        publication.title,
        summary,
        tuple(g for g in groups if g),
    )
