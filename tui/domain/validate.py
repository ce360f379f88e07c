"""Turn raw field values (from a file, a form, a command line) into checked model values.

Each function raises InvalidInput naming the field and the value, so the importers, the
editor and the command line all say the same thing about the same mistake.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime, time
from functools import lru_cache
from typing import Any

from tui.domain.dates import parse_date, parse_month, parse_time
from tui.domain.errors import InvalidInput
from tui.domain.models import (
    ACCESS_LEVELS,
    EVENT_KINDS,
    EVENT_STATUSES,
    INVITATION_ROLES,
    INVITATION_STATUSES,
    ORGANISATION_KINDS,
    RESPONSE_VIA,
    SPEAKER_ROLES,
)
from tui.domain.text import clean, clean_line

MAX_TEXT = 100_000
"""The longest text a field may hold (a description); longer is refused, not cut."""


def text(value: Any, name: str, *, required: bool = False, multiline: bool = False) -> str | None:
    """A text field, cleaned; blank is None (or an error when required)."""
    if value is None:
        value = ""
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        raise InvalidInput(f"{name} must be text, not {type(value).__name__}", value=str(value))
    raw = str(value)
    if len(raw) > MAX_TEXT:
        raise InvalidInput(f"{name} is longer than {MAX_TEXT} characters", value=raw[:40])
    cleaned = clean(raw).strip() if multiline else clean_line(raw)
    if not cleaned:
        if required:
            raise InvalidInput(f"{name} is required", value=raw)
        return None
    return cleaned


def required_text(value: Any, name: str) -> str:
    """A text field that may not be blank."""
    result = text(value, name, required=True)
    assert result is not None
    return result


def choice(
    value: Any, name: str, choices: tuple[str, ...], default: str | None = None
) -> str | None:
    """One of `choices`, matched without regard to case, spaces or underscores."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return default
    wanted = str(value).strip().casefold().replace("_", "-")
    for option in choices:
        if option.casefold() == wanted or option.casefold().replace(" ", "-") == wanted:
            return option
    raise InvalidInput(
        f"{name} {str(value)!r} is not one of: {', '.join(choices)}", value=str(value)
    )


def date_value(value: Any, name: str, *, day_first: bool = True) -> date | None:
    """A date from a date object or text in any accepted form."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise InvalidInput(f"{name} must be a date, not {type(value).__name__}", value=str(value))
    try:
        return parse_date(value, day_first=day_first)
    except InvalidInput as error:
        raise InvalidInput(f"{name}: {error.message}", value=value) from None


def time_value(value: Any, name: str) -> time | None:
    """A time of day from a time object or text ("9:30", "2pm")."""
    if value is None or value == "":
        return None
    if isinstance(value, time):
        return value.replace(second=0, microsecond=0, tzinfo=None)
    if not isinstance(value, str):
        raise InvalidInput(f"{name} must be a time, not {type(value).__name__}", value=str(value))
    try:
        return parse_time(value)
    except InvalidInput as error:
        raise InvalidInput(f"{name}: {error.message}", value=value) from None


def month_value(value: Any, name: str) -> str | None:
    """A YYYY-MM month from "June 2024", "2024-06" or a date."""
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return f"{value.year:04d}-{value.month:02d}"
    try:
        return parse_month(str(value))
    except InvalidInput as error:
        raise InvalidInput(f"{name}: {error.message}", value=str(value)) from None


def int_value(value: Any, name: str, *, minimum: int = 0) -> int | None:
    """A whole number no smaller than `minimum`."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise InvalidInput(f"{name} must be a whole number", value=str(value))
    try:
        number = int(str(value).strip()) if not isinstance(value, int) else value
    except ValueError:
        raise InvalidInput(f"{name} {value!r} is not a whole number", value=str(value)) from None
    if number < minimum:
        raise InvalidInput(f"{name} must be at least {minimum}", value=str(value))
    return number


def bool_value(value: Any, name: str) -> bool:
    """true/false, yes/no, 1/0."""
    if isinstance(value, bool):
        return value
    if value is None or value == "":
        return False
    lowered = str(value).strip().lower()
    if lowered in ("true", "yes", "y", "1"):
        return True
    if lowered in ("false", "no", "n", "0"):
        return False
    raise InvalidInput(f"{name} {value!r} is not yes or no", value=str(value))


@lru_cache(maxsize=512)
def _zone_exists(name: str) -> bool:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(name)
    # "Europe" names a folder of the zone database: IsADirectoryError, an OSError.
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


def timezone_value(value: Any, name: str = "timezone") -> str | None:
    """An IANA time zone name ("Europe/Vienna"); unknown names are an error, never ignored."""
    zone = text(value, name)
    if zone is None:
        return None
    if not _zone_exists(zone):
        raise InvalidInput(
            f"{name} {zone!r} is not a known time zone (e.g. Europe/Vienna)", value=zone
        )
    return zone


def repeat_value(value: Any, start: date, name: str = "repeat") -> str | None:
    """An RRULE ("FREQ=WEEKLY;COUNT=4"), checked by expanding its first occurrence."""
    rule = text(value, name, multiline=True)
    if rule is None:
        return None
    from dateutil.rrule import rrulestr

    # "FREQ=WEEKLY;COUNT=4", or lines "RRULE:..." and "EXDATE:..." (as iCalendar has them).
    lines = [line.strip() for line in rule.upper().splitlines() if line.strip()]
    body = "\n".join(lines) if len(lines) > 1 else lines[0].removeprefix("RRULE:")
    try:
        rrulestr(body, dtstart=datetime.combine(start, time()), forceset=len(lines) > 1)
    except (ValueError, TypeError, IndexError) as error:
        raise InvalidInput(f"{name} {rule!r} is not a repeat rule: {error}", value=rule) from None
    too_often = re.search(r"FREQ=(SECONDLY|MINUTELY|HOURLY)", body)
    if too_often:
        every = {"SECONDLY": "second", "MINUTELY": "minute", "HOURLY": "hour"}[too_often.group(1)]
        raise InvalidInput(
            f"{name}: repeats every {every}; a convening repeats daily at most", value=rule
        )
    return body


def check_span(start: date, end: date) -> None:
    """An event may not end before it starts."""
    if end < start:
        raise InvalidInput(
            f"end date {end.isoformat()} is before start date {start.isoformat()}",
            value=end.isoformat(),
        )


def event_fields(data: Mapping[str, Any], *, day_first: bool = True) -> dict[str, Any]:
    """The checked fields of an event from raw values."""
    start = date_value(data.get("start_date"), "start_date", day_first=day_first)
    if start is None:
        raise InvalidInput("start_date is required")
    end = date_value(data.get("end_date"), "end_date", day_first=day_first) or start
    check_span(start, end)
    start_time = time_value(data.get("start_time"), "start_time")
    end_time = time_value(data.get("end_time"), "end_time")
    if start_time and end_time and start == end and end_time < start_time:
        raise InvalidInput(
            f"end_time {end_time:%H:%M} is before start_time {start_time:%H:%M}",
            value=f"{end_time:%H:%M}",
        )
    return {
        "title": required_text(data.get("title"), "title"),
        "start_date": start,
        "end_date": end,
        "kind": choice(data.get("kind"), "kind", EVENT_KINDS, "other"),
        "status": choice(data.get("status"), "status", EVENT_STATUSES, "planned"),
        "start_time": start_time,
        "end_time": end_time,
        "timezone": timezone_value(data.get("timezone")),
        "location": text(data.get("location"), "location"),
        "venue": text(data.get("venue"), "venue"),
        "program_area": text(data.get("program_area"), "program_area"),
        "access": choice(data.get("access"), "access", ACCESS_LEVELS, "invitation-only"),
        "capacity": int_value(data.get("capacity"), "capacity"),
        "repeat": repeat_value(data.get("repeat"), start),
        "summary": text(data.get("summary"), "summary", multiline=True),
        "description": text(data.get("description"), "description", multiline=True),
        "url": text(data.get("url"), "url"),
        "notes": text(data.get("notes"), "notes", multiline=True),
        "link_only": bool_value(data.get("link_only"), "link_only"),
    }


def person_fields(data: Mapping[str, Any]) -> dict[str, Any]:
    """The checked fields of a person (the organisation link is resolved by the caller)."""
    return {
        "name": required_text(data.get("name"), "name"),
        "role": text(data.get("role"), "role"),
        "program_area": text(data.get("program_area"), "program_area"),
        "email": text(data.get("email"), "email"),
        "phone": text(data.get("phone"), "phone"),
        "bio": text(data.get("bio"), "bio", multiline=True),
        "notes": text(data.get("notes"), "notes", multiline=True),
        "is_staff": bool_value(data.get("is_staff"), "is_staff"),
    }


def organisation_fields(data: Mapping[str, Any]) -> dict[str, Any]:
    """The checked fields of an organisation."""
    return {
        "name": required_text(data.get("name"), "name"),
        "short_name": text(data.get("short_name"), "short_name"),
        "kind": choice(data.get("kind"), "kind", ORGANISATION_KINDS),
        "website": text(data.get("website"), "website"),
        "notes": text(data.get("notes"), "notes", multiline=True),
    }


def publication_fields(data: Mapping[str, Any]) -> dict[str, Any]:
    """The checked fields of a publication."""
    return {
        "title": required_text(data.get("title"), "title"),
        "program_area": text(data.get("program_area"), "program_area"),
        "type": text(data.get("type"), "type"),
        "published": month_value(data.get("published"), "published"),
        "url": text(data.get("url"), "url"),
        "summary": text(data.get("summary"), "summary", multiline=True),
        "link_only": bool_value(data.get("link_only"), "link_only"),
    }


def session_fields(data: Mapping[str, Any], *, day_first: bool = True) -> dict[str, Any]:
    """The checked fields of an agenda session (event and speakers resolved by the caller)."""
    day = date_value(data.get("date"), "date", day_first=day_first)
    if day is None:
        raise InvalidInput("date is required")
    start_time = time_value(data.get("start_time"), "start_time")
    end_time = time_value(data.get("end_time"), "end_time")
    if start_time and end_time and end_time < start_time:
        raise InvalidInput(
            f"end_time {end_time:%H:%M} is before start_time {start_time:%H:%M}",
            value=f"{end_time:%H:%M}",
        )
    return {
        "date": day,
        "title": required_text(data.get("title"), "title"),
        "start_time": start_time,
        "end_time": end_time,
        "description": text(data.get("description"), "description", multiline=True),
        "room": text(data.get("room"), "room"),
    }


def invitation_fields(data: Mapping[str, Any], *, day_first: bool = True) -> dict[str, Any]:
    """The checked fields of a guest-list line (event and person resolved by the caller)."""
    return {
        "status": choice(data.get("status"), "status", INVITATION_STATUSES, "to-invite"),
        "role": choice(data.get("role"), "role", INVITATION_ROLES, "participant"),
        "invited_on": date_value(data.get("invited_on"), "invited_on", day_first=day_first),
        "responded_on": date_value(data.get("responded_on"), "responded_on", day_first=day_first),
        "response_via": choice(data.get("response_via"), "response_via", RESPONSE_VIA),
        "plus_ones": int_value(data.get("plus_ones"), "plus_ones") or 0,
        "dietary": text(data.get("dietary"), "dietary"),
        "access_needs": text(data.get("access_needs"), "access_needs"),
        "interpretation": text(data.get("interpretation"), "interpretation"),
        "travel": text(data.get("travel"), "travel", multiline=True),
        "notes": text(data.get("notes"), "notes", multiline=True),
    }


def speaker_role(value: Any) -> str:
    """A session speaker's part: speaker, moderator or presenter."""
    return choice(value, "speaker role", SPEAKER_ROLES, "speaker") or "speaker"
