"""PaneText: a rich renderable is rendered once per width, and paints as a Static does."""

from __future__ import annotations

import pytest
from rich.console import Console, ConsoleOptions, RenderResult
from rich.table import Table
from textual.app import App, ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from tui.app import ConvenerApp
from tui.widgets.frames import PaneLabel, PaneText

from .conftest import count_layouts, settle


def facts() -> Table:
    table = Table.grid(padding=(0, 1))
    table.add_column(style="bold", no_wrap=True)
    table.add_column(ratio=1)
    table.add_row("When", "Thursday 3 December 2026, 09:00-17:30")
    table.add_row("Where", "Zürich, in the long room on the second floor of the old library")
    table.add_row("Officers", "Jai-Ayla Sutherland, Amina Diallo")
    return table


class Panes(App[None]):
    def compose(self) -> ComposeResult:
        with Vertical():
            yield PaneText(id="once", markup=False)
            yield Static(id="plain", markup=False)


async def test_a_table_is_rendered_once_to_measure_and_paint_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    renders: list[int] = []
    original = Table.__rich_console__

    def counted(self: Table, console: Console, options: ConsoleOptions) -> RenderResult:
        if self is shown:
            renders.append(options.max_width)
        return original(self, console, options)

    monkeypatch.setattr(Table, "__rich_console__", counted)
    shown = facts()
    app = Panes()
    async with app.run_test(size=(40, 20)) as pilot:
        once, plain = app.query_one("#once", PaneText), app.query_one("#plain", Static)
        once.update(shown)
        plain.update(facts())
        await pilot.pause()
        await pilot.pause()
        # Measured and painted from one rendering at the pane's width (Textual's path
        # rendered it twice), and painted line for line as a Static paints it.
        assert renders == [40]
        assert once.size.height == plain.size.height > 3  # the long place wrapped
        lines = [once.render_line(y).text for y in range(once.size.height)]
        assert lines == [plain.render_line(y).text for y in range(plain.size.height)]
        assert "Zürich" in "".join(lines)
        # A narrower pane renders it again, at the new width.
        await pilot.resize_terminal(30, 20)
        await pilot.pause()
        await pilot.pause()
        assert renders == [40, 30]
        assert once.size.height == plain.size.height


async def test_an_expired_toast_has_the_screen_painted_again(empty_app: ConvenerApp) -> None:
    # A toast that came as a dialog closed stayed on the terminal after it expired: its
    # removal found the screen's map unchanged and painted nothing where it had been.
    async with empty_app.run_test(size=(80, 24)) as pilot:
        await settle(empty_app, pilot)
        empty_app.notify("1 added to the guest list")
        await settle(empty_app, pilot)
        [notification] = list(empty_app._notifications)
        empty_app.screen._repaint_required = False
        empty_app._unnotify(notification)
        assert empty_app.screen._repaint_required


class Texts(App[None]):
    CSS = "#fixed { width: auto; }"

    def compose(self) -> ComposeResult:
        with Vertical():
            yield PaneText("one\ntwo", id="same", markup=False)
            yield PaneText("below", id="below", markup=False)
            yield PaneLabel("wide", id="fixed", markup=False)


async def test_a_new_text_as_tall_as_the_old_is_painted_without_a_layout() -> None:
    """A pane's text replaced by one of as many lines at its width repaints alone: no
    layout of the screen (a week change's titles and counts, issue 24). One taller or
    shorter, or one whose width follows its content, is laid out: what is below moves."""
    app = Texts()
    async with app.run_test(size=(30, 12)) as pilot:
        await pilot.pause()
        same, below, fixed = (
            app.query_one("#same"),
            app.query_one("#below"),
            app.query_one("#fixed"),
        )
        layouts = count_layouts(app.screen)
        assert isinstance(same, PaneText) and isinstance(fixed, PaneLabel)
        same.update("uno\ndos")
        await pilot.pause()
        assert layouts == []
        assert app.screen.get_widget_at(0, 1)[0] is same
        assert [same.render_line(y).text.strip() for y in range(2)] == ["uno", "dos"]
        # A long line wraps to three at 30 columns: taller, laid out, the text below moved.
        same.update("a line long enough to wrap past the width of thirty columns")
        await pilot.pause()
        assert len(layouts) == 1 and same.size.height == 3
        assert below.region.y == 3
        # Shorter again: laid out again.
        same.update("short")
        await pilot.pause()
        assert len(layouts) == 2 and same.size.height == 1 and below.region.y == 1
        # A label as wide as its text: a longer text widens it, which only a layout does.
        fixed.update("much wider than before")
        await pilot.pause()
        assert len(layouts) == 3 and fixed.size.width == len("much wider than before")
