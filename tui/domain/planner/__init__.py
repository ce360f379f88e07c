"""Planner: the use cases the app and the command line share, in the officer's words.

Every change passes through here, so this is the one place for undo entries and for the
backup before destructive work. One module per part of the screen:

- base: the store, the clock, saving/deleting any record as one named undo step, undo
- records: reading records; saving an event with its links, a person with their organisation
- calendar: occurrences over a range, filters, one occurrence of a series, search
- guests: the guest list (inviting, statuses, roles, the waitlist)
- links: related items
- agenda: sessions
- tasks: planning tasks and checklists
- trash: the trash
- this module: imports, exports and mail, which are handed the planner itself
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui.domain.errors import InvalidInput
from tui.domain.models import (
    Event,
    EventDetails,
    Organisation,
    Person,
    Publication,
    Task,
)
from tui.domain.privacy import guests_may_leave
from tui.domain.read_ahead import answered_ahead

if TYPE_CHECKING:
    from tui.domain.exporters import bundle_toml, calendar_ics, markdown
    from tui.domain.mail.compose import Organizer
    from tui.domain.mail.outbox import QueueReport
    from tui.domain.mail.send import Handover, SendReport
    from tui.domain.mail.settings import MailSettings
    from tui.domain.planner.checklist import ChecklistPart
from tui.domain.planner.base import (
    TrashItem,
    describe,
    sanitised,
    split_invite_line,
    split_name_email,
)
from tui.domain.planner.parts import Parts

__all__ = [
    "Planner",
    "TrashItem",
    "describe",
    "sanitised",
    "split_invite_line",
    "split_name_email",
]


IMPORT_BACKUP = "before-import"
"""The label of the backups written before an import (convener-STAMP-before-import.db)."""
KEPT_IMPORT_BACKUPS = 5


def _is_there(path: Path) -> bool:
    """Whether `path` is something an import could read (a file or a mail folder); False
    for a name the system refuses (too long, a component not a folder)."""
    try:
        return path.expanduser().exists()
    except (OSError, ValueError):
        return False


class Planner(Parts):
    """The narrow API over the store that the UI and the CLI call.

    What hands the planner itself to another module (exports, imports, mail, related items)
    lives here; everything else in its part."""

    @cached_property
    def checklist(self) -> ChecklistPart:
        """Task owners, what tasks watch on the guest list, and templates (issue 21)."""
        from tui.domain.planner.checklist import ChecklistPart  # not needed at start

        return ChecklistPart(self)

    def guests_csv(self, event_id: int, *, include_private: bool = False) -> str:
        """The guest list as CSV; an invitation-only event's only when asked for."""
        from tui.domain.exporters.guests_csv import guests_csv

        event = self.event(event_id)
        if not guests_may_leave(event, include_private):
            raise InvalidInput(
                f"{event.title!r} is invitation-only: its guest list leaves only with"
                " --include-private",
                value=str(event_id),
            )
        return guests_csv(self.guest_lines(event_id))

    def agenda_markdown(
        self, event_id: int, *, include_private: bool = False, day: date | None = None
    ) -> str:
        """The event agenda as Markdown; `day`: of a series, the date it starts that one
        occurrence on (InvalidInput when none does)."""
        from tui.domain.exporters import markdown

        return markdown.event_agenda(
            self._details_on(event_id, day), own_zone=self.own_zone, include_private=include_private
        )

    def briefing_markdown(
        self, event_id: int, *, include_private: bool = False, day: date | None = None
    ) -> str:
        """The briefing book as Markdown (`day`: as agenda_markdown)."""
        from tui.domain.exporters import markdown

        return markdown.briefing_book(
            self.briefing(event_id, day), own_zone=self.own_zone, include_private=include_private
        )

    def _details_on(self, event_id: int, day: date | None) -> EventDetails:
        """An event's details, as one occurrence of a series when `day` is given (the one
        taking place that day, from its first day)."""
        if day is None:
            return self.event_details(event_id)
        occurrence = self.occurrence_on(event_id, day)  # a day the event is not on is refused
        return replace(self.event_details(event_id), occurrence_day=occurrence.start_date)

    def briefing(self, event_id: int, day: date | None = None) -> markdown.Briefing:
        """What the briefing book of an event (or of one occurrence) is written from."""
        from tui.domain.exporters import markdown

        details = self._details_on(event_id, day)
        speakers = {
            speaker.person_id: self.person(speaker.person_id)
            for session in details.sessions
            for speaker in session.speakers
        }
        guests = self.guests_with_people(event_id)
        confirmed = [p for i, p in guests if i.status in ("accepted", "attended")]
        names: dict[int, str] = {}
        for person in [*speakers.values(), *confirmed]:
            if person.organisation_id is not None and person.organisation_id not in names:
                name = self.organisation_name(person.organisation_id)
                if name is not None:
                    names[person.organisation_id] = name
        return markdown.Briefing(details, speakers, guests, names, self.needs_summary(event_id))

    def events_ics(self, events: Sequence[Event], *, include_private: bool = False) -> str:
        """Events as iCalendar text."""
        from tui.domain.exporters import calendar_ics

        pairs = self._written_together(
            {e.uid for e in events if e.repeat and e.uid},
            [e.uid for e in events if e.uid and calendar_ics.may_go_as_override(e)],
        )
        return calendar_ics.to_ics(
            [pairs(self.calendar_entry(e, include_private=include_private)) for e in events],
            include_private=include_private,
            reminders=self.reminders,
            today=self.today(),
        )

    def _written_together(
        self, series_uids: set[str], uids: Iterable[str]
    ) -> Callable[[calendar_ics.CalendarEntry], calendar_ics.CalendarEntry]:
        """For an export of events: an entry as written beside the others. A changed
        occurrence (`uids`: those that may go as one, see may_go_as_override) whose series
        is also written goes as the series' RECURRENCE-ID, and the
        series' rule then no longer leaves its day out (the calendar client shows the
        occurrence where it was moved, as one series)."""
        from dataclasses import replace

        from tui.domain.recurrence import split_occurrence_uid

        series_of: dict[str, Event] = {}
        own_days: dict[str, set[date]] = {}
        for uid in uids:
            split = split_occurrence_uid(uid)
            if split is None or split[0] not in series_uids:
                continue
            series = self.store.by_uid(Event, split[0])
            if isinstance(series, Event) and series.repeat:
                series_of[uid] = series
                own_days.setdefault(split[0], set()).add(split[1])

        def paired(entry: calendar_ics.CalendarEntry) -> calendar_ics.CalendarEntry:
            uid = entry.event.uid or ""
            if uid in series_of:
                return replace(entry, series=series_of[uid])
            if uid in own_days:
                return replace(entry, own_days=frozenset(own_days[uid]))
            return entry

        return paired

    def events_ics_chunks(
        self,
        event_ids: Sequence[int] | None = None,
        *,
        include_private: bool = False,
        batch: int = 500,
        left_out: list[str] | None = None,
    ) -> Iterator[str]:
        """The events (all live ones when `event_ids` is None) as iCalendar text in chunks,
        read `batch` events at a time: time grows with the events, memory with the batch.
        `left_out` gets the titles of the invitation-only events whose guest lists the
        privacy gate keeps back (for the export to say so)."""
        from tui.domain.exporters import calendar_ics

        ids = list(event_ids) if event_ids is not None else self.store.live_event_ids()
        batches = [ids[i : i + batch] for i in range(0, len(ids), batch)]
        zones: set[str] = set()
        series_uids: set[str] = set()
        marked: list[str] = []
        for part in batches:
            events = self.store.events_by_ids(part)
            zones |= calendar_ics.zones_of(events)
            series_uids.update(e.uid for e in events if e.repeat and e.uid)
            marked.extend(e.uid for e in events if e.uid and calendar_ics.may_go_as_override(e))
            if left_out is not None:
                left_out.extend(e.title for e in events if not guests_may_leave(e, include_private))
        pairs = self._written_together(series_uids, marked)

        def entries() -> Iterator[calendar_ics.CalendarEntry]:
            for part in batches:
                events = self.store.events_by_ids(part)
                guests_of = [
                    e.id
                    for e in events
                    if e.id is not None and guests_may_leave(e, include_private)
                ]
                organizers, guests, tasks = self.store.ics_parts(part, guests_of)
                owners = self.store.people_by_ids(
                    [t.owner_id for ts in tasks.values() for t in ts if t.owner_id is not None]
                )
                for event in events:
                    assert event.id is not None
                    yield pairs(
                        calendar_ics.CalendarEntry(
                            event,
                            organizers.get(event.id),
                            guests.get(event.id, []),
                            tasks.get(event.id, []),
                            owners,
                            moved=self._series_moved(event, tasks.get(event.id)),
                        )
                    )

        return calendar_ics.ics_chunks(
            entries(),
            zones,
            include_private=include_private,
            reminders=self.reminders,
            today=self.today(),
        )

    def calendar_entry(self, event: Event, *, include_private: bool) -> calendar_ics.CalendarEntry:
        """What the iCalendar export writes of one event: its organizer (the first staff
        contact with an e-mail), its guests where the privacy gate lets them out, its tasks."""
        from tui.domain.exporters import calendar_ics

        assert event.id is not None
        organizer = None
        for contact in self.contacts_for(event.id):
            person = self.person(contact.id)
            if person.email:
                organizer = person
                break
        guests = (
            self.guests_with_people(event.id) if guests_may_leave(event, include_private) else []
        )
        tasks = self.tasks_for(event.id)
        owners = self.store.people_by_ids([t.owner_id for t in tasks if t.owner_id is not None])
        return calendar_ics.CalendarEntry(
            event, organizer, guests, tasks, owners, moved=self._series_moved(event, tasks)
        )

    def _series_moved(self, event: Event, tasks: Sequence[Task] | None) -> list[tuple[date, date]]:
        """For a series with tasks: its occurrences changed on their own (their due days)."""
        return self.store.moved_occurrences(event) if event.repeat and tasks else []

    def record_data(
        self, record: Event | Person | Organisation | Publication, *, include_private: bool = False
    ) -> dict[str, Any]:
        """One record in the stable `--json` shape (exporters/records_json.py), its links
        nested; an invitation-only event's guests only with `include_private`."""
        from tui.domain.exporters import records_json

        assert record.id is not None
        if isinstance(record, Event):
            return records_json.event_record(
                self.event_details(record.id),
                self.guests_with_people(record.id),
                include_private=include_private,
            )
        if isinstance(record, Person):
            return records_json.person_record(
                record,
                self.any_organisation(record.organisation_id),
                self.store.events_for_contact(record.id),
                self.store.events_for_person(record.id),
                include_private=include_private,
            )
        if isinstance(record, Organisation):
            people = self.store.listing(
                Person, order_by="name_key", where="organisation_id = ?", params=[record.id]
            )
            return records_json.organisation_record(
                record, people, self.store.events_for_partner(record.id)
            )
        return records_json.publication_record(
            record,
            self.events_of_publication(record.id),
            self.related_publications_of_publication(record.id),
        )

    def person_events_data(self, person_id: int, *, include_private: bool) -> list[dict[str, Any]]:
        """The events a person is linked to with their part, in the `--json` shape."""
        from tui.domain.exporters import records_json

        return records_json.person_events(self.store.events_for_person(person_id), include_private)

    def event_toml(self, event: Event, *, include_private: bool) -> str:
        """The event as a Convener TOML document (`convener import` reads it back)."""
        from tui.domain.exporters import bundle_toml

        return bundle_toml.event_toml(
            self.event_bundle(event, include_private=include_private),
            include_private=include_private,
        )

    def event_json(self, event: Event, *, include_private: bool) -> str:
        """The same document as `event_toml`, in JSON (`convener import` reads it back)."""
        from tui.domain.exporters import bundle_toml

        return bundle_toml.event_json(
            self.event_bundle(event, include_private=include_private),
            include_private=include_private,
        )

    def event_bundle(self, event: Event, *, include_private: bool) -> bundle_toml.EventBundle:
        """What an event's TOML document is written from: its details, tasks, guest list
        (where the privacy gate lets it out) and every person and organisation they name."""
        from tui.domain.exporters import bundle_toml

        assert event.id is not None
        details = self.event_details(event.id)
        invitations = (
            self.invitations_for(event.id) if guests_may_leave(event, include_private) else []
        )
        tasks = self.tasks_for(event.id)
        person_ids = [
            *(p.id for p in details.contacts),
            *(s.person_id for session in details.sessions for s in session.speakers),
            *(line.person_id for line in invitations),
            *(t.owner_id for t in tasks if t.owner_id is not None),
        ]
        people = {
            person_id: self.store.get(Person, person_id, include_deleted=True)
            for person_id in dict.fromkeys(person_ids)
        }
        organisation_ids = [
            *(o.id for o in details.partners if o.id is not None),
            *(p.organisation_id for p in people.values() if p.organisation_id is not None),
        ]
        organisations = {
            organisation_id: self.store.get(Organisation, organisation_id, include_deleted=True)
            for organisation_id in dict.fromkeys(organisation_ids)
        }
        return bundle_toml.EventBundle(details, tasks, invitations, people, organisations)

    def officer_agenda_markdown(self, start: date, end: date) -> str:
        """The officer's agenda of a date range as Markdown."""
        from tui.domain.exporters import markdown

        occurrences = self.occurrences_between(start, end)
        ids = sorted({o.event.id for o in occurrences if o.event.id is not None})
        counts = self.invitation_counts(ids)
        due = self.due_between(start, end)
        watching = {
            item.task.id: report.headline
            for item in due
            if item.task.id is not None
            for report in [self.checklist.report(item.task)]
            if report is not None
        }
        return markdown.officer_agenda(
            start, end, occurrences, counts, due, self.own_zone, watching=watching
        )

    def backup_before_import(self, paths: Sequence[Path]) -> Path | None:
        """Before an import of `paths`: a copy of the database in backups/ beside it (SPEC:
        a backup before anything destructive, a bulk import among them), its path; None
        when none of them is there to read or the database holds no record yet (nothing
        an import could spoil). Only the newest KEPT_IMPORT_BACKUPS of these copies are
        kept (see import_backup_kept): a large database imported into every day would fill
        the disk with them."""
        if not any(_is_there(path) for path in paths) or self.is_empty():
            return None
        import sqlite3

        try:
            folder = self.folder("backups")
            made = self.store.backup(folder, label=IMPORT_BACKUP)
        except (OSError, sqlite3.Error) as error:
            reason = getattr(error, "strerror", None) or str(error)
            raise InvalidInput(
                f"nothing imported: the backup before the import could not be written ({reason})"
            ) from None
        return made.resolve()

    def import_backup_kept(self, backup: Path | None, changes_before: int) -> Path | None:
        """After the import: the backup written before it, or None when there was none or
        the import wrote nothing (then it is removed: a copy of what is still there)."""
        if backup is None:
            return None
        if self.changes_made() == changes_before:
            backup.unlink(missing_ok=True)
            return None
        # The oldest copies go once this one is kept (pruned before the import, one that
        # then wrote nothing took a real copy with it).
        older = self.store.backups(backup.parent, IMPORT_BACKUP)[:-KEPT_IMPORT_BACKUPS]
        for path in older:
            path.unlink(missing_ok=True)
        return backup

    def import_file(
        self,
        path: Path,
        *,
        event_id: int | None = None,
        partial: bool = False,
        large: bool = False,
        progress: Callable[[int, int], None] | None = None,
    ) -> Any:
        """Import one file in one transaction; returns an ImportReport.

        `progress(bytes read, bytes in the file)` is called now and then while a calendar
        is read; raising Cancelled from it stops the import with nothing written.
        """
        from tui.domain.planner.importing import import_path

        return import_path(
            self, path, event_id=event_id, partial=partial, large=large, progress=progress
        )

    def queue_mail(
        self,
        event_id: int,
        kind: str,
        outbox: Path,
        organizer: Organizer,
        *,
        statuses: Sequence[str] | None = None,
        templates: Path | None = None,
        only: Sequence[int] | None = None,
    ) -> QueueReport:
        """Write an invitation, update or cancellation per guest into the outbox.

        Cancelling the whole event (not some guests' places: no `statuses`, no `only`)
        also marks it cancelled, one undo step of its own."""
        from dataclasses import replace

        from tui.domain.planner import mail

        try:
            report = mail.queue_messages(
                self, event_id, kind, outbox, organizer,
                statuses=statuses, templates=templates, only=only,
            )  # fmt: skip
        finally:
            self.outbox_changed()  # some may be written when a later one fails
        if kind == "cancel" and statuses is None and only is None:
            event = self.event(event_id)
            if event.status != "cancelled":
                # Undone, it says what it undoes (not "Edit event"); the cancellations
                # stay queued and are held at sending (see mail.held).
                with self.store.transaction(f"Cancel {describe(event)}"):
                    self.save_event(replace(event, status="cancelled"))
                report.marked_cancelled = True
        return report

    def send_mail(
        self,
        outbox: Path,
        settings: MailSettings,
        *,
        host: str | None = None,
        port: int | None = None,
        password: str | None = None,
        handover: Handover | None = None,
    ) -> SendReport:
        """Send the outbox; the guests of sent invitations become invited (one undo step).
        `handover`: what another thread stops the run with (see mail.send.Handover); a run
        stopped leaves its guests to whoever stopped it (see stop_sending)."""
        from tui.domain.mail.outbox import pending
        from tui.domain.mail.send import send_outbox
        from tui.domain.planner import mail

        # What a run that stopped sent and did not mark: marked now, and said apart.
        earlier = set(pending(outbox, self.store.database_uid()))
        try:
            report = send_outbox(
                outbox, settings, host=host, port=port, password=password,
                held=mail.held(self, outbox), database=self.store.database_uid(),
                handover=handover,
            )  # fmt: skip
            if handover is None:
                mail.mark_sent(self, outbox, report, earlier)
            else:
                with handover.unless_stopped() as going_on:
                    if going_on:  # else the stop marks them (tui.mail_actions.stop_sending)
                        mail.mark_sent(self, outbox, report, earlier)
                        handover.finished = True
                report.stopped = not going_on
        finally:
            self.outbox_changed()
        return report

    def stop_sending(self, outbox: Path, handover: Handover, why: str) -> str:
        """Stop a send run waiting on the server (`why`: "quitting", "ctrl+c"); what
        happened in one line (see mail.stop_sending)."""
        from tui.domain.planner import mail

        try:
            return mail.stop_sending(self, outbox, handover, why)
        finally:
            self.outbox_changed()

    def restore_withdrawn(self, outbox: Path, events: Iterable[str]) -> list[Path]:
        """Put back the messages the cancellation of these events (uids) set aside (see
        mail.restore_withdrawn); the paths put back."""
        from tui.domain.planner import mail

        restored = mail.restore_withdrawn(self, outbox, events)
        if restored:
            self.outbox_changed()
        return restored

    def cancelled_event_uids(self) -> set[str]:
        """The uids of the events now cancelled (an undo that puts some on again is told
        from them: see tui.mail_actions.after_undo)."""
        rows = self.store._rows(
            "select uid from events where status = 'cancelled' and deleted_at is null"
        )
        return {str(row["uid"]) for row in rows if row["uid"]}

    @answered_ahead
    def outbox_count(self, outbox: Path) -> int:
        """How many messages wait in the outbox."""
        from tui.domain.mail.spool import queued

        return len(queued(outbox))

    def outbox_held(self, outbox: Path) -> int:
        """How many of this database's messages in the outbox sending holds back (of an
        event it has not, and cancellations of an event on again: see mail.held)."""
        return self.outbox_state(outbox)[1]

    def outbox_others(self, outbox: Path) -> int:
        """How many of the outbox's messages another database queued (two databases in
        one folder share it): sending leaves them alone."""
        return self.outbox_state(outbox)[2]

    @answered_ahead
    def outbox_state(self, outbox: Path) -> tuple[int, int, int]:
        """(waiting, held, another database's) of the outbox's messages: the folder
        listed once, each message's headers read once (mail.survey)."""
        from tui.domain.mail.spool import queued

        waiting = queued(outbox)
        if not waiting:
            return 0, 0, 0
        # Asked at every guest-list read (each j): the headers are read again only when
        # the outbox or the database changed since, here or in another process (an
        # event put on again from the command line no longer holds its cancellation).
        key = (
            tuple((p.name, p.stat().st_mtime_ns) for p in waiting),
            self.changes_made(),
            self.store.data_version(),
        )
        kept = self._held_count
        if kept is not None and kept[0] == key:
            return kept[1]
        from tui.domain.planner import mail

        held, others = mail.survey(self, outbox, waiting)
        state = (len(waiting), len(held), others)
        self._held_count = (key, state)
        return state

    _held_count: tuple[tuple[object, ...], tuple[int, int, int]] | None = None
    """The outbox's counts with what they were counted for (see outbox_state)."""
