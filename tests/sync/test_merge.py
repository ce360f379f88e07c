"""The three-way merge alone: fields and guests against a base (no server)."""

from __future__ import annotations

from typing import Any

import pytest

from tui.domain.sync.carriers import from_text, to_text
from tui.domain.sync.merge import merge


def doc(members: dict[str, Any] | None = None, **fields: Any) -> dict[str, Any]:
    return {"fields": fields, "members": members or {}}


@pytest.mark.parametrize(
    ("base", "local", "remote", "merged", "conflicts"),
    [
        (doc(a=1, b=1), doc(a=2, b=1), doc(a=1, b=3), doc(a=2, b=3), {}),
        (doc(a=1), doc(a=2), doc(a=2), doc(a=2), {}),
        (doc(a=1), doc(a=2), doc(a=3), doc(a=2), {"a": (2, 3)}),
        (doc(a=1), doc(), doc(a=1), doc(), {}),  # a field removed here stays removed
        (None, doc(a=1), doc(a=1), doc(a=1), {}),  # no base (a crash after a PUT): equal
        (
            doc({"p": {"s": "invited"}, "q": {"s": "invited"}}),
            doc({"p": {"s": "accepted"}, "q": {"s": "invited"}}),
            doc({"p": {"s": "invited"}, "q": {"s": "declined"}, "r": {"s": "to-invite"}}),
            doc({"p": {"s": "accepted"}, "q": {"s": "declined"}, "r": {"s": "to-invite"}}),
            {},
        ),
        (
            doc({"p": {"s": "invited"}}),
            doc({"p": {"s": "accepted"}}),
            doc({}),
            doc({"p": {"s": "accepted"}}),
            {"member:p": ({"s": "accepted"}, None)},
        ),
    ],
)
def test_merge(
    base: dict[str, Any] | None,
    local: dict[str, Any],
    remote: dict[str, Any],
    merged: dict[str, Any],
    conflicts: dict[str, Any],
) -> None:
    result = merge(base, local, remote)
    assert result.document == merged and result.conflicts == conflicts


def test_a_document_survives_its_carrier_exactly() -> None:
    """What is pushed reads back as the same document (the merge base depends on it)."""
    document = doc(
        {"person-1": {"uid": "inv-1", "status": "waitlisted", "travel": "LH 123, Hotel; visa"}},
        title="Dinner, \"quoted\"; and\nnewline [x]",
        start_date="2026-12-10",
        end_date="2026-12-11",
        start_time="19:00",
        end_time="22:00",
        timezone="Europe/Zurich",
        repeat="FREQ=WEEKLY;COUNT=3",
        capacity=12,
        link_only=False,
        contacts=["person-1"],
    )
    assert from_text(to_text("event", "e-1", document)) == ("event", "e-1", document)
    card = doc(name="Amina Diallo", email="a@example.org", notes="one, two; three")
    assert from_text(to_text("person", "p-1", card)) == ("person", "p-1", card)
