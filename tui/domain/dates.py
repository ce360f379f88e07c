"""Dates and times as officers write them.

ISO dates, "June 12, 2024", "12 Jun 2024", "12/06/2024" (day or month first, as configured),
and the ranges event pages use: "February 4-6, 2020", "October 30-November 1, 2019",
"December 30, 2019-January 2, 2020". Ranges are parsed here by pattern, never by
dateutil's fuzzy mode, which reads "February 4-6, 2020" as 2006-02-04 20:20.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tui.domain.errors import InvalidInput, NoSuchDay
from tui.domain.patterns import LazyPattern

MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    [
        ("january", "jan"),
        ("february", "feb"),
        ("march", "mar"),
        ("april", "apr"),
        ("may",),
        ("june", "jun"),
        ("july", "jul"),
        ("august", "aug"),
        ("september", "sep", "sept"),
        ("october", "oct"),
        ("november", "nov"),
        ("december", "dec"),
    ],
    start=1,
):
    for _name in _names:
        MONTHS[_name] = _number

MONTH_NAMES = (
    "January February March April May June July August September October November December"
).split()

_MONTH = r"(?P<{}>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DASH = r"\s*[-\u2010-\u2015]\s*"

# "February 4-6, 2020"
_RANGE_SAME_MONTH = LazyPattern(
    _MONTH.format("m1") + r"\s+(?P<d1>\d{1,2})" + _DASH + r"(?P<d2>\d{1,2}),?\s+(?P<y>\d{4})$",
    re.IGNORECASE,
)
# "October 30-November 1, 2019"
_RANGE_TWO_MONTHS = LazyPattern(
    _MONTH.format("m1")
    + r"\s+(?P<d1>\d{1,2})"
    + _DASH
    + _MONTH.format("m2")
    + r"\s+(?P<d2>\d{1,2}),?\s+(?P<y>\d{4})$",
    re.IGNORECASE,
)
# "December 30, 2019-January 2, 2020"
_RANGE_TWO_YEARS = LazyPattern(
    _MONTH.format("m1")
    + r"\s+(?P<d1>\d{1,2}),?\s+(?P<y1>\d{4})"
    + _DASH
    + _MONTH.format("m2")
    + r"\s+(?P<d2>\d{1,2}),?\s+(?P<y2>\d{4})$",
    re.IGNORECASE,
)
# "June 12, 2024" / "June 12 2024"
_MONTH_DAY_YEAR = LazyPattern(
    _MONTH.format("m") + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>\d{4})$", re.IGNORECASE
)
# "12 June 2024" / "12 Jun, 2024"
_DAY_MONTH_YEAR = LazyPattern(
    r"(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH.format("m") + r",?\s+(?P<y>\d{4})$",
    re.IGNORECASE,
)
# "June 12" / "12 June": the year is the reference year
_MONTH_DAY = LazyPattern(_MONTH.format("m") + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?$", re.IGNORECASE)
_DAY_MONTH = LazyPattern(
    r"(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH.format("m") + "$", re.IGNORECASE
)
_ISO = LazyPattern(r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})$")
_NUMERIC = LazyPattern(r"(?P<a>\d{1,2})[/.](?P<b>\d{1,2})[/.](?P<y>\d{4})$")
# "June 2024", "Jun 2024": a month of a year (publications)
_MONTH_YEAR = LazyPattern(_MONTH.format("m") + r",?\s+(?P<y>\d{4})$", re.IGNORECASE)

_RELATIVE = {"today": 0, "tomorrow": 1, "yesterday": -1}
WEEKDAY_WORDS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY = r"(?P<wd>" + "|".join(WEEKDAY_WORDS) + "|" + "|".join(w[:3] for w in WEEKDAY_WORDS) + ")"
# "next monday", "last fri", "this friday", "monday"
_WEEKDAY_REL = LazyPattern(r"(?:(?P<which>next|last|this)\s+)?" + _WEEKDAY + r"$", re.IGNORECASE)
# "+2w", "-3d", "+1m", "+1y", "in 3 days", "2 weeks ago", "next week", "last month"
_OFFSET = LazyPattern(r"(?P<sign>[+-])\s*(?P<n>\d{1,9})\s*(?P<unit>d|w|m|y)$", re.IGNORECASE)
_IN_UNITS = LazyPattern(r"in\s+(?P<n>\d{1,9})\s+(?P<unit>day|week|month|year)s?$", re.IGNORECASE)
_UNITS_AGO = LazyPattern(r"(?P<n>\d{1,9})\s+(?P<unit>day|week|month|year)s?\s+ago$", re.IGNORECASE)
_NEXT_UNIT = LazyPattern(r"(?P<which>next|last)\s+(?P<unit>week|month|year)$", re.IGNORECASE)


def _shift(reference: date, count: int, unit: str, text: str) -> date:
    unit = unit[0].lower()
    try:
        if unit == "d":
            return reference + timedelta(days=count)
        if unit == "w":
            return reference + timedelta(weeks=count)
        return add_months(reference, count * (12 if unit == "y" else 1))
    except (OverflowError, ValueError):
        raise InvalidInput(f"{text!r} is beyond the calendar", value=text) from None


def parse_relative(text: str, today: date) -> date | None:
    """ "next monday", "+2w", "-3d", "in 2 weeks", "3 days ago", "next month"; None if not one.

    A bare weekday ("friday") is the next such day from today on (today itself counts);
    "next friday" is the first one after today, "last friday" the one before today.
    """
    raw = _normalise(text)
    lowered = raw.lower()
    if lowered in _RELATIVE:
        return today + timedelta(days=_RELATIVE[lowered])
    if match := _WEEKDAY_REL.match(raw):
        name = match["wd"].lower()
        target = next(i for i, w in enumerate(WEEKDAY_WORDS) if w.startswith(name))
        which = (match["which"] or "").lower()
        if which == "last":
            back = (today.weekday() - target) % 7 or 7
            return today - timedelta(days=back)
        ahead = (target - today.weekday()) % 7
        if which == "next" and ahead == 0:
            ahead = 7
        return today + timedelta(days=ahead)
    if match := _OFFSET.match(raw):
        count = int(match["n"]) * (-1 if match["sign"] == "-" else 1)
        return _shift(today, count, match["unit"], raw)
    if match := _IN_UNITS.match(raw):
        return _shift(today, int(match["n"]), match["unit"], raw)
    if match := _UNITS_AGO.match(raw):
        return _shift(today, -int(match["n"]), match["unit"], raw)
    if match := _NEXT_UNIT.match(raw):
        return _shift(today, 1 if match["which"].lower() == "next" else -1, match["unit"], raw)
    return None


def _normalise(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2200, 12, 31)
"""The dates Convener keeps: a convening, a reply or a publication falls between these."""


def in_bounds(day: date, text: str | None = None) -> date:
    """The day itself, or InvalidInput when it is outside FIRST_DAY..LAST_DAY."""
    if not FIRST_DAY <= day <= LAST_DAY:
        shown = text if text is not None else day.isoformat()
        raise InvalidInput(
            f"{shown[:40]!r} is outside the years {FIRST_DAY.year}-{LAST_DAY.year}",
            value=shown[:40],
        )
    return day


def _make(year: int, month: int, day: int, text: str) -> date:
    try:
        made = date(year, month, day)
    except ValueError:
        raise NoSuchDay(f"{text[:40]!r} is not a date on the calendar", value=text) from None
    return in_bounds(made, text)


_counted_from: Callable[[], date] | None = None
"""Where "today", "tomorrow", "friday" and a date without a year count from when no day
is given: the running program's clock (CONVENER_TODAY), else the computer's."""


def reference_day() -> date:
    """Today as the running program has it (see counting_from)."""
    return _counted_from() if _counted_from is not None else date.today()


@contextmanager
def counting_from(today: Callable[[], date]) -> Iterator[None]:
    """While inside, dates typed in words count from `today` (the planner's clock): a
    form's "tomorrow" on a day fixed by CONVENER_TODAY is the day after that day, as
    the calendar's `g tomorrow` is, not the computer's."""
    global _counted_from
    before, _counted_from = _counted_from, today
    try:
        yield
    finally:
        _counted_from = before


def parse_date(text: str, *, day_first: bool = True, today: date | None = None) -> date:
    """Parse one date as officers write it; raise InvalidInput naming the text otherwise.

    Args:
        day_first: how "12/06/2024" reads (12 June when true, December 6 when false).
        today: the reference for "today", "tomorrow" and a date typed without a year.
    """
    raw = _normalise(text)
    reference = today or reference_day()
    if not raw:
        raise InvalidInput("a date is needed (e.g. 2024-06-12 or June 12, 2024)", value=text)
    if (relative := parse_relative(raw, reference)) is not None:
        return in_bounds(relative, raw)
    if match := _ISO.match(raw):
        return _make(int(match["y"]), int(match["m"]), int(match["d"]), raw)
    if match := _MONTH_DAY_YEAR.match(raw) or _DAY_MONTH_YEAR.match(raw):
        return _make(int(match["y"]), MONTHS[match["m"].lower()], int(match["d"]), raw)
    if match := _MONTH_DAY.match(raw) or _DAY_MONTH.match(raw):
        return _make(reference.year, MONTHS[match["m"].lower()], int(match["d"]), raw)
    if match := _NUMERIC.match(raw):
        first, second = int(match["a"]), int(match["b"])
        day, month = (first, second) if day_first else (second, first)
        if month > 12 and day <= 12:
            # 12/15/2026 read day-first: the other order is a date, so say which is in use.
            order = "day-first" if day_first else "month-first"
            raise InvalidInput(
                f"{raw[:40]!r} has no month {month}: dates are read {order} here"
                " (date_order in config)",
                value=text,
            )
        return _make(int(match["y"]), month, day, raw)
    raise InvalidInput(
        f"{raw[:60]!r} is not a date (try 2024-06-12, June 12, 2024, next monday or +2w)",
        value=text,
    )


def ambiguous_reading(text: str, *, day_first: bool = True) -> str | None:
    """How a date that reads two ways was read ("read as 12 June 2024 (day-first; change
    date_order in config)"), or None when the text is not such a date (12/06/2024 is;
    13/06/2024, 06/06/2024 and June 12, 2024 are not)."""
    match = _NUMERIC.match(_normalise(text))
    if match is None:
        return None
    first, second = int(match["a"]), int(match["b"])
    if first == second or not (1 <= first <= 12 and 1 <= second <= 12):
        return None
    day, month = (first, second) if day_first else (second, first)
    try:
        read = date(int(match["y"]), month, day)
    except ValueError:
        return None
    order = "day-first" if day_first else "month-first"
    return (
        f"read as {read.day} {MONTH_NAMES[read.month - 1]} {read.year}"
        f" ({order}; change date_order in config)"
    )


def parse_date_range(
    text: str, *, day_first: bool = True, today: date | None = None
) -> tuple[date, date]:
    """Parse a date or a range ("Feb 4-6, 2020", "Oct 30-Nov 1, 2019") into (start, end)."""
    raw = _normalise(text)
    if match := _RANGE_SAME_MONTH.match(raw):
        month = MONTHS[match["m1"].lower()]
        year = int(match["y"])
        start = _make(year, month, int(match["d1"]), raw)
        end = _make(year, month, int(match["d2"]), raw)
    elif match := _RANGE_TWO_MONTHS.match(raw):
        year = int(match["y"])
        start = _make(year, MONTHS[match["m1"].lower()], int(match["d1"]), raw)
        end = _make(year, MONTHS[match["m2"].lower()], int(match["d2"]), raw)
    elif match := _RANGE_TWO_YEARS.match(raw):
        start = _make(int(match["y1"]), MONTHS[match["m1"].lower()], int(match["d1"]), raw)
        end = _make(int(match["y2"]), MONTHS[match["m2"].lower()], int(match["d2"]), raw)
    else:
        if _ISO_RANGE.match(raw):
            first, second = _ISO_RANGE_SPLIT.split(raw)
            start = parse_date(first)
            end = parse_date(second)
        else:
            single = parse_date(raw, day_first=day_first, today=today)
            return single, single
    if end < start:
        raise InvalidInput(f"{raw!r} ends before it starts", value=text)
    return start, end


_ISO_RANGE = LazyPattern(
    r"\d{4}-\d{1,2}-\d{1,2}\s*(?:/|\.\.|\s-\s|\s*\u2013\s*)\s*\d{4}-\d{1,2}-\d{1,2}$"
)
_ISO_RANGE_SPLIT = LazyPattern(r"\s*(?:/|\.\.|\s-\s|\u2013)\s*")


def parse_month(text: str) -> str:
    """Parse "June 2024", "Jun 2024" or "2024-06" into the YYYY-MM form publications keep."""
    raw = _normalise(text)
    if match := _MONTH_YEAR.match(raw):
        in_bounds(date(int(match["y"]), MONTHS[match["m"].lower()], 1), raw)
        return f"{int(match['y']):04d}-{MONTHS[match['m'].lower()]:02d}"
    if match := re.match(r"(\d{4})-(\d{1,2})$", raw):
        month = int(match[2])
        if 1 <= month <= 12:
            in_bounds(date(max(1, int(match[1])), month, 1), raw)
            return f"{int(match[1]):04d}-{month:02d}"
    raise InvalidInput(f"{raw!r} is not a month (try June 2024 or 2024-06)", value=text)


_TIME = LazyPattern(
    r"(?P<h>\d{1,2})(?:[:.h](?P<m>\d{2})(?::(?P<s>\d{2}))?)?\s*(?P<ampm>a\.?m\.?|p\.?m\.?)?$",
    re.IGNORECASE,
)


def parse_time(text: str) -> time:
    """Parse "9:30", "14:00", "19:00:00", "2pm", "2:30 p.m.", "noon" into a time."""
    raw = _normalise(text).lower()
    if raw in ("noon", "midday"):
        return time(12, 0)
    if raw == "midnight":
        return time(0, 0)
    match = _TIME.match(raw)
    if not match:
        raise InvalidInput(f"{text.strip()!r} is not a time (try 9:30, 14:00 or 2pm)", value=text)
    hour = int(match["h"])
    minute = int(match["m"] or 0)
    if match["ampm"]:
        if not 1 <= hour <= 12:
            raise InvalidInput(f"{text.strip()!r} is not a time on a 12-hour clock", value=text)
        hour = hour % 12 + (12 if match["ampm"].startswith("p") else 0)
    elif match["m"] is None:
        raise InvalidInput(f"{text.strip()!r} is not a time (try 9:30, 14:00 or 2pm)", value=text)
    # "19:00:00" (as TOML and ISO write a time) is a time; its seconds are dropped.
    if hour > 23 or minute > 59 or int(match["s"] or 0) > 59:
        raise InvalidInput(f"{text.strip()!r} is not a time of day", value=text)
    return time(hour, minute)


def format_span(start: date, end: date) -> str:
    """'Wed 12 June 2024' or 'Tue 4 – Thu 6 February 2020' (no leading zeros, weekday shown)."""
    if start == end:
        return f"{start:%a} {start.day} {MONTH_NAMES[start.month - 1]} {start.year}"
    if (start.year, start.month) == (end.year, end.month):
        return (
            f"{start:%a} {start.day} – {end:%a} {end.day} {MONTH_NAMES[end.month - 1]} {end.year}"
        )
    if start.year == end.year:
        return (
            f"{start:%a} {start.day} {MONTH_NAMES[start.month - 1]} – "
            f"{end:%a} {end.day} {MONTH_NAMES[end.month - 1]} {end.year}"
        )
    return f"{format_span(start, start)} – {format_span(end, end)}"


def runs_through(start: date, end: date, start_time: time | None, end_time: time | None) -> bool:
    """True for a timed event over several days that runs from its first day's start to
    its last day's end (a dinner 20:00 to 01:30 the next day, a retreat from Monday 14:00
    to Wednesday 13:00): its end time is not after its start time. Over several days with
    a later end time it is those hours on each day (a two-day 09:00-17:00 workshop)."""
    return (
        start_time is not None and end_time is not None and end > start and end_time <= start_time
    )


def when_words(start: date, end: date, start_time: time | None, end_time: time | None) -> str:
    """The dates and times as an officer reads them: 'Tue 8 December 2026, 19:00–21:30',
    'Tue 1 – Thu 3 December 2026, 09:00–16:00' (each day), 'Tue 8 December 2026,
    20:00–01:30 next day', 'Mon 14 December 2026, 14:00 – Wed 16 December, 13:00'."""
    if start_time is None:
        return format_span(start, end)
    if end_time is None or not runs_through(start, end, start_time, end_time):
        times = f"{start_time:%H:%M}" + (f"–{end_time:%H:%M}" if end_time else "")
        return f"{format_span(start, end)}, {times}"
    first = format_span(start, start)
    if (end - start).days == 1:
        return f"{first}, {start_time:%H:%M}–{end_time:%H:%M} next day"
    last = f"{end:%a} {end.day} {MONTH_NAMES[end.month - 1]}"
    if end.year != start.year:
        last += f" {end.year}"
    return f"{first}, {start_time:%H:%M} – {last}, {end_time:%H:%M}"


def format_moment(moment: datetime | date, zone: str | None = None, *, short: bool = False) -> str:
    """A date-time for people: 'Tue 22 Dec 2026 09:30 (Europe/Zurich)', an aware moment
    shown in `zone` when that is a known zone (else in its own, named as it is); a floating
    time without a zone, a date without a time ('Tue 22 Dec 2026'). `short`: '22 Dec 09:30',
    the zone and the year left to the sentence it is in."""
    label = ""
    if isinstance(moment, datetime) and moment.tzinfo is not None:
        try:
            moment = moment.astimezone(zone_info(zone)) if zone else moment
            label = zone or ""
        except (ValueError, ZoneInfoNotFoundError):
            label = ""
        label = label or str(moment.tzinfo)
    month = MONTH_NAMES[moment.month - 1][:3]
    text = f"{moment.day} {month}" if short else f"{moment:%a} {moment.day} {month} {moment.year}"
    if not isinstance(moment, datetime):
        return text
    text += f" {moment:%H:%M}"
    return text if short or not label else f"{text} ({label})"


def month_bounds(day: date) -> tuple[date, date]:
    """First and last day of the month `day` is in."""
    first = day.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return first, following - timedelta(days=1)


def grid_window(day: date, first_weekday: int) -> tuple[date, date]:
    """The six weeks the month grid shows for the month of `day`."""
    first, _ = month_bounds(day)
    start = first - timedelta(days=(first.weekday() - first_weekday) % 7)
    return start, start + timedelta(days=41)


def week_of(day: date, first_weekday: int) -> tuple[date, date]:
    """The first and last day of the week `day` is in (weeks start on `first_weekday`)."""
    start = day - timedelta(days=(day.weekday() - first_weekday) % 7)
    return start, start + timedelta(days=6)


def add_months(day: date, months: int) -> date:
    """`day` moved by whole months, clamped to the end of a shorter month."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = month_bounds(date(year, month + 1, 1))[1].day
    return date(year, month + 1, min(day.day, last))


def local_time(utc_iso: str) -> str:
    """A stored UTC timestamp as this machine's local "YYYY-MM-DD HH:MM"."""
    try:
        moment = datetime.fromisoformat(utc_iso)
    except ValueError:
        return utc_iso
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def computer_zone_name() -> str | None:
    """The IANA name of the computer's own zone when it can be told (TZ, /etc/localtime).

    Asked at every agenda list and event shown: read once per value of TZ."""
    import os

    return _computer_zone_name(os.environ.get("TZ", "").lstrip(":"))


@lru_cache(maxsize=8)
def _computer_zone_name(name: str) -> str | None:
    from pathlib import Path

    if not name:
        try:
            link = Path("/etc/localtime").resolve()
        except OSError:
            return None
        parts = link.parts
        if "zoneinfo" in parts:
            name = "/".join(parts[parts.index("zoneinfo") + 1 :])
    try:
        ZoneInfo(name)
    except (ValueError, ZoneInfoNotFoundError):
        return None
    return name or None


@lru_cache(maxsize=64)
def zone_info(name: str) -> ZoneInfo:
    """ZoneInfo(name), kept: ZoneInfo's own cache holds only the last 8 zones used, so an
    agenda of events in more zones read each zone's file again and again (a week's agenda
    at 100k events opened 550 zone files a key, issue 24). Raises as ZoneInfo does."""
    return ZoneInfo(name)


def end_reading(start: datetime, end: datetime) -> str:
    """'–01:30', with ' next day' (or the end's day) when the end falls on a later day
    than the start in the same clock: '23:00–01:30' read as a span backwards."""
    text = f"–{end:%H:%M}"
    if end.date() == start.date():
        return text
    if end.date() == start.date() + timedelta(days=1):
        return f"{text} next day"
    return f"–{end:%a} {end.day} {MONTH_NAMES[end.month - 1][:3]} {end:%H:%M}"


def your_time(
    day: date,
    start: time | None,
    end: time | None,
    event_zone: str | None,
    own_zone: str | None,
    *,
    with_zone: bool = True,
    end_day: date | None = None,
) -> str | None:
    """The event's times on `day` in the officer's own zone ('01:00–03:30 (Europe/Vienna)',
    with the day when it differs: 'Wed 9 Dec 01:00–03:30 ...'); None when the times read the
    same there (same zone, same offset, no zone, or no time). `end_day`: the day the end
    time falls on (an event that runs through several days); else `day`, or the next day
    for an end before the start."""
    if start is None or not event_zone or not own_zone or event_zone == own_zone:
        return None
    try:
        there, here = zone_info(event_zone), zone_info(own_zone)
    except (ValueError, ZoneInfoNotFoundError):
        return None
    begins = datetime.combine(day, start, there)
    local = begins.astimezone(here)
    if begins.utcoffset() == local.utcoffset():
        return None
    text = f"{local:%H:%M}"
    if end is not None:
        on = end_day or (day if end >= start else day + timedelta(days=1))
        finish = datetime.combine(on, end, there)
        text += end_reading(local, finish.astimezone(here))
    if local.date() != day or (end_day is not None and end_day != day):
        # A span over days names its first one too: "Mon 14 Dec 15:00–Wed 16 Dec 14:00".
        text = f"{local:%a} {local.day} {MONTH_NAMES[local.month - 1][:3]} {text}"
    return f"{text} ({own_zone})" if with_zone else text


def count_days(spans: Iterable[tuple[date, date]], start: date, end: date) -> dict[date, int]:
    """For each day of [start, end], how many of the (first, last day) spans cover it."""
    counts: dict[date, int] = {}
    for first, last in spans:
        for day in days_within(first, last, start, end):
            counts[day] = counts.get(day, 0) + 1
    return counts


def days_within(first: date, last: date, start: date, end: date) -> Iterator[date]:
    """The days of [first, last] within [start, end]."""
    day = max(first, start)
    last = min(last, end)
    while day <= last:
        yield day
        day += timedelta(days=1)
