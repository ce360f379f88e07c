"""The write transaction and the undo history: each outermost transaction is one step,
replayed backwards by `undo`."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from tui.domain.errors import InvalidInput, StorageError
from tui.domain.store.connection import Connection, _plainly, now_utc

UNDO_DEPTH = 200
"""How many steps of history are kept."""


class History(Connection):
    """Transactions (IMMEDIATE, nested as savepoints) and the undo journal."""

    after_commit: Callable[[], None] | None = None
    """Called after each outermost transaction is committed, on the thread that wrote
    (the app posts itself a message: what the header counts may have changed)."""

    @contextmanager
    def transaction(
        self, label: str | None = None, *, single: bool = False, joining: int | None = None
    ) -> Iterator[None]:
        """One write transaction, begun IMMEDIATE; nested calls become savepoints.

        `single` says the block writes one statement, atomic by itself: nested, it needs
        no savepoint (a bulk import saves two round trips per row).

        `joining` (outermost only): the id of an undo step (`step_made_here`) these changes
        become part of, its label extended with `label`, when it is still the newest step;
        otherwise (another change came between) they are a step of their own.

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
                written, dropped = self._conn.total_changes, self._rolled_back
                try:
                    yield
                except BaseException:
                    # Some errors (a full disk, an interrupt) end the whole transaction,
                    # savepoints included: then there is nothing to roll back to, and trying
                    # would hide the error behind "no such savepoint" (sqlite-utils' guard).
                    if self._conn.in_transaction:
                        self._conn.execute(f"rollback to savepoint {name}")
                        self._conn.execute(f"release savepoint {name}")
                        self._count_rolled_back(written, dropped)
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
            self._step_joining = joining
            thread = threading.get_ident()
            self._steps_made[thread] = None
            written, dropped = self._conn.total_changes, self._rolled_back
            try:
                mark = self._last_seq()
                yield
                self._steps_made[thread] = self._close_step(mark)
            except sqlite3.DatabaseError as error:
                # A read-only file, a full disk, a lock held too long: nothing of this step
                # is kept, everything saved before is, and the officer reads why in a line.
                if self._conn.in_transaction:
                    self._conn.execute("rollback")
                self._count_rolled_back(written, dropped)
                raise StorageError(f"not saved: {_plainly(error)}", file=self.path) from None
            except BaseException:
                if self._conn.in_transaction:
                    self._conn.execute("rollback")
                self._count_rolled_back(written, dropped)
                raise
            finally:
                self._step_label = None
                self._step_joining = None
            try:
                self._conn.execute("commit")
            except sqlite3.DatabaseError as error:
                if self._conn.in_transaction:
                    self._conn.execute("rollback")
                self._count_rolled_back(written, dropped)
                raise StorageError(f"not saved: {_plainly(error)}", file=self.path) from None
            if self.after_commit is not None:
                self.after_commit()

    def _count_rolled_back(self, written: int, dropped: int) -> None:
        """Count the rows written since total_changes was `written` (and the rolled-back
        count `dropped`) as rolled back, less those a savepoint inside already counted."""
        self._rolled_back += (self._conn.total_changes - written) - (self._rolled_back - dropped)

    def _last_seq(self) -> int:
        if not self._journaled:
            return 0
        row = self._conn.execute("select max(seq) from undo_log").fetchone()
        return int(row[0] or 0)

    def _close_step(self, mark: int) -> int | None:
        """Name the journal entries written since `mark` as one step (or add them to the
        step being joined, when it is still the newest); keep the last few. Returns the
        step's id, None when nothing was journaled."""
        if not self._journaled or self._last_seq() <= mark:
            return None
        newest = self._conn.execute(
            "select id, label from undo_steps order by id desc limit 1"
        ).fetchone()
        if newest is not None and self._step_joining == newest[0]:
            # The entries since `mark` come after the step's first one: an undo of the step
            # replays them too. Only its name says more.
            if self._step_label:
                self._conn.execute(
                    "update undo_steps set label = ? where id = ?",
                    [f"{newest[1]}; {self._step_label}", newest[0]],
                )
            return int(newest[0])
        step = self._conn.execute(
            "insert into undo_steps (first_seq, label, at) values (?, ?, ?)",
            [mark + 1, self._step_label or "Change", now_utc()],
        ).lastrowid
        oldest = self._conn.execute(
            "select first_seq from undo_steps order by id desc limit 1 offset ?", [UNDO_DEPTH]
        ).fetchone()
        if oldest is not None:
            self._conn.execute("delete from undo_steps where first_seq <= ?", [oldest[0]])
            self._conn.execute("delete from undo_log where seq < ?", [oldest[0] + 1])
        return step

    def step_made_here(self) -> int | None:
        """The undo step this thread's latest write transaction made, to be joined by a
        change that belongs with it (`transaction(joining=...)`); None when it made none."""
        return self._steps_made.get(threading.get_ident())

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

    def restore_on_undo(self, table: str, column: str, value: str) -> None:
        """Let the undo of the step being written put back the rows of `table` whose
        `column` is `value` as they are now (and drop any added since): for the sync's
        tables, which the undo triggers do not journal, when a step must take them along
        (settling a conflict). Call it inside the step, before the step changes them."""
        if not self._journaled:
            return
        with self._lock:
            if not self._conn.in_transaction:
                raise RuntimeError("restore_on_undo belongs inside a transaction")
            columns = [row[1] for row in self._conn.execute(f"pragma table_info({table})")]
            values = " || ', ' || ".join(f"quote({c})" for c in columns)
            log = "insert into undo_log (statement) values"
            # The undo replays its statements newest first: the rows are journaled before
            # the delete, so that the undo clears the table's rows first, then puts these
            # back, after whatever its record rows' triggers queued.
            self._conn.execute(
                f"insert into undo_log (statement) select 'insert or replace into {table}"
                f" ({', '.join(columns)}) values (' || {values} || ')'"
                f" from {table} where {column} = ?",
                [value],
            )
            self._conn.execute(
                f"{log} ('delete from {table} where {column} = ' || quote(?))", [value]
            )

    def _write(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Cursor:
        with self._lock:
            if self._conn.in_transaction:
                # One statement is atomic by itself: no savepoint of its own is needed.
                try:
                    return self._conn.execute(sql, params)
                except sqlite3.IntegrityError as error:
                    raise InvalidInput(f"not saved: {refused(error)}") from None
        with self.transaction():
            try:
                return self._conn.execute(sql, params)
            except sqlite3.IntegrityError as error:
                raise InvalidInput(f"not saved: {refused(error)}") from None


_SINGULAR = {
    "people": "person", "organisations": "organisation", "publications": "publication",
    "events": "event", "sessions": "session", "invitations": "guest", "tasks": "task",
}  # fmt: skip


def refused(error: sqlite3.IntegrityError) -> str:
    """What SQLite refused, in words ("another session has the uid ..."), not its own."""
    text = str(error)
    kind, _, where = text.partition(" constraint failed: ")
    table, _, column = where.split(",")[0].strip().partition(".")
    record = _SINGULAR.get(table, table or "record")
    if kind == "UNIQUE" and column:
        return f"another {record} already has this {column}"
    if kind == "NOT NULL" and column:
        article = "an" if record[:1] in "aeiou" else "a"
        return f"{article} {record} needs a {column.replace('_', ' ')}"
    if text.startswith("FOREIGN KEY"):
        return "it refers to a record that is not in the database"
    if kind == "CHECK":
        return f"a value is out of range ({where or 'check'})"
    return text
