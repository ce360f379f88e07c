"""Shared fixtures: isolated paths, a fixed clock, a sample database, the app."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import textual._wait

from tui import config
from tui.config import Settings
from tui.domain.planner import Planner
from tui.domain.store import Store
from tui.sample import load_sample
from tui.terminal_width import narrow_variation_selectors

TODAY = date(2026, 11, 18)
"""The fixed 'today' of every test: a Wednesday in the sample data's anchor week."""

# Pilot's press() and pause() wait for "idle" by sleeping in windows of SLEEP_GRANULARITY
# (20 ms) until the process used under 1/20 of a window's CPU: at least 40 ms per key, and
# on a busy machine several windows each. Measured on tests/ui/test_agenda.py (-n 0):
# 592 waits took 36 s of the file's 44 s. Windows of 5 ms with the same 1/20 ratio keep the
# same test for "idle" and cut that to ~17 s; the tests still wait on conditions (settle,
# wait_until) for workers and loads, never on this heuristic alone.
textual._wait.SLEEP_GRANULARITY = 0.005
textual._wait.SLEEP_IDLE = textual._wait.SLEEP_GRANULARITY / 20

# Widths measured as the app measures them, whatever ran first in this worker (every
# ConvenerApp narrows them for its process: tui.terminal_width).
narrow_variation_selectors()


@pytest.fixture(autouse=True)
def isolated_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the config, data and documents folders and CONVENER_DB at tmp_path."""
    home = tmp_path / "home"
    monkeypatch.setattr(config, "data_dir", lambda: home / "data")
    monkeypatch.setattr(config, "config_dir", lambda: home / "config")
    monkeypatch.setattr(config, "documents_dir", lambda: home / "documents")
    monkeypatch.setenv("CONVENER_DB", str(home / "data" / "convener.db"))
    # The `convener` command keeps compiled dataclass methods there (tui.codecache).
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    # The command line and every subprocess (the demo, the app in tmux) take the suite's
    # fixed day as today: no test depends on the real date.
    monkeypatch.setenv("CONVENER_TODAY", TODAY.isoformat())
    monkeypatch.delenv("EDITOR", raising=False)
    monkeypatch.delenv("VISUAL", raising=False)
    return home


@pytest.fixture(scope="session")
def sample_db_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample data loaded once per run; each test gets a copy."""
    folder = tmp_path_factory.mktemp("sample")
    path = folder / "sample.db"
    store = Store(path)
    load_sample(Planner(store, today=lambda: TODAY))
    store.close()
    return path


@pytest.fixture
def sample_db(sample_db_template: Path, tmp_path: Path) -> Path:
    """A fresh copy of the sample database for one test."""
    target = tmp_path / "convener.db"
    shutil.copyfile(sample_db_template, target)
    target.chmod(0o600)
    return target


@pytest.fixture
def store(sample_db: Path) -> Iterator[Store]:
    """A store over a copy of the sample data."""
    opened = Store(sample_db)
    yield opened
    opened.close()


@pytest.fixture
def planner(store: Store) -> Planner:
    """The planner with the fixed clock."""
    return Planner(store, today=lambda: TODAY)


@pytest.fixture
def empty_db(tmp_path: Path) -> Path:
    """A new, empty database file (a reading command refuses a --db path with none)."""
    path = tmp_path / "empty.db"
    Store(path).close()
    return path


@pytest.fixture
def empty_planner(tmp_path: Path) -> Iterator[Planner]:
    """A planner over a new, empty database."""
    opened = Store(tmp_path / "empty.db")
    yield Planner(opened, today=lambda: TODAY)
    opened.close()


@pytest.fixture
def settings() -> Settings:
    """Default settings (first day Monday, day-first dates)."""
    return Settings()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The long tests (marked slow) first, the rest in their order: handed out among the
    last, one of them ran on alone while the other worker had nothing left to do."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)
