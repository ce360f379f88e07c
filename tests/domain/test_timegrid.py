"""The time grid's arithmetic: zones, lanes for overlapping events, bars above the hours."""

from __future__ import annotations

from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from tui.domain.models import Event, Occurrence, Session
from tui.domain.timegrid import (
    Block,
    assign_lanes,
    lanes_that_fit,
    lay_out,
    narrow,
    parse_hour,
    timed_pieces,
    week_days,
)

MONDAY = date(2026, 11, 16)
WEEK = week_days(MONDAY, 0)
UTC = ZoneInfo("UTC")


def occ(
    title: str,
    start: time | None,
    end: time | None = None,
    day: date = MONDAY,
    last: date | None = None,
    zone: str | None = None,
    event_id: int = 1,
) -> Occurrence:
    event = Event(
        title=title,
        start_date=day,
        end_date=last or day,
        start_time=start,
        end_time=end,
        timezone=zone,
        id=event_id,
    )
    return Occurrence(event, day, last or day)


def test_week_days_start_on_the_configured_weekday() -> None:
    assert WEEK[0] == MONDAY and WEEK[-1] == date(2026, 11, 22)
    sunday_first = week_days(date(2026, 11, 18), 6)
    assert sunday_first[0] == date(2026, 11, 15) and len(sunday_first) == 7


def test_a_timed_event_is_a_block_and_an_all_day_or_multi_day_event_a_bar() -> None:
    layout = lay_out(
        [
            occ("Dinner", time(19, 0), time(21, 30)),
            occ("Retreat", None, day=MONDAY + timedelta(days=2), last=MONDAY + timedelta(days=8)),
            occ("Holiday", None, day=MONDAY - timedelta(days=1)),
        ],
        WEEK,
        UTC,
    )
    assert [(b.occurrence.event.title, b.day, b.start, b.end) for b in layout.blocks] == [
        ("Dinner", MONDAY, 19 * 60, 21 * 60 + 30)
    ]
    # The retreat runs past Sunday: its bar is clipped to the week; the holiday is outside.
    assert [(b.occurrence.event.title, b.first, b.last) for b in layout.bars] == [("Retreat", 2, 6)]


def test_overlapping_events_sit_side_by_side_and_share_their_cluster_width() -> None:
    layout = lay_out(
        [
            occ("A", time(9, 0), time(11, 0)),
            occ("B", time(10, 0), time(12, 0)),
            occ("C", time(11, 0), time(12, 0)),  # A has ended: C takes A's lane
            occ("D", time(13, 0), time(14, 0)),  # a cluster of its own, full width
        ],
        WEEK,
        UTC,
    )
    lanes = {b.occurrence.event.title: (b.lane, b.lanes) for b in layout.blocks}
    assert lanes == {"A": (0, 2), "B": (1, 2), "C": (0, 2), "D": (0, 1)}


def test_three_at_once_need_three_lanes() -> None:
    blocks = lay_out(
        [occ(t, time(9, 0), time(10, 0), event_id=i) for i, t in enumerate("XYZ")], WEEK, UTC
    ).blocks
    assert sorted(b.lane for b in blocks) == [0, 1, 2]
    assert {b.lanes for b in blocks} == {3}
    assert assign_lanes([]) == []


def test_a_column_too_narrow_for_every_lane_keeps_the_first_and_leaves_the_rest_out() -> None:
    occurrences = [
        occ("A", time(9, 0), time(11, 0), event_id=1),
        occ("B", time(9, 30), time(10, 30), event_id=2),
        occ("C", time(10, 0), time(11, 30), event_id=3),
        occ("D", time(13, 0), time(14, 0), event_id=4),
    ]
    blocks = lay_out(occurrences, WEEK, UTC).blocks
    assert (lanes_that_fit(9), lanes_that_fit(15), lanes_that_fit(26)) == (1, 1, 3)

    def named(found: list[Block]) -> list[tuple[str, int, int]]:
        return [(b.occurrence.event.title, b.lane, b.lanes) for b in found]

    drawn, left = narrow(blocks, 1)
    assert named(drawn) == [("A", 0, 1), ("D", 0, 1)]
    assert left == [(MONDAY, 570, 630), (MONDAY, 600, 690)]  # B and C
    # Room for them all: nothing changes.
    assert narrow(blocks, 3) == (list(blocks), [])
    # The one under the cursor is drawn last in the last lane shown, over the one there:
    # what it covers of that one is left out.
    drawn, left = narrow(blocks, 1, occurrences[2])
    assert named(drawn) == [("A", 0, 1), ("D", 0, 1), ("C", 0, 1)]
    assert left == [(MONDAY, 570, 630), (MONDAY, 600, 660)]  # B, and A from 10:00
    drawn, left = narrow(blocks, 2, occurrences[2])
    assert named(drawn) == [("A", 0, 2), ("B", 1, 2), ("D", 0, 1), ("C", 1, 2)]
    assert left == [(MONDAY, 600, 630)]  # B's half hour under C


def test_an_event_is_shown_in_the_zone_asked_for() -> None:
    meeting = occ("Call", time(9, 0), time(10, 0), zone="America/New_York")
    (piece,) = timed_pieces(meeting, ZoneInfo("Europe/Vienna"), WEEK)
    assert piece == (MONDAY, 15 * 60, 16 * 60)  # 09:00 in New York is 15:00 in Vienna
    (own,) = timed_pieces(meeting, ZoneInfo("America/New_York"), WEEK)
    assert own == (MONDAY, 9 * 60, 10 * 60)


def test_an_event_crossing_midnight_in_the_shown_zone_is_cut_in_two() -> None:
    late = occ("Late call", time(18, 0), time(20, 0), zone="America/New_York")
    pieces = timed_pieces(late, ZoneInfo("Europe/Vienna"), WEEK)
    assert pieces == [(MONDAY + timedelta(days=1), 0, 2 * 60)]  # 18:00 EST is 00:00 CET
    crossing = occ("Crossing", time(23, 0), time(23, 59), zone="UTC")
    assert timed_pieces(crossing, ZoneInfo("Europe/Vienna"), WEEK) == [
        (MONDAY + timedelta(days=1), 0, 59)
    ]
    half = occ("Half", time(22, 30), time(23, 30), zone="UTC")
    assert timed_pieces(half, ZoneInfo("Europe/Vienna"), WEEK) == [
        (MONDAY, 23 * 60 + 30, 24 * 60),
        (MONDAY + timedelta(days=1), 0, 30),
    ]


def test_no_end_time_takes_an_hour_and_a_floating_time_stays_put() -> None:
    (piece,) = timed_pieces(occ("Open", time(8, 15)), ZoneInfo("Asia/Tokyo"), WEEK)
    assert piece == (MONDAY, 8 * 60 + 15, 9 * 60 + 15)


def test_bars_stack_in_as_few_rows_as_fit() -> None:
    layout = lay_out(
        [
            occ("Long", None, day=MONDAY, last=MONDAY + timedelta(days=3), event_id=1),
            occ("Short", None, day=MONDAY + timedelta(days=1), event_id=2),
            occ("Later", None, day=MONDAY + timedelta(days=5), event_id=3),
        ],
        WEEK,
        UTC,
    )
    rows = {b.occurrence.event.title: b.row for b in layout.bars}
    assert rows == {"Long": 0, "Short": 1, "Later": 0}
    assert layout.bar_rows == 2


def test_the_day_grid_shows_a_convening_as_the_span_of_its_sessions() -> None:
    conference = occ("Conference", None, day=MONDAY, last=MONDAY + timedelta(days=2), event_id=7)
    sessions = [
        Session(7, MONDAY, "Opening", start_time=time(9, 0), end_time=time(9, 30), room="Hall"),
        Session(7, MONDAY, "Panel", start_time=time(14, 0), end_time=time(15, 30)),
    ]
    layout = lay_out([conference], (MONDAY,), UTC, {7: sessions})
    (block,) = layout.blocks
    assert (block.start, block.end) == (9 * 60, 15 * 60 + 30)
    assert [s.title for s in block.sessions] == ["Opening", "Panel"]
    assert layout.bars == ()
    # In the week grid the same convening stays a bar.
    assert len(lay_out([conference], WEEK, UTC, {7: sessions}).bars) == 1


@pytest.mark.parametrize(("text", "minutes"), [("07:00", 420), ("7", 420), ("21:30", 1290)])
def test_parse_hour(text: str, minutes: int) -> None:
    assert parse_hour(text) == minutes


@pytest.mark.parametrize("text", ["", "7pm", "25:00", "07:xx", "-1"])
def test_parse_hour_refuses(text: str) -> None:
    with pytest.raises(ValueError):
        parse_hour(text)


def test_the_day_grid_moves_sessions_to_the_zone_shown() -> None:
    retreat = occ("Retreat", time(9, 0), time(16, 0), zone="America/New_York", event_id=3)
    opening = Session(3, MONDAY, "Opening", start_time=time(9, 0), end_time=time(10, 30))
    (block,) = lay_out([retreat], (MONDAY,), ZoneInfo("Europe/Vienna"), {3: [opening]}).blocks
    # The block is the retreat's own 09:00-16:00 (15:00-22:00 in Vienna), its session inside.
    assert (block.start, block.end) == (15 * 60, 22 * 60)
    assert block.sessions[0].start_time == time(15, 0)
    # Seen from Tokyo the opening starts Monday 23:00 and runs to 00:30: it keeps its real
    # end and the block runs to midnight. A session at 11:00 in New York falls on Tuesday.
    later = Session(3, MONDAY, "Panel", start_time=time(11, 0), end_time=time(12, 0))
    tokyo = ZoneInfo("Asia/Tokyo")
    (block,) = lay_out([retreat], (MONDAY,), tokyo, {3: [opening, later]}).blocks
    assert [(s.title, s.start_time, s.end_time) for s in block.sessions] == [
        ("Opening", time(23, 0), time(0, 30))
    ]
    assert (block.start, block.end) == (23 * 60, 24 * 60)
    # On Tuesday in Tokyo the rest of the opening shows from 00:00, then the panel.
    tuesday = MONDAY + timedelta(days=1)
    (block,) = lay_out([retreat], (tuesday,), tokyo, {3: [opening, later]}).blocks
    assert [(s.title, s.start_time, s.end_time) for s in block.sessions] == [
        ("Opening", time(0, 0), time(0, 30)),
        ("Panel", time(1, 0), time(2, 0)),
    ]
    assert (block.start, block.end) == (0, 6 * 60)  # the retreat until 16:00 New York


def test_the_day_grid_block_starts_at_the_event_when_sessions_start_later() -> None:
    workshop = occ("Workshop", time(9, 0), time(17, 0), event_id=4)
    talk = Session(4, MONDAY, "Talk", start_time=time(10, 0), end_time=time(11, 0))
    (block,) = lay_out([workshop], (MONDAY,), UTC, {4: [talk]}).blocks
    assert (block.start, block.end) == (9 * 60, 17 * 60)
    # A session after the event's end time stretches the block.
    dinner = Session(4, MONDAY, "Dinner", start_time=time(19, 0), end_time=time(21, 0))
    (block,) = lay_out([workshop], (MONDAY,), UTC, {4: [talk, dinner]}).blocks
    assert (block.start, block.end) == (9 * 60, 21 * 60)
    # Two days at 09:00-17:00: each day's block is those hours.
    tuesday = MONDAY + timedelta(days=1)
    two_days = occ("Two days", time(9, 0), time(17, 0), last=tuesday, event_id=5)
    panel = Session(5, tuesday, "Panel", start_time=time(13, 0), end_time=time(14, 0))
    (block,) = lay_out([two_days], (tuesday,), UTC, {5: [panel]}).blocks
    assert (block.start, block.end) == (9 * 60, 17 * 60)


def test_an_overnight_event_is_a_block_across_midnight_not_a_bar() -> None:
    tuesday = MONDAY + timedelta(days=1)
    dinner = occ("Late dinner", time(20, 0), time(1, 30), last=tuesday)
    layout = lay_out([dinner], WEEK, UTC)
    assert layout.bars == ()
    assert [(b.day, b.start, b.end) for b in layout.blocks] == [
        (MONDAY, 20 * 60, 24 * 60),
        (tuesday, 0, 90),
    ]
    # A whole day or more (20:00 to 20:00, or over three days) stays a bar.
    full = occ("Vigil", time(20, 0), time(20, 0), last=tuesday)
    longer = occ("Retreat", time(20, 0), time(1, 0), last=MONDAY + timedelta(days=2))
    assert len(lay_out([full, longer], WEEK, UTC).bars) == 2


def test_a_session_across_the_clocks_going_back_keeps_its_length() -> None:
    """20:30-21:15 in New York on 24 October 2026 is 01:30 BST to 01:15 GMT in London on
    the 25th: 45 minutes, not a block to midnight."""
    saturday = date(2026, 10, 24)
    evening = occ("Evening", time(20, 0), time(21, 15), day=saturday, zone="America/New_York")
    talk = Session(1, saturday, "Talk", start_time=time(20, 30), end_time=time(21, 15))
    london = ZoneInfo("Europe/London")
    (block,) = lay_out([evening], (date(2026, 10, 25),), london, {1: [talk]}).blocks
    assert block.start == 60  # the evening's own 20:00 is 01:00 BST
    assert block.end < 3 * 60, (block.start, block.end)


def test_each_occurrence_of_a_series_has_only_its_own_sessions() -> None:
    """A daily series read a day either side: Tuesday's session belongs to Tuesday's
    occurrence, not to Monday's or Wednesday's as well."""
    tuesday = MONDAY + timedelta(days=1)
    series = [
        occ("Daily briefing", time(9, 0), time(10, 0), day=MONDAY + timedelta(days=n), event_id=9)
        for n in range(3)
    ]
    sessions = [
        Session(9, MONDAY, "Monday's", start_time=time(9, 0), end_time=time(9, 30)),
        Session(9, tuesday, "Tuesday's", start_time=time(9, 15), end_time=time(9, 45)),
    ]
    (block,) = lay_out(series, (tuesday,), UTC, {9: sessions}).blocks
    assert block.occurrence.start_date == tuesday
    assert [s.title for s in block.sessions] == ["Tuesday's"]


def test_a_timed_multi_day_bar_covers_its_days_in_the_zone_shown() -> None:
    # 16 Jan 22:00 UTC to 18 Jan 02:00 UTC is Sun 17 07:00 to Mon 18 11:00 in Tokyo.
    saturday = date(2027, 1, 16)
    tokyo_week = week_days(date(2027, 1, 17), 0)  # Mon 11 to Sun 17
    summit = occ(
        "Summit", time(22, 0), time(2, 0), day=saturday, last=date(2027, 1, 18), zone="UTC"
    )
    in_utc = lay_out([summit], tokyo_week, UTC)
    assert [(b.first, b.last, b.before, b.after) for b in in_utc.bars] == [(5, 6, False, True)]
    in_tokyo = lay_out([summit], tokyo_week, ZoneInfo("Asia/Tokyo"))
    # Only Sunday of this week, going on into the next; the next week starts with Monday.
    assert [(b.first, b.last, b.before, b.after) for b in in_tokyo.bars] == [(6, 6, False, True)]
    next_week = week_days(date(2027, 1, 18), 0)
    after = lay_out([summit], next_week, ZoneInfo("Asia/Tokyo"))
    assert [(b.first, b.last, b.before, b.after) for b in after.bars] == [(0, 0, True, False)]
    # New York: Sat 16 17:00 to Sun 17 21:00 (the UTC Monday is not reached).
    in_new_york = lay_out([summit], tokyo_week, ZoneInfo("America/New_York"))
    assert [(b.first, b.last) for b in in_new_york.bars] == [(5, 6)]


def test_an_all_day_or_floating_bar_keeps_its_own_dates_in_any_zone() -> None:
    retreat = occ("Retreat", None, day=MONDAY, last=MONDAY + timedelta(days=1), zone="UTC")
    floating = occ("Floating", time(22, 0), time(9, 0), day=MONDAY, last=MONDAY + timedelta(days=2))
    layout = lay_out([retreat, floating], WEEK, ZoneInfo("Asia/Tokyo"))
    spans = {b.occurrence.event.title: (b.first, b.last) for b in layout.bars}
    assert spans == {"Retreat": (0, 1), "Floating": (0, 2)}
