"""Pilot tests for `/` search, the record screen it opens, and the palette's record provider."""

from __future__ import annotations

import io
import threading
from datetime import date

import pytest
from rich.console import Console
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Static

from tui.app import ConvenerApp
from tui.commands import RecordsProvider
from tui.domain.models import Event, Person
from tui.domain.search import SearchHit
from tui.screens import search as search_screen
from tui.screens.event import EventScreen
from tui.screens.forms.person import PersonFormScreen
from tui.screens.main import MainScreen
from tui.screens.record import RecordScreen
from tui.screens.search import SearchScreen, target_of
from tui.widgets.event_pane import EventPane
from tui.widgets.line_list import LazyOption
from tui.widgets.month_grid import MonthGrid

from .conftest import count_layouts, settle, wait_until
from .test_editor import fill

SIZE = (120, 40)


async def type_query(app: ConvenerApp, pilot: Pilot[int], text: str) -> SearchScreen:
    await pilot.press("slash")
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, SearchScreen)
    screen.query_one(Input).value = text
    await settle(app, pilot)
    return screen


async def open_search(app: ConvenerApp, pilot: Pilot[int]) -> SearchScreen:
    """The main screen settled, then `/`: the search screen, settled."""
    await settle(app, pilot)
    await pilot.press("slash")
    await settle(app, pilot)
    screen = app.screen
    assert isinstance(screen, SearchScreen)
    return screen


def result_titles(screen: SearchScreen) -> list[str]:
    results = screen.query_one(OptionList)
    return [
        str(results.get_option_at_index(i).prompt).split("\n")[0]
        for i in range(results.option_count)
    ]


async def test_a_person_found_by_her_name_takes_one_line_a_dated_event_two(
    app: ConvenerApp,
) -> None:
    """Her second line was blank (the match is her name, which is the first)."""
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = await type_query(app, pilot, "Sutherland")
        results = screen.query_one(OptionList)
        person = results.get_option_at_index(1)
        assert str(person.prompt) == "Jai-Ayla Sutherland"
        assert isinstance(person, LazyOption) and person.height == 1
        screen = await type_query(app, pilot, "GI-TOC")
        event = next(
            results.get_option_at_index(i)
            for i in range(results.option_count)
            if (results.get_option_at_index(i).id or "").startswith("event-")
        )
        assert isinstance(event, LazyOption) and event.height == 2
        assert str(event.prompt).count("\n") == 1


async def test_slash_finds_a_person_and_opens_her_record(app: ConvenerApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = await type_query(app, pilot, "Sutherland")
        assert result_titles(screen) == ["People (1)", "Jai-Ayla Sutherland"]
        await pilot.press("down", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, RecordScreen)
        body = str(app.screen.query_one("#record-title", Static).content)
        assert body.startswith("Jai-Ayla Sutherland")
        await pilot.press("backspace")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)


def shown(static: Static) -> str:
    """What a Static holding a Rich table shows, as text."""
    console = Console(width=120, record=True, file=io.StringIO())
    console.print(static.content)
    return console.export_text()


async def test_e_on_a_persons_own_screen_edits_her_and_the_screen_shows_the_change(
    app: ConvenerApp,
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await type_query(app, pilot, "Sutherland")
        await pilot.press("down", "enter")
        await settle(app, pilot)
        record_screen = app.screen
        assert isinstance(record_screen, RecordScreen)
        await pilot.press("e")
        await settle(app, pilot)
        assert isinstance(app.screen, PersonFormScreen)
        await fill(app, pilot, role="Senior Program Officer")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen_stack[-1] is record_screen
        assert "Senior Program Officer" in shown(record_screen.query_one("#record-body", Static))
        (person,) = app.planner.store.by_key(Person, "Jai-Ayla Sutherland")
        assert person.role == "Senior Program Officer"
        # u undoes the edit, and the screen shows the role it had.
        await pilot.press("u")
        await settle(app, pilot)
        assert "Senior Program Officer" not in shown(
            record_screen.query_one("#record-body", Static)
        )


async def test_a_records_screen_lists_its_links_to_follow(app: ConvenerApp) -> None:
    from tui.widgets.related_pane import RelatedList, RelatedPane

    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await type_query(app, pilot, "Sutherland")
        await pilot.press("down", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, RecordScreen)
        pane = app.screen.query_one(RelatedPane)
        headings = [g.heading.split(" (")[0] for g in pane.subject.groups]  # type: ignore[union-attr]
        assert "Staff contact for" in headings
        # tab to the links, then enter on an event: it opens on its own screen above.
        await pilot.press("tab")
        await settle(app, pilot)
        links = pane.query_one(RelatedList)
        assert links.has_focus
        index = next(
            i
            for i in range(links.option_count)
            if (item := pane._items.get(links.get_option_at_index(i).id or "")) is not None
            and item.ref.kind == "event"
        )
        links.highlighted = index
        event_id = pane._items[links.get_option_at_index(index).id or ""].ref.id
        record = app.screen
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, EventScreen)
        assert app.screen.occurrence.event.id == event_id
        assert app.screen_stack[-2] is record


async def test_a_record_followed_in_the_links_becomes_the_screens_record(
    app: ConvenerApp,
) -> None:
    from tui.screens.forms.base import FormScreen
    from tui.widgets.related_pane import RelatedList, RelatedPane

    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await type_query(app, pilot, "Sutherland")
        await pilot.press("down", "enter")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, RecordScreen)
        pane = screen.query_one(RelatedPane)
        await pilot.press("tab")
        await settle(app, pilot)
        links = pane.query_one(RelatedList)
        index = next(
            i
            for i in range(links.option_count)
            if (item := pane._items.get(links.get_option_at_index(i).id or "")) is not None
            and item.ref.kind != "event"
        )
        links.highlighted = index
        followed = pane._items[links.get_option_at_index(index).id or ""]
        await pilot.press("enter")
        await settle(app, pilot)
        assert screen.ref == followed.ref
        assert app.screen_stack.index(screen) == len(app.screen_stack) - 1  # still on top
        title = str(screen.query_one("#record-title", Static).content)
        assert title.startswith(followed.label.split(" (")[0]), title
        assert f"\n{followed.ref.kind}" in title
        # e edits the record shown, not the one the screen opened on.
        await pilot.press("e")
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, FormScreen)
        record = getattr(form, followed.ref.kind)
        assert record is not None and record.id == followed.ref.id
        await pilot.press("escape")
        await settle(app, pilot)
        # alt+left: back to her, in both panes.
        await pilot.press("alt+left")
        await settle(app, pilot)
        assert screen.ref.kind == "person"
        assert str(screen.query_one("#record-title", Static).content).startswith(
            "Jai-Ayla Sutherland"
        )


async def test_an_event_result_opens_in_the_calendar(app: ConvenerApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = await type_query(app, pilot, "GI-TOC")
        assert "Events (2)" in result_titles(screen)
        await pilot.press("enter")  # the first result
        await settle(app, pilot)
        assert isinstance(app.screen, MainScreen)
        first_event = app.screen.query_one("#details", EventPane).occurrence
        assert first_event is not None and "GI-TOC" in (first_event.event.description or "")
        assert app.screen.query_one(MonthGrid).cursor == first_event.event.start_date


async def test_down_and_enter_in_the_same_burst_as_the_query_open_its_result(
    app: ConvenerApp,
) -> None:
    """`/Nairobi Workshop down enter` in one write: down and enter came before the last
    query's results and acted on an older query's ("Nairobi" listed the city county
    first); they wait for the results of the text typed before them."""
    from .test_typeahead import _typed, burst

    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        burst(app, ["slash", *_typed("Nairobi Workshop"), "down", "enter"])

        def opened() -> str:
            if not isinstance(app.screen, MainScreen):
                return type(app.screen).__name__
            shown = app.screen.query_one("#details", EventPane).occurrence
            return shown.event.title if shown is not None else ""

        assert await wait_until(
            pilot, lambda: opened().startswith("Municipal Offices of Violence"), within=10
        ), opened()  # the event, not the organisation "Nairobi" listed first


async def test_zurich_finds_zurich_stray_operators_never_raise_and_nothing_found_is_calm(
    app: ConvenerApp,
) -> None:
    # Was test_zurich_finds_zurich, test_stray_operators_never_raise (seven apps, one per text)
    # and test_nothing_found_is_calm_and_escape_closes: one search screen, each text typed over
    # the last, every assertion kept (and that the screen stayed open throughout).
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = await type_query(app, pilot, "Zurich")
        titles = result_titles(screen)
        assert (
            "City of Zürich" in titles
            and "Roundtable on Subnational Diplomacy and Urban Violence – Zürich" in titles
        )
        for text in ['"', "AND", "NEAR(", "GI-", "🙂", "   ", "O'Brien"]:
            screen = await type_query_again(app, pilot, screen, text)
            status = str(screen.query_one("#search-status", Static).content)
            assert status.startswith("Type to search. Every word must match;") or (
                "found" in status or "Nothing found" in status
            )
            assert app.is_running, text
            assert app.screen is screen, text
        screen = await type_query_again(app, pilot, screen, "xylophone")
        assert (
            str(screen.query_one("#search-status", Static).content)
            == "Nothing found for 'xylophone'."
        )
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)


async def test_a_session_result_opens_its_event(app: ConvenerApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = await type_query(app, pilot, "Festsaal welcome")
        # A session says its event beside its title.
        assert result_titles(screen)[:2] == [
            "Sessions (1)",
            "Welcome by the City of Zürich — Roundtable on Subnational Diplomacy and Urban"
            " Violence – Zürich",
        ]
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen.query_one(MonthGrid).cursor == date(2026, 12, 8)


async def test_palette_jumps_to_records_by_name(app: ConvenerApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        provider = RecordsProvider(app.screen)
        hits = [hit async for hit in provider.search("Kelsey")]
        assert [h.text for h in hits] == ["Open: Kelsey Paul Shantz"]
        hits[0].command()
        await settle(app, pilot)
        assert isinstance(app.screen, RecordScreen)


async def test_events_show_their_dates_and_a_cut_list_says_how_many_match(
    app: ConvenerApp,
) -> None:
    for n in range(70):
        day = date(2027, 1, 1 + n % 28)
        app.planner.save(Event(title=f"Harbour forum {n}", start_date=day, end_date=day))
    total = len(app.planner.search("harbour", limit=1000))
    assert total == app.planner.search_total("harbour") > 60
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = await type_query(app, pilot, "harbour")
        status = str(screen.query_one("#search-status", Static).content)
        assert status.startswith(f"60 of {total} found")
        screen = await type_query_again(app, pilot, screen, "Strategy Retreat")
        results = screen.query_one(OptionList)
        prompts = [str(results.get_option_at_index(i).prompt) for i in range(results.option_count)]
        retreat = next(p for p in prompts if p.startswith("Peace in Our Cities Strategy Retreat"))
        assert "Tue 1 – Thu 3 December 2026" in retreat
        status = str(screen.query_one("#search-status", Static).content)
        assert status.endswith(" found") and " of " not in status


async def type_query_again(
    app: ConvenerApp, pilot: Pilot[int], screen: SearchScreen, text: str
) -> SearchScreen:
    screen.query_one(Input).value = text
    await settle(app, pilot)
    return screen


OPENED_FROM_SEARCH: list[tuple[str, str, date]] = [
    # Another year than the calendar's.
    ("Launch of the Impact", "Launch of the Impact:Peace Initiative", date(2019, 5, 20)),
    # A series: its next occurrence from today, not its first day.
    ("partners call", "Peace in Our Cities partners' call", date(2026, 12, 3)),
]


async def test_any_event_opens_from_search_selected_in_the_calendar(app: ConvenerApp) -> None:
    # One app for both cases (was one app each): the second search starts from where the first
    # left the calendar.
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        for query, title, day in OPENED_FROM_SEARCH:
            screen = await type_query(app, pilot, query)
            key = next(k for k, h in screen._hits.items() if h.title == title)
            screen.dismiss(target_of(screen._hits[key]))
            await settle(app, pilot)
            main = app.screen
            assert isinstance(main, MainScreen)
            assert main.query_one(MonthGrid).cursor == day
            selected = main.calendar.selected_occurrence
            assert selected is not None and selected.event.title == title
            assert selected.start_date == day


async def test_an_event_the_filter_hides_is_listed_last_and_opens_on_its_own_screen(
    app: ConvenerApp,
) -> None:
    from tui.domain.filters import EventFilter
    from tui.screens.event import EventScreen

    app.event_filter = EventFilter(kind="retreat")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = await type_query(app, pilot, "Zürich")
        titles = result_titles(screen)
        hidden_at = titles.index("Hidden by the filter (2)")
        assert (
            "Roundtable on Subnational Diplomacy and Urban Violence – Zürich" in titles[hidden_at:]
        )
        screen.query_one(OptionList).focus()
        results = screen.query_one(OptionList)
        results.highlighted = hidden_at + 1
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, EventScreen)
        assert app.screen.occurrence.event.title in titles[hidden_at:]


async def test_a_keystroke_shows_its_results_without_laying_the_screen_out(
    app: ConvenerApp,
) -> None:
    """Typing changes the field's text, the status line and the results, none of which
    changes a box on screen: no layout of the whole screen (4-10 ms a keystroke at 100k
    events, issue 24). In a window the results overflow either way: a list that comes to
    fit loses its scroll bar, which is a new box."""
    async with app.run_test(size=(120, 24)) as pilot:
        screen = await open_search(app, pilot)
        await pilot.press("p")
        await settle(app, pilot)
        before = result_titles(screen)
        layouts = count_layouts(screen)
        await pilot.press("e", "a")
        await settle(app, pilot)
        after = result_titles(screen)
        assert after != before and any(t.startswith("Events (") for t in after)
        assert str(screen.query_one("#search-status", Static).content).endswith("found")
        assert layouts == []


async def test_a_long_query_scrolls_in_its_field(app: ConvenerApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        field = (await open_search(app, pilot)).query_one(Input)
        await pilot.press(*("peace" * 20))
        await settle(app, pilot)
        assert field.value == "peace" * 20
        assert field.scroll_x > 0
        await pilot.press("home")
        await pilot.pause()
        assert field.scroll_x == 0


async def test_a_narrower_window_keeps_the_cursor_of_a_long_query_in_view(
    app: ConvenerApp,
) -> None:
    async with app.run_test(size=(200, 30)) as pilot:
        field = (await open_search(app, pilot)).query_one(Input)
        await pilot.press(*"mediation nairobi conference readout workshop geneva")
        await settle(app, pilot)
        assert field.scroll_x == 0 and field.cursor_position == len(field.value)
        await pilot.resize_terminal(40, 20)
        await settle(app, pilot)
        assert field.scroll_x > 0
        assert field.scroll_x + field.content_region.width > len(field.value)


async def test_a_query_cut_short_where_the_cursor_stands_still_shows_its_text(
    app: ConvenerApp,
) -> None:
    """ctrl+k deletes from the cursor to the end without moving the cursor: the field's
    view comes back within the shorter text instead of showing past its end."""
    async with app.run_test(size=(80, 24)) as pilot:
        field = (await open_search(app, pilot)).query_one(Input)
        await pilot.press(*("peace " * 14))
        await pilot.press(*["left"] * 74)
        await pilot.press("ctrl+k")
        await settle(app, pilot)
        assert field.value == "peace peac"
        assert field.scroll_x <= field.max_scroll_x
        assert "peace peac" in field.render_line(0).text


async def test_related_rows_that_would_read_the_same_keep_their_detail_in_view(
    app: ConvenerApp,
) -> None:
    """At 80 columns her two places at the retreat (moderator, speaker) read the same:
    "Peace in Our Cities Str…" twice, the roles cut off."""
    from tui.widgets.related_pane import RelatedList, RelatedPane

    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await type_query(app, pilot, "Sutherland")
        await pilot.press("down", "enter")
        await settle(app, pilot)
        pane = app.screen.query_one(RelatedPane)
        links = pane.query_one(RelatedList)
        retreat = [
            i
            for i in range(links.option_count)
            if (item := pane._items.get(links.get_option_at_index(i).id or "")) is not None
            and item.label.startswith("Peace in Our Cities Strategy Retreat")
            and item.detail in ("moderator", "speaker")
        ]
        assert len(retreat) == 2
        links.highlighted = retreat[-1]  # in view
        await settle(app, pilot)
        shown = [
            strip.text.strip()
            for strip in links.render_lines(links.region.reset_offset)
            if "Peace in Ou" in strip.text
        ]
        shown = [text for text in shown if text.endswith(("moderator", "speaker"))]
        assert sorted(text.split()[-1] for text in shown) == ["moderator", "speaker"], shown


class HeldSearch:
    """The planner's search made to wait, in its worker, until `go` is set."""

    def __init__(self, app: ConvenerApp, monkeypatch: pytest.MonkeyPatch) -> None:
        self.started = threading.Event()
        self.go = threading.Event()
        search = app.planner.search

        def held(text: str, limit: int = 60) -> list[SearchHit]:
            self.started.set()
            self.go.wait(30)
            return search(text, limit)

        monkeypatch.setattr(app.planner, "search", held)


def count_frames(screen: SearchScreen) -> list[tuple[str, int]]:
    """From now on, one entry per frame `screen` paints: the field's text and how many
    results the list holds."""
    frames: list[tuple[str, int]] = []
    original = screen._compositor_refresh

    def counted() -> None:
        frames.append((screen.query_one(Input).value, screen.query_one(OptionList).option_count))
        original()

    screen._compositor_refresh = counted  # type: ignore[method-assign]
    return frames


async def search_held(
    app: ConvenerApp, pilot: Pilot[int], monkeypatch: pytest.MonkeyPatch
) -> tuple[HeldSearch, list[tuple[str, int]]]:
    """The search screen open, its cursor not blinking (a frame of its own), its search
    held, its frames counted from now on."""
    screen = await open_search(app, pilot)
    screen.query_one(Input).cursor_blink = False
    await settle(app, pilot)
    return HeldSearch(app, monkeypatch), count_frames(screen)


async def test_a_letter_typed_is_painted_with_its_results_in_one_frame(
    app: ConvenerApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No frame between the key and its results (within ECHO_HOLD): painted first, the
    letter took the UI thread before the search could start, and the results came in a
    second frame (issue 24)."""
    monkeypatch.setattr(search_screen, "ECHO_HOLD", 30.0)
    async with app.run_test(size=SIZE) as pilot:
        held, frames = await search_held(app, pilot, monkeypatch)
        await pilot.press("p")
        assert await wait_until(pilot, held.started.is_set)
        for _ in range(3):
            await pilot.pause()
        assert frames == []  # the letter waits for its results
        held.go.set()
        await settle(app, pilot)
        assert frames and frames[0][0] == "p" and frames[0][1] > 0


async def test_a_slow_search_shows_the_letter_typed_before_its_results(
    app: ConvenerApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past ECHO_HOLD the letter is painted on its own; the results follow."""
    monkeypatch.setattr(search_screen, "ECHO_HOLD", 0.05)
    async with app.run_test(size=SIZE) as pilot:
        held, frames = await search_held(app, pilot, monkeypatch)
        await pilot.press("p")
        assert await wait_until(pilot, lambda: bool(frames))
        assert frames[0] == ("p", 0)  # the letter, no results yet
        held.go.set()
        await settle(app, pilot)
        assert frames[-1][0] == "p" and frames[-1][1] > 0


async def test_escape_while_a_letter_waits_for_its_results_leaves_the_calendar_painting(
    app: ConvenerApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The wait holds the search screen's frames only: closed meanwhile, the calendar is
    painted and answers keys."""
    monkeypatch.setattr(search_screen, "ECHO_HOLD", 30.0)
    async with app.run_test(size=SIZE) as pilot:
        await open_search(app, pilot)
        held = HeldSearch(app, monkeypatch)
        await pilot.press("p")
        assert await wait_until(pilot, held.started.is_set)
        await pilot.press("escape")
        await pilot.pause()
        main = app.screen
        assert isinstance(main, MainScreen)
        painted = count_layouts(main)
        main.refresh(layout=True)
        assert await wait_until(pilot, lambda: bool(painted))
        held.go.set()
        await settle(app, pilot)
        assert isinstance(app.screen, MainScreen)


async def test_the_first_letter_lays_the_screen_out_once(app: ConvenerApp) -> None:
    """The two-line hint gives way to a one-line count: one layout, not a second one a
    frame later for the status line's new height (8 ms at 100k events, issue 24)."""
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_search(app, pilot)
        status = screen.query_one("#search-status", Static)
        assert status.size.height == 2  # the hint
        layouts = count_layouts(screen)
        await pilot.press("p")
        await settle(app, pilot)
        assert status.size.height == 1 and str(status.content).endswith("found")
        assert len(layouts) == 1


async def test_a_search_opened_with_a_query_shows_its_results(app: ConvenerApp) -> None:
    """SearchScreen(query): the field holds it and its results are listed (the field told
    its screen of the text before it was made whole: a crash)."""
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = SearchScreen("zurich")
        app.push_screen(screen)
        assert await wait_until(
            pilot,
            lambda: bool(screen.query(OptionList)) and "City of Zürich" in result_titles(screen),
        )
        assert app.screen is screen and screen.query_one(Input).value == "zurich"
