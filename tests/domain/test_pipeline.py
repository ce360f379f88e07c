"""The upcoming pipeline: what comes, in what order, and where its replies stand."""

from __future__ import annotations

from datetime import date, timedelta

from tui.domain.filters import EventFilter
from tui.domain.models import Event, Occurrence, Person
from tui.domain.pipeline import PipelineRow, rsvp_cells, upcoming
from tui.domain.planner import Planner

from ..conftest import TODAY


def test_coming_convenings_by_date_from_today_with_days_to_go(planner: Planner) -> None:
    pipeline = upcoming(planner)
    assert pipeline.rows, "the sample data has coming convenings"
    starts = [row.occurrence.start_date for row in pipeline.rows]
    assert starts == sorted(starts)
    assert all(row.occurrence.end_date >= TODAY for row in pipeline.rows)
    assert all(
        row.days_to_go == max(0, (row.occurrence.start_date - TODAY).days) for row in pipeline.rows
    )
    assert pipeline.total == len(pipeline.rows)


def test_a_running_event_is_zero_days_to_go_and_a_past_one_is_left_out(
    empty_planner: Planner,
) -> None:
    running = empty_planner.save_event(
        Event("Running", TODAY - timedelta(days=1), TODAY + timedelta(days=1))
    )
    empty_planner.save_event(Event("Over", TODAY - timedelta(days=3), TODAY - timedelta(days=2)))
    later = empty_planner.save_event(
        Event("Later", TODAY + timedelta(days=10), TODAY + timedelta(days=10))
    )
    rows = upcoming(empty_planner).rows
    assert [(r.occurrence.event.id, r.days_to_go) for r in rows] == [
        (running.id, 0),
        (later.id, 10),
    ]


def test_replies_pending_and_accepted_are_counted(empty_planner: Planner) -> None:
    event = empty_planner.save_event(
        Event("Dinner", TODAY + timedelta(days=5), TODAY + timedelta(days=5), capacity=10)
    )
    assert event.id is not None
    statuses = ["accepted", "accepted", "invited", "to-invite", "declined", "tentative"]
    for number, status in enumerate(statuses):
        person = empty_planner.save(Person(f"Guest {number}"))
        assert isinstance(person, Person) and person.id is not None
        (line,) = empty_planner.invite(event.id, [person.id])
        assert line.id is not None
        empty_planner.set_guest_status([line.id], status)
    (row,) = upcoming(empty_planner).rows
    assert (row.accepted, row.pending, row.invited, row.capacity) == (2, 2, 6, 10)


def test_the_calendar_filter_applies(planner: Planner) -> None:
    everything = upcoming(planner).rows
    kinds = {row.occurrence.event.kind for row in everything}
    kind = sorted(kinds)[0]
    filtered = upcoming(planner, EventFilter(kind=kind)).rows
    assert filtered and all(row.occurrence.event.kind == kind for row in filtered)
    assert len(filtered) < len(everything) or len(kinds) == 1


def test_the_list_is_capped_but_says_how_many_there_are(empty_planner: Planner) -> None:
    for offset in range(5):
        day = TODAY + timedelta(days=offset)
        empty_planner.save_event(Event(f"E{offset}", day, day))
    pipeline = upcoming(empty_planner, limit=3)
    assert [r.occurrence.event.title for r in pipeline.rows] == ["E0", "E1", "E2"]
    assert pipeline.total == 5


def row(capacity: int | None, **counts: int) -> PipelineRow:
    event = Event("X", date(2026, 12, 1), date(2026, 12, 1), capacity=capacity)
    return PipelineRow(Occurrence(event, event.start_date, event.end_date), 3, counts)


def test_the_rsvp_bar_is_drawn_against_capacity_or_the_guest_list() -> None:
    assert rsvp_cells(row(10, accepted=5, invited=2), 10) == [
        ("accepted", 5),
        ("pending", 2),
        ("empty", 3),
    ]
    assert rsvp_cells(row(None, accepted=1, declined=1), 10) == [("accepted", 5), ("declined", 5)]
    # One tentative guest among a hundred places still shows.
    assert ("tentative", 1) in rsvp_cells(row(100, tentative=1), 10)
    assert rsvp_cells(row(None), 8) == [("empty", 8)]
    assert sum(n for _, n in rsvp_cells(row(3, accepted=9), 10)) == 10
