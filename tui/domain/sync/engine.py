"""One sync: pull what changed on the server, merge it, push what changed here.

Safety, in order of the steps:
- A pull reads both collections first and applies everything, shadows and tokens in ONE
  local transaction: killed before its commit, nothing of it is kept, no token either, and
  the next run reads the same changes again.
- A push PUTs to a name made from the uid, with If-Match (the etag we saw) or
  If-None-Match: * (new), then records the shadow and takes the record off the outbox in a
  local transaction. Killed between the two, the rerun's PUT gets 412, reads the server's
  copy (our own text), merges it (nothing differs) and carries on: nothing is lost and
  nothing is created twice.
- Quitting the app while a sync waits on a server ends the process at once (the sync's
  threads are daemons, see ConvenerApp.action_sync_now and dav._each_at_once): what the
  sync had not committed is as after a kill -9 at that point, and the next sync
  reconciles it (tests/sync/test_quit_while_syncing.py).
- Messages name records by uid and fields by name, never their values or the password.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from tui.domain.errors import ConvenerError, InvalidInput, NotFound
from tui.domain.store import Store
from tui.domain.sync.carriers import CALENDAR, COLLECTION, CONTACTS, from_text, href_name, to_text
from tui.domain.sync.dav import Dav, PreconditionFailed, TokenExpired, Unreachable
from tui.domain.sync.ledger import Conflict, Ledger, Queued, Shadow
from tui.domain.sync.merge import defaults_of, merge
from tui.domain.sync.records import LINK_FIELDS, MODELS, ORDER, Document, Records

DELETED = "(deleted)"
"""The conflict field of a record deleted on one side and changed on the other."""


@dataclass
class SyncReport:
    """What one sync did."""

    pulled: int = 0
    pushed: int = 0
    trashed: int = 0
    merged: int = 0
    refused: list[str] = field(default_factory=list)
    """One line per resource from the server that would not pass a form (left alone)."""
    conflicts: int = 0
    """Fields changed both here and elsewhere, waiting for the officer."""
    deletions: list[Conflict] = field(default_factory=list)
    """Records deleted on one side and edited on the other, waiting for the officer (not
    fields: see deletion_words)."""
    waiting: int = 0
    joined: int = 0
    """People new from the server kept as one with a person made here since the last sync
    with the same e-mail address (see Syncer._join)."""
    new_home: bool = False
    """This database was synced with another collection home before: this run started
    over as a first sync does (see Syncer.moved_home)."""


def _same_address(here: Any, there: Any) -> bool:
    """True for two spellings of one e-mail address (case, spaces)."""
    return (
        isinstance(here, str)
        and isinstance(there, str)
        and here.strip().lower() == there.strip().lower()
    )


def joined_words(joined: int) -> str:
    """What a sync says of the people it kept as one (SyncReport.joined)."""
    who = "1 person" if joined == 1 else f"{joined} people"
    return f"{who} added here and elsewhere with one e-mail kept as one"


_NAMING_PEOPLE = (
    # (table, column naming the record, that record's table, its kind): lines naming a person
    ("invitations", "event_id", "events", "event"),
    ("event_contacts", "event_id", "events", "event"),
    ("session_speakers", "session_id", "sessions", "session"),
)


@dataclass
class _Incoming:
    kind: str
    uid: str
    document: Document
    href: str
    etag: str
    text: str
    collection: str


class Syncer:
    """Syncs one database with one collection home."""

    def __init__(self, store: Store, dav: Dav, now: Callable[[], datetime] | None = None):
        self.store = store
        self.dav = dav
        self.ledger = Ledger(store)
        self.records = Records(store)
        self.now = now or (lambda: datetime.now(UTC))
        self._named: set[str] | None = None
        """What waiting records name, during a pull (see _named_by_waiting)."""
        self._published: tuple[int, int] = (0, 0)
        """The queue's sequence numbers (from, to] the first publish of this run took."""

    # -- the whole run ----------------------------------------------------------------

    def run(self) -> SyncReport:
        """Pull, merge, push; Unreachable (nothing changed here) when the server fails."""
        report = SyncReport()
        for collection in (CONTACTS, CALENDAR):
            self.dav.ensure(collection)
        report.new_home = self.moved_home()
        if not report.new_home:
            self.pull(report)
            self.push(report)
        else:
            # Starting over with another home forgets what this one knew of the last
            # (see moved_home). A run that fails there and brought nothing in (a one-off
            # --url that was wrong) puts the old state back: the next sync with the old
            # home went on as a first sync, and a record deleted there came back.
            self.ledger.stash_server_state()
            before = self.ledger.last_queued()
            try:
                self.pull(report)
                self.push(report)
            except BaseException:
                if not (report.pulled or report.merged or report.trashed):
                    kept = self.ledger.queued_since(before, self._published)
                    self.ledger.restore_server_state(kept)
                raise
            finally:
                self.ledger.drop_stash()
        with self.store.transaction():
            self.ledger.set_meta("synced_at", self.now().isoformat(timespec="seconds"))
            self.ledger.forget_meta(FAILED_AT)
        waiting_choice = self.ledger.conflicts()
        report.deletions = [c for c in waiting_choice if c.field == DELETED]
        report.conflicts = len(waiting_choice) - len(report.deletions)
        report.waiting = self.ledger.waiting()
        return report

    def moved_home(self) -> bool:
        """True when the sync state belongs to another collection home than this one.

        The tokens and what the server was last seen to hold (the shadows) are a home's
        own. Kept across a new URL (the team moved server, the address was corrected),
        everything here that the new home lacks was taken as deleted there and went to the
        trash, while the run said "in step". Now the pull starts over as a first sync does
        (no token, nothing known of the server: nothing is taken as deleted, and what the
        new home lacks goes out), and the state is tied to the new home in the pull's own
        transaction. A database synced before homes were recorded takes the home it syncs
        with next as its own."""
        known = self.ledger.meta("home")
        return known is not None and known != self.dav.home

    # -- pull -------------------------------------------------------------------------

    def _read_collection(
        self, collection: str, report: SyncReport, fresh: bool = False
    ) -> tuple[str, list[_Incoming], list[str]]:
        token = None if fresh else self.ledger.token(collection)
        shadows = {} if fresh else self.ledger.shadows(collection)
        full = token is None
        try:
            changes = self.dav.changes(collection, token)
        except TokenExpired:
            changes = self.dav.changes(collection, None)
            full = True
        deleted = list(changes.deleted)
        if full:
            # A full listing: anything we knew that is not in it was deleted, and anything
            # whose etag is what we last saw is unchanged (the etag comparison fallback).
            deleted = [href for href in shadows if href not in changes.changed]
        incoming: list[_Incoming] = []
        for href, (etag, text) in changes.changed.items():
            known = shadows.get(href)
            if known is not None and known.etag == etag:
                continue
            if text is None:
                fetched = self.dav.get(href)
                if fetched is None:
                    continue
                text = fetched[0]
            try:
                parsed = from_text(text)
            except InvalidInput as error:
                # Left alone on the server; one line, named by its file, never its values.
                name = href.rstrip("/").rsplit("/", 1)[-1]
                report.refused.append(f"{name[:80]}: {error}"[:200])
                continue
            if parsed is None:
                continue
            kind, uid, document = parsed
            incoming.append(_Incoming(kind, uid, document, href, etag, text, collection))
        return changes.token, incoming, deleted

    def pull(self, report: SyncReport) -> None:
        """Read both collections, then apply it all in one transaction."""
        fresh = report.new_home
        self._named = None
        read = {c: self._read_collection(c, report, fresh) for c in (CONTACTS, CALENDAR)}
        incoming = [item for _, items, _ in read.values() for item in items]
        incoming.sort(key=lambda item: ORDER.index(item.kind))
        # A bulk write, as an import is: a first pull of a program writes thousands of
        # records (with their index pages) in one transaction.
        with self.store.roomy(), self.ledger.applying():
            if fresh:
                self.ledger.forget_server()
            if self.ledger.meta("home") != self.dav.home:
                self.ledger.set_meta("home", self.dav.home)
            for item in incoming:
                self._apply(item, report)
            for collection, (_, _, deleted) in read.items():
                shadows = self.ledger.shadows(collection)
                for href in deleted:
                    if href in shadows:
                        self._apply_delete(shadows[href], report)
            for collection, (token, _, _) in read.items():
                if token:
                    self.ledger.set_token(collection, token)
            if self.ledger.meta("published") is None:
                # Records made before sharing began go out with the first sync; in this
                # transaction, so that a server that cannot be reached changes nothing.
                # Here, not at the top: migrations imports sqlite-utils, which the
                # command line and the app's start do without (test_store.py).
                from tui.domain.migrations import SYNCED_RECORDS

                first = self.ledger.last_queued()
                self.ledger.queue_unpublished(SYNCED_RECORDS)
                self.ledger.set_meta("published", "1")
                self._published = (first, self.ledger.last_queued())

    def _apply(self, item: _Incoming, report: SyncReport) -> None:
        shadow = Shadow(item.uid, item.kind, item.collection, item.href, item.etag, item.text)
        local = self.records.read(item.kind, item.uid)
        twin = self._twin_of(item) if local is None else None
        try:
            with self.store.transaction():
                if twin is not None:
                    self._join(twin, item, report)
                elif not self.ledger.is_queued(item.uid):
                    self.records.write(item.kind, item.uid, item.document)
                    report.pulled += 1
                elif local is None:
                    # Deleted here, changed there: the officer decides.
                    self.ledger.add_conflict(item.uid, item.kind, DELETED, "deleted", "changed")
                else:
                    known = self.ledger.shadow(item.uid)
                    base = _document(known.base) if known else None
                    local = self._with_strangers(local, base)
                    merged = merge(base, local, item.document)
                    self.records.write(item.kind, item.uid, merged.document)
                    for name, (mine, theirs) in merged.conflicts.items():
                        self.ledger.add_conflict(item.uid, item.kind, name, mine, theirs)
                    report.merged += 1
                self.ledger.set_shadow(shadow)
        except (InvalidInput, NotFound) as error:
            report.refused.append(f"{item.kind} {item.uid}: {error}"[:200])

    def _twin_of(self, item: _Incoming) -> str | None:
        """The uid of a person made here since the last sync (never on the server) with
        the e-mail address of a person new from the server: the same guest added on two
        laptops before either synced, who would otherwise be two people (two guest lines,
        two invitations) on both. None when there is none, or the record is no person."""
        if item.kind != "person" or self.records.knows("person", item.uid):
            return None
        email = item.document.get("fields", {}).get("email")
        if not isinstance(email, str) or not email.strip():
            return None
        rows = self.store._rows(
            "select uid from people where lower(trim(email)) = ? and deleted_at is null"
            " and uid in (select uid from sync_outbox)"
            " and uid not in (select uid from sync_shadow) order by id",
            [email.strip().lower()],
        )
        return str(rows[0]["uid"]) if rows else None

    def _join(self, twin: str, item: _Incoming, report: SyncReport) -> None:
        """Keep the person from the server (others' events already name them) and move
        what names the twin made here (guest lines, contacts, speakers, tasks) to them;
        the twin goes to the trash, never to the server. A field only the twin has is
        kept; one both have, differently, keeps the value typed here and waits for the
        officer, as any field changed on both sides does."""
        mine = self.records.read("person", twin)
        assert mine is not None
        theirs = item.document.get("fields", {})
        here = dict(mine["fields"])
        if _same_address(here.get("email"), theirs.get("email")):
            here["email"] = theirs["email"]  # one address, spelt two ways: not a conflict
        # Merged as both sides' changes to a new person: a field only one side filled is
        # taken, one both filled differently keeps this side's and waits.
        new = defaults_of(MODELS["person"])
        base = {"fields": {name: new.get(name) for name in {*here, *theirs}}, "members": {}}
        merged = merge(base, {"fields": here, "members": {}}, item.document)
        joined = merged.document["fields"]
        self.records.write("person", item.uid, {"fields": joined, "members": {}})
        kept = self.records.live("person", item.uid)
        gone = self.records.live("person", twin)
        assert kept is not None and gone is not None
        for table, column, parent, kind in _NAMING_PEOPLE:
            for row in self.store._rows(
                f"select uid from {parent} where id in"
                f" (select {column} from {table} where person_id = ?)",
                [gone.id],
            ):
                self.ledger.queue(str(row["uid"]), kind)
            self.store._write(
                f"update {table} set person_id = ? where person_id = ?", [kept.id, gone.id]
            )
        for row in self.store._rows("select uid from tasks where owner_id = ?", [gone.id]):
            self.ledger.queue(str(row["uid"]), "task")
        self.store._write("update tasks set owner_id = ? where owner_id = ?", [kept.id, gone.id])
        self.records.trash("person", twin)
        self.ledger.unqueue(twin)
        if joined != theirs:
            self.ledger.queue(item.uid, "person")  # the server lacks what was typed here
        for name, (local, remote) in merged.conflicts.items():
            self.ledger.add_conflict(item.uid, "person", name, local, remote)
        report.joined += 1
        report.pulled += 1

    def _apply_delete(self, shadow: Shadow, report: SyncReport) -> None:
        if self.ledger.is_queued(shadow.uid):
            if self.records.read(shadow.kind, shadow.uid) is None:
                self.ledger.unqueue(shadow.uid)  # deleted on both sides
            else:
                self.ledger.add_conflict(shadow.uid, shadow.kind, DELETED, "changed", "deleted")
        elif shadow.uid in self._named_by_waiting():
            # Deleted there, but a change waiting here uses it (a guest added to an event
            # for this person): trashed, it took that change with it, unsaid.
            self.ledger.add_conflict(shadow.uid, shadow.kind, DELETED, "in use here", "deleted")
        elif self.records.trash(shadow.kind, shadow.uid):
            report.trashed += 1
        self.ledger.drop_shadow(shadow.uid)

    def _named_by_waiting(self) -> set[str]:
        """The uids the records waiting to go out name (as a guest, a speaker, a staff
        contact, a partner or another link): read once per pull, at its first delete
        (the waiting records do not change while a pull applies deletes)."""
        if self._named is None:
            named: set[str] = set()
            for item in self.ledger.outbox():
                document = self.records.read(item.kind, item.uid)
                if document is None:
                    continue
                named.update(document["members"])
                for value in document["fields"].values():
                    if isinstance(value, str):
                        named.add(value)
                    elif isinstance(value, list):
                        named.update(v for v in value if isinstance(v, str))
            self._named = named
        return self._named

    # -- push -------------------------------------------------------------------------

    BATCH = 64
    """New records PUT together (over Dav.WORKERS connections), then recorded in one
    local transaction."""

    def push(self, report: SyncReport) -> None:
        """Send every queued record (but those whose conflicts wait for the officer):
        records the server has never seen in batches over a few connections at once, the
        rest (changes, deletes) one by one."""
        waiting = {c.uid for c in self.ledger.conflicts()}
        later: list[Queued] = []
        batch: list[tuple[Queued, str, str]] = []
        for item in self.ledger.outbox():
            if item.uid in waiting:
                continue
            local = self.records.read(item.kind, item.uid)
            if local is None or self.ledger.shadow(item.uid) is not None:
                later.append(item)
                continue
            text = to_text(item.kind, item.uid, local, self._zone_of(item.kind, local))
            batch.append((item, self._new_href(item), text))
            if len(batch) >= self.BATCH:
                self._create(batch, report)
                batch = []
        self._create(batch, report)
        for item in later:
            self._push_one(item, report)

    def _new_href(self, item: Queued) -> str:
        collection = self.dav.collection_url(COLLECTION[item.kind])
        return self.dav.path(collection) + href_name(item.kind, item.uid)

    def _create(self, batch: list[tuple[Queued, str, str]], report: SyncReport) -> None:
        """PUT new resources together (If-None-Match: *), then record what the server took
        in one transaction. Killed between the two, the rerun's PUT meets a 412 and
        merges its own copy back, as `_push_one` does: nothing is created twice."""
        if not batch:
            return
        answers = self.dav.create_many(
            [(href, text, COLLECTION[item.kind]) for item, href, text in batch]
        )
        again: list[Queued] = []
        failure: Unreachable | None = None
        with self.store.transaction():
            for (item, href, text), answer in zip(batch, answers, strict=True):
                if isinstance(answer, Unreachable):
                    failure = failure or answer
                elif isinstance(answer, ConvenerError):
                    again.append(item)  # there already (412): merged one by one
                else:
                    collection = COLLECTION[item.kind]
                    shadow = Shadow(item.uid, item.kind, collection, href, answer, text)
                    self.ledger.set_shadow(shadow)
                    self.ledger.done(item)
                    report.pushed += 1
        if failure is not None:
            raise failure
        for item in again:
            self._push_one(item, report)

    def _push_one(self, item: Queued, report: SyncReport, retry: bool = True) -> None:
        local = self.records.read(item.kind, item.uid)
        shadow = self.ledger.shadow(item.uid)
        if local is None:
            if shadow is not None:
                try:
                    self.dav.delete(shadow.href, shadow.etag)
                except PreconditionFailed:
                    with self.store.transaction():
                        self.ledger.add_conflict(item.uid, item.kind, DELETED, "deleted", "changed")
                    return
            with self.store.transaction():
                if shadow is not None:
                    self.ledger.drop_shadow(item.uid)
                    report.pushed += 1
                self.ledger.done(item)
            return
        base = _document(shadow.base) if shadow is not None else None
        local = self._with_strangers(local, base)
        if shadow is not None and base == local:
            with self.store.transaction():
                self.ledger.done(item)  # saved without a change the server would see
            return
        collection = COLLECTION[item.kind]
        href = shadow.href if shadow else self._new_href(item)
        text = to_text(item.kind, item.uid, local, self._zone_of(item.kind, local))
        try:
            etag = self.dav.put(href, text, shadow.etag if shadow else None, collection=collection)
        except PreconditionFailed:
            if not retry:
                raise
            self._merge_after_412(item, href, local, shadow, report)
            return
        if etag is None:
            fetched = self.dav.get(href)
            etag = fetched[1] if fetched else None
        with self.store.transaction():
            self.ledger.set_shadow(Shadow(item.uid, item.kind, collection, href, etag, text))
            self.ledger.done(item)
        report.pushed += 1

    def _merge_after_412(
        self,
        item: Queued,
        href: str,
        local: Document,
        shadow: Shadow | None,
        report: SyncReport,
    ) -> None:
        """The server's copy changed since we saw it (or is there already, after a crash):
        merge it in as a pull would, then push the result over its etag."""
        fetched = self.dav.get(href)
        collection = COLLECTION[item.kind]
        if fetched is None:
            with self.store.transaction():
                self.ledger.drop_shadow(item.uid)
        else:
            text, etag = fetched
            parsed = from_text(text)
            if parsed is None:
                return
            base = _document(shadow.base) if shadow else None
            merged = merge(base, local, parsed[2])
            with self.ledger.applying():
                self.records.write(item.kind, item.uid, merged.document)
                for name, (mine, theirs) in merged.conflicts.items():
                    self.ledger.add_conflict(item.uid, item.kind, name, mine, theirs)
                self.ledger.set_shadow(Shadow(item.uid, item.kind, collection, href, etag, text))
            report.merged += 1
            if merged.conflicts:
                return
        self._push_one(item, report, retry=False)

    def _zone_of(self, kind: str, document: Document) -> str | None:
        """A session's event's time zone (its times are written in it); None otherwise."""
        if kind != "session":
            return None
        event = self.records.live("event", str(document.get("fields", {}).get("event") or ""))
        return getattr(event, "timezone", None) if event is not None else None

    def _with_strangers(self, local: Document, base: Document | None) -> Document:
        """The local document plus the guests (or speakers, contacts, partners, related
        items) the server has whose record this database does not have (one it refused,
        say): they are not shown here, and must not be taken off the server by a push."""
        if base is None:
            return local
        members = dict(local.get("members", {}))
        for key, line in base.get("members", {}).items():
            if key not in members and not self.records.knows("person", key):
                members[key] = line
        values = dict(local.get("fields", {}))
        for name, kind in LINK_FIELDS.items():
            if name in values:
                strangers = [
                    uid
                    for uid in base.get("fields", {}).get(name) or []
                    if uid not in values[name] and not self.records.knows(kind, uid)
                ]
                values[name] = values[name] + strangers
        return {"fields": values, "members": members}

    # -- conflicts --------------------------------------------------------------------

    def conflicts(self) -> list[Conflict]:
        """Every conflict waiting for the officer."""
        return self.ledger.conflicts()

    def resolve(self, uid: str, keep: str) -> int:
        """Settle a record's conflicts: keep "local" (sent at the next sync) or "remote"
        (the server's values written here). Returns how many fields were settled; the
        record stays queued only if the server lacks something of it (`ledger.is_queued`).

        One undo step, which puts back the conflicts and the record's place in the outbox
        with the record: undone, the conflict waits again as it was, and nothing of the
        record goes out over the colleague's value. The shadow (what the server was last
        seen to hold) is the settlement's to read, never to change, and undo leaves it."""
        found = self.ledger.conflicts(uid)
        if not found:
            raise NotFound(f"no conflict waits for {uid[:80]!r}", value=uid)
        if keep not in ("local", "remote"):
            raise InvalidInput(f"keep: expected local or remote, not {keep[:20]!r}", value=keep)
        kind = found[0].kind
        with self.store.transaction(f"Settle a sync conflict ({keep})"):
            self.store.restore_on_undo("sync_conflicts", "uid", uid)
            self.store.restore_on_undo("sync_outbox", "uid", uid)
            if keep == "remote":
                if any(c.field == DELETED and c.remote == "deleted" for c in found):
                    self.records.trash(kind, uid)
                else:
                    self._take_remote(kind, uid, found)
            else:
                self.store._write(
                    "insert or ignore into sync_outbox (uid, kind) values (?, ?)", [uid, kind]
                )
            self.ledger.clear_conflicts(uid)
            if not self._differs_from_server(kind, uid):
                self.ledger.unqueue(uid)  # theirs taken whole: nothing to send
        return len(found)

    def _differs_from_server(self, kind: str, uid: str) -> bool:
        """Would a push send something of this record (the comparison `_push_one` makes)?"""
        local = self.records.read(kind, uid)
        shadow = self.ledger.shadow(uid)
        if local is None or shadow is None:
            return (local is None) != (shadow is None)
        base = _document(shadow.base)
        return base is None or self._with_strangers(local, base) != base

    def _take_remote(self, kind: str, uid: str, found: list[Conflict]) -> None:
        if any(c.field == DELETED for c in found):
            shadow = self.ledger.shadow(uid)
            remote = _document(shadow.base) if shadow is not None else None
            if remote is not None:
                self.records.write(kind, uid, remote)
            return
        document = self.records.read(kind, uid)
        if document is None:
            return
        for conflict in found:
            if conflict.field.startswith("member:"):
                key = conflict.field.removeprefix("member:")
                if conflict.remote is None:
                    document["members"].pop(key, None)
                else:
                    document["members"][key] = conflict.remote
            else:
                document["fields"][conflict.field] = conflict.remote
        self.records.write(kind, uid, document)


def _document(text: str) -> Document | None:
    try:
        parsed = from_text(text)
    except InvalidInput:
        return None
    return parsed[2] if parsed else None


NEW_HOME = (
    "a collection home this database had not synced with: synced as a first sync (what it"
    " lacked was sent; nothing here was taken as deleted there)"
)
"""Said when a sync ran against another home than the last (SyncReport.new_home)."""


def deletion_words(conflict: Conflict) -> str:
    """What a record deleted on one side and edited on the other is, and what is kept
    until the officer chooses ("deleted here, edited elsewhere: ...")."""
    if conflict.local == "deleted":
        return "deleted here, edited elsewhere: it stays deleted here until you choose"
    if conflict.local == "in use here":
        return (
            "deleted elsewhere, but a change waiting here uses it: it is kept here until you choose"
        )
    return "edited here, deleted elsewhere: your version is kept here until you choose"


def changes_wait(count: int) -> str:
    """'1 change waits', '3 changes wait', 'nothing waits to go out' ('0 changes wait')."""
    if not count:
        return "nothing waits to go out"
    return f"{count} change waits" if count == 1 else f"{count} changes wait"


FAILED_AT = "failed_at"
"""sync_meta's key for when the last sync failed (the app's or the command line's: both
record it there, and a sync that succeeds forgets it)."""


def recorded_failure(store: Store) -> datetime | None:
    """When the last sync failed, as recorded (None: none since the last success)."""
    text = Ledger(store).meta(FAILED_AT)
    try:
        return datetime.fromisoformat(text) if text else None
    except ValueError:
        return None


def status_line(store: Store, zone: str | None = None, failed_at: datetime | None = None) -> str:
    """'3 changes wait; synced 10:42' (or 'never synced'), for the app and the CLI; the
    time in `zone` (the officer's, as the events' times are shown), else the computer's.
    `failed_at` (default: as recorded, by any process): when a sync failed, said first
    ('failed 10:45; synced 10:42') unless a sync succeeded since; "in step" is not said
    then: it is not known."""
    from zoneinfo import ZoneInfo

    ledger = Ledger(store)
    if failed_at is None:
        failed_at = recorded_failure(store)
    waiting = ledger.waiting()
    conflicts = len({c.uid for c in ledger.conflicts()})
    synced_text = ledger.meta("synced_at")
    synced = datetime.fromisoformat(synced_text) if synced_text else None
    here = ZoneInfo(zone) if zone else None
    parts = []
    if failed_at is not None and (synced is None or synced < failed_at):
        parts.append(f"failed {failed_at.astimezone(here):%H:%M}")
        if waiting:
            parts.append(changes_wait(waiting))
    else:
        parts.append(changes_wait(waiting) if waiting else "in step")
    if conflicts:
        parts.append(f"{conflicts} changed elsewhere")
    parts.append(f"synced {synced.astimezone(here):%H:%M}" if synced else "never synced")
    return "; ".join(parts)


def any_value(value: Any, limit: int = 60) -> str:
    """A conflict's value on one line, cut at a word with "…" past `limit` characters."""
    return _cut(_one_line(value), limit)


VALUE_LIMIT = 120
"""Characters of each side of a conflict shown (values_apart)."""


def values_apart(local: Any, remote: Any, limit: int = VALUE_LIMIT) -> tuple[str, str]:
    """(here, elsewhere) of a field both sides changed, each on one line: whole when both
    fit in `limit` characters; else from shortly before where they first differ
    ("…Urban Violence – Zürich (revised)") and cut at a word with "…". Each cut at 60
    characters alone, a long title changed at its end read the same on both sides."""
    here, there = _one_line(local), _one_line(remote)
    if len(here) <= limit and len(there) <= limit:
        return here, there
    same = 0
    for mine, theirs in zip(here, there, strict=False):
        if mine != theirs:
            break
        same += 1
    start = 0
    if same > limit // 3:
        # A few words of what both share, from the start of a word, lead to the change.
        start = here.rfind(" ", 0, same - 20) + 1
    if start:
        return "…" + _cut(here[start:], limit - 1), "…" + _cut(there[start:], limit - 1)
    return _cut(here, limit), _cut(there, limit)


def _one_line(value: Any) -> str:
    text = "—" if value is None else str(value)
    return " ".join(text.splitlines())


def _cut(text: str, limit: int) -> str:
    """`text` in at most `limit` characters: cut at a word (else mid-word) with "…"."""
    if len(text) <= limit:
        return text
    kept = text[: limit - 1]
    space = kept.rfind(" ")
    if space > limit // 2:
        kept = kept[:space]
    return kept.rstrip() + "…"


MEMBER_BOOKKEEPING = ("uid", "position")
"""Parts of a guest or speaker line that are not the officer's (left out of a conflict's
description)."""


def member_difference(local: Any, remote: Any) -> tuple[str, str]:
    """(here, elsewhere) of a guest or speaker line both sides changed: only the parts that
    differ ("status 'tentative'" against "status 'declined'"), or that one side removed it."""
    if not isinstance(local, dict) or not isinstance(remote, dict):
        return (
            "removed" if local is None else any_value(local),
            "removed" if remote is None else any_value(remote),
        )
    names = [
        name
        for name in sorted(set(local) | set(remote))
        if name not in MEMBER_BOOKKEEPING and local.get(name) != remote.get(name)
    ]

    def side(line: dict[str, Any]) -> str:
        return ", ".join(f"{name} {any_value(line.get(name))!r}" for name in names) or "the same"

    return side(local), side(remote)
