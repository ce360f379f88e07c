"""Related items: everything linked to a record, grouped, and which links can be added."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from tui.domain.dates import format_span
from tui.domain.errors import NotFound
from tui.domain.guests import ACCEPTED
from tui.domain.models import INVITATION_STATUSES, Event, ItemRef, Person, Publication

if TYPE_CHECKING:
    from tui.domain.planner import Planner


@dataclass(frozen=True)
class LinkKey:
    """A stored link: its name and the two ids in the store's order."""

    name: str
    left: int
    right: int


@dataclass(frozen=True)
class RelatedItem:
    """One line of the pane: the record it leads to, how it reads, and its link if any."""

    ref: ItemRef
    label: str
    detail: str = ""
    link: LinkKey | None = None
    """The link that puts this item here (None: the item follows from a field or a list)."""


@dataclass(frozen=True)
class RelatedGroup:
    """A heading and its items."""

    heading: str
    items: tuple[RelatedItem, ...]


@dataclass(frozen=True)
class Subject:
    """A record as the pane's subject: what it is called and what is linked to it."""

    ref: ItemRef
    title: str
    summary: str
    groups: tuple[RelatedGroup, ...]


@dataclass(frozen=True)
class LinkKind:
    """A kind of link that can be added from a subject: to what, stored how."""

    name: str
    label: str
    target: str
    """The kind of record picked for the other end."""
    subject_left: bool
    """True when the subject is the link's left id."""


LINK_KINDS: dict[str, tuple[LinkKind, ...]] = {
    "event": (
        LinkKind("related_event", "Related event", "event", True),
        LinkKind("event_publication", "Related publication", "publication", True),
        LinkKind("partner", "Partner organisation", "organisation", True),
        LinkKind("contact", "Staff contact", "person", True),
    ),
    "publication": (
        LinkKind("related_publication", "Related publication", "publication", True),
        LinkKind("event_publication", "Related event", "event", False),
    ),
    "person": (LinkKind("contact", "Staff contact for an event", "event", False),),
    "organisation": (LinkKind("partner", "Partner of an event", "event", False),),
}
"""What can be linked from each kind of subject."""


def link_key(kind: LinkKind, subject_id: int, other_id: int) -> LinkKey:
    """The stored form of a link between the subject and another record."""
    if kind.subject_left:
        return LinkKey(kind.name, subject_id, other_id)
    return LinkKey(kind.name, other_id, subject_id)


def _event_item(event: Event, link: LinkKey | None = None, detail: str = "") -> RelatedItem:
    assert event.id is not None
    when = format_span(event.start_date, event.end_date)
    return RelatedItem(ItemRef("event", event.id), event.title, detail or when, link)


def _publication_item(publication: Publication, link: LinkKey | None = None) -> RelatedItem:
    assert publication.id is not None
    detail = " · ".join(p for p in (publication.type, publication.published) if p)
    return RelatedItem(ItemRef("publication", publication.id), publication.title, detail, link)


def _group(heading: str, items: list[RelatedItem]) -> RelatedGroup | None:
    return RelatedGroup(f"{heading} ({len(items)})", tuple(items)) if items else None


def subject_of(planner: Planner, ref: ItemRef) -> Subject:
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


def _event_subject(planner: Planner, event_id: int) -> Subject:
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
        _event_item(e, LinkKey("related_event", event_id, cast_id(e.id)))
        for e in store.related_events(event_id)
    ]
    publications = [
        _publication_item(p, LinkKey("event_publication", event_id, cast_id(p.id)))
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
    groups = [
        _group("Staff contacts", contacts),
        _group("Partners", partners),
        _group("Related events", related),
        _group("Related publications", publications),
        _group("Speakers", speakers),
        _group("Guests", guest_items),
    ]
    summary = " · ".join(
        part
        for part in (format_span(event.start_date, event.end_date), event.location, event.kind)
        if part
    )
    return Subject(ItemRef("event", event_id), event.title, summary, tuple(g for g in groups if g))


def _person_subject(planner: Planner, person_id: int) -> Subject:
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
        _event_item(e, LinkKey("contact", cast_id(e.id), person_id))
        for e in store.events_for_contact(person_id)
    ]
    spoke: list[RelatedItem] = []
    invited: list[RelatedItem] = []
    for event, part in store.events_for_person(person_id):
        if part.startswith("guest: "):
            invited.append(_event_item(event, detail=part.removeprefix("guest: ")))
        else:
            spoke.append(_event_item(event, detail=part))
    groups = [
        _group("Organisation", organisation),
        _group("Staff contact for", contact_for),
        _group("Spoke at", spoke),
        _group("Invited to", invited),
    ]
    summary = " · ".join(p for p in (person.role, person.email) if p)
    return Subject(
        ItemRef("person", person_id), person.name, summary, tuple(g for g in groups if g)
    )


def _organisation_subject(planner: Planner, organisation_id: int) -> Subject:
    organisation = planner.organisation(organisation_id)
    store = planner.store
    people = [
        RelatedItem(ItemRef("person", cast_id(p.id)), p.name, p.role or "")
        for p in store.listing(
            Person, order_by="name_key", where="organisation_id = ?", params=[organisation_id]
        )
    ]
    partnered = [
        _event_item(e, LinkKey("partner", cast_id(e.id), organisation_id))
        for e in store.events_for_partner(organisation_id)
    ]
    groups = [_group("People", people), _group("Partner of", partnered)]
    summary = " · ".join(p for p in (organisation.short_name, organisation.kind) if p)
    return Subject(
        ItemRef("organisation", organisation_id),
        organisation.name,
        summary,
        tuple(g for g in groups if g),
    )


def _publication_subject(planner: Planner, publication_id: int) -> Subject:
    publication = planner.publication(publication_id)
    store = planner.store
    events = [
        _event_item(e, LinkKey("event_publication", cast_id(e.id), publication_id))
        for e in store.events_for_publication(publication_id)
    ]
    publications = [
        _publication_item(p, LinkKey("related_publication", publication_id, cast_id(p.id)))
        for p in store.related_publications(publication_id)
    ]
    groups = [_group("Related events", events), _group("Related publications", publications)]
    summary = " · ".join(
        p for p in (publication.type, publication.published, publication.program_area) if p
    )
    return Subject(
        ItemRef("publication", publication_id),
        publication.title,
        summary,
        tuple(g for g in groups if g),
    )


def cast_id(value: int | None) -> int:
    """A stored record's id (records read from the store always have one)."""
    assert value is not None
    return value
