"""The sample data (data/): where it is, and building a demo database from it."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui.domain.importers.report import ImportReport
    from tui.domain.planner import Planner

SAMPLE_FILES = ("seeds.toml", "upcoming.toml")
"""Loaded in this order: the seed pages' records first, then the upcoming convenings."""


def sample_files_dir() -> Path:
    """The packaged sample files' folder (inside the installed package, or data/ in a
    checkout); not config.data_dir, the officer's data folder."""
    package = Path(__file__).resolve().parent
    for candidate in (package / "data", package.parent / "data"):
        if (candidate / SAMPLE_FILES[0]).is_file():
            return candidate
    raise FileNotFoundError("the sample data (data/seeds.toml) is missing from this install")


def load_sample(planner: Planner) -> list[ImportReport]:
    """Import every sample file through the ordinary import path; nothing to undo after."""
    folder = sample_files_dir()
    reports = [planner.import_file(folder / name) for name in SAMPLE_FILES]
    planner.forget_history()
    return reports


def add_sample_checklists(planner: Planner) -> int:
    """The demo's coming convenings (the next four months, and the last week's) take their
    kind's checklist: what fell due more than ten days ago is done (on its day), the
    rest of the past is overdue. Relative to the demo's today, so it always looks lived-in.
    Only the demo does this: the tests' sample database keeps no tasks. Returns how many."""
    from dataclasses import replace
    from datetime import timedelta

    today = planner.today()
    added = 0
    for event in planner.events(today - timedelta(days=7), today + timedelta(days=120)):
        if event.id is None or event.repeat or event.status == "cancelled":
            continue
        for task in planner.apply_checklist(event.id):
            added += 1
            due = planner.due_of(task)
            if due is not None and due < today - timedelta(days=10):
                planner.save_task(replace(task, done_on=due))
    planner.forget_history()
    return added


class DemoDatabase:
    """The demo's sealed home: a temporary folder with its own database, config, data and
    export folders (the officer's own are never read or written), removed on close.

    A demo killed outright (SIGKILL, power loss) leaves its folder; the next demo removes
    the folders of demos whose process is gone.
    """

    def __init__(self) -> None:
        _remove_abandoned_demos()
        self.folder = Path(tempfile.mkdtemp(prefix=DEMO_PREFIX))
        self.path = self.folder / "convener.db"
        (self.folder / "pid").write_text(str(os.getpid()), encoding="utf-8")

    @property
    def config_dir(self) -> Path:
        """The demo's own config folder (empty: the demo starts with the defaults)."""
        return self.folder / "config"

    @property
    def data_dir(self) -> Path:
        """The demo's own data folder (edits, crash log)."""
        return self.folder / "data"

    @property
    def documents_dir(self) -> Path:
        """Where the demo's exports go."""
        return self.folder / "exports"

    def close(self) -> None:
        """Remove the temporary folder and everything in it."""
        shutil.rmtree(self.folder, ignore_errors=True)


DEMO_PREFIX = "convener-demo-"


def _remove_abandoned_demos() -> None:
    """Remove demo folders whose process is gone (a demo killed without a chance to clean)."""
    for folder in Path(tempfile.gettempdir()).glob(f"{DEMO_PREFIX}*"):
        try:
            if folder.stat().st_uid != os.getuid():
                continue
            pid = int((folder / "pid").read_text(encoding="utf-8").strip())
            os.kill(pid, 0)
        except ProcessLookupError:
            shutil.rmtree(folder, ignore_errors=True)
        except (OSError, ValueError):
            continue  # not ours to judge: no pid file yet, or another user's process
