"""InviteScreen: type to find people and put them on the guest list, or add someone new."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from tui.domain.errors import ConvenerError
from tui.domain.models import Person
from tui.domain.text import clean_line, fold
from tui.screens.pick import NEW, TypeToPick

if TYPE_CHECKING:
    from tui.app import ConvenerApp


class InviteScreen(TypeToPick[int]):
    """A picker over people; enter invites the one highlighted and stays open for more."""

    BINDINGS = [
        Binding("escape", "close", "Done", id="invite.close", tooltip="Close the picker"),
        Binding("down", "move(1)", "Down", id="invite.down", tooltip="Next person", show=False),
        Binding("up", "move(-1)", "Up", id="invite.up", tooltip="Previous person", show=False),
    ]
    """
    | key | does |
    |---|---|
    | (typing) | find people by name or email |
    | up, down | move in the list |
    | enter | invite the highlighted person (or add the new one typed) |
    | escape | close |
    """

    DEFAULT_CSS = """
    InviteScreen { align: center middle; }
    InviteScreen > Vertical {
        width: 76; height: 80%; padding: 0 1;
        border: thick $accent; background: $surface;
    }
    InviteScreen #invite-list { height: 1fr; border: none; }
    InviteScreen #invite-status { color: $text-muted; height: auto; }
    """

    @dataclass
    class PeopleFound(Message):
        """People matching what was typed, found off the UI thread."""

        text: str
        people: list[Person]
        on_list: set[int]
        organisations: dict[int, str]

    def __init__(self, event_id: int, event_title: str) -> None:
        super().__init__()
        self.event_id = event_id
        self.event_title = event_title
        self.added = 0
        self.on_list: set[int] = set()

    @property
    def convener(self) -> ConvenerApp:
        """The app, typed."""
        return cast("ConvenerApp", self.app)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(
                f"Invite to {clean_line(self.event_title)}", markup=False, id="invite-title"
            )
            yield Input(placeholder="name or email; a new name adds a person", id="invite-input")
            yield OptionList(id="invite-list")
            yield Static(
                "enter invites · keep typing for more · escape when done",
                markup=False,
                id="invite-status",
            )

    def on_mount(self) -> None:
        self.query_one("#invite-input", Input).focus()
        self.find("")

    @on(Input.Changed, "#invite-input")
    def typed(self, message: Input.Changed) -> None:
        self.find(message.value)

    @work(thread=True, exclusive=True, exit_on_error=False, group="invite-find")
    def find(self, text: str) -> None:
        """Look people up off the UI thread."""
        planner = self.convener.planner
        people = planner.find_people(text, limit=40)
        on_list = {line.invitation.person_id for line in planner.guest_lines(self.event_id)}
        organisations = {
            p.organisation_id: planner.organisation_name(p.organisation_id) or ""
            for p in people
            if p.organisation_id is not None
        }
        self.post_message(self.PeopleFound(text, people, on_list, organisations))

    @on(PeopleFound)
    def show_people(self, message: PeopleFound) -> None:
        if message.text != self.query_one("#invite-input", Input).value:
            return
        self.on_list = message.on_list
        options = self.query_one("#invite-list", OptionList)
        options.clear_options()
        typed = message.text.strip()
        exact = any(fold(p.name) == fold(typed) for p in message.people)
        for person in message.people:
            label = Text(clean_line(person.name))
            details = [
                message.organisations.get(person.organisation_id or -1) or "",
                person.email or "",
            ]
            extra = " · ".join(d for d in details if d)
            if extra:
                label.append(f"  {clean_line(extra)}", style="dim")
            if person.id in self.on_list:
                label.append("  (on the list)", style="italic dim")
            options.add_option(Option(label, id=str(person.id)))
        if typed and not exact:
            options.add_option(Option(Text(f"+ Add a new person: {clean_line(typed)}"), id=NEW))
        if options.option_count:
            options.highlighted = 0

    def nothing_to_choose(self) -> None:
        """Say what to do instead."""
        self._say("Nobody to invite: type a name.")

    def choose(self, option_id: str) -> None:
        """Invite the chosen person."""
        self.invite(option_id)

    def invite(self, option_id: str) -> None:
        """Invite the person of an option (or add the new one typed first)."""
        planner = self.convener.planner
        box = self.query_one("#invite-input", Input)
        try:
            if option_id == NEW:
                person = planner.invite_new_person(self.event_id, box.value)
            else:
                person = planner.person(int(option_id))
                if person.id in self.on_list:
                    self._say(f"{person.name} is already on the guest list.")
                    box.value = ""  # or the next name typed would be added to this one
                    return
                planner.invite(self.event_id, [cast(int, person.id)])
            assert person.id is not None
        except ConvenerError as error:
            self._say(str(error))
            return
        self.added += 1
        self.on_list.add(person.id)
        self._say(f"Invited {person.name} ({self.added} so far). Type another name or escape.")
        box.value = ""
        box.focus()

    def _say(self, text: str) -> None:
        self.query_one("#invite-status", Static).update(clean_line(text))

    def action_close(self) -> None:
        """Close, saying how many were invited."""
        self.dismiss(self.added)
