"""Undo: one shared history in the database, step by step, every row put back as it was."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import TODAY
from tui.cli import main
from tui.domain import store as store_module
from tui.domain.errors import Conflict
from tui.domain.models import Event, Invitation, Organisation, Person
from tui.domain.planner import Planner
from tui.domain.related import LinkKey
from tui.domain.store import Store


def snapshot(store: Store) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table an officer's data lives in, in rowid order."""
    names = [
        row["name"]
        for row in store._rows("select name from sqlite_master where type = 'table'")
        # sync_*: what waits for the server is not data; undo queues what it puts back.
        # database_identity: the file's, not the officer's (a copy of the file has its own).
        if not row["name"].startswith(("sqlite_", "undo_", "search_index", "_", "sync_"))
        and row["name"] != "database_identity"
    ]
    assert len(names) >= 12
    return {t: store._rows(f"select rowid, * from {t} order by rowid") for t in names}


def test_sample_data_leaves_nothing_to_undo(planner: Planner) -> None:
    assert planner.history() == []
    assert planner.undo() is None


def test_undo_steps_back_one_change_at_a_time(planner: Planner) -> None:
    before = snapshot(planner.store)
    event = planner.save(Event(title="Draft", start_date=TODAY, end_date=TODAY))
    middle = snapshot(planner.store)
    planner.save(Person(name="Guest"))
    assert [label for label, _ in planner.history()] == [
        'Add person "Guest"',
        'Add event "Draft"',
    ]
    assert planner.undo() == 'Add person "Guest"'
    assert snapshot(planner.store) == middle
    assert planner.undo() == 'Add event "Draft"'
    assert snapshot(planner.store) == before
    assert planner.undo() is None
    assert event.id is not None


def test_hard_delete_of_an_event_with_guests_and_sessions_comes_back_whole(
    planner: Planner,
) -> None:
    # The retreat has guests, sessions with speakers, contacts and partners: all cascade.
    retreat = next(e for e in planner.events() if "Retreat" in e.title and e.start_date > TODAY)
    assert retreat.id is not None
    assert planner.sessions_for(retreat.id) and planner.guest_lines(retreat.id)
    before = snapshot(planner.store)
    search_before = planner.search(retreat.title)
    with planner.store.transaction("Empty the trash"):
        planner.store._write("delete from events where id = ?", [retreat.id])
    assert snapshot(planner.store) != before
    assert planner.undo() == "Empty the trash"
    assert snapshot(planner.store) == before
    assert planner.search(retreat.title) == search_before


def test_soft_delete_and_undo(planner: Planner) -> None:
    event = planner.event(10)
    planner.delete(event)
    assert planner.undo() == 'Delete event "Policy Dinner: Cities and Atrocity Prevention"'
    assert planner.event(10) == event


def test_a_failed_change_leaves_no_step(planner: Planner) -> None:
    with pytest.raises(RuntimeError), planner.store.transaction("Doomed"):
        planner.store.insert(Person(name="Half"))
        raise RuntimeError("boom")
    assert planner.history() == []
    assert planner.store.by_key(Person, "Half") == []


def test_history_keeps_the_latest_steps_only(
    planner: Planner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_module.history, "UNDO_DEPTH", 3)
    for n in range(6):
        planner.save(Person(name=f"P{n}"))
    assert [label for label, _ in planner.history()] == [f'Add person "P{n}"' for n in (5, 4, 3)]
    oldest_kept = planner.store._rows("select min(first_seq) as s from undo_steps")[0]["s"]
    assert planner.store._rows("select min(seq) as s from undo_log")[0]["s"] == oldest_kept
    for _ in range(3):
        assert planner.undo() is not None
    assert planner.undo() is None
    assert [
        p.name for p in planner.people() if p.name.startswith("P") and p.name[1:].isdigit()
    ] == [
        "P0",
        "P1",
        "P2",
    ]


def test_convener_undo_shares_the_apps_history(
    sample_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = Store(sample_db)
    planner = Planner(store, today=lambda: TODAY)
    line = planner.guest_lines(10)[0]
    planner.set_guest_status([line.id], "declined", via="phone")
    store.close()
    # Named in words: who, and what changed ("Ada Okafor: accepted -> declined, reply by ...").
    said = f"{line.name}: {line.invitation.status} -> declined"
    assert main(["--db", str(sample_db), "undo", "--list"]) == 0
    listed = capsys.readouterr().out.splitlines()[0]
    assert said in listed and "invitation" not in listed
    assert main(["--db", str(sample_db), "undo"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"undone: {said}") and out.endswith("\n")
    assert main(["--db", str(sample_db), "undo"]) == 0
    assert capsys.readouterr().out == "nothing to undo\n"


@pytest.mark.parametrize("how", ["trash", "empty the trash"])
def test_an_event_with_50_guests_and_5_sessions_comes_back_field_for_field(
    empty_planner: Planner, tmp_path: Path, how: str
) -> None:
    """Issue 11, item 9: deleted (to the trash, or for good) then undone: every row back."""
    from datetime import time as clock

    from tui.domain.models import Invitation, Session, Speaker

    planner = empty_planner
    event = planner.save(Event(title="Big retreat", start_date=TODAY, end_date=TODAY))
    assert event.id is not None
    people = []
    with planner.store.transaction("Guests"):
        for n in range(50):
            person = planner.store.insert(Person(name=f"Guest {n}", email=f"g{n}@example.org"))
            assert person.id is not None
            people.append(person.id)
            planner.store.insert(
                Invitation(
                    event_id=event.id,
                    person_id=person.id,
                    status="accepted",
                    dietary="vegan" if n % 7 == 0 else None,
                    plus_ones=n % 2,
                )
            )
    for n in range(5):
        planner.save_session(
            Session(event_id=event.id, date=TODAY, title=f"Session {n}", start_time=clock(9 + n)),
            [Speaker(people[n], "", "moderator")],
        )
    before = snapshot(planner.store)
    if how == "trash":
        planner.delete(event)
    else:
        planner.delete(event)
        planner.empty_trash(tmp_path / "backups")
        assert planner.store.count(Invitation, include_deleted=True) == 0
        planner.undo()
    planner.undo()
    after = snapshot(planner.store)
    assert after == before  # every table, every column, the event's stamps too


def test_undo_steps_name_records_in_words_never_ids(planner: Planner) -> None:
    """Issue 18: 'Edit invitation 4' becomes 'Ada Okafor: accepted -> invited'."""
    line = next(g for g in planner.guest_lines(10) if g.invitation.status == "accepted")
    event = planner.event(10)
    planner.save(replace(line.invitation, status="invited", dietary="vegan"))
    assert planner.history(1)[0][0] == f"{line.name}: accepted -> invited, dietary changed"
    assert planner.undo() == f"{line.name}: accepted -> invited, dietary changed"

    planner.set_guest_role([line.id], "speaker")
    assert planner.undo() == f"{line.name}: role {line.invitation.role} -> speaker"

    planner.remove_guests([line.id])
    assert planner.undo() == f"Remove {line.name} from the guest list of {event.title}"

    invitation = planner.store.get(Invitation, line.id)
    planner.delete(invitation)
    assert planner.undo() == f"Remove {line.name} from the guest list of {event.title}"

    partners = {o.id for o in planner.partners_for(10)}
    organisation = next(o for o in planner.organisations() if o.id not in partners)
    assert isinstance(organisation, Organisation) and organisation.id is not None
    key = LinkKey("partner", 10, organisation.id)
    assert planner.add_link(key)
    assert planner.history(1)[0][0] == f"Link partner {organisation.name} to {event.title}"
    assert planner.remove_link(key)
    assert planner.undo() == f"Unlink partner {organisation.name} from {event.title}"
    for label, _ in planner.history(200):
        assert "invitation " not in label and "guest 1" not in label, label


def test_a_conflict_on_a_guest_line_names_the_guest(planner: Planner) -> None:
    line = planner.guest_lines(10)[0]
    read = planner.store.get(Invitation, line.id)
    planner.set_guest_role([line.id], "press")  # someone else changes it meanwhile
    with pytest.raises(Conflict) as caught, planner.unless_changed(read):
        planner.save(replace(read, notes="mine"))
    assert str(caught.value).startswith(f"{line.name}'s line on the guest list of ")
