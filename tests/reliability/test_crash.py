"""Crash safety: `kill -9` at a random moment of a 100,000-row import, and of an export.

Each kill leaves a database whose integrity check passes, with the import's rows all there
or none of them, and every earlier row as it was; an export's file is the old one or the
new one, never half of either.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.domain.test_undo import snapshot
from tui.domain.planner import Planner
from tui.domain.store import Store

EVENTS, GUESTS = 2_000, 50  # 100,000 guest-list lines, 2,000 events, 1,000 people
TRIALS = 10


def _big_calendar(path: Path) -> None:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Convener tests//EN"]
    for number in range(EVENTS):
        day = 20270101 + number % 28
        lines += [
            "BEGIN:VEVENT",
            f"UID:crash-{number}",
            f"SUMMARY:Consultation {number}",
            f"DTSTART;VALUE=DATE:{day}",
        ]
        lines += [
            f"ATTENDEE;CN=Guest {(number + n) % 1000};PARTSTAT=ACCEPTED:"
            f"mailto:guest{(number + n) % 1000}@example.org"
            for n in range(GUESTS)
        ]
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    path.write_text("\r\n".join(lines) + "\r\n")


def _import(db: Path, ics: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "tui", "--db", str(db), "import", "--large", str(ics)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _check(db: Path, before: dict[str, list[dict[str, object]]]) -> bool:
    """Integrity ok, earlier rows as they were; True when the import's rows are all there."""
    connection = sqlite3.connect(db)
    assert connection.execute("pragma integrity_check").fetchall() == [("ok",)]
    connection.close()
    store = Store(db)
    after = snapshot(store)
    store.close()
    imported = sum(1 for row in after["events"] if str(row["uid"]).startswith("crash-"))
    guests = len(after["invitations"]) - len(before["invitations"])
    assert (imported, guests) in ((0, 0), (EVENTS, EVENTS * GUESTS))
    for table, rows in before.items():
        kept = {tuple(sorted(row.items())) for row in after[table]}
        assert all(tuple(sorted(row.items())) in kept for row in rows), table
    return imported == EVENTS


@pytest.mark.slow
def test_kill_9_during_a_large_import_leaves_all_or_nothing(
    sample_db: Path, tmp_path: Path
) -> None:
    ics = tmp_path / "big.ics"
    _big_calendar(ics)
    store = Store(sample_db)
    before = snapshot(store)
    store.close()
    clean = tmp_path / "clean.db"
    clean.write_bytes(sample_db.read_bytes())
    started = time.perf_counter()
    assert _import(clean, ics).wait(timeout=300) == 0
    duration = time.perf_counter() - started
    assert _check(clean, before)
    seed = random.randrange(1 << 30)
    chance = random.Random(seed)
    outcomes = []
    for trial in range(TRIALS):
        db = tmp_path / f"trial-{trial}.db"
        db.write_bytes(sample_db.read_bytes())
        process = _import(db, ics)
        time.sleep(chance.uniform(0.05, duration * 0.95))
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        try:
            outcomes.append(_check(db, before))
        except AssertionError:
            pytest.fail(f"trial {trial} (seed {seed}) left a database that is not whole")
    assert outcomes.count(False) >= TRIALS // 2, f"most kills should land mid-import ({seed})"


@pytest.mark.slow
def test_kill_9_during_an_export_leaves_the_old_file_or_the_new_one(
    tmp_path: Path, sample_db: Path
) -> None:
    # A large agenda: the sample data plus 3,000 events in one month, exported as Markdown.
    from datetime import date

    from tui.domain.models import Event

    planner = Planner(Store(sample_db))
    with planner.store.transaction("Many"):
        for number in range(3000):
            day = date(2027, 5, 1 + number % 28)
            planner.save(
                Event(title=f"Consultation {number} " + "x" * 200, start_date=day, end_date=day)
            )
    planner.store.close()
    target = tmp_path / "agenda.md"
    old = "An earlier agenda, kept until the new one is whole.\n"
    target.write_text(old)
    target.chmod(0o600)
    command = [
        sys.executable,
        "-m",
        "tui",
        "--db",
        str(sample_db),
        "agenda",
        "--from",
        "2027-05-01",
        "--to",
        "2027-05-31",
        "--output",
        str(target),
        "--force",
    ]
    started = time.perf_counter()
    assert subprocess.run(command, capture_output=True, check=False).returncode == 0
    duration = time.perf_counter() - started
    new = target.read_text()
    assert new != old and new.count("Consultation") == 3000
    chance = random.Random()
    for _ in range(TRIALS):
        target.write_text(old)
        target.chmod(0o600)
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(chance.uniform(0.05, duration))
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        assert target.read_text() in (old, new)
        assert oct(target.stat().st_mode & 0o777) == oct(0o600)
