"""A smoke of the benchmark generator: tiny, through the real store, read back."""

from __future__ import annotations

import importlib.util
import shutil
import sqlite3
import sys
from datetime import date
from pathlib import Path
from types import ModuleType

import pytest

from tui.domain.planner import Planner
from tui.domain.store import Store

BENCH = Path(__file__).resolve().parent.parent / "bench"


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_generate", BENCH / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_generate"] = module
    spec.loader.exec_module(module)
    return module


def test_generator_builds_a_readable_database_and_its_ics(tmp_path: Path) -> None:
    generate = _generator()
    db = tmp_path / "tiny.db"
    counts = generate.generate(db, 40, 80, 300, seed=3, today=date(2026, 11, 18))
    assert (counts.events, counts.people, counts.invitations) == (40, 80, 300)
    store = Store(db)
    try:
        planner = Planner(store, today=lambda: date(2026, 11, 18))
        assert store.count(type(planner.events()[0])) == 40
        assert planner.history() == []  # generated data leaves nothing to undo
        assert store.check() == [] or all("folder" in f for f in store.check())
    finally:
        store.close()
    ics = tmp_path / "tiny.ics"
    assert generate.write_ics(db, ics) == 40
    empty = Planner(Store(tmp_path / "copy.db"))
    report = empty.import_file(ics)
    assert report is not None
    assert len(empty.events()) == 40
    empty.store.close()


def _bench(name: str, file: str):  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(name, BENCH / file)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _box(title: str, lines: list[str], width: int, height: int) -> list[str]:
    top = "╭" + (f"─ {title} " if title else "").ljust(width - 2, "─") + "╮"
    inside = [f"│{line[: width - 2]:<{width - 2}}│" for line in lines]
    inside += [f"│{'':<{width - 2}}│"] * (height - 2 - len(inside))
    return [top, *inside, "╰" + "─" * (width - 2) + "╯"]


def _screen(guests: list[str], related: list[str]) -> str:
    calendar = _box(
        "",
        ["  December 2026", "  Mo   Tu   We", "Week of 30 Nov", "Thu 03 Dec  08:00    Webinar"],
        30,
        12,
    )
    guest_list = _box("Guests (2)", ["Coming: 1 of 40", "  Name ▲   Status", *guests], 30, 12)
    event = _box("Event #7", ["Webinar", "When", "Thu 3 December"], 30, 6)
    related_pane = _box("Related", related, 30, 6)
    right = event + related_pane
    return "\n".join(
        ["  Convener", *(a + b + c for a, b, c in zip(calendar, guest_list, right, strict=True))]
    )


def test_a_screen_is_ready_only_with_data_in_every_pane() -> None:
    run = _bench("bench_run", "run.py")
    full = _screen(["  Ada Okafor 12  accepted"], ["Event: Webinar", "Staff contacts (1)"])
    assert set(run.panes(full)) >= {"Guests (2)", "Event #7", "Related"}
    assert run.convener_ready(full)
    assert not run.convener_ready(_screen([], ["Event: Webinar"]))  # no guest row yet
    assert not run.convener_ready(_screen(["  Ada Okafor 12  accepted"], []))  # no related
    assert not run.floor_ready(full)  # the floor's panes are titled otherwise


def test_the_table_puts_figures_beside_floor_and_peer_and_says_a_peer_is_missing() -> None:
    run = _bench("bench_run", "run.py")
    start = "start to all panes with data"

    def figure(name: str, who: str, median: float) -> dict[str, object]:
        return {"name": name, "who": who, "unit": "ms", "median": median, "p95": median, "n": 3}

    result = {
        "size": "1k",
        "when": "2026-12-02",
        "machine": {"cpus": 2, "memory_gb": 8, "python": "3.11", "load_at_end": 1.5},
        "peers": {"calcurse": None, "khal": None},
        "samples": 3,
        "figures": [
            figure(start, run.MINIMAL, 200.0),
            figure(start, run.FLOOR, 250.0),
            figure(start, "convener", 500.0),
        ],
        "notes": [],
    }
    shown = run.table(result)
    assert "calcurse is not installed" in shown
    assert f"| {start} | convener | 500.0 ms | 500.0 ms | 3 | 2.00x | 2.50x | - |" in shown
    assert "| start to all panes with data <= 1.3x the realistic floor | 2.00x | no |" in shown


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_a_cold_start_is_timed_through_one_control_mode_client(tmp_path: Path) -> None:
    run = _bench("bench_run", "run.py")
    tmux = run.Tmux()
    try:
        shown, settled = run.cold_start(
            tmux,
            "start",
            "printf",
            ["sh", "-c", "printf 'ready\\n'; exec sleep 30"],
            {"HOME": str(tmp_path)},
            lambda screen: "ready" in screen,
            2,
        )
    finally:
        tmux.close()
    assert len(shown.samples) == len(settled.samples) == 2
    assert all(0 < a <= b for a, b in zip(shown.samples, settled.samples, strict=True))


def test_the_realistic_floor_reads_the_week_of_a_generated_database(tmp_path: Path) -> None:
    generate = _generator()
    floor = _bench("bench_floor", "floor_three_panes.py")
    db = tmp_path / "tiny.db"
    generate.generate(db, 400, 80, 2000, seed=3, today=date(2026, 11, 18))
    connection = sqlite3.connect(db)
    try:
        agenda, guests, details = floor._week(connection, date(2026, 11, 18))
    finally:
        connection.close()
    assert agenda.startswith("Week of 16 Nov – 22 Nov 2026:")
    assert guests.startswith("Guests (") and "Status" in guests
    assert details.startswith("Event #") and "When" in details
