"""Picks: a form field holding linked records (speakers, staff contacts, partners).

Enter (or a) opens a type-to-search picker where a new one can be typed (it is added to
the database when the form is saved, with it: discarding the form leaves no one behind);
r changes the highlighted one's role; delete or x takes it off; ctrl+up/down reorders.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from rich.text import Text
from textual.binding import Binding
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui.context import UsesConvener
from tui.domain.models import ItemRef, Organisation, Person, RecordKind
from tui.domain.text import clean_line, fold
from tui.messages import DialogRequested


@dataclass(frozen=True)
class Pick:
    """One linked record: its id, its name as shown, and its part (a speaker's role)."""

    id: int | None
    """None for a record typed as new (`new`), not yet in the database."""
    name: str
    role: str | None = None
    new: Person | Organisation | None = None
    """The new record typed in the picker: the form's save adds it."""


class Picks(UsesConvener, OptionList):
    """The records picked for one field, in order."""

    BINDINGS = [
        Binding("enter,a", "add", "Add", id="picks.add", tooltip="Find (or add) one to link"),
        Binding("delete,x", "remove", "Remove", id="picks.remove", tooltip="Take it off"),
        Binding("r", "role", "Role", id="picks.role", tooltip="Change its part", show=False),
        Binding("ctrl+up", "shift(-1)", "Up", id="picks.up", tooltip="Move up", show=False),
        Binding("ctrl+down", "shift(1)", "Down", id="picks.down", tooltip="Move down", show=False),
    ]
    """
    | key | does |
    |---|---|
    | enter, a | find a record to add (a new one can be added on the spot) |
    | r | change the highlighted one's role |
    | delete, x | take the highlighted one off |
    | ctrl+up, ctrl+down | move it up or down |
    """

    DEFAULT_CSS = """
    Picks { height: auto; max-height: 8; min-height: 3; border: round $panel; }
    Picks:focus { border: round $accent; }
    """

    def __init__(
        self,
        kind: RecordKind,
        picks: Sequence[Pick] = (),
        *,
        roles: Sequence[str] | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.kind = kind
        self.roles = tuple(roles) if roles else None
        self.picks: list[Pick] = list(picks)

    def on_mount(self) -> None:
        self._show()

    @property
    def value(self) -> str:
        """The picks as text, to tell whether the field changed."""
        return "; ".join(
            f"{p.id if p.new is None else '+' + p.name}:{p.role or ''}" for p in self.picks
        )

    def _show(self, highlight: int | None = None) -> None:
        self.clear_options()
        for pick in self.picks:
            label = Text(clean_line(pick.name))
            if pick.role:
                label.append(f"  ({pick.role})", style="italic")
            if pick.new is not None:
                label.append("  new, added on save", style="dim")
            self.add_option(Option(label))
        if not self.picks:
            self.add_option(Option(Text("none yet: enter adds", style="dim"), disabled=True))
        elif highlight is not None:
            self.highlighted = max(0, min(highlight, len(self.picks) - 1))

    def action_add(self) -> None:
        """Open the picker; the record picked (or added there) joins the list."""
        from tui.modals.pick import FormPickScreen

        taken = {ItemRef(self.kind, p.id) for p in self.picks if p.id is not None}
        noun = {"person": "a person", "organisation": "an organisation"}.get(self.kind, self.kind)
        screen = FormPickScreen(f"Add {noun}", self.kind, exclude=taken, create=True)
        self.post_message(DialogRequested(screen, self._picked))

    def _picked(self, chosen: ItemRef | Person | Organisation | None) -> None:
        if chosen is None:
            return
        if isinstance(chosen, ItemRef):
            planner = self.convener.planner
            record = (
                planner.person(chosen.id)
                if chosen.kind == "person"
                else planner.organisation(chosen.id)
            )
            picked = Pick(chosen.id, record.name)
        else:
            picked = Pick(None, chosen.name, new=chosen)
        self.focus()
        if picked.new is not None and not self._not_yet_new(picked):
            return
        if not self.roles or len(self.roles) == 1:
            self._append(replace(picked, role=self.roles[0] if self.roles else None))
            return
        from tui.modals.choose import ChooseScreen

        def chosen_role(role: str | None) -> None:
            # Escape on the part cancels the add: the person joins only with a part.
            if role is None:
                return
            if picked.new is None and any(p.id == picked.id for p in self.picks):
                return
            if picked.new is not None and not self._not_yet_new(picked):
                return
            self._append(replace(picked, role=role))

        title = f"{clean_line(picked.name)}'s part"
        self.post_message(DialogRequested(ChooseScreen(title, self.roles), chosen_role))

    def _not_yet_new(self, pick: Pick) -> bool:
        """False (said) when the same new name was typed in this field already: it would be
        added twice."""
        if any(p.new is not None and fold(p.name) == fold(pick.name) for p in self.picks):
            self.notify(
                clean_line(f"{pick.name} is on the list already."),
                severity="warning",
                markup=False,
            )
            return False
        return True

    def _append(self, pick: Pick) -> None:
        self.picks.append(pick)
        self._show(len(self.picks) - 1)

    def action_remove(self) -> None:
        """Take the highlighted record off the list."""
        if self.highlighted is None or not self.picks:
            return
        index = self.highlighted
        del self.picks[index]
        self._show(index)

    def action_role(self) -> None:
        """Choose the highlighted record's part."""
        if not self.roles or self.highlighted is None or not self.picks:
            return
        from tui.modals.choose import ChooseScreen

        index = self.highlighted
        pick = self.picks[index]

        def chosen(role: str | None) -> None:
            if role is not None and index < len(self.picks):
                self.picks[index] = replace(pick, role=role)
                self._show(index)

        title = f"{clean_line(pick.name)}'s part"
        self.post_message(DialogRequested(ChooseScreen(title, self.roles), chosen))

    def action_shift(self, step: int) -> None:
        """Move the highlighted record up or down the list."""
        if self.highlighted is None or not self.picks:
            return
        index = self.highlighted
        target = index + step
        if 0 <= target < len(self.picks):
            self.picks[index], self.picks[target] = self.picks[target], self.picks[index]
            self._show(target)
