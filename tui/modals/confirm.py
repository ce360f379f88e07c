"""ConfirmScreen: a yes/no question; y or enter says yes, n or escape says no."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, Static

from tui.domain.text import clean, joined
from tui.key_bar import KeyBar
from tui.modals import DialogScreen


class ConfirmScreen(DialogScreen[bool]):
    """Ask before doing something that cannot be taken back lightly."""

    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes", tooltip="Yes, go ahead"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no", tooltip="No, leave it"),
    ]
    """
    | key | does |
    |---|---|
    | y | yes |
    | n, escape | no |
    """

    DEFAULT_CSS = """
    ConfirmScreen { align: center middle; }
    ConfirmScreen > Vertical {
        width: 70; height: auto; padding: 1 2;
        border: thick $warning; background: $surface;
    }
    ConfirmScreen Horizontal { height: auto; margin-top: 1; align-horizontal: right; }
    ConfirmScreen Button { margin-left: 2; }
    """

    def __init__(self, question: str) -> None:
        super().__init__()
        self._question = question

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self._question, markup=False, id="confirm-question")
            with Horizontal():
                yield Button("Yes (y)", id="yes", variant="warning")
                yield Button("No (n)", id="no")
        yield KeyBar()  # its own keys, not those of the screen or form behind it

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        """Close with the answer."""
        self.dismiss(yes)


def ask_before_overwrite(
    app: App[object],
    save: Callable[[], None],
    clashes: Sequence[str] | None = None,
    kept: Callable[[], str | None] | None = None,
) -> None:
    """A record changed elsewhere since its form opened. Given `clashes` (the fields both
    changed, see Planner.clashes), the save keeps the other changes and asks only when
    there are clashes, naming them; without, save over the record only on a yes. `kept`:
    on a no, keeps what was typed (a form's text as a draft) and names its file."""

    def answer(yes: bool | None) -> None:
        if yes:
            save()
            return
        where = kept() if kept is not None else None
        if where is None:
            app.notify("Not saved: the other change stands.", markup=False)
        else:
            app.notify(
                f"Not saved: the other change stands. What you typed waits in edits/{where}:"
                " the form on this record puts it back with ctrl+r.",
                markup=False,
                timeout=20,
            )

    if clashes is not None and not clashes:
        save()  # nothing of yours was changed there: both changes are kept
        return
    if clashes:
        named = joined(clashes)
        question = (
            f"Since you opened it, its {named} {'was' if len(clashes) == 1 else 'were'} changed"
            " elsewhere (another window, the command line or a sync). Save yours over"
            f" {'it' if len(clashes) == 1 else 'them'}? Its other changes from there are kept."
        )
    else:
        question = (
            "This record was changed elsewhere (another window or the command line) since you"
            " opened it. Save yours over it?"
        )
    app.push_screen(ConfirmScreen(clean(question)), answer)


def close_or_ask(screen: Screen[Any], changed: bool) -> None:
    """Close a form (dismissed with None); when something in it was changed, only after
    a yes to "Discard your changes?"."""
    if not changed:
        screen.dismiss(None)
        return

    def answer(yes: bool | None) -> None:
        if yes:
            screen.dismiss(None)

    screen.app.push_screen(ConfirmScreen("Discard your changes?"), answer)
