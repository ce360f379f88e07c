"""The files of records being edited in $EDITOR (edits/ beside the database), and those an
edit left behind: the app was killed, the editor failed, the officer stopped on a problem.

Such a file is the officer's text; it is offered back on the next E for its record (and
named when the app starts), never dropped without a word. A file whose edit is still going
on (another window on the same database has its editor open) is locked and not offered.
Two databases in one folder share edits/: a file's name carries its database's uid (its
first eight characters), and each offers only its own (a file named before, without one,
is offered by either, as it always was).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from pathlib import Path

from tui.domain.patterns import LazyPattern
from tui.domain.text import joined

FOLDER = "edits"
"""The folder beside the database."""
STAMP = "%Y%m%dT%H%M%S"
"""When an edit began (UTC), in its file's name."""
_NAME = LazyPattern(
    r"^(?P<kind>[a-z]+)-(?P<id>\d+)-(?P<stamp>\d{8}T\d{6})(?:-(?P<db>[0-9a-f]{8}))?\.toml$"
)
_HEAD = LazyPattern(r"^# Convener: [a-z]+ #\d+ (?P<label>.+)$")


def edit_file_name(kind: str, record_id: int | None, started: datetime, database: str = "") -> str:
    """'event-12-20261117T140500-35936eed.toml': the record, when its edit began (UTC) and
    the database's uid (its first eight characters; see the module's docstring)."""
    stamp = started.astimezone(UTC).strftime(STAMP)
    own = f"-{database[:8]}" if database else ""
    return f"{kind}-{record_id or 'new'}-{stamp}{own}.toml"


@dataclass(frozen=True)
class UnfinishedEdit:
    """A file an edit in $EDITOR left in edits/."""

    path: Path
    kind: str
    """'event', 'person', 'organisation', 'publication', 'session'."""
    record_id: int
    started: datetime
    """When the edit began (UTC)."""
    database: str = ""
    """The first eight characters of its database's uid ("": a file named without it)."""

    def label(self) -> str:
        """The record as the file's first line names it ("'Policy Dinner'"), else its id."""
        with suppress(OSError, UnicodeDecodeError):
            with self.path.open(encoding="utf-8") as handle:
                for line in handle:
                    found = _HEAD.match(line.rstrip("\n"))
                    if found:
                        return found["label"]
                    if not line.startswith("# !! "):  # the problem lines come first
                        break
        return f"#{self.record_id}"

    def when(self, zone: tzinfo) -> str:
        """When the edit began, in the officer's time: 'Tue 17 Nov 14:05'."""
        return began(self.started, zone)


def began(started: datetime, zone: tzinfo) -> str:
    """When an edit or a form's draft began, in the officer's time: 'Tue 17 Nov 14:05'."""
    local = started.astimezone(zone)
    return f"{local:%a} {local.day} {local:%b %H:%M}"


def unfinished_edits(
    folder: Path,
    kind: str | None = None,
    record_id: int | None = None,
    database: str | None = None,
) -> list[UnfinishedEdit]:
    """The edits left in `folder` (of one record when `kind` and `record_id` are given; of
    the database whose uid is `database`, and those named without one, when given), oldest
    first; none when the folder is missing. An edit going on now is not one."""
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    found: list[UnfinishedEdit] = []
    for name in names:
        parts = _NAME.match(name)
        if parts is None:
            continue
        if kind is not None and (parts["kind"] != kind or int(parts["id"]) != record_id):
            continue
        own = parts["db"] or ""
        if database is not None and own and own != database[:8]:
            continue  # another database's, in the same folder
        path = folder / name
        if in_use(path):
            continue
        started = datetime.strptime(parts["stamp"], STAMP).replace(tzinfo=UTC)
        found.append(UnfinishedEdit(path, parts["kind"], int(parts["id"]), started, own))
    return sorted(found, key=lambda edit: (edit.started, edit.path.name))


def _lock_path(path: Path) -> Path:
    return path.with_suffix(".lock")


def in_use(path: Path) -> bool:
    """True while a running Convener has this file open in its editor (it holds the lock);
    a lock left by one that was killed is removed."""
    lock = _lock_path(path)
    if not lock.exists():
        return False
    try:
        import fcntl
    except ImportError:  # no advisory locks here: offered back rather than kept from view
        return False
    try:
        descriptor = os.open(lock, os.O_RDWR)
    except OSError:
        return False
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return True
    else:
        lock.unlink(missing_ok=True)  # its process is gone
        return False
    finally:
        os.close(descriptor)


@contextmanager
def editing(path: Path) -> Iterator[None]:
    """Mark `path` as being edited by this process (a lock beside it) while inside."""
    lock = _lock_path(path)
    try:
        descriptor = os.open(lock, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:
        yield  # no lock: another window may offer this edit back, nothing is lost
        return
    try:
        with suppress(ImportError, OSError):
            import fcntl

            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        yield
    finally:
        lock.unlink(missing_ok=True)
        os.close(descriptor)


def waiting_note(
    edits: list[UnfinishedEdit], zone: tzinfo, gone: list[UnfinishedEdit] | None = None
) -> str | None:
    """One line naming the edits left unfinished (None when there are none), said when the
    app starts: each is offered back by E on its record; `gone`: those whose record is in
    the trash or gone, named with their file (E cannot reach them)."""
    parts = [] if not edits else [_offered_note(edits, zone)]
    for edit in gone or []:
        parts.append(
            f"The unfinished edit of {edit.kind} #{edit.record_id} ({edit.label()}) waits in"
            f" {FOLDER}/{edit.path.name}; the {edit.kind} is in the trash or gone"
            " (restore it, then E takes the edit up)."
        )
    return " ".join(parts) or None


def _offered_note(edits: list[UnfinishedEdit], zone: tzinfo) -> str:
    named = [f"{edit.kind} {edit.label()} from {edit.when(zone)}" for edit in edits[-3:]]
    if len(edits) > 3:
        named.insert(0, f"{len(edits) - 3} older")
    listed = joined(named)
    if len(edits) == 1:
        return f"An unfinished edit is waiting in {FOLDER}/: {listed}. E on it takes it up."
    return (
        f"{len(edits)} unfinished edits are waiting in {FOLDER}/: {listed}. E on each takes it up."
    )
