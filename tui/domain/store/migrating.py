"""The migration gate: which schema versions this Convener knows, and upgrading a file."""

from __future__ import annotations

from pathlib import Path

from tui.domain.errors import StorageError
from tui.domain.store.connection import MIGRATION_SET
from tui.domain.store.history import History

__all__ = ["MIGRATION_NAMES", "MIGRATION_SET", "Migrating"]


MIGRATION_NAMES = (
    "m0001_initial",
    "m0002_search",
    "m0003_history",
    "m0004_search_rowids",
    "m0005_mail_sequences",
    "m0006_occurrence_uids",
    "m0007_tasks",
    "m0008_sync",
    "m0009_task_watch",
    "m0010_series_end",
    "m0011_search_one_letter",
    "m0012_reply_times",
    "m0013_day_spans",
    "m0014_search_fields_apart",
    "m0015_guest_counts",
    "m0016_database_identity",
    "m0017_identity_path",
    "m0018_search_longer_prefixes",
)
"""The schema versions this Convener knows, oldest first: a new migration in
tui/domain/migrations.py adds its name here (tests/domain/test_store.py checks the two
agree). Written out, so that opening an up-to-date database needs neither the migrations
nor sqlite-utils, nor a read of the migrations' source (0.4 ms of every start, issue 24)."""


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
            # A bulk write (an upgrade rewrites tables and indexes): the imports' cache.
            with self.roomy(), self.transaction():
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
