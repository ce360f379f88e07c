"""The only code that touches SQLite: connection, lock, SQL, and row <-> model mapping."""

from __future__ import annotations

import os
import sqlite3
import threading
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import fields, replace
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any, TypeVar, cast

from tui.domain.errors import ConvenerError, InvalidInput, NotFound, StorageError
from tui.domain.models import (
    Event,
    GuestLine,
    Invitation,
    Organisation,
    Person,
    PersonSummary,
    Publication,
    Session,
    Speaker,
    Task,
)
from tui.domain.text import fold
from tui.domain.validate import checked

Record = TypeVar("Record", Event, Person, Organisation, Publication, Session, Invitation, Task)
AnyRecord = Event | Person | Organisation | Publication | Session | Invitation | Task
"""Any one record (where the kind is not known until run time)."""

TABLES: dict[type[Any], str] = {
    Event: "events",
    Person: "people",
    Organisation: "organisations",
    Publication: "publications",
    Session: "sessions",
    Invitation: "invitations",
    Task: "tasks",
}
KINDS: dict[str, type[Any]] = {
    "event": Event,
    "person": Person,
    "organisation": Organisation,
    "publication": Publication,
    "session": Session,
    "invitation": Invitation,
    "task": Task,
}
_DATE_FIELDS = {
    "start_date",
    "end_date",
    "date",
    "invited_on",
    "responded_on",
    "due_date",
    "done_on",
}
_TIME_FIELDS = {"start_time", "end_time"}
_BOOL_FIELDS = {"is_staff", "is_sample", "link_only"}
# Columns kept only for lookups; derived from the record on every write.
_KEY_COLUMNS = {
    "events": "title",
    "publications": "title",
    "people": "name",
    "organisations": "name",
}

# Link tables: name -> (table, left column, right column, symmetric)
LINKS: dict[str, tuple[str, str, str, bool]] = {
    "contact": ("event_contacts", "event_id", "person_id", False),
    "partner": ("event_partners", "event_id", "organisation_id", False),
    "related_event": ("event_links", "event_a", "event_b", True),
    "event_publication": ("event_publications", "event_id", "publication_id", False),
    "related_publication": ("publication_links", "publication_a", "publication_b", True),
}

MIGRATION_SET = "convener"
MIGRATION_NAMES = (
    "m0001_initial",
    "m0002_search",
    "m0003_history",
    "m0004_search_rowids",
    "m0005_mail_sequences",
    "m0006_occurrence_uids",
    "m0007_tasks",
)
"""The schema versions this Convener knows, oldest first (migrations.py holds each one;
a test keeps the two in step). Kept here so that opening an up-to-date database needs
neither the migrations nor sqlite-utils."""

BUSY_TIMEOUT_MS = 5000
UNDO_DEPTH = 200
"""How many steps of history are kept."""


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


def create_private_file(path: Path) -> None:
    """Create `path` empty with mode 0600 unless it exists (SQLite would make it 0644)."""
    try:
        descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return
    os.close(descriptor)


def _to_column(name: str, value: Any) -> Any:
    if isinstance(value, (date, time)):
        return value.isoformat(timespec="minutes") if isinstance(value, time) else value.isoformat()
    if name in _BOOL_FIELDS:
        return int(bool(value))
    return value


def _from_column(name: str, value: Any) -> Any:
    if value is None:
        return None
    if name in _DATE_FIELDS:
        return date.fromisoformat(value)
    if name in _TIME_FIELDS:
        return time.fromisoformat(value)
    if name in _BOOL_FIELDS:
        return bool(value)
    return value


_FIELD_NAMES: dict[type[Any], tuple[str, ...]] = {}


def _field_names(cls: type[Any]) -> tuple[str, ...]:
    """A record class's stored fields (a session's speakers live in their own table)."""
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = tuple(f.name for f in fields(cls) if f.name != "speakers")
    return names


def _model_from_row(cls: type[Record], row: dict[str, Any]) -> Record:
    return cls(**{name: _from_column(name, row[name]) for name in _field_names(cls) if name in row})


DAMAGED = "the database file is damaged; restore a copy from backups/ beside it"
"""What a damaged database file is called wherever it shows (check, a command, the app)."""


class Store:
    """One SQLite connection, guarded by a lock so thread workers can share it."""

    def __init__(self, path: Path | str) -> None:
        self.path = str(path)
        self._lock = threading.RLock()
        self._step_label: str | None = None
        self._journaled = False
        self._savepoints = 0
        try:
            if self.path != ":memory:":
                create_private_file(Path(self.path))
            conn = sqlite3.connect(
                self.path, check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000
            )
            self._conn = conn
            self._configure()
            self._migrate()
        except sqlite3.DatabaseError as error:
            raise StorageError(f"cannot open the database: {error}", file=self.path) from None
        except OSError as error:
            raise StorageError(
                f"cannot open the database: {error.strerror}", file=self.path
            ) from None

    # -- connection -------------------------------------------------------------------

    def _configure(self) -> None:
        # WAL for readers beside a writer; FULL so a committed change survives power loss;
        # foreign keys for cascades; a busy timeout so a second process waits its turn.
        self._conn.execute(f"pragma busy_timeout = {BUSY_TIMEOUT_MS}")
        self._conn.execute("pragma journal_mode = wal")
        self._conn.execute("pragma synchronous = full")
        self._conn.execute("pragma foreign_keys = on")

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

    def _migrate(self) -> None:
        known = list(MIGRATION_NAMES)
        applied = self._applied()
        unknown = [name for name in applied if name not in known]
        if unknown:
            raise StorageError(
                f"this database was written by a newer Convener (schema {unknown[-1]}); "
                "upgrade Convener to open it",
                file=self.path,
            )
        if applied != known:
            # Only here is sqlite-utils (and the migrations) imported: opening a database
            # that is up to date, the common case, does not pay for it.
            from sqlite_utils import Database

            from tui.domain import migrations

            database = Database(self._conn, execute_plugins=False)
            if applied and self.path != ":memory:":
                self.backup(Path(self.path).parent / "backups", label=f"before-{known[-1]}")
            with self.transaction():
                had_journal = database["undo_log"].exists()
                mark = (
                    self._conn.execute("select max(seq) from undo_log").fetchone()[0]
                    if had_journal
                    else None
                )
                try:
                    migrations.migrations.apply(database)
                except Exception as error:  # any failure: roll back, say so in one line
                    raise StorageError(
                        f"cannot upgrade this database ({type(error).__name__}: {error});"
                        " it was left as it was",
                        file=self.path,
                    ) from error
                # A migration is not a step an officer could undo: forget what it journaled.
                self._conn.execute("delete from undo_log where seq > ?", [mark or 0])
        self._journaled = True

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

    def schema_version(self) -> str | None:
        """The name of the newest migration applied."""
        applied = self._applied()
        return applied[-1] if applied else None

    def close(self) -> None:
        """Close the connection (checkpointing the WAL)."""
        with self._lock:
            self._conn.close()

    @contextmanager
    def transaction(self, label: str | None = None, *, single: bool = False) -> Iterator[None]:
        """One write transaction, begun IMMEDIATE; nested calls become savepoints.

        `single` says the block writes one statement, atomic by itself: nested, it needs
        no savepoint (a bulk import saves two round trips per row).

        IMMEDIATE takes the write lock up front: a deferred transaction that reads then
        writes fails at once under WAL contention, whatever the busy timeout.

        The outermost transaction is one undo step, named by the first `label` given
        (by it or by a nested call): a bulk change undoes in one go.
        """
        with self._lock:
            if self._conn.in_transaction:
                if label and not self._step_label:
                    self._step_label = label
                if single:
                    yield
                    return
                self._savepoints += 1
                name = f"convener_{self._savepoints}"
                self._conn.execute(f"savepoint {name}")
                try:
                    yield
                except BaseException:
                    self._conn.execute(f"rollback to savepoint {name}")
                    self._conn.execute(f"release savepoint {name}")
                    raise
                finally:
                    self._savepoints -= 1
                self._conn.execute(f"release savepoint {name}")
                return
            try:
                self._conn.execute("begin immediate")
            except sqlite3.OperationalError as error:
                raise StorageError(f"cannot write: {_plainly(error)}", file=self.path) from None
            self._step_label = label
            try:
                mark = self._last_seq()
                yield
                self._close_step(mark)
            except sqlite3.DatabaseError as error:
                # A read-only file, a full disk, a lock held too long: nothing of this step
                # is kept, everything saved before is, and the officer reads why in a line.
                if self._conn.in_transaction:
                    self._conn.execute("rollback")
                raise StorageError(f"not saved: {_plainly(error)}", file=self.path) from None
            except BaseException:
                if self._conn.in_transaction:
                    self._conn.execute("rollback")
                raise
            finally:
                self._step_label = None
            try:
                self._conn.execute("commit")
            except sqlite3.DatabaseError as error:
                if self._conn.in_transaction:
                    self._conn.execute("rollback")
                raise StorageError(f"not saved: {_plainly(error)}", file=self.path) from None

    # -- undo history -----------------------------------------------------------------

    def _last_seq(self) -> int:
        if not self._journaled:
            return 0
        row = self._conn.execute("select max(seq) from undo_log").fetchone()
        return int(row[0] or 0)

    def _close_step(self, mark: int) -> None:
        """Name the journal entries written since `mark` as one step; keep the last few."""
        if not self._journaled or self._last_seq() <= mark:
            return
        self._conn.execute(
            "insert into undo_steps (first_seq, label, at) values (?, ?, ?)",
            [mark + 1, self._step_label or "Change", now_utc()],
        )
        oldest = self._conn.execute(
            "select first_seq from undo_steps order by id desc limit 1 offset ?", [UNDO_DEPTH]
        ).fetchone()
        if oldest is not None:
            self._conn.execute("delete from undo_steps where first_seq <= ?", [oldest[0]])
            self._conn.execute("delete from undo_log where seq < ?", [oldest[0] + 1])

    def forget_history(self) -> None:
        """Start the undo history afresh (after loading the demo's sample data)."""
        with self.transaction():
            self._conn.execute("delete from undo_log")
            self._conn.execute("delete from undo_steps")

    def history(self, limit: int = 20) -> list[tuple[str, str]]:
        """The latest undo steps, newest first, as (label, when in UTC)."""
        rows = self._rows("select label, at from undo_steps order by id desc limit ?", [limit])
        return [(row["label"], row["at"]) for row in rows]

    def undo(self) -> str | None:
        """Reverse the latest step; returns its label, or None when there is nothing to undo."""
        with self._lock:
            try:
                self._conn.execute("begin immediate")
            except sqlite3.OperationalError as error:
                raise StorageError(f"cannot write: {error}", file=self.path) from None
            try:
                step = self._conn.execute(
                    "select id, first_seq, label from undo_steps order by id desc limit 1"
                ).fetchone()
                if step is None:
                    self._conn.execute("rollback")
                    return None
                step_id, first_seq, label = step
                statements = self._conn.execute(
                    "select statement from undo_log where seq >= ? order by seq desc",
                    [first_seq],
                ).fetchall()
                # Cascaded rows were journaled around their parent: check keys at commit.
                self._conn.execute("pragma defer_foreign_keys = on")
                for (statement,) in statements:
                    self._conn.execute(statement)
                # The replay journaled itself too: forget it along with the step.
                self._conn.execute("delete from undo_log where seq >= ?", [first_seq])
                self._conn.execute("delete from undo_steps where id = ?", [step_id])
                self._conn.execute("commit")
            except sqlite3.DatabaseError as error:
                if self._conn.in_transaction:
                    self._conn.execute("rollback")
                raise StorageError(f"cannot undo: {error}", file=self.path) from None
            return str(label)

    def _rows(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[dict[str, Any]]:
        with self._lock:
            cursor = self._conn.execute(sql, params)
            names = [column[0] for column in cursor.description or ()]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def _write(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Cursor:
        with self._lock:
            if self._conn.in_transaction:
                # One statement is atomic by itself: no savepoint of its own is needed.
                try:
                    return self._conn.execute(sql, params)
                except sqlite3.IntegrityError as error:
                    raise InvalidInput(f"not saved: {error}") from None
        with self.transaction():
            try:
                return self._conn.execute(sql, params)
            except sqlite3.IntegrityError as error:
                raise InvalidInput(f"not saved: {error}") from None

    def backup(self, directory: Path, label: str = "backup") -> Path:
        """Write a consistent copy (SQLite backup API) into `directory`, mode 0600."""
        private_folder(directory)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        target = directory / f"convener-{stamp}-{label}.db"
        create_private_file(target)
        with self._lock:
            destination = sqlite3.connect(target)
            try:
                self._conn.backup(destination)
            finally:
                destination.close()
        os.chmod(target, 0o600)
        return target

    # -- records ----------------------------------------------------------------------

    def insert(self, record: Record) -> Record:
        """Add a new record; a uid is made unless it has one. Returns it as stored."""
        table = TABLES[type(record)]
        stamp = now_utc()
        record = self._checked(record)
        row: dict[str, Any] = self._row_for(record)
        row.pop("id", None)
        row["uid"] = row.get("uid") or str(uuid.uuid4())
        row["created_at"] = row.get("created_at") or stamp
        row["updated_at"] = stamp
        columns = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        cursor = self._write(
            f"insert into {table} ({columns}) values ({marks})", list(row.values())
        )
        if cursor.lastrowid is None:
            raise StorageError(f"{table}: the new row has no id", file=self.path)
        if type(record) is Session:  # its speakers are read from their own table
            return self.get(type(record), cursor.lastrowid, include_deleted=True)
        # The row as written is the row as stored: no need to read it back.
        return _model_from_row(type(record), {**row, "id": cursor.lastrowid})

    def insert_rows(self, table: str, columns: Sequence[str], values: list[list[Any]]) -> None:
        """Add many new rows to one journaled table at once (a large import's guest lines).

        Each row gets a uid and stamps. Undo stays exact and costs one line, not one per
        row: the table's per-row undo trigger is set aside for this one statement (inside
        the transaction, so a crash restores it) and replaced by one statement deleting the
        rowids above the highest there was before; SQLite gives new rows higher rowids.
        """
        if not values:
            return
        if table not in TABLES.values():
            raise ValueError(f"not a record table: {table}")
        stamp = now_utc()
        names = ["uid", "created_at", "updated_at", *columns]
        sql = f"insert into {table} ({', '.join(names)}) values ({', '.join('?' * len(names))})"
        trigger = f"{table}_undo_insert"
        with self.transaction():
            (created,) = self._conn.execute(
                "select sql from sqlite_master where type = 'trigger' and name = ?", [trigger]
            ).fetchone() or (None,)
            (highest,) = self._conn.execute(
                f"select coalesce(max(rowid), 0) from {table}"
            ).fetchone()
            if created is not None:
                self._conn.execute(f"drop trigger {trigger}")
            try:
                self._conn.executemany(
                    sql, ([str(uuid.uuid4()), stamp, stamp, *row] for row in values)
                )
            except sqlite3.IntegrityError as error:
                raise InvalidInput(f"not saved: {error}") from None
            finally:
                if created is not None:
                    self._conn.execute(created)
            if created is not None:
                self._conn.execute(
                    "insert into undo_log (statement) values (?)",
                    [f"delete from {table} where rowid > {int(highest)}"],
                )

    def update(self, record: Record) -> Record:
        """Save every field of an existing record. Returns it as stored."""
        if record.id is None:
            raise InvalidInput("cannot update a record that was never saved")
        table = TABLES[type(record)]
        row: dict[str, Any] = self._row_for(self._checked(record))
        for name in ("id", "uid", "created_at"):
            row.pop(name, None)
        row["updated_at"] = now_utc()
        assignments = ", ".join(f"{column} = ?" for column in row)
        values: list[Any] = [*row.values(), record.id]
        cursor = self._write(f"update {table} set {assignments} where id = ?", values)
        if cursor.rowcount == 0:
            raise NotFound(f"no {table[:-1]} with id {record.id}", value=str(record.id))
        return self.get(type(record), record.id, include_deleted=True)

    def _checked(self, record: Record) -> Record:
        """The record as validate.checked leaves it; a session also falls within its event."""
        record = checked(record)
        if isinstance(record, Session):
            found = self._conn.execute(
                "select start_date, end_date from events where id = ?", [record.event_id]
            ).fetchone()
            if found is not None and not found[0] <= record.date.isoformat() <= found[1]:
                raise InvalidInput(
                    f"session {record.title[:60]!r} is on {record.date.isoformat()}, outside its"
                    f" event ({found[0]} to {found[1]})",
                    value=record.date.isoformat(),
                )
        return record

    def _row_for(self, record: Any) -> dict[str, Any]:
        table = TABLES[type(record)]
        # Fields are plain values (dates, text, numbers): no deep copy is needed.
        row = {name: _to_column(name, getattr(record, name)) for name in _field_names(type(record))}
        if table in _KEY_COLUMNS:
            source = _KEY_COLUMNS[table]
            row[f"{source}_key"] = fold(row[source])
        if table == "events":
            row["span_days"] = (record.end_date - record.start_date).days
        return row

    def get(self, cls: type[Record], record_id: int, *, include_deleted: bool = False) -> Record:
        """One record by id; NotFound when missing or in the trash."""
        table = TABLES[cls]
        rows = self._rows(f"select * from {table} where id = ?", [record_id])
        if not rows or (rows[0]["deleted_at"] and not include_deleted):
            raise NotFound(f"no {_singular(table)} with id {record_id}", value=str(record_id))
        record = _model_from_row(cls, rows[0])
        if isinstance(record, Session):
            speakers = tuple(self.speakers_for(record_id))
            return cast(Record, replace(record, speakers=speakers))  # type: ignore[call-arg,redundant-cast,unused-ignore]
        return record

    def stamps(self, cls: type[AnyRecord], record_id: int) -> tuple[str, str | None] | None:
        """A record's updated_at and deleted_at, or None when there is no such row."""
        rows = self._rows(
            f"select updated_at, deleted_at from {TABLES[cls]} where id = ?", [record_id]
        )
        return (rows[0]["updated_at"], rows[0]["deleted_at"]) if rows else None

    def by_uid(self, cls: type[Record], uid: str) -> Record | None:
        """The record with this uid, in the trash or not; None when there is none."""
        rows = self._rows(f"select id from {TABLES[cls]} where uid = ?", [uid])
        return self.get(cls, rows[0]["id"], include_deleted=True) if rows else None

    def by_key(self, cls: type[Record], text: str) -> list[Record]:
        """Live records whose name or title folds to the same key as `text`."""
        table = TABLES[cls]
        column = f"{_KEY_COLUMNS[table]}_key"
        rows = self._rows(
            f"select * from {table} where {column} = ? and deleted_at is null order by id",
            [fold(text)],
        )
        return [_model_from_row(cls, row) for row in rows]

    def set_deleted(self, cls: type[AnyRecord], record_id: int, deleted: bool) -> None:
        """Move a record to the trash, or back out of it."""
        stamp = now_utc()
        self._write(
            f"update {TABLES[cls]} set deleted_at = ?, updated_at = ? where id = ?",
            [stamp if deleted else None, stamp, record_id],
        )

    def count(self, cls: type[Record], *, include_deleted: bool = False) -> int:
        """How many records of a kind (live ones unless asked)."""
        where = "" if include_deleted else " where deleted_at is null"
        return int(self._rows(f"select count(*) as n from {TABLES[cls]}{where}")[0]["n"])

    def any_live(self, cls: type[AnyRecord]) -> bool:
        """True when there is at least one live record of a kind (stops at the first)."""
        rows = self._rows(f"select 1 as found from {TABLES[cls]} where deleted_at is null limit 1")
        return bool(rows)

    def listing(
        self,
        cls: type[Record],
        *,
        order_by: str,
        limit: int | None = None,
        offset: int = 0,
        where: str = "",
        params: Sequence[Any] = (),
    ) -> list[Record]:
        """A window of live records in a fixed order."""
        table = TABLES[cls]
        clause = f" and ({where})" if where else ""
        paging = f" limit {int(limit)} offset {int(offset)}" if limit is not None else ""
        rows = self._rows(
            f"select * from {table} where deleted_at is null{clause} order by {order_by}{paging}",
            params,
        )
        return [_model_from_row(cls, row) for row in rows]

    # -- events by date ---------------------------------------------------------------

    def events_between(self, start: date, end: date) -> list[Event]:
        """Live, non-repeating events that touch [start, end], in calendar order."""
        longest = self._rows("select max(span_days) as n from events")[0]["n"] or 0
        earliest = date.fromordinal(max(1, start.toordinal() - int(longest)))
        rows = self._rows(
            "select * from events where start_date between ? and ? and end_date >= ?"
            " and deleted_at is null and repeat is null"
            " order by start_date, start_time is not null, start_time, title",
            [earliest.isoformat(), end.isoformat(), start.isoformat()],
        )
        return [_model_from_row(Event, row) for row in rows]

    def repeating_events_until(self, end: date) -> list[Event]:
        """Live events with a repeat rule that begin on or before `end`."""
        rows = self._rows(
            "select * from events where repeat is not null and start_date <= ?"
            " and deleted_at is null order by start_date",
            [end.isoformat()],
        )
        return [_model_from_row(Event, row) for row in rows]

    # -- search -----------------------------------------------------------------------

    def search(
        self, match: str, limit: int, *, ranked: bool, kind: str | None = None
    ) -> list[dict[str, Any]]:
        """Rows of the FTS index matching an FTS5 query (see tui.domain.search.fts_query).

        Ranked by bm25 with titles and names weighing ten times the rest; unranked (index
        order) when asked, which keeps one-letter prefixes cheap on a large database.
        """
        order = " order by bm25(search_index, 0.0, 0.0, 10.0, 1.0)" if ranked else ""
        sql = (
            "select kind, record_id, title,"
            " snippet(search_index, -1, char(2), char(3), '…', 10) as snippet"
            f" from search_index where search_index match ?"
            f"{' and kind = ?' if kind else ''}{order} limit ?"
        )
        try:
            return self._rows(sql, [match, *([kind] if kind else []), limit])
        except sqlite3.OperationalError as error:
            # The query is built from quoted words, so FTS5 should accept it; if a corner of
            # the tokenizer still refuses one, that is "nothing found", not a crash.
            if "fts5" in str(error):
                return []
            raise

    def match_count(self, match: str, cap: int) -> int:
        """How many index rows match, counted only up to `cap` (cheap on a large index)."""
        try:
            rows = self._rows(
                "select count(*) as n from"
                " (select 1 from search_index where search_index match ? limit ?)",
                [match, cap],
            )
        except sqlite3.OperationalError as error:
            if "fts5" in str(error):
                return 0
            raise
        return int(rows[0]["n"])

    # -- links ------------------------------------------------------------------------

    def link(self, name: str, left: int, right: int, position: int | None = None) -> bool:
        """Add a typed link; True when it is new. Symmetric links are stored once."""
        table, left_column, right_column, symmetric = LINKS[name]
        if symmetric:
            if left == right:
                raise InvalidInput("a record cannot be related to itself")
            left, right = min(left, right), max(left, right)
        columns = [left_column, right_column]
        values: list[Any] = [left, right]
        if position is not None:
            columns.append("position")
            values.append(position)
        try:
            cursor = self._write(
                f"insert or ignore into {table} ({', '.join(columns)})"
                f" values ({', '.join('?' for _ in values)})",
                values,
            )
        except InvalidInput:
            raise InvalidInput(f"cannot link: record {left} or {right} does not exist") from None
        return cursor.rowcount > 0

    def unlink(self, name: str, left: int, right: int) -> bool:
        """Remove a typed link; True when there was one."""
        table, left_column, right_column, symmetric = LINKS[name]
        if symmetric:
            left, right = min(left, right), max(left, right)
        cursor = self._write(
            f"delete from {table} where {left_column} = ? and {right_column} = ?", [left, right]
        )
        return cursor.rowcount > 0

    def contacts_for(self, event_id: int) -> list[PersonSummary]:
        """The event's staff contacts, in page order."""
        rows = self._rows(
            "select p.id, p.name, p.role, p.program_area, p.is_staff, o.name as organisation"
            " from event_contacts c join people p on p.id = c.person_id"
            " left join organisations o on o.id = p.organisation_id and o.deleted_at is null"
            " where c.event_id = ? and p.deleted_at is null order by c.position, p.name",
            [event_id],
        )
        return [_summary(row) for row in rows]

    def partners_for(self, event_id: int) -> list[Organisation]:
        """The event's partner organisations."""
        rows = self._rows(
            "select o.* from event_partners x join organisations o on o.id = x.organisation_id"
            " where x.event_id = ? and o.deleted_at is null order by x.position, o.name",
            [event_id],
        )
        return [_model_from_row(Organisation, row) for row in rows]

    def related_events(self, event_id: int) -> list[Event]:
        """Events linked to this one, from either end, newest first."""
        rows = self._rows(
            "select e.* from events e join ("
            " select event_b as other from event_links where event_a = :id"
            " union select event_a from event_links where event_b = :id) l on e.id = l.other"
            " where e.deleted_at is null order by e.start_date desc, e.title",
            {"id": event_id},
        )
        return [_model_from_row(Event, row) for row in rows]

    def publications_for_event(self, event_id: int) -> list[Publication]:
        """Publications linked to an event."""
        rows = self._rows(
            "select p.* from event_publications x join publications p on p.id = x.publication_id"
            " where x.event_id = ? and p.deleted_at is null"
            " order by p.published desc nulls last, p.title",
            [event_id],
        )
        return [_model_from_row(Publication, row) for row in rows]

    def events_for_publication(self, publication_id: int) -> list[Event]:
        """Events linked to a publication."""
        rows = self._rows(
            "select e.* from event_publications x join events e on e.id = x.event_id"
            " where x.publication_id = ? and e.deleted_at is null order by e.start_date desc",
            [publication_id],
        )
        return [_model_from_row(Event, row) for row in rows]

    def related_publications(self, publication_id: int) -> list[Publication]:
        """Publications linked to this one, from either end."""
        rows = self._rows(
            "select p.* from publications p join ("
            " select publication_b as other from publication_links where publication_a = :id"
            " union select publication_a from publication_links where publication_b = :id)"
            " l on p.id = l.other where p.deleted_at is null order by p.title",
            {"id": publication_id},
        )
        return [_model_from_row(Publication, row) for row in rows]

    def events_for_contact(self, person_id: int) -> list[Event]:
        """Events a person is the staff contact for."""
        rows = self._rows(
            "select e.* from event_contacts c join events e on e.id = c.event_id"
            " where c.person_id = ? and e.deleted_at is null order by e.start_date desc",
            [person_id],
        )
        return [_model_from_row(Event, row) for row in rows]

    def event_ids_for_partner_named(self, name: str) -> set[int]:
        """Ids of events partnered by organisations with this name or short name."""
        rows = self._rows(
            "select x.event_id from event_partners x join organisations o"
            " on o.id = x.organisation_id where o.deleted_at is null"
            " and (o.name_key = ? or lower(o.short_name) = lower(?))",
            [fold(name), name.strip()],
        )
        return {row["event_id"] for row in rows}

    def program_areas(self) -> list[str]:
        """Every program area in use, for filter choices."""
        rows = self._rows(
            "select distinct program_area from events where program_area is not null"
            " and deleted_at is null order by program_area"
        )
        return [row["program_area"] for row in rows]

    def partner_names(self) -> list[str]:
        """Organisations that partnered at least one event, for filter choices."""
        rows = self._rows(
            "select distinct o.name from organisations o join event_partners x"
            " on x.organisation_id = o.id where o.deleted_at is null order by o.name_key"
        )
        return [row["name"] for row in rows]

    def events_for_partner(self, organisation_id: int) -> list[Event]:
        """Events an organisation partnered."""
        rows = self._rows(
            "select e.* from event_partners x join events e on e.id = x.event_id"
            " where x.organisation_id = ? and e.deleted_at is null order by e.start_date desc",
            [organisation_id],
        )
        return [_model_from_row(Event, row) for row in rows]

    # -- planning tasks ---------------------------------------------------------------

    def tasks_for(self, event_id: int) -> list[Task]:
        """An event's checklist, in its order."""
        rows = self._rows(
            "select * from tasks where event_id = ? and deleted_at is null order by position, id",
            [event_id],
        )
        return [_model_from_row(Task, row) for row in rows]

    def open_tasks_until(self, until: date) -> list[tuple[Task, Event, date]]:
        """Open tasks of live events due on or before `until`, each with its event and due
        day, in due order (a relative one counted from its event's start or end)."""
        due = (
            "coalesce(t.due_date, date(case t.due_anchor when 'end' then e.end_date"
            " else e.start_date end, t.due_offset || ' days'))"
        )
        rows = self._rows(
            f"select t.id as task_id, e.id as event_id, {due} as due from tasks t"
            " join events e on e.id = t.event_id"
            " where t.deleted_at is null and e.deleted_at is null and t.done_on is null"
            f" and {due} is not null and {due} <= ? order by due, e.start_date, t.position, t.id",
            [until.isoformat()],
        )
        found: list[tuple[Task, Event, date]] = []
        events: dict[int, Event] = {}
        for row in rows:
            event = events.get(row["event_id"])
            if event is None:
                event = events[row["event_id"]] = self.get(Event, row["event_id"])
            task = self.get(Task, row["task_id"])
            found.append((task, event, date.fromisoformat(row["due"])))
        return found

    # -- sessions and invitations -----------------------------------------------------

    def sessions_for(self, event_id: int) -> list[Session]:
        """An event's agenda, day by day, in order, with speakers."""
        rows = self._rows(
            "select * from sessions where event_id = ? and deleted_at is null"
            " order by date, position, start_time, id",
            [event_id],
        )
        speakers = self._speakers_by_session([row["id"] for row in rows])
        return [
            replace(_model_from_row(Session, row), speakers=tuple(speakers.get(row["id"], ())))
            for row in rows
        ]

    def speakers_for(self, session_id: int) -> list[Speaker]:
        """The people on one session."""
        return self._speakers_by_session([session_id]).get(session_id, [])

    def _speakers_by_session(self, session_ids: Iterable[int]) -> dict[int, list[Speaker]]:
        ids = list(session_ids)
        if not ids:
            return {}
        marks = ", ".join("?" for _ in ids)
        rows = self._rows(
            "select s.session_id, s.role, p.id, p.name from session_speakers s"
            f" join people p on p.id = s.person_id where s.session_id in ({marks})"
            " and p.deleted_at is null order by s.position, p.name",
            ids,
        )
        result: dict[int, list[Speaker]] = {}
        for row in rows:
            result.setdefault(row["session_id"], []).append(
                Speaker(person_id=row["id"], name=row["name"], role=row["role"])
            )
        return result

    def set_speakers(self, session_id: int, speakers: Sequence[Speaker]) -> None:
        """Replace a session's speakers with `speakers`, in that order."""
        with self.transaction():
            self._write("delete from session_speakers where session_id = ?", [session_id])
            for position, speaker in enumerate(speakers):
                self._write(
                    "insert or replace into session_speakers"
                    " (session_id, person_id, role, position)"
                    " values (?, ?, ?, ?)",
                    [session_id, speaker.person_id, speaker.role, position],
                )

    def invitations_for(self, event_id: int) -> list[Invitation]:
        """An event's guest list."""
        rows = self._rows(
            "select i.* from invitations i join people p on p.id = i.person_id"
            " where i.event_id = ? and i.deleted_at is null and p.deleted_at is null"
            " order by p.name_key",
            [event_id],
        )
        return [_model_from_row(Invitation, row) for row in rows]

    def guest_lines(self, event_id: int) -> list[GuestLine]:
        """An event's guest list with each guest's name, email and organisation, one query."""
        rows = self._rows(
            "select i.*, p.name as person_name, p.email as person_email,"
            " o.name as organisation_name from invitations i"
            " join people p on p.id = i.person_id"
            " left join organisations o on o.id = p.organisation_id and o.deleted_at is null"
            " where i.event_id = ? and i.deleted_at is null and p.deleted_at is null"
            " order by p.name_key, p.id",
            [event_id],
        )
        return [
            GuestLine(
                invitation=_model_from_row(Invitation, row),
                name=row["person_name"],
                email=row["person_email"],
                organisation=row["organisation_name"],
            )
            for row in rows
        ]

    def mail_sequence(self, event_id: int) -> int:
        """The SEQUENCE last mailed for this event (0 before any update)."""
        rows = self._rows("select sequence from mail_sequences where event_id = ?", [event_id])
        return int(rows[0]["sequence"]) if rows else 0

    def next_mail_sequence(self, event_id: int) -> int:
        """Raise the event's SEQUENCE by one and return it (an update or a cancellation)."""
        with self.transaction():
            sequence = self.mail_sequence(event_id) + 1
            self._write(
                "insert into mail_sequences (event_id, sequence) values (?, ?)"
                " on conflict (event_id) do update set sequence = excluded.sequence",
                [event_id, sequence],
            )
        return sequence

    def invitation_for(
        self, event_id: int, person_id: int, *, include_deleted: bool = False
    ) -> Invitation | None:
        """The line of this person on this event's guest list, if any."""
        rows = self._rows(
            "select * from invitations where event_id = ? and person_id = ?", [event_id, person_id]
        )
        if not rows or (rows[0]["deleted_at"] and not include_deleted):
            return None
        return _model_from_row(Invitation, rows[0])

    def people_by_email(self) -> dict[str, int]:
        """Each e-mail address (lower case) with the first live person who has it: read once
        per imported file, so matching guests costs a lookup, not a query each."""
        rows = self._rows(
            "select lower(email) as email, min(id) as id from people"
            " where email is not null and deleted_at is null group by lower(email)"
        )
        return {row["email"]: row["id"] for row in rows}

    def people_matching(self, match: str | None, email: str | None, limit: int) -> list[Person]:
        """People whose name or details match an FTS query (best first), or by exact email."""
        found: dict[int, Person] = {}
        if email:
            for row in self._rows(
                "select * from people where lower(email) = lower(?) and deleted_at is null"
                " order by id limit ?",
                [email, limit],
            ):
                found[row["id"]] = _model_from_row(Person, row)
        if match:
            rows = self._rows(
                "select p.* from search_index s join people p on p.id = s.record_id"
                " where search_index match ? and s.kind = 'person' and p.deleted_at is null"
                " order by rank limit ?",
                [f"title : ({match})", limit],
            )
            for row in rows:
                found.setdefault(row["id"], _model_from_row(Person, row))
        return list(found.values())[:limit]

    def invitation_counts(self, event_ids: Sequence[int]) -> dict[int, dict[str, int]]:
        """Guest-list counts per status for each event id."""
        if not event_ids:
            return {}
        result: dict[int, dict[str, int]] = {}
        for chunk_start in range(0, len(event_ids), 500):
            chunk = list(event_ids[chunk_start : chunk_start + 500])
            marks = ", ".join("?" for _ in chunk)
            rows = self._rows(
                "select event_id, status, count(*) as n from invitations"
                f" where event_id in ({marks}) and deleted_at is null group by event_id, status",
                chunk,
            )
            for row in rows:
                result.setdefault(row["event_id"], {})[row["status"]] = row["n"]
        return result

    def events_for_person(self, person_id: int) -> list[tuple[Event, str]]:
        """Events a person was invited to or spoke at, with their part ("invited: accepted")."""
        rows = self._rows(
            "select e.*, 'guest: ' || i.status as part from invitations i"
            " join events e on e.id = i.event_id where i.person_id = :id"
            " and i.deleted_at is null and e.deleted_at is null"
            " union select e.*, s.role as part from session_speakers s"
            " join sessions x on x.id = s.session_id join events e on e.id = x.event_id"
            " where s.person_id = :id and x.deleted_at is null and e.deleted_at is null"
            " order by start_date desc",
            {"id": person_id},
        )
        return [(_model_from_row(Event, row), row["part"]) for row in rows]

    # -- health -----------------------------------------------------------------------

    def check(self) -> list[str]:
        """What is wrong with the database, one line per finding ([] when all is well):
        SQLite's integrity check, the schema version, links to rows that are gone, and
        file modes that let others read it."""
        findings: list[str] = []
        with self._lock:
            try:
                for (line,) in self._conn.execute("pragma integrity_check").fetchall():
                    if line != "ok":
                        findings.append(f"integrity: {line}")
                for table, rowid, parent, _ in self._conn.execute("pragma foreign_key_check"):
                    findings.append(
                        f"orphaned link: {table} row {rowid} points to a missing"
                        f" {_singular(parent)}"
                    )
            except sqlite3.DatabaseError as error:  # too damaged for the checks to finish
                findings.append(f"integrity: {DAMAGED} ({error})")
                return findings
        applied = self._applied()
        if tuple(applied) != MIGRATION_NAMES:
            findings.append(
                f"schema: {applied[-1] if applied else 'none'} applied,"
                f" {MIGRATION_NAMES[-1]} expected"
            )
        if self.path != ":memory:":
            database = Path(self.path)
            paths = [database, *(Path(f"{database}{s}") for s in ("-wal", "-shm"))]
            backups = database.parent / "backups"
            if backups.is_dir():
                paths += sorted(backups.glob("*.db"))
            for path in paths:
                if path.exists() and path.stat().st_mode & 0o077:
                    mode = oct(path.stat().st_mode & 0o777)[2:]
                    findings.append(
                        f"file mode: {path} is {mode}, readable by others (chmod 600 it)"
                    )
            for folder in (database.parent, backups):
                # A shared sticky folder (/tmp) is open by design; the file modes guard it.
                if (
                    folder.is_dir()
                    and folder.stat().st_mode & 0o077
                    and not (folder.stat().st_mode & 0o1000)
                ):
                    mode = oct(folder.stat().st_mode & 0o777)[2:]
                    findings.append(
                        f"file mode: folder {folder} is {mode}, open to others (chmod 700 it)"
                    )
        return findings

    # -- trash ------------------------------------------------------------------------

    def trashed(self, limit: int = 1000) -> list[dict[str, Any]]:
        """What is in the trash, latest first: kind, id, label, detail, deleted_at."""
        return self._rows(
            "select 'event' as kind, id, title as label, start_date as detail, deleted_at"
            " from events where deleted_at is not null"
            " union all select 'person', id, name, coalesce(email, role, ''), deleted_at"
            " from people where deleted_at is not null"
            " union all select 'organisation', id, name, coalesce(short_name, ''), deleted_at"
            " from organisations where deleted_at is not null"
            " union all select 'publication', id, title, coalesce(published, ''), deleted_at"
            " from publications where deleted_at is not null"
            " union all select 'session', s.id, s.title, 'agenda of ' || e.title, s.deleted_at"
            " from sessions s join events e on e.id = s.event_id where s.deleted_at is not null"
            " union all select 'invitation', i.id, p.name, 'guest of ' || e.title, i.deleted_at"
            " from invitations i join people p on p.id = i.person_id"
            " join events e on e.id = i.event_id where i.deleted_at is not null"
            " union all select 'task', t.id, t.title, 'checklist of ' || e.title, t.deleted_at"
            " from tasks t join events e on e.id = t.event_id where t.deleted_at is not null"
            " order by deleted_at desc, kind, id limit ?",
            [limit],
        )

    def purge_trash(self) -> int:
        """Delete for good every record in the trash (and what hangs off it); how many."""
        total = 0
        with self.transaction("Empty the trash"):
            for table in (
                "tasks",
                "invitations",
                "sessions",
                "events",
                "publications",
                "people",
                "organisations",
            ):
                total += self._write(f"delete from {table} where deleted_at is not null").rowcount
        return total

    # -- reading many events' parts at once (an export of any size, in batches) -------

    def live_event_ids(self) -> list[int]:
        """Every live event's id, in calendar order (ints only: cheap at any size)."""
        with self._lock:
            rows = self._conn.execute(
                "select id from events where deleted_at is null"
                " order by start_date, start_time, title"
            ).fetchall()
        return [row[0] for row in rows]

    def events_by_ids(self, ids: Sequence[int]) -> list[Event]:
        """The live events among `ids`, in the order of `ids`."""
        found: dict[int, Event] = {}
        for part in _parts(ids):
            marks = ", ".join("?" * len(part))
            for row in self._rows(
                f"select * from events where id in ({marks}) and deleted_at is null", part
            ):
                found[row["id"]] = _model_from_row(Event, row)
        return [found[i] for i in ids if i in found]

    def ics_parts(
        self, ids: Sequence[int], guests_of: Sequence[int]
    ) -> tuple[
        dict[int, Person], dict[int, list[tuple[Invitation, Person]]], dict[int, list[Task]]
    ]:
        """For the events `ids`, in a few queries: the first staff contact with an e-mail
        address of each, the guests with their people of those in `guests_of` (in name
        order), and the planning tasks of each (in checklist order)."""
        organizers: dict[int, Person] = {}
        guests: dict[int, list[tuple[Invitation, Person]]] = {}
        tasks: dict[int, list[Task]] = {}
        for part in _parts(ids):
            marks = ", ".join("?" * len(part))
            for row in self._rows(
                "select c.event_id as contact_event, p.* from event_contacts c"
                " join people p on p.id = c.person_id"
                f" where c.event_id in ({marks}) and p.deleted_at is null"
                " order by c.event_id, c.position, p.name",
                part,
            ):
                event_id = row.pop("contact_event")
                if event_id not in organizers and row["email"]:
                    organizers[event_id] = _model_from_row(Person, row)
            for row in self._rows(
                f"select * from tasks where event_id in ({marks}) and deleted_at is null"
                " order by event_id, position, id",
                part,
            ):
                tasks.setdefault(row["event_id"], []).append(
                    _model_from_row(Task, row)
                )
        for part in _parts(guests_of):
            marks = ", ".join("?" * len(part))
            invitations = [
                _model_from_row(Invitation, row)
                for row in self._rows(
                    "select i.* from invitations i join people p on p.id = i.person_id"
                    f" where i.event_id in ({marks}) and i.deleted_at is null"
                    " and p.deleted_at is null order by i.event_id, p.name_key",
                    part,
                )
            ]
            people: dict[int, Person] = {}
            person_ids = sorted({i.person_id for i in invitations})
            for people_part in _parts(person_ids):
                people_marks = ", ".join("?" * len(people_part))
                for row in self._rows(
                    f"select * from people where id in ({people_marks})", people_part
                ):
                    people[row["id"]] = _model_from_row(Person, row)
            for invitation in invitations:
                guests.setdefault(invitation.event_id, []).append(
                    (invitation, people[invitation.person_id])
                )
        return organizers, guests, tasks

    def event_keys_between(self, start: date, end: date) -> list[tuple[str, str, str, int]]:
        """(start date, start time or '', title, id) of the live, non-repeating events that
        touch [start, end], in calendar order: the ids without building the records."""
        with self._lock:
            rows = self._conn.execute(
                "select start_date, coalesce(start_time, ''), title, id from events"
                " where start_date <= ? and end_date >= ? and deleted_at is null"
                " and repeat is null order by start_date, start_time is not null,"
                " start_time, title",
                [end.isoformat(), start.isoformat()],
            ).fetchall()
        return [cast(tuple[str, str, str, int], tuple(row)) for row in rows]

    # -- large imports: many rows in one statement (issue 17's throughput) -------------

    def insert_records(
        self, records: Sequence[Record], lines: Sequence[int | None] = ()
    ) -> list[int]:
        """Add many new records of one kind at once (each gets a new uid and stamps);
        returns their ids, in order.

        Each record is checked as `insert` checks it (a refusal names `lines[i]`, the line
        of the file it came from); then `insert_rows` writes them all in one statement,
        one undo line for the lot. SQLite gives the new rows rising rowids, in order.
        """
        if not records:
            return []
        cls = type(records[0])
        table = TABLES[cls]
        stamps = ("id", "uid", "created_at", "updated_at")
        columns: list[str] = []
        values: list[list[Any]] = []
        for index, record in enumerate(records):
            if type(record) is not cls or type(record) is Session:
                raise ValueError("insert_records takes records of one kind (not sessions)")
            try:
                row = self._row_for(self._checked(record))
            except ConvenerError as error:
                line = lines[index] if index < len(lines) else None
                raise InvalidInput(error.message, line=line, value=error.value) from None
            if not columns:
                columns = [name for name in row if name not in stamps]
            values.append([row[name] for name in columns])
        with self.transaction():
            (highest,) = self._conn.execute(
                f"select coalesce(max(rowid), 0) from {table}"
            ).fetchone()
            self.insert_rows(table, columns, values)
            rows = self._conn.execute(
                f"select id from {table} where rowid > ? order by rowid", [int(highest)]
            ).fetchall()
        return [row[0] for row in rows]

    def people_by_keys(self, keys: Iterable[str]) -> dict[str, int]:
        """For each name key (folded name), the first live person who has it."""
        wanted = sorted(set(keys))
        found: dict[str, int] = {}
        for start in range(0, len(wanted), 500):
            part = wanted[start : start + 500]
            marks = ", ".join("?" * len(part))
            for row in self._rows(
                f"select name_key, min(id) as id from people where name_key in ({marks})"
                " and deleted_at is null group by name_key",
                part,
            ):
                found[row["name_key"]] = row["id"]
        return found

    def guest_list_by_person(self, event_id: int) -> dict[int, Invitation]:
        """An event's guest lines by person, those in the trash included."""
        rows = self._rows("select * from invitations where event_id = ?", [event_id])
        return {row["person_id"]: _model_from_row(Invitation, row) for row in rows}


def _parts(ids: Sequence[int], size: int = 500) -> Iterator[list[int]]:
    """`ids` in lists of at most `size` (SQLite's bound parameters are limited)."""
    for start in range(0, len(ids), size):
        yield list(ids[start : start + size])


def _summary(row: dict[str, Any]) -> PersonSummary:
    return PersonSummary(
        id=row["id"],
        name=row["name"],
        role=row["role"],
        program_area=row["program_area"],
        is_staff=bool(row["is_staff"]),
        organisation=row.get("organisation"),
    )


def _singular(table: str) -> str:
    return {"people": "person"}.get(table, table[:-1])
