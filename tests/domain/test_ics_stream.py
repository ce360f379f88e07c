"""The streamed iCalendar export: the same text as the whole-calendar one, made in batches."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date, time

import pytest

from tui.domain.models import Event, Invitation, Person
from tui.domain.planner import Planner
from tui.domain.store import Store

RANGES = [
    (date(1900, 1, 1), date(2200, 12, 31)),
    (date(2026, 11, 1), date(2026, 12, 31)),
    (date(2026, 12, 2), date(2027, 1, 1)),
    (date(2031, 1, 1), date(2031, 1, 31)),
]


@pytest.mark.parametrize(("start", "end"), RANGES)
def test_the_ids_of_a_range_are_the_events_of_that_range_in_the_same_order(
    planner: Planner, start: date, end: date
) -> None:
    assert planner.event_ids_between(start, end) == [e.id for e in planner.events(start, end)]


@pytest.mark.parametrize("include_private", [False, True])
def test_the_streamed_calendar_is_the_whole_calendar_chunk_by_chunk(
    planner: Planner, include_private: bool
) -> None:
    events = planner.events()
    whole = planner.events_ics(events, include_private=include_private)
    chunks = planner.events_ics_chunks(
        [e.id for e in events if e.id is not None], include_private=include_private, batch=3
    )
    assert isinstance(chunks, Iterator)
    parts = list(chunks)
    assert len(parts) == len(events) + 2  # the head, one per event, the end
    assert "".join(parts) == whole
    # Guests of invitation-only events leave only when asked.
    private = next(
        e for e in events if e.access == "invitation-only" and planner.guests_with_people(e.id or 0)
    )
    private_part = next(part for part in parts if f"UID:{private.uid}" in part)
    assert ("ATTENDEE" in private_part) == include_private


def test_the_sample_has_an_invitation_only_event_with_guests(planner: Planner) -> None:
    # What the test above compares would be trivial without one.
    private = [e for e in planner.events() if e.access == "invitation-only"]
    assert any(e.id is not None and planner.guests_with_people(e.id) for e in private)


def test_the_export_reads_the_events_in_batches_of_the_size_asked(
    planner: Planner, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[int] = []
    read = Store.events_by_ids

    def spy(self: Store, ids: Sequence[int]) -> list[Event]:
        asked.append(len(ids))
        return read(self, ids)

    monkeypatch.setattr(Store, "events_by_ids", spy)
    ids = planner.store.live_event_ids()
    chunks = planner.events_ics_chunks(ids, batch=4)
    before = len(asked)
    next(chunks)  # the head: the zones were read, no event yet
    next(chunks)  # the first event: one batch read
    assert len(asked) == before + 1 and asked[-1] <= 4
    rest = list(chunks)
    assert rest[-1] == "END:VCALENDAR\r\n"
    assert max(asked) <= 4 and sum(asked[before:]) == len(ids)


def test_a_person_in_the_trash_is_no_attendee_and_a_contact_without_email_no_organizer(
    planner: Planner,
) -> None:
    event = planner.save(
        Event(
            title="Stream check",
            start_date=date(2027, 3, 1),
            end_date=date(2027, 3, 1),
            start_time=time(9),
            end_time=time(10),
            timezone="Europe/Vienna",
            access="public",
        )
    )
    assert isinstance(event, Event) and event.id is not None
    kept = planner.save(Person(name="Kept Guest", email="kept@example.org"))
    gone = planner.save(Person(name="Gone Guest", email="gone@example.org"))
    assert isinstance(kept, Person) and isinstance(gone, Person)
    assert kept.id is not None and gone.id is not None
    for person_id in (kept.id, gone.id):
        planner.save(Invitation(event_id=event.id, person_id=person_id, status="accepted"))
    planner.delete(gone)
    text = "".join(planner.events_ics_chunks([event.id]))
    assert text == planner.events_ics([event])
    assert "kept@example.org" in text and "gone@example.org" not in text
    assert "BEGIN:VTIMEZONE" in text and "TZID:Europe/Vienna" in text
