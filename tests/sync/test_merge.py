"""The three-way merge alone: fields and guests against a base (no server)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

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
        # One guest's line changed on both sides in different parts: both kept.
        (
            doc({"p": {"s": "invited", "diet": None}}),
            doc({"p": {"s": "invited", "diet": "vegan"}}),
            doc({"p": {"s": "accepted", "diet": None}}),
            doc({"p": {"s": "accepted", "diet": "vegan"}}),
            {},
        ),
        # In the same part too: only that part is in question, the other change stays
        # whichever is kept.
        (
            doc({"p": {"s": "invited", "diet": None}}),
            doc({"p": {"s": "declined", "diet": "vegan"}}),
            doc({"p": {"s": "accepted", "diet": None}}),
            doc({"p": {"s": "declined", "diet": "vegan"}}),
            {
                "member:p": (
                    {"s": "declined", "diet": "vegan"},
                    {"s": "accepted", "diet": "vegan"},
                )
            },
        ),
        # A guest both sides added (one person invited on two laptops): the server's line
        # identity, no question where the parts agree or only one side set them.
        (
            doc({}),
            doc({"p": {"uid": "here", "s": "invited", "diet": "vegan"}}),
            doc({"p": {"uid": "there", "s": "invited", "diet": None}}),
            doc({"p": {"uid": "there", "s": "invited", "diet": "vegan"}}),
            {},
        ),
        (
            None,
            doc({"p": {"uid": "here", "status": "declined"}}),
            doc({"p": {"uid": "there", "status": "accepted"}}),
            doc({"p": {"uid": "there", "status": "declined"}}),
            {
                "member:p": (
                    {"uid": "there", "status": "declined"},
                    {"uid": "there", "status": "accepted"},
                )
            },
        ),
        # A side whose line is still as new ("to-invite", a participant) set nothing there.
        (
            doc({}),
            doc({"p": {"uid": "here", "status": "to-invite", "role": "speaker"}}),
            doc({"p": {"uid": "there", "status": "invited", "role": "participant"}}),
            doc({"p": {"uid": "there", "status": "invited", "role": "speaker"}}),
            {},
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
        title='Dinner, "quoted"; and\nnewline [x]',
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


@settings(max_examples=150, deadline=None)
@given(
    title=st.text(min_size=1, max_size=80),
    notes=st.text(max_size=200),
    travel=st.text(max_size=120),
)
# A backslash before an N (a Windows path): icalendar reads it as a line break.
@example(title="0", notes="", travel="\\N")
@example(title="C:\\New\\Nairobi", notes="D:\\\\N", travel="a\\Nb")
def test_any_text_survives_the_carriers(title: str, notes: str, travel: str) -> None:
    """Whatever a field holds (commas, semicolons, backslashes, newlines, any script)
    comes back from iCalendar and vCard as it went."""
    event = doc(
        {"p": {"uid": "i", "travel": travel, "notes": notes}},
        title=title,
        notes=notes,
        start_date="2026-12-10",
        end_date="2026-12-10",
    )
    parsed = from_text(to_text("event", "e", event))
    assert parsed is not None
    assert parsed[2]["members"] == event["members"]
    assert parsed[2]["fields"]["notes"] == notes and parsed[2]["fields"]["title"] == title
    card = from_text(to_text("person", "p", doc(name=title, notes=notes)))
    assert card is not None and card[2]["fields"] == {"name": title, "notes": notes}


def test_a_rename_in_another_client_is_read() -> None:
    text = to_text(
        "event", "e", doc(title="Dinner", start_date="2026-12-10", end_date="2026-12-10")
    )
    parsed = from_text(text.replace("SUMMARY:Dinner", "SUMMARY:Policy dinner"))
    assert parsed is not None and parsed[2]["fields"]["title"] == "Policy dinner"
    card = to_text("person", "p", doc(name="Ana Ruiz"))
    parsed = from_text(card.replace("FN:Ana Ruiz", "FN:Ana Ruiz Soto"))
    assert parsed is not None and parsed[2]["fields"]["name"] == "Ana Ruiz Soto"


def test_each_uid_has_its_own_resource_name_however_long() -> None:
    """Cut to 120 characters alone, the changed occurrences of a series with an Outlook
    uid (112 characters) had one name, and one overwrote the other on the server."""
    from datetime import date

    from tui.domain.recurrence import occurrence_uid
    from tui.domain.sync.carriers import href_name

    series = "040000008200E00074C5B7101A82E008" + "0" * 80
    first = href_name("event", occurrence_uid(series, date(2027, 1, 12)))
    second = href_name("event", occurrence_uid(series, date(2027, 1, 19)))
    assert first != second and len(first) <= 124 and first.endswith(".ics")
    assert href_name("event", series) not in (first, second)
    # A short uid keeps the name it always had.
    assert href_name("person", "ann-1@example.org") == "ann-1_example.org.vcf"
