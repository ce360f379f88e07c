"""Sync, the planner's part: sync with the team's server and settle what changed both
here and elsewhere. tui/domain/sync/ holds the engine, the carriers and the merge."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from tui.domain.errors import ConvenerError, InvalidInput
from tui.domain.planner.base import PlannerBase
from tui.domain.sync.settings import SyncSettings, checked_url

if TYPE_CHECKING:
    # Imported where used: the engine brings HTTP and threads, which a command that does
    # not sync (an agenda) should not pay for at start (issue 24).
    from tui.domain.sync.engine import SyncReport
    from tui.domain.sync.ledger import Conflict

PASSWORD_VARIABLE = "CONVENER_SYNC_PASSWORD"
WHOLE_RECORD = "the whole record"
"""What a conflict over a record deleted on one side and edited on the other is said to be
about (not a field)."""
NO_URL = "set url in [sync] of config.toml"
"""What to do when there is no server to sync with (the app's words; the command line
offers --url too)."""


class SyncRunning(ConvenerError):
    """A sync was asked for while this process is syncing."""


@dataclass(frozen=True)
class Server:
    """Where and as whom to sync (the password only in memory)."""

    url: str
    user: str | None
    password: str | None


def server_from(
    settings: SyncSettings,
    environ: Mapping[str, str],
    url: str | None = None,
    user: str | None = None,
) -> Server:
    """The server from options over config.toml; the password from CONVENER_SYNC_PASSWORD
    or the password command. InvalidInput when there is no server to sync with."""
    chosen = url or settings.url
    if not chosen:
        # The setting only: the command line adds its own option (sync_cli), the app has none.
        raise InvalidInput(f"no server to sync with: {NO_URL}")
    # An empty variable (`CONVENER_SYNC_PASSWORD=`, as mail's) is no password given.
    password = environ.get(PASSWORD_VARIABLE) or None
    if password is None and settings.password_command:
        from tui.domain.mail.send import password_from

        password = password_from(settings.password_command, "sync.password_command")
    return Server(checked_url(chosen), user or settings.user, password)


class Sync(PlannerBase):
    """Sync with the team's server, and the conflicts it leaves for the officer."""

    def sync_with(self, server: Server) -> SyncReport:
        """One sync; dav.Unreachable (nothing changed here) when the server fails,
        SyncRunning when this process is syncing already (a sync that hangs on the
        network, and sync pressed again)."""
        from tui.domain.sync.dav import Dav
        from tui.domain.sync.engine import Syncer

        if not self._syncing.acquire(blocking=False):
            raise SyncRunning("a sync is already running")
        try:
            dav = Dav(server.url, server.user, server.password)
            report = Syncer(self.store, dav).run()  # a success forgets a failure before it
        except BaseException:
            self._note_sync_failed()
            raise
        finally:
            self._syncing.release()
        return report

    def _note_sync_failed(self) -> None:
        """Record in the database that a sync failed now, whichever process ran it (the
        app, `convener sync`): each one's header says so until a sync succeeds, an app
        already open as soon as it sees the change (see status_line)."""
        from tui.domain.sync.engine import FAILED_AT
        from tui.domain.sync.ledger import Ledger

        try:
            with self.store.transaction():
                Ledger(self.store).set_meta(FAILED_AT, datetime.now(UTC).isoformat())
        except ConvenerError:
            pass  # a database that cannot be written now: the failure itself is said

    @property
    def sync_failed_at(self) -> datetime | None:
        """When the last sync failed, here or in another process (None: none did, or one
        succeeded since)."""
        from tui.domain.sync.engine import recorded_failure

        return recorded_failure(self.store)

    def sync_conflicts(self) -> list[Conflict]:
        """Fields changed both here and elsewhere, waiting for the officer."""
        from tui.domain.sync.ledger import Ledger

        return Ledger(self.store).conflicts()

    def sync_conflict_lines(self, uid: str | None = None) -> list[tuple[str, str, str, str]]:
        """(uid, what, here, elsewhere) of each conflict (of one record): a guest or speaker
        named, and only what differs in their line."""
        from tui.domain.sync.engine import DELETED, member_difference, values_apart
        from tui.domain.sync.records import Records as SyncRecords

        records = SyncRecords(self.store)
        lines = []
        for conflict in self.sync_conflicts():
            if uid is not None and conflict.uid != uid:
                continue
            what = conflict.field
            if what == DELETED:
                # The record, not a field: "deleted" against "edited" (never the
                # bookkeeping field's name "(deleted)" with quoted words).
                sides = {"changed": "edited", "in use here": "in use"}
                here = sides.get(str(conflict.local), str(conflict.local))
                there = sides.get(str(conflict.remote), str(conflict.remote))
                lines.append((conflict.uid, WHOLE_RECORD, here, there))
                continue
            here, there = (repr(v) for v in values_apart(conflict.local, conflict.remote))
            if what.startswith("member:"):
                what = _field_named(records, conflict.kind, what)
                here, there = member_difference(conflict.local, conflict.remote)
            lines.append((conflict.uid, what, here, there))
        return lines

    def sync_conflicted_records(self) -> list[tuple[str, str, str, list[str]]]:
        """(uid, kind, name or title, fields) of each record with conflicts waiting."""
        from tui.domain.sync.records import Records as SyncRecords

        records = SyncRecords(self.store)
        found: dict[str, tuple[str, list[str]]] = {}
        for conflict in self.sync_conflicts():
            found.setdefault(conflict.uid, (conflict.kind, []))[1].append(conflict.field)
        from tui.domain.sync.engine import DELETED
        from tui.domain.sync.records import MODELS

        result = []
        for uid, (kind, names) in found.items():
            # In the trash too: a record deleted here and edited elsewhere is named.
            record = records.live(kind, uid) or self.store.by_uid(MODELS[kind], uid)
            name = getattr(record, "title", None) or getattr(record, "name", None) or uid[:8]
            shown = [
                WHOLE_RECORD if n == DELETED else _field_named(records, kind, n) for n in names
            ]
            result.append((uid, kind, str(name), shown))
        return result

    def sync_record_days(self, kind: str, uid: str) -> tuple[date, date] | None:
        """(first, last day) of a record with conflicts, when it has days (an event, a
        session's date, a task's due day), in the trash too; None otherwise."""
        from tui.domain.models import Event, Session, Task
        from tui.domain.sync.records import MODELS

        record = self.store.by_uid(MODELS[kind], uid)
        if isinstance(record, Event):
            return record.start_date, record.end_date
        if isinstance(record, Session):
            return record.date, record.date
        if isinstance(record, Task) and record.due_date is not None:
            return record.due_date, record.due_date
        return None

    def sync_deletion_lines(self, deletions: list[Conflict]) -> list[str]:
        """One line per record deleted on one side and edited on the other: its kind and
        name, what happened and what is kept ('event "Roundtable": deleted here, edited
        elsewhere: it stays deleted here until you choose')."""
        from tui.domain.sync.engine import deletion_words
        from tui.domain.text import clipped, quoted

        names = {uid: name for uid, _, name, _ in self.sync_conflicted_records()}
        return [
            f"{c.kind} {quoted(clipped(names.get(c.uid, c.uid[:8])))}: {deletion_words(c)}"
            for c in deletions
        ]

    def settle_sync_conflict(self, uid: str, keep: str) -> int:
        """Keep "local" or "remote" for every conflict of one record."""
        from tui.domain.sync.engine import Syncer

        return Syncer(self.store, None).resolve(uid, keep)  # type: ignore[arg-type]

    def sync_waiting(self) -> int:
        """Records changed here and not yet on the server."""
        from tui.domain.sync.ledger import Ledger

        return Ledger(self.store).waiting()

    def sync_queued(self, uid: str) -> bool:
        """Does a record wait to go to the server (a settled conflict: keep mine does,
        theirs taken whole does not)?"""
        from tui.domain.sync.ledger import Ledger

        return Ledger(self.store).is_queued(uid)

    def sync_status(self) -> str:
        """'3 changes wait; synced 10:42' ('failed 10:45; ...' after a sync that failed,
        here or in another process, until one succeeds)."""
        from tui.domain.sync.engine import status_line

        return status_line(self.store, self.own_zone)


def _field_named(records: Any, kind: str, field: str) -> str:
    """A conflicting field as the officer reads it: a guest list's or a session's member
    ("member:19657da9-…") as "guest Grace Wanjiru" or "speaker …"; any other as it is."""
    if not field.startswith("member:"):
        return field
    person = records.live("person", field.removeprefix("member:"))
    name = getattr(person, "name", None) or "a person not in this database"
    return f"{'guest' if kind == 'event' else 'speaker'} {name}"
