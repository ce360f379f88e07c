"""Reminders that leave with the iCalendar export, so that a phone rings too.

`[reminders]` in config.toml:

    [reminders]
    tasks = "09:00"               # a to-do rings at this time on its due day ("" : never)
    task_days_before = 0          # ... or this many days before it
    events = ["1 day"]            # every event rings this long before it starts
    dinner = ["1 week", "1 day"]  # a kind's own list replaces `events` for that kind

Nothing configured: to-dos ring at 09:00 on their due day and events carry no alarm.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import time, timedelta
from typing import Any

from tui.domain.errors import InvalidInput
from tui.domain.models import EVENT_KINDS
from tui.domain.patterns import LazyPattern

MAX_LEADS = 5
"""The most reminders one event may carry."""

MAX_LEAD = timedelta(days=366)
"""The longest lead time a reminder may have."""

_LEAD = LazyPattern(r"^(?P<n>\d{1,4})\s*(?P<unit>minutes?|mins?|m|hours?|h|days?|d|weeks?|w)$")
_UNITS = {"m": timedelta(minutes=1), "h": timedelta(hours=1), "d": timedelta(days=1)}
_UNITS["w"] = timedelta(weeks=1)


def parse_lead(text: str, where: str) -> timedelta:
    """A lead time as written: "30 minutes", "2 hours", "1 day", "1 week"."""
    found = _LEAD.match(" ".join(str(text).lower().split()))
    if found is None:
        raise InvalidInput(f"{where}: {str(text)[:40]!r} is not a lead time such as '1 day'")
    unit = found["unit"]
    lead = int(found["n"]) * _UNITS["m" if unit.startswith("m") else unit[0]]
    if lead > MAX_LEAD:
        raise InvalidInput(f"{where}: at most a year ahead")
    return lead


@dataclass(frozen=True)
class Reminders:
    """When exported to-dos and events ring."""

    task_time: time | None = time(9, 0)
    """The local time a to-do rings on its due day (None: to-dos carry no alarm)."""
    task_days_before: int = 0
    """How many days before its due day a to-do rings."""
    events: tuple[timedelta, ...] = ()
    """How long before it starts every event rings."""
    kinds: Mapping[str, tuple[timedelta, ...]] = field(default_factory=dict)
    """A kind's own lead times, replacing `events` for it."""

    def for_kind(self, kind: str) -> tuple[timedelta, ...]:
        """The lead times of an event of this kind."""
        return self.kinds.get(kind, self.events)

    def task_trigger(self) -> timedelta | None:
        """When a to-do rings relative to the start of its due day (RELATED=END on DUE)."""
        if self.task_time is None:
            return None
        at = timedelta(hours=self.task_time.hour, minutes=self.task_time.minute)
        return at - timedelta(days=self.task_days_before)


def _leads(value: Any, where: str) -> tuple[timedelta, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InvalidInput(f'{where}: expected a list of lead times such as ["1 day"]')
    if len(value) > MAX_LEADS:
        raise InvalidInput(f"{where}: at most {MAX_LEADS} reminders")
    return tuple(sorted({parse_lead(v, where) for v in value}, reverse=True))


def reminders_from(table: Mapping[str, Any], where: str = "reminders") -> Reminders:
    """The [reminders] table, checked; InvalidInput names the key at fault."""
    task_time: time | None = time(9, 0)
    days_before = 0
    events: tuple[timedelta, ...] = ()
    kinds: dict[str, tuple[timedelta, ...]] = {}
    for key, value in table.items():
        spot = f"{where}.{key}"
        if key == "tasks":
            if value in ("", False):
                task_time = None
                continue
            try:
                task_time = time.fromisoformat(str(value))
            except ValueError:
                raise InvalidInput(f'{spot}: expected a time such as "09:00" ("": none)') from None
        elif key == "task_days_before":
            if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 365:
                raise InvalidInput(f"{spot}: expected a whole number of days, 0 to 365")
            days_before = value
        elif key == "events":
            events = _leads(value, spot)
        elif key in EVENT_KINDS:
            kinds[key] = _leads(value, spot)
        else:
            raise InvalidInput(
                f"{spot}: not a reminder setting (tasks, task_days_before, events, or a kind)"
            )
    return Reminders(task_time, days_before, events, kinds)
