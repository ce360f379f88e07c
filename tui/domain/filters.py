"""Filters for lists of events: program area, partner, status, access, kind."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields, replace
from typing import TYPE_CHECKING

from tui.domain.errors import InvalidInput
from tui.domain.models import ACCESS_LEVELS, EVENT_KINDS, EVENT_STATUSES, Event, Occurrence
from tui.domain.text import fold

if TYPE_CHECKING:
    from tui.domain.store import Store

CHOICES: dict[str, tuple[str, ...]] = {
    "status": EVENT_STATUSES,
    "access": ACCESS_LEVELS,
    "kind": EVENT_KINDS,
}
LABELS = {
    "program_area": "program",
    "partner": "partner",
    "status": "status",
    "access": "access",
    "kind": "kind",
}


@dataclass(frozen=True)
class EventFilter:
    """Which events to show; None in a field means any."""

    program_area: str | None = None
    partner: str | None = None
    """A partner organisation's name or short name."""
    status: str | None = None
    access: str | None = None
    kind: str | None = None

    @classmethod
    def from_mapping(cls, values: Mapping[str, str]) -> EventFilter:
        """From config or a form; InvalidInput names a bad key or value."""
        known = {f.name for f in fields(cls)}
        for key, value in values.items():
            if key not in known:
                raise InvalidInput(f"{key!r} is not a filter (known: {', '.join(sorted(known))})")
            if key in CHOICES and value not in CHOICES[key]:
                raise InvalidInput(
                    f"filter {key} {value!r} is not one of: {', '.join(CHOICES[key])}"
                )
        return cls(**{k: v for k, v in values.items() if v})

    def as_mapping(self) -> dict[str, str]:
        """The fields that are set."""
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name)}

    @property
    def is_empty(self) -> bool:
        """True when nothing is filtered."""
        return not self.as_mapping()

    def chips(self) -> list[str]:
        """'kind: dinner' for each active filter, in a fixed order."""
        return [f"{LABELS[key]}: {value}" for key, value in self.as_mapping().items()]

    def without(self, key: str) -> EventFilter:
        """This filter with one field cleared."""
        return replace(self, **{key: None})


class FilterMatcher:
    """Tests events against a filter; looks the partner up once."""

    def __init__(self, store: Store, event_filter: EventFilter) -> None:
        self.filter = event_filter
        self._partnered: set[int] | None = None
        if event_filter.partner:
            self._partnered = store.event_ids_for_partner_named(event_filter.partner)
        self._program = fold(event_filter.program_area) if event_filter.program_area else None

    def matches(self, event: Event) -> bool:
        """True when the event passes every active filter."""
        f = self.filter
        if f.status and event.status != f.status:
            return False
        if f.access and event.access != f.access:
            return False
        if f.kind and event.kind != f.kind:
            return False
        if self._program is not None and fold(event.program_area or "") != self._program:
            return False
        return self._partnered is None or event.id in self._partnered

    def occurrences(self, occurrences: Iterable[Occurrence]) -> list[Occurrence]:
        """The occurrences whose event passes."""
        return [o for o in occurrences if self.matches(o.event)]
