"""A person's, organisation's or publication's own screen: back, delete."""

from __future__ import annotations

from tests.ui.conftest import settle
from tui.app import ConvenerApp
from tui.domain.errors import NotFound
from tui.domain.models import ItemRef, Organisation, Person
from tui.modals.confirm import ConfirmScreen
from tui.screens.main import MainScreen
from tui.screens.record import RecordScreen
from tui.widgets.related_pane import RelatedPane

SIZE = (120, 40)


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
