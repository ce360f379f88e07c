"""Related items: the links between events, people, organisations and publications."""

from __future__ import annotations

from typing import cast

from tui.domain.models import (
    Event,
    ItemRef,
    RecordKind,
)
from tui.domain.planner.guests import Guests
from tui.domain.related import LinkKey, RelatedItem
from tui.domain.search import fts_query


class Links(Guests):
    """Related items: the links between events, people, organisations and publications."""

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
