"""Turn raw field values (from a file, a form, a command line) into checked model values.

Each function raises InvalidInput naming the field and the value, so the importers, the
editor and the command line all say the same thing about the same mistake.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import fields
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any, TypeVar

from tui.domain.dates import LAST_DAY, in_bounds, parse_date, parse_month, parse_time
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
    TASK_ANCHORS,
    Event,
    Invitation,
    Organisation,
    Person,
    Publication,
    Session,
    Task,
)
from tui.domain.patterns import LazyPattern
from tui.domain.text import clean, clean_line, quoted

AnyRecord = TypeVar("AnyRecord")

MAX_TEXT = 100_000
"""The longest text a field of several lines may hold (a description, notes, a bio)."""
MAX_LINE = 1_000
"""The longest one-line field (a title, a name, a place, an e-mail, a web address)."""
MAX_CAPACITY = 100_000
"""The most guests an event can be planned for."""
MAX_PLUS_ONES = 99
MAX_SPAN_DAYS = 366
"""The longest an event may last (a retreat, a conference series): a year."""
MAX_COUNT = 10_000
"""The most occurrences a repeat rule's COUNT may ask for."""


def text(value: Any, name: str, *, required: bool = False, multiline: bool = False) -> str | None:
    """A text field, cleaned; blank is None (or an error when required)."""
    if value is None or value == "":
        # Most optional fields are empty: said at once (a large import checks millions).
        if required:
            raise InvalidInput(f"{name} is required", value="")
        return None
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        raise InvalidInput(f"{name} must be text, not {type(value).__name__}", value=str(value))
    raw = str(value)
    limit = MAX_TEXT if multiline else MAX_LINE
    if len(raw) > limit:
        raise InvalidInput(
            f"{name} is {len(raw):,} characters long; at most {limit:,} can be saved",
            value=raw[:40],
        )
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
    if value in choices:  # already in its canonical spelling (what we wrote ourselves)
        return str(value)
    wanted = "-".join(str(value).strip().casefold().replace("_", " ").replace("-", " ").split())
    for option in choices:
        if option.casefold().replace(" ", "-") == wanted:
            return option
    raise InvalidInput(
        f"{name} {quoted(str(value))} is not one of: {', '.join(choices)}", value=str(value)
    )


_EMAIL = LazyPattern(r"[^@\s<>(),;:\"\[\]]+@[^@\s<>(),;:\"\[\].][^@\s<>(),;:\"\[\]]*")
_URL = LazyPattern(r"https?://[^\s/?#]+\.[^\s/?#]+(?:[/?#]\S*)?", re.IGNORECASE)
_BARE_DOMAIN = LazyPattern(r"(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)+(?:[/?#]\S*)?", re.IGNORECASE)


def email_value(value: Any, name: str = "email") -> str | None:
    """An e-mail address (name@example.org); anything else is refused."""
    address = text(value, name)
    if address is None:
        return None
    address = address.removeprefix("mailto:").removeprefix("MAILTO:")
    if len(address) > 254 or not _EMAIL.fullmatch(address):
        raise InvalidInput(
            f"{name} {quoted(address[:60])} is not an e-mail address (name@example.org)",
            value=address[:60],
        )
    return address


def url_value(value: Any, name: str = "url") -> str | None:
    """A web address: http(s), or a bare domain taken as https ("gi-toc.org")."""
    address = text(value, name)
    if address is None:
        return None
    if _URL.fullmatch(address):
        return address
    if (
        "://" not in address
        and ":" not in address.split("/")[0]
        and _BARE_DOMAIN.fullmatch(address)
    ):
        return "https://" + address
    raise InvalidInput(
        f"{name} {quoted(address[:60])} is not a web address (https://example.org)",
        value=address[:60],
    )


def date_value(value: Any, name: str, *, day_first: bool = True) -> date | None:
    """A date from a date object or text in any accepted form, within FIRST_DAY..LAST_DAY."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        try:
            return in_bounds(value)
        except InvalidInput as error:
            raise InvalidInput(f"{name}: {error.message}", value=error.value) from None
    if not isinstance(value, str):
        raise InvalidInput(f"{name} must be a date, not {type(value).__name__}", value=str(value))
    try:
        return parse_date(value, day_first=day_first)
    except InvalidInput as error:  # its kind kept (NoSuchDay), the field named
        raise type(error)(f"{name}: {error.message}", value=value) from None


def moment_value(value: Any, name: str) -> datetime | None:
    """A moment with its UTC offset (a TOML offset date-time, or ISO text such as
    "2026-12-04T09:00:00+00:00"), as UTC; a moment without an offset is refused."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip())
        except ValueError:
            raise InvalidInput(
                f"{name} {quoted(value[:40])} is not a moment (2026-12-04T09:00:00+00:00)",
                value=value[:40],
            ) from None
    if not isinstance(value, datetime):
        raise InvalidInput(f"{name} must be a date and time, not {type(value).__name__}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidInput(f"{name} needs its UTC offset (2026-12-04T09:00:00+00:00)")
    return value.astimezone(UTC)


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


def int_value(value: Any, name: str, *, minimum: int = 0, maximum: int = 2**63 - 1) -> int | None:
    """A whole number between `minimum` and `maximum` (SQLite keeps 64 bits at most)."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise InvalidInput(f"{name} must be a whole number", value=str(value))
    raw = str(value).strip()[:40]
    try:
        number = int(str(value).strip()) if not isinstance(value, int) else value
    except ValueError:
        raise InvalidInput(f"{name} {quoted(str(raw))} is not a whole number", value=raw) from None
    if number < minimum:
        raise InvalidInput(f"{name} must be at least {minimum}", value=raw)
    if number > maximum:
        raise InvalidInput(f"{name} {raw} is more than {maximum:,}", value=raw)
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
    raise InvalidInput(f"{name} {quoted(str(value))} is not yes or no", value=str(value))


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
        near = _zone_named_alike(zone)
        hint = f"did you mean {near}?" if near else "e.g. Europe/Vienna"
        raise InvalidInput(f"{name} {quoted(zone)} is not a known time zone ({hint})", value=zone)
    return zone


def _zone_named_alike(zone: str) -> str | None:
    """The known zone whose name differs from `zone` only in case, spaces for underscores
    or a lone city (europe/london, new york, Tokyo); None when there is none, or several."""
    from zoneinfo import available_timezones

    wanted = zone.strip().replace(" ", "_").casefold()
    if not wanted or len(wanted) > 64:
        return None
    names = available_timezones()
    same = [n for n in names if n.casefold() == wanted]
    if len(same) == 1:
        return same[0]
    city = [n for n in names if n.casefold().rsplit("/", 1)[-1] == wanted and "/" in n]
    city = [n for n in city if not n.startswith(("posix/", "right/", "Etc/"))]
    return city[0] if len(city) == 1 else None


def repeat_value(value: Any, start: date, name: str = "repeat") -> str | None:
    """An RRULE ("FREQ=WEEKLY;COUNT=4"), with an optional EXDATE line, within bounds.

    A convening repeats at most daily, once a day (no BYHOUR, BYMINUTE, BYSECOND), with
    INTERVAL and COUNT of at least 1, UNTIL on or after the start and before LAST_DAY,
    and at least one occurrence: a rule that would show on no day is refused, not kept.
    """
    rule = text(value, name, multiline=True)
    if rule is None:
        return None
    if len(rule) > 4_000:
        raise InvalidInput(f"{name} is {len(rule):,} characters long; at most 4,000", value=rule)
    from dateutil.rrule import rrulestr

    # "FREQ=WEEKLY;COUNT=4", or lines "RRULE:..." and "EXDATE:..." (as iCalendar has them).
    lines = [line.strip() for line in rule.upper().splitlines() if line.strip()]
    body = "\n".join(lines) if len(lines) > 1 else lines[0].removeprefix("RRULE:")
    shown = rule[:60]
    too_often = re.search(r"FREQ=(SECONDLY|MINUTELY|HOURLY)", body)
    if too_often:
        every = {"SECONDLY": "second", "MINUTELY": "minute", "HOURLY": "hour"}[too_often.group(1)]
        raise InvalidInput(
            f"{name}: repeats every {every}; a convening repeats daily at most", value=shown
        )
    if re.search(r"BY(HOUR|MINUTE|SECOND)=", body):
        raise InvalidInput(
            f"{name}: BYHOUR, BYMINUTE and BYSECOND are refused; a convening repeats once a day"
            " at most",
            value=shown,
        )
    rrule_line = next(
        (line.removeprefix("RRULE:") for line in lines if not line.startswith("EXDATE")), ""
    )
    _check_rule_parts(rrule_line, name, shown)
    parts = dict(part.split("=", 1) for part in rrule_line.split(";") if "=" in part)
    for key in ("INTERVAL", "COUNT"):
        if key in parts:
            int_value(parts[key], f"{name}: {key}", minimum=1, maximum=MAX_COUNT)
    if parts.get("UNTIL") and parts.get("COUNT"):
        raise InvalidInput(f"{name}: UNTIL and COUNT cannot both be given", value=shown)
    until = _rule_until(parts.get("UNTIL"), name, shown)
    if until is not None and "T" in parts["UNTIL"]:
        # Convener keeps a rule over days: an UNTIL date-time is its day.
        body = body.replace(f"UNTIL={parts['UNTIL']}", f"UNTIL={until.strftime('%Y%m%d')}")
        parts["UNTIL"] = until.strftime("%Y%m%d")
    if until is not None:
        if until < start:
            raise InvalidInput(
                f"{name}: UNTIL {until.isoformat()} is before the start {start.isoformat()}",
                value=shown,
            )
        if until > LAST_DAY:
            raise InvalidInput(
                f"{name}: UNTIL {until.isoformat()} is after {LAST_DAY.year}", value=shown
            )
    try:
        parsed = rrulestr(body, dtstart=datetime.combine(start, time()), forceset=len(lines) > 1)
    except (ValueError, TypeError, IndexError, OverflowError):
        raise InvalidInput(
            f"{name} {quoted(shown)} is not a repeat rule (e.g. FREQ=WEEKLY;COUNT=6)", value=shown
        ) from None
    _check_month_days(parts, name, shown)
    # The first occurrence, looked for within eight years (every leap day comes round):
    # a rule whose every day is excluded, or that ends before its first day, shows on no
    # day and is refused, not kept to vanish from every view.
    horizon = datetime.combine(
        min(LAST_DAY, start.replace(day=1) + timedelta(days=8 * 366)), time()
    )
    try:
        first = parsed.between(datetime.combine(start, time()), horizon, inc=True, count=1)
    except (ValueError, OverflowError):
        first = []
    if not first:
        raise InvalidInput(f"{name} {quoted(shown)} gives no day at all", value=shown)
    return body


_RULE_PARTS = (
    "FREQ",
    "INTERVAL",
    "COUNT",
    "UNTIL",
    "BYDAY",
    "BYMONTHDAY",
    "BYMONTH",
    "BYSETPOS",
    "BYYEARDAY",
    "BYWEEKNO",
    "WKST",
)
_FREQUENCIES = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")


def _check_rule_parts(line: str, name: str, shown: str) -> None:
    """Each part NAME=VALUE of a name a repeat rule has, FREQ among them, said in words
    (dateutil's own words are 'not enough values to unpack')."""
    example = "e.g. FREQ=WEEKLY;COUNT=6"
    seen: set[str] = set()
    for part in filter(None, (piece.strip() for piece in line.split(";"))):
        key, equals, value = part.partition("=")
        if not equals or not key or not value:
            raise InvalidInput(
                f"{name}: {quoted(part[:30])} is not NAME=VALUE ({example})", value=shown
            )
        if key not in _RULE_PARTS:
            raise InvalidInput(
                f"{name}: {key[:30]} is not part of a repeat rule (FREQ, INTERVAL, COUNT,"
                " UNTIL, BYDAY, BYMONTHDAY, BYMONTH, BYSETPOS, …)",
                value=shown,
            )
        if key in seen:
            raise InvalidInput(f"{name}: {key} is given twice", value=shown)
        seen.add(key)
        if key == "FREQ" and value not in _FREQUENCIES:
            raise InvalidInput(
                f"{name}: FREQ={value[:20]}: expected DAILY, WEEKLY, MONTHLY or YEARLY",
                value=shown,
            )
    if "FREQ" not in seen:
        raise InvalidInput(f"{name}: FREQ is missing ({example})", value=shown)


_MONTH_LENGTHS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _check_month_days(parts: Mapping[str, str], name: str, shown: str) -> None:
    """Refuse BYMONTHDAY and BYMONTH that never meet (31 February): no walk needed."""
    if "BYMONTHDAY" not in parts:
        return
    try:
        days = [abs(int(d)) for d in parts["BYMONTHDAY"].split(",") if d]
        months = [int(m) for m in parts.get("BYMONTH", "").split(",") if m] or list(range(1, 13))
    except ValueError:
        return  # rrulestr has said what is wrong with it already
    longest = max((_MONTH_LENGTHS[m - 1] for m in months if 1 <= m <= 12), default=31)
    if days and min(days) > longest:
        raise InvalidInput(f"{name} {quoted(shown)} gives no day at all (no such day in the month)")


def _rule_until(value: str | None, name: str, shown: str) -> date | None:
    """UNTIL's day (a DATE or a DATE-TIME), or None."""
    if not value:
        return None
    match = re.fullmatch(r"(\d{4})(\d{2})(\d{2})(T\d{6}Z?)?", value.strip())
    if match is None:
        raise InvalidInput(f"{name}: UNTIL {quoted(value[:30])} is not a date", value=shown)
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        raise InvalidInput(
            f"{name}: UNTIL {quoted(value[:30])} is not a date", value=shown
        ) from None


def time_exists(day: date, moment: time, zone_name: str) -> bool:
    """Whether the wall-clock time happens on that day in that zone (not in the hour the
    clocks skip when they go forward)."""
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(zone_name)
    local = datetime.combine(day, moment, zone)
    back = local.astimezone(UTC).astimezone(zone)
    return back.replace(tzinfo=None) == local.replace(tzinfo=None)


def check_span(start: date, end: date) -> None:
    """An event may not end before it starts."""
    if end < start:
        raise InvalidInput(
            f"end date {end.isoformat()} is before start date {start.isoformat()}",
            value=end.isoformat(),
        )


def check_times(start_time: time | None, end_time: time | None) -> None:
    """An end time says when something ends only with the time it starts: kept alone, it
    was shown nowhere (the panes and exports give times from the start on)."""
    if end_time is not None and start_time is None:
        raise InvalidInput(
            f"end_time {end_time:%H:%M} needs a start_time too (or leave end_time blank)",
            value=f"{end_time:%H:%M}",
        )


def event_fields(data: Mapping[str, Any], *, day_first: bool = True) -> dict[str, Any]:
    """The checked fields of an event from raw values."""
    start = date_value(data.get("start_date"), "start_date", day_first=day_first)
    if start is None:
        raise InvalidInput("start_date is required")
    end = date_value(data.get("end_date"), "end_date", day_first=day_first) or start
    check_span(start, end)
    if (end - start).days >= MAX_SPAN_DAYS:
        raise InvalidInput(
            f"the event lasts {(end - start).days + 1:,} days;"
            f" at most {MAX_SPAN_DAYS} can be saved",
            value=end.isoformat(),
        )
    start_time = time_value(data.get("start_time"), "start_time")
    end_time = time_value(data.get("end_time"), "end_time")
    check_times(start_time, end_time)
    if start_time and end_time and start == end and end_time < start_time:
        raise InvalidInput(
            f"end_time {end_time:%H:%M} is before start_time {start_time:%H:%M}",
            value=f"{end_time:%H:%M}",
        )
    zone = timezone_value(data.get("timezone"))
    for name, day, moment in (("start time", start, start_time), ("end time", end, end_time)):
        if zone and moment and not time_exists(day, moment, zone):
            # The clocks go forward over it: kept, it read back as another time and fell
            # out of the time grids.
            raise InvalidInput(
                f"{name} {moment:%H:%M} does not exist on {day:%a} {day.day} {day:%b %Y}"
                f" in {zone} (the clocks go forward then): give a time after the change",
                value=f"{moment:%H:%M}",
            )
    return {
        "title": required_text(data.get("title"), "title"),
        "start_date": start,
        "end_date": end,
        "kind": choice(data.get("kind"), "kind", EVENT_KINDS, "other"),
        "status": choice(data.get("status"), "status", EVENT_STATUSES, "planned"),
        "start_time": start_time,
        "end_time": end_time,
        "timezone": zone,
        "location": text(data.get("location"), "location"),
        "venue": text(data.get("venue"), "venue"),
        "program_area": text(data.get("program_area"), "program_area"),
        "access": choice(data.get("access"), "access", ACCESS_LEVELS, "invitation-only"),
        "capacity": int_value(data.get("capacity"), "capacity", maximum=MAX_CAPACITY),
        "repeat": repeat_value(data.get("repeat"), start),
        "summary": text(data.get("summary"), "summary", multiline=True),
        "description": text(data.get("description"), "description", multiline=True),
        "url": url_value(data.get("url"), "url"),
        "notes": text(data.get("notes"), "notes", multiline=True),
        "link_only": bool_value(data.get("link_only"), "link_only"),
    }


def person_fields(data: Mapping[str, Any]) -> dict[str, Any]:
    """The checked fields of a person (the organisation link is resolved by the caller)."""
    return {
        "name": required_text(data.get("name"), "name"),
        "role": text(data.get("role"), "role"),
        "program_area": text(data.get("program_area"), "program_area"),
        "email": email_value(data.get("email"), "email"),
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
        "website": url_value(data.get("website"), "website"),
        "notes": text(data.get("notes"), "notes", multiline=True),
    }


def publication_fields(data: Mapping[str, Any]) -> dict[str, Any]:
    """The checked fields of a publication."""
    return {
        "title": required_text(data.get("title"), "title"),
        "program_area": text(data.get("program_area"), "program_area"),
        "type": text(data.get("type"), "type"),
        "published": month_value(data.get("published"), "published"),
        "url": url_value(data.get("url"), "url"),
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
    check_times(start_time, end_time)
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
        "plus_ones": int_value(data.get("plus_ones"), "plus_ones", maximum=MAX_PLUS_ONES) or 0,
        "dietary": text(data.get("dietary"), "dietary"),
        "access_needs": text(data.get("access_needs"), "access_needs"),
        "interpretation": text(data.get("interpretation"), "interpretation"),
        "travel": text(data.get("travel"), "travel", multiline=True),
        "notes": text(data.get("notes"), "notes", multiline=True),
    }


MAX_TASK_OFFSET = 3660
"""A relative due date is at most about ten years from its event, either way."""


def task_fields(data: Mapping[str, Any], *, day_first: bool = True) -> dict[str, Any]:
    """The checked fields of a planning task: a due date or an offset from the event, not both."""
    due_date = date_value(data.get("due_date"), "due_date", day_first=day_first)
    offset = int_value(
        data.get("due_offset"), "due_offset", minimum=-MAX_TASK_OFFSET, maximum=MAX_TASK_OFFSET
    )
    anchor = choice(data.get("due_anchor"), "due_anchor", TASK_ANCHORS)
    if due_date is not None and offset is not None:
        raise InvalidInput("a task is due on a date or relative to its event, not both")
    if offset is None:
        anchor = None
    elif anchor is None:
        anchor = "start"
    return {
        "title": required_text(data.get("title"), "title"),
        "due_date": due_date,
        "due_offset": offset,
        "due_anchor": anchor,
        "done_on": date_value(data.get("done_on"), "done_on", day_first=day_first),
        "notes": text(data.get("notes"), "notes", multiline=True),
        "position": int_value(data.get("position"), "position", maximum=1_000_000) or 0,
        "watch": _watch(data.get("watch")),
    }


def _watch(value: Any) -> str | None:
    """What a task watches, stored ("replies:14") or in words ("replies after 14 days")."""
    from tui.domain.task_watch import parse_watch

    return parse_watch(text(value, "watch"))


def speaker_role(value: Any) -> str:
    """A session speaker's part: speaker, moderator or presenter."""
    return choice(value, "speaker role", SPEAKER_ROLES, "speaker") or "speaker"


_CHECKS: dict[type[Any], Any] = {}
_NAMES: dict[type[Any], tuple[str, ...]] = {}


def checked(record: AnyRecord) -> AnyRecord:
    """The record with every field checked as a form checks it, whatever it came from.

    The one validation path: the store runs it on every insert and update, so a value read
    from a file, an $EDITOR round trip or a server is held to the same rules as one typed
    in a form (choices in their canonical spelling, lengths, dates, e-mails, web
    addresses, whole numbers and repeat rules within bounds).
    """
    if not _CHECKS:
        _CHECKS.update(
            {
                Event: event_fields,
                Person: person_fields,
                Organisation: organisation_fields,
                Publication: publication_fields,
                Session: session_fields,
                Invitation: invitation_fields,
                Task: task_fields,
            }
        )
    check = _CHECKS.get(type(record))
    if check is None:
        return record
    names = _NAMES.get(type(record))
    if names is None:
        names = _NAMES[type(record)] = tuple(f.name for f in fields(record))  # type: ignore[arg-type]
    values = {name: getattr(record, name) for name in names}
    good = check(values)
    # Every field is in `values`: building the record outright is `replace` without its
    # per-call look-up of the fields (a 100,000-row import checks 200,000 records).
    return type(record)(**{name: good.get(name, values[name]) for name in names})
