"""TrashScreen: what was deleted, latest first; restore one, or empty it after a backup."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, tzinfo

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tui.context import UsesConvener
from tui.display import officer_zone
from tui.domain.errors import ConvenerError
from tui.domain.kinds import label_of
from tui.domain.planner import TrashItem
from tui.domain.text import clean_line
from tui.key_bar import KeyBar
from tui.keys import with_key
from tui.messages import ReadsAgainOnDataChanged
from tui.modals.confirm import ConfirmScreen
from tui.widgets.app_header import AppHeader
from tui.worker_errors import ReportsWorkerErrors

KIND_WIDTH = 12
"""The kind column ("Organisation")."""

GAP = 2
"""Spaces between columns."""

DETAIL_LEAST = 12
"""Narrower than this, the detail column (a date, an e-mail, "agenda of …") is left out
and the name takes its room."""

SHARED_FROM = 60
"""From this much room for the name and the detail, the detail keeps at least a third."""

DELETED_WORD_FROM = 100
"""From this width the time reads "deleted 6 Dec 19:58"; below, the time alone."""


@dataclass(frozen=True)
class TrashLine:
    """One row of the trash, laid out for the width it is drawn at: the name takes the
    room it needs (up to the longest name in the list, so that the columns line up),
    the detail what is left; at 80 columns the name showed a few letters, squeezed by a
    detail and a "deleted 2026-12-06 19:58 UTC" that kept their width."""

    kind: str
    name: str
    detail: str
    when: str
    name_room: int
    """The longest name in the list."""
    when_room: int
    """The longest time in the list."""
    detail_room: int
    """The longest detail in the list."""

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        word = "deleted " if width >= DELETED_WORD_FROM else ""
        when_width = len(word) + self.when_room
        rest = max(1, width - KIND_WIDTH - GAP - when_width - GAP)
        name_width = min(self.name_room, rest)
        if rest >= SHARED_FROM:
            # Room for both: one very long name does not push every detail out.
            name_width = min(name_width, max(rest - GAP - self.detail_room, rest * 2 // 3))
        detail_width = rest - name_width - GAP
        if detail_width < DETAIL_LEAST or not self.detail:
            name_width, detail_width = rest, 0
        line = Text(no_wrap=True)  # its newline is how Textual counts the row
        line.append_text(_fit(self.kind, KIND_WIDTH, "bold"))
        line.append(" " * GAP)
        line.append_text(_fit(self.name, name_width))
        if detail_width:
            line.append(" " * GAP)
            line.append_text(_fit(self.detail, detail_width, "dim"))
        line.append(" " * GAP)
        line.append(f"{word}{self.when}".rjust(when_width), style="italic dim")
        line.truncate(width)
        yield line


def _fit(text: str, width: int, style: str = "") -> Text:
    """`text` in exactly `width` cells: cut with an ellipsis, or padded."""
    fitted = Text(text, style=style, no_wrap=True, end="")
    fitted.truncate(width, overflow="ellipsis", pad=True)
    return fitted


def deleted_when(stamp: str, zone: tzinfo, today: date) -> str:
    """When a record was deleted, in the officer's own time: "6 Dec 19:58" this year,
    "6 Dec 2025 19:58" before; the stamp as stored when it cannot be read."""
    try:
        moment = datetime.fromisoformat(stamp).astimezone(zone)
    except ValueError:
        return stamp[:16].replace("T", " ")
    if moment.year == today.year:
        return f"{moment.day} {moment:%b %H:%M}"
    return f"{moment.day} {moment:%b %Y %H:%M}"


class TrashScreen(UsesConvener, ReadsAgainOnDataChanged, ReportsWorkerErrors, Screen[None]):
    """Every record in the trash; nothing here is gone until the trash is emptied."""

    BINDINGS = [
        Binding(
            "r,enter",
            "restore",
            "Restore",
            id="trash.restore",
            tooltip="Bring the highlighted record back",
            # Before the list's own enter, which said nothing in an empty trash.
            priority=True,
        ),
        Binding(
            "D",
            "empty",
            "Empty trash",
            id="trash.empty",
            tooltip="Delete it all, after writing a backup (asks first; u undoes it)",
        ),
        # e, d and n as everywhere else: here they say what the trash does instead.
        Binding(
            "e",
            "not_here('edit')",
            "Edit",
            id="trash.edit",
            tooltip="Says how: a record is restored (r), then edited",
            show=False,
        ),
        Binding(
            "d",
            "not_here('delete')",
            "Delete",
            id="trash.delete",
            tooltip="Says how: D empties the trash",
            show=False,
        ),
        Binding(
            "n",
            "not_here('new')",
            "New",
            id="trash.new",
            tooltip="Says where new records are made",
            show=False,
        ),
        Binding("j", "cursor(1)", "Down", id="trash.down", tooltip="Next", show=False),
        Binding("k", "cursor(-1)", "Up", id="trash.up", tooltip="Previous", show=False),
        Binding("escape,backspace", "back", "Back", id="trash.back", tooltip="Back"),
    ]
    """
    | key | does |
    |---|---|
    | up/k, down/j | move |
    | r, enter | restore the highlighted record (an event comes back with its guests and agenda) |
    | D | empty the trash after writing a backup (asks first; u undoes it) |
    | e, d, n | say what to do instead (restore, then edit; D empties; new records elsewhere) |
    | escape, backspace | back |
    """

    def __init__(self) -> None:
        super().__init__()
        self.items: list[TrashItem] = []

    def compose(self) -> ComposeResult:
        yield AppHeader()
        yield Static(id="trash-head", markup=False)
        yield OptionList(id="trash-list")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#trash-list", OptionList).border_title = "Trash"
        self.refresh_data()
        self.query_one("#trash-list", OptionList).focus()

    def refresh_data(self) -> None:
        """Read the trash again."""
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="trash")
    def load(self) -> None:
        """Read the trash off the UI thread."""
        items = self.convener.planner.trash()
        self.app.call_from_thread(self.show, items)

    def show(self, items: list[TrashItem]) -> None:
        """Fill the list, keeping the highlight where it was."""
        options = self.query_one("#trash-list", OptionList)
        keep = options.highlighted or 0
        self.items = items
        options.clear_options()
        # One row each, whatever the width (at 80 columns the line broke in two).
        zone = officer_zone(self.convener.settings.timezone)
        today = self.convener.planner.today()
        names = [clean_line(item.label) for item in items]
        times = [deleted_when(item.deleted_at, zone, today) for item in items]
        name_room = max((cell_len(name) for name in names), default=0)
        when_room = max((len(when) for when in times), default=0)
        details = [clean_line(item.detail) for item in items]
        detail_room = max((cell_len(detail) for detail in details), default=0)
        for item, name, detail, when in zip(items, names, details, times, strict=True):
            line = TrashLine(
                label_of(item.ref.kind), name, detail, when, name_room, when_room, detail_room
            )
            options.add_option(Option(line, id=f"{item.ref.kind}:{item.ref.id}"))
        if items:
            options.highlighted = min(keep, len(items) - 1)
            head = (
                f"{len(items)} record{'s' if len(items) != 1 else ''} in the trash, the latest"
                " deleted first (your time). r restores one; D empties the trash after"
                " writing a backup."
            )
        else:
            head = "The trash is empty. Deleted records wait here until the trash is emptied."
        self.query_one("#trash-head", Static).update(head)

    @on(OptionList.OptionSelected, "#trash-list")
    def selected(self) -> None:
        self.action_restore()

    def action_cursor(self, step: int) -> None:
        """Move the highlight."""
        options = self.query_one("#trash-list", OptionList)
        if options.option_count:
            current = options.highlighted or 0
            options.highlighted = max(0, min(options.option_count - 1, current + step))

    def action_not_here(self, what: str) -> None:
        """e, d or n in the trash: one line on what to do instead."""
        empty = not self.items
        if what == "edit":
            said = (
                "The trash is empty: nothing to edit."
                if empty
                else "A record in the trash is not edited: r restores it, then e edits it."
            )
        elif what == "delete":
            said = (
                "The trash is empty: nothing to delete."
                if empty
                else "Already in the trash: D empties it (after a backup; u undoes it)."
            )
        else:
            said = (
                "New records are made where they live: 1 the calendar, 2 people and"
                " organisations, 3 publications."
            )
        self.notify(said, markup=False)

    def action_restore(self) -> None:
        """Bring the highlighted record back."""
        options = self.query_one("#trash-list", OptionList)
        if options.highlighted is None or not self.items:
            self.notify("Nothing to restore: the trash is empty.", markup=False)
            return
        item = self.items[options.highlighted]
        try:
            self.convener.planner.restore_ref(item.ref)
        except ConvenerError as error:
            self.notify(clean_line(error.message), severity="error", markup=False)
            self.refresh_data()
            return
        self.notify(clean_line(f"Restored {item.label} (u undoes)"), markup=False)
        self.convener.refresh_screens()

    def action_empty(self) -> None:
        """Delete what is in the trash, after a backup; asks first (u undoes it)."""
        if not self.items:
            self.notify("The trash is already empty.", markup=False)
            return
        count = len(self.items)

        def answer(yes: bool | None) -> None:
            if yes:
                self.empty_trash()

        # Not "for good": u undoes it, as every change (and a backup is written first).
        question = (
            f"Empty the trash: delete the {count} record{'s' if count != 1 else ''} in it?"
            " A backup of the database is written first, and u undoes it."
        )
        self.app.push_screen(ConfirmScreen(question), answer)

    @work(thread=True, exclusive=True, exit_on_error=False, group="trash-empty")
    def empty_trash(self) -> None:
        """Back up, then empty, off the UI thread."""
        planner = self.convener.planner
        folder = planner.database_path.parent / "backups"
        try:
            backup, removed = planner.empty_trash(folder)
        except (ConvenerError, OSError) as error:
            message = getattr(error, "message", None) or getattr(error, "strerror", str(error))
            self.app.call_from_thread(
                self.notify,
                clean_line(f"Trash not emptied: {message}"),
                severity="error",
                markup=False,
            )
            return
        self.app.call_from_thread(
            self.notify,
            clean_line(
                f"Emptied the trash: {removed} record{'s' if removed != 1 else ''} deleted"
                f" — u to undo; the database before, backed up: {backup}"
            ),
            markup=False,
            timeout=10,
        )
        self.app.call_from_thread(self.convener.refresh_screens)

    def palette_commands(self) -> list[SystemCommand]:
        """The palette's trash entries: each runs what its key does."""
        keymap = self.convener.settings.keys

        def keyed(help_text: str, binding_id: str) -> str:
            return with_key(help_text, binding_id, [TrashScreen], keymap)

        return [
            SystemCommand(
                "Trash: restore",
                keyed("Bring the highlighted record back", "trash.restore"),
                self.action_restore,
            ),
            SystemCommand(
                "Trash: empty",
                keyed(
                    "Delete it all, after writing a backup (asks first; u undoes it)",
                    "trash.empty",
                ),
                self.action_empty,
            ),
        ]

    def action_back(self) -> None:
        """Back to where the trash was opened from."""
        self.dismiss(None)
