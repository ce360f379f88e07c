"""The first screen's reads, made before the app's modules are imported (issue 24).

The calendar opens on the week of today with the saved filter, its first event selected
(the guest list, the event and its related items beside it). Those reads are made here,
before Textual loads (see tui.domain.read_ahead); the panes' own reads then find their
answers waiting, and are made at once rather than on worker threads while the first
screen waits for them (see NewestOnly). Nothing here imports Textual."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui.config import Settings
from tui.domain.dates import grid_window, week_of
from tui.domain.filters import EventFilter
from tui.domain.mail.spool import outbox_beside
from tui.domain.models import ItemRef
from tui.domain.planner import Planner
from tui.domain.planner.calendar import first_to_select

if TYPE_CHECKING:
    from tui.domain.read_ahead import ReadAhead


def read_ahead(planner: Planner, settings: Settings) -> ReadAhead | None:
    """Make the calendar's first reads; None when the app opens on another screen. A read
    that fails is left to the pane, which says what went wrong as it always does."""
    if settings.start_screen != "calendar":
        return None
    ahead = planner.reading_ahead()
    try:
        _first_screen(planner, settings, ahead)
    except Exception:  # the pane's own read meets it again, and reports it
        pass
    return ahead


def _first_screen(planner: Planner, settings: Settings, ahead: ReadAhead) -> None:
    """What the calendar and its panes read for their first frame, with the same arguments
    (see CalendarPane.on_mount, EventPane.load_details, GuestList._read and
    RelatedPane._read)."""
    day = planner.today()
    window, shown = grid_window(day, settings.first_weekday), week_of(day, settings.first_weekday)
    event_filter = EventFilter.from_mapping(settings.filters)
    occurrences, _ = ahead.read(planner.glance, window, shown, event_filter)
    index = first_to_select(occurrences, day)
    if index is None:
        return
    event_id = occurrences[index].event.id
    assert event_id is not None
    read_panes(planner, ahead, event_id)


def read_panes(planner: Planner, ahead: ReadAhead, event_id: int) -> None:
    """What the panes beside the calendar read for an event (EventPane.load_details,
    GuestList._read, RelatedPane._read), read ahead: the first screen's selection, and
    the selections the next key would make (MainScreen._read_neighbours)."""
    ahead.read(planner.event_details, event_id)
    ahead.read(planner.event, event_id)
    ahead.read(planner.guest_lines, event_id)
    outbox = outbox_beside(planner.database_path)
    ahead.read(planner.outbox_state, outbox)
    ahead.read(planner.subject, ItemRef("event", event_id))
