"""iCalendar in and out: real-world styles, round trip, bad input."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import date, time
from pathlib import Path

import pytest

from tui.domain.errors import InvalidInput
from tui.domain.importers import calendar_ics
from tui.domain.models import Event, Task
from tui.domain.planner import Planner
from tui.domain.store import Store

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
    first = planner.events(date(2019, 1, 1), date(2027, 12, 31))[0]
    # A summary of several lines, with the characters iCalendar escapes (it crashed).
    planner.save(replace(first, summary="Line one; two, three\n- a bullet\\ here"))
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
        "summary",
        "capacity",
        "link_only",
    )
    assert any(e.link_only for e in events) and any(e.capacity for e in events)
    assert any(e.summary for e in events)
    for original in events:
        copy = _event(empty_planner, original.uid or "")
        for name in (*keep, "venue"):
            assert getattr(copy, name) == getattr(original, name), (original.title, name)
        assert original.id
        # Every status and role comes back as it was (X-CONVENER-STATUS/ROLE beside
        # PARTSTAT and ROLE, which have no word for waitlisted, to-invite or press).
        lines = sorted((i.status, i.role) for i in planner.invitations_for(original.id))
        copied = sorted((i.status, i.role) for i in empty_planner.invitations_for(copy.id or 0))
        assert copied == lines
    # Into the database it came from: nothing new (events known only by a link stayed so).
    before = _digest(planner)
    assert planner.import_file(path).summary().endswith("nothing new")
    assert _digest(planner) == before


def test_a_link_only_mark_never_makes_an_event_known_in_full_link_only(
    planner: Planner, tmp_path: Path
) -> None:
    [dinner] = planner.store.by_key(Event, "Policy Dinner: Cities and Atrocity Prevention")
    assert not dinner.link_only
    # Another database knew it only from a link, and exported it so.
    text = planner.events_ics([replace(dinner, link_only=True)], include_private=True)
    assert "X-CONVENER-LINK-ONLY:TRUE" in text
    path = _write(tmp_path, "theirs.ics", text)
    planner.import_file(path)
    assert not _event(planner, dinner.uid or "").link_only


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
        (
            EVENT.format(uid="u-5", lines="DTSTART:20261210T100000\nX-CONVENER-CAPACITY:-3"),
            "u-5.ics:7: event u-5: capacity must be at least 0",
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


def _calendar(*events: str) -> str:
    return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n" + "".join(events) + "END:VCALENDAR\r\n"


def _vevent(uid: str, *lines: str, day: str = "20261207") -> str:
    body = "".join(f"{line}\r\n" for line in lines)
    return (
        f"BEGIN:VEVENT\r\nUID:{uid}\r\nSUMMARY:{uid}\r\nDTSTART:{day}T090000\r\n"
        f"DTEND:{day}T100000\r\n{body}END:VEVENT\r\n"
    )


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (  # cut off in the middle of an event
            "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:a\nDTSTART:20261207T090000\n",
            "t.ics:2: ends inside this BEGIN:VEVENT, with no END:VEVENT",
        ),
        (
            "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:a\nDTSTART:20261207T090000\nEND:VTODO\n",
            "t.ics:5: END:VTODO where END:VEVENT was expected",
        ),
        (
            _calendar(_vevent("a")) + "Sent from my phone\n",
            "t.ics:10: text after END:VCALENDAR",
        ),
        (
            "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:a\nDTSTART:20261207T090000\nSUMMARY;:x\n"
            "END:VEVENT\nEND:VCALENDAR\n",
            "t.ics:5: cannot read the line 'SUMMARY;:x'",
        ),
        (
            _calendar(_vevent("a", "RRULE:FREQ=SOMETIMES")),
            "t.ics:8: event a: RRULE cannot be read (Expected frequency, got: SOMETIMES)",
        ),
    ],
)
def test_broken_structure_names_the_line_and_writes_nothing(
    planner: Planner, tmp_path: Path, body: str, message: str
) -> None:
    path = _write(tmp_path, "t.ics", body)
    before = _digest(planner)
    with pytest.raises(InvalidInput) as caught:
        planner.import_file(path)
    assert message in str(caught.value)
    assert _digest(planner) == before


def test_invalid_utf8_far_into_the_file_names_its_line(planner: Planner, tmp_path: Path) -> None:
    path = tmp_path / "latin1.ics"
    path.write_bytes(_calendar(_vevent("a"), _vevent("b", "LOCATION:Z\xfcrich")).encode("latin-1"))
    before = _digest(planner)
    with pytest.raises(InvalidInput, match=r"latin1.ics:14: is not UTF-8 text"):
        planner.import_file(path)
    assert _digest(planner) == before


def test_quoted_and_escaped_values_read_as_icalendar_means_them(
    empty_planner: Planner, tmp_path: Path
) -> None:
    path = _write(
        tmp_path,
        "q.ics",
        _calendar(
            _vevent(
                "q",
                "LOCATION:Room 4\\, Palais des Nations\\; Geneva",
                'ATTENDEE;CN="Dubois: Marie";PARTSTAT=ACCEPTED:mailto:marie@example.org',
                "ATTENDEE;CN=Ana ^'Nana^' Silva:mailto:ana@example.org",
                "CATEGORIES:Cities\\, local,Prevention",
                "DESCRIPTION:Line one\\nline two",
            )
        ),
    )
    empty_planner.import_file(path)
    event = _event(empty_planner, "q")
    assert event.location == "Room 4, Palais des Nations; Geneva"
    assert event.program_area == "Cities, local, Prevention"
    assert event.description == "Line one\nline two"
    assert set(_guests(empty_planner, event)) == {"Dubois: Marie", 'Ana "Nana" Silva'}


def test_a_large_import_undoes_in_one_step_with_every_row_as_it_was(
    planner: Planner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.domain.test_undo import snapshot
    from tui.domain.planner import ics_writer

    # Events go in batches of 2, guest lines in batches of 3+.
    monkeypatch.setattr(ics_writer._Batch, "EVENTS", 2)
    monkeypatch.setattr(ics_writer._Batch, "LINES", 3)
    people = [f"ATTENDEE;CN=Guest {n}:mailto:guest{n}@example.org" for n in range(7)]
    events = [_vevent(f"big-{i}", *people[i:], day=f"2026120{i + 1}") for i in range(5)]
    path = _write(tmp_path, "big.ics", _calendar(*events))
    before, schema = snapshot(planner.store), _schema(planner)
    report = planner.import_file(path)
    assert report.summary().endswith("added 5 events, 7 people, 25 guests")
    assert _schema(planner) == schema  # the undo trigger set aside is back
    assert planner.undo() == "Import big.ics"
    assert snapshot(planner.store) == before
    # A later change still undoes on its own, by the trigger that was put back.
    planner.import_file(path)
    event = _event(planner, "big-0")
    assert event.id
    line = planner.guest_lines(event.id)[0].invitation
    planner.save(replace(line, status="accepted"))
    planner.undo()
    assert planner.guest_lines(event.id)[0].invitation.status == line.status


def _schema(planner: Planner) -> list[str]:
    return [r["sql"] for r in planner.store._rows("select sql from sqlite_master order by name")]


def test_a_bad_event_after_batches_were_written_leaves_nothing(
    planner: Planner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tui.domain.planner import ics_writer

    monkeypatch.setattr(ics_writer._Batch, "EVENTS", 1)
    monkeypatch.setattr(ics_writer._Batch, "LINES", 2)
    people = [f"ATTENDEE;CN=Guest {n}:mailto:guest{n}@example.org" for n in range(4)]
    good = [_vevent(f"ok-{i}", *people, day=f"2026120{i + 1}") for i in range(3)]
    bad = "BEGIN:VEVENT\r\nUID:bad\r\nDTSTART:20261399T090000\r\nEND:VEVENT\r\n"
    path = _write(tmp_path, "half.ics", _calendar(*good, bad))
    before = _digest(planner)
    with pytest.raises(InvalidInput, match="event bad: DTSTART cannot be read"):
        planner.import_file(path)
    assert _digest(planner) == before


def test_progress_is_told_and_cancelling_writes_nothing(
    planner: Planner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tui.domain.errors import Cancelled
    from tui.domain.planner import importing

    monkeypatch.setattr(importing, "PROGRESS_EVERY", 2)
    path = _write(tmp_path, "six.ics", _calendar(*(_vevent(f"p{i}") for i in range(6))))
    seen: list[tuple[int, int]] = []
    size = path.stat().st_size

    def progress(done: int, total: int) -> None:
        seen.append((done, total))
        if len(seen) == 2:
            raise Cancelled("cancelled: nothing of six.ics was written")

    before = _digest(planner)
    with pytest.raises(Cancelled, match=r"six\.ics: cancelled"):
        planner.import_file(path, progress=progress)
    assert _digest(planner) == before
    assert [total for _, total in seen] == [size, size] and 0 < seen[0][0] < seen[1][0] < size
    seen.clear()
    planner.import_file(path, progress=lambda done, total: seen.append((done, total)))
    assert len(seen) == 3 and seen[-1][0] == size


def test_a_changed_occurrence_becomes_its_own_event_and_the_series_skips_that_day(
    empty_planner: Planner, tmp_path: Path
) -> None:
    series = _vevent("weekly", "RRULE:FREQ=WEEKLY;COUNT=4", day="20261207")
    moved = (
        "BEGIN:VEVENT\r\nUID:weekly\r\nRECURRENCE-ID:20261214T090000\r\n"
        "SUMMARY:weekly (moved to Tuesday)\r\nDTSTART:20261215T110000\r\n"
        "DTEND:20261215T120000\r\nEND:VEVENT\r\n"
    )
    for order in ((series, moved), (moved, series)):
        planner = empty_planner
        path = _write(tmp_path, "weekly.ics", _calendar(*order))
        planner.import_file(path)
        days = [
            (o.start_date, o.event.title)
            for o in planner.occurrences_between(date(2026, 12, 1), date(2026, 12, 31))
        ]
        assert days == [
            (date(2026, 12, 7), "weekly"),
            (date(2026, 12, 15), "weekly (moved to Tuesday)"),
            (date(2026, 12, 21), "weekly"),
            (date(2026, 12, 28), "weekly"),
        ]
        assert planner.import_file(path).summary().endswith("nothing new")


def test_a_timed_multi_day_event_is_one_occurrence_a_day_and_comes_back_as_one(
    planner: Planner, empty_planner: Planner, tmp_path: Path
) -> None:
    """Issue 18: a two-day 09:00-17:00 workshop is not one 32-hour block."""
    from dateutil.rrule import rrulestr
    from icalendar import Calendar

    workshop = planner.save(
        Event(
            title="Two-day Workshop",
            start_date=date(2026, 12, 9),
            end_date=date(2026, 12, 10),
            start_time=time(9),
            end_time=time(17),
            timezone="Europe/Vienna",
            kind="workshop",
        )
    )
    text = planner.events_ics([workshop])
    [vevent] = [c for c in Calendar.from_ical(text).walk("VEVENT")]
    start, end = vevent.decoded("DTSTART"), vevent.decoded("DTEND")
    assert (start.date(), start.hour, end.date(), end.hour) == (
        date(2026, 12, 9),
        9,
        date(2026, 12, 9),
        17,
    )
    assert str(start.tzinfo) == "Europe/Vienna"
    rule = vevent["RRULE"].to_ical()
    assert isinstance(rule, bytes)
    assert rule == b"FREQ=DAILY;COUNT=2"
    # What a calendar client makes of it: two days, 09:00 to 17:00 each.
    days = list(rrulestr(rule.decode(), dtstart=start))
    assert [(d.date(), d.hour) for d in days] == [(date(2026, 12, 9), 9), (date(2026, 12, 10), 9)]

    path = tmp_path / "workshop.ics"
    path.write_text(text)
    empty_planner.import_file(path)
    copy = _event(empty_planner, workshop.uid or "")
    assert (copy.start_date, copy.end_date, copy.start_time, copy.end_time, copy.repeat) == (
        date(2026, 12, 9),
        date(2026, 12, 10),
        time(9),
        time(17),
        None,
    )
    assert planner.import_file(path).summary().endswith("nothing new")


@pytest.mark.parametrize(
    ("start_time", "end_time", "repeat"),
    [
        (None, None, None),  # all-day: one block of whole days
        (time(14), None, None),  # starts at 14:00, no end time: one block
        (time(19), time(1), None),  # evening into the night: one block
        (time(9), time(17), "RRULE:FREQ=WEEKLY;COUNT=3"),  # its own rule wins
    ],
)
def test_other_multi_day_events_stay_one_block(
    planner: Planner,
    start_time: time | None,
    end_time: time | None,
    repeat: str | None,
) -> None:
    event = planner.save(
        Event(
            title="Retreat",
            start_date=date(2026, 12, 9),
            end_date=date(2026, 12, 11),
            start_time=start_time,
            end_time=end_time,
            repeat=repeat,
        )
    )
    text = planner.events_ics([event])
    assert "X-CONVENER-END-DATE" not in text and "COUNT=3;" not in text
    assert ("FREQ=DAILY" in text) is False


def standup(repeat: str) -> Event:
    """A weekly 10:00-10:30 call in New York from 3 December 2026."""
    return Event(
        title="Weekly Standup NY",
        start_date=date(2026, 12, 3),
        end_date=date(2026, 12, 3),
        start_time=time(10, 0),
        end_time=time(10, 30),
        timezone="America/New_York",
        repeat=repeat,
    )


def test_a_timed_series_skips_its_days_as_date_times_in_its_zone_and_reads_back(
    empty_planner: Planner, tmp_path: Path
) -> None:
    from icalendar import Event as VEvent

    from tui.domain.exporters.calendar_ics import add_repeat

    series = standup("RRULE:FREQ=WEEKLY;COUNT=6\nEXDATE:20261217")
    item = VEvent()
    add_repeat(item, series)
    text = item.to_ical().decode()
    # Of DTSTART's type: clients that ignore a date-only EXDATE on a timed series showed it.
    assert "EXDATE;TZID=America/New_York:20261217T100000" in text
    all_day = VEvent()
    add_repeat(
        all_day,
        Event(
            title="x",
            start_date=date(2026, 12, 3),
            end_date=date(2026, 12, 3),
            repeat="RRULE:FREQ=WEEKLY;COUNT=6\nEXDATE:20261217",
        ),
    )
    assert "EXDATE;VALUE=DATE:20261217" in all_day.to_ical().decode()
    # Our own export reads back as the same rule, in another database.
    saved = empty_planner.save(series)
    path = tmp_path / "series.ics"
    path.write_text(empty_planner.events_ics([saved]), encoding="utf-8")
    other = Planner(Store(tmp_path / "other.db"))
    other.import_file(path)
    [back] = other.events()
    assert back.repeat == series.repeat and back.start_time == time(10, 0)


def test_our_own_calendar_file_imported_back_changes_nothing(
    empty_planner: Planner, tmp_path: Path
) -> None:
    # The rule bare (as the form keeps it), a day skipped.
    series = empty_planner.save(standup("FREQ=WEEKLY;COUNT=6\nEXDATE:20261217"))
    path = tmp_path / "series.ics"
    path.write_text(empty_planner.events_ics([series]), encoding="utf-8")
    steps = len(empty_planner.history())
    report = empty_planner.import_file(path)
    assert report.summary().endswith("nothing new"), report.summary()
    assert len(empty_planner.history()) == steps


def _weekly_call_with_one_moved(planner: Planner) -> tuple[Event, Event]:
    series = planner.save(
        Event(
            title="Weekly call",
            start_date=date(2027, 1, 5),
            end_date=date(2027, 1, 5),
            start_time=time(15, 0),
            end_time=time(16, 0),
            timezone="Europe/Vienna",
            repeat="FREQ=WEEKLY;COUNT=4",
        )
    )
    day = date(2027, 1, 12)
    edited = replace(
        series, title="Moved call", start_date=day, end_date=day, start_time=time(17, 0)
    )
    edited = replace(edited, end_time=time(18, 0))
    moved = planner.edit_occurrence(series, date(2027, 1, 12), edited)
    return planner.store.get(Event, series.id or 0), moved


def test_an_occurrence_changed_alone_is_exported_as_its_series_recurrence_id(
    empty_planner: Planner, tmp_path: Path
) -> None:
    from icalendar import Calendar

    series, moved = _weekly_call_with_one_moved(empty_planner)
    assert moved.uid == f"{series.uid}#recurrence-id=20270112"
    assert "EXDATE:20270112" in (series.repeat or "")
    text = empty_planner.events_ics([series, moved])
    items = [c for c in Calendar.from_ical(text).walk("VEVENT")]
    assert [str(c["uid"]) for c in items] == [series.uid, series.uid]
    master, override = items
    # The series no longer leaves the day out: the override moves it (RFC 5545 3.8.4.4).
    assert "exdate" not in master and "recurrence-id" not in master
    assert override.decoded("recurrence-id").isoformat() == "2027-01-12T15:00:00+01:00"
    assert override.decoded("dtstart").isoformat() == "2027-01-12T17:00:00+01:00"
    assert str(override["summary"]) == "Moved call" and "rrule" not in override
    # Read back into another database: the same two events; into this one: nothing new.
    path = tmp_path / "calls.ics"
    path.write_text(text)
    other = Planner(Store(tmp_path / "other.db"))
    other.import_file(path)
    copy = _event(other, series.uid or "")
    assert copy.repeat == series.repeat
    again = _event(other, moved.uid or "")
    assert (again.title, again.start_time, again.start_date) == (
        "Moved call",
        time(17, 0),
        date(2027, 1, 12),
    )
    assert empty_planner.import_file(path).summary().endswith("nothing new")
    # Exported alone, each stays as before: the series leaves the day out, the
    # occurrence is an event of its own.
    alone = Calendar.from_ical(empty_planner.events_ics([series])).walk("VEVENT")
    assert [str(c["uid"]) for c in alone] == [series.uid] and "exdate" in alone[0]
    (single,) = Calendar.from_ical(empty_planner.events_ics([moved])).walk("VEVENT")
    assert str(single["uid"]) == moved.uid and "recurrence-id" not in single
    # The streamed export (agenda --format ics) pairs them the same way.
    streamed = "".join(empty_planner.events_ics_chunks([moved.id or 0, series.id or 0]))
    kinds = [("recurrence-id" in c) for c in Calendar.from_ical(streamed).walk("VEVENT")]
    assert kinds == [True, False]
    assert "EXDATE" not in streamed


def test_the_task_of_an_occurrence_written_as_an_override_names_the_series(
    empty_planner: Planner, tmp_path: Path
) -> None:
    """RELATED-TO names a UID in the file (the series'), and our own import brings the
    task back to the changed occurrence, not to the series."""
    from icalendar import Calendar

    series, moved = _weekly_call_with_one_moved(empty_planner)
    empty_planner.save_task(Task(event_id=moved.id or 0, title="Book the room"))
    text = empty_planner.events_ics([series, moved])
    (todo,) = Calendar.from_ical(text).walk("VTODO")
    assert str(todo["related-to"]) == series.uid
    assert todo["related-to"].params["X-CONVENER-RECURRENCE-ID"] == "20270112"
    path = tmp_path / "calls.ics"
    path.write_text(text)
    other = Planner(Store(tmp_path / "other.db"))
    report = other.import_file(path)
    assert not report.skipped, report.skipped
    again = _event(other, moved.uid or "")
    assert [t.title for t in other.tasks_for(again.id or 0)] == ["Book the room"]
    assert other.tasks_for(_event(other, series.uid or "").id or 0) == []
    # Exported alone, the occurrence is an event of its own and its task names it.
    (alone,) = Calendar.from_ical(empty_planner.events_ics([moved])).walk("VTODO")
    assert str(alone["related-to"]) == moved.uid and not alone["related-to"].params


def test_an_occurrence_changed_into_days_at_the_same_hours_stays_an_event_of_its_own(
    empty_planner: Planner,
) -> None:
    """An override cannot carry the DAILY rule two days at 09:00-17:00 are written with:
    such an occurrence is written as before, and the series leaves its day out."""
    from icalendar import Calendar

    series, _ = _weekly_call_with_one_moved(empty_planner)
    day = date(2027, 1, 19)
    two_days = replace(
        series, start_date=day, end_date=date(2027, 1, 20), repeat=None, title="Two days"
    )
    retreat = empty_planner.edit_occurrence(series, day, two_days)
    series = empty_planner.store.get(Event, series.id or 0)
    text = empty_planner.events_ics([series, retreat])
    by_uid = {str(c["uid"]): c for c in Calendar.from_ical(text).walk("VEVENT")}
    assert set(by_uid) == {series.uid, retreat.uid}
    assert "recurrence-id" not in by_uid[retreat.uid or ""]
    assert "EXDATE;TZID=Europe/Vienna:20270119T150000" in text
