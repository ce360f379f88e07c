"""A person's, organisation's or publication's own screen: back, delete."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.screen import Screen

from tests.ui.conftest import settle
from tui.app import ConvenerApp
from tui.domain.errors import NotFound
from tui.domain.models import ItemRef, Organisation, Person
from tui.modals.confirm import ConfirmScreen
from tui.screens.event import EventScreen
from tui.screens.main import MainScreen
from tui.screens.record import RecordScreen
from tui.screens.records import RecordsScreen
from tui.widgets.related_pane import RelatedList, RelatedPane

SIZE = (120, 40)
DINNER = 10
"""The sample's policy dinner."""


def _organisation(app: ConvenerApp, short_name: str) -> Organisation:
    return next(o for o in app.planner.organisations() if o.short_name == short_name)


async def test_backspace_goes_back_in_the_related_items_then_closes(app: ConvenerApp) -> None:
    organisation = _organisation(app, "GI-TOC")
    assert organisation.id is not None
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.open_ref(ItemRef("organisation", organisation.id))
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, RecordScreen)
        person = next(p for p in app.planner.people() if p.organisation_id == organisation.id)
        assert person.id is not None
        screen.query_one(RelatedPane).follow(ItemRef("person", person.id))
        await settle(app, pilot)
        assert screen.ref == ItemRef("person", person.id)
        await pilot.press("backspace")
        await settle(app, pilot)
        assert screen.ref == ItemRef("organisation", organisation.id)
        assert app.screen_stack[-1] is screen
        await pilot.press("backspace")
        await settle(app, pilot)
        assert isinstance(app.screen, MainScreen)


async def test_d_on_a_records_screen_asks_then_trashes_it_and_closes(app: ConvenerApp) -> None:
    organisation = _organisation(app, "GI-TOC")
    assert organisation.id is not None
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.open_ref(ItemRef("organisation", organisation.id))
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, RecordScreen)
        assert any(b.binding.action == "delete_record" for b in screen.active_bindings.values())
        await pilot.press("d")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmScreen)
        question = str(app.screen._question)
        assert "its place as partner of 2 events and the affiliation of 2 people" in question
        await pilot.press("n")
        await settle(app, pilot)
        assert app.screen_stack[-1] is screen
        assert app.planner.organisation(organisation.id) == organisation
        await pilot.press("d")
        await settle(app, pilot)
        await pilot.press("y")
        await settle(app, pilot)
        assert isinstance(app.screen, MainScreen)
        try:
            app.planner.organisation(organisation.id)
            raise AssertionError("the organisation is still live")
        except NotFound:
            pass
        await pilot.press("u")
        await settle(app, pilot)
        assert app.planner.organisation(organisation.id).id == organisation.id


async def test_deleting_a_person_on_her_screen_says_what_goes_with_her(
    app: ConvenerApp,
) -> None:
    person = next(p for p in app.planner.people() if p.name == "Hannah Lindqvist")
    question = []
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert isinstance(person, Person) and person.id is not None
        app.open_ref(ItemRef("person", person.id))
        await settle(app, pilot)
        await pilot.press("d")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmScreen)
        question.append(str(app.screen._question))
    assert "their place on" in question[0]


async def test_editing_a_person_whose_organisation_is_in_the_trash_keeps_it(
    app: ConvenerApp,
) -> None:
    """The form showed an empty Organisation and saving any change dropped the link for
    good; it shows the organisation as in the trash and keeps it unless changed."""
    from textual.widgets import Input

    from tui.screens.forms.person import PersonFormScreen

    hannah = next(p for p in app.planner.people() if p.name == "Hannah Lindqvist")
    assert hannah.id is not None and hannah.organisation_id is not None
    app.planner.delete(app.planner.organisation(hannah.organisation_id))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.open_ref(ItemRef("person", hannah.id))
        await settle(app, pilot)
        await pilot.press("e")
        await settle(app, pilot)
        assert isinstance(app.screen, PersonFormScreen)
        organisation = app.screen.query_one("#field-organisation", Input)
        assert organisation.value == "GI-TOC (in the trash)"
        app.screen.query_one("#field-role", Input).value = "Senior Analyst"
        await settle(app, pilot)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, RecordScreen)
    saved = app.planner.person(hannah.id)
    assert saved.role == "Senior Analyst" and saved.organisation_id == hannah.organisation_id


def _on_top(app: ConvenerApp, screen: Screen[Any]) -> bool:
    """`screen` is the one shown (a function: mypy reads `app.screen is screen` as a
    narrowing of both)."""
    return app.screen_stack[-1] is screen


async def _enter_on(screen: RecordScreen | RecordsScreen, pilot: Pilot[int], kind: str) -> int:
    """Highlight the first `kind` item of the screen's related items, press enter on it;
    its id."""
    pane = screen.query_one(RelatedPane)
    links = pane.query_one(RelatedList)
    links.focus()
    index = next(
        i
        for i in range(links.option_count)
        if (item := pane._items.get(links.get_option_at_index(i).id or "")) is not None
        and item.ref.kind == kind
    )
    links.highlighted = index
    ref = pane._items[links.get_option_at_index(index).id or ""].ref
    await pilot.press("enter")
    return ref.id


async def test_backspace_on_an_event_opened_from_a_records_links_comes_back_to_it(
    app: ConvenerApp,
) -> None:
    """An event opened in a record's related items went to the calendar, closing the
    record: backspace did not come back to it. It opens on its own screen above, and
    backspace steps back through organisation -> event, organisation -> person -> event."""
    organisation = _organisation(app, "GI-TOC")
    assert organisation.id is not None
    org_ref = ItemRef("organisation", organisation.id)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.open_ref(org_ref)
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, RecordScreen)
        event_id = await _enter_on(screen, pilot, "event")
        await settle(app, pilot)
        assert isinstance(app.screen, EventScreen)
        assert app.screen.occurrence.event.id == event_id
        assert app.screen_stack[-2:-1] == [screen]  # the record under it
        await pilot.press("backspace")
        await settle(app, pilot)
        assert _on_top(app, screen) and screen.ref == org_ref
        assert screen.related.current == org_ref and screen.related.history == [org_ref]
        # organisation -> person -> event, and back one at a time.
        person_id = await _enter_on(screen, pilot, "person")
        await settle(app, pilot)
        assert screen.ref == ItemRef("person", person_id)
        event_id = await _enter_on(screen, pilot, "event")
        await settle(app, pilot)
        assert isinstance(app.screen, EventScreen)
        assert app.screen.occurrence.event.id == event_id
        await pilot.press("backspace")
        await settle(app, pilot)
        assert _on_top(app, screen) and screen.ref == ItemRef("person", person_id)
        assert screen.related.current == ItemRef("person", person_id)
        await pilot.press("backspace")
        await settle(app, pilot)
        assert _on_top(app, screen) and screen.ref == org_ref
        await pilot.press("backspace")
        await settle(app, pilot)
        assert isinstance(app.screen, MainScreen)


async def test_event_to_guest_to_event_and_back_to_the_first_event(app: ConvenerApp) -> None:
    """The dinner's guest list opens a guest's record; an event there opens above it;
    backspace twice comes back to the calendar with the dinner still selected."""
    from tui.widgets.guest_list import GuestList

    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.open_ref(ItemRef("event", DINNER))
        await settle(app, pilot)
        main = app.screen
        assert isinstance(main, MainScreen)
        main.query_one("#guests", GuestList).table.focus()
        await pilot.press("enter")
        await settle(app, pilot)
        record = app.screen
        assert isinstance(record, RecordScreen) and record.ref.kind == "person"
        event_id = await _enter_on(record, pilot, "event")
        await settle(app, pilot)
        assert isinstance(app.screen, EventScreen)
        assert app.screen.occurrence.event.id == event_id
        await pilot.press("backspace")
        await settle(app, pilot)
        assert _on_top(app, record)
        await pilot.press("backspace")
        await settle(app, pilot)
        assert _on_top(app, main)
        selected = main.calendar.selected_occurrence
        assert selected is not None and selected.event.id == DINNER


async def test_an_event_opened_from_the_people_lists_links_comes_back_to_the_list(
    app: ConvenerApp,
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("2")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, RecordsScreen)
        subject = screen.related.current
        assert subject is not None
        event_id = await _enter_on(screen, pilot, "event")
        await settle(app, pilot)
        assert isinstance(app.screen, EventScreen)
        assert app.screen.occurrence.event.id == event_id
        await pilot.press("backspace")
        await settle(app, pilot)
        assert _on_top(app, screen) and screen.related.current == subject
