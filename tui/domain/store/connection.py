"""The connection: opening the file (0600, WAL, FULL), reading rows, backups."""

from __future__ import annotations

import os
import re
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from tui.domain.errors import StorageError
from tui.domain.read_ahead import NotReadAhead, answers_only

MIGRATION_SET = "convener"
BUSY_TIMEOUT_MS = 5000

PAGE_CACHE_KB = 512
"""SQLite's page cache of a connection that is not writing in bulk (see Connection.roomy).
SQLite's own is 2 MB; the app kept it full from its first week at 100,000 events, 1.5 MB of
a session's peak memory (issue 24), while reading a month's window, a week's or a search
took as long with 512 KB: the pages come from the operating system's cache, a copy away."""

DAMAGED = "the database file is damaged; restore a copy from backups/ beside it"
"""What a damaged database file is called wherever it shows (check, a command, the app)."""


def now_utc() -> str:
    """The current time as UTC ISO-8601, to the microsecond (ordering edits needs it)."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


def _plainly(error: sqlite3.Error) -> str:
    """What went wrong, in an officer's words where SQLite's are cryptic."""
    text = str(error)
    if "readonly" in text or "read-only" in text:
        return "the database is read-only here (check the file's permissions and the disk)"
    if "disk is full" in text or "disk I/O" in text:
        return "the disk is full or failing; free some space and try again"
    if "locked" in text or "busy" in text:
        return "another Convener kept the database busy; try again in a moment"
    return text


def private_folder(folder: Path) -> None:
    """Create `folder` and any missing parents, each 0700 whatever the umask (mkdir's
    parents=True would make the parents 0777 minus the umask)."""
    missing: list[Path] = []
    current = folder
    while not current.exists() and current != current.parent:
        missing.append(current)
        current = current.parent
    for path in reversed(missing):
        path.mkdir(mode=0o700, exist_ok=True)
        path.chmod(0o700)


def missing_folders(folder: Path) -> list[Path]:
    """`folder` and those of its parents that do not exist, innermost first (what
    private_folder would make); a name too long to look up counts as missing."""
    missing: list[Path] = []
    for path in (folder, *folder.parents):
        try:
            if path.exists():
                break
        except OSError:
            pass
        missing.append(path)
    return missing


def create_private_file(path: Path) -> None:
    """Create `path` empty with mode 0600 unless it exists (SQLite would make it 0644)."""
    try:
        descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return
    os.close(descriptor)


def peek(path: Path, sql: str, timeout: float = 2) -> list[tuple[Any, ...]] | None:
    """The rows of one read of another database file (a copy's original: see
    store/identity.py), or None when there is none at `path` or it cannot be read. Opened
    read-write but never written (mode=rw: no file is made where there was none), and
    closed at once; `timeout`: how long to wait for its writer."""
    if not path.is_file():
        return None
    try:
        other = sqlite3.connect(f"file:{quote(str(path))}?mode=rw", uri=True, timeout=timeout)
    except sqlite3.Error:
        return None
    try:
        return other.execute(sql).fetchall()
    except sqlite3.Error:
        return None
    finally:
        other.close()


ROOMY_CACHE_MB = 64
"""The page cache of a bulk write (see Connection.roomy)."""


class _StoreLock:
    """The connection's lock (reentrant), which a read made answers only may not take: it
    raises NotReadAhead instead, and the caller reads on a worker thread (see
    tui.domain.read_ahead). The UI thread never waits on the database that way."""

    __slots__ = ("_lock",)

    def __init__(self) -> None:
        self._lock = threading.RLock()

    def acquire(self, blocking: bool = True) -> bool:
        if answers_only():
            raise NotReadAhead
        return self._lock.acquire(blocking)

    def release(self) -> None:
        self._lock.release()

    def __enter__(self) -> bool:
        return self.acquire()

    def __exit__(self, *_: object) -> None:
        self._lock.release()


class Connection:
    """One SQLite connection, guarded by a lock so thread workers can share it."""

    def __init__(
        self,
        path: Path | str,
        *,
        upgrading: Callable[[str], None] | None = None,
        inspecting: bool = False,
    ) -> None:
        self.path = str(path)
        self._upgrading = upgrading
        """Told the schema version before a file is upgraded (it can take seconds)."""
        self._inspecting = inspecting
        """Opened for `check` only: a file of a newer Convener is opened (and noted in
        newer_schema) rather than refused; nothing of it is changed."""
        self.newer_schema: str | None = None
        """The newest schema version of the file that this Convener does not know (a file
        written by a newer Convener, opened for inspection); None otherwise."""
        self._lock = _StoreLock()
        self._step_label: str | None = None
        self._step_joining: int | None = None
        """The step the outermost transaction's changes join (see History.transaction)."""
        self._steps_made: dict[int, int | None] = {}
        """Per thread: the undo step its latest outermost transaction made (None: none)."""
        self._journaled = False
        self._savepoints = 0
        self._rolled_back = 0
        """Rows written then rolled back (a cancelled import): SQLite's total_changes
        still counts them, changes_made does not."""
        try:
            if self.path != ":memory:":
                create_private_file(Path(self.path))
            conn = sqlite3.connect(
                self.path, check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000
            )
            self._conn = conn
            try:
                self._configure()
                self._prepare()
            except BaseException:
                # Refused (a newer Convener's file, a damaged one): closed at once, so the
                # -wal and -shm files opening made are gone again and nothing is left.
                conn.close()
                raise
        except sqlite3.DatabaseError as error:
            raise StorageError(f"cannot open the database: {error}", file=self.path) from None
        except OSError as error:
            raise StorageError(
                f"cannot open the database: {error.strerror}", file=self.path
            ) from None

    def _prepare(self) -> None:
        """What opening does once the connection is configured (the migration gate)."""

    def _configure(self) -> None:
        # WAL for readers beside a writer; FULL so a committed change survives power loss;
        # foreign keys for cascades; a busy timeout so a second process waits its turn.
        self._conn.execute(f"pragma busy_timeout = {BUSY_TIMEOUT_MS}")
        self._conn.execute("pragma journal_mode = wal")
        self._conn.execute("pragma synchronous = full")
        self._conn.execute("pragma foreign_keys = on")
        self._conn.execute(f"pragma cache_size = {-PAGE_CACHE_KB}")

    def pragmas(self) -> dict[str, Any]:
        """The connection settings that durability depends on, as SQLite reports them."""
        with self._lock:
            return {
                name: self._conn.execute(f"pragma {name}").fetchone()[0]
                for name in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")
            }

    def _applied(self) -> list[str]:
        """Names of the migrations applied, read with plain SQL (no sqlite-utils needed)."""
        try:
            rows = self._conn.execute(
                "select name from _sqlite_migrations where migration_set = ? order by id",
                [MIGRATION_SET],
            ).fetchall()
        except sqlite3.OperationalError:
            return []  # a new database: no migrations table yet
        return [row[0] for row in rows]

    def data_version(self, *, wait: bool = True) -> int | None:
        """SQLite's data_version: it changes when another connection (another process, a
        second Store) commits to the file; our own writes leave it as it was. Cheap to poll.

        With `wait=False`, None when this store is busy (a worker holds the connection)
        rather than blocking the caller.
        """
        if not self._lock.acquire(blocking=wait):
            return None
        try:
            return int(self._conn.execute("pragma data_version").fetchone()[0])
        except sqlite3.DatabaseError:
            return None
        finally:
            self._lock.release()

    @contextmanager
    def roomy(self, megabytes: int = ROOMY_CACHE_MB) -> Iterator[None]:
        """A larger page cache while a bulk write runs, then the usual one again.

        A 100,000-event import inserts a million invitations, each with a random UID in a
        unique index: in SQLite's 2 MB cache most of those index pages went back and forth
        through the operating system (half the import's system time; 38.6 s -> 33.7 s with
        64 MB). Pages are taken only as they are needed: a small import uses no more."""
        with self._lock:
            (before,) = self._conn.execute("pragma cache_size").fetchone()
            self._conn.execute(f"pragma cache_size = {-int(megabytes) * 1024}")
        try:
            yield
        finally:
            with self._lock:
                self._conn.execute(f"pragma cache_size = {int(before)}")

    def changes_made(self) -> int:
        """How many rows this connection has written and kept since it was opened (SQLite's
        total_changes, less those rolled back): what was read before a write can be told
        from what was read after, and an import cancelled midway wrote nothing."""
        return self._conn.total_changes - self._rolled_back

    def schema_version(self) -> str | None:
        """The name of the newest migration applied."""
        applied = self._applied()
        return applied[-1] if applied else None

    def close(self) -> None:
        """Close the connection (checkpointing the WAL)."""
        with self._lock:
            self._conn.close()

    def _rows(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[dict[str, Any]]:
        with self._lock:
            cursor = self._conn.execute(sql, params)
            names = [column[0] for column in cursor.description or ()]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def _tuples(
        self, sql: str, params: Sequence[Any] | dict[str, Any] = ()
    ) -> tuple[list[str], list[tuple[Any, ...]]]:
        """The column names and the rows as tuples (a row as a dict is four times the size:
        read a list of records through Records._records, one dict at a time)."""
        with self._lock:
            cursor = self._conn.execute(sql, params)
            return [column[0] for column in cursor.description or ()], cursor.fetchall()

    def backup(self, directory: Path, label: str = "backup") -> Path:
        """Write a consistent copy (SQLite backup API) into `directory`, mode 0600, named
        after this database, the time and `label`: DATABASE-STAMP-LABEL.db (the copies of
        two databases in one folder share backups/ and are told apart).

        A copy that cannot be written leaves nothing behind: neither part of the file nor
        the folders made for it."""
        made = missing_folders(directory)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        target = directory / f"{self._backup_stem()}-{stamp}-{label}.db"
        ours = False  # the target is a file this call made (not one that was there)
        try:
            private_folder(directory)
            ours = not target.exists()
            create_private_file(target)
            with self._lock:
                destination = sqlite3.connect(target)
                try:
                    self._conn.backup(destination)
                finally:
                    destination.close()
            os.chmod(target, 0o600)
        except BaseException:
            if ours:
                for suffix in ("", "-journal", "-wal", "-shm"):
                    Path(f"{target}{suffix}").unlink(missing_ok=True)
            for folder in made:  # innermost first; one not made, or not empty, stays
                try:
                    folder.rmdir()
                except OSError:
                    continue
            raise
        return target

    def backups(self, directory: Path, label: str) -> list[Path]:
        """This database's copies in `directory` written with `label`, oldest first."""
        stem, kind = re.escape(self._backup_stem()), re.escape(label)
        name = re.compile(rf"{stem}-\d{{8}}T\d{{12}}Z-{kind}\.db")
        if not directory.is_dir():
            return []
        return sorted(path for path in directory.iterdir() if name.fullmatch(path.name))

    def _backup_stem(self) -> str:
        return Path(self.path).stem if self.path != ":memory:" else "convener"
