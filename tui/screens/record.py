"""RecordScreen: a person, organisation or publication with its fields and links."""

from __future__ import annotations

from typing import Any

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Static

from tui.context import UsesConvener
from tui.domain.errors import NotFound
from tui.domain.models import ItemRef, Organisation, Person, Publication
from tui.domain.text import clean
from tui.key_bar import KeyBar
from tui.messages import ReadsAgainOnDataChanged
from tui.widgets.app_header import AppHeader
from tui.widgets.related_pane import RelatedPane
from tui.widgets.scrolling import KeyScroll

_HIDDEN = {"id", "uid", "created_at", "updated_at", "sample", "organisation_id"}
_LINK_TITLES = {
    "organisation": "Organisation",
    "contact_for": "Staff contact for",
    "events": "Events",
    "people": "People",
    "partnered": "Partner of",
    "related_events": "Related events",
    "related_publications": "Related publications",
}


def _label(item: dict[str, Any]) -> str:
    name = item.get("title") or item.get("name") or ""
    extra = [str(item[k]) for k in ("start_date", "role", "part") if item.get(k)]
    if item.get("in_trash"):
        extra.append("in the trash")
    return clean(f"{name} ({', '.join(extra)})" if extra else str(name))


def record_table(data: dict[str, Any]) -> Table:
    """Fields, then links, as a two-column grid; every value shown as text."""
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column(ratio=1)
    for key, value in data.items():
        if key in _HIDDEN or key in _LINK_TITLES or value in (None, "", [], False):
            continue
        shown = "yes" if value is True else str(value)
        table.add_row(key.replace("_", " ").capitalize(), Text(clean(shown)))
    for key, title in _LINK_TITLES.items():
        value = data.get(key)
        if not value:
            continue
        items = value if isinstance(value, list) else [value]
        table.add_row("", "")
        table.add_row(f"{title} ({len(items)})", Text("\n".join(_label(i) for i in items)))
    return table


class RecordScreen(UsesConvener, ReadsAgainOnDataChanged, Screen[None]):
    """One person, organisation or publication: its fields and links; e edits it. A
    record followed in its links becomes the one shown (an event opens on its own screen
    above, backspace there coming back here)."""

    BINDINGS = [
        Binding(
            "backspace",
            "back",
            "Back",
            id="record.back",
            tooltip="Back in the related items; when there is nothing before, close",
        ),
        Binding(
            "escape",
            "close",
            "Close",
            id="record.escape",
            tooltip="Back to where you were",
            show=False,
        ),
        Binding("e", "edit_record", "Edit", id="record.edit", tooltip="Edit this record"),
        Binding(
            "d",
            "delete_record",
            "Delete",
            id="record.delete",
            tooltip="Move this record to the trash (after asking; u undoes)",
        ),
        Binding(
            "alt+left",
            "related_back",
            "Back (related)",
            id="record.related_back",
            tooltip="Previous subject of the related-items pane",
            show=False,
        ),
        Binding(
            "alt+right",
            "related_forward",
            "Forward (related)",
            id="record.related_forward",
            tooltip="Next subject of the related-items pane",
            show=False,
        ),
        Binding(
            "E",
            "edit_in_editor",
            "Edit in $EDITOR",
            id="record.edit_in_editor",
            tooltip="Edit this record as TOML in $VISUAL or $EDITOR",
            show=False,
        ),
    ]
    """
    | key | does |
    |---|---|
    | e | edit the record in its form |
    | E | edit the record as TOML in $VISUAL or $EDITOR |
    | d | move the record to the trash (after asking; u undoes) and close |
    | tab | to the related items beside: enter shows one here (an event on its own screen) |
    | alt+left / alt+right | back / forward in the related items |
    | backspace | back in the related items; close when there is nothing before |
    | escape | close |
    """

    def __init__(self, ref: ItemRef) -> None:
        super().__init__()
        self.ref = ref

    def compose(self) -> ComposeResult:
        yield AppHeader()
        with Horizontal(id="record-panes"):
            with KeyScroll(id="record-scroll"):
                yield Static(id="record-title", markup=False)
                yield Static(id="record-body", markup=False)
            yield RelatedPane(id="record-related", events_on_own_screen=True)
        yield KeyBar()

    @property
    def related(self) -> RelatedPane:
        """The record's links, to follow with enter."""
        return self.query_one("#record-related", RelatedPane)

    def on_mount(self) -> None:
        self.related.start(self.ref)
        self.refresh_data()
        scroll = self.query_one("#record-scroll", KeyScroll)
        scroll.focus()
        # From the top, the name first (focus had it one line down, under the header).
        self.call_after_refresh(scroll.scroll_home, animate=False, immediate=True)

    def _record(self) -> Person | Organisation | Publication:
        """The record as stored now; NotFound once it is in the trash."""
        planner = self.convener.planner
        if self.ref.kind == "person":
            return planner.person(self.ref.id)
        if self.ref.kind == "organisation":
            return planner.organisation(self.ref.id)
        return planner.publication(self.ref.id)

    def refresh_data(self, *, related: bool = True) -> None:
        """Read the record and its links again (on opening, after an edit or an undo);
        `related`: the Related pane too."""
        planner = self.convener.planner
        try:
            record = self._record()
        except NotFound as error:
            self.query_one("#record-title", Static).update(Text(str(error)))
            self.query_one("#record-body", Static).update("")
            return
        if related:
            self.related.reload()
        data = planner.record_data(record, include_private=isinstance(record, Person))
        event_filter = self.convener.event_filter
        note = ""
        if not event_filter.is_empty:
            # Lists of events on this screen follow the filter too.
            keys = ("contact_for", "events", "partnered", "related_events")
            ids = [e["id"] for key in keys for e in data.get(key) or []]
            passing = planner.events_matching(ids, event_filter)
            for key in keys:
                if data.get(key):
                    data[key] = [e for e in data[key] if e["id"] in passing]
            note = (
                f"\nevents filtered: {', '.join(event_filter.chips())} (F on the calendar clears)"
            )
        title = data.get("name") or data.get("title") or ""
        heading = Text(clean(str(title)), style="bold")
        heading.append(f"\n{self.ref.kind}", style="italic")
        heading.append(note, style="dim")
        self.query_one("#record-title", Static).update(heading)
        self.query_one("#record-body", Static).update(record_table(data))

    def _editable(self) -> Person | Organisation | Publication | None:
        try:
            return self._record()
        except NotFound as error:
            self.notify(clean(f"Cannot edit: {error}"), severity="warning", markup=False)
            return None

    def action_edit_record(self) -> None:
        """The record in its form."""
        from tui.screens.save_flows import edit_record

        record = self._editable()
        if record is not None:
            edit_record(self, self.ref.kind, record, lambda _: self.refresh_data())

    def action_edit_in_editor(self) -> None:
        """The record as TOML in $EDITOR."""
        from tui.screens.save_flows import edit_in_editor

        record = self._editable()
        if record is not None:
            edit_in_editor(self, record, lambda _: self.refresh_data())

    @on(RelatedPane.SubjectLoaded)
    def follow_subject(self, message: RelatedPane.SubjectLoaded) -> None:
        """A person, organisation or publication followed in the Related pane (enter, or
        alt+left/right) becomes this screen's record: its fields shown, `e` edits it."""
        ref = message.ref
        if ref == self.ref or ref.kind == "event" or ref != self.related.current:
            return
        self.ref = ref
        self.refresh_data(related=False)
        self.query_one("#record-scroll", KeyScroll).scroll_home(animate=False)

    @on(RelatedPane.EventOpened, "#record-related")
    def open_event(self, message: RelatedPane.EventOpened) -> None:
        """An event in the related items opens on its own screen above this one:
        backspace there comes back to this record."""
        from tui.screens.event import open_over

        open_over(self, message.event_id)

    def action_related_back(self) -> None:
        """The previous subject of the related items."""
        self.related.step(-1)

    def action_related_forward(self) -> None:
        """The next subject of the related items."""
        self.related.step(1)

    def action_delete_record(self) -> None:
        """The record shown to the trash, after asking; the screen closes."""
        from tui.screens.save_flows import delete_record

        record = self._editable()
        if record is not None:
            delete_record(self, record, self.action_close)

    def action_back(self) -> None:
        """Back in the related items' history; close when there is nothing before."""
        if not self.related.back():
            self.dismiss(None)

    def action_close(self) -> None:
        """Close this screen."""
        self.dismiss(None)
