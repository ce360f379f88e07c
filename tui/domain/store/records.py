"""Records: create, read, update, soft delete, and the mapping between rows and models."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, fields, replace
from datetime import date, datetime, time
from typing import Any, TypeVar, cast

from tui.domain.errors import ConvenerError, InvalidInput, NotFound, StorageError
from tui.domain.kinds import KINDS as KINDS_REGISTRY
from tui.domain.kinds import singular
from tui.domain.models import (
    Event,
    Invitation,
    Organisation,
    Person,
    Publication,
    Session,
    Speaker,
    Task,
)
from tui.domain.recurrence import series_end
from tui.domain.store.connection import now_utc
from tui.domain.store.history import History, refused
from tui.domain.text import fold
from tui.domain.validate import checked

Record = TypeVar("Record", Event, Person, Organisation, Publication, Session, Invitation, Task)
AnyRecord = Event | Person | Organisation | Publication | Session | Invitation | Task
"""Any one record (where the kind is not known until run time)."""

TABLES: dict[type[Any], str] = {kind.cls: kind.table for kind in KINDS_REGISTRY}
"""Each record class's table (from tui.domain.kinds)."""
KINDS: dict[str, type[Any]] = {kind.name: kind.cls for kind in KINDS_REGISTRY}
"""Each kind's record class by name (from tui.domain.kinds)."""
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
_DATETIME_FIELDS = {"responded_at"}
_BOOL_FIELDS = {"is_staff", "is_sample", "link_only"}
_SHARED_FIELDS = {"kind", "status", "access", "program_area", "timezone", "location"}
"""Text columns with few distinct values: each value is kept once when rows become records,
not once per record (a third of an event's text; the calendar keeps two windows of 1,500
events at 100k). Not sys.intern: Python 3.12 keeps interned strings for good, and a place
is free text."""
_SHARED_TEXT: dict[str, str] = {}
SHARED_TEXT_LIMIT = 4096
"""Distinct values kept for sharing; beyond it the table starts again (a place per event)."""
# Columns kept only for lookups; derived from the record on every write.
_KEY_COLUMNS = {kind.table: kind.key_column for kind in KINDS_REGISTRY if kind.key_column}


# A random (version 4) UUID made by SQLite for each row of a batch: the same shape as
# str(uuid.uuid4()), without a Python call per row (a 100,000-row import makes 200,000).
_NEW_UID = (
    "lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4'"
    " || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (random() & 3), 1)"
    " || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))"
)


def _to_column(name: str, value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, (date, time)):
        return value.isoformat(timespec="minutes") if isinstance(value, time) else value.isoformat()
    if name in _BOOL_FIELDS:
        return int(bool(value))
    return value


def _from_column(name: str, value: Any) -> Any:
    if value is None:
        return None
    if name in _DATETIME_FIELDS:
        return datetime.fromisoformat(value)
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


@dataclass(frozen=True)
class _RowPlan:
    """How rows become records of one class, decided once per class (one lookup a row)."""

    names: tuple[str, ...]
    """The stored fields, in field order."""
    columns: frozenset[str]
    """The same, to check a row holds them all."""
    readers: tuple[tuple[str, Callable[[Any], Any]], ...]
    """The fields _from_column does not take as stored (dates, times, flags), each with
    what reads its column."""
    shared: tuple[str, ...]
    """The fields of _SHARED_FIELDS."""
    plain: bool
    """Every field is stored and set by __init__, which does nothing else: a row holding
    them all can become the record without it."""


_PLANS: dict[type[Any], _RowPlan] = {}


def _plan(cls: type[Any]) -> _RowPlan:
    plan = _PLANS.get(cls)
    if plan is None:
        names = _field_names(cls)
        readers: list[tuple[str, Callable[[Any], Any]]] = []
        for name in names:
            if name in _DATETIME_FIELDS:
                readers.append((name, datetime.fromisoformat))
            elif name in _DATE_FIELDS:
                readers.append((name, date.fromisoformat))
            elif name in _TIME_FIELDS:
                readers.append((name, time.fromisoformat))
            elif name in _BOOL_FIELDS:
                readers.append((name, bool))
        every = fields(cls)
        plan = _PLANS[cls] = _RowPlan(
            names=names,
            columns=frozenset(names),
            readers=tuple(readers),
            shared=tuple(n for n in names if n in _SHARED_FIELDS),
            plain=len(names) == len(every)
            and not hasattr(cls, "__post_init__")
            and all(f.init for f in every),
        )
    return plan


def _model_from_row(cls: type[Record], row: dict[str, Any]) -> Record:
    # What _from_column gives for every field, visiting only the dates, times and flags; and
    # a row holding every field becomes the record without the generated __init__ (one
    # object.__setattr__ per field of a frozen dataclass). An agenda of a year at 100,000
    # events reads 10,000 rows of 27 columns: ~3.5 µs a row less (issue 24).
    # The fields go into the record's own dict one by one, in the order of its fields (the
    # order __init__ sets them): the dict then shares its keys with every record of the
    # class, 290 bytes an event instead of 900 (a dict.update made a dict of its own, 1.8 MB
    # of the calendar's two windows at 100k events).
    plan = _plan(cls)
    if not plan.plain or not row.keys() >= plan.columns:
        # A field left to its default (a session's speakers), or a row without a column.
        values = {name: row[name] for name in plan.names if name in row}
        for name, read in plan.readers:
            value = values.get(name)
            if value is not None:
                values[name] = read(value)
        return cls(**values)
    record = object.__new__(cls)
    stored = record.__dict__
    for name in plan.names:
        stored[name] = row[name]
    for name, read in plan.readers:
        value = stored[name]
        if value is not None:
            stored[name] = read(value)
    shared = _SHARED_TEXT
    for name in plan.shared:
        value = stored[name]
        if type(value) is str:
            stored[name] = shared.setdefault(value, value)
    if len(shared) > SHARED_TEXT_LIMIT:
        shared.clear()
    return record


class Records(History):
    """CRUD over the record tables; a session's speakers live in their own table."""

    def _records(
        self, cls: type[Record], sql: str, params: Sequence[Any] | dict[str, Any] = ()
    ) -> list[Record]:
        """The rows of `sql` as records of `cls`, each row's dict made only while its record
        is (all rows as dicts at once were 2 MB more at the peak of a calendar window's read
        at 100k events)."""
        names, rows = self._tuples(sql, params)
        return [_model_from_row(cls, dict(zip(names, row, strict=True))) for row in rows]

    def insert(self, record: Record) -> Record:
        """Add a new record; a uid is made unless it has one. Returns it as stored."""
        table = TABLES[type(record)]
        stamp = now_utc()
        record = self._checked(record)
        row: dict[str, Any] = self._row_for(record)
        row.pop("id", None)
        if not row.get("uid"):
            import uuid  # here: a command that only reads never pays for it

            row["uid"] = str(uuid.uuid4())
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

        Each row gets stamps, and a new uid unless `columns` has one (a row whose uid is
        None or empty gets a new one too, as `insert` gives it). Undo stays exact and
        costs one line, not one per row: see `_insert_set_aside`.
        """
        if not values:
            return
        if table not in TABLES.values():
            raise ValueError(f"not a record table: {table}")
        stamp = now_utc()
        if "uid" in columns:
            names = ["created_at", "updated_at", *columns]
            # As `insert`: a uid that is None or empty gets a new one.
            made = f"coalesce(nullif(?, ''), {_NEW_UID})"
            marks = ", ".join(made if n == "uid" else "?" for n in names)
        else:
            names = ["uid", "created_at", "updated_at", *columns]
            marks = ", ".join([_NEW_UID, *("?" * (len(names) - 1))])
        sql = f"insert into {table} ({', '.join(names)}) values ({marks})"
        self._insert_set_aside(table, sql, ([stamp, stamp, *row] for row in values))

    def _insert_set_aside(self, table: str, sql: str, rows: Iterable[Sequence[Any]]) -> int:
        """Run one insert statement over many rows of a journaled table; how many it added.

        The table's per-row undo trigger is set aside for this one statement (inside the
        transaction, so a crash restores it) and replaced by one statement deleting the
        rowids above the highest there was before; SQLite gives new rows higher rowids.
        Its search-index and sync-outbox triggers are set aside the same way and their work
        done once for the lot (migrations.bulk_insert_followups).
        """
        undo = f"{table}_undo_insert"
        # Here, not at the top: migrations imports sqlite_utils, which opening an
        # up-to-date database does without (test_store.py).
        from tui.domain.migrations import bulk_insert_followups

        with self.transaction():
            (highest,) = self._conn.execute(
                f"select coalesce(max(rowid), 0) from {table}"
            ).fetchone()
            followups = dict(bulk_insert_followups(table, int(highest)))
            aside: list[tuple[str, str]] = []
            for trigger in (undo, *followups):
                (created,) = self._conn.execute(
                    "select sql from sqlite_master where type = 'trigger' and name = ?", [trigger]
                ).fetchone() or (None,)
                if created is not None:
                    aside.append((trigger, created))
                    self._conn.execute(f"drop trigger {trigger}")
            try:
                added = self._conn.executemany(sql, rows).rowcount
            except sqlite3.IntegrityError as error:
                raise InvalidInput(f"not saved: {refused(error)}") from None
            finally:
                for _, created in aside:
                    self._conn.execute(created)
            set_aside = {name for name, _ in aside}
            for trigger, statements in followups.items():
                if trigger in set_aside:
                    for statement in statements:
                        self._conn.execute(statement)
            if undo in set_aside:
                self._conn.execute(
                    "insert into undo_log (statement) values (?)",
                    [f"delete from {table} where rowid > {int(highest)}"],
                )
        return int(added)

    def insert_records(
        self,
        records: Sequence[Record],
        lines: Sequence[int | None] = (),
        *,
        prechecked: bool = False,
    ) -> list[int]:
        """Add many new records of one kind at once (each gets stamps, and a new uid unless
        it has one); returns their ids, in order.

        Each record is checked as `insert` checks it (a refusal names `lines[i]`, the line
        of the file it came from), unless `prechecked` says `checked_record` already did;
        then `insert_rows` writes them all in one statement, one undo line for the lot.
        SQLite gives the new rows rising rowids, in order.
        """
        if not records:
            return []
        cls = type(records[0])
        table = TABLES[cls]
        stamps = ("id", "created_at", "updated_at")
        columns: list[str] = []
        values: list[list[Any]] = []
        for index, record in enumerate(records):
            if type(record) is not cls or type(record) is Session:
                raise ValueError("insert_records takes records of one kind (not sessions)")
            try:
                row = self._row_for(record if prechecked else self._checked(record))
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

    def checked_record(self, record: Record) -> Record:
        """A new record as `insert` would store it, checked (InvalidInput as `insert` raises
        it) but not written: for `insert_records(..., prechecked=True)`."""
        return self._checked(record)

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
            row["series_end"] = series_end(record.repeat, record.start_date, record.end_date)
        return row

    def get(self, cls: type[Record], record_id: int, *, include_deleted: bool = False) -> Record:
        """One record by id; NotFound when missing or in the trash."""
        table = TABLES[cls]
        rows = self._rows(f"select * from {table} where id = ?", [record_id])
        if not rows or (rows[0]["deleted_at"] and not include_deleted):
            raise NotFound(f"no {singular(table)} with id {record_id}", value=str(record_id))
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
        return self._records(
            cls,
            f"select * from {table} where {column} = ? and deleted_at is null order by id",
            [fold(text)],
        )

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
        return self._records(cls, _listing_sql(cls, "*", order_by, limit, offset, where), params)

    def listing_ids(
        self,
        cls: type[Record],
        *,
        order_by: str,
        limit: int | None = None,
        where: str = "",
        params: Sequence[Any] = (),
    ) -> list[int]:
        """The ids of `listing`'s records, without making the records (a filter typed
        over thousands of people asks only which they are)."""
        rows = self._rows(_listing_sql(cls, "id", order_by, limit, 0, where), params)
        return [int(row["id"]) for row in rows]

    def position_in_listing(
        self, cls: type[Record], *, order_by: str, record_id: int
    ) -> int | None:
        """Where a live record stands in `listing`'s order (0 first); None when it is
        not there (deleted). One pass over the table's index order, off the UI thread."""
        table = TABLES[cls]
        rows = self._rows(
            f"select position from (select id, row_number() over (order by {order_by}) - 1"
            f" as position from {table} where deleted_at is null) where id = ?",
            [record_id],
        )
        return int(rows[0]["position"]) if rows else None

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


def _listing_sql(
    cls: type[Record], columns: str, order_by: str, limit: int | None, offset: int, where: str
) -> str:
    """The query of a window of live records of `cls` (see Records.listing)."""
    clause = f" and ({where})" if where else ""
    paging = f" limit {int(limit)} offset {int(offset)}" if limit is not None else ""
    return (
        f"select {columns} from {TABLES[cls]} where deleted_at is null{clause}"
        f" order by {order_by}{paging}"
    )
