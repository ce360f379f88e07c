"""Messages several screens and panes share (a pane's own messages live in its class)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.message import Message
from textual.screen import Screen


class DialogRequested(Message):
    """A pane asks its screen to open a dialog (panes never open screens); the answer
    goes to `answered`, as `push_screen`'s callback would."""

    def __init__(
        self, dialog: Screen[Any], answered: Callable[[Any], None] | None = None
    ) -> None:
        super().__init__()
        self.dialog = dialog
        """The dialog to open (a modal from tui/modals or a form)."""
        self.answered = answered
        """Called with the dialog's result when it closes."""
