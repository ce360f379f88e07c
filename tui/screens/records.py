"""RecordsScreen: people and organisations, or publications, with the highlighted one's links."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Input, Static

from tui.context import UsesConvener
from tui.domain.errors import NotFound
from tui.domain.kinds import heading_of
from tui.domain.listing import ORDERS, ListQuery, list_query, position_of
from tui.domain.models import Organisation, Person, Publication
from tui.domain.text import clean
from tui.key_bar import KeyBar
from tui.messages import ReadsAgainOnDataChanged
from tui.modals import OpensDialogs
from tui.typeahead import focus_for_typed_keys
from tui.widgets.app_header import AppHeader
from tui.widgets.record_table import RecordTable
from tui.widgets.related_pane import RelatedPane
from tui.worker_errors import ReportsWorkerErrors

Listed = Person | Organisation | Publication
"""The records these lists hold."""


class RecordsScreen(
    UsesConvener, ReadsAgainOnDataChanged, OpensDialogs, ReportsWorkerErrors, Screen[None]
):
    """A long list on the left, filtered as you type; the highlighted record's links beside."""

    BINDINGS = [
        Binding(
            "o",
            "switch_kind",
            "People/Orgs",
            id="records.switch",
            tooltip="Switch between people and organisations",
        ),
        Binding("s", "sort", "Sort", id="records.sort", tooltip="The next order of the list"),
        Binding("n", "new_record", "New", id="records.new", tooltip="A new record of this list"),
        Binding(
            "e", "edit_record", "Edit", id="records.edit", tooltip="Edit the highlighted record"
        ),
        Binding(
            "E",
            "edit_in_editor",
            "Edit in $EDITOR",
            id="records.edit_in_editor",
            tooltip="Edit the highlighted record as TOML in $VISUAL or $EDITOR",
            show=False,
        ),
        Binding(
            "d",
            "delete_record",
            "Delete",
            id="records.delete",
            tooltip="Move the highlighted record to the trash (asks first; u undoes)",
            show=False,
        ),
        Binding("f", "filter", "Filter", id="records.filter", tooltip="Type to filter the list"),
        Binding(
            "escape",
            "close",
            "Calendar",
            id="records.close",
            tooltip="Back to the calendar (escape in the filter box leaves the box first)",
        ),
        Binding(
            "backspace,alt+left",
            "back",
            "Back",
            id="records.back",
            tooltip="Previous subject of the related-items pane",
            show=False,
        ),
        Binding(
            "alt+right",
            "forward",
            "Forward",
            id="records.forward",
            tooltip="Next subject of the related-items pane",
            show=False,
        ),
    ]
    """
    | key | does |
    |---|---|
    | (typing in the box) | filter the list |
    | f | back to the filter box |
    | o | people / organisations |
    | s | next order |
    | n, e, d | new, edit, delete (to the trash) |
    | E | edit the highlighted record as TOML in $VISUAL or $EDITOR |
    | enter | go to the highlighted record's links |
    | backspace, alt+left / alt+right | back / forward in the related items |
    | escape | back to the calendar |
    """

    class QueryReady(Message):
        """A new query's count, made off the UI thread; `at`: where the record to keep
        the cursor on now stands (None: from the top)."""

        def __init__(self, query: ListQuery, at: int | None = None) -> None:
            super().__init__()
            self.query = query
            self.at = at

    def __init__(self, kind: str) -> None:
        super().__init__()
        self.kind = kind
        self.order = next(iter(ORDERS[kind]))

    @property
    def table(self) -> RecordTable:
        """The list."""
        return self.query_one("#records-table", RecordTable)

    @property
    def related(self) -> RelatedPane:
        """The highlighted record's links."""
        return self.query_one("#records-related", RelatedPane)

    def compose(self) -> ComposeResult:
        yield AppHeader()
        with Horizontal(id="records-panes"):
            with Vertical(id="records-list"):
                yield Static(id="records-title", markup=False)
                yield Input(placeholder="f, then type to filter", id="records-filter")
                yield RecordTable(id="records-table")
            yield RelatedPane(id="records-related", events_on_own_screen=True)
        yield KeyBar()

    def on_mount(self) -> None:
        # The list has the focus so that 1, 2, 3 and the list's keys work at once; f filters.
        self.table.focus()
        self.requery()

    def requery(self, keep: int | None = None) -> None:
        """Count what the filter matches and show it from the top, or with the cursor on
        the record `keep` (by id) where it now stands."""
        self.count(self.kind, self.query_one("#records-filter", Input).value, self.order, keep)

    @work(thread=True, exclusive=True, exit_on_error=False, group="records-count")
    def count(self, kind: str, text: str, order: str, keep: int | None = None) -> None:
        """Run the query off the UI thread."""
        planner = self.convener.planner
        query = list_query(planner, kind, text, order)
        at = position_of(planner, query, keep) if keep is not None else None
        if at is None and keep is not None:
            at = self.table.cursor  # gone (to the trash): the row that took its place
        self.post_message(self.QueryReady(query, at))

    def on_records_screen_query_ready(self, message: QueryReady) -> None:
        query = message.query
        if query.kind != self.kind or query.text != self.query_one("#records-filter", Input).value:
            return
        title = Text(f"{heading_of(self.kind)} ({query.total:,})", style="bold")
        if query.ids is not None:
            title.append("  best matches first", style="dim")
        else:
            title.append(f"  by {query.order}", style="dim")
        self.query_one("#records-title", Static).update(title)
        self.table.show_query(query, at=message.at or 0)

    @on(Input.Changed, "#records-filter")
    def filter_changed(self) -> None:
        self.requery()

    @on(Input.Submitted, "#records-filter")
    def filter_done(self) -> None:
        self.table.focus()

    @on(RecordTable.Highlighted, "#records-table")
    def show_links(self, message: RecordTable.Highlighted) -> None:
        if message.row is not None:
            self.related.start(message.row.ref)
        elif self.table.shown is not None and self.table.row_count == 0:
            # An empty list has nothing selected: not the links of the last record shown.
            heading = heading_of(self.kind).lower()
            filtered = self.table.shown.text.strip()
            note = f"No {heading} match the filter." if filtered else f"No {heading} yet."
            self.related.clear(note, forget=True)

    @on(RelatedPane.EventOpened, "#records-related")
    def open_event(self, message: RelatedPane.EventOpened) -> None:
        """An event in the related items opens on its own screen above the list:
        backspace there comes back to the list where it was."""
        from tui.screens.event import open_over

        open_over(self, message.event_id)

    def on_key(self, event: object) -> None:
        from textual.events import Key

        if not isinstance(event, Key):
            return
        box = self.query_one("#records-filter", Input)
        if event.key == "down" and box.has_focus:
            event.stop()
            self.table.focus()
        elif event.key == "enter" and self.table.has_focus:
            event.stop()
            self.query_one("#related-list").focus()

    # -- editing --------------------------------------------------------------------

    def _highlighted(self) -> Listed | None:
        row = self.table.current_row
        if row is None:
            self.notify("Nothing highlighted.", markup=False)
            return None
        planner = self.convener.planner
        try:
            if row.ref.kind == "person":
                return planner.person(row.ref.id)
            if row.ref.kind == "organisation":
                return planner.organisation(row.ref.id)
            return planner.publication(row.ref.id)
        except NotFound as error:
            self.notify(clean(str(error)), severity="warning", markup=False)
            return None

    def action_new_record(self) -> None:
        """A new person, organisation or publication."""
        self._edit(None)

    def action_edit_record(self) -> None:
        """Every field of the highlighted record."""
        record = self._highlighted()
        if record is not None:
            self._edit(record)

    def action_edit_in_editor(self) -> None:
        """The highlighted record as TOML in $EDITOR."""
        from tui.screens.save_flows import edit_in_editor

        record = self._highlighted()
        if record is not None:
            edit_in_editor(self, record, self._saved)

    def _edit(self, record: Listed | None) -> None:
        from tui.screens.save_flows import edit_record

        edit_record(self, self.kind, record, self._saved)

    def _saved(self, record: Any) -> None:
        """After a save: the list read again, the cursor on the record saved (a new one
        too), where the order now puts it (it went back to the top)."""
        self.refresh_data(keep=getattr(record, "id", None))

    def action_delete_record(self) -> None:
        """Move the highlighted record to the trash, after asking."""
        record = self._highlighted()
        if record is None:
            return
        from tui.screens.save_flows import delete_record

        delete_record(self, record, self.refresh_data)

    def refresh_data(self, keep: int | None = None) -> None:
        """Read the list and the links again (after a change or an undo), the cursor
        staying on the record it was on (or on `keep`), wherever it now stands."""
        if keep is None:
            row = self.table.current_row
            keep = row.ref.id if row is not None and row.ref.kind == self.kind else None
        self.requery(keep)
        self.related.reload()

    def action_filter(self) -> None:
        """Back to the filter box."""
        # `f amina` typed in one go: the letters are the filter.
        focus_for_typed_keys(self.query_one("#records-filter", Input))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The publications' list has no other kind to switch to: its key bar leaves o out."""
        if action == "switch_kind" and self.kind == "publication":
            return False
        return True

    def action_switch_kind(self) -> None:
        """People to organisations and back (publications stay)."""
        if self.kind == "publication":
            self.notify("This list holds publications only; 2 shows people.", markup=False)
            return
        self.kind = "organisation" if self.kind == "person" else "person"
        self.order = next(iter(ORDERS[self.kind]))
        self.requery()

    def action_sort(self) -> None:
        """The next order (while filtering, best matches stay first)."""
        orders = list(ORDERS[self.kind])
        self.order = orders[(orders.index(self.order) + 1) % len(orders)]
        if self.query_one("#records-filter", Input).value.strip():
            self.notify("While filtering, the best matches come first.", markup=False)
        self.requery()

    def action_close(self) -> None:
        """Back to the calendar, or out of the filter box first."""
        box = self.query_one("#records-filter", Input)
        if box.has_focus and box.value:
            box.value = ""
            return
        self.dismiss(None)

    def action_back(self) -> None:
        """The previous subject of the related-items pane."""
        self.related.step(-1)

    def action_forward(self) -> None:
        """The next subject of the related-items pane."""
        self.related.step(1)
