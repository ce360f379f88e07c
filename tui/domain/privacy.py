"""The one privacy gate: what of an invitation-only event may leave the machine.

Every way records go out (list, search, exports, the agenda, and mail and sync as they
come) asks `guests_may_leave` before it writes a guest list, a guest's needs or travel,
or a person's places on such an event. Nothing else decides it.
"""

from __future__ import annotations

from typing import Protocol


class _HasAccess(Protocol):
    @property
    def access(self) -> str: ...


PRIVATE_ACCESS = "invitation-only"
"""The access level whose guest list is private."""

LEFT_OUT = "the guest list of this invitation-only event is left out (--include-private)"
"""What an output says when the gate kept a guest list back."""


def is_private(event: _HasAccess) -> bool:
    """Is this event's guest list private (an invitation-only event)?"""
    return event.access == PRIVATE_ACCESS


def guests_may_leave(event: _HasAccess, include_private: bool) -> bool:
    """May this event's guest list (names, statuses, needs, travel) be written out?"""
    return include_private or not is_private(event)
