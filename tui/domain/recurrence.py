"""Repeat rules (RRULE): their bounds, where a window starts, expanding a series, EXDATE."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Any

from tui.domain.models import Event, Occurrence

OCCURRENCE_MARK = "#recurrence-id="
"""Joins a series' UID and a day into the UID of that day's changed occurrence (an event of
its own). Before m0006 the mark was a bare "#", which a real UID ("h-series#20270112") can
hold: such an event was taken for an occurrence and its series lost that day."""


def occurrence_uid(series_uid: str, day: date) -> str:
    """The UID of the occurrence of a series on `day` changed on its own."""
    return f"{series_uid}{OCCURRENCE_MARK}{day:%Y%m%d}"


def split_occurrence_uid(uid: str | None) -> tuple[str, date] | None:
    """(series UID, day) of an occurrence changed on its own; None for any other UID."""
    series, mark, day = (uid or "").rpartition(OCCURRENCE_MARK)
    if not mark or not series or len(day) != 8 or not day.isdigit():
        return None
    try:
        return series, date(int(day[:4]), int(day[4:6]), int(day[6:]))
    except ValueError:
        return None


def without_exdates(repeat: str, days: set[date]) -> str:
    """The rule with `days` no longer left out (written as their own VEVENTs instead)."""
    stamps = {day.strftime("%Y%m%d") for day in days}
    lines = []
    for line in (line.strip() for line in repeat.splitlines() if line.strip()):
        name, sep, value = line.partition(":")
        if sep and name.upper() == "EXDATE":
            kept = [v.strip() for v in value.split(",") if v.strip() and v.strip() not in stamps]
            if kept:
                lines.append("EXDATE:" + ",".join(kept))
        else:
            lines.append(line)
    return "\n".join(lines)


MAX_PER_DAY = 24
"""The most occurrences a day is walked for: rules stored before BYHOUR was refused."""


def with_exdate(repeat: str, day: date) -> str:
    """A repeat rule that leaves `day` out ("RRULE:...\nEXDATE:20270105,...")."""
    rule_lines: list[str] = []
    exdates: list[str] = []
    for line in (line.strip() for line in repeat.splitlines()):
        if not line:
            continue
        name, sep, value = line.partition(":")
        if sep and name.upper() == "EXDATE":
            exdates.extend(v.strip() for v in value.split(",") if v.strip())
        elif sep and name.upper() == "RRULE":
            rule_lines.append(f"RRULE:{value}")
        elif sep and name.upper() in {"RDATE", "EXRULE"}:
            rule_lines.append(line)
        else:
            rule_lines.append(f"RRULE:{line}")
    stamp = day.strftime("%Y%m%d")
    if stamp not in exdates:
        exdates.append(stamp)
    return "\n".join([*rule_lines, "EXDATE:" + ",".join(sorted(exdates))])


_PERIOD_DAYS = {"DAILY": 1, "WEEKLY": 7, "MONTHLY": 31, "YEARLY": 366}


def repeat_bound(repeat: str, start: date) -> date | None:
    """A day no occurrence of the rule falls after, read off its text; None if unbounded.

    UNTIL bounds any rule. COUNT bounds a plain rule (no BY... parts, which can skip
    periods: the 31st of each month) at COUNT periods of INTERVAL after the start.
    """
    line = next(
        (
            part.removeprefix("RRULE:")
            for part in repeat.upper().splitlines()
            if part.strip() and not part.startswith(("EXDATE", "RDATE", "EXRULE"))
        ),
        "",
    )
    parts = dict(item.split("=", 1) for item in line.split(";") if "=" in item)
    until = parts.get("UNTIL", "")
    if len(until) >= 8 and until[:8].isdigit():
        try:
            return date(int(until[:4]), int(until[4:6]), int(until[6:8])) + timedelta(days=1)
        except ValueError:
            return None
    count, freq = parts.get("COUNT", ""), parts.get("FREQ", "")
    if not count.isdigit() or freq not in _PERIOD_DAYS or any(k.startswith("BY") for k in parts):
        return None
    interval = int(parts["INTERVAL"]) if parts.get("INTERVAL", "").isdigit() else 1
    try:
        return start + timedelta(days=_PERIOD_DAYS[freq] * max(1, interval) * int(count))
    except OverflowError:
        return None


def series_end(repeat: str | None, start: date, end: date) -> str | None:
    """The events table's `series_end`: the last day an occurrence of a repeating event
    can cover (`repeat_bound` plus the event's length), ISO; None when the rule has no end
    read off its text (or for an event that does not repeat)."""
    if not repeat:
        return None
    bound = repeat_bound(repeat, start)
    if bound is None:
        return None
    try:
        return (bound + (end - start)).isoformat()
    except OverflowError:
        return None


def repeat_anchor(repeat: str, start: date, window_start: date) -> date:
    """A later first day for the rule that yields the same occurrences from `window_start`
    on, so a series begun years ago is not walked from its beginning on every screen.

    Only for rules where that is exact: no COUNT (it counts from the real start), no
    BYSETPOS/BYWEEKNO/BYYEARDAY, and, for months and years, a start day that every month
    has (<= 28). The shift is whole multiples of INTERVAL periods.
    """
    if window_start <= start:
        return start
    lines = [part for part in repeat.upper().splitlines() if part.strip()]
    rules = [part.removeprefix("RRULE:") for part in lines if not part.startswith(("EX", "RD"))]
    if len(rules) != 1:
        return start
    parts = dict(item.split("=", 1) for item in rules[0].split(";") if "=" in item)
    if "COUNT" in parts or any(k in parts for k in ("BYSETPOS", "BYWEEKNO", "BYYEARDAY")):
        return start
    interval = int(parts["INTERVAL"]) if parts.get("INTERVAL", "").isdigit() else 1
    freq = parts.get("FREQ")
    if freq in ("DAILY", "WEEKLY"):
        step = (1 if freq == "DAILY" else 7) * max(1, interval)
        periods = (window_start - start).days // step - 1
        return start + timedelta(days=step * periods) if periods > 0 else start
    if freq in ("MONTHLY", "YEARLY") and start.day <= 28:
        months = (window_start.year - start.year) * 12 + window_start.month - start.month
        step = max(1, interval) * (12 if freq == "YEARLY" else 1)
        periods = months // step - 1
        if periods <= 0:
            return start
        total = start.month - 1 + step * periods
        return date(start.year + total // 12, total % 12 + 1, start.day)
    return start


def first_day_of_rule(repeat: str, day: date) -> date:
    """The first day on or after `day` that the rule yields ("the first Thursday"), for a
    series whose start was moved by whole weeks (the sample's dates, anchored to today):
    a start that is no longer a day of the rule would show the series beginning on a day
    that is not one of its own. `day` itself when it is one, or the rule cannot tell."""
    rule = _parsed_rule(repeat, day)
    if rule is None:
        return day
    try:
        first = rule.after(datetime.combine(day, time()), inc=True)
    except (ValueError, TypeError, OverflowError):
        return day
    return first.date() if first is not None else day


@lru_cache(maxsize=4096)
def _parsed_rule(repeat: str, start: date) -> Any:
    """The rule parsed once per text and start (month after month reuses it)."""
    from dateutil.rrule import rrulestr

    try:
        return rrulestr(repeat, dtstart=datetime.combine(start, time()), cache=True)
    except (ValueError, TypeError):
        return None


_FREQUENCIES = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")


class _PlainRule:
    """A rule of FREQ, INTERVAL and COUNT or an UNTIL day only, with EXDATE days: one
    occurrence every INTERVAL periods on the start's own weekday, day of the month or day
    of the year, which is arithmetic, not a walk through dateutil from the series' start."""

    __slots__ = ("count", "freq", "interval", "skipped", "until")

    def __init__(
        self, freq: str, interval: int, count: int | None, until: date | None, skipped: set[date]
    ) -> None:
        self.freq = freq
        self.interval = interval
        self.count = count
        self.until = until
        self.skipped = skipped


def _day8(text: str) -> date | None:
    """YYYYMMDD as a day; None for anything else (dateutil's parser reads the rest)."""
    if len(text) != 8 or not text.isdigit() or not text.isascii():
        return None
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        return None


@lru_cache(maxsize=4096)
def _plain_rule(repeat: str) -> _PlainRule | None:
    """The rule read as a _PlainRule, once per text; None when it is anything else (BY...
    parts, several rules, RDATE, times of day, COUNT and UNTIL together, text dateutil would
    refuse): those go through dateutil. Read the way dateutil's rrulestr reads it: upper
    case, lines split on white space, a line without a name is an RRULE."""
    rules: list[str] = []
    skipped: set[date] = set()
    for line in repeat.upper().split():
        name, sep, value = line.partition(":")
        if not sep:
            name, value = "RRULE", line
        if name == "RRULE":
            rules.append(value)
        elif name == "EXDATE":
            for item in value.split(","):
                day = _day8(item)
                if day is None:
                    return None
                skipped.add(day)
        else:
            return None
    if len(rules) != 1:
        return None
    parts: dict[str, str] = {}
    for pair in rules[0].split(";"):
        key, sep, value = pair.partition("=")
        if not sep or key in parts or key not in ("FREQ", "INTERVAL", "COUNT", "UNTIL"):
            return None
        parts[key] = value
    freq = parts.get("FREQ", "")
    interval_text = parts.get("INTERVAL", "1")
    count_text = parts.get("COUNT")
    until_text = parts.get("UNTIL")
    if freq not in _FREQUENCIES or not (interval_text.isdigit() and interval_text.isascii()):
        return None
    interval = int(interval_text)
    if interval < 1 or (count_text is not None and until_text is not None):
        return None
    count = None
    if count_text is not None:
        if not (count_text.isdigit() and count_text.isascii()) or int(count_text) < 1:
            return None
        count = int(count_text)
    until = None
    if until_text is not None:
        until = _day8(until_text)
        if until is None:
            return None
    return _PlainRule(freq, interval, count, until, skipped)


def _plain_days(rule: _PlainRule, first: date, window_start: date, window_end: date) -> list[date]:
    """The days of a plain rule begun on `first` that fall in [window_start, window_end],
    as dateutil gives them: a month (a year) without the start's day is skipped and does
    not count towards COUNT; EXDATE days are left out after COUNT is counted."""
    last = window_end if rule.until is None else min(window_end, rule.until)
    count = rule.count
    days: list[date] = []
    if rule.freq in ("DAILY", "WEEKLY"):
        stride = rule.interval * (1 if rule.freq == "DAILY" else 7)
        index = max(0, -(-(window_start - first).days // stride))
        while count is None or index < count:
            day = first + timedelta(days=stride * index)
            if day > last:
                break
            days.append(day)
            index += 1
    else:
        months = rule.interval * (12 if rule.freq == "YEARLY" else 1)
        # Every period has days 1-28: the n-th period is then the n-th occurrence, so the
        # walk can begin near the window even under COUNT. Later days are counted from
        # the start when COUNT matters.
        period = 0
        if count is None or first.day <= 28:
            behind = (window_start.year - first.year) * 12 + window_start.month - first.month
            period = max(0, behind // months)
        counted = period
        while count is None or counted < count:
            total = first.month - 1 + months * period
            year, month = first.year + total // 12, total % 12 + 1
            if year > 9999:
                break
            try:
                day = date(year, month, first.day)
            except ValueError:  # no such day in this month (year): skipped, not counted
                if date(year, month, 1) > last:
                    break
                period += 1
                continue
            if day > last:
                break
            counted += 1
            if day >= window_start:
                days.append(day)
            period += 1
    return [day for day in days if day not in rule.skipped] if rule.skipped else days


def expand(event: Event, start: date, end: date) -> list[Occurrence]:
    """A repeating event's occurrences touching [start, end] (the window bounds the walk)."""
    span = event.end_date - event.start_date
    last = repeat_bound(event.repeat or "", event.start_date)
    if last is not None and last + span < start:
        return []  # a series that ended before the range: nothing to expand
    plain = _plain_rule(event.repeat or "")
    if plain is not None:
        try:
            found = _plain_days(plain, event.start_date, start - span, end)
        except OverflowError:  # at the calendar's edge: dateutil says where it stops
            pass
        else:
            return [Occurrence(event, day, day + span) for day in found]
    anchor = repeat_anchor(event.repeat or "", event.start_date, start - span)
    rule = _parsed_rule(event.repeat or "", anchor)
    if rule is None:
        dates = [event.start_date] if event.start_date <= end and event.end_date >= start else []
    else:
        window_start = datetime.combine(start - span, time())
        window_end = datetime.combine(end, time())
        # A checked rule gives one day at most per day of the window, so the window
        # bounds the walk and no series stops short of the range asked for (a fixed
        # cap of 1,000 silently cut a daily series over a three-year agenda). A rule
        # stored before rules were checked (BYHOUR) may give a day several times: each
        # day is shown once.
        days = (window_end - window_start).days + 2
        seen: dict[date, None] = {}
        for moment in rule.xafter(window_start, count=days * MAX_PER_DAY, inc=True):
            if moment > window_end:
                break
            seen[moment.date()] = None
        dates = list(seen)
    return [Occurrence(event, day, day + span) for day in dates]
