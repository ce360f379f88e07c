"""Two officers' databases share one collection home on a real Radicale: publish, pull,
merge (different fields, different guests), conflict (the same field), deletes, 412,
expired tokens, a server that is down, and no ATTENDEE on the server."""

from __future__ import annotations

import socket
from dataclasses import replace
from datetime import date, time
from pathlib import Path
from typing import Any

import pytest

from tests.sync.conftest import PASSWORDS, Officer, Radicale, officer
from tui.domain.models import Event, Person, Session, Speaker, Task
from tui.domain.planner import Planner
from tui.domain.store import Store
from tui.domain.sync.dav import Dav, Unreachable
from tui.domain.sync.engine import DELETED, Syncer, SyncReport, status_line
from tui.domain.text import quoted
from tui.sync_actions import KEEP_MINE, TAKE_THEIRS, settle, synced_line


def program(planner: Planner) -> str:
    """A small program: an event in Nairobi time with two guests, a contact, a session with
    a speaker and a task. Returns the event's uid."""
    amina = planner.save(Person(name="Amina Diallo", email="amina@example.org", is_staff=True))
    tomas = planner.save(Person(name="Tomás Ruiz"))
    event = planner.save(
        Event(
            title="Cities and Mass Violence Roundtable",
            start_date=date(2026, 12, 10),
            end_date=date(2026, 12, 10),
            start_time=time(9, 30),
            end_time=time(17, 0),
            timezone="Africa/Nairobi",
            location="Nairobi, Kenya",
            repeat="FREQ=WEEKLY;COUNT=3",
            access="invitation-only",
        )
    )
    assert event.id is not None and amina.id is not None and tomas.id is not None
    planner.link("contact", event.id, amina.id, 0)
    planner.invite(event.id, [amina.id, tomas.id])
    planner.save_session(
        Session(event_id=event.id, date=date(2026, 12, 10), title="Opening circle"),
        [Speaker(amina.id, "Amina Diallo", "moderator")],
    )
    planner.save_task(Task(event_id=event.id, title="Book the room", due_date=date(2026, 12, 1)))
    assert event.uid is not None
    return event.uid


def set_status(planner: Planner, event_uid: str, name: str, status: str) -> None:
    event = planner.store.by_uid(Event, event_uid)
    assert event is not None and event.id is not None
    [line] = [g for g in planner.guest_lines(event.id) if g.name == name]
    planner.set_guest_status([line.id], status)


def test_publish_then_pull_gives_the_same_program(ana: Officer, ben: Officer) -> None:
    uid = program(ana.planner)
    published = ana.sync()
    assert published.pushed == 5 and published.conflicts == 0 and published.waiting == 0
    pulled = ben.sync()
    assert pulled.pulled == 5 and pulled.pushed == 0
    mine, theirs = ana.event(uid), ben.event(uid)
    assert replace(theirs, id=mine.id, created_at=None, updated_at=None) == replace(
        mine, created_at=None, updated_at=None
    )
    assert ben.guests(uid) == {"Amina Diallo": "to-invite", "Tomás Ruiz": "to-invite"}
    assert theirs.id is not None
    [session] = ben.planner.sessions_for(theirs.id)
    assert [(s.name, s.role) for s in session.speakers] == [("Amina Diallo", "moderator")]
    assert [t.title for t in ben.planner.tasks_for(theirs.id)] == ["Book the room"]
    assert [c.name for c in ben.planner.contacts_for(theirs.id)] == ["Amina Diallo"]
    # Nothing changed: both reruns send and take nothing.
    assert (ana.sync().pushed, ana.sync().pulled, ben.sync().pushed) == (0, 0, 0)
    assert status_line(ben.planner.store).startswith("in step; synced ")


def test_different_fields_and_different_guests_merge_silently(ana: Officer, ben: Officer) -> None:
    uid = program(ana.planner)
    ana.sync()
    ben.sync()
    ana.planner.save(replace(ana.event(uid), venue="Kenyatta Centre"))
    set_status(ana.planner, uid, "Amina Diallo", "accepted")
    ben.planner.save(replace(ben.event(uid), capacity=40))
    set_status(ben.planner, uid, "Tomás Ruiz", "declined")
    assert ana.sync().conflicts == 0
    report = ben.sync()  # ben's push meets ana's change: 412 or a pull, merged either way
    assert report.conflicts == 0 and report.waiting == 0
    ana.sync()
    for who in (ana, ben):
        event = who.event(uid)
        assert (event.venue, event.capacity) == ("Kenyatta Centre", 40)
        assert who.guests(uid) == {"Amina Diallo": "accepted", "Tomás Ruiz": "declined"}


def test_the_same_field_keeps_the_local_value_and_waits(ana: Officer, ben: Officer) -> None:
    uid = program(ana.planner)
    ana.sync()
    ben.sync()
    ana.planner.save(replace(ana.event(uid), title="Roundtable (Ana)"))
    ana.sync()
    ben.planner.save(replace(ben.event(uid), title="Roundtable (Ben)", capacity=12))
    report = ben.sync()
    assert report.conflicts == 1 and report.waiting == 1
    assert ben.event(uid).title == "Roundtable (Ben)"
    assert ben.event(uid).capacity == 12  # the field only ben changed is merged in
    [conflict] = ben.syncer.conflicts()
    assert (conflict.field, conflict.local, conflict.remote) == (
        "title",
        "Roundtable (Ben)",
        "Roundtable (Ana)",
    )
    assert "1 change waits; 1 changed elsewhere" in status_line(ben.planner.store)
    # It waits: a rerun sends nothing of that record.
    assert ben.sync().pushed == 0 and ana.sync().pulled == 0
    ben.syncer.resolve(uid, "remote")
    assert ben.event(uid).title == "Roundtable (Ana)"
    assert ben.syncer.ledger.is_queued(uid)  # ben's capacity is still to send
    assert ben.sync().conflicts == 0
    ana.sync()
    assert (ana.event(uid).title, ana.event(uid).capacity) == ("Roundtable (Ana)", 12)


def test_keep_local_sends_it(ana: Officer, ben: Officer) -> None:
    uid = program(ana.planner)
    ana.sync()
    ben.sync()
    ana.planner.save(replace(ana.event(uid), title="A"))
    ben.planner.save(replace(ben.event(uid), title="B"))
    ana.sync()
    assert ben.sync().conflicts == 1
    ben.syncer.resolve(uid, "local")
    assert ben.sync().conflicts == 0
    ana.sync()
    assert ana.event(uid).title == "B"


def a_venue_conflict(ana: Officer, ben: Officer) -> str:
    """Ana's venue went to the server; Ben's, set meanwhile, waits as a conflict."""
    uid = program(ana.planner)
    ana.sync()
    ben.sync()
    ana.planner.save(replace(ana.event(uid), venue="Stadthaus Zürich, Musiksaal"))
    ana.sync()
    ben.planner.save(replace(ben.event(uid), venue="Hotel Storchen"))
    assert ben.sync().conflicts == 1
    return uid


def waiting_venue(ben: Officer) -> list[tuple[str, str, str]]:
    return [(c.field, c.local, c.remote) for c in ben.syncer.conflicts()]


@pytest.mark.parametrize("keep", ["remote", "local"])
def test_an_undone_settlement_waits_again_and_sends_nothing_over_theirs(
    ana: Officer, ben: Officer, keep: str
) -> None:
    uid = a_venue_conflict(ana, ben)
    before = waiting_venue(ben)
    assert before == [("venue", "Hotel Storchen", "Stadthaus Zürich, Musiksaal")]
    ben.syncer.resolve(uid, keep)
    ben.planner.save(Person(name="Zoe Park"))  # another edit, undone first
    assert ben.planner.undo() == 'Add person "Zoe Park"'
    assert ben.planner.undo() == f"Settle a sync conflict ({keep})"
    assert ben.event(uid).venue == "Hotel Storchen"
    assert waiting_venue(ben) == before
    assert ben.syncer.ledger.is_queued(uid)
    report = ben.sync()
    assert (report.pushed, report.conflicts) == (0, 1)
    assert ana.sync().pulled == 0
    assert ana.event(uid).venue == "Stadthaus Zürich, Musiksaal"
    # Settled again, it goes as settled.
    ben.syncer.resolve(uid, keep)
    assert ben.sync().conflicts == 0
    ana.sync()
    expected = "Hotel Storchen" if keep == "local" else "Stadthaus Zürich, Musiksaal"
    assert ana.event(uid).venue == ben.event(uid).venue == expected


@pytest.mark.parametrize(
    ("choice", "line", "pushed"),
    [
        (TAKE_THEIRS, "Settled 1 field: theirs taken", 0),
        (KEEP_MINE, "Settled 1 field: yours kept; sync to send", 1),
    ],
)
def test_a_settlement_says_sync_to_send_only_when_a_sync_sends(
    ana: Officer, ben: Officer, choice: str, line: str, pushed: int
) -> None:
    uid = a_venue_conflict(ana, ben)
    assert settle(ben.planner, uid, choice) == line
    assert ben.sync().pushed == pushed
    assert status_line(ben.planner.store).startswith("in step; ")


def test_remote_delete_of_a_clean_record_goes_to_the_trash(ana: Officer, ben: Officer) -> None:
    uid = program(ana.planner)
    ana.sync()
    ben.sync()
    ana.planner.delete(ana.event(uid))
    assert ana.sync().pushed >= 1
    assert ben.sync().trashed >= 1
    assert ben.event(uid).deleted_at is not None  # in the trash, restorable
    assert ben.sync().conflicts == 0


def test_remote_delete_of_a_changed_record_is_a_conflict(ana: Officer, ben: Officer) -> None:
    uid = program(ana.planner)
    ana.sync()
    ben.sync()
    ana.planner.delete(ana.event(uid))
    ana.sync()
    ben.planner.save(replace(ben.event(uid), notes="ben's notes"))
    report = ben.sync()
    # Not a field changed both here and elsewhere: the record, deleted there.
    assert report.conflicts == 0 and [c.uid for c in report.deletions] == [uid]
    [conflict] = [c for c in ben.syncer.conflicts() if c.uid == uid]
    assert (conflict.field, conflict.remote) == (DELETED, "deleted")
    assert ben.planner.sync_deletion_lines(report.deletions) == [
        f"event {quoted(ben.event(uid).title)}: edited here, deleted elsewhere: your version"
        " is kept here until you choose"
    ]
    assert ben.event(uid).deleted_at is None
    ben.syncer.resolve(uid, "local")  # keep it: it goes back to the server
    assert ben.sync().conflicts == 0
    ana.sync()
    assert ana.event(uid).deleted_at is None and ana.event(uid).notes == "ben's notes"


def test_a_412_on_push_merges_and_sends(ana: Officer, ben: Officer) -> None:
    """Ben pushes over a resource changed since his last pull (no pull between): the PUT's
    If-Match fails, the server's copy is merged in and the result sent."""
    uid = program(ana.planner)
    ana.sync()
    ben.sync()
    ana.planner.save(replace(ana.event(uid), venue="Hall B"))
    ana.sync()
    ben.planner.save(replace(ben.event(uid), capacity=30))
    report = SyncReport()
    ben.syncer.push(report)
    assert report.merged == 1 and report.pushed == 1
    ana.sync()
    assert (ana.event(uid).venue, ana.event(uid).capacity) == ("Hall B", 30)


def test_an_expired_token_falls_back_to_etags(ana: Officer, ben: Officer) -> None:
    uid = program(ana.planner)
    ana.sync()
    ben.sync()
    with ben.planner.store.transaction():
        ben.planner.store._write("update sync_tokens set token = 'http://radicale.org/ns/sync/0'")
    ana.planner.save(replace(ana.event(uid), venue="Hall C"))
    task = ana.planner.store.by_uid(Task, ben_task_uid(ben, uid))
    assert task is not None
    ana.planner.delete(task)
    ana.sync()
    report = ben.sync()
    assert report.pulled == 1 and report.trashed == 1  # only what changed, by etag
    assert ben.event(uid).venue == "Hall C"


def ben_task_uid(ben: Officer, event_uid: str) -> str:
    event = ben.event(event_uid)
    assert event.id is not None
    [task] = ben.planner.tasks_for(event.id)
    assert task.uid is not None
    return task.uid


def test_the_time_of_the_last_sync_is_said_in_the_officers_zone(ana: Officer) -> None:
    ledger = ana.syncer.ledger
    with ana.planner.store.transaction():
        ledger.set_meta("synced_at", "2026-12-06T02:52:00+00:00")
    assert status_line(ana.planner.store, "Europe/Vienna").endswith("synced 03:52")
    assert status_line(ana.planner.store, "America/New_York").endswith("synced 21:52")


def test_a_failed_sync_is_said_until_one_succeeds(home: str, ana: Officer) -> None:
    from tui.domain.planner.sync import Server

    planner = ana.planner
    with pytest.raises(Unreachable):
        planner.sync_with(Server("http://127.0.0.1:9/team/", "ana", "pw"))
    assert planner.sync_failed_at is not None
    assert planner.sync_status().startswith("failed ")
    assert planner.sync_status().endswith("; never synced")
    planner.sync_with(Server(home, "ana", PASSWORDS["ana"]))
    assert planner.sync_failed_at is None
    assert planner.sync_status().startswith("in step; synced ")


def test_a_failure_before_the_last_good_sync_is_not_said(ana: Officer) -> None:
    from datetime import UTC, datetime

    store = ana.planner.store
    with store.transaction():
        ana.syncer.ledger.set_meta("synced_at", "2026-12-06T02:52:00+00:00")
        store._write("delete from sync_outbox")
    before = datetime(2026, 12, 6, 2, 50, tzinfo=UTC)
    after = datetime(2026, 12, 6, 3, 10, tzinfo=UTC)
    assert status_line(store, "UTC", failed_at=before) == "in step; synced 02:52"
    assert status_line(store, "UTC", failed_at=after) == "failed 03:10; synced 02:52"


def test_server_down_changes_nothing(tmp_path: Path, ana: Officer) -> None:
    program(ana.planner)
    waiting = ana.syncer.ledger.waiting()
    down = Syncer(ana.planner.store, Dav("http://127.0.0.1:9/team/x/", "ana", "pw"))
    words = r"^cannot reach the sync server at 127\.0\.0\.1:9: connection refused$"
    with pytest.raises(Unreachable, match=words):
        down.run()
    assert ana.syncer.ledger.waiting() == waiting
    assert ana.syncer.ledger.token("calendar") is None


@pytest.mark.parametrize(
    "answer",
    [
        b'<?xml version="1.0"?><D:multistatus xmlns:D="DAV:">\x00</D:multistatus>',
        b"<html><body>Welcome to our web site</body></html>",
    ],
)
def test_a_server_that_answers_no_readable_xml_is_one_line(
    tmp_path: Path, ana: Officer, answer: bytes
) -> None:
    """Not a CalDAV server (or a broken one): said in one line, nothing changed here."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Garbage(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self.send_response(207)
            self.send_header("Content-Type", "application/xml")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        do_PROPFIND = do_REPORT = do_PUT = do_GET = _answer

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Garbage)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        program(ana.planner)
        waiting = ana.syncer.ledger.waiting()
        url = f"http://127.0.0.1:{server.server_address[1]}/team/"
        with pytest.raises(Unreachable) as raised:
            Syncer(ana.planner.store, Dav(url, "ana", "pw")).run()
        assert str(raised.value) == (
            "the server's answer could not be read (is the address a CalDAV server's?)"
        )
        assert ana.syncer.ledger.waiting() == waiting
    finally:
        server.shutdown()
        server.server_close()


def test_a_wrong_password_is_refused_without_saying_it(home: str, tmp_path: Path) -> None:
    planner = Planner(Store(tmp_path / "x.db"))
    syncer = Syncer(planner.store, Dav(home, "ana", "not-the-password"))
    with pytest.raises(Unreachable) as raised:
        syncer.run()
    assert "refused user ana" in str(raised.value)
    assert "not-the-password" not in str(raised.value)
    assert "no password" not in str(raised.value)


def test_no_password_at_all_is_said_so(home: str, tmp_path: Path) -> None:
    planner = Planner(Store(tmp_path / "x.db"))
    with pytest.raises(Unreachable) as raised:
        Syncer(planner.store, Dav(home, "ana", None)).run()
    assert str(raised.value) == (
        "the server refused user ana: no password was given (CONVENER_SYNC_PASSWORD"
        " or [sync] password_command)"
    )


def test_a_place_the_login_may_not_write_is_named_not_called_a_refused_login(
    radicale: Radicale, tmp_path: Path
) -> None:
    """The login worked (a wrong password is 401); the server refused to make a collection
    where this user may only read (403): "the server refused user ana" sent the officer
    after the password."""
    planner = Planner(Store(tmp_path / "x.db"))
    home = f"{radicale.base}/archive/"
    with pytest.raises(Unreachable) as raised:
        Syncer(planner.store, Dav(home, "ana", PASSWORDS["ana"])).run()
    assert str(raised.value) == (
        "the server does not allow writing at /archive/convener-contacts/ (check the address)"
    )
    # Another officer's own folder: not even to read.
    with pytest.raises(Unreachable) as raised:
        Syncer(planner.store, Dav(f"{radicale.base}/ben/", "ana", PASSWORDS["ana"])).run()
    assert str(raised.value) == (
        "the server does not allow reading at /ben/convener-contacts/ (check the address)"
    )


def test_a_server_that_takes_the_connection_and_says_nothing_is_given_up_in_words(
    tmp_path: Path,
) -> None:
    from tui.domain.sync.dav import TIMEOUT

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    port = listener.getsockname()[1]
    try:
        url = f"http://127.0.0.1:{port}/team/"
        # The app and the command line give up after TIMEOUT; two minutes were too long.
        assert Dav(url, "ana", "pw").client.timeout == TIMEOUT <= 30
        planner = Planner(Store(tmp_path / "x.db"))
        with pytest.raises(Unreachable) as raised:
            Syncer(planner.store, Dav(url, "ana", "pw", timeout=1)).run()
        assert str(raised.value) == f"the sync server at 127.0.0.1:{port} did not answer within 1 s"
    finally:
        listener.close()


def test_guests_travel_as_participants_never_attendees(
    ana: Officer, home: str, radicale: Radicale
) -> None:
    uid = program(ana.planner)
    ana.sync()
    folder = radicale.storage / "collection-root" / "team" / home.split("/team/")[1].rstrip("/")
    texts = [
        p.read_text()
        for p in folder.rglob("*")
        if p.is_file() and p.suffix == ".ics" and ".Radicale" not in str(p)
    ]
    event_text = next(t for t in texts if f"UID:{uid}" in t)
    assert "ATTENDEE" not in "".join(texts)
    assert event_text.count("BEGIN:PARTICIPANT") == 2
    assert "STRUCTURED-DATA;FMTTYPE=application/json;VALUE=TEXT" in event_text
    assert "RRULE:FREQ=WEEKLY;COUNT=3" in event_text
    assert "TZID=Africa/Nairobi" in event_text and "BEGIN:VTIMEZONE" in event_text


def test_a_local_edit_queues_in_its_own_transaction_and_undo_queues_too(
    empty_planner: Planner,
) -> None:
    store = empty_planner.store
    person = empty_planner.save(Person(name="Zoe Park"))

    def queued() -> list[str]:
        return [r["uid"] for r in store._rows("select uid from sync_outbox")]

    assert queued() == [person.uid]
    with store.transaction():
        store._write("delete from sync_outbox")
    empty_planner.undo()
    assert queued() == [person.uid]


def test_guest_changes_queue_the_event(empty_planner: Planner) -> None:
    uid = program(empty_planner)
    store = empty_planner.store
    with store.transaction():
        store._write("delete from sync_outbox")
    set_status(empty_planner, uid, "Tomás Ruiz", "accepted")
    assert [r["uid"] for r in store._rows("select uid from sync_outbox")] == [uid]


def test_invalid_remote_values_are_refused_one_line_each(ana: Officer, ben: Officer) -> None:
    uid = program(ana.planner)
    ana.sync()
    # Another client writes a record Convener would not accept (end before start).
    event = ana.event(uid)
    bad = replace(event, end_date=date(2026, 12, 9))
    from tui.domain.sync.carriers import to_text

    document = ana.syncer.records.read("event", uid)
    assert document is not None
    document["fields"]["end_date"] = bad.end_date.isoformat()
    shadow = ana.syncer.ledger.shadow(uid)
    assert shadow is not None
    ana.syncer.dav.put(
        shadow.href, to_text("event", uid, document), shadow.etag, collection="calendar"
    )
    report = ben.sync()
    # The event, and its session and task that have no event to go with here.
    assert len(report.refused) == 3 and all(len(line) <= 200 for line in report.refused)
    assert "end date 2026-12-09 is before start date" in report.refused[0]
    assert ben.planner.store.by_uid(Event, uid) is None


def test_deleted_here_and_changed_there_waits_then_take_theirs_restores(
    ana: Officer, ben: Officer
) -> None:
    uid = program(ana.planner)
    ana.sync()
    ben.sync()
    ben.planner.delete(ben.event(uid))
    ana.planner.save(replace(ana.event(uid), notes="ana's notes"))
    ana.sync()
    report = ben.sync()
    assert report.conflicts == 0 and [c.uid for c in report.deletions] == [uid]
    [conflict] = [c for c in ben.syncer.conflicts() if c.uid == uid]
    assert (conflict.field, conflict.local, conflict.remote) == (DELETED, "deleted", "changed")
    # Named though it is in the trash here; said as the record's, never as "field(s)".
    title = ben.planner.store.by_uid(Event, uid).title  # type: ignore[union-attr]
    assert ben.planner.sync_deletion_lines(report.deletions) == [
        f"event {quoted(title)}: deleted here, edited elsewhere: it stays deleted here until"
        " you choose"
    ]
    assert ben.planner.sync_conflict_lines(uid) == [(uid, "the whole record", "deleted", "edited")]
    ben.syncer.resolve(uid, "remote")
    assert ben.event(uid).deleted_at is None and ben.event(uid).notes == "ana's notes"
    assert ben.sync().conflicts == 0
    assert ana.sync().trashed == 0 and ana.event(uid).deleted_at is None


def test_a_guest_whose_person_is_not_here_stays_on_the_server(ana: Officer, ben: Officer) -> None:
    """Ben's database lacks one guest's person (here: removed behind its back); his next
    edit of the event must not take that guest off the server."""
    uid = program(ana.planner)
    ana.sync()
    ben.sync()
    store = ben.planner.store
    with store.transaction():
        store._write("insert into sync_applying (one) values (1)")
        store._write("delete from people where name = 'Tomás Ruiz'")
        store._write("delete from people where name = 'Amina Diallo'")
        store._write("delete from sync_applying")
    assert ben.guests(uid) == {}
    ben.planner.save(replace(ben.event(uid), venue="Hall D"))
    assert ben.sync().pushed == 1
    ana.sync()
    assert ana.guests(uid) == {"Amina Diallo": "to-invite", "Tomás Ruiz": "to-invite"}
    event = ana.event(uid)
    assert event.venue == "Hall D" and event.id is not None
    assert [c.name for c in ana.planner.contacts_for(event.id)] == ["Amina Diallo"]


def test_a_new_collection_home_is_synced_as_a_first_sync_not_as_everything_deleted(
    ana: Officer, radicale: Radicale, tmp_path: Path
) -> None:
    uid = program(ana.planner)
    assert ana.sync().pushed == 5
    # The team moves to another home (or the URL is corrected): the new one is empty.
    new_home = radicale.home()
    moved = Syncer(ana.planner.store, Dav(new_home, "ana", PASSWORDS["ana"]))
    report = moved.run()
    assert report.new_home
    assert report.trashed == 0 and report.pushed == 5
    assert ana.event(uid).deleted_at is None
    # Another officer starting from the new home gets the whole program.
    cleo = officer(tmp_path, "ben", new_home)
    assert cleo.sync().pulled == 5
    assert cleo.event(uid).title == ana.event(uid).title
    # Back in step with the new home: nothing more is said or sent.
    again = moved.run()
    assert not again.new_home and again.pushed == 0 and again.trashed == 0


def test_a_failed_run_against_another_home_keeps_the_state_of_this_one(
    ana: Officer, ben: Officer, radicale: Radicale
) -> None:
    """A one-off sync against a wrong address that fails (here: refuses every save) must
    not leave the database tied to that address: the next sync with the team's home went
    on as a first sync, and an event Ben deleted came back."""
    uid = program(ana.planner)
    ana.sync()
    ben.sync()
    state = {
        table: ana.planner.store._rows(f"select * from {table}")
        for table in ("sync_tokens", "sync_shadow", "sync_meta")
    }
    waiting = {row["uid"] for row in ana.planner.store._rows("select uid from sync_outbox")}
    wrong = Dav(radicale.home(), "ana", PASSWORDS["ana"])

    def refuse(*args: object, **kwargs: object) -> object:
        # Meanwhile the officer saves a change (the app syncs in a worker thread).
        person = ana.planner.store.by_key(Person, "Tomás Ruiz")[0]
        ana.planner.save(replace(person, notes="Prefers mornings"))
        raise Unreachable("the server answered 207 to saving a resource")

    wrong.create_many = refuse  # type: ignore[method-assign,assignment]
    with pytest.raises(Unreachable):
        Syncer(ana.planner.store, wrong).run()
    for table, rows in state.items():
        assert ana.planner.store._rows(f"select * from {table}") == rows, table
    after = {row["uid"] for row in ana.planner.store._rows("select uid from sync_outbox")}
    tomas = ana.planner.store.by_key(Person, "Tomás Ruiz")[0]
    # What waited waits, the change saved meanwhile too; not the failed first publish.
    assert after == waiting | {tomas.uid}
    # Ben deletes the event; Ana's next sync with the team's home takes it as deleted.
    ben.planner.delete(ben.event(uid))
    ben.sync()
    report = ana.sync()
    assert not report.new_home and report.trashed >= 1
    assert ana.event(uid).deleted_at is not None
    ben.sync()
    assert ben.event(uid).deleted_at is not None  # not brought back


def test_the_time_of_a_mailed_answer_travels_to_the_other_officer(
    ana: Officer, ben: Officer
) -> None:
    """Ana imported Amina's mailed answer (with the time it was written); Ben's copy knows
    that time too, so a later mail of the same day applies for both alike."""
    from datetime import UTC, datetime

    uid = program(ana.planner)
    event = ana.event(uid)
    assert event.id is not None
    written = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)
    line = next(g.invitation for g in ana.planner.guest_lines(event.id) if g.name == "Amina Diallo")
    ana.planner.save(
        replace(
            line,
            status="accepted",
            responded_on=date(2026, 12, 4),
            response_via="email",
            responded_at=written,
        )
    )
    ana.sync()
    ben.sync()
    copy = ben.event(uid)
    assert copy.id is not None
    [amina] = [g for g in ben.planner.guest_lines(copy.id) if g.name == "Amina Diallo"]
    assert amina.invitation.responded_at == written
    # Nothing more to say either way.
    assert ben.sync().pushed == 0 and ana.sync().pulled == 0


def test_one_guest_changed_on_both_sides_in_different_parts_keeps_both(
    ana: Officer, ben: Officer
) -> None:
    uid = program(ana.planner)
    ana.sync()
    ben.sync()
    set_status(ana.planner, uid, "Tomás Ruiz", "accepted")  # his answer, imported by Ana
    copy = ben.event(uid)
    assert copy.id is not None
    [line] = [g.invitation for g in ben.planner.guest_lines(copy.id) if g.name == "Tomás Ruiz"]
    ben.planner.save(replace(line, dietary="vegan"))  # his diet, noted by Ben
    ana.sync()
    report = ben.sync()
    assert report.conflicts == 0
    ana.sync()
    for laptop in (ana, ben):
        event = laptop.event(uid)
        assert event.id is not None
        [tomas] = [
            g.invitation for g in laptop.planner.guest_lines(event.id) if g.name == "Tomás Ruiz"
        ]
        assert (tomas.status, tomas.dietary) == ("accepted", "vegan")


def test_a_person_deleted_there_whom_a_change_here_invites_is_a_conflict_not_lost(
    ana: Officer, ben: Officer
) -> None:
    uid = program(ana.planner)
    ivo = ana.planner.save(Person(name="Ivo Test", email="ivo@example.org"))
    ana.sync()
    ben.sync()
    # Ana deletes Ivo; Ben, not yet synced, invites him to the event.
    ana.planner.delete(ivo)
    ana.sync()
    ben_ivo = ben.planner.store.by_uid(Person, ivo.uid or "")
    assert ben_ivo is not None and ben_ivo.id is not None
    ben.planner.invite(ben.event(uid).id or 0, [ben_ivo.id])
    report = ben.sync()
    assert ivo.uid in {c.uid for c in report.deletions} and report.trashed == 0
    [conflict] = [c for c in ben.syncer.conflicts() if c.uid == ivo.uid]
    assert (conflict.field, conflict.local, conflict.remote) == (DELETED, "in use here", "deleted")
    assert "Ivo Test" in ben.guests(uid)  # the invitation is kept, and went out
    # Keeping Ben's side sends Ivo again: Ana gets the person and the guest.
    ben.syncer.resolve(ivo.uid or "", "local")
    ben.sync()
    ana.sync()
    assert ana.guests(uid).get("Ivo Test") == "to-invite"
    restored = ana.planner.store.by_uid(Person, ivo.uid or "")
    assert restored is not None and restored.deleted_at is None


def test_a_guest_changed_both_ways_is_described_by_name_and_what_differs(
    ana: Officer, ben: Officer
) -> None:
    uid = program(ana.planner)
    ana.sync()
    ben.sync()
    set_status(ana.planner, uid, "Tomás Ruiz", "tentative")
    ana.sync()
    set_status(ben.planner, uid, "Tomás Ruiz", "declined")
    assert ben.sync().conflicts == 1
    [(_, what, here, there)] = ben.planner.sync_conflict_lines(uid)
    assert what == "guest Tomás Ruiz"
    # Only what differs (both stamped a reply day, today): not the whole line, cut short.
    assert here == "status 'declined'" and there == "status 'tentative'"
    # The list of records with conflicts names the guest too, never "member:<uid>".
    [(_, kind, _, fields)] = [r for r in ben.planner.sync_conflicted_records() if r[0] == uid]
    assert (kind, fields) == ("event", ["guest Tomás Ruiz"])


def test_the_mail_sequence_travels_so_a_second_officers_update_is_newer(
    ana: Officer, ben: Officer, tmp_path: Path
) -> None:
    from tui.domain.mail.compose import Organizer

    uid = program(ana.planner)
    set_status(ana.planner, uid, "Amina Diallo", "accepted")  # updates go to her
    ana.sync()
    ben.sync()
    ana_event, ben_event = ana.event(uid), ben.event(uid)
    assert ana_event.id is not None and ben_event.id is not None
    # Ana mails an update (SEQUENCE 1); Ben, after a sync, mails the next one.
    ana.planner.queue_mail(ana_event.id, "update", tmp_path / "a", Organizer("ana@example.org"))
    assert ana.planner.store.mail_sequence(ana_event.id) == 1
    ana.sync()
    ben.sync()
    assert ben.planner.store.mail_sequence(ben_event.id) == 1
    report = ben.planner.queue_mail(
        ben_event.id, "update", tmp_path / "b", Organizer("ben@example.org")
    )
    assert report.sequence == 2
    # Both raising it offline: the higher wins, without a conflict.
    ana.planner.store.next_mail_sequence(ana_event.id)  # 2
    ana.planner.store.next_mail_sequence(ana_event.id)  # 3
    ben.sync()
    assert ana.sync().conflicts == 0
    assert ana.planner.store.mail_sequence(ana_event.id) == 3
    assert ben.sync().conflicts == 0
    assert ben.planner.store.mail_sequence(ben_event.id) == 3


def _add_guest(planner: Planner, event_uid: str, person: Person) -> Person:
    """A new person, saved and invited to the event."""
    event = planner.store.by_uid(Event, event_uid)
    assert event is not None and event.id is not None
    saved = planner.save(person)
    assert saved.id is not None
    planner.invite(event.id, [saved.id])
    return saved


def _guest_names(officer: Officer, event_uid: str) -> list[str]:
    event = officer.event(event_uid)
    assert event.id is not None
    return [line.name for line in officer.planner.guest_lines(event.id)]


def _people(officer: Officer, email: str) -> list[Person]:
    return [
        p
        for p in officer.planner.store.listing(Person, order_by="id")
        if (p.email or "").strip().lower() == email and p.deleted_at is None
    ]


def test_the_same_new_guest_added_on_two_laptops_is_one_person_after_the_sync(
    ana: Officer, ben: Officer
) -> None:
    """Both officers add Grace as a guest before either syncs: she was two people with one
    e-mail on both laptops (two guest lines, two invitations). Ben's sync keeps Ana's Grace
    (the server's), moves his guest line, his session's speaker and his task's owner to her,
    keeps the phone only he had and sends it; his own Grace goes to the trash, not out."""
    uid = program(ana.planner)
    ana.sync()
    ben.sync()
    # A new colleague (staff: a task's owner is), added on both laptops.
    _add_guest(
        ana.planner, uid, Person(name="Grace Wanjiru", email="grace@example.org", is_staff=True)
    )
    grace = _add_guest(
        ben.planner,
        uid,
        Person(
            name="Grace Wanjiru",
            email=" Grace@Example.org",
            phone="+254 700 000 001",
            is_staff=True,
        ),
    )
    assert grace.id is not None
    event = ben.event(uid)
    assert event.id is not None
    [session] = ben.planner.sessions_for(event.id)
    assert session.id is not None
    ben.planner.save_session(session, [*session.speakers, Speaker(grace.id, "", "speaker")])
    ben.planner.save_task(Task(event_id=event.id, title="Visa letter", owner_id=grace.id))
    set_status(ana.planner, uid, "Grace Wanjiru", "invited")  # ben's line is still new
    ana.sync()
    report = ben.sync()
    assert report.joined == 1 and report.conflicts == 0 and report.waiting == 0, (
        ben.syncer.conflicts()
    )
    assert report.pulled >= 1  # she came in: "0 in" said otherwise
    ana.sync()
    line_uids = set()
    for who in (ana, ben):
        [kept] = _people(who, "grace@example.org")
        assert kept.phone == "+254 700 000 001"
        assert _guest_names(who, uid).count("Grace Wanjiru") == 1
        assert who.guests(uid)["Grace Wanjiru"] == "invited"
        own = who.event(uid)
        assert own.id is not None and kept.id is not None
        invitation = who.planner.store.invitation_for(own.id, kept.id)
        assert invitation is not None
        line_uids.add(invitation.uid)
    assert len(line_uids) == 1  # one line uid on both: the server's, not each side's in turn
    assert ben.sync().pushed == 0 and ana.sync().pushed == 0  # in step, nothing sent again
    ben_grace = _people(ben, "grace@example.org")[0]
    assert ben_grace.uid == _people(ana, "grace@example.org")[0].uid
    assert ben.planner.store.get(Person, grace.id, include_deleted=True).deleted_at  # trash
    ana_event = ana.event(uid)
    assert ana_event.id is not None
    [ana_session] = ana.planner.sessions_for(ana_event.id)
    assert [s.name for s in ana_session.speakers] == ["Amina Diallo", "Grace Wanjiru"]
    [visa] = [t for t in ana.planner.tasks_for(ana_event.id) if t.title == "Visa letter"]
    assert visa.owner_id == _people(ana, "grace@example.org")[0].id
    line = synced_line(ben.planner, report)
    assert "1 person added here and elsewhere with one e-mail kept as one" in line


def test_a_joined_person_whose_fields_differ_keeps_this_laptop_s_and_waits(
    ana: Officer, ben: Officer
) -> None:
    """A name spelled differently on the two laptops is not settled silently: the value
    typed here stays, the field waits for the officer, as any field changed on both
    sides does; a person without an e-mail is never joined."""
    uid = program(ana.planner)
    ana.sync()
    ben.sync()
    _add_guest(ana.planner, uid, Person(name="Grace Wanjiru", email="grace@example.org"))
    _add_guest(ana.planner, uid, Person(name="Omar Haddad"))
    # Staff only here: a flag left at its default elsewhere is no conflict.
    _add_guest(
        ben.planner,
        uid,
        Person(name="Grace W. Wanjiru", email="grace@example.org", is_staff=True),
    )
    _add_guest(ben.planner, uid, Person(name="Omar Haddad"))
    ana.sync()
    report = ben.sync()
    assert report.joined == 1
    [kept] = _people(ben, "grace@example.org")
    assert kept.name == "Grace W. Wanjiru" and kept.is_staff
    [conflict] = [c for c in ben.syncer.conflicts() if c.kind == "person"]
    assert (conflict.field, conflict.local, conflict.remote) == (
        "name",
        "Grace W. Wanjiru",
        "Grace Wanjiru",
    )
    assert _guest_names(ben, uid).count("Omar Haddad") == 2  # no e-mail: not the same person


def test_a_pull_writes_with_the_roomy_page_cache_and_gives_it_back(
    ana: Officer, ben: Officer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pull is a bulk write (a new laptop's first pull writes the whole program in one
    transaction): it gets the imports' page cache, then the usual small one again."""
    from tui.domain.store import PAGE_CACHE_KB, ROOMY_CACHE_MB

    program(ana.planner)
    ana.sync()
    sizes: list[int] = []
    applying = ben.syncer.ledger.applying

    def measured(*arguments: Any) -> Any:
        sizes.append(ben.planner.store._conn.execute("pragma cache_size").fetchone()[0])
        return applying(*arguments)

    monkeypatch.setattr(ben.syncer.ledger, "applying", measured)
    assert ben.sync().pulled > 0
    assert sizes == [-ROOMY_CACHE_MB * 1024]
    assert ben.planner.store._conn.execute("pragma cache_size").fetchone()[0] == -PAGE_CACHE_KB
