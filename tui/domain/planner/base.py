"""The planner's common ground: the store, the clock, saving and deleting any record as
one undo step named in words, undo and the history."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, fields, replace
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

from tui.domain import validate
from tui.domain.errors import Conflict, InvalidInput, NotFound
from tui.domain.models import (
    Event,
    Invitation,
    ItemRef,
    Organisation,
    Person,
    Publication,
)
from tui.domain.store import AnyRecord, Record, Store
from tui.domain.text import clean, clean_line, fold, joined

if TYPE_CHECKING:
    from tui.domain.checklists import ChecklistItem
    from tui.domain.read_ahead import ReadAhead
    from tui.domain.related import LinkKey

_MULTILINE = {"description", "notes", "bio", "summary", "travel", "repeat"}


_TEXT_FIELDS: dict[type[Any], tuple[str, ...]] = {}


def sanitised(record: Record) -> Record:
    """The record with every text field cleaned of control characters."""
    names = _TEXT_FIELDS.get(type(record))
    if names is None:
        stamps = ("uid", "created_at", "updated_at", "deleted_at", "speakers")
        names = tuple(f.name for f in fields(record) if f.name not in stamps)
        _TEXT_FIELDS[type(record)] = names
    changes: dict[str, Any] = {}
    for name in names:
        value = getattr(record, name)
        if isinstance(value, str):
            cleaned = clean(value).strip() if name in _MULTILINE else clean_line(value)
            if cleaned != value:
                changes[name] = cleaned or None
    return replace(record, **changes) if changes else record


def _count(n: int, noun: str) -> str:
    plural = {"person": "people"}.get(noun, noun + "s")
    return f"{n} {noun if n == 1 else plural}"


def describe(record: AnyRecord) -> str:
    """A record in a few words for the undo history: 'event "Nairobi workshop"'."""
    kind = type(record).__name__.lower()
    name = getattr(record, "title", None) or getattr(record, "name", None)
    if name:
        return f'{kind} "{name}"'
    return f"{kind} {record.id}" if record.id is not None else kind


_GUEST_FIELDS = (
    ("role", "role"),
    ("response_via", "reply by"),
    ("plus_ones", "plus-ones"),
    ("invited_on", "invited on"),
    ("responded_on", "replied on"),
)


_GUEST_TEXTS = (
    ("dietary", "dietary"),
    ("access_needs", "access needs"),
    ("interpretation", "interpretation"),
    ("travel", "travel"),
    ("notes", "notes"),
)


def guest_changes(old: Invitation, new: Invitation) -> list[str]:
    """A guest-list line's changes in words: 'accepted -> invited', 'role observer -> speaker'."""
    changes: list[str] = []
    if old.status != new.status:
        changes.append(f"{old.status} -> {new.status}")
    for name, words in _GUEST_FIELDS:
        before, after = getattr(old, name), getattr(new, name)
        if before != after:
            changes.append(f"{words} {_plain(before)} -> {_plain(after)}")
    for name, words in _GUEST_TEXTS:
        if (getattr(old, name) or "") != (getattr(new, name) or ""):
            changes.append(f"{words} changed")
    return changes


def _plain(value: object) -> str:
    if value is None or value == "":
        return "none"
    return value.isoformat() if isinstance(value, date) else str(value)


def _names(names: Sequence[str], most: int = 3) -> str:
    """'Ada Okafor', 'Ada Okafor and Ben Ito', 'Ada Okafor, Ben Ito and 3 more'."""
    if len(names) <= most:
        return joined(names)
    return f"{', '.join(names[: most - 1])} and {len(names) - most + 1} more"


def split_name_email(text: str) -> tuple[str, str | None]:
    """ "Ana Ruiz <ana@example.org>" -> ("Ana Ruiz", "ana@example.org"); an email alone too."""
    text = clean_line(text)
    if "<" in text and text.endswith(">"):
        name, _, email = text[:-1].partition("<")
        return name.strip(), email.strip() or None
    if "@" in text and " " not in text:
        return text.split("@")[0].replace(".", " ").title(), text
    return text, None


def split_invite_line(text: str) -> tuple[str, str | None]:
    """An invite line's person and organisation: "Ana Ruiz <ana@example.org>, GI-TOC" ->
    ("Ana Ruiz <ana@example.org>", "GI-TOC"); "Ana Ruiz, GI-TOC" likewise; no comma, no
    organisation."""
    text = clean_line(text)
    if ">" in text:
        cut = text.rindex(">") + 1
        rest = text[cut:].strip()
        if rest.startswith(","):
            return text[:cut].strip(), rest[1:].strip() or None
        return text, None
    if "," in text:
        person, _, organisation = text.rpartition(",")
        return person.strip(), organisation.strip() or None
    return text, None


def _title_matches(title: str, words: list[str]) -> bool:
    """True when every word is in the title (the last one as a prefix), accents ignored."""
    if not words:
        return False
    title_words = _title_words(title)
    *whole, last = words
    return all(w in title_words for w in whole) and any(t.startswith(last) for t in title_words)


@lru_cache(maxsize=4096)
def _title_words(title: str) -> tuple[str, ...]:
    """A title's words folded (see fold); kept for the titles of the last searches: each
    keystroke puts 120-240 rows in order by them, mostly the same titles as the last."""
    return tuple(fold(title).split())


@dataclass(frozen=True)
class TrashItem:
    """One record in the trash."""

    ref: ItemRef
    label: str
    detail: str
    deleted_at: str


Stored = TypeVar("Stored", bound=AnyRecord)
"""A record of any kind, given and returned as that kind."""


class PlannerBase:
    """The planner's common ground: the store, the clock, saving and deleting any record as"""

    def __init__(
        self,
        store: Store,
        today: Callable[[], date] = date.today,
        own_zone: str | None = None,
        checklists: Mapping[str, Sequence[ChecklistItem]] | None = None,
    ) -> None:
        self.store = store
        self.today = today
        self.read_ahead: ReadAhead | None = None
        """Answers read before they were asked for (the first screen's, while the app
        starts; see tui.domain.read_ahead)."""
        self._outbox_writes = 0
        """How many times this process changed an outbox (see outbox_changed)."""
        self._syncing = threading.Lock()
        """Held while this process syncs: a second sync is refused, not run beside it."""
        self._checklists = checklists
        self.own_zone = own_zone
        """The officer's own time zone (IANA name): exports give times in it too where the
        event's zone differs. None: the event's zone only."""

    @property
    def checklists(self) -> Mapping[str, Sequence[ChecklistItem]]:
        """Each event kind's checklist template (the shipped ones, or config's). The shipped
        file is read when first asked for: most command lines never need it."""
        if self._checklists is None:
            from tui.domain.checklists import shipped_checklists

            self._checklists = shipped_checklists()
        return self._checklists

    @checklists.setter
    def checklists(self, templates: Mapping[str, Sequence[ChecklistItem]]) -> None:
        self._checklists = templates

    def named(self, record: AnyRecord) -> str:
        """A record in words for a message: 'event "X"', "Ada Okafor's line on the guest list
        of Policy Dinner" (never 'invitation 4')."""
        if isinstance(record, Invitation):
            name = self._person_name(record.person_id)
            return f"{name}'s line on the guest list of {self._event_title(record.event_id)}"
        return describe(record)

    def in_words(self, verb: str, record: AnyRecord) -> str:
        """An undo step named in words: 'Edit event "X"', 'Ada Okafor: accepted -> invited'."""
        if not isinstance(record, Invitation):
            return f"{verb} {describe(record)}"
        name = self._person_name(record.person_id)
        event = self._event_title(record.event_id)
        if verb == "Edit" and record.id is not None:
            try:
                old = self.store.get(Invitation, record.id, include_deleted=True)
            except NotFound:
                old = record
            words = guest_changes(old, record)
            if not words:
                return f"Edit {name} on the guest list of {event}"
            return f"{name}: {', '.join(words)}"
        if verb == "Add":
            return f"Invite {name} to {event}"
        if verb == "Delete":
            return f"Remove {name} from the guest list of {event}"
        return f"{verb} {name} on the guest list of {event}"

    def _person_name(self, person_id: int) -> str:
        try:
            return self.store.get(Person, person_id, include_deleted=True).name
        except NotFound:
            return f"person {person_id}"

    def _event_title(self, event_id: int) -> str:
        try:
            return self.store.get(Event, event_id, include_deleted=True).title
        except NotFound:
            return f"event {event_id}"

    def _link_words(self, key: LinkKey, joiner: str) -> str:
        """'partner Impact:Peace to "Workshop"' for a link's undo step."""
        kinds: dict[str, tuple[type[Any], type[Any], str]] = {
            "contact": (Event, Person, "staff contact"),
            "partner": (Event, Organisation, "partner"),
            "related_event": (Event, Event, "related event"),
            "event_publication": (Event, Publication, "publication"),
            "related_publication": (Publication, Publication, "related publication"),
        }
        left_cls, right_cls, words = kinds.get(key.name, (None, None, key.name.replace("_", " ")))
        if left_cls is None or right_cls is None:
            return words

        def named(cls: type[Any], record_id: int) -> str:
            try:
                record = self.store.get(cls, record_id, include_deleted=True)
            except NotFound:
                return f"{cls.__name__.lower()} {record_id}"
            return str(getattr(record, "title", None) or getattr(record, "name", ""))

        return f"{words} {named(right_cls, key.right)} {joiner} {named(left_cls, key.left)}"

    @property
    def database_path(self) -> Path:
        """The database file in use (backups/, outbox/ and edits/ sit beside it)."""
        return Path(self.store.path)

    def database_uid(self) -> str:
        """The database's own uid: what its queued messages and its edit files carry, so
        that two databases in one folder each know their own."""
        return self.store.database_uid()

    def check(self) -> list[str]:
        """What is wrong with the database, one line per finding ([] when all is well)."""
        return self.store.check()

    def schema_version(self) -> str | None:
        """The name of the newest migration applied to the database."""
        return self.store.schema_version()

    def forget_history(self) -> None:
        """Start the undo history afresh (after loading the demo's sample data)."""
        self.store.forget_history()

    def overwriting(self, record: Stored, base: Stored | None = None) -> Stored:
        """`record` made to overwrite what is stored now ("save anyway" after a conflict):
        the stored row's stamps, out of the trash. Given `base`, the record as the edit
        began from it, each field the edit left as it was takes the stored value: a change
        made elsewhere to another field stays. NotFound when the row is gone."""
        if record.id is None:
            return record
        kind = cast("type[AnyRecord]", type(record))
        stamps = self.store.stamps(kind, record.id)
        if stamps is None:
            raise NotFound(f"{describe(record)} is gone", value=str(record.id))
        if base is not None:
            stored: Any = self.store.get(kind, record.id, include_deleted=True)  # type: ignore[type-var]
            kept = {
                name: getattr(stored, name)
                for name in _edited_fields(record)
                if getattr(record, name) == getattr(base, name)
            }
            record = replace(record, **kept)
        return replace(record, updated_at=stamps[0], deleted_at=None)

    def clashes(self, base: AnyRecord, mine: AnyRecord) -> list[str]:
        """The fields an edit of `base` changed that were changed elsewhere meanwhile to
        another value ("venue"): what saving it over the stored record would undo. A record
        gone or trashed meanwhile: every field the edit changed."""
        if mine.id is None:
            return []
        stored: Any
        try:
            stored = self.store.get(type(mine), mine.id)  # type: ignore[type-var]
        except NotFound:
            stored = base
        return [
            name.replace("_", " ")
            for name in _edited_fields(mine)
            if getattr(mine, name) != getattr(base, name)
            and getattr(stored, name) not in (getattr(base, name), getattr(mine, name))
        ]

    def undo(self) -> str | None:
        """Reverse the latest change (a bulk change is one); its description, or None."""
        return self.store.undo()

    def step_just_made(self) -> int | None:
        """The undo step the latest change saved on this thread made (None: it made none),
        for a change that belongs with it to join (a session's speakers put on the guest
        list after the session's save: one undo takes back both)."""
        return self.store.step_made_here()

    def history(self, limit: int = 20) -> list[tuple[str, str]]:
        """The latest changes that undo would reverse, newest first: (what, when UTC)."""
        return self.store.history(limit)

    def outside_changes(self, *, wait: bool = True) -> int | None:
        """A number that changes when another process writes to the database (SQLite's
        data_version); None when it cannot be read right now without waiting."""
        return self.store.data_version(wait=wait)

    def reading_ahead(self, version: Callable[[], int | None] | None = None) -> ReadAhead:
        """From now on, keep the answers of reads made through `ReadAhead.read` for the
        first call asking the same (see tui.domain.read_ahead); `read_ahead` is it (the
        answers kept before are dropped). `version`: the data_version last seen of other
        processes' writes, whose change makes the answers lapse."""
        from tui.domain.read_ahead import ReadAhead

        self.read_ahead = ReadAhead(self._changes_seen, version)
        return self.read_ahead

    def _changes_seen(self) -> int:
        """Rows written and outboxes changed by this process: an answer read ahead before
        either is not given (see ReadAhead)."""
        return self.store.changes_made() + self._outbox_writes

    @property
    def outbox_writes(self) -> int:
        """How many times this process changed an outbox (see outbox_changed)."""
        return self._outbox_writes

    def outbox_changed(self) -> None:
        """Note that this process changed an outbox (messages queued, sent, put back). Its
        count read ahead lapses, as a row's does when one is written: the outbox is files,
        which no row count follows, and the first "Queued 1 invitation" of a session said
        "outbox: empty" (the count read ahead of the selection, before the queueing). The
        call given to after_each_save is made too: the header counts what waits."""
        self._outbox_writes += 1
        if self.store.after_commit is not None:
            self.store.after_commit()

    def after_each_save(self, call: Callable[[], None] | None) -> None:
        """Have `call` called after every change saved, on the thread that saved it, the
        outbox's too (None: no longer)."""
        self.store.after_commit = call

    def folder(self, name: str) -> Path:
        """A folder beside the database in use (edits/, backups/): made 0700 when missing."""
        from tui.domain.store import private_folder

        base = Path(self.store.path).parent if self.store.path != ":memory:" else Path.cwd()
        folder = base / name
        private_folder(folder)
        folder.chmod(0o700)
        return folder

    def backup(self, directory: Path) -> Path:
        """A consistent copy of the database in `directory`."""
        return self.store.backup(directory)

    def save(self, record: Record) -> Record:
        """Add (no id) or update (id) any record, its text cleaned first."""
        record = sanitised(record)
        if isinstance(record, Event):
            validate.check_span(record.start_date, record.end_date)
        verb = "Add" if record.id is None else "Edit"
        if record.id is None:
            with self.store.transaction(self.in_words(verb, record), single=True):
                return self.store.insert(record)
        moving = isinstance(record, Event)  # its agenda may move with it (one step)
        with self.store.transaction(self.in_words(verb, record), single=not moving):
            old = self.store.get(Event, record.id) if moving else None
            if isinstance(record, Invitation) and record.responded_at is not None:
                before = self.store.get(Invitation, record.id)
                record = cast(Any, _without_stale_reply_time(before, record))
            saved = self.store.update(record)
            self._carry_agenda(old, saved)
            return saved

    def _carry_agenda(self, old: Event | None, new: AnyRecord) -> None:
        """An event's sessions go with its days: moved by as many days as it moved, and
        into its nearest day when it was shortened (whoever changed it: the officer's form
        refuses that first, see save_event; another calendar cannot know our agenda)."""
        if old is None or not isinstance(new, Event) or new.id is None:
            return
        if (old.start_date, old.end_date) == (new.start_date, new.end_date):
            return
        from tui.domain.agenda import moved_with_event

        sessions = self.store.sessions_for(new.id)
        spans = (old.start_date, old.end_date), (new.start_date, new.end_date)
        for session in moved_with_event(sessions, *spans):
            self.store.update(session)

    def prepared(self, record: Record) -> Record:
        """A new record as `save` would store it (cleaned and checked, refused with the same
        InvalidInput), not written yet: `add_prepared` writes many at once."""
        record = sanitised(record)
        if isinstance(record, Event):
            validate.check_span(record.start_date, record.end_date)
        return self.store.checked_record(record)

    def add_prepared(self, records: Sequence[Record]) -> list[int]:
        """Add records `prepared` returned, of one kind, in one statement; their ids, in order."""
        with self.store.transaction("Add records"):
            return self.store.insert_records(records, prechecked=True)

    def add_many(self, records: Sequence[Record], lines: Sequence[int | None] = ()) -> list[int]:
        """Add many new records of one kind in one statement (a large import), each cleaned
        and checked as `save` does; a refusal names its line (`lines[i]`). Returns their
        ids, in order."""
        # The store's checked() cleans every text field of a person and a guest line the
        # way sanitised() does (the same functions, multi-line fields alike): once is enough.
        if records and type(records[0]) in (Person, Invitation):
            cleaned = list(records)
        else:
            cleaned = [sanitised(record) for record in records]
        for index, record in enumerate(cleaned):
            if isinstance(record, Event):
                try:
                    validate.check_span(record.start_date, record.end_date)
                except InvalidInput as error:
                    line = lines[index] if index < len(lines) else None
                    raise InvalidInput(error.message, line=line, value=error.value) from None
        with self.store.transaction("Add records"):
            return self.store.insert_records(cleaned, lines)

    def delete(self, record: AnyRecord) -> None:
        """Move a record to the trash."""
        if record.id is None:
            raise NotFound("the record was never saved")
        with self.store.transaction(self.in_words("Delete", record)):
            self.store.set_deleted(type(record), record.id, True)

    def restore(self, record: AnyRecord) -> None:
        """Bring a record back from the trash."""
        if record.id is None:
            raise NotFound("the record was never saved")
        with self.store.transaction(self.in_words("Restore", record)):
            self.store.set_deleted(type(record), record.id, False)

    @contextmanager
    def unless_changed(self, record: AnyRecord | None) -> Iterator[None]:
        """A write transaction that first checks `record` was not changed elsewhere since
        it was read (Conflict if it was). The check and the write are one IMMEDIATE
        transaction: no other process can write in between. None checks nothing."""
        with self.store.transaction():
            if record is not None and self.changed_elsewhere(record):
                raise Conflict(
                    f"{self.named(record)} was changed elsewhere since you opened it; not saved"
                )
            yield

    def changed_elsewhere(self, record: AnyRecord) -> bool:
        """True when the stored record was changed (or trashed) since `record` was read."""
        if record.id is None:
            return False
        rows = self.store.stamps(type(record), record.id)
        if rows is None:
            return True
        updated_at, deleted_at = rows
        return updated_at != record.updated_at or deleted_at is not None


_NOT_EDITED = frozenset({"id", "uid", "created_at", "updated_at", "deleted_at", "speakers"})
"""Not fields of the record's own (a session's speakers are saved beside it)."""


def _edited_fields(record: Any) -> list[str]:
    """The fields of a record an officer edits (not its id, uid and stamps)."""
    return [f.name for f in fields(record) if f.init and f.name not in _NOT_EDITED]


def _without_stale_reply_time(old: Invitation, new: Invitation) -> Invitation:
    """A guest line whose answer or its day was changed by hand loses the time of the
    mailed answer it held (that time would put a later mail before the officer's word)."""
    if new.responded_at == old.responded_at and (
        (new.status, new.responded_on) != (old.status, old.responded_on)
    ):
        return replace(new, responded_at=None)
    return new
