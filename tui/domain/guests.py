"""The guest list at a glance: the RSVP picture, capacity and the needs summary."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from tui.domain.models import INVITATION_ROLES, INVITATION_STATUSES, GuestLine, Invitation
from tui.domain.text import fold

ACCEPTED = ("accepted", "attended")
"""Statuses that count as coming (needs summary, capacity, confirmed guests)."""

REPLIES = ("accepted", "declined", "tentative", "waitlisted")
"""Statuses that are a guest's reply: setting one stamps the day it came."""

PENDING = ("to-invite", "invited")
"""Statuses still waiting for a reply."""

RSVP_PARTS = ("accepted", "tentative", "pending", "declined", "waitlisted")
"""The parts of the RSVP bar, in the order it draws them."""


def rsvp_part(status: str) -> str | None:
    """Which part of the RSVP bar a status falls in (None: no-show, counted nowhere)."""
    if status in ACCEPTED:
        return "accepted"
    if status in PENDING:
        return "pending"
    if status in ("tentative", "declined", "waitlisted"):
        return status
    return None


@dataclass(frozen=True)
class RsvpPicture:
    """Counts per status and per bar part, and how the event stands against its capacity."""

    by_status: dict[str, int]
    parts: dict[str, int]
    coming: int
    """Accepted guests plus their plus-ones."""
    capacity: int | None

    @property
    def over_capacity(self) -> int:
        """How many coming guests are beyond the capacity (0 when within it or no capacity)."""
        if self.capacity is None:
            return 0
        return max(0, self.coming - self.capacity)


def bar_cells(counts: Sequence[int], width: int) -> list[int]:
    """How many of `width` cells each count gets in a bar of their shares: every cell
    used, a count above nothing at least one cell, the rest by largest remainder (each
    part within a cell of its share at any width; rounded one by one, the last part took
    what the others left, and the bar's proportions changed with the window)."""
    total = sum(counts)
    if total <= 0 or width <= 0:
        return [0] * len(counts)
    exact = [width * count / total for count in counts]
    cells = [max(int(share), 1 if count else 0) for share, count in zip(exact, counts, strict=True)]
    order = sorted(range(len(counts)), key=lambda i: (cells[i] - exact[i], i))
    spare = width - sum(cells)
    for index in order:  # the furthest below their share first
        if spare <= 0:
            break
        if counts[index]:
            cells[index] += 1
            spare -= 1
    for index in reversed(order):  # too many (the one-cell least): the furthest above first
        if spare >= 0:
            break
        if cells[index] > 1:
            cells[index] -= 1
            spare += 1
    for index in sorted(range(len(counts)), key=lambda i: exact[i]):  # more parts than cells
        if spare >= 0:
            break
        spare += cells[index]
        cells[index] = 0
    return cells


def rsvp_picture(lines: Sequence[GuestLine], capacity: int | None) -> RsvpPicture:
    """The RSVP picture of a guest list."""
    by_status: dict[str, int] = {}
    parts = dict.fromkeys(RSVP_PARTS, 0)
    coming = 0
    for line in lines:
        status = line.invitation.status
        by_status[status] = by_status.get(status, 0) + 1
        part = rsvp_part(status)
        if part is not None:
            parts[part] += 1
        if status in ACCEPTED:
            coming += 1 + line.invitation.plus_ones
    return RsvpPicture(by_status=by_status, parts=parts, coming=coming, capacity=capacity)


@dataclass(frozen=True)
class NeedsSummary:
    """Counts for the caterer and the venue, from accepted guests only."""

    guests: int
    plus_ones: int
    dietary: dict[str, int]
    access_needs: dict[str, int]
    interpretation: dict[str, int]

    @property
    def total(self) -> int:
        """Guests plus their plus-ones."""
        return self.guests + self.plus_ones


def _tally(values: list[str | None]) -> dict[str, int]:
    """Each need and how many have it: counted whatever its case, shown as first written
    ("FR→EN" stays so; "vegetarian" and "Vegetarian" are one need)."""
    counts: dict[str, int] = {}
    shown: dict[str, str] = {}
    for value in values:
        if value:
            for part in (p.strip() for p in value.split(",")):
                if part:
                    key = part.casefold()
                    shown.setdefault(key, part)
                    counts[key] = counts.get(key, 0) + 1
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return {shown[key]: count for key, count in ordered}


def needs_of(invitations: Sequence[Invitation]) -> NeedsSummary:
    """The needs summary of a guest list (accepted and attended guests only)."""
    coming = [i for i in invitations if i.status in ACCEPTED]
    return NeedsSummary(
        guests=len(coming),
        plus_ones=sum(i.plus_ones for i in coming),
        dietary=_tally([i.dietary for i in coming]),
        access_needs=_tally([i.access_needs for i in coming]),
        interpretation=_tally([i.interpretation for i in coming]),
    )


def needs_line(needs: NeedsSummary) -> str:
    """The needs summary in one line, for the guest list and a task watching it:
    "Needs of 9 accepted + 2 plus-ones = 11 · Dietary: halal 1 · Access: hearing loop 1"."""
    if needs.guests == 0:
        return "Needs: nobody has accepted yet."
    head = f"Needs of {needs.guests} accepted"
    if needs.plus_ones:
        noun = "plus-one" if needs.plus_ones == 1 else "plus-ones"
        head += f" + {needs.plus_ones} {noun} = {needs.total}"
    parts = [head]
    for label, counts in (
        ("Dietary", needs.dietary),
        ("Access", needs.access_needs),
        ("Interpretation", needs.interpretation),
    ):
        if counts:
            parts.append(f"{label}: " + ", ".join(f"{k} {n}" for k, n in counts.items()))
    return " · ".join(parts)


def first_waitlisted(lines: Sequence[GuestLine]) -> GuestLine | None:
    """The guest longest on the waitlist: earliest reply day, then earliest added."""
    waiting = [line for line in lines if line.invitation.status == "waitlisted"]
    if not waiting:
        return None
    return min(
        waiting,
        key=lambda line: (
            line.invitation.responded_on or date.max,
            line.invitation.created_at or "",
            line.id,
        ),
    )


SORT_COLUMNS = ("name", "organisation", "status", "role", "replied", "needs")
"""The columns a guest list sorts by, in the order the sort key cycles through them."""

_STATUS_ORDER = {status: n for n, status in enumerate(INVITATION_STATUSES)}
_ROLE_ORDER = {role: n for n, role in enumerate(INVITATION_ROLES)}
_FIELDS = {
    "status": "status",
    "role": "role",
    "org": "organisation",
    "organisation": "organisation",
}


def sort_lines(
    lines: Sequence[GuestLine], column: str, *, reverse: bool = False
) -> list[GuestLine]:
    """Lines sorted by a column (statuses in lifecycle order), then by name."""

    def key(line: GuestLine) -> tuple[object, ...]:
        invitation = line.invitation
        name = fold(line.name)
        if column == "organisation":
            return (line.organisation is None, fold(line.organisation or ""), name)
        if column == "role":
            return (_ROLE_ORDER.get(invitation.role, 99), name)
        if column == "status":
            return (_STATUS_ORDER.get(invitation.status, 99), name)
        if column == "needs":
            needs = [invitation.dietary, invitation.access_needs, invitation.interpretation]
            return (-sum(bool(n) for n in needs) - invitation.plus_ones, name)
        if column == "replied":
            return (invitation.responded_on is None, invitation.responded_on or date.min, name)
        return (name, line.id)

    return sorted(lines, key=key, reverse=reverse)


def filter_lines(lines: Sequence[GuestLine], text: str) -> list[GuestLine]:
    """Lines matching every word typed; "status:", "role:" and "org:" narrow to a field.

    A plain word matches the start of any word of the name, organisation, email, role or
    status (accents and case ignored); a field word matches the start of that field.
    """
    words = text.split()
    if not words:
        return list(lines)
    tests: list[tuple[str | None, str]] = []
    for word in words:
        name, sep, value = word.partition(":")
        field = _FIELDS.get(name.casefold()) if sep else None
        tests.append((field, fold(value if field else word)))

    def matches(line: GuestLine) -> bool:
        invitation = line.invitation
        values = {
            "status": fold(invitation.status),
            "role": fold(invitation.role),
            "organisation": fold(line.organisation or ""),
        }
        everything = " ".join([fold(line.name), fold(line.email or ""), *values.values()])
        for field, wanted in tests:
            haystack = everything if field is None else values[field]
            if wanted not in haystack:
                return False
        return True

    return [line for line in lines if matches(line)]
