"""The upcoming pipeline: every coming convening with its days to go and its replies."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from tui.domain.guests import ACCEPTED, PENDING
from tui.domain.models import Occurrence
from tui.domain.tasks import DueTask, is_overdue

if TYPE_CHECKING:
    from tui.domain.filters import EventFilter
    from tui.domain.planner import Planner

HORIZON_DAYS = 366
"""How far ahead the pipeline looks."""
LIMIT = 500
"""The most lines it shows (the nearest first)."""


@dataclass(frozen=True)
class PipelineRow:
    """One coming convening: when, how soon, and where its guest list stands."""

    occurrence: Occurrence
    days_to_go: int
    """0 today (or already running), 1 tomorrow ..."""
    counts: dict[str, int]
    """Guest-list lines per status."""
    next_task: DueTask | None = None
    """The event's open planning task due soonest (overdue ones first)."""
    overdue: int = 0
    """How many of its open tasks are past their due day."""

    @property
    def accepted(self) -> int:
        """Guests who said yes (attended counts as yes)."""
        return sum(self.counts.get(status, 0) for status in ACCEPTED)

    @property
    def pending(self) -> int:
        """Guests whose reply is still awaited (to invite, or invited)."""
        return sum(self.counts.get(status, 0) for status in PENDING)

    @property
    def invited(self) -> int:
        """Every line of the guest list."""
        return sum(self.counts.values())

    @property
    def capacity(self) -> int | None:
        """The event's capacity."""
        return self.occurrence.event.capacity


@dataclass(frozen=True)
class Pipeline:
    """The rows shown and how many coming convenings there are in all."""

    rows: list[PipelineRow]
    total: int
    until: date
    first: int = 0
    """Where the rows shown begin among all the coming ones (0: the nearest first)."""


def upcoming(
    planner: Planner,
    event_filter: EventFilter | None = None,
    *,
    horizon_days: int = HORIZON_DAYS,
    limit: int = LIMIT,
    from_day: date | None = None,
    last: bool = False,
) -> Pipeline:
    """Coming convenings from today (running ones included), by date, through the filter:
    the first `limit` of them, or those from the first running on or after `from_day`,
    or (`last`) the last `limit`.

    Only the horizon's range is read (the calendar's indexed range query), and guest counts
    are read for the rows shown only, in one grouped query per 500 events.
    """
    today = planner.today()
    until = today + timedelta(days=horizon_days)
    found = [
        o for o in planner.occurrences_between(today, until, event_filter) if o.end_date >= today
    ]
    first = 0
    if last:
        first = max(0, len(found) - limit)
    elif from_day is not None:
        first = next((i for i, o in enumerate(found) if o.end_date >= from_day), len(found))
        first = max(0, min(first, len(found) - limit))
    shown = found[first : first + limit]
    ids = sorted({o.event.id for o in shown if o.event.id is not None})
    counts = planner.invitation_counts(ids)
    # Open tasks due up to the horizon, one query for all events; each row takes its own.
    tasks: dict[int, list[DueTask]] = {}
    for item in planner.due(horizon_days, today=today):
        tasks.setdefault(item.event.id or -1, []).append(item)
    rows = []
    for o in shown:
        # A series' tasks are the series' own: they go with its next occurrence only, so
        # the ⚠ of four weekly rows does not count the same overdue tasks four times.
        own = tasks.pop(o.event.id or -1, [])
        rows.append(
            PipelineRow(
                o,
                max(0, (o.start_date - today).days),
                counts.get(o.event.id or -1, {}),
                own[0] if own else None,
                sum(1 for item in own if is_overdue(item.due, today)),
            )
        )
    return Pipeline(rows, len(found), until, first)


def rsvp_cells(row: PipelineRow, width: int) -> list[tuple[str, int]]:
    """The RSVP bar as (part, cells): accepted, tentative, pending, declined, then room left.

    Against the capacity when there is one (room left is the free places), else against
    the whole guest list.
    """
    whole = row.capacity or row.invited
    if width <= 0 or whole <= 0:
        return [("empty", max(0, width))]
    parts = [
        ("accepted", row.accepted),
        ("tentative", row.counts.get("tentative", 0)),
        ("pending", row.pending),
        ("declined", row.counts.get("declined", 0) if not row.capacity else 0),
    ]
    cells: list[tuple[str, int]] = []
    used = 0
    for part, count in parts:
        size = min(width - used, round(count * width / max(whole, 1)))
        if count and size == 0 and used < width:
            size = 1  # a part that exists is never invisible
        if size > 0:
            cells.append((part, size))
            used += size
    if used < width:
        cells.append(("empty", width - used))
    return cells
