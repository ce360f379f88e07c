"""UnfinishedEditScreen: an edit in $EDITOR left unfinished is waiting; resume or discard it."""

from __future__ import annotations

from typing import Literal

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from tui.key_bar import KeyBar
from tui.modals import DialogScreen

Choice = Literal["resume", "discard"]


class UnfinishedEditScreen(DialogScreen[Choice | None]):
    """r takes the waiting text up again in the editor, d discards it and starts afresh,
    escape leaves it waiting and edits nothing."""

    BINDINGS = [
        Binding(
            "r",
            "answer('resume')",
            "Resume",
            id="unfinished.resume",
            tooltip="Open the editor on the unfinished text",
        ),
        Binding(
            "d",
            "answer('discard')",
            "Discard",
            id="unfinished.discard",
            tooltip="Delete the unfinished text and edit the record as it is",
        ),
        Binding(
            "escape",
            "answer(None)",
            "Not now",
            id="unfinished.later",
            tooltip="Leave the unfinished text waiting; edit nothing",
        ),
    ]
    """
    | key | does |
    |---|---|
    | r | resume the unfinished edit in the editor |
    | d | discard it and edit the record as it is now |
    | escape | leave it waiting |
    """

    DEFAULT_CSS = """
    UnfinishedEditScreen { align: center middle; }
    UnfinishedEditScreen > Vertical {
        width: 72; max-width: 100%; height: auto; padding: 1 2;
        border: thick $warning; background: $surface;
    }
    UnfinishedEditScreen Horizontal { height: auto; margin-top: 1; align-horizontal: right; }
    UnfinishedEditScreen Button { margin-left: 2; }
    """

    def __init__(self, question: str) -> None:
        super().__init__()
        self._question = question

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self._question, markup=False, id="unfinished-question")
            with Horizontal():
                yield Button("Resume (r)", id="resume", variant="warning")
                yield Button("Discard (d)", id="discard")
        yield KeyBar()  # its own keys, not those of the screen behind it

    def on_mount(self) -> None:
        self.query_one("#resume", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_answer(event.button.id)

    def action_answer(self, choice: str | None) -> None:
        """Close with the choice (None: not now)."""
        self.dismiss("resume" if choice == "resume" else "discard" if choice == "discard" else None)
