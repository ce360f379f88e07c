"""`convener due` and the tasks in `convener agenda`: in due order, each with its event."""

from __future__ import annotations

import json
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
    assert lines[-1] == "1 task overdue, 1 due today"


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
