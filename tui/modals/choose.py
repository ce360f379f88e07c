"""ChooseScreen: pick one of a few values (a role, how a reply came); first letters jump."""

from __future__ import annotations

from collections.abc import Sequence

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tui.key_bar import KeyBar
from tui.letters import next_by_letter
from tui.modals import DialogScreen


class ChooseScreen(DialogScreen[str | None]):
    """A short list of choices; enter picks, escape leaves it."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="choose.cancel", tooltip="Choose nothing"),
    ]
    """
    | key | does |
    |---|---|
    | up/down, j/k | move (j and k: unless a choice starts with them) |
    | a letter | jump to the next choice it starts (again cycles) |
    | enter | choose |
    | escape | cancel |
    """

    DEFAULT_CSS = """
    ChooseScreen { align: center middle; }
    ChooseScreen > Vertical {
        width: 40; height: auto; max-height: 80%; padding: 0 1;
        border: thick $accent; background: $surface;
    }
    ChooseScreen.-wide > Vertical { width: 90%; max-width: 100; }
    ChooseScreen OptionList { height: auto; max-height: 16; border: none; }
    """

    def __init__(self, title: str, choices: Sequence[str], *, wide: bool = False) -> None:
        """`wide`: most of the window's width, for choices that are sentences (records
        with their titles and dates) rather than a word."""
        super().__init__(classes="-wide" if wide else None)
        self._title = title
        self._choices = list(choices)
        self._last_letter = ""
        """The letter typed last: typing it again moves to the next choice it starts."""

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self._title, markup=False, id="choose-title")
            yield OptionList(*(Option(c, id=c) for c in self._choices), id="choose-list")
        yield KeyBar()  # its own keys, not those of the screen or form behind it

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected, "#choose-list")
    def chosen(self, message: OptionList.OptionSelected) -> None:
        self.dismiss(message.option.id)

    def on_key(self, event: object) -> None:
        from textual.events import Key

        if not isinstance(event, Key) or event.character is None or not event.is_printable:
            return
        options = self.query_one(OptionList)
        letter = event.character.casefold()
        moves = {"j": options.action_cursor_down, "k": options.action_cursor_up}
        if letter in moves and not any(c.casefold().startswith(letter) for c in self._choices):
            # j and k move as everywhere else, where no choice starts with them.
            moves[letter]()
            self._last_letter = ""
            event.stop()
            return
        again = letter == self._last_letter
        self._last_letter = letter
        index = next_by_letter(self._choices, letter, options.highlighted, again=again)
        if index is not None:
            options.highlighted = index
            event.stop()

    def action_cancel(self) -> None:
        """Close without choosing."""
        self.dismiss(None)
