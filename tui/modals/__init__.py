"""Generic dialogs (confirm, choose, pick, go to) used by screens and panes.

Panes do not open them: a pane posts `tui.messages.DialogRequested` and the screen it sits
on (any screen taking `OpensDialogs`) opens the dialog.
"""

from __future__ import annotations

from typing import Any, TypeVar

from textual.screen import ModalScreen

from tui.messages import DialogRequested

Answer = TypeVar("Answer")


class OpensDialogs:
    """Mixin for a screen whose panes ask for dialogs: it opens what they request."""

    app: Any

    def on_dialog_requested(self, message: DialogRequested) -> None:
        message.stop()
        self.app.push_screen(message.dialog, message.answered)


class DialogScreen(ModalScreen[Answer]):
    """A small dialog (a question, a choice, a date) drawn above the notifications: a toast
    shows around it, never over it (at 80x24 one covered a question's Yes and No).

    The toasts stay where they are on every screen, bottom right: the screen beneath
    shows its own copy of them there, and toasts moved elsewhere on the dialog showed
    twice."""

    @property
    def layers(self) -> tuple[str, ...]:
        """The toasts' layer first (under the dialog), the others as Textual has them."""
        names = super().layers
        return ("_toastrack", *(name for name in names if name != "_toastrack"))
