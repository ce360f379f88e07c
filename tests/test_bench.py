"""A smoke of the benchmark generator: tiny, through the real store, read back."""

from __future__ import annotations

import importlib.util
import sys
from datetime import date
from pathlib import Path

from tui.domain.service import Planner
from tui.domain.store import Store

BENCH = Path(__file__).resolve().parent.parent / "bench"


def _generator():  # type: ignore[no-untyped-def]
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
