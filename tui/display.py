"""Formatting records for the screen: plain strings, never markup, always sanitised."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from rich.text import Text

from tui.domain.dates import MONTH_NAMES, end_reading, runs_through, when_words, zone_info
from tui.domain.models import Event, Occurrence
from tui.domain.text import clean, clean_line


def safe(text: str | None) -> Text:
    """User text as a Rich Text: never parsed as markup, control characters replaced."""
    return Text(clean(text or ""))


def safe_line(text: str | None) -> str:
    """User text for a one-line label (pair with markup=False or Text)."""
    return clean_line(text or "")


def time_span(start: time | None, end: time | None) -> str:
    """'09:30–13:00', '09:30', or '' when there are no times."""
    if start is None:
        return ""
    return f"{start:%H:%M}–{end:%H:%M}" if end else f"{start:%H:%M}"


def officer_zone(name: str | None) -> tzinfo:
    """The officer's own zone: the configured one, else the computer's (by its IANA name
    where it can be told: today's fixed offset would be wrong for the other half of a
    year with summer time)."""
    from tui.domain.dates import computer_zone_name

    for candidate in (name, computer_zone_name()):
        if candidate:
            try:
                return ZoneInfo(candidate)
            except (ZoneInfoNotFoundError, ValueError):
                pass
    local = datetime.now().astimezone().tzinfo
    assert local is not None
    return local


def zone_label(zone: tzinfo) -> str:
    """'Europe/Vienna', or the abbreviation the computer gives its own zone."""
    return getattr(zone, "key", None) or datetime.now(zone).tzname() or "local"


def _event_start(occurrence: Occurrence) -> datetime | None:
    """When the occurrence starts, aware in the event's own zone (None: no zone or time)."""
    event = occurrence.event
    if not event.timezone or event.start_time is None:
        return None
    try:
        zone = zone_info(event.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return datetime.combine(occurrence.start_date, event.start_time, zone)


def _elsewhere(start: datetime, own_zone: tzinfo) -> bool:
    """True when the officer's clock reads differently from the event's at `start`."""
    return (
        zone_label(own_zone) != getattr(start.tzinfo, "key", None)
        and start.astimezone(own_zone).utcoffset() != start.utcoffset()
    )


def when_lines(occurrence: Occurrence, own_zone: tzinfo) -> list[str]:
    """The event's dates and times in its zone, then in the officer's own zone when different."""
    event = occurrence.event
    first, last = occurrence.start_date, occurrence.end_date
    lines = [when_words(first, last, event.start_time, event.end_time)]
    if event.start_time is not None and event.timezone:
        lines[0] += f" {event.timezone}"
    own_start = _event_start(occurrence)
    if own_start is None or not _elsewhere(own_start, own_zone):
        return lines
    start = own_start.astimezone(own_zone)
    local = f"{start:%a} {start.day} {MONTH_NAMES[start.month - 1][:3]} {start:%H:%M}"
    if event.end_time:
        end = own_start.replace(hour=event.end_time.hour, minute=event.end_time.minute)
        if runs_through(first, last, event.start_time, event.end_time):
            end += last - first  # on its last day (a dinner past midnight: the next)
        elif event.start_time is not None and event.end_time < event.start_time:
            end += timedelta(days=1)  # past midnight where it is held
        local += end_reading(start, end.astimezone(own_zone))
    lines.append(f"your time: {local} ({zone_label(own_zone)})")
    return lines


def zone_mark(occurrence: Occurrence, own_zone: tzinfo) -> str:
    """The abbreviation of the event's zone ('EST') when the officer's clock reads its
    time differently; '' when it reads the same, or the event has no zone or time."""
    start = _event_start(occurrence)
    if start is None or not _elsewhere(start, own_zone):
        return ""
    return start.tzname() or ""


TIME_COLUMN = 9
"""The agenda list's time column ('09:00' or 'all day' and the space after it)."""


def agenda_line(
    occurrence: Occurrence, day: date | None = None, mark: str = "", column: int = TIME_COLUMN
) -> Text:
    """One line of the agenda list: date, time, title, place.

    The time is the event's own (as everywhere in the lists); `mark` (see zone_mark) says
    when that is not the officer's clock ('09:00 CET'). `column`: the time column's width,
    the same for every line of a list so that the titles line up."""
    event = occurrence.event
    line = Text(no_wrap=True, overflow="ellipsis")
    if day is None:
        line.append(f"{occurrence.start_date:%a %d %b}  ", style="dim")
    times = time_span(event.start_time, None) or "all day"
    line.append(times, style="bold" if event.start_time else "dim")
    if mark:
        line.append(f" {mark}", style="dim")
    line.append(" " * max(1, column - len(times) - (len(mark) + 1 if mark else 0)))
    off = event.status in ("cancelled", "postponed")
    # Struck through as the week grid has it: in a narrow pane the "[cancelled]" after
    # the title is cut off, and the event looked as on as any other.
    line.append(safe_line(event.title), style="dim strike" if off else "")
    if occurrence.end_date != occurrence.start_date:
        line.append(f"  (until {occurrence.end_date:%a %d %b})", style="dim")
    if off:
        line.append(f"  [{event.status}]", style="italic")
    return line


def event_title(event: Event) -> str:
    """The title, sanitised, for headings."""
    return safe_line(event.title)
