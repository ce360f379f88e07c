from __future__ import annotations

import sqlite3
import stat
import threading
from dataclasses import replace
from datetime import date, time
from pathlib import Path

import pytest

from tui.domain import migrations
from tui.domain import store as store_module
from tui.domain.errors import InvalidInput, NotFound, StorageError
from tui.domain.models import Event, Invitation, Organisation, Person, Publication, Session, Speaker
from tui.domain.store import Store


@pytest.fixture
def empty(tmp_path: Path) -> Store:
    return Store(tmp_path / "new.db")


def _event(
    title: str = "Roundtable", start: date = date(2026, 12, 1), end: date | None = None
) -> Event:
    return Event(title=title, start_date=start, end_date=end or start)


def test_new_database_is_private_and_durable(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    store = Store(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert store.pragmas() == {
        "journal_mode": "wal",
        "synchronous": 2,
        "foreign_keys": 1,
        "busy_timeout": 5000,
    }
    store.insert(_event())
    for suffix in ("-wal", "-shm"):
        side = Path(str(path) + suffix)
        if side.exists():
            assert stat.S_IMODE(side.stat().st_mode) & 0o077 == 0


def test_migrations_on_an_empty_file_create_every_table(empty: Store) -> None:
    tables = {
        r[0] for r in empty._conn.execute("select name from sqlite_master where type='table'")
    }
    assert {
        "events",
        "people",
        "organisations",
        "publications",
        "sessions",
        "session_speakers",
        "invitations",
        "event_contacts",
        "event_partners",
        "event_links",
        "event_publications",
        "publication_links",
    } <= tables
    assert empty.schema_version() == migrations.known_names()[-1]


def test_reopening_applies_nothing_twice_and_keeps_data(tmp_path: Path) -> None:
    path = tmp_path / "db.db"
    first = Store(path)
    first.insert(_event("Kept"))
    first.close()
    second = Store(path)
    assert [e.title for e in second.events_between(date(2026, 1, 1), date(2026, 12, 31))] == [
        "Kept"
    ]
    applied = second._conn.execute("select count(*) from _sqlite_migrations").fetchone()[0]
    assert applied == len(migrations.known_names())


def test_migrating_from_the_previous_version_backs_up_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "old.db"
    Store(path).close()
    # Pretend a newer release added a migration: opening must back up, then apply it.
    name = "m9999_test_extra_column"

    def extra(db: object) -> None:
        db.execute("alter table events add column extra text")  # type: ignore[attr-defined]

    monkeypatch.setattr(
        migrations.migrations, "_migrations", list(migrations.migrations._migrations)
    )
    migrations.migrations(name=name)(extra)
    monkeypatch.setattr(
        store_module.migrating, "MIGRATION_NAMES", (*store_module.MIGRATION_NAMES, name)
    )
    store = Store(path)
    assert store.schema_version() == name
    backups = list((tmp_path / "backups").glob("*.db"))
    assert len(backups) == 1
    assert stat.S_IMODE(backups[0].stat().st_mode) == 0o600
    columns = {r[1] for r in store._conn.execute("pragma table_info(events)")}
    assert "extra" in columns


def test_a_failing_migration_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "old.db"
    Store(path).close()

    def broken(db: object) -> None:
        db.execute("alter table events add column half text")  # type: ignore[attr-defined]
        raise RuntimeError("boom")

    monkeypatch.setattr(
        migrations.migrations, "_migrations", list(migrations.migrations._migrations)
    )
    migrations.migrations(name="m9998_broken")(broken)
    monkeypatch.setattr(
        store_module.migrating, "MIGRATION_NAMES", (*store_module.MIGRATION_NAMES, "m9998_broken")
    )
    with pytest.raises(StorageError, match=r"cannot upgrade this database \(RuntimeError: boom\)"):
        Store(path)
    conn = sqlite3.connect(path)
    columns = {r[1] for r in conn.execute("pragma table_info(events)")}
    assert "half" not in columns
    names = [r[0] for r in conn.execute("select name from _sqlite_migrations")]
    assert "m9998_broken" not in names


def test_a_database_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    Store(path).close()
    conn = sqlite3.connect(path)
    conn.execute(
        "insert into _sqlite_migrations (migration_set, name, applied_at) values ('convener', 'm9999_future', 'x')"
    )
    conn.commit()
    conn.close()
    with pytest.raises(StorageError, match="newer Convener"):
        Store(path)


def test_a_file_that_is_not_a_database_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("these are my notes, not a database\n" * 200)
    with pytest.raises(StorageError, match="cannot open the database"):
        Store(path)


def test_insert_get_update_roundtrip(empty: Store) -> None:
    event = empty.insert(
        Event(
            title="Dinner",
            start_date=date(2026, 12, 1),
            end_date=date(2026, 12, 1),
            start_time=time(19),
            end_time=time(21, 30),
            timezone="Europe/Zurich",
            kind="dinner",
            capacity=16,
        )
    )
    assert event.id is not None and event.uid and event.created_at == event.updated_at
    again = empty.get(Event, event.id)
    assert again == event
    changed = empty.update(replace(event, title="Policy dinner"))
    assert changed.title == "Policy dinner"
    assert changed.updated_at is not None and changed.updated_at > event.updated_at  # type: ignore[operator]
    assert empty.by_uid(Event, event.uid or "") == changed
    assert empty.by_key(Event, "policy   DINNER") == [changed]


def test_update_of_a_missing_record_is_not_found(empty: Store) -> None:
    with pytest.raises(NotFound):
        empty.update(replace(_event(), id=404))


def test_soft_delete_hides_and_restores(empty: Store) -> None:
    event = empty.insert(_event())
    assert event.id is not None
    empty.set_deleted(Event, event.id, True)
    with pytest.raises(NotFound):
        empty.get(Event, event.id)
    assert empty.get(Event, event.id, include_deleted=True).deleted_at is not None
    assert empty.count(Event) == 0 and empty.count(Event, include_deleted=True) == 1
    assert empty.events_between(date(2026, 1, 1), date(2026, 12, 31)) == []
    empty.set_deleted(Event, event.id, False)
    assert empty.get(Event, event.id).deleted_at is None


def test_end_before_start_is_refused_by_the_schema(empty: Store) -> None:
    with pytest.raises(InvalidInput):
        empty.insert(_event(start=date(2026, 12, 2), end=date(2026, 12, 1)))


def test_events_between_finds_multi_day_events_that_began_earlier(empty: Store) -> None:
    retreat = empty.insert(_event("Retreat", date(2026, 11, 28), date(2026, 12, 3)))
    empty.insert(_event("Before", date(2026, 11, 1)))
    empty.insert(_event("After", date(2027, 1, 10)))
    found = empty.events_between(date(2026, 12, 1), date(2026, 12, 31))
    assert [e.title for e in found] == ["Retreat"]
    assert found[0] == retreat


def test_events_between_orders_by_date_then_time(empty: Store) -> None:
    empty.insert(replace(_event("Late"), start_time=time(18)))
    empty.insert(replace(_event("All day")))
    empty.insert(replace(_event("Early"), start_time=time(8)))
    titles = [e.title for e in empty.events_between(date(2026, 12, 1), date(2026, 12, 1))]
    assert titles == ["All day", "Early", "Late"]


def test_links_are_symmetric_and_typed(empty: Store) -> None:
    a = empty.insert(_event("A"))
    b = empty.insert(_event("B", date(2025, 1, 1)))
    pub = empty.insert(Publication(title="Readout"))
    other = empty.insert(Publication(title="Brief"))
    person = empty.insert(Person(name="Jai-Ayla Sutherland", is_staff=True))
    org = empty.insert(Organisation(name="Impact:Peace"))
    assert a.id and b.id and pub.id and other.id and person.id and org.id
    assert empty.link("related_event", b.id, a.id)
    assert not empty.link("related_event", a.id, b.id)  # the same link from the other end
    assert [e.title for e in empty.related_events(a.id)] == ["B"]
    assert [e.title for e in empty.related_events(b.id)] == ["A"]
    empty.link("event_publication", a.id, pub.id)
    assert [p.title for p in empty.publications_for_event(a.id)] == ["Readout"]
    assert [e.title for e in empty.events_for_publication(pub.id)] == ["A"]
    empty.link("related_publication", other.id, pub.id)
    assert [p.title for p in empty.related_publications(pub.id)] == ["Brief"]
    assert [p.title for p in empty.related_publications(other.id)] == ["Readout"]
    empty.link("contact", a.id, person.id)
    empty.link("partner", a.id, org.id)
    assert [p.name for p in empty.contacts_for(a.id)] == ["Jai-Ayla Sutherland"]
    assert [o.name for o in empty.partners_for(a.id)] == ["Impact:Peace"]
    assert [e.title for e in empty.events_for_contact(person.id)] == ["A"]
    assert [e.title for e in empty.events_for_partner(org.id)] == ["A"]
    assert empty.unlink("related_event", a.id, b.id)
    assert empty.related_events(b.id) == []
    with pytest.raises(InvalidInput):
        empty.link("related_event", a.id, a.id)
    with pytest.raises(InvalidInput):
        empty.link("contact", a.id, 999)


def test_sessions_speakers_and_invitations(empty: Store) -> None:
    event = empty.insert(_event("Workshop", date(2026, 12, 1), date(2026, 12, 2)))
    ana = empty.insert(Person(name="Ana"))
    ben = empty.insert(Person(name="Ben"))
    assert event.id and ana.id and ben.id
    second = empty.insert(Session(event_id=event.id, date=date(2026, 12, 2), title="Day two"))
    first = empty.insert(
        Session(event_id=event.id, date=date(2026, 12, 1), title="Opening", start_time=time(9))
    )
    assert first.id and second.id
    empty.set_speakers(first.id, [Speaker(ben.id, "", "moderator"), Speaker(ana.id, "", "speaker")])
    sessions = empty.sessions_for(event.id)
    assert [s.title for s in sessions] == ["Opening", "Day two"]
    assert [(s.name, s.role) for s in sessions[0].speakers] == [
        ("Ben", "moderator"),
        ("Ana", "speaker"),
    ]
    assert empty.get(Session, first.id).speakers == sessions[0].speakers
    empty.insert(Invitation(event_id=event.id, person_id=ana.id, status="accepted"))
    empty.insert(Invitation(event_id=event.id, person_id=ben.id, status="declined"))
    assert [i.person_id for i in empty.invitations_for(event.id)] == [ana.id, ben.id]
    assert empty.invitation_counts([event.id]) == {event.id: {"accepted": 1, "declined": 1}}
    with pytest.raises(InvalidInput):  # one line per person per event
        empty.insert(Invitation(event_id=event.id, person_id=ana.id))
    parts = {(e.title, part) for e, part in empty.events_for_person(ben.id)}
    assert parts == {("Workshop", "guest: declined"), ("Workshop", "moderator")}


def test_listing_pages_in_a_stable_order(empty: Store) -> None:
    for name in ["Carla", "ana", "Ben"]:
        empty.insert(Person(name=name))
    assert [p.name for p in empty.listing(Person, order_by="name_key, id")] == [
        "ana",
        "Ben",
        "Carla",
    ]
    assert [p.name for p in empty.listing(Person, order_by="name_key, id", limit=1, offset=1)] == [
        "Ben"
    ]


def test_a_failed_transaction_leaves_nothing(empty: Store) -> None:
    with pytest.raises(RuntimeError), empty.transaction():
        empty.insert(_event("Half"))
        raise RuntimeError("stop")
    assert empty.count(Event) == 0


def test_an_error_that_ended_the_transaction_surfaces_from_a_savepoint(empty: Store) -> None:
    """SQLite ends the whole transaction on some errors (a full disk, an interrupt): the
    nested block's own error must reach the caller, not "no such savepoint"."""
    with pytest.raises(RuntimeError, match="disk full"), empty.transaction():
        empty.insert(_event("Kept out"))
        with empty.transaction():
            empty._conn.execute("rollback")  # what SQLite does itself on SQLITE_FULL
            raise RuntimeError("disk full")
    assert not empty._conn.in_transaction
    assert empty.count(Event) == 0
    empty.insert(_event("Next"))
    assert empty.count(Event) == 1


def test_threads_share_the_store(empty: Store) -> None:
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for i in range(20):
                empty.insert(_event(f"T{n}-{i}"))
                empty.events_between(date(2026, 1, 1), date(2026, 12, 31))
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert empty.count(Event) == 80


def test_backup_is_a_private_consistent_copy(store: Store, tmp_path: Path) -> None:
    target = store.backup(tmp_path / "copies")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    copy = Store(target)
    assert copy.count(Event) == store.count(Event) > 0
    assert copy._conn.execute("pragma integrity_check").fetchone()[0] == "ok"


def test_the_store_knows_every_migration_by_name() -> None:
    assert store_module.MIGRATION_NAMES == tuple(migrations.known_names())


def test_opening_an_up_to_date_database_needs_no_sqlite_utils(tmp_path: Path) -> None:
    """The start path (the app, `convener agenda`) skips sqlite-utils' import chain."""
    import subprocess
    import sys

    path = tmp_path / "db.db"
    Store(path).close()
    code = (
        "import sys\n"
        "from tui.domain.store import Store\n"
        f"Store({str(path)!r}).close()\n"
        "print('sqlite_utils' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
    # `convener agenda` builds the whole parser, the sync command's too (its engine reads
    # the migrations' table names: 100 ms of sqlite-utils, a third of a 30-day agenda).
    code = (
        "import sys\n"
        "from tui.cli import main\n"
        f"status = main(['--db', {str(path)!r}, 'agenda', '--from', '2026-12-01'])\n"
        "print(status, 'sqlite_utils' in sys.modules, file=sys.stderr)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stderr.strip() == "0 False"


def test_what_sqlite_refuses_is_said_in_words(empty: Store) -> None:
    store = empty
    from tui.domain.store.history import refused

    event = store.insert(_event())
    assert event.id is not None
    first = store.insert(Session(event_id=event.id, date=event.start_date, title="Opening"))
    with pytest.raises(InvalidInput) as caught:
        store.insert(Session(event_id=event.id, date=event.start_date, title="x", uid=first.uid))
    assert str(caught.value) == "not saved: another session already has this uid"
    assert refused(sqlite3.IntegrityError("NOT NULL constraint failed: events.start_date")) == (
        "an event needs a start date"
    )
    assert refused(sqlite3.IntegrityError("NOT NULL constraint failed: tasks.title")) == (
        "a task needs a title"
    )
    assert refused(sqlite3.IntegrityError("FOREIGN KEY constraint failed")) == (
        "it refers to a record that is not in the database"
    )


def test_the_month_grid_counts_are_read_from_an_index_alone(empty: Store) -> None:
    """The first screen counts six weeks' single events per span from the day-spans
    index, never from the events' rows (issue 24), and counts them right."""
    for day, title in [(1, "Dinner"), (1, "Lunch"), (3, "Retreat")]:
        empty.insert(
            Event(title=title, start_date=date(2026, 12, day), end_date=date(2026, 12, day + 1))
        )
    plan = empty._conn.execute(
        "explain query plan select start_date, end_date, count(*) from events"
        " where start_date between ? and ? and end_date >= ?"
        " and deleted_at is null and repeat is null group by start_date, end_date",
        ["2026-11-01", "2027-01-10", "2026-11-30"],
    ).fetchall()
    assert "events_day_spans" in " ".join(str(row[-1]) for row in plan)
    assert empty.event_spans_between(date(2026, 11, 30), date(2027, 1, 10)) == [
        (date(2026, 12, 1), date(2026, 12, 2), 2),
        (date(2026, 12, 3), date(2026, 12, 4), 1),
    ]


def test_a_bulk_write_has_a_roomy_page_cache_and_gives_it_back(empty: Store) -> None:
    """Imports run with a larger page cache (a million random UIDs into unique indexes
    went through the OS page by page in the 2 MB default), then the usual small one again,
    also when the import fails. The usual one is smaller than SQLite's 2 MB (issue 24)."""
    size = "pragma cache_size"
    (before,) = empty._conn.execute(size).fetchone()
    assert before == -store_module.PAGE_CACHE_KB
    with empty.roomy(8):
        assert empty._conn.execute(size).fetchone() == (-8192,)
    assert empty._conn.execute(size).fetchone() == (before,)
    with pytest.raises(RuntimeError), empty.roomy():
        assert empty._conn.execute(size).fetchone() == (-store_module.ROOMY_CACHE_MB * 1024,)
        raise RuntimeError("the import failed")
    assert empty._conn.execute(size).fetchone() == (before,)


def test_changes_made_counts_only_what_was_kept(store: Store) -> None:
    """A write rolled back (an import cancelled midway) counted as a change: the backup
    written before a cancelled import was kept though nothing of it was."""
    event = store.get(Event, 1)
    before = store.changes_made()
    with pytest.raises(KeyboardInterrupt), store.transaction("Import big.ics"):
        store.update(replace(event, title="half-way"))
        raise KeyboardInterrupt
    assert store.changes_made() == before
    # A savepoint rolled back inside a kept transaction: only the kept row counts, and the
    # whole rolled back after it counts nothing twice.
    with store.transaction("Edit"):
        store.update(replace(event, title="kept"))
        with pytest.raises(InvalidInput), store.transaction():
            store.update(replace(store.get(Event, 2), title="dropped"))
            raise InvalidInput("no")
    kept = store.changes_made()
    assert kept > before
    assert store.get(Event, 2).title != "dropped"
    with pytest.raises(InvalidInput), store.transaction("Both"):
        store.update(replace(event, title="again"))
        with pytest.raises(InvalidInput), store.transaction():
            store.update(replace(store.get(Event, 2), title="dropped"))
            raise InvalidInput("no")
        raise InvalidInput("no")
    assert store.changes_made() == kept
