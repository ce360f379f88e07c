"""The only code that touches SQLite, one module per concern behind one `Store`:

- connection: opening the file (0600, WAL, FULL, busy timeout), reading rows, backups
- history: the write transaction and the undo history
- migrating: the migration gate (names derived from tui/domain/migrations.py)
- identity: the database's own uid, kept by a move, new for a copy
- health: the check (integrity, schema, orphaned links, file modes)
- records: CRUD and row <-> model mapping
- queries: events by date, links, agendas, guest lists, checklists
- search: the full-text index
- trash: what is deleted, and emptying it
"""

from __future__ import annotations

from tui.domain.store.connection import (
    BUSY_TIMEOUT_MS,
    DAMAGED,
    MIGRATION_SET,
    PAGE_CACHE_KB,
    ROOMY_CACHE_MB,
    create_private_file,
    missing_folders,
    now_utc,
    private_folder,
)
from tui.domain.store.health import Health
from tui.domain.store.history import UNDO_DEPTH
from tui.domain.store.identity import Identity
from tui.domain.store.migrating import MIGRATION_NAMES
from tui.domain.store.queries import LINKS, Queries
from tui.domain.store.records import KINDS, TABLES, AnyRecord, Record
from tui.domain.store.search import Search
from tui.domain.store.trash import Trash

__all__ = [
    "BUSY_TIMEOUT_MS",
    "DAMAGED",
    "KINDS",
    "LINKS",
    "MIGRATION_NAMES",
    "MIGRATION_SET",
    "PAGE_CACHE_KB",
    "ROOMY_CACHE_MB",
    "TABLES",
    "UNDO_DEPTH",
    "AnyRecord",
    "Record",
    "Store",
    "create_private_file",
    "missing_folders",
    "now_utc",
    "private_folder",
]


class Store(Queries, Search, Trash, Health, Identity):
    """One SQLite connection, guarded by a lock so thread workers can share it."""
