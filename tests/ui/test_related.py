"""Pilot tests: the related-items pane, its history, links, and the list screens (1, 2, 3)."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Static

from tui.app import ConvenerApp
from tui.domain.models import ItemRef
from tui.modals.choose import ChooseScreen
from tui.modals.confirm import ConfirmScreen
from tui.modals.pick import PickScreen
from tui.screens.main import MainScreen
from tui.screens.records import RecordsScreen
from tui.widgets.record_table import RecordTable
from tui.widgets.related_pane import RelatedList, RelatedPane

from .conftest import settle

SIZE = (120, 40)
WORKSHOP = 1
"""The seed page's City Action for Peace Workshop."""


def related(app: ConvenerApp) -> RelatedPane:
    return app.screen.query_one(RelatedPane)


async def highlight(app: ConvenerApp, pilot: Pilot[int], label_start: str) -> None:
    """Put the related list's cursor on the first item whose label starts so."""
    pane = related(app)
    options = pane.query_one(RelatedList)
    for index in range(options.option_count):
        option = options.get_option_at_index(index)
        item = pane._items.get(option.id or "")
        if item is not None and item.label.startswith(label_start):
            options.focus()
            options.highlighted = index
            await pilot.pause()
            return
    raise AssertionError(f"no related item starting {label_start!r}")


async def open_workshop(app: ConvenerApp, pilot: Pilot[int]) -> None:
    await settle(app, pilot)
    app.open_ref(ItemRef("event", WORKSHOP))
    await settle(app, pilot)
    assert related(app).current == ItemRef("event", WORKSHOP)


async def test_walk_to_a_related_event_and_a_person_and_back(app: ConvenerApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await open_workshop(app, pilot)
        pane = related(app)
        headings = [g.heading for g in pane.subject.groups]  # type: ignore[union-attr]
        assert headings[:4] == [
            "Staff contacts (1)",
            "Partners (2)",
            "Related events (5)",
            "Related publications (2)",
        ]
        await highlight(app, pilot, "The City Key")
        await pilot.press("enter")
        await settle(app, pilot)
        city_key = pane.current
        assert city_key is not None and city_key.kind == "event"
        # The calendar selects the event opened in the pane.
        selected = app.screen.calendar.selected_occurrence  # type: ignore[attr-defined]
        assert selected is not None and selected.event.id == city_key.id
        await pilot.press("backspace")
        await settle(app, pilot)
        assert pane.current == ItemRef("event", WORKSHOP)
        await highlight(app, pilot, "Jai-Ayla Sutherland")
        await pilot.press("enter")
        await settle(app, pilot)
        assert pane.current is not None and pane.current.kind == "person"
        groups = {g.heading.split(" (")[0] for g in pane.subject.groups}  # type: ignore[union-attr]
        assert {"Organisation", "Staff contact for"} <= groups
        await pilot.press("alt+left")
        await settle(app, pilot)
        assert pane.current == ItemRef("event", WORKSHOP)
        await pilot.press("alt+right")
        await settle(app, pilot)
        assert pane.current is not None and pane.current.kind == "person"
        # The history survives moving to the calendar and back.
        app.screen.calendar.grid.focus()  # type: ignore[attr-defined]
        await pilot.press("backspace")
        await settle(app, pilot)
        assert pane.current == ItemRef("event", WORKSHOP)
        assert pane.history[: pane.position + 1][-1] == ItemRef("event", WORKSHOP)


async def test_link_two_publications_shows_from_both_ends(app: ConvenerApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await open_workshop(app, pilot)
        pane = related(app)
        await highlight(app, pilot, "Guiding Principles")
        await pilot.press("enter")
        await settle(app, pilot)
        first = pane.current
        assert first is not None and first.kind == "publication"
        await pilot.press("a")
        await settle(app, pilot)
        assert isinstance(app.screen, ChooseScreen)
        title = str(app.screen.query_one("#choose-title", Static).render())
        assert title.startswith("Link Guiding Principles") and title.endswith(" to:")
        await pilot.press("r", "enter")  # "Related publication"
        await settle(app, pilot)
        assert isinstance(app.screen, PickScreen)
        app.screen.query_one("#pick-input", Input).value = "Making the Case"
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, MainScreen)
        linked = [
            item
            for group in pane.subject.groups  # type: ignore[union-attr]
            for item in group.items
            if item.ref.kind == "publication"
        ]
        other = next(i.ref for i in linked if i.label.startswith("Making the Case"))
        back_links = app.planner.subject(other)
        assert first in {i.ref for g in back_links.groups for i in g.items}
        # And unlink it again from this end.
        await highlight(app, pilot, "Making the Case")
        await pilot.press("d")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(app, pilot)
        assert first not in {i.ref for g in app.planner.subject(other).groups for i in g.items}


async def test_back_with_nothing_behind_says_so_and_unlink_refuses_what_is_not_a_link(
    app: ConvenerApp,
) -> None:
    # Was test_back_with_nothing_behind_says_so and test_unlink_refuses_items_that_are_not_links,
    # an app each: one app, in that order, every assertion kept.
    async with app.run_test(size=SIZE) as pilot:
        await open_workshop(app, pilot)
        related(app).history = related(app).history[-1:]
        related(app).position = 0
        await pilot.press("backspace", "alt+right")
        await settle(app, pilot)
        assert isinstance(app.screen, MainScreen)
        # Unlink refuses items that are not links.
        await highlight(app, pilot, "Jai-Ayla")
        await pilot.press("enter")
        await settle(app, pilot)
        await highlight(app, pilot, "Stanley")  # the organisation: a field, not a link
        await pilot.press("d")
        await settle(app, pilot)
        assert isinstance(app.screen, MainScreen)


async def test_every_link_on_the_seed_pages_walks_both_ways(app: ConvenerApp) -> None:
    planner = app.planner
    for event in planner.events():
        assert event.id is not None
        subject = planner.subject(ItemRef("event", event.id))
        for group in subject.groups:
            for item in group.items:
                if item.link is None:
                    continue
                other = planner.subject(item.ref)
                back = {i.ref for g in other.groups for i in g.items}
                assert ItemRef("event", event.id) in back, (event.title, item.label)


async def test_people_and_publication_screens(app: ConvenerApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("2")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, RecordsScreen) and screen.kind == "person"
        table = screen.query_one(RecordTable)
        total = app.planner.counts()["person"]
        assert table.shown is not None and table.shown.total == total
        assert app.focused is table
        await pilot.press("f")
        assert screen.query_one("#records-filter", Input).has_focus
        screen.query_one("#records-filter", Input).value = "jai"
        await settle(app, pilot)
        assert table.shown.total == 1
        await pilot.press("down")
        assert app.focused is table
        await settle(app, pilot)
        assert screen.related.subject is not None
        assert screen.related.subject.title == "Jai-Ayla Sutherland"
        await pilot.press("enter")
        assert isinstance(app.focused, RelatedList)
        await pilot.press("f")
        screen.query_one("#records-filter", Input).value = ""
        await settle(app, pilot)
        table.focus()
        await pilot.press("j", "j", "k", "end", "home", "pagedown", "pageup")
        assert table.cursor == 0
        await pilot.press("s")
        await settle(app, pilot)
        assert table.shown.order == "recently changed"
        await pilot.press("o")
        await settle(app, pilot)
        assert screen.kind == "organisation"
        await pilot.press("3")
        await settle(app, pilot)
        assert isinstance(app.screen, RecordsScreen) and app.screen.kind == "publication"
        await pilot.press("o")
        await settle(app, pilot)
        assert app.screen.kind == "publication"
        await pilot.press("1")
        await settle(app, pilot)
        assert isinstance(app.screen, MainScreen)
        await pilot.press("3", "escape")
        await settle(app, pilot)
        assert isinstance(app.screen, MainScreen)


async def test_a_range_without_events_clears_the_pane_and_the_next_event_shows_again(
    app: ConvenerApp,
) -> None:
    from datetime import date

    from textual.widgets import Static

    empty_week = date(2031, 3, 12)
    assert not app.planner.days_with_events(date(2031, 3, 10), date(2031, 3, 16))  # its week
    async with app.run_test(size=SIZE) as pilot:
        await open_workshop(app, pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        screen.calendar.go_to(empty_week)
        await settle(app, pilot)
        pane = related(app)
        said = str(pane.query_one("#related-subject", Static).visual)
        assert pane.subject is None and said == "No event in Mon 10 – Sun 16 March 2031."
        assert pane.query_one(RelatedList).option_count == 0
        # No trail naming the workshop above the note; the event pane says the same.
        assert str(pane.query_one("#related-trail", Static).visual) == ""
        head = str(screen.details.query_one("#details-head", Static).visual)
        assert head == said
        screen.calendar.go_to(date(2031, 3, 19))  # the next week, as empty
        await settle(app, pilot)
        head = str(screen.details.query_one("#details-head", Static).visual)
        assert head == "No event in Mon 17 – Sun 23 March 2031."
        app.open_ref(ItemRef("event", WORKSHOP))
        await settle(app, pilot)
        assert pane.subject is not None and pane.subject.ref == ItemRef("event", WORKSHOP)
        assert str(pane.query_one("#related-trail", Static).visual) != ""


async def test_a_filter_that_matches_nothing_leaves_no_links_beside_the_empty_list(
    app: ConvenerApp,
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("2")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, RecordsScreen)
        pane = screen.related
        assert pane.subject is not None
        await pilot.press("f", *"zzqx")
        await settle(app, pilot)
        table = screen.query_one(RecordTable)
        assert table.shown is not None and table.shown.total == 0
        # Nothing selected: no subject, no links, no trail of the record shown before.
        assert pane.subject is None and pane.current is None
        assert pane.query_one(RelatedList).option_count == 0
        said = str(pane.query_one("#related-subject", Static).visual)
        assert said == "No people match the filter."
        assert str(pane.query_one("#related-trail", Static).visual) == ""
        # A filter that matches again shows its first record's links.
        await pilot.press("backspace", "backspace", "backspace", "backspace", *"jai")
        await settle(app, pilot)
        assert pane.subject is not None and pane.subject.title == "Jai-Ayla Sutherland"


def details_text(app: ConvenerApp) -> str:
    """What the event pane beside the related items shows, as plain text."""
    from .test_calendar import plain

    return plain(app.screen.query_one("#details-facts", Static).content)


async def test_unlinking_and_linking_a_publication_shows_in_the_event_pane_at_once(
    app: ConvenerApp,
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await open_workshop(app, pilot)
        pane = related(app)
        publication = next(
            item
            for group in pane.subject.groups  # type: ignore[union-attr]
            for item in group.items
            if item.ref.kind == "publication" and item.link is not None
        )
        title = publication.label[:20]
        assert title in details_text(app)
        await highlight(app, pilot, publication.label)
        await pilot.press("d")
        await settle(app, pilot)
        await pilot.press("y")
        await settle(app, pilot)
        assert title not in details_text(app)
        await pilot.press("u")  # undone: back in the pane
        await settle(app, pilot)
        assert title in details_text(app)


async def test_j_and_k_move_in_the_link_chooser(app: ConvenerApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await open_workshop(app, pilot)
        related(app).query_one(RelatedList).focus()
        await pilot.press("a")
        await settle(app, pilot)
        assert isinstance(app.screen, ChooseScreen)
        from textual.widgets import OptionList

        options = app.screen.query_one(OptionList)
        labels = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert not any(label.lower().startswith(("j", "k")) for label in labels)
        first = options.highlighted
        await pilot.press("j")
        assert options.highlighted == (first or 0) + 1
        await pilot.press("k")
        assert options.highlighted == (first or 0)
        await pilot.press("escape")


async def test_moving_through_the_calendar_is_one_step_of_the_history(app: ConvenerApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await open_workshop(app, pilot)
        pane = related(app)
        await highlight(app, pilot, "Jai-Ayla Sutherland")
        await pilot.press("enter")
        await settle(app, pilot)
        person = pane.current
        assert person is not None and person.kind == "person"
        before = len(pane.history)
        # Three events selected in the calendar, one after another.
        for event_id in (10, 11, 12):
            app.open_ref(ItemRef("event", event_id))
            await settle(app, pilot)
            assert pane.current == ItemRef("event", event_id)
        assert len(pane.history) == before + 1
        # Back: the person browsed before, then the workshop; forward: the last event.
        assert pane.back() and pane.current == person
        await settle(app, pilot)
        assert pane.back() and pane.current == ItemRef("event", WORKSHOP)
        await settle(app, pilot)
        assert pane.forward() and pane.forward() and pane.current == ItemRef("event", 12)


async def test_a_subject_gone_since_is_said_in_words(app: ConvenerApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await open_workshop(app, pilot)
        pane = related(app)
        await highlight(app, pilot, "Jai-Ayla Sutherland")
        await pilot.press("enter")
        await settle(app, pilot)
        person = pane.current
        assert person is not None and person.kind == "person"
        app.planner.delete(app.planner.person(person.id))
        pane.reload()
        await settle(app, pilot)
        said = str(pane.query_one("#related-subject", Static).render())
        assert said == "This person is no longer here (deleted, or its adding undone)."


def trail_text(app: ConvenerApp) -> str:
    trail = related(app).query_one("#related-trail", Static)
    return "".join(strip.text for strip in trail.render_lines(trail.region.reset_offset))


@pytest.mark.parametrize("size", [(200, 60), (120, 40)])
async def test_the_trail_is_one_line_whose_titles_share_the_panes_width(
    app: ConvenerApp, size: tuple[int, int]
) -> None:
    """Titles were cut at 24 characters whatever the width, and at 120 columns the trail
    wrapped to a second line all the same."""
    if True:
        async with app.run_test(size=size) as pilot:
            await open_workshop(app, pilot)
            await highlight(app, pilot, "Jai-Ayla Sutherland")
            await pilot.press("enter")
            await settle(app, pilot)
            trail = related(app).query_one("#related-trail", Static)
            assert trail.size.height == 1
            text = trail_text(app).rstrip()
            assert len(text) <= trail.size.width
            # The current subject whole, the one before cut to the room left (it was
            # cut at 23 characters wherever there was more).
            workshop = app.planner.event(WORKSHOP).title
            assert text.endswith(" › Jai-Ayla Sutherland")
            shown = text.removesuffix(" › Jai-Ayla Sutherland")
            assert shown == workshop or (shown.endswith("…") and workshop.startswith(shown[:-1]))
            assert len(text) >= min(trail.size.width - 1, len(workshop) + 22)
            if size[0] == 200:
                assert len(shown) > 24


async def test_older_subjects_leave_the_trail_before_the_current_one_is_cut(
    app: ConvenerApp,
) -> None:
    """Four steps at 120 columns: '… › Kelsey … › Roundta… › City of Z…' cut the current
    subject, which fits on its own ('City of Zürich')."""
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        app.open_ref(ItemRef("event", 10))  # the Policy Dinner
        await settle(app, pilot)
        for label in ("Kelsey Paul Shantz", "Roundtable on Subnational", "City of Zürich"):
            await highlight(app, pilot, label)
            await pilot.press("enter")
            await settle(app, pilot)
        text = trail_text(app).rstrip()
        assert text.endswith("› City of Zürich"), text
        assert related(app).query_one("#related-trail", Static).size.height == 1


async def test_the_people_filter_matches_the_organisation_column(app: ConvenerApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("2")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, RecordsScreen) and screen.kind == "person"
        await pilot.press("f")
        screen.query_one("#records-filter", Input).value = "GI-TOC"
        await settle(app, pilot)
        table = screen.query_one(RecordTable)
        assert table.shown is not None and table.shown.total == 2
        await pilot.press("down")
        await settle(app, pilot)
        assert screen.related.subject is not None
        assert screen.related.subject.title in ("Hannah Lindqvist", "Ibrahim Diallo")
