"""text_segments and cut_line: the same lines as rich's general ways, made faster."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Span, Text
from textual.strip import Strip

import tui
from tui.widgets.frames import cut_line, text_segments

STYLES: list[str | Style] = [
    "bold",
    "dim",
    "italic",
    "dim strike",
    "red",
    Style(bold=True, color="cyan"),
    "",
]
WORDS = ["Peace", "in", "–", "Cities", "Zürich", "·", "mediation", "09:00", "会议", "e\u0301"]


def general(line: Text, console: Console, base: Style) -> list[Segment]:
    """Rich's own way (what text_segments did before its fast way)."""
    style = base + console.get_style(line.style) if line.style else base
    return list(Segment.apply_style(line.render(console), style))


def lines(seed: int, count: int) -> list[Text]:
    """Lines built as the app builds them (pieces appended, each with a style or none),
    with a text style on some and overlapping spans (stylize) on others."""
    rng = random.Random(seed)
    made = []
    for _ in range(count):
        line = Text(style=rng.choice(["", "", "bold", "dim"]))
        for _ in range(rng.randint(0, 7)):
            piece = " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 4))) + " "
            line.append(piece, style=rng.choice(STYLES) or None)
        if rng.random() < 0.3 and line.plain:
            start = rng.randrange(len(line.plain))
            line.stylize(rng.choice(STYLES) or "bold", start, rng.randint(start, len(line.plain)))
        if rng.random() < 0.1 and line.spans:
            line.spans.append(line.spans[0])  # the same span twice: they overlap
        made.append(line)
    return made


def test_text_segments_are_rich_s_own() -> None:
    """Segment for segment, over lines with overlapping spans and without."""
    console = Console(width=80)
    base = Style(color="white", bgcolor="black") + Style.from_meta({"option": 3})
    overlapping = 0
    for line in lines(24, 400):
        assert text_segments(line, console, base) == general(line, console, base), line.spans
        ends = [0, *(span.end for span in line.spans)]
        overlapping += any(span.start < end for span, end in zip(line.spans, ends, strict=False))
    # An empty span, a line of no spans, a line with its own style only.
    empty = Text("abc")
    empty.spans.append(Span(1, 1, "bold"))
    for line in (empty, Text("plain"), Text("styled", style="bold"), Text("")):
        assert text_segments(line, console, base) == general(line, console, base)
    assert 20 < overlapping < 200  # both ways were taken


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_cut_line_cuts_as_truncate_does(seed: int) -> None:
    console = Console(width=80)
    for line in lines(seed, 150):
        for width in range(0, len(line.plain) + 3):
            ours, theirs = line.copy(), line.copy()
            cut_line(ours, width)
            theirs.truncate(width, overflow="ellipsis", pad=True)
            assert ours.plain == theirs.plain, (line.plain, width)
            assert ours.spans == theirs.spans, (line.plain, width)
            assert list(ours.render(console)) == list(theirs.render(console))


def test_the_characters_cut_by_slicing_are_one_cell_wide_as_rich_measures_them() -> None:
    from rich.cells import cell_len

    from tui.widgets.frames import ONE_CELL

    assert "–" in ONE_CELL and "…" in ONE_CELL and "\u00ad" not in ONE_CELL
    assert [c for c in ONE_CELL if cell_len(c) != 1] == []
    assert [c for c in ONE_CELL if cell_len(c * 3) != 3] == []


def test_a_guest_table_cell_is_fitted_as_truncate_fits_it() -> None:
    from tui.widgets.guest_table import _fit

    values = ["", "Amina Diallo", "Zürich – Genève", "会议 room", "e\u0301te\u0301", "x" * 40]
    for value in values:
        for width in range(0, 45):
            text = Text(value)
            text.truncate(width, overflow="ellipsis", pad=True)
            assert _fit(value, width) == text.plain, (value, width)


async def test_the_month_grid_paints_the_lines_its_text_reads() -> None:
    """Painted from its pieces, the grid shows what its Text (the general way) shows:
    segment for segment, focused or not, week numbers or not, days with one event and
    with several, today, the cursor, days of the months around."""
    from datetime import date

    from textual.app import App, ComposeResult

    from tui.widgets.month_grid import MonthGrid

    class Grid(App[None]):
        CSS_PATH = str(Path(tui.__file__).parent / "styles" / "app.tcss")  # the grid's styles

        def compose(self) -> ComposeResult:
            yield MonthGrid(date(2026, 12, 9), date(2026, 12, 2), id="grid")

    app = Grid()
    async with app.run_test(size=(60, 12)) as pilot:
        grid = app.query_one(MonthGrid)
        grid.event_days = {date(2026, 12, 2): 1, date(2026, 12, 9): 3, date(2026, 11, 30): 2}
        for focused, numbers in ((False, False), (True, False), (True, True), (False, True)):
            grid.week_numbers = numbers
            if focused:
                grid.focus()
            else:
                grid.blur()
            await pilot.pause()
            base = grid.visual_style.rich_style
            width, height = grid.size
            expected = [
                Strip(text_segments(line, app.console, base))
                .crop_extend(0, width, base)
                .apply_offsets(0, y)
                for y, line in enumerate(grid.render().split("\n", allow_blank=True)[:height])
            ]
            grid._render_content()
            painted = [grid.render_line(y) for y in range(height)]
            assert [list(s) for s in painted] == [list(s) for s in expected], (focused, numbers)
            assert any(segment.style and segment.style.bold for segment in painted[0])
            assert "December 2026" in painted[0].text and "◆" in "".join(s.text for s in painted)


async def test_the_month_grid_s_kept_styles_follow_a_new_theme() -> None:
    """The components' styles are kept between paints, and worked out again when the
    stylesheet is applied again (a theme): the cursor's colour follows the theme."""
    from datetime import date

    from textual.app import App, ComposeResult

    from tui.widgets.month_grid import MonthGrid

    class Grid(App[None]):
        CSS_PATH = str(Path(tui.__file__).parent / "styles" / "app.tcss")

        def compose(self) -> ComposeResult:
            yield MonthGrid(date(2026, 12, 9), date(2026, 12, 2), id="grid")

    def cursor_colour(grid: MonthGrid) -> object:
        line = grid.render_line(3)  # the week of the 9th
        return next(s.style.bgcolor for s in line if "9" in s.text and s.style)

    app = Grid()
    async with app.run_test(size=(60, 12)) as pilot:
        grid = app.query_one(MonthGrid)
        grid.focus()
        await pilot.pause()
        dark = cursor_colour(grid)
        assert dark == grid.get_component_rich_style("month-grid--cursor").bgcolor
        app.theme = "textual-light"
        await pilot.pause()
        await pilot.pause()
        light = cursor_colour(grid)
        assert light != dark
        assert light == grid.get_component_rich_style("month-grid--cursor").bgcolor
