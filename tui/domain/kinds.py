"""The one registry of record kinds: each kind's name, model class, table and words.

Every table of kinds (the store's tables and lookup keys, search headings, list classes,
the trash) is read from here; a new kind is one line in KINDS.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tui.domain.models import (
    Event,
    Invitation,
    Organisation,
    Person,
    Publication,
    Session,
    Task,
)


@dataclass(frozen=True)
class Kind:
    """One kind of record."""

    name: str
    """As the data and the command line say it: "event", "person"."""
    cls: type[Any]
    """The model class."""
    table: str
    """The SQLite table."""
    label: str
    """One record, capitalised: "Event"."""
    heading: str
    """Many records, as a heading: "Events"."""
    key_column: str | None = None
    """The column folded into `<column>_key` for lookups by name or title."""
    searchable: bool = True
    """Whether the full-text index holds it (its heading shows in search results)."""


KINDS: tuple[Kind, ...] = (
    Kind("event", Event, "events", "Event", "Events", key_column="title"),
    Kind("person", Person, "people", "Person", "People", key_column="name"),
    Kind("organisation", Organisation, "organisations", "Organisation", "Organisations", "name"),
    Kind("publication", Publication, "publications", "Publication", "Publications", "title"),
    Kind("session", Session, "sessions", "Session", "Sessions"),
    Kind("invitation", Invitation, "invitations", "Guest", "Guests", searchable=False),
    Kind("task", Task, "tasks", "Task", "Tasks"),
)
"""Every kind, in the order results are grouped wherever they are shown."""

SEARCH_CODES = {
    "event": 1,
    "person": 2,
    "organisation": 3,
    "publication": 4,
    "session": 5,
    "task": 6,
}
"""The search index's rowid is a record's id * 8 + its kind's code (since m0004): a
record's entry is found by its rowid (FTS5 columns cannot be indexed: finding it by kind
and record_id read the whole index, on every edit and delete), and a search of one kind
filters by it without reading the rows."""

BY_NAME: dict[str, Kind] = {kind.name: kind for kind in KINDS}
BY_CLASS: dict[type[Any], Kind] = {kind.cls: kind for kind in KINDS}
BY_TABLE: dict[str, Kind] = {kind.table: kind for kind in KINDS}


def kind_of(name: str) -> Kind:
    """The kind named `name` ("event"); KeyError when there is none."""
    return BY_NAME[name]


def singular(table: str) -> str:
    """A table's record in words ("people" -> "person"); the table itself when unknown."""
    kind = BY_TABLE.get(table)
    return kind.name if kind is not None else table.removesuffix("s")


def label_of(name: str) -> str:
    """One record of the kind `name`, capitalised ("Event", "Guest"); the name when unknown."""
    kind = BY_NAME.get(name)
    return kind.label if kind is not None else name


def heading_of(name: str) -> str:
    """Many records of the kind named `name`, as a heading ("People"); the name when unknown."""
    kind = BY_NAME.get(name)
    return kind.heading if kind is not None else name
