"""GuestList: the selected event's guest list, its RSVP picture and what the caterer needs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Input, Static

from tui import config
from tui.context import UsesConvener
from tui.domain.errors import NotFound
from tui.domain.guests import (
    PENDING,
    RSVP_PARTS,
    SORT_COLUMNS,
    NeedsSummary,
    RsvpPicture,
    bar_cells,
    filter_lines,
    first_waitlisted,
    needs_line,
    needs_of,
    rsvp_picture,
    sort_lines,
)
from tui.domain.models import (
    INVITATION_ROLES,
    INVITATION_STATUSES,
    RESPONSE_VIA,
    Event,
    GuestLine,
    Invitation,
    ItemRef,
)
from tui.domain.privacy import is_private
from tui.domain.text import clean_line
from tui.files import export_name, write_private
from tui.messages import DataChanged, DialogRequested
from tui.typeahead import focus_for_typed_keys, hold_keys
from tui.widgets.frames import KeepsComponentStyles, PaneText, SameMiddleLines
from tui.widgets.guest_table import GuestTable
from tui.worker_errors import ReportsWorkerErrors

STATUS_KEYS = {
    "accepted": "A",
    "declined": "D",
    "tentative": "T",
    "waitlisted": "W",
    "invited": "I",
    "to-invite": "O",
    "attended": "P",
    "no-show": "N",
}
"""One key per status (upper case: the lower-case letters are the screen's own keys)."""


def _status_binding(status: str) -> Binding:
    key = STATUS_KEYS[status]
    return Binding(
        key,
        f"set_status('{status}')",
        status.capitalize(),
        id=f"guests.status_{status.replace('-', '_')}",
        tooltip=f"Mark the marked guests (or this one) {status}",
        show=status in ("accepted", "declined"),
    )


def needs_text(needs: NeedsSummary) -> str:
    """The needs summary in a few plain lines for the pane."""
    return clean_line(needs_line(needs))


class GuestList(UsesConvener, ReportsWorkerErrors, KeepsComponentStyles, SameMiddleLines, Vertical):
    """The guest list of the event the calendar selects."""

    BINDINGS = [
        Binding("n", "invite", "Invite", id="guests.invite", tooltip="Invite people (pick or add)"),
        *(_status_binding(status) for status in INVITATION_STATUSES),
        Binding(
            "w",
            "promote",
            "Promote",
            id="guests.promote",
            tooltip="Accept the guest longest on the waitlist",
        ),
        Binding(
            "v",
            "reply_via",
            "Reply via",
            id="guests.reply_via",
            tooltip="How the reply came: email, phone, letter, in person",
            show=False,
        ),
        Binding(
            "r",
            "set_role",
            "Role",
            id="guests.role",
            tooltip="Change the role of the marked guests (or this one)",
            show=False,
        ),
        Binding(
            "e", "edit", "Edit", id="guests.edit", tooltip="Edit this guest's line", show=False
        ),
        Binding(
            "d",
            "remove",
            "Remove",
            id="guests.remove",
            tooltip="Remove the marked guests (or this one) to the trash",
            show=False,
        ),
        Binding(
            "enter",
            "open_person",
            "Person",
            id="guests.open",
            tooltip="Open this guest's record",
            show=False,
        ),
        Binding(
            "f",
            "filter",
            "Find guest",
            id="guests.filter",
            tooltip="Filter as you type; status:, role:, org: narrow to a field",
        ),
        Binding(
            "escape",
            "close_filter",
            "Clear filter",
            id="guests.close_filter",
            tooltip="Clear the guest filter and go back to the lines",
            show=False,
        ),
        Binding(
            "m",
            "mail_invitations",
            "Mail",
            id="guests.mail",
            tooltip="Queue e-mail invitations for the marked guests (or this one) in the outbox",
        ),
        Binding(
            "x",
            "export_csv",
            "Export CSV",
            id="guests.export_csv",
            tooltip="Write this guest list as CSV to the export folder",
            show=False,
        ),
        Binding(
            "i",
            "import_csv",
            "Import CSV",
            id="guests.import_csv",
            tooltip="Read a guest list CSV into this event (says what changed; u undoes)",
            show=False,
        ),
        Binding(
            "s", "sort", "Sort", id="guests.sort", tooltip="Sort by the next column", show=False
        ),
        Binding(
            "S",
            "reverse_sort",
            "Reverse",
            id="guests.reverse_sort",
            tooltip="Reverse the sort order",
            show=False,
        ),
    ]
    """
    | key | does |
    |---|---|
    | n | invite people |
    | A D T W | accepted, declined, tentative, waitlisted |
    | I O P N | invited, to-invite, attended (present), no-show |
    | w | promote the first waitlisted guest |
    | v | how the reply came |
    | r | role |
    | e | edit the line |
    | d | remove to the trash |
    | enter | open the person |
    | m | queue e-mail invitations (the outbox; ctrl+p "Mail: send the outbox" sends) |
    | f | filter (escape clears it) |
    | s, S | sort by the next column, reverse |
    | x | export the guest list as CSV (to the export folder) |
    | i | import a guest list CSV into this event |
    """

    event_id: reactive[int | None] = reactive(None, init=False)
    """The event whose guests are shown."""

    @dataclass
    class GuestsLoaded(Message):
        """An event's guest list, loaded off the UI thread."""

        event: Event
        lines: list[GuestLine]
        note: str | None = None
        """What the change that led to this load did, for the officer."""
        outbox: str = ""
        """The outbox in a few words ("outbox: 3 waiting (2 of them held)"), "" when empty."""

    @dataclass
    class EventGone(Message):
        """The event whose guests were asked for is no longer in the database."""

        event_id: int

    @dataclass
    class FormRequested(Message):
        """A key asked for a form over this event's guests ("edit" the line, "invite"
        people, "import" a CSV); the screen opens it and hands the result to `done`."""

        guest_list: GuestList
        what: str
        event_id: int
        event: Event
        line: GuestLine | None
        done: Callable[[Any], None]

        @property
        def control(self) -> GuestList:
            """The pane that sent it."""
            return self.guest_list

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.event: Event | None = None
        self.all_lines: list[GuestLine] = []
        self.picture: RsvpPicture | None = None
        self._reads = self.reads_one_at_a_time()
        self._filter_box: Input | None = None

    @property
    def table(self) -> GuestTable:
        """The lines."""
        return self.query_one("#guests-table", GuestTable)

    @property
    def filter_box(self) -> Input | None:
        """The type-to-filter box; None until `f` first opens it (made then: on the first
        screen it was a widget more to mount and style, issue 24)."""
        return self._filter_box

    @property
    def filter_text(self) -> str:
        """What the filter box holds ("" before it is opened)."""
        return "" if self._filter_box is None else self._filter_box.value

    def compose(self) -> ComposeResult:
        yield PaneText(id="guests-head", markup=False)
        yield PaneText(id="guests-bar", markup=False)
        yield PaneText(id="guests-counts", markup=False)
        yield GuestTable(id="guests-table")
        # The state class sits on the one part it changes: on the pane, each change of
        # it restyled all seven of the pane's widgets (4-8 ms a week change, and twice at
        # start).
        yield PaneText(id="guests-needs", markup=False, classes="-empty")

    def on_mount(self) -> None:
        self.border_title = "Guests"
        self._show_empty("No event selected.")

    # -- loading ----------------------------------------------------------------------

    def watch_event_id(self, event_id: int | None) -> None:
        self.table.forget_marks()
        if event_id is None:
            self.event = None
            self.all_lines = []
            self._show_empty("No event selected.")
            return
        self.load(event_id)

    def reload(self) -> None:
        """Read the guest list again (after an undo or an import)."""
        if self.event_id is not None:
            self.load(self.event_id)

    def load(self, event_id: int, note: str | None = None) -> None:
        """Read the event and its lines off the UI thread, one read at a time (see
        NewestOnly); a read that brings a note (what a change did) starts at once."""
        if note is not None:
            self._read(event_id, note)
            return
        self._reads.run(self._read, event_id)

    @work(thread=True, exclusive=True, exit_on_error=False, group="guests")
    def _read(self, event_id: int, note: str | None = None) -> None:
        """Read the event and its lines (see load)."""
        from tui.mail_actions import outbox_words

        planner = self.convener.planner
        try:
            event = planner.event(event_id)
            lines = planner.guest_lines(event_id)
        except NotFound:
            # Deleted meanwhile (the calendar's new selection follows): not an error.
            self.post_message(self.EventGone(event_id))
            return
        self.post_message(self.GuestsLoaded(event, lines, note, outbox_words(planner)))

    @on(EventGone)
    def show_gone(self, message: EventGone) -> None:
        if message.event_id != self.event_id:
            return  # an older selection's answer
        self.event = None
        self.all_lines = []
        self.table.forget_marks()
        self._show_empty("This event is no longer in the database.")

    @on(GuestsLoaded)
    def show_guests(self, message: GuestsLoaded) -> None:
        if message.event.id != self.event_id:
            return  # an older selection's answer
        before = self.picture if self.event and self.event.id == message.event.id else None
        self.event = message.event
        self.all_lines = message.lines
        self.border_subtitle = message.outbox
        self.table.forget_marks(keep={line.id for line in message.lines})
        self.refresh_view()
        if message.note:
            self.notify(message.note, markup=False)
        picture = self.picture
        if (
            picture is not None
            and picture.over_capacity
            and (before is None or before.over_capacity < picture.over_capacity)
        ):
            if before is not None:
                self.notify(
                    f"Over capacity: {picture.coming} coming for {picture.capacity} places.",
                    severity="warning",
                    markup=False,
                )

    def refresh_view(self) -> None:
        """Filter, sort and show the lines; redraw the counts, the bar and the needs."""
        table = self.table
        shown = sort_lines(
            filter_lines(self.all_lines, self.filter_text),
            table.sort_column,
            reverse=table.sort_reverse,
        )
        table.show_lines(shown)
        event = self.event
        if event is None:
            return
        self.picture = rsvp_picture(self.all_lines, event.capacity)
        self.border_title = f"Guests ({len(self.all_lines)})"
        self._show_head(event, shown)
        self.query_one("#guests-needs", Static).update(
            needs_text(needs_of([line.invitation for line in self.all_lines]))
        )
        self.query_one("#guests-needs").set_class(not self.all_lines, "-empty")

    def _show_empty(self, text: str) -> None:
        self.border_title = "Guests"
        self.query_one("#guests-head", Static).update(text)
        for part in ("#guests-bar", "#guests-counts", "#guests-needs"):
            self.query_one(part, Static).update("")
        self.table.show_lines([])
        self.picture = None
        self.query_one("#guests-needs").set_class(True, "-empty")

    def _show_head(self, event: Event, shown: list[GuestLine]) -> None:
        picture = self.picture
        assert picture is not None
        head = Text(clean_line(event.title), style="bold", no_wrap=True, overflow="ellipsis")
        if not self.all_lines:
            head.append("\nNo guests yet: press n to invite people.", style="")
        elif len(shown) != len(self.all_lines):
            head.append(f"\n{len(shown)} of {len(self.all_lines)} shown (filter)", style="")
        marked = len(self.table.marked)
        if marked:
            head.append(f"\n{marked} marked (escape unmarks)", style="")
        self.query_one("#guests-head", Static).update(head)
        self.query_one("#guests-bar", Static).update(self._bar(picture))
        counts = Text(no_wrap=False)
        for status in INVITATION_STATUSES:
            if picture.by_status.get(status):
                if counts:
                    counts.append(" · ")
                counts.append(f"{status} {picture.by_status[status]}")
        counts.append("\n")
        if picture.capacity is None:
            counts.append(f"Coming: {picture.coming} (with plus-ones); no capacity set")
        elif picture.over_capacity:
            counts.append(
                f"⚠ {picture.over_capacity} over capacity: {picture.coming} coming"
                f" for {picture.capacity} places",
                style=self.get_component_rich_style("guest-list--warning", partial=True),
            )
        else:
            counts.append(f"Coming: {picture.coming} of {picture.capacity} places")
        self.query_one("#guests-counts", Static).update(counts)

    def _bar(self, picture: RsvpPicture) -> Text:
        width = max(10, self.size.width)  # the pane's content width: the line, whole
        total = sum(picture.parts.values())
        bar = Text(no_wrap=True)
        if total == 0:
            return bar
        shares = bar_cells([picture.parts[part] for part in RSVP_PARTS], width)
        for part, cells in zip(RSVP_PARTS, shares, strict=True):
            style = self.get_component_rich_style(f"guest-list--{part}", partial=True)
            bar.append("█" * cells, style)
        # The legend wraps between items, never inside one.
        used = width
        for part in RSVP_PARTS:
            # The bar's "accepted" holds those who attended: the counts' line says each.
            label = part
            if part == "accepted" and picture.by_status.get("attended"):
                label = "accepted or attended"
            elif part == "pending" and picture.parts[part]:
                # The statuses it stands for, as the counts' line spells them.
                label = " or ".join(s for s in PENDING if picture.by_status.get(s))
            item = f"■ {picture.parts[part]} {label}"
            if used + len(item) + 2 > width:
                bar.append("\n")
                used = 0
            elif used:
                bar.append("  ")
                used += 2
            style = self.get_component_rich_style(f"guest-list--{part}", partial=True)
            bar.append(item[0], style)
            bar.append(item[1:])
            used += len(item)
        return bar

    COMPONENT_CLASSES = {
        "guest-list--accepted",
        "guest-list--tentative",
        "guest-list--pending",
        "guest-list--declined",
        "guest-list--waitlisted",
        "guest-list--warning",
    }

    def on_resize(self) -> None:
        if self.picture is not None:
            self.query_one("#guests-bar", Static).update(self._bar(self.picture))

    @on(GuestTable.MarksChanged, "#guests-table")
    def show_marks(self) -> None:
        if self.event is not None:
            self._show_head(self.event, self.table.lines)

    # -- filter and sort --------------------------------------------------------------

    async def action_filter(self) -> None:
        """Show the filter box and type in it."""
        box = self._filter_box
        if box is None:
            box = Input(
                placeholder="filter: words, status:accepted, role:speaker, org:…",
                id="guests-filter",
            )
            self._filter_box = box
            await self.mount(box, before=self.table)
        box.remove_class("-hidden")
        focus_for_typed_keys(box)  # `f status:wait` typed in one go: the words are the filter

    @on(Input.Changed, "#guests-filter")
    def filter_changed(self) -> None:
        self.refresh_view()

    @on(Input.Submitted, "#guests-filter")
    def filter_done(self) -> None:
        if self._filter_box is not None and not self._filter_box.value:
            self._filter_box.add_class("-hidden")
        self.table.focus()

    def action_close_filter(self) -> None:
        """Clear and hide the filter box and go back to the lines."""
        if self._filter_box is not None:
            self._filter_box.value = ""
            self._filter_box.add_class("-hidden")
        self.table.focus()

    def action_sort(self) -> None:
        """Sort by the next column."""
        table = self.table
        table.sort_column = SORT_COLUMNS[
            (SORT_COLUMNS.index(table.sort_column) + 1) % len(SORT_COLUMNS)
        ]
        table.sort_reverse = False
        self.refresh_view()

    def action_reverse_sort(self) -> None:
        """Reverse the order."""
        self.table.sort_reverse = not self.table.sort_reverse
        self.refresh_view()

    # -- changes ----------------------------------------------------------------------

    def _chosen(self) -> list[int]:
        ids = self.table.chosen_ids()
        if not ids:
            self.notify("No guest here: press n to invite people.", markup=False)
        return ids

    def _event_or_say(self) -> int | None:
        if self.event_id is None or self.event is None:
            self.notify("No event selected: choose one in the calendar first.", markup=False)
            return None
        return self.event_id

    @work(thread=True, exit_on_error=False, group="guest-change")
    def change(self, event_id: int, task: Callable[[], str | None]) -> None:
        """Run one change through the service off the UI thread, then show the new list."""
        from tui.mail_actions import outbox_words

        note = task()
        planner = self.convener.planner
        event, lines = planner.event(event_id), planner.guest_lines(event_id)
        self.post_message(self.GuestsLoaded(event, lines, note, outbox_words(planner)))
        self.post_message(DataChanged("invitation", event_id, origin=self))

    def action_set_status(self, status: str) -> None:
        """Give the marked guests (or the highlighted one) a status."""
        event_id = self._event_or_say()
        if event_id is None:
            return
        ids = self._chosen()
        if not ids:
            return
        planner = self.convener.planner
        self.table.forget_marks()

        def task() -> str:
            changed = planner.set_guest_status(ids, status)
            note = _done_note(len(ids), changed, status)
            if status == "declined" and changed:
                waiting = first_waitlisted(planner.guest_lines(event_id))
                if waiting is not None:
                    note += f"; press w to promote {waiting.name} from the waitlist"
            return clean_line(note)

        self.change(event_id, task)

    def action_mail_invitations(self) -> None:
        """Queue an e-mail invitation for the marked guests (or the highlighted one)."""
        from tui.mail_actions import queue_invitations, why_nothing_is_queued

        event_id = self._event_or_say()
        ids = self._chosen() if event_id is not None else []
        if event_id is None or not ids:
            return
        planner, settings = self.convener.planner, self.convener.settings
        refused = why_nothing_is_queued(settings)
        if refused is not None:  # said at once, not after a question
            self.change(event_id, lambda: refused)
            return

        def queue(chosen: list[int]) -> None:
            self.table.forget_marks()
            self.change(event_id, lambda: queue_invitations(planner, settings, event_id, chosen))

        # A guest invited already (or who answered) has had an invitation: a second one
        # goes only when the officer says so (a guest who lost it), never on a stray m.
        status = {line.id: line.invitation.status for line in self.all_lines}
        had = [i for i in ids if status.get(i, "to-invite") != "to-invite"]
        if not had:
            queue(ids)
            return
        fresh = [i for i in ids if i not in had]
        if not fresh:
            names = {line.id: line.name for line in self.all_lines}
            if len(had) == 1:
                whom = f"{names.get(had[0], 'This guest')} ({status[had[0]]}) has"
            else:
                whom = f"These {len(had)} guests (invited or answered) have"

            def again(yes: bool | None) -> None:
                if yes:
                    queue(ids)
                else:
                    self.notify("Nothing queued.", markup=False)

            from tui.modals.confirm import ConfirmScreen

            question = clean_line(f"{whom} had an invitation: queue it again?")
            self.post_message(DialogRequested(ConfirmScreen(question), again))
            return
        # Marked together with guests not yet invited: which to queue (escape: none).
        only_new = f"Only the {len(fresh)} not yet invited"
        every = f"All {len(ids)}, a second invitation for the {len(had)} invited or answered"

        def chosen(choice: str | None) -> None:
            if choice == every:
                queue(ids)
            elif choice == only_new:
                queue(fresh)
            else:
                self.notify("Nothing queued.", markup=False)

        from tui.modals.choose import ChooseScreen

        title = f"{len(had)} of the marked guests have had an invitation already"
        dialog = ChooseScreen(clean_line(title), [only_new, every], wide=True)
        self.post_message(DialogRequested(dialog, chosen))

    # Worker.StateChanged does not bubble: a widget worker's error never reaches the App's
    # handler, so queue_invitations says what went wrong in the note it returns.

    def action_promote(self) -> None:
        """Accept the guest longest on the waitlist."""
        event_id = self._event_or_say()
        if event_id is None:
            return
        planner = self.convener.planner

        def task() -> str:
            line = planner.promote_from_waitlist(event_id)
            if line is None:
                return "Nobody is on the waitlist."
            return clean_line(f"{line.name} promoted from the waitlist: accepted")

        self.change(event_id, task)

    def action_reply_via(self) -> None:
        """Record how the reply of the marked guests (or this one) came."""
        event_id = self._event_or_say()
        ids = self._chosen() if event_id is not None else []
        if event_id is None or not ids:
            return
        planner = self.convener.planner

        def chosen(via: str | None) -> None:
            if via is None:
                return
            self.table.forget_marks()
            self.change(event_id, lambda: _via_note(planner.set_reply_via(ids, via), via))

        from tui.modals.choose import ChooseScreen

        self.post_message(DialogRequested(ChooseScreen("The reply came by", RESPONSE_VIA), chosen))

    def action_set_role(self) -> None:
        """Change the role of the marked guests (or this one)."""
        event_id = self._event_or_say()
        ids = self._chosen() if event_id is not None else []
        if event_id is None or not ids:
            return
        planner = self.convener.planner

        def chosen(role: str | None) -> None:
            if role is None:
                return
            self.table.forget_marks()
            self.change(
                event_id, lambda: _done_note(len(ids), planner.set_guest_role(ids, role), role)
            )

        from tui.modals.choose import ChooseScreen

        one = next((line for line in self.table.lines if line.id == ids[0]), None)
        whom = one.name if len(ids) == 1 and one is not None else f"{len(ids)} guests"
        dialog = ChooseScreen(f"Role for {whom}", INVITATION_ROLES)
        self.post_message(DialogRequested(dialog, chosen))

    def action_remove(self) -> None:
        """Remove the marked guests (or this one) to the trash, after asking."""
        event_id = self._event_or_say()
        ids = self._chosen() if event_id is not None else []
        if event_id is None or not ids:
            return
        planner = self.convener.planner
        line = self.table.current_line
        who = f"{len(ids)} guests" if len(ids) > 1 or line is None else clean_line(line.name)

        def answer(yes: bool | None) -> None:
            if yes:
                self.table.forget_marks()
                self.change(
                    event_id,
                    lambda: f"{planner.remove_guests(ids)} removed (u undoes)",
                )

        question = f"Remove {who} from the guest list? (u undoes it)"
        from tui.modals.confirm import ConfirmScreen

        self.post_message(DialogRequested(ConfirmScreen(question), answer))

    def action_edit(self) -> None:
        """Edit every field of the highlighted line."""
        event_id = self._event_or_say()
        line = self.table.current_line
        if event_id is None or self.event is None:
            return
        if line is None:
            self.notify("No guest here: press n to invite people.", markup=False)
            return
        planner = self.convener.planner

        def saved(invitation: Invitation | None) -> None:
            if invitation is not None:
                self.change(event_id, lambda: _saved_note(planner.save(invitation), line))

        hold_keys(self.app)  # what is typed next is for the form, not for this list
        self.post_message(self.FormRequested(self, "edit", event_id, self.event, line, saved))

    def action_invite(self) -> None:
        """Pick people (or add new ones) to invite."""
        event_id = self._event_or_say()
        if event_id is None or self.event is None:
            return

        def done(added: int | None) -> None:
            if added:
                self.load(event_id, f"{added} added to the guest list")
                self.post_message(DataChanged("invitation", event_id, origin=self))

        hold_keys(self.app)  # what is typed next is for the picker, not for this list
        self.post_message(self.FormRequested(self, "invite", event_id, self.event, None, done))

    def action_export_csv(self) -> None:
        """The guest list as CSV in the export folder (asks before replacing a file, and
        before an invitation-only event's private details leave)."""
        event_id = self._event_or_say()
        event = self.event
        if event_id is None or event is None:
            return
        folder = self.convener.settings.export_dir or config.documents_dir()
        private = is_private(event)
        # Named as `convener export event ID --format csv` names it: an invitation-only
        # event's list, with its private details, is -guests-private.csv.
        target = folder / export_name(event, "csv", include_private=private)

        def replace_answer(yes: bool | None) -> None:
            if yes:
                self.write_csv(event_id, target, private, force=True)
            else:
                self.notify(f"Not exported: {target.name} is kept as it was.", markup=False)

        def write() -> None:
            if target.exists():
                question = f"{target} exists. Replace it?"
                from tui.modals.confirm import ConfirmScreen

                self.post_message(DialogRequested(ConfirmScreen(question), replace_answer))
            else:
                self.write_csv(event_id, target, private, force=False)

        def private_answer(yes: bool | None) -> None:
            if yes:
                write()

        if private:
            question = clean_line(
                f"{event.title} is invitation-only: the CSV holds each guest's needs, travel"
                " and notes. Export it?"
            )
            from tui.modals.confirm import ConfirmScreen

            self.post_message(DialogRequested(ConfirmScreen(question), private_answer))
        else:
            write()

    @work(thread=True, exit_on_error=False, group="guests-export")
    def write_csv(self, event_id: int, target: Path, private: bool, *, force: bool) -> None:
        """Build the CSV and write it atomically (0600), off the UI thread."""
        text = self.convener.planner.guests_csv(event_id, include_private=private)
        write_private(target, text, force=force)
        self.app.call_from_thread(
            self.notify, f"Guest list exported to {target}", markup=False, timeout=8
        )

    def action_import_csv(self) -> None:
        """Ask for a guest-list CSV and read it into this event; the summary says what
        changed, and the whole file is one undo step."""
        event_id = self._event_or_say()
        if event_id is None or self.event is None:
            return

        def done(changed: bool | None) -> None:
            if changed:
                self.load(event_id)
                self.post_message(DataChanged("invitation", event_id, origin=self))

        self.post_message(self.FormRequested(self, "import", event_id, self.event, None, done))

    def action_open_person(self) -> None:
        """Open the highlighted guest's record."""
        line = self.table.current_line
        if line is None:
            self.notify("No guest here.", markup=False)
            return
        self.convener.open_ref(ItemRef("person", line.invitation.person_id))


def _guests(n: int) -> str:
    return "1 guest" if n == 1 else f"{n} guests"


def _done_note(asked: int, changed: int, what: str) -> str:
    """ "5 guests now accepted (2 already were)"."""
    if changed == 0:
        return f"Already {what}: nothing changed"
    note = f"{_guests(changed)} now {what}"
    return note + (f" ({asked - changed} already were)" if changed < asked else "")


def _via_note(changed: int, via: str) -> str:
    return f"Reply by {via} recorded for {_guests(changed)}" if changed else "Nothing changed"


def _saved_note(invitation: Invitation, line: GuestLine) -> str:
    return clean_line(f"Saved {line.name}: {invitation.status}")
