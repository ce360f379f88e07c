"""Generic dialogs (confirm, choose, pick, go to) used by screens and panes.

Panes do not open them: a pane posts `tui.messages.DialogRequested` and the screen it sits
on (any screen taking `OpensDialogs`) opens the dialog.
"""

from __future__ import annotations

from typing import Any

from tui.messages import DialogRequested


class OpensDialogs:
    """Mixin for a screen whose panes ask for dialogs: it opens what they request."""

    app: Any

    def on_dialog_requested(self, message: DialogRequested) -> None:
        message.stop()
        self.app.push_screen(message.dialog, message.answered)
