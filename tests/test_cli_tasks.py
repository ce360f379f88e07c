"""`convener due` and the tasks in `convener agenda`: in due order, each with its event."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from tui.cli import main
from tui.domain.models import Event
from tui.domain.planner import Planner
from tui.domain.store import Store

from .conftest import TODAY


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "officer.db"
    store = Store(path)
    planner = Planner(store, today=lambda: TODAY)
    event = planner.save(
        Event(
            title="Harbour [Draft] roundtable",
            kind="roundtable",
            start_date=TODAY + timedelta(days=20),
            end_date=TODAY + timedelta(days=20),
        )
    )
    assert event.id is not None
    for title, due in [
        ("Book the room", "4 weeks before"),  # 8 days overdue
        ("Send invitations", "20 days before"),  # today
        ("Send the paper", "2 weeks before"),  # in 6 days
        ("Circulate the summary", "1 week after"),  # in 27 days
    ]:
        planner.save_task(planner.task_from_text(event.id, title, due))
    store.close()
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_due_json_lists_open_and_overdue_tasks_with_their_event(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "--db", str(db), "due", "--json")
    assert code == 0, err
    records = json.loads(out)
    assert [(r["title"], r["due"]) for r in records] == [
        ("Book the room", (TODAY - timedelta(days=8)).isoformat()),
        ("Send invitations", TODAY.isoformat()),
        ("Send the paper", (TODAY + timedelta(days=6)).isoformat()),
    ]
    assert all(r["done"] is False for r in records)
    assert [r["overdue"] for r in records] == [True, False, False]
    event = records[0]["event"]
    assert event["title"] == "Harbour [Draft] roundtable"
    assert event["start_date"] == (TODAY + timedelta(days=20)).isoformat() and event["uid"]
    code, out, _ = run(capsys, "--db", str(db), "due", "--days", "30", "--json")
    assert [r["title"] for r in json.loads(out)][-1] == "Circulate the summary"


def test_due_as_text_says_how_late_and_sums_up(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "--db", str(db), "due")
    lines = out.splitlines()
    assert code == 0 and len(lines) == 4
    assert "8 days overdue" in lines[0] and "Book the room" in lines[0]
    assert "today" in lines[1] and "in 6 days" in lines[2]
    assert lines[-1] == "1 task overdue · 2 due this week"


@pytest.mark.parametrize("days", ["x", "-1", "99999"])
def test_bad_days_is_one_line_and_status_2(
    db: Path, days: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "--db", str(db), "due", "--days", days)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and "--days" in err and len(err) < 200


def test_agenda_shows_tasks_due_in_its_range(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "--db", str(db), "agenda", "--to", (TODAY + timedelta(days=7)).isoformat()
    )
    assert code == 0
    assert "No events in this period. 2 tasks due." in out
    assert r"- Due: Send invitations (Harbour \[Draft\] roundtable)" in out
    assert "Send the paper" in out and "Book the room" not in out  # before the range
    code, out, _ = run(
        capsys, "--db", str(db), "agenda", "--to", (TODAY + timedelta(days=30)).isoformat()
    )
    assert "1 event. 3 tasks due." in out and "Circulate the summary" in out


@pytest.fixture
def watched_db(db: Path) -> Path:
    """The roundtable with a staff owner on one task, a chase watch and silent guests."""
    from datetime import date

    from tui.domain.models import Invitation, Person

    store = Store(db)
    planner = Planner(store, today=lambda: TODAY)
    [event] = planner.events()
    assert event.id is not None
    owner = planner.save(Person(name="Kelsey Paul Shantz", is_staff=True))
    planner.save(Person(name="Kelsey Other", is_staff=False))
    tasks = {t.title: t for t in planner.tasks_for(event.id)}
    planner.save_task(replace(tasks["Send the paper"], owner_id=owner.id))
    planner.save_task(replace(tasks["Book the room"], watch="replies:14"))
    for number in range(3):
        guest = planner.save(Person(name=f"Guest {number}"))
        assert guest.id is not None
        invited: date = TODAY - timedelta(days=20 if number else 2)
        planner.save(
            Invitation(event_id=event.id, person_id=guest.id, status="invited", invited_on=invited)
        )
    store.close()
    return db


def test_due_shows_owners_and_what_a_task_watches(
    watched_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "--db", str(watched_db), "due")
    assert code == 0, err
    lines = out.splitlines()
    assert "Book the room" in lines[0]
    assert lines[1].strip() == "2 guests without a reply after 14 days"
    assert "Send the paper [Kelsey Paul Shantz]" in out
    code, out, _ = run(capsys, "--db", str(watched_db), "due", "--json")
    records = {r["title"]: r for r in json.loads(out)}
    assert records["Send the paper"]["owner"] == "Kelsey Paul Shantz"
    assert records["Book the room"]["owner"] is None
    assert records["Book the room"]["watch"] == "replies after 14 days"
    assert records["Book the room"]["watching"] == "2 guests without a reply after 14 days"
    assert records["Send invitations"]["watching"] is None


def test_due_owner_filters_by_a_staff_name(
    watched_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "--db", str(watched_db), "due", "--owner", "kelsey", "--json")
    assert code == 0
    assert [r["title"] for r in json.loads(out)] == ["Send the paper"]
    code, out, _ = run(capsys, "--db", str(watched_db), "due", "--owner", "shantz")
    assert code == 0 and "Send the paper" in out and "Book the room" not in out


@pytest.mark.parametrize("owner", ["Nobody Here", "   "])
def test_an_unknown_owner_is_one_line_and_status_2(
    watched_db: Path, owner: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "--db", str(watched_db), "due", "--owner", owner)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and len(err) < 200


def test_agenda_due_lines_say_what_a_task_watches(
    watched_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(
        capsys,
        "--db",
        str(watched_db),
        "agenda",
        "--from",
        (TODAY - timedelta(days=10)).isoformat(),
        "--to",
        TODAY.isoformat(),
    )
    assert code == 0
    assert "- Due: Book the room (Harbour \\[Draft\\] roundtable): 2 guests without a reply" in out


def test_the_ics_export_rings_as_reminders_in_the_config_say(
    db: Path, capsys: pytest.CaptureFixture[str], isolated_paths: Path
) -> None:
    config_file = isolated_paths / "config" / "config.toml"
    config_file.parent.mkdir(parents=True, exist_ok=True)
    config_file.write_text('[reminders]\ntasks = "08:00"\nroundtable = ["3 days"]\n')
    code, out, err = run(capsys, "--db", str(db), "export", "event", "1", "--format", "ics")
    assert code == 0 and "invitation-only event is left out" in err  # its guest list, not its tasks
    event_part = out.split("BEGIN:VTODO")[0]
    assert event_part.count("BEGIN:VALARM") == 1 and "TRIGGER:-P3D" in event_part
    assert out.count("TRIGGER;RELATED=END:PT8H") == 4  # each open to-do with a due day


def test_the_header_the_pipeline_and_convener_due_count_alike(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """One day rule and one count: what the header says is `convener due`'s last line and
    its --json overdue flags; the pipeline's ⚠ over the coming convenings adds up to their
    overdue tasks, a weekly series' counted once (not on each of its rows)."""
    from tui.domain.pipeline import upcoming
    from tui.domain.tasks import WEEK_DAYS, due_counts, week_summary

    path = tmp_path / "officer.db"
    store = Store(path)
    planner = Planner(store, today=lambda: TODAY)

    def event(title: str, start: int, end: int | None = None, repeat: str | None = None) -> int:
        saved = planner.save(
            Event(
                title=title,
                kind="meeting",
                start_date=TODAY + timedelta(days=start),
                end_date=TODAY + timedelta(days=start if end is None else end),
                repeat=repeat,
            )
        )
        assert saved.id is not None
        return saved.id

    coming, past = event("Coming", 10), event("Past", -20, -19)
    weekly = event("Weekly", 1, repeat="FREQ=WEEKLY;COUNT=4")
    for event_id, title, due in [
        (coming, "Late one", "2 weeks before"),  # 4 days overdue
        (coming, "Late two", "11 days before"),  # yesterday
        (coming, "Today", "10 days before"),
        (coming, "Last of the week", "3 days before"),  # today + 7
        (coming, "Next week", "2 days before"),  # today + 8: not this week
        (past, "Readout", "1 week after"),  # 12 days overdue
        (weekly, "Agenda out", "3 days before"),  # 2 days overdue
    ]:
        planner.save_task(planner.task_from_text(event_id, title, due))
    done = planner.save_task(planner.task_from_text(coming, "Done late", "3 weeks before"))
    assert done.id is not None
    planner.set_task_done(done.id, True)

    header = week_summary(planner.due(WEEK_DAYS, today=TODAY), TODAY)  # what read_due shows
    assert header == "4 tasks overdue · 2 due this week"
    counts = due_counts(planner.due(WEEK_DAYS, today=TODAY), TODAY)
    assert (counts.overdue, counts.today, counts.coming) == (4, 1, 2)
    rows = upcoming(planner).rows
    assert [r.occurrence.event.title for r in rows].count("Weekly") == 4
    assert sum(r.overdue for r in rows) == counts.overdue - 1  # all but the past event's
    assert [r.overdue for r in rows if r.occurrence.event.id == weekly] == [1, 0, 0, 0]
    store.close()

    code, out, err = run(capsys, "--db", str(path), "due")
    assert code == 0, err
    assert out.splitlines()[-1] == header
    code, out, err = run(capsys, "--db", str(path), "due", "--json")
    records = json.loads(out)
    assert sum(r["overdue"] for r in records) == counts.overdue
    assert len(records) - counts.overdue == counts.coming


@pytest.mark.parametrize(
    ("days", "said"),
    [
        ("0", "nothing overdue or due today"),
        ("1", "nothing overdue or due by tomorrow"),
        ("14", "nothing overdue or due in the next 14 days"),
    ],
)
def test_nothing_due_says_the_days_it_looked_at(
    empty_db: Path, days: str, said: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "--db", str(empty_db), "due", "--days", days)
    assert code == 0 and out == said + "\n"
