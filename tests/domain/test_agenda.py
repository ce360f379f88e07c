"""Agenda sessions, one occurrence of a series, and the trash: through the planner."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time
from pathlib import Path
from typing import Any

import pytest

from tests.domain.test_undo import snapshot
from tui.domain.errors import InvalidInput
from tui.domain.models import Event, ItemRef, Person, Session, Speaker
from tui.domain.planner import Planner
from tui.domain.recurrence import with_exdate
from tui.domain.store import Store

DAY = date(2027, 2, 4)


def _retreat(planner: Planner) -> Event:
    return planner.save(Event(title="Retreat", start_date=DAY, end_date=date(2027, 2, 6)))


def _titles(planner: Planner, event: Event) -> list[tuple[date, str]]:
    assert event.id is not None
    return [(s.date, s.title) for s in planner.sessions_for(event.id)]


def test_new_sessions_take_their_place_by_start_time(empty_planner: Planner) -> None:
    event = _retreat(empty_planner)
    assert event.id is not None
    for title, start in (("Lunch", time(12)), ("Welcome", time(9)), ("Walk", None)):
        empty_planner.save_session(
            Session(event_id=event.id, date=DAY, title=title, start_time=start)
        )
    empty_planner.save_session(Session(event_id=event.id, date=date(2027, 2, 5), title="Day 2"))
    assert _titles(empty_planner, event) == [
        (DAY, "Welcome"),
        (DAY, "Lunch"),
        (DAY, "Walk"),
        (date(2027, 2, 5), "Day 2"),
    ]


def test_moving_stays_within_the_day_and_is_one_undo_step(empty_planner: Planner) -> None:
    event = _retreat(empty_planner)
    assert event.id is not None
    first = empty_planner.save_session(Session(event_id=event.id, date=DAY, title="A"))
    empty_planner.save_session(Session(event_id=event.id, date=DAY, title="B"))
    empty_planner.save_session(Session(event_id=event.id, date=date(2027, 2, 5), title="C"))
    assert first.id is not None
    assert empty_planner.move_session(first.id, 1)
    assert [t for _, t in _titles(empty_planner, event)] == ["B", "A", "C"]
    # The last of its day goes to the next day, first there (it has no time to place it).
    moved = empty_planner.move_session(first.id, 1)
    assert moved is not None and moved.date == date(2027, 2, 5)
    assert _titles(empty_planner, event) == [(DAY, "B"), (moved.date, "A"), (moved.date, "C")]
    assert empty_planner.undo() == 'Move session "A"'
    assert empty_planner.undo() == 'Move session "A"'
    assert [t for _, t in _titles(empty_planner, event)] == ["A", "B", "C"]


def _timed(
    planner: Planner, event: Event, title: str, start: str, end: str, day: date = DAY
) -> Session:
    assert event.id is not None
    return planner.save_session(
        Session(
            event_id=event.id,
            date=day,
            title=title,
            start_time=time.fromisoformat(start),
            end_time=time.fromisoformat(end),
        )
    )


def _slots(planner: Planner, event: Event) -> list[tuple[date, str, str, str]]:
    assert event.id is not None
    return [
        (s.date, s.title, f"{s.start_time:%H:%M}", f"{s.end_time:%H:%M}")
        for s in planner.sessions_for(event.id)
    ]


def test_moving_takes_the_neighbours_slot_and_keeps_the_day_in_time_order(
    empty_planner: Planner,
) -> None:
    event = _retreat(empty_planner)
    welcome = _timed(empty_planner, event, "Welcome", "08:30", "09:00")
    _timed(empty_planner, event, "Keynote", "09:15", "10:45")
    _timed(empty_planner, event, "Lunch", "12:00", "13:00")
    assert welcome.id is not None
    moved = empty_planner.move_session(welcome.id, 1)
    assert moved is not None and moved.date == DAY
    # Keynote starts when Welcome did and keeps its 90 minutes; the 15-minute break stays,
    # so the pair still ends at 10:45.
    assert _slots(empty_planner, event) == [
        (DAY, "Keynote", "08:30", "10:00"),
        (DAY, "Welcome", "10:15", "10:45"),
        (DAY, "Lunch", "12:00", "13:00"),
    ]
    assert empty_planner.move_session(welcome.id, -1) is not None
    assert _slots(empty_planner, event) == [
        (DAY, "Welcome", "08:30", "09:00"),
        (DAY, "Keynote", "09:15", "10:45"),
        (DAY, "Lunch", "12:00", "13:00"),
    ]
    assert empty_planner.undo() == 'Move session "Welcome"'
    assert [t for _, t, _, _ in _slots(empty_planner, event)] == ["Keynote", "Welcome", "Lunch"]


def test_moving_past_the_day_goes_to_the_next_or_previous_day(empty_planner: Planner) -> None:
    event = _retreat(empty_planner)
    dinner = _timed(empty_planner, event, "Dinner", "19:00", "21:00")
    _timed(empty_planner, event, "Breakfast", "08:00", "09:00", day=date(2027, 2, 5))
    assert dinner.id is not None
    moved = empty_planner.move_session(dinner.id, 1)
    assert moved is not None and moved.date == date(2027, 2, 5)
    assert _slots(empty_planner, event) == [
        (date(2027, 2, 5), "Breakfast", "08:00", "09:00"),
        (date(2027, 2, 5), "Dinner", "19:00", "21:00"),
    ]
    breakfast = empty_planner.sessions_for(event.id or 0)[0]
    assert breakfast.id is not None
    back = empty_planner.move_session(breakfast.id, -1)  # the first of its day: the day before
    assert back is not None and (back.date, back.start_time) == (DAY, time(8))
    assert empty_planner.move_session(breakfast.id, -1) is None  # the event's first day
    assert empty_planner.undo() == 'Move session "Breakfast"'
    assert _slots(empty_planner, event)[0][:2] == (date(2027, 2, 5), "Breakfast")


def test_a_slot_past_midnight_is_refused_with_nothing_changed(empty_planner: Planner) -> None:
    event = _retreat(empty_planner)
    short = _timed(empty_planner, event, "Nightcap", "23:00", "23:45")
    empty_planner.save_session(
        Session(event_id=event.id or 0, date=DAY, title="Late", start_time=time(23, 30))
    )
    assert short.id is not None
    before = empty_planner.sessions_for(event.id or 0)
    # Without an end on the second, the two trade start times: 23:30 + 45 min is past midnight.
    with pytest.raises(InvalidInput, match="past midnight"):
        empty_planner.move_session(short.id, 1)
    assert empty_planner.sessions_for(event.id or 0) == before


def test_overlapping_sessions_are_found_by_day(empty_planner: Planner) -> None:
    from tui.domain.agenda import overlapping

    event = _retreat(empty_planner)
    a = _timed(empty_planner, event, "A", "09:00", "10:00")
    b = _timed(empty_planner, event, "B", "09:30", "11:00")
    c = _timed(empty_planner, event, "C", "11:00", "12:00")  # touches B: not an overlap
    d = _timed(empty_planner, event, "D", "09:30", "11:00", day=date(2027, 2, 5))
    found = overlapping(empty_planner.sessions_for(event.id or 0))
    assert {k: [s.title for s in v] for k, v in found.items()} == {a.id: ["B"], b.id: ["A"]}
    assert c.id not in found and d.id not in found


def test_editing_a_stale_copy_keeps_the_order_and_sets_speakers(empty_planner: Planner) -> None:
    event = _retreat(empty_planner)
    assert event.id is not None
    late = empty_planner.save_session(
        Session(event_id=event.id, date=DAY, title="Late", start_time=time(14))
    )
    empty_planner.save_session(
        Session(event_id=event.id, date=DAY, title="Early", start_time=time(9))
    )
    ann = empty_planner.save(Person(name="Ann"))
    assert ann.id is not None
    saved = empty_planner.save_session(
        replace(late, room="Hall"), [Speaker(ann.id, "Ann", "moderator")]
    )
    assert saved.speakers == (Speaker(ann.id, "Ann", "moderator"),)
    assert [t for _, t in _titles(empty_planner, event)] == ["Early", "Late"]
    assert empty_planner.history(1)[0][0] == 'Edit session "Late"'


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"date": date(2027, 3, 1)}, "is not a day of the event"),
        ({"title": "  "}, "title"),
        ({"start_time": time(10), "end_time": time(9)}, "before start_time"),
    ],
)
def test_a_session_that_does_not_fit_is_refused(
    empty_planner: Planner, changes: dict[str, Any], message: str
) -> None:
    event = _retreat(empty_planner)
    assert event.id is not None
    session = replace(Session(event_id=event.id, date=DAY, title="Talk"), **changes)
    with pytest.raises(InvalidInput, match=message):
        empty_planner.save_session(session)
    assert empty_planner.sessions_for(event.id) == []


def test_exdates_are_added_once_and_kept_sorted() -> None:
    assert with_exdate("FREQ=WEEKLY;COUNT=4", date(2027, 1, 12)) == (
        "RRULE:FREQ=WEEKLY;COUNT=4\nEXDATE:20270112"
    )
    twice = with_exdate("RRULE:FREQ=WEEKLY\nEXDATE:20270119", date(2027, 1, 12))
    assert twice == "RRULE:FREQ=WEEKLY\nEXDATE:20270112,20270119"
    assert with_exdate(twice, date(2027, 1, 12)) == twice


def test_one_occurrence_edited_alone_leaves_the_series(empty_planner: Planner) -> None:
    series = empty_planner.save(
        Event(
            title="Weekly call",
            start_date=date(2027, 1, 5),
            end_date=date(2027, 1, 5),
            repeat="FREQ=WEEKLY;COUNT=4",
        )
    )
    ann = empty_planner.save(Person(name="Ann", is_staff=True))
    assert series.id is not None and ann.id is not None
    empty_planner.link("contact", series.id, ann.id)
    moved = empty_planner.edit_occurrence(
        series,
        date(2027, 1, 12),
        replace(
            series, title="Moved call", start_date=date(2027, 1, 13), end_date=date(2027, 1, 13)
        ),
    )
    shown = [
        (o.event.title, o.start_date)
        for o in empty_planner.occurrences_between(date(2027, 1, 1), date(2027, 1, 31))
    ]
    assert shown == [
        ("Weekly call", date(2027, 1, 5)),
        ("Moved call", date(2027, 1, 13)),
        ("Weekly call", date(2027, 1, 19)),
        ("Weekly call", date(2027, 1, 26)),
    ]
    assert moved.repeat is None and moved.uid != series.uid
    assert moved.id is not None
    assert [c.name for c in empty_planner.contacts_for(moved.id)] == ["Ann"]
    assert empty_planner.undo() == 'Edit one occurrence of event "Weekly call"'
    assert len(empty_planner.occurrences_between(date(2027, 1, 1), date(2027, 1, 31))) == 4


def test_skipping_an_occurrence_and_refusing_a_plain_event(empty_planner: Planner) -> None:
    series = empty_planner.save(
        Event(
            title="Monthly",
            start_date=date(2027, 1, 5),
            end_date=date(2027, 1, 5),
            repeat="FREQ=MONTHLY;COUNT=3",
        )
    )
    empty_planner.skip_occurrence(series, date(2027, 2, 5))
    days = [o.start_date for o in empty_planner.occurrences_between(DAY, date(2027, 3, 31))]
    assert days == [date(2027, 3, 5)]
    plain = _retreat(empty_planner)
    with pytest.raises(InvalidInput):
        empty_planner.skip_occurrence(plain, DAY)


def test_trash_lists_restores_and_empties_after_a_backup(
    planner: Planner, store: Store, tmp_path: Path
) -> None:
    event = planner.events()[0]
    assert event.id is not None
    before = snapshot(store)
    planner.delete(event)
    items = planner.trash()
    assert items[0].ref == ItemRef("event", event.id) and items[0].label == event.title
    planner.restore_ref(items[0].ref)
    assert planner.trash() == []
    with pytest.raises(InvalidInput, match="not in the trash"):
        planner.restore_ref(ItemRef("event", event.id))
    planner.delete(event)
    backup, removed = planner.empty_trash(tmp_path / "backups")
    assert removed == 1 and backup.exists()
    assert planner.trash() == []
    assert not [e for e in planner.events() if e.id == event.id]
    # The backup holds the event as it was; undo brings it back whole, sessions and all.
    copy = Store(backup)
    try:
        assert copy.get(Event, event.id, include_deleted=True).title == event.title
    finally:
        copy.close()
    planner.undo()  # the emptying
    planner.undo()  # the delete
    planner.undo()  # the restore
    planner.undo()  # the first delete
    after = snapshot(store)
    for table in ("events", "sessions", "invitations", "session_speakers", "event_contacts"):
        assert [
            {k: v for k, v in row.items() if k not in ("updated_at", "deleted_at")}
            for row in after[table]
        ] == [
            {k: v for k, v in row.items() if k not in ("updated_at", "deleted_at")}
            for row in before[table]
        ], table


RULES = [
    "FREQ=WEEKLY",
    "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE",
    "FREQ=MONTHLY",
    "FREQ=MONTHLY;BYDAY=1TH",
    "FREQ=MONTHLY;INTERVAL=3",
    "FREQ=YEARLY",
    "FREQ=DAILY;INTERVAL=5",
    "FREQ=MONTHLY;BYMONTHDAY=31",
    "FREQ=MONTHLY;UNTIL=20301231",
    "RRULE:FREQ=WEEKLY\nEXDATE:20200107",
    "FREQ=YEARLY;INTERVAL=2;BYMONTH=3;BYDAY=-1FR",
    "FREQ=WEEKLY;COUNT=10",
    "FREQ=MONTHLY;COUNT=12;BYMONTHDAY=31",
]


def test_the_shortcuts_give_the_same_occurrences_as_walking_from_the_start() -> None:
    """A later anchor and an end read off the rule never change what is shown."""
    import random
    from datetime import datetime, timedelta

    from dateutil.rrule import rrulestr

    from tui.domain.recurrence import repeat_anchor, repeat_bound

    def days(rule: str, first: date, start: date, end: date) -> list[date]:
        moments = rrulestr(rule, dtstart=datetime.combine(first, time())).between(
            datetime.combine(start, time()), datetime.combine(end, time()), inc=True
        )
        return [m.date() for m in moments]

    rng = random.Random(11)
    for _ in range(1500):
        rule = rng.choice(RULES)
        first = date(2015, 1, 1) + timedelta(days=rng.randrange(3000))
        start = date(2015, 1, 1) + timedelta(days=rng.randrange(4500))
        end = start + timedelta(days=rng.choice([1, 7, 31, 365]))
        full = days(rule, first, start, end)
        assert days(rule, repeat_anchor(rule, first, start), start, end) == full, rule
        bound = repeat_bound(rule, first)
        assert bound is None or not full or full[-1] <= bound, rule


def _three_day_agenda(planner: Planner) -> Event:
    """The retreat (4-6 February) with a session on each day, two on the last."""
    event = _retreat(planner)
    assert event.id is not None
    for day, title, start in (
        (DAY, "Welcome", time(9)),
        (date(2027, 2, 5), "Panel", time(10)),
        (date(2027, 2, 6), "Walk", None),
        (date(2027, 2, 6), "Closing", time(11)),
    ):
        planner.save_session(Session(event_id=event.id, date=day, title=title, start_time=start))
    return planner.event(event.id)


def test_an_event_moved_takes_its_agenda_along_in_one_undo_step(empty_planner: Planner) -> None:
    event = _three_day_agenda(empty_planner)
    before = _titles(empty_planner, event)
    later = replace(event, start_date=date(2027, 3, 1), end_date=date(2027, 3, 3))
    empty_planner.save_event(later)
    assert _titles(empty_planner, event) == [
        (day + (date(2027, 3, 1) - DAY), title) for day, title in before
    ]
    # Made longer at its end only: nothing moves.
    empty_planner.save_event(replace(later, end_date=date(2027, 3, 5)))
    assert _titles(empty_planner, event)[-1] == (date(2027, 3, 3), "Closing")
    empty_planner.undo()
    empty_planner.undo()
    assert _titles(empty_planner, event) == before
    assert empty_planner.event(event.id or 0).start_date == DAY


def test_the_form_refuses_days_that_leave_sessions_outside_and_changes_nothing(
    empty_planner: Planner,
) -> None:
    event = _three_day_agenda(empty_planner)
    before = _titles(empty_planner, event)
    with pytest.raises(InvalidInput) as refused:
        empty_planner.save_event(replace(event, end_date=DAY))
    message = str(refused.value)
    assert "3 sessions" in message and "Fri 5 February 2027" in message, message
    assert "\n" not in message
    assert _titles(empty_planner, event) == before
    assert empty_planner.event(event.id or 0).end_date == date(2027, 2, 6)


def test_days_gained_or_lost_at_the_front_leave_the_sessions_on_theirs(
    empty_planner: Planner,
) -> None:
    # A retreat of 4-6 February made 5-6 drops the 4th: its sessions were moved a day
    # on, the 6th's past the end, and the refusal named the 7th, a day it never had.
    event = _three_day_agenda(empty_planner)
    with pytest.raises(InvalidInput) as refused:
        empty_planner.save_event(replace(event, start_date=date(2027, 2, 5)))
    message = str(refused.value)
    assert "1 session" in message and "Thu 4 February 2027" in message, message
    before = _titles(empty_planner, event)
    longer = empty_planner.save_event(replace(event, start_date=date(2027, 2, 2)))
    assert _titles(empty_planner, event) == before  # a day gained in front: nothing moves
    assert longer.start_date == date(2027, 2, 2)


def test_another_calendar_shortening_an_event_brings_its_sessions_inside(
    empty_planner: Planner,
) -> None:
    """An import or a sync cannot be asked: the sessions go to the event's nearest day,
    in the order they had, the earlier day's first."""
    event = _three_day_agenda(empty_planner)
    empty_planner.save(replace(event, start_date=date(2027, 2, 5), end_date=date(2027, 2, 5)))
    assert _titles(empty_planner, event) == [
        (date(2027, 2, 5), "Welcome"),
        (date(2027, 2, 5), "Panel"),
        (date(2027, 2, 5), "Walk"),
        (date(2027, 2, 5), "Closing"),
    ]
    # Every session can be edited again (its day is the event's).
    for session in empty_planner.sessions_for(event.id or 0):
        empty_planner.save_session(replace(session, title=session.title + "!"))
