"""The schema, as one append-only set of migrations. Never edit a shipped one; add another."""

from __future__ import annotations

import re
import sqlite3
from datetime import date

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from tui.domain.kinds import SEARCH_CODES
from tui.domain.recurrence import OCCURRENCE_MARK, series_end

migrations = Migrations("convener")

# Columns every record table has: identity, the three timestamps, soft delete.
_RECORD = """
    id integer primary key,
    uid text not null unique,
    created_at text not null,
    updated_at text not null,
    deleted_at text
"""


@migrations()
def m0001_initial(db: Database) -> None:
    """Every record and link of SPEC.md."""
    _run(
        db,
        f"""
        create table organisations (
            {_RECORD},
            name text not null,
            name_key text not null,
            short_name text,
            kind text,
            website text,
            notes text,
            is_sample integer not null default 0
        );
        create index organisations_name_key on organisations(name_key);

        create table people (
            {_RECORD},
            name text not null,
            name_key text not null,
            role text,
            organisation_id integer references organisations(id) on delete set null,
            program_area text,
            email text,
            phone text,
            bio text,
            notes text,
            is_staff integer not null default 0,
            is_sample integer not null default 0
        );
        create index people_name_key on people(name_key);
        create index people_email on people(email);
        create index people_organisation on people(organisation_id);

        create table publications (
            {_RECORD},
            title text not null,
            title_key text not null,
            program_area text,
            type text,
            published text,
            url text,
            summary text,
            link_only integer not null default 0,
            is_sample integer not null default 0
        );
        create index publications_title_key on publications(title_key);

        create table events (
            {_RECORD},
            title text not null,
            title_key text not null,
            kind text not null default 'other',
            status text not null default 'planned',
            start_date text not null,
            end_date text not null,
            span_days integer not null default 0,
            start_time text,
            end_time text,
            timezone text,
            location text,
            venue text,
            program_area text,
            access text not null default 'invitation-only',
            capacity integer,
            repeat text,
            summary text,
            description text,
            url text,
            notes text,
            link_only integer not null default 0,
            is_sample integer not null default 0,
            check (end_date >= start_date)
        );
        -- The calendar asks for [start, end]: the start_date index bounds the scan, and
        -- span_days (end - start) gives how far back an event can begin and still show.
        create index events_start on events(start_date, end_date);
        create index events_span on events(span_days);
        create index events_title_key on events(title_key);
        create index events_repeat on events(start_date) where repeat is not null;

        create table sessions (
            {_RECORD},
            event_id integer not null references events(id) on delete cascade,
            date text not null,
            start_time text,
            end_time text,
            title text not null,
            description text,
            room text,
            position integer not null default 0
        );
        create index sessions_event on sessions(event_id, date, position);

        create table session_speakers (
            session_id integer not null references sessions(id) on delete cascade,
            person_id integer not null references people(id) on delete cascade,
            role text not null default 'speaker',
            position integer not null default 0,
            primary key (session_id, person_id)
        );
        create index session_speakers_person on session_speakers(person_id);

        create table invitations (
            {_RECORD},
            event_id integer not null references events(id) on delete cascade,
            person_id integer not null references people(id) on delete cascade,
            status text not null default 'to-invite',
            role text not null default 'participant',
            invited_on text,
            responded_on text,
            response_via text,
            plus_ones integer not null default 0,
            dietary text,
            access_needs text,
            interpretation text,
            travel text,
            notes text,
            unique (event_id, person_id)
        );
        create index invitations_person on invitations(person_id);

        create table event_contacts (
            event_id integer not null references events(id) on delete cascade,
            person_id integer not null references people(id) on delete cascade,
            position integer not null default 0,
            primary key (event_id, person_id)
        );
        create index event_contacts_person on event_contacts(person_id);

        create table event_partners (
            event_id integer not null references events(id) on delete cascade,
            organisation_id integer not null references organisations(id) on delete cascade,
            position integer not null default 0,
            primary key (event_id, organisation_id)
        );
        create index event_partners_organisation on event_partners(organisation_id);

        -- Symmetric links are stored once, smaller id first, and read from both ends.
        create table event_links (
            event_a integer not null references events(id) on delete cascade,
            event_b integer not null references events(id) on delete cascade,
            primary key (event_a, event_b),
            check (event_a < event_b)
        );
        create index event_links_b on event_links(event_b);

        create table event_publications (
            event_id integer not null references events(id) on delete cascade,
            publication_id integer not null references publications(id) on delete cascade,
            primary key (event_id, publication_id)
        );
        create index event_publications_publication on event_publications(publication_id);

        create table publication_links (
            publication_a integer not null references publications(id) on delete cascade,
            publication_b integer not null references publications(id) on delete cascade,
            primary key (publication_a, publication_b),
            check (publication_a < publication_b)
        );
        create index publication_links_b on publication_links(publication_b);
        """,
    )


# What each kind of record contributed to search up to m0013: (title column, body
# expression, its fields run together with spaces). Kept as those migrations ran it.
SEARCHED = {
    "event": (
        "events",
        "title",
        "coalesce(location, '') || ' ' || coalesce(venue, '') || ' ' || coalesce(program_area, '')"
        " || ' ' || coalesce(summary, '') || ' ' || coalesce(description, '')"
        " || ' ' || coalesce(notes, '')",
    ),
    "person": (
        "people",
        "name",
        "coalesce(role, '') || ' ' || coalesce(program_area, '') || ' ' || coalesce(email, '')"
        " || ' ' || coalesce(bio, '') || ' ' || coalesce(notes, '')",
    ),
    "organisation": (
        "organisations",
        "name",
        "coalesce(short_name, '') || ' ' || coalesce(kind, '') || ' ' || coalesce(notes, '')",
    ),
    "publication": (
        "publications",
        "title",
        "coalesce(program_area, '') || ' ' || coalesce(type, '') || ' ' || coalesce(summary, '')",
    ),
    "session": (
        "sessions",
        "title",
        "coalesce(room, '') || ' ' || coalesce(description, '')",
    ),
}


@migrations()
def m0002_search(db: Database) -> None:
    """Full-text search over every record, kept in step by triggers.

    unicode61 with remove_diacritics 2 makes Zürich and Zurich the same word; the prefix
    indexes keep "type as you search" fast on short prefixes.
    """
    db.execute(
        "create virtual table search_index using fts5("
        "kind unindexed, record_id unindexed, title, body,"
        " tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')"
    )
    for kind, (table, title, body) in SEARCHED.items():
        new_row = (
            f"insert into search_index (kind, record_id, title, body)"
            f" select '{kind}', new.id, new.{title}, {body.replace('coalesce(', 'coalesce(new.')}"
            f" where new.deleted_at is null;"
        )
        forget = f"delete from search_index where kind = '{kind}' and record_id = old.id;"
        db.execute(
            f"create trigger {table}_search_insert after insert on {table} begin {new_row} end"
        )
        db.execute(
            f"create trigger {table}_search_update after update on {table}"
            f" begin {forget} {new_row} end"
        )
        db.execute(
            f"create trigger {table}_search_delete after delete on {table} begin {forget} end"
        )
        db.execute(
            f"insert into search_index (kind, record_id, title, body)"
            f" select '{kind}', id, {title}, {body} from {table} where deleted_at is null"
        )


# Every table whose rows undo puts back: the records and the links between them.
JOURNALED = (
    "organisations",
    "people",
    "publications",
    "events",
    "sessions",
    "session_speakers",
    "invitations",
    "event_contacts",
    "event_partners",
    "event_links",
    "event_publications",
    "publication_links",
    "tasks",
)


@migrations()
def m0003_history(db: Database) -> None:
    """The undo history: triggers write, for every change, the SQL that reverses it.

    Kept in the database so that `u` in the app and `convener undo` share one history, and
    so that every write is covered (links and cascades included) without the service
    having to remember what it changed. A later migration that adds a column must call
    `journal_tables` again so the triggers see it.
    """
    _run(
        db,
        """
        create table undo_log (
            seq integer primary key autoincrement,
            statement text not null
        );
        create table undo_steps (
            id integer primary key autoincrement,
            first_seq integer not null,
            label text not null,
            at text not null
        );
        """,
    )
    journal_tables(db)


def journal_tables(db: Database, tables: tuple[str, ...] = JOURNALED) -> None:
    """(Re)create the undo triggers of journaled tables from their current columns."""
    for table in tables:
        columns = [row[1] for row in db.execute(f"pragma table_info({table})").fetchall()]
        if not columns:
            continue  # a table a later migration creates (and journals then)
        for action in ("insert", "update", "delete"):
            db.execute(f"drop trigger if exists {table}_undo_{action}")
        log = "insert into undo_log (statement) values"
        db.execute(
            f"create trigger {table}_undo_insert after insert on {table} begin {log}"
            f" ('delete from {table} where rowid = ' || new.rowid); end"
        )
        assignments = " || ', ' || ".join(f"'{c} = ' || quote(old.{c})" for c in columns)
        changed = " or ".join(f"old.{c} is not new.{c}" for c in columns)
        db.execute(
            f"create trigger {table}_undo_update after update on {table} when {changed}"
            f" begin {log} ('update {table} set ' || {assignments}"
            f" || ' where rowid = ' || old.rowid); end"
        )
        values = " || ', ' || ".join(f"quote(old.{c})" for c in columns)
        db.execute(
            f"create trigger {table}_undo_delete after delete on {table} begin {log}"
            f" ('insert into {table} (rowid, {', '.join(columns)}) values ('"
            f" || old.rowid || ', ' || {values} || ')'); end"
        )


@migrations()
def m0004_search_rowids(db: Database) -> None:
    """The search index's entries found by rowid: its triggers and rows rebuilt so."""
    for kind, (table, title, body) in SEARCHED.items():
        code = SEARCH_CODES[kind]
        for action in ("insert", "update", "delete"):
            db.execute(f"drop trigger if exists {table}_search_{action}")
        new_row = (
            f"insert into search_index (rowid, kind, record_id, title, body)"
            f" select new.id * 8 + {code}, '{kind}', new.id, new.{title},"
            f" {body.replace('coalesce(', 'coalesce(new.')}"
            f" where new.deleted_at is null;"
        )
        forget = f"delete from search_index where rowid = old.id * 8 + {code};"
        db.execute(
            f"create trigger {table}_search_insert after insert on {table} begin {new_row} end"
        )
        db.execute(
            f"create trigger {table}_search_update after update on {table}"
            f" begin {forget} {new_row} end"
        )
        db.execute(
            f"create trigger {table}_search_delete after delete on {table} begin {forget} end"
        )
    db.execute("delete from search_index")
    for kind, (table, title, body) in SEARCHED.items():
        db.execute(
            f"insert into search_index (rowid, kind, record_id, title, body)"
            f" select id * 8 + {SEARCH_CODES[kind]}, '{kind}', id, {title}, {body}"
            f" from {table} where deleted_at is null"
        )


@migrations()
def m0005_mail_sequences(db: Database) -> None:
    """Each event's iCalendar SEQUENCE as mailed to its guests (RFC 5546: an update or a
    cancellation must carry a higher one than the invitation it replaces). Not journaled:
    undo must not lower a number guests' calendars have already seen."""
    _run(
        db,
        """
        create table mail_sequences (
            event_id integer primary key references events(id) on delete cascade,
            sequence integer not null default 0
        );
        """,
    )


@migrations()
def m0006_occurrence_uids(db: Database) -> None:
    """Occurrence UIDs of the old form "SERIES#YYYYMMDD" take the new mark, where SERIES is a
    repeating event that leaves that day out (the sign it was made from a RECURRENCE-ID);
    any other UID with a "#" is the event's own and stays. Not an undoable change."""
    (highest,) = db.execute("select coalesce(max(seq), 0) from undo_log").fetchone()
    rows = db.execute(
        "select o.id, o.uid, s.repeat from events o join events s"
        " on s.uid = substr(o.uid, 1, length(o.uid) - 9)"
        " where o.uid glob '*#[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]' and s.repeat is not null"
    ).fetchall()
    for event_id, uid, repeat in rows:
        series, day = uid[:-9], uid[-8:]
        if re.search(rf"EXDATE:[0-9,]*{day}", repeat or ""):
            db.execute(
                "update events set uid = ? where id = ?",
                [f"{series}{OCCURRENCE_MARK}{day}", event_id],
            )
    db.execute("delete from undo_log where seq > ?", [highest])


@migrations()
def m0007_tasks(db: Database) -> None:
    """Planning tasks: each event's checklist, journaled for undo and searched by title."""
    _run(
        db,
        f"""
        create table tasks (
            {_RECORD},
            event_id integer not null references events(id) on delete cascade,
            title text not null,
            due_date text,
            due_offset integer,
            due_anchor text,
            done_on text,
            owner_id integer references people(id) on delete set null,
            notes text,
            position integer not null default 0
        );
        create index tasks_event on tasks(event_id, position);
        create index tasks_open on tasks(done_on) where done_on is null;
        """,
    )
    journal_tables(db, ("tasks",))
    _search_triggers(db, "task", "tasks", "title", "coalesce(notes, '')", SEARCH_CODES["task"])


def _search_triggers(db: Database, kind: str, table: str, title: str, body: str, code: int) -> None:
    """Keep `table` in the search index by rowid (record id * 8 + code), as m0004 does."""
    _index_triggers(db, kind, table, title, body.replace("coalesce(", "coalesce(new."), code)


def _index_triggers(
    db: Database, kind: str, table: str, title: str, new_body: str, code: int
) -> None:
    """The three triggers keeping `table`'s rows in the search index (`new_body`: the
    text's SQL over the trigger's new row)."""
    new_row = (
        f"insert into search_index (rowid, kind, record_id, title, body)"
        f" select new.id * 8 + {code}, '{kind}', new.id, new.{title},"
        f" {new_body} where new.deleted_at is null;"
    )
    forget = f"delete from search_index where rowid = old.id * 8 + {code};"
    db.execute(f"create trigger {table}_search_insert after insert on {table} begin {new_row} end")
    db.execute(
        f"create trigger {table}_search_update after update on {table} begin {forget} {new_row} end"
    )
    db.execute(f"create trigger {table}_search_delete after delete on {table} begin {forget} end")


def bulk_insert_followups(table: str, highest: int) -> list[tuple[str, list[str]]]:
    """What the per-row "after insert" triggers of `table` do, as set-based statements over
    the rows above rowid `highest`: each trigger to set aside with the statements doing its
    work once. A large import writes 100,000 rows in one statement; one insert into the
    search index and one into the sync outbox for the lot cost far less than a trigger run
    per row (the outbox row of the guest list's event was replaced once per guest).

    Kept beside the triggers it stands for (m0004, m0007's tasks, m0008);
    tests/domain/test_import_batches.py checks both paths leave the same index and outbox.
    """
    above = f"rowid > {int(highest)}"
    work: list[tuple[str, list[str]]] = []
    searched = {
        table: (kind, title, search_body(fields))
        for kind, (table, title, fields) in SEARCH_FIELDS.items()
    }
    searched["tasks"] = ("task", "title", "coalesce(notes, '')")
    if table in searched:
        kind, title, body = searched[table]
        index = (
            f"insert into search_index (rowid, kind, record_id, title, body)"
            f" select id * 8 + {SEARCH_CODES[kind]}, '{kind}', id, {title}, {body}"
            f" from {table} where {above} and deleted_at is null order by rowid"
        )
        work.append((f"{table}_search_insert", [index]))
    quiet = "not exists (select 1 from sync_applying)"
    enqueue = "insert or replace into sync_outbox (uid, kind)"
    if table in SYNCED_RECORDS:
        queue = (
            f"{enqueue} select uid, '{SYNCED_RECORDS[table]}' from {table}"
            f" where {above} and {quiet} order by rowid"
        )
        work.append((f"{table}_sync_insert", [queue]))
    elif table in SYNCED_PARTS:
        parents = [
            f"{enqueue} select uid, '{SYNCED_RECORDS[parent]}' from {parent}"
            f" where id in (select {column} from {table} where {above}) and {quiet}"
            for parent, column in SYNCED_PARTS[table]
        ]
        work.append((f"{table}_sync_insert", parents))
    return work


def _run(db: Database, script: str) -> None:
    """Run each statement of `script` inside the caller's transaction.

    Not `executescript`: it commits first, which would break the one transaction a
    migration runs in.
    """
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            db.execute(statement)
            statement = ""
    if statement.strip():
        db.execute(statement)


def known_names() -> list[str]:
    """Names of every migration this version knows, oldest first."""
    return [migration.name for migration in migrations._migrations]


# Record tables whose rows are sync resources of their own: table -> kind.
SYNCED_RECORDS = {
    "events": "event",
    "people": "person",
    "organisations": "organisation",
    "publications": "publication",
    "sessions": "session",
    "tasks": "task",
}
# Tables whose rows belong to another record's resource: table -> [(parent table, column)].
SYNCED_PARTS = {
    "invitations": [("events", "event_id")],
    "event_contacts": [("events", "event_id")],
    "event_partners": [("events", "event_id")],
    "event_publications": [("events", "event_id")],
    "event_links": [("events", "event_a"), ("events", "event_b")],
    "publication_links": [("publications", "publication_a"), ("publications", "publication_b")],
    "session_speakers": [("sessions", "session_id")],
}


@migrations()
def m0008_sync(db: Database) -> None:
    """Team sharing (CalDAV/CardDAV): what the server last had of each record (the merge
    base), an outbox of records changed here since, sync tokens, and conflicts waiting for
    the officer.

    The outbox is filled by triggers, so every local write (an edit, an import, an undo)
    queues its record in the same transaction. The sync's own writes set the one-row flag
    `sync_applying` inside their transaction, and the triggers skip while it is set. None
    of these tables is journaled: undo must not rewind what the server has seen.
    """
    _run(
        db,
        """
        create table sync_shadow (
            uid text primary key,
            kind text not null,
            collection text not null,
            href text not null,
            etag text,
            base text not null
        );
        create index sync_shadow_href on sync_shadow(href);
        create table sync_outbox (
            seq integer primary key autoincrement,
            uid text not null unique,
            kind text not null
        );
        create table sync_tokens (
            collection text primary key,
            token text not null
        );
        create table sync_conflicts (
            uid text not null,
            kind text not null,
            field text not null,
            local text,
            remote text,
            at text not null,
            primary key (uid, field)
        );
        create table sync_applying (
            one integer primary key check (one = 1)
        );
        create table sync_meta (
            key text primary key,
            value text not null
        );
        """,
    )
    enqueue = "insert or replace into sync_outbox (uid, kind)"
    quiet = "not exists (select 1 from sync_applying)"
    for table, kind in SYNCED_RECORDS.items():
        for action, row in (("insert", "new"), ("update", "new"), ("delete", "old")):
            db.execute(
                f"create trigger {table}_sync_{action} after {action} on {table}"
                f" when {quiet} begin {enqueue} values ({row}.uid, '{kind}'); end"
            )
    for table, parents in SYNCED_PARTS.items():
        for action, rows in (
            ("insert", ("new",)),
            ("update", ("old", "new")),
            ("delete", ("old",)),
        ):
            body = " ".join(
                f"{enqueue} select uid, '{SYNCED_RECORDS[parent]}' from {parent}"
                f" where id = {row}.{column};"
                for parent, column in parents
                for row in rows
            )
            db.execute(
                f"create trigger {table}_sync_{action} after {action} on {table}"
                f" when {quiet} begin {body} end"
            )


@migrations()
def m0009_task_watch(db: Database) -> None:
    """A task can watch its event's guest list: "replies:N" (chase after N days) or "needs"."""
    db.execute("alter table tasks add column watch text")
    journal_tables(db, ("tasks",))


@migrations()
def m0010_series_end(db: Database) -> None:
    """Where a repeating series ends: `series_end`, the last day an occurrence can cover
    (recurrence.series_end: UNTIL or a plain COUNT, plus the event's length), null when the
    rule has no end. The agenda and the calendar read only the series that reach their
    range instead of every series on every call (issue 24's 30-day agenda).

    Filled for the series already there with the sync's own flag set, so that a derived
    column does not queue every series for the server; the undo triggers are rebuilt after
    (they see the column from then on; the fill itself is no step to undo).
    """
    db.execute("alter table events add column series_end text")
    rows = db.execute(
        "select id, start_date, end_date, repeat from events where repeat is not null"
    ).fetchall()
    db.execute("insert or ignore into sync_applying (one) values (1)")
    for event_id, start, end, repeat in rows:
        try:
            first, last = date.fromisoformat(start), date.fromisoformat(end)
        except (TypeError, ValueError):
            continue  # left null: read on every call, as before
        db.execute(
            "update events set series_end = ? where id = ?",
            [series_end(repeat, first, last), event_id],
        )
    db.execute("delete from sync_applying")
    db.execute(
        "create index events_series_end on events(series_end, start_date)"
        " where repeat is not null and deleted_at is null"
    )
    journal_tables(db, ("events",))


def _remake_search_index(db: Database, prefix: str) -> None:
    """The search index made again with these prefix indexes (FTS5 cannot add one to a
    table), its rows as they were (rowids included); the triggers that keep it in step
    name it and need no change."""
    db.execute(
        "create temp table search_rows as"
        " select rowid as row, kind, record_id, title, body from search_index"
    )
    db.execute("drop table search_index")
    db.execute(
        "create virtual table search_index using fts5("
        "kind unindexed, record_id unindexed, title, body,"
        f" tokenize = 'unicode61 remove_diacritics 2', prefix = '{prefix}')"
    )
    db.execute(
        "insert into search_index (rowid, kind, record_id, title, body)"
        " select row, kind, record_id, title, body from search_rows order by row"
    )
    db.execute("drop table search_rows")


@migrations()
def m0011_search_one_letter(db: Database) -> None:
    """The search index gets a prefix index of one letter too (it had two and three).

    The search screen searches from the first letter typed: without it, FTS5 gathered every
    word that begins with that letter, 10-20 ms a query on a database of 100,000 events
    (twice: the results and their count), most of a keystroke (issue 24); with it, under
    1 ms. The index is about a third larger. FTS5 cannot add a prefix index to a table,
    so the table is made again with its rows as they were (rowids included); the triggers
    that keep it in step name it and need no change.
    """
    _remake_search_index(db, "1 2 3")


@migrations()
def m0012_reply_times(db: Database) -> None:
    """A guest-list line keeps when the reply applied to it was written (`responded_at`,
    ISO-8601 in UTC: the reply's DTSTAMP, else its mail's Date), beside the day: two mailed
    answers of one day are then put in order. Null for replies marked by hand."""
    db.execute("alter table invitations add column responded_at text")
    journal_tables(db, ("invitations",))


@migrations()
def m0013_day_spans(db: Database) -> None:
    """An index of the days the live single events cover, holding all the month grid
    counts: the first screen's count of six weeks' events read them from the index alone
    (0.3 ms) instead of each event's row (2 ms at 100k events, issue 24's start)."""
    db.execute(
        "create index events_day_spans on events(start_date, end_date)"
        " where deleted_at is null and repeat is null"
    )


SEARCH_FIELDS = {
    "event": (
        "events",
        "title",
        ("location", "venue", "program_area", "summary", "description", "notes"),
    ),
    "person": ("people", "name", ("role", "program_area", "email", "bio", "notes")),
    "organisation": ("organisations", "name", ("short_name", "kind", "notes")),
    "publication": ("publications", "title", ("program_area", "type", "summary")),
    "session": ("sessions", "title", ("room", "description")),
}
"""What each kind of record gives search (since m0014): (table, title column, the fields
of its text, in the order a snippet shows them)."""

SEARCH_SEPARATOR = " · "
"""Between the fields of a record's search text: a snippet reads 'Nairobi, Kenya · Nairobi
City Hall · Mass Violence…', not the fields run together. The tokenizer skips it."""


def search_body(fields: tuple[str, ...], row: str = "") -> str:
    """The SQL of a record's search text: its non-empty fields joined by SEARCH_SEPARATOR
    (`row` is "new." inside a trigger)."""
    parts = " || ".join(
        f"coalesce('{SEARCH_SEPARATOR}' || nullif({row}{field}, ''), '')" for field in fields
    )
    return f"substr({parts}, {len(SEARCH_SEPARATOR) + 1})"


@migrations()
def m0014_search_fields_apart(db: Database) -> None:
    """A record's search text keeps its fields apart (SEARCH_SEPARATOR): the snippets of
    search results ran them together ('Nairobi, Kenya Nairobi City Hall Mass Violence and
    Atrocities Practitioners…'). Matching is as before (the tokenizer skips the
    separator); the triggers and the rows of these kinds are made again."""
    for kind, (table, title, fields) in SEARCH_FIELDS.items():
        code = SEARCH_CODES[kind]
        for action in ("insert", "update", "delete"):
            db.execute(f"drop trigger if exists {table}_search_{action}")
        _index_triggers(db, kind, table, title, search_body(fields, "new."), code)
        db.execute("delete from search_index where kind = ?", [kind])
        db.execute(
            f"insert into search_index (rowid, kind, record_id, title, body)"
            f" select id * 8 + {code}, '{kind}', id, {title}, {search_body(fields)}"
            f" from {table} where deleted_at is null order by id"
        )


@migrations()
def m0015_guest_counts(db: Database) -> None:
    """An index holding each guest list's counts by status: the agenda and the pipeline
    count the guests of every event they show (1,100 events in 30 days at 100k: 16 ms
    reading each live invitation's row, 3 ms from the index alone, issue 24)."""
    db.execute(
        "create index invitations_guest_counts on invitations(event_id, status)"
        " where deleted_at is null"
    )


@migrations()
def m0016_database_identity(db: Database) -> None:
    """A uid of the database itself, made once: the messages it queues carry it, so that
    two databases in one folder (one outbox/ beside both) each send only their own. Not
    journaled (undo never changes it) and never synced (each copy of a program that a team
    shares is its own database)."""
    import uuid

    db.execute(
        "create table database_identity (one integer primary key check (one = 1),"
        " uid text not null)"
    )
    db.execute("insert into database_identity (one, uid) values (1, ?)", [str(uuid.uuid4())])


@migrations()
def m0017_identity_path(db: Database) -> None:
    """Where the database's identity belongs (its file's path, recorded when it is opened):
    opened elsewhere while that place still holds the original, it is a copy and gets an
    identity of its own (see tui/domain/store/identity.py)."""
    db.execute("alter table database_identity add column path text")


@migrations()
def m0018_search_longer_prefixes(db: Database) -> None:
    """The search index gets prefix indexes of four, five and six letters too (it had one
    to three), made again as m0011 made it.

    Typing a word, its fourth to sixth letters made FTS5 gather every word that begins
    so ("peac": peace, peaceful, peacebuilding ...) and merge their lists of rows: 2-3 ms
    for each of the two queries of a keystroke at 100k events (whether to rank and the
    count, then the titles), most of the query's time (issue 24); with them, 0.1-0.6 ms.
    Past six letters few words share a beginning. The index is about half as large again
    (76 MB of index rows at 100k events: 117 MB); writing it, an import takes 2 s more
    at 100k."""
    _remake_search_index(db, "1 2 3 4 5 6")
