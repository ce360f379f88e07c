"""Two at once: the app's service and the command line writing the same database.

Two processes, 500 writes each: every row arrives, no "database is locked" reaches anyone,
and the same record edited from both is caught, not silently overwritten.
"""

from __future__ import annotations

import io
import json
import multiprocessing
from contextlib import redirect_stderr, redirect_stdout
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tui.domain.errors import Conflict, ConvenerError
from tui.domain.models import Event, Person
from tui.domain.planner import Planner
from tui.domain.store import Store

WRITES = 500


def _service(db: str, ready: Any, results: Any) -> None:
    """The app's side: 500 records saved through the service, then one contested edit."""
    planner = Planner(Store(db))
    errors = []
    for number in range(WRITES):
        try:
            planner.save(Person(name=f"Service guest {number}", uid=f"service-{number}"))
        except ConvenerError as error:
            errors.append(str(error))
    results.put(("service", errors, _contest(planner, ready)))


def _command_line(db: str, folder: str, ready: Any, results: Any) -> None:
    """The command line's side: 500 imports, each its own `convener import` run."""
    from tui.cli import main

    errors = []
    for number in range(WRITES):
        path = Path(folder) / f"person-{number}.json"
        path.write_text(
            json.dumps(
                {"convener": 1, "people": [{"uid": f"cli-{number}", "name": f"CLI {number}"}]}
            )
        )
        out, err = io.StringIO(), io.StringIO()
        with redirect_stdout(out), redirect_stderr(err):
            status = main(["--db", db, "import", str(path)], environ={"CONVENER_DB": db})
        if status != 0:
            errors.append(f"exit {status}: {err.getvalue()}")
    planner = Planner(Store(db))
    results.put(("cli", errors, _contest(planner, ready)))


def _contest(planner: Planner, ready: Any) -> str:
    """Both sides read the same event, wait for each other, then both try to save it."""
    event = planner.store.by_uid(Event, "contested")
    assert event is not None
    ready.wait()
    try:
        with planner.unless_changed(event):
            planner.save(Event(**{**event.__dict__, "title": f"{event.title} (edited)"}))
    except Conflict as error:
        return f"conflict: {error}"
    return "saved"


@pytest.mark.slow
def test_two_processes_writing_at_once_lose_nothing_and_catch_a_double_edit(
    tmp_path: Path,
) -> None:
    db = tmp_path / "shared.db"
    planner = Planner(Store(db))
    planner.save(
        Event(
            uid="contested",
            title="Budget retreat",
            start_date=date(2027, 3, 1),
            end_date=date(2027, 3, 1),
        )
    )
    planner.store.close()
    context = multiprocessing.get_context("spawn")
    ready = context.Barrier(2, timeout=120)
    results = context.Queue()
    processes = [
        context.Process(target=_service, args=(str(db), ready, results)),
        context.Process(target=_command_line, args=(str(db), str(tmp_path), ready, results)),
    ]
    for process in processes:
        process.start()
    answers = {
        side: (errors, contest)
        for side, errors, contest in (results.get(timeout=300) for _ in processes)
    }
    for process in processes:
        process.join(timeout=60)
        assert process.exitcode == 0
    assert answers["service"][0] == [] and answers["cli"][0] == []  # nothing was "locked"
    contests = sorted(contest for _, contest in answers.values())
    assert contests[1] == "saved" and contests[0].startswith("conflict: event")
    assert "changed elsewhere" in contests[0]
    store = Store(db)
    people = {p.uid for p in store.listing(Person, order_by="id", limit=10_000)}
    assert {f"service-{n}" for n in range(WRITES)} <= people
    assert {f"cli-{n}" for n in range(WRITES)} <= people
    contested = store.by_uid(Event, "contested")
    assert contested is not None and contested.title == "Budget retreat (edited)"
    store.close()


def test_an_edit_of_a_record_changed_since_it_was_read_is_refused(planner: Planner) -> None:
    person = planner.save(Person(name="Ana Silva"))
    elsewhere = planner.save(Person(**{**person.__dict__, "notes": "from the other window"}))
    with pytest.raises(Conflict, match="changed elsewhere"), planner.unless_changed(person):
        planner.save(Person(**{**person.__dict__, "notes": "from this window"}))
    assert planner.store.get(Person, elsewhere.id or 0).notes == "from the other window"
    with planner.unless_changed(elsewhere):  # read afresh: saves
        planner.save(Person(**{**elsewhere.__dict__, "notes": "both"}))
    assert planner.store.get(Person, elsewhere.id or 0).notes == "both"
