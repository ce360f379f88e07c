"""Planning tasks: due dates in words, relative ones moving with the event, done, order,
undo, the trash, search, what is due, and the kind's checklist applied once."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest

from tui.config import load_settings
from tui.domain import validate
from tui.domain.checklists import ChecklistItem, checklists_from, shipped_checklists
from tui.domain.errors import InvalidInput, NoSuchDay
from tui.domain.models import Event, ItemRef, Person, Task
from tui.domain.planner import Planner
from tui.domain.tasks import due_summary, due_words, parse_due

from ..conftest import TODAY


def _event(planner: Planner, start: date, kind: str = "workshop", days: int = 2) -> Event:
    return planner.save(
        Event(
            title="Checklist workshop",
            kind=kind,
            start_date=start,
            end_date=start + timedelta(days=days - 1),
            access="public",
        )
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("8 weeks before", (None, -56, "start")),
        ("2 days after", (None, 2, "end")),
        ("1 week after start", (None, 7, "start")),
        ("3 days before end", (None, -3, "end")),
        ("on the day", (None, 0, "start")),
        ("2027-01-15", (date(2027, 1, 15), None, None)),
        ("", (None, None, None)),
    ],
)
def test_due_text_reads_as_a_date_or_an_offset(
    text: str, expected: tuple[date | None, int | None, str | None]
) -> None:
    assert parse_due(text) == expected


@pytest.mark.parametrize("text", ["soonish", "8 fortnights before", "9999 weeks before"])
def test_bad_due_text_is_one_clear_line(text: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_due(text)
    assert "due" in str(caught.value) and len(str(caught.value)) < 200


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("99999 days before", "is too far from the event (at most ten years)"),
        ("2 months before", "count in weeks or days (e.g. '8 weeks before')"),
        ("1 year after", "count in weeks or days (e.g. '52 weeks after')"),
    ],
)
def test_a_due_offset_too_far_or_in_months_says_so(text: str, said: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_due(text)
    assert str(caught.value).endswith(said)


@pytest.mark.parametrize("text", ["2026-02-30", "30 Feb 2026", "31/04/2026"])
def test_a_due_date_with_no_such_day_is_said_as_such(text: str) -> None:
    with pytest.raises(NoSuchDay, match="is not a date on the calendar"):
        parse_due(text)
    # The kind of the error is kept where a field's name is added to it.
    with pytest.raises(NoSuchDay, match=r"^due: "):
        validate.date_value(text, "due")


@pytest.mark.parametrize(
    "text", ["8 weeks before", "2 days after", "3 days before end", "on the day"]
)
def test_due_words_read_back_as_typed(text: str) -> None:
    _, offset, anchor = parse_due(text)
    assert due_words(Task(event_id=1, title="x", due_offset=offset, due_anchor=anchor)) == text


def test_a_relative_task_moves_with_its_event(planner: Planner) -> None:
    event = _event(planner, date(2027, 3, 10))
    assert event.id is not None
    task = planner.save_task(planner.task_from_text(event.id, "Send invitations", "8 weeks before"))
    assert planner.due_of(task) == date(2027, 1, 13)
    planner.save(replace(event, start_date=date(2027, 3, 17), end_date=date(2027, 3, 18)))
    assert planner.due_of(task) == date(2027, 1, 20)
    after = planner.save_task(planner.task_from_text(event.id, "Readout", "2 weeks after"))
    assert planner.due_of(after) == date(2027, 4, 1)  # from the last day


def test_a_task_with_both_a_date_and_an_offset_is_refused(planner: Planner) -> None:
    event = _event(planner, date(2027, 3, 10))
    assert event.id is not None
    with pytest.raises(InvalidInput, match="not both"):
        planner.save_task(
            Task(event_id=event.id, title="x", due_date=date(2027, 1, 1), due_offset=-3)
        )
    assert planner.tasks_for(event.id) == []


def test_done_order_undo_trash_and_search(planner: Planner) -> None:
    event = _event(planner, date(2027, 3, 10))
    assert event.id is not None
    first = planner.save_task(planner.task_from_text(event.id, "Book the venue", "12 weeks before"))
    second = planner.save_task(planner.task_from_text(event.id, "Quokka permits", "2027-02-01"))
    assert [t.title for t in planner.tasks_for(event.id)] == ["Book the venue", "Quokka permits"]
    assert second.id is not None and first.id is not None
    planner.move_task(second.id, -1)
    assert [t.title for t in planner.tasks_for(event.id)] == ["Quokka permits", "Book the venue"]
    assert planner.move_task(second.id, -1) is None
    done = planner.set_task_done(first.id, True)
    assert done.done_on == TODAY
    assert planner.undo() == f'Tick off task "Book the venue" of {event.title}'
    assert planner.store.get(Task, first.id).done_on is None
    planner.set_task_done(first.id, True)
    planner.set_task_done(first.id, False)
    assert planner.undo() == f'Reopen task "Book the venue" of {event.title}'
    assert planner.store.get(Task, first.id).done_on == TODAY
    planner.undo()
    assert [h.kind for h in planner.search("quokka")] == ["task"]
    assert planner.search("quokka")[0].event_id == event.id
    planner.delete(planner.store.get(Task, second.id))
    assert [t.title for t in planner.tasks_for(event.id)] == ["Book the venue"]
    assert planner.search("quokka") == []
    assert any(item.ref == ItemRef("task", second.id) for item in planner.trash())
    planner.restore_ref(ItemRef("task", second.id))
    assert len(planner.tasks_for(event.id)) == 2


def test_due_lists_open_overdue_and_coming_tasks_in_due_order(planner: Planner) -> None:
    event = _event(planner, TODAY + timedelta(days=20))
    assert event.id is not None
    for title, due in [
        ("Later", "1 day before"),  # 19 days from today: outside a week
        ("Overdue", "4 weeks before"),  # 8 days ago
        ("Today", "20 days before"),
        ("Soon", "2 weeks before"),  # in 6 days
        ("Done already", "3 weeks before"),
    ]:
        task = planner.save_task(planner.task_from_text(event.id, title, due))
        if title == "Done already":
            assert task.id is not None
            planner.set_task_done(task.id, True)
    due_soon = planner.due(7)
    assert [(d.task.title, d.due) for d in due_soon] == [
        ("Overdue", TODAY - timedelta(days=8)),
        ("Today", TODAY),
        ("Soon", TODAY + timedelta(days=6)),
    ]
    assert all(d.event.id == event.id for d in due_soon)
    assert [d.task.title for d in planner.due(30)][-1] == "Later"
    assert due_summary(due_soon, TODAY) == "1 task overdue, 1 due today"
    planner.delete(event)
    assert planner.due(30) == []


def test_due_between_gives_the_open_tasks_due_in_the_range_in_due_order(
    planner: Planner,
) -> None:
    """What the officer's agenda lists: neither the overdue ones before the range nor
    those after it, nor done ones; a task due on the range's first or last day is in."""
    event = _event(planner, TODAY + timedelta(days=20))
    assert event.id is not None
    for title, due in [
        ("After", "1 day before"),  # TODAY + 19
        ("Before", "4 weeks before"),  # TODAY - 8
        ("Last day", "10 days before"),  # TODAY + 10
        ("First day", "20 days before"),  # TODAY
        ("Done", "15 days before"),
    ]:
        task = planner.save_task(planner.task_from_text(event.id, title, due))
        if title == "Done":
            assert task.id is not None
            planner.set_task_done(task.id, True)
    window = planner.due_between(TODAY, TODAY + timedelta(days=10))
    assert [(d.task.title, d.due) for d in window] == [
        ("First day", TODAY),
        ("Last day", TODAY + timedelta(days=10)),
    ]
    everything = planner.due(30)
    assert window == [d for d in everything if TODAY <= d.due <= TODAY + timedelta(days=10)]


def test_apply_checklist_adds_the_kinds_tasks_once_as_one_step(planner: Planner) -> None:
    event = _event(planner, date(2027, 6, 1), kind="workshop")
    assert event.id is not None
    added = planner.apply_checklist(event.id)
    titles = [item.title for item in shipped_checklists()["workshop"]]
    assert [t.title for t in added] == titles
    assert [t.title for t in planner.tasks_for(event.id)] == titles
    assert planner.apply_checklist(event.id) == []
    assert len(planner.tasks_for(event.id)) == len(titles)
    assert planner.undo() == f"Apply the workshop checklist to {event.title}"
    assert planner.tasks_for(event.id) == []


def test_a_configured_checklist_replaces_the_shipped_one(planner: Planner) -> None:
    planner.checklists = checklists_from(
        {"dinner": [{"title": "Menu tasting", "due": "10 days before"}]}, "checklists"
    )
    event = _event(planner, date(2027, 6, 1), kind="dinner", days=1)
    assert event.id is not None
    [task] = planner.apply_checklist(event.id)
    assert (task.title, planner.due_of(task)) == ("Menu tasting", date(2027, 5, 22))


@pytest.mark.parametrize(
    ("table", "fault"),
    [
        ({"banquet": []}, "not an event kind"),
        ({"dinner": "book"}, "must be a list"),
        ({"dinner": [{"title": "x", "due": "whenever"}]}, "item 1"),
        ({"dinner": [{"title": "", "due": "1 day before"}]}, "title is required"),
        ({"dinner": [{"title": "x", "owner": "me"}]}, "unknown key"),
    ],
)
def test_a_bad_template_is_named_in_one_line(table: dict[str, object], fault: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        checklists_from(table, "checklists")
    assert fault in str(caught.value) and "checklists" in str(caught.value)


def test_shipped_templates_cover_the_usual_kinds() -> None:
    shipped = shipped_checklists()
    assert {"workshop", "conference", "dinner", "roundtable", "retreat"} <= set(shipped)
    assert all(isinstance(item, ChecklistItem) for items in shipped.values() for item in items)


def test_config_checklists_replace_a_kind_and_a_bad_one_is_one_warning(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        '[checklists]\ndinner = [{ title = "Menu tasting", due = "10 days before" }]\n'
    )
    settings, warnings = load_settings(config)
    assert warnings == []
    templates = settings.checklist_templates()
    assert [item.title for item in templates["dinner"]] == ["Menu tasting"]
    assert templates["workshop"] == shipped_checklists()["workshop"]
    config.write_text('[checklists]\ndinner = [{ title = "Menu tasting", due = "someday" }]\n')
    settings, [warning] = load_settings(config)
    assert "checklists.dinner item 1" in warning and "\n" not in warning
    assert settings.checklist_templates()["dinner"] == shipped_checklists()["dinner"]


def test_the_demo_checklists_have_done_open_and_overdue_tasks(planner: Planner) -> None:
    from tui.sample import add_sample_checklists

    assert planner.due(3660) == []  # the tests' sample keeps no tasks
    added = add_sample_checklists(planner)
    assert added > 10
    due = planner.due(30)
    assert any(item.due < TODAY for item in due)  # some overdue
    assert any(item.due >= TODAY for item in due)  # some coming
    done = [
        task
        for event in planner.events(TODAY - timedelta(days=7), TODAY + timedelta(days=120))
        for task in planner.tasks_for(event.id or 0)
        if task.done_on is not None
    ]
    assert done and all(d.done_on is not None and d.done_on < TODAY for d in done)
    assert planner.history() == []  # nothing for the officer to undo


def test_a_tasks_owner_is_a_staff_person(planner: Planner) -> None:
    from tui.domain.models import Person

    event = _event(planner, date(2027, 3, 10))
    assert event.id is not None
    staff = planner.save(Person(name="Jo Staff", is_staff=True))
    guest = planner.save(Person(name="Gil Guest"))
    draft = planner.task_from_text(event.id, "Book the venue", "12 weeks before")
    saved = planner.save_task(replace(draft, owner_id=staff.id))
    assert saved.owner_id == staff.id
    with pytest.raises(InvalidInput, match="Gil Guest is not staff"):
        planner.save_task(replace(draft, owner_id=guest.id))
    assert len(planner.tasks_for(event.id)) == 1


def test_a_task_whose_event_is_in_the_trash_is_not_restored_alone(planner: Planner) -> None:
    event = _event(planner, TODAY + timedelta(days=30))
    assert event.id is not None
    task = planner.save_task(Task(event_id=event.id, title="Numbers to the venue"))
    assert task.id is not None
    planner.delete(task)
    planner.delete(planner.event(event.id))
    with pytest.raises(InvalidInput, match="in the trash too: restore the event first"):
        planner.restore_ref(ItemRef("task", task.id))
    assert planner.store.get(Task, task.id, include_deleted=True).deleted_at is not None
    # A task names the event it belongs to; a guest's line, named with its event already,
    # is not told the title twice.
    with pytest.raises(InvalidInput) as task_said:
        planner.restore_ref(ItemRef("task", task.id))
    assert f"it belongs to {event.title}, which is in the trash too" in str(task_said.value)
    guest = planner.save(Person(name="Gil Guest"))
    assert guest.id is not None
    planner.restore_ref(ItemRef("event", event.id))
    [line] = planner.invite(event.id, [guest.id])
    assert line.id is not None
    planner.remove_guests([line.id])
    planner.delete(planner.event(event.id))
    with pytest.raises(InvalidInput) as guest_said:
        planner.restore_ref(ItemRef("invitation", line.id))
    said = str(guest_said.value)
    assert said.count(event.title) == 1 and "that event is in the trash too" in said
    planner.restore_ref(ItemRef("event", event.id))
    if planner.store.get(Task, task.id, include_deleted=True).deleted_at is not None:
        planner.restore_ref(ItemRef("task", task.id))  # the event is back: now it can
    assert [t.title for t in planner.tasks_for(event.id)] == ["Numbers to the venue"]


def test_deleting_an_event_says_its_tasks_go_with_it(planner: Planner) -> None:
    event = _event(planner, TODAY + timedelta(days=30))
    assert event.id is not None
    planner.save_task(Task(event_id=event.id, title="Book the venue"))
    planner.save_task(Task(event_id=event.id, title="Send invitations"))
    assert "2 tasks" in planner.goes_with(event)


def test_a_staff_person_in_the_trash_owns_no_task_until_restored(planner: Planner) -> None:
    """Their tasks show no owner while they are in the trash (not in `due`, the checklist or
    the export), and the question before says what they leave; restoring brings it back."""
    from icalendar import Calendar

    from tui.domain.models import Person

    event = _event(planner, TODAY + timedelta(days=3))
    assert event.id is not None
    staff = planner.save(Person(name="Jo Staff", is_staff=True))
    assert staff.id is not None
    planner.link("contact", event.id, staff.id)
    due = TODAY + timedelta(days=1)
    task = Task(event_id=event.id, title="Book the venue", owner_id=staff.id, due_date=due)
    task = planner.save_task(task)
    assert planner.goes_with(staff) == [
        "their place as staff contact of 1 event and as owner of 1 open task"
    ]
    assert [line.owner for line in planner.checklist.due_lines(30)] == ["Jo Staff"]
    planner.delete(staff)
    assert [line.owner for line in planner.checklist.due_lines(30)] == [None]
    assert planner.checklist.owner_name(task) is None
    exported = Calendar.from_ical(planner.events_ics([planner.event(event.id)]))
    (todo,) = exported.walk("VTODO")
    assert "x-convener-owner" not in todo
    planner.restore(planner.store.get(Person, staff.id, include_deleted=True))
    assert planner.checklist.owner_name(task) == "Jo Staff"
    assert planner.tasks_for(event.id)[0].owner_id == staff.id


def _weekly(planner: Planner, repeat: str = "FREQ=WEEKLY") -> Event:
    """A call every Thursday from Thu 1 Oct 2026 (TODAY is Wed 18 Nov)."""
    return planner.save(
        Event(
            title="Partners' call",
            kind="meeting",
            start_date=date(2026, 10, 1),
            end_date=date(2026, 10, 1),
            access="public",
            repeat=repeat,
        )
    )


def _written(planner: Planner, event_id: int, title: str, due: str, on: date) -> Task:
    """A task as typed, written on day `on` (its creation stamp; the store's own would be
    the computer's clock)."""
    task = planner.task_from_text(event_id, title, due)
    return planner.save_task(replace(task, created_at=f"{on.isoformat()}T09:00:00+00:00"))


def test_a_relative_task_on_a_repeating_event_counts_from_the_occurrence_it_is_about(
    planner: Planner,
) -> None:
    """Not from the series' first call (1 Oct: "2 days before" was 48 days overdue)."""
    call = _weekly(planner)
    assert call.id is not None
    written = date(2026, 10, 20)
    agenda = _written(planner, call.id, "Agenda out", "2 days before", written)
    readout = _written(planner, call.id, "Readout", "1 day after", written)
    # Before a call: the next call not over (Thu 19 Nov), late since Tue 17.
    assert planner.due_of(agenda) == date(2026, 11, 17)
    # After a call: last Thursday's (12 Nov), late until the next call begins.
    assert planner.due_of(readout) == date(2026, 11, 13)
    due = planner.due(7)
    assert [(d.task.title, d.due, d.day) for d in due] == [
        ("Readout", date(2026, 11, 13), date(2026, 11, 12)),
        ("Agenda out", date(2026, 11, 17), date(2026, 11, 19)),
    ]
    assert planner.due_between(date(2026, 11, 17), date(2026, 11, 30))[0].task.title == (
        "Agenda out"
    )
    # The day after the call: both count from it (or the next one).
    later = Planner(planner.store, today=lambda: date(2026, 11, 20))
    assert later.due_of(agenda) == date(2026, 11, 24)  # for Thu 26 Nov
    assert later.due_of(readout) == date(2026, 11, 20)  # for Thu 19 Nov


def test_a_task_on_a_repeating_event_is_not_about_a_call_over_before_it_was_written(
    planner: Planner,
) -> None:
    """A readout task written on Wed 18 Nov is for the next day's call, not overdue for
    the call of 12 Nov (the walkthrough: "1 week after" was 20 days overdue at once)."""
    call = _weekly(planner)
    assert call.id is not None
    readout = _written(planner, call.id, "Readout", "1 week after", TODAY)
    assert planner.due_of(readout) == date(2026, 11, 26)
    assert [d.day for d in planner.due(8)] == [date(2026, 11, 19)]


def test_a_cancelled_events_tasks_are_not_due(planner: Planner) -> None:
    event = _event(planner, TODAY + timedelta(days=5))
    assert event.id is not None
    planner.save_task(planner.task_from_text(event.id, "Chase replies", "2 weeks before"))
    assert [d.task.title for d in planner.due(7)] == ["Chase replies"]
    planner.save_event(replace(planner.event(event.id), status="cancelled"))
    assert planner.due(7) == []
    assert planner.due_between(TODAY - timedelta(days=30), TODAY) == []
    planner.undo()
    assert [d.task.title for d in planner.due(7)] == ["Chase replies"]


def test_a_relative_task_on_an_ended_series_counts_from_its_last_occurrence(
    planner: Planner,
) -> None:
    call = _weekly(planner, "FREQ=WEEKLY;COUNT=3")  # 1, 8 and 15 Oct
    assert call.id is not None
    task = _written(planner, call.id, "Agenda out", "2 days before", date(2026, 9, 1))
    assert planner.due_of(task) == date(2026, 10, 13)
    assert [(d.task.title, d.due) for d in planner.due(7)] == [("Agenda out", date(2026, 10, 13))]


def test_an_exported_todo_of_a_repeating_event_is_due_by_its_occurrence(
    planner: Planner,
) -> None:
    call = _weekly(planner)
    assert call.id is not None
    _written(planner, call.id, "Agenda out", "2 days before", date(2026, 10, 20))
    text = planner.events_ics([planner.event(call.id)])
    assert "DUE;VALUE=DATE:20261117" in text
    assert "X-CONVENER-DUE:2 days before" in text


def test_an_occurrence_changed_on_its_own_keeps_the_series_tasks(planner: Planner) -> None:
    """This week's call moved a day (edited alone: an event of its own, the series skips
    its day): its tasks count from its new day; they moved to the next week's call. A
    day deleted from the series is no call: its tasks go to the next one."""
    call = _weekly(planner)
    assert call.id is not None
    agenda = _written(planner, call.id, "Agenda out", "2 days before", date(2026, 10, 20))
    moved = replace(call, start_date=date(2026, 11, 20), end_date=date(2026, 11, 20))
    planner.edit_occurrence(call, date(2026, 11, 19), moved)
    assert planner.due_of(agenda) == date(2026, 11, 18)
    assert [(d.due, d.day) for d in planner.due(7)] == [(date(2026, 11, 18), date(2026, 11, 20))]
    series = planner.event(call.id)
    text = planner.events_ics([series])
    assert "DUE;VALUE=DATE:20261118" in text
    planner.skip_occurrence(series, date(2026, 11, 26))
    later = Planner(planner.store, today=lambda: date(2026, 11, 21))
    assert later.due_of(agenda) == date(2026, 12, 1)  # for Thu 3 Dec


def test_a_task_due_on_a_date_on_a_series_names_the_occurrence_it_comes_before(
    planner: Planner,
) -> None:
    """`due` said "(2026-10-01)", the series' first call, beside a December date."""
    call = _weekly(planner)
    assert call.id is not None
    planner.save_task(planner.task_from_text(call.id, "Test the link", "2026-11-24"))
    [item] = planner.due(7)
    assert (item.due, item.day) == (date(2026, 11, 24), date(2026, 11, 26))
