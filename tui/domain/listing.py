"""Long lists of people, organisations and publications, a window at a time."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from tui.domain.kinds import BY_NAME
from tui.domain.models import ItemRef, Organisation, Person, RecordKind
from tui.domain.search import fts_query, fts_tokens

if TYPE_CHECKING:
    from tui.domain.planner import Planner

MAX_MATCHES = 5000
"""A typed filter shows at most this many records, best first."""

COLUMNS: dict[str, tuple[str, ...]] = {
    "person": ("Name", "Organisation", "Role", "Email"),
    "organisation": ("Name", "Short name", "Kind"),
    "publication": ("Title", "Type", "Published", "Program area"),
}
"""The columns of each list."""

ORDERS: dict[str, dict[str, str]] = {
    "person": {"name": "name_key, id", "recently changed": "updated_at desc, id"},
    "organisation": {"name": "name_key, id", "recently changed": "updated_at desc, id"},
    "publication": {
        "newest": "published desc nulls last, title_key, id",
        "title": "title_key, id",
    },
}
"""The orders each list can take (the first is the default); ignored while filtering."""

_CLASSES: dict[str, type[Any]] = {name: BY_NAME[name].cls for name in COLUMNS}


@dataclass(frozen=True)
class ListRow:
    """One line of a list: the record it is and its cells."""

    ref: ItemRef
    cells: tuple[str, ...]


@dataclass(frozen=True)
class ListQuery:
    """What a list shows: a kind, the text typed, an order, and how many records match."""

    kind: str
    text: str
    order: str
    total: int
    ids: tuple[int, ...] | None = None
    """The matching ids, best first, when filtered; None: every record in `order`."""


def list_query(planner: Planner, kind: str, text: str, order: str | None = None) -> ListQuery:
    """How many records of `kind` match `text` (all of them when nothing is typed)."""
    order = order or next(iter(ORDERS[kind]))
    match = fts_query(text)
    if match is None:
        return ListQuery(kind, text, order, planner.store.count(_CLASSES[kind]))
    rows = planner.store.search(match, MAX_MATCHES, ranked=True, kind=kind)
    ids = tuple(dict.fromkeys(row["record_id"] for row in rows))
    if kind == "person":
        ids = _with_organisation_column(planner, fts_tokens(text), ids)
    return ListQuery(kind, text, order, len(ids), ids)


def _with_organisation_column(
    planner: Planner, tokens: list[str], ranked: tuple[int, ...]
) -> tuple[int, ...]:
    """The people whose shown columns hold every word typed, the organisation's name (or
    short name) included: `ranked` (matched on their own text) first, then those that need
    their organisation for a word, by name. The person's index text has no organisation,
    so each word is matched on the person or on their organisation, and the sets met."""
    store = planner.store
    organisations = {
        token: [
            row["record_id"]
            for row in store.search(token, MAX_MATCHES, ranked=False, kind="organisation")
        ]
        for token in tokens
    }
    if not any(organisations.values()):
        return ranked  # no word names an organisation: the person's own text decides
    matching: set[int] | None = None
    for token in tokens:
        people = {
            row["record_id"]
            for row in store.search(token, MAX_MATCHES, ranked=False, kind="person")
        }
        if organisations[token]:
            people.update(
                store.listing_ids(
                    Person,
                    order_by="id",
                    limit=MAX_MATCHES,
                    where=f"organisation_id in ({', '.join('?' for _ in organisations[token])})",
                    params=organisations[token],
                )
            )
        matching = people if matching is None else matching & people
    extra = sorted((matching or set()) - set(ranked))
    if not extra:
        return ranked
    by_name = store.listing_ids(
        Person,
        order_by="name_key, id",
        limit=MAX_MATCHES,
        where=f"id in ({', '.join('?' for _ in extra)})",
        params=extra,
    )
    return (*ranked, *by_name)[:MAX_MATCHES]


def position_of(planner: Planner, query: ListQuery, record_id: int) -> int | None:
    """Where the record stands among those `query` shows; None when it is not among them."""
    if query.ids is not None:
        return query.ids.index(record_id) if record_id in query.ids else None
    return planner.store.position_in_listing(
        _CLASSES[query.kind], order_by=ORDERS[query.kind][query.order], record_id=record_id
    )


def list_rows(planner: Planner, query: ListQuery, offset: int, limit: int) -> list[ListRow]:
    """The rows from `offset`, at most `limit` of them."""
    store = planner.store
    cls = _CLASSES[query.kind]
    if query.ids is None:
        records: list[Any] = store.listing(
            cls, order_by=ORDERS[query.kind][query.order], limit=limit, offset=offset
        )
    else:
        window = query.ids[offset : offset + limit]
        found = (
            {
                r.id: r
                for r in store.listing(
                    cls,
                    order_by="id",
                    where=f"id in ({', '.join('?' for _ in window)})",
                    params=list(window),
                )
            }
            if window
            else {}
        )
        records = [found[i] for i in window if i in found]
    organisations: dict[int, str] = {}
    if query.kind == "person":
        wanted = {p.organisation_id for p in records if p.organisation_id is not None}
        if wanted:
            organisations = {
                cast(int, o.id): o.name
                for o in store.listing(
                    Organisation,
                    order_by="id",
                    where=f"id in ({', '.join('?' for _ in wanted)})",
                    params=list(wanted),
                )
            }
    return [_row(query.kind, record, organisations) for record in records]


def _row(kind: str, record: Any, organisations: dict[int, str]) -> ListRow:
    ref = ItemRef(cast(RecordKind, kind), record.id)
    if kind == "person":
        organisation = organisations.get(record.organisation_id, "")
        return ListRow(ref, (record.name, organisation, record.role or "", record.email or ""))
    if kind == "organisation":
        return ListRow(ref, (record.name, record.short_name or "", record.kind or ""))
    return ListRow(
        ref,
        (record.title, record.type or "", record.published or "", record.program_area or ""),
    )
