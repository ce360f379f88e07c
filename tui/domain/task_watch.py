"""What a task watches on its event's guest list: replies to chase, or the needs summary.

A task's `watch` is stored as "replies:N" (guests still invited, without a reply, N days
after they were invited) or "needs" (the caterer's and the venue's counts). The officer
types it in words ("replies after 10 days", "needs"); templates say it the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from tui.domain.errors import InvalidInput
from tui.domain.guests import needs_line, needs_of
from tui.domain.models import GuestLine, Task
from tui.domain.patterns import LazyPattern
from tui.domain.text import fold

CHASE_AFTER_DAYS = 14
"""Days after an invitation before a silent guest is chased, when the watch says none."""

MAX_CHASE_DAYS = 365
"""The longest wait a replies watch may give."""

SENT_TASK = "send invitations"
"""The checklist task whose done day is the event's invitation date (folded title)."""

_REPLIES = LazyPattern(r"^(?:chase\s+)?repl(?:y|ies)(?:\s+after\s+(?P<n>\d{1,4})\s*(?:d|days?))?$")
_STORED = LazyPattern(r"^replies:(?P<n>\d{1,4})$")
_NEEDS = LazyPattern(r"^(?:the\s+)?needs(?:\s+summary)?$|^numbers$")


def parse_watch(text: str | None) -> str | None:
    """A watch as typed ("replies", "replies after 10 days", "needs"; blank: none)."""
    words = " ".join((text or "").lower().split())
    if not words:
        return None
    if _NEEDS.match(words):
        return "needs"
    found = _STORED.match(words) or _REPLIES.match(words)
    if found is None:
        raise InvalidInput(
            f"watch {(text or '').strip()[:40]!r}: give 'replies', 'replies after 10 days' or"
            " 'needs' (blank: none)",
            value=(text or "")[:40],
        )
    days = int(found["n"]) if found["n"] else CHASE_AFTER_DAYS
    if not 0 <= days <= MAX_CHASE_DAYS:
        raise InvalidInput(f"watch: chase after at most {MAX_CHASE_DAYS} days", value=text)
    return f"replies:{days}"


def chase_days(watch: str | None) -> int | None:
    """The days of a replies watch ("replies:14" → 14); None for any other."""
    if watch is None or not watch.startswith("replies:"):
        return None
    return int(watch.partition(":")[2])


def watch_words(watch: str | None) -> str:
    """A stored watch as the officer would type it ("" for none)."""
    days = chase_days(watch)
    if days is not None:
        return f"replies after {days} day{'s' if days != 1 else ''}"
    return "needs" if watch == "needs" else ""


def sent_on(tasks: Sequence[Task]) -> date | None:
    """The event's invitation date: the day its "Send invitations" task was done."""
    return next(
        (t.done_on for t in tasks if t.done_on is not None and fold(t.title) == SENT_TASK), None
    )


@dataclass(frozen=True)
class WatchReport:
    """What a watching task sees on the guest list: a headline and, for the app, names."""

    headline: str
    """One line: "8 guests without a reply after 14 days", "Needs of 12 accepted · ..."."""
    names: tuple[str, ...] = ()
    """The guests to chase, each with the day they were invited (app only: private)."""
    count: int = 0
    """How many guests the headline counts (to chase, or accepted)."""


def chase_report(
    lines: Sequence[GuestLine], days: int, today: date, invited_by_default: date | None
) -> WatchReport:
    """Guests still invited (no reply) `days` days after their invitation: their own
    invited_on, else the event's invitation date; a guest with neither is chased too."""
    waiting = [line for line in lines if line.invitation.status == "invited"]
    due: list[tuple[GuestLine, date | None]] = []
    for line in waiting:
        invited = line.invitation.invited_on or invited_by_default
        if invited is None or invited + timedelta(days=days) <= today:
            due.append((line, invited))
    due.sort(key=lambda item: (item[1] or date.min, fold(item[0].name)))
    recent = len(waiting) - len(due)
    if due:
        noun = "guest" if len(due) == 1 else "guests"
        headline = f"{len(due)} {noun} without a reply after {days} days"
    elif waiting:
        headline = f"no reply to chase yet ({recent} invited less than {days} days ago)"
    else:
        headline = "no guest waits for a reply"
    names = tuple(
        f"{line.name}, invited {invited.isoformat() if invited else '(day not recorded)'}"
        for line, invited in due
    )
    return WatchReport(headline=headline, names=names, count=len(due))


def watch_report(
    watch: str | None, lines: Sequence[GuestLine], tasks: Sequence[Task], today: date
) -> WatchReport | None:
    """What a watch sees on an event's guest list and checklist (None when no watch)."""
    days = chase_days(watch)
    if days is not None:
        return chase_report(lines, days, today, sent_on(tasks))
    if watch == "needs":
        needs = needs_of([line.invitation for line in lines])
        return WatchReport(headline=needs_line(needs), count=needs.guests)
    return None
