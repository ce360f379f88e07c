"""Planning tasks: due dates in words ("8 weeks before"), and when a task is due."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from tui.domain import validate
from tui.domain.errors import InvalidInput, NoSuchDay
from tui.domain.models import Event, Task
from tui.domain.patterns import LazyPattern

_RELATIVE = LazyPattern(
    r"^(?P<n>\d{1,9})\s*(?P<unit>d|days?|w|weeks?|months?|years?)\s+(?P<side>before|after)"
    r"(?:\s+(?:the\s+)?(?:event\s+)?(?P<anchor>start|end))?$"
)
_ON_THE_DAY = LazyPattern(r"^on\s+the\s+(?:first\s+)?day$|^on\s+the\s+last\s+day$")


@dataclass(frozen=True)
class DueTask:
    """An open task with its event and the day it is due."""

    task: Task
    event: Event
    due: date
    day: date | None = None
    """The event's first day, or the one of the occurrence a repeating event's task counts
    from (see counted_from); None where not given."""


def parse_due(text: str, *, day_first: bool = True) -> tuple[date | None, int | None, str | None]:
    """A due date as typed: a date ("2027-01-15", "15 Jan 2027") or relative to the event
    ("8 weeks before", "2 days after", "3 days before end", "on the day"); blank is none.

    Returns (due_date, due_offset, due_anchor); "before" counts from the event's start and
    "after" from its end unless "start" or "end" is said."""
    words = " ".join(text.lower().split())
    if not words:
        return None, None, None
    if _ON_THE_DAY.match(words):
        return None, 0, "end" if "last" in words else "start"
    found = _RELATIVE.match(words)
    if found and found["unit"].startswith(("month", "year")):
        # A month is not a fixed number of days: the offset is kept in days or weeks.
        weeks = int(found["n"]) * (4 if found["unit"].startswith("month") else 52)
        raise InvalidInput(
            f"due {text.strip()[:40]!r}: count in weeks or days"
            f" (e.g. '{min(weeks, 520)} weeks {found['side']}')",
            value=text[:40],
        )
    if found:
        days = int(found["n"]) * (7 if found["unit"].startswith("w") else 1)
        before = found["side"] == "before"
        anchor = found["anchor"] or ("start" if before else "end")
        offset = -days if before else days
        if abs(offset) > validate.MAX_TASK_OFFSET:
            raise InvalidInput(
                f"due {text.strip()[:40]!r} is too far from the event (at most ten years)",
                value=text[:40],
            )
        return None, offset, anchor
    try:
        day = validate.date_value(text.strip(), "due", day_first=day_first)
    except NoSuchDay:
        raise  # a date's shape, no such day ("2026-02-30"): said as such
    except InvalidInput:
        raise InvalidInput(
            f"due {text.strip()[:40]!r}: give a date or e.g. '8 weeks before', '2 days after'",
            value=text[:40],
        ) from None
    return day, None, None


def due_words(task: Task) -> str:
    """A task's due date as the officer would type it: a date or "8 weeks before"."""
    if task.due_date is not None:
        return task.due_date.isoformat()
    if task.due_offset is None:
        return ""
    offset = task.due_offset
    anchor = task.due_anchor or "start"
    if offset == 0:
        return "on the day" if anchor == "start" else "on the last day"
    days = abs(offset)
    amount = f"{days // 7} week" if days % 7 == 0 else f"{days} day"
    amount += "" if amount.startswith("1 ") else "s"
    side = "before" if offset < 0 else "after"
    usual = (side == "before") == (anchor == "start")
    return f"{amount} {side}" + ("" if usual else f" {anchor}")


def due_on(
    task: Task,
    event: Event,
    today: date | None = None,
    moved: Sequence[tuple[date, date]] = (),
) -> date | None:
    """The day a task is due: its date, or its offset from the event's start or end.

    On a repeating event, given `today`, the offset counts from the occurrence the task
    is about now (see cycle_occurrence; `moved`: the series' occurrences changed on their
    own, Store.moved_occurrences); without `today`, from the series' first."""
    if task.due_date is not None:
        return task.due_date
    if task.due_offset is None:
        return None
    start, end = event.start_date, event.end_date
    if event.repeat and today is not None:
        start, end = cycle_occurrence(
            event,
            task.due_offset,
            task.due_anchor,
            today,
            since=_written_on(task, today),
            moved=moved,
        )
    try:
        return (end if task.due_anchor == "end" else start) + timedelta(days=task.due_offset)
    except OverflowError:  # at the calendar's edge
        return None


def counted_from(
    task: Task, event: Event, today: date, moved: Sequence[tuple[date, date]] = ()
) -> date:
    """The first day of the event, or, for a repeating event's relative task, of the
    occurrence its due day counts from on `today` (`moved`: see due_on); for one due on a
    date, of the occurrence it comes before (not the series' first, months back)."""
    if not event.repeat:
        return event.start_date
    if task.due_date is not None:
        return _next_occurrence(event, task.due_date, moved) or event.start_date
    if task.due_offset is None:
        return _next_occurrence(event, today, moved) or event.start_date
    since = _written_on(task, today)
    return cycle_occurrence(
        event, task.due_offset, task.due_anchor, today, since=since, moved=moved
    )[0]


def _next_occurrence(
    event: Event, day: date, moved: Sequence[tuple[date, date]] = ()
) -> date | None:
    """The first day of a series' first occurrence not over on `day`, None if none."""
    from tui.domain.recurrence import expand

    try:
        found = expand(event, day, day + timedelta(days=CYCLE_LOOK))
    except OverflowError:
        found = []
    firsts = [o.start_date for o in found if o.end_date >= day]
    firsts += [first for first, last in moved if last >= day]
    return min(firsts, default=None)


def _written_on(task: Task, today: date) -> date:
    """The day the task was written, as the planner's clock has it: today for one not yet
    saved, and never after today (a clock fixed in the past by CONVENER_TODAY)."""
    try:
        made = date.fromisoformat((task.created_at or "")[:10])
    except ValueError:
        return today
    return min(made, today)


CYCLE_LOOK = 400
"""Days a repeating event's occurrences are looked for either side of today (a task's
offset and the event's length added): a yearly series has one in any such window."""


def cycle_occurrence(
    event: Event,
    offset: int,
    anchor: str | None,
    today: date,
    since: date | None = None,
    moved: Sequence[tuple[date, date]] = (),
) -> tuple[date, date]:
    """The first and last day of the occurrence a repeating event's relative task is about
    on `today`: the next one not over, for a task due before it or while it runs ("2 days
    before" the monthly call: after a call, the next call's); for a task due after one
    (a readout "1 week after"), that one's until its due day or, when later, until the
    next occurrence begins, so a late readout stays late until then. A series that has
    ended: its last occurrence.

    `since`: the day the task was written: an occurrence over before then is not one it
    is about (a readout task written on 2 Dec is for the 3 Dec call, not for 5 Nov's).
    `moved`: occurrences changed on their own (left out of the rule, events of their own),
    still dates of the series: this month's call moved to 16:00 keeps its tasks."""
    from tui.domain.recurrence import expand, repeat_bound

    span = event.end_date - event.start_date
    reach = timedelta(days=CYCLE_LOOK + abs(offset)) + span
    try:
        found = expand(event, today - reach, today + reach)
    except OverflowError:
        found = []
    if not found:
        bound = repeat_bound(event.repeat or "", event.start_date)
        if bound is not None and bound < today:  # ended: its last occurrence
            found = expand(event, bound - reach, bound)
    start = min((o.start_date for o in found), default=today - reach)
    days = sorted(
        {(o.start_date, o.end_date) for o in found}
        | {(first, last) for first, last in moved if last >= start}
    )
    if not days:
        return event.start_date, event.end_date
    shift = timedelta(days=offset)
    for number, (first, last) in enumerate(days):
        due = (last if anchor == "end" else first) + shift
        lasts = last
        if due > last:  # due after it: late until the next one begins
            following = days[number + 1][0] if number + 1 < len(days) else None
            lasts = max(due, following - timedelta(days=1)) if following else due
        if lasts >= today and (since is None or last >= since):
            return first, last
    return days[-1]


WEEK_DAYS = 7
"""'Due this week': today and the 7 days after it, the header's count and the window of
`convener due` without --days (Planner.due(7) reads the same days)."""


def is_overdue(due: date, today: date) -> bool:
    """The one day rule for "overdue": due before today (a task due today is not late)."""
    return due < today


@dataclass(frozen=True)
class DueCounts:
    """How many open tasks are overdue, due today, and due from today to the window's end."""

    overdue: int
    today: int
    coming: int


def due_counts(due: Iterable[DueTask], today: date, days: int = WEEK_DAYS) -> DueCounts:
    """The counts the header, the start notice, the pipeline's ⚠ and `convener due` say."""
    overdue = today_count = coming = 0
    until = today + timedelta(days=max(days, 0))
    for item in due:
        if is_overdue(item.due, today):
            overdue += 1
        elif item.due <= until:
            coming += 1
            today_count += item.due == today
    return DueCounts(overdue, today_count, coming)


def _counted(overdue: int, count: int, words: str, joiner: str) -> str | None:
    parts = []
    if overdue:
        parts.append(f"{overdue} task{'s' if overdue != 1 else ''} overdue")
    if count:
        noun = "" if overdue else (" task" if count == 1 else " tasks")
        parts.append(f"{count}{noun} {words}")
    return joiner.join(parts) or None


def due_summary(due: Iterable[DueTask], today: date) -> str | None:
    """ "3 tasks overdue, 2 due today" (None when neither)."""
    counts = due_counts(due, today, 0)
    return _counted(counts.overdue, counts.today, "due today", ", ")


def week_summary(due: Iterable[DueTask], today: date, days: int = WEEK_DAYS) -> str | None:
    """ "3 tasks overdue · 2 due this week" for the header and `convener due` (None when
    neither); another window than the week says "due in the next 30 days"."""
    counts = due_counts(due, today, days)
    words = "due this week" if days == WEEK_DAYS else f"due in the next {days} days"
    if days == 0:
        words = "due today"
    return _counted(counts.overdue, counts.coming, words, " · ")
