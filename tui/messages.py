"""Messages several screens and panes share (a pane's own messages live in its class)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget


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


class DataChanged(Message):
    """Records changed: whoever shows them reads them again.

    The App posts one to every open screen after a change (an undo, a restore, another
    process's import; `ConvenerApp.refresh_screens`); a pane that changed data posts one
    up to its screen (the guest list: kind "invitation", the event's id).
    """

    def __init__(
        self, kind: str | None = None, record_id: int | None = None, origin: Widget | None = None
    ) -> None:
        super().__init__()
        self.kind = kind
        """The kind of record changed ("invitation"), or None for anything."""
        self.record_id = record_id
        """The record changed (for "invitation": the event's id), or None."""
        self.origin = origin
        """The pane that changed it, or None when the App sent it."""

    @property
    def control(self) -> Widget | None:
        """The pane that changed the data (for `@on(DataChanged, "#guests")`)."""
        return self.origin


class ReadsAgainOnDataChanged:
    """Mixin for a screen: a `DataChanged` has it read everything it shows again."""

    def refresh_data(self) -> None:
        """Read everything shown again."""
        raise NotImplementedError

    def on_data_changed(self, message: DataChanged) -> None:
        message.stop()
        self.refresh_data()
