"""Reminders out (issue 21): exported to-dos carry DUE and a display VALARM (09:00 on the due
day, or as [reminders] says); events carry their kind's lead times; VALARMs import back
without changing anything; a bad [reminders] is one warning line."""

from __future__ import annotations

from datetime import date, time, timedelta
from pathlib import Path

import pytest

from tui.config import load_settings
from tui.domain.errors import InvalidInput
from tui.domain.models import Event
from tui.domain.planner import Planner
from tui.domain.planner.importing import import_path
from tui.domain.reminders import Reminders, parse_lead, reminders_from

from .test_ics_tasks import _planner


def _dinner(planner: Planner) -> Event:
    event = planner.save(
        Event(
            title="Harbour dinner",
            kind="dinner",
            start_date=date(2027, 3, 1),
            end_date=date(2027, 3, 1),
            start_time=time(19, 0),
            end_time=time(22, 0),
            access="public",
        )
    )
    assert event.id is not None
    planner.save_task(planner.task_from_text(event.id, "Book the restaurant", "2027-01-20"))
    done = planner.save_task(planner.task_from_text(event.id, "Send invitations", "2027-01-10"))
    assert done.id is not None
    planner.set_task_done(done.id, True)
    planner.save_task(planner.task_from_text(event.id, "Thank-you notes", ""))  # no due day
    return event


def _blocks(text: str, name: str) -> list[str]:
    return [part.split(f"END:{name}")[0] for part in text.split(f"BEGIN:{name}")[1:]]


@pytest.mark.parametrize(
    ("text", "lead"),
    [
        ("30 minutes", timedelta(minutes=30)),
        ("2 hours", timedelta(hours=2)),
        ("1 day", timedelta(days=1)),
        ("1 week", timedelta(weeks=1)),
    ],
)
def test_lead_times_read_in_words(text: str, lead: timedelta) -> None:
    assert parse_lead(text, "reminders.events") == lead


@pytest.mark.parametrize(
    ("table", "fault"),
    [
        ({"events": ["soon"]}, "reminders.events: 'soon'"),
        ({"events": ["999 weeks"]}, "at most a year"),
        ({"tasks": "9am"}, "reminders.tasks"),
        ({"task_days_before": -1}, "reminders.task_days_before"),
        ({"brunch": ["1 day"]}, "reminders.brunch: not a reminder setting"),
    ],
)
def test_a_bad_reminder_setting_is_named(table: dict[str, object], fault: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        reminders_from(table)
    assert fault in str(caught.value) and len(str(caught.value)) < 200


def test_open_todos_ring_at_nine_on_their_due_day_by_default() -> None:
    planner = _planner()
    event = _dinner(planner)
    text = planner.events_ics([event])
    todos = {block.split("SUMMARY:")[1].split("\r\n")[0]: block for block in _blocks(text, "VTODO")}
    book = todos["Book the restaurant"]
    assert "DUE;VALUE=DATE:20270120" in book
    assert "BEGIN:VALARM" in book and "ACTION:DISPLAY" in book
    assert "TRIGGER;RELATED=END:PT9H" in book
    assert "BEGIN:VALARM" not in todos["Send invitations"]  # done: nothing to ring for
    assert "BEGIN:VALARM" not in todos["Thank-you notes"]  # no due day
    [vevent] = _blocks(text, "VEVENT")
    assert "BEGIN:VALARM" not in vevent.split("BEGIN:VTODO")[0]  # no event reminders set


def test_configured_reminders_ring_for_events_and_earlier_for_todos() -> None:
    planner = _planner()
    planner.reminders = reminders_from(
        {"tasks": "08:30", "task_days_before": 1, "events": ["1 day"], "dinner": ["1 week", "2 hours"]}
    )
    event = _dinner(planner)
    other = planner.save(
        Event(title="Talk", kind="webinar", start_date=date(2027, 4, 1), end_date=date(2027, 4, 1))
    )
    text = planner.events_ics([event, other])
    dinner, webinar = _blocks(text, "VEVENT")
    assert "TRIGGER:-P7D" in dinner and "TRIGGER:-PT2H" in dinner and "-P1D" not in dinner
    assert webinar.count("BEGIN:VALARM") == 1 and "TRIGGER:-P1D" in webinar
    book = next(b for b in _blocks(text, "VTODO") if "Book the restaurant" in b)
    assert "TRIGGER;RELATED=END:-PT15H30M" in book  # 08:30 the day before
    assert Reminders(task_time=None).task_trigger() is None


def test_an_export_with_alarms_imports_back_unchanged(tmp_path: Path) -> None:
    planner = _planner()
    planner.reminders = reminders_from({"events": ["1 day"]})
    event = _dinner(planner)
    source = tmp_path / "dinner.ics"
    source.write_text(planner.events_ics([event]))
    other = _planner(tmp_path / "other.db")
    assert "added 1 event, 3 tasks" in import_path(other, source).summary()
    assert import_path(other, source).summary().endswith("nothing new")
    copy = other.store.by_uid(Event, event.uid or "")
    assert copy is not None and copy.title == "Harbour dinner"


def test_a_foreign_calendar_with_alarms_imports(tmp_path: Path) -> None:
    source = tmp_path / "phone.ics"
    source.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Phone//EN\r\n"
        "BEGIN:VEVENT\r\nUID:phone-1\r\nDTSTAMP:20261101T000000Z\r\nSUMMARY:Board meeting\r\n"
        "DTSTART;VALUE=DATE:20270105\r\n"
        "BEGIN:VALARM\r\nACTION:AUDIO\r\nTRIGGER;VALUE=DATE-TIME:20270104T090000Z\r\nEND:VALARM\r\n"
        "BEGIN:VALARM\r\nACTION:EMAIL\r\nTRIGGER:-PT15M\r\nSUMMARY:x\r\nDESCRIPTION:y\r\n"
        "ATTENDEE:mailto:a@example.org\r\nEND:VALARM\r\n"
        "END:VEVENT\r\n"
        "BEGIN:VTODO\r\nUID:phone-todo\r\nDTSTAMP:20261101T000000Z\r\nSUMMARY:Prep\r\n"
        "RELATED-TO:phone-1\r\nDUE;VALUE=DATE:20270103\r\n"
        "BEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER;RELATED=END:PT9H\r\nDESCRIPTION:Prep\r\n"
        "END:VALARM\r\nEND:VTODO\r\nEND:VCALENDAR\r\n"
    )
    planner = _planner(tmp_path / "db.db")
    report = import_path(planner, source)
    assert "1 event" in report.summary() and "1 task" in report.summary()
    [event] = planner.events()
    assert event.id is not None
    assert [t.title for t in planner.tasks_for(event.id)] == ["Prep"]


def test_a_bad_reminders_table_is_one_warning_and_the_defaults_stand(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[reminders]\nevents = ["1 day"]\ndinner = ["2 hours"]\n')
    settings, warnings = load_settings(config)
    assert warnings == []
    assert settings.reminder_rules().for_kind("dinner") == (timedelta(hours=2),)
    assert settings.reminder_rules().for_kind("workshop") == (timedelta(days=1),)
    config.write_text('[reminders]\nevents = ["whenever"]\n')
    settings, [warning] = load_settings(config)
    assert "reminders.events" in warning and "\n" not in warning
    assert settings.reminder_rules() == Reminders()


def test_an_export_reimported_over_itself_keeps_owners_and_watches(tmp_path: Path) -> None:
    from dataclasses import replace

    from tui.domain.models import Person

    planner = _planner(tmp_path / "db.db")
    event = _dinner(planner)
    assert event.id is not None
    owner = planner.save(Person(name="Ana Ruiz", is_staff=True))
    book = planner.tasks_for(event.id)[0]
    planner.save_task(replace(book, owner_id=owner.id, watch="replies:10"))
    source = tmp_path / "dinner.ics"
    text = planner.events_ics([event])
    assert "X-CONVENER-WATCH:replies after 10 days" in text
    source.write_text(text)
    assert import_path(planner, source).summary().endswith("nothing new")
    again = planner.tasks_for(event.id)[0]
    assert (again.owner_id, again.watch) == (owner.id, "replies:10")
    # A phone's copy without our watch line leaves the watch as it was.
    source.write_text(text.replace("X-CONVENER-WATCH:replies after 10 days\r\n", ""))
    import_path(planner, source)
    assert planner.tasks_for(event.id)[0].watch == "replies:10"
