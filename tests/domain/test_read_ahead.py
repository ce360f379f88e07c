"""Reads made ahead of the app's first screen: given once, never after a write."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from tui.domain.dates import grid_window, week_of
from tui.domain.filters import EventFilter
from tui.domain.planner import Planner
from tui.domain.read_ahead import NotReadAhead, ReadAhead, answers_only, only_answers


def _ahead(planner: Planner) -> ReadAhead:
    return planner.reading_ahead()


def _event_id(planner: Planner) -> int:
    event = planner.events()[0]
    assert event.id is not None
    return event.id


def test_an_answer_read_ahead_is_given_once_to_the_same_question(planner: Planner) -> None:
    event_id = _event_id(planner)
    ahead = _ahead(planner)
    read = ahead.read(planner.guest_lines, event_id)
    assert planner.guest_lines(event_id) is read  # the answer kept, not a new read
    assert ahead.given == 1
    again = planner.guest_lines(event_id)
    assert again == read and again is not read  # once: the next call reads
    assert ahead.given == 1


def test_a_read_ahead_window_is_the_planners_own(planner: Planner) -> None:
    day = date(2026, 11, 18)
    window, shown = grid_window(day, 0), week_of(day, 0)
    ahead = _ahead(planner)
    kept = ahead.read(planner.glance, window, shown, EventFilter())
    planner.read_ahead = None
    assert planner.glance(window, shown, EventFilter()) == kept
    planner.read_ahead = ahead
    assert planner.glance(window, shown, EventFilter()) is kept
    other_week = week_of(date(2026, 11, 25), 0)  # other arguments: read, not given
    assert planner.glance(window, other_week, EventFilter()) is not kept
    assert ahead.given == 1


def test_nothing_read_ahead_is_given_after_a_write(planner: Planner) -> None:
    event_id = _event_id(planner)
    ahead = _ahead(planner)
    before = ahead.read(planner.event, event_id)
    planner.save(replace(before, title="Renamed meanwhile"))
    assert planner.event(event_id).title == "Renamed meanwhile"
    assert ahead.given == 0


def test_closed_keywords_and_unhashable_arguments_read_as_always(planner: Planner) -> None:
    event_id = _event_id(planner)
    ahead = _ahead(planner)
    kept = ahead.read(planner.event_details, event_id)
    assert planner.event_details(event_id=event_id) is not kept  # a keyword: never ahead
    ahead.close()
    assert planner.event_details(event_id) is not kept  # closed: the answers are dropped
    assert ahead.given == 0 and not ahead.is_open
    ahead = _ahead(planner)
    # A filter holding a list cannot be a key: the question is read, not an error.
    unhashable = [date(2026, 11, 18)]
    assert ahead.take(("glance", unhashable), lambda: "read") == "read"  # type: ignore[arg-type]


def test_a_read_made_answers_only_takes_them_or_reads_nothing(planner: Planner) -> None:
    event_id = _event_id(planner)
    ahead = _ahead(planner)
    kept = ahead.read(planner.event_details, event_id)
    with only_answers():
        assert planner.event_details(event_id) is kept
        # Not read ahead, or given already: raised, and the store is not asked either.
        with pytest.raises(NotReadAhead):
            planner.event_details(event_id)
        with pytest.raises(NotReadAhead):
            planner.events()  # a reader never read ahead: the store's lock refuses it
        planner.read_ahead = None
        with pytest.raises(NotReadAhead):
            planner.guest_lines(event_id)
    assert answers_only() is False
    assert planner.guest_lines(event_id) is not None  # outside, reads as always


def test_answers_read_ahead_lapse_when_another_process_wrote(planner: Planner) -> None:
    event_id = _event_id(planner)
    seen = [7]  # the app's last look at SQLite's data_version
    ahead = planner.reading_ahead(lambda: seen[0])
    ahead.read(planner.event, event_id)
    assert ahead.has_answers
    seen[0] = 8  # another process wrote since
    assert not ahead.has_answers
    with only_answers(), pytest.raises(NotReadAhead):
        planner.event(event_id)
    assert ahead.given == 0


def test_a_new_read_ahead_drops_the_answers_kept_before(planner: Planner) -> None:
    event_id = _event_id(planner)
    first = _ahead(planner)
    first.read(planner.event, event_id)
    second = _ahead(planner)
    assert planner.read_ahead is second and not second.has_answers
    with only_answers(), pytest.raises(NotReadAhead):
        planner.event(event_id)
