"""Pilot tests: the main screen fits the window it is given (narrow, middle, wide)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.geometry import Offset, Region
from textual.widget import Widget
from textual.widgets import Label

from tui.app import ConvenerApp
from tui.config import Settings
from tui.domain.planner import Planner
from tui.first_screen import read_ahead
from tui.screens import main as main_screen
from tui.widgets.calendar_pane import CalendarPane
from tui.widgets.guest_list import GuestList
from tui.widgets.guest_table import GuestTable
from tui.widgets.month_grid import MonthGrid

from .conftest import settle, wait_until


def visible(app: ConvenerApp, selector: str) -> bool:
    return app.screen.query_one(selector).size.width > 0


async def test_a_narrow_window_shows_one_pane_at_a_time_and_tab_moves_between_them(
    app: ConvenerApp,
) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert app.screen.query_one("#pane-tabs").display
        assert visible(app, "#calendar") and not visible(app, "#guests")
        assert not visible(app, "#side")
        assert app.screen.query_one(CalendarPane).size.width >= 70
        # tab walks the calendar's own widgets, then on into the guest list.
        await pilot.press("tab")
        assert await wait_until(pilot, lambda: app.focused is not None)
        while app.focused is not None and app.screen.query_one(GuestList) not in (
            app.focused.ancestors_with_self
        ):
            await pilot.press("tab")
        await pilot.pause()
        assert visible(app, "#guests") and not visible(app, "#calendar")
        tabs = str(app.screen.query_one("#pane-tabs").render())
        assert "Guests" in tabs and "Calendar" in tabs
        # The guest list has the whole width: more than name and status.
        table = app.screen.query_one(GuestTable)
        assert table.size.width >= 70
        await pilot.press("shift+tab")
        await pilot.pause()
        assert visible(app, "#calendar") and not visible(app, "#guests")
        # The contract keys still work in a narrow window.
        await pilot.press("w")
        from tui.screens.time_grid import TimeGridScreen

        assert await wait_until(pilot, lambda: isinstance(app.screen, TimeGridScreen))


@pytest.mark.parametrize("key", ["i", "g", "f", "n"])
async def test_a_dialog_fits_a_small_window(app: ConvenerApp, key: str) -> None:
    # The import dialog was 90 columns wide: at 80 its right edge and hint were cut off.
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        main = app.screen
        await pilot.press(key)
        await settle(app, pilot)
        assert app.screen is not main
        for widget in app.screen.children:
            region = widget.region
            assert region.x >= 0 and region.right <= 80 and region.bottom <= 24, (key, region)


async def test_the_middle_width_keeps_three_panes_side_by_side(app: ConvenerApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert not app.screen.query_one("#pane-tabs").display
        assert all(visible(app, s) for s in ("#calendar", "#guests", "#side"))
        assert app.screen.query_one(CalendarPane).outer_size.width == 41


async def test_a_wide_window_widens_the_calendar_for_longer_titles(app: ConvenerApp) -> None:
    async with app.run_test(size=(200, 60)) as pilot:
        await settle(app, pilot)
        assert all(visible(app, s) for s in ("#calendar", "#guests", "#side"))
        assert app.screen.query_one(CalendarPane).outer_size.width == 64
        await pilot.resize_terminal(90, 30)
        assert await wait_until(pilot, lambda: not visible(app, "#guests"))
        assert app.screen.query_one("#pane-tabs").display


async def test_week_numbers_show_beside_the_month_grid_when_configured(planner: object) -> None:
    from tui.config import Settings
    from tui.domain.planner import Planner

    assert isinstance(planner, Planner)
    app = ConvenerApp(planner, Settings(timezone="UTC", week_numbers=True))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        grid = app.screen.query_one(MonthGrid)
        text = grid.render().plain
        assert "Wk" in text and "47" in text  # the fixed today, 18 November 2026, is in week 47
        assert grid.size.width == 37


async def test_a_new_selection_lays_the_screen_out_once(
    app: ConvenerApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A week or day change shows the new selection's panes in one layout of the screen:
    panes whose text grew or shrank, a list that emptied, the event pane's scroll bar ask
    for no second one (two layouts were most of a key's CPU at 100k events, issue 24).
    (A list whose scroll bar comes or goes is laid out again, as its width changes: the
    window is tall enough here for the sample's longest guest list.)
    The hold's time limit (a held key still shows frames) is lifted: on a loaded CI
    machine a pane's read took longer than it, and the test measured the machine."""
    monkeypatch.setattr(main_screen, "PANE_HOLD_LIMIT", 60.0)
    async with app.run_test(size=(120, 60)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        layouts: list[str] = []
        original = screen._refresh_layout

        def counted(*args: object, **kwargs: object) -> None:
            layouts.append(str(app.screen.query_one("#details").border_title))
            original(*args, **kwargs)  # type: ignore[arg-type]

        screen._refresh_layout = counted  # type: ignore[method-assign]
        shown = []
        for key in ("j", "k", "l", "h", "j", "j", "right_square_bracket", "left_square_bracket"):
            layouts.clear()
            before = str(screen.query_one("#details").border_title)
            await pilot.press(key)
            await settle(app, pilot)
            shown.append((key, before, str(screen.query_one("#details").border_title)))
            # One layout, or none where every new text is as tall as the old.
            assert len(layouts) <= 1, (key, layouts)
        # The keys did change what the panes show (else no layout would be needed at all).
        assert any(before != after for _, before, after in shown), shown


async def test_a_selection_made_while_the_panes_are_applied_holds_the_frame_for_its_panes(
    app: ConvenerApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A held key: the next week's lines come while the previous selection's panes are
    being applied. The frame waits for the new selection's panes too, instead of showing
    the new agenda beside the old panes (and laying the screen out again for them)."""
    monkeypatch.setattr(main_screen, "PANE_HOLD_LIMIT", 60.0)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, main_screen.MainScreen)
        before = str(screen.query_one("#details").border_title)
        screen._hold_frames()
        screen._hold_poll.stop()  # type: ignore[union-attr]
        screen._hold_poll = None
        screen._selection_coming()  # new lines are being made; their selection follows
        screen._hold_marks = 1
        screen._pane_applied()  # the previous selection's panes are all applied
        assert screen._holding
        screen.calendar.shift_month(1)  # the newer selection, made and shown
        await settle(app, pilot)
        assert not screen._holding and not screen._awaiting_selection
        assert str(screen.query_one("#details").border_title) != before


def applied_styles(app: ConvenerApp) -> dict[str, str]:
    """Every widget's styles from the stylesheet (its parts' too), keyed by its place."""
    styles: dict[str, str] = {}
    for index, node in enumerate(app.screen.walk_children(with_self=True)):
        key = f"{index} {type(node).__name__}#{node.id}"
        styles[key] = node._css_styles.css
        for part, part_styles in sorted(node._component_styles.items()):
            styles[f"{key} {part}"] = part_styles.css
    return styles


async def test_the_first_screen_is_styled_once_and_as_a_full_restyle_would(
    app: ConvenerApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Textual restyles a screen each time it comes up; the first time is right after its
    widgets were styled as they were mounted (10-15 ms of the start), and is skipped."""
    restyled: list[int] = []
    original = main_screen.MainScreen.update_node_styles

    def counted(self: main_screen.MainScreen, animate: bool = True) -> None:
        restyled.append(1)
        original(self, animate)

    monkeypatch.setattr(main_screen.MainScreen, "update_node_styles", counted)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert restyled == []
        before = applied_styles(app)
        assert len(before) > 50 and "#details-head" in " ".join(before)
        app.screen.update_node_styles(animate=False)
        await pilot.pause()
        assert applied_styles(app) == before


async def started_styles(app: ConvenerApp) -> dict[str, str]:
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        return applied_styles(app)


async def test_stylesheets_kept_from_an_earlier_run_style_the_screen_as_parsing_does(
    planner: Planner, tmp_path: Path
) -> None:
    """Parsed once and kept (tui.stylecache): a start then parses nothing (25-30 ms)."""
    kept = tmp_path / "styles.pickle"
    parsed = await started_styles(ConvenerApp(planner, Settings(timezone="UTC")))
    first = ConvenerApp(planner, Settings(timezone="UTC"), kept_styles=kept)
    assert await started_styles(first) == parsed
    assert first.stylesheet.parsed > 5 and not kept.exists()
    assert first.stylesheet.worked_out > 40  # the styles each widget got
    first.stylesheet.save()
    second = ConvenerApp(planner, Settings(timezone="UTC"), kept_styles=kept)
    assert await started_styles(second) == parsed
    assert second.stylesheet.parsed == 0
    # What the rules gave each widget of the start is kept too: nothing worked out again.
    assert first.stylesheet.worked_out == 0  # saved
    assert second.stylesheet.worked_out == 0
    # Another theme's colours are parsed for it, not taken from the kept default's.
    light = Settings(timezone="UTC", theme="textual-light")
    lit = await started_styles(ConvenerApp(planner, light))
    assert lit != parsed
    third = ConvenerApp(planner, light, kept_styles=kept)
    assert await started_styles(third) == lit and third.stylesheet.parsed > 0
    # A damaged file: parsed as without it.
    kept.write_bytes(b"\x80\x05not a pickle")
    fourth = ConvenerApp(planner, Settings(timezone="UTC"), kept_styles=kept)
    assert await started_styles(fourth) == parsed and fourth.stylesheet.parsed > 5


def assert_styled_as_textual_would(app: ConvenerApp) -> int:
    """Each widget's styles (its parts' too) are what Textual's own matching gives it; the
    number of widgets compared."""
    from textual.css.stylesheet import Stylesheet

    compared = 0
    for node in app.screen.walk_children(with_self=True):
        given = dict(node.styles.base._rules)
        parts = {name: dict(part.base._rules) for name, part in node._component_styles.items()}
        Stylesheet.apply(app.stylesheet, node)  # Textual's own, without the kept styles
        assert dict(node.styles.base._rules) == given, node
        again = {name: dict(part.base._rules) for name, part in node._component_styles.items()}
        assert again == parts, node
        compared += 1
    return compared


async def test_styles_applied_from_memory_are_those_textual_works_out(app: ConvenerApp) -> None:
    """tui.stylecache gives a widget the styles worked out for another selected alike (its
    kind, id, classes, pseudo-classes and those of its ancestors): after focus changes,
    another screen and back, a narrow window and a wide one, each widget has what
    Textual's own matching gives it."""
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        for key in ("tab", "tab", "question_mark", "escape", "shift+tab"):
            await pilot.press(key)
            await pilot.pause()
        assert len(app.stylesheet.applied) > 40
        assert assert_styled_as_textual_would(app) > 20
        # Narrow, one pane shows at a time (the panes' classes change), then wide again.
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        await pilot.press("tab")
        await pilot.pause()
        assert assert_styled_as_textual_would(app) > 20
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        assert assert_styled_as_textual_would(app) > 20


async def test_panes_rendered_once_per_middle_line_look_as_textual_renders_them(
    app: ConvenerApp,
) -> None:
    """SameMiddleLines and Backdrop (tui.widgets.frames) render a pane's covered middle
    and a covered container's background once: every line is what Textual renders, wide
    and narrow, with the focus on each pane."""
    from textual.geometry import Region
    from textual.widget import Widget

    from tui.widgets.frames import Backdrop, SameMiddleLines

    async def compare() -> int:
        compared = 0
        for widget in app.screen.walk_children(Widget, with_self=True):
            if not isinstance(widget, (SameMiddleLines, Backdrop)) or not widget.region:
                continue
            assert isinstance(widget, Widget)
            whole = Region(0, 0, widget.region.width, widget.region.height)
            for crop in (whole, Region(0, 1, whole.width, max(1, whole.height - 3))):
                ours = [list(strip) for strip in widget.render_lines(crop)]
                widget._styles_cache.clear()
                assert ours == [list(strip) for strip in Widget.render_lines(widget, crop)], widget
                widget._styles_cache.clear()
            compared += 1
        return compared

    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert await compare() == 7  # four panes, two containers and the screen
        for _ in range(3):
            await pilot.press("tab")
            await pilot.pause()
            assert await compare() >= 6  # the guest table's focus widens it over the side
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert await compare() >= 4


async def test_a_paint_of_the_lists_reads_what_its_lines_share_once(
    app: ConvenerApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The guest table's style (worked out from it and every ancestor) and the agenda's
    lines, width and styles are read once per paint, not once per line (issue 24); the
    lines are those read per line."""
    from textual.dom import DOMNode
    from textual.geometry import Region

    from tui.widgets.calendar_pane import AgendaList
    from tui.widgets.line_list import LineList

    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        table = app.screen.query_one(GuestTable)
        agenda = app.screen.query_one(AgendaList)
        shown = {}
        for widget in (table, agenda):
            widget._styles_cache.clear()
            size = widget.region.size
            shown[widget] = [list(strip) for strip in widget.render_lines(Region(0, 0, *size))]
        styles: list[DOMNode] = []
        updates: list[int] = []
        rich_style = DOMNode.__dict__["rich_style"].fget

        def read_style(node: DOMNode) -> object:
            styles.append(node)
            return rich_style(node)

        monkeypatch.setattr(DOMNode, "rich_style", property(read_style))
        update = LineList._update_lines

        def counted(self: LineList) -> None:
            if self._painting is None:  # brought up to date, not told it is already
                updates.append(1)
            update(self)

        monkeypatch.setattr(LineList, "_update_lines", counted)
        for widget in (table, agenda):
            widget._styles_cache.clear()
            size = widget.region.size
            again = [list(strip) for strip in widget.render_lines(Region(0, 0, *size))]
            assert again == shown[widget] and len(again) > 15
        assert styles.count(table) == 1
        assert len(updates) == 1


async def test_the_title_bar_shows_the_title_centred_follows_its_changes_and_opens_the_palette(
    app: ConvenerApp,
) -> None:
    from textual.command import CommandPalette

    from tui.widgets.app_header import AppHeader

    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        header = app.screen.query_one(AppHeader)
        app.sub_title = "a sub-title"
        await pilot.pause()
        line = header.render_line(0).text
        assert len(line) == 120 and line.startswith(" ⭘ ")
        shown = f"{app.title} — a sub-title"
        # Centred between the icon's 8 cells and the clock's 10, as Textual's Header.
        assert line.index(shown) == 8 + (120 - 18 - len(shown)) // 2
        # Narrow: the sub-title's first parts (the database, the version) go before
        # what is due and the sync's state, which were cut off at 80 columns.
        app.sub_title = "ana.db · v0.1.0 · 2 tasks overdue · sync: 3 changes wait"
        await pilot.resize_terminal(80, 24)
        assert await wait_until(pilot, lambda: "v0.1.0" not in header.render_line(0).text)
        shown = "— ana.db · 2 tasks overdue · sync: 3 changes wait"
        assert shown in header.render_line(0).text
        await pilot.resize_terminal(70, 24)
        assert await wait_until(pilot, lambda: "ana.db" not in header.render_line(0).text)
        assert "— 2 tasks overdue · sync: 3 changes wait" in header.render_line(0).text
        # Narrower still: what is overdue outlasts what is due this week.
        app.sub_title = "ana.db · v0.1.0 · 3 tasks overdue · 3 due this week"
        await pilot.resize_terminal(50, 24)
        assert await wait_until(
            pilot, lambda: "Convener — 3 tasks overdue " in header.render_line(0).text
        )
        await pilot.resize_terminal(30, 24)
        assert await wait_until(pilot, lambda: header.render_line(0).text.rstrip().endswith("…"))
        await pilot.click(AppHeader, offset=(1, 0))
        assert await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette))


async def test_at_80_columns_the_title_bar_shortens_the_databases_path_rather_than_drop_it(
    app: ConvenerApp,
) -> None:
    """With a sync conflict the sub-title is long: the version goes, then the sync's time,
    and the path keeps its end ("…/b.db"); it was dropped whole."""
    from tui.widgets.app_header import AppHeader

    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        header = app.screen.query_one(AppHeader)
        app.sub_title = (
            "/tmp/b.db · v0.1.0 · sync: 93 changes wait; 1 changed elsewhere; synced 10:42"
        )
        shown = "Convener — …/b.db · sync: 93 changes wait; 1 changed elsewhere"
        assert await wait_until(pilot, lambda: shown in header.render_line(0).text)
        app.sub_title = (
            "/home/officer/.local/share/convener/convener.db · v0.1.0 · outbox: 2 waiting"
            " · sync: 3 changes wait; 1 changed elsewhere; synced 10:42"
        )
        # The outbox outlasts the sync's state, said in its most pressing words.
        shown = "Convener — outbox: 2 waiting · sync: 1 changed elsewhere"
        assert await wait_until(pilot, lambda: shown in header.render_line(0).text)
        app.sub_title = "/home/officer/.local/share/convener/convener.db · v0.1.0 · sync: in step"
        shown = "Convener — …/.local/share/convener/convener.db · sync: in step"
        assert await wait_until(pilot, lambda: shown in header.render_line(0).text)


@pytest.mark.parametrize(
    ("size", "shown"),
    [
        (
            (120, 40),
            "Convener — …/convener.db · 1 task overdue · outbox: 1 waiting · sync: 43 to send;"
            " 1 changed elsewhere",
        ),
        ((80, 24), "Convener — …/convener.db · 1 task overdue · outbox: 1 waiting"),
    ],
)
async def test_the_outbox_outlasts_the_syncs_count_in_a_narrow_title_bar(
    app: ConvenerApp, size: tuple[int, int], shown: str
) -> None:
    """An invitation not sent matters more than changes not shared: the sync's state is
    said shorter, then goes, before the outbox does (at 120 and 80 columns "outbox: 1
    waiting" went while "sync: 43 changes wait" stayed)."""
    from tui.widgets.app_header import AppHeader

    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        header = app.screen.query_one(AppHeader)
        app.sub_title = (
            "/home/officer/.local/share/convener/convener.db · v0.1.0 · 1 task overdue"
            " · 2 due this week · outbox: 1 waiting; 2 of another database"
            " · sync: 43 changes wait; 1 changed elsewhere; synced 10:42"
        )
        assert await wait_until(pilot, lambda: shown in header.render_line(0).text, within=3), (
            header.render_line(0).text
        )


async def test_the_first_frame_paints_the_screen_once(
    app: ConvenerApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    full_paints: list[int] = []
    release = main_screen.MainScreen._release_frames

    def counted_release(screen: main_screen.MainScreen) -> None:
        if not screen._first_frame:
            release(screen)
            return
        compositor = screen._compositor
        paint = compositor.render_full_update

        def counted(*args: object, **kwargs: object) -> object:
            full_paints.append(1)
            return paint(*args, **kwargs)  # type: ignore[arg-type]

        compositor.render_full_update = counted  # type: ignore[method-assign,assignment]
        try:
            release(screen)
        finally:
            del compositor.render_full_update

    monkeypatch.setattr(main_screen.MainScreen, "_release_frames", counted_release)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert await wait_until(pilot, lambda: not app.screen._first_frame)  # type: ignore[attr-defined]
        assert full_paints == [1]


def _first_screen(app: ConvenerApp) -> tuple[object, ...]:
    screen = app.screen
    assert isinstance(screen, main_screen.MainScreen)
    occurrence = screen.details.occurrence
    return (
        occurrence.event.title if occurrence else None,
        screen.details.details is not None,
        [line.id for line in screen.guests.all_lines],
        screen.related.current,
        screen.related.subject is not None,
        screen.calendar.agenda.option_count,
    )


async def test_the_first_screen_takes_the_reads_made_ahead_of_it(
    planner: Planner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The command line reads the first screen's week and panes before Textual loads; the
    panes take those answers, read at once (no worker thread to wait for), and the screen
    is laid out while it waits only once (its own Resize laid it out two or three times)."""
    settings = Settings(timezone="UTC")
    # The app opens on the day of an event with guests (the sample's busiest).
    busiest = max(planner.events(), key=lambda e: len(planner.guest_lines(e.id or 0)))
    planner.today = lambda: busiest.start_date
    plain = ConvenerApp(planner, settings)
    async with plain.run_test(size=(120, 40)) as pilot:
        await settle(plain, pilot)
        assert await wait_until(pilot, lambda: not plain.screen._first_frame)  # type: ignore[attr-defined]
        expected = _first_screen(plain)
    assert expected[0] is not None and expected[2]  # an event with guests, its panes read

    waiting_layouts: list[int] = []
    layout = main_screen.MainScreen._refresh_layout

    def counted(screen: main_screen.MainScreen, *args: Any, **kwargs: Any) -> None:
        if screen._first_frame:
            waiting_layouts.append(1)
        layout(screen, *args, **kwargs)

    monkeypatch.setattr(main_screen.MainScreen, "_refresh_layout", counted)
    ahead = read_ahead(planner, settings)
    assert ahead is not None
    app = ConvenerApp(planner, settings)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert await wait_until(pilot, lambda: not app.screen._first_frame)  # type: ignore[attr-defined]
        assert _first_screen(app) == expected
        # Every read made ahead was taken: the week, the event's details, the event and
        # its guest lines, the outbox, the related items. Later reads read again.
        assert ahead.given == 6
        # (The next selections' panes may be read ahead by now: a read-ahead of its own.)
        assert planner.read_ahead is not ahead and not ahead.is_open and not app.reads_at_once
        assert len(waiting_layouts) <= 1


async def test_the_caches_are_kept_once_the_first_screen_shows_and_the_collector_waits_for_it(
    planner: Planner, tmp_path: Path
) -> None:
    """A session ended by closing its terminal never quits: the caches are kept when the
    first screen shows. The command line starts the app with the garbage collector off
    (its passes over what starting makes were 40-60 ms); the first screen turns it on."""
    import gc

    kept = tmp_path / "styles.pickle"
    app = ConvenerApp(planner, Settings(timezone="UTC"), kept_styles=kept, keep_caches=True)
    gc.disable()
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(app, pilot)
            await app.workers.wait_for_complete()
            assert gc.isenabled()
            assert kept.exists() and app.stylesheet.parsed == 0  # all of it written
    finally:
        gc.enable()
        gc.unfreeze()
    # The demo's app keeps nothing (keep_caches False): nothing is written until the
    # command line saves on quitting, which the demo does not.
    other = tmp_path / "demo.pickle"
    demo = ConvenerApp(planner, Settings(timezone="UTC"), kept_styles=other)
    await started_styles(demo)
    assert not other.exists()


async def test_losing_the_focus_while_the_panes_are_taken_down_is_no_error(
    app: ConvenerApp,
) -> None:
    # At quit (q, SIGHUP) the screen's panes are removed one by one, and the focus reset
    # on the way: the pane switcher looked for a pane already gone, and the app's run
    # ended in a traceback (crash.log of a benchmark's start, closed by SIGHUP).
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        await screen.query_one("#guests").remove()
        screen.set_focus(None)
        await pilot.pause()
    assert app._exception is None


async def test_day_counts_that_change_no_mark_are_taken_without_a_repaint(
    app: ConvenerApp,
) -> None:
    # The rest of the six weeks, read after the first frame, came as a frame of its own
    # 70 ms later that drew nothing new: a start's screen settled that much later.
    from datetime import timedelta

    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        grid = app.screen.query_one(MonthGrid)
        counts = dict(grid.event_days)
        busy = next(day for day, count in counts.items() if count > 1)
        grid._repaint_required = False
        grid.take_counts({**counts, busy: counts[busy] + 1})  # still "several": ◆
        assert not grid._repaint_required and grid.event_days[busy] == counts[busy] + 1
        empty = next(
            day
            for day in (grid.cursor + timedelta(days=n) for n in range(-20, 20))
            if not counts.get(day)
        )
        grid.take_counts({**counts, empty: 1})  # a new mark: painted
        assert grid._repaint_required


async def test_an_empty_databases_welcome_has_the_whole_side_until_something_is_imported(
    empty_app: ConvenerApp, empty_planner: Planner
) -> None:
    """The welcome's last lines (convener --demo, the keys) were cut off under an empty
    related pane at 120x40; the related pane comes back with the first import."""
    from tui.widgets.event_pane import EventPane
    from tui.widgets.related_pane import RelatedPane

    pages = Path(__file__).resolve().parents[1] / "fixtures" / "pages"
    async with empty_app.run_test(size=(120, 40)) as pilot:
        await settle(empty_app, pilot)
        related = empty_app.screen.query_one(RelatedPane)
        details = empty_app.screen.query_one(EventPane)
        assert not related.display or not related.region.height
        assert details.max_scroll_y == 0  # the whole welcome shows
        # In a narrow window the calendar comes first: its agenda says where to begin.
        title = empty_app.screen.query_one("#agenda-title", Label)
        assert "no events yet: i imports files" in str(title.content)
        assert "convener --demo" in "\n".join(
            details.query_one("#details-head").render_line(y).text
            for y in range(details.query_one("#details-head").size.height)
        )
        empty_planner.import_file(sorted(pages.glob("*.txt"))[0])
        empty_app.refresh_screens()
        await settle(empty_app, pilot)
        assert related.region.height > 0


def _bar_lines(bar: Any, fast: bool) -> list[list[object]]:
    from tui.widgets import frames

    crop = Region(0, 0, bar.size.width, bar.size.height)
    if fast:
        return [list(strip) for strip in frames._scrollbar_render_lines(bar, crop)]
    bar._set_dirty()  # Textual's own way, nothing it kept from before
    bar._styles_cache.clear()
    return [list(strip) for strip in frames._widget_render_lines(bar, crop)]


async def test_scroll_bars_made_from_their_segments_look_as_textuals_own(
    app: ConvenerApp,
) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("j")  # the dinner's week: its panes scroll
        await settle(app, pilot)
        screen = app.screen
        bars = [
            widget._vertical_scrollbar
            for widget in screen.query(Widget)
            if widget._vertical_scrollbar is not None
            and widget.show_vertical_scrollbar
            and widget._vertical_scrollbar.size.height
        ]
        assert len(bars) >= 2
        details = screen.query_one("#details")
        for state in ("top", "scrolled", "hover", "grabbed", "light"):
            if state == "scrolled":
                details.scroll_to(y=5, animate=False, immediate=True)
                await settle(app, pilot)
            if state == "hover":
                bars[0].mouse_over = True
            if state == "grabbed":
                bars[0].mouse_over = False
                bars[0].grabbed = Offset(0, 1)
            if state == "light":
                bars[0].grabbed = None
                app.theme = "textual-light"
                await settle(app, pilot)
            for bar in bars:
                assert _bar_lines(bar, fast=True) == _bar_lines(bar, fast=False), (state, bar)
