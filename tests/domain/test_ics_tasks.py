"""Tasks in iCalendar: VTODOs with DUE and RELATED-TO out; VTODOs of known events in."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from tui.domain.errors import InvalidInput
from tui.domain.models import Event, Person, Task
from tui.domain.planner import Planner
from tui.domain.planner.importing import import_path
from tui.domain.store import Store

from ..conftest import TODAY


def _planner(path: Path | str = ":memory:") -> Planner:
    return Planner(Store(path), today=lambda: TODAY)


def _workshop(planner: Planner) -> Event:
    event = planner.save(
        Event(
            title="Harbour workshop",
            kind="workshop",
            start_date=date(2027, 3, 1),
            end_date=date(2027, 3, 2),
            access="public",
        )
    )
    assert event.id is not None
    planner.apply_checklist(event.id)
    planner.save_task(planner.task_from_text(event.id, "Visa letters", "2027-01-20"))
    first = planner.tasks_for(event.id)[0]
    assert first.id is not None
    planner.set_task_done(first.id, True)
    return event


def test_tasks_export_as_vtodos_related_to_their_event() -> None:
    planner = _planner()
    event = _workshop(planner)
    text = planner.events_ics([event])
    assert text.count("BEGIN:VTODO") == 7 and text.count("BEGIN:VEVENT") == 1
    assert text.count(f"RELATED-TO:{event.uid}") == 7
    assert "DUE;VALUE=DATE:20270104" in text  # send invitations: 8 weeks before 1 March
    assert "X-CONVENER-DUE:8 weeks before" in text
    assert text.count("STATUS:COMPLETED") == 1 and "COMPLETED:20261118T120000Z" in text


def test_an_export_imports_back_with_its_tasks_once(tmp_path: Path) -> None:
    planner = _planner()
    event = _workshop(planner)
    source = tmp_path / "workshop.ics"
    source.write_text(planner.events_ics([event]))
    other = _planner(tmp_path / "other.db")
    report = import_path(other, source)
    assert "added 1 event, 7 tasks" in report.summary()
    copy = other.store.by_uid(Event, event.uid or "")
    assert copy is not None and copy.id is not None
    tasks = other.tasks_for(copy.id)
    assert [t.title for t in tasks] == [t.title for t in planner.tasks_for(event.id or 0)]
    assert tasks[0].done_on == TODAY and tasks[1].due_offset == -56  # still relative
    assert tasks[-1].due_date == date(2027, 1, 20)
    assert import_path(other, source).summary().endswith("nothing new")
    assert len(other.tasks_for(copy.id)) == 7


def _calendar(body: str) -> str:
    return "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//t//t//EN\n" + body + "END:VCALENDAR\n"


def test_a_vtodo_of_a_known_event_becomes_its_task_others_are_skipped(tmp_path: Path) -> None:
    planner = _planner(tmp_path / "db.db")
    event = _workshop(planner)
    source = tmp_path / "todos.ics"
    source.write_text(
        _calendar(
            "BEGIN:VTODO\nUID:phone-1\nSUMMARY:Ring the caterer\nDUE:20270215T090000Z\n"
            f"RELATED-TO:{event.uid}\nEND:VTODO\n"
            "BEGIN:VTODO\nUID:phone-2\nSUMMARY:Buy milk\nDUE;VALUE=DATE:20270101\nEND:VTODO\n"
        )
    )
    report = import_path(planner, source)
    assert "added 1 task" in report.summary() and "skipped 1" in report.summary()
    assert "Buy milk" in report.skipped[0]
    assert planner.tasks_for(event.id or 0)[-1].due_date == date(2027, 2, 15)


@pytest.mark.parametrize(
    ("body", "fault"),
    [
        ("DUE:2027-99-01\n", "DUE '2027-99-01' is not a date"),
        ("DUE:20270101\nX-CONVENER-DUE:whenever\n", "due 'whenever'"),
    ],
)
def test_a_bad_vtodo_is_one_line_and_nothing_is_kept(tmp_path: Path, body: str, fault: str) -> None:
    planner = _planner(tmp_path / "db.db")
    event = _workshop(planner)
    before = len(planner.tasks_for(event.id or 0))
    source = tmp_path / "bad.ics"
    source.write_text(
        _calendar(f"BEGIN:VTODO\nUID:bad\nSUMMARY:x\n{body}RELATED-TO:{event.uid}\nEND:VTODO\n")
    )
    with pytest.raises(InvalidInput) as caught:
        import_path(planner, source)
    assert fault in str(caught.value) and "\n" not in str(caught.value)
    assert len(planner.tasks_for(event.id or 0)) == before


def test_the_convener_document_carries_the_checklist_both_ways(tmp_path: Path) -> None:
    planner = _planner()
    event = _workshop(planner)
    source = tmp_path / "workshop.toml"
    source.write_text(planner.event_toml(event, include_private=False))
    assert 'due = "8 weeks before"' in source.read_text()
    assert 'watch = "replies after 14 days"' in source.read_text()
    other = _planner(tmp_path / "other.db")
    assert "7 tasks" in import_path(other, source).summary()
    copy = other.store.by_uid(Event, event.uid or "")
    assert copy is not None and copy.id is not None
    mine = planner.tasks_for(event.id or 0)
    theirs = other.tasks_for(copy.id)
    assert [
        (t.uid, t.title, t.due_date, t.due_offset, t.due_anchor, t.done_on, t.watch)
        for t in theirs
    ] == [
        (t.uid, t.title, t.due_date, t.due_offset, t.due_anchor, t.done_on, t.watch)
        for t in mine
    ]
    assert import_path(other, source).summary().endswith("nothing new")


@pytest.mark.parametrize(
    ("task", "fault"),
    [
        ('{ title = "x", due = "whenever" }', "events[0].tasks[0]"),
        ('{ title = "", due = "1 day before" }', "title is required"),
        ('{ title = "x", due = 3 }', "due must be a date"),
        ('{ title = "x", watch = "gossip" }', "watch 'gossip'"),
    ],
)
def test_a_bad_task_in_a_document_is_named_and_nothing_is_kept(
    tmp_path: Path, task: str, fault: str
) -> None:
    source = tmp_path / "bad.toml"
    source.write_text(
        'convener = 1\n[[events]]\nuid = "e1"\ntitle = "T"\nstart_date = 2027-01-05\n'
        f"tasks = [{task}]\n"
    )
    planner = _planner(tmp_path / "db.db")
    with pytest.raises(InvalidInput) as caught:
        import_path(planner, source)
    assert fault in str(caught.value) and "\n" not in str(caught.value)
    assert planner.events() == []


def _owned(planner: Planner) -> tuple[Event, Task, Person]:
    """The workshop with its "Visa letters" task given to a staff person."""
    event = _workshop(planner)
    staff = planner.save(Person(name="Kelsey Paul, Jr.", is_staff=True))
    task = next(t for t in planner.tasks_for(event.id or 0) if t.title == "Visa letters")
    task = planner.save_task(replace(task, owner_id=staff.id))
    return event, task, staff


def test_a_tasks_owner_leaves_as_x_convener_owner_in_both_exports() -> None:
    planner = _planner()
    event, _, staff = _owned(planner)
    line = f"X-CONVENER-OWNER;X-CONVENER-UID={staff.uid}:Kelsey Paul\\, Jr."
    assert line in planner.events_ics([event]).replace("\r\n ", "")
    streamed = "".join(planner.events_ics_chunks([event.id or 0])).replace("\r\n ", "")
    assert streamed.count(line) == 1  # only the owned task carries it
    assert "ATTENDEE" not in streamed and "ORGANIZER" not in streamed


def test_an_owner_comes_back_by_uid_or_by_a_staff_name(tmp_path: Path) -> None:
    planner = _planner(tmp_path / "db.db")
    event, task, staff = _owned(planner)
    source = tmp_path / "workshop.ics"
    source.write_text(planner.events_ics([event]))
    # The same database, the owner taken off meanwhile: the file gives it back, by UID.
    planner.save_task(replace(planner.store.get(Task, task.id or 0), owner_id=None))
    import_path(planner, source)
    assert planner.store.get(Task, task.id or 0).owner_id == staff.id
    # Another database with its own record of the colleague (another UID): by the name.
    other = _planner(tmp_path / "other.db")
    colleague = other.save(Person(name="Kelsey Paul, Jr.", is_staff=True))
    import_path(other, source)
    copy = other.store.by_uid(Task, task.uid or "")
    assert copy is not None and copy.owner_id == colleague.id
    # A database without such staff: the task comes in without an owner, and is said.
    third = _planner(tmp_path / "third.db")
    third.save(Person(name="Kelsey Paul, Jr.", is_staff=False))  # not staff: not an owner
    report = import_path(third, source)
    copy = third.store.by_uid(Task, task.uid or "")
    assert copy is not None and copy.owner_id is None
    assert any("owner 'Kelsey Paul, Jr.' is not staff here" in line for line in report.skipped)
