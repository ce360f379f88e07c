"""The health check: SQLite's integrity, the schema version, orphaned links, file modes."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tui.domain.kinds import singular
from tui.domain.store import migrating
from tui.domain.store.connection import DAMAGED, Connection


class Health(Connection):
    """`check`: what is wrong with the database file, one line per finding."""

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
                        f"orphaned link: {table} row {rowid} points to a missing {singular(parent)}"
                    )
            except sqlite3.DatabaseError as error:  # too damaged for the checks to finish
                findings.append(f"integrity: {DAMAGED} ({error})")
                return findings
        applied = self._applied()
        if self.newer_schema is not None:
            findings.append(
                f"schema: this database was written by a newer Convener (schema"
                f" {self.newer_schema}, this one knows up to {migrating.MIGRATION_NAMES[-1]});"
                " upgrade Convener to open it"
            )
        elif tuple(applied) != migrating.MIGRATION_NAMES:
            findings.append(
                f"schema: {applied[-1] if applied else 'none'} applied,"
                f" {migrating.MIGRATION_NAMES[-1]} expected"
            )
        if self.path != ":memory:":
            # Resolved: with `--db x.db` the folder would otherwise be named '.'.
            database = Path(self.path).resolve()
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
