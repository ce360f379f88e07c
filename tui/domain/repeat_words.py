"""A repeat rule said in words for people ("monthly on the first Thursday"); never for files
meant for machines (.ics, TOML), which keep the rule itself."""

from __future__ import annotations

from datetime import date

from tui.domain.text import joined

WEEKDAYS = {
    "MO": "Monday",
    "TU": "Tuesday",
    "WE": "Wednesday",
    "TH": "Thursday",
    "FR": "Friday",
    "SA": "Saturday",
    "SU": "Sunday",
}
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", -1: "last"}
_UNITS = {"DAILY": "day", "WEEKLY": "week", "MONTHLY": "month", "YEARLY": "year"}
_EVERY = {"DAILY": "daily", "WEEKLY": "weekly", "MONTHLY": "monthly", "YEARLY": "yearly"}
_SAID = ("FREQ", "INTERVAL", "COUNT", "UNTIL", "BYDAY", "BYMONTHDAY", "BYMONTH", "WKST")


class _Unsaid(Exception):
    """A rule (or part of one) the words here do not cover: the rule text is shown."""


def describe_repeat(repeat: str, start: date) -> str:
    """The rule in words: "monthly on the first Thursday", "every 2 weeks on Monday and
    Wednesday, 6 times", "daily until 30 Jan 2027, except 12 Jan"; the rule's own text
    (on one line) for anything these words cannot say exactly (BYSETPOS, several rules)."""
    try:
        return _words(repeat, start)
    except (_Unsaid, ValueError, KeyError):
        return " ".join(repeat.split())


def _words(repeat: str, start: date) -> str:
    rules: list[str] = []
    skipped: list[date] = []
    for line in repeat.upper().split():
        head, sep, value = line.partition(":")
        name = head.split(";", 1)[0] if sep else "RRULE"
        if name == "RRULE":
            rules.append(value if sep else line)
        elif name == "EXDATE":
            skipped.extend(_day(item[:8]) for item in value.split(",") if item)
        else:
            raise _Unsaid(name)
    if len(rules) != 1:
        raise _Unsaid("rules")
    parts: dict[str, str] = {}
    for pair in filter(None, rules[0].split(";")):
        key, sep, value = pair.partition("=")
        if not sep or key in parts or key not in _SAID:
            raise _Unsaid(key)
        parts[key] = value
    freq = parts["FREQ"]
    interval = int(parts.get("INTERVAL", "1"))
    if interval < 1:
        raise _Unsaid("INTERVAL")
    said = [_EVERY[freq] if interval == 1 else f"every {interval} {_UNITS[freq]}s"]
    said.append(_which_days(freq, parts, start))
    words = " ".join(filter(None, said))
    if "COUNT" in parts:
        count = int(parts["COUNT"])
        words += ", once" if count == 1 else f", {count} times"
    until = _day(parts["UNTIL"][:8]) if "UNTIL" in parts else None
    if until is not None:
        words += f" until {_day_text(until, None)}"
    if skipped:
        # "except 12 Jan" only within a series that ends the year it starts; an open one
        # says the year ("except 12 Jan" could be read as every 12 January).
        year = start.year if until is not None and until.year == start.year else None
        words += ", except " + joined([_day_text(day, year) for day in sorted(skipped)])
    return words


def _which_days(freq: str, parts: dict[str, str], start: date) -> str:
    """ "on Tuesday", "on the first Thursday", "on the 15th", "on 3 March" ("" for daily)."""
    days = [d for d in parts.get("BYDAY", "").split(",") if d]
    month_days = [int(d) for d in parts.get("BYMONTHDAY", "").split(",") if d]
    months = [int(m) for m in parts.get("BYMONTH", "").split(",") if m]
    if freq in ("DAILY", "WEEKLY"):
        if month_days or months:
            raise _Unsaid(f"{freq} with BYMONTHDAY or BYMONTH")
        if not days:
            return "" if freq == "DAILY" else f"on {list(WEEKDAYS.values())[start.weekday()]}"
        if set(days) == {"MO", "TU", "WE", "TH", "FR"}:
            return "on weekdays"
        return f"on {joined([WEEKDAYS[d] for d in _in_week_order(days)])}"
    if freq == "MONTHLY":
        if months:
            raise _Unsaid("MONTHLY with BYMONTH")
        if days and month_days:
            raise _Unsaid("BYDAY with BYMONTHDAY")
        if days and all(d in WEEKDAYS for d in days):  # every such weekday of the month
            return f"on every {joined([WEEKDAYS[d] for d in _in_week_order(days)])}"
        if days:
            return f"on the {joined([_nth_weekday(d) for d in days])}"
        return f"on the {joined([_nth(d) for d in month_days or [start.day]])}"
    # YEARLY: on one day of the year (its month and day, or the start's)
    if days or len(month_days) > 1 or len(months) > 1:
        raise _Unsaid("YEARLY with several days")
    month = months[0] if months else start.month
    day = month_days[0] if month_days else start.day
    if not 1 <= day <= 31 or not 1 <= month <= 12:
        raise _Unsaid("YEARLY day")
    return f"on {day} {_MONTH_NAMES[month - 1]}"


def _nth_weekday(text: str) -> str:
    """ "1TH" -> "first Thursday", "-1FR" -> "last Friday"."""
    number, name = text[:-2], WEEKDAYS[text[-2:]]
    ordinal = _ORDINALS.get(int(number)) if number else None
    if ordinal is None:
        raise _Unsaid(text)
    return f"{ordinal} {name}"


def _nth(day: int) -> str:
    """15 -> "15th", -1 -> "last day"."""
    if day == -1:
        return "last day"
    if not 1 <= day <= 31:
        raise _Unsaid(str(day))
    suffix = "th" if 10 <= day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def _in_week_order(days: list[str]) -> list[str]:
    order = list(WEEKDAYS)
    if any(d not in WEEKDAYS for d in days) or len(set(days)) != len(days):
        raise _Unsaid(",".join(days))
    return sorted(days, key=order.index)


def _day(text: str) -> date:
    if len(text) != 8 or not text.isdigit():
        raise _Unsaid(text)
    return date(int(text[:4]), int(text[4:6]), int(text[6:]))


def _day_text(day: date, year: int | None) -> str:
    """ "30 Jan 2027"; "12 Jan" when `year` is the day's own (said once for the series)."""
    shown = f"{day.day} {_MONTHS[day.month - 1]}"
    return shown if day.year == year else f"{shown} {day.year}"
