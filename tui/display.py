"""Formatting records for the screen: plain strings, never markup, always sanitised."""

from __future__ import annotations

from datetime import date, datetime, time, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from rich.text import Text

from tui.domain.dates import MONTH_NAMES, format_span
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
    """The officer's own zone: the configured one, else the computer's."""
    if name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    local = datetime.now().astimezone().tzinfo
    assert local is not None
    return local


def zone_label(zone: tzinfo) -> str:
    """'Europe/Vienna', or the abbreviation the computer gives its own zone."""
    return getattr(zone, "key", None) or datetime.now(zone).tzname() or "local"


def when_lines(occurrence: Occurrence, own_zone: tzinfo) -> list[str]:
    """The event's dates and times in its zone, then in the officer's own zone when different."""
    event = occurrence.event
    lines = [format_span(occurrence.start_date, occurrence.end_date)]
    times = time_span(event.start_time, event.end_time)
    if times:
        lines[0] += f", {times}"
        if event.timezone:
            lines[0] += f" {event.timezone}"
    if event.timezone and event.start_time:
        try:
            zone = ZoneInfo(event.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            return lines
        start = datetime.combine(occurrence.start_date, event.start_time, zone).astimezone(own_zone)
        local = f"{start:%a} {start.day} {MONTH_NAMES[start.month - 1][:3]} {start:%H:%M}"
        if event.end_time:
            end = datetime.combine(occurrence.start_date, event.end_time, zone).astimezone(own_zone)
            local += f"–{end:%H:%M}"
        if (
            zone_label(own_zone) != event.timezone
            and start.utcoffset()
            != datetime.combine(occurrence.start_date, event.start_time, zone).utcoffset()
        ):
            lines.append(f"your time: {local} ({zone_label(own_zone)})")
    return lines


def agenda_line(occurrence: Occurrence, day: date | None = None) -> Text:
    """One line of the agenda list: date, time, title, place."""
    event = occurrence.event
    line = Text(no_wrap=True, overflow="ellipsis")
    if day is None:
        line.append(f"{occurrence.start_date:%a %d %b}  ", style="dim")
    times = time_span(event.start_time, None) or "all day"
    line.append(f"{times:<8}", style="bold" if event.start_time else "dim")
    line.append(" ")
    line.append(safe_line(event.title))
    if occurrence.end_date != occurrence.start_date:
        line.append(f"  (until {occurrence.end_date:%a %d %b})", style="dim")
    if event.status in ("cancelled", "postponed"):
        line.append(f"  [{event.status}]", style="italic")
    return line


def event_title(event: Event) -> str:
    """The title, sanitised, for headings."""
    return safe_line(event.title)
