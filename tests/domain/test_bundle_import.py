from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from datetime import date, time
from pathlib import Path

import pytest

from tui.domain.errors import InvalidInput
from tui.domain.models import Event, Session, Speaker
from tui.domain.planner import Planner
from tui.sample import load_sample, sample_files_dir

from ..conftest import TODAY


def _fingerprint(planner: Planner) -> str:
    """A digest of every row of every table: any change shows."""
    return hashlib.sha256("\n".join(planner.store._conn.iterdump()).encode()).hexdigest()


def test_sample_loads_through_the_import_path(empty_planner: Planner) -> None:
    reports = load_sample(empty_planner)
    assert [Path(r.file).name for r in reports] == ["seeds.toml", "upcoming.toml"]
    assert len(reports[0].added["event"]) == 8
    assert reports[0].linked > 10


def test_importing_the_sample_again_changes_nothing(planner: Planner) -> None:
    before = _fingerprint(planner)
    reports = load_sample(planner)
    assert all(not r.added and not r.updated for r in reports)
    assert [r.summary().split(": ", 1)[1] for r in reports] == ["nothing new", "nothing new"]
    assert _fingerprint(planner) == before


def test_reimport_updates_by_uid(tmp_path: Path, planner: Planner) -> None:
    text = (sample_files_dir() / "seeds.toml").read_text()
    changed = text.replace(
        'title = "60th Strategy for Peace Conference"',
        'title = "60th Strategy for Peace Conference (SPC)"',
    )
    target = tmp_path / "seeds.toml"
    target.write_text(changed)
    report = planner.import_file(target)
    assert report.updated == {"event": ["60th Strategy for Peace Conference (SPC)"]}
    assert not report.added
    assert planner.store.by_key(Event, "60th Strategy for Peace Conference (SPC)")


@pytest.mark.parametrize(
    ("where", "typed", "message"),
    [
        (
            'location = "Vienna"',
            'locaton = "Vienna"',
            "events[0]: unknown field 'locaton' (did you mean 'location'?)",
        ),
        (
            "convener = 1",
            'convener = 1\nexported_by = "me"',
            "unknown key 'exported_by' at the top",
        ),
    ],
)
def test_a_mistyped_field_is_refused_and_nothing_is_written(
    tmp_path: Path, planner: Planner, where: str, typed: str, message: str
) -> None:
    document = (
        'convener = 1\n[[events]]\nuid = "0b8e1a4e-5f0e-4c36-9d0a-1b2c3d4e5f60"\n'
        'title = "Typo dinner"\nstart_date = 2027-03-03\nlocation = "Vienna"\n'
    ).replace(where, typed, 1)
    target = tmp_path / "typo.toml"
    target.write_text(document)
    before = _fingerprint(planner)
    with pytest.raises(InvalidInput) as refused:
        planner.import_file(target)
    assert message in str(refused.value)
    assert _fingerprint(planner) == before
    # As JSON the same.
    as_json = tmp_path / "typo.json"
    data = {
        "convener": 1,
        "events": [
            {
                "uid": "0b8e1a4e-5f0e-4c36-9d0a-1b2c3d4e5f60",
                "title": "Typo dinner",
                "start_date": "2027-03-03",
                "locaton": "Vienna",
            }
        ],
    }
    as_json.write_text(json.dumps(data))
    with pytest.raises(InvalidInput, match="unknown field 'locaton'"):
        planner.import_file(as_json)
    assert _fingerprint(planner) == before


@pytest.mark.parametrize("form", ["toml", "json"])
def test_the_time_a_mailed_answer_was_written_travels_with_the_guest_line(
    tmp_path: Path, planner: Planner, empty_planner: Planner, form: str
) -> None:
    from datetime import UTC, datetime
    from typing import Any

    event = planner.event(10)
    assert event.id is not None
    line = planner.store.invitations_for(event.id)[0]
    written = datetime(2026, 11, 17, 9, 30, tzinfo=UTC)
    planner.store.update(
        replace(
            line,
            status="accepted",
            responded_on=date(2026, 11, 17),
            response_via="email",
            responded_at=written,
        )
    )
    write: Any = planner.event_toml if form == "toml" else planner.event_json
    path = tmp_path / f"dinner.{form}"
    path.write_text(write(event, include_private=True))
    before = _fingerprint(planner)
    assert planner.import_file(path).summary().endswith("nothing new")
    assert _fingerprint(planner) == before
    empty_planner.import_file(path)
    [copy] = empty_planner.store.by_key(Event, event.title)
    assert copy.id is not None
    times = [i.responded_at for i in empty_planner.store.invitations_for(copy.id)]
    assert written in times


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ('"yesterday"', "responded_at 'yesterday' is not a moment"),
        ("2026-12-04T09:00:00", "responded_at needs its UTC offset"),
    ],
)
def test_a_bad_reply_time_is_refused_naming_the_line(
    tmp_path: Path, planner: Planner, value: str, message: str
) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(
        'convener = 1\n[[people]]\nuid = "p-1"\nname = "Ann Guest"\n'
        '[[events]]\nuid = "e-1"\ntitle = "Dinner"\nstart_date = 2027-03-03\n'
        f'[[events.invitations]]\nperson = "p-1"\nresponded_at = {value}\n'
    )
    before = _fingerprint(planner)
    with pytest.raises(InvalidInput, match=rf"events\[0\]\.invitations\[0\]: {message}"):
        planner.import_file(path)
    assert _fingerprint(planner) == before


def test_anchor_moves_dates_by_whole_weeks(empty_planner: Planner) -> None:
    load_sample(empty_planner)
    dinner = next(e for e in empty_planner.events() if e.kind == "dinner" and e.start_time)
    assert dinner.start_date.weekday() == 1  # written as a Tuesday, still a Tuesday
    assert 0 < (dinner.start_date - TODAY).days < 14


@pytest.mark.parametrize("weeks", [0, 1, 2, 3, 5, 9])
def test_a_monthly_series_moved_by_weeks_still_starts_on_a_day_of_its_rule(
    tmp_path: Path, weeks: int
) -> None:
    from datetime import timedelta

    from tui.domain.store import Store

    today = date(2026, 11, 16) + timedelta(weeks=weeks)  # the sample's anchor, and later
    store = Store(tmp_path / "demo.db")
    planner = Planner(store, today=lambda: today)
    try:
        load_sample(planner)
        (call,) = [e for e in planner.events() if e.repeat == "FREQ=MONTHLY;BYDAY=1TH"]
        # Its first day is a first Thursday of a month, as every one after it.
        assert call.start_date.weekday() == 3 and call.start_date.day <= 7
        assert call.end_date == call.start_date
        coming = planner.occurrences_between(today, today + timedelta(days=90))
        calls = [o.start_date for o in coming if o.event.id == call.id]
        assert len(calls) >= 2 and all(d.weekday() == 3 and d.day <= 7 for d in calls)
    finally:
        store.close()


@pytest.mark.parametrize("weekday", range(7))
def test_the_sample_has_nothing_done_after_the_day_it_opens(tmp_path: Path, weekday: int) -> None:
    # Written for a Monday: opened later in the week, it had invitations sent and replies
    # come in days still to come.
    from datetime import timedelta

    from tui.domain.models import Task
    from tui.domain.store import Store

    today = date(2027, 3, 1) + timedelta(days=weekday)
    store = Store(tmp_path / "demo.db")
    planner = Planner(store, today=lambda: today)
    try:
        load_sample(planner)
        invitations = [
            line for event in planner.events() if event.id for line in planner.guest_lines(event.id)
        ]
        days = [line.invitation.invited_on for line in invitations]
        days += [line.invitation.responded_on for line in invitations]
        days += [task.done_on for task in store.listing(Task, order_by="id")]
        known = [day for day in days if day is not None]
        assert known and max(known) <= today
    finally:
        store.close()


def _write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    return path


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.toml", "", "not a Convener document"),
        ("other.toml", "[tool.poetry]\nname = 'x'\n", "not a Convener document"),
        ("broken.toml", "convener = 1\n[[events]\n", "broken.toml:2: not valid TOML"),
        ("broken.json", '{"convener": 1,\n "events": [\n', "broken.json:3: not valid JSON"),
        ("binary.json", b"\x00\x01\x02PNG", "is a binary file"),
        (
            "latin1.toml",
            "convener = 1\n# caf\xe9\n".encode("latin-1"),
            "latin1.toml:2: is not UTF-8",
        ),
        ("version.json", '{"convener": 7}', "version 7 is not supported"),
        ("records.json", '[{"id": 1, "title": "T"}]', "export event ID --format json"),
        (
            "baddate.toml",
            'convener = 1\n[[events]]\nuid = "u1"\ntitle = "T"\nstart_date = "Feb 30, 2024"\n',
            "events[0]: start_date",
        ),
        (
            "badzone.toml",
            'convener = 1\n[[events]]\nuid = "u1"\ntitle = "T"\nstart_date = 2024-01-01\ntimezone = "Mars/Olympus"\n',
            "not a known time zone",
        ),
        (
            "badrule.toml",
            'convener = 1\n[[events]]\nuid = "u1"\ntitle = "T"\nstart_date = 2024-01-01\nrepeat = "FREQ=SOMETIMES"\n',
            "repeat: FREQ=SOMETIMES: expected DAILY, WEEKLY, MONTHLY or YEARLY",
        ),
        (
            "nolink.toml",
            'convener = 1\n[[events]]\nuid = "u1"\ntitle = "T"\nstart_date = 2024-01-01\ncontacts = ["nobody"]\n',
            "no person with uid 'nobody'",
        ),
        (
            "notitle.toml",
            'convener = 1\n[[events]]\nuid = "u1"\nstart_date = 2024-01-01\n',
            "title is required",
        ),
        ("deep.json", '{"convener": 1, "x": ' + "[" * 50 + "]" * 50 + "}", "nested deeper"),
        ("page.csv", "name,email\n", "a guest list needs the event it belongs to"),
        ("empty.csv", "", "is empty: expected a header line"),
    ],
)
def test_bad_files_say_what_and_where_and_write_nothing(
    tmp_path: Path, planner: Planner, name: str, content: str | bytes, message: str
) -> None:
    path = _write(tmp_path, name, content)
    before = _fingerprint(planner)
    with pytest.raises(InvalidInput) as caught:
        planner.import_file(path)
    text = str(caught.value)
    assert message in text
    assert text.startswith(str(path))
    assert "\n" not in text
    assert _fingerprint(planner) == before


def test_a_file_is_all_or_nothing(tmp_path: Path, empty_planner: Planner) -> None:
    doc = {
        "convener": 1,
        "people": [{"uid": "p1", "name": "First Person"}],
        "events": [
            {"uid": "e1", "title": "Fine", "start_date": "2026-01-01"},
            {
                "uid": "e2",
                "title": "Broken link",
                "start_date": "2026-01-02",
                "partners": ["missing"],
            },
        ],
    }
    path = _write(tmp_path, "mixed.json", json.dumps(doc))
    with pytest.raises(InvalidInput, match="no organisation with uid 'missing'"):
        empty_planner.import_file(path)
    assert empty_planner.is_empty()


def test_json_bundle_with_sessions_and_guests(tmp_path: Path, empty_planner: Planner) -> None:
    doc = {
        "convener": 1,
        "people": [{"uid": "p1", "name": "Ana"}, {"uid": "p2", "name": "Ben"}],
        "events": [
            {
                "uid": "e1",
                "title": "Workshop",
                "start_date": "June 12, 2024",
                "end_date": "2024-06-13",
                "start_time": "9:30",
                "end_time": "5pm",
                "timezone": "Europe/Zurich",
                "sessions": [
                    {
                        "date": "2024-06-12",
                        "title": "Opening",
                        "speakers": [{"person": "p1", "role": "moderator"}],
                    }
                ],
                "invitations": [
                    {"person": "p2", "status": "accepted", "dietary": "vegan", "plus_ones": 1}
                ],
            }
        ],
    }
    path = _write(tmp_path, "w.json", json.dumps(doc))
    report = empty_planner.import_file(path)
    assert report.summary() == f"{path}: added 2 people, 1 event, 1 session, 1 invitation"
    event = empty_planner.store.by_uid(Event, "e1")
    assert (
        event
        and event.id
        and event.start_date == date(2024, 6, 12)
        and event.end_date == date(2024, 6, 13)
    )
    session = empty_planner.sessions_for(event.id)[0]
    assert [(s.name, s.role) for s in session.speakers] == [("Ana", "moderator")]
    guest = empty_planner.invitations_for(event.id)[0]
    assert (guest.status, guest.dietary, guest.plus_ones) == ("accepted", "vegan", 1)
    again = empty_planner.import_file(path)
    assert again.summary().endswith("nothing new")


def _shape(planner: Planner, event: Event) -> dict[str, object]:
    """What an officer sees of an event, without ids."""
    assert event.id is not None
    details = planner.event_details(event.id)
    skip = {"id", "created_at", "updated_at", "is_sample"}
    return {
        "event": {k: v for k, v in event.__dict__.items() if k not in skip},
        "contacts": [p.name for p in details.contacts],
        "partners": [o.name for o in details.partners],
        "related": sorted(e.title for e in details.related_events),
        "publications": sorted(p.title for p in details.related_publications),
        "sessions": [
            (
                s.date,
                s.title,
                s.start_time,
                s.end_time,
                s.room,
                s.description,
                [(sp.name, sp.role) for sp in s.speakers],
            )
            for s in details.sessions
        ],
        "guests": sorted(
            (g.name, g.invitation.status, g.invitation.role, g.invitation.dietary)
            for g in planner.guest_lines(event.id)
        ),
    }


def test_an_event_exported_as_toml_imports_whole_elsewhere_and_as_nothing_new_here(
    planner: Planner, empty_planner: Planner, tmp_path: Path
) -> None:
    events = [e for e in planner.events() if not e.link_only]
    assert any(planner.sessions_for(e.id or 0) for e in events)
    for event in events:
        path = tmp_path / f"event-{event.id}.toml"
        path.write_text(planner.event_toml(event, include_private=True))
        empty_planner.import_file(path)
        copy = empty_planner.store.by_uid(Event, event.uid or "")
        assert copy is not None
        assert _shape(empty_planner, copy) == _shape(planner, event), event.title
        assert planner.import_file(path).summary().endswith("nothing new"), event.title


def test_an_invitation_only_guest_list_stays_out_of_the_toml_unless_asked(
    planner: Planner,
) -> None:
    private = next(
        e
        for e in planner.events()
        if e.access == "invitation-only" and planner.guest_lines(e.id or 0)
    )
    text = planner.event_toml(private, include_private=False)
    assert "[[events.invitations]]" not in text and "left out" in text
    assert "[[events.invitations]]" in planner.event_toml(private, include_private=True)


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ('"19:00:00"', '"21:30:00"'),
        ("19:00:00", "21:30:00"),
        ('"19:00"', '"21:30"'),
    ],
)
def test_times_as_text_with_seconds_or_as_toml_times(
    tmp_path: Path, empty_planner: Planner, start: str, end: str
) -> None:
    path = _write(
        tmp_path,
        "dinner.toml",
        "convener = 1\n[[events]]\n"
        'uid = "3c5e1d8e-1111-4b7a-9a55-0d6f3c1e2a01"\ntitle = "Policy Dinner"\n'
        f"start_date = 2026-12-08\nstart_time = {start}\nend_time = {end}\n"
        "[[events.sessions]]\n"
        f'date = 2026-12-08\ntitle = "Toasts"\nstart_time = {start}\nend_time = {end}\n',
    )
    empty_planner.import_file(path)
    [dinner] = empty_planner.store.by_key(Event, "Policy Dinner")
    assert (dinner.start_time, dinner.end_time) == (time(19), time(21, 30))
    assert dinner.id is not None
    [toasts] = empty_planner.store.sessions_for(dinner.id)
    assert (toasts.start_time, toasts.end_time) == (time(19), time(21, 30))


def _two_day_workshop(planner: Planner) -> Event:
    """A two-day workshop built as an officer builds it: two sessions a day, speakers, guests."""
    workshop = planner.save(
        Event(
            title="Urban Violence Workshop",
            start_date=date(2026, 12, 9),
            end_date=date(2026, 12, 10),
            start_time=time(9),
            end_time=time(17),
            timezone="Europe/Vienna",
            kind="workshop",
            access="invitation-only",
        )
    )
    assert workshop.id is not None
    ada = planner.add_person("Ada Okafor <ada@example.org>")
    ben = planner.add_person("Ben Ito")
    assert ada.id is not None and ben.id is not None
    for day in (date(2026, 12, 9), date(2026, 12, 10)):
        for start, title in ((time(9), "Opening"), (time(14), "Working groups")):
            planner.save_session(
                Session(
                    event_id=workshop.id,
                    date=day,
                    title=f"{title} {day.day}",
                    start_time=start,
                    end_time=time(start.hour + 2),
                ),
                [Speaker(person_id=ada.id, name="", role="moderator")],
            )
    planner.invite(workshop.id, [ada.id, ben.id])
    return workshop


def test_an_events_own_document_imports_as_nothing_new(tmp_path: Path, planner: Planner) -> None:
    workshop = _two_day_workshop(planner)
    path = tmp_path / "workshop.toml"
    path.write_text(planner.event_toml(workshop, include_private=True))
    before = _fingerprint(planner)
    report = planner.import_file(path)
    assert report.summary().endswith("nothing new"), report.summary()
    assert not report.updated and not report.added
    assert _fingerprint(planner) == before


def test_an_agenda_with_a_gap_left_by_a_deleted_session_reimports_as_nothing_new(
    tmp_path: Path, planner: Planner
) -> None:
    workshop = _two_day_workshop(planner)
    assert workshop.id is not None
    first_day = [s for s in planner.sessions_for(workshop.id) if s.date == date(2026, 12, 9)]
    planner.save_session(
        Session(event_id=workshop.id, date=date(2026, 12, 9), title="Lunch", start_time=time(12))
    )
    planner.delete(first_day[0])  # positions on the day are now 1, 2 (a gap at 0)
    path = tmp_path / "workshop.toml"
    path.write_text(planner.event_toml(workshop, include_private=True))
    before = _fingerprint(planner)
    assert planner.import_file(path).summary().endswith("nothing new")
    assert _fingerprint(planner) == before


def test_a_tasks_owner_goes_out_in_the_toml_and_comes_back(
    planner: Planner, empty_planner: Planner, tmp_path: Path
) -> None:
    from dataclasses import replace

    from tui.domain.models import Person, Task

    event = next(e for e in planner.events() if not e.link_only)
    assert event.id is not None
    owner = planner.save(Person(name="Zoë Ångström", email="zoe@example.org", is_staff=True))
    task = planner.save_task(Task(event_id=event.id, title="Numbers to the venue"))
    planner.save_task(replace(task, owner_id=owner.id))
    path = tmp_path / "event.toml"
    path.write_text(planner.event_toml(event, include_private=True))
    assert f'owner = "{owner.uid}"' in path.read_text()
    empty_planner.import_file(path)
    copy = empty_planner.store.by_uid(Event, event.uid or "")
    assert copy is not None and copy.id is not None
    [back] = [t for t in empty_planner.tasks_for(copy.id) if t.title == "Numbers to the venue"]
    assert back.owner_id is not None
    assert empty_planner.person(back.owner_id).name == "Zoë Ångström"
    assert planner.import_file(path).summary().endswith("nothing new")


def test_last_years_event_file_as_a_template_adds_a_new_event_with_its_own_parts(
    planner: Planner, tmp_path: Path
) -> None:
    """An event's JSON copied, its uid, title and dates changed: imported beside the
    original with its agenda, guests and tasks, each with a UID of its own (the file's
    belong to the original, which keeps them)."""
    from tui.domain.models import Task

    event = next(
        e
        for e in planner.events()
        if e.id is not None and planner.sessions_for(e.id) and planner.invitations_for(e.id)
    )
    assert event.id is not None
    planner.save_task(Task(event_id=event.id, title="Book the room"))
    before = (
        [s.uid for s in planner.sessions_for(event.id)],
        [i.uid for i in planner.invitations_for(event.id)],
        [t.uid for t in planner.tasks_for(event.id)],
    )
    document = json.loads(planner.event_json(event, include_private=True))
    document["events"][0].update(uid="next-year", title="Next year's", start_date="2030-06-03")
    shift = date(2030, 6, 3) - event.start_date
    document["events"][0]["end_date"] = (event.end_date + shift).isoformat()
    for session in document["events"][0]["sessions"]:
        session["date"] = (date.fromisoformat(session["date"]) + shift).isoformat()
    path = tmp_path / "next-year.json"
    path.write_text(json.dumps(document))
    report = planner.import_file(path)
    copy = planner.store.by_uid(Event, "next-year")
    assert copy is not None and copy.id is not None, report.summary()
    sessions = planner.sessions_for(copy.id)
    assert [s.title for s in sessions] == [s.title for s in planner.sessions_for(event.id)]
    assert len(planner.invitations_for(copy.id)) == len(before[1])
    assert [t.title for t in planner.tasks_for(copy.id)] == [
        t.title for t in planner.tasks_for(event.id)
    ]
    mine = {s.uid for s in sessions} | {i.uid for i in planner.invitations_for(copy.id)}
    assert not mine & (set(before[0]) | set(before[1]))
    assert (
        [s.uid for s in planner.sessions_for(event.id)],
        [i.uid for i in planner.invitations_for(event.id)],
        [t.uid for t in planner.tasks_for(event.id)],
    ) == before
