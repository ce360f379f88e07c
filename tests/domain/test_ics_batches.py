"""iCalendar import in batches: new events, their people, organizers and guest lines are
written a batch at a time, and must end up as saving them one by one did."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import pytest

from tui.domain.errors import InvalidInput
from tui.domain.models import Event, Invitation, Person
from tui.domain.planner import Planner, ics_writer
from tui.domain.store import Store


def _calendar(*events: str) -> str:
    return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n" + "".join(events) + "END:VCALENDAR\r\n"


def _vevent(uid: str, *lines: str, day: str = "20270110", title: str | None = None) -> str:
    body = "".join(f"{line}\r\n" for line in lines)
    return (
        f"BEGIN:VEVENT\r\nUID:{uid}\r\nSUMMARY:{title or uid}\r\nDTSTART:{day}T090000Z\r\n"
        f"DTEND:{day}T100000Z\r\n{body}END:VEVENT\r\n"
    )


def _write(tmp_path: Path, body: str, name: str = "batch.ics") -> Path:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


def _digest(planner: Planner) -> str:
    return hashlib.sha256("\n".join(planner.store._conn.iterdump()).encode()).hexdigest()


def _event(planner: Planner, uid: str) -> Event:
    event = planner.store.by_uid(Event, uid)
    assert event is not None and event.id is not None
    return event


def _lines(planner: Planner, uid: str) -> dict[str, tuple[int, str]]:
    """Guest name -> (person id, status) on the event with this UID."""
    event_id = _event(planner, uid).id
    assert event_id is not None
    return {p.name: (p.id or 0, i.status) for i, p in planner.guests_with_people(event_id)}


TRICKY = _calendar(
    _vevent(
        "one",
        "ORGANIZER;CN=Org One:mailto:org@example.org",
        "ATTENDEE;CN=Ann;PARTSTAT=ACCEPTED:mailto:ann@example.org",
        "ATTENDEE;CN=Bob:urn:uuid:bob",
    ),
    _vevent("series", "RRULE:FREQ=DAILY;COUNT=5", "ATTENDEE;CN=Cy:mailto:cy@example.org"),
    _vevent(
        "series",
        "RECURRENCE-ID:20270112T090000Z",
        "ATTENDEE;CN=Cy:mailto:CY@example.org",
        day="20270112",
        title="Moved",
    ),
    _vevent(
        "two",
        "ORGANIZER;CN=Ann:mailto:ann@example.org",
        "ATTENDEE;CN=bob;PARTSTAT=DECLINED:mailto:Bob@example.org",
        "ATTENDEE;CN=ANN;PARTSTAT=TENTATIVE:mailto:ANN@example.org",
        "ATTENDEE;CN=Ann again;PARTSTAT=DECLINED:mailto:ann@example.org",
        "ATTENDEE;CN=Dee:mailto:dee@example.org",
    ),
    _vevent("one", "ATTENDEE;CN=Ann;PARTSTAT=DECLINED:mailto:ann@example.org", title="One again"),
    _vevent("three", "ATTENDEE;CN=Dee:mailto:DEE@example.org", "ATTENDEE;CN=Eve:mailto:e@x.org"),
)


def _content(planner: Planner) -> list[list[tuple[object, ...]]]:
    """Every row an import writes, without stamps and random uids, in id order."""
    conn = planner.store._conn
    return [
        conn.execute(sql).fetchall()
        for sql in (
            "select id, uid, title, start_date, repeat from events order by id",
            "select id, name, email from people order by id",
            "select id, event_id, person_id, status, role from invitations order by id",
            "select event_id, person_id, position from event_contacts order by 1, 2",
            "select rowid, kind, record_id, title from search_index order by rowid",
            "select p.id, o.kind from sync_outbox o join people p on p.uid = o.uid order by 1",
            "select e.uid, o.kind from sync_outbox o join events e on e.uid = o.uid order by 1",
        )
    ]


def test_small_and_large_batches_write_the_same_rows_and_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where the batches end (every event, every guest line, or once) changes nothing."""
    path = _write(tmp_path, TRICKY)
    results = []
    # The last: a look-up filter of 8 bits, which says "maybe" to nearly everything, so
    # the database is asked each time; the others know new UIDs and names at once.
    for events, lines, bits in (
        (1, 1, 1 << 24),
        (2, 3, 1 << 24),
        (1000, 20_000, 1 << 24),
        (2, 3, 8),
    ):
        monkeypatch.setattr(ics_writer._Batch, "EVENTS", events)
        monkeypatch.setattr(ics_writer._Batch, "LINES", lines)
        monkeypatch.setattr(ics_writer._Seen, "BITS", bits)
        store = Store(tmp_path / f"{events}-{bits}.db")
        planner = Planner(store)
        report = planner.import_file(path)
        results.append((_content(planner), report.summary(), report.changes, report.added))
        store.close()
    assert results[0] == results[1] == results[2] == results[3]
    summary = results[0][1]
    assert summary.endswith(
        "added 5 events, 6 people, 9 guests; updated 1 person, 1 event, 1 invitation; linked 2"
    )
    assert results[0][2] == ["Bob: email", "One again: title", "Ann: status"]


def test_people_are_matched_by_email_in_any_case_then_by_name_within_the_file(
    empty_planner: Planner, tmp_path: Path
) -> None:
    empty_planner.import_file(_write(tmp_path, TRICKY))
    people = {p.name: p for p in empty_planner.store.listing(Person, order_by="id")}
    # In the order they came (an organizer after the attendees).
    assert list(people) == ["Ann", "Bob", "Org One", "Cy", "Dee", "Eve"]
    # Bob came without an address, then as "bob" with one: the same person, filled in.
    assert people["Bob"].email == "Bob@example.org"
    two = _lines(empty_planner, "two")
    # ANN@ and ann@ twice in one event: one guest line, the first one's status.
    assert two == {
        "Bob": (people["Bob"].id or 0, "declined"),
        "Ann": (people["Ann"].id or 0, "tentative"),
        "Dee": (people["Dee"].id or 0, "invited"),
    }
    # The same address in two events (DEE@ in the second): one person, a line in each.
    assert _lines(empty_planner, "three")["Dee"][0] == people["Dee"].id
    two_id = _event(empty_planner, "two").id
    assert two_id is not None
    assert [c.name for c in empty_planner.contacts_for(two_id)] == ["Ann"]


def test_the_same_uid_twice_updates_the_event_the_batch_added(
    empty_planner: Planner, tmp_path: Path
) -> None:
    empty_planner.import_file(_write(tmp_path, TRICKY))
    one = _event(empty_planner, "one")
    assert one.title == "One again"
    assert _lines(empty_planner, "one")["Ann"][1] == "declined"
    assert empty_planner.store.count(Event) == 5


def test_a_changed_occurrence_before_or_after_its_series_leaves_its_day_out(
    empty_planner: Planner, tmp_path: Path
) -> None:
    body = _calendar(
        _vevent("s", "RECURRENCE-ID:20270111T090000Z", day="20270111", title="Early"),
        _vevent("s", "RRULE:FREQ=DAILY;COUNT=5", day="20270110"),
        _vevent("s", "RECURRENCE-ID:20270113T090000Z", day="20270113", title="Late"),
        _vevent("other", day="20270120"),
    )
    empty_planner.import_file(_write(tmp_path, body))
    series = _event(empty_planner, "s")
    assert series.repeat is not None
    assert "20270111" in series.repeat and "20270113" in series.repeat
    assert empty_planner.store.count(Event) == 4


def test_an_attendee_matches_a_person_already_here_by_email_or_by_name(
    planner: Planner, tmp_path: Path
) -> None:
    amara = next(iter(planner.store.by_key(Person, "Amara Okonkwo")))
    ariana = next(iter(planner.store.by_key(Person, "Ariana Markowitz")))
    assert amara.email and ariana.email is None
    people = planner.store.count(Person)
    body = _calendar(
        _vevent(
            "new-event",
            f"ATTENDEE;CN=Dr Okonkwo;PARTSTAT=ACCEPTED:mailto:{amara.email.upper()}",
            "ATTENDEE;CN=Ariana Markowitz:mailto:ariana@example.org",
            "ORGANIZER;CN=Amara O.:mailto:" + amara.email,
        )
    )
    report = planner.import_file(_write(tmp_path, body))
    assert planner.store.count(Person) == people
    assert _lines(planner, "new-event") == {
        amara.name: (amara.id or 0, "accepted"),
        ariana.name: (ariana.id or 0, "invited"),
    }
    assert planner.store.get(Person, ariana.id or 0).email == "ariana@example.org"
    assert report.summary().endswith("added 1 event, 2 guests; updated 1 person; linked 1")
    assert report.changes == ["Ariana Markowitz: email"]
    # Its guests and organizer undo with the event, in one step.
    planner.undo()
    assert planner.store.by_uid(Event, "new-event") is None
    assert planner.store.get(Person, ariana.id or 0).email is None


def test_a_bad_address_given_later_to_a_person_of_the_batch_keeps_nothing(
    planner: Planner, tmp_path: Path
) -> None:
    body = _calendar(
        _vevent("a", "ATTENDEE;CN=Nobody Yet:urn:uuid:x"),
        _vevent("b", "ATTENDEE;CN=Nobody Yet:mailto:not an address"),
    )
    before = _digest(planner)
    with pytest.raises(InvalidInput, match="email"):
        planner.import_file(_write(tmp_path, body))
    assert _digest(planner) == before


def test_the_look_up_filter_never_forgets_a_text_it_was_given() -> None:
    seen = ics_writer._Seen(f"uid-{n}" for n in range(20_000))
    assert all(f"uid-{n}" in seen for n in range(20_000))
    seen.add("one more")
    assert "one more" in seen
    assert sum(f"other-{n}" in seen for n in range(20_000)) < 100  # rarely a false "maybe"


def test_insert_rows_keeps_a_given_uid_and_link_many_counts_new_links(
    empty_planner: Planner,
) -> None:
    store = empty_planner.store
    ids = store.insert_records(
        [
            Event(
                title="Kept", uid="kept-uid", start_date=date(2027, 1, 1), end_date=date(2027, 1, 1)
            ),
            Event(title="Made", start_date=date(2027, 1, 2), end_date=date(2027, 1, 2)),
            Event(title="Empty", uid="", start_date=date(2027, 1, 3), end_date=date(2027, 1, 3)),
        ]
    )
    kept, made, empty = (store.get(Event, i) for i in ids)
    assert kept.uid == "kept-uid" and made.uid and made.uid != "kept-uid"
    assert empty.uid and empty.uid != made.uid  # as `insert` does, an empty uid is made
    [person] = store.insert_records([Person(name="Org")])
    assert store.link_many("contact", [(ids[0], person, 0), (ids[1], person, 1)]) == 2
    assert store.link_many("contact", [(ids[0], person, 0)]) == 0  # there already
    assert [c.name for c in empty_planner.contacts_for(ids[1])] == ["Org"]
    with pytest.raises(ValueError):
        store.link_many("related_event", [(ids[0], ids[1], 0)])
    assert store.count(Invitation) == 0
