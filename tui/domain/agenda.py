"""The agenda of one event: time slots when sessions change places, and overlaps."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime, time, timedelta

from tui.domain.errors import InvalidInput
from tui.domain.models import Session


def _at(day: date, moment: time) -> datetime:
    return datetime.combine(day, moment)


def _length(session: Session) -> timedelta | None:
    if session.start_time is None or session.end_time is None:
        return None
    return _at(session.date, session.end_time) - _at(session.date, session.start_time)


def _shifted(session: Session, start: datetime, length: timedelta | None) -> Session:
    end = start + length if length is not None else None
    if start.date() != session.date or (end is not None and end.date() != session.date):
        raise InvalidInput(f'session "{session.title}" would run past midnight; edit its times')
    return replace(
        session, start_time=start.time(), end_time=end.time() if end is not None else None
    )


def swap_slots(upper: Session, lower: Session) -> tuple[Session, Session]:
    """Two neighbours of one day change places and times: (new first, new second).

    The session that comes first takes the earlier one's start; each keeps its length, and
    the break between them stays (so the pair still ends when it did). Without start times
    on both, only their order changes.
    """
    if upper.start_time is None or lower.start_time is None:
        return lower, upper
    first_length, second_length = _length(lower), _length(upper)
    start = _at(upper.date, upper.start_time)
    first = _shifted(lower, start, first_length)
    if first_length is not None and upper.end_time is not None:
        gap = max(_at(lower.date, lower.start_time) - _at(upper.date, upper.end_time), timedelta(0))
        second_start = start + first_length + gap
    else:
        # Lengths unknown: the two simply trade start times.
        second_start = _at(upper.date, lower.start_time)
    second = _shifted(upper, second_start, second_length)
    return first, second


def overlapping(sessions: Sequence[Session]) -> dict[int, list[Session]]:
    """Sessions whose times overlap another of the same day: id -> the ones it overlaps.

    Only sessions with a start and an end time can overlap; touching (10:00-11:00 and
    11:00-12:00) is not overlapping.
    """
    timed = [
        s
        for s in sessions
        if s.id is not None and s.start_time is not None and s.end_time is not None
    ]
    found: dict[int, list[Session]] = {}
    for i, one in enumerate(timed):
        for other in timed[i + 1 :]:
            if one.date != other.date:
                continue
            assert one.start_time and one.end_time and other.start_time and other.end_time
            if one.start_time < other.end_time and other.start_time < one.end_time:
                assert one.id is not None and other.id is not None
                found.setdefault(one.id, []).append(other)
                found.setdefault(other.id, []).append(one)
    return found


def _shift(old: tuple[date, date], new: tuple[date, date]) -> timedelta:
    """How far an event's sessions move with its days: as far as its first day, unless
    only the first day changed (the last kept): then the event gained or lost days at
    the front and its sessions stay on theirs (a retreat of 15-17 made 16-17 dropped the
    15th; it moved every session a day on, the 17th's past the end)."""
    if new[1] == old[1]:
        return timedelta(0)
    return new[0] - old[0]


def moved_with_event(
    sessions: Sequence[Session], old: tuple[date, date], new: tuple[date, date]
) -> list[Session]:
    """The sessions whose day changes when their event's days go from `old` to `new`
    (first, last), as they are then: each moves by as many days as the event did (see
    _shift), and one that would then fall outside the event goes to its nearest day. A day
    that takes sessions from another keeps them in their order, the earlier day's first.
    """
    shift = _shift(old, new)
    placed: list[tuple[Session, date]] = []
    for session in sessions:
        day = min(max(session.date + shift, new[0]), new[1])
        placed.append((session, day))
    changed: list[Session] = []
    days = {day for session, day in placed if day != session.date}
    for day in sorted(days):
        there = sorted(
            (s for s, d in placed if d == day), key=lambda s: (s.date, s.position, s.id or 0)
        )
        for position, session in enumerate(there):
            if session.date != day or session.position != position:
                changed.append(replace(session, date=day, position=position))
    return changed


def left_outside(
    sessions: Sequence[Session], old: tuple[date, date], new: tuple[date, date]
) -> list[Session]:
    """The sessions that would fall outside the event's `new` days even after moving
    with it (see moved_with_event): those a shortened event no longer has room for."""
    shift = _shift(old, new)
    return [s for s in sessions if not new[0] <= s.date + shift <= new[1]]
