"""What other clients see and make on the team's server: skipped occurrences as EXDATE,
sessions in their event's zone, events and contacts made in Thunderbird or on a phone,
and the one privacy gate every resource written out passes."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time

import pytest

from tests.sync.conftest import Officer
from tests.sync.test_sync import program
from tui.domain.models import Event, Person, Session
from tui.domain.privacy import may_sync
from tui.domain.sync import carriers

PLAIN_EVENT = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Mozilla.org/NONSGML Mozilla Calendar V1.1//EN
BEGIN:VEVENT
UID:tb-0001@thunderbird
DTSTAMP:20261201T090000Z
SUMMARY:Donor breakfast
DTSTART;TZID=Europe/Berlin:20261215T080000
DTEND;TZID=Europe/Berlin:20261215T093000
LOCATION:Berlin
END:VEVENT
END:VCALENDAR
"""

PLAIN_CARD = """BEGIN:VCARD
VERSION:3.0
UID:phone-card-7
FN:Wanjiru Kamau
N:Kamau;Wanjiru;;;
EMAIL:wanjiru@example.org
TEL:+254 700 000000
END:VCARD
"""


def server_text(who: Officer, uid: str) -> tuple[str, str, str]:
    """(href, text, etag) of a record's resource on the server."""
    shadow = who.syncer.ledger.shadow(uid)
    assert shadow is not None
    fetched = who.syncer.dav.get(shadow.href)
    assert fetched is not None
    return shadow.href, fetched[0], fetched[1]


def put_new(who: Officer, name: str, text: str, collection: str) -> None:
    """What another client does: a new resource of its own naming (If-None-Match: *)."""
    dav = who.syncer.dav
    dav.ensure(collection)
    dav.put(dav.path(dav.collection_url(collection)) + name, text, None, collection=collection)


def test_skipped_occurrences_go_out_as_exdate_and_come_back(ana: Officer, ben: Officer) -> None:
    uid = program(ana.planner)
    ana.planner.skip_occurrence(ana.event(uid), date(2026, 12, 17))
    ana.sync()
    href, text, etag = server_text(ana, uid)
    # Of DTSTART's type: the start time in the event's zone.
    assert "EXDATE;TZID=Africa/Nairobi:20261217T093000" in text
    # A phone deletes another occurrence (an EXDATE line) and cancels one more.
    phone = text.replace(
        "EXDATE;TZID=Africa/Nairobi:20261217T093000",
        "EXDATE;TZID=Africa/Nairobi:20261217T093000,20261224T093000",
    )
    assert phone != text
    ana.syncer.dav.put(href, phone, etag, collection="calendar")
    assert ben.sync().refused == []
    repeat = ben.event(uid).repeat or ""
    assert repeat.splitlines()[-1] == "EXDATE:20261217,20261224"
    assert ana.sync().pulled == 1
    assert ana.event(uid).repeat == repeat
    # Nothing differs now: no side sends anything back.
    assert (ana.sync().pushed, ben.sync().pushed) == (0, 0)


def test_a_cancelled_occurrence_is_a_skipped_day(ana: Officer) -> None:
    uid = program(ana.planner)
    ana.sync()
    href, text, etag = server_text(ana, uid)
    cancelled = (
        f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20261201T090000Z\r\n"
        "RECURRENCE-ID;TZID=Africa/Nairobi:20261224T093000\r\n"
        "DTSTART;TZID=Africa/Nairobi:20261224T093000\r\nSUMMARY:x\r\n"
        "X-CONVENER-KIND:event\r\nSTATUS:CANCELLED\r\nEND:VEVENT\r\nEND:VCALENDAR"
    )
    ana.syncer.dav.put(href, text.replace("END:VCALENDAR", cancelled), etag, collection="calendar")
    ana.sync()
    event = ana.event(uid)
    assert (event.title, (event.repeat or "").splitlines()[-1]) == (
        "Cities and Mass Violence Roundtable",
        "EXDATE:20261224",
    )


def test_session_times_are_written_in_the_events_zone(ana: Officer, ben: Officer) -> None:
    uid = program(ana.planner)
    event = ana.event(uid)
    assert event.id is not None
    session = ana.planner.save_session(
        Session(
            event_id=event.id,
            date=date(2026, 12, 10),
            title="Keynote",
            start_time=time(10, 0),
            end_time=time(11, 15),
        ),
        [],
    )
    ana.sync()
    assert session.uid is not None
    _, text, _ = server_text(ana, session.uid)
    assert "DTSTART;TZID=Africa/Nairobi:20261210T100000" in text
    assert "DTEND;TZID=Africa/Nairobi:20261210T111500" in text
    assert "BEGIN:VTIMEZONE" in text and "TZID:Africa/Nairobi" in text
    ben.sync()
    theirs = ben.planner.store.by_uid(Session, session.uid)
    assert theirs is not None and (theirs.start_time, theirs.end_time) == (time(10), time(11, 15))


def test_an_event_made_in_thunderbird_arrives_and_edits_travel(ana: Officer, ben: Officer) -> None:
    put_new(ana, "tb-0001.ics", PLAIN_EVENT, "calendar")
    report = ana.sync()
    assert report.refused == [] and report.pulled == 1
    made = ana.planner.store.by_uid(Event, "tb-0001@thunderbird")
    assert made is not None
    assert (made.title, made.start_date, made.start_time, made.end_time, made.timezone) == (
        "Donor breakfast",
        date(2026, 12, 15),
        time(8),
        time(9, 30),
        "Europe/Berlin",
    )
    # Thunderbird moves it by an hour: the pull takes it.
    href, text, etag = server_text(ana, "tb-0001@thunderbird")
    moved = text.replace("T080000", "T090000").replace("T093000", "T103000")
    ana.syncer.dav.put(href, moved, etag, collection="calendar")
    assert ana.sync().pulled == 1
    assert ana.planner.store.by_uid(Event, "tb-0001@thunderbird").start_time == time(9)  # type: ignore[union-attr]
    # The officer edits it here: it goes back over the same resource, as Convener's own.
    ana.planner.save(replace(ana.event("tb-0001@thunderbird"), capacity=12))
    assert ana.sync().pushed == 1
    assert server_text(ana, "tb-0001@thunderbird")[0] == href
    ben.sync()
    theirs = ben.event("tb-0001@thunderbird")
    assert (theirs.capacity, theirs.start_time, theirs.title) == (12, time(9), "Donor breakfast")


def test_a_contact_made_on_a_phone_arrives_as_a_person(ana: Officer) -> None:
    put_new(ana, "phone-card-7.vcf", PLAIN_CARD, "contacts")
    assert ana.sync().refused == []
    person = ana.planner.store.by_uid(Person, "phone-card-7")
    assert person is not None
    assert (person.name, person.email, person.phone) == (
        "Wanjiru Kamau",
        "wanjiru@example.org",
        "+254 700 000000",
    )


def test_a_bad_plain_event_is_one_line_and_changes_nothing(ana: Officer) -> None:
    uid = program(ana.planner)
    ana.sync()
    before = ana.planner.store._rows("select count(*) as n from events")[0]["n"]
    backwards = PLAIN_EVENT.replace("20261215T093000", "20261214T093000")
    put_new(ana, "tb-bad.ics", backwards, "calendar")
    report = ana.sync()
    assert len(report.refused) == 1 and len(report.refused[0]) <= 200
    assert report.refused[0].startswith("tb-bad.ics: ")
    assert ana.planner.store._rows("select count(*) as n from events")[0]["n"] == before
    assert ana.event(uid).title == "Cities and Mass Violence Roundtable"


def test_guest_lists_pass_the_privacy_gate(monkeypatch: pytest.MonkeyPatch) -> None:
    day = date(2026, 12, 10)
    private = Event(title="x", start_date=day, end_date=day, access="invitation-only")
    assert may_sync(private) and may_sync(replace(private, access="public"))
    document = {
        "fields": {"title": "x", "start_date": "2026-12-10", "end_date": "2026-12-10",
                   "access": "invitation-only"},
        "members": {"p-1": {"uid": "inv-1", "status": "accepted", "role": "guest"}},
    }  # fmt: skip
    assert "BEGIN:PARTICIPANT" in carriers.to_text("event", "e-1", document)
    asked: list[str] = []

    def refuse(event: object) -> bool:
        asked.append(getattr(event, "access", ""))
        return False

    monkeypatch.setattr(carriers, "may_sync", refuse)
    assert "BEGIN:PARTICIPANT" not in carriers.to_text("event", "e-1", document)
    assert asked == ["invitation-only"]


def test_a_first_publish_goes_in_batches_and_a_lost_commit_duplicates_nothing(
    ana: Officer, ben: Officer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(type(ana.syncer), "BATCH", 3)
    uid = program(ana.planner)
    for number in range(6):
        ana.planner.save(replace(ana.event(uid), id=None, uid=None, title=f"Dinner {number}"))
    batches: list[int] = []
    create_many = ana.syncer.dav.create_many

    def counted(resources: list[tuple[str, str, str]]) -> list[object]:
        batches.append(len(resources))
        return list(create_many(resources))

    monkeypatch.setattr(ana.syncer.dav, "create_many", counted)
    assert ana.sync().pushed == 11
    assert batches == [3, 3, 3, 2]
    # Killed after the PUTs, before their commit: the rerun meets 412s and merges its own.
    store = ana.planner.store
    with store.transaction():
        store._write("delete from sync_shadow")
        store._write("insert into sync_outbox (uid, kind) select uid, 'event' from events")
    report = ana.sync()
    assert (report.conflicts, report.waiting, report.refused) == (0, 0, [])
    assert ben.sync().pulled == 11  # each record once on the server


def test_a_move_and_a_new_place_in_thunderbird_travel_over_the_record(
    ana: Officer, ben: Officer
) -> None:
    uid = program(ana.planner)
    ana.sync()
    ben.sync()
    href, text, etag = server_text(ana, uid)
    assert "X-CONVENER-RECORD" in text
    moved = (
        text.replace("20261210T093000", "20261210T110000")
        .replace("20261210T170000", "20261210T180000")
        .replace("LOCATION:Nairobi\\, Kenya", "LOCATION:Mombasa")
    )
    assert moved.count("20261210T110000") == 1 and "Mombasa" in moved
    ana.syncer.dav.put(href, moved, etag, collection="calendar")
    assert ben.sync().pulled == 1
    event = ben.event(uid)
    assert (event.start_time, event.end_time, event.location) == (time(11), time(18), "Mombasa")
    assert event.title == "Cities and Mass Violence Roundtable"  # the rest as it was
    assert ana.sync().pulled == 1 and ana.event(uid).start_time == time(11)
    assert (ana.sync().pushed, ben.sync().pushed) == (0, 0)


@pytest.mark.parametrize(
    ("times", "written"),
    [
        ({"start_time": "09:30", "end_time": "11:00"}, "EXDATE;TZID=Europe/Zurich:20270112T093000"),
        ({}, "EXDATE;VALUE=DATE:20270112"),
    ],
)
def test_exdate_round_trips_exactly(times: dict[str, str], written: str) -> None:
    values = {
        "title": "Weekly call",
        "start_date": "2027-01-05",
        "end_date": "2027-01-05",
        "timezone": "Europe/Zurich",
        "repeat": "RRULE:FREQ=WEEKLY;COUNT=6\nEXDATE:20270112,20270126",
        **times,
    }
    document = {"fields": values, "members": {}}
    text = carriers.to_text("event", "e-2", document)
    assert written in text.replace("\r\n ", "")
    assert carriers.from_text(text) == ("event", "e-2", document)


def test_a_phone_edits_a_contacts_email_and_phone(ana: Officer, ben: Officer) -> None:
    person = ana.planner.save(Person(name="Amina Diallo", email="amina@example.org"))
    assert person.uid is not None
    ana.sync()
    href, text, etag = server_text(ana, person.uid)
    edited = text.replace("EMAIL:amina@example.org", "EMAIL:amina@new.example.org").replace(
        "END:VCARD", "TEL:+41 22 000 00 00\r\nEND:VCARD"
    )
    ana.syncer.dav.put(href, edited, etag, collection="contacts")
    ben.sync()
    theirs = ben.planner.store.by_uid(Person, person.uid)
    assert theirs is not None
    assert (theirs.email, theirs.phone) == ("amina@new.example.org", "+41 22 000 00 00")
    assert ana.sync().pulled == 1 and (ana.sync().pushed, ben.sync().pushed) == (0, 0)
