"""InvitationFormScreen: every field of one guest-list line."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from functools import partial

from tui.domain import validate
from tui.domain.errors import InvalidInput
from tui.domain.models import (
    INVITATION_ROLES,
    INVITATION_STATUSES,
    RESPONSE_VIA,
    GuestLine,
    Invitation,
)
from tui.screens.forms.base import Field, FormScreen


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


class InvitationFormScreen(FormScreen[Invitation]):
    """Edit a guest's status, role, reply, needs, travel and notes."""

    def __init__(self, line: GuestLine, *, day_first: bool = True) -> None:
        self.line = line
        self.day_first = day_first
        invitation = line.invitation
        date_check = partial(validate.date_value, day_first=day_first)
        fields = [
            Field("status", "Status", invitation.status, INVITATION_STATUSES, allow_blank=False),
            Field("role", "Role", invitation.role, INVITATION_ROLES, allow_blank=False),
            Field(
                "invited_on",
                "Invited on",
                _day(invitation.invited_on),
                check=lambda text: date_check(text, "invited on"),
                placeholder="e.g. 2026-11-02 or Nov 2, 2026",
                checked_with=("responded_on",),
            ),
            Field(
                "responded_on",
                "Replied on",
                _day(invitation.responded_on),
                check=lambda text: date_check(text, "replied on"),
                placeholder="the day the reply came",
                hint=self._reply_before_invitation,
            ),
            Field("response_via", "Reply via", invitation.response_via or "", RESPONSE_VIA),
            Field(
                "plus_ones",
                "Plus-ones",
                str(invitation.plus_ones),
                check=lambda text: validate.int_value(
                    text, "plus-ones", maximum=validate.MAX_PLUS_ONES
                ),
            ),
            Field("dietary", "Dietary", invitation.dietary or "", placeholder="e.g. vegetarian"),
            Field("access_needs", "Access needs", invitation.access_needs or ""),
            Field(
                "interpretation",
                "Interpretation",
                invitation.interpretation or "",
                placeholder="languages, comma-separated",
            ),
            Field("travel", "Travel", invitation.travel or "", placeholder="flights, hotel, visa"),
            Field("notes", "Notes", invitation.notes or ""),
        ]
        super().__init__(f"Guest: {line.name}", fields)

    def _reply_before_invitation(self, text: str) -> str | None:
        """A note (not a refusal: a reply can come before a formal invitation) when the
        reply's day is before the invitation's."""
        try:
            replied = validate.date_value(text, "replied on", day_first=self.day_first)
            invited = validate.date_value(
                self.values()["invited_on"], "invited on", day_first=self.day_first
            )
        except InvalidInput:
            return None  # said under the field itself
        if replied is None or invited is None or replied >= invited:
            return None
        return f"before the invitation ({invited.day} {invited:%b %Y}): is that the day meant?"

    def edits_a_record(self) -> bool:
        """Opened on a stored record (see FormScreen.edits_a_record)."""
        return True

    def build(self, values: dict[str, str]) -> Invitation:
        """The line with the checked values."""
        checked = validate.invitation_fields(values, day_first=self.day_first)
        return replace(self.line.invitation, **checked)
