"""Migrations: a database of every past schema version opens in this one, backed up first,
whole after, with its data, search and undo history; a migration that fails leaves the
database and its version as they were."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlite_utils import Database

from tui.domain import migrations
from tui.domain import store as store_module
from tui.domain.errors import StorageError
from tui.domain.models import Event, Person
from tui.domain.planner import Planner
from tui.domain.recurrence import OCCURRENCE_MARK
from tui.domain.store import Store

SCHEMAS = Path(__file__).resolve().parents[1] / "fixtures" / "schemas"
PAST = sorted(SCHEMAS.glob("convener-m*.db"))


def test_there_is_a_fixture_for_every_past_version() -> None:
    names = migrations.known_names()
    assert [p.stem.removeprefix("convener-") for p in PAST] == names[:-1]


def _copy(fixture: Path, tmp_path: Path) -> Path:
    path = tmp_path / "officer.db"
    shutil.copyfile(fixture, path)
    path.chmod(0o600)
    return path


def _version(path: Path) -> str:
    connection = sqlite3.connect(path)
    (name,) = connection.execute("select name from _sqlite_migrations order by id desc").fetchone()
    connection.close()
    return str(name)


def _digest(path: Path) -> str:
    connection = sqlite3.connect(path)
    text = "\n".join(connection.iterdump())
    connection.close()
    return hashlib.sha256(text.encode()).hexdigest()


@pytest.mark.parametrize("fixture", PAST, ids=[p.stem for p in PAST])
def test_a_past_version_migrates_with_a_backup_first(fixture: Path, tmp_path: Path) -> None:
    path = _copy(fixture, tmp_path)
    old_version, old_digest = _version(path), _digest(path)
    store = Store(path)
    [backup] = (tmp_path / "backups").glob("*.db")
    assert _version(backup) == old_version and _digest(backup) == old_digest
    assert store.schema_version() == migrations.known_names()[-1]
    assert store.check() == []  # integrity, foreign keys, schema, file modes
    planner = Planner(store)
    [event] = planner.events()
    assert (event.title, event.location) == ("Cities and Mass Violence Roundtable", "Zürich")
    assert event.id is not None
    assert [p.name for p in planner.contacts_for(event.id)] == ["Jai-Ayla Sutherland"]
    assert [g.name for g in planner.guest_lines(event.id)] == ["Zürich Guest"]
    assert [s.title for s in planner.sessions_for(event.id)] == ["Opening circle"]
    assert {h.title for h in planner.search("zurich")} == {
        "Zürich Guest",
        "Cities and Mass Violence Roundtable",
    }
    # The migrated database works: edits are indexed and undo steps back over them.
    person = planner.save(Person(name="Amina Diallo"))
    assert [h.title for h in planner.search("diallo")] == ["Amina Diallo"]
    assert planner.undo() == 'Add person "Amina Diallo"'
    assert planner.search("diallo") == []
    planner.save(Event(**{**event.__dict__, "title": "Renamed roundtable"}))
    assert [h.title for h in planner.search("renamed")] == ["Renamed roundtable"]
    assert person.id is not None
    store.close()


def test_the_history_of_a_past_version_still_undoes(tmp_path: Path) -> None:
    path = _copy(SCHEMAS / "convener-m0003_history.db", tmp_path)
    planner = Planner(Store(path))
    assert planner.undo() == "Import seeds.toml"
    assert planner.events() == [] and planner.search("roundtable") == []


def test_a_failing_migration_leaves_the_database_and_its_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _copy(PAST[-1], tmp_path)
    version, digest = _version(path), _digest(path)
    newest = migrations.migrations._migrations[-1]

    def halfway(db: Database) -> None:
        newest.fn(db)  # the real migration's work, then a failure before it is recorded
        raise OSError("disk full")

    failing = type(newest)(name=newest.name, fn=halfway, transactional=True)
    monkeypatch.setattr(
        migrations.migrations, "_migrations", [*migrations.migrations._migrations[:-1], failing]
    )
    with pytest.raises(StorageError, match=r"cannot upgrade this database \(OSError: disk full\)"):
        Store(path)
    assert _version(path) == version and _digest(path) == digest
    monkeypatch.undo()
    assert Store(path).schema_version() == store_module.MIGRATION_NAMES[-1]


def test_occurrence_uids_take_the_new_mark_and_a_real_hash_uid_stays(tmp_path: Path) -> None:
    """m0006: "SERIES#YYYYMMDD" made from a RECURRENCE-ID is renamed; a UID that merely
    holds a "#" is the event's own, and its namesake series keeps every day."""
    from datetime import date

    path = tmp_path / "officer.db"
    planner = Planner(Store(path))
    series = planner.save(
        Event(
            title="Series",
            uid="h-series",
            start_date=date(2027, 1, 5),
            end_date=date(2027, 1, 5),
            repeat="RRULE:FREQ=WEEKLY;COUNT=4\nEXDATE:20270112",
        )
    )
    planner.save(
        Event(
            title="Moved",
            uid="h-series#20270112",
            start_date=date(2027, 1, 13),
            end_date=date(2027, 1, 13),
        )
    )
    planner.save(
        Event(
            title="Own",
            uid="h-series#20270119",
            start_date=date(2027, 1, 19),
            end_date=date(2027, 1, 19),
        )
    )
    steps = planner.history()
    planner.store.close()
    connection = sqlite3.connect(path)  # back to m0005, as an older Convener left it
    connection.execute("delete from _sqlite_migrations where name = 'm0006_occurrence_uids'")
    connection.commit()
    connection.close()
    planner = Planner(Store(path))
    uids = {e.title: e.uid for e in planner.events()}
    assert uids == {
        "Series": "h-series",
        "Moved": f"h-series{OCCURRENCE_MARK}20270112",
        "Own": "h-series#20270119",
    }
    assert planner.history() == steps  # the rename is not an undo step
    assert series.id is not None
    planner.store.close()


def test_m0009_tasks_keep_their_checklist_and_may_watch(tmp_path: Path) -> None:
    """m0009_task_watch: the tasks of an m0007 database stay; a watch is saved and undone."""
    path = _copy(SCHEMAS / "convener-m0007_tasks.db", tmp_path)
    planner = Planner(Store(path))
    [event] = planner.events()
    assert event.id is not None
    [task] = planner.tasks_for(event.id)
    assert (task.title, task.due_offset, task.watch) == ("Chase replies", -14, None)
    planner.save_task(replace(task, watch="replies:14"))
    assert planner.tasks_for(event.id)[0].watch == "replies:14"
    planner.undo()
    assert planner.tasks_for(event.id)[0].watch is None


def test_m0010_series_end_is_filled_without_queueing_the_series_for_sync(tmp_path: Path) -> None:
    """m0010_series_end: the series of an m0009 database get their last day (null when the
    rule has no end); the fill queues nothing for the server and is no step to undo; the
    agenda's read of repeating events then skips the series that ended before its range."""
    path = _copy(SCHEMAS / "convener-m0009_task_watch.db", tmp_path)
    connection = sqlite3.connect(path)
    rules = {
        "Ended": ("2024-01-08", "2024-01-09", "FREQ=WEEKLY;UNTIL=20240401"),
        "Counted": ("2026-11-02", "2026-11-02", "FREQ=WEEKLY;COUNT=10"),
        "Open": ("2020-01-06", "2020-01-06", "FREQ=MONTHLY"),
    }
    for title, (start, end, rule) in rules.items():
        connection.execute(
            "insert into events (uid, created_at, updated_at, title, title_key, start_date,"
            " end_date, span_days, repeat) values (?, '2026-01-01T00:00:00Z',"
            " '2026-01-01T00:00:00Z', ?, ?, ?, ?, 0, ?)",
            [f"series-{title}", title, title.lower(), start, end, rule],
        )
    connection.commit()
    outbox = connection.execute("select uid, kind from sync_outbox order by seq").fetchall()
    undo_lines = connection.execute("select count(*) from undo_log").fetchone()
    connection.close()
    store = Store(path)
    found = dict(
        store._conn.execute("select title, series_end from events where repeat is not null")
    )
    assert found == {"Ended": "2024-04-03", "Counted": "2027-01-11", "Open": None}
    assert (
        store._conn.execute("select uid, kind from sync_outbox order by seq").fetchall() == outbox
    )
    assert store._conn.execute("select count(*) from undo_log").fetchone() == undo_lines
    reach = store.repeating_events_until(date(2026, 12, 31), date(2026, 12, 1))
    assert sorted(e.title for e in reach) == ["Counted", "Open"]
    planner = Planner(store)
    [counted] = [e for e in reach if e.title == "Counted"]
    planner.save(replace(counted, repeat="FREQ=WEEKLY;COUNT=2"))  # ends 2026-11-16
    december = (date(2026, 12, 31), date(2026, 12, 1))
    assert [e.title for e in store.repeating_events_until(*december)] == ["Open"]
    planner.undo()  # the column is journaled from m0010 on
    assert sorted(e.title for e in store.repeating_events_until(*december)) == ["Counted", "Open"]


def test_m0011_search_one_letter_keeps_every_index_row_and_its_triggers(tmp_path: Path) -> None:
    """m0011_search_one_letter: the search index is made again with a one-letter prefix
    index; every row comes back with its rowid (the triggers find entries by it), one
    letter finds records, and edits and deletes still reach the index."""
    path = _copy(SCHEMAS / "convener-m0010_series_end.db", tmp_path)
    rows = "select rowid, kind, record_id, title, body from search_index order by rowid"
    connection = sqlite3.connect(path)
    before = connection.execute(rows).fetchall()
    connection.close()
    assert before  # the fixture has records to index
    store = Store(path)
    # The same rows by rowid; their text has its fields apart since m0014, same words.
    assert [_words(row) for row in store._conn.execute(rows).fetchall()] == [
        _words(row) for row in before
    ]
    (sql,) = store._conn.execute(
        "select sql from sqlite_master where name = 'search_index'"
    ).fetchone()
    assert "prefix = '1 2 3" in sql  # (m0018 adds longer ones)
    planner = Planner(store)
    assert "Zürich Guest" in {h.title for h in planner.search("z")}
    person = planner.save(Person(name="Quentin Okafor"))
    assert [h.title for h in planner.search("q")] == ["Quentin Okafor"]
    assert person.id is not None
    planner.delete(person)
    assert planner.search("q") == []
    store.close()


def test_m0018_search_longer_prefixes_keeps_every_index_row_and_its_triggers(
    tmp_path: Path,
) -> None:
    """m0018_search_longer_prefixes: the search index is made again with prefix indexes of
    one to six letters; every row comes back with its rowid, words typed four to six letters
    in find what they found before (and past six), and edits and deletes reach the index."""
    path = _copy(SCHEMAS / "convener-m0017_identity_path.db", tmp_path)
    rows = "select rowid, kind, record_id, title, body from search_index order by rowid"
    connection = sqlite3.connect(path)
    before = connection.execute(rows).fetchall()
    connection.close()
    assert before
    store = Store(path)
    assert store._conn.execute(rows).fetchall() == before
    (sql,) = store._conn.execute(
        "select sql from sqlite_master where name = 'search_index'"
    ).fetchone()
    assert "prefix = '1 2 3 4 5 6'" in sql
    planner = Planner(store)
    roundtable = {"Cities and Mass Violence Roundtable"}
    for typed in ("roun", "round", "roundt", "roundta", "roundtable"):
        assert {h.title for h in planner.search(typed)} == roundtable, typed
    cities = {"Strong Cities Network", *roundtable}
    assert {h.title for h in planner.search("citi")} == cities
    assert {h.title for h in planner.search("zuric")} == {"Zürich Guest", *roundtable}
    person = planner.save(Person(name="Quentin Okafor"))
    assert [h.title for h in planner.search("okafo")] == ["Quentin Okafor"]
    assert person.id is not None
    planner.delete(person)
    assert planner.search("okafo") == []
    store.close()


def _words(row: tuple[object, ...]) -> tuple[object, ...]:
    """An index row with its text as words (m0014 put separators between the fields)."""
    *head, body = row
    return (*head, str(body).replace(" · ", " ").split())


def test_m0014_search_fields_apart_keeps_every_row_and_parts_the_fields(tmp_path: Path) -> None:
    """m0014_search_fields_apart: every index row stays (rowid, kind, record, title, the
    same words), the text has its fields apart, and the new triggers keep them so."""
    path = _copy(SCHEMAS / "convener-m0013_day_spans.db", tmp_path)
    rows = "select rowid, kind, record_id, title, body from search_index order by rowid"
    connection = sqlite3.connect(path)
    before = connection.execute(rows).fetchall()
    connection.close()
    store = Store(path)
    after = store._conn.execute(rows).fetchall()
    assert [_words(row) for row in after] == [_words(row) for row in before]
    assert any(" · " in str(row[4]) for row in after)
    assert not any("  " in str(row[4]) or str(row[4]).startswith(" ") for row in after)
    planner = Planner(store)
    [event] = [e for e in planner.events() if e.title == "Cities and Mass Violence Roundtable"]
    planner.save(replace(event, location="Den Haag", venue="Peace Palace"))
    [hit] = [h for h in planner.search("peace palace") if h.kind == "event"]
    assert hit.plain_snippet().startswith("Den Haag · Peace Palace")
    store.close()


def test_m0015_guest_counts_counts_from_the_index_as_from_the_rows(tmp_path: Path) -> None:
    """m0015_guest_counts: the guest counts of an m0014 database are the same, read from
    the new index alone (its rows not read), and a guest put in the trash leaves them."""
    path = _copy(SCHEMAS / "convener-m0014_search_fields_apart.db", tmp_path)
    connection = sqlite3.connect(path)
    counted: dict[int, dict[str, int]] = {}
    for event_id, status, n in connection.execute(
        "select event_id, status, count(*) from invitations where deleted_at is null"
        " group by event_id, status"
    ):
        counted.setdefault(event_id, {})[status] = n
    ids = [row[0] for row in connection.execute("select id from events")]
    connection.close()
    store = Store(path)
    marks = ", ".join("?" for _ in ids)
    plan = store._conn.execute(
        "explain query plan select event_id, status, count(*) from invitations"
        f" where event_id in ({marks}) and deleted_at is null group by event_id, status",
        ids,
    ).fetchall()
    assert any("invitations_guest_counts" in str(row[-1]) for row in plan)
    planner = Planner(store)
    assert planner.invitation_counts(ids) == counted and counted
    event_id, statuses = next(iter(counted.items()))
    [line, *_] = [i for i in planner.invitations_for(event_id) if i.status in statuses]
    planner.delete(line)
    after = planner.invitation_counts([event_id]).get(event_id, {})
    assert sum(after.values()) == sum(statuses.values()) - 1
    store.close()


def test_m0016_database_identity_is_made_once_and_differs_between_databases(
    tmp_path: Path,
) -> None:
    """m0016_database_identity: an m0015 database gets a uid of its own, kept as it is
    when reopened (and by undo); another database gets another."""
    path = _copy(SCHEMAS / "convener-m0015_guest_counts.db", tmp_path)
    store = Store(path)
    uid = store.database_uid()
    assert len(uid) == 36
    planner = Planner(store)
    planner.save(Event("Kept", date(2026, 3, 1), date(2026, 3, 1)))
    planner.undo()
    store.close()
    again = Store(path)
    assert again.database_uid() == uid
    again.close()
    assert Store(tmp_path / "another.db").database_uid() != uid


def test_m0012_reply_times_a_guest_line_keeps_when_its_reply_was_written(tmp_path: Path) -> None:
    """m0012_reply_times: the guest lines of an m0011 database stay, without a time; the
    time of a mailed reply is saved, read back aware, and undone with the line."""
    path = _copy(SCHEMAS / "convener-m0011_search_one_letter.db", tmp_path)
    planner = Planner(Store(path))
    [event] = [e for e in planner.events() if e.title == "Cities and Mass Violence Roundtable"]
    assert event.id is not None
    [line] = planner.invitations_for(event.id)
    assert (line.status, line.responded_at) == ("accepted", None)
    written = datetime(2026, 12, 4, 15, 0, tzinfo=UTC)
    planner.save(replace(line, responded_at=written))
    [saved] = planner.invitations_for(event.id)
    assert saved.responded_at == written
    planner.undo()
    assert planner.invitations_for(event.id)[0].responded_at is None
    planner.store.close()
