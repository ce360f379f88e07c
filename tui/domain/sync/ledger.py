"""The sync's own tables (migration m0008_sync): shadows, outbox, tokens, conflicts."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from tui.domain.store import Store, now_utc


@dataclass(frozen=True)
class Shadow:
    """What the server had of one record when we last agreed."""

    uid: str
    kind: str
    collection: str
    href: str
    etag: str | None
    base: str


@dataclass(frozen=True)
class Queued:
    """One record changed here since the last sync."""

    seq: int
    uid: str
    kind: str


@dataclass(frozen=True)
class Conflict:
    """One field both sides changed: the local value is kept until the officer decides."""

    uid: str
    kind: str
    field: str
    local: Any
    remote: Any
    at: str


class Ledger:
    """Reads and writes the sync tables of one database."""

    def __init__(self, store: Store) -> None:
        self.store = store

    @contextmanager
    def applying(self, label: str = "Sync with the team") -> Iterator[None]:
        """One transaction whose record writes do not queue themselves for the server."""
        with self.store.transaction(label):
            self.store._write("insert or ignore into sync_applying (one) values (1)")
            try:
                yield
            finally:
                self.store._write("delete from sync_applying")

    def shadow(self, uid: str) -> Shadow | None:
        """The shadow of a record, if it was ever synced."""
        rows = self.store._rows("select * from sync_shadow where uid = ?", [uid])
        return Shadow(**rows[0]) if rows else None

    def shadows(self, collection: str) -> dict[str, Shadow]:
        """Every shadow of a collection, by href."""
        rows = self.store._rows("select * from sync_shadow where collection = ?", [collection])
        return {row["href"]: Shadow(**row) for row in rows}

    def set_shadow(self, shadow: Shadow) -> None:
        """Record what the server now has of a record."""
        self.store._write(
            "insert or replace into sync_shadow (uid, kind, collection, href, etag, base)"
            " values (?, ?, ?, ?, ?, ?)",
            [shadow.uid, shadow.kind, shadow.collection, shadow.href, shadow.etag, shadow.base],
        )

    def drop_shadow(self, uid: str) -> None:
        """Forget a record's shadow (it is gone from the server)."""
        self.store._write("delete from sync_shadow where uid = ?", [uid])

    def outbox(self) -> list[Queued]:
        """Records changed here since the last sync, oldest first."""
        rows = self.store._rows("select seq, uid, kind from sync_outbox order by seq")
        return [Queued(**row) for row in rows]

    def is_queued(self, uid: str) -> bool:
        """Was this record changed here since the last sync?"""
        return bool(self.store._rows("select 1 from sync_outbox where uid = ?", [uid]))

    def done(self, item: Queued) -> None:
        """Take a record off the outbox unless it changed again since it was read."""
        self.store._write("delete from sync_outbox where seq = ?", [item.seq])

    def queue(self, uid: str, kind: str) -> None:
        """Put a record on the outbox (a change the pull itself made, which the triggers
        leave alone while it applies)."""
        self.store._write(
            "insert or replace into sync_outbox (uid, kind) values (?, ?)", [uid, kind]
        )

    def unqueue(self, uid: str) -> None:
        """Take a record off the outbox whatever its state."""
        self.store._write("delete from sync_outbox where uid = ?", [uid])

    def waiting(self) -> int:
        """How many records wait to go to the server."""
        return int(self.store._rows("select count(*) as n from sync_outbox")[0]["n"])

    def queue_unpublished(self, tables: dict[str, str]) -> None:
        """Queue every live record the server has never seen (the first sync of a database
        whose records were made before sharing began)."""
        for table, kind in tables.items():
            self.store._write(
                f"insert or ignore into sync_outbox (uid, kind) select uid, '{kind}'"
                f" from {table} where deleted_at is null"
                " and uid not in (select uid from sync_shadow)"
            )

    SERVER_STATE = ("sync_tokens", "sync_shadow", "sync_meta", "sync_outbox")
    """What this database knows of a home (tokens, what it holds, the first publish) and
    what waits for it: copied aside before a run that starts over with a new home."""

    def stash_server_state(self) -> None:
        """Copy the sync state aside (temporary tables of this connection) before a run
        that starts over with a new home: a run that fails puts it back (see
        restore_server_state)."""
        with self.store.transaction():
            for table in self.SERVER_STATE:
                self.store._write(f"drop table if exists temp.stash_{table}")
                self.store._write(f"create temp table stash_{table} as select * from main.{table}")

    def restore_server_state(self, kept: Sequence[tuple[str, str]] = ()) -> None:
        """Put back the state stash_server_state copied, then drop the copy."""
        with self.store.transaction():
            for table in ("sync_tokens", "sync_shadow", "sync_meta"):
                self.store._write(f"delete from main.{table}")
                self.store._write(f"insert into main.{table} select * from temp.stash_{table}")
            # What waited before the run waits again, and so does what was queued while
            # it ran (`kept`: an edit saved while it was on the network); what its first
            # publish queued does not. Conflicts are left as they are: one settled
            # meanwhile stays settled.
            self.store._write("delete from main.sync_outbox")
            self.store._write(
                "insert into main.sync_outbox select * from temp.stash_sync_outbox order by seq"
            )
            for uid, kind in kept:
                self.store._write(
                    "insert or ignore into sync_outbox (uid, kind) values (?, ?)", [uid, kind]
                )
        self.drop_stash()

    def last_queued(self) -> int:
        """The queue's highest sequence number so far (0 when nothing was ever queued)."""
        rows = self.store._rows("select coalesce(max(seq), 0) as seq from sync_outbox")
        return int(rows[0]["seq"])

    def queued_since(self, after: int, skip: tuple[int, int]) -> list[tuple[str, str]]:
        """(uid, kind) queued after sequence `after`, but for those numbered within `skip`
        (from, to]."""
        rows = self.store._rows(
            "select uid, kind from sync_outbox where seq > ? and not (seq > ? and seq <= ?)"
            " order by seq",
            [after, *skip],
        )
        return [(str(row["uid"]), str(row["kind"])) for row in rows]

    def drop_stash(self) -> None:
        """Forget the copy stash_server_state made."""
        with self.store.transaction():
            for table in self.SERVER_STATE:
                self.store._write(f"drop table if exists temp.stash_{table}")

    def forget_server(self) -> None:
        """Drop what is known of a server (tokens, shadows, the first publish), keeping
        the queue and the conflicts: the next pull and push are a first sync's."""
        self.store._write("delete from sync_tokens")
        self.store._write("delete from sync_shadow")
        self.store._write("delete from sync_meta where key = 'published'")

    def token(self, collection: str) -> str | None:
        """The sync token of a collection's last complete pull."""
        rows = self.store._rows("select token from sync_tokens where collection = ?", [collection])
        return str(rows[0]["token"]) if rows else None

    def set_token(self, collection: str, token: str) -> None:
        """Save a collection's token (only once everything it covers is applied)."""
        self.store._write(
            "insert or replace into sync_tokens (collection, token) values (?, ?)",
            [collection, token],
        )

    def meta(self, key: str) -> str | None:
        """A value of sync_meta (e.g. synced_at)."""
        rows = self.store._rows("select value from sync_meta where key = ?", [key])
        return str(rows[0]["value"]) if rows else None

    def set_meta(self, key: str, value: str) -> None:
        """Set a value of sync_meta."""
        self.store._write(
            "insert or replace into sync_meta (key, value) values (?, ?)", [key, value]
        )

    def forget_meta(self, key: str) -> None:
        """Remove a value of sync_meta."""
        self.store._write("delete from sync_meta where key = ?", [key])

    def add_conflict(self, uid: str, kind: str, field: str, local: Any, remote: Any) -> None:
        """Record a field both sides changed (replacing an older one of the same field)."""
        self.store._write(
            "insert or replace into sync_conflicts (uid, kind, field, local, remote, at)"
            " values (?, ?, ?, ?, ?, ?)",
            [uid, kind, field, json.dumps(local), json.dumps(remote), now_utc()],
        )

    def conflicts(self, uid: str | None = None) -> list[Conflict]:
        """Conflicts waiting for the officer (of one record, or all)."""
        where, params = ("where uid = ?", [uid]) if uid else ("", [])
        rows = self.store._rows(f"select * from sync_conflicts {where} order by at, uid", params)
        return [
            Conflict(
                uid=row["uid"],
                kind=row["kind"],
                field=row["field"],
                local=json.loads(row["local"]) if row["local"] is not None else None,
                remote=json.loads(row["remote"]) if row["remote"] is not None else None,
                at=row["at"],
            )
            for row in rows
        ]

    def clear_conflicts(self, uid: str) -> None:
        """Forget a record's conflicts (the officer decided)."""
        self.store._write("delete from sync_conflicts where uid = ?", [uid])
