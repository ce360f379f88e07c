"""The Markdown exports: event agenda, officer's agenda, briefing book (models -> str).

Every piece of user text goes through markdown_text's escaping; the output is CommonMark
with GitHub tables, stable (the same data gives the same bytes) and readable as plain text.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from tui.domain.dates import MONTH_NAMES, format_span, runs_through, when_words, your_time
from tui.domain.exporters.markdown_text import cell, inline, paragraphs, table, text_after
from tui.domain.guests import NeedsSummary
from tui.domain.models import (
    INVITATION_STATUSES,
    Event,
    EventDetails,
    Invitation,
    Occurrence,
    Person,
    Session,
)
from tui.domain.privacy import guests_may_leave
from tui.domain.repeat_words import describe_repeat
from tui.domain.tasks import DueTask


@dataclass(frozen=True)
class Briefing:
    """What a briefing book is written from (the planner gathers it)."""

    details: EventDetails
    speakers: Mapping[int, Person]
    """The speakers of the event's sessions, by person id."""
    guests: Sequence[tuple[Invitation, Person]]
    """The guest list, each line with its person."""
    organisation_names: Mapping[int, str]
    """The names of the speakers' and confirmed guests' organisations (live ones), by id."""
    needs: NeedsSummary


PRIVATE_NOTE = (
    "_This is an invitation-only event: the guest list and each guest's dietary, access and "
    "travel details are left out of this export. Export with --include-private (in the app: "
    "the briefing book with private details, ctrl+p) to include them._"
)


NEEDS_NOTE = (
    "_Who needs what (dietary, access, interpretation, travel) is left out of this export; "
    "the counts above are anonymous. Export with --include-private (in the app: the "
    "briefing book with private details, ctrl+p) to include it._"
)


def _has_needs(invitation: Invitation) -> bool:
    return any(
        (value or "").strip()
        for value in (
            invitation.dietary,
            invitation.access_needs,
            invitation.interpretation,
            invitation.travel,
        )
    )


def _times(event: Event) -> str:
    if event.start_time is None:
        return ""
    text = f"{event.start_time:%H:%M}"
    if event.end_time is not None:
        text += f"–{event.end_time:%H:%M}"
    if event.timezone:
        text += f" ({inline(event.timezone)})"
    return text


def when(event: Event, start: date | None = None, end: date | None = None) -> str:
    """'Tue 24 November 2026, 19:00–21:30 (America/New_York)'; an event that runs through
    several days from its start to its end: 'Mon 14 December 2026, 14:00 – Wed 16
    December, 13:00 (Europe/London)'."""
    text = when_words(
        start or event.start_date, end or event.end_date, event.start_time, event.end_time
    )
    if event.start_time is not None and event.timezone:
        text += f" ({inline(event.timezone)})"
    return text


def _own_time(event: Event, own_zone: str | None, day: date | None = None) -> str | None:
    """The event's times in the officer's zone, when they read differently there."""
    first = day or event.start_date
    last = first + (event.end_date - event.start_date)
    through = runs_through(first, last, event.start_time, event.end_time)
    found = your_time(
        first,
        event.start_time,
        event.end_time,
        event.timezone,
        own_zone,
        end_day=last if through else None,
    )
    return inline(found) if found else None


def _is_private(event: Event, include_private: bool) -> bool:
    return not guests_may_leave(event, include_private)


def _facts(details: EventDetails, own_zone: str | None = None) -> list[str]:
    event = details.event
    day = details.occurrence_day if event.repeat else None
    if day is not None:  # one date of a series: that date, and the series after it
        lines = [f"- **When:** {when(event, day, day + (event.end_date - event.start_date))}"]
    else:
        lines = [f"- **When:** {when(event)}"]
    own = _own_time(event, own_zone, day)
    if own:
        lines.append(f"- **Your time:** {own}")
    if event.repeat:
        rule = inline(describe_repeat(event.repeat, event.start_date))
        if day is not None and day != event.start_date:
            first = format_span(event.start_date, event.start_date)
            rule += f" (one date of a series that began on {first})"
        lines.append(f"- **Repeats:** {rule}")
    place = ", ".join(p for p in (event.venue, event.location) if p)
    if place:
        lines.append(f"- **Where:** {inline(place)}")
    lines.append(f"- **Access:** {inline(event.access)}")
    if event.program_area:
        lines.append(f"- **Program area:** {inline(event.program_area)}")
    lines.append(f"- **Kind:** {inline(event.kind)} · **Status:** {inline(event.status)}")
    if event.capacity:
        lines.append(f"- **Capacity:** {event.capacity}")
    if event.url:
        lines.append(f"- **Web:** {inline(event.url)}")
    return lines


def _people_section(details: EventDetails) -> list[str]:
    out: list[str] = []
    if details.contacts:
        out += ["", "## Staff contacts" if len(details.contacts) > 1 else "## Staff contact", ""]
        for person in details.contacts:
            extra = ", ".join(p for p in (person.role, person.program_area) if p)
            out.append(f"- {inline(person.name)}" + (f" — {inline(extra)}" if extra else ""))
    if details.partners:
        out += ["", "## Partners", ""]
        for organisation in details.partners:
            short = f" ({inline(organisation.short_name)})" if organisation.short_name else ""
            out.append(f"- {inline(organisation.name)}{short}")
    return out


def _sessions_section(
    sessions: Iterable[Session], event: Event | None = None, own_zone: str | None = None
) -> list[str]:
    sessions = list(sessions)
    if not sessions:
        return []
    out = ["", "## Agenda"]
    current: date | None = None
    rows: list[list[str]] = []
    zone = event.timezone if event is not None else None
    # A column of the officer's own times, when any session's times read differently there.
    own_column = bool(own_zone) and any(
        your_time(s.date, s.start_time, s.end_time, zone, own_zone) for s in sessions
    )
    headers = ["Time", "Session", "Room", "Speakers"]
    if own_column:
        headers = [f"Time ({inline(zone or '')})", f"Your time ({inline(own_zone or '')})"]
        headers += ["Session", "Room", "Speakers"]

    def flush() -> None:
        if rows:
            out.extend(["", table(headers, rows)])
            rows.clear()

    for session in sessions:
        if session.date != current:
            flush()
            current = session.date
            out += ["", f"### {format_span(current, current)}"]
        time_text = ""
        if session.start_time:
            time_text = f"{session.start_time:%H:%M}"
            if session.end_time:
                time_text += f"–{session.end_time:%H:%M}"
        speakers = "; ".join(f"{cell(s.name)} ({s.role})" for s in session.speakers)
        row = [time_text]
        if own_column:
            own = your_time(
                session.date,
                session.start_time,
                session.end_time,
                zone,
                own_zone,
                with_zone=False,
            )
            row.append(cell(own or time_text))
        rows.append([*row, cell(session.title), cell(session.room), speakers])
    flush()
    return out


def _guest_counts(details: EventDetails) -> list[str]:
    counts = details.invitation_counts
    if not counts:
        return []
    total = sum(counts.values())
    parts = [f"{counts[s]} {s}" for s in INVITATION_STATUSES if counts.get(s)]
    return ["", "## Guest list", "", f"{total} on the list: " + ", ".join(parts) + "."]


def _related_section(details: EventDetails) -> list[str]:
    out: list[str] = []
    if details.related_events:
        out += ["", "## Related events", ""]
        for event in details.related_events:
            out.append(f"- {format_span(event.start_date, event.end_date)}: {inline(event.title)}")
    if details.related_publications:
        out += ["", "## Related publications", ""]
        for publication in details.related_publications:
            extra = ", ".join(
                p for p in (publication.type, publication.program_area, publication.published) if p
            )
            out.append(f"- {inline(publication.title)}" + (f" ({inline(extra)})" if extra else ""))
    return out


def _head(details: EventDetails, own_zone: str | None = None) -> list[str]:
    event = details.event
    out = [f"# {inline(event.title)}", "", *_facts(details, own_zone)]
    for text in (event.summary, event.description):
        if text:
            out += ["", text_after(out, text)]
    return out


def _finish(lines: list[str]) -> str:
    text = "\n".join(lines).strip("\n") + "\n"
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text


def event_agenda(
    details: EventDetails, *, own_zone: str | None = None, include_private: bool = False
) -> str:
    """Title, dates, place, access, program, contacts, partners, sessions, guests, related."""
    lines = _head(details, own_zone)
    lines += _people_section(details)
    lines += _sessions_section(details.sessions, details.event, own_zone)
    lines += _guest_counts(details)
    lines += _related_section(details)
    if _is_private(details.event, include_private) and details.invitation_counts:
        lines += ["", PRIVATE_NOTE]
    return _finish(lines)


def _needs_section(needs: NeedsSummary) -> list[str]:
    out = ["", "## Needs summary", ""]
    out.append(
        f"From accepted guests only: {_count(needs.guests, 'guest')} and"
        f" {_count(needs.plus_ones, 'plus-one')} ({needs.total} in all)."
    )
    for title, counts in (
        ("Dietary", needs.dietary),
        ("Access needs", needs.access_needs),
        ("Interpretation", needs.interpretation),
    ):
        out += ["", f"### {title}", ""]
        if counts:
            out.append(table([title, "Guests"], [[cell(k), str(v)] for k, v in counts.items()]))
        else:
            out.append("None recorded.")
    return out


def briefing_book(
    briefing: Briefing, *, own_zone: str | None = None, include_private: bool = False
) -> str:
    """The event agenda plus confirmed guests, speakers' bios and the needs summary."""
    details = briefing.details
    event = details.event

    def organisation_name(organisation_id: int | None) -> str | None:
        return None if organisation_id is None else briefing.organisation_names.get(organisation_id)

    lines = [f"# Briefing book: {inline(event.title)}", "", *_facts(details, own_zone)]
    for text in (event.summary, event.description):
        if text:
            lines += ["", text_after(lines, text)]
    lines += _people_section(details)
    lines += _sessions_section(details.sessions, event, own_zone)

    speakers: dict[int, str] = {}
    for session in details.sessions:
        for speaker in session.speakers:
            speakers.setdefault(speaker.person_id, speaker.name)
    if speakers:
        lines += ["", "## Speakers"]
        for person_id in sorted(speakers, key=lambda pid: speakers[pid].casefold()):
            person = briefing.speakers[person_id]
            organisation = organisation_name(person.organisation_id)
            extra = ", ".join(p for p in (person.role, organisation) if p)
            lines += ["", f"### {inline(person.name)}"]
            if extra:
                lines += ["", f"_{inline(extra)}_"]
            lines += ["", paragraphs(person.bio) if person.bio else "No biography recorded."]

    lines += _guest_counts(details)
    guests = briefing.guests
    confirmed = sorted(
        ((i, p) for i, p in guests if i.status in ("accepted", "attended")),
        key=lambda pair: pair[1].name.casefold(),
    )
    if _is_private(event, include_private):
        if details.invitation_counts:
            lines += ["", PRIVATE_NOTE]
    else:
        lines += ["", "## Confirmed guests", ""]
        if confirmed:
            rows = [
                [cell(p.name), cell(organisation_name(p.organisation_id)), cell(i.role)]
                for i, p in confirmed
            ]
            lines.append(table(["Name", "Organisation", "Role"], rows))
        else:
            lines.append("No confirmed guests yet.")
    # The counts are anonymous: they go in every version, an invitation-only event's too.
    lines += _needs_section(briefing.needs)
    with_needs = [(i, p) for i, p in confirmed if _has_needs(i)]
    if include_private:
        lines += ["", "## Guests' needs", ""]
        if with_needs:
            rows = [
                [
                    cell(p.name),
                    cell(i.dietary),
                    cell(i.access_needs),
                    cell(i.interpretation),
                    cell(i.travel),
                ]
                for i, p in with_needs
            ]
            lines.append(table(["Guest", "Dietary", "Access", "Interpretation", "Travel"], rows))
        else:
            lines.append("No confirmed guest has recorded needs.")
    elif with_needs and not _is_private(event, include_private):
        lines += ["", NEEDS_NOTE]
    lines += _related_section(details)
    return _finish(lines)


def officer_agenda(
    start: date,
    end: date,
    occurrences: Sequence[Occurrence],
    counts: Mapping[int, Mapping[str, int]],
    due: Sequence[DueTask],
    own_zone: str | None = None,
    watching: Mapping[int, str] | None = None,
) -> str:
    """The events of [start, end] by month and day; a multi-day event once, with its span.
    `counts`: each event's guest-list counts by status; `due`: the tasks due in the range;
    `watching`: what a watching task sees, by task id ("8 guests without a reply")."""
    title = f"# Agenda: {format_span(start, end)}"
    lines = [title, ""]
    if not occurrences and not due:
        lines.append("No events in this period.")
        return _finish(lines)
    if occurrences:
        noun = "event" if len(occurrences) == 1 else "events"
        lines.append(f"{len(occurrences)} {noun}.")
    else:
        lines.append("No events in this period.")
    if due:
        lines[-1] += f" {len(due)} task{'s' if len(due) != 1 else ''} due."
    by_day: dict[date, tuple[list[str], list[str]]] = {}
    for occurrence in occurrences:
        # An event that began before the range is listed on the range's first day.
        day = max(occurrence.start_date, start)
        by_day.setdefault(day, ([], []))[0].append(_agenda_item(occurrence, counts, own_zone))
    for item in due:
        # What a watching task sees today ("8 guests without a reply"): counts only.
        seen_now = (watching or {}).get(item.task.id or 0)
        seen = f": {inline(seen_now)}" if seen_now else ""
        by_day.setdefault(item.due, ([], []))[1].append(
            f"- Due: {inline(item.task.title)} ({inline(item.event.title)}){seen}"
        )
    current_month: tuple[int, int] | None = None
    for day in sorted(by_day):
        if (day.year, day.month) != current_month:
            current_month = (day.year, day.month)
            lines += ["", f"## {MONTH_NAMES[day.month - 1]} {day.year}"]
        events, tasks = by_day[day]
        lines += ["", f"### {day:%a} {day.day} {MONTH_NAMES[day.month - 1]}", "", *events, *tasks]
    return _finish(lines)


def _agenda_item(
    occurrence: Occurrence, counts: Mapping[int, Mapping[str, int]], own_zone: str | None = None
) -> str:
    event = occurrence.event
    parts = []
    first, last = occurrence.start_date, occurrence.end_date
    if runs_through(first, last, event.start_time, event.end_time):
        times = when(event, first, last)  # one span: from its first day's start to its end
    else:
        if last != first:
            parts.append(format_span(first, last))
        times = _times(event)
    if times:
        own = _own_time(event, own_zone, occurrence.start_date)
        parts.append(f"{times}, your time {own}" if own else times)
    parts.append(inline(event.status))
    place = ", ".join(p for p in (event.venue, event.location) if p)
    if place:
        parts.append(inline(place))
    guest_counts = counts.get(event.id or 0, {})
    if guest_counts:
        total = sum(guest_counts.values())
        accepted = guest_counts.get("accepted", 0) + guest_counts.get("attended", 0)
        parts.append(f"{total} guests ({accepted} accepted)")
    return f"- **{inline(event.title)}** — " + " · ".join(parts)


def _count(number: int, noun: str) -> str:
    """'1 guest', '3 guests'."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"
