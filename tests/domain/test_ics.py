"""iCalendar in and out: real-world styles, round trip, bad input."""

from __future__ import annotations

import hashlib
from datetime import date, time
from pathlib import Path

import pytest

from tui.domain.errors import InvalidInput
from tui.domain.importers import calendar_ics
from tui.domain.models import Event
from tui.domain.service import Planner

ICS = Path(__file__).resolve().parents[1] / "fixtures" / "ics"


def _event(planner: Planner, uid: str) -> Event:
    event = planner.store.by_uid(Event, uid)
    assert event is not None and event.id is not None
    return event


def _guests(planner: Planner, event: Event) -> dict[str, tuple[str, str]]:
    assert event.id
    return {p.name: (i.status, i.role) for i, p in planner.guests_with_people(event.id)}


def test_outlook_windows_zone_organizer_and_attendees(empty_planner: Planner) -> None:
    report = empty_planner.import_file(ICS / "outlook.ics")
    assert report.summary().endswith("added 1 event, 3 people, 2 guests; linked 1")
    [event] = empty_planner.events()
    assert event.title == "Zürich roundtable: preparatory call"
    assert (event.start_date, event.start_time, event.end_time) == (
        date(2026, 12, 1),
        time(14),
        time(15),
    )
    assert event.timezone == "Europe/Berlin"  # "W. Europe Standard Time"
    assert (event.status, event.access, event.location) == (
        "confirmed",
        "public",
        "Microsoft Teams Meeting",
    )
    assert (
        event.description
        == "Preparatory call for the Zürich roundtable.\nAgenda: speakers, interpretation, venue."
    )
    assert _guests(empty_planner, event) == {
        "Kelsey Paul Shantz": ("invited", "participant"),
        "Marie Dubois": ("accepted", "moderator"),
    }
    assert event.id and [c.name for c in empty_planner.contacts_for(event.id)] == ["Lukas Brunner"]


def test_google_utc_times_in_the_calendars_zone_and_all_day_events(empty_planner: Planner) -> None:
    empty_planner.import_file(ICS / "google.ics")
    visit = _event(empty_planner, "7kukuqrmmg1c5bhbh2ioc3acbs@google.com")
    assert (visit.start_time, visit.end_time, visit.timezone) == (
        time(8, 30),
        time(17),
        "Africa/Nairobi",
    )
    assert visit.status == "planned"  # TENTATIVE
    assert _guests(empty_planner, visit) == {
        "Peter Mwangi": ("declined", "participant"),
        "New Guest": ("tentative", "participant"),
    }
    closed = _event(empty_planner, "allday-3days@google.com")
    # DTEND of a DATE is exclusive: 28 to 31 is the 28th, 29th and 30th.
    assert (closed.start_date, closed.end_date, closed.start_time) == (
        date(2026, 12, 28),
        date(2026, 12, 30),
        None,
    )
    assert closed.access == "closed"  # CLASS:PRIVATE


def test_apple_repeat_rule_with_an_exception(empty_planner: Planner) -> None:
    empty_planner.import_file(ICS / "apple.ics")
    event = _event(empty_planner, "5C1B9E7A-2D3F-4A6B-9C8D-1E2F3A4B5C6D")
    assert event.repeat == "RRULE:FREQ=WEEKLY;COUNT=6\nEXDATE:20261224"
    assert (
        event.program_area == "Mass Violence and Atrocities"
        and event.url == "https://example.org/checkin"
    )
    days = [
        o.start_date.day
        for o in empty_planner.occurrences_between(date(2026, 12, 1), date(2027, 1, 31))
    ]
    assert days == [10, 17, 31, 7, 14]  # six weeks, the 24th left out


def test_khal_floating_time_has_no_zone(empty_planner: Planner) -> None:
    empty_planner.import_file(ICS / "khal.ics")
    event = _event(empty_planner, "XK3JH2KL9ZQ1@khal")
    assert (event.start_time, event.timezone, event.location) == (
        time(12, 30),
        None,
        "Café Sacher, Vienna",
    )


def _digest(planner: Planner) -> str:
    return hashlib.sha256("\n".join(planner.store._conn.iterdump()).encode()).hexdigest()


def test_importing_again_changes_nothing_and_a_change_is_named(
    empty_planner: Planner, tmp_path: Path
) -> None:
    empty_planner.import_file(ICS / "outlook.ics")
    before = _digest(empty_planner)
    assert empty_planner.import_file(ICS / "outlook.ics").summary().endswith("nothing new")
    assert _digest(empty_planner) == before
    moved = tmp_path / "moved.ics"
    moved.write_text(
        (ICS / "outlook.ics").read_text().replace("20261201T140000", "20261201T143000")
    )
    report = empty_planner.import_file(moved)
    assert report.changes == ["Zürich roundtable: preparatory call: start_time"]
    assert len(empty_planner.events()) == 1


def test_round_trip_through_our_export_is_exact(
    planner: Planner, empty_planner: Planner, tmp_path: Path
) -> None:
    events = planner.events(date(2019, 1, 1), date(2027, 12, 31))
    path = tmp_path / "all.ics"
    path.write_text(planner.events_ics(events, include_private=True))
    empty_planner.import_file(path)
    keep = (
        "uid",
        "title",
        "start_date",
        "end_date",
        "start_time",
        "end_time",
        "timezone",
        "location",
        "description",
        "url",
        "program_area",
        "status",
        "kind",
        "access",
        "repeat",
    )
    for original in events:
        copy = _event(empty_planner, original.uid or "")
        for name in keep:
            if name == "location" and original.venue:
                assert copy.location == f"{original.venue}, {original.location}"
                continue
            assert getattr(copy, name) == getattr(original, name), (original.title, name)
        assert original.id
        statuses = sorted(i.status for i in planner.invitations_for(original.id))
        copied = sorted(i.status for i in empty_planner.invitations_for(copy.id or 0))
        # Statuses iCalendar cannot tell apart come back as their nearest PARTSTAT.
        nearest = {
            "to-invite": "invited",
            "waitlisted": "invited",
            "attended": "accepted",
            "no-show": "declined",
        }
        assert copied == sorted(nearest.get(s, s) for s in statuses)


def test_export_leaves_out_invitation_only_guests_unless_asked(planner: Planner) -> None:
    [dinner] = planner.store.by_key(Event, "Policy Dinner: Cities and Atrocity Prevention")
    assert "ATTENDEE" not in planner.events_ics([dinner])
    text = planner.events_ics([dinner], include_private=True)
    assert text.count("ATTENDEE") == 16 and text.count("BEGIN:VTIMEZONE") == 1
    assert "TZID:America/New_York" in text
    assert planner.events_ics([dinner]) == planner.events_ics([dinner])  # stable


def _write(tmp_path: Path, name: str, body: str) -> Path:
    path = tmp_path / name
    path.write_text(body)
    return path


EVENT = "BEGIN:VCALENDAR\nVERSION:2.0\nBEGIN:VEVENT\nUID:{uid}\nSUMMARY:x\n{lines}\nEND:VEVENT\nEND:VCALENDAR\n"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            EVENT.format(uid="u-1", lines="DTSTART:20261332T093000"),
            "u-1.ics:6: event u-1: DTSTART cannot be read (Wrong datetime format",
        ),
        (
            EVENT.format(uid="u-2", lines="DTSTART;TZID=Mars/Olympus:20261208T093000"),
            "u-2.ics:6: event u-2: TZID 'Mars/Olympus' is not a known time zone",
        ),
        (
            EVENT.format(uid="u-3", lines="DTSTART:20261210T100000\nDTEND:20261210T090000"),
            "u-3.ics:7: event u-3: ends before it starts",
        ),
        (
            EVENT.format(uid="u-4", lines="DESCRIPTION:no start"),
            "u-4.ics:3: event u-4: has no DTSTART",
        ),
        ("BEGIN:VCALENDAR\nVERSION:2.0\nEND:VCALENDAR\n", "has no events"),
        ("Subject: meeting\n\nSee you there\n", "is not an iCalendar file"),
        (
            "BEGIN:VCALENDAR\nX-WR-TIMEZONE:Nowhere/Land\nBEGIN:VEVENT\nUID:a\nDTSTART:20260101T100000Z\nEND:VEVENT\nEND:VCALENDAR\n",
            "X-WR-TIMEZONE 'Nowhere/Land' is not a known time zone",
        ),
    ],
)
def test_bad_ics_names_the_uid_and_line_and_writes_nothing(
    planner: Planner, tmp_path: Path, body: str, message: str
) -> None:
    uid = body.split("UID:")[1].split("\n")[0] if "UID:u-" in body else "file"
    path = _write(tmp_path, f"{uid}.ics", body)
    before = _digest(planner)
    with pytest.raises(InvalidInput) as caught:
        planner.import_file(path)
    assert message in str(caught.value) and "\n" not in str(caught.value)
    assert _digest(planner) == before


def test_many_components_need_large(
    empty_planner: Planner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(calendar_ics, "MAX_COMPONENTS", 3)
    events = "".join(
        f"BEGIN:VEVENT\nUID:e{i}\nSUMMARY:E{i}\nDTSTART;VALUE=DATE:2026120{i}\nEND:VEVENT\n"
        for i in range(1, 5)
    )
    path = _write(tmp_path, "many.ics", f"BEGIN:VCALENDAR\nVERSION:2.0\n{events}END:VCALENDAR\n")
    with pytest.raises(InvalidInput, match="import it with --large"):
        empty_planner.import_file(path)
    assert empty_planner.import_file(path, large=True).summary().endswith("added 4 events")


def test_an_unbounded_rule_only_expands_over_the_range(
    empty_planner: Planner, tmp_path: Path
) -> None:
    path = _write(
        tmp_path,
        "daily.ics",
        "BEGIN:VCALENDAR\nVERSION:2.0\nBEGIN:VEVENT\nUID:d\nSUMMARY:Daily\n"
        "DTSTART;VALUE=DATE:19000101\nRRULE:FREQ=DAILY\nEND:VEVENT\nEND:VCALENDAR\n",
    )
    empty_planner.import_file(path)
    assert len(empty_planner.occurrences_between(date(2026, 12, 1), date(2026, 12, 31))) == 31


@pytest.mark.parametrize(
    ("start_time", "zone", "until_in_file"),
    [
        (time(9), "America/New_York", "UNTIL=20200202T045959Z"),  # a zone: UTC date-time
        (time(9), None, "UNTIL=20200201T235959"),  # floating: a floating date-time
        (None, None, "UNTIL=20200201"),  # all day: a date
    ],
)
def test_until_takes_the_start_value_type_and_comes_back_as_a_day(
    empty_planner: Planner,
    tmp_path: Path,
    start_time: time | None,
    zone: str | None,
    until_in_file: str,
) -> None:
    """RFC 5545 3.3.10: calcurse refuses UNTIL=20200201 beside a DTSTART with a time."""
    event = empty_planner.save(
        Event(
            title="Monthly",
            start_date=date(2019, 3, 5),
            end_date=date(2019, 3, 5),
            start_time=start_time,
            end_time=time(10) if start_time else None,
            timezone=zone,
            repeat="FREQ=MONTHLY;UNTIL=20200201",
        )
    )
    text = empty_planner.events_ics([event])
    assert until_in_file in text.replace("\r\n ", "")
    path = tmp_path / "monthly.ics"
    path.write_text(text)
    other = tmp_path / "other.db"
    from tui.domain.store import Store

    copy = Planner(Store(other))
    copy.import_file(path)
    [back] = copy.events()
    assert back.repeat == "FREQ=MONTHLY;UNTIL=20200201"
    days = [o.start_date for o in copy.occurrences_between(date(2019, 1, 1), date(2020, 12, 31))]
    assert days[0] == date(2019, 3, 5) and days[-1] == date(2020, 1, 5) and len(days) == 11
    copy.store.close()
