"""Queries: events by date, links, agendas, guest lists, checklists and lookups."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from datetime import date
from typing import Any, cast

from tui.domain.errors import InvalidInput
from tui.domain.models import (
    Event,
    GuestLine,
    Invitation,
    Organisation,
    Person,
    PersonSummary,
    Publication,
    Session,
    Task,
)
from tui.domain.store.records import TABLES, Records, _model_from_row
from tui.domain.text import fold

# Link tables: name -> (table, left column, right column, symmetric)
LINKS: dict[str, tuple[str, str, str, bool]] = {
    "contact": ("event_contacts", "event_id", "person_id", False),
    "partner": ("event_partners", "event_id", "organisation_id", False),
    "related_event": ("event_links", "event_a", "event_b", True),
    "event_publication": ("event_publications", "event_id", "publication_id", False),
    "related_publication": ("publication_links", "publication_a", "publication_b", True),
}


class Queries(Records):
    """Reads that join tables or pick records by date, and the typed links."""

    def events_between(self, start: date, end: date) -> list[Event]:
        """Live, non-repeating events that touch [start, end], in calendar order."""
        longest = self._rows("select max(span_days) as n from events")[0]["n"] or 0
        earliest = date.fromordinal(max(1, start.toordinal() - int(longest)))
        return self._records(
            Event,
            "select * from events where start_date between ? and ? and end_date >= ?"
            " and deleted_at is null and repeat is null"
            " order by start_date, start_time is not null, start_time, title",
            [earliest.isoformat(), end.isoformat(), start.isoformat()],
        )

    def event_spans_between(self, start: date, end: date) -> list[tuple[date, date, int]]:
        """(first day, last day, how many) of the live, non-repeating events that touch
        [start, end]: the days the month grid marks, without reading the records."""
        longest = self._rows("select max(span_days) as n from events")[0]["n"] or 0
        earliest = date.fromordinal(max(1, start.toordinal() - int(longest)))
        with self._lock:
            rows = self._conn.execute(
                "select start_date, end_date, count(*) from events"
                " where start_date between ? and ? and end_date >= ?"
                " and deleted_at is null and repeat is null group by start_date, end_date",
                [earliest.isoformat(), end.isoformat(), start.isoformat()],
            ).fetchall()
        return [(date.fromisoformat(a), date.fromisoformat(b), n) for a, b, n in rows]

    def uids_with_prefix(self, prefix: str) -> list[str]:
        """Uids of live events that begin with `prefix` (a series' own occurrences, whose
        uids are the series' uid, a mark and the day), in uid order."""
        rows = self._rows(
            "select uid from events where uid > ? and uid < ? and deleted_at is null order by uid",
            [prefix, prefix + "\U0010ffff"],
        )
        return [row["uid"] for row in rows]

    def _own_days(self, series: Event) -> list[dict[str, Any]]:
        """The live events a series' days became when changed on their own (their uids:
        the series' uid, a mark and the day), by uid."""
        if not series.repeat or not series.uid:
            return []
        from tui.domain.recurrence import OCCURRENCE_MARK

        return self._rows(
            "select uid, start_date, end_date, status from events where uid > ? and uid < ?"
            " and deleted_at is null order by uid",
            [series.uid + OCCURRENCE_MARK, series.uid + OCCURRENCE_MARK + "\U0010ffff"],
        )

    def moved_occurrences(self, series: Event) -> list[tuple[date, date]]:
        """The first and last days of a series' occurrences changed on their own (events
        of their own, live and not cancelled): still dates of the series for its tasks."""
        return [
            (date.fromisoformat(row["start_date"]), date.fromisoformat(row["end_date"]))
            for row in self._own_days(series)
            if row["status"] != "cancelled"
        ]

    def moved_days(self, series: Event) -> list[tuple[date, date]]:
        """A series' days changed on their own: (the day, the first day of the event it
        became), by day; those in the trash left out."""
        from tui.domain.recurrence import split_occurrence_uid

        found = []
        for row in self._own_days(series):
            split = split_occurrence_uid(row["uid"])
            if split is not None:
                found.append((split[1], date.fromisoformat(row["start_date"])))
        return sorted(found)

    def repeating_events_until(self, end: date, start: date | None = None) -> list[Event]:
        """Live events with a repeat rule that begin on or before `end` (and, given `start`,
        whose series reaches it: `series_end`, null when the rule has no end)."""
        reach = "" if start is None else " and (series_end is null or series_end >= ?)"
        rows = self._rows(
            "select * from events where repeat is not null and start_date <= ?"
            f" and deleted_at is null{reach} order by start_date",
            [end.isoformat()] + ([] if start is None else [start.isoformat()]),
        )
        return [_model_from_row(Event, row) for row in rows]

    # -- links ------------------------------------------------------------------------

    def link(self, name: str, left: int, right: int, position: int | None = None) -> bool:
        """Add a typed link; True when it is new. Symmetric links are stored once."""
        table, left_column, right_column, symmetric = LINKS[name]
        if symmetric:
            if left == right:
                raise InvalidInput("a record cannot be related to itself")
            left, right = min(left, right), max(left, right)
        columns = [left_column, right_column]
        values: list[Any] = [left, right]
        if position is not None:
            columns.append("position")
            values.append(position)
        try:
            cursor = self._write(
                f"insert or ignore into {table} ({', '.join(columns)})"
                f" values ({', '.join('?' for _ in values)})",
                values,
            )
        except InvalidInput:
            raise InvalidInput(f"cannot link: record {left} or {right} does not exist") from None
        return cursor.rowcount > 0

    def link_many(self, name: str, links: Sequence[tuple[int, int, int]]) -> int:
        """Add many typed links of an ordered kind ("contact", "partner") at once, each
        (left, right, position) as `link` adds one; returns how many were new.

        One statement for the lot, journaled in one undo line (see `_insert_set_aside`):
        a large import links an organizer to each of its 100,000 events.
        """
        table, left_column, right_column, symmetric = LINKS[name]
        if symmetric:
            raise ValueError(f"link_many takes ordered links, not {name}")
        if not links:
            return 0
        sql = (
            f"insert or ignore into {table} ({left_column}, {right_column}, position)"
            " values (?, ?, ?)"
        )
        try:
            return self._insert_set_aside(table, sql, links)
        except InvalidInput:
            raise InvalidInput("cannot link: a record of the batch does not exist") from None

    def unlink(self, name: str, left: int, right: int) -> bool:
        """Remove a typed link; True when there was one."""
        table, left_column, right_column, symmetric = LINKS[name]
        if symmetric:
            left, right = min(left, right), max(left, right)
        cursor = self._write(
            f"delete from {table} where {left_column} = ? and {right_column} = ?", [left, right]
        )
        return cursor.rowcount > 0

    def contacts_for(self, event_id: int) -> list[PersonSummary]:
        """The event's staff contacts, in page order."""
        rows = self._rows(
            "select p.id, p.name, p.role, p.program_area, p.is_staff, o.name as organisation"
            " from event_contacts c join people p on p.id = c.person_id"
            " left join organisations o on o.id = p.organisation_id and o.deleted_at is null"
            " where c.event_id = ? and p.deleted_at is null order by c.position, p.name",
            [event_id],
        )
        return [_summary(row) for row in rows]

    def partners_for(self, event_id: int) -> list[Organisation]:
        """The event's partner organisations."""
        return self._records(
            Organisation,
            "select o.* from event_partners x join organisations o on o.id = x.organisation_id"
            " where x.event_id = ? and o.deleted_at is null order by x.position, o.name",
            [event_id],
        )

    def related_events(self, event_id: int) -> list[Event]:
        """Events linked to this one, from either end, newest first."""
        return self._records(
            Event,
            "select e.* from events e join ("
            " select event_b as other from event_links where event_a = :id"
            " union select event_a from event_links where event_b = :id) l on e.id = l.other"
            " where e.deleted_at is null order by e.start_date desc, e.title",
            {"id": event_id},
        )

    def publications_for_event(self, event_id: int) -> list[Publication]:
        """Publications linked to an event."""
        return self._records(
            Publication,
            "select p.* from event_publications x join publications p on p.id = x.publication_id"
            " where x.event_id = ? and p.deleted_at is null"
            " order by p.published desc nulls last, p.title",
            [event_id],
        )

    def events_for_publication(self, publication_id: int) -> list[Event]:
        """Events linked to a publication."""
        return self._records(
            Event,
            "select e.* from event_publications x join events e on e.id = x.event_id"
            " where x.publication_id = ? and e.deleted_at is null order by e.start_date desc",
            [publication_id],
        )

    def related_publications(self, publication_id: int) -> list[Publication]:
        """Publications linked to this one, from either end."""
        return self._records(
            Publication,
            "select p.* from publications p join ("
            " select publication_b as other from publication_links where publication_a = :id"
            " union select publication_a from publication_links where publication_b = :id)"
            " l on p.id = l.other where p.deleted_at is null order by p.title",
            {"id": publication_id},
        )

    def events_for_contact(self, person_id: int) -> list[Event]:
        """Events a person is the staff contact for."""
        return self._records(
            Event,
            "select e.* from event_contacts c join events e on e.id = c.event_id"
            " where c.person_id = ? and e.deleted_at is null order by e.start_date desc",
            [person_id],
        )

    def event_ids_for_partner_named(self, name: str) -> set[int]:
        """Ids of events partnered by organisations with this name or short name."""
        rows = self._rows(
            "select x.event_id from event_partners x join organisations o"
            " on o.id = x.organisation_id where o.deleted_at is null"
            " and (o.name_key = ? or lower(o.short_name) = lower(?))",
            [fold(name), name.strip()],
        )
        return {row["event_id"] for row in rows}

    def program_areas(self) -> list[str]:
        """Every program area in use, for filter choices."""
        rows = self._rows(
            "select distinct program_area from events where program_area is not null"
            " and deleted_at is null order by program_area"
        )
        return [row["program_area"] for row in rows]

    def partner_names(self) -> list[str]:
        """Organisations that partnered at least one event, for filter choices."""
        rows = self._rows(
            "select distinct o.name from organisations o join event_partners x"
            " on x.organisation_id = o.id where o.deleted_at is null order by o.name_key"
        )
        return [row["name"] for row in rows]

    def events_for_partner(self, organisation_id: int) -> list[Event]:
        """Events an organisation partnered."""
        return self._records(
            Event,
            "select e.* from event_partners x join events e on e.id = x.event_id"
            " where x.organisation_id = ? and e.deleted_at is null order by e.start_date desc",
            [organisation_id],
        )

    # -- planning tasks ---------------------------------------------------------------

    def tasks_for(self, event_id: int) -> list[Task]:
        """An event's checklist, in its order."""
        return self._records(
            Task,
            "select * from tasks where event_id = ? and deleted_at is null order by position, id",
            [event_id],
        )

    def open_tasks_until(
        self, until: date, since: date | None = None, today: date | None = None
    ) -> list[tuple[Task, Event, date]]:
        """Open tasks of live events (not cancelled ones) due on or before `until` (and,
        given `since`, on or after it), each with its event and due day, in due order (a
        relative one counted from its event's start or end; on a repeating event, given
        `today`, from the occurrence it is about then: see tasks.cycle_occurrence)."""
        from tui.domain.tasks import due_on

        due = (
            "coalesce(t.due_date, date(case t.due_anchor when 'end' then e.end_date"
            " else e.start_date end, t.due_offset || ' days'))"
        )
        # A repeating event's relative tasks are counted in Python (the rule expanded).
        cycled = "t.due_date is null and e.repeat is not null and e.repeat != ''"
        fixed = "1" if today is None else f"not ({cycled})"
        rows = self._rows(
            f"select t.id as task_id, e.id as event_id, {due} as due from tasks t"
            " join events e on e.id = t.event_id"
            " where t.deleted_at is null and e.deleted_at is null and t.done_on is null"
            " and coalesce(e.status, '') != 'cancelled'"
            f" and {fixed} and {due} is not null and {due} <= ?"
            + ("" if since is None else f" and {due} >= ?"),
            [until.isoformat()] + ([] if since is None else [since.isoformat()]),
        )
        found: list[tuple[Task, Event, date]] = []
        events: dict[int, Event] = {}

        def event_of(event_id: int) -> Event:
            if event_id not in events:
                events[event_id] = self.get(Event, event_id)
            return events[event_id]

        for row in rows:
            task = self.get(Task, row["task_id"])
            found.append((task, event_of(row["event_id"]), date.fromisoformat(row["due"])))
        if today is not None:
            moved: dict[int, list[tuple[date, date]]] = {}  # read once per series
            for row in self._rows(
                "select t.id as task_id, e.id as event_id from tasks t"
                " join events e on e.id = t.event_id"
                " where t.deleted_at is null and e.deleted_at is null and t.done_on is null"
                " and coalesce(e.status, '') != 'cancelled'"
                f" and t.due_offset is not null and {cycled}",
                [],
            ):
                series = event_of(row["event_id"])
                if row["event_id"] not in moved:
                    moved[row["event_id"]] = self.moved_occurrences(series)
                task = self.get(Task, row["task_id"])
                day = due_on(task, series, today, moved[row["event_id"]])
                if day is not None and day <= until and (since is None or day >= since):
                    found.append((task, series, day))
        found.sort(
            key=lambda item: (item[2], item[1].start_date, item[0].position, item[0].id or 0)
        )
        return found

    def open_tasks_owned(self, person_id: int) -> int:
        """How many open tasks of live events `person_id` owns."""
        rows = self._rows(
            "select count(*) as n from tasks join events on events.id = tasks.event_id"
            " where tasks.owner_id = ? and tasks.done_on is null and tasks.deleted_at is null"
            " and events.deleted_at is null",
            [person_id],
        )
        return int(rows[0]["n"])

    def staff_people(self) -> list[Person]:
        """The foundation's own staff (a task's possible owners), by name."""
        return self._records(
            Person,
            "select * from people where is_staff = 1 and deleted_at is null order by name, id",
        )

    def owner_names(self, person_ids: Sequence[int]) -> dict[int, str]:
        """The names of these people (task owners); one in the trash has none: the task
        shows no owner until they are restored (its owner is kept)."""
        ids = sorted(set(person_ids))
        if not ids:
            return {}
        rows = self._rows(
            f"select id, name from people where id in ({', '.join('?' * len(ids))})"
            " and deleted_at is null",
            ids,
        )
        return {int(row["id"]): str(row["name"]) for row in rows}

    def people_by_ids(self, person_ids: Sequence[int]) -> dict[int, Person]:
        """These people by id (task owners for the export), but those in the trash."""
        found: dict[int, Person] = {}
        for part in _parts(sorted(set(person_ids))):
            marks = ", ".join("?" * len(part))
            sql = f"select * from people where id in ({marks}) and deleted_at is null"
            for row in self._rows(sql, part):
                found[int(row["id"])] = _model_from_row(Person, row)
        return found

    # -- sessions and invitations -----------------------------------------------------

    def sessions_for(self, event_id: int) -> list[Session]:
        """An event's agenda, day by day, in order, with speakers."""
        rows = self._rows(
            "select * from sessions where event_id = ? and deleted_at is null"
            " order by date, position, start_time, id",
            [event_id],
        )
        speakers = self._speakers_by_session([row["id"] for row in rows])
        return [
            replace(_model_from_row(Session, row), speakers=tuple(speakers.get(row["id"], ())))
            for row in rows
        ]

    def invitations_for(self, event_id: int) -> list[Invitation]:
        """An event's guest list."""
        return self._records(
            Invitation,
            "select i.* from invitations i join people p on p.id = i.person_id"
            " where i.event_id = ? and i.deleted_at is null and p.deleted_at is null"
            " order by p.name_key",
            [event_id],
        )

    def guest_lines(self, event_id: int) -> list[GuestLine]:
        """An event's guest list with each guest's name, email and organisation, one query."""
        rows = self._rows(
            "select i.*, p.name as person_name, p.email as person_email,"
            " o.name as organisation_name from invitations i"
            " join people p on p.id = i.person_id"
            " left join organisations o on o.id = p.organisation_id and o.deleted_at is null"
            " where i.event_id = ? and i.deleted_at is null and p.deleted_at is null"
            " order by p.name_key, p.id",
            [event_id],
        )
        return [
            GuestLine(
                invitation=_model_from_row(Invitation, row),
                name=row["person_name"],
                email=row["person_email"],
                organisation=row["organisation_name"],
            )
            for row in rows
        ]

    def mail_sequence(self, event_id: int) -> int:
        """The SEQUENCE last mailed for this event (0 before any update)."""
        rows = self._rows("select sequence from mail_sequences where event_id = ?", [event_id])
        return int(rows[0]["sequence"]) if rows else 0

    def next_mail_sequence(self, event_id: int) -> int:
        """Raise the event's SEQUENCE by one and return it (an update or a cancellation);
        the event goes to the team's server with it at the next sync."""
        with self.transaction():
            sequence = self.mail_sequence(event_id) + 1
            self.raise_mail_sequence(event_id, sequence)
            self._write(
                "insert or replace into sync_outbox (uid, kind)"
                " select uid, 'event' from events where id = ?",
                [event_id],
            )
        return sequence

    def raise_mail_sequence(self, event_id: int, sequence: int) -> None:
        """Make the event's SEQUENCE at least `sequence` (another officer's, from a sync)."""
        self._write(
            "insert into mail_sequences (event_id, sequence) values (?, ?)"
            " on conflict (event_id) do update set sequence = max(sequence, excluded.sequence)",
            [event_id, sequence],
        )

    def invitation_for(
        self, event_id: int, person_id: int, *, include_deleted: bool = False
    ) -> Invitation | None:
        """The line of this person on this event's guest list, if any."""
        rows = self._rows(
            "select * from invitations where event_id = ? and person_id = ?", [event_id, person_id]
        )
        if not rows or (rows[0]["deleted_at"] and not include_deleted):
            return None
        return _model_from_row(Invitation, rows[0])

    def people_by_email(self) -> dict[str, int]:
        """Each e-mail address (lower case) with the first live person who has it: read once
        per imported file, so matching guests costs a lookup, not a query each."""
        rows = self._rows(
            "select lower(email) as email, min(id) as id from people"
            " where email is not null and deleted_at is null group by lower(email)"
        )
        return {row["email"]: row["id"] for row in rows}

    def first_with_key(self, key: str) -> tuple[int, str, str | None] | None:
        """(id, name, email) of the first live person whose name_key is `key` (as fold()
        makes it: the one `by_key(Person, name)` lists first), or None: an import's match
        by name, without reading the whole person."""
        with self._lock:
            row = self._conn.execute(
                "select id, name, email from people where name_key = ? and deleted_at is null"
                " order by id limit 1",
                [key],
            ).fetchone()
        return (int(row[0]), str(row[1]), row[2]) if row is not None else None

    def each_value(self, table: str, column: str, *, live: bool = False) -> Iterator[Any]:
        """Every value of one column of a record table (`live`: of the rows not in the
        trash), read 5,000 rows at a time: an import's look-up filters, built without
        holding a whole column in memory."""
        if table not in TABLES.values() or not column.isidentifier():
            raise ValueError(f"not a column of a record table: {table}.{column}")
        trash = " and deleted_at is null" if live else ""
        sql = (
            f"select rowid, {column} from {table} where rowid > ?{trash} order by rowid limit 5000"
        )
        last = 0
        while True:
            with self._lock:
                rows = self._conn.execute(sql, [last]).fetchall()
            if not rows:
                return
            for _, value in rows:
                yield value
            last = rows[-1][0]

    def people_matching(self, match: str | None, email: str | None, limit: int) -> list[Person]:
        """People whose name or details match an FTS query (best first), or by exact email."""
        found: dict[int, Person] = {}
        if email:
            for row in self._rows(
                "select * from people where lower(email) = lower(?) and deleted_at is null"
                " order by id limit ?",
                [email, limit],
            ):
                found[row["id"]] = _model_from_row(Person, row)
        if match:
            rows = self._rows(
                "select p.* from search_index s join people p on p.id = s.record_id"
                " where search_index match ? and s.kind = 'person' and p.deleted_at is null"
                " order by rank limit ?",
                [f"title : ({match})", limit],
            )
            for row in rows:
                found.setdefault(row["id"], _model_from_row(Person, row))
        return list(found.values())[:limit]

    def invitation_counts(self, event_ids: Sequence[int]) -> dict[int, dict[str, int]]:
        """Guest-list counts per status for each event id."""
        if not event_ids:
            return {}
        result: dict[int, dict[str, int]] = {}
        for chunk_start in range(0, len(event_ids), 500):
            chunk = list(event_ids[chunk_start : chunk_start + 500])
            marks = ", ".join("?" for _ in chunk)
            rows = self._rows(
                "select event_id, status, count(*) as n from invitations"
                f" where event_id in ({marks}) and deleted_at is null group by event_id, status",
                chunk,
            )
            for row in rows:
                result.setdefault(row["event_id"], {})[row["status"]] = row["n"]
        return result

    def event_titles(self, event_ids: Sequence[int]) -> dict[int, str]:
        """The titles of the events with these ids (deleted ones left out), one query a
        500 ids."""
        return {
            row["id"]: row["title"] for row in self._live_rows("events", "id, title", event_ids)
        }

    def _live_rows(self, table: str, columns: str, ids: Sequence[int]) -> list[dict[str, Any]]:
        """`columns` of the live rows of `table` with these ids (in the trash or gone: left
        out), one query a 500 ids."""
        rows: list[dict[str, Any]] = []
        for part in _parts(list(dict.fromkeys(ids))):
            marks = ", ".join("?" * len(part))
            rows += self._rows(
                f"select {columns} from {table} where id in ({marks}) and deleted_at is null",
                part,
            )
        return rows

    def event_days(self, event_ids: Sequence[int]) -> dict[int, tuple[date, date, bool]]:
        """Each live event's first and last day and whether it repeats, by id."""
        rows = self._live_rows(
            "events", "id, start_date, end_date, repeat is not null as repeats", event_ids
        )
        return {
            row["id"]: (
                date.fromisoformat(row["start_date"]),
                date.fromisoformat(row["end_date"]),
                bool(row["repeats"]),
            )
            for row in rows
        }

    def session_days(self, session_ids: Sequence[int]) -> dict[int, tuple[int, date]]:
        """Each live session's event and day, by id."""
        rows = self._live_rows("sessions", "id, event_id, date", session_ids)
        return {row["id"]: (row["event_id"], date.fromisoformat(row["date"])) for row in rows}

    def pick_details(self, kind: str, ids: Sequence[int]) -> dict[int, str]:
        """What a picker shows beside each title found by words: an event's first day, a
        publication's date, an organisation's short name (one query)."""
        column = {"event": "start_date", "publication": "published", "organisation": "short_name"}
        table = {"event": "events", "publication": "publications", "organisation": "organisations"}
        if kind not in column or not ids:
            return {}
        details: dict[int, str] = {}
        for part in _parts(list(ids)):
            marks = ", ".join("?" * len(part))
            rows = self._rows(
                f"select id, {column[kind]} as detail from {table[kind]} where id in ({marks})",
                part,
            )
            details.update((row["id"], row["detail"] or "") for row in rows)
        return details

    def events_for_person(self, person_id: int) -> list[tuple[Event, str]]:
        """Events a person was invited to or spoke at, with their part ("invited: accepted")."""
        rows = self._rows(
            "select e.*, 'guest: ' || i.status as part from invitations i"
            " join events e on e.id = i.event_id where i.person_id = :id"
            " and i.deleted_at is null and e.deleted_at is null"
            " union select e.*, s.role as part from session_speakers s"
            " join sessions x on x.id = s.session_id join events e on e.id = x.event_id"
            " where s.person_id = :id and x.deleted_at is null and e.deleted_at is null"
            " order by start_date desc",
            {"id": person_id},
        )
        return [(_model_from_row(Event, row), row["part"]) for row in rows]

    # -- reading many events' parts at once (an export of any size, in batches) -------

    def live_event_ids(self) -> list[int]:
        """Every live event's id, in calendar order (ints only: cheap at any size)."""
        with self._lock:
            rows = self._conn.execute(
                "select id from events where deleted_at is null"
                " order by start_date, start_time, title"
            ).fetchall()
        return [row[0] for row in rows]

    def events_by_ids(self, ids: Sequence[int]) -> list[Event]:
        """The live events among `ids`, in the order of `ids`."""
        found: dict[int, Event] = {}
        for part in _parts(ids):
            marks = ", ".join("?" * len(part))
            for row in self._rows(
                f"select * from events where id in ({marks}) and deleted_at is null", part
            ):
                found[row["id"]] = _model_from_row(Event, row)
        return [found[i] for i in ids if i in found]

    def ics_parts(
        self, ids: Sequence[int], guests_of: Sequence[int]
    ) -> tuple[
        dict[int, Person], dict[int, list[tuple[Invitation, Person]]], dict[int, list[Task]]
    ]:
        """For the events `ids`, in a few queries: the first staff contact with an e-mail
        address of each, the guests with their people of those in `guests_of` (in name
        order), and the planning tasks of each (in checklist order)."""
        organizers: dict[int, Person] = {}
        guests: dict[int, list[tuple[Invitation, Person]]] = {}
        tasks: dict[int, list[Task]] = {}
        for part in _parts(ids):
            marks = ", ".join("?" * len(part))
            for row in self._rows(
                "select c.event_id as contact_event, p.* from event_contacts c"
                " join people p on p.id = c.person_id"
                f" where c.event_id in ({marks}) and p.deleted_at is null"
                " order by c.event_id, c.position, p.name",
                part,
            ):
                event_id = row.pop("contact_event")
                if event_id not in organizers and row["email"]:
                    organizers[event_id] = _model_from_row(Person, row)
            for row in self._rows(
                f"select * from tasks where event_id in ({marks}) and deleted_at is null"
                " order by event_id, position, id",
                part,
            ):
                tasks.setdefault(row["event_id"], []).append(_model_from_row(Task, row))
        for part in _parts(guests_of):
            marks = ", ".join("?" * len(part))
            invitations = [
                _model_from_row(Invitation, row)
                for row in self._rows(
                    "select i.* from invitations i join people p on p.id = i.person_id"
                    f" where i.event_id in ({marks}) and i.deleted_at is null"
                    " and p.deleted_at is null order by i.event_id, p.name_key",
                    part,
                )
            ]
            people: dict[int, Person] = {}
            person_ids = sorted({i.person_id for i in invitations})
            for people_part in _parts(person_ids):
                people_marks = ", ".join("?" * len(people_part))
                for row in self._rows(
                    f"select * from people where id in ({people_marks})", people_part
                ):
                    people[row["id"]] = _model_from_row(Person, row)
            for invitation in invitations:
                guests.setdefault(invitation.event_id, []).append(
                    (invitation, people[invitation.person_id])
                )
        return organizers, guests, tasks

    def event_keys_between(self, start: date, end: date) -> list[tuple[str, str, str, int]]:
        """(start date, start time or '', title, id) of the live, non-repeating events that
        touch [start, end], in calendar order: the ids without building the records."""
        with self._lock:
            rows = self._conn.execute(
                "select start_date, coalesce(start_time, ''), title, id from events"
                " where start_date <= ? and end_date >= ? and deleted_at is null"
                " and repeat is null order by start_date, start_time is not null,"
                " start_time, title",
                [end.isoformat(), start.isoformat()],
            ).fetchall()
        return [cast(tuple[str, str, str, int], tuple(row)) for row in rows]

    def people_by_keys(self, keys: Iterable[str]) -> dict[str, int]:
        """For each name key (folded name), the first live person who has it."""
        wanted = sorted(set(keys))
        found: dict[str, int] = {}
        for start in range(0, len(wanted), 500):
            part = wanted[start : start + 500]
            marks = ", ".join("?" * len(part))
            for row in self._rows(
                f"select name_key, min(id) as id from people where name_key in ({marks})"
                " and deleted_at is null group by name_key",
                part,
            ):
                found[row["name_key"]] = row["id"]
        return found

    def guest_list_by_person(self, event_id: int) -> dict[int, Invitation]:
        """An event's guest lines by person, those in the trash included."""
        rows = self._rows("select * from invitations where event_id = ?", [event_id])
        return {row["person_id"]: _model_from_row(Invitation, row) for row in rows}


def _parts(ids: Sequence[int], size: int = 500) -> Iterator[list[int]]:
    """`ids` in lists of at most `size` (SQLite's bound parameters are limited)."""
    for start in range(0, len(ids), size):
        yield list(ids[start : start + size])


def _summary(row: dict[str, Any]) -> PersonSummary:
    return PersonSummary(
        id=row["id"],
        name=row["name"],
        role=row["role"],
        program_area=row["program_area"],
        is_staff=bool(row["is_staff"]),
        organisation=row.get("organisation"),
    )
