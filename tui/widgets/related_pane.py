"""RelatedPane: everything linked to a record, with a browser-like history of subjects."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tui.context import UsesConvener
from tui.domain.errors import ConvenerError, NotFound
from tui.domain.kinds import label_of
from tui.domain.models import ItemRef
from tui.domain.related import LINK_KINDS, LinkKind, RelatedItem, Subject, link_key
from tui.domain.text import clean_line
from tui.messages import DataChanged, DialogRequested
from tui.widgets.frames import PaneText, SameMiddleLines
from tui.widgets.line_list import LineList
from tui.worker_errors import ReportsWorkerErrors

HISTORY_LIMIT = 100
"""How many subjects the history keeps."""


class RelatedList(ReportsWorkerErrors, LineList):
    """The related items; headings cannot be highlighted."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", id="related.down", tooltip="Next item", show=False),
        Binding("k", "cursor_up", "Up", id="related.up", tooltip="Previous item", show=False),
    ]
    """
    | key | does |
    |---|---|
    | up/k, down/j | move |
    | enter | make the item the subject |
    """


TRAIL_WIDTH = 36
"""The trail's width before the pane has one (not yet laid out)."""

TRAIL_LEAST = 8
"""The fewest characters of a title the trail shows."""

DETAIL_LEAST = 14
"""The characters of a related item's detail kept in view ("Mon 6 May 2024", a role),
its title cut for them when need be."""


class RelatedPane(UsesConvener, ReportsWorkerErrors, SameMiddleLines, Vertical):
    """The subject, a breadcrumb of how we got here, and its related items by group."""

    BINDINGS = [
        Binding(
            "a",
            "add_link",
            "Link",
            id="related.link",
            tooltip="Link a related event, publication, partner or staff contact",
        ),
        Binding(
            "d",
            "remove_link",
            "Unlink",
            id="related.unlink",
            tooltip="Remove the link to the highlighted item (asks first)",
        ),
    ]
    """
    | key | does |
    |---|---|
    | enter | make the highlighted item the subject |
    | a | link another record to the subject |
    | d | remove the highlighted item's link |
    """

    @dataclass
    class SubjectLoaded(Message):
        """A subject and its related items, loaded off the UI thread."""

        subject: Subject | None
        ref: ItemRef
        error: str | None = None

    @dataclass
    class EventOpened(Message):
        """An event was opened in the pane: the calendar should select it (where events
        open on their own screen, that screen opens; see `events_on_own_screen`)."""

        pane: RelatedPane
        event_id: int

        @property
        def control(self) -> RelatedPane:
            """The pane that sent it."""
            return self.pane

    def __init__(self, *, events_on_own_screen: bool = False, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.events_on_own_screen = events_on_own_screen
        """True where an event opened here goes on its own screen above (a record's or a
        list's pane) instead of becoming the subject: back there returns to the pane as
        it was, on the subject it was opened from."""
        self.history: list[ItemRef] = []
        self._reads = self.reads_one_at_a_time()
        """Subjects in the order they were opened."""
        self.position = -1
        """Index of the current subject in `history`."""
        self._calendar_ref: ItemRef | None = None
        """The event the calendar selected last."""
        self._calendar_step: int | None = None
        """The step of the history the calendar's selection put last, while it is the last
        step: the calendar's next selection takes its place (see `selected`)."""
        self.subject: Subject | None = None
        self.titles: dict[ItemRef, str] = {}
        """Titles of the subjects seen, for the breadcrumb."""
        self._items: dict[str, RelatedItem] = {}
        self._cleared = False
        """The calendar selected no event: the pane says so instead of the last subject."""

    @property
    def current(self) -> ItemRef | None:
        """The subject's ref."""
        return self.history[self.position] if 0 <= self.position < len(self.history) else None

    def compose(self) -> ComposeResult:
        yield PaneText(id="related-trail", markup=False)
        yield PaneText(id="related-subject", markup=False)
        yield RelatedList(id="related-list")

    def on_mount(self) -> None:
        self.border_title = "Related"
        self.query_one("#related-trail", Static).update(
            Text("Nothing opened yet: select an event.", style="dim")
        )

    # -- navigation -------------------------------------------------------------------

    def clear(self, note: str, *, forget: bool = False) -> None:
        """Show no subject (the calendar's day has no event), saying why in `note`.

        The history stays for back and forward; a subject followed next shows again.
        `forget` drops it and its trail too (a list that shows no record has nothing
        selected to go back to).
        """
        self._cleared = True
        self.subject = None
        self._items = {}
        self.workers.cancel_group(self, "related")
        if forget:
            self.history = []
            self.position = -1
            self._calendar_step = None
        # The trail named the last subject above the note, as if it were still shown; it
        # comes back with the next subject (back and forward still reach the history).
        self.query_one("#related-trail", Static).update("")
        self.query_one("#related-list", RelatedList).clear_options()
        self.query_one("#related-subject", Static).update(Text(clean_line(note), style="dim"))

    def follow(self, ref: ItemRef) -> None:
        """Make `ref` the subject, as a new step of the history (forward steps dropped)."""
        if ref == self.current and not self._cleared:
            return
        self._cleared = False
        if ref == self.current:
            self.load(ref)
            return
        del self.history[self.position + 1 :]
        self.history.append(ref)
        if len(self.history) > HISTORY_LIMIT:
            del self.history[0]
            if self._calendar_step is not None:
                self._calendar_step -= 1
        self.position = len(self.history) - 1
        self.load(ref)

    def selected(self, ref: ItemRef) -> None:
        """Make `ref`, the event the calendar selected, the subject. Moving through the
        calendar is one step of the history, not one a day: a selection replaces the one
        before it while nothing was followed since, so back returns to what was browsed
        here before (twenty `j` presses no longer filled the history with events).

        The same event selected again (the calendar read again after a change or an
        undo) leaves the pane where the officer browsed to."""
        if ref == self._calendar_ref and not self._cleared:
            return
        self._calendar_ref = ref
        at_end = self.position == len(self.history) - 1
        if self._calendar_step == self.position and at_end and ref != self.current:
            self._cleared = False
            self.history[self.position] = ref
            self.load(ref)
            return
        self.follow(ref)
        self._calendar_step = self.position

    def start(self, ref: ItemRef) -> None:
        """Make `ref` the subject of a fresh history (a list's highlighted record)."""
        if ref == self.current and not self._cleared:
            return
        self._cleared = False
        self._calendar_step = None
        self.history = [ref]
        self.position = 0
        self.load(ref)

    def back(self) -> bool:
        """Go to the previous subject; False when there is none."""
        if self.position <= 0:
            return False
        self.position -= 1
        self._arrive()
        return True

    def forward(self) -> bool:
        """Go to the next subject; False when there is none."""
        if self.position >= len(self.history) - 1:
            return False
        self.position += 1
        self._arrive()
        return True

    def step(self, direction: int) -> None:
        """Back (-1) or forward (1), saying so when there is nowhere to go."""
        moved = self.back() if direction < 0 else self.forward()
        if not moved:
            where = "back" if direction < 0 else "forward"
            self.notify(f"Nothing to go {where} to.", markup=False)

    def _arrive(self) -> None:
        ref = self.current
        if ref is None:
            return
        self._cleared = False
        self.load(ref)
        if ref.kind == "event":
            self.post_message(self.EventOpened(self, ref.id))

    def reload(self) -> None:
        """Read the subject again (after a change elsewhere)."""
        if self.current is not None and not self._cleared:
            self.load(self.current)

    def load(self, ref: ItemRef) -> None:
        """Read a subject and what is linked to it, off the UI thread, one read at a time
        (see NewestOnly)."""
        self._reads.run(self._read, ref)

    @work(thread=True, exclusive=True, exit_on_error=False, group="related")
    def _read(self, ref: ItemRef) -> None:
        """Read a subject and what is linked to it (see load)."""
        try:
            subject = self.convener.planner.subject(ref)
        except NotFound:
            # Deleted (in the trash) or its making undone since it was opened here.
            gone = f"This {ref.kind} is no longer here (deleted, or its adding undone)."
            self.post_message(self.SubjectLoaded(None, ref, gone))
            return
        self.post_message(self.SubjectLoaded(subject, ref))

    @on(SubjectLoaded)
    def show_subject(self, message: SubjectLoaded) -> None:
        if message.ref != self.current or self._cleared:
            return
        self.subject = message.subject
        options = self.query_one("#related-list", RelatedList)
        options.clear_options()
        self._items = {}
        if message.subject is None:
            self.query_one("#related-subject", Static).update(
                Text(clean_line(message.error or "Not found."), style="dim")
            )
            self._show_trail()
            return
        subject = message.subject
        self.titles[subject.ref] = subject.title
        head = Text(f"{label_of(subject.ref.kind)}: ", style="dim")
        head.append(clean_line(subject.title), style="bold")
        if subject.summary:
            head.append("\n" + clean_line(subject.summary), style="italic")
        self.query_one("#related-subject", Static).update(head)
        self._show_trail()
        if not subject.groups:
            options.add_option(
                Option(Text("Nothing linked yet: a links one.", style="dim"), disabled=True)
            )
            return
        # One add_options call: each add_option call measures the list again.
        lines: list[Option | None] = []
        room = (options.scrollable_content_region.width or TRAIL_WIDTH) - 2  # its padding
        for group_number, group in enumerate(subject.groups):
            if group_number:
                lines.append(None)
            lines.append(Option(Text(group.heading, style="bold"), disabled=True))
            # Items whose rows would read the same (a title cut where another's is, its
            # detail out of view): two sessions spoken at, a series' occurrences.
            seen = Counter(clean_line(item.label)[: room - 2] for item in group.items)
            for number, item in enumerate(group.items):
                option_id = f"{group_number}.{number}"
                self._items[option_id] = item
                title = clean_line(item.label)
                detail = clean_line(item.detail) if item.detail else ""
                wanted = min(len(detail), DETAIL_LEAST)
                alike = seen[title[: room - 2]] > 1
                if alike and detail and room - len(title) - 4 < wanted:
                    # The title gives way (to half the row at most) so that the detail
                    # tells them apart.
                    keep = max(room // 2, room - wanted - 4)
                    if len(title) > keep:
                        title = title[: max(1, keep - 1)] + "…"
                label = Text("  " + title, no_wrap=True, overflow="ellipsis")
                if detail:
                    label.append(f"  {detail}", style="dim")
                lines.append(Option(label, id=option_id))
        options.add_options(lines)
        first = next(
            (n for n in range(options.option_count) if not options.get_option_at_index(n).disabled),
            None,
        )
        options.highlighted = first

    def _show_trail(self) -> None:
        """The history as one line: the current subject's title whole where it fits, the
        subjects around it (up to three before, one after) cut to share what is left of
        the pane's width; those that leave no room are left out ("… ›")."""
        if not self.history:
            return
        position, count = self.position, len(self.history)
        titles: dict[int, str] = {}
        for index in range(count):
            ref = self.history[index]
            known = self.titles.get(ref)
            titles[index] = clean_line(known) if known else f"{label_of(ref.kind)} {ref.id}"
        trail_widget = self.query_one("#related-trail", Static)
        width = trail_widget.size.width or TRAIL_WIDTH
        first, last = max(0, position - 3), min(count - 1, position + 1)

        def room_for(first: int, last: int) -> int:
            ends = (4 if first else 0) + (4 if last < count - 1 else 0)  # "… › ", " › …"
            return width - ends - 3 * (last - first)

        def fits(first: int, last: int) -> bool:
            # The current subject whole, the others at least TRAIL_LEAST each.
            least = TRAIL_LEAST * (last - first) + len(titles[position])
            return room_for(first, last) >= least

        while not fits(first, last) and (first < position or last > position):
            if last > position:
                last -= 1
            else:
                first += 1
        shown = list(range(first, last + 1))
        room = max(1, room_for(first, last))
        others = [index for index in shown if index != position]
        # The current subject whole where it can be; the others share what is left.
        mine = min(len(titles[position]), room - TRAIL_LEAST * len(others))
        cut = {position: max(min(TRAIL_LEAST, room), mine)}
        share = (room - cut[position]) // len(others) if others else 0
        cut |= {index: min(len(titles[index]), share) for index in others}
        spare = room - sum(cut.values())
        for index in others:  # what the short titles leave goes to the longer ones
            if spare <= 0:
                break
            grow = min(spare, len(titles[index]) - cut[index])
            cut[index] += grow
            spare -= grow
        trail = Text(no_wrap=True, overflow="ellipsis")
        if first:
            trail.append("… › ", style="dim")
        for index in shown:
            title = titles[index]
            short = title
            if len(title) > cut[index]:
                short = title[: max(0, cut[index] - 1)].rstrip() + "…"
            trail.append(short, style="bold reverse" if index == position else "dim")
            if index < count - 1:
                trail.append(" › ", style="dim")
        if last < count - 1:
            trail.append("…", style="dim")
        trail_widget.update(trail)

    def on_resize(self) -> None:
        # The trail's titles share the width: cut again for the new one.
        self._show_trail()

    @property
    def highlighted_item(self) -> RelatedItem | None:
        """The item under the cursor."""
        options = self.query_one("#related-list", RelatedList)
        if options.highlighted is None:
            return None
        option = options.get_option_at_index(options.highlighted)
        return self._items.get(option.id or "")

    @on(OptionList.OptionSelected, "#related-list")
    def open_item(self, message: OptionList.OptionSelected) -> None:
        item = self._items.get(message.option.id or "")
        if item is None:
            return
        if item.ref.kind == "event" and self.events_on_own_screen:
            self.post_message(self.EventOpened(self, item.ref.id))
            return
        self.follow(item.ref)
        if item.ref.kind == "event":
            self.post_message(self.EventOpened(self, item.ref.id))

    # -- links ------------------------------------------------------------------------

    def action_add_link(self) -> None:
        """Choose what kind of link, then the record at its other end."""
        subject = self.subject
        if subject is None:
            self.notify("Nothing to link to: select an event first.", markup=False)
            return
        kinds = LINK_KINDS.get(subject.ref.kind, ())
        if len(kinds) == 1:
            self._pick_other_end(subject, kinds[0])
            return
        by_label = {kind.label: kind for kind in kinds}

        def chosen(label: str | None) -> None:
            if label is not None:
                self._pick_other_end(subject, by_label[label])

        from tui.modals.choose import ChooseScreen

        dialog = ChooseScreen(f"Link {clean_line(subject.title)} to:", list(by_label))
        self.post_message(DialogRequested(dialog, chosen))

    def _pick_other_end(self, subject: Subject, kind: LinkKind) -> None:
        linked = {item.ref for group in subject.groups for item in group.items if item.link}

        def picked(ref: ItemRef | None) -> None:
            if ref is None:
                return
            key = link_key(kind, subject.ref.id, ref.id)
            try:
                added = self.convener.planner.add_link(key)
            except ConvenerError as error:
                self.notify(clean_line(str(error)), severity="error", markup=False)
                return
            self.notify(
                f"Linked ({kind.label.lower()})" if added else "Already linked.", markup=False
            )
            self._links_changed()

        title = f"{kind.label} for {clean_line(subject.title)}"
        from tui.modals.pick import PickScreen

        dialog = PickScreen(title, kind.target, exclude=linked | {subject.ref})
        self.post_message(DialogRequested(dialog, picked))

    def _links_changed(self) -> None:
        """Read the links again, and tell the screen: the event pane beside lists the
        event's publications and partners too (it kept a removed one until the week
        changed)."""
        self.reload()
        self.post_message(DataChanged("link", origin=self))

    def action_remove_link(self) -> None:
        """Remove the link that puts the highlighted item here, after asking."""
        item = self.highlighted_item
        if item is None or item.link is None:
            self.notify(
                "The highlighted item is not a link that can be removed here.", markup=False
            )
            return
        key = item.link

        def answer(yes: bool | None) -> None:
            if yes:
                self.convener.planner.remove_link(key)
                self.notify("Link removed (u undoes it).", markup=False)
                self._links_changed()

        question = f"Remove the link to {clean_line(item.label)}?"
        from tui.modals.confirm import ConfirmScreen

        self.post_message(DialogRequested(ConfirmScreen(question), answer))
