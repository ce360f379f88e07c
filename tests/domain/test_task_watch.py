"""Issue 21: tasks that watch the guest list (replies to chase, the needs summary), task
owners (staff only, filtered by name) and dropping a kind's untouched checklist in one step."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from tui.domain.checklists import checklists_from
from tui.domain.errors import InvalidInput, NotFound
from tui.domain.models import Event, Invitation, Person, Task
from tui.domain.planner import Planner
from tui.domain.task_watch import parse_watch, sent_on, watch_words

from ..conftest import TODAY


def _event(planner: Planner, kind: str = "workshop", days_ahead: int = 30) -> Event:
    start = TODAY + timedelta(days=days_ahead)
    return planner.save(
        Event(title="Watch workshop", kind=kind, start_date=start, end_date=start, access="public")
    )


def _guests(planner: Planner, event_id: int, *rows: tuple[str, str, date | None]) -> None:
    """Guests by (name, status, invited_on)."""
    for name, status, invited in rows:
        person = planner.save(Person(name=name))
        assert person.id is not None
        planner.save(
            Invitation(event_id=event_id, person_id=person.id, status=status, invited_on=invited)
        )


@pytest.mark.parametrize(
    ("text", "stored", "words"),
    [
        ("replies", "replies:14", "replies after 14 days"),
        ("Chase replies after 10 days", "replies:10", "replies after 10 days"),
        ("replies after 1 day", "replies:1", "replies after 1 day"),
        ("needs", "needs", "needs"),
        ("numbers", "needs", "needs"),
        ("", None, ""),
    ],
)
def test_a_watch_reads_in_words_and_back(text: str, stored: str | None, words: str) -> None:
    assert parse_watch(text) == stored
    assert watch_words(stored) == words


@pytest.mark.parametrize("text", ["gossip", "replies after 9999 days", "replies after soon"])
def test_a_bad_watch_is_one_clear_line(text: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_watch(text)
    assert "watch" in str(caught.value) and len(str(caught.value)) < 200


def test_chase_replies_lists_guests_silent_n_days_after_their_invitation(
    planner: Planner,
) -> None:
    event = _event(planner)
    assert event.id is not None
    _guests(
        planner,
        event.id,
        ("Ada Early", "invited", TODAY - timedelta(days=20)),
        ("Bo Recent", "invited", TODAY - timedelta(days=3)),
        ("Cy Undated", "invited", None),
        ("Di Replied", "accepted", TODAY - timedelta(days=30)),
    )
    task = planner.save_task(
        planner.checklist.task_from_form(event.id, "Chase replies", "", watch="replies")
    )
    report = planner.checklist.report(task)
    assert report is not None
    assert report.headline == "2 guests without a reply after 14 days"
    assert report.names == (
        "Cy Undated, invited (day not recorded)",
        f"Ada Early, invited {(TODAY - timedelta(days=20)).isoformat()}",
    )
    # The event's invitation date (its "Send invitations" task done) dates the undated.
    sent = planner.save_task(planner.task_from_text(event.id, "Send invitations", ""))
    assert sent.id is not None
    planner.set_task_done(sent.id, True)
    assert sent_on(planner.tasks_for(event.id)) == TODAY
    report = planner.checklist.report(task)
    assert report is not None and report.count == 1
    assert report.headline == "1 guest without a reply after 14 days"


def test_chase_replies_says_so_when_nobody_is_late(planner: Planner) -> None:
    event = _event(planner)
    assert event.id is not None
    task = planner.save_task(
        planner.checklist.task_from_form(event.id, "Chase", "", watch="replies after 5 days")
    )
    report = planner.checklist.report(task)
    assert report is not None and report.headline == "no guest waits for a reply"
    _guests(planner, event.id, ("Bo Recent", "invited", TODAY - timedelta(days=2)))
    report = planner.checklist.report(task)
    assert report is not None
    assert report.headline == "no reply to chase yet (1 invited less than 5 days ago)"


def test_numbers_to_the_caterer_shows_the_needs_summary(planner: Planner) -> None:
    event = _event(planner)
    assert event.id is not None
    _guests(planner, event.id, ("Ada", "accepted", None), ("Bo", "invited", None))
    [ada, _] = planner.invitations_for(event.id)
    planner.save(replace(ada, dietary="vegetarian", plus_ones=1))
    task = planner.save_task(
        planner.checklist.task_from_form(event.id, "Numbers", "", watch="needs")
    )
    report = planner.checklist.report(task)
    assert report is not None
    assert report.headline == "Needs of 1 accepted + 1 plus-one = 2 · Dietary: vegetarian 1"
    assert planner.checklist.report(replace(task, watch=None)) is None


def test_the_kind_checklist_brings_its_watches(planner: Planner) -> None:
    event = _event(planner)
    assert event.id is not None
    planner.apply_checklist(event.id)
    watches = {t.title: t.watch for t in planner.tasks_for(event.id)}
    assert watches["Chase replies"] == "replies:14"
    assert watches["Numbers to the caterer"] == "needs"
    assert watches["Book the venue"] is None


def test_a_config_template_may_say_what_an_item_watches() -> None:
    [item] = checklists_from(
        {"dinner": [{"title": "Chase", "due": "1 week before", "watch": "replies after 7 days"}]},
        "checklists",
    )["dinner"]
    assert item.watch == "replies after 7 days"
    with pytest.raises(InvalidInput, match=r"checklists.dinner item 1: watch 'soon'"):
        checklists_from({"dinner": [{"title": "Chase", "watch": "soon"}]}, "checklists")


def test_an_owner_is_staff_and_due_lines_filter_by_owner(planner: Planner) -> None:
    event = _event(planner, days_ahead=3)
    assert event.id is not None
    staff = planner.checklist.staff()
    assert staff and all(p.is_staff for p in staff)
    owner = staff[0]
    guest = planner.save(Person(name="Not Staff"))
    with pytest.raises(InvalidInput, match="is not staff"):
        planner.save_task(planner.checklist.task_from_form(event.id, "X", "", owner_id=guest.id))
    mine = planner.save_task(
        planner.checklist.task_from_form(event.id, "Mine", "on the day", owner_id=owner.id)
    )
    planner.save_task(planner.checklist.task_from_form(event.id, "Nobody's", "on the day"))
    assert planner.checklist.owner_name(mine) == owner.name
    everyone = [line for line in planner.checklist.due_lines(7) if line.item.event.id == event.id]
    assert {line.item.task.title: line.owner for line in everyone} == {
        "Mine": owner.name,
        "Nobody's": None,
    }
    first_name = owner.name.split()[0].upper()  # any case, one word of the name
    only = planner.checklist.due_lines(7, owner=first_name)
    assert "Mine" in [line.item.task.title for line in only]
    assert "Nobody's" not in [line.item.task.title for line in only]
    assert all(line.item.task.owner_id is not None for line in only)
    with pytest.raises(NotFound, match="no staff person named 'Nobody At All'"):
        planner.checklist.due_lines(7, owner="Nobody At All")


def test_drop_removes_only_the_untouched_template_items_in_one_undo_step(
    planner: Planner,
) -> None:
    event = _event(planner)
    assert event.id is not None
    planner.apply_checklist(event.id)
    tasks = {t.title: t for t in planner.tasks_for(event.id)}
    done = tasks["Book the venue"]
    assert done.id is not None
    planner.set_task_done(done.id, True)
    planner.save_task(replace(tasks["Send invitations"], due_offset=-60))  # moved
    planner.save_task(replace(tasks["Chase replies"], notes="call the embassy"))
    own = planner.save_task(planner.task_from_text(event.id, "Visa letters", ""))
    dropped = planner.checklist.drop_checklist(event.id)
    assert sorted(t.title for t in dropped) == [
        "Numbers to the caterer",
        "Publish the readout",
        "Send the briefing book",
    ]
    assert [t.title for t in planner.tasks_for(event.id)] == [
        "Book the venue",
        "Send invitations",
        "Chase replies",
        own.title,
    ]
    assert planner.checklist.drop_checklist(event.id) == []  # nothing left to drop
    assert planner.undo() == "Drop the workshop checklist of Watch workshop"
    assert len(planner.tasks_for(event.id)) == 7
    # Applying again adds only what is missing.
    assert planner.apply_checklist(event.id) == []


def test_a_task_watch_survives_undo_of_an_edit(planner: Planner) -> None:
    event = _event(planner)
    assert event.id is not None
    task = planner.save_task(Task(event_id=event.id, title="Chase", watch="replies:7"))
    planner.save_task(replace(task, watch="needs"))
    assert planner.undo() is not None
    assert planner.tasks_for(event.id)[0].watch == "replies:7"
