"""The sample data (data/): where it is, and building a demo database from it."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui.domain.importers.report import ImportReport
    from tui.domain.service import Planner

SAMPLE_FILES = ("seeds.toml", "upcoming.toml")
"""Loaded in this order: the seed pages' records first, then the upcoming convenings."""


def data_dir() -> Path:
    """The sample data folder: inside the installed package, or data/ in a checkout."""
    package = Path(__file__).resolve().parent
    for candidate in (package / "data", package.parent / "data"):
        if (candidate / SAMPLE_FILES[0]).is_file():
            return candidate
    raise FileNotFoundError("the sample data (data/seeds.toml) is missing from this install")


def load_sample(planner: Planner) -> list[ImportReport]:
    """Import every sample file through the ordinary import path; nothing to undo after."""
    folder = data_dir()
    reports = [planner.import_file(folder / name) for name in SAMPLE_FILES]
    planner.store.forget_history()
    return reports


class DemoDatabase:
    """A fresh temporary database filled with the sample data, removed on close."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="convener-demo-"))
        self.path = self.folder / "convener.db"

    def close(self) -> None:
        """Remove the temporary folder and the database in it."""
        shutil.rmtree(self.folder, ignore_errors=True)
