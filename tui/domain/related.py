"""Related items: everything linked to a record, grouped, and which links can be added."""

from __future__ import annotations

from dataclasses import dataclass

from tui.domain.dates import format_span
from tui.domain.models import Event, ItemRef, Publication


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


def event_item(event: Event, link: LinkKey | None = None, detail: str = "") -> RelatedItem:
    assert event.id is not None
    when = format_span(event.start_date, event.end_date)
    return RelatedItem(ItemRef("event", event.id), event.title, detail or when, link)


def publication_item(publication: Publication, link: LinkKey | None = None) -> RelatedItem:
    assert publication.id is not None
    detail = " · ".join(p for p in (publication.type, publication.published) if p)
    return RelatedItem(ItemRef("publication", publication.id), publication.title, detail, link)


def group_of(heading: str, items: list[RelatedItem]) -> RelatedGroup | None:
    return RelatedGroup(f"{heading} ({len(items)})", tuple(items)) if items else None


def cast_id(value: int | None) -> int:
    """A stored record's id (records read from the store always have one)."""
    assert value is not None
    return value
