"""The database's own identity: a uid its queued messages carry (X-Convener-Database), so that
two databases in one folder, which share outbox/, each send, count and withdraw only their
own. A database moved or renamed keeps it (its queued messages stay its own); a copy gets
one of its own.

The rule: the identity records the path of the file it belongs to (m0017). Opened at that
path, nothing changes. Opened elsewhere, the file was copied or moved:

- the recorded path still holds a database with the same uid (the original): a copy, which
  gets a new uid;
- it holds nothing, or another database (or this very file, by another name: a link): a
  move, which keeps the uid.

Either way the new path is recorded, in one IMMEDIATE transaction that reads the identity
again first (two processes opening the same copy issue one uid, not two). A database from
before the path was recorded records its path when first opened; if a database beside it
in the same folder already holds the same uid at its own recorded path, it is a copy of
that one (two copies made before this rule: the first opened keeps the uid). A backup
restored in place of its database keeps the identity; one opened where it lies, beside
the original, becomes a copy. Settled when the file is opened (not in `check`, which
writes nothing); a file that cannot be written keeps its uid as it is.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from tui.domain.errors import StorageError
from tui.domain.store.connection import peek
from tui.domain.store.migrating import Migrating

OTHER_TIMEOUT_S = 2
"""How long reading another database's identity may wait for its writer."""


class Identity(Migrating):
    """The database's uid, settled on opening (see the module's docstring)."""

    _database_uid: str | None = None

    def _prepare(self) -> None:
        super()._prepare()
        if self.path != ":memory:" and not self._inspecting:
            self._settle_identity()

    def database_uid(self) -> str:
        """The uid of this database (see the module's docstring): what its queued messages
        are stamped with."""
        if self._database_uid is None:
            rows = self._rows("select uid from database_identity where one = 1")
            self._database_uid = str(rows[0]["uid"])
        return self._database_uid

    def _settle_identity(self) -> None:
        here = Path(self.path).resolve()
        row = self._conn.execute("select uid, path from database_identity where one = 1").fetchone()
        if row is None or row[1] == str(here):
            if row is not None:
                self._database_uid = str(row[0])  # the common case: one read, nothing written
            return
        try:
            with self.transaction():
                uid, recorded = self._conn.execute(
                    "select uid, path from database_identity where one = 1"
                ).fetchone()
                if recorded == str(here):
                    return  # another process settled it meanwhile
                if recorded is not None and _same_file(Path(recorded), here):
                    return  # a link to this very file: as recorded
                # A database made by this opening has a uid of its own already: nothing
                # to look for (a demo, a new file: no folder listed, no other file read).
                made = recorded is None and self._created
                if not made and _copy_of(uid, Path(recorded) if recorded else None, here):
                    uid = str(uuid.uuid4())
                self._conn.execute(
                    "update database_identity set uid = ?, path = ? where one = 1",
                    [uid, str(here)],
                )
        except StorageError:
            return  # read-only here: the uid stays as it is
        self._database_uid = None


def _copy_of(uid: str, recorded: Path | None, here: Path) -> bool:
    """Whether the file at `here`, whose identity says `uid` recorded at `recorded`, is a
    copy of another database (see the module's docstring)."""
    if recorded is not None:
        return _identity_at(recorded) == (uid, str(recorded))
    for other in sorted(here.parent.glob("*.db")):
        if other != here and _identity_at(other) == (uid, str(other.resolve())):
            return True
    return False


def _identity_at(path: Path) -> tuple[str, str | None] | None:
    """(uid, recorded path) of the database at `path`; None when there is none there (or
    it cannot be read, or is of before the identity)."""
    rows = peek(path, "select uid, path from database_identity where one = 1", OTHER_TIMEOUT_S)
    if rows is None:  # of before m0017 (no path yet), or no database
        rows = peek(path, "select uid, null from database_identity where one = 1", OTHER_TIMEOUT_S)
    return (str(rows[0][0]), rows[0][1]) if rows else None


def _same_file(one: Path, other: Path) -> bool:
    try:
        return one.samefile(other)
    except OSError:
        return False
