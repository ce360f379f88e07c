"""The agenda: an event's sessions, saved in their day and moved in order."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import timedelta

from tui.domain import agenda, validate
from tui.domain.errors import InvalidInput
from tui.domain.models import (
    Session,
    Speaker,
)
from tui.domain.planner.base import (
    describe,
    sanitised,
)
from tui.domain.planner.records import Records


class Agenda(Records):
    """The agenda: an event's sessions, saved in their day and moved in order."""

    def save_session(self, session: Session, speakers: Sequence[Speaker] | None = None) -> Session:
        """Add or edit an agenda session with its speakers, in one step.

        The day must fall within the event; a new session takes its place on its day by
        its start time (after the sessions without one that are already there).
        """
        session = sanitised(session)
        validate.required_text(session.title, "title")
        event = self.event(session.event_id)
        if not event.start_date <= session.date <= event.end_date:
            raise InvalidInput(
                f"date {session.date.isoformat()} is not a day of the event"
                f" ({event.start_date.isoformat()} to {event.end_date.isoformat()})",
                value=session.date.isoformat(),
            )
        if session.start_time and session.end_time and session.end_time < session.start_time:
            raise InvalidInput(
                f"end_time {session.end_time:%H:%M} is before start_time {session.start_time:%H:%M}"
            )
        verb = "Add" if session.id is None else "Edit"
        with self.store.transaction(f"{verb} {describe(session)}"):
            if session.id is None:
                saved = self.store.insert(replace(session, position=self._slot_for(session)))
            else:
                old = self.store.get(Session, session.id)
                # The order on the day is the agenda's, not that of a copy read earlier.
                position = old.position if old.date == session.date else self._slot_for(session)
                session = replace(session, position=position)
                saved = self.store.update(session)
            assert saved.id is not None
            if speakers is not None:
                self.store.set_speakers(saved.id, speakers)
            return self.store.get(Session, saved.id)

    def _slot_for(self, session: Session) -> int:
        """The position a session takes on its day, by start time; later ones move down."""
        day = [
            s
            for s in self.sessions_for(session.event_id)
            if s.date == session.date and s.id != session.id
        ]
        index = len(day)
        if session.start_time is not None:
            for i, other in enumerate(day):
                if other.start_time is not None and other.start_time > session.start_time:
                    index = i
                    break
        for i, other in enumerate(day):
            wanted = i if i < index else i + 1
            if other.position != wanted:
                self.store.update(replace(other, position=wanted))
        return index

    def move_session(self, session_id: int, step: int) -> Session | None:
        """Move a session earlier (-1) or later (+1) in the agenda, as one undo step.

        Within its day it changes places with its neighbour and takes the neighbour's
        time slot (see agenda.swap_slots), so the day stays in time order. The first of a
        day moving earlier goes to the event's previous day (the last of a day, later: the
        next day), keeping its times. Returns the session as moved; None at the first or
        last day's edge.
        """
        session = self.store.get(Session, session_id)
        event = self.event(session.event_id)
        sessions = self.sessions_for(session.event_id)
        day = [s for s in sessions if s.date == session.date]
        index = next(i for i, s in enumerate(day) if s.id == session_id)
        target = index + step
        with self.store.transaction(f"Move {describe(session)}"):
            if 0 <= target < len(day):
                upper, lower = sorted((index, target))
                first, second = agenda.swap_slots(day[upper], day[lower])
                day[upper], day[lower] = first, second
                for position, item in enumerate(day):
                    self.store.update(replace(item, position=position))
                return self.store.get(Session, session_id)
            other_day = session.date + timedelta(days=step)
            if not event.start_date <= other_day <= event.end_date:
                return None
            there = [s for s in sessions if s.date == other_day]
            moved = replace(session, date=other_day)
            if moved.start_time is None:
                # Untimed: the end of the day it came down from, the start of the one below.
                order = [*there, moved] if step < 0 else [moved, *there]
                for position, item in enumerate(order):
                    self.store.update(replace(item, position=position))
            else:
                self.store.update(replace(moved, position=self._slot_for(moved)))
            return self.store.get(Session, session_id)
