"""InviteScreen: type to find people and put them on the guest list, or add someone new."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from tui.context import UsesConvener
from tui.domain import validate
from tui.domain.errors import ConvenerError
from tui.domain.models import ItemRef, Organisation, Person
from tui.domain.planner import split_invite_line, split_name_email
from tui.domain.text import clean_line, fold
from tui.modals.pick import NEW, TypeToPick
from tui.typeahead import TakesTypedKeys, release_keys


class InviteScreen(TakesTypedKeys, UsesConvener, TypeToPick[int]):
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
    | enter | invite (or add the one typed); no organisation yet: asked, or ", GI-TOC" |
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

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(
                f"Invite to {clean_line(self.event_title)}", markup=False, id="invite-title"
            )
            yield Input(
                placeholder="name or e-mail, then ', GI-TOC' for a new person's organisation",
                id="invite-input",
            )
            yield OptionList(id="invite-list")
            yield Static(
                "enter invites · keep typing for more · escape when done",
                markup=False,
                id="invite-status",
            )

    def on_mount(self) -> None:
        self.query_one("#invite-input", Input).focus()
        release_keys(self.app)  # keys typed ahead now go to the search box, in order
        self.find("")

    @on(Input.Changed, "#invite-input")
    def typed(self, message: Input.Changed) -> None:
        self.find(message.value)

    @work(thread=True, exclusive=True, exit_on_error=False, group="invite-find")
    def find(self, text: str) -> None:
        """Look people up off the UI thread."""
        planner = self.convener.planner
        people = planner.find_people(split_invite_line(text)[0], limit=40)
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
        person_text, organisation = split_invite_line(typed)
        exact = any(fold(p.name) == fold(person_text) for p in message.people) and not (
            organisation
        )
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
            at = f" at {clean_line(organisation)}" if organisation else ""
            new = Text(f"+ Add a new person: {clean_line(person_text)}{at}")
            options.add_option(Option(new, id=NEW))
        if options.option_count:
            options.highlighted = 0
        self.shown(message.text)

    def nothing_to_choose(self) -> None:
        """Say what to do instead."""
        self._say("Nobody to invite: type a name.")

    def choose(self, option_id: str) -> None:
        """Invite the chosen person."""
        self.invite(option_id)

    def invite(self, option_id: str) -> None:
        """Invite the person of an option (or add the new one typed first). Someone with
        no organisation gets one: from the line ("Name <email>, GI-TOC") or a picker."""
        planner = self.convener.planner
        box = self.query_one("#invite-input", Input)
        line = box.value
        person_text, organisation = split_invite_line(line)
        try:
            if option_id == NEW:
                if organisation:
                    self._invited(planner.invite_new_person(self.event_id, line))
                    return
                name, email = split_name_email(person_text)
                validate.required_text(name, "name")
                validate.email_value(email)  # said before the organisation is asked for

                def new_person(organisation: int | Organisation | None) -> Person:
                    return planner.invite_new_person(self.event_id, line, organisation)

                self._ask_organisation(name, new_person)
                return
            person = planner.person(int(option_id))
            person_id = cast(int, person.id)
            if person_id in self.on_list:
                self._say(f"{person.name} is already on the guest list.")
                box.value = ""  # or the next name typed would be added to this one
                return
            if person.organisation_id is not None or organisation:
                self._invited(
                    planner.invite_with_organisation(self.event_id, person_id, organisation)
                )
                return

            def existing(chosen: int | Organisation | None) -> Person:
                return planner.invite_with_organisation(self.event_id, person_id, chosen)

            self._ask_organisation(person.name, existing)
        except ConvenerError as error:
            self._say(str(error))

    def _ask_organisation(
        self, name: str, invite: Callable[[int | Organisation | None], Person]
    ) -> None:
        """Pick (or type) the organisation of someone being invited; escape invites them
        without one. One typed as new is added with the invitation, in its step (the
        picker added it at once, a step of its own: left behind when the invitation
        failed, and u took back only the invitation)."""
        from tui.modals.pick import FormPickScreen

        def picked(chosen: ItemRef | Person | Organisation | None) -> None:
            organisation: int | Organisation | None
            if isinstance(chosen, ItemRef):
                organisation = chosen.id
            elif isinstance(chosen, Organisation):
                organisation = chosen
            else:
                organisation = None
            try:
                person = invite(organisation)
            except ConvenerError as error:
                self._say(str(error))
                return
            self._invited(person)

        title = f"Organisation of {name}: type to find or add one (escape: none)"
        self.app.push_screen(FormPickScreen(title, "organisation", create=True), picked)

    def _invited(self, person: Person) -> None:
        """Count an invitation made and get ready for the next name."""
        assert person.id is not None
        box = self.query_one("#invite-input", Input)
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
