"""The migration gate: which schema versions this Convener knows, and upgrading a file."""

from __future__ import annotations

import re
from pathlib import Path

from tui.domain.errors import StorageError
from tui.domain.store.connection import MIGRATION_SET
from tui.domain.store.history import History

__all__ = ["MIGRATION_NAMES", "MIGRATION_SET", "Migrating"]


def _known_names() -> tuple[str, ...]:
    """The migrations in tui/domain/migrations.py, oldest first, read from its source: opening
    an up-to-date database then needs neither the migrations nor sqlite-utils."""
    source = (Path(__file__).resolve().parent.parent / "migrations.py").read_text("utf-8")
    return tuple(re.findall(r"^@migrations\(\)\ndef (m\d+_\w+)\(", source, re.MULTILINE))


MIGRATION_NAMES = _known_names()
"""The schema versions this Convener knows, oldest first (a test checks it against
migrations.known_names())."""


class Migrating(History):
    """Opening a file applies the migrations it lacks (after a backup) and refuses a newer one."""

    _created = False
    """True when this opening made the database (every migration applied to an empty file)."""

    def _prepare(self) -> None:
        self._migrate()

    def _migrate(self) -> None:
        known = list(MIGRATION_NAMES)
        applied = self._applied()
        unknown = [name for name in applied if name not in known]
        if unknown and self._inspecting:
            self.newer_schema = unknown[-1]  # `check` says so; nothing is migrated or written
            return
        if unknown:
            raise StorageError(
                f"this database was written by a newer Convener (schema {unknown[-1]}); "
                "upgrade Convener to open it",
                file=self.path,
            )
        if applied != known:
            self._created = not applied
            # Only here is sqlite-utils (and the migrations) imported: opening a database
            # that is up to date, the common case, does not pay for it.
            from sqlite_utils import Database

            from tui.domain import migrations

            database = Database(self._conn, execute_plugins=False)
            if applied and self.path != ":memory:":
                if self._upgrading is not None:
                    self._upgrading(known[-1])
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
