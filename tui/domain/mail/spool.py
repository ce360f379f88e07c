"""The outbox as a folder of files: where it is, what waits in it, what a stopped run was
sending. Nothing here parses mail: the guest list counts the outbox on every read, and
the calendar's first screen need not import the e-mail package for that (20 ms)."""

from __future__ import annotations

from pathlib import Path

SENDING = ".sending"
"""A message being handed to the server is renamed to NAME.eml.sending first: if the run
dies there, the next run knows this one may have gone out and does not send it again."""


def outbox_beside(database: Path) -> Path:
    """outbox/ beside the database."""
    return database.resolve().parent / "outbox"


def queued(folder: Path) -> list[Path]:
    """The messages waiting in the outbox, oldest name first."""
    if not folder.is_dir():
        return []
    return sorted(path for path in folder.glob("*.eml") if path.is_file())


def in_flight(folder: Path) -> list[Path]:
    """Messages a stopped run was handing to the server: they may have gone out."""
    if not folder.is_dir():
        return []
    return sorted(folder.glob(f"*.eml{SENDING}"))
