"""Related items and long lists through the service."""

from __future__ import annotations

import pytest

from tui.domain.errors import InvalidInput, NotFound
from tui.domain.listing import list_query, list_rows
from tui.domain.models import ItemRef, Person
from tui.domain.planner import Planner
from tui.domain.related import LINK_KINDS, link_key


def refs(planner: Planner, ref: ItemRef) -> set[ItemRef]:
    return {item.ref for group in planner.subject(ref).groups for item in group.items}


def test_event_subject_groups_guests_accepted_first(planner: Planner) -> None:
    subject = planner.subject(ItemRef("event", 10))
    groups = {g.heading.split(" (")[0]: g for g in subject.groups}
    assert {"Staff contacts", "Partners", "Guests", "Speakers"} <= set(groups)
    statuses = [item.detail for item in groups["Guests"].items]
    accepted = [s in ("accepted", "attended") for s in statuses]
    assert accepted == sorted(accepted, reverse=True)


@pytest.mark.parametrize("kind", ["event", "publication", "person", "organisation"])
def test_every_kind_of_link_shows_from_both_ends(planner: Planner, kind: str) -> None:
    subject_id = {"event": 10, "publication": 1, "person": 1, "organisation": 1}[kind]
    for link_kind in LINK_KINDS[kind]:
        other = planner.find_records(link_kind.target, "")
        candidates = [o.ref for o in other if o.ref != ItemRef(kind, subject_id)]  # type: ignore[arg-type]
        target = candidates[-1]
        key = link_key(link_kind, subject_id, target.id)
        planner.add_link(key)
        assert target in refs(planner, ItemRef(kind, subject_id))  # type: ignore[arg-type]
        assert ItemRef(kind, subject_id) in refs(planner, target)  # type: ignore[arg-type]
        assert planner.undo() is not None


def test_a_record_cannot_be_its_own_related_item(planner: Planner) -> None:
    with pytest.raises(InvalidInput):
        planner.add_link(link_key(LINK_KINDS["event"][0], 10, 10))


def test_subject_of_a_record_in_the_trash(planner: Planner) -> None:
    planner.delete(planner.person(1))
    with pytest.raises(NotFound):
        planner.subject(ItemRef("person", 1))


def test_list_pages_and_filters(planner: Planner) -> None:
    for n in range(450):
        planner.store.insert(Person(name=f"Zz Listed {n:03d}"))
    everyone = list_query(planner, "person", "")
    assert everyone.total == planner.store.count(Person)
    first = list_rows(planner, everyone, 0, 200)
    second = list_rows(planner, everyone, 200, 200)
    assert len(first) == 200 and first[-1].ref != second[0].ref
    names = [row.cells[0] for row in first + second]
    assert names == sorted(names, key=str.casefold)
    found = list_query(planner, "person", "listed 12")
    assert found.ids is not None and found.total >= 1
    rows = list_rows(planner, found, 0, 50)
    assert rows[0].cells[0].startswith("Zz Listed 12")
    assert list_query(planner, "person", '"(').total == everyone.total
    publications = list_query(planner, "publication", "")
    rows = list_rows(planner, publications, 0, 10)
    published = [r.cells[2] for r in rows if r.cells[2]]
    assert published == sorted(published, reverse=True)


def test_a_repeating_event_subject_says_its_date_is_where_the_series_starts(
    planner: Planner,
) -> None:
    from datetime import date

    from tui.domain.models import Event

    call = planner.save(
        Event(
            title="Partners' call",
            start_date=date(2026, 9, 17),
            end_date=date(2026, 9, 17),
            repeat="FREQ=WEEKLY",
        )
    )
    assert call.id is not None
    assert planner.subject(ItemRef("event", call.id)).summary.startswith("repeats from ")
    assert not planner.subject(ItemRef("event", 10)).summary.startswith("repeats")


@pytest.mark.parametrize(
    ("kind", "words", "label", "detail"),
    [
        ("event", "roundtable mass", "Cities and Mass Violence Roundtable", "2020-10-29"),
        (
            "organisation",
            "initiative",
            "Global Initiative Against Transnational Organized Crime",
            "GI-TOC",
        ),
    ],
)
def test_a_picker_shows_the_same_detail_once_words_are_typed(
    planner: Planner, kind: str, words: str, label: str, detail: str
) -> None:
    # Before typing: the first records, each with its detail (an event's date).
    assert all(item.detail for item in planner.find_records("event", ""))
    found = {item.label: item.detail for item in planner.find_records(kind, words)}
    assert found[label] == detail


def test_a_day_changed_on_its_own_and_its_series_link_each_other(
    empty_planner: Planner,
) -> None:
    """The Related pane of a series' day changed on its own names its series, and the
    series lists its days changed on their own (by day; one in the trash left out)."""
    from dataclasses import replace
    from datetime import date

    from tui.domain.models import Event

    series = empty_planner.save(
        Event(
            title="Weekly call",
            start_date=date(2027, 1, 5),
            end_date=date(2027, 1, 5),
            repeat="FREQ=WEEKLY;COUNT=6",
        )
    )
    series_id = series.id
    assert series_id is not None
    moved = empty_planner.edit_occurrence(
        series,
        date(2027, 1, 19),
        replace(
            series, title="Moved call", start_date=date(2027, 1, 20), end_date=date(2027, 1, 20)
        ),
    )
    series = empty_planner.event(series_id)
    earlier = empty_planner.edit_occurrence(
        series,
        date(2027, 1, 12),
        replace(
            series,
            title="Call on site",
            status="cancelled",
            start_date=date(2027, 1, 12),
            end_date=date(2027, 1, 12),
        ),
    )
    series = empty_planner.event(series_id)
    dropped = empty_planner.edit_occurrence(
        series, date(2027, 1, 26), replace(series, title="Dropped call")
    )
    assert moved.id is not None and earlier.id is not None and dropped.id is not None
    empty_planner.delete(dropped)

    def groups(event_id: int) -> dict[str, list[tuple[ItemRef, str]]]:
        subject = empty_planner.subject(ItemRef("event", event_id))
        return {
            g.heading.split(" (")[0]: [(item.ref, item.detail) for item in g.items]
            for g in subject.groups
        }

    assert groups(moved.id)["Series"] == [
        (ItemRef("event", series_id), "this event is its Tue 19 January 2027")
    ]
    assert groups(series_id)["Days changed on their own"] == [
        (ItemRef("event", earlier.id), "Tue 12 January 2027: Tue 12 January 2027 (cancelled)"),
        (ItemRef("event", moved.id), "Tue 19 January 2027: Wed 20 January 2027"),
    ]
    assert "Series" not in groups(series_id)
