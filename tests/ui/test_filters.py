"""Pilot tests for f (filter), F (clear), saving the default view, and filtered search."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import Button, Input, Label, OptionList, Select

from tui.app import ConvenerApp
from tui.config import Settings, load_settings
from tui.domain.planner import Planner
from tui.key_bar import KeyBar
from tui.screens.filters import FilterScreen
from tui.screens.search import SearchScreen
from tui.widgets.calendar_pane import CalendarPane

from .conftest import settle, wait_until

SIZE = (120, 40)


def shown(app: ConvenerApp) -> set[str]:
    return {o.event.title for o in app.screen.query_one(CalendarPane).shown}


async def filter_by_kind(app: ConvenerApp, pilot: Pilot[int], kind: str) -> None:
    """f, the kind, Apply; settled."""
    await pilot.press("f")
    await pilot.pause()
    assert isinstance(app.screen, FilterScreen)
    app.screen.query_one("#filter-kind", Select).value = kind
    app.screen.query_one("#apply", Button).press()
    await settle(app, pilot)


async def test_escape_leaves_the_filter_alone_then_filter_by_kind_and_clear(
    app: ConvenerApp,
) -> None:
    # Was test_escape_leaves_the_filter_alone and test_filter_by_kind_then_clear, an app each:
    # one app, the escape first (it changes nothing, as asserted), every assertion kept.
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("f")
        await pilot.pause()
        app.screen.query_one("#filter-kind", Select).value = "dinner"
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.event_filter.is_empty
        # Filter by kind, then clear.
        await pilot.press("v")  # the month: three events in November
        await settle(app, pilot)
        assert len(shown(app)) == 3
        await filter_by_kind(app, pilot, "dinner")
        assert shown(app) == {"Policy Dinner: Cities and Atrocity Prevention"}
        chips = app.screen.query_one("#filter-chips", Label)
        assert chips.display and "[kind: dinner]" in str(chips.content)
        await pilot.press("F")
        await settle(app, pilot)
        assert len(shown(app)) == 3 and not app.screen.query_one("#filter-chips", Label).display


async def test_ctrl_s_saves_the_default_view(planner: Planner, isolated_paths: object) -> None:
    app = ConvenerApp(planner, Settings(timezone="UTC"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("f")
        await pilot.pause()
        app.screen.query_one("#filter-status", Select).value = "confirmed"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
    from tui import config

    settings, warnings = load_settings(config.config_path())
    assert warnings == [] and settings.filters == {"status": "confirmed"}
    again = ConvenerApp(planner, settings)
    async with again.run_test(size=SIZE) as pilot:
        await settle(again, pilot)
        assert again.event_filter.as_mapping() == {"status": "confirmed"}
        await pilot.press("v")
        await settle(again, pilot)
        assert shown(again) == {
            "Policy Dinner: Cities and Atrocity Prevention",
            "Peace in Our Cities partners' call",
        }


async def test_search_results_follow_the_filter(app: ConvenerApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("f")
        await pilot.pause()
        app.screen.query_one("#filter-kind", Select).value = "roundtable"
        app.screen.query_one("#apply", Button).press()
        await settle(app, pilot)
        await pilot.press("slash")
        await pilot.pause()
        assert isinstance(app.screen, SearchScreen)
        app.screen.query_one(Input).value = "GI-TOC"
        await settle(app, pilot)
        results = app.screen.query_one(OptionList)
        lines = [
            str(results.get_option_at_index(i).prompt).split("\n")[0]
            for i in range(results.option_count)
        ]
        # Events the filter lets through come first; the others are listed last, apart.
        hidden_at = lines.index(next(x for x in lines if x.startswith("Hidden by the filter")))
        assert lines[lines.index("Events (1)") + 1] == (
            "Roundtable on Subnational Diplomacy and Urban Violence – Zürich"
        )
        assert lines.index("Events (1)") < hidden_at
        hidden = lines[hidden_at + 1 :]
        assert hidden and all(not t.startswith("Roundtable") for t in hidden)
        assert any(h.kind == "organisation" for h in app.screen._hits.values())


async def test_a_persons_events_follow_the_filter(app: ConvenerApp) -> None:
    from tui.domain.filters import EventFilter
    from tui.domain.models import ItemRef, Person
    from tui.screens.record import RecordScreen

    [jai] = app.planner.store.by_key(Person, "Jai-Ayla Sutherland")
    assert jai.id
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.event_filter = EventFilter(kind="retreat")
        app.open_ref(ItemRef("person", jai.id))
        await settle(app, pilot)
        assert isinstance(app.screen, RecordScreen)
        from textual.widgets import Static

        from tests.ui.test_calendar import plain

        body = plain(app.screen.query_one("#record-body", Static).content)
        assert "Peace in Our Cities Strategy Retreat" in body
        assert "Policy Dinner" not in body and "City Action for Peace Workshop" not in body
        assert "events filtered: kind: retreat" in str(
            app.screen.query_one("#record-title", Static).content
        )


async def test_a_filter_that_hides_every_event_of_the_range_says_so(app: ConvenerApp) -> None:
    """The agenda's title said "no events" under a filter that hid the month's three: it
    says the filter left none, and F brings them back."""
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("v")  # the month: three events in November
        await settle(app, pilot)
        await filter_by_kind(app, pilot, "retreat")
        title = app.screen.query_one("#agenda-title", Label)
        assert shown(app) == set()
        assert str(title.content).endswith(": no events match the filter")
        await pilot.press("F")
        await settle(app, pilot)
        assert str(title.content).endswith(": 3 events")


async def test_ctrl_a_applies_from_any_field_at_80x24(app: ConvenerApp) -> None:
    """At 80x24 the dialog opens with its buttons below the fold and the key bar named
    only escape and ctrl+s: ctrl+a applies from wherever the focus is, and says so."""
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("f")
        assert await wait_until(pilot, lambda: isinstance(app.screen, FilterScreen))
        app.screen.query_one("#filter-kind", Select).value = "dinner"
        assert "Apply" in str(app.screen.query_one(KeyBar).render())
        await pilot.press("ctrl+a")
        await settle(app, pilot)
        assert not isinstance(app.screen, FilterScreen)
        assert app.event_filter.kind == "dinner"
