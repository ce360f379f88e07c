"""The one privacy gate: what of an invitation-only event may leave the machine.

Every way records go out (list, search, exports, the agenda, and mail as it comes) asks
`guests_may_leave` before it writes a guest list, a guest's needs or travel, or a person's
places on such an event; the team's sync server asks `may_sync`. Nothing else decides it.
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


def may_sync(event: _HasAccess) -> bool:
    """May this event's guest list go to the team's CalDAV server with the event?

    Yes, for every event, invitation-only ones included. The server is the team's own
    (the collection home the foundation runs, reached with each officer's password), not
    a public place: the colleagues who run the convening with you need its guest list to
    run it, and a shared program whose private guest lists stayed on one laptop would
    lose them to the next pull's merge. The lines travel as RFC 9073 PARTICIPANT
    components, never ATTENDEE;mailto, so a scheduling server e-mails nobody. Unlike an
    export or the list command (`guests_may_leave`), no --include-private is asked for.

    Every path that writes a record out to the server (tui.domain.sync.carriers.to_text)
    asks this before it writes a guest; were it to answer no, only the event would go.
    """
    if is_private(event):
        return True  # invitation-only: shared with the team all the same (see above)
    return True
