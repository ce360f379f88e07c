"""PickScreen: type to find one record of a kind; enter picks it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from tui.context import UsesConvener
from tui.domain.errors import ConvenerError
from tui.domain.models import ItemRef, Organisation, Person
from tui.domain.related import RelatedItem
from tui.domain.text import clean_line, fold
from tui.key_bar import KeyBar
from tui.worker_errors import ReportsWorkerErrors

Result = TypeVar("Result")

NEW = "new"
"""The option id of "add a new record"."""


class TypeToPick(ReportsWorkerErrors, ModalScreen[Result], Generic[Result]):
    """A text box over a list: up and down move the list while typing; enter chooses.

    The list is found off the UI thread for what was typed: an enter that comes before
    the list of the text in the box (typed fast, pasted, keys sent by a script) waits for
    it, instead of choosing from the list of an earlier text (it invited the first person
    of the whole list for "Bob Bad <bob@…>"). Subclasses call `shown(text)` once the list
    holds what `text` finds."""

    _shown_for: str | None = None
    """The text the list's options were found for."""
    _enter_for: str | None = None
    """The text in the box when enter came before its list (chosen once it is shown)."""

    def shown(self, text: str) -> None:
        """The list now holds what `text` finds: an enter that waited for it chooses."""
        self._shown_for = text
        if self._enter_for is not None and self._enter_for == text:
            self._enter_for = None
            self.submitted()

    def choose(self, option_id: str) -> None:
        """Act on the chosen option."""
        raise NotImplementedError

    def nothing_to_choose(self) -> None:
        """Enter was pressed with an empty list."""

    def action_move(self, step: int) -> None:
        """Move the highlight while the cursor stays in the text box."""
        options = self.query_one(OptionList)
        if options.option_count:
            current = options.highlighted or 0
            options.highlighted = max(0, min(options.option_count - 1, current + step))

    @on(Input.Submitted)
    def submitted(self) -> None:
        typed = self.query_one(Input).value
        if typed != self._shown_for:
            self._enter_for = typed  # the list is of an earlier text: wait for this one's
            return
        options = self.query_one(OptionList)
        if options.highlighted is None:
            self.nothing_to_choose()
            return
        self.choose(options.get_option_at_index(options.highlighted).id or "")

    @on(OptionList.OptionSelected)
    def selected(self, message: OptionList.OptionSelected) -> None:
        self.choose(message.option.id or "")


Chosen = TypeVar("Chosen")


class RecordPicker(UsesConvener, TypeToPick[Chosen | None], Generic[Chosen]):
    """A type-to-search picker over one kind of record; what it returns is the
    subclass's (PickScreen, FormPickScreen)."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="pick.cancel", tooltip="Pick nothing"),
        Binding("down", "move(1)", "Down", id="pick.down", tooltip="Next record", show=False),
        Binding("up", "move(-1)", "Up", id="pick.up", tooltip="Previous record", show=False),
    ]
    """
    | key | does |
    |---|---|
    | (typing) | find records by their words |
    | up, down | move |
    | enter | pick the highlighted record |
    | escape | cancel |
    """

    DEFAULT_CSS = """
    RecordPicker { align: center middle; }
    RecordPicker > Vertical {
        width: 80; max-width: 100%; height: 70%; padding: 0 1;
        border: thick $accent; background: $surface;
    }
    RecordPicker #pick-list { height: 1fr; border: none; }
    RecordPicker #pick-status { color: $text-muted; }
    """

    @dataclass
    class Found(Message):
        """Records matching what was typed."""

        text: str
        items: list[RelatedItem]

    def __init__(
        self,
        title: str,
        kind: str,
        exclude: set[ItemRef] | None = None,
        *,
        create: bool = False,
    ) -> None:
        super().__init__()
        self._title = title
        self.kind = kind
        self.exclude = exclude or set()
        self.create = create and kind in ("person", "organisation")
        """Offer to add a new record (a person or an organisation) by what was typed."""

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(clean_line(self._title), markup=False, id="pick-title")
            yield Input(placeholder="type words of the title or name", id="pick-input")
            yield OptionList(id="pick-list")
            yield Static("enter picks · escape cancels", markup=False, id="pick-status")
        # The picker's own keys on the bottom line: over a form, the form's showed there
        # (ctrl+s Save, keys the picker does not take).
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#pick-input", Input).focus()
        self.find("")

    @on(Input.Changed, "#pick-input")
    def typed(self, message: Input.Changed) -> None:
        self.find(message.value)

    @work(thread=True, exclusive=True, exit_on_error=False, group="pick-find")
    def find(self, text: str) -> None:
        """Look records up off the UI thread."""
        items = self.convener.planner.find_records(self.kind, text)
        self.post_message(self.Found(text, items))

    @on(Found)
    def show_items(self, message: Found) -> None:
        if message.text != self.query_one("#pick-input", Input).value:
            return
        options = self.query_one("#pick-list", OptionList)
        options.clear_options()
        for item in message.items:
            if item.ref in self.exclude:
                continue
            label = Text(clean_line(item.label))
            if item.detail:
                label.append(f"  {clean_line(item.detail)}", style="dim")
            options.add_option(Option(label, id=f"{item.ref.kind}:{item.ref.id}"))
        typed = message.text.strip()
        if self.create and typed and not any(fold(i.label) == fold(typed) for i in message.items):
            noun = "person" if self.kind == "person" else "organisation"
            options.add_option(Option(Text(f"+ Add a new {noun}: {clean_line(typed)}"), id=NEW))
        if options.option_count:
            options.highlighted = 0
        status = "enter picks · escape cancels" if options.option_count else "Nothing found."
        self.query_one("#pick-status", Static).update(status)
        self.shown(message.text)

    def typed_text(self) -> str:
        """What was typed in the box."""
        return self.query_one("#pick-input", Input).value

    def say(self, text: str) -> None:
        """A line under the list (why a new record typed cannot be added)."""
        self.query_one("#pick-status", Static).update(clean_line(text))

    def action_cancel(self) -> None:
        """Close without picking."""
        self.dismiss(None)


def ref_of(option_id: str) -> ItemRef:
    """The record an option stands for ("person:12")."""
    kind, _, record_id = option_id.partition(":")
    return ItemRef(kind, int(record_id))  # type: ignore[arg-type]


class PickScreen(RecordPicker[ItemRef]):
    """A picker of existing records (linking related items). A screen that may add a
    new person or organisation uses FormPickScreen: the record is added with what it
    saves, in the same undo step."""

    def choose(self, option_id: str) -> None:
        """Close with the record picked."""
        if option_id != NEW:
            self.dismiss(ref_of(option_id))


class FormPickScreen(RecordPicker[ItemRef | Person | Organisation]):
    """A form's picker: a new person or organisation typed comes back checked but not
    saved, and the form adds it when it is saved (a form discarded leaves no one behind;
    one undo takes back the save and them)."""

    def choose(self, option_id: str) -> None:
        """Close with the record picked, or the new one typed (not yet saved)."""
        if option_id != NEW:
            self.dismiss(ref_of(option_id))
            return
        try:
            record = self.convener.planner.typed_record(self.kind, self.typed_text())  # type: ignore[arg-type]
        except ConvenerError as error:
            self.say(error.message)
            return
        self.dismiss(record)
