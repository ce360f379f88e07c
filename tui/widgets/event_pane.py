"""EventPane: the selected event, its people and links, its agenda, its description
(it shows a domain.models.EventDetails, read off the UI thread)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Static

from tui.context import UsesConvener
from tui.display import officer_zone, safe, safe_line, time_span, when_lines
from tui.domain.dates import format_span
from tui.domain.errors import NotFound
from tui.domain.models import INVITATION_STATUSES, Occurrence
from tui.domain.models import EventDetails as Details
from tui.domain.recurrence import without_exdates
from tui.domain.repeat_words import describe_repeat
from tui.domain.text import clean
from tui.widgets.frames import PaneText, SameMiddleLines, SizedOnce
from tui.widgets.label_grid import LabelGrid
from tui.widgets.scrolling import ScrollsAtOnce
from tui.worker_errors import ReportsWorkerErrors

EMPTY_DATABASE = """\
Welcome to Convener.

Your database is empty. To fill it, press i and type the files to import:

  event or publication pages (.txt, as copied from the web), Convener files (.toml, .json)

or from the command line:  convener import PAGE.txt FILE.toml …

or look around first with the sample data:

  convener --demo

Press ? for every key, ctrl+p for every command.
"""


class EventPane(
    UsesConvener,
    ReportsWorkerErrors,
    SizedOnce,
    SameMiddleLines,
    ScrollsAtOnce,
    VerticalScroll,
    can_focus=True,
):
    """Everything about one event, scrollable."""

    occurrence: reactive[Occurrence | None] = reactive(None, always_update=True)
    """The occurrence shown (None: nothing selected)."""

    @dataclass
    class DetailsLoaded(Message):
        """An event's details, loaded off the UI thread."""

        occurrence: Occurrence
        details: Details | None

    def __init__(self, *, empty_database: bool = False, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.empty_database = empty_database
        """True greets the officer with how to fill an empty database."""
        self.details: Details | None = None
        self._shown_width = 0
        """The width the facts were last laid out for."""
        self._shown_event: int | None = None
        """The event shown last (another one is shown from its top)."""
        self.description = ""
        """The description as shown (Markdown; cut to a preview when long)."""
        self._nothing_note = "No event on the selected day."
        """What the pane says with no event selected (see say_nothing)."""
        self._reads = self.reads_one_at_a_time()

    def compose(self) -> ComposeResult:
        # The state class sits on the one part it changes (see GuestList.compose).
        yield PaneText(id="details-head", markup=False, classes="-empty")
        yield PaneText(id="details-facts", markup=False)
        yield PaneText(id="details-sessions", markup=False)
        yield PaneText(id="details-description", markup=False)

    def on_mount(self) -> None:
        self.border_title = "Event"
        self._show_nothing()

    def watch_occurrence(self, occurrence: Occurrence | None) -> None:
        if not self.is_mounted:
            return
        if occurrence is None:
            self.details = None
            self._show_nothing()
            return
        assert occurrence.event.id is not None
        self._reads.run(self.load_details, occurrence)

    @work(thread=True, exclusive=True, exit_on_error=False, group="details")
    def load_details(self, occurrence: Occurrence) -> None:
        """Read the event and its links off the UI thread."""
        assert occurrence.event.id is not None
        try:
            details = self.convener.planner.event_details(occurrence.event.id)
        except NotFound:
            details = None
        self.post_message(self.DetailsLoaded(occurrence, details))

    def on_event_pane_details_loaded(self, message: EventPane.DetailsLoaded) -> None:
        if message.occurrence != self.occurrence:
            return  # the selection moved on while this loaded
        self.details = message.details
        if message.details is None:
            self._show_nothing("This event is no longer in the database.")
            return
        self._show(message.occurrence, message.details)

    def on_resize(self) -> None:
        # The facts lay out by width: beside each other when wide, stacked when narrow.
        # A Resize also comes when only the content's height changed (every new event):
        # the pane is laid out again only when its width did.
        if self.size.width == self._shown_width:
            return
        if self.details is not None and self.occurrence is not None and self.size.width:
            self._show(self.occurrence, self.details)

    def say_nothing(self, note: str) -> None:
        """What the pane says while no event is selected (the calendar's day, week or
        month has none: "No event in Mon 7 – Sun 13 December 2026.")."""
        self._nothing_note = note
        if self.occurrence is None and self.is_mounted:
            self._show_nothing()

    def _show_nothing(self, text: str | None = None) -> None:
        self.border_title = "Event"
        head = self.query_one("#details-head", Static)
        if text is None:
            text = EMPTY_DATABASE if self.empty_database else self._nothing_note
        head.update(Text(text, style="dim" if not self.empty_database else ""))
        self.query_one("#details-facts", Static).update("")
        self.query_one("#details-sessions", Static).update("")
        self._describe("")
        head.set_class(True, "-empty")

    def _describe(self, body: str) -> None:
        """Show the description as Markdown, in one block of text laid out with the rest
        of the pane (a Markdown widget mounted a widget per paragraph a frame later, and
        the screen was laid out again for them). Links are shown with their address, not
        followed: the text came from elsewhere."""
        if body == self.description:
            return
        self.description = body
        shown = self.query_one("#details-description", Static)
        if not body:
            shown.update("")
            return
        if not MARKDOWN_SYNTAX.search(body):
            # Plain paragraphs read the same without a Markdown parser (about 70 ms and
            # a few MB the first time, with its syntax highlighter).
            shown.update(Text(plain_paragraphs(body)))
            return
        # Imported on first use: the parser is not needed to paint the calendar.
        from rich.markdown import Markdown

        shown.update(Markdown(body, hyperlinks=False))

    def _show(self, occurrence: Occurrence, details: Details) -> None:
        self.query_one("#details-head").set_class(False, "-empty")
        event = details.event
        if event.id != self._shown_event and self.scroll_y:
            # Another event reads from its top: the last one's scroll hid its title.
            self.scroll_home(animate=False, immediate=True)
        self._shown_event = event.id
        self.border_title = f"Event #{event.id}"
        head = Text(safe_line(event.title), style="bold")
        tags = [event.kind, event.status, event.access]
        if event.link_only:
            tags.append("known only from a link")
        if occurrence.is_repeat:
            tags.append("repeating")
        head.append("\n" + " · ".join(tags), style="italic")
        self.query_one("#details-head", Static).update(head)

        rows: list[tuple[str, Text]] = []
        own_zone = officer_zone(self.convener.settings.timezone)
        rows.append(("When", Text("\n".join(when_lines(occurrence, own_zone)))))
        if occurrence.is_repeat or event.repeat:
            # "except 3 Dec" alone read as a call dropped: a day changed on its own is an
            # event of its own, said as moved (the coming ones and last week's, three at
            # most), not among the days left out.
            since = self.convener.planner.today() - timedelta(days=7)
            moved = [pair for pair in details.moved if pair[1] >= since][:3]
            rule = without_exdates(event.repeat or "", {day for day, _ in moved})
            repeats = safe(describe_repeat(rule, event.start_date))
            for day, first in moved:
                repeats.append(
                    f"\n{day:%a} {day.day} {day:%b %Y} moved to {first:%a} {first.day} {first:%b}",
                    style="italic",
                )
            rows.append(("Repeats", repeats))
        elif details.series_day is not None:
            day = details.series_day
            rows.append(
                (
                    "Series",
                    Text(
                        f"{day:%a} {day.day} {day:%b %Y} of a repeating event, changed on its own",
                        style="italic",
                    ),
                )
            )
        place = ", ".join(p for p in (event.venue, event.location) if p)
        if place:
            rows.append(("Where", safe(place)))
        if event.program_area:
            rows.append(("Program", safe(event.program_area)))
        if details.contacts:
            lines = []
            for person in details.contacts:
                extra = ", ".join(p for p in (person.role, person.program_area) if p)
                lines.append(safe_line(person.name) + (f" — {safe_line(extra)}" if extra else ""))
            rows.append(("Contact" if len(lines) == 1 else "Contacts", Text("\n".join(lines))))
        if details.partners:
            names = [
                safe_line(o.name) + (f" ({safe_line(o.short_name)})" if o.short_name else "")
                for o in details.partners
            ]
            rows.append(("Partners", Text("\n".join(names))))
        counts = details.invitation_counts
        if counts:
            total = sum(counts.values())
            parts = [f"{counts[s]} {s}" for s in INVITATION_STATUSES if counts.get(s)]
            guests = f"{total}: " + ", ".join(parts)
            if event.capacity:
                guests += f" (capacity {event.capacity})"
            rows.append(("Guests", Text(guests)))
        elif event.capacity:
            rows.append(("Capacity", Text(str(event.capacity))))
        if details.related_events:
            lines = [
                f"{format_span(e.start_date, e.end_date)}: {safe_line(e.title)}"
                for e in details.related_events
            ]
            rows.append(("Related events", Text("\n".join(lines))))
        if details.related_publications:
            lines = [
                safe_line(p.title) + (f" ({p.published})" if p.published else "")
                for p in details.related_publications
            ]
            rows.append(("Publications", Text("\n".join(lines))))
        if event.url:
            rows.append(("Web", safe(event.url)))
        self._shown_width = self.size.width
        self.query_one("#details-facts", Static).update(_facts(rows, self.size.width))

        self.query_one("#details-sessions", Static).update(_agenda(details))
        body = "\n\n".join(clean(part) for part in (event.summary, event.description) if part)
        self._describe(preview(body))


MARKDOWN_SYNTAX = re.compile(r"[*_`#>\[\]|<&\\~=]|^\s*(?:[-+]|\d+[.)])\s|^\s{4}|  $", re.M)
"""Anything Markdown would read as more than paragraphs of words (emphasis, links, lists,
headings, quotes, code, tables, entities, hard breaks)."""


def plain_paragraphs(body: str) -> str:
    """Paragraphs as Markdown shows them: a line break inside one is a space."""
    paragraphs = re.split(r"\n\s*\n", body.strip())
    return "\n\n".join(" ".join(line.strip() for line in p.splitlines()) for p in paragraphs)


PREVIEW_CHARS = 6_000
"""The most of a description the pane lays out as Markdown: a 99,000-character one took
15-28 s, and meanwhile the pane showed the event before's text under the new title."""


def preview(body: str) -> str:
    """The description as the pane shows it: whole, or cut at a paragraph with a note."""
    if len(body) <= PREVIEW_CHARS:
        return body
    cut = body.rfind("\n\n", 0, PREVIEW_CHARS)
    if cut < PREVIEW_CHARS // 2:
        cut = body.rfind(" ", 0, PREVIEW_CHARS)
    if cut <= 0:
        cut = PREVIEW_CHARS
    more = len(body) - cut
    return (
        body[:cut].rstrip()
        + f"\n\n*… {more:,} more characters: e shows the whole description in the editor.*"
    )


def _facts(rows: list[tuple[str, Text]], width: int) -> LabelGrid | Text:
    """Label beside value; in a narrow pane, label above value so values keep their room
    (lines of text: a one-column table drew the same, at a few times the cost of the
    first frame's event pane, issue 24)."""
    if width >= 48:
        return LabelGrid(rows)
    lines: list[Text] = []
    for label, value in rows:
        lines += [Text(label, style="bold"), value]
    return Text("\n").join(lines)


def _agenda(details: Details) -> LabelGrid | Text:
    if not details.sessions:
        return Text("")
    rows: list[tuple[str | Text, Text]] = [(Text("Agenda", style="bold underline"), Text(""))]
    current: date | None = None
    for session in details.sessions:
        if session.date != current:
            current = session.date
            rows.append((Text(format_span(current, current), style="bold"), Text("")))
        line = Text(safe_line(session.title))
        if session.room:
            line.append(f" · {safe_line(session.room)}", style="dim")
        for speaker in session.speakers:
            line.append(f"\n{safe_line(speaker.name)} ({speaker.role})", style="italic")
        rows.append((Text(time_span(session.start_time, session.end_time)), line))
    return LabelGrid(rows, label_min_width=12)
