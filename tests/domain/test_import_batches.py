"""Large guest lists: new people and guest lines written in batches, still one undo step."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from contextlib import closing
from pathlib import Path
from typing import Any, cast

import pytest

from tests.conftest import TODAY
from tui.domain.errors import InvalidInput
from tui.domain.models import Event, Invitation, Person, Task
from tui.domain.planner import Planner
from tui.domain.store import Record, Store


def _event(planner: Planner) -> int:
    event = planner.save(Event(title="Big list", start_date=TODAY, end_date=TODAY))
    assert event.id is not None
    return event.id


def test_a_guest_list_is_written_in_one_statement_per_kind_and_undone_in_one_step(
    planner: Planner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    batches: list[tuple[str, int]] = []
    insert = Store.insert_records

    def spy(self: Store, records: Sequence[Record], lines: Sequence[int | None] = ()) -> list[int]:
        batches.append((type(records[0]).__name__ if records else "-", len(records)))
        return insert(self, records, lines)

    monkeypatch.setattr(Store, "insert_records", spy)
    event_id = _event(planner)
    people, guests = planner.store.count(Person), planner.store.count(Invitation)
    path = tmp_path / "guests.csv"
    rows = [f"Guest {i},guest{i}@example.org,accepted" for i in range(40)]
    # Named again without and with an address: one person, the address filled in;
    # the same address again: the same person, whose line takes the last status.
    rows += ["Repeat Person,,invited", "Repeat Person,repeat@example.org,accepted"]
    rows += ["Someone,guest3@example.org,declined"]
    path.write_text("name,email,status\n" + "\n".join(rows) + "\n", encoding="utf-8")
    report = planner.import_file(path, event_id=event_id)
    assert batches == [("Person", 41), ("Invitation", 41)]
    assert planner.store.count(Person) == people + 41
    lines = {g.name: g for g in planner.guest_lines(event_id)}
    assert len(lines) == 41
    assert lines["Repeat Person"].email == "repeat@example.org"
    assert lines["Repeat Person"].invitation.status == "accepted"
    assert lines["Guest 3"].invitation.status == "declined"
    assert "added 41 people, 41 guests" in report.summary()
    new = "select uid from people where name like 'Guest %' or name like 'Repeat %'"
    uids = [uid for (uid,) in planner.store._conn.execute(new)]
    assert len(set(uids)) == len(uids) == 41
    assert all(str(uuid.UUID(uid)) == uid and uuid.UUID(uid).version == 4 for uid in uids)
    planner.undo()
    assert (planner.store.count(Person), planner.store.count(Invitation)) == (people, guests)


def test_a_bad_address_names_its_line_and_nothing_is_kept(
    planner: Planner, tmp_path: Path
) -> None:
    event_id = _event(planner)
    before = (planner.store.count(Person), planner.store.count(Invitation), planner.history(1))
    path = tmp_path / "guests.csv"
    path.write_text(
        "name,email\nA One,a@example.org\nB Two,b@example.org\nC Three,not an address\n",
        encoding="utf-8",
    )
    with pytest.raises(InvalidInput) as caught:
        planner.import_file(path, event_id=event_id)
    assert f"{path}:4" in str(caught.value) and "mail" in str(caught.value)
    after = (planner.store.count(Person), planner.store.count(Invitation), planner.history(1))
    assert after == before


def test_a_second_import_of_the_same_list_adds_nothing(planner: Planner, tmp_path: Path) -> None:
    event_id = _event(planner)
    path = tmp_path / "guests.csv"
    path.write_text(
        "name,email,status\n" + "\n".join(f"G {i},g{i}@example.org,invited" for i in range(5)),
        encoding="utf-8",
    )
    planner.import_file(path, event_id=event_id)
    people = planner.store.count(Person)
    report = planner.import_file(path, event_id=event_id)
    assert planner.store.count(Person) == people
    assert report.unchanged == 5 and not report.added


def test_control_characters_are_cleaned_as_a_saved_record_is(
    planner: Planner, tmp_path: Path
) -> None:
    event_id = _event(planner)
    path = tmp_path / "guests.csv"
    path.write_text(
        'name,email,notes\n"Eve\x1b]0;pwned\x07 Smith",eve@example.org,"line one\nline\x1b two"\n',
        encoding="utf-8",
    )
    planner.import_file(path, event_id=event_id)
    (line,) = planner.guest_lines(event_id)
    saved = planner.save(Person(name="Eve\x1b]0;pwned\x07 Smith"))
    assert isinstance(saved, Person)
    assert line.name == saved.name and "\x1b" not in line.name
    assert line.invitation.notes is not None and "\x1b" not in line.invitation.notes
    assert "\n" in line.invitation.notes  # a multi-line field keeps its lines


def _index_and_outbox(store: Store) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    """The search index's rows and the sync outbox (by record id, in order) of a store."""
    db = store._conn
    index = db.execute(
        "select rowid, kind, record_id, title, body from search_index order by rowid"
    ).fetchall()
    outbox = db.execute(
        "select o.kind, coalesce(p.id, e.id, t.id) from sync_outbox o"
        " left join people p on p.uid = o.uid left join events e on e.uid = o.uid"
        " left join tasks t on t.uid = o.uid order by o.seq"
    ).fetchall()
    return index, outbox


def _triggers(store: Store) -> list[tuple[object, ...]]:
    return store._conn.execute(
        "select name, sql from sqlite_master where type = 'trigger' order by name"
    ).fetchall()


def test_a_batch_leaves_the_search_index_and_sync_outbox_as_one_insert_at_a_time_does(
    tmp_path: Path,
) -> None:
    """insert_rows sets the per-row search and sync triggers aside and does their work once
    (migrations.bulk_insert_followups): the result must be the triggers' own, row for row."""
    results = []
    for batched in (False, True):
        with closing(Store(tmp_path / f"{batched}.db")) as store:
            triggers = _triggers(store)
            event = store.insert(Event(title="Big list", start_date=TODAY, end_date=TODAY))
            assert event.id is not None
            people: list[Any] = [
                Person(name=f"Guest {i}", email=f"g{i}@example.org", role="Chair", notes="n")
                for i in range(30)
            ]
            people.append(Person(name="Gone", deleted_at="2026-01-01T00:00:00Z"))
            if batched:
                ids = store.insert_records(people)
            else:
                ids = [cast(Person, store.insert(p)).id or 0 for p in people]
            store._conn.execute("delete from sync_outbox where kind = 'event'")
            lines: list[Any] = [Invitation(event_id=event.id, person_id=i) for i in ids]
            tasks: list[Any] = [
                Task(event_id=event.id, title=f"Call {i}", notes="ring") for i in range(3)
            ]
            for batch in (lines, tasks):
                if batched:
                    store.insert_records(batch)
                else:
                    for record in batch:
                        store.insert(record)
            assert _triggers(store) == triggers  # every trigger set aside is back
            results.append(_index_and_outbox(store))
    assert results[0] == results[1]
    index, outbox = results[1]
    assert len(index) == 1 + 30 + 3  # the event, the people not deleted, the tasks
    assert ("event", 1) in outbox and len(outbox) == 1 + 31 + 3
